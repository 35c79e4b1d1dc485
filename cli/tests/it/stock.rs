//! `spares ask`, `add`, `use`, `undo`: the bot's conversation at a
//! terminal, with the same sentences as the bot and the API.

use std::process::{Command, Output};

use crate::helpers::TestApp;

/// Runs `spares` as the terminal user `user`.
fn as_user(user: &str, db_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spares"))
        .env("SPARES_DATABASE_URL", db_url)
        .env("USER", user)
        .env_remove("RUST_LOG")
        .args(args)
        .output()
        .expect("run spares")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn quantity(app: &TestApp, id: i64) -> i64 {
    app.store
        .get_spare(spares_core::SpareId(id))
        .await
        .expect("spare")
        .quantity
        .get()
}

#[tokio::test]
async fn a_person_at_a_terminal_adds_asks_uses_and_undoes() {
    let app = TestApp::new().await;
    let db = app.db_url();

    let out = as_user("ada", &db, &["add", "100 x 10k 0805 in A1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "Added #1: 100 × 10 kΩ 0805 in A1.");
    assert_eq!(quantity(&app, 1).await, 100);

    // The answer is the one the API (and the bot) give, then the parts.
    let question = "do I have a 10k resistor";
    let out = as_user("ada", &db, &["ask", question]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (status, api) = app.get("/api/spares?q=do+I+have+a+10k+resistor").await;
    assert_eq!(status, 200);
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(lines.next(), api["answer"].as_str());
    assert!(text.contains("#1"), "{text}");

    let out = as_user("ada", &db, &["use", "1", "5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "Took 5: 95 left of #1 10 kΩ 0805.");
    // Words that match exactly one part name it too.
    let out = as_user("ada", &db, &["use", "10k 0805", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(quantity(&app, 1).await, 93);

    // Someone else's change is not ours to undo.
    let out = as_user("bob", &db, &["use", "#1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(quantity(&app, 1).await, 92);

    // Too many: refused, nothing taken, exit status 1.
    let out = as_user("ada", &db, &["use", "1", "500"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Only 92 left of #1; nothing was taken."),
        "{}",
        stderr(&out)
    );
    assert_eq!(quantity(&app, 1).await, 92);

    // Undo walks back through ada's own changes, newest first.
    let out = as_user("ada", &db, &["undo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("Undone (2 taken): #1 10 kΩ 0805"),
        "{}",
        stdout(&out)
    );
    assert_eq!(quantity(&app, 1).await, 94);
    assert!(as_user("ada", &db, &["undo"]).status.success());
    assert_eq!(quantity(&app, 1).await, 99, "bob's 1 stays taken");
}

#[tokio::test]
async fn what_a_terminal_cannot_do_is_said_and_changes_nothing() {
    let app = TestApp::new().await;
    let db = app.db_url();
    assert!(
        as_user("ada", &db, &["add", "10 x 4k7 0603 in B2"])
            .status
            .success()
    );

    for (args, said) in [
        (vec!["add", "ten resistors"], "Start with how many"),
        (vec!["add", "5 x 10k in no space!"], "Box"),
        (vec!["use", "0", "1"], "not a part number"),
        (vec!["use", "1", "0"], "take at least 1"),
        (vec!["use", "99"], "There is no part #99."),
        (vec!["use", "NE555"], "No part matches"),
        (vec!["undo"], ""),
    ] {
        let user = if args == ["undo"] { "carol" } else { "ada" };
        let out = as_user(user, &db, &args);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
    let out = as_user("carol", &db, &["undo"]);
    assert!(stderr(&out).contains("There is no change of yours to undo."));
    assert_eq!(quantity(&app, 1).await, 10);
    assert_eq!(app.store.count_spares().await.expect("count"), 1);

    // Nothing there: the answer says so, exit status 1 (for scripts).
    let out = as_user("ada", &db, &["ask", "any 100nF caps"]);
    assert!(!out.status.success());
    assert!(stdout(&out).starts_with("No "), "{}", stdout(&out));
}
