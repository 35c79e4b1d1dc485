//! The spare: one kind of part in stock, with its value, package, open-ended
//! parameters, quantity, price, shop and box.
//!
//! [`SpareInput`] holds text as typed in a form, a CSV row or a JSON body;
//! [`SpareInput::parse`] turns it into [`SpareData`] or into a list of
//! [`FieldError`]s that name each bad field.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

use chrono::{DateTime, Utc};

use crate::category::Category;
use crate::location::LocationCode;
use crate::money::{Currency, Money, MoneyError};
use crate::quantity::Quantity;
use crate::shop::{ShopName, WebAddress};
use crate::unit::Unit;
use crate::value::Value;

pub const MAX_REFERENCE_LEN: usize = 100;
pub const MAX_DESCRIPTION_LEN: usize = 1_000;
pub const MAX_NOTES_LEN: usize = 10_000;
pub const MAX_PACKAGE_LEN: usize = 40;
pub const MAX_TAG_LEN: usize = 40;
pub const MAX_TAGS: usize = 30;
pub const MAX_PARAM_NAME_LEN: usize = 40;
pub const MAX_PARAM_TEXT_LEN: usize = 200;
pub const MAX_PARAMS: usize = 50;

/// A spare's identity, assigned by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SpareId(pub i64);

impl fmt::Display for SpareId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A package or footprint ("0805", "SOT-23", "TO-220", "DIP-8", "5mm").
/// Compared by its key: upper case with spaces, '-' and '_' removed, so
/// "sot23" matches "SOT-23".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Package {
    text: String,
    key: String,
}

impl Package {
    pub fn parse(text: &str) -> Result<Package, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("a package cannot be empty".into());
        }
        if trimmed.chars().count() > MAX_PACKAGE_LEN {
            return Err(format!(
                "a package has at most {MAX_PACKAGE_LEN} characters"
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err("a package cannot contain control characters".into());
        }
        Ok(Package {
            text: trimmed.to_owned(),
            key: Package::key_of(trimmed),
        })
    }

    /// The comparison key of a package text.
    pub fn key_of(text: &str) -> String {
        text.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_uppercase)
            .collect()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn key(&self) -> &str {
        &self.key
    }
}

/// A tag: one lower-case word (letters, digits, '-', '_', '.', '+', '#').
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag(String);

impl Tag {
    pub fn parse(text: &str) -> Result<Tag, String> {
        let t = text.trim().to_lowercase();
        if t.is_empty() {
            return Err("a tag cannot be empty".into());
        }
        if t.chars().count() > MAX_TAG_LEN {
            return Err(format!("a tag has at most {MAX_TAG_LEN} characters"));
        }
        if let Some(bad) = t
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '#')))
        {
            return Err(format!(
                "tag {t:?} cannot contain {bad:?} (tags are single words)"
            ));
        }
        Ok(Tag(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A parameter name: lower case, words joined by '_' ("voltage", "max_current").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParamName(String);

impl ParamName {
    pub fn parse(text: &str) -> Result<ParamName, String> {
        let name = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("_")
            .to_lowercase();
        if name.is_empty() {
            return Err("a parameter name cannot be empty".into());
        }
        if name.chars().count() > MAX_PARAM_NAME_LEN {
            return Err(format!(
                "a parameter name has at most {MAX_PARAM_NAME_LEN} characters"
            ));
        }
        if let Some(bad) = name
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-')))
        {
            return Err(format!("parameter name {name:?} cannot contain {bad:?}"));
        }
        let name = match name.as_str() {
            "colour" | "couleur" => "color".to_owned(),
            _ => name,
        };
        if crate::field::Field::is_reserved(&name) {
            return Err(format!("{name:?} is a field of its own, not a parameter"));
        }
        Ok(ParamName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ParamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A parameter's value: a physical quantity when it reads as one, else text.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Quantity(Value),
    Text(String),
}

impl ParamValue {
    /// "50V" → 50 V; "voltage: 50" → 50 V (the name hints the unit);
    /// "X7R", "red" → text.
    pub fn parse(name: &ParamName, text: &str) -> Result<ParamValue, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(format!("parameter {name} has no value"));
        }
        if trimmed.chars().count() > MAX_PARAM_TEXT_LEN {
            return Err(format!(
                "parameter {name} has at most {MAX_PARAM_TEXT_LEN} characters"
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(format!(
                "parameter {name} cannot contain control characters"
            ));
        }
        match Value::parse(trimmed, Unit::hint_for_parameter(name.as_str())) {
            Ok(v) => Ok(ParamValue::Quantity(v)),
            Err(_) => Ok(ParamValue::Text(trimmed.to_owned())),
        }
    }

    /// The text as typed.
    pub fn text(&self) -> &str {
        match self {
            ParamValue::Quantity(v) => v.text(),
            ParamValue::Text(t) => t,
        }
    }

    /// The text as shown: engineering notation for quantities.
    pub fn display(&self) -> String {
        match self {
            ParamValue::Quantity(v) => v.formatted(),
            ParamValue::Text(t) => t.clone(),
        }
    }

    pub fn as_value(&self) -> Option<&Value> {
        match self {
            ParamValue::Quantity(v) => Some(v),
            ParamValue::Text(_) => None,
        }
    }
}

/// Everything about a spare except its identity and timestamps.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpareData {
    pub category: Category,
    pub reference: String,
    pub manufacturer: String,
    pub description: String,
    pub value: Option<Value>,
    pub package: Option<Package>,
    pub parameters: BTreeMap<ParamName, ParamValue>,
    pub tags: Vec<Tag>,
    pub quantity: Quantity,
    pub low_stock: Option<Quantity>,
    pub unit_price: Option<Money>,
    pub shop: Option<ShopName>,
    pub location: Option<LocationCode>,
    pub datasheet: Option<WebAddress>,
    pub notes: String,
}

impl SpareData {
    /// The lower-case text that free-text search terms are matched against.
    /// Every backend stores or computes exactly this.
    pub fn search_text(&self) -> String {
        let mut parts: Vec<&str> = vec![
            &self.reference,
            &self.manufacturer,
            &self.description,
            &self.notes,
            self.category.key(),
        ];
        parts.extend(self.tags.iter().map(Tag::as_str));
        parts.retain(|p| !p.is_empty());
        parts.join("\n").to_lowercase()
    }

    /// Tags as stored for matching: " a b c " (spaces around every tag).
    pub fn tags_key(&self) -> String {
        let mut key = String::from(" ");
        for tag in &self.tags {
            key.push_str(tag.as_str());
            key.push(' ');
        }
        key
    }

    /// At or below its low-stock threshold.
    pub fn is_low(&self) -> bool {
        self.low_stock.is_some_and(|t| self.quantity <= t)
    }

    /// A short name for messages: "10 kΩ resistor 0805" or the reference.
    pub fn title(&self) -> String {
        let mut parts = Vec::new();
        if let Some(v) = &self.value {
            parts.push(v.formatted());
        }
        if !self.reference.is_empty() {
            parts.push(self.reference.clone());
        } else {
            parts.push(self.category.to_string());
        }
        if let Some(p) = &self.package {
            parts.push(p.text().to_owned());
        }
        parts.join(" ")
    }
}

/// A stored spare.
#[derive(Debug, Clone, PartialEq)]
pub struct Spare {
    pub id: SpareId,
    pub data: SpareData,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Deref for Spare {
    type Target = SpareData;
    fn deref(&self) -> &SpareData {
        &self.data
    }
}

/// One field that could not be read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every bad field of an input, so a form can show each beside its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
pub struct InputErrors(pub Vec<FieldError>);

impl InputErrors {
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// A spare as typed: every field is text. Empty text means "not given".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpareInput {
    pub category: String,
    pub reference: String,
    pub manufacturer: String,
    pub description: String,
    pub value: String,
    pub package: String,
    /// (name, value) rows; rows whose value is blank are ignored.
    pub parameters: Vec<(String, String)>,
    /// Space- or comma-separated.
    pub tags: String,
    pub quantity: String,
    pub low_stock: String,
    pub unit_price: String,
    pub currency: String,
    pub shop: String,
    pub location: String,
    pub datasheet: String,
    pub notes: String,
}

fn bounded(field: &str, text: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let t = text.trim();
    if t.chars().count() > max {
        errors.push(FieldError {
            field: field.into(),
            message: format!("at most {max} characters"),
        });
    }
    t.to_owned()
}

impl SpareInput {
    /// Reads every field; collects every error rather than stopping at the
    /// first. `default_currency` is used when a price is given without one.
    pub fn parse(&self, default_currency: Option<Currency>) -> Result<SpareData, InputErrors> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };

        let category = if self.category.trim().is_empty() {
            Category::default()
        } else {
            Category::parse(&self.category).unwrap_or_else(|e| {
                err("category", e.to_string());
                Category::default()
            })
        };

        let value = match self.value.trim() {
            "" => None,
            text => {
                let parsed = match category.primary_unit() {
                    Some(unit) => Value::parse_as(text, unit),
                    None => Value::parse(text, None),
                };
                parsed.map_err(|e| err("value", e.to_string())).ok()
            }
        };

        let package = match self.package.trim() {
            "" => None,
            text => Package::parse(text).map_err(|e| err("package", e)).ok(),
        };

        let mut parameters = BTreeMap::new();
        for (name, text) in &self.parameters {
            if text.trim().is_empty() {
                continue;
            }
            let name = match ParamName::parse(name) {
                Ok(n) => n,
                Err(e) => {
                    err("parameters", e);
                    continue;
                }
            };
            match ParamValue::parse(&name, text) {
                Ok(v) => {
                    if parameters.insert(name.clone(), v).is_some() {
                        err("parameters", format!("parameter {name} is given twice"));
                    }
                }
                Err(e) => err("parameters", e),
            }
        }
        if parameters.len() > MAX_PARAMS {
            err("parameters", format!("at most {MAX_PARAMS} parameters"));
        }

        let mut tags: Vec<Tag> = Vec::new();
        for word in self
            .tags
            .split([' ', ',', ';'])
            .filter(|w| !w.trim().is_empty())
        {
            match Tag::parse(word) {
                Ok(t) if !tags.contains(&t) => tags.push(t),
                Ok(_) => {}
                Err(e) => err("tags", e),
            }
        }
        if tags.len() > MAX_TAGS {
            err("tags", format!("at most {MAX_TAGS} tags"));
        }

        let quantity = match self.quantity.trim() {
            "" => Quantity::ZERO,
            text => text.parse().unwrap_or_else(|e: crate::QuantityError| {
                err("quantity", e.to_string());
                Quantity::ZERO
            }),
        };
        let low_stock = match self.low_stock.trim() {
            "" => None,
            text => text
                .parse()
                .map_err(|e: crate::QuantityError| err("low_stock", e.to_string()))
                .ok(),
        };

        let currency = match self.currency.trim() {
            "" => Ok(default_currency),
            text => Currency::parse(text).map(Some),
        };
        let unit_price = match (self.unit_price.trim(), currency) {
            ("", Err(e)) => {
                err("currency", e.to_string());
                None
            }
            ("", Ok(_)) => None,
            (_, Err(e)) => {
                err("currency", e.to_string());
                None
            }
            (_, Ok(None)) => {
                err("currency", MoneyError::MissingCurrency.to_string());
                None
            }
            (text, Ok(Some(c))) => {
                let text = text
                    .trim_start_matches(['€', '$', '£'])
                    .trim_end_matches(['€', '$', '£']);
                Money::parse(text, c)
                    .map_err(|e| err("unit_price", e.to_string()))
                    .ok()
            }
        };

        let shop = match self.shop.trim() {
            "" => None,
            text => ShopName::parse(text)
                .map_err(|e| err("shop", e.to_string()))
                .ok(),
        };
        let location = match self.location.trim() {
            "" => None,
            text => LocationCode::parse(text)
                .map_err(|e| err("location", e.to_string()))
                .ok(),
        };
        let datasheet = match self.datasheet.trim() {
            "" => None,
            text => WebAddress::parse(text)
                .map_err(|e| err("datasheet", e.to_string()))
                .ok(),
        };

        let reference = bounded("reference", &self.reference, MAX_REFERENCE_LEN, &mut errors);
        let manufacturer = bounded(
            "manufacturer",
            &self.manufacturer,
            MAX_REFERENCE_LEN,
            &mut errors,
        );
        let description = bounded(
            "description",
            &self.description,
            MAX_DESCRIPTION_LEN,
            &mut errors,
        );
        let notes = bounded("notes", &self.notes, MAX_NOTES_LEN, &mut errors);

        if reference.is_empty()
            && value.is_none()
            && description.is_empty()
            && self.value.trim().is_empty()
        {
            errors.push(FieldError {
                field: "reference".into(),
                message: "give at least a reference, a value or a description".into(),
            });
        }

        if !errors.is_empty() {
            return Err(InputErrors(errors));
        }
        Ok(SpareData {
            category,
            reference,
            manufacturer,
            description,
            value,
            package,
            parameters,
            tags,
            quantity,
            low_stock,
            unit_price,
            shop,
            location,
            datasheet,
            notes,
        })
    }

    /// The input that parses back to `data` (used by export and edit forms).
    pub fn from_data(data: &SpareData) -> SpareInput {
        SpareInput {
            category: data.category.key().to_owned(),
            reference: data.reference.clone(),
            manufacturer: data.manufacturer.clone(),
            description: data.description.clone(),
            value: data
                .value
                .as_ref()
                .map(|v| v.text().to_owned())
                .unwrap_or_default(),
            package: data
                .package
                .as_ref()
                .map(|p| p.text().to_owned())
                .unwrap_or_default(),
            parameters: data
                .parameters
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.text().to_owned()))
                .collect(),
            tags: data
                .tags
                .iter()
                .map(Tag::as_str)
                .collect::<Vec<_>>()
                .join(" "),
            quantity: data.quantity.to_string(),
            low_stock: data.low_stock.map(|q| q.to_string()).unwrap_or_default(),
            unit_price: data
                .unit_price
                .map(|m| m.amount().to_string())
                .unwrap_or_default(),
            currency: data
                .unit_price
                .map(|m| m.currency().to_string())
                .unwrap_or_default(),
            shop: data
                .shop
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            location: data
                .location
                .as_ref()
                .map(|l| l.as_str().to_owned())
                .unwrap_or_default(),
            datasheet: data
                .datasheet
                .as_ref()
                .map(|d| d.as_str().to_owned())
                .unwrap_or_default(),
            notes: data.notes.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::Builtin;

    fn input() -> SpareInput {
        SpareInput {
            category: "resistors".into(),
            reference: "RC0805FR-0710KL".into(),
            value: "10k".into(),
            package: "0805".into(),
            parameters: vec![
                ("Power".into(), "1/8W".into()),
                ("tolerance".into(), "±1%".into()),
                ("color".into(), "blue".into()),
                ("voltage".into(), "150".into()),
                ("empty".into(), "  ".into()),
            ],
            tags: "smd, E96 smd".into(),
            quantity: "150".into(),
            unit_price: "0.012".into(),
            currency: "eur".into(),
            shop: "LCSC".into(),
            location: "a1".into(),
            ..SpareInput::default()
        }
    }

    #[test]
    fn a_typed_resistor_parses_into_typed_fields() {
        let data = input().parse(None).expect("valid");
        assert!(data.category.is(Builtin::Resistor));
        assert_eq!(data.value.as_ref().map(Value::si), Some(10_000.0));
        assert_eq!(data.package.as_ref().map(Package::key), Some("0805"));
        assert_eq!(data.tags.len(), 2);
        assert_eq!(data.location.as_ref().map(LocationCode::as_str), Some("A1"));
        assert_eq!(
            data.unit_price.map(|m| m.to_string()),
            Some("0.012 EUR".into())
        );
        let voltage = ParamName::parse("voltage").expect("valid");
        assert_eq!(
            data.parameters
                .get(&voltage)
                .and_then(ParamValue::as_value)
                .map(Value::unit),
            Some(Unit::Volt)
        );
        let color = ParamName::parse("color").expect("valid");
        assert_eq!(
            data.parameters.get(&color),
            Some(&ParamValue::Text("blue".into()))
        );
        assert_eq!(data.parameters.len(), 4, "blank parameter rows are ignored");
    }

    #[test]
    fn every_bad_field_is_reported_by_name() {
        let bad = SpareInput {
            value: "10uF".into(),
            quantity: "-3".into(),
            location: "A 1".into(),
            unit_price: "abc".into(),
            datasheet: "not a url".into(),
            parameters: vec![("quantity".into(), "3".into())],
            ..input()
        };
        let errors = bad.parse(None).expect_err("invalid");
        for field in [
            "value",
            "quantity",
            "location",
            "unit_price",
            "datasheet",
            "parameters",
        ] {
            assert!(
                errors.for_field(field).is_some(),
                "{field} missing from {errors}"
            );
        }
        assert!(
            errors
                .for_field("value")
                .is_some_and(|m| m.contains("resistance"))
        );
    }

    #[test]
    fn a_price_needs_a_currency_unless_a_default_is_given() {
        let no_currency = SpareInput {
            currency: String::new(),
            ..input()
        };
        assert!(
            no_currency
                .parse(None)
                .expect_err("invalid")
                .for_field("currency")
                .is_some()
        );
        let eur = Currency::parse("EUR").ok();
        assert!(no_currency.parse(eur).is_ok());
    }

    #[test]
    fn a_spare_needs_something_to_call_it_by() {
        let errors = SpareInput::default().parse(None).expect_err("invalid");
        assert!(errors.for_field("reference").is_some());
    }

    #[test]
    fn input_from_data_parses_back_to_the_same_data() {
        let data = input().parse(None).expect("valid");
        assert_eq!(SpareInput::from_data(&data).parse(None), Ok(data));
    }

    #[test]
    fn packages_compare_by_key() {
        assert_eq!(
            Package::parse("sot23").map(|p| p.key),
            Package::parse("SOT-23").map(|p| p.key)
        );
        assert_eq!(
            Package::parse("DIP 8").map(|p| p.key),
            Ok("DIP8".to_owned())
        );
    }
}
