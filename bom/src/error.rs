//! What can be wrong with a design, always naming the file (and the line
//! where there is one).

use crate::sexpr::SyntaxError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BomError {
    #[error("{file}: {source}")]
    Syntax {
        file: String,
        #[source]
        source: SyntaxError,
    },
    /// The file is not a design Spares reads, or its content is wrong.
    #[error("{file}: {message}")]
    Design { file: String, message: String },
    /// A CSV row that cannot be read.
    #[error("{file} line {line}: {message}")]
    Row {
        file: String,
        line: usize,
        message: String,
    },
    #[error(
        "{file}: the columns {} are not a BOM layout Spares knows; say which column holds what, e.g. “value=Comment, quantity=Qty, designators=Designator, mpn=Part Number, footprint=Package”",
        found.iter().map(|c| format!("“{c}”")).collect::<Vec<_>>().join(", ")
    )]
    UnknownColumns { file: String, found: Vec<String> },
    #[error("{file}: more than {max} parts; Spares checks at most {max} per design")]
    TooManyLines { file: String, max: usize },
    #[error("{file}: {size} bytes is more than the {max} a design may have")]
    TooLarge {
        file: String,
        size: usize,
        max: usize,
    },
    #[error("{file}: not text (a schematic or BOM is UTF-8 text)")]
    NotText { file: String },
    #[error("{file}: nothing to build in it (no placed parts)")]
    Empty { file: String },
    #[error("a column mapping: {0}")]
    Mapping(String),
}
