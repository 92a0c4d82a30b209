//! A team for the tests and benchmarks that need one on a real PostgreSQL: a supervisor and
//! confirmed advisers, each with their own encrypted store, and a sync as the app does it.
//! Each file that needs them says `mod team_common;` (a benchmark with `#[path]`).
#![allow(dead_code)]

use chrono::NaiveDate;
use sanctuary::calendar::deadline::Clock;
use sanctuary::calendar::holidays::Nation;
use sanctuary::casework::store::{ClientId, RequestDetails, RequestStatus, Store};
use sanctuary_team::{Server, membership};
use sanctuary_test_postgres::{Options, TestPostgres};

/// The database the team store lives in.
pub const DATABASE: &str = "team";

pub const NOW: &str = "2026-12-05T10:00:00Z";
pub const PASSPHRASE: &str = "a long passphrase for the team tests";
/// The database owner's password (the supervisor's login); advisers get their own.
pub const OWNER_PASSWORD: &str = "the owner's password for the team tests";

/// A supervisor and `advisers` confirmed advisers, each with their own store in `folder`:
/// `team init`, then for each adviser `team invite`, `team join` and `team confirm` with the
/// fingerprint they read out.
pub fn team(pg: &TestPostgres, folder: &std::path::Path, advisers: usize) -> (Store, Vec<Store>) {
    let mut supervisor = Store::open(&folder.join("supervisor.db"), PASSPHRASE).expect("store");
    membership::init(&mut supervisor, &pg.url(DATABASE), NOW).expect("team init");
    let mut owner = Server::connect(&pg.url(DATABASE)).expect("the owner connects");
    // The address an adviser is given: no login (the invitation carries theirs).
    let address = format!(
        "postgresql://127.0.0.1:{}/{DATABASE}?sslmode=disable",
        pg.port()
    );
    let advisers = (1..=advisers)
        .map(|n| {
            let invitation =
                membership::invite(&mut supervisor, &mut owner, NOW).expect("team invite");
            let mut store =
                Store::open(&folder.join(format!("adviser-{n}.db")), PASSPHRASE).expect("store");
            let joined =
                membership::join(&mut store, &address, &invitation.code, NOW).expect("team join");
            membership::confirm(
                &mut supervisor,
                &mut owner,
                &joined.member_id,
                &joined.fingerprint,
                NOW,
            )
            .expect("team confirm");
            store
        })
        .collect();
    (supervisor, advisers)
}

/// A cluster whose superuser (the database owner, the supervisor's login) needs
/// [`OWNER_PASSWORD`] over TCP, as in production.
pub fn owner_options() -> Options {
    Options {
        password: Some(OWNER_PASSWORD.into()),
        ..Options::default()
    }
}

/// Pushes this store's changes and pulls everyone else's, as the app's sync does.
pub fn sync(store: &mut Store) -> sanctuary_team::sync::SyncReport {
    let membership = store.team_membership().expect("read").expect("in the team");
    let mut server = sanctuary_team::sync::connect(&membership).expect("the member connects");
    sanctuary_team::sync(store, &mut server, NOW).expect("sync")
}

/// A subject access request to the Home Office for `client`, sent on `sent`, with `notes`.
pub fn sent_request(client: ClientId, sent: NaiveDate, notes: &str) -> RequestDetails {
    RequestDetails {
        clock: Clock {
            sent: Some(sent),
            ..Clock::unsent(Nation::EnglandWales)
        },
        status: RequestStatus::Sent,
        notes: notes.into(),
        ..RequestDetails::drafted(
            client,
            "home-office",
            "sar-home-office",
            Nation::EnglandWales,
        )
    }
}
