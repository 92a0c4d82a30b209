//! The store's side of a team (migration 7): which team it belongs to, this member's own
//! keys, and the per-row bookkeeping a sync reads and writes. The store stays the working
//! copy; the `sanctuary-team` crate seals rows for the server and calls these to list local
//! changes and apply the server's.
//!
//! Rows travel as [`Fields`]: a JSON object of the row's columns without its local id, with
//! each link to another row (a request's client, a letter's request...) given as that row's
//! random team id, since local ids differ from one replica to the next.

use rusqlite::types::{Value, ValueRef};
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value as Json};
use zeroize::Zeroizing;

use super::{Store, StoreError};

/// A row's columns by name, links as team ids (see the module documentation).
pub type Fields = Map<String, Json>;

/// The kinds of row a team shares, parents first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowKind {
    Client,
    Request,
    Reply,
    Letter,
    Advice,
}

impl RowKind {
    pub const ALL: [RowKind; 5] = [
        RowKind::Client,
        RowKind::Request,
        RowKind::Reply,
        RowKind::Letter,
        RowKind::Advice,
    ];

    /// The name stored in `team_rows.kind` (and sealed inside a row on the server).
    pub fn id(self) -> &'static str {
        match self {
            RowKind::Client => "client",
            RowKind::Request => "request",
            RowKind::Reply => "reply",
            RowKind::Letter => "letter",
            RowKind::Advice => "advice",
        }
    }

    pub fn from_id(id: &str) -> Option<RowKind> {
        RowKind::ALL.into_iter().find(|kind| kind.id() == id)
    }

    fn table(self) -> &'static str {
        match self {
            RowKind::Client => "clients",
            RowKind::Request => "requests",
            RowKind::Reply => "replies",
            RowKind::Letter => "letters",
            RowKind::Advice => "advice_records",
        }
    }

    /// The columns that point at another row, and the kind of row they point at.
    fn links(self) -> &'static [(&'static str, RowKind)] {
        match self {
            RowKind::Client => &[],
            RowKind::Request => &[("client_id", RowKind::Client)],
            RowKind::Reply => &[("request_id", RowKind::Request)],
            RowKind::Letter => &[
                ("client_id", RowKind::Client),
                ("request_id", RowKind::Request),
            ],
            RowKind::Advice => &[("client_id", RowKind::Client)],
        }
    }
}

/// A member's role in a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamRole {
    Supervisor,
    Adviser,
}

impl TeamRole {
    pub fn id(self) -> &'static str {
        match self {
            TeamRole::Supervisor => "supervisor",
            TeamRole::Adviser => "adviser",
        }
    }

    pub fn from_id(id: &str) -> Option<TeamRole> {
        match id {
            "supervisor" => Some(TeamRole::Supervisor),
            "adviser" => Some(TeamRole::Adviser),
            _ => None,
        }
    }
}

/// This store's membership of a team: kept only in the encrypted store, never elsewhere.
#[derive(Clone)]
pub struct TeamMembership {
    pub org_id: String,
    pub member_id: String,
    pub role: TeamRole,
    /// The server's `postgres://` address, without a password.
    pub server_url: String,
    pub db_user: String,
    pub db_password: Zeroizing<String>,
    /// The supervisor's Ed25519 public key, which every roster must be signed with.
    pub supervisor_key: Vec<u8>,
    pub x25519_secret: Zeroizing<Vec<u8>>,
    pub ed25519_secret: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for TeamMembership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamMembership")
            .field("org_id", &self.org_id)
            .field("member_id", &self.member_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// Where this replica stands with the server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncState {
    /// The highest server sequence number this replica has pulled.
    pub last_seen_seq: i64,
    /// When the last sync finished (RFC 3339, as given by the caller).
    pub last_sync: Option<String>,
    /// The hash of this member's last audit entry, so a dropped tail is noticed.
    pub audit_head: Option<Vec<u8>>,
    /// Rows changed here and not yet on the server.
    pub pending: i64,
    /// Fields changed on both sides that wait for the adviser.
    pub conflicts: i64,
    /// Confirmed members at the last sync.
    pub member_count: i64,
}

/// A row changed here since it was last synced.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalChange {
    pub kind: RowKind,
    pub team_id: String,
    /// The server version it was last synced at (0: never on the server).
    pub version: i64,
    /// `None`: the row was deleted (a tombstone, its content erased).
    pub fields: Option<Fields>,
}

/// A row as the server has it, opened.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteRow {
    pub team_id: String,
    pub version: i64,
    /// `None`: a tombstone; the row is deleted everywhere.
    pub content: Option<(RowKind, Fields)>,
}

/// A field changed here and on the server since the last sync: the row keeps ours until
/// the adviser chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: i64,
    pub kind: RowKind,
    pub local_id: i64,
    pub field: String,
    pub ours: Json,
    pub theirs: Json,
}

/// What applying the server's rows did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    pub inserted: usize,
    pub updated: usize,
    pub deleted: usize,
    pub conflicts: usize,
    /// Rows whose parent is not here (erased before they arrived): left out.
    pub orphans: usize,
}

/// Which value a conflict keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Ours,
    Theirs,
}

impl Store {
    /// This store's team membership, if it is in a team.
    pub fn team_membership(&self) -> Result<Option<TeamMembership>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT org_id, member_id, role, server_url, db_user, db_password,
                        supervisor_key, x25519_secret, ed25519_secret
                 FROM team_membership WHERE id = 1",
                [],
                |row| {
                    let role: String = row.get(2)?;
                    Ok(TeamMembership {
                        org_id: row.get(0)?,
                        member_id: row.get(1)?,
                        role: TeamRole::from_id(&role).unwrap_or(TeamRole::Adviser),
                        server_url: row.get(3)?,
                        db_user: row.get(4)?,
                        db_password: Zeroizing::new(row.get(5)?),
                        supervisor_key: row.get(6)?,
                        x25519_secret: Zeroizing::new(row.get(7)?),
                        ed25519_secret: Zeroizing::new(row.get(8)?),
                    })
                },
            )
            .optional()?)
    }

    /// Makes this store a member's replica. Every row already here is pushed at the next
    /// sync, so only a supervisor moving a personal store into the team starts with rows
    /// (a join refuses a store that has clients; see `sanctuary-team`).
    pub fn set_team_membership(&mut self, membership: &TeamMembership) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.tx.execute(
                "INSERT OR REPLACE INTO team_membership (id, org_id, member_id, role, server_url,
                    db_user, db_password, supervisor_key, x25519_secret, ed25519_secret)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    membership.org_id,
                    membership.member_id,
                    membership.role.id(),
                    membership.server_url,
                    membership.db_user,
                    membership.db_password.as_str(),
                    membership.supervisor_key,
                    membership.x25519_secret.as_slice(),
                    membership.ed25519_secret.as_slice(),
                ],
            )?;
            Ok(())
        })
    }

    /// Leaves the team here: the membership and keys go, every row stays as a personal
    /// store's, and the bookkeeping starts afresh (every row counted as not yet shared).
    pub fn clear_team_membership(&mut self) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.tx.execute_batch(
                "DELETE FROM team_membership;
                 DELETE FROM team_conflicts;
                 DELETE FROM team_history;
                 DELETE FROM team_rows WHERE deleted = 1;
                 UPDATE team_rows SET version = 0, dirty = 1, base = NULL,
                     team_id = lower(hex(randomblob(16)));",
            )?;
            Ok(())
        })
    }

    /// How many clients the store holds (a join refuses a store that already has some).
    pub fn client_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM clients", [], |row| row.get(0))?)
    }

    /// Where this replica stands: last pulled sequence number, last sync, pending changes.
    pub fn sync_state(&self) -> Result<SyncState, StoreError> {
        let (last_seen_seq, last_sync, audit_head, member_count) = self
            .conn
            .query_row(
                "SELECT last_seen_seq, last_sync, audit_head, member_count
                 FROM team_membership WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()?
            .unwrap_or_default();
        let pending = self.conn.query_row(
            "SELECT count(*) FROM team_rows WHERE dirty = 1",
            [],
            |row| row.get(0),
        )?;
        let conflicts = self
            .conn
            .query_row("SELECT count(*) FROM team_conflicts", [], |row| row.get(0))?;
        Ok(SyncState {
            last_seen_seq,
            last_sync,
            audit_head,
            pending,
            conflicts,
            member_count,
        })
    }

    /// Records a finished sync: the highest sequence number pulled, when, and how many
    /// confirmed members the team had.
    pub fn record_sync(
        &mut self,
        last_seen_seq: i64,
        at: &str,
        member_count: i64,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.tx.execute(
                "UPDATE team_membership SET last_seen_seq = max(last_seen_seq, ?1), last_sync = ?2,
                    member_count = ?3
                 WHERE id = 1",
                params![last_seen_seq, at, member_count],
            )?;
            Ok(())
        })
    }

    /// Starts pulling from the beginning again (after a new epoch, or to check everything).
    pub fn reset_last_seen(&mut self) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.tx
                .execute("UPDATE team_membership SET last_seen_seq = 0", [])?;
            Ok(())
        })
    }

    /// Keeps the hash of this member's newest audit entry.
    pub fn set_audit_head(&mut self, head: &[u8]) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.tx.execute(
                "UPDATE team_membership SET audit_head = ?1 WHERE id = 1",
                [head],
            )?;
            Ok(())
        })
    }

    /// Every row changed here and not yet on the server, parents first.
    pub fn local_changes(&self) -> Result<Vec<LocalChange>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT kind, local_id, team_id, version, deleted FROM team_rows WHERE dirty = 1",
        )?;
        let marks = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, bool>(4)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut changes = Vec::with_capacity(marks.len());
        for (kind, local_id, team_id, version, deleted) in marks {
            let Some(kind) = RowKind::from_id(&kind) else {
                continue;
            };
            let fields = if deleted {
                None
            } else {
                read_fields(&self.conn, kind, local_id)?
            };
            changes.push(LocalChange {
                kind,
                team_id,
                version,
                fields,
            });
        }
        changes.sort_by_key(|change| change.kind);
        Ok(changes)
    }

    /// Marks rows as on the server at these versions, each with the fields pushed (`None`
    /// for a tombstone). A row changed again since it was read stays pending.
    pub fn mark_pushed(
        &mut self,
        pushed: &[(String, i64, Option<Fields>)],
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            for (team_id, version, fields) in pushed {
                let Some((kind, local_id, deleted)) = mark_of(&tx.tx, team_id)? else {
                    continue;
                };
                let now = if deleted {
                    None
                } else {
                    read_fields(&tx.tx, kind, local_id)?
                };
                let unchanged = now == *fields;
                let base = fields.as_ref().map(|f| Json::Object(f.clone()).to_string());
                tx.tx
                    .prepare_cached(
                        "UPDATE team_rows SET version = ?2, base = ?3,
                            dirty = CASE WHEN ?4 THEN 0 ELSE 1 END
                         WHERE team_id = ?1",
                    )?
                    .execute(params![team_id, version, base, unchanged])?;
            }
            Ok(())
        })
    }

    /// Applies rows pulled from the server in one transaction: new rows are added, rows not
    /// changed here are replaced (the old version kept in `team_history`), rows changed on
    /// both sides are merged field by field (a field changed on both keeps ours and becomes
    /// a [`Conflict`]), and tombstones delete. Parents are applied before children.
    pub fn apply_remote(
        &mut self,
        rows: &[RemoteRow],
        kept_at: &str,
    ) -> Result<Applied, StoreError> {
        let mut ordered: Vec<&RemoteRow> = rows.iter().collect();
        // Upserts parents first, then tombstones children first.
        ordered.sort_by_key(|row| match &row.content {
            Some((kind, _)) => (0, *kind as i64),
            None => (1, 0),
        });
        let mut applied = Applied::default();
        self.write(|tx| {
            for row in ordered {
                apply_one(&tx.tx, row, kept_at, &mut applied)?;
            }
            Ok(())
        })?;
        Ok(applied)
    }

    /// The fields waiting for the adviser to choose between two values.
    pub fn conflicts(&self) -> Result<Vec<Conflict>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT c.id, r.kind, r.local_id, c.field, c.ours, c.theirs
             FROM team_conflicts c JOIN team_rows r ON r.team_id = c.team_id ORDER BY c.id",
        )?;
        let conflicts = statement
            .query_map([], |row| {
                let kind: String = row.get(1)?;
                let ours: String = row.get(4)?;
                let theirs: String = row.get(5)?;
                Ok(Conflict {
                    id: row.get(0)?,
                    kind: RowKind::from_id(&kind).unwrap_or(RowKind::Client),
                    local_id: row.get(2)?,
                    field: row.get(3)?,
                    ours: serde_json::from_str(&ours).unwrap_or(Json::Null),
                    theirs: serde_json::from_str(&theirs).unwrap_or(Json::Null),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(conflicts)
    }

    /// Settles a conflict: keeps ours (already in the row) or writes theirs; either way the
    /// row is pushed again at the next sync, and the value not kept stays in `team_history`.
    pub fn resolve_conflict(
        &mut self,
        id: i64,
        keep: Keep,
        kept_at: &str,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            let found: Option<(String, String, String, String)> = tx
                .tx
                .query_row(
                    "SELECT team_id, field, ours, theirs FROM team_conflicts WHERE id = ?1",
                    [id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                )
                .optional()?;
            let Some((team_id, field, ours, theirs)) = found else {
                return Err(StoreError::ConflictNotFound(id));
            };
            let Some((kind, local_id, _)) = mark_of(&tx.tx, &team_id)? else {
                return Err(StoreError::ConflictNotFound(id));
            };
            let (chosen, dropped) = match keep {
                Keep::Ours => (ours, theirs),
                Keep::Theirs => (theirs, ours),
            };
            let mut dropped_fields = Fields::new();
            dropped_fields.insert(field.clone(), serde_json::from_str(&dropped)?);
            keep_history(&tx.tx, &team_id, -1, &dropped_fields, kept_at)?;
            let mut fields = Fields::new();
            fields.insert(field, serde_json::from_str(&chosen)?);
            write_fields(&tx.tx, kind, Some(local_id), &fields)?;
            tx.tx.execute(
                "UPDATE team_rows SET dirty = 1 WHERE team_id = ?1",
                [&team_id],
            )?;
            tx.tx
                .execute("DELETE FROM team_conflicts WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// The versions of a row a sync replaced, newest first (as JSON objects).
    pub fn kept_versions(&self, kind: RowKind, local_id: i64) -> Result<Vec<Fields>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT h.fields FROM team_history h JOIN team_rows r ON r.team_id = h.team_id
             WHERE r.kind = ?1 AND r.local_id = ?2 ORDER BY h.id DESC",
        )?;
        let texts = statement
            .query_map(params![kind.id(), local_id], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(texts
            .iter()
            .filter_map(|text| serde_json::from_str(text).ok())
            .collect())
    }

    /// The team id of a row here (to find it on the server, or in a test).
    pub fn team_id_of(&self, kind: RowKind, local_id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT team_id FROM team_rows WHERE kind = ?1 AND local_id = ?2",
                params![kind.id(), local_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// The local id of the row with this team id, if it is here and not deleted.
    pub fn local_id_of(&self, team_id: &str) -> Result<Option<(RowKind, i64)>, StoreError> {
        Ok(mark_of(&self.conn, team_id)?
            .filter(|(_, _, deleted)| !deleted)
            .map(|(kind, id, _)| (kind, id)))
    }

    /// After a sync deleted rows: overwrites what was deleted (see [`Store::erase_client`]).
    pub fn overwrite_deleted(&mut self) -> super::Erasure {
        self.overwrite_what_was_deleted(super::ERASE_WAIT)
    }
}

/// The kind, local id and deleted flag of the row with this team id.
fn mark_of(
    conn: &rusqlite::Connection,
    team_id: &str,
) -> Result<Option<(RowKind, i64, bool)>, StoreError> {
    let found: Option<(String, i64, bool)> = conn
        .prepare_cached("SELECT kind, local_id, deleted FROM team_rows WHERE team_id = ?1")?
        .query_row([team_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    Ok(found.and_then(|(kind, id, deleted)| RowKind::from_id(&kind).map(|k| (k, id, deleted))))
}

fn json_of(value: ValueRef<'_>) -> Json {
    match value {
        ValueRef::Null => Json::Null,
        ValueRef::Integer(i) => Json::from(i),
        ValueRef::Real(f) => Json::from(f),
        ValueRef::Text(t) => Json::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Json::from(b.to_vec()),
    }
}

fn value_of(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(i64::from(*b)),
        Json::Number(n) => n
            .as_i64()
            .map(Value::Integer)
            .or_else(|| n.as_f64().map(Value::Real))
            .unwrap_or(Value::Null),
        Json::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

/// A row's columns (without its id), its links given as team ids.
fn read_fields(
    conn: &rusqlite::Connection,
    kind: RowKind,
    local_id: i64,
) -> Result<Option<Fields>, StoreError> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT * FROM {} WHERE id = ?1", kind.table()))?;
    let names: Vec<String> = statement
        .column_names()
        .into_iter()
        .map(String::from)
        .collect();
    let mut rows = statement.query([local_id])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let mut fields = Fields::new();
    for (index, name) in names.iter().enumerate() {
        if name == "id" {
            continue;
        }
        fields.insert(name.clone(), json_of(row.get_ref(index)?));
    }
    drop(rows);
    for (column, parent) in kind.links() {
        if let Some(Json::Number(id)) = fields.get(*column) {
            let team_id: Option<String> = conn
                .prepare_cached("SELECT team_id FROM team_rows WHERE kind = ?1 AND local_id = ?2")?
                .query_row(params![parent.id(), id.as_i64()], |row| row.get(0))
                .optional()?;
            fields.insert((*column).into(), team_id.map_or(Json::Null, Json::from));
        }
    }
    Ok(Some(fields))
}

/// The columns a table has, to check a pulled row names only those.
fn columns_of(conn: &rusqlite::Connection, kind: RowKind) -> Result<Vec<String>, StoreError> {
    let statement = conn.prepare_cached(&format!("SELECT * FROM {} LIMIT 0", kind.table()))?;
    Ok(statement
        .column_names()
        .into_iter()
        .map(String::from)
        .collect())
}

/// Writes `fields` to a row (a new one when `local_id` is `None`), links turned back into
/// local ids. `Ok(None)`: a linked row is not here, so nothing was written.
fn write_fields(
    conn: &rusqlite::Connection,
    kind: RowKind,
    local_id: Option<i64>,
    fields: &Fields,
) -> Result<Option<i64>, StoreError> {
    let known = columns_of(conn, kind)?;
    let mut names = Vec::new();
    let mut values = Vec::new();
    for (name, json) in fields {
        if name == "id" || !known.contains(name) {
            continue;
        }
        let value = match kind.links().iter().find(|(column, _)| column == name) {
            Some((_, parent)) => match json {
                Json::String(team_id) => match mark_of(conn, team_id)? {
                    Some((found, id, false)) if found == *parent => Value::Integer(id),
                    _ => return Ok(None),
                },
                _ => Value::Null,
            },
            None => value_of(json),
        };
        names.push(name.as_str());
        values.push(value);
    }
    let sql = match local_id {
        Some(id) => {
            values.push(Value::Integer(id));
            let sets: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, name)| format!("\"{name}\" = ?{}", i + 1))
                .collect();
            format!(
                "UPDATE {} SET {} WHERE id = ?{}",
                kind.table(),
                sets.join(", "),
                names.len() + 1
            )
        }
        None => {
            let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
            let quoted: Vec<String> = names.iter().map(|name| format!("\"{name}\"")).collect();
            format!(
                "INSERT INTO {} ({}) VALUES ({})",
                kind.table(),
                quoted.join(", "),
                marks.join(", ")
            )
        }
    };
    // The same kind of row brings the same columns, so the statement is prepared once.
    conn.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(Some(local_id.unwrap_or_else(|| conn.last_insert_rowid())))
}

fn keep_history(
    conn: &rusqlite::Connection,
    team_id: &str,
    version: i64,
    fields: &Fields,
    kept_at: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO team_history (team_id, version, fields, kept) VALUES (?1, ?2, ?3, ?4)",
        params![
            team_id,
            version,
            Json::Object(fields.clone()).to_string(),
            kept_at
        ],
    )?;
    Ok(())
}

fn set_synced(
    conn: &rusqlite::Connection,
    team_id: &str,
    version: i64,
    base: &Fields,
    dirty: bool,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE team_rows SET version = ?2, base = ?3, dirty = ?4 WHERE team_id = ?1",
    )?
    .execute(params![
        team_id,
        version,
        Json::Object(base.clone()).to_string(),
        dirty
    ])?;
    Ok(())
}

fn apply_one(
    tx: &Transaction<'_>,
    row: &RemoteRow,
    kept_at: &str,
    applied: &mut Applied,
) -> Result<(), StoreError> {
    let mark: Option<(String, i64, i64, bool, bool, Option<String>)> = tx
        .prepare_cached(
            "SELECT kind, local_id, version, dirty, deleted, base FROM team_rows WHERE team_id = ?1",
        )?
        .query_row([&row.team_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .optional()?;
    let Some((kind, local_id, version, dirty, deleted, base)) = mark else {
        return insert_new(tx, row, applied);
    };
    let kind = RowKind::from_id(&kind).unwrap_or(RowKind::Client);
    if version >= row.version {
        return Ok(()); // our own push coming back, or older than what is here
    }
    match (&row.content, deleted) {
        // Deleted everywhere: the content goes here too (an erasure reaches every replica).
        (None, false) => {
            tx.execute(
                &format!("DELETE FROM {} WHERE id = ?1", kind.table()),
                [local_id],
            )?;
            tx.execute(
                "UPDATE team_rows SET version = ?2, dirty = 0 WHERE team_id = ?1",
                params![row.team_id, row.version],
            )?;
            applied.deleted += 1;
        }
        (None, true) => {
            tx.execute(
                "UPDATE team_rows SET version = ?2, dirty = 0 WHERE team_id = ?1",
                params![row.team_id, row.version],
            )?;
        }
        // Deleted here, changed there: the deletion (an erasure) stands and is pushed.
        (Some(_), true) => {
            tx.execute(
                "UPDATE team_rows SET version = ?2 WHERE team_id = ?1",
                params![row.team_id, row.version],
            )?;
        }
        (Some((_, theirs)), false) => {
            let Some(ours) = read_fields(tx, kind, local_id)? else {
                return Ok(());
            };
            if !dirty {
                if ours != *theirs {
                    keep_history(tx, &row.team_id, version, &ours, kept_at)?;
                    write_fields(tx, kind, Some(local_id), theirs)?;
                    applied.updated += 1;
                }
                set_synced(tx, &row.team_id, row.version, theirs, false)?;
                return Ok(());
            }
            let base: Fields = base
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default();
            let merged = merge(tx, &row.team_id, &base, &ours, theirs, applied)?;
            keep_history(tx, &row.team_id, version, &ours, kept_at)?;
            write_fields(tx, kind, Some(local_id), &merged)?;
            set_synced(tx, &row.team_id, row.version, theirs, true)?;
            applied.updated += 1;
        }
    }
    Ok(())
}

/// A three-way merge of one row: a field changed on one side only takes that change; a
/// field changed on both to different values keeps ours and records a conflict.
fn merge(
    tx: &Transaction<'_>,
    team_id: &str,
    base: &Fields,
    ours: &Fields,
    theirs: &Fields,
    applied: &mut Applied,
) -> Result<Fields, StoreError> {
    let mut merged = ours.clone();
    for (field, their_value) in theirs {
        let our_value = ours.get(field).unwrap_or(&Json::Null);
        let base_value = base.get(field).unwrap_or(&Json::Null);
        if our_value == their_value || their_value == base_value {
            continue;
        }
        if our_value == base_value {
            merged.insert(field.clone(), their_value.clone());
            continue;
        }
        // Timestamps of the edit itself are not the adviser's to choose between.
        if field == "updated" {
            continue;
        }
        tx.execute(
            "INSERT INTO team_conflicts (team_id, field, ours, theirs) VALUES (?1, ?2, ?3, ?4)",
            params![
                team_id,
                field,
                our_value.to_string(),
                their_value.to_string()
            ],
        )?;
        applied.conflicts += 1;
    }
    Ok(merged)
}

fn insert_new(
    tx: &Transaction<'_>,
    row: &RemoteRow,
    applied: &mut Applied,
) -> Result<(), StoreError> {
    let Some((kind, fields)) = &row.content else {
        return Ok(()); // a tombstone of a row never seen here
    };
    let Some(local_id) = write_fields(tx, *kind, None, fields)? else {
        applied.orphans += 1;
        return Ok(());
    };
    // The insert trigger gave the row a fresh team id; it takes the server's.
    tx.prepare_cached(
        "UPDATE team_rows SET team_id = ?3, version = ?4, base = ?5, dirty = 0
         WHERE kind = ?1 AND local_id = ?2",
    )?
    .execute(params![
        kind.id(),
        local_id,
        row.team_id,
        row.version,
        Json::Object(fields.clone()).to_string()
    ])?;
    applied.inserted += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casework::store::NewClient;

    fn store(dir: &tempfile::TempDir, name: &str) -> Store {
        Store::open(&dir.path().join(name), "correct horse battery staple").expect("store")
    }

    fn client(name: &str) -> NewClient {
        NewClient {
            display_name: name.into(),
            details_toml: format!("name = \"{name}\"\n"),
        }
    }

    /// What a server would hand back for these changes, at version 1.
    fn as_remote(changes: &[LocalChange]) -> Vec<RemoteRow> {
        changes
            .iter()
            .map(|change| RemoteRow {
                team_id: change.team_id.clone(),
                version: 1,
                content: change.fields.clone().map(|fields| (change.kind, fields)),
            })
            .collect()
    }

    fn push_all(store: &mut Store) -> Vec<RemoteRow> {
        let changes = store.local_changes().expect("changes");
        let pushed: Vec<_> = changes
            .iter()
            .map(|c| (c.team_id.clone(), c.version + 1, c.fields.clone()))
            .collect();
        store.mark_pushed(&pushed).expect("pushed");
        as_remote(&changes)
    }

    #[test]
    fn every_write_is_a_pending_change_and_links_travel_as_team_ids() {
        let dir = tempfile::tempdir().expect("dir");
        let mut a = store(&dir, "a.db");
        let added = a.add_client(&client("Amal")).expect("client");
        let changes = a.local_changes().expect("changes");
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, RowKind::Client);
        let fields = changes[0].fields.as_ref().expect("fields");
        assert_eq!(fields["display_name"], "Amal");
        assert!(!fields.contains_key("id"), "local ids stay local");
        push_all(&mut a);
        assert_eq!(a.sync_state().expect("state").pending, 0);
        a.update_client(added.id, &client("Amal B"))
            .expect("update");
        assert_eq!(a.sync_state().expect("state").pending, 1);
    }

    #[test]
    fn due_dates_worked_out_again_are_no_change_to_send() {
        let dir = tempfile::tempdir().expect("dir");
        let mut a = store(&dir, "a.db");
        let added = a.add_client(&client("Amal")).expect("client");
        a.conn
            .execute(
                "INSERT INTO requests (client_id, organisation, template, sent, status, created, updated)
                 VALUES (?1, 'home-office', 'sar-home-office', '2026-07-01', 'sent',
                     '2026-07-01T10:00:00Z', '2026-07-01T10:00:00Z')",
                [added.id.0],
            )
            .expect("request");
        push_all(&mut a);
        // The rules changed: opening works every due date out again.
        a.conn
            .execute("UPDATE meta SET rules_version = 0", [])
            .expect("old rules");
        drop(a);
        let a = store(&dir, "a.db");
        assert!(a.requests(None).expect("requests")[0].request.due.is_some());
        assert_eq!(a.local_changes().expect("changes"), vec![]);
    }

    #[test]
    fn rows_from_another_replica_arrive_linked_and_unchanged_rows_are_replaced() {
        let dir = tempfile::tempdir().expect("dir");
        let mut a = store(&dir, "a.db");
        let mut b = store(&dir, "b.db");
        // Different local ids on each side: b already has a client of its own.
        b.add_client(&client("Someone else")).expect("client");
        push_all(&mut b);
        let zofia = a.add_client(&client("Zofia")).expect("client");
        a.add_advice(&crate::casework::store::AdviceDetails {
            client: zofia.id,
            guide: "g".into(),
            outcome: "o".into(),
            summary: "s".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
        })
        .expect("advice");
        let rows = push_all(&mut a);
        // Children first in the list: the store still applies parents first.
        let reversed: Vec<RemoteRow> = rows.iter().rev().cloned().collect();
        let applied = b.apply_remote(&reversed, "now").expect("apply");
        assert_eq!(applied.inserted, 2);
        let here = b.search_clients("zofia").expect("search")[0].id;
        assert_ne!(here, zofia.id);
        assert_eq!(b.client_record(here).expect("record").advice.len(), 1);
        assert_eq!(
            b.sync_state().expect("state").pending,
            0,
            "pulled rows are not pending"
        );
    }

    #[test]
    fn a_field_changed_on_both_sides_keeps_ours_and_records_theirs() {
        let dir = tempfile::tempdir().expect("dir");
        let mut a = store(&dir, "a.db");
        let added = a.add_client(&client("Nadia")).expect("client");
        let rows = push_all(&mut a);
        let team_id = rows[0].team_id.clone();
        a.update_client(added.id, &client("Nadia Q")).expect("ours");
        let mut theirs = rows[0].content.clone().expect("content").1;
        theirs.insert("display_name".into(), Json::from("Nadia Z"));
        theirs.insert(
            "details_toml".into(),
            Json::from("name = \"Nadia\"\nphone = \"1\"\n"),
        );
        let remote = RemoteRow {
            team_id,
            version: 2,
            content: Some((RowKind::Client, theirs)),
        };
        let applied = a.apply_remote(&[remote], "now").expect("apply");
        assert_eq!(
            applied.conflicts, 2,
            "both fields were changed on both sides"
        );
        let conflicts = a.conflicts().expect("conflicts");
        let name = conflicts
            .iter()
            .find(|c| c.field == "display_name")
            .expect("the name conflicts");
        assert_eq!(name.ours, "Nadia Q");
        assert_eq!(name.theirs, "Nadia Z");
        assert_eq!(a.client(added.id).expect("client").display_name, "Nadia Q");
        a.resolve_conflict(name.id, Keep::Theirs, "now")
            .expect("resolve");
        assert_eq!(a.client(added.id).expect("client").display_name, "Nadia Z");
        assert_eq!(
            a.sync_state().expect("state").pending,
            1,
            "the merge is pushed"
        );
        assert!(
            !a.kept_versions(RowKind::Client, added.id.0)
                .expect("kept")
                .is_empty()
        );
    }

    #[test]
    fn a_tombstone_erases_the_row_and_everything_kept_about_it() {
        let dir = tempfile::tempdir().expect("dir");
        let mut a = store(&dir, "a.db");
        let added = a.add_client(&client("Ioana")).expect("client");
        let rows = push_all(&mut a);
        let team_id = rows[0].team_id.clone();
        a.update_client(added.id, &client("Ioana P")).expect("ours");
        let mut theirs = rows[0].content.clone().expect("content").1;
        theirs.insert("display_name".into(), Json::from("Ioana R"));
        a.apply_remote(
            &[RemoteRow {
                team_id: team_id.clone(),
                version: 2,
                content: Some((RowKind::Client, theirs)),
            }],
            "now",
        )
        .expect("apply");
        let tombstone = RemoteRow {
            team_id: team_id.clone(),
            version: 3,
            content: None,
        };
        let applied = a.apply_remote(&[tombstone], "now").expect("apply");
        assert_eq!(applied.deleted, 1);
        assert!(a.client(added.id).is_err());
        assert!(a.conflicts().expect("conflicts").is_empty());
        let kept: i64 = a
            .conn
            .query_row("SELECT count(*) FROM team_history", [], |row| row.get(0))
            .expect("count");
        assert_eq!(kept, 0, "no old version of an erased client is kept");
        let base: Option<String> = a
            .conn
            .query_row(
                "SELECT base FROM team_rows WHERE team_id = ?1",
                [&team_id],
                |row| row.get(0),
            )
            .expect("base");
        assert_eq!(base, None);
    }
}
