//! BOM tables in the layouts people export, and any CSV with a header.

use spares_bom::{BomError, File, Format, Layout, Mapping, read_files};

use crate::helpers::{check, compare, load_from, render};

#[test]
fn kicad_bom_export_with_a_dnp_part_and_mounting_holes() {
    check(
        "tables",
        "kicad9-export",
        &["kicad9-export.csv"],
        Format::Table(Layout::Kicad),
    );
}

#[test]
fn kicads_legacy_grouped_by_value_script_with_its_preamble() {
    check(
        "tables",
        "kicad-legacy-grouped",
        &["kicad-legacy-grouped.csv"],
        Format::Table(Layout::KicadLegacy),
    );
}

#[test]
fn jlcpcbs_assembly_bom_with_lcsc_part_numbers() {
    check(
        "tables",
        "jlcpcb",
        &["jlcpcb.csv"],
        Format::Table(Layout::Jlcpcb),
    );
}

#[test]
fn any_csv_with_recognised_columns_and_semicolons() {
    check(
        "tables",
        "semicolons",
        &["semicolons.csv"],
        Format::Table(Layout::Other),
    );
}

#[test]
fn unknown_columns_are_named_and_a_mapping_reads_them() {
    let files = load_from("tables", &["unknown-columns.csv"]);
    let e = read_files(&files, None).expect_err("unknown layout");
    assert!(
        matches!(&e, BomError::UnknownColumns { found, .. } if found == &["Item", "Pcs", "What"]),
        "{e:?}"
    );
    assert!(e.to_string().contains("“Pcs”"), "{e}");
    let mapping = Mapping::parse("quantity=Pcs, value=What").expect("mapping");
    let design = read_files(&files, Some(&mapping)).expect("read with the mapping");
    compare("tables", "unknown-columns-mapped", &render(&design));
    let wrong = Mapping::parse("value=Nope").expect("mapping");
    let e = read_files(&files, Some(&wrong)).expect_err("no such column");
    assert!(e.to_string().contains("no column “Nope”"), "{e}");
    assert!(Mapping::parse("colour=What").is_err());
}

#[test]
fn a_bad_quantity_names_the_file_and_line() {
    let files = [File {
        name: "bom.csv".into(),
        bytes: b"Reference,Value,Qty\nR1,10k,2\nR2,1k,two\n".to_vec(),
    }];
    let e = read_files(&files, None).expect_err("bad quantity");
    assert_eq!(
        e.to_string(),
        "bom.csv line 3: the quantity “two” is not a whole number"
    );
}
