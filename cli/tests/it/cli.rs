//! The `spares` binary as a person uses it: import, export, serve.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use crate::binary::spares;
use crate::helpers::TestApp;

const CSV: &str = "\
category,reference,value,package,quantity,unit_price,currency,location,shop,description,tags,voltage,tolerance,power,dielectric,color
resistor,RC0805FR-0710KL,10k,0805,150,0.012,EUR,A1,LCSC,thick film,smd e96,,1%,1/8W,,
resistor,CFR-25JB-52-10K,10k,,40,0.02,EUR,b1,Mouser,\"carbon film, 5%\",tht,,±5%,1/4W,,
capacitor,CL21B104KBCNNNC,100n,0805,80,0.01,EUR,A2,LCSC,,smd,50V,10%,,X7R,
led,L-53GD,,5mm,25,,,C2,,green LED,,2.1V,,,,green
regulator,LM7805CT,5V,TO-220,3,0.45,USD,C2,Mouser,,tht,,,,,
";

fn write(app: &TestApp, name: &str, text: &str) -> String {
    let path = app.dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

#[tokio::test]
async fn import_then_export_round_trips_exactly() {
    let app = TestApp::new().await;
    let csv = write(&app, "parts.csv", CSV);
    let out = spares(&app.db_url(), &["import", &csv]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Imported 5 spares"));

    let first = spares(&app.db_url(), &["export"]);
    assert!(first.status.success());
    let exported = String::from_utf8(first.stdout).expect("utf-8");
    assert_eq!(exported.lines().count(), 6);

    // Into a second, empty database: the export reads back to the same export.
    let other = TestApp::new().await;
    let again = write(&other, "again.csv", &exported);
    assert!(
        spares(&other.db_url(), &["import", &again])
            .status
            .success()
    );
    let second = spares(&other.db_url(), &["export"]);
    assert_eq!(String::from_utf8(second.stdout).expect("utf-8"), exported);
}

#[tokio::test]
async fn a_bad_row_names_line_and_column_and_imports_nothing() {
    let app = TestApp::new().await;
    let good = write(&app, "good.csv", CSV);
    assert!(spares(&app.db_url(), &["import", &good]).status.success());
    let before = spares(&app.db_url(), &["export"]).stdout;

    let bad = write(
        &app,
        "bad.csv",
        "category,value,quantity,location\nresistor,1k,5,A1\nresistor,2k2,5,A1\ncapacitor,10kk,3,A1\n",
    );
    let out = spares(&app.db_url(), &["import", &bad]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 4, column \"value\""), "{err}");
    assert!(err.contains("Nothing was imported"), "{err}");
    assert_eq!(
        spares(&app.db_url(), &["export"]).stdout,
        before,
        "the database is unchanged"
    );
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_refused_with_a_clear_message() {
    let app = TestApp::new().await;
    let path = app.dir.join("notes.txt");
    std::fs::write(&path, "shopping list").expect("write");
    let out = spares(&format!("sqlite://{}", path.display()), &["export"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a Spares database"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "shopping list"
    );

    let missing = app.dir.join("missing").join("x.db");
    let out = spares(&format!("sqlite://{}", missing.display()), &["export"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[tokio::test]
async fn a_database_from_a_newer_spares_is_refused_and_left_untouched() {
    let app = TestApp::new().await;
    let path = app.dir.join("future.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("create");
        conn.execute_batch("CREATE TABLE t (x); PRAGMA user_version = 42;")
            .expect("future schema");
    }
    let before = std::fs::read(&path).expect("read");
    let out = spares(&format!("sqlite://{}", path.display()), &["export"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("newer Spares (schema version 42"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[tokio::test]
async fn bad_configuration_is_reported_before_anything_runs() {
    let app = TestApp::new().await;
    let out = Command::new(env!("CARGO_BIN_EXE_spares"))
        .env("SPARES_DATABASE_URL", app.db_url())
        .env("SPARES_LISTEN", "not-an-address")
        .arg("serve")
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--listen"));
    let out = spares(&app.db_url(), &["--currency", "EURO", "export"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a currency"));
    let out = spares("postgres://db/spares", &["export"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database URL"));
}

#[tokio::test]
async fn sign_in_settings_are_checked_at_start() {
    let app = TestApp::new().await;
    let serve = |envs: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_spares"));
        c.env("SPARES_DATABASE_URL", app.db_url())
            .env("SPARES_LISTEN", "127.0.0.1:0")
            .env_remove("SPARES_ADMIN_PASSWORD_HASH")
            .env_remove("SPARES_SESSION_SECRET")
            .env_remove("SPARES_READ_ACCESS");
        for (k, v) in envs {
            c.env(k, v);
        }
        c.arg("serve").output().expect("run")
    };
    let out = serve(&[("SPARES_ADMIN_PASSWORD_HASH", "hunter2")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SPARES_ADMIN_PASSWORD_HASH") && err.contains("spares hash-password"),
        "{err}"
    );
    assert!(
        !err.contains("hunter2"),
        "the secret is not repeated: {err}"
    );
    let out = serve(&[("SPARES_SESSION_SECRET", "short")]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 32 characters"));
    let out = serve(&[("SPARES_READ_ACCESS", "private")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nobody could read"));
}

#[test]
fn hash_password_prints_a_hash_that_verifies() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_spares"))
        .arg("hash-password")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"solder and flux\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(!printed.contains("solder"));
    let hash = spares_web::auth::PasswordHash::parse(printed.trim()).expect("an argon2 hash");
    assert!(hash.verify("solder and flux"));
    assert!(!hash.verify("solder and flux\n"));
}

/// `spares serve` on a free port answers a question over real HTTP, and
/// stops cleanly on SIGTERM.
#[tokio::test]
async fn serve_answers_over_http_and_stops_on_sigterm() {
    let app = TestApp::new().await;
    let csv = write(&app, "parts.csv", CSV);
    assert!(spares(&app.db_url(), &["import", &csv]).status.success());

    let mut child = Command::new(env!("CARGO_BIN_EXE_spares"))
        .env("SPARES_DATABASE_URL", app.db_url())
        .env("RUST_LOG", "info")
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("server printed its address")
            .expect("line");
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split_whitespace().next().expect("address").to_owned();
        }
    };
    let mut stream = TcpStream::connect(&addr).expect("connect");
    write!(
        stream,
        "GET /api/spares?q=green%20led HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("x-request-id"), "{response}");
    assert!(response.contains("L-53GD"), "{response}");

    // The container's HEALTHCHECK command: 0 while the server answers.
    let health = Command::new(env!("CARGO_BIN_EXE_spares"))
        .args(["healthcheck", "--listen", &addr])
        .output()
        .expect("healthcheck");
    assert!(
        health.status.success(),
        "{}",
        String::from_utf8_lossy(&health.stderr)
    );

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let status = child.wait().expect("wait");
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
    let health = Command::new(env!("CARGO_BIN_EXE_spares"))
        .args(["healthcheck", "--listen", &addr])
        .output()
        .expect("healthcheck");
    assert!(!health.status.success(), "no server, unhealthy");
    assert!(String::from_utf8_lossy(&health.stderr).contains("health check"));
}

/// `spares migrate` copies a SQLite database into MongoDB and back: ids,
/// times, boxes, shops and history survive; the CSV exports are identical.
#[tokio::test]
#[ignore = "needs the MongoDB test server (pip secantusdb) or SPARES_TEST_MONGODB_URI: run scripts/test"]
async fn migrate_sqlite_to_mongodb_and_back_keeps_everything() {
    let first = TestApp::new().await;
    let csv = write(&first, "parts.csv", CSV);
    assert!(spares(&first.db_url(), &["import", &csv]).status.success());
    let mongo = spares_store::fresh_mongodb_uri();

    let out = spares(&first.db_url(), &["migrate", "--to", &mongo]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Copied 5 spares"), "{err}");
    assert!(err.contains("checksum"), "{err}");

    let back = TestApp::new().await;
    let out = spares(
        &back.db_url(),
        &["migrate", "--from", &mongo, "--to", &back.db_url()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        spares(&first.db_url(), &["export"]).stdout,
        spares(&back.db_url(), &["export"]).stdout
    );
    let original = first.store.export().await.expect("export");
    let returned = back.store.export().await.expect("export");
    assert_eq!(
        original, returned,
        "ids, times, boxes and shops survive the round trip"
    );
    assert_eq!(
        first.store.all_movements().await.expect("history"),
        back.store.all_movements().await.expect("history")
    );

    // A target that is not empty is refused, and left as it was.
    let out = spares(&first.db_url(), &["migrate", "--to", &back.db_url()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    assert_eq!(back.store.export().await.expect("export"), returned);
}
