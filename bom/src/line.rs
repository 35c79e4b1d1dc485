//! One line of a bill of materials, as read from a design: what is placed
//! (designators, how many per board) and what the design says about it.

use std::collections::BTreeMap;

/// Where a line was read (for messages: "design.kicad_sch line 812").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

/// A BOM line: identical parts grouped (same value, footprint, part
/// numbers), with every designator that places one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BomLine {
    /// `R1`, `R2`… in natural order; empty for a pasted line.
    pub designators: Vec<String>,
    /// How many one board needs (at least 1).
    pub quantity: u32,
    /// The value as written (`10k`, `100nF 16V`, `NE555`).
    pub value: String,
    /// The footprint as written (`Resistor_SMD:R_0805_2012Metric`).
    pub footprint: String,
    /// The manufacturer's part number, when the design gives one.
    pub mpn: String,
    pub manufacturer: String,
    /// Supplier part numbers by supplier name (`LCSC` → `C25804`).
    pub suppliers: BTreeMap<String, String>,
    pub description: String,
    /// A pasted line as the person wrote it (without the quantity): it is
    /// understood like a search-box question.
    pub text: String,
    pub origin: Origin,
}

impl BomLine {
    /// A line for one placed part.
    pub fn new(origin: Origin) -> BomLine {
        BomLine {
            designators: Vec::new(),
            quantity: 1,
            value: String::new(),
            footprint: String::new(),
            mpn: String::new(),
            manufacturer: String::new(),
            suppliers: BTreeMap::new(),
            description: String::new(),
            text: String::new(),
            origin,
        }
    }

    /// The designators written compactly: `R1–R4, R7`.
    pub fn designators_text(&self) -> String {
        compact(&self.designators)
    }

    /// What identifies a line for grouping: everything but designators,
    /// quantity and origin.
    fn group_key(&self) -> (String, String, String, String, String, String) {
        (
            self.value.to_lowercase(),
            self.footprint.clone(),
            self.mpn.to_lowercase(),
            self.manufacturer.to_lowercase(),
            format!("{:?}", self.suppliers),
            self.text.to_lowercase(),
        )
    }
}

/// Groups identical parts into one line (designators merged, quantities
/// summed), in the order the first of each was met; designators in
/// natural order (R2 before R10).
pub fn group(lines: Vec<BomLine>) -> Vec<BomLine> {
    let mut out: Vec<BomLine> = Vec::new();
    let mut index: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for line in lines {
        let key = (designator_prefix(&line), line.group_key());
        match index.get(&key) {
            Some(&i) => {
                let into = &mut out[i];
                into.quantity = into.quantity.saturating_add(line.quantity);
                into.designators.extend(line.designators);
            }
            None => {
                index.insert(key, out.len());
                out.push(line);
            }
        }
    }
    for line in &mut out {
        line.designators.sort_by_key(|d| natural(d));
        line.designators.dedup();
    }
    out
}

/// The letters of a line's first designator ("R" of R12), so a resistor and
/// a capacitor both valued "DNP-less 10" never group.
fn designator_prefix(line: &BomLine) -> String {
    line.designators
        .first()
        .map(|d| prefix_of(d).to_owned())
        .unwrap_or_default()
}

/// The leading letters of a designator: `R` of `R12`, `LED` of `LED3`.
pub fn prefix_of(designator: &str) -> &str {
    let end = designator
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(designator.len());
    &designator[..end]
}

/// `R12` → ("R", 12, ""); sorts R2 before R10.
fn natural(d: &str) -> (String, u64, String) {
    let p = prefix_of(d);
    let rest = &d[p.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let n = digits.parse().unwrap_or(u64::MAX);
    (p.to_uppercase(), n, rest[digits.len()..].to_owned())
}

/// `R1 R2 R3 R4 R7` → `R1–R4, R7`.
fn compact(designators: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < designators.len() {
        let (p, n, tail) = natural(&designators[i]);
        let mut j = i;
        while j + 1 < designators.len() {
            let (p2, n2, tail2) = natural(&designators[j + 1]);
            let (_, nj, _) = natural(&designators[j]);
            if p2 == p && tail.is_empty() && tail2.is_empty() && n != u64::MAX && n2 == nj + 1 {
                j += 1;
            } else {
                break;
            }
        }
        if j >= i + 2 {
            parts.push(format!("{}–{}", designators[i], designators[j]));
        } else {
            for d in &designators[i..=j] {
                parts.push(d.clone());
            }
        }
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(d: &str, value: &str) -> BomLine {
        let mut l = BomLine::new(Origin {
            file: "x".into(),
            line: 1,
        });
        l.designators = vec![d.into()];
        l.value = value.into();
        l
    }

    #[test]
    fn identical_parts_group_with_their_designators_in_natural_order() {
        let lines = group(vec![
            line("R10", "10k"),
            line("C1", "100n"),
            line("R2", "10k"),
            line("R3", "10K"),
            line("R1", "10k"),
            line("R4", "1k"),
        ]);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].designators, ["R1", "R2", "R3", "R10"]);
        assert_eq!(lines[0].quantity, 4);
        assert_eq!(lines[0].designators_text(), "R1–R3, R10");
        assert_eq!(lines[1].designators, ["C1"]);
    }
}
