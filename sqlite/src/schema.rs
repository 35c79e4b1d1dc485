//! The SQLite schema and its migrations. `PRAGMA user_version` holds the
//! schema version; migrations run at open, inside one IMMEDIATE transaction so
//! two processes opening a new file at once do not both migrate.

use rusqlite::Connection;

use spares_core::store::StoreError;

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = 7;

/// The indexes that let every order of the list walk an index instead of
/// sorting every row (schema v4; the rowid, that is the id, ends each
/// index: the tie-break). Keys that may be absent sort last in both
/// directions, so descending orders have their own. A large import drops
/// every index of `spares` and builds them again at the end (one sort each
/// instead of an index update per row).
pub const SORT_INDEXES: &[(&str, &str)] = &[
    (
        "spares_sort_default_desc",
        "spares(category DESC, value_si IS NULL, value_si DESC, reference_key DESC)",
    ),
    ("spares_sort_category", "spares(category)"),
    ("spares_sort_category_desc", "spares(category DESC)"),
    ("spares_sort_reference_desc", "spares(reference_key DESC)"),
    (
        "spares_sort_value",
        "spares(value_si IS NULL, value_unit, value_si)",
    ),
    (
        "spares_sort_value_desc",
        "spares(value_si IS NULL, value_unit DESC, value_si DESC)",
    ),
    (
        "spares_sort_package",
        "spares(package_key IS NULL, package_key)",
    ),
    (
        "spares_sort_package_desc",
        "spares(package_key IS NULL, package_key DESC)",
    ),
    ("spares_sort_quantity", "spares(quantity)"),
    ("spares_sort_quantity_desc", "spares(quantity DESC)"),
    ("spares_sort_location", "spares(location IS NULL, location)"),
    (
        "spares_sort_location_desc",
        "spares(location IS NULL, location DESC)",
    ),
    (
        "spares_sort_price",
        "spares(price_num IS NULL, currency, price_num)",
    ),
    (
        "spares_sort_price_desc",
        "spares(price_num IS NULL, currency DESC, price_num DESC)",
    ),
    ("spares_sort_updated", "spares(updated_at)"),
    ("spares_sort_updated_desc", "spares(updated_at DESC)"),
    // A box's page: its parts in the default order.
    (
        "spares_box_order",
        "spares(location, category, value_si IS NULL, value_si, reference_key)",
    ),
];

/// `CREATE INDEX` statements of [`SORT_INDEXES`].
pub fn create_sort_indexes() -> String {
    SORT_INDEXES
        .iter()
        .map(|(name, on)| format!("CREATE INDEX IF NOT EXISTS {name} ON {on};\n"))
        .collect()
}

/// Migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE locations (
    code        TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE shops (
    key     TEXT PRIMARY KEY NOT NULL,
    name    TEXT NOT NULL,
    website TEXT
);
CREATE TABLE spares (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    category     TEXT NOT NULL,
    reference    TEXT NOT NULL,
    reference_key TEXT NOT NULL,
    manufacturer TEXT NOT NULL,
    description  TEXT NOT NULL,
    value_text   TEXT,
    value_si     REAL,
    value_unit   TEXT,
    package_text TEXT,
    package_key  TEXT,
    tags         TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity >= 0),
    low_stock    INTEGER CHECK (low_stock >= 0),
    price        TEXT,
    price_num    REAL,
    currency     TEXT,
    shop         TEXT REFERENCES shops(key),
    location     TEXT REFERENCES locations(code),
    datasheet    TEXT,
    notes        TEXT NOT NULL,
    search_text  TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX spares_category_value ON spares(category, value_unit, value_si);
CREATE INDEX spares_value ON spares(value_unit, value_si);
CREATE INDEX spares_location ON spares(location);
CREATE INDEX spares_package ON spares(package_key);
CREATE INDEX spares_shop ON spares(shop);
CREATE INDEX spares_reference ON spares(reference_key);
-- The default order (spares_core::query::compare), so a page is read in order.
CREATE INDEX spares_default_order ON spares(category, value_si IS NULL, value_si, reference_key, id);
-- Trigram index of search_text: a prefilter for free-text terms (the exact
-- test stays instr(search_text, term)).
CREATE VIRTUAL TABLE spares_fts USING fts5(search_text, content='spares', content_rowid='id', tokenize='trigram', detail='none');
-- A row here (only ever inside an import's own transaction) pauses the
-- insert trigger; the import then indexes its rows in one statement.
CREATE TABLE fts_paused (paused INTEGER NOT NULL);
CREATE TRIGGER spares_fts_insert AFTER INSERT ON spares WHEN NOT EXISTS (SELECT 1 FROM fts_paused) BEGIN
    INSERT INTO spares_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER spares_fts_delete AFTER DELETE ON spares BEGIN
    INSERT INTO spares_fts(spares_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER spares_fts_update AFTER UPDATE OF search_text ON spares BEGIN
    INSERT INTO spares_fts(spares_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO spares_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TABLE spare_params (
    spare_id INTEGER NOT NULL REFERENCES spares(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    text     TEXT NOT NULL,
    key      TEXT NOT NULL,
    si       REAL,
    unit     TEXT,
    PRIMARY KEY (spare_id, name)
) WITHOUT ROWID;
CREATE INDEX spare_params_lookup ON spare_params(name, unit, si);
CREATE INDEX spare_params_text ON spare_params(name, key);
CREATE TABLE movements (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    spare_id       INTEGER NOT NULL REFERENCES spares(id) ON DELETE CASCADE,
    delta          INTEGER NOT NULL,
    quantity_after INTEGER NOT NULL,
    reason         TEXT,
    source         TEXT NOT NULL,
    actor          TEXT NOT NULL,
    at             INTEGER NOT NULL
);
CREATE INDEX movements_spare ON movements(spare_id, id);
"#,
    r#"
-- v2: the number of spares, kept by triggers, so the unfiltered list's
-- "1–50 of N" does not count every row on every page view.
CREATE TABLE spare_count (n INTEGER NOT NULL);
INSERT INTO spare_count (n) SELECT COUNT(*) FROM spares;
CREATE TRIGGER spare_count_insert AFTER INSERT ON spares BEGIN
    UPDATE spare_count SET n = n + 1;
END;
CREATE TRIGGER spare_count_delete AFTER DELETE ON spares BEGIN
    UPDATE spare_count SET n = n - 1;
END;
"#,
    r#"
-- v3: signed-in sessions, so that sign-out and a password change end them
-- on the server. `id` is a digest of the cookie's secret, never the secret.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY NOT NULL,
    user       TEXT NOT NULL,
    credential TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_expiry ON sessions(expires_at);
"#,
    r#"
-- v4 (and SORT_INDEXES, created by `migrate`): totals for the dashboard
-- and the shops page, kept by the writes
-- (sqlite/src/totals.rs fills the table: exact decimals need Rust), and
-- each spare's pieces ever added, kept by a trigger on its movements.
ALTER TABLE spares ADD COLUMN added INTEGER NOT NULL DEFAULT 0;
UPDATE spares SET added = (SELECT COALESCE(SUM(m.delta), 0) FROM movements m WHERE m.spare_id = spares.id AND m.delta > 0);
CREATE TRIGGER movements_added AFTER INSERT ON movements
    WHEN NEW.delta > 0 AND NOT EXISTS (SELECT 1 FROM fts_paused) BEGIN
    UPDATE spares SET added = added + NEW.delta WHERE id = NEW.spare_id;
END;
CREATE TABLE totals (
    currency TEXT NOT NULL,
    category TEXT NOT NULL,
    shop     TEXT NOT NULL,
    spares   INTEGER NOT NULL,
    pieces   INTEGER NOT NULL,
    held     TEXT NOT NULL,
    spent    TEXT NOT NULL,
    PRIMARY KEY (currency, category, shop)
) WITHOUT ROWID;
-- The dashboard's low-stock list, in the default order, without a scan.
CREATE INDEX spares_low ON spares(category, value_si IS NULL, value_si, reference_key, id)
    WHERE low_stock IS NOT NULL AND quantity <= low_stock;
"#,
    r#"
-- v5: projects (a design's lines as JSON, as spares-core writes them; the
-- spares chosen by hand per line) and their builds (what each took, so
-- that it can be put back; the movements themselves are in `movements`).
CREATE TABLE projects (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    sources    TEXT NOT NULL,
    lines      TEXT NOT NULL,
    overrides  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE builds (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    boards     INTEGER NOT NULL CHECK (boards > 0),
    takes      TEXT NOT NULL,
    source     TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         INTEGER NOT NULL,
    undone_at  INTEGER
);
CREATE INDEX builds_project ON builds(project_id, id);
"#,
    r#"
-- v6: a BOM's "this value in this package, most stocked first" answered
-- from one index, without reading the rows (spares_core::project::check
-- asks it for every value line at once), and each value's largest stock
-- (substitutes) likewise.
CREATE INDEX spares_value_stock ON spares(category, value_unit, value_si, package_key, quantity);
"#,
    r#"
-- v7: each value's most stocked spare (lowest id on ties) is the first
-- of its value here: a kind's representatives (substitutes) are one seek
-- per value instead of a pass over every row of the kind. It answers a
-- BOM's value lines as v6's index did (the package is in it too), so it
-- replaces that one: a quantity change still updates one such index.
DROP INDEX IF EXISTS spares_value_stock;
CREATE INDEX spares_value_most ON spares(category, value_unit, value_si, quantity DESC, id, package_key);
"#,
];

/// Reads the schema version without writing anything.
pub fn version(conn: &Connection) -> Result<i64, rusqlite::Error> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the schema up to [`SCHEMA_VERSION`]. The caller has already
/// refused newer versions.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let backend = |e: rusqlite::Error| StoreError::backend(format!("migration failed: {e}"));
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(backend)?;
    let current = version(&tx).map_err(backend)?;
    for (from, script) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        tx.execute_batch(script).map_err(backend)?;
        if from + 1 == 4 {
            tx.execute_batch(&create_sort_indexes()).map_err(backend)?;
            crate::totals::rebuild(&tx)?;
        }
        tx.pragma_update(None, "user_version", from as i64 + 1)
            .map_err(backend)?;
    }
    tx.commit().map_err(backend)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_one_migration_per_version() {
        assert_eq!(MIGRATIONS.len() as i64, SCHEMA_VERSION);
    }

    #[test]
    fn version_2_counts_the_spares_a_version_1_file_already_has() {
        let mut conn = Connection::open_in_memory().expect("memory db");
        conn.execute_batch(MIGRATIONS[0]).expect("v1");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        conn.execute_batch(
            "INSERT INTO spares (category, reference, manufacturer, description, tags, quantity, notes, search_text, reference_key, created_at, updated_at) \
             VALUES ('resistor', 'a', '', '', '', 1, '', 'a', 'a', 0, 0), ('resistor', 'b', '', '', '', 1, '', 'b', 'b', 0, 0);",
        )
        .expect("two v1 spares");
        migrate(&mut conn).expect("to v2");
        let count = |c: &Connection| {
            c.query_row("SELECT n FROM spare_count", [], |r| r.get::<_, i64>(0))
                .expect("count")
        };
        assert_eq!(count(&conn), 2);
        conn.execute_batch("DELETE FROM spares WHERE reference = 'a'")
            .expect("delete");
        assert_eq!(count(&conn), 1);
    }

    #[test]
    fn version_4_totals_what_a_version_3_file_already_holds() {
        let mut conn = Connection::open_in_memory().expect("memory db");
        for (i, script) in MIGRATIONS.iter().take(3).enumerate() {
            conn.execute_batch(script).expect("old migration");
            conn.pragma_update(None, "user_version", i as i64 + 1)
                .expect("version");
        }
        conn.execute_batch(
            "INSERT INTO shops (key, name) VALUES ('lcsc', 'LCSC');
             INSERT INTO spares (id, category, reference, manufacturer, description, tags, quantity, price, currency, shop, notes, search_text, reference_key, created_at, updated_at) \
             VALUES (1, 'resistor', 'a', '', '', '', 7, '0.05', 'EUR', 'lcsc', '', 'a', 'a', 0, 0), \
                    (2, 'resistor', 'b', '', '', '', 3, '1.10', 'EUR', NULL, '', 'b', 'b', 0, 0), \
                    (3, 'led', 'c', '', '', '', 2, NULL, NULL, NULL, '', 'c', 'c', 0, 0);
             INSERT INTO movements (spare_id, delta, quantity_after, source, actor, at) VALUES \
                    (1, 10, 10, 'web', 't', 0), (1, -3, 7, 'web', 't', 1), (2, 3, 3, 'web', 't', 2), (3, 2, 2, 'web', 't', 3);",
        )
        .expect("v3 data");
        migrate(&mut conn).expect("to v4");
        let summary = crate::totals::read(&conn).expect("totals");
        let eur = spares_core::Currency::parse("EUR").expect("currency");
        // 7 × 0.05 + 3 × 1.10 in stock; 10 × 0.05 spent at LCSC.
        let dec = |t: &str| t.parse::<rust_decimal::Decimal>().expect("decimal");
        assert_eq!(summary.value_per_currency().get(&eur), Some(&dec("3.65")));
        assert_eq!(summary.pieces(), 12);
        assert_eq!(summary.spares(), 3);
        let lcsc = summary.per_shop().remove("lcsc").expect("lcsc");
        assert_eq!(lcsc.spent.get(&eur), Some(&dec("0.50")));
        // The trigger keeps `added` from now on.
        conn.execute_batch(
            "INSERT INTO movements (spare_id, delta, quantity_after, source, actor, at) VALUES (1, 5, 12, 'web', 't', 4)",
        )
        .expect("movement");
        let added: i64 = conn
            .query_row("SELECT added FROM spares WHERE id = 1", [], |r| r.get(0))
            .expect("added");
        assert_eq!(added, 15);
    }

    #[test]
    fn migrating_twice_is_harmless() {
        let mut conn = Connection::open_in_memory().expect("memory db");
        migrate(&mut conn).expect("first");
        migrate(&mut conn).expect("second");
        assert_eq!(version(&conn).expect("version"), SCHEMA_VERSION);
    }
}
