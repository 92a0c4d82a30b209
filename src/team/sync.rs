//! Sync, offline-first: the local store is the working copy. [`sync`] pulls what changed on
//! the server since this replica last looked (`seq > last seen`), merges it in (see
//! `Store::apply_remote`), then pushes local changes with optimistic versions: a write
//! names the version it was based on and fails if someone wrote first, in which case the
//! next round pulls their version and merges again.
//!
//! On the server a record is `(id, version, seq, epoch, tombstone, body)`; `body` seals the
//! row's kind and fields under the epoch's key, bound to the organisation, table, column,
//! record id and version. A delete is a tombstone whose body is removed, so erasing a client
//! takes their ciphertext off the server, and each replica deletes the rows at its next sync.

use std::collections::{HashMap, HashSet};

use postgres::GenericClient;
use sanctuary::casework::store::Store;
use sanctuary::casework::store::team::{Fields, LocalChange, RemoteRow, RowKind, TeamMembership};
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::error::TeamError;
use crate::keys::{Binding, MemberKeys, OrgKey};
use crate::server::Server;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Local changes now on the server (tombstones included).
    pub pushed: usize,
    /// Rows pulled from the server and applied here (added, changed or deleted).
    pub pulled: usize,
    /// Fields changed both here and on the server, kept with both values for the adviser.
    pub conflicts: usize,
    /// Rows deleted here because they were deleted (erased) elsewhere.
    pub erased: usize,
    /// Local changes still waiting (someone wrote first twice running; the next sync retries).
    pub pending: usize,
    /// The highest server sequence number now seen.
    pub last_seen_seq: i64,
}

/// The sealed part of a record: its kind and its fields.
#[derive(Serialize, Deserialize)]
struct RecordBody {
    kind: String,
    fields: Fields,
}

const RECORDS: &str = "records";
const BODY: &str = "body";
/// Rounds of pull-then-push before giving up on rows someone else keeps writing first.
const ROUNDS: usize = 3;
/// Rows per multi-row insert.
const BATCH: usize = 500;

/// The org keys this member can open, by epoch, and the current epoch.
pub struct OrgKeys {
    pub current: i32,
    by_epoch: HashMap<i32, OrgKey>,
}

impl OrgKeys {
    pub fn get(&self, epoch: i32) -> Result<&OrgKey, TeamError> {
        self.by_epoch
            .get(&epoch)
            .ok_or(TeamError::MissingEpochKey(epoch))
    }

    pub fn current(&self) -> Result<&OrgKey, TeamError> {
        self.get(self.current)
    }
}

/// This member's keys from their store.
pub fn member_keys(membership: &TeamMembership) -> Result<MemberKeys, TeamError> {
    Ok(MemberKeys::from_secrets(
        &membership.x25519_secret,
        &membership.ed25519_secret,
    )?)
}

/// Connects to the team server as this store's member.
pub fn connect(membership: &TeamMembership) -> Result<Server, TeamError> {
    let login = (!membership.db_user.is_empty())
        .then(|| (membership.db_user.as_str(), membership.db_password.as_str()));
    Server::connect_as(&membership.server_url, login)
}

/// The organisation's key epoch now; `NotConfirmed` when the server has no such
/// organisation yet.
pub(crate) fn current_epoch(
    client: &mut impl GenericClient,
    org_id: &str,
) -> Result<i32, TeamError> {
    Ok(client
        .query_opt("SELECT epoch FROM orgs WHERE id = $1", &[&org_id])?
        .ok_or(TeamError::NotConfirmed)?
        .get(0))
}

/// Opens every copy of the organisation key wrapped to this member.
pub fn org_keys(
    client: &mut impl GenericClient,
    membership: &TeamMembership,
    keys: &MemberKeys,
) -> Result<OrgKeys, TeamError> {
    let current = current_epoch(client, &membership.org_id)?;
    let mut by_epoch = HashMap::new();
    for row in client.query(
        "SELECT epoch, wrapped FROM wrapped_keys WHERE org_id = $1 AND recipient = $2",
        &[&membership.org_id, &membership.member_id],
    )? {
        let epoch: i32 = row.get(0);
        let wrapped: Vec<u8> = row.get(1);
        // A copy wrapped to this member's earlier keys (before a lost passphrase) does not
        // open with these and is passed over; without the current one, nothing opens.
        if let Ok(key) =
            keys.unwrap_org_key(&membership.org_id, epoch, &membership.member_id, &wrapped)
        {
            by_epoch.insert(epoch, key);
        }
    }
    if !by_epoch.contains_key(&current) {
        return Err(TeamError::NotConfirmed);
    }
    Ok(OrgKeys { current, by_epoch })
}

fn binding<'a>(org: &'a str, id: &'a str, version: i64) -> Binding<'a> {
    Binding {
        org,
        table: RECORDS,
        column: BODY,
        row: id,
        version,
    }
}

/// Seals a row's kind and fields for the server at `version`.
pub fn seal_record(
    key: &OrgKey,
    org: &str,
    id: &str,
    version: i64,
    kind: RowKind,
    fields: &Fields,
) -> Result<Vec<u8>, TeamError> {
    let body = RecordBody {
        kind: kind.id().into(),
        fields: fields.clone(),
    };
    let plain = zeroize::Zeroizing::new(
        serde_json::to_vec(&body).map_err(|e| TeamError::BadRecord(e.to_string()))?,
    );
    Ok(key.seal(RECORDS, &binding(org, id, version), &plain)?)
}

/// Opens a record's body.
pub fn open_record(
    key: &OrgKey,
    org: &str,
    id: &str,
    version: i64,
    sealed: &[u8],
) -> Result<(RowKind, Fields), TeamError> {
    let plain = key.open(RECORDS, &binding(org, id, version), sealed)?;
    let body: RecordBody = serde_json::from_slice(&plain)
        .map_err(|_| TeamError::BadRecord("unreadable body".into()))?;
    let kind =
        RowKind::from_id(&body.kind).ok_or_else(|| TeamError::BadRecord("unknown kind".into()))?;
    Ok((kind, body.fields))
}

/// Pulls the server's changes, then pushes this store's, up to [`ROUNDS`] times while
/// someone else writes first. `now` is the time to record (RFC 3339).
pub fn sync(store: &mut Store, server: &mut Server, now: &str) -> Result<SyncReport, TeamError> {
    let membership = store.team_membership()?.ok_or(TeamError::NotInTeam)?;
    let keys = member_keys(&membership)?;
    if membership.role == sanctuary::casework::store::team::TeamRole::Supervisor
        && crate::membership::rotation_owed(server, &membership.org_id)?
    {
        crate::membership::finish_rotation(store, server)?;
    }
    let org_keys = org_keys(server.client(), &membership, &keys)?;
    let mut report = SyncReport::default();
    let mut pushed_ids = Vec::new();
    for _ in 0..ROUNDS {
        pull(store, server, &membership, &org_keys, now, &mut report)?;
        let stale = push(store, server, &membership, &org_keys, &mut pushed_ids)?;
        report.pending = stale;
        if stale == 0 {
            break;
        }
    }
    report.pushed = pushed_ids.len();
    if !pushed_ids.is_empty() {
        audit::append(
            server,
            store,
            &membership,
            &keys,
            &org_keys,
            "sync",
            &pushed_ids,
            now,
        )?;
    }
    let members: i64 = server
        .client()
        .query_one(
            "SELECT count(*) FROM members WHERE org_id = $1 AND status = 'confirmed'",
            &[&membership.org_id],
        )?
        .get(0);
    store.record_sync(report.last_seen_seq, now, members)?;
    if report.erased > 0 {
        // What was deleted is overwritten in the file too; an old copy held by another
        // program is overwritten when that program lets go.
        let _ = store.overwrite_deleted();
    }
    Ok(report)
}

fn pull(
    store: &mut Store,
    server: &mut Server,
    membership: &TeamMembership,
    org_keys: &OrgKeys,
    now: &str,
    report: &mut SyncReport,
) -> Result<(), TeamError> {
    let last_seen = store.sync_state()?.last_seen_seq.max(report.last_seen_seq);
    let rows = server.client().query(
        "SELECT id, version, seq, epoch, body FROM records WHERE org_id = $1 AND seq > $2 ORDER BY seq",
        &[&membership.org_id, &last_seen],
    )?;
    let mut remote = Vec::with_capacity(rows.len());
    let mut highest = last_seen;
    for row in rows {
        let id: String = row.get(0);
        let version: i64 = row.get(1);
        highest = highest.max(row.get::<_, i64>(2));
        let epoch: i32 = row.get(3);
        let body: Option<Vec<u8>> = row.get(4);
        let content = match body {
            Some(sealed) => Some(open_record(
                org_keys.get(epoch)?,
                &membership.org_id,
                &id,
                version,
                &sealed,
            )?),
            None => None,
        };
        remote.push(RemoteRow {
            team_id: id,
            version,
            content,
        });
    }
    let applied = store.apply_remote(&remote, now)?;
    report.pulled += applied.inserted + applied.updated + applied.deleted;
    report.conflicts += applied.conflicts;
    report.erased += applied.deleted;
    report.last_seen_seq = highest;
    // Saved at once, so an interrupted sync does not pull (and merge) the same rows again.
    store.record_sync(highest, now, store.sync_state()?.member_count)?;
    Ok(())
}

/// Pushes local changes in one transaction; returns how many were refused because the
/// server had a newer version (they stay pending for the next round).
fn push(
    store: &mut Store,
    server: &mut Server,
    membership: &TeamMembership,
    org_keys: &OrgKeys,
    pushed_ids: &mut Vec<String>,
) -> Result<usize, TeamError> {
    let changes = store.local_changes()?;
    if changes.is_empty() {
        return Ok(0);
    }
    let key = org_keys.current()?;
    let org = membership.org_id.as_str();
    let mut tx = server.client().transaction()?;
    lock_org(&mut tx, org)?;
    // A revocation since this sync read the keys: nothing may be sealed under the old key.
    let epoch: i32 = tx
        .query_one("SELECT epoch FROM orgs WHERE id = $1", &[&org])?
        .get(0);
    if epoch != key.epoch {
        return Err(TeamError::EpochChanged);
    }
    let (new, existing): (Vec<&LocalChange>, Vec<&LocalChange>) =
        changes.iter().partition(|change| change.version == 0);
    let mut pushed = Vec::new();
    let mut stale = 0;
    for chunk in new.chunks(BATCH) {
        let inserted = insert_new(&mut tx, key, org, chunk)?;
        for change in chunk {
            if inserted.contains(&change.team_id) {
                pushed.push((change.team_id.clone(), 1, change.fields.clone()));
            } else if change.fields.is_some() {
                stale += 1;
            }
        }
    }
    for change in existing {
        let version = change.version + 1;
        let body = match &change.fields {
            Some(fields) => Some(seal_record(
                key,
                org,
                &change.team_id,
                version,
                change.kind,
                fields,
            )?),
            None => None,
        };
        let updated = tx.execute(
            "UPDATE records SET version = $3, epoch = $4, tombstone = $5, body = $6,
                 seq = nextval('records_seq')
             WHERE org_id = $1 AND id = $2 AND version = $7",
            &[
                &org,
                &change.team_id,
                &version,
                &key.epoch,
                &body.is_none(),
                &body,
                &change.version,
            ],
        )?;
        if updated == 1 {
            pushed.push((change.team_id.clone(), version, change.fields.clone()));
        } else {
            stale += 1;
        }
    }
    tx.commit()?;
    pushed_ids.extend(pushed.iter().map(|(id, _, _)| id.clone()));
    store.mark_pushed(&pushed)?;
    Ok(stale)
}

/// Writers to one organisation's records take turns, so sequence numbers become visible in
/// order and no reader skips a row committed late with a lower number.
pub fn lock_org(client: &mut impl GenericClient, org: &str) -> Result<(), TeamError> {
    client.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&org])?;
    Ok(())
}

/// Inserts rows never on the server (one statement per batch); returns the ids inserted.
/// A row deleted before it was ever pushed goes up as a tombstone too, harmlessly.
fn insert_new(
    tx: &mut postgres::Transaction<'_>,
    key: &OrgKey,
    org: &str,
    chunk: &[&LocalChange],
) -> Result<HashSet<String>, TeamError> {
    let mut ids = Vec::with_capacity(chunk.len());
    let mut bodies: Vec<Option<Vec<u8>>> = Vec::with_capacity(chunk.len());
    let mut tombstones = Vec::with_capacity(chunk.len());
    for change in chunk {
        let body = match &change.fields {
            Some(fields) => Some(seal_record(
                key,
                org,
                &change.team_id,
                1,
                change.kind,
                fields,
            )?),
            None => None,
        };
        tombstones.push(body.is_none());
        ids.push(change.team_id.clone());
        bodies.push(body);
    }
    let rows = tx.query(
        "INSERT INTO records (org_id, id, version, epoch, tombstone, body)
         SELECT $1, id, 1, $2, tombstone, body
         FROM unnest($3::text[], $4::boolean[], $5::bytea[]) AS t (id, tombstone, body)
         ON CONFLICT (id) DO NOTHING
         RETURNING id",
        &[&org, &key.epoch, &ids, &tombstones, &bodies],
    )?;
    Ok(rows.into_iter().map(|row| row.get(0)).collect())
}
