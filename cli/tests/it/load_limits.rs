//! Memory bounds under concurrent abuse, against the real `spares serve`
//! binary (its peak RSS read from /proc): a flood of wrong passwords and
//! parallel maximal label runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::binary::{Answer, Server, http, spares};
use crate::helpers::{PASSWORD, TestApp, csrf_in, password_hash_text};

const SESSION_SECRET: &str = "load-test-session-secret-0123456789abcdef";

fn cookie_of(answer: &Answer) -> String {
    answer
        .head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .find(|c| c.starts_with("spares_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

fn form(password: &str, csrf: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("password", password)
        .append_pair("csrf", csrf)
        .append_pair("next", "/")
        .finish()
}

/// 200 wrong sign-ins, 50 at a time, all with one reused CSRF token and
/// each from another address (through a trusted proxy): argon2 never runs
/// more than twice at once, so memory stays small; then the right password
/// from a client that did not fail signs in (after at most a few seconds of
/// "try again").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_wrong_sign_ins_keep_memory_small() {
    let app = TestApp::new().await;
    let server = Server::start(
        &app.db_url(),
        &[
            ("SPARES_ADMIN_PASSWORD_HASH", password_hash_text()),
            ("SPARES_SESSION_SECRET", SESSION_SECRET),
            ("SPARES_TRUSTED_PROXIES", "127.0.0.1"),
        ],
    );
    let page = http(&server.addr, "GET /login", &[], "").expect("login page");
    let cookie = Arc::new(cookie_of(&page));
    let body = Arc::new(form("wrong password", &csrf_in(&page.text())));
    let (checked, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let addr = Arc::new(server.addr.clone());
    let threads: Vec<_> = (0..50)
        .map(|t| {
            let (cookie, body, addr) = (Arc::clone(&cookie), Arc::clone(&body), Arc::clone(&addr));
            let (checked, refused) = (Arc::clone(&checked), Arc::clone(&refused));
            std::thread::spawn(move || {
                for k in 0..4 {
                    let client = format!("198.51.100.{}", t * 4 + k);
                    let a = http(
                        &addr,
                        "POST /login",
                        &[("Cookie", cookie.as_str()), ("X-Forwarded-For", &client)],
                        &body,
                    )
                    .expect("an answer");
                    match a.status {
                        401 => checked.fetch_add(1, Ordering::Relaxed),
                        429 => {
                            assert!(a.header("retry-after").is_some(), "{}", a.head);
                            refused.fetch_add(1, Ordering::Relaxed)
                        }
                        other => panic!("unexpected {other}: {}", a.text()),
                    };
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client thread");
    }
    let (checked, refused) = (
        checked.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed),
    );
    let peak = server.peak_rss_mb();
    eprintln!(
        "200 wrong sign-ins: {checked} checked, {refused} refused (429); peak RSS {peak:.1} MB"
    );
    assert_eq!(checked + refused, 200);
    assert!(refused > 0, "the limits refused nothing");
    assert!(peak < 100.0, "peak RSS {peak:.1} MB");

    // The owner, from an address that never failed, still gets in.
    let page = http(&server.addr, "GET /login", &[], "").expect("login page");
    let cookie = cookie_of(&page);
    let body = form(PASSWORD, &csrf_in(&page.text()));
    let mut answer = None;
    for _ in 0..20 {
        let a = http(
            &server.addr,
            "POST /login",
            &[
                ("Cookie", cookie.as_str()),
                ("X-Forwarded-For", "192.0.2.10"),
            ],
            &body,
        )
        .expect("an answer");
        if a.status != 429 {
            answer = Some(a);
            break;
        }
        let wait: u64 = a
            .header("retry-after")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        std::thread::sleep(std::time::Duration::from_secs(wait));
    }
    let answer = answer.expect("the right password was let through within 20 tries");
    assert_eq!(answer.status, 303, "{}", answer.text());
}

/// Four parallel requests for the largest label run (240 different boxes)
/// stay under 150 MB: at most two render at once (the others are told to
/// try again), and each compresses every label as soon as it is drawn.
#[tokio::test]
async fn four_parallel_maximal_label_runs_keep_memory_small() {
    let app = TestApp::new().await;
    let max = spares_web::routes::pages::labels::MAX_LABELS;
    let mut csv = String::from("category,value,package,quantity,location\n");
    for i in 1..=max {
        csv.push_str(&format!("resistor,{i}k,0805,10,B{i}\n"));
    }
    let file = app.dir.join("boxes.csv");
    std::fs::write(&file, csv).expect("csv");
    let out = spares(&app.db_url(), &["import", &file.display().to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::start(&app.db_url(), &[]);
    let boxes: Vec<String> = (1..=max).map(|i| format!("B{i}")).collect();
    let path = Arc::new(format!("GET /labels.pdf?boxes={}", boxes.join(",")));
    let addr = Arc::new(server.addr.clone());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (path, addr) = (Arc::clone(&path), Arc::clone(&addr));
            std::thread::spawn(move || http(&addr, &path, &[], "").expect("an answer"))
        })
        .collect();
    let answers: Vec<Answer> = threads
        .into_iter()
        .map(|t| t.join().expect("client thread"))
        .collect();
    let peak = server.peak_rss_mb();
    let rendered = answers.iter().filter(|a| a.status == 200).count();
    eprintln!("4 × {max} labels: {rendered} rendered, peak RSS {peak:.1} MB");
    for a in &answers {
        assert!(a.status == 200 || a.status == 429, "{}", a.head);
        if a.status == 200 {
            assert!(a.body.starts_with(b"%PDF-"));
            let text = String::from_utf8_lossy(&a.body);
            assert_eq!(text.matches("/Subtype /Image").count(), max);
        }
    }
    assert!(rendered >= 1);
    assert!(peak < 150.0, "peak RSS {peak:.1} MB");
}
