//! The words the question reader knows that are not values, categories or
//! codes: words to skip, words that point at a box, unit words, dielectrics,
//! package names, colours (English and French). Data, kept apart from the
//! reading rules in `mod.rs`.

pub(super) const STOP_WORDS: &[&str] = &[
    // English
    "a",
    "an",
    "the",
    "do",
    "does",
    "did",
    "i",
    "we",
    "you",
    "have",
    "has",
    "got",
    "get",
    "any",
    "some",
    "is",
    "are",
    "there",
    "how",
    "many",
    "much",
    "what",
    "what's",
    "whats",
    "which",
    "where",
    "where's",
    "show",
    "find",
    "list",
    "search",
    "me",
    "my",
    "of",
    "for",
    "with",
    "and",
    "or",
    "in",
    "on",
    "at",
    "to",
    "stock",
    "left",
    "need",
    "needs",
    "looking",
    "want",
    "please",
    "rated",
    "rating",
    "type",
    "kind",
    "parts",
    "part",
    "components",
    "component",
    "it",
    "them",
    "those",
    "these",
    "this",
    "that",
    "still",
    "available",
    "can",
    "could",
    "use",
    "used",
    "all",
    "value",
    "values",
    "spare",
    "spares",
    "inventory",
    "stuff",
    "thing",
    "things",
    "else",
    "other",
    "similar",
    "like",
    "by",
    "around",
    "about",
    "pcs",
    "pieces",
    "piece",
    "x",
    "voltage",
    "power",
    "current",
    "tolerance",
    "from",
    "am",
    "be",
    // French
    "je",
    "j",
    "ai",
    "as",
    "avons",
    "avez",
    "est",
    "ce",
    "est-ce",
    "que",
    "qu",
    "il",
    "y",
    "des",
    "de",
    "du",
    "le",
    "la",
    "les",
    "un",
    "une",
    "dans",
    "en",
    "avec",
    "pour",
    "sur",
    "quoi",
    "quel",
    "quels",
    "quelle",
    "quelles",
    "combien",
    "reste",
    "encore",
    "stocké",
    "stockés",
    "tension",
    "puissance",
    "courant",
    "valeur",
    "pièces",
    "pièce",
    "composant",
    "composants",
    "et",
    "ou",
    "moi",
    "mon",
    "mes",
    "on",
    "a-t-il",
    "t",
    "d",
    "l",
    "n",
    "s",
    "c",
    "as-tu",
];

pub(super) const LOCATION_WORDS: &[&str] = &[
    "box",
    "drawer",
    "bin",
    "tray",
    "shelf",
    "case",
    "location",
    "boîte",
    "boite",
    "tiroir",
    "bac",
    "casier",
    "étagère",
    "etagere",
    "boxes",
    "drawers",
    "bins",
];

pub(super) const DIELECTRICS: &[&str] = &[
    "x7r", "x5r", "c0g", "np0", "y5v", "x7s", "x6s", "z5u", "x8r",
];

/// Chip sizes and package families recognized without context.
pub(super) const CHIP_SIZES: &[&str] = &[
    "01005", "0201", "0402", "0603", "0805", "1008", "1206", "1210", "1812", "2010", "2512",
];

pub(super) const PACKAGE_FAMILIES: &[&str] = &[
    "sot", "soic", "so", "ssop", "tssop", "msop", "qfn", "dfn", "qfp", "tqfp", "lqfp", "dip",
    "pdip", "sip", "to", "sod", "do", "sma", "smb", "smc", "bga", "lga", "dpak", "d2pak", "sc",
    "sop", "plcc", "wson", "son", "vqfn", "uqfn",
];

pub(super) fn is_stop(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Words that only make sense after a number ("10 k", "100 nF", "16 V").
pub(super) fn is_unit_word(lower: &str) -> bool {
    matches!(
        lower,
        "k" | "m"
            | "meg"
            | "ohm"
            | "ohms"
            | "ω"
            | "kω"
            | "mω"
            | "r"
            | "kohm"
            | "kohms"
            | "mohm"
            | "megohm"
            | "megohms"
            | "f"
            | "pf"
            | "nf"
            | "uf"
            | "µf"
            | "μf"
            | "mf"
            | "farad"
            | "farads"
            | "h"
            | "uh"
            | "µh"
            | "μh"
            | "mh"
            | "nh"
            | "henry"
            | "v"
            | "mv"
            | "kv"
            | "volt"
            | "volts"
            | "a"
            | "ma"
            | "ua"
            | "µa"
            | "amp"
            | "amps"
            | "ampere"
            | "amperes"
            | "w"
            | "mw"
            | "kw"
            | "watt"
            | "watts"
            | "hz"
            | "khz"
            | "mhz"
            | "ghz"
            | "hertz"
            | "%"
            | "°c"
            | "ºc"
            | "degc"
    )
}

pub(super) fn english_colour(word: &str) -> Option<&'static str> {
    Some(match word {
        "red" | "rouge" => "red",
        "green" | "vert" | "verte" => "green",
        "blue" | "bleu" | "bleue" => "blue",
        "yellow" | "jaune" => "yellow",
        "white" | "blanc" | "blanche" => "white",
        "orange" => "orange",
        "purple" | "violet" | "violette" | "uv" => "purple",
        "pink" | "rose" => "pink",
        "rgb" => "rgb",
        "amber" | "ambre" => "amber",
        "black" | "noir" | "noire" => "black",
        _ => return None,
    })
}

/// Category words that are close to a category name but mean something
/// else, so typo tolerance must not turn them into one.
pub(super) const NOT_CATEGORIES: &[&str] = &[
    "register",
    "registers",
    "resistive",
    "capacity",
    "sensing",
    "switching",
    "module",
];

/// Units spelled out, as BOM values and people write them: the compact
/// unit word the rest of the understanding knows. Two-word forms first.
pub(super) const SPELLED_UNITS: &[(&[&str], &str)] = &[
    (&["kilo", "ohm"], "kohm"),
    (&["kilo", "ohms"], "kohm"),
    (&["mega", "ohm"], "megohm"),
    (&["mega", "ohms"], "megohm"),
    (&["pico", "farad"], "pf"),
    (&["pico", "farads"], "pf"),
    (&["nano", "farad"], "nf"),
    (&["nano", "farads"], "nf"),
    (&["micro", "farad"], "uf"),
    (&["micro", "farads"], "uf"),
    (&["nano", "henry"], "nh"),
    (&["micro", "henry"], "uh"),
    (&["milli", "henry"], "mh"),
    (&["milli", "amp"], "ma"),
    (&["milli", "amps"], "ma"),
    (&["milli", "ampere"], "ma"),
    (&["milli", "amperes"], "ma"),
    (&["milli", "volt"], "mv"),
    (&["milli", "volts"], "mv"),
    (&["kilo", "volt"], "kv"),
    (&["kilo", "volts"], "kv"),
    (&["milli", "watt"], "mw"),
    (&["milli", "watts"], "mw"),
    (&["kilo", "hertz"], "khz"),
    (&["mega", "hertz"], "mhz"),
    (&["kiloohm"], "kohm"),
    (&["kiloohms"], "kohm"),
    (&["kilohm"], "kohm"),
    (&["kilohms"], "kohm"),
    (&["megaohm"], "megohm"),
    (&["megaohms"], "megohm"),
    (&["picofarad"], "pf"),
    (&["picofarads"], "pf"),
    (&["nanofarad"], "nf"),
    (&["nanofarads"], "nf"),
    (&["microfarad"], "uf"),
    (&["microfarads"], "uf"),
    (&["nanohenry"], "nh"),
    (&["microhenry"], "uh"),
    (&["millihenry"], "mh"),
    (&["millihenries"], "mh"),
    (&["henries"], "henry"),
    (&["henrys"], "henry"),
    (&["milliamp"], "ma"),
    (&["milliamps"], "ma"),
    (&["milliampere"], "ma"),
    (&["milliamperes"], "ma"),
    (&["millivolt"], "mv"),
    (&["millivolts"], "mv"),
    (&["kilovolt"], "kv"),
    (&["kilovolts"], "kv"),
    (&["milliwatt"], "mw"),
    (&["milliwatts"], "mw"),
    (&["kilohertz"], "khz"),
    (&["megahertz"], "mhz"),
];

/// Power ratings in words: "half watt" → 0.5 W.
pub(super) const WORD_RATINGS: &[(&str, &str)] = &[
    ("half", "0.5"),
    ("quarter", "0.25"),
    ("eighth", "0.125"),
    ("one", "1"),
    ("two", "2"),
];

/// Letters that start part numbers and are written apart from their
/// digits ("atmega 328p", "lm 7805", "NE-555"): joined again.
pub(super) const PART_PREFIXES: &[&str] = &[
    "atmega", "attiny", "atxmega", "lm", "ne", "na", "sa", "tl", "mc", "max", "ad", "uln", "ua",
    "cd", "hef", "irf", "irfz", "irl", "ir", "bc", "bd", "bdx", "bss", "tip", "mpsa", "ams", "lt",
    "ltc", "lp", "opa", "ina", "tps", "tlv", "ch", "esp", "pic", "mcp", "pca", "pcf", "ds", "ws",
    "sn", "stm", "nrf", "xl", "mp", "ao", "si", "ht", "hc", "cy", "ft", "cp",
];
