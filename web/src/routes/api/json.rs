//! What the API reads and writes: the JSON shapes of spares, suggestions,
//! boxes and shops, and how a JSON body fills a [`SpareInput`] (the same
//! field list as the CSV and the web form: [`SpareInput::TEXT_FIELDS`]).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use spares_core::search::Suggestion;
use spares_core::{Field, Location, LocationCode, Shop, ShopName, Spare, SpareInput, WebAddress};

use crate::error::WebError;

/// A spare as the API shows it.
#[derive(Debug, Serialize)]
pub struct SpareJson {
    id: i64,
    category: String,
    reference: String,
    manufacturer: String,
    description: String,
    /// Engineering notation ("10 kΩ").
    value: Option<String>,
    /// The value in SI base units (10000.0).
    value_si: Option<f64>,
    package: Option<String>,
    quantity: i64,
    low_stock: Option<i64>,
    location: Option<String>,
    /// Name → value as shown ("50 V", "X7R").
    parameters: BTreeMap<String, String>,
    /// Exact decimal, as a string.
    unit_price: Option<String>,
    currency: Option<String>,
    shop: Option<String>,
    tags: Vec<String>,
    datasheet: Option<String>,
}

impl From<&Spare> for SpareJson {
    fn from(s: &Spare) -> Self {
        SpareJson {
            id: s.id.0,
            category: s.category.key().to_owned(),
            reference: s.reference.clone(),
            manufacturer: s.manufacturer.clone(),
            description: s.description.clone(),
            value: s.value.as_ref().map(|v| v.formatted()),
            value_si: s.value.as_ref().map(|v| v.si()),
            package: s.package.as_ref().map(|p| p.text().to_owned()),
            quantity: s.quantity.get(),
            low_stock: s.low_stock.map(|q| q.get()),
            location: s.location.as_ref().map(|l| l.to_string()),
            parameters: s
                .parameters
                .iter()
                .map(|(k, v)| (k.to_string(), v.display()))
                .collect(),
            unit_price: s.unit_price.map(|m| m.amount().to_string()),
            currency: s.unit_price.map(|m| m.currency().to_string()),
            shop: s.shop.as_ref().map(|x| x.to_string()),
            tags: s.tags.iter().map(|t| t.as_str().to_owned()).collect(),
            datasheet: s.datasheet.as_ref().map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SuggestionJson {
    Nearest {
        item: Box<SpareJson>,
    },
    Combination {
        wiring: &'static str,
        result: String,
        parts: Vec<SpareJson>,
    },
}

impl From<&Suggestion> for SuggestionJson {
    fn from(s: &Suggestion) -> Self {
        match s {
            Suggestion::Nearest { spare } => SuggestionJson::Nearest {
                item: Box::new(SpareJson::from(spare.as_ref())),
            },
            Suggestion::Combination {
                first,
                second,
                wiring,
                result,
            } => SuggestionJson::Combination {
                wiring: wiring.name(),
                result: result.formatted(),
                parts: vec![
                    SpareJson::from(first.as_ref()),
                    SpareJson::from(second.as_ref()),
                ],
            },
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SearchResponse {
    /// How the question was understood ("resistor · 10 kΩ").
    pub interpretation: String,
    /// The short reply the bot gives.
    pub answer: String,
    pub warnings: Vec<String>,
    /// True when matches were found by tolerating typos.
    pub approximate: bool,
    pub total: u64,
    pub items: Vec<SpareJson>,
    pub suggestions: Vec<SuggestionJson>,
    /// The URL of the next page (same question and order, after the last
    /// item); `null` on the last page.
    pub next: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct LocationJson {
    pub code: String,
    pub name: String,
    pub description: String,
    /// How many kinds of part it holds (in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spares: Option<u64>,
    /// What it holds (for one box).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<SpareJson>>,
}

#[derive(Debug, Serialize)]
pub struct ShopJson {
    name: String,
    website: Option<String>,
}

impl From<&Shop> for ShopJson {
    fn from(s: &Shop) -> Self {
        ShopJson {
            name: s.name.to_string(),
            website: s.website.as_ref().map(ToString::to_string),
        }
    }
}

/// A JSON object with only the `known` keys.
pub fn object(body: &Value, known: &[&str]) -> Result<serde_json::Map<String, Value>, WebError> {
    let obj = body
        .as_object()
        .ok_or_else(|| WebError::BadRequest("send a JSON object".into()))?;
    if let Some(k) = obj.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(WebError::BadRequest(format!(
            "unknown field {k:?} (known: {})",
            known.join(", ")
        )));
    }
    Ok(obj.clone())
}

pub fn string(obj: &serde_json::Map<String, Value>, key: &str) -> Result<Option<String>, WebError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(String::new())),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(_) => Err(WebError::BadRequest(format!("{key}: give text"))),
    }
}

pub fn code(text: &str) -> Result<LocationCode, WebError> {
    LocationCode::parse(text).map_err(|e| WebError::BadRequest(format!("code: {e}")))
}

pub fn shop_name(text: &str) -> Result<ShopName, WebError> {
    ShopName::parse(text).map_err(|e| WebError::BadRequest(format!("name: {e}")))
}

pub fn website(text: Option<String>) -> Result<Option<WebAddress>, WebError> {
    match text.as_deref() {
        None | Some("") => Ok(None),
        Some(w) => WebAddress::parse(w)
            .map(Some)
            .map_err(|e| WebError::BadRequest(format!("website: {e}"))),
    }
}

pub fn location_json(l: Location) -> LocationJson {
    LocationJson {
        code: l.code.to_string(),
        name: l.name,
        description: l.description,
        spares: None,
        items: None,
    }
}

/// Fields as text or numbers (`"quantity": 100` and `"quantity": "100"`).
fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Applies the fields present in `body` to `input` (absent fields stay;
/// `null` or "" clears). Parameters merge by name; a `null` value removes
/// one. Unknown fields are refused so a typo is not silently ignored.
pub fn apply(body: &Value, input: &mut SpareInput) -> Result<(), WebError> {
    let Some(obj) = body.as_object() else {
        return Err(WebError::BadRequest("send a JSON object".into()));
    };
    for (key, v) in obj {
        match key.as_str() {
            "parameters" => match v {
                Value::Null => input.parameters.clear(),
                Value::Object(p) => {
                    for (name, value) in p {
                        input
                            .parameters
                            .retain(|(n, _)| !n.trim().eq_ignore_ascii_case(name.trim()));
                        if !value.is_null() {
                            input.parameters.push((name.clone(), text(Some(value))));
                        }
                    }
                }
                _ => {
                    return Err(WebError::BadRequest(
                        "parameters: an object of name → value".into(),
                    ));
                }
            },
            "tags" => {
                input.tags = match v {
                    Value::Array(a) => a
                        .iter()
                        .map(|t| text(Some(t)))
                        .collect::<Vec<_>>()
                        .join(" "),
                    other => text(Some(other)),
                }
            }
            "id" => {}
            name => match (Field::parse(name), v) {
                (Some(_), Value::Array(_) | Value::Object(_) | Value::Bool(_)) => {
                    return Err(WebError::BadRequest(format!(
                        "{name}: give text or a number"
                    )));
                }
                (Some(field), v) => *input.get_mut(field) = text(Some(v)),
                (None, _) => {
                    let known: Vec<&str> = Field::ALL.into_iter().map(Field::name).collect();
                    return Err(WebError::BadRequest(format!(
                        "unknown field {name:?} (known: {}, parameters)",
                        known.join(", ")
                    )));
                }
            },
        }
    }
    Ok(())
}
