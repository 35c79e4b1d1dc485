//! Reading test data and comparing what was read with an expected file.

use std::path::{Path, PathBuf};

use spares_bom::{Design, File, Format, read_files};

/// `tests/<folder>`.
pub fn data(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(folder)
}

/// Files from `tests/designs`, named as an upload would name them.
pub fn load(paths: &[&str]) -> Vec<File> {
    load_from("designs", paths)
}

pub fn load_from(folder: &str, paths: &[&str]) -> Vec<File> {
    paths
        .iter()
        .map(|p| File {
            name: p.rsplit('/').next().unwrap_or(p).to_owned(),
            bytes: std::fs::read(data(folder).join(p)).unwrap_or_else(|e| panic!("{p}: {e}")),
        })
        .collect()
}

/// One line per BOM line: designators, quantity, value, the package read
/// from the footprint, MPN, supplier part numbers; then the warnings.
pub fn render(design: &Design) -> String {
    let mut out = String::new();
    for l in &design.lines {
        let suppliers: Vec<String> = l
            .suppliers
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let what = if l.text.is_empty() { &l.value } else { &l.text };
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            l.designators_text(),
            l.quantity,
            what,
            spares_bom::part::package(&l.footprint).unwrap_or_else(|| "-".into()),
            if l.mpn.is_empty() { "-" } else { &l.mpn },
            suppliers.join(" ")
        ));
    }
    for w in &design.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}

/// Reads `paths` from `tests/<folder>` and compares with
/// `tests/<folder>/<name>.expected` (`SPARES_BLESS=1` rewrites it).
pub fn check(folder: &str, name: &str, paths: &[&str], format: Format) {
    let design =
        read_files(&load_from(folder, paths), None).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(design.format, format, "{name}");
    compare(folder, name, &render(&design));
}

pub fn compare(folder: &str, name: &str, got: &str) {
    let expected_path = data(folder).join(format!("{name}.expected"));
    if std::env::var_os("SPARES_BLESS").is_some() {
        std::fs::write(&expected_path, got).expect("write the expected file");
        return;
    }
    let want = std::fs::read_to_string(&expected_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with SPARES_BLESS=1 once)",
            expected_path.display()
        )
    });
    assert_eq!(
        got,
        want,
        "{name}: what was read differs from {}",
        expected_path.display()
    );
}
