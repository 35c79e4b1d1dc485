//! Bad input gets a clear error naming the file (and line), never a panic.

use spares_bom::{BomError, File, MAX_PARTS, read_files, read_pasted};

use crate::helpers::{compare, load, render};

fn file(name: &str, bytes: &[u8]) -> Vec<File> {
    vec![File {
        name: name.into(),
        bytes: bytes.to_vec(),
    }]
}

#[test]
fn a_truncated_schematic_says_where_it_ends() {
    let mut text = std::fs::read("tests/designs/sallen_key.kicad_sch").expect("read");
    text.truncate(text.len() / 2);
    let e = read_files(&file("cut.kicad_sch", &text), None).expect_err("truncated");
    let message = e.to_string();
    assert!(message.starts_with("cut.kicad_sch: line "), "{message}");
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn files_that_are_not_designs_are_refused_by_name() {
    for (name, bytes, words) in [
        (
            "photo.jpg",
            &b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"[..],
            "not text",
        ),
        (
            "board.kicad_pcb",
            &b"(kicad_pcb (version 20240108))"[..],
            "not a BOM layout",
        ),
        (
            "old.sch",
            &b"EESchema Schematic File Version 4\n"[..],
            "KiCad 5",
        ),
        ("empty.csv", &b""[..], "not a BOM layout"),
        (
            "x.kicad_sch",
            &b"(kicad_sch (version 20200310))"[..],
            "older than KiCad 6",
        ),
        (
            "y.kicad_sch",
            &b"(kicad_sym (version 20231120))"[..],
            "not a KiCad schematic",
        ),
    ] {
        let e = read_files(&file(name, bytes), None).expect_err(name);
        let message = e.to_string();
        assert!(message.starts_with(name), "{name}: {message}");
        assert!(message.contains(words), "{name}: {message}");
    }
}

#[test]
fn a_bom_with_100000_lines_is_refused() {
    let mut csv = String::from("Reference,Value,Qty\n");
    for i in 0..100_000 {
        csv.push_str(&format!("R{i},10k,1\n"));
    }
    let e = read_files(&file("huge.csv", csv.as_bytes()), None).expect_err("too many");
    assert_eq!(
        e,
        BomError::TooManyLines {
            file: "huge.csv".into(),
            max: MAX_PARTS
        }
    );
}

#[test]
fn an_oversized_file_is_refused_before_reading() {
    let big = vec![b' '; spares_bom::MAX_FILE_BYTES + 1];
    let e = read_files(&file("big.csv", &big), None).expect_err("too large");
    assert!(matches!(e, BomError::TooLarge { .. }), "{e:?}");
}

#[test]
fn a_schematic_with_a_csv_is_not_a_design() {
    let mut files = load(&["sallen_key.kicad_sch"]);
    files.extend(file("bom.csv", b"Reference,Value\nR1,1k\n"));
    let e = read_files(&files, None).expect_err("mixed");
    assert!(e.to_string().starts_with("bom.csv:"), "{e}");
}

#[test]
fn a_pasted_list_reads_as_people_write() {
    let design = read_pasted(
        "list",
        "# for the blinky\n4x 10k 0805\n100nF x6\nNE555\n2 × LED red 5mm\n\n10k 0805, 2\n",
    )
    .expect("read");
    compare("tables", "pasted", &render(&design));
    let e = read_pasted("list", "   \n# nothing\n").expect_err("empty");
    assert_eq!(
        e.to_string(),
        "list: nothing to build in it (no placed parts)"
    );
}
