//! `spares check`: can I build this, at the terminal — a BOM, a KiCad
//! schematic with its sheet, a typed list on standard input; the exit code
//! says whether the boards can be built; bad input names the file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::helpers::TestApp;

fn bom(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../bom/tests")
        .join(path)
}

fn spares(db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spares"))
        .env("SPARES_DATABASE_URL", db)
        .env_remove("RUST_LOG")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run spares");
    if let Some(text) = stdin
        && let Some(mut input) = child.stdin.take()
    {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    child.wait_with_output().expect("wait")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A small stock: what the KiCad BOM sample needs, except its 10 µF 1206
/// (0805 in stock) and enough NE555 for two boards only.
async fn stock(app: &TestApp) {
    let db = app.db_url();
    for line in [
        "100 x 100n capacitor 0805 in C1",
        "50 x 10u capacitor 0805 in C2",
        "20 x LED red 0805 in D1",
        "200 x 10k 0805 in A1",
        "50 x 4k7 0805 in A2",
        "2 x NE555 DIP-8 in E1",
    ] {
        let out = spares(&db, &["add", line], None);
        assert!(out.status.success(), "{line}: {}", text(&out));
    }
}

#[tokio::test]
async fn a_bom_is_checked_for_some_boards_and_the_exit_code_says_if_they_can_be_built() {
    let app = TestApp::new().await;
    stock(&app).await;
    let db = app.db_url();
    let file = bom("tables/kicad9-export.csv");
    let file = file.to_str().expect("path");

    let out = spares(&db, &["check", file], None);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains("kicad9-export.csv (KiCad BOM, 6 lines) for 1 board"),
        "{t}"
    );
    assert!(t.contains("take 4 from A1"), "{t}");
    assert!(t.contains("Boxes to visit:\n  A1: 4 × 10 kΩ 0805"), "{t}");
    assert!(
        t.contains("10 µF 0805") && t.contains("0805 instead of 1206"),
        "{t}"
    );
    assert!(
        t.contains("You can build 0 boards from stock now (1 asked)"),
        "{t}"
    );

    // Without the 10 µF 1206 line the stock builds two boards, not three.
    let csv = std::fs::read_to_string(file).expect("read");
    let without: String = csv
        .lines()
        .filter(|l| !l.contains("1206"))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = tempfile::tempdir().expect("dir");
    let smaller = dir.path().join("bom.csv");
    std::fs::write(&smaller, without).expect("write");
    let smaller = smaller.to_str().expect("path");
    let out = spares(&db, &["check", smaller, "--boards", "2"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("You can build 2 boards"),
        "{}",
        text(&out)
    );
    let out = spares(&db, &["check", smaller, "-n", "3"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("short"), "{}", text(&out));
    // Checking changes nothing.
    let out = spares(&db, &["ask", "NE555"], None);
    assert!(text(&out).contains("2 ×"), "{}", text(&out));
}

#[tokio::test]
async fn a_typed_list_on_standard_input_and_a_schematic_with_its_sheet() {
    let app = TestApp::new().await;
    stock(&app).await;
    let db = app.db_url();
    let out = spares(
        &db,
        &["check", "-"],
        Some("2x NE-555\n4 x 10 kilo ohm 0805\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("standard input (list, 2 lines)"),
        "{}",
        text(&out)
    );

    let root = bom("designs/complex_hierarchy/complex_hierarchy.kicad_sch");
    let sheet = bom("designs/complex_hierarchy/ampli_ht.kicad_sch");
    let out = spares(&db, &["check", root.to_str().expect("p")], None);
    assert!(
        text(&out).contains("ampli_ht.kicad_sch was not given"),
        "{}",
        text(&out)
    );
    let out = spares(
        &db,
        &[
            "check",
            root.to_str().expect("p"),
            sheet.to_str().expect("p"),
        ],
        None,
    );
    let t = text(&out);
    assert!(t.contains("(KiCad schematic, 24 lines)"), "{t}");
    assert!(!t.contains("was not given"), "{t}");
}

#[tokio::test]
async fn bad_input_names_the_file_and_changes_nothing() {
    let app = TestApp::new().await;
    let db = app.db_url();
    let unknown = bom("tables/unknown-columns.csv");
    let out = spares(&db, &["check", unknown.to_str().expect("p")], None);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(
        t.contains("unknown-columns.csv: the columns “Item”, “Pcs”, “What”"),
        "{t}"
    );
    assert!(t.contains("--columns"), "{t}");
    let out = spares(
        &db,
        &[
            "check",
            unknown.to_str().expect("p"),
            "--columns",
            "quantity=Pcs, value=What",
        ],
        None,
    );
    assert!(
        text(&out).contains("(BOM table, 2 lines)"),
        "{}",
        text(&out)
    );
    let out = spares(&db, &["check", "-", "--boards", "0"], Some("1x NE555\n"));
    assert!(
        text(&out).contains("--boards must be between 1"),
        "{}",
        text(&out)
    );
    let out = spares(&db, &["check", "-"], Some("0x NE555\n"));
    assert!(
        text(&out).contains("standard input line 1: a quantity of 0"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn a_saved_project_is_built_undone_and_shopped_for() {
    let app = TestApp::new().await;
    stock(&app).await;
    let db = app.db_url();
    let list = "4x 10k 0805\n1x NE555\n2x 100nF 0805\n";
    let out = spares(&db, &["check", "-", "--save", "Timer"], Some(list));
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Saved project #1 “Timer” (3 lines): spares build \"Timer\""),
        "{}",
        text(&out)
    );
    // The same name again: refused, nothing saved.
    let out = spares(&db, &["check", "-", "--save", "timer"], Some(list));
    assert!(!out.status.success());
    assert!(
        text(&out).contains("another project has that name"),
        "{}",
        text(&out)
    );
    let out = spares(&db, &["projects"], None);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "#1  Timer  (3 lines, from typed list; 0 builds)\n"
    );
    // Three boards need 3 NE555: 2 in stock. Refused, nothing taken.
    let out = spares(&db, &["build", "timer", "--boards", "3"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains(
            "Cannot build 3 × Timer; nothing was taken. Line 2 (NE555) is short: 2 of 3 in stock."
        ),
        "{}",
        text(&out)
    );
    let out = spares(&db, &["ask", "NE555"], None);
    assert!(text(&out).contains("2 ×"), "{}", text(&out));
    // Two boards: built; one NE555 short for a third board.
    let out = spares(&db, &["build", "#1", "-n", "2"], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Built 2 × Timer: took 14 parts from 3 spares. Build #1 (spares build --undo 1 puts them back)."),
        "{}",
        text(&out)
    );
    // A new design for it: its lines replaced, its builds kept.
    let out = spares(
        &db,
        &["check", "-", "--replace", "timer"],
        Some("1x NE555\n2x 100nF 0805\n"),
    );
    // The two NE555 in stock went into the build: exit 1, kept all the same.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("New design for project #1 “Timer”: 2 lines (was 3); spares chosen by hand were cleared, builds are kept."),
        "{}",
        text(&out)
    );
    let out = spares(&db, &["projects"], None);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "#1  Timer  (2 lines, from typed list; 1 build)\n"
    );
    let out = spares(
        &db,
        &["check", "-", "--replace", "Nope"],
        Some("1x NE555\n"),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("no project “Nope”"), "{}", text(&out));
    let out = spares(&db, &["check", "-", "--replace", "Timer"], Some("\n"));
    assert!(!out.status.success());
    let out = spares(&db, &["projects"], None);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("(2 lines, "),
        "{}",
        text(&out)
    );
    // Back to the three lines for what follows.
    let out = spares(&db, &["check", "-", "--replace", "#1"], Some(list));
    assert!(text(&out).contains("3 lines (was 2)"), "{}", text(&out));
    let out = spares(
        &db,
        &["shopping", "Timer", "--boards", "1", "--format", "lcsc"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Quantity,LCSC Part Number,Manufacture Part Number,Manufacturer,Description,Customer Part Number\n1,,,,NE555,NE555\n"
    );
    let out = spares(&db, &["build", "--undo", "1"], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Build #1 undone: 14 parts put back."),
        "{}",
        text(&out)
    );
    let out = spares(&db, &["build", "--undo", "1"], None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("build #1 was undone already"),
        "{}",
        text(&out)
    );
    // Enough for one board: nothing to order, exit 1.
    let out = spares(&db, &["shopping", "Timer"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("Nothing to order"), "{}", text(&out));
    for (args, says) in [
        (&["build", "Nope"][..], "no project “Nope”"),
        (
            &["shopping", "Timer", "--format", "ebay"][..],
            "choose plain, lcsc, mouser or digikey",
        ),
        (
            &["build", "Timer", "--boards", "0"][..],
            "--boards must be between 1",
        ),
    ] {
        let out = spares(&db, args, None);
        assert!(!out.status.success(), "{args:?}");
        assert!(text(&out).contains(says), "{args:?}: {}", text(&out));
    }
}
