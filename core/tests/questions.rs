//! The question table: `data/questions.txt` over the inventory of
//! `data/inventory.csv` (both made by `data/make_cases.py`), answered by the
//! real search use case on a real SQLite file. Each line is
//! `question || references that must be listed || references that must not`.

use std::collections::BTreeSet;
use std::path::Path;

use spares_core::csv_io::read_spares;
use spares_core::search::search;
use spares_core::{Change, Source, Store};
use spares_sqlite::SqliteStore;

struct Case {
    line: usize,
    question: String,
    must: Vec<String>,
    must_not: Vec<String>,
}

fn refs(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect()
}

fn cases(text: &str) -> Vec<Case> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let parts: Vec<&str> = l.split("||").collect();
            assert_eq!(
                parts.len(),
                3,
                "line {}: expected `question || must || must not`",
                i + 1
            );
            Case {
                line: i + 1,
                question: parts[0].trim().to_owned(),
                must: refs(parts[1]),
                must_not: refs(parts[2]),
            }
        })
        .collect()
}

#[tokio::test]
async fn every_question_in_the_table_finds_what_it_must_and_nothing_it_must_not() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let inventory = std::fs::read(data.join("inventory.csv")).expect("inventory.csv");
    let spares = read_spares(inventory.as_slice(), None).expect("inventory parses");
    assert!(spares.len() >= 300, "several hundred parts");
    let known: BTreeSet<String> = spares.iter().map(|s| s.reference.clone()).collect();

    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(dir.path().join("questions.db"))
        .await
        .expect("open");
    store
        .import(spares, &Change::new(Source::Import, "test"), None)
        .await
        .expect("import");

    let table = std::fs::read_to_string(data.join("questions.txt")).expect("questions.txt");
    let cases = cases(&table);
    assert!(
        cases.len() >= 150,
        "at least 150 cases, found {}",
        cases.len()
    );

    let mut failures = Vec::new();
    for case in &cases {
        for r in case.must.iter().chain(&case.must_not) {
            assert!(
                known.contains(r),
                "line {}: {r} is not in the inventory",
                case.line
            );
        }
        let outcome = search(&store, &case.question, 10_000)
            .await
            .expect("search");
        let found: BTreeSet<&str> = outcome
            .matches
            .iter()
            .map(|s| s.reference.as_str())
            .collect();
        let missing: Vec<&String> = case
            .must
            .iter()
            .filter(|r| !found.contains(r.as_str()))
            .collect();
        let wrong: Vec<&String> = case
            .must_not
            .iter()
            .filter(|r| found.contains(r.as_str()))
            .collect();
        if case.must.is_empty() && !outcome.matches.is_empty() && case.must_not.is_empty() {
            failures.push(format!(
                "line {}: {:?} should find nothing",
                case.line, case.question
            ));
        }
        if !missing.is_empty() || !wrong.is_empty() {
            failures.push(format!(
                "line {}: {:?} read as “{}”: missing {missing:?}, wrongly listed {wrong:?}",
                case.line,
                case.question,
                outcome.interpretation()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
