//! The case store: clients, their subject access requests, the replies, the
//! letters sent and the advice given, in one SQLite file encrypted with
//! SQLCipher.
//!
//! The data about a client is exactly what must never leak, so the file is
//! encrypted (with a key derived from the passphrase by Argon2id) and
//! owner-only, erased data is overwritten (`secure_delete`) and vacuumed
//! away, and SQLite keeps its temporary data in memory, never in unencrypted
//! temporary files. Every write that touches more than one row
//! runs in a transaction, so a crash leaves the last committed state.

mod records;
pub mod schema;
pub mod team;

#[cfg(test)]
mod tests;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use argon2::{Algorithm, Argon2, Block, Params, Version};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::{Type, Value, ValueRef};
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior,
    params,
};
use thiserror::Error;
use zeroize::Zeroizing;

use crate::calendar::deadline::{self, Clock, DeadlineError};
use crate::calendar::holidays::Nation;

use crate::calendar::dates::ISO_FORMAT;
use records::timestamp;
pub use records::{
    Advice, AdviceDetails, AdviceId, Article15Checklist, Article15Item, Client, ClientId,
    ClientRecord, DueRequest, ExemptionStats, Letter, LetterDetails, LetterId, NewClient,
    PauseError, Reply, ReplyDetails, ReplyId, Request, RequestDetails, RequestId, RequestStatus,
    RestrictedRight, UnknownStatus,
};

/// What can go wrong with the case store. No message carries a client's
/// details, so an error is safe to print or log.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("could not open the case store {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "wrong passphrase, or {} is not a sanctuary case store; nothing was changed",
        path.display()
    )]
    WrongPassphrase { path: PathBuf },
    #[error("{} is not a sanctuary case store ({why}); nothing was changed", path.display())]
    NotAStore { path: PathBuf, why: &'static str },
    #[error("the case store needs a passphrase to encrypt it")]
    EmptyPassphrase,
    #[error("could not derive the case store's key from the passphrase: {0}")]
    KeyDerivation(String),
    #[error(
        "the case store was written by a newer sanctuary (schema version {found}; this one knows up to {supported}): update sanctuary to open it"
    )]
    NewerSchema { found: u32, supported: u32 },
    #[error("there is no client {0} in the case store")]
    ClientNotFound(ClientId),
    #[error("there is no request {0} in the case store")]
    RequestNotFound(RequestId),
    #[error("there is no reply {0} in the store")]
    ReplyNotFound(ReplyId),
    #[error("request {request} belongs to another client, not client {client}")]
    RequestOfAnotherClient {
        request: RequestId,
        client: ClientId,
    },
    #[error("a client needs a name to search by")]
    EmptyName,
    #[error("the client details are not valid TOML (line {line}, column {column}): {message}")]
    ClientDetails {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot work out the due date: {0}")]
    Deadline(#[from] DeadlineError),
    #[error(
        "upgrading the case store to schema version {version} found records that point to records that are not there; nothing was changed"
    )]
    BrokenLinks { version: u32 },
    #[error(
        "the case store is still in use by another program after {seconds} seconds (another sanctuary, or a backup or sync tool holding it); nothing was changed: close the other program and try again"
    )]
    Busy { seconds: u64 },
    #[error(
        "the case store can be read but not changed here (it is on read-only media, or a read-only file); nothing was changed: copy it somewhere you can write to change it"
    )]
    ReadOnly,
    #[error(
        "the case store {} is on read-only media with its log beside it (it was copied while open), so it cannot be read there without losing its last changes: copy both files somewhere you can write and open it there",
        path.display()
    )]
    ReadOnlyWithLog { path: PathBuf },
    #[error("case store database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("could not write the client's record as JSON: {0}")]
    Export(#[from] serde_json::Error),
    #[error("there is no conflict {0} waiting (it may have been settled already)")]
    ConflictNotFound(i64),
}

/// An open case store. Reads take `&self`; writes take `&mut self` and are
/// each one transaction.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

/// What is at a store's path, before it is opened (see [`store_file`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFile {
    /// A file that may be a store (whether it is, only the passphrase can tell).
    Existing,
    /// Nothing yet: opening creates a new store there.
    New,
}

/// Whether opening made a new store or opened one that was there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    Created,
    Existing,
    /// An existing store that can only be read (on read-only media): every write is
    /// refused with [`StoreError::ReadOnly`].
    ReadOnly,
}

/// What is at `path`: a file that may be a store, or nothing (a new store). A folder, a
/// device such as `/dev/null`, a pipe, an empty file or a link to nothing is refused:
/// none of them is a store, and opening one must not take it over.
pub fn store_file(path: &Path) -> Result<StoreFile, StoreError> {
    let not_a_store = |why| StoreError::NotAStore {
        path: path.to_path_buf(),
        why,
    };
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(not_a_store("it is a folder")),
        Ok(meta) if !meta.is_file() => Err(not_a_store("it is not a regular file")),
        Ok(meta) if meta.len() == 0 => Err(not_a_store(
            "it is an empty file; delete it to make a new store there",
        )),
        Ok(_) => Ok(StoreFile::Existing),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                Err(not_a_store("it is a link to a file that does not exist"))
            } else {
                Ok(StoreFile::New)
            }
        }
        Err(source) => Err(StoreError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// How long SQLite itself waits for a lock before a write is refused as busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a write keeps trying while other programs write to the store (each try
/// also waits up to SQLite's busy timeout). Two hundred processes writing at once wait
/// seconds; only a store that is truly stuck waits this long.
const WRITE_WAIT: Duration = Duration::from_secs(30);

fn is_busy(error: &StoreError) -> bool {
    matches!(
        error,
        StoreError::Database(e) if matches!(
            e.sqlite_error_code(),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        )
    )
}

/// Runs `attempt` until it is not refused for a busy store, waiting a little longer
/// each time (with some spread, so writers that collided do not collide again), until
/// `wait` has passed; then says the store is held by another program.
fn retrying_while_busy<T>(
    wait: Duration,
    mut attempt: impl FnMut() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(10);
    loop {
        match attempt() {
            Err(error) if is_busy(&error) => {
                if started.elapsed() >= wait {
                    return Err(StoreError::Busy {
                        seconds: started.elapsed().as_secs(),
                    });
                }
                let spread =
                    u64::from(std::process::id() % 7 + started.elapsed().subsec_micros() % 13);
                std::thread::sleep(pause + Duration::from_millis(spread));
                pause = (pause * 2).min(Duration::from_millis(250));
            }
            other => return other,
        }
    }
}

/// How long an erase waits for other programs reading the store to let go of the old
/// pages (each try also waits up to the busy timeout).
const ERASE_WAIT: Duration = Duration::from_secs(15);

/// What an erase achieved, once the client's records were deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Erasure {
    /// Nothing of the client is left anywhere in the store file or its log.
    Complete,
    /// The records are deleted, but another program had the store open, so an old
    /// copy of their pages stays in the file until that program closes the store.
    OldCopyRemains,
}

/// The names of these clients (each one's name and the other names they gave) folded
/// for searching, in the same order.
pub fn client_index(clients: &[Client]) -> super::search::NameIndex {
    #[derive(serde::Deserialize)]
    struct OtherNames {
        #[serde(default)]
        other_names: Vec<String>,
    }
    let others: Vec<Vec<String>> = clients
        .iter()
        .map(|client| {
            toml::from_str::<OtherNames>(&client.details_toml)
                .map(|o| o.other_names)
                .unwrap_or_default()
        })
        .collect();
    super::search::NameIndex::new(clients.iter().zip(&others).map(|(client, others)| {
        let mut names = vec![client.display_name.as_str()];
        names.extend(others.iter().map(String::as_str));
        names
    }))
}

impl Store {
    /// Opens the store at `path`, creating it (owner-only, 0600) if nothing is
    /// there, and brings its schema up to date. The database key is derived
    /// from the passphrase with Argon2id (see [`KDF_MEMORY_KIB`]). A wrong
    /// passphrase is [`StoreError::WrongPassphrase`] and writes nothing;
    /// anything at `path` that cannot be a store (see [`store_file`]) is
    /// refused untouched.
    pub fn open(path: &Path, passphrase: &str) -> Result<Store, StoreError> {
        Ok(Store::open_or_create(path, passphrase)?.0)
    }

    /// [`Store::open`], saying whether the store was created. Two processes
    /// creating the same store at once are safe: one creates it whole, the
    /// other opens it (see [`create_store_file`]).
    pub fn open_or_create(path: &Path, passphrase: &str) -> Result<(Store, Opened), StoreError> {
        if passphrase.is_empty() {
            return Err(StoreError::EmptyPassphrase);
        }
        Store::open_keyed(path, Some(passphrase))
    }

    /// `passphrase` is `None` only in tests that look beneath the encryption.
    fn open_keyed(path: &Path, passphrase: Option<&str>) -> Result<(Store, Opened), StoreError> {
        let (conn, opened) = open_or_create_connection(path, passphrase)?;
        let mut store = Store { conn };
        if opened == Opened::ReadOnly {
            // Nothing can be upgraded here: only a store of this version can be read.
            return match store.schema_version()? {
                schema::CURRENT_VERSION => Ok((store, opened)),
                _ => Err(StoreError::ReadOnly),
            };
        }
        retrying_while_busy(WRITE_WAIT, || {
            schema::migrate_to(&mut store.conn, schema::CURRENT_VERSION)
        })?;
        retrying_while_busy(WRITE_WAIT, || store.recompute_due_dates())?;
        Ok((store, opened))
    }

    /// Works out every request's due date again when the store's dates were worked
    /// out by older deadline rules than this code's (`calendar::RULES_VERSION`), in
    /// one transaction with the version bump. The due column is only an index for
    /// sorting; what a request means today is `casework::standing`.
    fn recompute_due_dates(&mut self) -> Result<(), StoreError> {
        let stored: u32 =
            self.conn
                .query_row("SELECT rules_version FROM meta WHERE id = 1", [], |row| {
                    row.get(0)
                })?;
        if stored >= crate::calendar::RULES_VERSION {
            return Ok(());
        }
        // Waits for other writers as every write does.
        let store_tx = self.begin()?;
        let tx = &store_tx.tx;
        let requests: Vec<Request> = {
            let mut statement = tx.prepare(REQUEST_COLUMNS)?;
            let rows = statement.query_map([], request_from_row)?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        {
            let mut update = tx.prepare("UPDATE requests SET due = ?2 WHERE id = ?1")?;
            for request in &requests {
                // A row whose dates no rule accepts keeps no date rather than a wrong one.
                let due = due_date(&request.details).ok().flatten();
                update.execute(params![request.id.0, date_text(due)])?;
            }
        }
        tx.execute(
            "UPDATE meta SET rules_version = ?1 WHERE id = 1",
            [crate::calendar::RULES_VERSION],
        )?;
        store_tx.commit()?;
        Ok(())
    }

    /// The version of the deadline rules the stored due dates were worked out by.
    pub fn rules_version(&self) -> Result<u32, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT rules_version FROM meta WHERE id = 1", [], |row| {
                row.get(0)
            })?)
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema::version(&self.conn)
    }

    // ----- clients -----

    /// Starts a write: everything done through the [`StoreTx`] is saved together by
    /// [`StoreTx::commit`], or not at all if it is dropped. The write lock is taken at
    /// once (`BEGIN IMMEDIATE`), so two processes writing at the same time wait for
    /// each other (up to the busy timeout) instead of failing half-way.
    pub fn begin(&mut self) -> Result<StoreTx<'_>, StoreError> {
        self.begin_waiting(WRITE_WAIT)
    }

    /// [`Store::begin`], trying again for up to `wait` while other writers hold the
    /// store, beyond SQLite's own busy timeout.
    fn begin_waiting(&mut self, wait: Duration) -> Result<StoreTx<'_>, StoreError> {
        if self.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(StoreError::ReadOnly);
        }
        let conn = &self.conn;
        let tx = retrying_while_busy(wait, || {
            Ok(Transaction::new_unchecked(
                conn,
                TransactionBehavior::Immediate,
            )?)
        })?;
        Ok(StoreTx { tx })
    }

    /// Saves a new client. The details must be TOML; the letters module
    /// checks their fields.
    pub fn add_client(&mut self, client: &NewClient) -> Result<Client, StoreError> {
        self.write(|tx| tx.add_client(client))
    }

    /// Replaces a client's name and details.
    pub fn update_client(
        &mut self,
        id: ClientId,
        client: &NewClient,
    ) -> Result<Client, StoreError> {
        self.write(|tx| tx.update_client(id, client))
    }

    /// One write as its own transaction.
    fn write<T>(
        &mut self,
        work: impl FnOnce(&StoreTx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let tx = self.begin()?;
        let result = work(&tx)?;
        tx.commit()?;
        Ok(result)
    }

    pub fn client(&self, id: ClientId) -> Result<Client, StoreError> {
        read_client(&self.conn, id)
    }

    /// Every client, by name.
    pub fn clients(&self) -> Result<Vec<Client>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "{CLIENT_COLUMNS} ORDER BY display_name COLLATE NOCASE, id"
        ))?;
        let clients = statement
            .query_map([], client_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(clients)
    }

    /// Clients whose name or other names hold every word of `query`, ignoring case
    /// and accents in any script (see [`search::matches`](super::search::matches)).
    pub fn search_clients(&self, query: &str) -> Result<Vec<Client>, StoreError> {
        let clients = self.clients()?;
        let index = client_index(&clients);
        Ok(index
            .matching(query)
            .into_iter()
            .map(|i| clients[i].clone())
            .collect())
    }

    /// A client with all their requests, replies, letters and advice records.
    pub fn client_record(&self, id: ClientId) -> Result<ClientRecord, StoreError> {
        let client = self.client(id)?;
        let requests = self.query_list(
            &format!("{REQUEST_COLUMNS} WHERE client_id = ?1 ORDER BY id"),
            id,
            request_from_row,
        )?;
        let replies = self.query_list(
            &format!(
                "{REPLY_COLUMNS} WHERE request_id IN (SELECT id FROM requests WHERE client_id = ?1)
                 ORDER BY id"
            ),
            id,
            reply_from_row,
        )?;
        let letters = self.query_list(
            &format!("{LETTER_COLUMNS} WHERE client_id = ?1 ORDER BY id"),
            id,
            letter_from_row,
        )?;
        let advice = self.query_list(
            &format!("{ADVICE_COLUMNS} WHERE client_id = ?1 ORDER BY id"),
            id,
            advice_from_row,
        )?;
        Ok(ClientRecord {
            client,
            requests,
            replies,
            letters,
            advice,
        })
    }

    /// One client's whole record as JSON, for the client's own subject access
    /// request or a transfer to another adviser.
    pub fn export_client(&self, id: ClientId) -> Result<serde_json::Value, StoreError> {
        let record = self.client_record(id)?;
        let mut value = serde_json::to_value(record)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("format".into(), "sanctuary-client-record".into());
            object.insert("schema_version".into(), schema::CURRENT_VERSION.into());
            object.insert("exported".into(), timestamp::format(&now()).into());
        }
        Ok(value)
    }

    /// Deletes a client and everything about them in one transaction (holding the
    /// write lock), then rebuilds the file (VACUUM) and folds the write-ahead log back
    /// into it, so none of their data remains in the database file or its log. An
    /// error means nothing was deleted; [`Erasure`] says whether the erase is complete.
    pub fn erase_client(&mut self, id: ClientId) -> Result<Erasure, StoreError> {
        let store_tx = self.begin()?;
        let tx = &store_tx.tx;
        let requests = "SELECT id FROM requests WHERE client_id = ?1";
        tx.execute(
            &format!("DELETE FROM replies WHERE request_id IN ({requests})"),
            [id.0],
        )?;
        tx.execute("DELETE FROM letters WHERE client_id = ?1", [id.0])?;
        tx.execute("DELETE FROM advice_records WHERE client_id = ?1", [id.0])?;
        tx.execute("DELETE FROM requests WHERE client_id = ?1", [id.0])?;
        if tx.execute("DELETE FROM clients WHERE id = ?1", [id.0])? == 0 {
            return Err(StoreError::ClientNotFound(id));
        }
        store_tx.commit()?;
        Ok(self.overwrite_what_was_deleted(ERASE_WAIT))
    }

    /// Makes a committed delete an erase: the store is vacuumed and its write-ahead log
    /// folded into the file and emptied, so no old copy of a deleted page is left in
    /// the file or the log (deleted content is zeroed, `secure_delete`). Another
    /// program reading the store (the app in another window, a backup) holds the old
    /// pages; this tries again until `wait` has passed, and then says the old copy
    /// remains rather than fail, since the delete itself is done.
    fn overwrite_what_was_deleted(&mut self, wait: Duration) -> Erasure {
        let deadline = std::time::Instant::now() + wait;
        loop {
            let vacuumed = self.conn.execute_batch("VACUUM").is_ok();
            // The checkpoint's first column is 1 when a reader kept it from finishing.
            let checkpoint = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                    row.get::<_, i64>(0)
                });
            if vacuumed && matches!(checkpoint, Ok(0)) {
                return Erasure::Complete;
            }
            if std::time::Instant::now() >= deadline {
                return Erasure::OldCopyRemains;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    // ----- requests -----

    /// Saves a new request, working out its due date from its dates.
    pub fn add_request(&mut self, request: &RequestDetails) -> Result<Request, StoreError> {
        self.write(|tx| tx.add_request(request))
    }

    /// Saves many requests in one transaction: all or none.
    pub fn add_requests(
        &mut self,
        requests: &[RequestDetails],
    ) -> Result<Vec<RequestId>, StoreError> {
        self.write(|tx| {
            requests
                .iter()
                .map(|request| insert_request(&tx.tx, request))
                .collect()
        })
    }

    /// Replaces a request's details and works its due date out again (after
    /// an extension, a pause or proof of identity arriving).
    pub fn update_request(
        &mut self,
        id: RequestId,
        request: &RequestDetails,
    ) -> Result<Request, StoreError> {
        self.write(|tx| tx.update_request(id, request))
    }

    /// Moves a request to a new status.
    pub fn set_request_status(
        &mut self,
        id: RequestId,
        status: RequestStatus,
    ) -> Result<Request, StoreError> {
        self.write(|tx| tx.set_request_status(id, status))
    }

    pub fn request(&self, id: RequestId) -> Result<Request, StoreError> {
        read_request(&self.conn, id)
    }

    /// Requests due on or before `by`, and every request with no due date (its
    /// clock paused, or no date to count from): those first, then soonest first
    /// (then by id), with their client's name, replies and letters' dates (for
    /// `casework::standing`, which decides what each means today). Only those with
    /// one of `statuses` are listed; an empty slice lists every status. The database does the filtering, through the
    /// index on status and due date. The order is made here: SQLite would sort
    /// whole rows, every column in them, while the rows come from the index as
    /// one sorted run per status, which the sort here merges cheaply.
    pub fn requests_due_by(
        &self,
        by: NaiveDate,
        statuses: &[RequestStatus],
    ) -> Result<Vec<DueRequest>, StoreError> {
        // The names are read once, not joined to every row: a store has far
        // fewer clients than requests, and a lookup per row costs more.
        let mut names = std::collections::HashMap::new();
        let mut statement = self
            .conn
            .prepare_cached("SELECT id, display_name FROM clients")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            names.insert(row.get::<_, i64>(0)?, row.get::<_, String>(1)?);
        }
        drop(rows);
        let mut statement = self.conn.prepare_cached(&due_query(statuses.len()))?;
        let by = by.format(ISO_FORMAT).to_string();
        let parameters = std::iter::once(by.as_str()).chain(statuses.iter().map(|s| s.id()));
        let mut rows = statement.query(rusqlite::params_from_iter(parameters))?;
        let mut due = Vec::new();
        while let Some(row) = rows.next()? {
            let request = request_from_row(row)?;
            // Every request has its client (a foreign key the store enforces).
            let client_name = names
                .get(&request.details.client.0)
                .cloned()
                .unwrap_or_default();
            due.push(DueRequest {
                request,
                client_name,
                replies: Vec::new(),
                letters: Vec::new(),
            });
        }
        drop(rows);
        self.add_history(&mut due)?;
        // Undated (paused, or no date yet) first: they need the adviser most.
        due.sort_by_key(|due| (due.request.due, due.request.id));
        Ok(due)
    }

    /// Gives each listed request its replies and the dates of its letters, which
    /// its standing reads.
    fn add_history(&self, listed: &mut [DueRequest]) -> Result<(), StoreError> {
        let mut at: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        for (index, item) in listed.iter().enumerate() {
            at.insert(item.request.id.0, index);
        }
        let mut statement = self.conn.prepare_cached(REPLY_COLUMNS)?;
        for reply in statement.query_map([], reply_from_row)? {
            let reply = reply?;
            if let Some(&index) = at.get(&reply.details.request.0) {
                listed[index].replies.push(reply);
            }
        }
        let mut statement = self.conn.prepare_cached(LETTER_DATES)?;
        for letter in statement.query_map([], letter_from_row)? {
            let letter = letter?;
            if let Some(&index) = letter.details.request.and_then(|id| at.get(&id.0)) {
                listed[index].letters.push(letter);
            }
        }
        Ok(())
    }

    /// Every request, or one client's, by id, each with its client's name, its
    /// replies and its letters' dates (not their text), for its standing.
    pub fn requests(&self, client: Option<ClientId>) -> Result<Vec<DueRequest>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "{REQUEST_COLUMNS_QUALIFIED}, clients.display_name
             FROM requests JOIN clients ON clients.id = requests.client_id
             WHERE ?1 IS NULL OR requests.client_id = ?1
             ORDER BY requests.id"
        ))?;
        let client = client.map(|id| id.0);
        if let Some(id) = client {
            self.client(ClientId(id))?;
        }
        let mut list: Vec<DueRequest> = statement
            .query_map([client], |row| {
                Ok(DueRequest {
                    request: request_from_row(row)?,
                    client_name: row.get(17)?,
                    replies: Vec::new(),
                    letters: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        self.add_history(&mut list)?;
        Ok(list)
    }

    /// For each organisation written to: how many requests, how many replies,
    /// and how many of those replies cited the immigration exemption.
    pub fn exemption_stats(&self) -> Result<Vec<ExemptionStats>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT requests.organisation, COUNT(DISTINCT requests.id), COUNT(replies.id),
                    COALESCE(SUM(replies.exemption_cited), 0)
             FROM requests LEFT JOIN replies ON replies.request_id = requests.id
             GROUP BY requests.organisation
             ORDER BY requests.organisation",
        )?;
        let stats = statement
            .query_map([], |row| {
                Ok(ExemptionStats {
                    organisation: row.get(0)?,
                    requests: row.get(1)?,
                    replies: row.get(2)?,
                    replies_citing_exemption: row.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(stats)
    }

    // ----- replies, letters, advice -----

    /// Records a reply to a request.
    pub fn add_reply(&mut self, reply: &ReplyDetails) -> Result<Reply, StoreError> {
        self.write(|tx| tx.add_reply(reply))
    }

    /// Keeps a generated letter's text with the client (and its request).
    pub fn add_letter(&mut self, letter: &LetterDetails) -> Result<Letter, StoreError> {
        self.write(|tx| tx.add_letter(letter))
    }

    /// Saves a guide run's summary to a client.
    pub fn add_advice(&mut self, advice: &AdviceDetails) -> Result<Advice, StoreError> {
        self.write(|tx| tx.add_advice(advice))
    }

    fn query_list<T>(
        &self,
        sql: &str,
        client: ClientId,
        from_row: fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut statement = self.conn.prepare(sql)?;
        let list = statement
            .query_map([client.0], from_row)?
            .collect::<Result<_, _>>()?;
        Ok(list)
    }
}

/// A write in progress (see [`Store::begin`]). Reads through it see its own writes.
pub struct StoreTx<'a> {
    tx: Transaction<'a>,
}

impl StoreTx<'_> {
    /// Saves everything written through this transaction.
    pub fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit()?)
    }

    pub fn add_client(&self, client: &NewClient) -> Result<Client, StoreError> {
        check_client(client)?;
        self.tx.execute(
            "INSERT INTO clients (display_name, details_toml, created, updated)
             VALUES (?1, ?2, ?3, ?3)",
            params![
                client.display_name.trim(),
                client.details_toml,
                timestamp::format(&now())
            ],
        )?;
        self.client(ClientId(self.tx.last_insert_rowid()))
    }

    pub fn update_client(&self, id: ClientId, client: &NewClient) -> Result<Client, StoreError> {
        check_client(client)?;
        let changed = self.tx.execute(
            "UPDATE clients SET display_name = ?2, details_toml = ?3, updated = ?4 WHERE id = ?1",
            params![
                id.0,
                client.display_name.trim(),
                client.details_toml,
                timestamp::format(&now())
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::ClientNotFound(id));
        }
        self.client(id)
    }

    pub fn client(&self, id: ClientId) -> Result<Client, StoreError> {
        read_client(&self.tx, id)
    }

    pub fn request(&self, id: RequestId) -> Result<Request, StoreError> {
        read_request(&self.tx, id)
    }

    pub fn add_request(&self, request: &RequestDetails) -> Result<Request, StoreError> {
        let id = insert_request(&self.tx, request)?;
        self.request(id)
    }

    pub fn update_request(
        &self,
        id: RequestId,
        request: &RequestDetails,
    ) -> Result<Request, StoreError> {
        ensure_client(&self.tx, request.client)?;
        let mut values = Vec::from(request_values(request)?);
        values.push(Value::Text(timestamp::format(&now())));
        values.push(Value::Integer(id.0));
        let changed = self.tx.execute(
            "UPDATE requests SET client_id = ?1, organisation = ?2, template = ?3, nation = ?4,
                sent = ?5, received = ?6, id_received = ?7, fee_received = ?8, pauses = ?9,
                due = ?10, extended = ?11, extension_reason = ?12, status = ?13, notes = ?14,
                updated = ?15
             WHERE id = ?16",
            rusqlite::params_from_iter(values),
        )?;
        if changed == 0 {
            return Err(StoreError::RequestNotFound(id));
        }
        self.request(id)
    }

    pub fn set_request_status(
        &self,
        id: RequestId,
        status: RequestStatus,
    ) -> Result<Request, StoreError> {
        let changed = self.tx.execute(
            "UPDATE requests SET status = ?2, updated = ?3 WHERE id = ?1",
            params![id.0, status.id(), timestamp::format(&now())],
        )?;
        if changed == 0 {
            return Err(StoreError::RequestNotFound(id));
        }
        self.request(id)
    }

    pub fn add_reply(&self, reply: &ReplyDetails) -> Result<Reply, StoreError> {
        ensure_request(&self.tx, reply.request)?;
        let list = reply.checklist;
        self.tx.execute(
            "INSERT INTO replies (request_id, received, purposes, categories, recipients,
                retention, source, automated_decisions, rights_information, copy,
                exemption_cited, exemption_rights, notes, created,
                complaint_right, transfer_safeguards)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                reply.request.0,
                date_text(Some(reply.received)),
                list.purposes,
                list.categories,
                list.recipients,
                list.retention,
                list.source,
                list.automated_decisions,
                list.rights_information,
                list.copy,
                reply.exemption_cited,
                serde_json::to_string(&reply.exemption_rights)?,
                reply.notes,
                timestamp::format(&now()),
                list.complaint_right,
                list.transfer_safeguards,
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        Ok(self.tx.query_row(
            &format!("{REPLY_COLUMNS} WHERE id = ?1"),
            [id],
            reply_from_row,
        )?)
    }

    /// Removes a reply recorded in error, returning it; the other replies to its
    /// request are left as they are.
    pub fn remove_reply(&self, id: ReplyId) -> Result<Reply, StoreError> {
        let reply = self
            .tx
            .query_row(
                &format!("{REPLY_COLUMNS} WHERE id = ?1"),
                [id.0],
                reply_from_row,
            )
            .optional()?
            .ok_or(StoreError::ReplyNotFound(id))?;
        self.tx
            .execute("DELETE FROM replies WHERE id = ?1", [id.0])?;
        Ok(reply)
    }

    /// The replies to one request, oldest first.
    pub fn replies_to(&self, request: RequestId) -> Result<Vec<Reply>, StoreError> {
        let mut statement = self.tx.prepare(&format!(
            "{REPLY_COLUMNS} WHERE request_id = ?1 ORDER BY id"
        ))?;
        let replies = statement
            .query_map([request.0], reply_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(replies)
    }

    pub fn add_letter(&self, letter: &LetterDetails) -> Result<Letter, StoreError> {
        let id = insert_letter(&self.tx, letter)?;
        Ok(self.tx.query_row(
            &format!("{LETTER_COLUMNS} WHERE id = ?1"),
            [id.0],
            letter_from_row,
        )?)
    }

    pub fn add_advice(&self, advice: &AdviceDetails) -> Result<Advice, StoreError> {
        ensure_client(&self.tx, advice.client)?;
        self.tx.execute(
            "INSERT INTO advice_records (client_id, guide_id, outcome_id, summary, date, created)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                advice.client.0,
                advice.guide,
                advice.outcome,
                advice.summary,
                date_text(Some(advice.date)),
                timestamp::format(&now()),
            ],
        )?;
        let id = self.tx.last_insert_rowid();
        Ok(self.tx.query_row(
            &format!("{ADVICE_COLUMNS} WHERE id = ?1"),
            [id],
            advice_from_row,
        )?)
    }
}

fn read_client(conn: &Connection, id: ClientId) -> Result<Client, StoreError> {
    conn.query_row(
        &format!("{CLIENT_COLUMNS} WHERE id = ?1"),
        [id.0],
        client_from_row,
    )
    .optional()?
    .ok_or(StoreError::ClientNotFound(id))
}

fn read_request(conn: &Connection, id: RequestId) -> Result<Request, StoreError> {
    conn.query_row(
        &format!("{REQUEST_COLUMNS} WHERE id = ?1"),
        [id.0],
        request_from_row,
    )
    .optional()?
    .ok_or(StoreError::RequestNotFound(id))
}

/// The memory cost, in KiB, of the Argon2id (version 1.3) derivation that
/// turns the passphrase and the file's salt into the database key. With
/// [`KDF_PASSES`] and [`KDF_LANES`] this is m = 12288 KiB (12 MiB), t = 3,
/// p = 1: one of the Argon2id settings the OWASP Password Storage Cheat Sheet
/// lists as giving an equal level of defence. On the two-core machine it was
/// measured on it takes about 20 ms in a release build, against about 200 ms
/// for SQLCipher's own derivation (PBKDF2-HMAC-SHA512, 256,000 iterations)
/// that it replaces.
///
/// These settings, [`KEY_LEN`] and the use of SQLCipher's per-file salt are
/// part of the file format: changing any of them makes every existing store
/// unreadable (it reports a wrong passphrase) unless a migration that re-keys
/// existing stores is written with the change.
pub const KDF_MEMORY_KIB: u32 = 12 * 1024;
/// See [`KDF_MEMORY_KIB`].
pub const KDF_PASSES: u32 = 3;
/// See [`KDF_MEMORY_KIB`].
pub const KDF_LANES: u32 = 1;
/// The length of the derived key: SQLCipher's AES-256 key.
pub const KEY_LEN: usize = 32;
/// The length of SQLCipher's per-file salt, which it keeps unencrypted as the
/// first bytes of the database file.
pub const SALT_LEN: usize = 16;

const KDF_PARAMS: Params = match Params::new(KDF_MEMORY_KIB, KDF_PASSES, KDF_LANES, Some(KEY_LEN)) {
    Ok(params) => params,
    Err(_) => panic!("the Argon2id cost settings are out of range"),
};

/// Derives the database key from the passphrase and the file's salt with
/// Argon2id. The key and Argon2's working memory are wiped when dropped.
fn derive_key(
    passphrase: &str,
    salt: &[u8; SALT_LEN],
) -> Result<Zeroizing<[u8; KEY_LEN]>, StoreError> {
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, KDF_PARAMS);
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    let mut memory = Zeroizing::new(vec![Block::default(); KDF_PARAMS.block_count()]);
    argon2
        .hash_password_into_with_memory(
            passphrase.as_bytes(),
            salt,
            key.as_mut_slice(),
            memory.as_mut_slice(),
        )
        .map_err(|error| StoreError::KeyDerivation(error.to_string()))?;
    Ok(key)
}

/// The statement that keys a connection with a raw key and its salt, in
/// SQLCipher's blob form `x'<64 hex digits of key><32 hex digits of salt>'`:
/// SQLCipher then uses the key as it is (no key derivation of its own) and,
/// for a new file, writes the salt as the file's first 16 bytes. The text is
/// wiped when dropped.
fn key_statement(key: &[u8; KEY_LEN], salt: &[u8; SALT_LEN]) -> Zeroizing<String> {
    raw_key_statement("key", key, salt)
}

/// `PRAGMA <pragma> = "x'<key><salt>'";` (`key` or `rekey`), wiped when dropped.
fn raw_key_statement(
    pragma: &str,
    key: &[u8; KEY_LEN],
    salt: &[u8; SALT_LEN],
) -> Zeroizing<String> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    const SUFFIX: &str = "'\";";
    let prefix = format!("PRAGMA {pragma} = \"x'");
    // Allocated once at its full length, so no reallocation leaves a copy.
    let mut statement = Zeroizing::new(String::with_capacity(
        prefix.len() + 2 * (KEY_LEN + SALT_LEN) + SUFFIX.len(),
    ));
    statement.push_str(&prefix);
    for byte in key.iter().chain(salt) {
        statement.push(char::from(HEX[usize::from(byte >> 4)]));
        statement.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    statement.push_str(SUFFIX);
    statement
}

/// What the start of the file says about its salt.
enum FileSalt {
    /// The salt SQLCipher wrote as the file's first 16 bytes.
    Existing([u8; SALT_LEN]),
    /// Fewer than 16 bytes: no SQLCipher database.
    TooShort,
}

fn read_salt(path: &Path) -> io::Result<FileSalt> {
    let mut salt = [0u8; SALT_LEN];
    let mut read = 0;
    let mut file = File::open(path)?;
    while read < SALT_LEN {
        match file.read(&mut salt[read..]) {
            Ok(0) => break,
            Ok(count) => read += count,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(match read {
        SALT_LEN => FileSalt::Existing(salt),
        _ => FileSalt::TooShort,
    })
}

/// Creates a new, empty store at `path` whole, or finds that another process has
/// just done so. The database is made under a temporary name beside `path`
/// (owner-only, keyed with a new random salt, its header written and synced) and
/// then hard-linked to `path`, which fails if anything is there: so `path` never
/// holds a half-made store, and of two processes creating it at once one makes it
/// and the other opens it (the salt is then the winner's, and the same
/// passphrase opens it). Returns whether this call created it.
fn create_store_file(path: &Path, passphrase: Option<&str>) -> Result<bool, StoreError> {
    let io_error = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|error| io_error(io::Error::other(error)))?;
    let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let temp = TempStore(folder.join(format!(".{name}.new-{suffix}")));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(&temp.0).map_err(io_error)?;
    {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&temp.0, flags)?;
        if let Some(passphrase) = passphrase {
            let mut salt = [0u8; SALT_LEN];
            getrandom::fill(&mut salt).map_err(|error| io_error(io::Error::other(error)))?;
            let key = derive_key(passphrase, &salt)?;
            conn.execute_batch(&key_statement(&key, &salt))?;
        }
        // Turning on the write-ahead log writes the header (and, keyed, the salt).
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Database(rusqlite::Error::InvalidQuery));
        }
    }
    File::open(&temp.0)
        .and_then(|file| file.sync_all())
        .map_err(io_error)?;
    match fs::hard_link(&temp.0, path) {
        Ok(()) => {
            if let Ok(dir) = File::open(folder) {
                let _ = dir.sync_all();
            }
            Ok(true)
        }
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(error) => Err(io_error(error)),
    }
}

/// A store being made under a temporary name: removed (with any journal beside it)
/// when dropped, whether or not it was linked into place.
struct TempStore(PathBuf);

impl Drop for TempStore {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = self.0.clone().into_os_string();
            name.push(suffix);
            let _ = fs::remove_file(name);
        }
    }
}

/// [`open_or_create_connection`] without saying whether it created the store,
/// for tests that build stores of older schemas.
#[cfg(test)]
fn open_connection(path: &Path, passphrase: Option<&str>) -> Result<Connection, StoreError> {
    Ok(open_or_create_connection(path, passphrase)?.0)
}

/// Whether the store and its folder can be written (the log and its index are made
/// beside the store): not on read-only media, or a read-only copy.
fn can_write_beside(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let writable = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes())
                // SAFETY: access reads a NUL-terminated path and changes nothing.
                .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
        };
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        writable(path) && writable(folder)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Opens a store that cannot be written, to read it: as an unchanging file (SQLite's
/// `immutable`), which needs no log beside it. A store closed by sanctuary has folded
/// its log in; one with a log left beside it (it was copied while open) cannot be read
/// this way without losing its last changes, and is refused.
fn open_read_only(path: &Path) -> Result<Connection, StoreError> {
    let mut log = path.as_os_str().to_owned();
    log.push("-wal");
    if fs::metadata(&log).is_ok_and(|meta| meta.len() > 0) {
        return Err(StoreError::ReadOnlyWithLog {
            path: path.to_path_buf(),
        });
    }
    let encoded: String = path
        .to_string_lossy()
        .chars()
        .map(|c| match c {
            '%' | '?' | '#' => format!("%{:02X}", u32::from(c)),
            c => c.to_string(),
        })
        .collect();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Ok(Connection::open_with_flags(
        format!("file:{encoded}?immutable=1"),
        flags,
    )?)
}

/// Opens the database (creating it if nothing is at `path`, see
/// [`create_store_file`]; anything there that cannot be a store is refused,
/// see [`store_file`]), keys it, proves the key by reading the schema before
/// anything can write, then sets the pragmas that keep data safe. With
/// `passphrase` `None` the database is not encrypted (only for tests that
/// look beneath the encryption).
fn open_or_create_connection(
    path: &Path,
    passphrase: Option<&str>,
) -> Result<(Connection, Opened), StoreError> {
    let io_error = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let opened = match store_file(path)? {
        StoreFile::Existing => Opened::Existing,
        StoreFile::New if create_store_file(path, passphrase)? => Opened::Created,
        StoreFile::New => Opened::Existing,
    };
    let key_and_salt = match passphrase {
        Some(passphrase) => {
            let salt = match read_salt(path).map_err(io_error)? {
                FileSalt::Existing(salt) => salt,
                FileSalt::TooShort => {
                    return Err(StoreError::WrongPassphrase {
                        path: path.to_path_buf(),
                    });
                }
            };
            let key = derive_key(passphrase, &salt)?;
            Some((key, salt))
        }
        None => None,
    };
    let read_only = opened == Opened::Existing && !can_write_beside(path);
    let conn = if read_only {
        open_read_only(path)?
    } else {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Connection::open_with_flags(path, flags)?
    };
    // Before the first read: another process may be writing or recovering the log.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    if let Some((key, salt)) = &key_and_salt {
        // Must be the first statement: SQLCipher keys the file with it.
        // SQLCipher wipes its own copy of the key; SQLite frees its copies of
        // the statement text without wiping them.
        conn.execute_batch(&key_statement(key, salt))?;
    }
    if !key_opens(&conn)? {
        drop(conn);
        if let (Some(passphrase), Some((key, salt))) = (passphrase, &key_and_salt)
            && !read_only
            && rekey_first_format_store(path, passphrase, key, salt)?
        {
            return open_or_create_connection(path, Some(passphrase));
        }
        return Err(StoreError::WrongPassphrase {
            path: path.to_path_buf(),
        });
    }
    if read_only {
        return Ok((conn, Opened::ReadOnly));
    }
    // The key is right: only now may anything change the file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(io_error)?;
    }
    // A page cache of up to 16 MiB (SQLite's default is 2 MiB, smaller than a
    // store of ten thousand requests with notes): a page evicted from the
    // cache has to be read and decrypted again.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA synchronous = FULL;
         PRAGMA cache_size = -16384;",
    )?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Database(rusqlite::Error::InvalidQuery));
    }
    Ok((conn, opened))
}

/// Whether the key given to `conn` opens the database, proved by reading
/// the schema, before anything can write.
fn key_opens(conn: &Connection) -> Result<bool, StoreError> {
    // SQLCipher otherwise writes its own warnings (e.g. a failed page check
    // on a wrong passphrase) to stderr, across the TUI's screen.
    conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))
        .optional()?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(true),
        Err(rusqlite::Error::SqliteFailure(error, _)) if error.code == ErrorCode::NotADatabase => {
            Ok(false)
        }
        Err(error) => Err(error.into()),
    }
}

/// Stores made before sanctuary derived its own key (Argon2id) were keyed by
/// SQLCipher's default passphrase derivation (PBKDF2). If `passphrase` opens
/// the store that way, re-keys it to the Argon2id `key` and returns true;
/// SQLCipher keeps the file's salt when it re-keys, so the key derived from
/// that salt stays right. Otherwise returns false having changed nothing.
fn rekey_first_format_store(
    path: &Path,
    passphrase: &str,
    key: &[u8; KEY_LEN],
    salt: &[u8; SALT_LEN],
) -> Result<bool, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.pragma_update(None, "key", passphrase)?;
    if !key_opens(&conn)? {
        return Ok(false);
    }
    // SQLCipher re-keys only outside WAL mode: fold the log into the file,
    // re-key, and the next open turns WAL on again.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let _mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))?;
    conn.execute_batch(&raw_key_statement("rekey", key, salt))?;
    Ok(true)
}

fn check_client(client: &NewClient) -> Result<(), StoreError> {
    if client.display_name.trim().is_empty() {
        return Err(StoreError::EmptyName);
    }
    // Only the position and the parser's message are kept: the error's own
    // text quotes the line, which holds the client's details.
    if let Err(error) = client.details_toml.parse::<toml::Table>() {
        let offset = error.span().map_or(0, |span| span.start);
        let (line, column) = crate::guide::LineIndex::new(&client.details_toml).position(offset);
        return Err(StoreError::ClientDetails {
            line,
            column,
            message: error.message().to_string(),
        });
    }
    Ok(())
}

fn now() -> DateTime<Utc> {
    // Whole seconds: what the database keeps.
    DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_default()
}

/// The due date, or none before the body has the request or while the clock
/// is stopped for clarification. Only an index for sorting: what a request
/// means today is `casework::standing`.
fn due_date(request: &RequestDetails) -> Result<Option<NaiveDate>, StoreError> {
    match deadline::sar_due_date(&request.clock) {
        Ok(deadline) => Ok(Some(deadline.due)),
        Err(DeadlineError::Paused { .. } | DeadlineError::NotSent) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

fn ensure_client(tx: &Transaction<'_>, id: ClientId) -> Result<(), StoreError> {
    tx.query_row("SELECT 1 FROM clients WHERE id = ?1", [id.0], |_| Ok(()))
        .optional()?
        .ok_or(StoreError::ClientNotFound(id))
}

/// The client a request belongs to.
fn ensure_request(tx: &Transaction<'_>, id: RequestId) -> Result<ClientId, StoreError> {
    tx.query_row(
        "SELECT client_id FROM requests WHERE id = ?1",
        [id.0],
        |row| row.get(0).map(ClientId),
    )
    .optional()?
    .ok_or(StoreError::RequestNotFound(id))
}

fn insert_request(tx: &Transaction<'_>, request: &RequestDetails) -> Result<RequestId, StoreError> {
    ensure_client(tx, request.client)?;
    let mut values = Vec::from(request_values(request)?);
    values.push(Value::Text(timestamp::format(&now())));
    tx.execute(
        "INSERT INTO requests (client_id, organisation, template, nation, sent, received,
            id_received, fee_received, pauses, due, extended, extension_reason, status, notes,
            created, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
        rusqlite::params_from_iter(values),
    )?;
    Ok(RequestId(tx.last_insert_rowid()))
}

/// A request's columns from `client_id` to `notes`, in table order, with the
/// due date worked out: what inserting and updating both write.
fn request_values(request: &RequestDetails) -> Result<[Value; 14], StoreError> {
    let text = |value: Option<String>| value.map_or(Value::Null, Value::Text);
    Ok([
        Value::Integer(request.client.0),
        Value::Text(request.organisation.clone()),
        Value::Text(request.template.clone()),
        Value::Text(request.clock.nation.id().to_string()),
        text(date_text(request.clock.sent)),
        text(date_text(request.clock.received)),
        text(date_text(request.clock.id_received)),
        text(date_text(request.clock.fee_received)),
        Value::Text(records::pauses_to_json(request)?),
        text(date_text(due_date(request)?)),
        Value::Integer(i64::from(request.clock.extended)),
        text(request.extension_reason.clone()),
        Value::Text(request.status.id().to_string()),
        Value::Text(request.notes.clone()),
    ])
}

fn insert_letter(tx: &Transaction<'_>, letter: &LetterDetails) -> Result<LetterId, StoreError> {
    ensure_client(tx, letter.client)?;
    if let Some(request) = letter.request
        && ensure_request(tx, request)? != letter.client
    {
        return Err(StoreError::RequestOfAnotherClient {
            request,
            client: letter.client,
        });
    }
    tx.execute(
        "INSERT INTO letters (client_id, request_id, template, rendered_text, created, dated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            letter.client.0,
            letter.request.map(|id| id.0),
            letter.template,
            letter.rendered_text,
            timestamp::format(&now()),
            date_text(letter.dated),
        ],
    )?;
    Ok(LetterId(tx.last_insert_rowid()))
}

// ----- rows to records -----

const CLIENT_COLUMNS: &str = "SELECT id, display_name, details_toml, created, updated FROM clients";

const REQUEST_COLUMNS: &str = "SELECT id, client_id, organisation, template, nation, sent, \
     received, id_received, fee_received, pauses, due, extended, extension_reason, status, \
     notes, created, updated FROM requests";

const REQUEST_COLUMNS_QUALIFIED: &str = "SELECT requests.id, requests.client_id, \
     requests.organisation, requests.template, requests.nation, requests.sent, \
     requests.received, requests.id_received, requests.fee_received, requests.pauses, \
     requests.due, requests.extended, requests.extension_reason, requests.status, \
     requests.notes, requests.created, requests.updated";

/// The query behind [`Store::requests_due_by`] for `statuses` statuses: the
/// date is parameter 1 and the status ids follow it (none: every status).
/// The rows come in no set order.
fn due_query(statuses: usize) -> String {
    let mut sql = format!(
        "{REQUEST_COLUMNS_QUALIFIED}
         FROM requests
         WHERE (requests.due <= ?1 OR requests.due IS NULL)"
    );
    if statuses > 0 {
        let placeholders: Vec<String> = (2..statuses + 2).map(|n| format!("?{n}")).collect();
        sql.push_str(&format!(
            " AND requests.status IN ({})",
            placeholders.join(", ")
        ));
    }
    sql
}

const REPLY_COLUMNS: &str = "SELECT id, request_id, received, purposes, categories, \
     recipients, retention, source, automated_decisions, rights_information, copy, \
     exemption_cited, exemption_rights, notes, created, complaint_right, \
     transfer_safeguards FROM replies";

const LETTER_COLUMNS: &str =
    "SELECT id, client_id, request_id, template, rendered_text, created, dated FROM letters";

/// Letters without their text: enough for a request's standing (which complaints
/// went, and on what day).
const LETTER_DATES: &str = "SELECT id, client_id, request_id, template, '', created, dated \
     FROM letters WHERE request_id IS NOT NULL";

const ADVICE_COLUMNS: &str =
    "SELECT id, client_id, guide_id, outcome_id, summary, date, created FROM advice_records";

fn client_from_row(row: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client {
        id: ClientId(row.get(0)?),
        display_name: row.get(1)?,
        details_toml: row.get(2)?,
        created: timestamp_column(row, 3)?,
        updated: timestamp_column(row, 4)?,
    })
}

fn request_from_row(row: &Row<'_>) -> rusqlite::Result<Request> {
    let (pauses, paused_since) = parsed_column(row, 9, records::pauses_from_json)?;
    Ok(Request {
        id: RequestId(row.get(0)?),
        details: RequestDetails {
            client: ClientId(row.get(1)?),
            organisation: row.get(2)?,
            template: row.get(3)?,
            clock: Clock {
                nation: parsed_column(row, 4, parse_nation)?,
                sent: date_column(row, 5)?,
                received: date_column(row, 6)?,
                id_received: date_column(row, 7)?,
                fee_received: date_column(row, 8)?,
                pauses,
                paused_since,
                extended: row.get(11)?,
            },
            extension_reason: row.get(12)?,
            status: parsed_column(row, 13, parse_status)?,
            notes: row.get(14)?,
        },
        due: date_column(row, 10)?,
        created: timestamp_column(row, 15)?,
        updated: timestamp_column(row, 16)?,
    })
}

fn reply_from_row(row: &Row<'_>) -> rusqlite::Result<Reply> {
    Ok(Reply {
        id: ReplyId(row.get(0)?),
        details: ReplyDetails {
            request: RequestId(row.get(1)?),
            received: required_date_column(row, 2)?,
            checklist: Article15Checklist {
                purposes: row.get(3)?,
                categories: row.get(4)?,
                recipients: row.get(5)?,
                retention: row.get(6)?,
                source: row.get(7)?,
                automated_decisions: row.get(8)?,
                rights_information: row.get(9)?,
                complaint_right: row.get(15)?,
                transfer_safeguards: row.get(16)?,
                copy: row.get(10)?,
            },
            exemption_cited: row.get(11)?,
            exemption_rights: parsed_column(row, 12, |text| serde_json::from_str(text))?,
            notes: row.get(13)?,
        },
        created: timestamp_column(row, 14)?,
    })
}

fn letter_from_row(row: &Row<'_>) -> rusqlite::Result<Letter> {
    Ok(Letter {
        id: LetterId(row.get(0)?),
        details: LetterDetails {
            client: ClientId(row.get(1)?),
            request: row.get::<_, Option<i64>>(2)?.map(RequestId),
            template: row.get(3)?,
            rendered_text: row.get(4)?,
            dated: date_column(row, 6)?,
        },
        created: timestamp_column(row, 5)?,
    })
}

fn advice_from_row(row: &Row<'_>) -> rusqlite::Result<Advice> {
    Ok(Advice {
        id: AdviceId(row.get(0)?),
        details: AdviceDetails {
            client: ClientId(row.get(1)?),
            guide: row.get(2)?,
            outcome: row.get(3)?,
            summary: row.get(4)?,
            date: required_date_column(row, 5)?,
        },
        created: timestamp_column(row, 6)?,
    })
}

fn date_text(date: Option<NaiveDate>) -> Option<String> {
    date.map(|date| date.format(ISO_FORMAT).to_string())
}

/// A text column borrowed from the row (`None` for NULL), so that columns
/// which are parsed at once are not first copied into a `String`. Errors are
/// those `row.get::<_, Option<String>>` gives.
fn text_column<'row>(row: &'row Row<'_>, index: usize) -> rusqlite::Result<Option<&'row str>> {
    match row.get_ref(index)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).map(Some).map_err(|error| {
            rusqlite::Error::FromSqlConversionFailure(index, Type::Text, error.into())
        }),
        other => Err(column_type_error(row, index, other.data_type())),
    }
}

fn column_type_error(row: &Row<'_>, index: usize, found: Type) -> rusqlite::Error {
    let name = row
        .as_ref()
        .column_name(index)
        .map_or_else(|_| index.to_string(), str::to_string);
    rusqlite::Error::InvalidColumnType(index, name, found)
}

/// A text column parsed into a value; a bad value is a conversion error
/// naming the column, never quoting its text.
fn parsed_column<T, E>(
    row: &Row<'_>,
    index: usize,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> rusqlite::Result<T>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let text = text_column(row, index)?.ok_or_else(|| column_type_error(row, index, Type::Null))?;
    parse(text)
        .map_err(|error| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, error.into()))
}

fn date_column(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<NaiveDate>> {
    text_column(row, index)?
        .map(|text| {
            parse_date(text).map_err(|error| {
                rusqlite::Error::FromSqlConversionFailure(index, Type::Text, error.into())
            })
        })
        .transpose()
}

/// A date written `YYYY-MM-DD`, as the store writes them. The common case is
/// read digit by digit; anything else goes to chrono's parser for
/// [`ISO_FORMAT`], which gives the same date for the common case and
/// is about ten times slower, being driven by the format string.
fn parse_date(text: &str) -> Result<NaiveDate, chrono::ParseError> {
    if let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = text.as_bytes()
        && [y0, y1, y2, y3, m0, m1, d0, d1]
            .iter()
            .all(u8::is_ascii_digit)
    {
        let number = |digits: &[u8]| {
            digits
                .iter()
                .fold(0u32, |value, digit| value * 10 + u32::from(digit - b'0'))
        };
        let year = number(&[y0, y1, y2, y3]);
        if let Ok(year) = i32::try_from(year)
            && let Some(date) = NaiveDate::from_ymd_opt(year, number(&[m0, m1]), number(&[d0, d1]))
        {
            return Ok(date);
        }
    }
    NaiveDate::parse_from_str(text, ISO_FORMAT)
}

/// A status id as the store writes it, else whatever `FromStr` accepts.
fn parse_status(text: &str) -> Result<RequestStatus, UnknownStatus> {
    match RequestStatus::ALL
        .into_iter()
        .find(|status| status.id() == text)
    {
        Some(status) => Ok(status),
        None => text.parse(),
    }
}

/// A nation id as the store writes it, else whatever `FromStr` accepts.
fn parse_nation(text: &str) -> Result<Nation, crate::calendar::holidays::HolidayError> {
    match Nation::ALL.into_iter().find(|nation| nation.id() == text) {
        Some(nation) => Ok(nation),
        None => text.parse(),
    }
}

fn required_date_column(row: &Row<'_>, index: usize) -> rusqlite::Result<NaiveDate> {
    date_column(row, index)?.ok_or(rusqlite::Error::InvalidColumnType(
        index,
        "date".into(),
        Type::Null,
    ))
}

fn timestamp_column(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    parsed_column(row, index, timestamp::parse)
}
