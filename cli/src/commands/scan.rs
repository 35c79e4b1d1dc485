//! `spares scan`: the text of every QR code in photos.

use std::path::PathBuf;

use anyhow::Context;

/// Prints each code's text on its own line; `false` when no photo had one.
pub fn scan(photos: &[PathBuf]) -> anyhow::Result<bool> {
    let mut any = false;
    for path in photos {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let texts = spares_labels::decode::decode(&bytes)
            .with_context(|| format!("reading {}", path.display()))?;
        if texts.is_empty() {
            eprintln!(
                "{}: no QR code found (try closer, with more light, the label flat and in focus)",
                path.display()
            );
        }
        for t in texts {
            any = true;
            println!("{t}");
        }
    }
    if !any {
        anyhow::bail!("no QR code found");
    }
    Ok(true)
}
