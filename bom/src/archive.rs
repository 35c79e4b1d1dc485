//! Zip archives (a KiCad project zipped with its sheets): the design files
//! inside, read within bounds that a zip bomb cannot get past — at most
//! [`MAX_ENTRIES`] entries looked at, each file at most
//! [`crate::MAX_FILE_BYTES`] once inflated (the inflater stops there,
//! whatever the header claims), all of them together at most
//! [`MAX_TOTAL_BYTES`], at most [`crate::MAX_FILES`] design files.
//!
//! A small reader of its own (the central directory, stored and deflated
//! entries, through `flate2`): no Zip64, no encryption, no nested zips —
//! each refused with a message naming the archive.

use std::io::Read;

use crate::{BomError, File, MAX_FILE_BYTES, MAX_FILES};

/// Most entries of an archive looked at (directories and other files
/// included).
pub const MAX_ENTRIES: usize = 10_000;
/// Most bytes all design files of one archive inflate to.
pub const MAX_TOTAL_BYTES: usize = 4 * MAX_FILE_BYTES;

/// Endings of the files taken from an archive (the rest — boards,
/// projects, libraries — is left).
const DESIGN_ENDINGS: [&str; 4] = [".kicad_sch", ".csv", ".tsv", ".txt"];

/// Whether the bytes are a zip archive (its first local header).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 2)
        .map(|s| usize::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 4)
        .and_then(|s| usize::try_from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])).ok())
}

/// The design files in a zip archive, in the archive's order. Schematics
/// win: when there are `.kicad_sch` files, only they are taken (a project
/// zip also holds exported BOMs and notes).
pub fn design_files(name: &str, bytes: &[u8]) -> Result<Vec<File>, BomError> {
    let bad = |message: String| BomError::Design {
        file: name.to_owned(),
        message,
    };
    let broken = || bad("a damaged zip archive".into());
    // The end-of-central-directory record: 22 bytes and a comment of at
    // most 65,535, at the end.
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (search_from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))
        .ok_or_else(broken)?;
    let entries = u16_at(bytes, eocd + 10).ok_or_else(broken)?;
    let directory = u32_at(bytes, eocd + 16).ok_or_else(broken)?;
    if entries == 0xFFFF || directory == 0xFFFF_FFFF {
        return Err(bad("a Zip64 archive; zip it again without Zip64".into()));
    }
    if entries > MAX_ENTRIES {
        return Err(bad(format!(
            "{entries} entries; at most {MAX_ENTRIES} are read"
        )));
    }
    let mut found: Vec<File> = Vec::new();
    let mut total = 0usize;
    let mut at = directory;
    for _ in 0..entries {
        if bytes.get(at..at + 4) != Some(b"PK\x01\x02") {
            return Err(broken());
        }
        let flags = u16_at(bytes, at + 8).ok_or_else(broken)?;
        let method = u16_at(bytes, at + 10).ok_or_else(broken)?;
        let packed = u32_at(bytes, at + 20).ok_or_else(broken)?;
        let size = u32_at(bytes, at + 24).ok_or_else(broken)?;
        let name_len = u16_at(bytes, at + 28).ok_or_else(broken)?;
        let extra_len = u16_at(bytes, at + 30).ok_or_else(broken)?;
        let comment_len = u16_at(bytes, at + 32).ok_or_else(broken)?;
        let local = u32_at(bytes, at + 42).ok_or_else(broken)?;
        let entry_name = bytes
            .get(at + 46..at + 46 + name_len)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .ok_or_else(broken)?;
        at += 46 + name_len + extra_len + comment_len;
        let lower = entry_name.to_ascii_lowercase();
        let base = lower.rsplit('/').next().unwrap_or_default();
        if lower.ends_with('/')
            || lower.starts_with("__macosx/")
            || base.starts_with("._")
            || !DESIGN_ENDINGS.iter().any(|e| lower.ends_with(e))
        {
            continue;
        }
        let shown = format!("{name}/{entry_name}");
        if flags & 1 != 0 {
            return Err(BomError::Design {
                file: shown,
                message: "encrypted; zip it without a password".into(),
            });
        }
        if size > MAX_FILE_BYTES {
            return Err(BomError::TooLarge {
                file: shown,
                size,
                max: MAX_FILE_BYTES,
            });
        }
        if found.len() == MAX_FILES {
            return Err(bad(format!(
                "more than {MAX_FILES} design files; at most {MAX_FILES} at once"
            )));
        }
        // The local header: its own name and extra lengths.
        if bytes.get(local..local + 4) != Some(b"PK\x03\x04") {
            return Err(broken());
        }
        let local_name = u16_at(bytes, local + 26).ok_or_else(broken)?;
        let local_extra = u16_at(bytes, local + 28).ok_or_else(broken)?;
        let start = local + 30 + local_name + local_extra;
        let data = bytes.get(start..start + packed).ok_or_else(broken)?;
        // Never more than the limit, whatever the header said.
        let limit = (MAX_FILE_BYTES + 1).min(MAX_TOTAL_BYTES + 1 - total);
        let mut out = Vec::new();
        let read = match method {
            0 => data.take(limit as u64).read_to_end(&mut out),
            8 => flate2::read::DeflateDecoder::new(data)
                .take(limit as u64)
                .read_to_end(&mut out),
            m => {
                return Err(BomError::Design {
                    file: shown,
                    message: format!("compressed with method {m}; zip it with deflate"),
                });
            }
        };
        if read.is_err() {
            return Err(BomError::Design {
                file: shown,
                message: "damaged in the archive".into(),
            });
        }
        if out.len() > MAX_FILE_BYTES {
            return Err(BomError::TooLarge {
                file: shown,
                size: out.len(),
                max: MAX_FILE_BYTES,
            });
        }
        total += out.len();
        if total > MAX_TOTAL_BYTES {
            return Err(bad(format!(
                "its design files inflate to more than {MAX_TOTAL_BYTES} bytes; nothing was read"
            )));
        }
        found.push(File {
            name: entry_name
                .rsplit('/')
                .next()
                .unwrap_or(&entry_name)
                .to_owned(),
            bytes: out,
        });
    }
    if found
        .iter()
        .any(|f| f.name.to_ascii_lowercase().ends_with(".kicad_sch"))
    {
        found.retain(|f| f.name.to_ascii_lowercase().ends_with(".kicad_sch"));
    }
    if found.is_empty() {
        return Err(bad(
            "no schematic (.kicad_sch) or BOM (.csv) in the archive".into(),
        ));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip of (name, bytes, deflate?) entries, as `zip` writes them.
    pub(crate) fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut directory = Vec::new();
        for (name, data, deflate) in entries {
            let packed = if *deflate {
                let mut e =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
                e.write_all(data).expect("deflate");
                e.finish().expect("deflate")
            } else {
                data.to_vec()
            };
            let crc = 0u32;
            let method: u16 = if *deflate { 8 } else { 0 };
            let offset = out.len() as u32;
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&[0; 4]);
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&packed);
            directory.extend_from_slice(b"PK\x01\x02");
            directory.extend_from_slice(&20u16.to_le_bytes());
            directory.extend_from_slice(&20u16.to_le_bytes());
            directory.extend_from_slice(&0u16.to_le_bytes());
            directory.extend_from_slice(&method.to_le_bytes());
            directory.extend_from_slice(&[0; 4]);
            directory.extend_from_slice(&crc.to_le_bytes());
            directory.extend_from_slice(&(packed.len() as u32).to_le_bytes());
            directory.extend_from_slice(&(data.len() as u32).to_le_bytes());
            directory.extend_from_slice(&(name.len() as u16).to_le_bytes());
            directory.extend_from_slice(&[0; 12]);
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(name.as_bytes());
        }
        let start = out.len() as u32;
        out.extend_from_slice(&directory);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn design_files_are_taken_schematics_first() {
        let z = zip(&[
            ("amp/", b"", false),
            ("amp/amp.kicad_sch", b"(kicad_sch)", true),
            ("amp/power.kicad_sch", b"(kicad_sch power)", false),
            ("amp/bom.csv", b"Reference,Value\nR1,10k\n", true),
            ("amp/amp.kicad_pcb", b"(kicad_pcb)", true),
            ("__MACOSX/amp/._amp.kicad_sch", b"junk", false),
        ]);
        assert!(is_zip(&z));
        let files = design_files("amp.zip", &z).expect("read");
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["amp.kicad_sch", "power.kicad_sch"]);
        assert_eq!(files[1].bytes, b"(kicad_sch power)");
        let only_bom = zip(&[("bom.csv", b"Reference,Value\nR1,10k\n", true)]);
        assert_eq!(design_files("b.zip", &only_bom).expect("read").len(), 1);
    }

    #[test]
    fn a_zip_bomb_stops_at_the_limit_whatever_the_header_claims() {
        // 100 MB of zeros deflates to ~100 kB.
        let zeros = vec![b'0'; 100 << 20];
        let mut z = zip(&[("bomb.csv", &zeros, true)]);
        let e = design_files("bomb.zip", &z).expect_err("refused");
        assert!(matches!(e, BomError::TooLarge { .. }), "{e}");
        // The header lying about the size (1 kB): the inflater still stops.
        let directory = z
            .windows(4)
            .position(|w| w == b"PK\x01\x02")
            .expect("directory");
        z[directory + 24..directory + 28].copy_from_slice(&1000u32.to_le_bytes());
        let e = design_files("bomb.zip", &z).expect_err("refused");
        assert!(
            e.to_string().starts_with("bomb.zip/bomb.csv: ")
                && matches!(e, BomError::TooLarge { .. }),
            "{e}"
        );
    }

    #[test]
    fn a_zipped_hierarchical_design_reads_as_its_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/designs/complex_hierarchy");
        let root = std::fs::read(dir.join("complex_hierarchy.kicad_sch")).expect("root");
        let sheet = std::fs::read(dir.join("ampli_ht.kicad_sch")).expect("sheet");
        let files = [
            File {
                name: "complex_hierarchy.kicad_sch".into(),
                bytes: root.clone(),
            },
            File {
                name: "ampli_ht.kicad_sch".into(),
                bytes: sheet.clone(),
            },
        ];
        let z = zip(&[
            ("complex_hierarchy/complex_hierarchy.kicad_sch", &root, true),
            ("complex_hierarchy/ampli_ht.kicad_sch", &sheet, true),
            ("complex_hierarchy/complex_hierarchy.kicad_pro", b"{}", true),
        ]);
        let zipped = crate::read_files(
            &[File {
                name: "complex_hierarchy.zip".into(),
                bytes: z,
            }],
            None,
        )
        .expect("zipped");
        let plain = crate::read_files(&files, None).expect("plain");
        assert_eq!(zipped.lines, plain.lines);
        assert!(zipped.lines.len() > 5);
    }

    #[test]
    fn damaged_and_unsupported_archives_are_named() {
        let z = zip(&[("a.csv", b"Reference,Value\nR1,10k\n", true)]);
        for (bytes, says) in [
            (&z[..z.len() - 30], "a damaged zip archive"),
            (&b"PK\x03\x04 nothing else"[..], "a damaged zip archive"),
            (&zip(&[("notes.md", b"hi", false)])[..], "no schematic"),
        ] {
            let e = design_files("x.zip", bytes).expect_err("refused");
            assert!(e.to_string().contains(says), "{e}");
            assert!(e.to_string().starts_with("x.zip"), "{e}");
        }
        let mut truncated = z.clone();
        let n = truncated.len();
        // Point the directory past the end.
        truncated[n - 6..n - 2].copy_from_slice(&(n as u32).to_le_bytes());
        assert!(design_files("x.zip", &truncated).is_err());
    }
}
