//! Field and column names as designs write them, mapped to what they hold.

/// What a field or column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Designators,
    Quantity,
    Value,
    Footprint,
    Mpn,
    Manufacturer,
    Description,
    /// A supplier's part number (the supplier's name).
    Supplier(&'static str),
    /// "Do not place": a column whose non-empty value takes the row out.
    Dnp,
}

/// `"LCSC Part #"` → "lcscpart": lower case, without spaces, `_`, `-`,
/// `.`, `#`, `:`.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '#' | ':' | '/' | '(' | ')'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a field or column name holds, if Spares knows the name.
pub fn kind_of(name: &str) -> Option<FieldKind> {
    use FieldKind::*;
    // Mouser writes "Mfr. #" for the part number and "Mfr." for the maker.
    let n = normalize(name);
    if n == "mfr" {
        return Some(if name.contains('#') {
            Mpn
        } else {
            Manufacturer
        });
    }
    Some(match n.as_str() {
        "reference" | "references" | "ref" | "refs" | "designator" | "designators" | "refdes"
        | "part" | "parts" | "partreference" => Designators,
        "qty" | "qnty" | "quantity" | "count" | "amount" | "qtyperboard" | "quantityperpcb" => {
            Quantity
        }
        "value" | "comment" | "val" => Value,
        "footprint" | "package" | "case" | "pattern" | "footprintname" => Footprint,
        "mpn"
        | "manufacturerpartnumber"
        | "manufacturerpn"
        | "mfrpartnumber"
        | "mfrpn"
        | "mfgpartnumber"
        | "mfgpn"
        | "partnumber"
        | "pn"
        | "manfpartnumber"
        | "mfpn" => Mpn,
        "manufacturer" | "manufacturername" | "mfg" | "manufacture" | "maker" => Manufacturer,
        "description" | "desc" => Description,
        "lcsc" | "lcscpart" | "lcscpartnumber" | "lcscpn" | "jlcpcbpart" | "jlcpcbpartnumber"
        | "jlcpart" | "jlc" | "lcscid" => Supplier("LCSC"),
        "digikey" | "digikeypart" | "digikeypn" | "digikeypartnumber" => Supplier("Digi-Key"),
        "mouser" | "mouserpart" | "mouserpn" | "mouserpartnumber" => Supplier("Mouser"),
        "tme" | "tmepart" | "tmepn" => Supplier("TME"),
        "farnell" | "farnellpn" | "farnellpart" => Supplier("Farnell"),
        "dnp" | "dnf" | "donotplace" | "donotpopulate" => Dnp,
        _ => return None,
    })
}

/// A value that means "not placed" (KiCad designs mark unfitted parts so).
pub fn means_not_placed(value: &str) -> bool {
    matches!(
        normalize(value).as_str(),
        "dnp" | "dnf" | "nc" | "np" | "donotplace" | "donotpopulate" | "notplaced" | "nf"
    )
}

/// A placed symbol that is nothing to buy: a mounting hole, fiducial, test
/// point or logo is copper or silkscreen on the board, not a part.
pub fn nothing_to_buy(designator: &str, footprint: &str) -> bool {
    let library = footprint.split(':').next().unwrap_or_default();
    let prefix = crate::line::prefix_of(designator).to_ascii_uppercase();
    matches!(library, "MountingHole" | "Fiducial" | "TestPoint")
        || matches!(prefix.as_str(), "LOGO" | "FID")
}

/// A cell that marks a row "do not place" in a DNP column.
pub fn marks_dnp(cell: &str) -> bool {
    let n = normalize(cell);
    !n.is_empty() && !matches!(n.as_str(), "0" | "no" | "n" | "false" | "place" | "fitted")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_as_tools_write_them() {
        assert_eq!(kind_of("LCSC Part #"), Some(FieldKind::Supplier("LCSC")));
        assert_eq!(kind_of("JLCPCB Part #"), Some(FieldKind::Supplier("LCSC")));
        assert_eq!(kind_of("Manufacturer_Part_Number"), Some(FieldKind::Mpn));
        assert_eq!(kind_of("Qty"), Some(FieldKind::Quantity));
        assert_eq!(kind_of("Designator"), Some(FieldKind::Designators));
        assert_eq!(kind_of("Comment"), Some(FieldKind::Value));
        assert_eq!(kind_of("Datasheet"), None);
        assert_eq!(kind_of("Mfr. #"), Some(FieldKind::Mpn));
        assert_eq!(kind_of("Mfr."), Some(FieldKind::Manufacturer));
        assert!(means_not_placed("DNP"));
        assert!(means_not_placed("n.c."));
        assert!(!means_not_placed("10k"));
        assert!(marks_dnp("DNP"));
        assert!(!marks_dnp(""));
    }
}
