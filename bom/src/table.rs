//! BOM spreadsheets: KiCad's CSV export (KiCad 7–9 and the legacy
//! grouped-by-value script), JLCPCB's assembly BOM, and any CSV with a
//! header whose columns Spares recognises or the user names.

use crate::error::BomError;
use crate::fields::{FieldKind, kind_of, marks_dnp, means_not_placed};
use crate::line::{BomLine, Origin};

/// Which layout a table was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// KiCad 7–9 "Export BOM" (Reference, Value, Footprint, Qty, DNP…).
    Kicad,
    /// KiCad's legacy `bom_csv_grouped_by_value` script (Ref, Qnty, …).
    KicadLegacy,
    /// JLCPCB assembly (Comment, Designator, Footprint, LCSC/JLCPCB Part #).
    Jlcpcb,
    /// Another CSV with recognised or named columns.
    Other,
}

/// The user's answer to "which column holds what": `value=Comment,
/// quantity=Count, designators=Refs, mpn=Part Number`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping(Vec<(FieldKind, String)>);

impl Mapping {
    pub fn parse(text: &str) -> Result<Mapping, BomError> {
        let mut out = Vec::new();
        for pair in text
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let Some((what, column)) = pair.split_once('=') else {
                return Err(BomError::Mapping(format!(
                    "“{pair}” should be what=column, e.g. value=Comment"
                )));
            };
            let kind = match crate::fields::normalize(what).as_str() {
                "value" => FieldKind::Value,
                "quantity" | "qty" => FieldKind::Quantity,
                "designators" | "designator" | "reference" | "references" => FieldKind::Designators,
                "mpn" | "partnumber" => FieldKind::Mpn,
                "manufacturer" => FieldKind::Manufacturer,
                "footprint" | "package" => FieldKind::Footprint,
                "description" => FieldKind::Description,
                "lcsc" => FieldKind::Supplier("LCSC"),
                "digikey" => FieldKind::Supplier("Digi-Key"),
                "mouser" => FieldKind::Supplier("Mouser"),
                "dnp" => FieldKind::Dnp,
                other => {
                    return Err(BomError::Mapping(format!(
                        "“{other}” is not one of value, quantity, designators, mpn, manufacturer, footprint, description, lcsc, digikey, mouser, dnp"
                    )));
                }
            };
            out.push((kind, column.trim().to_owned()));
        }
        if out.is_empty() {
            return Err(BomError::Mapping("empty".into()));
        }
        Ok(Mapping(out))
    }
}

/// Column positions.
#[derive(Debug, Default)]
struct Columns {
    kinds: Vec<(usize, FieldKind)>,
}

impl Columns {
    fn of(&self, kind: FieldKind) -> Option<usize> {
        self.kinds.iter().find(|(_, k)| *k == kind).map(|(i, _)| *i)
    }

    /// Enough to know what a row is: a value, a part number or a supplier's.
    fn identifies(&self) -> bool {
        self.kinds.iter().any(|(_, k)| {
            matches!(
                k,
                FieldKind::Value | FieldKind::Mpn | FieldKind::Supplier(_)
            )
        })
    }
}

/// Rows looked at for the header (the legacy script writes a preamble).
const HEADER_SEARCH: usize = 30;

/// Reads a BOM table.
pub fn read(
    file: &str,
    text: &str,
    mapping: Option<&Mapping>,
    max_lines: usize,
    warnings: &mut Vec<String>,
) -> Result<(Vec<BomLine>, Layout), BomError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The delimiter whose header is recognised best.
    let mut best: Option<(usize, u8, usize, Vec<String>, Columns)> = None;
    let mut first_row: Vec<String> = Vec::new();
    for delimiter in [b',', b';', b'\t'] {
        let rows = records(text, delimiter).take(HEADER_SEARCH);
        for (n, row) in rows.enumerate() {
            let Ok((_, row)) = row else { break };
            if n == 0 && (first_row.is_empty() || row.len() > first_row.len()) {
                first_row = row.clone();
            }
            let columns = columns_of(&row, mapping)?;
            if !columns.identifies() {
                continue;
            }
            let score = columns.kinds.len();
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, delimiter, n, row, columns));
            }
            break;
        }
    }
    let Some((_, delimiter, header_at, header, columns)) = best else {
        if let Some(m) = mapping
            && let Some((_, missing)) = m.0.iter().find(|(_, name)| {
                !first_row
                    .iter()
                    .any(|h| h.trim().eq_ignore_ascii_case(name))
            })
        {
            return Err(BomError::Mapping(format!(
                "{file} has no column “{missing}” (its columns: {})",
                first_row.join(", ")
            )));
        }
        return Err(BomError::UnknownColumns {
            file: file.to_owned(),
            found: first_row
                .into_iter()
                .filter(|c| !c.trim().is_empty())
                .collect(),
        });
    };
    if let Some(m) = mapping {
        for (_, name) in &m.0 {
            if !header.iter().any(|h| h.trim().eq_ignore_ascii_case(name)) {
                return Err(BomError::Mapping(format!(
                    "{file} has no column “{name}” (its columns: {})",
                    header.join(", ")
                )));
            }
        }
    }
    let layout = layout_of(&header);
    let mut lines = Vec::new();
    for row in records(text, delimiter).skip(header_at + 1) {
        let (line_no, row) = row.map_err(|(line, message)| BomError::Row {
            file: file.to_owned(),
            line,
            message,
        })?;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |kind| {
            columns
                .of(kind)
                .and_then(|i| row.get(i))
                .map(|c| c.trim())
                .unwrap_or_default()
        };
        if columns.of(FieldKind::Dnp).is_some() && marks_dnp(cell(FieldKind::Dnp)) {
            continue;
        }
        let mut line = BomLine::new(Origin {
            file: file.to_owned(),
            line: line_no,
        });
        line.designators =
            designators(cell(FieldKind::Designators)).map_err(|message| BomError::Row {
                file: file.to_owned(),
                line: line_no,
                message,
            })?;
        line.value = cell(FieldKind::Value).to_owned();
        line.footprint = cell(FieldKind::Footprint).to_owned();
        line.mpn = cell(FieldKind::Mpn).to_owned();
        line.manufacturer = cell(FieldKind::Manufacturer).to_owned();
        line.description = cell(FieldKind::Description).to_owned();
        for (i, kind) in &columns.kinds {
            if let FieldKind::Supplier(s) = kind
                && let Some(c) = row.get(*i).map(|c| c.trim())
                && !c.is_empty()
            {
                line.suppliers.insert((*s).to_owned(), c.to_owned());
            }
        }
        if means_not_placed(&line.value)
            || line
                .designators
                .first()
                .is_some_and(|d| crate::fields::nothing_to_buy(d, &line.footprint))
        {
            continue;
        }
        if line.value.is_empty() && line.mpn.is_empty() && line.suppliers.is_empty() {
            warnings.push(format!(
                "{file} line {line_no}: no value or part number; left out"
            ));
            continue;
        }
        let quantity = cell(FieldKind::Quantity);
        line.quantity = if quantity.is_empty() {
            u32::try_from(line.designators.len().max(1)).unwrap_or(u32::MAX)
        } else {
            match quantity.parse::<u32>() {
                Ok(0) => continue, // a line placed zero times
                Ok(q) => q,
                Err(_) => {
                    return Err(BomError::Row {
                        file: file.to_owned(),
                        line: line_no,
                        message: format!("the quantity “{quantity}” is not a whole number"),
                    });
                }
            }
        };
        if lines.len() >= max_lines {
            return Err(BomError::TooManyLines {
                file: file.to_owned(),
                max: max_lines,
            });
        }
        lines.push(line);
    }
    Ok((lines, layout))
}

/// Most designators one range may stand for ("R1-R1000000" is a typo).
const MAX_RANGE: u64 = 1_000;

/// A designators cell: `R1, R2 R3;R4`, and ranges as BOM tools write them:
/// `R3-R6`, `R3–R6`, `R3-6`.
fn designators(cell: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for d in cell
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        let Some((from, to)) = d.split_once(['-', '–']) else {
            out.push(d.to_owned());
            continue;
        };
        let prefix = crate::line::prefix_of(from);
        let to_prefix = crate::line::prefix_of(to);
        let (Ok(a), Ok(b)) = (
            from[prefix.len()..].parse::<u64>(),
            to[to_prefix.len()..].parse::<u64>(),
        ) else {
            out.push(d.to_owned()); // not a range: a name with a dash
            continue;
        };
        if prefix.is_empty() || !(to_prefix.is_empty() || to_prefix == prefix) {
            out.push(d.to_owned());
            continue;
        }
        if b < a || b - a >= MAX_RANGE {
            return Err(format!(
                "the designator range “{d}” is not a range of at most {MAX_RANGE}"
            ));
        }
        out.extend((a..=b).map(|n| format!("{prefix}{n}")));
    }
    Ok(out)
}

/// Rows with their line numbers; a malformed row is an error naming its line.
fn records(
    text: &str,
    delimiter: u8,
) -> impl Iterator<Item = Result<(usize, Vec<String>), (usize, String)>> + '_ {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    std::iter::from_fn(move || match reader.read_record(&mut record) {
        Ok(true) => {
            let line = record.position().map_or(0, |p| p.line() as usize);
            Some(Ok((line, record.iter().map(str::to_owned).collect())))
        }
        Ok(false) => None,
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Some(Err((line, e.to_string())))
        }
    })
}

/// The columns a header row names: the user's mapping first, then the
/// names Spares knows for what is left.
fn columns_of(row: &[String], mapping: Option<&Mapping>) -> Result<Columns, BomError> {
    let mut kinds: Vec<(usize, FieldKind)> = Vec::new();
    if let Some(m) = mapping {
        for (kind, col) in &m.0 {
            if let Some(i) = row.iter().position(|h| h.trim().eq_ignore_ascii_case(col)) {
                kinds.push((i, *kind));
            }
        }
    }
    for (i, name) in row.iter().enumerate() {
        if kinds.iter().any(|(j, _)| *j == i) {
            continue;
        }
        if let Some(kind) = kind_of(name)
            && !kinds.iter().any(|(_, k)| *k == kind)
        {
            kinds.push((i, kind));
        }
    }
    Ok(Columns { kinds })
}

fn layout_of(header: &[String]) -> Layout {
    let has = |n: &str| {
        header
            .iter()
            .any(|h| crate::fields::normalize(h) == crate::fields::normalize(n))
    };
    if has("Comment")
        && has("Designator")
        && (has("LCSC Part #") || has("JLCPCB Part #") || has("LCSC"))
    {
        Layout::Jlcpcb
    } else if has("Ref") && has("Qnty") {
        Layout::KicadLegacy
    } else if (has("Reference") || has("Refs")) && has("Value") && has("Footprint") && has("Qty") {
        Layout::Kicad
    } else {
        Layout::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn designator_ranges_are_expanded() {
        assert_eq!(
            designators("R3-R6, R10").expect("ok"),
            ["R3", "R4", "R5", "R6", "R10"]
        );
        assert_eq!(designators("C1–3").expect("ok"), ["C1", "C2", "C3"]);
        assert_eq!(designators("J1 SW-A").expect("ok"), ["J1", "SW-A"]);
        assert!(designators("R6-R3").is_err());
        assert!(designators("R1-R1000000").is_err());
    }
}
