//! The CSV format of spares, shared by `spares import/export`, the web app
//! and the bot.
//!
//! Columns: one per [`Field`] (named by [`Field::name`], the documented
//! ones first: [`documented_columns`]); any other column is a parameter. Empty cells are absent values. Reading is
//! all-or-nothing: the first bad row stops it with its line, column and
//! reason. `write_spares` then `read_spares` gives back the same data.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return as a formula (CSV injection). Export writes such a cell
//! with a leading `'` (and one more `'` before a cell that already starts
//! with quotes then such a character); import removes exactly one, so
//! export → import still gives back the same text.

use std::collections::BTreeSet;
use std::io::{Read, Write};

use crate::field::Field;
use crate::money::Currency;
use crate::spare::{ParamName, Spare, SpareData, SpareInput};
use crate::store::{Store, StoreError};

/// The columns the README documents, in export order, comma-separated
/// (`category,reference,value,…`).
pub fn documented_columns() -> String {
    Field::ALL
        .into_iter()
        .filter(|f| f.documented_column())
        .map(Field::name)
        .collect::<Vec<_>>()
        .join(",")
}

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `cell` is (after any leading `'`) one a spreadsheet would run.
fn formula_like(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// The cell as exported: a formula-like cell gets a leading `'`.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The inverse of [`neutralize`], applied to every cell read.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => cell,
    }
}

/// Largest CSV accepted, in bytes.
pub const MAX_CSV_BYTES: u64 = 256 * 1024 * 1024;

/// What was wrong with a CSV, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("header: {0}")]
    Header(String),
    #[error("line {line}, column {column:?}: {message}")]
    Cell {
        line: u64,
        column: String,
        message: String,
    },
    #[error("line {line}: {message}")]
    Row { line: u64, message: String },
    #[error(
        "the file is empty: it needs a header line such as {}",
        documented_columns()
    )]
    Empty,
    #[error("cannot read the CSV: {0}")]
    Io(String),
}

impl CsvError {
    /// The line the error is on, when it is about one row.
    pub fn line(&self) -> Option<u64> {
        match self {
            CsvError::Cell { line, .. } | CsvError::Row { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// What a header cell means.
enum Column {
    Field(Field),
    Param(String),
}

fn normalize_header(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
        .to_lowercase()
}

fn read_header(record: &csv::StringRecord) -> Result<Vec<Column>, CsvError> {
    let mut seen = BTreeSet::new();
    let mut columns = Vec::new();
    for (i, raw) in record.iter().enumerate() {
        let name = normalize_header(raw);
        if name.is_empty() {
            return Err(CsvError::Header(format!("column {} has no name", i + 1)));
        }
        if !seen.insert(name.clone()) {
            return Err(CsvError::Header(format!("column {name:?} appears twice")));
        }
        columns.push(match Field::parse(&name) {
            Some(field) => Column::Field(field),
            None => {
                ParamName::parse(&name)
                    .map_err(|e| CsvError::Header(format!("column {name:?}: {e}")))?;
                Column::Param(name)
            }
        });
    }
    Ok(columns)
}

/// Picks ';' when the header has more semicolons than commas (spreadsheets
/// in French locales write those).
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// Reads every row or none. `default_currency` applies to prices given
/// without a currency.
pub fn read_spares(
    reader: impl Read,
    default_currency: Option<Currency>,
) -> Result<Vec<SpareData>, CsvError> {
    CsvRows::open(reader, default_currency)?.collect()
}

/// A CSV file checked whole without keeping its parsed rows
/// ([`check_spares`]); [`CheckedCsv::rows`] parses them again one at a
/// time, so an import holds the file's text and one row, not 100,000
/// parsed spares.
pub struct CheckedCsv {
    text: String,
    default_currency: Option<Currency>,
    rows: usize,
}

impl CheckedCsv {
    /// How many spares the file holds.
    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The spares, parsed again (the same results as the check).
    pub fn rows(self) -> Result<CsvRows, CsvError> {
        CsvRows::from_text(self.text, self.default_currency)
    }
}

/// Reads and checks every row, keeping only the text: the first error
/// (with its line and column) or the file ready to import.
pub fn check_spares(
    reader: impl Read,
    default_currency: Option<Currency>,
) -> Result<CheckedCsv, CsvError> {
    let text = read_text(reader)?;
    let mut rows = 0;
    for row in CsvRows::from_text(text.clone(), default_currency)? {
        row?;
        rows += 1;
    }
    Ok(CheckedCsv {
        text,
        default_currency,
        rows,
    })
}

/// The whole file as text, bounded by [`MAX_CSV_BYTES`].
fn read_text(reader: impl Read) -> Result<String, CsvError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_CSV_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CsvError::Io(e.to_string()))?;
    if bytes.len() as u64 > MAX_CSV_BYTES {
        return Err(CsvError::Io(format!(
            "the file is larger than {} MiB",
            MAX_CSV_BYTES >> 20
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        CsvError::Row {
            line,
            message: "not UTF-8 text (save the file as UTF-8 CSV)".into(),
        }
    })?;
    if text.trim().is_empty() {
        return Err(CsvError::Empty);
    }
    Ok(text)
}

/// The spares of a CSV text, parsed one row at a time (blank rows
/// skipped); each error names its line and column.
pub struct CsvRows {
    csv: csv::Reader<std::io::Cursor<Vec<u8>>>,
    columns: Vec<Column>,
    default_currency: Option<Currency>,
    record: csv::StringRecord,
}

impl CsvRows {
    fn open(reader: impl Read, default_currency: Option<Currency>) -> Result<CsvRows, CsvError> {
        CsvRows::from_text(read_text(reader)?, default_currency)
    }

    fn from_text(text: String, default_currency: Option<Currency>) -> Result<CsvRows, CsvError> {
        let delimiter = sniff_delimiter(&text);
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(false)
            .from_reader(std::io::Cursor::new(text.into_bytes()));
        let header = csv
            .headers()
            .map_err(|e| CsvError::Header(e.to_string()))?
            .clone();
        let columns = read_header(&header)?;
        Ok(CsvRows {
            csv,
            columns,
            default_currency,
            record: csv::StringRecord::new(),
        })
    }

    fn parse_record(&self) -> Result<SpareData, CsvError> {
        let record = &self.record;
        let line = record.position().map_or(0, |p| p.line());
        let mut input = SpareInput::default();
        for (column, cell) in self.columns.iter().zip(record.iter()) {
            let cell = restore(cell).to_owned();
            match column {
                Column::Param(name) => input.parameters.push((name.clone(), cell)),
                Column::Field(field) => *input.get_mut(*field) = cell,
            }
        }
        input.parse(self.default_currency).map_err(|errors| {
            let first = errors.0.into_iter().next();
            let (column, message) = first.map_or_else(
                || ("?".to_owned(), "invalid row".to_owned()),
                |e| (e.field, e.message),
            );
            CsvError::Cell {
                line,
                column,
                message,
            }
        })
    }
}

impl Iterator for CsvRows {
    type Item = Result<SpareData, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.csv.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {
                    if self.record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    return Some(self.parse_record());
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    let message = match e.kind() {
                        csv::ErrorKind::UnequalLengths {
                            expected_len, len, ..
                        } => {
                            format!("{len} cells where the header has {expected_len}")
                        }
                        _ => e.to_string(),
                    };
                    // The reader cannot go on past a broken record.
                    self.record.clear();
                    return Some(Err(CsvError::Row { line, message }));
                }
            }
        }
    }
}

/// Writes spares with a header: the documented columns, the extra ones,
/// then one column per parameter name in use (sorted).
pub fn write_spares<'a>(
    writer: impl Write,
    spares: impl IntoIterator<Item = &'a Spare> + Clone,
) -> Result<(), CsvError> {
    let params: BTreeSet<&str> = spares
        .clone()
        .into_iter()
        .flat_map(|s| s.parameters.keys().map(ParamName::as_str))
        .collect();
    let mut out = SpareWriter::new(writer, params.into_iter().map(str::to_owned).collect())?;
    for spare in spares {
        out.write(spare)?;
    }
    out.finish()
}

/// Writes CSV rows one spare at a time under a header fixed at the start
/// (the documented columns, the extra ones, then the parameter columns).
pub struct SpareWriter<W: Write> {
    csv: csv::Writer<W>,
    params: Vec<String>,
}

impl<W: Write> SpareWriter<W> {
    /// Writes the header, with a column for each of `params` (sorted).
    pub fn new(writer: W, params: Vec<String>) -> Result<Self, CsvError> {
        let mut csv = csv::Writer::from_writer(writer);
        let header: Vec<&str> = Field::ALL
            .into_iter()
            .map(|f| -> &str { f.name() })
            .chain(params.iter().map(String::as_str))
            .collect();
        csv.write_record(&header).map_err(csv_io_error)?;
        Ok(SpareWriter { csv, params })
    }

    /// One row. A parameter the header has no column for is an error
    /// (nothing may be dropped silently).
    pub fn write(&mut self, spare: &Spare) -> Result<(), CsvError> {
        if let Some(name) = spare
            .parameters
            .keys()
            .find(|n| !self.params.iter().any(|p| p == n.as_str()))
        {
            return Err(CsvError::Io(format!(
                "spare {} has the parameter {name:?}, which appeared during the export; export again",
                spare.id
            )));
        }
        let input = SpareInput::from_data(&spare.data);
        let mut row: Vec<std::borrow::Cow<'_, str>> = Field::ALL
            .into_iter()
            .map(|f| neutralize(input.get(f)))
            .collect();
        for name in &self.params {
            let cell = input
                .parameters
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, v)| v.as_str());
            row.push(neutralize(cell));
        }
        self.csv
            .write_record(row.iter().map(|c| c.as_bytes()))
            .map_err(csv_io_error)
    }

    /// Flushes what is buffered.
    pub fn finish(mut self) -> Result<(), CsvError> {
        self.csv.flush().map_err(|e| CsvError::Io(e.to_string()))
    }
}

impl SpareWriter<Vec<u8>> {
    /// The bytes written so far, leaving the buffer empty.
    pub fn take(&mut self) -> Result<Vec<u8>, CsvError> {
        let full = std::mem::replace(&mut self.csv, csv::Writer::from_writer(Vec::new()));
        full.into_inner()
            .map_err(|e| CsvError::Io(e.error().to_string()))
    }
}

fn csv_io_error(e: csv::Error) -> CsvError {
    CsvError::Io(e.to_string())
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Csv(#[from] CsvError),
}

/// Every spare in the store as CSV, by id; returns how many. The one
/// export the web page, the bot's `/export` and `spares export` share.
///
/// It reads [`EXPORT_SLICE`] spares at a time ([`Store::spares_after`]), so
/// memory stays flat at any size; a spare changed meanwhile is written as
/// it is when its slice is read (a consistent copy is `spares backup`).
pub async fn export(store: &dyn Store, writer: impl Write + Send) -> Result<usize, ExportError> {
    let mut parts = WriteParts(writer);
    let written = export_in_parts(store, &mut parts).await?;
    parts.0.flush().map_err(|e| CsvError::Io(e.to_string()))?;
    Ok(written)
}

/// Where [`export_in_parts`] hands the CSV, a slice at a time.
#[async_trait::async_trait]
pub trait CsvParts: Send {
    /// The next bytes of the file. An error (say, the download was
    /// cancelled) stops the export.
    async fn part(&mut self, bytes: Vec<u8>) -> Result<(), CsvError>;
}

/// Parts written to a [`Write`] as they come.
struct WriteParts<W>(W);

#[async_trait::async_trait]
impl<W: Write + Send> CsvParts for WriteParts<W> {
    async fn part(&mut self, bytes: Vec<u8>) -> Result<(), CsvError> {
        self.0
            .write_all(&bytes)
            .map_err(|e| CsvError::Io(e.to_string()))
    }
}

/// [`export`], handing the CSV to `parts` a slice at a time (for a
/// download that streams): memory stays at one slice however large the
/// inventory.
pub async fn export_in_parts(
    store: &dyn Store,
    parts: &mut dyn CsvParts,
) -> Result<usize, ExportError> {
    let params = store
        .parameter_names()
        .await?
        .into_iter()
        .map(|n| n.as_str().to_owned())
        .collect();
    let mut out = SpareWriter::new(Vec::new(), params)?;
    let mut written = 0;
    let mut after = None;
    loop {
        let slice = store.spares_after(after, EXPORT_SLICE).await?;
        for spare in &slice {
            out.write(spare)?;
        }
        written += slice.len();
        parts.part(out.take()?).await?;
        match slice.last() {
            Some(last) if slice.len() == EXPORT_SLICE => after = Some(last.id),
            _ => break,
        }
    }
    Ok(written)
}

/// Spares an export reads at a time.
pub const EXPORT_SLICE: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spare::SpareId;
    use chrono::Utc;

    #[test]
    fn a_checked_file_reads_again_as_the_same_rows() {
        let checked = check_spares(SAMPLE.as_bytes(), None).expect("valid");
        assert_eq!(checked.len(), 3);
        let again: Vec<SpareData> = checked
            .rows()
            .expect("header")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(again, read_spares(SAMPLE.as_bytes(), None).expect("valid"));
        let bad = format!("{SAMPLE}resistor,,10k,,many,,,,,,,,,,\n");
        let err = check_spares(bad.as_bytes(), None)
            .err()
            .expect("a bad quantity");
        assert!(err.to_string().contains("line 5"), "{err}");
    }

    const SAMPLE: &str = "\
category,reference,value,package,quantity,unit_price,currency,location,shop,description,tags,voltage,tolerance,power,dielectric
resistor,RC0805FR-0710KL,10k,0805,150,0.012,EUR,A1,LCSC,thick film,smd e96,,±1%,1/8W,
capacitor,CL21B104KBCNNNC,100n,0805,80,0.01,EUR,A2,LCSC,,smd,50V,10%,,X7R
capacitor,,4µ7,,5,,,,,,,16,,,
";

    fn stored(data: Vec<SpareData>) -> Vec<Spare> {
        data.into_iter()
            .enumerate()
            .map(|(i, data)| Spare {
                id: SpareId(i as i64 + 1),
                data,
                created_at: Utc::now(),
                updated_at: Utc::now(),
            })
            .collect()
    }

    #[test]
    fn reads_documented_columns_and_parameters() {
        let spares = read_spares(SAMPLE.as_bytes(), None).expect("valid csv");
        assert_eq!(spares.len(), 3);
        assert_eq!(spares[0].parameters.len(), 2, "empty cells are absent");
        assert_eq!(spares[1].parameters.len(), 3);
        assert_eq!(
            spares[2].value.as_ref().map(|v| v.formatted()),
            Some("4.7 µF".into())
        );
        assert_eq!(spares[0].tags.len(), 2);
    }

    #[test]
    fn export_then_import_round_trips_exactly() {
        let first = stored(read_spares(SAMPLE.as_bytes(), None).expect("valid csv"));
        let mut out = Vec::new();
        write_spares(&mut out, &first).expect("written");
        let again = stored(read_spares(out.as_slice(), None).expect("re-read"));
        let datas: Vec<_> = first.iter().map(|s| &s.data).collect();
        let datas_again: Vec<_> = again.iter().map(|s| &s.data).collect();
        assert_eq!(datas, datas_again);
        let mut out_again = Vec::new();
        write_spares(&mut out_again, &again).expect("written");
        assert_eq!(out, out_again);
    }

    #[test]
    fn formula_cells_are_neutralized_on_export_and_restored_on_import() {
        let texts = [
            "=HYPERLINK(\"http://evil.example\",\"click\")",
            "+1+2",
            "-40",
            "@SUM(A1)",
            "\tTAB",
            "\rCR",
            "'=already quoted",
            "''+two quotes",
            "'plain quote",
            "it's fine",
            "a=b",
        ];
        let spares: Vec<SpareData> = texts
            .iter()
            .map(|t| {
                SpareInput {
                    category: "ic".into(),
                    reference: (*t).to_owned(),
                    quantity: "1".into(),
                    notes: (*t).to_owned(),
                    parameters: vec![("remark".into(), (*t).to_owned())],
                    ..SpareInput::default()
                }
                .parse(None)
                .expect("valid")
            })
            .collect();
        let stored = stored(spares.clone());
        let mut out = Vec::new();
        write_spares(&mut out, &stored).expect("write");
        let text = String::from_utf8(out.clone()).expect("utf-8");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for record in reader.records() {
            let record = record.expect("record");
            for cell in record.iter() {
                assert!(
                    !cell.starts_with(FORMULA_STARTS),
                    "a spreadsheet would run {cell:?}"
                );
            }
        }
        assert_eq!(read_spares(out.as_slice(), None).expect("read"), spares);
    }

    #[test]
    fn a_bad_cell_names_its_line_and_column() {
        let bad = "category,value,quantity\nresistor,10k,5\nresistor,10k,-2\n";
        assert_eq!(
            read_spares(bad.as_bytes(), None),
            Err(CsvError::Cell {
                line: 3,
                column: "quantity".into(),
                message: "a quantity cannot be negative (got -2)".into()
            })
        );
        let bad_value = "category,value\ncapacitor,10kk\n";
        let err = read_spares(bad_value.as_bytes(), None).expect_err("bad value");
        assert_eq!(err.line(), Some(2));
        assert!(err.to_string().contains("\"value\""), "{err}");
    }

    #[test]
    fn ragged_rows_bad_headers_and_binary_are_refused() {
        assert!(matches!(
            read_spares("reference,value\nx\n".as_bytes(), None),
            Err(CsvError::Row { line: 2, .. })
        ));
        assert!(matches!(
            read_spares("reference,reference\nx,y\n".as_bytes(), None),
            Err(CsvError::Header(_))
        ));
        assert!(matches!(
            read_spares("reference,\nx,y\n".as_bytes(), None),
            Err(CsvError::Header(_))
        ));
        assert!(matches!(
            read_spares(&b"reference\n\xff\xfe\n"[..], None),
            Err(CsvError::Row { line: 2, .. })
        ));
        assert_eq!(read_spares("".as_bytes(), None), Err(CsvError::Empty));
    }

    #[test]
    fn semicolon_files_and_byte_order_marks_are_read() {
        let text = "\u{feff}Category;Reference;Value;Quantity;Unit Price;Currency\nrésistance;;4,7k;3;0,02;EUR\n";
        let spares = read_spares(text.as_bytes(), None).expect("valid");
        assert_eq!(spares[0].value.as_ref().map(|v| v.si()), Some(4700.0));
        assert_eq!(
            spares[0].unit_price.map(|m| m.to_string()),
            Some("0.02 EUR".into())
        );
    }
}
