use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use tempfile::TempDir;

#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;

use super::*;
use crate::calendar::deadline::{Clock, Pause};

const PASSPHRASE: &str = "correct horse battery staple";

/// Details that must never appear in the file in clear.
const SECRET_NAME: &str = "Qureshi-Halloran";
const SECRET_POSTCODE: &str = "ZZ99 4QX";
const SECRET_NHS_NUMBER: &str = "9434765919";

fn fixture_client() -> NewClient {
    NewClient {
        display_name: "Zainab Qureshi-Halloran".into(),
        details_toml: format!(
            r#"name = "Zainab {SECRET_NAME}"
date_of_birth = "1990-04-12"
address = ["Flat 3", "12 Example Road", "Testtown"]
postcode = "{SECRET_POSTCODE}"
nhs_number = "{SECRET_NHS_NUMBER}"
reply_to = "adviser"
"#
        ),
    }
}

fn other_client() -> NewClient {
    NewClient {
        display_name: "Łukasz Żółć-Nguyễn".into(),
        details_toml: "name = \"Łukasz Żółć-Nguyễn\"\n".into(),
    }
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn new_store() -> (TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.sanctuary");
    let store = Store::open(&path, PASSPHRASE).expect("new store");
    (dir, path, store)
}

fn home_office_request(client: ClientId, received: &str) -> RequestDetails {
    let mut details = RequestDetails {
        status: RequestStatus::Sent,
        ..RequestDetails::drafted(
            client,
            "home-office",
            "sar-home-office",
            Nation::EnglandWales,
        )
    };
    details.clock.sent = Some(date(received) - chrono::Days::new(2));
    details.clock.received = Some(date(received));
    details
}

/// Every file in the store's directory (database, log, shared memory), by name.
fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .expect("read dir")
        .map(|entry| {
            let entry = entry.expect("dir entry");
            let bytes = fs::read(entry.path()).expect("read file");
            (entry.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

fn secrets_found(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (name, bytes) in files_in(dir) {
        for secret in [
            SECRET_NAME,
            SECRET_POSTCODE,
            SECRET_NHS_NUMBER,
            "Example Road",
        ] {
            if contains(&bytes, secret) {
                found.push(format!("{secret} in {name}"));
            }
        }
    }
    found
}

/// A client with one of every record kind; returns the client's id.
fn fill_with_every_record_kind(store: &mut Store) -> ClientId {
    let client = store.add_client(&fixture_client()).expect("client").id;
    let mut details = home_office_request(client, "2026-03-02");
    details.clock.id_received = Some(date("2026-03-09"));
    details.clock.pauses = vec![Pause {
        asked: date("2026-03-10"),
        answered: date("2026-03-12"),
    }];
    details.clock.extended = true;
    details.extension_reason = Some("complex: several departments hold records".into());
    details.notes = format!("Client at {SECRET_POSTCODE}; NHS {SECRET_NHS_NUMBER}");
    let request = store.add_request(&details).expect("request").id;
    store
        .add_reply(&ReplyDetails {
            request,
            received: date("2026-05-20"),
            checklist: Article15Checklist {
                purposes: true,
                copy: true,
                ..Article15Checklist::default()
            },
            exemption_cited: true,
            exemption_rights: vec![RestrictedRight::Access, RestrictedRight::Information],
            notes: "Pages 4-9 withheld".into(),
        })
        .expect("reply");
    store
        .add_letter(&LetterDetails {
            client,
            request: Some(request),
            template: "sar-home-office".into(),
            rendered_text: format!("Dear SARU,\nI write for Zainab {SECRET_NAME} ..."),
            dated: None,
        })
        .expect("letter");
    store
        .add_advice(&AdviceDetails {
            client,
            guide: "data-sharing".into(),
            outcome: "sar-home-office".into(),
            summary: format!("Answers: GP at {SECRET_POSTCODE}. Outcome: make a SAR."),
            date: date("2026-03-01"),
        })
        .expect("advice");
    client
}

#[test]
fn a_paused_clock_has_no_due_date_until_the_clarification_arrives() {
    let (_dir, path, mut store) = new_store();
    let client = store.add_client(&fixture_client()).expect("client").id;
    let id = store
        .add_request(&home_office_request(client, "2026-03-02"))
        .expect("request")
        .id;
    let running = store.request(id).expect("request").due;
    assert!(running.is_some());

    let mut details = store.request(id).expect("request").details;
    details.clock.paused_since = Some(date("2026-03-10"));
    store.update_request(id, &details).expect("pause");
    drop(store);
    let mut store = Store::open(&path, PASSPHRASE).expect("reopen");
    let paused = store.request(id).expect("request");
    assert_eq!(paused.details.clock.paused_since, Some(date("2026-03-10")));
    assert!(paused.details.clock.pauses.is_empty());
    assert_eq!(paused.due, None, "no due date while the clock is stopped");

    let mut details = paused.details;
    let asked = details.clock.paused_since.take().expect("open pause");
    details.clock.pauses.push(Pause {
        asked,
        answered: date("2026-03-16"),
    });
    let resumed = store.update_request(id, &details).expect("resume");
    assert_eq!(resumed.details.clock.paused_since, None);
    // Seven days (10 to 16 March) do not count.
    assert_eq!(
        resumed
            .due
            .zip(running)
            .map(|(after, before)| (after - before).num_days() >= 7),
        Some(true),
        "{resumed:?} {running:?}"
    );
}

#[test]
fn every_record_kind_round_trips_through_a_closed_and_reopened_store() {
    let (_dir, path, mut store) = new_store();
    let client = fill_with_every_record_kind(&mut store);
    let before = store.client_record(client).expect("record");
    drop(store);

    let store = Store::open(&path, PASSPHRASE).expect("reopen");
    let after = store.client_record(client).expect("record");
    assert_eq!(before, after);

    assert_eq!(after.client.details_toml, fixture_client().details_toml);
    let request = &after.requests[0];
    assert_eq!(request.details.organisation, "home-office");
    assert_eq!(request.details.clock.pauses.len(), 1);
    assert_eq!(
        request.details.extension_reason.as_deref(),
        Some("complex: several departments hold records")
    );
    // Started on the ID date (9 March), three pause days, then three months.
    let expected = deadline::sar_due_date(&Clock {
        id_received: Some(date("2026-03-09")),
        pauses: request.details.clock.pauses.clone(),
        extended: true,
        ..Clock::new(date("2026-03-02"), Nation::EnglandWales)
    })
    .expect("deadline")
    .due;
    assert_eq!(request.due, Some(expected));
    let reply = &after.replies[0];
    assert_eq!(
        reply.details.checklist.missing(),
        vec![
            Article15Item::Categories,
            Article15Item::Recipients,
            Article15Item::Retention,
            Article15Item::Source,
            Article15Item::AutomatedDecisions,
            Article15Item::RightsInformation,
            Article15Item::ComplaintRight,
            Article15Item::TransferSafeguards,
        ]
    );
    assert_eq!(
        reply.details.exemption_rights,
        vec![RestrictedRight::Access, RestrictedRight::Information]
    );
    assert_eq!(after.letters[0].details.request, Some(request.id));
    assert_eq!(after.advice[0].details.guide, "data-sharing");
    assert_eq!(
        store.schema_version().expect("version"),
        schema::CURRENT_VERSION
    );
}

#[test]
fn updating_a_request_after_an_extension_works_its_due_date_out_again() {
    let (_dir, _path, mut store) = new_store();
    let client = store.add_client(&fixture_client()).expect("client").id;
    let request = store
        .add_request(&home_office_request(client, "2026-03-02"))
        .expect("request");
    assert_eq!(request.due, Some(date("2026-04-02")));

    let mut details = request.details.clone();
    details.clock.extended = true;
    details.extension_reason = Some("many records".into());
    let updated = store.update_request(request.id, &details).expect("update");
    assert_eq!(updated.due, Some(date("2026-06-02")));
    assert_eq!(updated.created, request.created);

    let closed = store
        .set_request_status(request.id, RequestStatus::Closed)
        .expect("status");
    assert_eq!(closed.details.status, RequestStatus::Closed);
}

#[test]
fn a_drafted_request_without_a_date_of_receipt_has_no_due_date() {
    let (_dir, _path, mut store) = new_store();
    let client = store.add_client(&fixture_client()).expect("client").id;
    let drafted = RequestDetails::drafted(client, "dwp", "sar-dwp-hmrc", Nation::Scotland);
    let request = store.add_request(&drafted).expect("request");
    assert_eq!(request.due, None);
    assert_eq!(request.details, drafted);
}

#[test]
fn a_wrong_passphrase_is_a_clear_error_and_changes_no_byte_on_disk() {
    let (dir, path, mut store) = new_store();
    fill_with_every_record_kind(&mut store);
    drop(store);
    let before = files_in(dir.path());

    let error = Store::open(&path, "not the passphrase").expect_err("wrong passphrase");
    assert!(
        matches!(error, StoreError::WrongPassphrase { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("wrong passphrase"));
    assert_eq!(
        files_in(dir.path()),
        before,
        "the wrong passphrase changed the files"
    );

    let store = Store::open(&path, PASSPHRASE).expect("right passphrase still opens");
    assert_eq!(store.clients().expect("clients").len(), 1);
}

/// The file's first 16 bytes: SQLCipher's salt, kept unencrypted.
fn salt_of(path: &Path) -> [u8; SALT_LEN] {
    let bytes = fs::read(path).expect("store file");
    bytes[..SALT_LEN].try_into().expect("16 bytes")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Opens the file with SQLCipher alone, keyed with a raw key and nothing else,
/// so SQLCipher takes the salt from the file, and counts the clients.
fn clients_with_raw_key(path: &Path, key: &[u8]) -> rusqlite::Result<i64> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex(key)))?;
    conn.query_row("SELECT count(*) FROM clients", [], |row| row.get(0))
}

#[test]
fn the_store_is_keyed_with_argon2id_of_the_passphrase_and_the_salt_in_its_first_16_bytes() {
    let (_dir, path, mut store) = new_store();
    store.add_client(&fixture_client()).expect("client");
    let reported: String = store
        .conn
        .query_row("PRAGMA cipher_salt", [], |row| row.get(0))
        .expect("cipher_salt");
    drop(store);

    let salt = salt_of(&path);
    assert_eq!(reported.to_lowercase(), hex(&salt));
    assert_ne!(salt, [0u8; SALT_LEN]);
    let key = derive_key(PASSPHRASE, &salt).expect("key");
    assert_eq!(
        clients_with_raw_key(&path, key.as_slice()).expect("opens"),
        1
    );
    let wrong = derive_key("not the passphrase", &salt).expect("key");
    assert!(clients_with_raw_key(&path, wrong.as_slice()).is_err());

    // Each new store draws its own salt.
    let (_other_dir, other_path, other) = new_store();
    drop(other);
    assert_ne!(salt_of(&other_path), salt);
}

#[test]
fn the_key_statement_is_sqlciphers_raw_key_with_salt_form() {
    let key: [u8; KEY_LEN] = std::array::from_fn(|n| n as u8);
    let salt = [0xa5u8; SALT_LEN];
    let statement = key_statement(&key, &salt);
    assert_eq!(
        statement.as_str(),
        format!(
            "PRAGMA key = \"x'{}{}'\";",
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "a5".repeat(SALT_LEN)
        )
    );
    assert_eq!(statement.len(), statement.capacity());
}

#[test]
fn argon2id_with_the_store_settings_gives_the_same_key_for_the_same_input() {
    let salt = [7u8; SALT_LEN];
    let key = derive_key(PASSPHRASE, &salt).expect("key");
    assert_eq!(*key, *derive_key(PASSPHRASE, &salt).expect("key"));
    assert_ne!(
        *key,
        *derive_key(PASSPHRASE, &[8u8; SALT_LEN]).expect("key")
    );
    assert_ne!(
        *key,
        *derive_key("Correct horse battery staple", &salt).expect("key")
    );
    assert_eq!(
        (
            KDF_PARAMS.m_cost(),
            KDF_PARAMS.t_cost(),
            KDF_PARAMS.p_cost(),
            KDF_PARAMS.output_len()
        ),
        (12 * 1024, 3, 1, Some(32))
    );
}

#[test]
fn an_empty_file_a_device_a_folder_or_a_dangling_link_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.sanctuary");
    fs::write(&empty, b"").expect("empty file");
    fs::set_permissions(&empty, fs::Permissions::from_mode(0o644)).expect("mode");
    let links = tempfile::tempdir().expect("temp dir");
    let dangling = links.path().join("dangling.sanctuary");
    std::os::unix::fs::symlink(links.path().join("nowhere"), &dangling).expect("link");
    let before = files_in(dir.path());
    for (path, why) in [
        (
            empty.as_path(),
            "it is an empty file; delete it to make a new store there",
        ),
        (Path::new("/dev/null"), "it is not a regular file"),
        (dir.path(), "it is a folder"),
        (
            dangling.as_path(),
            "it is a link to a file that does not exist",
        ),
    ] {
        match Store::open(path, PASSPHRASE) {
            Err(StoreError::NotAStore { why: found, .. }) => assert_eq!(found, why, "{path:?}"),
            other => panic!("{path:?} gave {other:?}"),
        }
    }
    assert_eq!(files_in(dir.path()), before);
    let mode = fs::metadata(&empty).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "the empty file keeps its permissions");
    assert!(!links.path().join("nowhere").exists());
}

#[test]
fn a_new_store_is_made_whole_under_a_temporary_name_and_leaves_nothing_else() {
    let (dir, path, mut store) = new_store();
    store.add_client(&fixture_client()).expect("client");
    drop(store);
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["cases.sanctuary".to_string()], "{names:?}");
    let mode = fs::metadata(&path).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_ne!(salt_of(&path), [0u8; SALT_LEN]);
}

/// Processes (here threads, each with its own connection, as two processes would
/// have) creating the same new store at once: one creates it, the others open it;
/// none is told the passphrase is wrong.
#[test]
fn stores_created_at_once_by_several_openers_are_one_store_and_never_a_wrong_passphrase() {
    for _round in 0..5 {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cases.sanctuary");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
        let openers: Vec<_> = (0..4)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let (mut store, opened) =
                        Store::open_or_create(&path, PASSPHRASE).expect("opens");
                    store.add_client(&other_client()).expect("client");
                    opened
                })
            })
            .collect();
        let opened: Vec<Opened> = openers
            .into_iter()
            .map(|t| t.join().expect("thread"))
            .collect();
        assert_eq!(
            opened.iter().filter(|o| **o == Opened::Created).count(),
            1,
            "{opened:?}"
        );
        let store = Store::open(&path, PASSPHRASE).expect("reopens");
        assert_eq!(store.clients().expect("clients").len(), 4);
        drop(store);
        assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1);
    }
}

#[test]
fn ids_are_never_used_again_after_an_erase() {
    let (_dir, path, mut store) = new_store();
    let first = store.add_client(&fixture_client()).expect("client").id;
    let second = store.add_client(&other_client()).expect("client").id;
    let request = store
        .add_request(&home_office_request(second, "2026-10-01"))
        .expect("request")
        .id;
    assert_eq!(
        store.erase_client(second).expect("erase"),
        Erasure::Complete
    );
    drop(store);
    let mut store = Store::open(&path, PASSPHRASE).expect("reopens");
    let third = store.add_client(&other_client()).expect("client").id;
    assert!(
        third.0 > second.0 && second.0 > first.0,
        "{first} {second} {third}"
    );
    let next_request = store
        .add_request(&home_office_request(third, "2026-10-01"))
        .expect("request")
        .id;
    assert!(next_request.0 > request.0, "{request} then {next_request}");
}

#[test]
fn a_file_too_short_to_hold_a_salt_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.sanctuary");
    fs::write(&path, b"not a db").expect("short file");
    let before = files_in(dir.path());
    let error = Store::open(&path, PASSPHRASE).expect_err("short file");
    assert!(
        matches!(error, StoreError::WrongPassphrase { .. }),
        "{error:?}"
    );
    assert_eq!(files_in(dir.path()), before);
}

#[test]
fn an_unencrypted_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plain.sqlite");
    Connection::open(&path)
        .expect("plain database")
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .expect("plain rows");
    let before = files_in(dir.path());
    let error = Store::open(&path, PASSPHRASE).expect_err("plain file");
    assert!(
        matches!(error, StoreError::WrongPassphrase { .. }),
        "{error:?}"
    );
    assert_eq!(files_in(dir.path()), before);
}

#[test]
fn an_empty_passphrase_is_refused_before_any_file_is_made() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.sanctuary");
    assert!(matches!(
        Store::open(&path, ""),
        Err(StoreError::EmptyPassphrase)
    ));
    assert!(!path.exists());
}

#[test]
fn the_store_file_is_created_owner_only() {
    let (dir, path, mut store) = new_store();
    store.add_client(&fixture_client()).expect("client");
    for entry in fs::read_dir(dir.path()).expect("dir") {
        let entry = entry.expect("entry");
        let mode = entry.metadata().expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{:?} has mode {mode:o}", entry.file_name());
    }
    drop(store);
    let mode = fs::metadata(&path).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn the_database_file_holds_none_of_a_fixture_clients_details_in_clear() {
    let (dir, _path, mut store) = new_store();
    fill_with_every_record_kind(&mut store);
    // While open (write-ahead log present) and after closing.
    assert_eq!(secrets_found(dir.path()), Vec::<String>::new());
    drop(store);
    assert_eq!(secrets_found(dir.path()), Vec::<String>::new());
}

#[test]
fn erasing_a_client_removes_every_record_of_them_and_leaves_others() {
    let (dir, path, mut store) = new_store();
    let erased = fill_with_every_record_kind(&mut store);
    let kept = store.add_client(&other_client()).expect("client").id;
    store
        .add_request(&home_office_request(kept, "2026-10-01"))
        .expect("request");

    assert_eq!(
        store.erase_client(erased).expect("erase"),
        Erasure::Complete
    );
    assert!(matches!(
        store.client_record(erased),
        Err(StoreError::ClientNotFound(_))
    ));
    for table in ["requests", "replies", "letters", "advice_records"] {
        let rows: i64 = store
            .conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM {table} WHERE {}",
                    if table == "replies" {
                        "request_id NOT IN (SELECT id FROM requests)"
                    } else {
                        "client_id = 1"
                    }
                ),
                [],
                |row| row.get(0),
            )
            .expect("count");
        assert_eq!(rows, 0, "{table} still holds the erased client's rows");
    }
    assert_eq!(store.client_record(kept).expect("kept").requests.len(), 1);
    assert!(matches!(
        store.erase_client(erased),
        Err(StoreError::ClientNotFound(_))
    ));
    drop(store);
    assert_eq!(secrets_found(dir.path()), Vec::<String>::new());
    let store = Store::open(&path, PASSPHRASE).expect("reopen");
    assert_eq!(store.clients().expect("clients").len(), 1);
}

/// The bytes search above cannot see through the encryption, so this runs the
/// same erase on a store opened without a key: the client's details are in
/// the file before, and nowhere in it or its log after.
#[test]
fn erasing_a_client_leaves_nothing_of_them_even_beneath_the_encryption() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plain-for-test.sqlite");
    let mut store = Store::open_keyed(&path, None).expect("unencrypted store").0;
    let erased = fill_with_every_record_kind(&mut store);
    store.add_client(&other_client()).expect("client");
    store
        .conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    assert!(
        !secrets_found(dir.path()).is_empty(),
        "the control failed: the plain store should show the details"
    );

    assert_eq!(
        store.erase_client(erased).expect("erase"),
        Erasure::Complete
    );
    assert_eq!(secrets_found(dir.path()), Vec::<String>::new());
    drop(store);
    assert_eq!(secrets_found(dir.path()), Vec::<String>::new());
    assert!(contains(&fs::read(&path).expect("file"), "Nguyễn"));
}

/// An erase while another program reads the store (a backup, the app in another
/// window): it waits for the reader rather than leave the old pages behind, and when the
/// reader never lets go it says so instead of "erased". Beneath the encryption, every
/// page of the file and its log is searched for the name, address, postcode and Home
/// Office reference.
#[test]
fn an_erase_while_another_connection_reads_is_complete_or_says_it_is_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plain-for-test.sqlite");
    let mut store = Store::open_keyed(&path, None).expect("unencrypted store").0;
    let reference = "H7777777";
    let erased = store
        .add_client(&NewClient {
            display_name: "Zainab Qureshi-Halloran".into(),
            details_toml: format!(
                "{}home_office_ref = \"{reference}\"\n",
                fixture_client().details_toml
            ),
        })
        .expect("client")
        .id;
    let kept = store.add_client(&other_client()).expect("client").id;
    let reading = |path: &Path| {
        let reader = Connection::open(path).expect("second connection");
        reader.execute_batch("BEGIN").expect("begin");
        let _: i64 = reader
            .query_row("SELECT count(*) FROM clients", [], |row| row.get(0))
            .expect("read");
        reader
    };
    let found = |dir: &Path| {
        let mut found = secrets_found(dir);
        found.extend(
            files_in(dir)
                .into_iter()
                .filter(|(_, bytes)| contains(bytes, reference))
                .map(|(name, _)| format!("{reference} in {name}")),
        );
        found
    };
    assert!(!found(dir.path()).is_empty(), "the control failed");

    // A reader that lets go after a moment: the erase waits for it and is complete.
    let reader = reading(&path);
    let letting_go = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(700));
        drop(reader);
    });
    assert_eq!(
        store.erase_client(erased).expect("erase"),
        Erasure::Complete
    );
    letting_go.join().expect("reader");
    assert_eq!(found(dir.path()), Vec::<String>::new());

    // A reader that holds on: the delete is done, and the erase says it is not complete.
    let again = store.add_client(&fixture_client()).expect("client").id;
    store
        .conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    let reader = reading(&path);
    let tx = store.begin().expect("write lock");
    tx.tx
        .execute("DELETE FROM clients WHERE id = ?1", [again.0])
        .expect("delete");
    tx.commit().expect("commit");
    assert_eq!(
        store.overwrite_what_was_deleted(Duration::from_millis(300)),
        Erasure::OldCopyRemains
    );
    assert!(!found(dir.path()).is_empty(), "the old copy is still there");
    drop(reader);
    drop(store);
    assert_eq!(found(dir.path()), Vec::<String>::new());
    let store = Store::open_keyed(&path, None).expect("reopen").0;
    assert_eq!(store.clients().expect("clients")[0].id, kept);
}

/// A writer held up beyond SQLite's busy timeout keeps trying; one held up for good is
/// told the store is in use, in words, with nothing changed.
#[test]
fn a_writer_waits_past_the_busy_timeout_and_names_a_store_that_is_stuck() {
    let (_dir, path, mut holder) = new_store();
    let mut other = Store::open(&path, PASSPHRASE).expect("second store");
    let (locked, wait_for_lock) = std::sync::mpsc::channel();
    let (release, wait_for_release) = std::sync::mpsc::channel::<()>();
    let holding = std::thread::spawn(move || {
        let held = holder.begin().expect("write lock");
        locked.send(()).expect("tell");
        let _ = wait_for_release.recv();
        std::thread::sleep(BUSY_TIMEOUT + Duration::from_millis(1500));
        drop(held);
    });
    wait_for_lock.recv().expect("locked");
    match other.begin_waiting(Duration::from_millis(100)) {
        Err(error @ StoreError::Busy { .. }) => {
            assert!(error.to_string().contains("in use by another program"))
        }
        Err(error) => panic!("{error:?}"),
        Ok(_) => panic!("the store is held, yet the write began"),
    }
    release.send(()).expect("release");
    // Past SQLite's own timeout: still waiting, then the write goes through.
    other
        .add_client(&other_client())
        .expect("the write waits for the lock");
    holding.join().expect("holder");
}

#[test]
fn a_store_made_by_schema_version_1_opens_with_its_data_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.sanctuary");
    {
        let mut conn = open_connection(&path, Some(PASSPHRASE)).expect("v1 connection");
        schema::migrate_to(&mut conn, 1).expect("migration 1");
        assert_eq!(schema::version(&conn).expect("version"), 1);
        conn.execute_batch(
            "INSERT INTO clients VALUES (1, 'Amal Haddad', 'name = \"Amal Haddad\"',
                 '2025-01-02T10:00:00Z', '2025-01-02T10:00:00Z');
             INSERT INTO requests (id, client_id, organisation, template, sent, received,
                 due, status, notes, created, updated)
             VALUES (7, 1, 'home-office', 'sar-home-office', '2025-01-03', '2025-01-06',
                 '2025-02-06', 'part-answered', 'v1 note', '2025-01-02T10:00:00Z',
                 '2025-01-02T10:00:00Z');
             INSERT INTO replies VALUES (3, 7, '2025-02-01', 1, 1, 0, 0, 0, 0, 0, 1, 1,
                 '[\"access\"]', '', '2025-02-01T09:00:00Z');
             INSERT INTO letters VALUES (4, 1, 7, 'chaser', 'Dear SARU', '2025-02-02T09:00:00Z');
             INSERT INTO advice_records VALUES (5, 1, 'data-sharing', 'sar-home-office',
                 'summary', '2025-01-02', '2025-01-02T10:00:00Z');",
        )
        .expect("v1 rows");
    }

    let store = Store::open(&path, PASSPHRASE).expect("current code opens v1");
    assert_eq!(
        store.schema_version().expect("version"),
        schema::CURRENT_VERSION
    );
    let record = store.client_record(ClientId(1)).expect("record");
    assert_eq!(record.client.display_name, "Amal Haddad");
    let request = &record.requests[0];
    assert_eq!(request.id, RequestId(7));
    assert_eq!(request.details.clock.nation, Nation::EnglandWales);
    assert_eq!(request.details.status, RequestStatus::PartAnswered);
    assert_eq!(request.due, Some(date("2025-02-06")));
    assert_eq!(
        record.replies[0].details.exemption_rights,
        vec![RestrictedRight::Access]
    );
    // Items added after the reply was recorded read as received, so no letter
    // says the reply left out what the adviser was never asked about.
    let checklist = record.replies[0].details.checklist;
    assert!(checklist.complaint_right && checklist.transfer_safeguards);
    assert!(!checklist.recipients && checklist.copy);
    assert_eq!(record.letters[0].details.rendered_text, "Dear SARU");
    assert_eq!(record.advice[0].details.date, date("2025-01-02"));
    let due = store.requests_due_by(date("2025-03-01"), &[]).expect("due");
    assert_eq!(due.len(), 1);
}

/// A store of schema version 3 (ids that SQLite could hand out again) is rebuilt with
/// AUTOINCREMENT: every row kept with its id, the indexes back, and an id erased
/// after the upgrade never used again.
#[test]
fn a_version_3_store_is_upgraded_to_ids_never_reused_with_its_data_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.sanctuary");
    {
        let mut conn = open_connection(&path, Some(PASSPHRASE)).expect("v3 connection");
        schema::migrate_to(&mut conn, 3).expect("migrations 1 to 3");
        conn.execute_batch(
            "INSERT INTO clients VALUES (1, 'Amal Haddad', 'name = \"Amal Haddad\"',
                 '2025-01-02T10:00:00Z', '2025-01-02T10:00:00Z');
             INSERT INTO clients VALUES (9, 'Bo Li', 'name = \"Bo Li\"',
                 '2025-01-02T10:00:00Z', '2025-01-02T10:00:00Z');
             INSERT INTO requests (id, client_id, organisation, template, sent, received,
                 due, status, notes, created, updated, nation)
             VALUES (7, 9, 'home-office', 'sar-home-office', '2025-01-03', '2025-01-06',
                 '2025-02-06', 'part-answered', 'v3 note', '2025-01-02T10:00:00Z',
                 '2025-01-02T10:00:00Z', 'scotland');
             INSERT INTO replies VALUES (3, 7, '2025-02-01', 1, 1, 0, 0, 0, 0, 0, 1, 1,
                 '[\"access\"]', 'reply note', '2025-02-01T09:00:00Z');
             INSERT INTO letters VALUES (4, 9, 7, 'chaser', 'Dear SARU', '2025-02-02T09:00:00Z');
             INSERT INTO advice_records VALUES (5, 1, 'data-sharing', 'sar-home-office',
                 'summary', '2025-01-02', '2025-01-02T10:00:00Z');",
        )
        .expect("v3 rows");
    }

    let mut store = Store::open(&path, PASSPHRASE).expect("current code opens v3");
    assert_eq!(
        store.schema_version().expect("version"),
        schema::CURRENT_VERSION
    );
    let record = store.client_record(ClientId(9)).expect("record");
    assert_eq!(record.client.display_name, "Bo Li");
    assert_eq!(record.requests[0].id, RequestId(7));
    assert_eq!(record.requests[0].details.clock.nation, Nation::Scotland);
    assert_eq!(record.requests[0].details.notes, "v3 note");
    assert_eq!(record.replies[0].id, ReplyId(3));
    assert_eq!(record.replies[0].details.notes, "reply note");
    assert_eq!(record.letters[0].id, LetterId(4));
    let advice = store.client_record(ClientId(1)).expect("record").advice;
    assert_eq!(advice[0].id, AdviceId(5));
    let schema: Vec<String> = store
        .conn
        .prepare(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE 'team_%'",
        )
        .expect("schema")
        .query_map([], |row| row.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("sql");
    assert_eq!(schema.len(), 6, "{schema:?}");
    assert!(
        schema
            .iter()
            .filter(|sql| !sql.contains("CREATE TABLE meta"))
            .all(|sql| sql.contains("AUTOINCREMENT")),
        "{schema:?}"
    );
    let indexes: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
             AND tbl_name NOT LIKE 'team_%'",
            [],
            |row| row.get(0),
        )
        .expect("indexes");
    assert_eq!(indexes, 8, "seven, and migration 6's status index");
    let on: bool = store
        .conn
        .pragma_query_value(None, "foreign_keys", |row| row.get(0))
        .expect("pragma");
    assert!(on, "the foreign keys are on again after the upgrade");

    assert_eq!(
        store.erase_client(ClientId(9)).expect("erase"),
        Erasure::Complete
    );
    let next = store.add_client(&other_client()).expect("client").id;
    assert_eq!(next, ClientId(10), "the erased id 9 is not used again");
    let request = store
        .add_request(&home_office_request(next, "2026-10-01"))
        .expect("request")
        .id;
    assert_eq!(request, RequestId(8));
}

#[test]
fn a_store_from_a_newer_sanctuary_is_refused_untouched() {
    let (dir, path, store) = new_store();
    store
        .conn
        .pragma_update(None, "user_version", 99)
        .expect("bump version");
    drop(store);
    let before = files_in(dir.path());
    let error = Store::open(&path, PASSPHRASE).expect_err("newer schema");
    assert!(
        matches!(error, StoreError::NewerSchema { found: 99, .. }),
        "{error:?}"
    );
    assert_eq!(files_in(dir.path()), before);
}

#[test]
fn client_details_that_are_not_toml_are_refused_without_quoting_them() {
    let (_dir, _path, mut store) = new_store();
    let error = store
        .add_client(&NewClient {
            display_name: "Test".into(),
            details_toml: format!("name = \"Test\"\npostcode = {SECRET_POSTCODE}\n"),
        })
        .expect_err("bad toml");
    assert!(
        matches!(error, StoreError::ClientDetails { line: 2, .. }),
        "{error:?}"
    );
    assert!(!error.to_string().contains(SECRET_POSTCODE), "{error}");
    assert!(matches!(
        store.add_client(&NewClient {
            display_name: "  ".into(),
            details_toml: String::new()
        }),
        Err(StoreError::EmptyName)
    ));
}

#[test]
fn searching_clients_by_name_ignores_case_in_any_script() {
    let (_dir, _path, mut store) = new_store();
    store.add_client(&fixture_client()).expect("client");
    store.add_client(&other_client()).expect("client");
    let names = |query: &str| -> Vec<String> {
        store
            .search_clients(query)
            .expect("search")
            .into_iter()
            .map(|client| client.display_name)
            .collect()
    };
    assert_eq!(names("żÓŁć"), vec!["Łukasz Żółć-Nguyễn"]);
    assert_eq!(names("qureshi"), vec!["Zainab Qureshi-Halloran"]);
    assert_eq!(names("").len(), 2);
    assert!(names("nobody").is_empty());
}

#[test]
fn a_letter_about_another_clients_request_is_refused() {
    let (_dir, _path, mut store) = new_store();
    let first = store.add_client(&fixture_client()).expect("client").id;
    let second = store.add_client(&other_client()).expect("client").id;
    let request = store
        .add_request(&home_office_request(first, "2026-10-01"))
        .expect("request")
        .id;
    let error = store
        .add_letter(&LetterDetails {
            client: second,
            request: Some(request),
            template: "chaser".into(),
            rendered_text: "text".into(),
            dated: None,
        })
        .expect_err("mismatch");
    assert!(matches!(error, StoreError::RequestOfAnotherClient { .. }));
    assert!(matches!(
        store.add_request(&home_office_request(ClientId(99), "2026-10-01")),
        Err(StoreError::ClientNotFound(ClientId(99)))
    ));
}

#[test]
fn requests_due_by_a_date_come_soonest_first_with_their_status() {
    let (_dir, _path, mut store) = new_store();
    let client = store.add_client(&other_client()).expect("client").id;
    let mut closed = home_office_request(client, "2026-10-05");
    closed.status = RequestStatus::Closed;
    let ids = store
        .add_requests(&[
            home_office_request(client, "2026-10-20"),
            home_office_request(client, "2026-10-01"),
            closed,
            home_office_request(client, "2026-12-01"),
            RequestDetails::drafted(client, "dwp", "sar-dwp-hmrc", Nation::EnglandWales),
        ])
        .expect("requests");

    let due = store
        .requests_due_by(date("2026-11-30"), &RequestStatus::AWAITING_REPLY)
        .expect("due");
    let listed: Vec<_> = due.iter().map(|due| due.request.id).collect();
    assert_eq!(listed, vec![ids[1], ids[0]]);
    assert_eq!(due[0].request.due, Some(date("2026-11-02")));
    // The drafted request has no date: listed with every status, first.
    assert_eq!(due[0].request.details.status, RequestStatus::Sent);
    assert_eq!(due[0].client_name, "Łukasz Żółć-Nguyễn");

    let every_status = store.requests_due_by(date("2026-11-30"), &[]).expect("due");
    assert_eq!(every_status.len(), 4);
    assert_eq!(every_status[0].request.id, ids[4]);
}

#[test]
fn requests_due_by_lists_exactly_the_chosen_statuses_by_due_date_then_id() {
    let (_dir, _path, mut store) = new_store();
    let first = store.add_client(&fixture_client()).expect("client").id;
    let second = store.add_client(&other_client()).expect("client").id;
    // Every status on each of three receipt dates, clients alternating, so
    // several requests share a due date and ids interleave with dates.
    let mut details = Vec::new();
    for received in [
        "2026-10-20",
        "2026-10-01",
        "2026-10-20",
        "2026-12-15",
        "2026-10-01",
    ] {
        for status in RequestStatus::ALL {
            let client = if details.len() % 2 == 0 {
                first
            } else {
                second
            };
            details.push(RequestDetails {
                status,
                ..home_office_request(client, received)
            });
        }
    }
    details.push(RequestDetails::drafted(
        first,
        "dwp",
        "sar-dwp-hmrc",
        Nation::EnglandWales,
    ));
    store.add_requests(&details).expect("requests");

    let by = date("2026-11-30");
    let every: Vec<Request> = (1..=details.len() as i64)
        .map(|id| store.request(RequestId(id)).expect("request"))
        .collect();
    let mut sets: Vec<Vec<RequestStatus>> = vec![
        RequestStatus::AWAITING_REPLY.to_vec(),
        RequestStatus::ALL.to_vec(),
        Vec::new(),
        vec![RequestStatus::Closed],
        vec![
            RequestStatus::Overdue,
            RequestStatus::Drafted,
            RequestStatus::Overdue,
        ],
    ];
    sets.extend(RequestStatus::ALL.map(|status| vec![status]));
    for statuses in sets {
        let mut expected: Vec<&Request> = every
            .iter()
            // Undated requests are never left off.
            .filter(|request| request.due.is_none_or(|due| due <= by))
            .filter(|request| statuses.is_empty() || statuses.contains(&request.details.status))
            .collect();
        expected.sort_by_key(|request| (request.due, request.id));
        let listed = store.requests_due_by(by, &statuses).expect("due");
        assert_eq!(
            listed.iter().map(|due| &due.request).collect::<Vec<_>>(),
            expected,
            "{statuses:?}"
        );
        for due in &listed {
            let name = store.client(due.request.details.client).expect("client");
            assert_eq!(due.client_name, name.display_name);
        }
    }
    assert_eq!(
        store
            .requests_due_by(by, &RequestStatus::AWAITING_REPLY)
            .expect("due")
            .len(),
        4 * 4
    );
}

#[test]
fn exemption_statistics_count_replies_citing_it_by_organisation() {
    let (_dir, _path, mut store) = new_store();
    let client = store.add_client(&other_client()).expect("client").id;
    let mut police = home_office_request(client, "2026-09-01");
    police.organisation = "police-force".into();
    let ids = store
        .add_requests(&[
            home_office_request(client, "2026-09-01"),
            home_office_request(client, "2026-09-02"),
            police,
        ])
        .expect("requests");
    for (request, cited) in [
        (ids[0], true),
        (ids[0], false),
        (ids[1], true),
        (ids[2], false),
    ] {
        store
            .add_reply(&ReplyDetails {
                request,
                received: date("2026-10-01"),
                checklist: Article15Checklist::complete(),
                exemption_cited: cited,
                exemption_rights: Vec::new(),
                notes: String::new(),
            })
            .expect("reply");
    }
    assert_eq!(
        store.exemption_stats().expect("stats"),
        vec![
            ExemptionStats {
                organisation: "home-office".into(),
                requests: 2,
                replies: 3,
                replies_citing_exemption: 2,
            },
            ExemptionStats {
                organisation: "police-force".into(),
                requests: 1,
                replies: 1,
                replies_citing_exemption: 0,
            },
        ]
    );
}

#[test]
fn export_holds_the_whole_client_record_as_json() {
    let (_dir, _path, mut store) = new_store();
    let client = fill_with_every_record_kind(&mut store);
    let export = store.export_client(client).expect("export");
    assert_eq!(export["format"], "sanctuary-client-record");
    assert_eq!(export["client"]["display_name"], "Zainab Qureshi-Halloran");
    assert_eq!(export["requests"][0]["received"], "2026-03-02");
    assert_eq!(export["requests"][0]["status"], "sent");
    assert_eq!(export["replies"][0]["checklist"]["copy"], true);
    assert_eq!(export["replies"][0]["exemption_rights"][0], "access");
    assert_eq!(export["letters"].as_array().map(Vec::len), Some(1));
    assert_eq!(export["advice"][0]["date"], "2026-03-01");
    let record: ClientRecord = serde_json::from_value(export).expect("reads back");
    assert_eq!(record, store.client_record(client).expect("record"));
}

#[test]
fn the_due_dashboard_uses_the_status_and_due_date_index_on_ten_thousand_requests() {
    let (_dir, path, mut store) = new_store();
    let client = store.add_client(&other_client()).expect("client").id;
    let start = date("2026-01-01");
    let requests: Vec<_> = (0..10_000u64)
        .map(|n| {
            let received = start + chrono::Days::new(n % 365);
            home_office_request(client, &received.format("%Y-%m-%d").to_string())
        })
        .collect();
    store.add_requests(&requests).expect("requests");

    let plan: Vec<String> = store
        .conn
        .prepare(&format!(
            "EXPLAIN QUERY PLAN {}",
            due_query(RequestStatus::AWAITING_REPLY.len())
        ))
        .expect("plan")
        .query_map(
            rusqlite::params_from_iter(
                std::iter::once("2026-02-01")
                    .chain(RequestStatus::AWAITING_REPLY.map(RequestStatus::id)),
            ),
            |row| row.get(3),
        )
        .expect("plan rows")
        .collect::<Result<_, _>>()
        .expect("plan text");
    assert!(
        plan.iter()
            .any(|step| step.contains("requests_by_status") && step.contains("status=?")),
        "{plan:?}"
    );
    assert!(
        !plan.iter().any(|step| step.contains("TEMP B-TREE")),
        "{plan:?}"
    );

    drop(store);
    let started = Instant::now();
    let store = Store::open(&path, PASSPHRASE).expect("reopen");
    let opened = started.elapsed();
    let due = store
        .requests_due_by(date("2026-02-08"), &RequestStatus::AWAITING_REPLY)
        .expect("due");
    let elapsed = started.elapsed();
    eprintln!(
        "open: {opened:?}; open + requests_due_by: {} of 10,000 in {elapsed:?}",
        due.len()
    );
    assert!(!due.is_empty() && due.len() < 10_000);
    assert!(
        due.windows(2)
            .all(|pair| pair[0].request.due <= pair[1].request.due)
    );
}

const CRASH_HELPER_ENV: &str = "SANCTUARY_STORE_CRASH_HELPER";
const CRASH_HELPER_TEST: &str =
    "casework::store::tests::crash_helper_writes_in_transactions_until_killed";

/// Not a test on its own: when the crash test runs this binary again with
/// `SANCTUARY_STORE_CRASH_HELPER` set to a store path, it writes a request and
/// a large letter about it in each transaction, forever, printing the count of
/// committed transactions.
#[test]
fn crash_helper_writes_in_transactions_until_killed() {
    let Some(path) = std::env::var_os(CRASH_HELPER_ENV) else {
        return;
    };
    let mut store = Store::open(Path::new(&path), PASSPHRASE).expect("helper store");
    let client = store.add_client(&other_client()).expect("client").id;
    let text = "x".repeat(256 * 1024);
    for committed in 1.. {
        let tx = store.conn.transaction().expect("transaction");
        let request =
            insert_request(&tx, &home_office_request(client, "2026-10-01")).expect("request");
        insert_letter(
            &tx,
            &LetterDetails {
                client,
                request: Some(request),
                template: "sar-home-office".into(),
                rendered_text: text.clone(),
                dated: None,
            },
        )
        .expect("letter");
        tx.commit().expect("commit");
        println!("committed {committed}");
    }
}

#[test]
fn a_store_killed_with_sigkill_mid_write_reopens_with_its_last_committed_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.sanctuary");
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            CRASH_HELPER_TEST,
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CRASH_HELPER_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("helper process");
    let stdout = child.stdout.take().expect("helper stdout");
    let mut last_seen = 0u64;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("helper line");
        if let Some(count) = line.strip_prefix("committed ") {
            last_seen = count.parse().expect("count");
            if last_seen >= 40 {
                break;
            }
        }
    }
    // On Unix `kill` sends SIGKILL: no destructors, no clean close.
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    assert!(last_seen >= 40, "the helper stopped early at {last_seen}");

    let store = Store::open(&path, PASSPHRASE).expect("store opens after the kill");
    let check: String = store
        .conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity check");
    assert_eq!(check, "ok");
    let count = |table: &str| -> u64 {
        store
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .expect("count")
    };
    let (requests, letters) = (count("requests"), count("letters"));
    assert_eq!(requests, letters, "a transaction was half applied");
    assert!(
        requests >= last_seen,
        "lost committed transactions: {requests} < {last_seen}"
    );
}

/// A store as the first sanctuary wrote it: keyed by SQLCipher's own passphrase
/// derivation, in WAL mode, with one client.
fn first_format_store(path: &Path) {
    let mut conn = Connection::open(path).expect("open");
    conn.pragma_update(None, "key", PASSPHRASE).expect("key");
    let _: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .expect("wal");
    schema::migrate_to(&mut conn, 2).expect("schema");
    conn.execute(
        "INSERT INTO clients (display_name, details_toml, created, updated)
         VALUES ('Zainab Qureshi-Halloran', 'name = \"Zainab\"', '2026-01-01T00:00:00Z',
                 '2026-01-01T00:00:00Z')",
        [],
    )
    .expect("client");
}

#[test]
fn a_store_keyed_the_first_way_is_rekeyed_to_argon2id_and_keeps_its_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.sanctuary");
    first_format_store(&path);
    let salt_before = std::fs::read(&path).expect("read")[..SALT_LEN].to_vec();

    // A wrong passphrase changes nothing, in either format.
    let bytes_before = std::fs::read(&path).expect("read");
    assert!(matches!(
        Store::open(&path, "not the passphrase"),
        Err(StoreError::WrongPassphrase { .. })
    ));
    assert_eq!(std::fs::read(&path).expect("read"), bytes_before);

    let store = Store::open(&path, PASSPHRASE).expect("the first format opens");
    let clients = store.clients().expect("clients");
    assert_eq!(clients.len(), 1);
    assert_eq!(clients[0].display_name, "Zainab Qureshi-Halloran");
    assert_eq!(
        store.schema_version().expect("version"),
        schema::CURRENT_VERSION
    );
    drop(store);

    assert_eq!(
        std::fs::read(&path).expect("read")[..SALT_LEN],
        salt_before[..],
        "re-keying keeps the salt the new key is derived from"
    );
    // The old derivation no longer opens it; the new one does, at once.
    let old = Connection::open(&path).expect("open");
    old.pragma_update(None, "key", PASSPHRASE).expect("key");
    let _ = old.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()));
    assert!(
        old.query_row("SELECT count(*) FROM sqlite_master", [], |row| row
            .get::<_, i64>(0))
            .is_err()
    );
    drop(old);
    let store = Store::open(&path, PASSPHRASE).expect("reopens");
    assert_eq!(store.clients().expect("clients").len(), 1);
}

/// Code review bug 2 (pre-upgrade rows): a request recorded with only the date it
/// was sent kept `due = NULL` for good, off every due list. Migration 6 records
/// the rules version, and opening a store whose dates were worked out by older
/// rules works every due date out again.
#[test]
fn a_version_5_store_has_every_due_date_worked_out_again_by_the_current_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.sanctuary");
    {
        let mut conn = open_connection(&path, Some(PASSPHRASE)).expect("v5 connection");
        schema::migrate_to(&mut conn, 5).expect("migrations 1 to 5");
        conn.execute_batch(
            "INSERT INTO clients VALUES (1, 'Amal Haddad', 'name = \"Amal Haddad\"',
                 '2025-01-02T10:00:00Z', '2025-01-02T10:00:00Z');
             INSERT INTO requests (id, client_id, organisation, template, sent, due, status,
                 created, updated, nation)
             VALUES (1, 1, 'home-office', 'sar-home-office', '2026-07-01', NULL, 'sent',
                 '2026-07-01T10:00:00Z', '2026-07-01T10:00:00Z', 'england-wales');
             INSERT INTO requests (id, client_id, organisation, template, sent, received,
                 due, status, created, updated, nation)
             VALUES (2, 1, 'home-office', 'sar-home-office', '2026-07-01', '2026-07-03',
                 '2099-01-01', 'sent', '2026-07-01T10:00:00Z', '2026-07-01T10:00:00Z',
                 'england-wales');",
        )
        .expect("v5 rows");
    }
    let store = Store::open(&path, PASSPHRASE).expect("current code opens v5");
    assert_eq!(
        store.rules_version().expect("rules"),
        crate::calendar::RULES_VERSION
    );
    // Sent Wednesday 1 July: taken to arrive Friday 3 July, due Monday 3 August.
    assert_eq!(
        store.request(RequestId(1)).expect("request").due,
        Some(date("2026-08-03"))
    );
    // A stored date worked out by other rules is replaced, not trusted.
    assert_eq!(
        store.request(RequestId(2)).expect("request").due,
        Some(date("2026-08-03"))
    );
    let listed = store
        .requests_due_by(date("2026-08-03"), &RequestStatus::AWAITING_REPLY)
        .expect("due");
    assert_eq!(listed.len(), 2);
}
