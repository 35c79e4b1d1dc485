//! [`Field`]: the one list of a spare's text fields. CSV columns, the web
//! form, the JSON API and the names a parameter may not take all come from
//! here, so a new field is added once.

use crate::spare::SpareInput;

/// A single-text field of a spare, as forms, CSV and JSON name it
/// (parameters, the open-ended name → value rows, are apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Category,
    Reference,
    Value,
    Package,
    Quantity,
    UnitPrice,
    Currency,
    Location,
    Shop,
    Description,
    Tags,
    Manufacturer,
    LowStock,
    Datasheet,
    Notes,
}

impl Field {
    /// Every field, in CSV export order: the documented columns first,
    /// then the ones export adds so that nothing is lost.
    pub const ALL: [Field; 15] = [
        Field::Category,
        Field::Reference,
        Field::Value,
        Field::Package,
        Field::Quantity,
        Field::UnitPrice,
        Field::Currency,
        Field::Location,
        Field::Shop,
        Field::Description,
        Field::Tags,
        Field::Manufacturer,
        Field::LowStock,
        Field::Datasheet,
        Field::Notes,
    ];

    /// The name in CSV headers, form fields and JSON keys.
    pub fn name(self) -> &'static str {
        match self {
            Field::Category => "category",
            Field::Reference => "reference",
            Field::Value => "value",
            Field::Package => "package",
            Field::Quantity => "quantity",
            Field::UnitPrice => "unit_price",
            Field::Currency => "currency",
            Field::Location => "location",
            Field::Shop => "shop",
            Field::Description => "description",
            Field::Tags => "tags",
            Field::Manufacturer => "manufacturer",
            Field::LowStock => "low_stock",
            Field::Datasheet => "datasheet",
            Field::Notes => "notes",
        }
    }

    /// What a person calls it (form labels).
    pub fn label(self) -> &'static str {
        match self {
            Field::Category => "Category",
            Field::Reference => "Reference",
            Field::Value => "Value",
            Field::Package => "Package",
            Field::Quantity => "Quantity",
            Field::UnitPrice => "Unit price",
            Field::Currency => "Currency",
            Field::Location => "Box",
            Field::Shop => "Shop",
            Field::Description => "Description",
            Field::Tags => "Tags",
            Field::Manufacturer => "Manufacturer",
            Field::LowStock => "Low-stock threshold",
            Field::Datasheet => "Datasheet",
            Field::Notes => "Notes",
        }
    }

    /// An example of what goes in it (form hints).
    pub fn hint(self) -> &'static str {
        match self {
            Field::Category => "resistor, capacitor, led, ic…",
            Field::Reference => "manufacturer part number",
            Field::Value => "as you would say it: 10k, 4k7, 0.1uF, 100n",
            Field::Package => "0805, TO-220, DIP-8…",
            Field::Quantity => "how many you have",
            Field::UnitPrice => "e.g. 0.012",
            Field::Currency => "EUR, USD, GBP…",
            Field::Location => "where it is: A1, drawer-3…",
            Field::Shop => "where you bought it",
            Field::Tags => "words separated by spaces",
            Field::LowStock => "warn when fewer are left",
            Field::Datasheet => "https://…",
            Field::Description | Field::Manufacturer | Field::Notes => "",
        }
    }

    /// One of the CSV columns the README documents (the others are written
    /// by export so that nothing is lost, and read back).
    pub fn documented_column(self) -> bool {
        !matches!(
            self,
            Field::Manufacturer | Field::LowStock | Field::Datasheet | Field::Notes
        )
    }

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether a parameter may not be called `name`: a field, or a name
    /// the store and the exports give a meaning (`id`, `parameters`, times).
    pub fn is_reserved(name: &str) -> bool {
        Field::parse(name).is_some()
            || matches!(name, "id" | "parameters" | "created_at" | "updated_at")
    }
}

impl SpareInput {
    /// The text of `field`.
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Category => &self.category,
            Field::Reference => &self.reference,
            Field::Value => &self.value,
            Field::Package => &self.package,
            Field::Quantity => &self.quantity,
            Field::UnitPrice => &self.unit_price,
            Field::Currency => &self.currency,
            Field::Location => &self.location,
            Field::Shop => &self.shop,
            Field::Description => &self.description,
            Field::Tags => &self.tags,
            Field::Manufacturer => &self.manufacturer,
            Field::LowStock => &self.low_stock,
            Field::Datasheet => &self.datasheet,
            Field::Notes => &self.notes,
        }
    }

    /// The text of `field`, to fill in.
    pub fn get_mut(&mut self, field: Field) -> &mut String {
        match field {
            Field::Category => &mut self.category,
            Field::Reference => &mut self.reference,
            Field::Value => &mut self.value,
            Field::Package => &mut self.package,
            Field::Quantity => &mut self.quantity,
            Field::UnitPrice => &mut self.unit_price,
            Field::Currency => &mut self.currency,
            Field::Location => &mut self.location,
            Field::Shop => &mut self.shop,
            Field::Description => &mut self.description,
            Field::Tags => &mut self.tags,
            Field::Manufacturer => &mut self.manufacturer,
            Field::LowStock => &mut self.low_stock,
            Field::Datasheet => &mut self.datasheet,
            Field::Notes => &mut self.notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_round_trips_by_name_and_slot() {
        let mut input = SpareInput::default();
        for (i, f) in Field::ALL.into_iter().enumerate() {
            assert_eq!(Field::parse(f.name()), Some(f));
            assert!(Field::is_reserved(f.name()));
            assert!(!f.label().is_empty());
            *input.get_mut(f) = format!("text {i}");
        }
        // Each field is its own slot: nothing overwrote another.
        for (i, f) in Field::ALL.into_iter().enumerate() {
            assert_eq!(input.get(f), format!("text {i}"));
        }
        assert_eq!(Field::parse("voltage"), None);
        assert!(!Field::is_reserved("voltage"));
        assert!(Field::is_reserved("id"));
    }
}
