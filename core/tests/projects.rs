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

use std::path::{Path, PathBuf};
use std::sync::Arc;

use spares_bom::{File, read_files, read_pasted};
use spares_core::csv_io::read_spares;
use spares_core::project::{Check, check};
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
