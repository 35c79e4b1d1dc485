//! The real camera photos in `tests/real-photos/` (see its README): each
//! picture with the text its code holds.

use std::path::{Path, PathBuf};

/// One photo and the text of its code.
pub struct RealPhoto {
    pub name: String,
    pub bytes: Vec<u8>,
    pub expected: String,
}

/// Whitespace collapsed, as the set's README says texts compare.
pub fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real-photos")
}

/// Every photo, by folder and name.
pub fn all() -> Vec<RealPhoto> {
    let mut photos = Vec::new();
    for set in ["qrcode-4", "qrcode-6"] {
        let dir = folder().join(set);
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "png"))
            .collect();
        names.sort();
        for png in names {
            let txt = png.with_extension("txt");
            let expected =
                std::fs::read_to_string(&txt).unwrap_or_else(|e| panic!("{}: {e}", txt.display()));
            photos.push(RealPhoto {
                name: format!(
                    "{set}/{}",
                    png.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default()
                ),
                bytes: std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display())),
                expected: collapsed(&expected),
            });
        }
    }
    photos
}

/// How a decode of a photo went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The expected text (and nothing else).
    Read,
    /// Nothing.
    Missed,
    /// A text that is not the code's: worse than nothing.
    Wrong,
}

/// Judges the texts a decoder returned for `photo`.
pub fn judge(photo: &RealPhoto, texts: &[String]) -> Outcome {
    if texts.is_empty() {
        Outcome::Missed
    } else if texts.iter().all(|t| collapsed(t) == photo.expected) {
        Outcome::Read
    } else {
        Outcome::Wrong
    }
}
