//! `spares check`: can I build this? A design read by `spares-bom`,
//! checked by `spares_core::project::check`, printed as a table.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use spares_bom::{Design, File, Mapping, read_files, read_pasted};
use spares_core::project::{self, Check, LineCheck, MAX_BOARDS, Verdict};

/// Whether a checked design is also kept.
pub enum Keep {
    No,
    /// As a new project of this name (`--save`).
    As(String),
    /// As the new design of this saved project (`--replace`).
    Replacing(String),
}

/// Prints the verdict table; `false` when the boards cannot be built.
pub async fn check(
    url: &str,
    files: &[PathBuf],
    boards: u32,
    columns: Option<&str>,
    keep: Keep,
) -> anyhow::Result<bool> {
    if boards == 0 || boards > MAX_BOARDS {
        anyhow::bail!("--boards must be between 1 and {MAX_BOARDS}");
    }
    let saved_name = match &keep {
        Keep::As(name) => Some(project::ProjectName::parse(name).context("--save")?),
        _ => None,
    };
    let (name, design) = read_design(files, columns)?;
    for w in &design.warnings {
        eprintln!("warning: {w}");
    }
    let store = super::open(url).await?;
    let sources = || -> Vec<String> {
        files
            .iter()
            .map(|f| {
                if f.as_os_str() == "-" {
                    "typed list".to_owned()
                } else {
                    f.file_name().map_or_else(
                        || f.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    )
                }
            })
            .collect()
    };
    if let Keep::Replacing(which) = &keep {
        let p = project::find(store.as_ref(), which)
            .await
            .context("--replace")?;
        let was = p.data.lines.len();
        let p = project::replace_design(store.as_ref(), p.id, sources(), design.lines.clone())
            .await
            .context("replacing the project's design")?;
        eprintln!(
            "New design for project #{} “{}”: {} lines (was {was}); spares chosen by hand were cleared, builds are kept.",
            p.id,
            p.data.name,
            p.data.lines.len()
        );
    }
    if let Some(project_name) = saved_name {
        let p = store
            .create_project(project::ProjectData::new(
                project_name,
                sources(),
                design.lines.clone(),
            ))
            .await
            .context("saving the project (a new design for a saved one: --replace PROJECT)")?;
        eprintln!(
            "Saved project #{} “{}” ({} lines): spares build \"{}\" --boards {boards}",
            p.id,
            p.data.name,
            p.data.lines.len(),
            p.data.name
        );
    }
    let checked = project::check(store.as_ref(), &design, boards)
        .await
        .context("checking the design against the stock")?;
    println!(
        "{name} ({}, {} lines) for {boards} board{}:\n",
        design.format.name(),
        design.lines.len(),
        if boards == 1 { "" } else { "s" }
    );
    print_check(&checked);
    Ok(checked.can_build())
}

/// The verdict table, the boxes to visit and the summary.
pub(super) fn print_check(checked: &Check) {
    print!("{}", table(checked));
    let boxes = checked.boxes_to_visit();
    if !boxes.is_empty() {
        println!("\nBoxes to visit:");
        for b in &boxes {
            let name = b
                .code
                .as_ref()
                .map_or("no box".to_owned(), |c| format!("{c}"));
            println!("  {name}: {}", b.take_texts().join("; "));
        }
    }
    println!();
    println!("{}", checked.summary());
}

/// The design in the files: a typed list (`-` or a `.txt`), else what
/// `spares-bom` makes of them.
fn read_design(files: &[PathBuf], columns: Option<&str>) -> anyhow::Result<(String, Design)> {
    let mapping = columns.map(Mapping::parse).transpose()?;
    if let [one] = files {
        let is_list = one.as_os_str() == "-"
            || one
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        if is_list {
            let (name, text) = if one.as_os_str() == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .take(spares_bom::MAX_FILE_BYTES as u64 + 1)
                    .read_to_string(&mut text)
                    .context("reading the list from standard input")?;
                ("standard input".to_owned(), text)
            } else {
                let text = std::fs::read_to_string(one)
                    .with_context(|| format!("reading {}", one.display()))?;
                (one.display().to_string(), text)
            };
            return Ok((name.clone(), read_pasted(&name, &text)?));
        }
    }
    let mut read = Vec::with_capacity(files.len());
    for path in files {
        let size = std::fs::metadata(path)
            .with_context(|| format!("reading {}", path.display()))?
            .len();
        if size > spares_bom::MAX_FILE_BYTES as u64 {
            anyhow::bail!(
                "{}: {size} bytes is more than the {} a design may have",
                path.display(),
                spares_bom::MAX_FILE_BYTES
            );
        }
        read.push(File {
            name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            bytes: std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        });
    }
    let name = read.first().map(|f| f.name.clone()).unwrap_or_default();
    let design = read_files(&read, mapping.as_ref()).map_err(|e| match e {
        spares_bom::BomError::UnknownColumns { .. } => anyhow::anyhow!(
            "{e}\n(spares check --columns \"value=…, quantity=…, designators=…\" names them)"
        ),
        e => e.into(),
    })?;
    Ok((name, design))
}

/// What to do for a line, in words.
fn detail(l: &LineCheck) -> Vec<String> {
    let mut out = Vec::new();
    for t in &l.takes {
        let place = t
            .spare
            .location
            .as_ref()
            .map_or("no box".to_owned(), |b| b.to_string());
        out.push(format!(
            "take {} from {place} (#{} {})",
            t.quantity,
            t.spare.id,
            spares_core::answer::describe(&t.spare)
        ));
    }
    if l.verdict != Verdict::Enough {
        for s in l.substitutes.iter().take(3) {
            out.push(format!("could use {} — {}", s.what, s.why));
        }
    }
    out.extend(l.notes.iter().cloned());
    out
}

fn table(c: &Check) -> String {
    let name_width = c
        .lines
        .iter()
        .map(|l| l.name().chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    let mut out = format!(
        "{:<name_width$}  {:>5}  {:>5}  {:<10}  {}\n",
        "LINE", "NEED", "HAVE", "VERDICT", "PART"
    );
    for l in &c.lines {
        let mut name = l.name();
        if name.chars().count() > name_width {
            name = name.chars().take(name_width - 1).collect::<String>() + "…";
        }
        out.push_str(&format!(
            "{name:<name_width$}  {:>5}  {:>5}  {:<10}  {}\n",
            l.needed,
            l.have.min(l.needed),
            l.verdict.name(),
            l.understood
        ));
        for d in detail(l) {
            out.push_str(&format!(
                "{:name_width$}  {:>5}  {:>5}  {:<10}    {d}\n",
                "", "", "", ""
            ));
        }
    }
    out
}
