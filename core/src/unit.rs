//! Physical units a [`crate::Value`] can carry.

use std::fmt;
use std::str::FromStr;

/// The units Spares understands. Every value is stored in the unit's SI base
/// (ohm, farad, henry, volt, ampere, watt, hertz), in percent, or in °C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    Ohm,
    Farad,
    Henry,
    Volt,
    Ampere,
    Watt,
    Hertz,
    Percent,
    Celsius,
}

impl Unit {
    pub const ALL: [Unit; 9] = [
        Unit::Ohm,
        Unit::Farad,
        Unit::Henry,
        Unit::Volt,
        Unit::Ampere,
        Unit::Watt,
        Unit::Hertz,
        Unit::Percent,
        Unit::Celsius,
    ];

    /// The symbol shown after a formatted number ("kΩ", "nF").
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Ohm => "Ω",
            Unit::Farad => "F",
            Unit::Henry => "H",
            Unit::Volt => "V",
            Unit::Ampere => "A",
            Unit::Watt => "W",
            Unit::Hertz => "Hz",
            Unit::Percent => "%",
            Unit::Celsius => "°C",
        }
    }

    /// A stable ASCII key used in storage (never changes once written).
    pub fn key(self) -> &'static str {
        match self {
            Unit::Ohm => "ohm",
            Unit::Farad => "F",
            Unit::Henry => "H",
            Unit::Volt => "V",
            Unit::Ampere => "A",
            Unit::Watt => "W",
            Unit::Hertz => "Hz",
            Unit::Percent => "%",
            Unit::Celsius => "degC",
        }
    }

    /// A human name for error messages ("resistance").
    pub fn quantity_name(self) -> &'static str {
        match self {
            Unit::Ohm => "resistance",
            Unit::Farad => "capacitance",
            Unit::Henry => "inductance",
            Unit::Volt => "voltage",
            Unit::Ampere => "current",
            Unit::Watt => "power",
            Unit::Hertz => "frequency",
            Unit::Percent => "percentage",
            Unit::Celsius => "temperature",
        }
    }

    /// Whether SI prefixes (k, M, n...) are used when formatting this unit.
    pub(crate) fn uses_prefixes(self) -> bool {
        !matches!(self, Unit::Percent | Unit::Celsius)
    }

    /// Whether a value in this unit may be negative (−5 V regulators, −40 °C).
    pub(crate) fn allows_negative(self) -> bool {
        matches!(self, Unit::Volt | Unit::Ampere | Unit::Celsius)
    }

    /// The unit a parameter name suggests when its value is written without
    /// one ("voltage: 50" means 50 V).
    pub fn hint_for_parameter(name: &str) -> Option<Unit> {
        let name = name.to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
        if has(&["tolerance", "accuracy"]) {
            Some(Unit::Percent)
        } else if has(&["voltage", "volt"]) {
            Some(Unit::Volt)
        } else if has(&["current", "amp"]) {
            Some(Unit::Ampere)
        } else if has(&["power", "watt"]) {
            Some(Unit::Watt)
        } else if has(&["frequency", "freq"]) {
            Some(Unit::Hertz)
        } else if has(&["temperature", "temp"]) {
            Some(Unit::Celsius)
        } else if has(&["resistance", "impedance"]) {
            Some(Unit::Ohm)
        } else if has(&["capacitance"]) {
            Some(Unit::Farad)
        } else if has(&["inductance"]) {
            Some(Unit::Henry)
        } else {
            None
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// Error for an unknown storage key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown unit key {0:?}")]
pub struct UnknownUnitKey(pub String);

impl FromStr for Unit {
    type Err = UnknownUnitKey;

    /// Parses the storage key written by [`Unit::key`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Unit::ALL
            .into_iter()
            .find(|u| u.key() == s)
            .ok_or_else(|| UnknownUnitKey(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_keys_round_trip_for_every_unit() {
        for unit in Unit::ALL {
            assert_eq!(unit.key().parse::<Unit>(), Ok(unit));
        }
        assert!("kohm".parse::<Unit>().is_err());
    }

    #[test]
    fn parameter_names_suggest_units() {
        assert_eq!(Unit::hint_for_parameter("voltage"), Some(Unit::Volt));
        assert_eq!(Unit::hint_for_parameter("max_current"), Some(Unit::Ampere));
        assert_eq!(Unit::hint_for_parameter("tolerance"), Some(Unit::Percent));
        assert_eq!(Unit::hint_for_parameter("color"), None);
    }
}
