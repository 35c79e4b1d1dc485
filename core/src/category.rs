//! Component categories: a built-in list with synonyms (English and French),
//! plus categories people define themselves.

use std::fmt;

use crate::unit::Unit;

pub const MAX_CATEGORY_LEN: usize = 40;

/// The built-in categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Builtin {
    Resistor,
    Capacitor,
    Inductor,
    Potentiometer,
    Thermistor,
    Diode,
    Led,
    Transistor,
    Regulator,
    Ic,
    Microcontroller,
    Module,
    Sensor,
    Switch,
    Crystal,
    Connector,
    Other,
}

impl Builtin {
    pub const ALL: [Builtin; 17] = [
        Builtin::Resistor,
        Builtin::Capacitor,
        Builtin::Inductor,
        Builtin::Potentiometer,
        Builtin::Thermistor,
        Builtin::Diode,
        Builtin::Led,
        Builtin::Transistor,
        Builtin::Regulator,
        Builtin::Ic,
        Builtin::Microcontroller,
        Builtin::Module,
        Builtin::Sensor,
        Builtin::Switch,
        Builtin::Crystal,
        Builtin::Connector,
        Builtin::Other,
    ];

    /// The stored key and display name.
    pub fn key(self) -> &'static str {
        match self {
            Builtin::Resistor => "resistor",
            Builtin::Capacitor => "capacitor",
            Builtin::Inductor => "inductor",
            Builtin::Potentiometer => "potentiometer",
            Builtin::Thermistor => "thermistor",
            Builtin::Diode => "diode",
            Builtin::Led => "led",
            Builtin::Transistor => "transistor",
            Builtin::Regulator => "regulator",
            Builtin::Ic => "ic",
            Builtin::Microcontroller => "microcontroller",
            Builtin::Module => "module",
            Builtin::Sensor => "sensor",
            Builtin::Switch => "switch",
            Builtin::Crystal => "crystal",
            Builtin::Connector => "connector",
            Builtin::Other => "other",
        }
    }

    /// Words (singular, lower case, accents kept) that name this category.
    /// Plurals are handled by [`singular`].
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Builtin::Resistor => &[
                "resistor",
                "res",
                "resistance",
                "résistance",
                "resistor network",
            ],
            Builtin::Capacitor => &[
                "capacitor",
                "cap",
                "condensateur",
                "condo",
                "capa",
                "electrolytic",
                "ceramic capacitor",
            ],
            Builtin::Inductor => &["inductor", "inductance", "choke", "coil", "self", "bobine"],
            Builtin::Potentiometer => &[
                "potentiometer",
                "pot",
                "trimmer",
                "trimpot",
                "potentiomètre",
                "potar",
            ],
            Builtin::Thermistor => &["thermistor", "ntc", "ptc", "thermistance"],
            Builtin::Diode => &["diode", "rectifier", "zener", "schottky"],
            Builtin::Led => &["led", "diode électroluminescente", "del"],
            Builtin::Transistor => &["transistor", "mosfet", "fet", "bjt", "jfet", "igbt"],
            Builtin::Regulator => &["regulator", "ldo", "régulateur", "regulateur", "vreg"],
            Builtin::Ic => &[
                "ic",
                "chip",
                "integrated circuit",
                "circuit intégré",
                "op-amp",
                "opamp",
            ],
            Builtin::Microcontroller => &[
                "microcontroller",
                "mcu",
                "µc",
                "uc",
                "microcontrôleur",
                "microcontroleur",
                "micro",
            ],
            Builtin::Module => &["module", "board", "breakout", "carte"],
            Builtin::Sensor => &["sensor", "capteur", "detector", "détecteur"],
            Builtin::Switch => &[
                "switch",
                "button",
                "pushbutton",
                "interrupteur",
                "bouton",
                "relay",
                "relais",
            ],
            Builtin::Crystal => &[
                "crystal",
                "xtal",
                "oscillator",
                "quartz",
                "resonator",
                "oscillateur",
            ],
            Builtin::Connector => &[
                "connector",
                "header",
                "socket",
                "jack",
                "plug",
                "connecteur",
                "terminal",
            ],
            Builtin::Other => &["other", "misc", "divers", "autre"],
        }
    }

    /// For words that name a kind within this category ("mosfet",
    /// "schottky", "relay"), the word to keep searching for.
    pub fn subtype_term(word: &str) -> Option<&'static str> {
        let w = singular(&word.trim().to_lowercase());
        Some(match w.as_str() {
            "mosfet" => "mosfet",
            "schottky" => "schottky",
            "zener" => "zener",
            "rectifier" => "rectifier",
            "electrolytic" => "electrolytic",
            "relay" | "relai" => "relay",
            "button" | "pushbutton" | "push button" | "bouton" => "button",
            "header" | "pin header" => "header",
            "op-amp" | "opamp" | "op amp" => "op-amp",
            "trimmer" | "trimpot" => "trimmer",
            "ntc" => "ntc",
            "ptc" => "ptc",
            _ => return None,
        })
    }

    /// The category a bare value means: "10k" is a resistor, "100nF" a
    /// capacitor, "10uH" an inductor, "16MHz" a crystal. The one rule for
    /// added parts and for substitutes.
    pub fn for_unit(unit: Unit) -> Option<Builtin> {
        match unit {
            Unit::Ohm => Some(Builtin::Resistor),
            Unit::Farad => Some(Builtin::Capacitor),
            Unit::Henry => Some(Builtin::Inductor),
            Unit::Hertz => Some(Builtin::Crystal),
            _ => None,
        }
    }

    /// The unit of the category's primary value, where it has one.
    pub fn primary_unit(self) -> Option<Unit> {
        match self {
            Builtin::Resistor | Builtin::Potentiometer | Builtin::Thermistor => Some(Unit::Ohm),
            Builtin::Capacitor => Some(Unit::Farad),
            Builtin::Inductor => Some(Unit::Henry),
            Builtin::Crystal => Some(Unit::Hertz),
            Builtin::Regulator => Some(Unit::Volt),
            _ => None,
        }
    }
}

/// A category: built-in, or a user-defined name (lower case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Builtin(Builtin),
    Custom(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CategoryError {
    #[error("a category cannot be empty")]
    Empty,
    #[error("a category has at most {MAX_CATEGORY_LEN} characters")]
    TooLong,
    #[error("{name:?}: a category uses letters, digits, spaces and '-', not {bad:?}")]
    BadCharacter { name: String, bad: char },
}

/// English plural → singular for category words ("caps" → "cap",
/// "switches" → "switch", "batteries" → "battery").
pub fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.len() >= 2) {
        return format!("{stem}y");
    }
    for ending in ["ches", "shes", "xes", "sses"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if !word.ends_with("ss") && stem.len() >= 2 => stem.to_owned(),
        _ => word.to_owned(),
    }
}

impl Category {
    /// Looks a word or phrase up among the built-in names and synonyms
    /// (case-insensitive, plurals accepted). No typo tolerance here.
    pub fn builtin_from_word(word: &str) -> Option<Builtin> {
        let lower = word.trim().to_lowercase();
        let single = singular(&lower);
        Builtin::ALL.into_iter().find(|b| {
            b.synonyms()
                .iter()
                .any(|s| *s == lower || *s == single || singular(s) == single)
        })
    }

    /// Parses a category as written in a form or CSV: a built-in name or
    /// synonym, otherwise a new user-defined category.
    pub fn parse(text: &str) -> Result<Category, CategoryError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(CategoryError::Empty);
        }
        if trimmed.chars().count() > MAX_CATEGORY_LEN {
            return Err(CategoryError::TooLong);
        }
        if let Some(bad) = trimmed
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '-' | '_')))
        {
            return Err(CategoryError::BadCharacter {
                name: trimmed.to_owned(),
                bad,
            });
        }
        if let Some(b) = Category::builtin_from_word(trimmed) {
            return Ok(Category::Builtin(b));
        }
        let words: Vec<String> = trimmed.split_whitespace().map(str::to_lowercase).collect();
        Ok(Category::Custom(words.join(" ")))
    }

    /// The stored key (the built-in key or the custom name).
    pub fn key(&self) -> &str {
        match self {
            Category::Builtin(b) => b.key(),
            Category::Custom(name) => name,
        }
    }

    pub fn primary_unit(&self) -> Option<Unit> {
        match self {
            Category::Builtin(b) => b.primary_unit(),
            Category::Custom(_) => None,
        }
    }

    pub fn is(&self, builtin: Builtin) -> bool {
        *self == Category::Builtin(builtin)
    }
}

impl Default for Category {
    fn default() -> Self {
        Category::Builtin(Builtin::Other)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Category::Builtin(Builtin::Led) => f.write_str("LED"),
            Category::Builtin(Builtin::Ic) => f.write_str("IC"),
            other => f.write_str(other.key()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_plurals_and_french_names_resolve() {
        for (word, expected) in [
            ("resistors", Builtin::Resistor),
            ("Res", Builtin::Resistor),
            ("caps", Builtin::Capacitor),
            ("condensateurs", Builtin::Capacitor),
            ("résistance", Builtin::Resistor),
            ("interrupteur", Builtin::Switch),
            ("switches", Builtin::Switch),
            ("capteur", Builtin::Sensor),
            ("MOSFETs", Builtin::Transistor),
            ("mcu", Builtin::Microcontroller),
            ("µC", Builtin::Microcontroller),
            ("LEDs", Builtin::Led),
            ("pots", Builtin::Potentiometer),
        ] {
            assert_eq!(Category::builtin_from_word(word), Some(expected), "{word}");
        }
        assert_eq!(Category::builtin_from_word("banana"), None);
    }

    #[test]
    fn unknown_names_become_user_categories() {
        assert_eq!(
            Category::parse("  Battery   Holder "),
            Ok(Category::Custom("battery holder".to_owned()))
        );
        assert_eq!(Category::parse(""), Err(CategoryError::Empty));
        assert!(matches!(
            Category::parse("a{b}"),
            Err(CategoryError::BadCharacter { bad: '{', .. })
        ));
    }

    #[test]
    fn keys_round_trip_through_parse() {
        for b in Builtin::ALL {
            assert_eq!(Category::parse(b.key()), Ok(Category::Builtin(b)));
        }
    }

    #[test]
    fn plural_rules() {
        assert_eq!(singular("batteries"), "battery");
        assert_eq!(singular("switches"), "switch");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("caps"), "cap");
        assert_eq!(singular("glass"), "glass");
    }
}
