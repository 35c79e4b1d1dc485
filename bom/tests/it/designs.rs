//! Real designs read as KiCad's own BOM would list them: each design's
//! grouped lines are compared with `tests/designs/<design>.expected`
//! (one line per BOM line: designators, quantity, value, package Spares
//! reads from the footprint, part numbers). The files and their origin
//! and licence: `tests/designs/README.md`.
//!
//! After a deliberate change, `SPARES_BLESS=1 cargo test -p spares-bom
//! --test it` rewrites the expected files; read the diff before
//! committing it.

use spares_bom::{Format, read_files};

use crate::helpers::{check, load};

#[test]
fn a_kicad_6_schematic_with_a_three_unit_valve_and_power_flags() {
    check(
        "designs",
        "ecc83-pp-kicad6",
        &["ecc83-pp-kicad6.kicad_sch"],
        Format::KicadSchematic,
    );
}

#[test]
fn a_kicad_7_schematic() {
    check(
        "designs",
        "sallen_key",
        &["sallen_key.kicad_sch"],
        Format::KicadSchematic,
    );
}

#[test]
fn a_kicad_8_schematic() {
    check(
        "designs",
        "lm317_power_supply",
        &["lm317_power_supply.kicad_sch"],
        Format::KicadSchematic,
    );
}

#[test]
fn a_kicad_9_hierarchy_whose_sheet_is_placed_twice() {
    check(
        "designs",
        "complex_hierarchy",
        &[
            "complex_hierarchy/complex_hierarchy.kicad_sch",
            "complex_hierarchy/ampli_ht.kicad_sch",
        ],
        Format::KicadSchematic,
    );
}

#[test]
fn a_kicad_9_single_sheet_usb_hub() {
    check(
        "designs",
        "stickhub",
        &["stickhub/StickHub.kicad_sch"],
        Format::KicadSchematic,
    );
}

#[test]
fn a_kicad_9_hierarchy_with_lcsc_part_numbers_in_any_file_order() {
    let sheets = [
        "royalblue54L_feather/sch/nRF54L15.kicad_sch",
        "royalblue54L_feather/RoyalBlue54L-Feather.kicad_sch",
        "royalblue54L_feather/sch/Connectors.kicad_sch",
        "royalblue54L_feather/sch/Debugger.kicad_sch",
        "royalblue54L_feather/sch/nPM1300.kicad_sch",
    ];
    check(
        "designs",
        "royalblue54L_feather",
        &sheets,
        Format::KicadSchematic,
    );
}

#[test]
fn a_sheet_file_not_given_is_a_warning_not_a_silent_gap() {
    let design = read_files(
        &load(&["complex_hierarchy/complex_hierarchy.kicad_sch"]),
        None,
    )
    .expect("read");
    assert!(
        design
            .warnings
            .iter()
            .any(|w| w.contains("ampli_ht.kicad_sch was not given")),
        "{:?}",
        design.warnings
    );
}

/// The same hierarchical design zipped by Info-ZIP (`zip -r -X`, with its
/// folder entry): read as its two sheets given one by one.
#[test]
fn a_zipped_hierarchical_design_reads_as_its_sheets() {
    let zipped = read_files(&load(&["complex_hierarchy.zip"]), None).expect("the zip reads");
    let plain = read_files(
        &load(&[
            "complex_hierarchy/complex_hierarchy.kicad_sch",
            "complex_hierarchy/ampli_ht.kicad_sch",
        ]),
        None,
    )
    .expect("the sheets read");
    assert_eq!(zipped.format, Format::KicadSchematic);
    assert_eq!(zipped.lines, plain.lines);
    assert!(zipped.warnings.is_empty(), "{:?}", zipped.warnings);
}
