//! "Can I build this?": every line of a design matched against the stock,
//! for N boards — which spares it takes from which boxes, what is short,
//! what could stand in, what is missing — and how many boards the stock
//! builds now.

use futures_util::lock::Mutex;
use std::collections::{BTreeMap, HashMap};

use futures_util::StreamExt;

use rust_decimal::Decimal;
use spares_bom::{BomLine, Design};

use crate::answer::describe;
use crate::category::{Builtin, Category};
use crate::money::{Currency, Money};
use crate::query::{Page, Query, Sort, SortKey, ValueStock};
use crate::question::understand;
use crate::search::{self, Suggestion};
use crate::spare::{Spare, SpareId};
use crate::store::{Store, StoreError};
use crate::unit::Unit;

/// Candidates looked at per line (a BOM line rarely has more than a few
/// matching spares; the most stocked are read first).
const CANDIDATES: usize = 50;
/// Rows read first for a line by value (the most stocked).
const FEW: usize = 8;
/// Lines looked up at once.
const PARALLEL: usize = 4;
/// Boards asked for at most (a bound on the arithmetic, not on people).
pub const MAX_BOARDS: u32 = 100_000;

/// How a line stands against the stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The exact part is in stock for every board asked.
    Enough,
    /// Some of the exact part is in stock, not enough.
    Short,
    /// The exact part is not in stock, but something could stand in.
    Substitute,
    /// Nothing in stock.
    Missing,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Enough => "enough",
            Verdict::Short => "short",
            Verdict::Substitute => "substitute",
            Verdict::Missing => "missing",
        }
    }
}

/// Parts taken from one spare.
#[derive(Debug, Clone, PartialEq)]
pub struct Take {
    pub spare: Spare,
    pub quantity: u64,
}

/// Something in stock that could stand in for a line (never counted as the
/// exact part).
#[derive(Debug, Clone, PartialEq)]
pub struct Substitute {
    /// What it is and where ("10 kΩ 0603 in A4, 120 left").
    pub what: String,
    /// Why it is only a substitute ("0603 instead of 0805").
    pub why: String,
    /// The spares it is made of (two for a series/parallel pair).
    pub spares: Vec<SpareId>,
}

/// One line checked.
#[derive(Debug, Clone, PartialEq)]
pub struct LineCheck {
    pub line: BomLine,
    /// What the line was understood as ("resistor 10 kΩ 0805").
    pub understood: String,
    /// Per board × boards.
    pub needed: u64,
    /// Of the exact part, in stock and not taken by an earlier line.
    pub have: u64,
    pub verdict: Verdict,
    /// Where the parts for the boards asked come from (may be less than
    /// needed when short).
    pub takes: Vec<Take>,
    pub substitutes: Vec<Substitute>,
    /// Remarks ("the part number was matched with a spelling difference").
    pub notes: Vec<String>,
    /// The spare chosen by hand for this line, if any (it is then the
    /// line's only candidate).
    pub chosen: Option<SpareId>,
}

impl LineCheck {
    /// How the line is named to a person: its designators (`R1–R4`), or
    /// the typed line.
    pub fn name(&self) -> String {
        if self.line.text.is_empty() {
            self.line.designators_text()
        } else {
            self.line.text.clone()
        }
    }
}

/// One box to open, with what to take from it: (how many, which spare,
/// for which line).
#[derive(Debug, Clone, PartialEq)]
pub struct BoxVisit {
    /// `None`: parts filed in no box.
    pub code: Option<crate::LocationCode>,
    pub takes: Vec<(u64, Spare, String)>,
}

impl BoxVisit {
    /// What to take from the box, one phrase per spare: "4 × 10 kΩ 0805
    /// (#12) for R1–R4".
    pub fn take_texts(&self) -> Vec<String> {
        self.takes
            .iter()
            .map(|(n, spare, line)| format!("{n} × {} (#{}) for {line}", describe(spare), spare.id))
            .collect()
    }
}

/// A design checked against the stock.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub boards: u32,
    pub lines: Vec<LineCheck>,
    /// How many boards the stock builds now (exact parts only).
    pub buildable: u64,
    /// What the parts taken for the boards asked cost, per currency (parts
    /// without a price are not counted: see `unpriced`).
    pub cost: Vec<Money>,
    /// Lines taking parts that have no price.
    pub unpriced: usize,
}

impl Check {
    /// Whether the boards asked can be built from stock.
    pub fn can_build(&self) -> bool {
        self.buildable >= u64::from(self.boards)
    }

    pub fn count(&self, verdict: Verdict) -> usize {
        self.lines.iter().filter(|l| l.verdict == verdict).count()
    }

    /// The outcome in a sentence or three, for every front end: "You can
    /// build 3 boards from stock now (5 asked). Lines: 1 short, 2 missing.
    /// Parts from stock cost 4.20 EUR."
    pub fn summary(&self) -> String {
        let mut out = format!(
            "You can build {} board{} from stock now ({} asked).",
            self.buildable,
            if self.buildable == 1 { "" } else { "s" },
            self.boards
        );
        let counts: Vec<String> = [
            (Verdict::Short, "short"),
            (Verdict::Substitute, "a substitute only"),
            (Verdict::Missing, "missing"),
        ]
        .iter()
        .filter_map(|(v, word)| {
            let n = self.count(*v);
            (n > 0).then(|| format!("{n} {word}"))
        })
        .collect();
        if !counts.is_empty() {
            out.push_str(&format!(" Lines: {}.", counts.join(", ")));
        }
        if !self.cost.is_empty() {
            let cost: Vec<String> = self.cost.iter().map(ToString::to_string).collect();
            out.push_str(&format!(
                " Parts from stock cost {}{}.",
                cost.join(" + "),
                if self.unpriced > 0 {
                    format!(" ({} lines without a price)", self.unpriced)
                } else {
                    String::new()
                }
            ));
        }
        out
    }

    /// The boxes to visit, in order, with what to take from each; parts in
    /// no box last.
    pub fn boxes_to_visit(&self) -> Vec<BoxVisit> {
        // Keyed (no box?, code): boxes in order, the box-less last.
        let mut boxes: std::collections::BTreeMap<(bool, String), BoxVisit> =
            std::collections::BTreeMap::new();
        for l in &self.lines {
            let name = l.name();
            for t in &l.takes {
                let code = t.spare.location.clone();
                let key = (
                    code.is_none(),
                    code.as_ref()
                        .map_or(String::new(), |c| c.as_str().to_owned()),
                );
                boxes
                    .entry(key)
                    .or_insert_with(|| BoxVisit {
                        code,
                        takes: Vec::new(),
                    })
                    .takes
                    .push((t.quantity, t.spare.clone(), name.clone()));
            }
        }
        boxes.into_values().collect()
    }
}

/// What a BOM line asks the stock, in the words of a search-box question:
/// a pasted line as written; a design's line as "kind value" (kind from
/// the designator). The package is compared apart ([`wanted_package`]).
pub fn question_for(line: &BomLine) -> String {
    if !line.text.is_empty() {
        return line.text.clone();
    }
    let kind = line
        .designators
        .first()
        .and_then(|d| spares_bom::part::kind(d, &line.footprint));
    let what = if line.value.is_empty() {
        line.description.as_str()
    } else {
        line.value.as_str()
    };
    // The kind narrows a value ("10k" is a resistor here, not a
    // thermistor) and a name ("OUT" on a connector); a part number
    // ("NE555", "MPSA42") says what it is by itself, however the stock
    // files it.
    let valued =
        what.starts_with(|c: char| c.is_ascii_digit()) || understand(what).query.value.is_some();
    let part_number = what.chars().any(|c| c.is_ascii_digit())
        && what.chars().any(|c| c.is_ascii_alphabetic())
        && !what.contains(char::is_whitespace);
    let kind = kind.filter(|_| valued || !part_number);
    [kind.unwrap_or_default(), what]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The package a line asks for: from the design's footprint, or as the
/// pasted line says it.
fn wanted_package(line: &BomLine, understood: Option<&str>) -> Option<String> {
    spares_bom::part::package(&line.footprint).or_else(|| understood.map(str::to_owned))
}

/// Through-hole packages a box is labelled with in several ways.
const THROUGH_HOLE: &[&str] = &["THT", "TH", "THROUGHHOLE", "AXIAL", "RADIAL", "DISC", "DIP"];

/// Whether a spare's package is the one asked: the same, or both
/// through-hole where the design only says axial/radial/disc.
fn package_fits(wanted: &str, theirs: Option<&str>) -> bool {
    let want = crate::spare::Package::key_of(wanted);
    let Some(theirs) = theirs.map(crate::spare::Package::key_of) else {
        return false;
    };
    want == theirs
        || matches!(want.as_str(), "AXIAL" | "RADIAL" | "DISC")
            && THROUGH_HOLE.contains(&theirs.as_str())
            && !theirs.starts_with("DIP")
}

/// Lower-case letters and digits only: "NE-555P" → "ne555p".
fn part_key(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Checks `design` for `boards` boards against the store.
pub async fn check(store: &dyn Store, design: &Design, boards: u32) -> Result<Check, StoreError> {
    check_lines(store, &design.lines, boards, &BTreeMap::new()).await
}

/// Checks a saved project for `boards` boards, with the spares chosen for
/// its lines.
pub async fn check_project(
    store: &dyn Store,
    project: &super::record::Project,
    boards: u32,
) -> Result<Check, StoreError> {
    check_lines(store, &project.data.lines, boards, &project.data.overrides).await
}

/// Checks a design's lines for `boards` boards, with spares chosen by hand
/// for some lines (by line index): such a line takes from that spare only
/// (a chosen spare deleted since is noted, and the line matched as usual).
pub async fn check_lines(
    store: &dyn Store,
    design_lines: &[BomLine],
    boards: u32,
    overrides: &BTreeMap<usize, SpareId>,
) -> Result<Check, StoreError> {
    let boards = boards.clamp(1, MAX_BOARDS);
    // What each line could take: exact candidates (most stocked first) and
    // substitutes.
    // Lines are looked up a few at a time (the store reads in parallel).
    let cache = Mutex::new(StockCache::new());
    // The lines asking for a value in a package (most of a BOM) are asked
    // all at once.
    let prefetched = prefetch(store, design_lines).await?;
    // Indices, not references, into the stream: a closure over `&BomLine`
    // makes the future not `Send` for every lifetime (a rustc limitation),
    // and the web handler's future must be `Send`.
    let mut found: Vec<Found> = futures_util::stream::iter(0..design_lines.len())
        .map(|i| {
            let line = &design_lines[i];
            let needed = u64::from(line.quantity) * u64::from(boards);
            candidates(store, line, needed, &cache, &prefetched)
        })
        .buffered(PARALLEL)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    for (&i, &id) in overrides {
        let Some(f) = found.get_mut(i) else { continue };
        match store.get_spare(id).await {
            Ok(spare) => {
                f.notes
                    .insert(0, format!("chosen by hand: {} (#{id})", describe(&spare)));
                f.exact = vec![spare];
                f.chosen = Some(id);
            }
            Err(StoreError::NotFound { .. }) => f.notes.push(format!(
                "the spare chosen by hand (#{id}) is gone; matched as usual"
            )),
            Err(e) => return Err(e),
        }
    }
    // Stock shared between lines: an earlier line's take is gone for a
    // later one.
    let stock: HashMap<SpareId, u64> = found
        .iter()
        .flat_map(|f| f.exact.iter())
        .map(|s| (s.id, u64::try_from(s.quantity.get()).unwrap_or(0)))
        .collect();
    let per_board: Vec<u64> = design_lines.iter().map(|l| u64::from(l.quantity)).collect();
    let buildable = most_boards(&found, &per_board, &stock);
    let mut left = stock;
    let mut lines = Vec::with_capacity(design_lines.len());
    let mut cost: HashMap<Currency, Decimal> = HashMap::new();
    let mut unpriced = 0;
    for ((line, f), per) in design_lines.iter().zip(found).zip(&per_board) {
        let needed = per * u64::from(boards);
        let have: u64 = f
            .exact
            .iter()
            .map(|s| left.get(&s.id).copied().unwrap_or(0))
            .sum();
        let mut takes = Vec::new();
        let mut still = needed;
        for spare in &f.exact {
            if still == 0 {
                break;
            }
            let available = left.get(&spare.id).copied().unwrap_or(0);
            let n = available.min(still);
            if n > 0 {
                left.insert(spare.id, available - n);
                still -= n;
                takes.push(Take {
                    spare: spare.clone(),
                    quantity: n,
                });
            }
        }
        let mut priced = true;
        for t in &takes {
            match t.spare.unit_price {
                Some(price) => {
                    *cost.entry(price.currency()).or_default() +=
                        price.amount() * Decimal::from(t.quantity);
                }
                None => priced = false,
            }
        }
        if !priced {
            unpriced += 1;
        }
        let verdict = if needed > 0 && have >= needed {
            Verdict::Enough
        } else if have > 0 {
            Verdict::Short
        } else if !f.substitutes.is_empty() {
            Verdict::Substitute
        } else {
            Verdict::Missing
        };
        lines.push(LineCheck {
            line: line.clone(),
            understood: f.understood,
            needed,
            have,
            verdict,
            takes,
            substitutes: f.substitutes,
            notes: f.notes,
            chosen: f.chosen,
        });
    }
    let mut cost: Vec<Money> = cost
        .into_iter()
        .filter_map(|(currency, amount)| Money::new(amount, currency).ok())
        .collect();
    cost.sort_by(|a, b| a.currency().as_str().cmp(b.currency().as_str()));
    Ok(Check {
        boards,
        lines,
        buildable,
        cost,
        unpriced,
    })
}

/// What the stock offers one line.
struct Found {
    understood: String,
    /// The exact part, most stocked first.
    exact: Vec<Spare>,
    substitutes: Vec<Substitute>,
    notes: Vec<String>,
    chosen: Option<SpareId>,
}

/// The stock of one kind of value-defined part (id, value, quantity),
/// read once per check for every line that asks the same way.
type StockCache = HashMap<String, Vec<ValueStock>>;

/// What the stock answers a line's question.
struct Looked {
    matches: Vec<Spare>,
    approximate: bool,
    suggestions: Vec<Suggestion>,
}

/// Answers an understood question like [`search::run`]; a value-defined
/// part (a resistor, capacitor or inductor by value) is answered from the
/// cached stock of its kind, so a 300-line BOM reads each kind once.
async fn look(
    store: &dyn Store,
    understood: crate::question::Understood,
    package: Option<&str>,
    needed: u64,
    cache: &Mutex<StockCache>,
    prefetched: &Prefetched,
) -> Result<Looked, StoreError> {
    let q = &understood.query;
    let Some(target) = q.value.clone().filter(|_| by_value(q)) else {
        let outcome = search::run(store, understood, &Page::first(CANDIDATES)).await?;
        return Ok(Looked {
            matches: outcome.matches,
            approximate: outcome.approximate,
            suggestions: outcome.suggestions,
        });
    };
    // The part in the package asked (the store's index answers), else in
    // any package (the caller offers those as substitutes).
    if let Some(p) =
        package.filter(|p| !THROUGH_HOLE.contains(&crate::spare::Package::key_of(p).as_str()))
    {
        let in_package = q.clone().with_package(p);
        // Asked already with the other lines: enough when those rows cover
        // the need or are all there is (else ask for more, as below).
        let early = prefetched.get(&format!("{in_package:?}")).filter(|rows| {
            let have: u64 = rows
                .iter()
                .map(|s| u64::try_from(s.quantity.get()).unwrap_or(0))
                .sum();
            have >= needed || rows.len() < FEW
        });
        let spares = match early {
            Some(rows) => rows.clone(),
            None => most_stocked_first(store, &in_package, needed).await?.spares,
        };
        if !spares.is_empty() {
            return Ok(Looked {
                matches: spares,
                approximate: false,
                suggestions: Vec::new(),
            });
        }
    }
    let found = store.search(q, &Page::first(CANDIDATES)).await?;
    if !found.spares.is_empty() {
        return Ok(Looked {
            matches: found.spares,
            approximate: false,
            suggestions: Vec::new(),
        });
    }
    // Nothing of that value: the nearest values and pairs, from the stock
    // of the kind read once per check.
    let relaxed = Query {
        value: None,
        value_bounds: Vec::new(),
        category: q
            .category
            .clone()
            .or_else(|| Builtin::for_unit(target.unit()).map(Category::Builtin)),
        ..q.clone()
    };
    let key = format!("{relaxed:?}");
    // Held while the store answers: lines of one kind looked up at the
    // same time wait for the first instead of each asking.
    let mut cached = cache.lock().await;
    let stock = match cached.get(&key) {
        Some(stock) => stock.clone(),
        None => {
            // The representatives: a check suggests for many lines of a
            // kind, each from a few hundred values, not the whole stock.
            let stock = store.value_representatives(&relaxed).await?;
            cached.insert(key, stock.clone());
            stock
        }
    };
    drop(cached);
    let (nearest, pairs) = search::suggest(stock, &target);
    let mut ids: Vec<SpareId> = nearest.clone();
    ids.extend(pairs.iter().flat_map(|p| [p.first, p.second]));
    let found: HashMap<SpareId, Spare> = fetch(store, ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let get = |id: &SpareId| found.get(id).cloned().map(Box::new);
    let mut suggestions: Vec<Suggestion> = nearest
        .iter()
        .filter_map(|id| get(id).map(|spare| Suggestion::Nearest { spare }))
        .collect();
    for p in pairs {
        if let (Some(first), Some(second)) = (get(&p.first), get(&p.second)) {
            suggestions.push(Suggestion::Combination {
                first,
                second,
                wiring: p.wiring,
                result: p.result,
            });
        }
    }
    Ok(Looked {
        matches: Vec::new(),
        approximate: false,
        suggestions,
    })
}

/// Whether a question is answered by value alone (a resistor, capacitor
/// or inductor by its value, no words to look for).
fn by_value(q: &Query) -> bool {
    q.terms.is_empty()
        && q.any_trigram_of.is_empty()
        && q.ids.is_none()
        && q.location.is_none()
        && q.value
            .as_ref()
            .is_some_and(|v| matches!(v.unit(), Unit::Ohm | Unit::Farad | Unit::Henry))
}

/// The rows asked for several lines at once, by their question (Debug
/// text of the query).
type Prefetched = HashMap<String, Vec<Spare>>;

/// The in-package question of every line that [`look`] answers by value
/// in a package (without a part number to try first), asked in one go.
async fn prefetch(store: &dyn Store, lines: &[BomLine]) -> Result<Prefetched, StoreError> {
    let mut queries: Vec<Query> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for line in lines {
        let has_number =
            !line.mpn.trim().is_empty() || line.suppliers.values().any(|n| !n.trim().is_empty());
        if has_number {
            continue;
        }
        let mut understood = understand(&question_for(line));
        let package = wanted_package(line, understood.query.package.as_deref());
        understood.query.package = None;
        let q = understood.query;
        let Some(p) =
            package.filter(|p| !THROUGH_HOLE.contains(&crate::spare::Package::key_of(p).as_str()))
        else {
            continue;
        };
        if q.is_empty() || !by_value(&q) {
            continue;
        }
        let in_package = q.with_package(&p);
        let key = format!("{in_package:?}");
        if !keys.contains(&key) {
            keys.push(key);
            queries.push(in_package);
        }
    }
    if queries.is_empty() {
        return Ok(Prefetched::new());
    }
    let rows = store.most_stocked_many(&queries, FEW).await?;
    Ok(keys.into_iter().zip(rows).collect())
}

/// Spares answering `query`, the most stocked first: a few, or as many as
/// it takes to cover `needed` (a handful of rows answer most lines).
async fn most_stocked_first(
    store: &dyn Store,
    query: &Query,
    needed: u64,
) -> Result<crate::query::Found, StoreError> {
    let by_stock = Sort {
        key: SortKey::Quantity,
        descending: true,
    };
    let found = store
        .search(query, &Page::first(FEW).sorted(by_stock))
        .await?;
    let have: u64 = found
        .spares
        .iter()
        .map(|s| u64::try_from(s.quantity.get()).unwrap_or(0))
        .sum();
    if have >= needed || found.total <= found.spares.len() as u64 {
        return Ok(found);
    }
    store
        .search(query, &Page::first(CANDIDATES).sorted(by_stock))
        .await
}

/// The spares with these ids (in no particular order).
async fn fetch(store: &dyn Store, mut ids: Vec<SpareId>) -> Result<Vec<Spare>, StoreError> {
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let n = ids.len();
    let wanted = Query {
        ids: Some(ids),
        ..Query::default()
    };
    Ok(store.search(&wanted, &Page::first(n)).await?.spares)
}

async fn candidates(
    store: &dyn Store,
    line: &BomLine,
    needed: u64,
    cache: &Mutex<StockCache>,
    prefetched: &Prefetched,
) -> Result<Found, StoreError> {
    let mut notes = Vec::new();
    // A manufacturer's or supplier's part number matches first.
    let numbers: Vec<&str> = std::iter::once(line.mpn.as_str())
        .chain(line.suppliers.values().map(String::as_str))
        .filter(|n| !n.trim().is_empty())
        .collect();
    for number in &numbers {
        let outcome = search::search(store, number, CANDIDATES).await?;
        let key = part_key(number);
        let exact: Vec<Spare> = outcome
            .matches
            .iter()
            .filter(|s| {
                let r = part_key(&s.reference);
                !r.is_empty() && (r == key || outcome.approximate)
            })
            .cloned()
            .collect();
        if !exact.is_empty() {
            if outcome.approximate {
                notes.push(format!(
                    "{number} matched {} (spelled differently)",
                    exact[0].reference
                ));
            }
            return Ok(Found {
                understood: format!("part number {number}"),
                exact: most_stocked(exact),
                substitutes: Vec::new(),
                notes,
                chosen: None,
            });
        }
    }
    let question = question_for(line);
    let mut understood = understand(&question);
    notes.extend(understood.warnings.iter().cloned());
    let package = wanted_package(line, understood.query.package.as_deref());
    understood.query.package = None;
    let q = &understood.query;
    if q.is_empty() && package.is_none() {
        notes.push(format!(
            "the design says only “{question}”; nothing to look for"
        ));
        return Ok(Found {
            understood: "nothing".into(),
            exact: Vec::new(),
            substitutes: Vec::new(),
            notes,
            chosen: None,
        });
    }
    if let Some(number) = numbers.first() {
        // A part number not in stock: only a value-defined part (a
        // resistor, a capacitor) may still be matched by its value; a
        // connector's or chip's value is a name, not a spec.
        if q.value.is_none() {
            notes.push(format!("part number {number} is not in stock"));
            return Ok(Found {
                understood: format!("part number {number}"),
                exact: Vec::new(),
                substitutes: Vec::new(),
                notes,
                chosen: None,
            });
        }
        notes.push(format!(
            "part number {number} is not in stock; matched by value"
        ));
    }
    let vague =
        q.value.is_none() && q.terms.is_empty() && q.params.is_empty() && q.texts.is_empty();
    let interpretation = match &package {
        Some(p) if q.is_empty() => p.clone(),
        Some(p) => format!("{q} · {p}"),
        None => q.to_string(),
    };
    let outcome = look(
        store,
        understood.clone(),
        package.as_deref(),
        needed,
        cache,
        prefetched,
    )
    .await?;
    let (fits, others): (Vec<Spare>, Vec<Spare>) = outcome.matches.into_iter().partition(|s| {
        package
            .as_deref()
            .is_none_or(|p| package_fits(p, s.package.as_ref().map(|p| p.text())))
    });
    if !fits.is_empty() && !vague {
        if outcome.approximate {
            notes.push(format!(
                "matched with a spelling difference in “{question}”"
            ));
        }
        return Ok(Found {
            understood: interpretation,
            exact: most_stocked(fits),
            substitutes: Vec::new(),
            notes,
            chosen: None,
        });
    }
    let mut substitutes = Vec::new();
    let said = if line.value.is_empty() {
        &question
    } else {
        &line.value
    };
    for s in most_stocked(fits.into_iter().chain(others).collect())
        .into_iter()
        .filter(|s| s.quantity.get() > 0)
    {
        let why = if vague {
            format!("the design says only “{said}”")
        } else if outcome.approximate {
            "a similar spelling".to_owned()
        } else {
            let theirs = s.package.as_ref().map_or("no package", |p| p.text());
            format!("{theirs} instead of {}", package.as_deref().unwrap_or("?"))
        };
        substitutes.push(Substitute {
            what: where_is(&s),
            why,
            spares: vec![s.id],
        });
    }
    for suggestion in &outcome.suggestions {
        match suggestion {
            Suggestion::Nearest { spare } => substitutes.push(Substitute {
                what: where_is(spare),
                why: "the nearest value in stock".into(),
                spares: vec![spare.id],
            }),
            Suggestion::Combination {
                first,
                second,
                wiring,
                result,
            } => substitutes.push(Substitute {
                what: format!("{} + {}", where_is(first), where_is(second)),
                why: format!("in {} they make {}", wiring.name(), result.formatted()),
                spares: vec![first.id, second.id],
            }),
        }
    }
    Ok(Found {
        understood: interpretation,
        exact: Vec::new(),
        substitutes,
        notes,
        chosen: None,
    })
}

fn most_stocked(mut spares: Vec<Spare>) -> Vec<Spare> {
    spares.sort_by(|a, b| {
        b.quantity
            .get()
            .cmp(&a.quantity.get())
            .then(a.id.0.cmp(&b.id.0))
    });
    spares
}

/// "10 kΩ 0603 (#12) in A4, 120 left".
fn where_is(spare: &Spare) -> String {
    let place = spare
        .location
        .as_ref()
        .map_or(String::new(), |l| format!(" in {l}"));
    format!(
        "{} (#{}){place}, {} left",
        describe(spare),
        spare.id,
        spare.quantity
    )
}

/// The most boards the exact parts build, lines taking in order from the
/// stock they share (binary search over a greedy allocation).
fn most_boards(found: &[Found], per_board: &[u64], stock: &HashMap<SpareId, u64>) -> u64 {
    let fits = |boards: u64| -> bool {
        let mut left = stock.clone();
        for (f, per) in found.iter().zip(per_board) {
            let mut still = per.saturating_mul(boards);
            for s in &f.exact {
                let available = left.get(&s.id).copied().unwrap_or(0);
                let n = available.min(still);
                left.insert(s.id, available - n);
                still -= n;
                if still == 0 {
                    break;
                }
            }
            if still > 0 {
                return false;
            }
        }
        true
    };
    if found.is_empty() {
        return 0;
    }
    let mut high = per_board
        .iter()
        .zip(found)
        .map(|(per, f)| {
            let total: u64 = f
                .exact
                .iter()
                .map(|s| stock.get(&s.id).copied().unwrap_or(0))
                .sum();
            total / (*per).max(1)
        })
        .min()
        .unwrap_or(0);
    let mut low = 0;
    while low < high {
        let mid = low + (high - low).div_ceil(2);
        if fits(mid) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    low
}
