//! The team schema keeps nothing about a client in clear. After a real team has worked (a
//! supervisor and an adviser, a client with advice and a request, syncs, audit entries):
//! every column of every table in the team's database is either on the allow-list below
//! (ids, numbers, flags, roles, public keys, hashes, signatures, the signed roster), with
//! values of that shape only, or `bytea` holding ciphertext that the right key opens and a
//! wrong key does not. A new column fails this test until it is added to one or the other.

mod team_common;

use sanctuary::casework::store::{AdviceDetails, NewClient, Store};
use sanctuary_team::keys::{Binding, MemberKeys, OrgKey, RECOVERY_RECIPIENT};
use sanctuary_team::sync::{self, OrgKeys};
use sanctuary_test_postgres::TestPostgres;
use team_common::{DATABASE, owner_options, team};

/// What an allow-listed column holds in clear, and so what its values may look like.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Clear {
    /// Random hex, a login role made of it (`sanctuary_<hex>`), or `recovery`.
    RandomId,
    /// A member's login role: `sanctuary_<hex>` for an adviser, the database owner's own
    /// login for the supervisor (a member of staff the organisation named, not a client).
    LoginRole,
    Number,
    Flag,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// Public keys, hashes and signatures: bytes that say nothing about a client.
    PublicBytes,
    /// The roster the supervisor signs: member ids, roles and public keys (JSON).
    SignedRoster,
}

/// Every column the server may hold in clear, by table, with what it is.
const ALLOWED_IN_CLEAR: &[(&str, &str, Clear)] = &[
    ("audit", "entry_hash", Clear::PublicBytes),
    ("audit", "epoch", Clear::Number),
    ("audit", "member_id", Clear::RandomId),
    ("audit", "org_id", Clear::RandomId),
    ("audit", "prev_hash", Clear::PublicBytes),
    ("audit", "seq", Clear::Number),
    ("audit", "signature", Clear::PublicBytes),
    ("members", "db_role", Clear::LoginRole),
    ("members", "ed25519_public", Clear::PublicBytes),
    ("members", "id", Clear::RandomId),
    ("members", "org_id", Clear::RandomId),
    ("members", "role", Clear::OneOf(&["supervisor", "adviser"])),
    (
        "members",
        "status",
        Clear::OneOf(&["invited", "accepted", "confirmed", "revoked"]),
    ),
    ("members", "x25519_public", Clear::PublicBytes),
    ("orgs", "epoch", Clear::Number),
    ("orgs", "id", Clear::RandomId),
    ("orgs", "rotation_owed", Clear::Flag),
    ("orgs", "supervisor_key", Clear::PublicBytes),
    ("records", "epoch", Clear::Number),
    ("records", "id", Clear::RandomId),
    ("records", "org_id", Clear::RandomId),
    ("records", "seq", Clear::Number),
    ("records", "tombstone", Clear::Flag),
    ("records", "version", Clear::Number),
    ("rosters", "body", Clear::SignedRoster),
    ("rosters", "org_id", Clear::RandomId),
    ("rosters", "serial", Clear::Number),
    ("rosters", "signature", Clear::PublicBytes),
    ("sanctuary_schema", "version", Clear::Number),
    ("wrapped_keys", "epoch", Clear::Number),
    ("wrapped_keys", "org_id", Clear::RandomId),
    ("wrapped_keys", "recipient", Clear::RandomId),
];

/// The ciphertext columns this test knows how to open; any other non-allow-listed column
/// fails it.
const CIPHERTEXT: &[(&str, &str)] = &[
    ("audit", "event"),
    ("records", "body"),
    ("wrapped_keys", "wrapped"),
];

/// `(table, column, data type)` of every column of every table in the public schema.
fn columns(pg: &TestPostgres) -> Vec<(String, String, String)> {
    let listed = pg.psql(
        DATABASE,
        "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c \
         JOIN information_schema.tables t USING (table_schema, table_name) \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY 1, 2",
    );
    listed
        .lines()
        .map(|line| {
            let parts: Vec<&str> = line.split('|').collect();
            let [table, column, kind] = parts.as_slice() else {
                panic!("unexpected psql line {line:?}");
            };
            (table.to_string(), column.to_string(), kind.to_string())
        })
        .collect()
}

fn is_random_id(value: &str) -> bool {
    let hex = value.strip_prefix("sanctuary_").unwrap_or(value);
    value == RECOVERY_RECIPIENT || (hex.len() >= 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Every value of an allow-listed column has the shape its kind allows.
fn check_clear_values(pg: &TestPostgres, table: &str, column: &str, kind: Clear) {
    let values = pg.psql(
        DATABASE,
        &format!("SELECT DISTINCT {column}::text FROM {table} WHERE {column} IS NOT NULL"),
    );
    for value in values.lines() {
        let fits = match kind {
            Clear::RandomId => is_random_id(value),
            Clear::LoginRole => is_random_id(value) || value == pg.user(),
            Clear::Number => value.parse::<i64>().is_ok(),
            Clear::Flag => value == "true" || value == "false",
            Clear::OneOf(words) => words.contains(&value),
            Clear::PublicBytes => value.starts_with("\\x"),
            Clear::SignedRoster => value.starts_with("\\x7b"), // `{`: JSON
        };
        assert!(
            fits,
            "{table}.{column} holds {value:?}, which is not {kind:?}"
        );
    }
}

/// A supervisor and an adviser; the adviser records a client, advice and a request and
/// syncs, the supervisor syncs too. Returns the adviser's store.
fn a_team_that_has_worked(pg: &TestPostgres, folder: &std::path::Path) -> Store {
    let (mut supervisor, mut advisers) = team(pg, folder, 1);
    let mut adviser = advisers.remove(0);
    let client = adviser
        .add_client(&NewClient {
            display_name: "Amara Okonkwo-Adeyemi".into(),
            details_toml: "name = \"Amara Okonkwo-Adeyemi\"\ndate_of_birth = \"1990-02-03\"\n"
                .into(),
        })
        .expect("add client");
    adviser
        .add_advice(&AdviceDetails {
            client: client.id,
            guide: "right-to-work".into(),
            outcome: "worker".into(),
            summary: "asked about a right to work check".into(),
            date: "2026-12-01".parse().expect("a date"),
        })
        .expect("add advice");
    team_common::sync(&mut adviser);
    team_common::sync(&mut supervisor);
    adviser
}

/// The adviser's keys, and the organisation keys they open, from their store.
fn keys_of(store: &Store) -> (MemberKeys, OrgKeys, sanctuary_team::Server, String, String) {
    let membership = store.team_membership().expect("read").expect("in the team");
    let keys = sync::member_keys(&membership).expect("member keys");
    let mut server = sync::connect(&membership).expect("the member connects");
    let org_keys = sync::org_keys(server.client(), &membership, &keys).expect("org keys");
    (
        keys,
        org_keys,
        server,
        membership.org_id.clone(),
        membership.member_id.clone(),
    )
}

/// Opens every value of one ciphertext column with the right key, and fails to with a wrong
/// one; returns how many values it checked.
fn check_ciphertext(store: &Store, table: &str, column: &str) -> usize {
    let (member_keys, org_keys, mut server, org, me) = keys_of(store);
    let client = server.client();
    match (table, column) {
        ("records", "body") => {
            let rows = client
                .query(
                    "SELECT id, version, epoch, body FROM records WHERE body IS NOT NULL",
                    &[],
                )
                .expect("records");
            for row in &rows {
                let (id, version, epoch): (String, i64, i32) = (row.get(0), row.get(1), row.get(2));
                let body: Vec<u8> = row.get(3);
                let right = org_keys.get(epoch).expect("the epoch's key");
                assert!(sync::open_record(right, &org, &id, version, &body).is_ok());
                let wrong = OrgKey::generate(epoch).expect("a key");
                assert!(sync::open_record(&wrong, &org, &id, version, &body).is_err());
            }
            rows.len()
        }
        ("audit", "event") => {
            let rows = client
                .query("SELECT member_id, epoch, event FROM audit", &[])
                .expect("audit");
            for row in &rows {
                let (member, epoch, event): (String, i32, Vec<u8>) =
                    (row.get(0), row.get(1), row.get(2));
                let binding = Binding {
                    org: &org,
                    table: "audit",
                    column: "event",
                    row: &member,
                    version: 0,
                };
                let right = org_keys.get(epoch).expect("the epoch's key");
                assert!(right.open("audit", &binding, &event).is_ok());
                let wrong = OrgKey::generate(epoch).expect("a key");
                assert!(wrong.open("audit", &binding, &event).is_err());
            }
            rows.len()
        }
        ("wrapped_keys", "wrapped") => {
            let rows = client
                .query("SELECT epoch, recipient, wrapped FROM wrapped_keys", &[])
                .expect("wrapped keys");
            let stranger = MemberKeys::generate().expect("keys");
            for row in &rows {
                let (epoch, recipient, wrapped): (i32, String, Vec<u8>) =
                    (row.get(0), row.get(1), row.get(2));
                if recipient == me {
                    assert!(
                        member_keys
                            .unwrap_org_key(&org, epoch, &recipient, &wrapped)
                            .is_ok()
                    );
                }
                assert!(
                    stranger
                        .unwrap_org_key(&org, epoch, &recipient, &wrapped)
                        .is_err()
                );
            }
            assert!(rows.iter().any(|row| row.get::<_, String>(1) == me));
            rows.len()
        }
        _ => panic!(
            "{table}.{column} is neither allowed in clear nor a ciphertext this test can open: \
             add it to ALLOWED_IN_CLEAR (with why) or CIPHERTEXT (with how to open it)"
        ),
    }
}

#[test]
fn team_schema_every_column_not_allowed_in_clear_is_ciphertext_a_wrong_key_cannot_open() {
    let Some(pg) = TestPostgres::start_with("team_schema", owner_options()) else {
        return;
    };
    pg.create_database(DATABASE);
    let folder = tempfile::tempdir().expect("a folder for the stores");
    let adviser = a_team_that_has_worked(&pg, folder.path());

    let columns = columns(&pg);
    for (table, column, _) in ALLOWED_IN_CLEAR.iter().map(|(t, c, k)| (t, c, k)) {
        assert!(
            columns.iter().any(|(t, c, _)| t == table && c == column),
            "{table}.{column} is allowed in clear but no longer exists: take it off the list"
        );
    }
    let mut opened = Vec::new();
    for (table, column, kind) in &columns {
        let allowed = ALLOWED_IN_CLEAR
            .iter()
            .find(|(t, c, _)| t == table && c == column);
        if let Some((_, _, clear)) = allowed {
            check_clear_values(&pg, table, column, *clear);
            continue;
        }
        assert_eq!(kind, "bytea", "{table}.{column} is {kind}, in clear");
        let checked = check_ciphertext(&adviser, table, column);
        assert!(checked > 0, "{table}.{column} held no value to check");
        opened.push(format!("{table}.{column}: {checked}"));
    }
    let known: Vec<String> = CIPHERTEXT.iter().map(|(t, c)| format!("{t}.{c}")).collect();
    assert_eq!(
        opened.len(),
        known.len(),
        "every ciphertext column was checked: {opened:?}"
    );
    println!("ciphertext values opened by the right key only: {opened:?}");
}
