//! What to order: every line the stock does not cover for the boards asked
//! (its exact part; a substitute is not counted), plus a margin of spares,
//! as a plain list or a CSV for a shop's BOM upload tool.
//!
//! The CSV columns are the names the shops' upload tools map by themselves
//! (their templates' headers; each tool also lets you map columns by hand):
//! LCSC's BOM tool, Mouser's BOM tool ("Quantity 1" is its order quantity)
//! and Digi-Key's BOM Manager / list upload.

use super::check::{Check, LineCheck, Verdict};

/// Most extra parts per line asked for.
pub const MAX_EXTRA: u32 = 10_000;

/// One thing to order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToBuy {
    pub quantity: u64,
    /// What it is in words when the design gives no part number:
    /// "10 kΩ 0805 resistor".
    pub description: String,
    pub mpn: String,
    pub manufacturer: String,
    /// The shop's own number for it, by shop ("LCSC" → "C25804").
    pub lcsc: String,
    pub mouser: String,
    pub digikey: String,
    /// Which line it is for: "R1–R4" or the typed line.
    pub reference: String,
}

/// Where a list is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShopFormat {
    /// One line per part: "4 × 10 kΩ 0805 resistor (R1–R4)".
    Plain,
    Lcsc,
    Mouser,
    DigiKey,
}

impl ShopFormat {
    pub const ALL: [ShopFormat; 4] = [
        ShopFormat::Plain,
        ShopFormat::Lcsc,
        ShopFormat::Mouser,
        ShopFormat::DigiKey,
    ];

    /// The name in URLs and flags: plain, lcsc, mouser, digikey.
    pub fn key(self) -> &'static str {
        match self {
            ShopFormat::Plain => "plain",
            ShopFormat::Lcsc => "lcsc",
            ShopFormat::Mouser => "mouser",
            ShopFormat::DigiKey => "digikey",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ShopFormat::Plain => "Plain list",
            ShopFormat::Lcsc => "LCSC CSV",
            ShopFormat::Mouser => "Mouser CSV",
            ShopFormat::DigiKey => "Digi-Key CSV",
        }
    }

    pub fn parse(text: &str) -> Option<ShopFormat> {
        let key: String = text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        ShopFormat::ALL
            .into_iter()
            .find(|f| f.key() == key || (key == "txt" && *f == ShopFormat::Plain))
    }

    /// The file's media type (UTF-8 text or CSV).
    pub fn media_type(self) -> &'static str {
        if self == ShopFormat::Plain {
            "text/plain; charset=utf-8"
        } else {
            "text/csv; charset=utf-8"
        }
    }

    /// The file's extension: txt or csv.
    pub fn extension(self) -> &'static str {
        if self == ShopFormat::Plain {
            "txt"
        } else {
            "csv"
        }
    }
}

/// The line in words for a shop: value, package, ratings, then the kind
/// ("10 kΩ 0805 resistor"); the design's text when nothing was understood.
pub fn parametric(l: &LineCheck) -> String {
    let kind = l
        .line
        .designators
        .first()
        .and_then(|d| spares_bom::part::kind(d, &l.line.footprint));
    let mut kind_word = kind.map(str::to_owned);
    let mut words: Vec<String> = Vec::new();
    if l.understood != "nothing" {
        for piece in l.understood.split(" · ") {
            let piece = piece.trim().trim_matches(['“', '”']).trim();
            let piece = piece.strip_prefix("color ").unwrap_or(piece);
            let piece = piece.strip_prefix("part number ").unwrap_or(piece);
            // "voltage = 50 V" → "50 V": a shop reads the rating.
            let piece = [" = ", " ≥ ", " ≤ "]
                .iter()
                .find_map(|cmp| piece.split_once(cmp))
                .map_or(piece, |(_, v)| v);
            let is_number = |n: &String| !n.is_empty() && n.eq_ignore_ascii_case(piece);
            if piece.is_empty()
                || is_number(&l.line.mpn)
                || l.line.suppliers.values().any(is_number)
            {
                continue;
            }
            if crate::category::Category::builtin_from_word(piece).is_some() {
                kind_word.get_or_insert_with(|| piece.to_owned());
                continue;
            }
            // A word as the design wrote it ("NE555", not the search's "ne555").
            let written = [&l.line.text, &l.line.value, &l.line.description]
                .into_iter()
                .flat_map(|t| t.split_whitespace())
                .find(|w| w.eq_ignore_ascii_case(piece))
                .unwrap_or(piece);
            words.push(written.to_owned());
        }
    }
    if let Some(p) = spares_bom::part::package(&l.line.footprint)
        && !words.iter().any(|w| w.eq_ignore_ascii_case(&p))
    {
        words.push(p);
    }
    if words.is_empty() {
        let raw = [&l.line.value, &l.line.text, &l.line.description]
            .into_iter()
            .find(|t| !t.trim().is_empty())
            .cloned()
            .unwrap_or_default();
        words.push(raw);
    }
    if kind_word.is_none() {
        let q = crate::question::understand(&super::check::question_for(&l.line)).query;
        kind_word = q.category.map(|c| c.key().to_owned()).or_else(|| {
            q.value
                .and_then(|v| crate::category::Builtin::for_unit(v.unit()))
                .map(|b| b.key().to_owned())
        });
    }
    if let Some(k) = kind_word
        && !words.iter().any(|w| w.eq_ignore_ascii_case(&k))
    {
        words.push(match k.as_str() {
            "led" => "LED".to_owned(),
            "ic" => "IC".to_owned(),
            _ => k,
        });
    }
    words.join(" ")
}

/// What to order for the boards the check was made for: for each line
/// whose exact part is not in stock for all of them, what is missing plus
/// `extra` spares. Lines with the same part number are one order (their
/// references joined).
pub fn shopping_list(check: &Check, extra: u32) -> Vec<ToBuy> {
    let extra = u64::from(extra.min(MAX_EXTRA));
    let mut out: Vec<ToBuy> = Vec::new();
    for b in lines_to_buy(check, extra) {
        let same = |o: &&mut ToBuy| {
            !b.mpn.is_empty()
                && o.mpn.eq_ignore_ascii_case(&b.mpn)
                && o.manufacturer.eq_ignore_ascii_case(&b.manufacturer)
        };
        match out.iter_mut().find(same) {
            Some(o) => {
                o.quantity += b.quantity;
                o.reference = format!("{}, {}", o.reference, b.reference);
                for (mine, theirs) in [
                    (&mut o.lcsc, b.lcsc),
                    (&mut o.mouser, b.mouser),
                    (&mut o.digikey, b.digikey),
                ] {
                    if mine.is_empty() {
                        *mine = theirs;
                    }
                }
            }
            None => out.push(b),
        }
    }
    out
}

fn lines_to_buy(check: &Check, extra: u64) -> Vec<ToBuy> {
    check
        .lines
        .iter()
        .filter(|l| l.verdict != Verdict::Enough)
        .map(|l| {
            let supplier = |name: &str| l.line.suppliers.get(name).cloned().unwrap_or_default();
            ToBuy {
                quantity: l.needed.saturating_sub(l.have) + extra,
                description: parametric(l),
                mpn: l.line.mpn.clone(),
                manufacturer: l.line.manufacturer.clone(),
                lcsc: supplier("LCSC"),
                mouser: supplier("Mouser"),
                digikey: supplier("Digi-Key"),
                reference: l.name(),
            }
        })
        .collect()
}

/// The list written for `format` (UTF-8; CSV with a header row).
pub fn write(list: &[ToBuy], format: ShopFormat) -> String {
    if format == ShopFormat::Plain {
        return list
            .iter()
            .map(|b| {
                let mut line = format!("{} × ", b.quantity);
                if b.mpn.is_empty() {
                    line.push_str(&b.description);
                } else {
                    line.push_str(&b.mpn);
                    if !b.manufacturer.is_empty() {
                        line.push_str(&format!(" ({})", b.manufacturer));
                    }
                    if !b.description.eq_ignore_ascii_case(&b.mpn) {
                        line.push_str(&format!(" — {}", b.description));
                    }
                }
                let shops: Vec<String> = [
                    ("LCSC", &b.lcsc),
                    ("Mouser", &b.mouser),
                    ("Digi-Key", &b.digikey),
                ]
                .iter()
                .filter(|(_, n)| !n.is_empty())
                .map(|(s, n)| format!("{s} {n}"))
                .collect();
                if !shops.is_empty() {
                    line.push_str(&format!(" [{}]", shops.join(", ")));
                }
                if !b.reference.is_empty() {
                    line.push_str(&format!(" for {}", b.reference));
                }
                line.push('\n');
                line
            })
            .collect();
    }
    let (header, rows): (&[&str], Vec<Vec<String>>) = match format {
        ShopFormat::Lcsc => (
            &[
                "Quantity",
                "LCSC Part Number",
                "Manufacture Part Number",
                "Manufacturer",
                "Description",
                "Customer Part Number",
            ],
            list.iter()
                .map(|b| {
                    vec![
                        b.quantity.to_string(),
                        b.lcsc.clone(),
                        b.mpn.clone(),
                        b.manufacturer.clone(),
                        b.description.clone(),
                        b.reference.clone(),
                    ]
                })
                .collect(),
        ),
        ShopFormat::Mouser => (
            &[
                "Mouser Part Number",
                "Manufacturer Part Number",
                "Manufacturer Name",
                "Description",
                "Quantity 1",
                "Customer Part Number",
            ],
            list.iter()
                .map(|b| {
                    vec![
                        b.mouser.clone(),
                        b.mpn.clone(),
                        b.manufacturer.clone(),
                        b.description.clone(),
                        b.quantity.to_string(),
                        b.reference.clone(),
                    ]
                })
                .collect(),
        ),
        ShopFormat::DigiKey | ShopFormat::Plain => (
            &[
                "Quantity",
                "Digi-Key Part Number",
                "Manufacturer Part Number",
                "Manufacturer",
                "Description",
                "Customer Reference",
            ],
            list.iter()
                .map(|b| {
                    vec![
                        b.quantity.to_string(),
                        b.digikey.clone(),
                        b.mpn.clone(),
                        b.manufacturer.clone(),
                        b.description.clone(),
                        b.reference.clone(),
                    ]
                })
                .collect(),
        ),
    };
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut write_all = || -> Result<(), csv::Error> {
        out.write_record(header)?;
        for r in &rows {
            // A cell a spreadsheet would run as a formula is written as text.
            out.write_record(r.iter().map(|c| crate::csv_io::neutralize(c).into_owned()))?;
        }
        out.flush()?;
        Ok(())
    };
    // Writing into memory does not fail; an error would leave a shorter file.
    let _ = write_all();
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
