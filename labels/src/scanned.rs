//! What a scanned code points at, wherever it was scanned (a photo sent to
//! the bot, a photo uploaded on the web's Scan page, a keyboard-wedge
//! scanner typing into a field): one reading for every door.

use spares_core::{LocationCode, SpareId, SpareInput};

use crate::payload::{Payload, PayloadError};
use crate::supplier::{self, SupplierCode, SupplierError};

/// A code's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// A Spares box label.
    Box(LocationCode),
    /// A Spares part label.
    Spare(SpareId),
    /// A supplier bag (Digi-Key, Mouser, LCSC, TME).
    Bag(SupplierCode),
    /// A Spares label or a supplier code that cannot be used, and why.
    Unusable(String),
    /// Some other text (shown, never acted on).
    Other(String),
}

impl Scanned {
    /// Reads a code's text: a Spares label first, then a supplier bag.
    pub fn read(text: &str) -> Scanned {
        match Payload::parse(text) {
            Ok(Payload::Box(code)) => return Scanned::Box(code),
            Ok(Payload::Spare(id)) => return Scanned::Spare(id),
            Err(PayloadError::Invalid(why)) => return Scanned::Unusable(why),
            Err(PayloadError::Unknown(_)) => {}
        }
        match supplier::parse(text) {
            Ok(bag) => Scanned::Bag(bag),
            Err(SupplierError::Unknown) => Scanned::Other(text.chars().take(200).collect()),
            Err(e) => Scanned::Unusable(e.to_string()),
        }
    }

    /// Whether a line typed into a search box is a scanned code rather
    /// than words to search for.
    pub fn is_code(text: &str) -> bool {
        !matches!(Scanned::read(text), Scanned::Other(_))
    }
}

impl SupplierCode {
    /// The new part a bag describes: its part number, manufacturer,
    /// quantity (1 when the code has none), the shop and the order number
    /// in the notes; in `location` when given.
    pub fn spare_input(&self, location: Option<&LocationCode>) -> SpareInput {
        SpareInput {
            reference: self.part().unwrap_or_default().to_owned(),
            manufacturer: self.manufacturer.clone().unwrap_or_default(),
            quantity: self.quantity.map_or(1, |q| q.get()).to_string(),
            shop: self.supplier.name().to_owned(),
            location: location.map(ToString::to_string).unwrap_or_default(),
            notes: self
                .order
                .as_ref()
                .map(|o| format!("order {o}"))
                .unwrap_or_default(),
            ..SpareInput::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_bags_and_other_texts_are_told_apart() {
        assert_eq!(
            Scanned::read("SPARES:B:a1"),
            Scanned::Box(LocationCode::parse("A1").expect("code"))
        );
        assert_eq!(
            Scanned::read("https://spares.example/s/12"),
            Scanned::Spare(SpareId(12))
        );
        assert!(matches!(Scanned::read("SPARES:S:0"), Scanned::Unusable(_)));
        let lcsc =
            "{pbn:PICK1,on:SO1,pc:C25804,pm:0603WAF1002T5E,qty:100,mc:,cc:1,pdi:1,hp:null,wc:JS}";
        match Scanned::read(lcsc) {
            Scanned::Bag(bag) => {
                let input = bag.spare_input(LocationCode::parse("B2").ok().as_ref());
                assert_eq!(input.reference, "0603WAF1002T5E");
                assert_eq!(input.quantity, "100");
                assert_eq!(input.shop, "LCSC");
                assert_eq!(input.location, "B2");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(Scanned::read("hello"), Scanned::Other("hello".into()));
        assert!(Scanned::is_code("SPARES:B:A1"));
        assert!(!Scanned::is_code("10k resistor"));
    }

    #[test]
    fn keyboard_wedge_spellings_of_the_separators_read_as_a_bag() {
        let real = "[)>\u{1e}06\u{1d}P296-1234-ND\u{1d}1PLM358\u{1d}Q25\u{1e}\u{04}";
        let expected = Scanned::read(real);
        assert!(matches!(expected, Scanned::Bag(_)), "{expected:?}");
        for spelled in [
            "[)><RS>06<GS>P296-1234-ND<GS>1PLM358<GS>Q25<RS><EOT>",
            "[)>{RS}06{GS}P296-1234-ND{GS}1PLM358{GS}Q25{RS}{EOT}",
            "[)>^^06^]P296-1234-ND^]1PLM358^]Q25^^^D",
            "[)>␞06␝P296-1234-ND␝1PLM358␝Q25␞␄",
        ] {
            assert_eq!(Scanned::read(spelled), expected, "{spelled}");
        }
    }
}
