//! "Can I build this?" against a fixed inventory (`data/inventory.csv`,
//! 302 parts with real part numbers): real designs (`spares-bom`'s
//! `tests/designs`), BOM tables and pasted lists, each checked for some
//! boards and compared with `data/projects/<case>.expected` — per line the
//! verdict, what was understood, what is taken from which box, the
//! substitutes; then how many boards the stock builds and the cost.
//!
//! After a deliberate change, `SPARES_BLESS=1 cargo test -p spares-core
//! --test projects` rewrites the expected files; read the diff before
//! committing it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use spares_bom::{File, read_files, read_pasted};
use spares_core::csv_io::read_spares;
use spares_core::project::{
    BuildError, Check, Project, ProjectData, ProjectName, ShopFormat, Verdict, build, check,
    check_lines, rename, replace_design, save, shopping, shopping_list, undo,
};
use spares_core::{Change, Source, Store};
use spares_sqlite::SqliteStore;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn bom_data(path: &str) -> File {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../bom/tests")
        .join(path);
    File {
        name: path.rsplit('/').next().unwrap_or(path).to_owned(),
        bytes: std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display())),
    }
}

async fn inventory() -> (tempfile::TempDir, Arc<dyn Store>) {
    let spares = read_spares(
        std::fs::read(data().join("inventory.csv"))
            .expect("inventory.csv")
            .as_slice(),
        None,
    )
    .expect("inventory parses");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(dir.path().join("projects.db"))
        .await
        .expect("open");
    store
        .import(spares, &Change::new(Source::Import, "test"), None)
        .await
        .expect("import");
    (dir, Arc::new(store))
}

fn render(c: &Check) -> String {
    let mut out = String::new();
    for l in &c.lines {
        let name = if l.line.text.is_empty() {
            l.line.designators_text()
        } else {
            l.line.text.clone()
        };
        out.push_str(&format!(
            "{name} — {} of {} — {} — understood: {}\n",
            l.have.min(l.needed),
            l.needed,
            l.verdict.name(),
            l.understood
        ));
        for t in &l.takes {
            out.push_str(&format!(
                "    take {} × {} from {}\n",
                t.quantity,
                t.spare.reference,
                t.spare.location.as_ref().map_or("no box", |b| b.as_str())
            ));
        }
        for s in &l.substitutes {
            out.push_str(&format!("    substitute: {} — {}\n", s.what, s.why));
        }
        for n in &l.notes {
            out.push_str(&format!("    note: {n}\n"));
        }
    }
    let cost: Vec<String> = c
        .cost
        .iter()
        .map(|m| format!("{} {}", m.amount().normalize(), m.currency().as_str()))
        .collect();
    out.push_str(&format!(
        "boards asked {}, buildable {}; enough {}, short {}, substitute {}, missing {}; cost {} ({} lines unpriced)\n",
        c.boards,
        c.buildable,
        c.count(spares_core::project::Verdict::Enough),
        c.count(spares_core::project::Verdict::Short),
        c.count(spares_core::project::Verdict::Substitute),
        c.count(spares_core::project::Verdict::Missing),
        if cost.is_empty() { "-".to_owned() } else { cost.join(" + ") },
        c.unpriced
    ));
    out
}

fn compare(name: &str, got: &str) {
    let path = data().join("projects").join(format!("{name}.expected"));
    if std::env::var_os("SPARES_BLESS").is_some() {
        std::fs::write(&path, got).expect("write");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (SPARES_BLESS=1 once)", path.display()));
    assert_eq!(got, want, "{name}: differs from {}", path.display());
}

/// (case, files under bom/tests, boards)
const DESIGNS: &[(&str, &[&str], u32)] = &[
    ("ecc83-1", &["designs/ecc83-pp-kicad6.kicad_sch"], 1),
    (
        "complex-hierarchy-1",
        &[
            "designs/complex_hierarchy/complex_hierarchy.kicad_sch",
            "designs/complex_hierarchy/ampli_ht.kicad_sch",
        ],
        1,
    ),
    ("stickhub-1", &["designs/stickhub/StickHub.kicad_sch"], 1),
    ("kicad-bom-1", &["tables/kicad9-export.csv"], 1),
    ("kicad-bom-20", &["tables/kicad9-export.csv"], 20),
    ("legacy-bom-1", &["tables/kicad-legacy-grouped.csv"], 1),
    ("jlcpcb-1", &["tables/jlcpcb.csv"], 1),
];

#[tokio::test]
async fn designs_checked_against_the_inventory() {
    let (_dir, store) = inventory().await;
    for (name, paths, boards) in DESIGNS {
        let files: Vec<File> = paths.iter().map(|p| bom_data(p)).collect();
        let design = read_files(&files, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        let checked = check(store.as_ref(), &design, *boards)
            .await
            .expect("check");
        compare(name, &render(&checked));
    }
}

#[tokio::test]
async fn a_pasted_list_checked_against_the_inventory() {
    let (_dir, store) = inventory().await;
    let list = std::fs::read_to_string(data().join("projects/blinky-list.txt")).expect("list");
    let design = read_pasted("blinky-list.txt", &list).expect("read");
    for boards in [1, 3] {
        let checked = check(store.as_ref(), &design, boards).await.expect("check");
        compare(&format!("blinky-list-{boards}"), &render(&checked));
    }
}

async fn blinky(store: &Arc<dyn Store>) -> Project {
    let list = std::fs::read_to_string(data().join("projects/blinky-list.txt")).expect("list");
    let design = read_pasted("blinky-list.txt", &list).expect("read");
    store
        .create_project(ProjectData::new(
            ProjectName::parse("Blinky").expect("name"),
            vec!["blinky-list.txt".into()],
            design.lines,
        ))
        .await
        .expect("save")
}

fn someone() -> Change {
    Change::new(Source::Web, "tester")
}

#[tokio::test]
async fn building_takes_every_line_and_undo_puts_it_back() {
    let (_dir, store) = inventory().await;
    let project = blinky(&store).await;
    let before = store.export().await.expect("export").spares;
    let built = build(store.as_ref(), &project, 3, &someone())
        .await
        .expect("the stock builds 3");
    assert_eq!(built.build.boards, 3);
    // 1N4148 is on two lines: taken once, summed (3 + 6 parts).
    let diode = built
        .check
        .lines
        .iter()
        .find(|l| l.line.text == "1N4148")
        .and_then(|l| l.takes.first())
        .map(|t| t.spare.id)
        .expect("a diode line");
    let diode_take = built
        .build
        .takes
        .iter()
        .find(|t| t.spare == diode)
        .expect("diode taken");
    assert_eq!(diode_take.quantity, 9);
    let after = store.export().await.expect("export").spares;
    for t in &built.build.takes {
        let was = before
            .iter()
            .find(|s| s.id == t.spare)
            .expect("spare")
            .quantity;
        let now = after
            .iter()
            .find(|s| s.id == t.spare)
            .expect("spare")
            .quantity;
        assert_eq!(
            was.get() - now.get(),
            t.quantity as i64,
            "spare #{}",
            t.spare
        );
    }
    let history = store.history(diode, 1).await.expect("history");
    assert_eq!(history[0].reason.as_deref(), Some("build Blinky ×3"));
    undo(store.as_ref(), built.build.id, &someone())
        .await
        .expect("undo");
    assert_eq!(
        store.export().await.expect("export").spares.len(),
        before.len()
    );
    for s in store.export().await.expect("export").spares {
        let was = before.iter().find(|b| b.id == s.id).expect("spare");
        assert_eq!(s.quantity, was.quantity, "spare #{} put back", s.id);
    }
}

#[tokio::test]
async fn a_short_line_stops_the_build_names_the_line_and_takes_nothing() {
    let (_dir, store) = inventory().await;
    let project = blinky(&store).await;
    let before = store.export().await.expect("export");
    match build(store.as_ref(), &project, 50, &someone()).await {
        Err(BuildError::Short { lines, .. }) => {
            let all = lines.join(" ");
            assert!(
                all.contains("Line 9 (ATmega328P) is short: 3 of 50 in stock."),
                "names the line: {all}"
            );
        }
        other => panic!("expected a short line, got {other:?}"),
    }
    assert_eq!(store.export().await.expect("export"), before);
    assert!(store.builds(project.id).await.expect("builds").is_empty());
}

#[tokio::test]
async fn a_spare_chosen_by_hand_is_the_lines_only_candidate_and_is_kept() {
    let (_dir, store) = inventory().await;
    let mut project = blinky(&store).await;
    let checked = check_lines(store.as_ref(), &project.data.lines, 1, &BTreeMap::new())
        .await
        .expect("check");
    // Line 2 (2x 10k 0805): choose the spare line 8 (4,7k) takes instead.
    let other = checked.lines[7].takes[0].spare.id;
    assert_ne!(checked.lines[1].takes[0].spare.id, other);
    project.data.overrides.insert(1, other);
    let project = store
        .update_project(project.id, project.data.clone())
        .await
        .expect("kept");
    assert_eq!(project.data.overrides.get(&1), Some(&other));
    let again = check_lines(
        store.as_ref(),
        &project.data.lines,
        1,
        &project.data.overrides,
    )
    .await
    .expect("check");
    assert_eq!(again.lines[1].chosen, Some(other));
    assert_eq!(again.lines[1].takes[0].spare.id, other);
    assert!(again.lines[1].notes[0].starts_with("chosen by hand"));
    // A chosen spare deleted since: noted, matched as usual.
    store.delete_spare(other).await.expect("delete");
    let gone = check_lines(
        store.as_ref(),
        &project.data.lines,
        1,
        &project.data.overrides,
    )
    .await
    .expect("check");
    assert_eq!(gone.lines[1].chosen, None);
    assert!(gone.lines[1].notes.iter().any(|n| n.contains("is gone")));
    assert_eq!(gone.lines[1].verdict, Verdict::Enough);
}

#[tokio::test]
async fn the_shopping_list_orders_what_is_short_in_every_format() {
    let (_dir, store) = inventory().await;
    let design = read_pasted(
        "order.txt",
        "2x 10k 0805\n3x LM7805XYZ\n4x 2.2uF 0603 50V\n",
    )
    .expect("read");
    let mut design = design;
    design.lines[1].mpn = "LM7805XYZ".into();
    design.lines[1].manufacturer = "Acme".into();
    design.lines[1]
        .suppliers
        .insert("LCSC".into(), "C999999".into());
    let checked = check(store.as_ref(), &design, 2).await.expect("check");
    let list = shopping_list(&checked, 1);
    let mut got: String = ShopFormat::ALL
        .iter()
        .map(|f| format!("== {}\n{}", f.key(), shopping::write(&list, *f)))
        .collect();
    // A real design for 5 boards, no margin: values in words, part
    // numbers and LCSC numbers from the schematic.
    for (name, paths) in [
        ("StickHub", &["designs/stickhub/StickHub.kicad_sch"][..]),
        ("ecc83", &["designs/ecc83-pp-kicad6.kicad_sch"][..]),
    ] {
        let files: Vec<File> = paths.iter().map(|p| bom_data(p)).collect();
        let design = read_files(&files, None).expect("read");
        let checked = check(store.as_ref(), &design, 5).await.expect("check");
        let list = shopping_list(&checked, 0);
        got.push_str(&format!(
            "== {name} plain\n{}",
            shopping::write(&list, ShopFormat::Plain)
        ));
    }
    compare("shopping", &got);
}

/// A store holding `spares` (category, reference, package, quantity).
async fn stock_of(spares: &[(&str, String, &str, i64)]) -> (tempfile::TempDir, Arc<dyn Store>) {
    let data = spares
        .iter()
        .map(|(category, reference, package, quantity)| {
            spares_core::SpareInput {
                category: (*category).into(),
                reference: reference.clone(),
                package: (*package).into(),
                quantity: quantity.to_string(),
                ..spares_core::SpareInput::default()
            }
            .parse(None)
            .expect("valid spare")
        })
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(dir.path().join("stock.db"))
        .await
        .expect("open");
    store
        .import(data, &Change::new(Source::Import, "test"), None)
        .await
        .expect("import");
    (dir, Arc::new(store))
}

fn kicad_bom(rows: &str) -> spares_bom::Design {
    read_files(
        &[File {
            name: "board.csv".into(),
            bytes: format!("\"Refs\",\"Value\",\"Footprint\",\"Qty\",\"MPN\"\n{rows}").into_bytes(),
        }],
        None,
    )
    .expect("the BOM reads")
}

#[tokio::test]
async fn a_part_number_is_found_however_many_parts_contain_it() {
    // Sixty chips whose numbers contain NE555P, listed before it (by
    // category), and the NE555P itself.
    let mut spares: Vec<(&str, String, &str, i64)> = (1..=60)
        .map(|i| ("ic", format!("NE555P-{i}"), "", 10))
        .collect();
    spares.push(("timer", "NE555P".into(), "DIP-8", 3));
    let (_dir, store) = stock_of(&spares).await;
    let line = |mpn: &str| {
        kicad_bom(&format!(
            "\"U1\",\"NE555\",\"Package_DIP:DIP-8_W7.62mm\",\"1\",\"{mpn}\"\n"
        ))
    };
    let checked = check(store.as_ref(), &line("ne555p"), 2)
        .await
        .expect("check");
    let found = &checked.lines[0];
    assert_eq!(found.verdict, Verdict::Enough, "{found:?}");
    assert_eq!(found.understood, "part number ne555p");
    assert_eq!(found.takes.len(), 1);
    assert_eq!(found.takes[0].spare.reference, "NE555P");
    assert_eq!(found.takes[0].quantity, 2);
    // Another suffix is another part: not taken for it.
    let checked = check(store.as_ref(), &line("NE555P-70"), 1)
        .await
        .expect("check");
    assert_eq!(checked.lines[0].verdict, Verdict::Missing);
    assert!(checked.lines[0].takes.is_empty());

    // Filed split differently, or asked with a typo in a letter: that
    // part (the typo said so); a digit changed is another part.
    let (_dir, store) = stock_of(&[
        ("timer", "NE-555P".into(), "DIP-8", 3),
        ("ic", "NE556N".into(), "DIP-14", 3),
    ])
    .await;
    for (mpn, note) in [
        ("NE555P", None),
        (
            "NF555P",
            Some("NF555P matched NE-555P (spelled differently)"),
        ),
    ] {
        let checked = check(store.as_ref(), &line(mpn), 1).await.expect("check");
        let found = &checked.lines[0];
        assert_eq!(found.verdict, Verdict::Enough, "{found:?}");
        assert_eq!(found.takes[0].spare.reference, "NE-555P");
        assert_eq!(found.notes.first().map(String::as_str), note);
    }
    let checked = check(store.as_ref(), &line("NE557P"), 1)
        .await
        .expect("check");
    assert_eq!(checked.lines[0].verdict, Verdict::Missing);
}

#[tokio::test]
async fn a_part_in_another_package_is_offered_the_most_stocked_few() {
    // Twelve LM358 in SOIC-8 (1 to 12 in stock), none in DIP-8.
    let spares: Vec<(&str, String, &str, i64)> = (1..=12)
        .map(|i| ("ic", format!("LM358 lot {i}"), "SOIC-8", i))
        .collect();
    let (_dir, store) = stock_of(&spares).await;
    let design = kicad_bom("\"U1\",\"LM358\",\"Package_DIP:DIP-8_W7.62mm\",\"1\",\"\"\n");
    let checked = check(store.as_ref(), &design, 1).await.expect("check");
    let line = &checked.lines[0];
    assert_eq!(line.verdict, Verdict::Substitute, "{line:?}");
    let lots: Vec<&str> = line
        .substitutes
        .iter()
        .map(|s| s.what.split(" (#").next().unwrap_or_default())
        .collect();
    assert_eq!(lots.len(), 8, "{lots:?}");
    assert!(lots[0].contains("lot 12"), "{lots:?}");
    assert!(lots[7].contains("lot 5"), "{lots:?}");
    assert!(
        line.substitutes
            .iter()
            .all(|s| s.why == "SOIC-8 instead of DIP-8"),
        "{:?}",
        line.substitutes
    );
    // The same part in the package asked is the part.
    let mut more = spares.clone();
    more.push(("ic", "LM358 through-hole".into(), "DIP-8", 4));
    let (_dir, store) = stock_of(&more).await;
    let checked = check(store.as_ref(), &design, 1).await.expect("check");
    assert_eq!(checked.lines[0].verdict, Verdict::Enough);
    assert_eq!(
        checked.lines[0].takes[0].spare.reference,
        "LM358 through-hole"
    );
}

#[tokio::test]
async fn ratings_are_read_as_written_and_near_values_stand_in_within_tolerance() {
    let spare =
        |category: &str, value: &str, package: &str, quantity: u32, params: &[(&str, &str)]| {
            spares_core::SpareInput {
                category: category.into(),
                value: value.into(),
                package: package.into(),
                quantity: quantity.to_string(),
                parameters: params
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                    .collect(),
                ..spares_core::SpareInput::default()
            }
            .parse(None)
            .expect("valid spare")
        };
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(dir.path().join("rated.db"))
        .await
        .expect("open");
    store
        .import(
            vec![
                spare("capacitor", "100nF", "0603", 100, &[("voltage", "50V")]),
                spare("capacitor", "100nF", "0603", 5, &[("voltage", "16V")]),
                spare("resistor", "10k", "0805", 50, &[("tolerance", "1%")]),
                spare("resistor", "4.7k", "0805", 30, &[]),
            ],
            &Change::new(Source::Import, "test"),
            None,
        )
        .await
        .expect("import");
    let design = kicad_bom(concat!(
        "\"C1\",\"100n/16V\",\"Capacitor_SMD:C_0603_1608Metric\",\"1\",\"\"\n",
        "\"C2\",\"100n/25V\",\"Capacitor_SMD:C_0603_1608Metric\",\"1\",\"\"\n",
        "\"R1\",\"10k/5%\",\"Resistor_SMD:R_0805_2012Metric\",\"1\",\"\"\n",
        "\"R2\",\"4.87k\",\"Resistor_SMD:R_0805_2012Metric\",\"1\",\"\"\n",
        "\"R3\",\"5.6k\",\"Resistor_SMD:R_0805_2012Metric\",\"1\",\"\"\n",
        "\"R4\",\"10k/0.1%\",\"Resistor_SMD:R_0805_2012Metric\",\"1\",\"\"\n",
        "\"R5\",\"4.7k carbon film\",\"\",\"1\",\"\"\n",
        "\"R6\",\"5.6k carbon film\",\"\",\"1\",\"\"\n",
    ));
    let checked = check(&store, &design, 1).await.expect("check");
    let l = &checked.lines;
    // 16 V asked, 16 V in stock: the part (the 50 V ones are not taken).
    assert_eq!(l[0].verdict, Verdict::Enough, "{:?}", l[0]);
    assert!(l[0].takes[0].spare.title().contains("100"), "{:?}", l[0]);
    assert_eq!(l[0].takes[0].spare.quantity.get(), 5);
    // 25 V asked, only 50 V: stands in, said so.
    assert_eq!(l[1].verdict, Verdict::Substitute, "{:?}", l[1]);
    assert_eq!(l[1].substitutes[0].why, "50 V instead of 25 V");
    // 5 % asked, only 1 %: stands in.
    assert_eq!(l[2].verdict, Verdict::Substitute, "{:?}", l[2]);
    assert_eq!(l[2].substitutes[0].why, "1% instead of 5%");
    // 4.87 kΩ: 4.7 kΩ is within a resistor's 5 %; 5.6 kΩ: nothing is.
    assert_eq!(l[3].verdict, Verdict::Substitute, "{:?}", l[3]);
    assert_eq!(
        l[3].substitutes[0].why,
        "the nearest value in stock, within ±5 %"
    );
    assert_eq!(l[4].verdict, Verdict::Missing, "{:?}", l[4]);
    // 0.1 % asked, only 1 %: a looser tolerance never stands in.
    assert_eq!(l[5].verdict, Verdict::Missing, "{:?}", l[5]);
    // Words asked with the value: the band holds there too.
    assert_eq!(l[6].verdict, Verdict::Substitute, "{:?}", l[6]);
    assert_eq!(
        l[6].substitutes
            .iter()
            .map(|s| s.why.as_str())
            .collect::<Vec<_>>(),
        ["the same value, not rated or described as asked"]
    );
    assert_eq!(l[7].verdict, Verdict::Missing, "{:?}", l[7]);
}

#[tokio::test]
async fn a_new_design_clears_the_choices_and_keeps_the_builds() {
    let (_dir, store) = inventory().await;
    let mut project = blinky(&store).await;
    let name = |n: &str| ProjectName::parse(n).expect("name");
    // A spare chosen for line 1, and a build.
    let chosen = check_project_lines(&store, &project).await;
    project.data.overrides.insert(0, chosen);
    let project = store
        .update_project(project.id, project.data)
        .await
        .expect("choose");
    let built = build(store.as_ref(), &project, 1, &someone())
        .await
        .expect("builds");
    // The same name (any case) again: that project's design replaced.
    let pasted = read_pasted("rev-b.txt", "2x 10k 0805\n").expect("read");
    let (p, replaced) = save(
        store.as_ref(),
        name("BLINKY"),
        vec!["rev-b.txt".into()],
        pasted.lines.clone(),
    )
    .await
    .expect("saved");
    assert!(replaced);
    assert_eq!(p.id, project.id);
    assert_eq!(p.data.name.as_str(), "Blinky", "the stored name stays");
    assert_eq!(p.data.sources, ["rev-b.txt"]);
    assert_eq!(p.data.lines, pasted.lines);
    assert!(p.data.overrides.is_empty(), "{:?}", p.data.overrides);
    let builds = store.builds(p.id).await.expect("builds");
    assert_eq!(builds.len(), 1);
    undo(store.as_ref(), built.build.id, &someone())
        .await
        .expect("the build is undone after the new design");
    // Another name: a new project.
    let (other, replaced) = save(
        store.as_ref(),
        name("Amp"),
        vec!["amp.txt".into()],
        pasted.lines.clone(),
    )
    .await
    .expect("saved");
    assert!(!replaced);
    assert_ne!(other.id, p.id);
    // Renamed; another project's name is refused and changes nothing.
    let renamed = rename(store.as_ref(), p.id, name("Blinky rev B"))
        .await
        .expect("renamed");
    assert_eq!(renamed.data.name.as_str(), "Blinky rev B");
    assert!(matches!(
        rename(store.as_ref(), p.id, name("amp")).await,
        Err(spares_core::StoreError::Conflict(_))
    ));
    let kept = store.get_project(p.id).await.expect("get");
    assert_eq!(kept.data.name.as_str(), "Blinky rev B");
    // An empty design is refused and changes nothing.
    assert!(matches!(
        replace_design(store.as_ref(), p.id, vec!["empty.txt".into()], Vec::new()).await,
        Err(spares_core::StoreError::Invalid(_))
    ));
    let kept = store.get_project(p.id).await.expect("get");
    assert_eq!(kept.data.lines, pasted.lines);
}

/// A spare that the check takes for line 1 of `p`.
async fn check_project_lines(store: &Arc<dyn Store>, p: &Project) -> spares_core::SpareId {
    let c = spares_core::project::check_project(store.as_ref(), p, 1)
        .await
        .expect("check");
    c.lines[0].takes[0].spare.id
}
