//! `spares-bom`: what a design needs, read from the files people have —
//! a KiCad schematic (`.kicad_sch`, KiCad 6–9, hierarchical sheets given
//! together), a BOM CSV (KiCad, JLCPCB, or any table with a header), or a
//! list typed by hand — as [`BomLine`]s: designators, quantity per board,
//! value, footprint, part numbers. Matching them against the stock is
//! `spares-core`'s `project` module; this crate only reads.
//!
//! Invariants: reading never panics and is bounded (file size, parts,
//! nesting); an error names the file and, where there is one, the line.

pub mod archive;
pub mod error;
pub mod fields;
pub mod kicad;
pub mod line;
pub mod part;
pub mod pasted;
pub mod sexpr;
pub mod table;

pub use error::BomError;
pub use line::{BomLine, Origin};
pub use table::{Layout, Mapping};

/// Largest file read (a big real schematic is a few MB).
pub const MAX_FILE_BYTES: usize = 20 << 20;
/// Most parts (placed symbols, or BOM rows) in one design.
pub const MAX_PARTS: usize = 10_000;
/// Most files in one upload (a hierarchical design's sheets).
pub const MAX_FILES: usize = 64;

/// What a design was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    KicadSchematic,
    Table(Layout),
    Pasted,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::KicadSchematic => "KiCad schematic",
            Format::Table(Layout::Kicad) => "KiCad BOM",
            Format::Table(Layout::KicadLegacy) => "KiCad BOM (legacy script)",
            Format::Table(Layout::Jlcpcb) => "JLCPCB BOM",
            Format::Table(Layout::Other) => "BOM table",
            Format::Pasted => "list",
        }
    }
}

/// A design's bill of materials.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub format: Format,
    /// Identical parts grouped, in the order first met.
    pub lines: Vec<BomLine>,
    /// What was read but could not be used ("sheet file not given").
    pub warnings: Vec<String>,
}

/// One uploaded file.
#[derive(Debug, Clone)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads a design from files: one or more KiCad schematics (the sheets of
/// one design), or one BOM table. `mapping` names the columns of a table
/// whose header Spares does not recognise.
pub fn read_files(files: &[File], mapping: Option<&Mapping>) -> Result<Design, BomError> {
    if files.is_empty() {
        return Err(BomError::Design {
            file: String::new(),
            message: "no file given".into(),
        });
    }
    if files.len() > MAX_FILES {
        return Err(BomError::Design {
            file: files[0].name.clone(),
            message: format!("{} files; at most {MAX_FILES} at once", files.len()),
        });
    }
    // A zip stands for the design files in it.
    let mut expanded: Vec<File> = Vec::new();
    for f in files {
        if f.bytes.len() > MAX_FILE_BYTES {
            return Err(BomError::TooLarge {
                file: f.name.clone(),
                size: f.bytes.len(),
                max: MAX_FILE_BYTES,
            });
        }
        if archive::is_zip(&f.bytes) {
            expanded.extend(archive::design_files(&f.name, &f.bytes)?);
        } else {
            expanded.push(f.clone());
        }
    }
    if expanded.len() > MAX_FILES {
        return Err(BomError::Design {
            file: files[0].name.clone(),
            message: format!("{} files; at most {MAX_FILES} at once", expanded.len()),
        });
    }
    let files = &expanded;
    let mut texts = Vec::new();
    for f in files {
        if f.bytes.len() > MAX_FILE_BYTES {
            return Err(BomError::TooLarge {
                file: f.name.clone(),
                size: f.bytes.len(),
                max: MAX_FILE_BYTES,
            });
        }
        let text = decode(&f.bytes).ok_or_else(|| BomError::NotText {
            file: f.name.clone(),
        })?;
        texts.push((f.name.clone(), text));
    }
    let schematics = texts
        .iter()
        .filter(|(name, text)| kicad::looks_like(text) || name.ends_with(".kicad_sch"))
        .count();
    let mut warnings = Vec::new();
    let (lines, format) = if schematics == texts.len() {
        let lines = kicad::read(&texts, MAX_PARTS, &mut warnings)?;
        (lines, Format::KicadSchematic)
    } else if texts.len() == 1 {
        let (name, text) = &texts[0];
        if name.to_ascii_lowercase().ends_with(".sch") || text.starts_with("EESchema") {
            return Err(BomError::Design {
                file: name.clone(),
                message: "a KiCad 5 schematic (.sch): open it in KiCad 6 or later and save it, or export a BOM CSV".into(),
            });
        }
        let (lines, layout) = table::read(name, text, mapping, MAX_PARTS, &mut warnings)?;
        (lines, Format::Table(layout))
    } else {
        return Err(BomError::Design {
            file: texts
                .iter()
                .find(|(_, t)| !kicad::looks_like(t))
                .map(|(n, _)| n.clone())
                .unwrap_or_default(),
            message: "several files are read together only as the sheets of one KiCad schematic; send a BOM table on its own".into(),
        });
    };
    finish(format, lines, warnings, &files[0].name)
}

/// Reads a list typed by hand, one part per line.
pub fn read_pasted(name: &str, text: &str) -> Result<Design, BomError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(BomError::TooLarge {
            file: name.to_owned(),
            size: text.len(),
            max: MAX_FILE_BYTES,
        });
    }
    let lines = pasted::read(name, text, MAX_PARTS)?;
    finish(Format::Pasted, lines, Vec::new(), name)
}

fn finish(
    format: Format,
    lines: Vec<BomLine>,
    warnings: Vec<String>,
    name: &str,
) -> Result<Design, BomError> {
    if lines.is_empty() {
        return Err(BomError::Empty {
            file: name.to_owned(),
        });
    }
    Ok(Design {
        format,
        lines: line::group(lines),
        warnings,
    })
}

/// UTF-8 (with or without a byte-order mark), or UTF-16 with one (Excel's
/// "Unicode text"); `None` for binary.
fn decode(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16(&units).ok();
    }
    let text = std::str::from_utf8(bytes).ok()?;
    if text.contains('\0') {
        return None;
    }
    Some(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the bytes, reading answers (a design or an error) and
        /// never panics; S-expression-like text is tried most.
        #[test]
        fn reading_never_panics(
            text in "[()\"\\\\ a-z0-9_:\n]{0,200}",
            bytes in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let schematic = format!("(kicad_sch (version 20250114) {text}");
            for (name, data) in [
                ("a.kicad_sch", schematic.into_bytes()),
                ("b.kicad_sch", text.clone().into_bytes()),
                ("c.csv", format!("Reference,Value,Qty\n{text}").into_bytes()),
                ("d.csv", bytes.clone()),
            ] {
                let _ = read_files(&[File { name: name.into(), bytes: data }], None);
            }
            let _ = read_pasted("list", &text);
        }
    }
}
