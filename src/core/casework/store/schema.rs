//! The case store's schema, as numbered migrations.
//!
//! The database's `PRAGMA user_version` is the number of migrations applied.
//! Each migration runs in its own transaction together with the version bump,
//! so a crash leaves the store at one version or the next, never between.
//! Never edit a migration that has shipped: add a new one.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Migration 1: the first schema. Dates are `YYYY-MM-DD` text, so they sort
/// and compare as dates; timestamps are UTC RFC 3339 text.
const MIGRATION_1: &str = "
CREATE TABLE clients (
    id           INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL,
    details_toml TEXT NOT NULL,
    created      TEXT NOT NULL,
    updated      TEXT NOT NULL
);

CREATE TABLE requests (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    organisation     TEXT NOT NULL,
    template         TEXT NOT NULL,
    sent             TEXT,
    received         TEXT,
    id_received      TEXT,
    fee_received     TEXT,
    pauses           TEXT NOT NULL DEFAULT '[]',
    due              TEXT,
    extended         INTEGER NOT NULL DEFAULT 0,
    extension_reason TEXT,
    status           TEXT NOT NULL CHECK (status IN ('drafted', 'sent', 'answered',
                         'part-answered', 'overdue', 'complained', 'closed')),
    notes            TEXT NOT NULL DEFAULT '',
    created          TEXT NOT NULL,
    updated          TEXT NOT NULL
);
CREATE INDEX requests_by_client ON requests (client_id);

CREATE TABLE replies (
    id                  INTEGER PRIMARY KEY,
    request_id          INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    received            TEXT NOT NULL,
    purposes            INTEGER NOT NULL,
    categories          INTEGER NOT NULL,
    recipients          INTEGER NOT NULL,
    retention           INTEGER NOT NULL,
    source              INTEGER NOT NULL,
    automated_decisions INTEGER NOT NULL,
    rights_information  INTEGER NOT NULL,
    copy                INTEGER NOT NULL,
    exemption_cited     INTEGER NOT NULL,
    exemption_rights    TEXT NOT NULL DEFAULT '[]',
    notes               TEXT NOT NULL DEFAULT '',
    created             TEXT NOT NULL
);

CREATE TABLE letters (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    request_id    INTEGER REFERENCES requests (id) ON DELETE CASCADE,
    template      TEXT NOT NULL,
    rendered_text TEXT NOT NULL,
    created       TEXT NOT NULL
);

CREATE TABLE advice_records (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    guide_id   TEXT NOT NULL,
    outcome_id TEXT NOT NULL,
    summary    TEXT NOT NULL,
    date       TEXT NOT NULL,
    created    TEXT NOT NULL
);
";

/// Migration 2: the nation whose bank holidays count for a request's
/// deadline (requests made before it are taken as England and Wales, the only
/// calendar version 1 knew), and indexes for the due dashboard and a client's
/// page.
const MIGRATION_2: &str = "
ALTER TABLE requests ADD COLUMN nation TEXT NOT NULL DEFAULT 'england-wales'
    CHECK (nation IN ('england-wales', 'scotland', 'northern-ireland'));
CREATE INDEX requests_by_due ON requests (due) WHERE due IS NOT NULL;
CREATE INDEX replies_by_request ON replies (request_id);
CREATE INDEX letters_by_client ON letters (client_id);
CREATE INDEX letters_by_request ON letters (request_id);
CREATE INDEX advice_by_client ON advice_records (client_id);
";

/// Migration 3: an index for the due dashboard, which lists the requests
/// still awaiting a reply. Nearly every request has a due date before next
/// week once it is a few weeks old, so the due date alone narrows little;
/// the status does, as most requests end answered or closed.
const MIGRATION_3: &str = "
CREATE INDEX requests_by_status_due ON requests (status, due) WHERE due IS NOT NULL;
";

/// Migration 4: two more things a reply is checked for, the right to complain
/// to the ICO (UK GDPR Art 15(1)(f)) and the safeguards for a transfer outside
/// the UK (Art 15(2)). Replies recorded before were never checked for them, so
/// they read as received: no letter may say a reply left out what the adviser
/// was never asked about.
const MIGRATION_4: &str = "
ALTER TABLE replies ADD COLUMN complaint_right INTEGER NOT NULL DEFAULT 1;
ALTER TABLE replies ADD COLUMN transfer_safeguards INTEGER NOT NULL DEFAULT 1;
";

/// Migration 5: ids are never used twice. Without AUTOINCREMENT SQLite may give
/// a new row the id of the highest row erased, and then an old calendar file's
/// "request 2" would mean another client's request. SQLite cannot add
/// AUTOINCREMENT to a table, so each table is rebuilt with the same columns
/// (and the same rows, ids kept), and its indexes made again. Run with the
/// foreign keys off (see [`migrate_to`]): dropping the old `clients` table with
/// them on would delete every request with it.
const MIGRATION_5: &str = "
CREATE TABLE clients_v5 (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    display_name TEXT NOT NULL,
    details_toml TEXT NOT NULL,
    created      TEXT NOT NULL,
    updated      TEXT NOT NULL
);
INSERT INTO clients_v5 (id, display_name, details_toml, created, updated)
    SELECT id, display_name, details_toml, created, updated FROM clients;
DROP TABLE clients;
ALTER TABLE clients_v5 RENAME TO clients;

CREATE TABLE requests_v5 (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id        INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    organisation     TEXT NOT NULL,
    template         TEXT NOT NULL,
    sent             TEXT,
    received         TEXT,
    id_received      TEXT,
    fee_received     TEXT,
    pauses           TEXT NOT NULL DEFAULT '[]',
    due              TEXT,
    extended         INTEGER NOT NULL DEFAULT 0,
    extension_reason TEXT,
    status           TEXT NOT NULL CHECK (status IN ('drafted', 'sent', 'answered',
                         'part-answered', 'overdue', 'complained', 'closed')),
    notes            TEXT NOT NULL DEFAULT '',
    created          TEXT NOT NULL,
    updated          TEXT NOT NULL,
    nation           TEXT NOT NULL DEFAULT 'england-wales'
        CHECK (nation IN ('england-wales', 'scotland', 'northern-ireland'))
);
INSERT INTO requests_v5 (id, client_id, organisation, template, sent, received, id_received,
        fee_received, pauses, due, extended, extension_reason, status, notes, created,
        updated, nation)
    SELECT id, client_id, organisation, template, sent, received, id_received,
        fee_received, pauses, due, extended, extension_reason, status, notes, created,
        updated, nation FROM requests;
DROP TABLE requests;
ALTER TABLE requests_v5 RENAME TO requests;

CREATE TABLE replies_v5 (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id          INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    received            TEXT NOT NULL,
    purposes            INTEGER NOT NULL,
    categories          INTEGER NOT NULL,
    recipients          INTEGER NOT NULL,
    retention           INTEGER NOT NULL,
    source              INTEGER NOT NULL,
    automated_decisions INTEGER NOT NULL,
    rights_information  INTEGER NOT NULL,
    copy                INTEGER NOT NULL,
    exemption_cited     INTEGER NOT NULL,
    exemption_rights    TEXT NOT NULL DEFAULT '[]',
    notes               TEXT NOT NULL DEFAULT '',
    created             TEXT NOT NULL,
    complaint_right     INTEGER NOT NULL DEFAULT 1,
    transfer_safeguards INTEGER NOT NULL DEFAULT 1
);
INSERT INTO replies_v5 (id, request_id, received, purposes, categories, recipients,
        retention, source, automated_decisions, rights_information, copy, exemption_cited,
        exemption_rights, notes, created, complaint_right, transfer_safeguards)
    SELECT id, request_id, received, purposes, categories, recipients, retention, source,
        automated_decisions, rights_information, copy, exemption_cited, exemption_rights,
        notes, created, complaint_right, transfer_safeguards FROM replies;
DROP TABLE replies;
ALTER TABLE replies_v5 RENAME TO replies;

CREATE TABLE letters_v5 (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id     INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    request_id    INTEGER REFERENCES requests (id) ON DELETE CASCADE,
    template      TEXT NOT NULL,
    rendered_text TEXT NOT NULL,
    created       TEXT NOT NULL
);
INSERT INTO letters_v5 (id, client_id, request_id, template, rendered_text, created)
    SELECT id, client_id, request_id, template, rendered_text, created FROM letters;
DROP TABLE letters;
ALTER TABLE letters_v5 RENAME TO letters;

CREATE TABLE advice_records_v5 (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    guide_id   TEXT NOT NULL,
    outcome_id TEXT NOT NULL,
    summary    TEXT NOT NULL,
    date       TEXT NOT NULL,
    created    TEXT NOT NULL
);
INSERT INTO advice_records_v5 (id, client_id, guide_id, outcome_id, summary, date, created)
    SELECT id, client_id, guide_id, outcome_id, summary, date, created FROM advice_records;
DROP TABLE advice_records;
ALTER TABLE advice_records_v5 RENAME TO advice_records;

CREATE INDEX requests_by_client ON requests (client_id);
CREATE INDEX requests_by_due ON requests (due) WHERE due IS NOT NULL;
CREATE INDEX requests_by_status_due ON requests (status, due) WHERE due IS NOT NULL;
CREATE INDEX replies_by_request ON replies (request_id);
CREATE INDEX letters_by_client ON letters (client_id);
CREATE INDEX letters_by_request ON letters (request_id);
CREATE INDEX advice_by_client ON advice_records (client_id);
";

/// Migration 6: a one-row table of facts about the store itself, first the
/// version of the deadline rules its stored due dates were worked out by (0:
/// unknown, so they are all worked out again on opening; see
/// `calendar::RULES_VERSION`); and a letter's own date, the day the adviser gave
/// when writing it, which legal dates are counted from (older letters have none,
/// and their audit stamp's day stands in). Lists of requests awaiting a reply
/// now include those with no due date (paused, or undated), so the status index
/// covers every row.
const MIGRATION_6: &str = "
CREATE TABLE meta (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    rules_version INTEGER NOT NULL
);
INSERT INTO meta (id, rules_version) VALUES (1, 0);
ALTER TABLE letters ADD COLUMN dated TEXT;
CREATE INDEX requests_by_status ON requests (status, due);
";

/// Migration 7's part for one table: its existing rows get team ids, and triggers keep
/// `team_rows` up to date for every insert, update (`$when` one that matters) and delete.
#[rustfmt::skip]
macro_rules! team_row_triggers {
    ($kind:literal, $table:literal, $when:literal) => {
        concat!(
"INSERT INTO team_rows (kind, local_id, team_id)
    SELECT '", $kind, "', id, lower(hex(randomblob(16))) FROM ", $table, ";
CREATE TRIGGER team_", $table, "_insert AFTER INSERT ON ", $table, " BEGIN
    INSERT INTO team_rows (kind, local_id, team_id)
        VALUES ('", $kind, "', NEW.id, lower(hex(randomblob(16))));
END;
CREATE TRIGGER team_", $table, "_update AFTER UPDATE ON ", $table, " ", $when, " BEGIN
    UPDATE team_rows SET dirty = 1 WHERE kind = '", $kind, "' AND local_id = NEW.id;
END;
CREATE TRIGGER team_", $table, "_delete AFTER DELETE ON ", $table, " BEGIN
    DELETE FROM team_history WHERE team_id IN
        (SELECT team_id FROM team_rows WHERE kind = '", $kind, "' AND local_id = OLD.id);
    DELETE FROM team_conflicts WHERE team_id IN
        (SELECT team_id FROM team_rows WHERE kind = '", $kind, "' AND local_id = OLD.id);
    UPDATE team_rows SET dirty = 1, deleted = 1, base = NULL
        WHERE kind = '", $kind, "' AND local_id = OLD.id;
END;
"
        )
    };
}

/// Migration 7: bookkeeping for a team store (the `sanctuary-team` crate). The store stays
/// the working copy; `team_rows` gives every client, request, reply, letter and advice record
/// a random team id, the server version it was last synced at, a dirty flag and the fields as
/// last synced (the base of a three-way merge). Triggers keep it up to date for every write, so
/// no casework step needs to know about teams; a delete leaves a tombstone (the team id only)
/// and removes the row's kept versions and conflicts, so an erased client leaves nothing.
/// `team_membership` holds this member's own private keys and server login (encrypted with
/// the rest of the store); `team_history` the versions a sync replaced; `team_conflicts` a
/// field changed on both sides, with both values.
const MIGRATION_7: &str = concat!(
    "
CREATE TABLE team_membership (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    org_id         TEXT NOT NULL,
    member_id      TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('supervisor', 'adviser')),
    server_url     TEXT NOT NULL,
    db_user        TEXT NOT NULL,
    db_password    TEXT NOT NULL,
    supervisor_key BLOB NOT NULL,
    x25519_secret  BLOB NOT NULL,
    ed25519_secret BLOB NOT NULL,
    last_seen_seq  INTEGER NOT NULL DEFAULT 0,
    last_sync      TEXT,
    member_count   INTEGER NOT NULL DEFAULT 0,
    audit_head     BLOB
);
CREATE TABLE team_rows (
    kind     TEXT NOT NULL CHECK (kind IN ('client', 'request', 'reply', 'letter', 'advice')),
    local_id INTEGER NOT NULL,
    team_id  TEXT NOT NULL UNIQUE,
    version  INTEGER NOT NULL DEFAULT 0,
    dirty    INTEGER NOT NULL DEFAULT 1,
    deleted  INTEGER NOT NULL DEFAULT 0,
    base     TEXT,
    PRIMARY KEY (kind, local_id)
);
CREATE INDEX team_rows_dirty ON team_rows (dirty) WHERE dirty = 1;
CREATE TABLE team_history (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    fields  TEXT NOT NULL,
    kept    TEXT NOT NULL
);
CREATE INDEX team_history_by_row ON team_history (team_id);
CREATE TABLE team_conflicts (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id TEXT NOT NULL,
    field   TEXT NOT NULL,
    ours    TEXT NOT NULL,
    theirs  TEXT NOT NULL
);
",
    team_row_triggers!("client", "clients", ""),
    // A request's due date alone is an index each replica works out again by its own
    // rules (see `recompute_due_dates`), so that is no change to send; every step that
    // changes a request sets `updated`.
    team_row_triggers!("request", "requests", "WHEN OLD.updated IS NOT NEW.updated"),
    team_row_triggers!("reply", "replies", ""),
    team_row_triggers!("letter", "letters", ""),
    team_row_triggers!("advice", "advice_records", ""),
);

const MIGRATIONS: [&str; 7] = [
    MIGRATION_1,
    MIGRATION_2,
    MIGRATION_3,
    MIGRATION_4,
    MIGRATION_5,
    MIGRATION_6,
    MIGRATION_7,
];

/// The schema version this code writes and reads.
pub const CURRENT_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema version of an open database (0 for a new, empty one).
pub fn version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Applies the migrations after the database's version, up to and including
/// `target`. A database newer than this code is refused, untouched.
///
/// Each migration takes the write lock first and reads the version again under
/// it, so two processes opening an old (or new) store at once apply each
/// migration once. The foreign keys are off while migrating (a rebuilt table
/// would otherwise take its dependants with it when the old one is dropped) and
/// checked before each migration commits.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    let found = version(conn)?;
    if found > CURRENT_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: CURRENT_VERSION,
        });
    }
    if found >= target.min(CURRENT_VERSION) {
        return Ok(());
    }
    let foreign_keys: bool = conn.pragma_query_value(None, "foreign_keys", |row| row.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let result = apply_migrations(conn, target);
    conn.pragma_update(None, "foreign_keys", foreign_keys)?;
    result
}

fn apply_migrations(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    for (number, sql) in (1..=target.min(CURRENT_VERSION)).zip(MIGRATIONS) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if version(&tx)? >= number {
            continue;
        }
        tx.execute_batch(sql)?;
        let broken = tx
            .prepare("PRAGMA foreign_key_check")?
            .query([])?
            .next()?
            .is_some();
        if broken {
            return Err(StoreError::BrokenLinks { version: number });
        }
        tx.pragma_update(None, "user_version", number)?;
        tx.commit()?;
    }
    Ok(())
}
