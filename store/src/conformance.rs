//! The conformance suite every [`Store`] backend must pass, unchanged.
//!
//! A backend's test file calls [`crate::conformance_suite!`] with an async
//! expression that makes a fresh, empty store; it expands into one test per
//! check. The search checks are property tests: a random inventory and
//! random queries, each answered by the backend and by the reference
//! evaluation ([`Query::matches`]); they must agree exactly. The seed is
//! printed on failure and can be fixed with `SPARES_CONFORMANCE_SEED`.

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use spares_bom::{BomLine, Origin};
use spares_core::location::{Location, LocationCode};
use spares_core::money::{Currency, Money};
use spares_core::movement::{Change, Source};
use spares_core::project::{BuildId, BuildTake, ProjectData, ProjectId, ProjectName};
use spares_core::quantity::Quantity;
use spares_core::query::{
    Cmp, Found, Page, ParamConstraint, Query, Seek, Sort, SortKey, ValueBound, reference_page,
};
use spares_core::session::SessionRecord;
use spares_core::shop::{Shop, ShopName, WebAddress};
use spares_core::spare::{ParamName, Spare, SpareData, SpareId, SpareInput, Tag};
use spares_core::store::{Store, StoreError};
use spares_core::summary::Summary;
use spares_core::unit::Unit;
use spares_core::value::Value;

/// Expands into one `#[tokio::test]` per conformance check. `$make` is an
/// async expression returning `Arc<dyn Store>` (a fresh, empty store);
/// `$pair` is an async expression returning two independent handles
/// (separate connections) on one fresh database, e.g.
/// `conformance_suite!(fresh_store(), two_handles())`. A third argument
/// sets how many adjustments each of the 8 concurrent tasks makes
/// (default 1000). `conformance_suite!(ignore = "needs …"; …)` marks
/// every test ignored with that reason, for a backend whose server cargo
/// cannot provide (`cargo test` lists them as ignored; `scripts/test` runs
/// them with `--include-ignored`).
#[macro_export]
macro_rules! conformance_suite {
    (@with [$($attr:meta)?] $make:expr, $pair:expr, $per_task:expr) => {
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_crud_round_trips_every_field() {
            $crate::conformance::crud_round_trips_every_field($make.await).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_adjust_refuses_to_go_below_zero() {
            $crate::conformance::adjust_refuses_to_go_below_zero($make.await).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_history_records_every_change() {
            $crate::conformance::history_records_every_change($make.await).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_locations_and_shops() {
            $crate::conformance::locations_and_shops($make.await).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_sessions_are_kept_touched_and_ended() {
            $crate::conformance::sessions_are_kept_touched_and_ended($make.await).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_backups_hold_everything_and_restore_exactly() {
            $crate::conformance::backups_hold_everything_and_restore_exactly($make.await).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_summary_equals_the_reference_after_every_kind_of_change() {
            $crate::conformance::summary_equals_the_reference($make.await).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_import_and_export() {
            $crate::conformance::import_and_export($make.await).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_restore_keeps_ids_times_and_history() {
            $crate::conformance::restore_keeps_ids_times_and_history($make.await, $make.await)
                .await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_search_equals_reference_evaluation() {
            $crate::conformance::search_equals_reference_evaluation($make.await, 400, 600).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_seek_walks_every_order() {
            $crate::conformance::seek_walks_every_order($make.await).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_projects_are_kept_renamed_and_deleted() {
            $crate::conformance::projects_are_kept_renamed_and_deleted($make.await).await;
        }
        #[tokio::test]
        $(#[$attr])?
        async fn conformance_builds_take_everything_or_nothing_and_undo() {
            $crate::conformance::builds_take_everything_or_nothing_and_undo($make.await).await;
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        $(#[$attr])?
        async fn conformance_concurrent_builds_never_go_negative() {
            let (first, second) = $pair.await;
            $crate::conformance::concurrent_builds_never_go_negative(first, second, 8, 6).await;
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        $(#[$attr])?
        async fn conformance_concurrent_adjustments_through_two_handles() {
            let (first, second) = $pair.await;
            $crate::conformance::concurrent_adjustments(first, second, 8, $per_task).await;
        }
    };
    (ignore = $why:literal; $make:expr, $pair:expr, $per_task:expr) => {
        $crate::conformance_suite!(@with [ignore = $why] $make, $pair, $per_task);
    };
    ($make:expr, $pair:expr) => {
        $crate::conformance_suite!($make, $pair, 1000);
    };
    ($make:expr, $pair:expr, $per_task:expr) => {
        $crate::conformance_suite!(@with [] $make, $pair, $per_task);
    };
}

/// A consistent copy equals what export and the history say (nothing
/// writes meanwhile here); a backup file holds exactly that, and restoring
/// it into an empty store gives it back; a backup never overwrites a file.
pub async fn backups_hold_everything_and_restore_exactly(store: Arc<dyn Store>) {
    let change = actor();
    let a = store
        .create_spare(full_spare(), &change)
        .await
        .expect("create");
    let b = store
        .create_spare(
            input("capacitor", "100n", "").parse(None).expect("spare"),
            &change,
        )
        .await
        .expect("create");
    store.adjust(a.id, -3, &change).await.expect("take");
    store.adjust(b.id, 7, &change).await.expect("add");
    let project = store
        .create_project(project_data("Backed up", &["100n"]))
        .await
        .expect("project");
    let build = store
        .build(project.id, 2, &[take(b.id, 4)], &change)
        .await
        .expect("build");
    store.undo_build(build.id, &change).await.expect("undo");
    store
        .build(project.id, 1, &[take(b.id, 2)], &change)
        .await
        .expect("build");
    let expected = (
        store.export().await.expect("export"),
        store.all_movements().await.expect("movements"),
    );
    assert_eq!(store.consistent_copy().await.expect("copy"), expected);

    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "spares-backup-{}-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
        seed()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("backup.db");
    crate::backup_to(&*store, &file).await.expect("backup");
    match crate::backup_to(&*store, &file).await {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("a second backup onto the same file must be refused: {other:?}"),
    }
    let copy: Arc<dyn Store> = Arc::new(
        spares_sqlite::SqliteStore::open(&file)
            .await
            .expect("open the backup"),
    );
    assert_eq!(
        copy.consistent_copy().await.expect("backup's copy"),
        expected
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The dashboard's and shops page's totals, as the store keeps them,
/// equal the reference computation from every spare and movement after
/// each kind of change: import, create, adjust both ways, set, edit (price,
/// currency, category, shop), delete, restore.
pub async fn summary_equals_the_reference(store: Arc<dyn Store>) {
    let seed = seed();
    let mut rng = StdRng::seed_from_u64(seed);
    let check = |store: Arc<dyn Store>, step: &'static str| async move {
        let (snapshot, movements) = store.consistent_copy().await.expect("copy");
        let expected = Summary::of(&snapshot.spares, &movements);
        assert_eq!(
            store.summary().await.expect("summary"),
            expected,
            "after {step} (seed {seed})"
        );
    };
    check(Arc::clone(&store), "nothing").await;
    let priced = |rng: &mut StdRng| {
        let mut data = random_spare(rng);
        if rng.gen_bool(0.8) {
            let currency = Currency::parse(pick(rng, &["EUR", "USD", "GBP"])).expect("currency");
            let amount = pick(rng, &["0.0012", "0.05", "1.5", "12.345", "0.10", "3"]);
            data.unit_price = Some(Money::parse(amount, currency).expect("price"));
        }
        data
    };
    let batch: Vec<SpareData> = (0..60).map(|_| priced(&mut rng)).collect();
    store.import(batch, &actor(), None).await.expect("import");
    check(Arc::clone(&store), "import").await;
    let mut ids: Vec<SpareId> = store
        .export()
        .await
        .expect("export")
        .spares
        .iter()
        .map(|s| s.id)
        .collect();
    for _ in 0..10 {
        let created = store
            .create_spare(priced(&mut rng), &actor())
            .await
            .expect("create");
        ids.push(created.id);
    }
    check(Arc::clone(&store), "create").await;
    for _ in 0..40 {
        let id = ids[rng.gen_range(0..ids.len())];
        let delta = rng.gen_range(-30..40);
        // Refused changes (below zero) must change no total either.
        let _ = store.adjust(id, delta, &actor()).await;
    }
    check(Arc::clone(&store), "adjust").await;
    for _ in 0..10 {
        let id = ids[rng.gen_range(0..ids.len())];
        let q = Quantity::new(rng.gen_range(0..100)).expect("quantity");
        store.set_quantity(id, q, &actor()).await.expect("set");
    }
    check(Arc::clone(&store), "set").await;
    for _ in 0..10 {
        let id = ids[rng.gen_range(0..ids.len())];
        store
            .update_spare(id, priced(&mut rng), &actor())
            .await
            .expect("edit");
    }
    check(Arc::clone(&store), "edit").await;
    for _ in 0..8 {
        let id = ids.swap_remove(rng.gen_range(0..ids.len()));
        store.delete_spare(id).await.expect("delete");
    }
    check(Arc::clone(&store), "delete").await;
    let summary = store.summary().await.expect("summary");
    assert!(summary.spares() > 0 && !summary.value_per_currency().is_empty());
}

/// Sessions: kept, read back exactly, touched (never backwards), ended one
/// by one or all at once; expired ones are forgotten when a new one is
/// made; a duplicate id is a conflict without the database's own words.
pub async fn sessions_are_kept_touched_and_ended(store: Arc<dyn Store>) {
    let record = |id: &str, created: i64| SessionRecord {
        id: id.to_owned(),
        user: "admin".into(),
        credential: "fingerprint-1".into(),
        created_at: created,
        last_seen: created,
        expires_at: created + 7 * 86_400,
    };
    let first = record("a1", 1_000_000);
    store.create_session(&first).await.expect("create");
    assert_eq!(
        store.get_session("a1").await.expect("get"),
        Some(first.clone())
    );
    assert_eq!(store.get_session("nope").await.expect("get"), None);
    match store.create_session(&first).await {
        Err(StoreError::Conflict(message)) => {
            let lower = message.to_lowercase();
            assert!(
                !lower.contains("e11000") && !lower.contains("index") && !lower.contains("unique"),
                "the database's own words leaked: {message}"
            );
        }
        other => panic!("a duplicate session id must conflict, got {other:?}"),
    }
    store.touch_session("a1", 1_000_500).await.expect("touch");
    store
        .touch_session("a1", 1_000_100)
        .await
        .expect("older touch");
    store
        .touch_session("unknown", 1_000_100)
        .await
        .expect("unknown touch");
    let touched = store.get_session("a1").await.expect("get").expect("kept");
    assert_eq!(touched.last_seen, 1_000_500, "last_seen never goes back");
    // A session made after the first one's absolute end forgets it.
    let second = record("b2", first.expires_at);
    store.create_session(&second).await.expect("second");
    assert_eq!(
        store.get_session("a1").await.expect("get"),
        None,
        "expired one purged"
    );
    store
        .create_session(&record("c3", first.expires_at + 1))
        .await
        .expect("third");
    store.end_session("b2").await.expect("end");
    store.end_session("b2").await.expect("ending twice is fine");
    assert_eq!(store.get_session("b2").await.expect("get"), None);
    assert!(store.get_session("c3").await.expect("get").is_some());
    assert_eq!(store.end_all_sessions().await.expect("end all"), 1);
    assert_eq!(store.get_session("c3").await.expect("get"), None);
}

fn seed() -> u64 {
    std::env::var("SPARES_CONFORMANCE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().r#gen())
}

fn actor() -> Change {
    Change::new(Source::Api, "conformance")
}

fn input(category: &str, value: &str, reference: &str) -> SpareInput {
    SpareInput {
        category: category.into(),
        value: value.into(),
        reference: reference.into(),
        ..SpareInput::default()
    }
}

fn full_spare() -> SpareData {
    SpareInput {
        category: "capacitor".into(),
        reference: "CL21B104KBCNNNC".into(),
        manufacturer: "Samsung".into(),
        description: "MLCC 100nF 50V X7R".into(),
        value: "0.1µF".into(),
        package: "0805".into(),
        parameters: vec![
            ("voltage".into(), "50V".into()),
            ("dielectric".into(), "X7R".into()),
            ("tolerance".into(), "±10%".into()),
        ],
        tags: "smd decoupling".into(),
        quantity: "80".into(),
        low_stock: "20".into(),
        unit_price: "0.0123".into(),
        currency: "EUR".into(),
        shop: "LCSC".into(),
        location: "a2".into(),
        datasheet: "https://example.com/cl21.pdf".into(),
        notes: "Bought for the synth.\n\"Quoted\" & <tagged>".into(),
    }
    .parse(None)
    .expect("valid sample spare")
}

/// Create, read, update, delete; every field survives storage.
pub async fn crud_round_trips_every_field(store: Arc<dyn Store>) {
    let data = full_spare();
    let created = store
        .create_spare(data.clone(), &actor())
        .await
        .expect("create");
    assert_eq!(created.data, data);
    let read = store.get_spare(created.id).await.expect("get");
    assert_eq!(
        read.data, data,
        "stored spare differs from what was written"
    );
    assert_eq!(read.id, created.id);

    let mut changed = data.clone();
    changed.reference = "CL21B104KBCNNNC-ALT".into();
    changed
        .parameters
        .remove(&ParamName::parse("dielectric").expect("valid"));
    changed.tags = vec![Tag::parse("smd").expect("valid")];
    changed.unit_price = None;
    changed.location = LocationCode::parse("B7").ok();
    let updated = store
        .update_spare(created.id, changed.clone(), &actor())
        .await
        .expect("update");
    assert_eq!(updated.data, changed);
    assert_eq!(
        store.get_spare(created.id).await.expect("get").data,
        changed
    );
    assert!(updated.updated_at >= created.updated_at);

    let other = store
        .create_spare(
            input("resistor", "10k", "").parse(None).expect("valid"),
            &actor(),
        )
        .await
        .expect("create");
    assert_ne!(other.id, created.id);
    assert_eq!(store.count_spares().await.expect("count"), 2);

    store.delete_spare(created.id).await.expect("delete");
    assert!(matches!(
        store.get_spare(created.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_spare(created.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store
            .update_spare(SpareId(999_999), changed, &actor())
            .await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.count_spares().await.expect("count"), 1);
    store.ping().await.expect("ping");
}

/// Adjustments are refused, changing nothing, when stock would go negative.
pub async fn adjust_refuses_to_go_below_zero(store: Arc<dyn Store>) {
    let mut data = input("resistor", "4k7", "").parse(None).expect("valid");
    data.quantity = Quantity::new(3).expect("valid");
    let spare = store.create_spare(data, &actor()).await.expect("create");

    let m = store.adjust(spare.id, -2, &actor()).await.expect("take 2");
    assert_eq!(m.quantity_after.get(), 1);
    let err = store
        .adjust(spare.id, -2, &actor())
        .await
        .expect_err("only 1 left");
    assert!(
        matches!(
            &err,
            StoreError::InsufficientStock { spare: s, available, requested: 2 }
                if *s == spare.id && *available == Quantity::new(1).expect("valid")
        ),
        "{err:?}"
    );
    assert_eq!(
        store.get_spare(spare.id).await.expect("get").quantity.get(),
        1
    );
    assert_eq!(
        store.history(spare.id, 100).await.expect("history").len(),
        2
    );

    assert!(matches!(
        store.adjust(spare.id, 0, &actor()).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.adjust(SpareId(987_654), 1, &actor()).await,
        Err(StoreError::NotFound { .. })
    ));
    let m = store
        .adjust(spare.id, -1, &actor())
        .await
        .expect("take the last");
    assert_eq!(m.quantity_after, Quantity::ZERO);
    let m = store.adjust(spare.id, 10, &actor()).await.expect("restock");
    assert_eq!(m.quantity_after.get(), 10);
}

/// Every quantity change is a movement with source, actor and reason.
pub async fn history_records_every_change(store: Arc<dyn Store>) {
    let mut data = input("led", "", "L-53GD").parse(None).expect("valid");
    data.quantity = Quantity::new(10).expect("valid");
    let spare = store
        .create_spare(data.clone(), &actor())
        .await
        .expect("create");
    let bot = Change::new(Source::Bot, "telegram:42").with_reason("blinky project");
    store.adjust(spare.id, -3, &bot).await.expect("take");
    let set = store
        .set_quantity(
            spare.id,
            Quantity::new(20).expect("valid"),
            &Change::new(Source::Web, "admin"),
        )
        .await
        .expect("set");
    assert_eq!(set.as_ref().map(|m| m.delta), Some(13));
    let unchanged = store
        .set_quantity(spare.id, Quantity::new(20).expect("valid"), &actor())
        .await
        .expect("set same");
    assert_eq!(unchanged, None, "setting the same quantity records nothing");
    data.quantity = Quantity::new(15).expect("valid");
    store
        .update_spare(spare.id, data, &actor())
        .await
        .expect("edit");

    let history = store.history(spare.id, 100).await.expect("history");
    let deltas: Vec<i64> = history.iter().map(|m| m.delta).collect();
    assert_eq!(deltas, vec![-5, 13, -3, 10], "newest first");
    let afters: Vec<i64> = history.iter().map(|m| m.quantity_after.get()).collect();
    assert_eq!(afters, vec![15, 20, 7, 10]);
    let take = &history[2];
    assert_eq!(take.source, Source::Bot);
    assert_eq!(take.actor, "telegram:42");
    assert_eq!(take.reason.as_deref(), Some("blinky project"));
    assert_eq!(store.history(spare.id, 2).await.expect("history").len(), 2);

    let recent = store.recent_movements(3).await.expect("recent");
    assert_eq!(recent.len(), 3);
    assert_eq!(recent[0].delta, -5);
    assert!(matches!(
        store.history(SpareId(123_456), 10).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// Locations and shops: created on the fly, saved, listed, refused deletion
/// while in use.
pub async fn locations_and_shops(store: Arc<dyn Store>) {
    let spare = store
        .create_spare(full_spare(), &actor())
        .await
        .expect("create");
    let a2 = LocationCode::parse("A2").expect("valid");
    assert_eq!(
        store.get_location(&a2).await.expect("made on the fly").code,
        a2
    );
    let lcsc = ShopName::parse("lcsc").expect("valid");
    assert_eq!(
        store
            .get_shop(&lcsc)
            .await
            .expect("made on the fly")
            .name
            .as_str(),
        "LCSC"
    );

    let named = Location::new(a2.clone(), "Passives drawer", "0805 caps").expect("valid");
    store.save_location(named.clone()).await.expect("save");
    assert_eq!(store.get_location(&a2).await.expect("get"), named);
    let empty = Location::bare(LocationCode::parse("z9").expect("valid"));
    store.save_location(empty.clone()).await.expect("save");
    let list = store.list_locations().await.expect("list");
    let counts: Vec<(String, u64)> = list
        .iter()
        .map(|l| (l.location.code.to_string(), l.spares))
        .collect();
    assert_eq!(counts, vec![("A2".into(), 1), ("Z9".into(), 0)]);
    assert_eq!(
        store.locations().await.expect("locations"),
        list.iter().map(|l| l.location.clone()).collect::<Vec<_>>(),
        "the cheap list is the same list, by code"
    );
    assert_eq!(store.count_locations().await.expect("count"), 2);

    assert!(matches!(
        store.delete_location(&a2).await,
        Err(StoreError::Conflict(_))
    ));
    store
        .delete_location(&empty.code)
        .await
        .expect("delete empty box");
    assert!(matches!(
        store.get_location(&empty.code).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_location(&empty.code).await,
        Err(StoreError::NotFound { .. })
    ));

    let shop = Shop {
        name: ShopName::parse("LCSC").expect("valid"),
        website: WebAddress::parse("https://www.lcsc.com/").ok(),
    };
    store.save_shop(shop.clone()).await.expect("save shop");
    assert_eq!(store.get_shop(&lcsc).await.expect("get"), shop);
    let mouser = Shop {
        name: ShopName::parse("Mouser").expect("valid"),
        website: None,
    };
    store.save_shop(mouser.clone()).await.expect("save shop");
    assert_eq!(
        store.list_shops().await.expect("list"),
        vec![shop, mouser.clone()]
    );
    assert!(matches!(
        store.delete_shop(&lcsc).await,
        Err(StoreError::Conflict(_))
    ));
    store
        .delete_shop(&mouser.name)
        .await
        .expect("delete unused shop");
    store.delete_spare(spare.id).await.expect("delete spare");
    store.delete_location(&a2).await.expect("now empty");
}

/// Import adds everything with a movement each; export gives it all back.
pub async fn import_and_export(store: Arc<dyn Store>) {
    let mut rng = StdRng::seed_from_u64(7);
    let batch: Vec<SpareData> = (0..250).map(|_| random_spare(&mut rng)).collect();
    let seen = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let progress_seen = Arc::clone(&seen);
    let n = store
        .import(
            batch.clone(),
            &Change::new(Source::Import, "cli"),
            Some(Arc::new(move |n| {
                progress_seen.store(n, std::sync::atomic::Ordering::SeqCst)
            })),
        )
        .await
        .expect("import");
    assert_eq!(n, 250);
    assert_eq!(
        seen.load(std::sync::atomic::Ordering::SeqCst),
        250,
        "progress reaches the end"
    );
    let snapshot = store.export().await.expect("export");
    let exported: Vec<&SpareData> = snapshot.spares.iter().map(|s| &s.data).collect();
    let expected: Vec<&SpareData> = batch.iter().collect();
    assert_eq!(exported, expected, "export returns the import, in order");
    // A source that fails part-way through imports nothing.
    let before = store.count_spares().await.expect("count");
    let failing = batch
        .iter()
        .take(3)
        .cloned()
        .map(Ok)
        .chain(std::iter::once(Err(StoreError::Invalid(
            "line 5: bad".into(),
        ))));
    let err = store
        .import_rows(
            spares_core::store::ImportRows {
                rows: Box::new(failing.collect::<Vec<_>>().into_iter()),
                len: 4,
            },
            &Change::new(Source::Import, "cli"),
            None,
        )
        .await
        .expect_err("a failing row stops the import");
    assert!(err.to_string().contains("line 5"), "{err}");
    assert_eq!(store.count_spares().await.expect("count"), before);
    // The slices a streaming export reads add up to the export.
    let mut sliced: Vec<Spare> = Vec::new();
    let mut after = None;
    loop {
        let slice = store.spares_after(after, 37).await.expect("slice");
        assert!(slice.len() <= 37);
        let Some(last) = slice.last() else { break };
        after = Some(last.id);
        sliced.extend(slice);
    }
    assert_eq!(sliced, snapshot.spares, "slices by id make the export");
    let names: std::collections::BTreeSet<_> = snapshot
        .spares
        .iter()
        .flat_map(|s| s.parameters.keys().cloned())
        .collect();
    assert_eq!(
        store.parameter_names().await.expect("names"),
        names.into_iter().collect::<Vec<_>>(),
        "parameter names: each once, sorted"
    );
    let mut csv = Vec::new();
    spares_core::csv_io::export(store.as_ref(), &mut csv)
        .await
        .expect("csv export");
    let mut whole = Vec::new();
    spares_core::csv_io::write_spares(&mut whole, &snapshot.spares).expect("csv");
    assert_eq!(
        csv, whole,
        "the streamed CSV equals the one written at once"
    );
    let mut codes: Vec<String> = batch
        .iter()
        .filter_map(|s| s.location.as_ref().map(|l| l.to_string()))
        .collect();
    codes.sort();
    codes.dedup();
    let exported_codes: Vec<String> = snapshot
        .locations
        .iter()
        .map(|l| l.code.to_string())
        .collect();
    assert_eq!(exported_codes, codes);
    let stocked = batch.iter().filter(|s| s.quantity.get() > 0).count();
    let movements = store.recent_movements(10_000).await.expect("recent");
    assert_eq!(movements.len(), stocked);
    assert!(movements.iter().all(|m| m.source == Source::Import));
}

/// Restoring an export (with history) into an empty store gives back the
/// same spares, ids, times, boxes, shops and history; new ids continue
/// after the restored ones; a non-empty target is refused.
pub async fn restore_keeps_ids_times_and_history(source: Arc<dyn Store>, target: Arc<dyn Store>) {
    let mut rng = StdRng::seed_from_u64(11);
    let mut ids = Vec::new();
    for _ in 0..30 {
        ids.push(
            source
                .create_spare(random_spare(&mut rng), &actor())
                .await
                .expect("create")
                .id,
        );
    }
    source
        .delete_spare(ids[3])
        .await
        .expect("delete one, leaving a gap");
    for id in ids.iter().skip(4).take(10) {
        let _ = source
            .adjust(*id, 3, &Change::new(Source::Bot, "telegram:1"))
            .await
            .expect("adjust");
    }
    source
        .save_location(
            Location::new(
                LocationCode::parse("Q9").expect("valid"),
                "Empty drawer",
                "",
            )
            .expect("valid"),
        )
        .await
        .expect("box");
    source
        .save_shop(Shop {
            name: ShopName::parse("Conrad").expect("valid"),
            website: WebAddress::parse("https://www.conrad.com/").ok(),
        })
        .await
        .expect("shop");
    let mut kept = project_data("Kept", &["10k", "1k"]);
    kept.overrides.insert(0, ids[5]);
    let kept = source.create_project(kept).await.expect("project");
    let gone = source
        .create_project(project_data("Gone", &["1k"]))
        .await
        .expect("project");
    source
        .delete_project(gone.id)
        .await
        .expect("delete, leaving a gap");
    source
        .build(kept.id, 1, &[take(ids[5], 1), take(ids[6], 2)], &actor())
        .await
        .expect("build");
    let snapshot = source.export().await.expect("export");
    let movements = source.all_movements().await.expect("movements");
    assert!(movements.len() > 30);
    assert_eq!((snapshot.projects.len(), snapshot.builds.len()), (1, 1));

    target
        .restore(snapshot.clone(), movements.clone())
        .await
        .expect("restore");
    assert_eq!(target.export().await.expect("export"), snapshot);
    assert_eq!(target.all_movements().await.expect("movements"), movements);
    assert_eq!(
        target.summary().await.expect("restored totals"),
        Summary::of(&snapshot.spares, &movements),
        "a restore keeps the totals"
    );
    for id in ids.iter().skip(4).take(3) {
        assert_eq!(
            target.history(*id, 100).await.expect("history"),
            source.history(*id, 100).await.expect("history")
        );
    }
    let max = snapshot.spares.iter().map(|s| s.id).max().expect("spares");
    let new = target
        .create_spare(random_spare(&mut rng), &actor())
        .await
        .expect("create after restore");
    assert!(new.id > max, "new ids continue after restored ones");
    let m = target
        .adjust(ids[5], 1, &actor())
        .await
        .expect("adjust after restore");
    assert!(m.id > movements.iter().map(|m| m.id).max().unwrap_or(0));
    let next = target
        .create_project(project_data("After restore", &["1k"]))
        .await
        .expect("project after restore");
    assert!(next.id > kept.id, "new project ids continue");
    assert!(matches!(
        target.create_project(project_data("KEPT", &["1k"])).await,
        Err(StoreError::Conflict(_))
    ));
    let undone = target
        .undo_build(snapshot.builds[0].id, &actor())
        .await
        .expect("a restored build can be undone");
    assert!(undone.undone_at.is_some());
    assert!(matches!(
        target.restore(snapshot, movements).await,
        Err(StoreError::Conflict(_))
    ));
}

const RESISTANCES: &[&str] = &[
    "10",
    "100",
    "220",
    "1k",
    "3.3k",
    "4k7",
    "10k",
    "10000",
    "10.000005k",
    "10.00002k",
    "33k",
    "330k",
    "100k",
    "1M",
];
const CAPACITANCES: &[&str] = &["22p", "100n", "0.1u", "1u", "4µ7", "10u", "100u"];
const INDUCTANCES: &[&str] = &["10uH", "22uH", "100uH"];
const FREQUENCIES: &[&str] = &["8MHz", "16MHz", "32.768kHz"];
const OUTPUTS: &[&str] = &["3V3", "5V", "12V"];
const VOLTAGES: &[&str] = &["6.3V", "10V", "16V", "25V", "50V", "63V", "100V"];
const POWERS: &[&str] = &["1/8W", "1/4W", "0.25W", "1/2W", "1W"];
const TOLERANCES: &[&str] = &["1%", "±5%", "10%"];
const COLORS: &[&str] = &["red", "green", "Blue", "15"];
const PACKAGES: &[&str] = &[
    "0402", "0603", "0805", "1206", "SOT-23", "sot23", "TO-220", "DIP-8", "5mm",
];
const CODES: &[&str] = &["A1", "A2", "B1", "C2"];
const SHOPS: &[&str] = &["LCSC", "Mouser", "Digi-Key"];
const REFERENCES: &[&str] = &[
    "RC0805FR-0710KL",
    "CL21B104KBCNNNC",
    "LM7805CT",
    "ATMEGA32U4-AU",
    "BC547B",
    "NE555P",
    "1N4148",
    "IRLZ44N",
    "AMS1117-3.3",
    "ESP32-WROOM-32",
    "lm358n",
    "Écran-OLED",
    "écran-lcd",
];
const TERMS: &[&str] = &[
    "lm78",
    "atmega",
    "bc5",
    "rc0805",
    "e",
    "555",
    "zz",
    "ams",
    "\"quoted\"",
];
const TAGS: &[&str] = &["smd", "tht", "e96", "audio"];

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

fn maybe<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    if rng.gen_bool(0.3) {
        ""
    } else {
        pick(rng, items)
    }
}

/// A random but valid spare drawn from small pools, so queries hit often.
pub fn random_spare(rng: &mut StdRng) -> SpareData {
    let (category, value) = match rng.gen_range(0..9) {
        0..=2 => ("resistor", pick(rng, RESISTANCES)),
        3..=4 => ("capacitor", pick(rng, CAPACITANCES)),
        5 => ("inductor", pick(rng, INDUCTANCES)),
        6 => ("crystal", pick(rng, FREQUENCIES)),
        7 => ("regulator", pick(rng, OUTPUTS)),
        _ => (
            pick(rng, &["led", "sensor", "switch", "battery holder"]),
            "",
        ),
    };
    let mut parameters = Vec::new();
    if rng.gen_bool(0.5) {
        parameters.push(("voltage".to_owned(), pick(rng, VOLTAGES).to_owned()));
    }
    if rng.gen_bool(0.4) {
        parameters.push(("power".to_owned(), pick(rng, POWERS).to_owned()));
    }
    if rng.gen_bool(0.4) {
        parameters.push(("tolerance".to_owned(), pick(rng, TOLERANCES).to_owned()));
    }
    if rng.gen_bool(0.3) {
        parameters.push(("color".to_owned(), pick(rng, COLORS).to_owned()));
    }
    let tags: Vec<&str> = TAGS.iter().copied().filter(|_| rng.gen_bool(0.3)).collect();
    let reference = if value.is_empty() || rng.gen_bool(0.6) {
        pick(rng, REFERENCES)
    } else {
        ""
    };
    let low_stock = if rng.gen_bool(0.5) {
        rng.gen_range(0..20).to_string()
    } else {
        String::new()
    };
    SpareInput {
        category: category.into(),
        reference: reference.into(),
        manufacturer: maybe(rng, &["TI", "Yageo", "Samsung"]).into(),
        description: maybe(
            rng,
            &["general purpose", "low noise \"quoted\"", "précision"],
        )
        .into(),
        value: value.into(),
        package: maybe(rng, PACKAGES).into(),
        parameters,
        tags: tags.join(" "),
        quantity: rng.gen_range(0..200).to_string(),
        low_stock,
        unit_price: if rng.gen_bool(0.5) {
            "0.05".into()
        } else {
            String::new()
        },
        currency: "EUR".into(),
        shop: maybe(rng, SHOPS).into(),
        location: maybe(rng, CODES).into(),
        datasheet: String::new(),
        notes: String::new(),
    }
    .parse(None)
    .expect("random spares are valid")
}

fn value_of(text: &str, hint: Option<Unit>) -> Option<Value> {
    Value::parse(text, hint).ok()
}

/// A random query over the same pools.
pub fn random_query(rng: &mut StdRng) -> Query {
    let mut q = Query::default();
    if rng.gen_bool(0.5) {
        let (cat, pool, unit) = match rng.gen_range(0..5) {
            0 => ("resistor", RESISTANCES, Some(Unit::Ohm)),
            1 => ("capacitor", CAPACITANCES, Some(Unit::Farad)),
            2 => ("inductor", INDUCTANCES, Some(Unit::Henry)),
            3 => ("crystal", FREQUENCIES, Some(Unit::Hertz)),
            _ => ("regulator", OUTPUTS, Some(Unit::Volt)),
        };
        if rng.gen_bool(0.8) {
            q.category = spares_core::Category::parse(cat).ok();
        }
        if rng.gen_bool(0.6) {
            q.value = value_of(pick(rng, pool), unit);
        }
    } else if rng.gen_bool(0.2) {
        // A value with no category: matches any category with that unit.
        q.value = value_of(pick(rng, RESISTANCES), Some(Unit::Ohm));
    }
    if rng.gen_bool(0.15)
        && let Some(value) = value_of(pick(rng, RESISTANCES), Some(Unit::Ohm))
    {
        let cmps = [Cmp::Eq, Cmp::Ge, Cmp::Le, Cmp::Gt, Cmp::Lt];
        q.value_bounds.push(ValueBound {
            cmp: *cmps.choose(rng).unwrap_or(&Cmp::Ge),
            value,
        });
    }
    let cmps = [Cmp::Eq, Cmp::Ge, Cmp::Le, Cmp::Gt, Cmp::Lt];
    let params: [(&str, &[&str]); 3] = [
        ("voltage", VOLTAGES),
        ("power", POWERS),
        ("tolerance", TOLERANCES),
    ];
    for (name, pool) in params {
        if rng.gen_bool(0.2)
            && let (Ok(name), Some(value)) =
                (ParamName::parse(name), value_of(pick(rng, pool), None))
        {
            q.params.push(ParamConstraint {
                name,
                cmp: *cmps.choose(rng).unwrap_or(&Cmp::Eq),
                value,
            });
        }
    }
    if rng.gen_bool(0.15) {
        let color = pick(rng, &["red", "Green", "BLUE", "pink"]);
        q.texts.push(spares_core::query::TextConstraint::new(
            ParamName::parse("color").expect("valid"),
            color,
        ));
    }
    if rng.gen_bool(0.2) {
        q = q.with_package(pick(rng, PACKAGES));
    }
    if rng.gen_bool(0.2) {
        q.location = LocationCode::parse(pick(rng, CODES)).ok();
    }
    if rng.gen_bool(0.25) {
        q = q.with_term(pick(rng, TERMS));
    }
    if rng.gen_bool(0.1) {
        q.any_trigram_of
            .push(pick(rng, &["atmaga32u4", "lm7806", "qqqq", "écran", "555p"]).to_owned());
    }
    if rng.gen_bool(0.15) {
        q.tags.push(Tag::parse(pick(rng, TAGS)).expect("valid"));
    }
    q.low_stock = rng.gen_bool(0.1);
    q
}

/// A random page: any sort key and direction, a small offset and limit,
/// and often a seek from one of `ids` (or from a spare that does not
/// exist, which falls back to the offset).
pub fn random_page(rng: &mut StdRng, ids: &[SpareId]) -> Page {
    let cursor = || -> SpareId { SpareId(-1) };
    let pick_id = |rng: &mut StdRng| {
        if rng.gen_bool(0.1) {
            cursor()
        } else {
            ids.choose(rng).copied().unwrap_or_else(cursor)
        }
    };
    let seek = match rng.gen_range(0..10) {
        0..=3 => None,
        4..=6 => Some(Seek::After(pick_id(rng))),
        7..=8 => Some(Seek::Before(pick_id(rng))),
        _ => Some(Seek::Last),
    };
    Page {
        sort: Sort {
            key: *SortKey::ALL.choose(rng).unwrap_or(&SortKey::Default),
            descending: rng.gen_bool(0.5),
        },
        offset: if rng.gen_bool(0.5) {
            0
        } else {
            rng.gen_range(0..30)
        },
        limit: if rng.gen_bool(0.2) {
            10_000
        } else {
            rng.gen_range(1..40)
        },
        seek,
    }
}

/// Walking every order page by page from a neighbour — forwards with
/// [`Seek::After`] from the first page, backwards with [`Seek::Before`]
/// from [`Seek::Last`] — visits exactly the reference order, with a query
/// and without; a cursor that no longer matches the query (or no longer
/// exists) still places the page.
pub async fn seek_walks_every_order(store: Arc<dyn Store>) {
    let seed = seed();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut inventory: BTreeMap<SpareId, Spare> = BTreeMap::new();
    for _ in 0..120 {
        let spare = store
            .create_spare(random_spare(&mut rng), &actor())
            .await
            .expect("create");
        inventory.insert(spare.id, spare);
    }
    let queries = [
        Query::default(),
        Query {
            low_stock: false,
            ..random_query(&mut rng)
        },
    ];
    for query in &queries {
        for key in SortKey::ALL {
            for descending in [false, true] {
                let sort = Sort { key, descending };
                let limit = rng.gen_range(1..12);
                let all = reference_page(
                    inventory.values(),
                    query,
                    &Page::first(usize::MAX).sorted(sort),
                );
                let order: Vec<SpareId> = all.spares.iter().map(|s| s.id).collect();
                let context = format!("{sort:?} limit {limit} query {query}; seed {seed}");

                let mut walked = Vec::new();
                let mut page = Page::first(limit).sorted(sort);
                for _ in 0..=order.len() {
                    let found = store.search(query, &page).await.expect("search");
                    assert_eq!(found.total, all.total, "{context}");
                    let Some(last) = found.spares.last() else {
                        break;
                    };
                    walked.extend(found.spares.iter().map(|s| s.id));
                    page = page.seek(Some(Seek::After(last.id)));
                }
                assert_eq!(walked, order, "forwards: {context}");

                let mut walked = Vec::new();
                let mut page = Page::first(limit).sorted(sort).seek(Some(Seek::Last));
                for _ in 0..=order.len() {
                    let found = store.search(query, &page).await.expect("search");
                    let Some(first) = found.spares.first() else {
                        break;
                    };
                    let ids: Vec<SpareId> = found.spares.iter().map(|s| s.id).collect();
                    // The first page may overlap what was walked already.
                    let fresh: Vec<SpareId> = ids
                        .iter()
                        .rev()
                        .filter(|id| !walked.contains(*id))
                        .copied()
                        .collect();
                    walked.extend(fresh);
                    if ids.first() == order.first() {
                        break;
                    }
                    page = page.seek(Some(Seek::Before(first.id)));
                }
                walked.reverse();
                assert_eq!(walked, order, "backwards: {context}");
            }
        }
    }
    // A deleted cursor falls back to the offset.
    let gone = *inventory.keys().next().expect("spares");
    store.delete_spare(gone).await.expect("delete");
    inventory.remove(&gone);
    let page = Page::first(5).skip(3).seek(Some(Seek::After(gone)));
    let found = store
        .search(&Query::default(), &page)
        .await
        .expect("search");
    let expected = reference_page(inventory.values(), &Query::default(), &page);
    assert_eq!(
        found.spares.iter().map(|s| s.id).collect::<Vec<_>>(),
        expected.spares.iter().map(|s| s.id).collect::<Vec<_>>(),
        "a deleted cursor; seed {seed}"
    );
}

/// Property: for random inventories, queries and pages, the backend
/// returns exactly what the reference evaluation returns — the same spares
/// in the same order with every field, and the same total — and its light
/// projections ([`Store::value_stock`], [`Store::search_texts`]) agree too.
pub async fn search_equals_reference_evaluation(
    store: Arc<dyn Store>,
    spares: usize,
    queries: usize,
) {
    let seed = seed();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut inventory: BTreeMap<SpareId, Spare> = BTreeMap::new();
    for i in 0..spares {
        let mut data = random_spare(&mut rng);
        // Some spares change after creation, so update times differ.
        let spare = store
            .create_spare(data.clone(), &actor())
            .await
            .expect("create");
        let spare = if i % 7 == 0 {
            data.quantity = Quantity::new(rng.gen_range(0..50)).expect("valid");
            store
                .update_spare(spare.id, data, &actor())
                .await
                .expect("update")
        } else {
            spare
        };
        inventory.insert(spare.id, spare);
    }
    let ids: Vec<SpareId> = inventory.keys().copied().collect();
    let mut total_hits = 0;
    for i in 0..queries {
        let mut query = random_query(&mut rng);
        if rng.gen_bool(0.05) {
            query.ids = Some(ids.choose_multiple(&mut rng, 20).copied().collect());
        }
        let page = random_page(&mut rng, &ids);
        let expected = reference_page(inventory.values(), &query, &page);
        let found = store.search(&query, &page).await.expect("search");
        let ids_of = |f: &Found| f.spares.iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(
            (found.total, ids_of(&found)),
            (expected.total, ids_of(&expected)),
            "query #{i} {query:?} ({query}) page {page:?} differs from the reference evaluation; seed {seed} (SPARES_CONFORMANCE_SEED)"
        );
        assert_eq!(
            found.spares, expected.spares,
            "query #{i}: fields differ; seed {seed}"
        );
        total_hits += found.total;

        let mut stock: Vec<(SpareId, String, i64)> = store
            .value_stock(&query)
            .await
            .expect("value stock")
            .into_iter()
            .map(|v| (v.id, v.value.text().to_owned(), v.quantity.get()))
            .collect();
        stock.sort();
        let expected_stock: Vec<(SpareId, String, i64)> = inventory
            .values()
            .filter(|s| query.matches(s))
            .filter_map(|s| {
                s.value
                    .as_ref()
                    .map(|v| (s.id, v.text().to_owned(), s.quantity.get()))
            })
            .collect();
        assert_eq!(
            stock, expected_stock,
            "value_stock of query #{i} {query}; seed {seed}"
        );
        let reps: Vec<(SpareId, String, i64)> = store
            .value_representatives(&query)
            .await
            .expect("value representatives")
            .into_iter()
            .map(|v| (v.id, v.value.text().to_owned(), v.quantity.get()))
            .collect();
        let expected_reps: Vec<(SpareId, String, i64)> = spares_core::search::representatives(
            inventory
                .values()
                .filter(|s| query.matches(s))
                .filter_map(|s| {
                    Some(spares_core::query::ValueStock {
                        id: s.id,
                        value: s.value.clone()?,
                        quantity: s.quantity,
                    })
                })
                .collect(),
        )
        .into_iter()
        .map(|v| (v.id, v.value.text().to_owned(), v.quantity.get()))
        .collect();
        assert_eq!(
            reps, expected_reps,
            "value_representatives of query #{i} {query}; seed {seed}"
        );

        let mut texts = store.search_texts(&query).await.expect("texts");
        texts.sort();
        let expected_texts: Vec<(SpareId, String)> = inventory
            .values()
            .filter(|s| query.matches(s))
            .map(|s| (s.id, s.search_text()))
            .collect();
        assert_eq!(
            texts, expected_texts,
            "search_texts of query #{i} {query}; seed {seed}"
        );
    }
    assert!(
        total_hits > queries as u64,
        "the random queries should find things (seed {seed})"
    );
    // Many questions at once, most stocked first, as the reference orders them.
    let batch: Vec<Query> = (0..40).map(|_| random_query(&mut rng)).collect();
    let limit = rng.gen_range(1..12);
    let by_stock = Sort {
        key: SortKey::Quantity,
        descending: true,
    };
    let answered = store
        .most_stocked_many(&batch, limit)
        .await
        .expect("most stocked many");
    assert_eq!(answered.len(), batch.len());
    for (q, got) in batch.iter().zip(&answered) {
        let expected = reference_page(inventory.values(), q, &Page::first(limit).sorted(by_stock));
        let expected: Vec<spares_core::query::Stocked> =
            expected.spares.iter().map(Into::into).collect();
        assert_eq!(got, &expected, "most_stocked_many of {q}; seed {seed}");
    }
    let everything = store
        .search(&Query::default(), &Page::first(usize::MAX))
        .await
        .expect("search all");
    assert_eq!(everything.total as usize, inventory.len());
    assert_eq!(everything.spares.len(), inventory.len());
}

/// `tasks` tasks, half on each handle, each make `per_task` random ±1
/// adjustments on the same few spares. The final quantities equal the
/// start plus every accepted change; no quantity is ever negative; each
/// spare's history is a consistent chain.
pub async fn concurrent_adjustments(
    first: Arc<dyn Store>,
    second: Arc<dyn Store>,
    tasks: usize,
    per_task: usize,
) {
    const START: i64 = 5;
    let mut ids = Vec::new();
    for value in &RESISTANCES[..4] {
        let mut data = input("resistor", value, "").parse(None).expect("valid");
        data.quantity = Quantity::new(START).expect("valid");
        ids.push(first.create_spare(data, &actor()).await.expect("create").id);
    }
    let base_seed = seed();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let store = if t % 2 == 0 {
            Arc::clone(&first)
        } else {
            Arc::clone(&second)
        };
        let ids = ids.clone();
        handles.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(base_seed.wrapping_add(t as u64));
            let change = Change::new(Source::Api, format!("task-{t}"));
            let mut accepted: BTreeMap<SpareId, i64> = BTreeMap::new();
            for _ in 0..per_task {
                let id = *ids.choose(&mut rng).unwrap_or(&ids[0]);
                let delta = if rng.gen_bool(0.5) { 1 } else { -1 };
                match store.adjust(id, delta, &change).await {
                    Ok(m) => {
                        assert!(m.quantity_after.get() >= 0);
                        *accepted.entry(id).or_default() += delta;
                    }
                    Err(StoreError::InsufficientStock { available, .. }) => {
                        assert_eq!(available, Quantity::ZERO, "refused while stock remained");
                    }
                    Err(e) => panic!("adjust failed: {e}"),
                }
            }
            accepted
        }));
    }
    let mut totals: BTreeMap<SpareId, i64> = BTreeMap::new();
    for h in handles {
        for (id, d) in h.await.expect("task finished") {
            *totals.entry(id).or_default() += d;
        }
    }
    for id in ids {
        let expected = START + totals.get(&id).copied().unwrap_or(0);
        let spare = second.get_spare(id).await.expect("get");
        assert_eq!(
            spare.quantity.get(),
            expected,
            "spare {id} lost or invented an update"
        );
        let mut history = first.history(id, 1_000_000).await.expect("history");
        history.reverse();
        let mut running = 0;
        for m in &history {
            running += m.delta;
            assert_eq!(
                m.quantity_after.get(),
                running,
                "history chain broken at movement {}",
                m.id
            );
            assert!(running >= 0);
        }
        assert_eq!(running, expected);
    }
}

fn project_data(name: &str, values: &[&str]) -> ProjectData {
    let lines = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut line = BomLine::new(Origin {
                file: "amp.csv".into(),
                line: i + 2,
            });
            line.value = (*v).into();
            line.designators = vec![format!("R{}", i + 1)];
            line.footprint = "Resistor_SMD:R_0805_2012Metric".into();
            line.suppliers
                .insert("LCSC".into(), format!("C{}", 1000 + i));
            line
        })
        .collect();
    ProjectData::new(
        ProjectName::parse(name).expect("valid name"),
        vec!["amp.csv".into(), "notes.txt".into()],
        lines,
    )
}

async fn stocked(store: &Arc<dyn Store>, value: &str, quantity: i64) -> SpareId {
    let mut data = input("resistor", value, "").parse(None).expect("valid");
    data.quantity = Quantity::new(quantity).expect("valid");
    store.create_spare(data, &actor()).await.expect("create").id
}

async fn quantity_of(store: &Arc<dyn Store>, id: SpareId) -> i64 {
    store.get_spare(id).await.expect("get").quantity.get()
}

fn take(spare: SpareId, quantity: u64) -> BuildTake {
    BuildTake { spare, quantity }
}

/// Projects keep every field (lines, overrides, sources); names are
/// unique ignoring case; renaming frees the old name; deleting takes the
/// builds with it.
pub async fn projects_are_kept_renamed_and_deleted(store: Arc<dyn Store>) {
    let mut amp = project_data("Tube amp", &["10k", "4k7"]);
    amp.overrides.insert(1, SpareId(42));
    let created = store.create_project(amp.clone()).await.expect("create");
    assert_eq!(created.data, amp);
    assert_eq!(store.get_project(created.id).await.expect("get"), created);
    let synth = store
        .create_project(project_data("analog synth", &["100n"]))
        .await
        .expect("second");
    let names: Vec<String> = store
        .list_projects()
        .await
        .expect("list")
        .iter()
        .map(|p| p.data.name.to_string())
        .collect();
    assert_eq!(
        names,
        ["analog synth", "Tube amp"],
        "by name, ignoring case"
    );
    assert!(matches!(
        store
            .create_project(project_data("TUBE AMP", &["1k"]))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let mut empty = project_data("Empty", &["1k"]);
    empty.lines.clear();
    assert!(matches!(
        store.create_project(empty).await,
        Err(StoreError::Invalid(_))
    ));
    let mut bad_override = project_data("Odd", &["1k"]);
    bad_override.overrides.insert(5, SpareId(1));
    assert!(matches!(
        store.create_project(bad_override).await,
        Err(StoreError::Invalid(_))
    ));
    // Renaming to a taken name is refused and changes nothing.
    let mut renamed = created.data.clone();
    renamed.name = ProjectName::parse("Analog Synth").expect("valid");
    assert!(matches!(
        store.update_project(created.id, renamed).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.get_project(created.id).await.expect("get").data, amp);
    let mut renamed = created.data.clone();
    renamed.name = ProjectName::parse("Valve amp").expect("valid");
    renamed.overrides.clear();
    let updated = store
        .update_project(created.id, renamed.clone())
        .await
        .expect("rename");
    assert_eq!(updated.data, renamed);
    assert_eq!(updated.created_at, created.created_at);
    // The old name is free again.
    let again = store
        .create_project(project_data("tube amp", &["1k"]))
        .await
        .expect("old name reused");
    assert!(matches!(
        store
            .update_project(ProjectId(-1), project_data("Ghost", &["1k"]))
            .await,
        Err(StoreError::NotFound { .. })
    ));
    let r = stocked(&store, "1k", 10).await;
    store
        .build(synth.id, 1, &[take(r, 2)], &actor())
        .await
        .expect("build");
    store.delete_project(synth.id).await.expect("delete");
    assert!(matches!(
        store.get_project(synth.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.builds(synth.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_project(synth.id).await,
        Err(StoreError::NotFound { .. })
    ));
    // Its movement stays in the spare's history; its name is free.
    assert_eq!(quantity_of(&store, r).await, 8);
    store
        .create_project(project_data("Analog synth", &["1k"]))
        .await
        .expect("name free after delete");
    let ids: Vec<ProjectId> = store
        .list_projects()
        .await
        .expect("list")
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.contains(&again.id) && ids.contains(&created.id));
}

/// A build takes every quantity or nothing; each take is a movement with
/// the build's reason; undo puts everything back once.
pub async fn builds_take_everything_or_nothing_and_undo(store: Arc<dyn Store>) {
    let a = stocked(&store, "10k", 10).await;
    let b = stocked(&store, "4k7", 3).await;
    let gone = stocked(&store, "1k", 5).await;
    let project = store
        .create_project(project_data("Amp", &["10k", "4k7"]))
        .await
        .expect("project");
    let build = store
        .build(project.id, 2, &[take(a, 4), take(b, 2)], &actor())
        .await
        .expect("build");
    assert_eq!(build.project, project.id);
    assert_eq!(build.boards, 2);
    assert_eq!(build.takes, [take(a, 4), take(b, 2)]);
    assert_eq!(build.undone_at, None);
    assert_eq!(
        (quantity_of(&store, a).await, quantity_of(&store, b).await),
        (6, 1)
    );
    let last = &store.history(a, 1).await.expect("history")[0];
    assert_eq!(last.delta, -4);
    assert_eq!(last.reason.as_deref(), Some("build Amp ×2"));
    // Too few of b: refused, naming b, and nothing taken from a.
    match store
        .build(project.id, 2, &[take(a, 4), take(b, 2)], &actor())
        .await
    {
        Err(StoreError::InsufficientStock {
            spare, available, ..
        }) => {
            assert_eq!(spare, b);
            assert_eq!(available.get(), 1);
        }
        other => panic!("expected insufficient stock, got {other:?}"),
    }
    assert_eq!(
        (quantity_of(&store, a).await, quantity_of(&store, b).await),
        (6, 1)
    );
    // A spare that does not exist: refused, nothing taken.
    assert!(matches!(
        store
            .build(project.id, 1, &[take(a, 1), take(SpareId(-7), 1)], &actor())
            .await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(quantity_of(&store, a).await, 6);
    // Refused before anything is written.
    for bad in [vec![], vec![take(a, 1), take(a, 1)], vec![take(a, 0)]] {
        assert!(matches!(
            store.build(project.id, 1, &bad, &actor()).await,
            Err(StoreError::Invalid(_))
        ));
    }
    assert!(matches!(
        store.build(project.id, 0, &[take(a, 1)], &actor()).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.build(ProjectId(-1), 1, &[take(a, 1)], &actor()).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(quantity_of(&store, a).await, 6);
    assert_eq!(
        store.builds(project.id).await.expect("builds"),
        std::slice::from_ref(&build)
    );
    // A second build, one spare of which is deleted before the undo.
    let second = store
        .build(project.id, 1, &[take(a, 1), take(gone, 2)], &actor())
        .await
        .expect("second build");
    store.delete_spare(gone).await.expect("delete");
    let undone = store.undo_build(second.id, &actor()).await.expect("undo");
    assert!(undone.undone_at.is_some());
    assert_eq!(quantity_of(&store, a).await, 6);
    let undone = store.undo_build(build.id, &actor()).await.expect("undo");
    assert!(undone.undone_at.is_some());
    assert_eq!(
        (quantity_of(&store, a).await, quantity_of(&store, b).await),
        (10, 3)
    );
    let last = &store.history(b, 1).await.expect("history")[0];
    assert_eq!(
        (last.delta, last.reason.as_deref()),
        (2, Some("undo build Amp ×2"))
    );
    assert!(matches!(
        store.undo_build(build.id, &actor()).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(quantity_of(&store, a).await, 10);
    let builds = store.builds(project.id).await.expect("builds");
    assert_eq!(
        builds.iter().map(|b| b.id).collect::<Vec<_>>(),
        [second.id, build.id],
        "newest first"
    );
    assert!(builds.iter().all(|b| b.undone_at.is_some()));
    assert!(matches!(
        store.undo_build(BuildId(-3), &actor()).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// Builds through two handles at once, with adjustments beside them,
/// never drive a quantity below zero, and every accepted build took
/// exactly its parts.
pub async fn concurrent_builds_never_go_negative(
    first: Arc<dyn Store>,
    second: Arc<dyn Store>,
    tasks: usize,
    per_task: usize,
) {
    const START: i64 = 20;
    let x = stocked(&first, "10k", START).await;
    let y = stocked(&first, "4k7", START).await;
    let project = first
        .create_project(project_data("Race", &["10k", "4k7"]))
        .await
        .expect("project");
    let mut handles = Vec::new();
    for t in 0..tasks {
        let store = if t % 2 == 0 {
            Arc::clone(&first)
        } else {
            Arc::clone(&second)
        };
        handles.push(tokio::spawn(async move {
            let change = Change::new(Source::Api, format!("builder-{t}"));
            let mut built = 0_i64;
            let mut adjusted = 0_i64;
            for i in 0..per_task {
                if (t + i) % 3 == 2 {
                    // Someone takes one y by hand meanwhile.
                    match store.adjust(y, -1, &change).await {
                        Ok(m) => {
                            assert!(m.quantity_after.get() >= 0);
                            adjusted += 1;
                        }
                        Err(StoreError::InsufficientStock { .. }) => {}
                        Err(e) => panic!("adjust failed: {e}"),
                    }
                    continue;
                }
                match store
                    .build(project.id, 1, &[take(x, 3), take(y, 2)], &change)
                    .await
                {
                    Ok(_) => built += 1,
                    Err(StoreError::InsufficientStock { .. }) => {}
                    Err(e) => panic!("build failed: {}", spares_core::error_chain(&e)),
                }
            }
            (built, adjusted)
        }));
    }
    let (mut built, mut adjusted) = (0, 0);
    for h in handles {
        let (b, a) = h.await.expect("task finished");
        built += b;
        adjusted += a;
    }
    let (qx, qy) = (quantity_of(&second, x).await, quantity_of(&second, y).await);
    assert!(qx >= 0 && qy >= 0, "a quantity went negative");
    assert_eq!(qx, START - 3 * built, "x lost or invented parts");
    assert_eq!(qy, START - 2 * built - adjusted, "y lost or invented parts");
    assert!(built >= 1, "no build succeeded");
    let builds = first.builds(project.id).await.expect("builds");
    assert_eq!(builds.len() as i64, built, "one record per accepted build");
}
