//! The compiled `spares-bot` against a local fake Bot API server (teloxide
//! reads TELOXIDE_API_URL): a question, a photo of a box label and a button
//! press end to end, over HTTP, with a real SQLite file; then SIGTERM.
//! Also: start-up refuses missing or malformed settings with a clear message.

mod common;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Json};
use axum::routing::{get, post};
use serde_json::{Value, json};
use spares_labels::Payload;

const TOKEN: &str = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const CHAT: i64 = common::ALLOWED as i64;

#[derive(Default)]
struct Fake {
    updates: Mutex<VecDeque<Value>>,
    next_update: Mutex<i64>,
    /// (method, request body as JSON or the raw text of a multipart body)
    calls: Mutex<Vec<(String, Value)>>,
    files: Mutex<Vec<(String, Vec<u8>)>>,
    next_message: Mutex<i64>,
}

impl Fake {
    fn push(&self, mut update: Value) {
        let mut id = self.next_update.lock().expect("lock");
        *id += 1;
        update["update_id"] = json!(*id);
        self.updates.lock().expect("lock").push_back(update);
    }

    fn calls(&self, method: &str) -> Vec<Value> {
        self.calls
            .lock()
            .expect("lock")
            .iter()
            .filter(|(m, _)| m.eq_ignore_ascii_case(method))
            .map(|(_, b)| b.clone())
            .collect()
    }
}

fn user(id: i64, is_bot: bool) -> Value {
    json!({"id": id, "is_bot": is_bot, "first_name": if is_bot { "Spares" } else { "Ann" }, "username": if is_bot { "spares_bot" } else { "ann" }})
}

fn message(id: i64, from: Value, extra: Value) -> Value {
    let mut m = json!({
        "message_id": id,
        "date": 1_764_000_000,
        "chat": {"id": CHAT, "type": "private", "first_name": "Ann"},
        "from": from,
    });
    if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            m.insert(k.clone(), v.clone());
        }
    }
    m
}

async fn api(
    State(fake): State<Arc<Fake>>,
    Path((bot, method)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    if bot != format!("bot{TOKEN}") {
        return (
            axum::http::StatusCode::UNAUTHORIZED,
            Json(json!({"ok": false, "error_code": 401, "description": "Unauthorized"})),
        )
            .into_response();
    }
    let is_json = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let body: Value = if is_json {
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    } else {
        Value::String(String::from_utf8_lossy(&body).into_owned())
    };
    // Telegram's method names are case-insensitive (teloxide sends "GetMe").
    let method = method.to_ascii_lowercase();
    fake.calls
        .lock()
        .expect("lock")
        .push((method.clone(), body.clone()));
    let result = match method.as_str() {
        "getme" => {
            let mut me = user(42, true);
            me["can_join_groups"] = json!(false);
            me["can_read_all_group_messages"] = json!(false);
            me["supports_inline_queries"] = json!(false);
            me["can_connect_to_business"] = json!(false);
            me["has_main_web_app"] = json!(false);
            me
        }
        "deletewebhook" | "setmycommands" | "answercallbackquery" => json!(true),
        "getupdates" => {
            let offset = body["offset"].as_i64().unwrap_or(0);
            let deadline = Instant::now() + Duration::from_millis(500);
            loop {
                {
                    let mut q = fake.updates.lock().expect("lock");
                    q.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    if !q.is_empty() {
                        break json!(q.iter().cloned().collect::<Vec<_>>());
                    }
                }
                if Instant::now() > deadline {
                    break json!([]);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        "getfile" => {
            let id = body["file_id"].as_str().unwrap_or_default().to_owned();
            json!({"file_id": id, "file_unique_id": format!("u-{id}"), "file_size": 1000, "file_path": format!("photos/{id}.jpg")})
        }
        "sendmessage" | "senddocument" | "editmessagetext" | "editmessagereplymarkup" => {
            let mut n = fake.next_message.lock().expect("lock");
            *n += 1;
            let text = body["text"].as_str().unwrap_or("(file)").to_owned();
            message(1000 + *n, user(42, true), json!({"text": text}))
        }
        _ => return (axum::http::StatusCode::NOT_FOUND, Json(json!({"ok": false, "error_code": 404, "description": "Not Found: method not found"}))).into_response(),
    };
    Json(json!({"ok": true, "result": result})).into_response()
}

/// GET {api}/file/bot{token}/{file_path}; teloxide sends the file path as
/// one percent-encoded segment ("photos%2Fx.jpg").
async fn file(State(fake): State<Arc<Fake>>, uri: axum::http::Uri) -> axum::response::Response {
    let raw = uri
        .path()
        .trim_start_matches('/')
        .replace("%2F", "/")
        .replace("%2f", "/");
    let Some(path) = raw
        .strip_prefix(&format!("file/bot{TOKEN}/"))
        .map(str::to_owned)
    else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    match fake
        .files
        .lock()
        .expect("lock")
        .iter()
        .find(|(p, _)| *p == path)
    {
        Some((_, bytes)) => bytes.clone().into_response(),
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

async fn serve(fake: Arc<Fake>) -> SocketAddr {
    let app = Router::new()
        .route("/{bot}/{method}", post(api))
        .fallback(get(file))
        .with_state(fake);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    addr
}

async fn wait_for(fake: &Fake, what: &str, found: impl Fn(&Fake) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !found(fake) {
        if Instant::now() > deadline {
            let calls = fake.calls.lock().expect("lock");
            let last: Vec<_> = calls.iter().filter(|(m, _)| m != "getupdates").collect();
            panic!("timed out waiting for {what}; calls other than getUpdates: {last:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn sent_texts(fake: &Fake) -> Vec<String> {
    fake.calls("sendMessage")
        .iter()
        .filter_map(|b| b["text"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn question_photo_and_button_through_the_real_binary() {
    let shop = common::shop().await;
    let fake = Arc::new(Fake::default());
    let addr = serve(fake.clone()).await;
    let a1 = Payload::Box(spares_core::LocationCode::parse("A1").expect("code"));
    fake.files
        .lock()
        .expect("lock")
        .push(("photos/label-a1.jpg".into(), common::label_photo(&a1, true)));

    let mut child = Command::new(env!("CARGO_BIN_EXE_spares-bot"))
        .env_clear()
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", format!("http://{addr}/"))
        .env("SPARES_DATABASE_URL", &shop.url)
        .env("SPARES_BOT_ALLOWED_USERS", common::ALLOWED.to_string())
        .env("SPARES_PUBLIC_URL", common::PUBLIC_URL)
        .env("SPARES_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn spares-bot");

    wait_for(&fake, "setMyCommands", |f| {
        !f.calls("setMyCommands").is_empty()
    })
    .await;
    let commands = fake.calls("setMyCommands")[0]["commands"].clone();
    let names: Vec<&str> = commands
        .as_array()
        .expect("commands")
        .iter()
        .filter_map(|c| c["command"].as_str())
        .collect();
    for want in [
        "find", "box", "add", "use", "undo", "low", "label", "export",
    ] {
        assert!(names.contains(&want), "menu lacks /{want}: {names:?}");
    }

    // A question.
    fake.push(json!({"message": message(1, user(CHAT, false), json!({"text": "do I have a 10k resistor"}))}));
    wait_for(&fake, "the answer", |f| {
        sent_texts(f)
            .iter()
            .any(|t| t.starts_with("Yes: 150 × 10 kΩ 0805 in A1"))
    })
    .await;

    // A photo of box A1's label (degraded JPEG), downloaded over HTTP.
    fake.push(json!({"message": message(2, user(CHAT, false), json!({"photo": [
        {"file_id": "label-a1-small", "file_unique_id": "s", "width": 90, "height": 68, "file_size": 900},
        {"file_id": "label-a1", "file_unique_id": "l", "width": 1600, "height": 1200, "file_size": 150000}
    ]}))}));
    wait_for(&fake, "the box's contents", |f| {
        sent_texts(f).iter().any(|t| t.starts_with("In A1: "))
    })
    .await;
    let get_file = fake.calls("getFile");
    assert_eq!(
        get_file[0]["file_id"], "label-a1",
        "the largest size is read"
    );

    // A button press on the resistor's card.
    let id = shop.resistor.id;
    fake.push(json!({"callback_query": {
        "id": "press-1",
        "from": user(CHAT, false),
        "chat_instance": "c",
        "data": format!("a:{id}:-1"),
        "message": message(1001, user(42, true), json!({"text": "card"}))
    }}));
    wait_for(&fake, "the press answered", |f| {
        !f.calls("answerCallbackQuery").is_empty()
    })
    .await;
    let answer = &fake.calls("answerCallbackQuery")[0];
    assert_eq!(answer["text"], "-1 → 149 left");
    wait_for(&fake, "the card edited", |f| {
        f.calls("editMessageText").iter().any(|b| {
            b["text"]
                .as_str()
                .is_some_and(|t| t.contains("149 × 10 kΩ 0805 in A1"))
        })
    })
    .await;
    assert_eq!(
        shop.store
            .get_spare(id)
            .await
            .expect("spare")
            .quantity
            .get(),
        149
    );

    // ECS stops tasks with SIGTERM: the bot finishes and exits 0.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "spares-bot did not stop on SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut stderr);
    }
    assert!(exit.success(), "exit {exit:?}; stderr:\n{stderr}");
    assert!(stderr.contains("spares-bot stopped"), "{stderr}");
    assert!(
        !stderr.contains(TOKEN.split(':').nth(1).expect("secret")),
        "the token is never logged"
    );
}

fn start_with(vars: &[(&str, &str)]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_spares-bot"))
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn missing_or_malformed_settings_stop_the_start_with_a_clear_message() {
    let (code, err) = start_with(&[("SPARES_BOT_ALLOWED_USERS", "1")]);
    assert_ne!(code, 0);
    assert!(err.contains("TELOXIDE_TOKEN is not set"), "{err}");
    let (code, err) = start_with(&[("TELOXIDE_TOKEN", TOKEN)]);
    assert_ne!(code, 0);
    assert!(err.contains("SPARES_BOT_ALLOWED_USERS is not set"), "{err}");
    let (code, err) = start_with(&[
        ("TELOXIDE_TOKEN", TOKEN),
        ("SPARES_BOT_ALLOWED_USERS", "123,@bob"),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("\"@bob\" is not a Telegram user id"), "{err}");
    let (code, err) = start_with(&[
        ("TELOXIDE_TOKEN", "not a token"),
        ("SPARES_BOT_ALLOWED_USERS", "1"),
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains("TELOXIDE_TOKEN does not look like a bot token"),
        "{err}"
    );
    assert!(
        !err.contains("not a token"),
        "the value is not echoed: {err}"
    );
    let dir = tempfile::tempdir().expect("dir");
    let bad_db = format!("sqlite://{}/missing/dir/x.db", dir.path().display());
    let (code, err) = start_with(&[
        ("TELOXIDE_TOKEN", TOKEN),
        ("SPARES_BOT_ALLOWED_USERS", "1"),
        ("SPARES_DATABASE_URL", &bad_db),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("opening the database"), "{err}");
}
