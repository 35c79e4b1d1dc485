//! Supplier bag codes → "add N × part" proposals.
//!
//! - **Digi-Key and Mouser** print ISO/IEC 15434 format 06: `[)>` RS `06` GS
//!   field GS field … RS EOT, each field an ANSI MH10.8.2 data identifier
//!   and its value: `1P` manufacturer part, `Q` quantity, `K`/`14K` order,
//!   `1T` lot, `4L` origin, `1V` manufacturer, and for Digi-Key `30P` its
//!   own part number (preferred over `P`, which meant different things on
//!   old and new labels). Old Mouser labels start `>[)>06`. The visible
//!   `␞ ␝ ␄` that people paste are accepted as well as the control bytes.
//! - **LCSC**: `{pbn:…,on:…,pc:C…,pm:MPN,qty:N,…}`; values may be empty and
//!   are split only before a known key, never on every comma.
//! - **TME**: space-separated `KEY:VALUE` tokens (`QTY`, `PN`, `MPN`, `MFR`,
//!   `PO`, `CoO`…).

use spares_core::Quantity;

/// Which shop printed the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supplier {
    DigiKey,
    Mouser,
    Lcsc,
    Tme,
}

impl Supplier {
    pub fn name(self) -> &'static str {
        match self {
            Supplier::DigiKey => "Digi-Key",
            Supplier::Mouser => "Mouser",
            Supplier::Lcsc => "LCSC",
            Supplier::Tme => "TME",
        }
    }
}

/// What a bag code says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierCode {
    pub supplier: Supplier,
    /// Manufacturer part number.
    pub mpn: Option<String>,
    /// The shop's own part number (Digi-Key `30P`, LCSC `C…`, TME `PN`).
    pub supplier_part: Option<String>,
    pub quantity: Option<Quantity>,
    pub order: Option<String>,
    pub manufacturer: Option<String>,
}

impl SupplierCode {
    /// The part number to file the parts under: the manufacturer's, else
    /// the shop's.
    pub fn part(&self) -> Option<&str> {
        self.mpn.as_deref().or(self.supplier_part.as_deref())
    }
}

/// Why a text is not a supplier code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupplierError {
    #[error("not a supplier code")]
    Unknown,
    #[error("{supplier} code without a part number")]
    NoPart { supplier: &'static str },
    #[error("{supplier} code with a bad quantity {value:?}")]
    BadQuantity {
        supplier: &'static str,
        value: String,
    },
}

const MAX_LEN: usize = 4096;

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn quantity(supplier: Supplier, value: &str) -> Result<Option<Quantity>, SupplierError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse().map(Some).map_err(|_| SupplierError::BadQuantity {
        supplier: supplier.name(),
        value: v.chars().take(40).collect(),
    })
}

fn finish(code: SupplierCode) -> Result<SupplierCode, SupplierError> {
    if code.part().is_none() {
        return Err(SupplierError::NoPart {
            supplier: code.supplier.name(),
        });
    }
    Ok(code)
}

/// Reads a supplier bag code.
pub fn parse(text: &str) -> Result<SupplierCode, SupplierError> {
    if text.len() > MAX_LEN {
        return Err(SupplierError::Unknown);
    }
    // Visible control pictures, and the spellings keyboard-wedge scanners
    // type for the separators they cannot send as keys → the control
    // characters.
    let mut text: String = text
        .chars()
        .map(|c| match c {
            '␞' => '\u{1e}',
            '␝' => '\u{1d}',
            '␄' => '\u{04}',
            c => c,
        })
        .collect();
    if text.starts_with("[)>") || text.starts_with(">[)>") {
        for (spelled, control) in [
            ("<RS>", "\u{1e}"),
            ("<GS>", "\u{1d}"),
            ("<EOT>", "\u{04}"),
            ("{RS}", "\u{1e}"),
            ("{GS}", "\u{1d}"),
            ("{EOT}", "\u{04}"),
            ("^^", "\u{1e}"),
            ("^]", "\u{1d}"),
            ("^D", "\u{04}"),
        ] {
            text = text.replace(spelled, control);
        }
    }
    let t = text.trim_matches(|c: char| c.is_whitespace() && !c.is_control());
    if let Some(body) = t.strip_prefix("[)>").or_else(|| t.strip_prefix(">[)>")) {
        return iso15434(body);
    }
    if t.starts_with('{') && t.ends_with('}') && t.contains("pc:") {
        return lcsc(&t[1..t.len() - 1]);
    }
    if t.split_whitespace().any(|tok| tok.starts_with("QTY:"))
        && t.split_whitespace()
            .any(|tok| tok.starts_with("PN:") || tok.starts_with("MPN:"))
    {
        return tme(t);
    }
    Err(SupplierError::Unknown)
}

/// Data identifiers this reader knows, longest first so `30P` wins over `P`.
const IDENTIFIERS: [&str; 17] = [
    "30P", "14K", "11K", "11Z", "12Z", "13Z", "20Z", "10D", "1P", "1T", "4L", "1V", "1K", "9D",
    "P", "Q", "K",
];

fn iso15434(body: &str) -> Result<SupplierCode, SupplierError> {
    // `06` then GS-separated fields; old Mouser labels omit the RS.
    let body = body.trim_start_matches('\u{1e}');
    let Some(fields) = body.strip_prefix("06") else {
        return Err(SupplierError::Unknown);
    };
    let mut values: Vec<(&str, String)> = Vec::new();
    for field in fields.split('\u{1d}') {
        let field = field.trim_end_matches(['\u{1e}', '\u{04}']).trim();
        if field.is_empty() {
            continue;
        }
        if let Some(di) = IDENTIFIERS.iter().find(|di| field.starts_with(**di)) {
            values.push((di, field[di.len()..].to_owned()));
        }
    }
    let get = |di: &str| {
        values
            .iter()
            .find(|(d, _)| *d == di)
            .and_then(|(_, v)| non_empty(v))
    };
    let digikey = ["30P", "11Z", "12Z", "13Z", "20Z"]
        .iter()
        .any(|di| get(di).is_some());
    let supplier = if digikey {
        Supplier::DigiKey
    } else {
        Supplier::Mouser
    };
    finish(SupplierCode {
        supplier,
        mpn: get("1P"),
        supplier_part: if digikey {
            get("30P").or_else(|| get("P"))
        } else {
            None
        },
        quantity: quantity(supplier, &get("Q").unwrap_or_default())?,
        order: get("K").or_else(|| get("14K")),
        manufacturer: get("1V"),
    })
}

const LCSC_KEYS: [&str; 10] = [
    "pbn", "on", "pc", "pm", "qty", "mc", "cc", "pdi", "hp", "wc",
];

fn lcsc(inner: &str) -> Result<SupplierCode, SupplierError> {
    // Split only before ",key:" for a known key: values may contain commas.
    let mut starts: Vec<(usize, &str)> = Vec::new();
    for key in LCSC_KEYS {
        let at_start = format!("{key}:");
        if inner.starts_with(&at_start) {
            starts.push((0, key));
        }
        let pattern = format!(",{key}:");
        let mut from = 0;
        while let Some(pos) = inner[from..].find(&pattern) {
            starts.push((from + pos + 1, key));
            from += pos + 1;
        }
    }
    starts.sort();
    let mut fields: Vec<(&str, &str)> = Vec::new();
    for (i, (start, key)) in starts.iter().enumerate() {
        let value_start = start + key.len() + 1;
        let end = starts.get(i + 1).map_or(inner.len(), |(next, _)| next - 1);
        fields.push((
            key,
            inner
                .get(value_start..end.max(value_start))
                .unwrap_or_default(),
        ));
    }
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| *key == k)
            .and_then(|(_, v)| non_empty(v))
    };
    finish(SupplierCode {
        supplier: Supplier::Lcsc,
        mpn: get("pm"),
        supplier_part: get("pc"),
        quantity: quantity(Supplier::Lcsc, &get("qty").unwrap_or_default())?,
        order: get("on"),
        manufacturer: None,
    })
}

fn tme(text: &str) -> Result<SupplierCode, SupplierError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for token in text.split_whitespace() {
        match token.split_once(':') {
            Some((key, value))
                if !key.is_empty()
                    && key.chars().all(|c| c.is_ascii_alphabetic())
                    && !value.starts_with("//") =>
            {
                fields.push((key.to_ascii_uppercase(), value.to_owned()));
            }
            // A value with spaces continues the previous field; URLs are skipped.
            _ if !token.contains("://") => {
                if let Some(last) = fields.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(token);
                }
            }
            _ => {}
        }
    }
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .and_then(|(_, v)| non_empty(v))
    };
    finish(SupplierCode {
        supplier: Supplier::Tme,
        mpn: get("MPN"),
        supplier_part: get("PN"),
        quantity: quantity(Supplier::Tme, &get("QTY").unwrap_or_default())?,
        order: get("PO"),
        manufacturer: get("MFR"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RS: char = '\u{1e}';
    const GS: char = '\u{1d}';
    const EOT: char = '\u{04}';

    fn q(n: i64) -> Option<Quantity> {
        Quantity::new(n).ok()
    }

    #[test]
    fn digikey_prefers_its_30p_part_number() {
        let text = format!(
            "[)>{RS}06{GS}P296-1234-1-ND{GS}1PCL21B104KBCNNNC{GS}30P1276-1003-1-ND{GS}K12345{GS}1K7654321{GS}10K87654321{GS}11K1{GS}4LKR{GS}Q100{GS}11ZPICK{GS}12Z3456789{GS}13Z123456{GS}20Z0000000{RS}{EOT}"
        );
        let code = parse(&text).expect("digikey");
        assert_eq!(code.supplier, Supplier::DigiKey);
        assert_eq!(code.mpn.as_deref(), Some("CL21B104KBCNNNC"));
        assert_eq!(code.supplier_part.as_deref(), Some("1276-1003-1-ND"));
        assert_eq!(code.quantity, q(100));
        assert_eq!(code.order.as_deref(), Some("12345"));
    }

    #[test]
    fn mouser_new_and_old_labels_and_pasted_control_pictures() {
        let new = format!(
            "[)>{RS}06{GS}K1234567{GS}14K001{GS}1PRC0805FR-0710KL{GS}Q250{GS}11K987{GS}4LTW{GS}1VYageo{RS}{EOT}"
        );
        let code = parse(&new).expect("mouser");
        assert_eq!(code.supplier, Supplier::Mouser);
        assert_eq!(code.mpn.as_deref(), Some("RC0805FR-0710KL"));
        assert_eq!(
            code.supplier_part, None,
            "Mouser carries no Mouser part number"
        );
        assert_eq!(code.quantity, q(250));
        assert_eq!(code.manufacturer.as_deref(), Some("Yageo"));
        let old = format!(">[)>06{GS}K1234{GS}1PNE555P{GS}Q10{GS}4LMY");
        assert_eq!(
            parse(&old).expect("old mouser").mpn.as_deref(),
            Some("NE555P")
        );
        let pasted = "[)>␞06␝1PLM7805CT␝Q5␞␄";
        let code = parse(pasted).expect("pasted");
        assert_eq!(
            (code.mpn.as_deref(), code.quantity),
            (Some("LM7805CT"), q(5))
        );
    }

    #[test]
    fn lcsc_with_empty_values_and_commas() {
        let code = parse("{pbn:PICK2206170033,on:SO2206171424,pc:C2040,pm:RP2040,qty:10,mc:,cc:1,pdi:57498706,hp:0,wc:ZH}")
            .expect("lcsc");
        assert_eq!(code.supplier, Supplier::Lcsc);
        assert_eq!(code.mpn.as_deref(), Some("RP2040"));
        assert_eq!(code.supplier_part.as_deref(), Some("C2040"));
        assert_eq!(code.quantity, q(10));
        assert_eq!(code.order.as_deref(), Some("SO2206171424"));
        let comma = parse("{on:SO1,pc:C123,pm:RES 10K,1%,0805,qty:100}").expect("comma in value");
        assert_eq!(comma.mpn.as_deref(), Some("RES 10K,1%,0805"));
        assert_eq!(comma.quantity, q(100));
        let no_mpn = parse("{on:SO1,pc:C25804,pm:,qty:50}").expect("shop part only");
        assert_eq!(no_mpn.part(), Some("C25804"));
    }

    #[test]
    fn tme_tokens() {
        let code = parse("QTY:100 PN:1N4148-DIO MFR:DIOTEC MPN:1N4148 PO:7654321/3 CoO:CN https://www.tme.eu/details/1n4148-dio")
            .expect("tme");
        assert_eq!(code.supplier, Supplier::Tme);
        assert_eq!(code.mpn.as_deref(), Some("1N4148"));
        assert_eq!(code.supplier_part.as_deref(), Some("1N4148-DIO"));
        assert_eq!(code.quantity, q(100));
        assert_eq!(code.manufacturer.as_deref(), Some("DIOTEC"));
    }

    #[test]
    fn bad_codes_say_what_is_wrong() {
        assert_eq!(parse("hello"), Err(SupplierError::Unknown));
        assert_eq!(
            parse("https://spares.example/b/A1"),
            Err(SupplierError::Unknown)
        );
        assert_eq!(
            parse(&format!("[)>{RS}07{GS}1PX")),
            Err(SupplierError::Unknown)
        );
        assert_eq!(
            parse(&format!("[)>{RS}06{GS}Q10{RS}{EOT}")),
            Err(SupplierError::NoPart { supplier: "Mouser" })
        );
        assert!(matches!(
            parse(&format!("[)>{RS}06{GS}1PX{GS}Qten")),
            Err(SupplierError::BadQuantity { .. })
        ));
        assert!(matches!(
            parse("{pc:C1,pm:X,qty:-5}"),
            Err(SupplierError::BadQuantity { .. })
        ));
        assert_eq!(parse(&"[)>".repeat(2000)), Err(SupplierError::Unknown));
    }
}
