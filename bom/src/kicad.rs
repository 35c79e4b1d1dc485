//! KiCad schematics (`.kicad_sch`, KiCad 6 to 9): every placed symbol's
//! fields, following hierarchical sheets through the files given together.

use std::collections::{HashMap, HashSet};

use crate::error::BomError;
use crate::fields::{FieldKind, kind_of, means_not_placed};
use crate::line::{BomLine, Origin};
use crate::sexpr::{self, Sexp};

/// The first file format version KiCad 6 wrote.
const KICAD6: u64 = 20_211_014;
/// Deepest sheet hierarchy followed.
const MAX_SHEET_DEPTH: usize = 32;

/// A schematic file: its name and parsed tree.
struct Sheet {
    name: String,
    root: Sexp,
}

/// Whether `text` looks like a KiCad schematic (so a caller can tell it
/// from a CSV without the file name).
pub fn looks_like(text: &str) -> bool {
    text.trim_start().starts_with("(kicad_sch")
}

/// Reads the placed parts of the schematics in `files` (name, text): the
/// root (the one no other file uses as a sheet) and the sheets it uses,
/// each as often as it is placed. Parts in a sheet whose file was not
/// given are missed with a warning.
pub fn read(
    files: &[(String, String)],
    max_parts: usize,
    warnings: &mut Vec<String>,
) -> Result<Vec<BomLine>, BomError> {
    let mut sheets: Vec<Sheet> = Vec::new();
    for (name, text) in files {
        sheets.push(Sheet {
            name: name.clone(),
            root: parse_file(name, text)?,
        });
    }
    let used: HashSet<String> = sheets
        .iter()
        .flat_map(|s| sheet_refs(&s.root))
        .map(|(file, _, _)| base_name(&file).to_owned())
        .collect();
    let roots: Vec<&Sheet> = sheets
        .iter()
        .filter(|s| !used.contains(base_name(&s.name)))
        .collect();
    let root = match roots.as_slice() {
        [one] => *one,
        [] => {
            return Err(BomError::Design {
                file: sheets.first().map(|s| s.name.clone()).unwrap_or_default(),
                message: "every file is a sheet of another: there is no root sheet".into(),
            });
        }
        [first, ..] => {
            warnings.push(format!(
                "{} files are not sheets of another; {} is read as the root",
                roots.len(),
                first.name
            ));
            *first
        }
    };
    let by_name: HashMap<&str, &Sheet> = sheets.iter().map(|s| (base_name(&s.name), s)).collect();
    // KiCad 6 keeps the references of every placement in the root file.
    let kicad6_refs = symbol_instances(&root.root);
    let root_uuid = root.root.value_of("uuid").unwrap_or_default().to_owned();
    let mut walk = Walk {
        by_name,
        kicad6_refs,
        lines: Vec::new(),
        seen: HashSet::new(),
        max_parts,
        warnings,
    };
    walk.sheet(
        root,
        &format!("/{root_uuid}"),
        "",
        &mut vec![root.name.clone()],
    )?;
    Ok(walk.lines)
}

fn parse_file(name: &str, text: &str) -> Result<Sexp, BomError> {
    if text.starts_with("EESchema Schematic File") {
        return Err(BomError::Design {
            file: name.to_owned(),
            message: "a KiCad 5 schematic (.sch): open it in KiCad 6 or later and save it, or export a BOM CSV".into(),
        });
    }
    let root = sexpr::parse(text).map_err(|source| BomError::Syntax {
        file: name.to_owned(),
        source,
    })?;
    if root.head() != Some("kicad_sch") {
        return Err(BomError::Design {
            file: name.to_owned(),
            message: format!(
                "not a KiCad schematic (it starts with “({}”)",
                root.head().unwrap_or("")
            ),
        });
    }
    let version = root
        .value_of("version")
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    if version < KICAD6 {
        return Err(BomError::Design {
            file: name.to_owned(),
            message: format!("file format version {version} is older than KiCad 6"),
        });
    }
    Ok(root)
}

/// The sheets a schematic places: (file, sheet uuid, line).
fn sheet_refs(root: &Sexp) -> Vec<(String, String, usize)> {
    root.children("sheet")
        .filter_map(|sheet| {
            let file = properties(sheet)
                .into_iter()
                .find(|(k, _)| {
                    let k = crate::fields::normalize(k);
                    k == "sheetfile" || k == "sheetfilename"
                })
                .map(|(_, v)| v)?;
            let uuid = sheet.value_of("uuid").unwrap_or_default().to_owned();
            Some((file, uuid, sheet.line()))
        })
        .collect()
}

/// `sub/power.kicad_sch` → `power.kicad_sch` (uploads lose folders).
fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `(property "Name" "Value" …)` pairs of a node.
fn properties(node: &Sexp) -> Vec<(String, String)> {
    node.children("property")
        .filter_map(|p| {
            let a = p.args();
            Some((a.first()?.atom()?.to_owned(), a.get(1)?.atom()?.to_owned()))
        })
        .collect()
}

/// KiCad 6's `(symbol_instances (path "/sheet…/symbol-uuid" (reference "R1") …))`.
fn symbol_instances(root: &Sexp) -> HashMap<String, String> {
    let mut map = HashMap::new();
    if let Some(list) = root.child("symbol_instances") {
        for path in list.children("path") {
            if let (Some(p), Some(r)) = (
                path.args().first().and_then(Sexp::atom),
                path.value_of("reference"),
            ) {
                map.insert(p.to_owned(), r.to_owned());
            }
        }
    }
    map
}

struct Walk<'a> {
    by_name: HashMap<&'a str, &'a Sheet>,
    kicad6_refs: HashMap<String, String>,
    lines: Vec<BomLine>,
    /// (sheet path, reference): a multi-unit part counts once.
    seen: HashSet<(String, String)>,
    max_parts: usize,
    warnings: &'a mut Vec<String>,
}

impl Walk<'_> {
    /// Reads `sheet` placed at `path` (KiCad 7+: "/root/s1/s2"; KiCad 6
    /// paths leave the root out: `k6_path` "/s1/s2").
    fn sheet(
        &mut self,
        sheet: &Sheet,
        path: &str,
        k6_path: &str,
        stack: &mut Vec<String>,
    ) -> Result<(), BomError> {
        for symbol in sheet.root.children("symbol") {
            self.symbol(sheet, symbol, path, k6_path)?;
        }
        for (file, uuid, line) in sheet_refs(&sheet.root) {
            let Some(sub) = self.by_name.get(base_name(&file)).copied() else {
                self.warnings.push(format!(
                    "{} line {line}: the sheet file {file} was not given with it; its parts are not counted",
                    sheet.name
                ));
                continue;
            };
            if stack.contains(&sub.name) || stack.len() >= MAX_SHEET_DEPTH {
                return Err(BomError::Design {
                    file: sheet.name.clone(),
                    message: format!("line {line}: the sheet {file} contains itself"),
                });
            }
            stack.push(sub.name.clone());
            self.sheet(
                sub,
                &format!("{path}/{uuid}"),
                &format!("{k6_path}/{uuid}"),
                stack,
            )?;
            stack.pop();
        }
        Ok(())
    }

    fn symbol(
        &mut self,
        sheet: &Sheet,
        symbol: &Sexp,
        path: &str,
        k6_path: &str,
    ) -> Result<(), BomError> {
        let lib_id = symbol.value_of("lib_id").unwrap_or_default();
        if lib_id.starts_with("power:") {
            return Ok(());
        }
        let flag = |name: &str| symbol.value_of(name);
        if flag("in_bom") == Some("no")
            || flag("dnp") == Some("yes")
            || flag("exclude_from_bom") == Some("yes")
        {
            return Ok(());
        }
        let props = properties(symbol);
        let reference = self.reference(symbol, path, k6_path, &props);
        if reference.is_empty() || reference.starts_with('#') {
            return Ok(());
        }
        if !self.seen.insert((path.to_owned(), reference.clone())) {
            return Ok(()); // another unit of a part already counted
        }
        let mut line = BomLine::new(Origin {
            file: sheet.name.clone(),
            line: symbol.line(),
        });
        line.designators.push(reference);
        for (name, value) in &props {
            let value = value.trim();
            if value.is_empty() || value == "~" {
                continue;
            }
            match kind_of(name) {
                Some(FieldKind::Value) => line.value = value.to_owned(),
                Some(FieldKind::Footprint) if name.eq_ignore_ascii_case("footprint") => {
                    line.footprint = value.to_owned();
                }
                Some(FieldKind::Mpn) => line.mpn = value.to_owned(),
                Some(FieldKind::Manufacturer) => line.manufacturer = value.to_owned(),
                Some(FieldKind::Description) => line.description = value.to_owned(),
                Some(FieldKind::Supplier(s)) => {
                    line.suppliers.insert(s.to_owned(), value.to_owned());
                }
                Some(FieldKind::Dnp) if crate::fields::marks_dnp(value) => return Ok(()),
                _ => {}
            }
        }
        if means_not_placed(&line.value)
            || crate::fields::nothing_to_buy(&line.designators[0], &line.footprint)
        {
            return Ok(());
        }
        if self.lines.len() >= self.max_parts {
            return Err(BomError::TooManyLines {
                file: sheet.name.clone(),
                max: self.max_parts,
            });
        }
        self.lines.push(line);
        Ok(())
    }

    /// The reference of this placement: KiCad 7+ per-symbol instances,
    /// KiCad 6 root `symbol_instances`, else the Reference field.
    fn reference(
        &self,
        symbol: &Sexp,
        path: &str,
        k6_path: &str,
        props: &[(String, String)],
    ) -> String {
        if let Some(instances) = symbol.child("instances") {
            let mut first = None;
            for project in instances.children("project") {
                for p in project.children("path") {
                    let r = p.value_of("reference");
                    if p.args().first().and_then(Sexp::atom) == Some(path)
                        && let Some(r) = r
                    {
                        return r.to_owned();
                    }
                    first = first.or(r);
                }
            }
            if let Some(r) = first {
                return r.to_owned();
            }
        }
        let uuid = symbol.value_of("uuid").unwrap_or_default();
        if let Some(r) = self.kicad6_refs.get(&format!("{k6_path}/{uuid}")) {
            return r.clone();
        }
        props
            .iter()
            .find(|(k, _)| k == "Reference")
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}
