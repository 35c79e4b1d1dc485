//! "Can I build this?": every line of a design matched against the stock,
//! for N boards — which spares it takes from which boxes, what is short,
//! what could stand in, what is missing — and how many boards the stock
//! builds now.

use futures_util::lock::Mutex;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use futures_util::StreamExt;

use rust_decimal::Decimal;
use spares_bom::{BomLine, Design};

use crate::answer::describe;
use crate::category::{Builtin, Category};
use crate::money::{Currency, Money};
use crate::query::{Cmp, Page, Query, Sort, SortKey, Stocked, ValueStock};
use crate::question::understand;
use crate::search::{self, Suggestion};
use crate::spare::{ParamValue, Spare, SpareId};
use crate::store::{Store, StoreError};
use crate::unit::Unit;
use crate::value::Value;

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
    // substitutes, by id and stock; the spares themselves are read once,
    // at the end, for what is taken and offered.
    let kinds = &Kinds::default();
    // The lines asking for a value in a package (most of a BOM) are asked
    // all at once first.
    let plans: Vec<Option<Query>> = design_lines.iter().map(plan).collect();
    let prefetched = &prefetch(store, &plans).await?;
    // Then every line, a few at a time (the store reads in parallel).
    // Indices, not references, into the stream: a closure over `&BomLine`
    // makes the future not `Send` for every lifetime (a rustc limitation),
    // and the web handler's future must be `Send`.
    let mut found: Vec<Found> = futures_util::stream::iter(0..design_lines.len())
        .map(|i| candidates(store, &design_lines[i], kinds, prefetched))
        .buffered(PARALLEL)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    // The spares read whole along the way (searches answer with them).
    let mut known: HashMap<SpareId, Spare> = HashMap::new();
    for f in &mut found {
        known.extend(f.read.drain(..).map(|s| (s.id, s)));
    }
    for (&i, &id) in overrides {
        let Some(f) = found.get_mut(i) else { continue };
        match store.get_spare(id).await {
            Ok(spare) => {
                f.notes
                    .insert(0, format!("chosen by hand: {} (#{id})", describe(&spare)));
                f.exact = vec![Stocked::from(&spare)];
                f.chosen = Some(id);
                known.insert(id, spare);
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
    // Per line: how many of the exact part it has, and what it takes.
    let shares: Vec<(u64, Vec<(SpareId, u64)>)> = found
        .iter()
        .zip(&per_board)
        .map(|(f, per)| {
            let needed = per * u64::from(boards);
            let have: u64 = f
                .exact
                .iter()
                .map(|s| left.get(&s.id).copied().unwrap_or(0))
                .sum();
            let mut takes = Vec::new();
            let mut still = needed;
            for s in &f.exact {
                if still == 0 {
                    break;
                }
                let available = left.get(&s.id).copied().unwrap_or(0);
                let n = available.min(still);
                if n > 0 {
                    left.insert(s.id, available - n);
                    still -= n;
                    takes.push((s.id, n));
                }
            }
            (have, takes)
        })
        .collect();
    // The spares taken and offered that no search read: at once.
    let unread: Vec<SpareId> = shares
        .iter()
        .flat_map(|(_, takes)| takes.iter().map(|(id, _)| *id))
        .chain(
            found
                .iter()
                .flat_map(|f| f.substitutes.iter().flat_map(|o| o.spares.iter().copied())),
        )
        .filter(|id| !known.contains_key(id))
        .collect();
    known.extend(fetch(store, unread).await?.into_iter().map(|s| (s.id, s)));
    let mut lines = Vec::with_capacity(design_lines.len());
    let mut cost: HashMap<Currency, Decimal> = HashMap::new();
    let mut unpriced = 0;
    for (((line, f), per), (have, shares)) in
        design_lines.iter().zip(found).zip(&per_board).zip(shares)
    {
        let needed = per * u64::from(boards);
        // (A spare deleted since it was counted is left out.)
        let takes: Vec<Take> = shares
            .into_iter()
            .filter_map(|(id, quantity)| {
                known.get(&id).map(|spare| Take {
                    spare: spare.clone(),
                    quantity,
                })
            })
            .collect();
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
        let substitutes: Vec<Substitute> = f
            .substitutes
            .into_iter()
            .filter_map(|offer| {
                let spares: Option<Vec<&Spare>> =
                    offer.spares.iter().map(|id| known.get(id)).collect();
                let what = spares?.into_iter().map(where_is).collect::<Vec<_>>();
                Some(Substitute {
                    what: what.join(" + "),
                    why: offer.why,
                    spares: offer.spares,
                })
            })
            .collect();
        let verdict = if needed > 0 && have >= needed {
            Verdict::Enough
        } else if have > 0 {
            Verdict::Short
        } else if !substitutes.is_empty() {
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
            substitutes,
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
    exact: Vec<Stocked>,
    substitutes: Vec<Offer>,
    notes: Vec<String>,
    chosen: Option<SpareId>,
    /// Spares read whole while looking (not read again).
    read: Vec<Spare>,
}

impl Found {
    fn nothing(understood: String, notes: Vec<String>) -> Found {
        Found {
            understood,
            exact: Vec::new(),
            substitutes: Vec::new(),
            notes,
            chosen: None,
            read: Vec::new(),
        }
    }

    /// The exact part: these spares, most stocked first.
    fn exact(understood: String, spares: Vec<Spare>, notes: Vec<String>) -> Found {
        let spares = most_stocked_first(spares);
        Found {
            understood,
            exact: spares.iter().map(Stocked::from).collect(),
            substitutes: Vec::new(),
            notes,
            chosen: None,
            read: spares,
        }
    }
}

/// Something that could stand in for a line, by id (described once the
/// spares are read).
struct Offer {
    why: String,
    /// One spare, or two for a series/parallel pair.
    spares: Vec<SpareId>,
}

/// The representatives of each kind of value-defined part (one spare per
/// value: id, value, quantity), read once per check for every line that
/// asks for substitutes of that kind.
#[derive(Default)]
struct Kinds {
    /// By the kind's question (Debug text); each read behind its own lock,
    /// so lines of one kind wait for the first read instead of each asking.
    read: std::sync::Mutex<HashMap<String, Arc<KindSlot>>>,
}

/// One kind's representatives, once read.
type KindSlot = Mutex<Option<Vec<ValueStock>>>;

impl Kinds {
    async fn representatives(
        &self,
        store: &dyn Store,
        kind: &Query,
    ) -> Result<Vec<ValueStock>, StoreError> {
        let slot = {
            let mut read = self
                .read
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            read.entry(format!("{kind:?}")).or_default().clone()
        };
        let mut held = slot.lock().await;
        if let Some(stock) = held.as_ref() {
            return Ok(stock.clone());
        }
        // A check suggests for many lines of a kind, each from a few
        // hundred values, not the whole stock.
        let stock = store.value_representatives(kind).await?;
        *held = Some(stock.clone());
        Ok(stock)
    }
}

/// The question of the stock of `target`'s kind that substitutes come
/// from: `q` without its value.
fn kind_of(q: &Query, target: &crate::value::Value) -> Query {
    Query {
        value: None,
        value_bounds: Vec::new(),
        category: q
            .category
            .clone()
            .or_else(|| Builtin::for_unit(target.unit()).map(Category::Builtin)),
        ..q.clone()
    }
}

/// What the stock answers a line's question.
struct Looked {
    /// The value in the package asked, from the index (most stocked
    /// first); when empty, `matches` says what answers the question.
    in_package: Vec<Stocked>,
    matches: Vec<Spare>,
    approximate: bool,
    suggestions: Vec<Offer>,
    /// Spares read whole by the searches (those in `matches` and more).
    read: Vec<Spare>,
}

impl Looked {
    fn in_package(rows: Vec<Stocked>) -> Looked {
        Looked {
            in_package: rows,
            matches: Vec::new(),
            approximate: false,
            suggestions: Vec::new(),
            read: Vec::new(),
        }
    }
}

/// Answers an understood question like [`search::run`]; a value-defined
/// part (a resistor, capacitor or inductor by value) is answered from the
/// index of values, its substitutes from the representatives of its kind
/// read once per check.
async fn look(
    store: &dyn Store,
    understood: crate::question::Understood,
    package: Option<&str>,
    kinds: &Kinds,
    prefetched: &Prefetched,
) -> Result<Looked, StoreError> {
    let q = &understood.query;
    // A package the store compares (not a through-hole family, which
    // `package_fits` compares).
    let indexed_package =
        package.filter(|p| !THROUGH_HOLE.contains(&crate::spare::Package::key_of(p).as_str()));
    let by_stock = Sort {
        key: SortKey::Quantity,
        descending: true,
    };
    let Some(target) = q.value.clone().filter(|_| by_value(q)) else {
        // The part in the package asked first; what is left of the
        // question's answers can only stand in, so a few are read (a
        // vague question's answers only stand in too).
        let mut limit = if vague(q) { FEW } else { CANDIDATES };
        if let Some(p) = indexed_package.filter(|_| !vague(q)) {
            let rows = most_stocked(store, q.clone().with_package(p), CANDIDATES).await?;
            if !rows.is_empty() {
                return Ok(Looked::in_package(rows));
            }
            // In other packages: the few most stocked (without counting
            // them all), else what the search makes of it (typos,
            // nearest values).
            let rows = most_stocked(store, q.clone(), FEW).await?;
            if !rows.is_empty() {
                let spares =
                    most_stocked_first(fetch(store, rows.iter().map(|r| r.id).collect()).await?);
                return Ok(Looked {
                    in_package: Vec::new(),
                    read: spares.clone(),
                    matches: spares,
                    approximate: false,
                    suggestions: Vec::new(),
                });
            }
            limit = FEW;
        }
        let band = q.value.as_ref().map(|t| Band::of(q, t));
        let page = Page::first(limit).sorted(by_stock);
        let outcome = search::run(store, understood, &page).await?;
        let mut read = outcome.matches.clone();
        let suggestions = offers(outcome.suggestions, band.as_ref(), &mut read);
        return Ok(Looked {
            in_package: Vec::new(),
            matches: outcome.matches,
            approximate: outcome.approximate,
            suggestions,
            read,
        });
    };
    // The part in the package asked (the store's index answers), else in
    // any package (the caller offers those as substitutes).
    if let Some(p) = indexed_package {
        let in_package = q.clone().with_package(p);
        // Asked already with the other lines.
        let rows = match prefetched.get(&format!("{in_package:?}")) {
            Some(rows) => rows.clone(),
            None => most_stocked(store, in_package, CANDIDATES).await?,
        };
        if !rows.is_empty() {
            return Ok(Looked::in_package(rows));
        }
    }
    // In any package: with the package asked and not found, these only
    // stand in, and a few are read.
    let limit = if indexed_package.is_some() {
        FEW
    } else {
        CANDIDATES
    };
    let found = store
        .search(q, &Page::first(limit).sorted(by_stock))
        .await?;
    if !found.spares.is_empty() {
        return Ok(Looked {
            in_package: Vec::new(),
            read: found.spares.clone(),
            matches: found.spares,
            approximate: false,
            suggestions: Vec::new(),
        });
    }
    // Nothing of that value: the nearest values and pairs, from the stock
    // of the kind read once per check.
    let stock = kinds.representatives(store, &kind_of(q, &target)).await?;
    let band = Band::of(q, &target);
    let values: HashMap<SpareId, f64> = stock.iter().map(|s| (s.id, s.value.si())).collect();
    let (nearest, pairs) = search::suggest(stock, &target);
    let mut suggestions: Vec<Offer> = nearest
        .into_iter()
        .filter_map(|id| {
            let why = band.why(*values.get(&id)?)?;
            Some(Offer {
                why,
                spares: vec![id],
            })
        })
        .collect();
    suggestions.extend(pairs.into_iter().map(|p| Offer {
        why: format!("in {} they make {}", p.wiring.name(), p.result.formatted()),
        spares: vec![p.first, p.second],
    }));
    Ok(Looked {
        in_package: Vec::new(),
        matches: Vec::new(),
        approximate: false,
        suggestions,
        read: Vec::new(),
    })
}

/// The search's substitutes as offers (their spares kept in `read`): a
/// nearest value only within the line's tolerance band.
fn offers(suggestions: Vec<Suggestion>, band: Option<&Band>, read: &mut Vec<Spare>) -> Vec<Offer> {
    suggestions
        .into_iter()
        .filter_map(|s| match s {
            Suggestion::Nearest { spare } => {
                let why = match band {
                    Some(band) => band.why(spare.value.as_ref()?.si())?,
                    None => "the nearest value in stock".into(),
                };
                let offer = Offer {
                    why,
                    spares: vec![spare.id],
                };
                read.push(*spare);
                Some(offer)
            }
            Suggestion::Combination {
                first,
                second,
                wiring,
                result,
            } => {
                let offer = Offer {
                    why: format!("in {} they make {}", wiring.name(), result.formatted()),
                    spares: vec![first.id, second.id],
                };
                read.extend([*first, *second]);
                Some(offer)
            }
        })
        .collect()
}

/// How near a value must be to stand in for a line's: within the part's
/// tolerance band ([`tolerance_band`]).
struct Band {
    target: f64,
    fraction: f64,
}

impl Band {
    fn of(q: &Query, target: &Value) -> Band {
        Band {
            target: target.si(),
            fraction: tolerance_band(q, target.unit()),
        }
    }

    /// Why a spare of value `si` stands in, or `None` outside the band.
    fn why(&self, si: f64) -> Option<String> {
        let off = ((si - self.target) / self.target).abs();
        if off > self.fraction * (1.0 + 1e-9) {
            None
        } else if off < 1e-9 {
            // The value asked, without the words asked with it.
            Some("the same value, not rated or described as asked".into())
        } else {
            Some(format!(
                "the nearest value in stock, within ±{}",
                percent(self.fraction)
            ))
        }
    }
}

/// The tolerance a line's value has: as asked ("10k 1%"), else what parts
/// of its kind usually have (resistors 5 %, capacitors 10 %, inductors and
/// potentiometers 20 %), as a fraction.
fn tolerance_band(q: &Query, unit: Unit) -> f64 {
    let asked = q.params.iter().find_map(|p| {
        (p.name.as_str() == "tolerance" && p.value.unit() == Unit::Percent)
            .then(|| p.value.si() / 100.0)
    });
    let potentiometer = q.category == Some(Category::Builtin(Builtin::Potentiometer));
    asked.unwrap_or(match unit {
        Unit::Ohm if !potentiometer => 0.05,
        Unit::Farad => 0.10,
        _ => 0.20,
    })
}

/// "5 %" for 0.05.
fn percent(fraction: f64) -> String {
    let n = fraction * 100.0;
    if (n - n.round()).abs() < 1e-9 {
        format!("{} %", n.round())
    } else {
        format!("{n} %")
    }
}

/// Whether a question says no more than a kind of part (no value, words
/// or parameters): whatever answers it only stands in.
fn vague(q: &Query) -> bool {
    q.value.is_none() && q.terms.is_empty() && q.params.is_empty() && q.texts.is_empty()
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
type Prefetched = HashMap<String, Vec<Stocked>>;

/// The question of a line that [`look`] answers by value in a package
/// (without a part number to try first): its value in that package.
fn plan(line: &BomLine) -> Option<Query> {
    let has_number =
        !line.mpn.trim().is_empty() || line.suppliers.values().any(|n| !n.trim().is_empty());
    if has_number {
        return None;
    }
    let mut understood = understand(&question_for(line));
    let package = wanted_package(line, understood.query.package.as_deref());
    understood.query.package = None;
    let mut q = understood.query;
    as_written(&mut q);
    let p =
        package.filter(|p| !THROUGH_HOLE.contains(&crate::spare::Package::key_of(p).as_str()))?;
    by_value(&q).then(|| q.with_package(&p))
}

/// The planned lines' questions, asked in one go.
async fn prefetch(store: &dyn Store, plans: &[Option<Query>]) -> Result<Prefetched, StoreError> {
    let mut queries: Vec<Query> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for q in plans.iter().flatten() {
        let key = format!("{q:?}");
        if !keys.contains(&key) {
            keys.push(key);
            queries.push(q.clone());
        }
    }
    if queries.is_empty() {
        return Ok(Prefetched::new());
    }
    let rows = store.most_stocked_many(&queries, CANDIDATES).await?;
    Ok(keys.into_iter().zip(rows).collect())
}

/// The ids and stock of the spares answering `query`, the most stocked
/// first (at most `limit`).
async fn most_stocked(
    store: &dyn Store,
    query: Query,
    limit: usize,
) -> Result<Vec<Stocked>, StoreError> {
    Ok(store
        .most_stocked_many(&[query], limit)
        .await?
        .pop()
        .unwrap_or_default())
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
    kinds: &Kinds,
    prefetched: &Prefetched,
) -> Result<Found, StoreError> {
    let mut notes = Vec::new();
    // A manufacturer's or supplier's part number matches first.
    let numbers: Vec<&str> = std::iter::once(line.mpn.as_str())
        .chain(line.suppliers.values().map(String::as_str))
        .filter(|n| !n.trim().is_empty())
        .collect();
    for number in &numbers {
        let (exact, approximate) = by_part_number(store, number).await?;
        if !exact.is_empty() {
            if approximate {
                notes.push(format!(
                    "{number} matched {} (spelled differently)",
                    exact[0].reference
                ));
            }
            return Ok(Found::exact(format!("part number {number}"), exact, notes));
        }
    }
    let question = question_for(line);
    let mut understood = understand(&question);
    notes.extend(understood.warnings.iter().cloned());
    let package = wanted_package(line, understood.query.package.as_deref());
    understood.query.package = None;
    // Ratings as the design writes them; "at least" as a builder reads
    // them only for what stands in.
    let at_least = understood.query.clone();
    let rated = as_written(&mut understood.query);
    let q = &understood.query;
    if q.is_empty() && package.is_none() {
        notes.push(format!(
            "the design says only “{question}”; nothing to look for"
        ));
        return Ok(Found::nothing("nothing".into(), notes));
    }
    if let Some(number) = numbers.first() {
        // A part number not in stock: only a value-defined part (a
        // resistor, a capacitor) may still be matched by its value; a
        // connector's or chip's value is a name, not a spec.
        if q.value.is_none() {
            notes.push(format!("part number {number} is not in stock"));
            return Ok(Found::nothing(format!("part number {number}"), notes));
        }
        notes.push(format!(
            "part number {number} is not in stock; matched by value"
        ));
    }
    let vague = vague(q);
    let interpretation = match &package {
        Some(p) if q.is_empty() => p.clone(),
        Some(p) => format!("{q} · {p}"),
        None => q.to_string(),
    };
    let outcome = look(
        store,
        understood.clone(),
        package.as_deref(),
        kinds,
        prefetched,
    )
    .await?;
    if !outcome.in_package.is_empty() {
        return Ok(Found {
            understood: interpretation,
            exact: outcome.in_package,
            substitutes: Vec::new(),
            notes,
            chosen: None,
            read: outcome.read,
        });
    }
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
        let mut found = Found::exact(interpretation, fits, notes);
        found.read.extend(outcome.read);
        return Ok(found);
    }
    let mut substitutes = Vec::new();
    let mut read = outcome.read;
    if rated && !vague {
        // The value in the package asked with a higher rating (or a
        // tighter tolerance): usable, never the part.
        for s in better_rated(store, at_least, package.as_deref()).await? {
            substitutes.push(Offer {
                why: rating_difference(&s, &q.params),
                spares: vec![s.id],
            });
            read.push(s);
        }
    }
    let said = if line.value.is_empty() {
        &question
    } else {
        &line.value
    };
    for s in most_stocked_first(fits.into_iter().chain(others).collect())
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
        substitutes.push(Offer {
            why,
            spares: vec![s.id],
        });
    }
    substitutes.extend(outcome.suggestions);
    Ok(Found {
        understood: interpretation,
        exact: Vec::new(),
        substitutes,
        notes,
        chosen: None,
        read,
    })
}

/// Ratings as the design writes them: the constraints a builder reads as
/// "at least" (voltage, power, current) or "at most" (tolerance) asked
/// exactly; whether the question had any.
fn as_written(q: &mut Query) -> bool {
    let mut rated = false;
    for p in &mut q.params {
        if matches!(p.cmp, Cmp::Ge | Cmp::Le) {
            p.cmp = Cmp::Eq;
            rated = true;
        }
    }
    rated
}

/// The few most stocked spares answering `at_least` (ratings as lower
/// bounds) in `package`.
async fn better_rated(
    store: &dyn Store,
    at_least: Query,
    package: Option<&str>,
) -> Result<Vec<Spare>, StoreError> {
    let indexed =
        package.filter(|p| !THROUGH_HOLE.contains(&crate::spare::Package::key_of(p).as_str()));
    let spares = match indexed {
        Some(p) => {
            let rows = most_stocked(store, at_least.with_package(p), FEW).await?;
            fetch(store, rows.iter().map(|r| r.id).collect()).await?
        }
        None => {
            let by_stock = Sort {
                key: SortKey::Quantity,
                descending: true,
            };
            store
                .search(&at_least, &Page::first(FEW).sorted(by_stock))
                .await?
                .spares
                .into_iter()
                .filter(|s| {
                    package.is_none_or(|p| package_fits(p, s.package.as_ref().map(|p| p.text())))
                })
                .collect()
        }
    };
    Ok(most_stocked_first(spares)
        .into_iter()
        .filter(|s| s.quantity.get() > 0)
        .collect())
}

/// How a spare's ratings differ from those asked: "50 V instead of 16 V".
fn rating_difference(spare: &Spare, asked: &[crate::query::ParamConstraint]) -> String {
    let differences: Vec<String> = asked
        .iter()
        .filter_map(|p| match spare.parameters.get(&p.name) {
            Some(ParamValue::Quantity(theirs)) if !theirs.same_as(&p.value) => Some(format!(
                "{} instead of {}",
                theirs.formatted(),
                p.value.formatted()
            )),
            _ => None,
        })
        .collect();
    if differences.is_empty() {
        "a better rating".to_owned()
    } else {
        differences.join(", ")
    }
}

/// The spares filed under part number `number`: those whose reference is
/// the number (ignoring case, dashes and spaces); only when the number's
/// words occur nowhere in the stock, those whose reference is the number
/// split differently ("NE-555P"), else with a typo in its letters — never
/// in its digits — (then `true`).
async fn by_part_number(store: &dyn Store, number: &str) -> Result<(Vec<Spare>, bool), StoreError> {
    let understood = understand(number);
    let key = part_key(number);
    if understood.query.is_empty() || key.is_empty() {
        return Ok((Vec::new(), false));
    }
    // The texts (ids and texts only, however many) of what the number's
    // words are in: a reference is its spare's text's first line.
    let reference = |text: &str| part_key(text.lines().next().unwrap_or_default());
    let same = |theirs: &str| theirs == key;
    let texts = store.search_texts(&understood.query).await?;
    if let Some(exact) = filed_as(store, &texts, reference, same).await? {
        return Ok((exact, false));
    }
    // In other parts ("NE555P-12"): other parts.
    let terms = &understood.query.terms;
    if !texts.is_empty() || terms.is_empty() || key.chars().count() < 3 {
        return Ok((Vec::new(), false));
    }
    // Nowhere: what shares three characters in a row with the number
    // ("ne-555p" has "555" of "ne555p" and of "nf555p").
    let pieces = Query {
        terms: Vec::new(),
        any_trigram_of: vec![key.clone()],
        ..understood.query.clone()
    };
    let texts = store.search_texts(&pieces).await?;
    if let Some(exact) = filed_as(store, &texts, reference, same).await? {
        return Ok((exact, false));
    }
    let digits = |text: &str| -> String { text.chars().filter(char::is_ascii_digit).collect() };
    let key_chars: Vec<char> = key.chars().collect();
    let allowed = crate::fuzzy::allowed_typos(key_chars.len());
    let near = |theirs: &str| {
        let chars: Vec<char> = theirs.chars().collect();
        digits(theirs) == digits(&key) && crate::fuzzy::within_distance(&chars, &key_chars, allowed)
    };
    Ok(filed_as(store, &texts, reference, near)
        .await?
        .map_or((Vec::new(), false), |spares| (spares, true)))
}

/// The spares among `texts` whose reference (read from the text, then
/// from the spare) is as `wanted` says; `None` when there are none.
async fn filed_as(
    store: &dyn Store,
    texts: &[(SpareId, String)],
    reference: impl Fn(&str) -> String,
    wanted: impl Fn(&str) -> bool,
) -> Result<Option<Vec<Spare>>, StoreError> {
    let ids: Vec<SpareId> = texts
        .iter()
        .filter(|(_, text)| wanted(&reference(text)))
        .map(|(id, _)| *id)
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    let spares: Vec<Spare> = fetch(store, ids)
        .await?
        .into_iter()
        .filter(|s| wanted(&part_key(&s.reference)))
        .collect();
    Ok((!spares.is_empty()).then_some(spares))
}

fn most_stocked_first(mut spares: Vec<Spare>) -> Vec<Spare> {
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
