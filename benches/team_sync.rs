//! The team store's sync against a real PostgreSQL (a throwaway cluster, as in the tests):
//! five advisers with 20,000 requests each (2,000 clients with 10 requests apiece), their
//! first syncs, a new replica's first sync of the whole caseload, an incremental sync of 100
//! changes (target: under 1 s, sent and fetched), and PostgreSQL's disk use afterwards.
//!
//! A whole-process harness rather than criterion: a first sync happens once per replica.
//! Run with `cargo bench --bench team_sync`; `SANCTUARY_BENCH_REQUESTS=2000` makes a quick,
//! smaller run. Without PostgreSQL it says so in one line and measures nothing.

#[path = "../tests/team_common/mod.rs"]
mod team_common;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use sanctuary::casework::store::{NewClient, RequestDetails, RequestId, Store};
use sanctuary_test_postgres::TestPostgres;
use team_common::{DATABASE, owner_options, sent_request, sync, team};

const ADVISERS: usize = 5;
const REQUESTS_PER_CLIENT: usize = 10;
const CHANGES: usize = 100;
const INCREMENTAL_ROUNDS: usize = 5;

/// 20,000, or `SANCTUARY_BENCH_REQUESTS` (at least enough for every round's changes).
fn requests_per_adviser() -> usize {
    std::env::var("SANCTUARY_BENCH_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000)
        .max(CHANGES * INCREMENTAL_ROUNDS)
}

/// Fills an adviser's store offline: clients with ten sent requests each. Returns the ids
/// of the requests.
fn fill(store: &mut Store, adviser: usize, requests: usize) -> Vec<RequestId> {
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).expect("a date");
    let mut ids = Vec::with_capacity(requests);
    for c in 0..requests / REQUESTS_PER_CLIENT {
        let name = format!("Client {adviser}-{c}");
        let client = store
            .add_client(&NewClient {
                details_toml: format!("name = \"{name}\"\n"),
                display_name: name,
            })
            .expect("add client");
        let batch: Vec<RequestDetails> = (0..REQUESTS_PER_CLIENT)
            .map(|r| {
                let sent = start + chrono::Days::new(((c * 10 + r) % 330) as u64);
                sent_request(client.id, sent, "")
            })
            .collect();
        ids.extend(store.add_requests(&batch).expect("add requests"));
    }
    ids
}

fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = work();
    (out, started.elapsed())
}

fn seconds(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}

/// Changes `CHANGES` requests' notes in `store` (offline).
fn change_some(store: &mut Store, ids: &[RequestId], round: usize) {
    for id in ids.iter().skip(round * CHANGES).take(CHANGES) {
        let mut details = store.request(*id).expect("a request").details;
        details.notes = format!("checked again, round {round}");
        store.update_request(*id, &details).expect("update request");
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let Some(pg) = TestPostgres::start_with("team_sync benchmark", owner_options()) else {
        return;
    };
    pg.create_database(DATABASE);
    let folder = tempfile::tempdir().expect("a folder for the stores");
    let requests = requests_per_adviser();
    println!(
        "team sync: {ADVISERS} advisers x {requests} requests ({} clients each)",
        requests / REQUESTS_PER_CLIENT
    );
    let (mut supervisor, mut advisers) = team(&pg, folder.path(), ADVISERS);
    let (ids, filling) = timed(|| {
        advisers
            .iter_mut()
            .enumerate()
            .map(|(n, store)| fill(store, n, requests))
            .collect::<Vec<_>>()
    });
    println!("  filling the five stores offline: {}", seconds(filling));

    for (n, store) in advisers.iter_mut().enumerate() {
        let (report, took) = timed(|| sync(store));
        println!(
            "  first sync, adviser {}: {} (sent {}, fetched {})",
            n + 1,
            seconds(took),
            report.pushed,
            report.pulled
        );
    }
    for store in advisers.iter_mut().take(ADVISERS - 1) {
        sync(store);
    }
    let (report, took) = timed(|| sync(&mut supervisor));
    println!(
        "  a new replica's first sync of the whole caseload: {} (fetched {})",
        seconds(took),
        report.pulled
    );

    let mut sending = Vec::new();
    let mut fetching = Vec::new();
    for round in 0..INCREMENTAL_ROUNDS {
        change_some(&mut advisers[0], &ids[0], round);
        let (sent, took) = timed(|| sync(&mut advisers[0]));
        assert_eq!(sent.pushed, CHANGES, "{sent:?}");
        sending.push(took);
        let (fetched, took) = timed(|| sync(&mut advisers[1]));
        assert_eq!(fetched.pulled, CHANGES, "{fetched:?}");
        fetching.push(took);
    }
    println!(
        "  incremental sync of {CHANGES} changes, median of {INCREMENTAL_ROUNDS} (worst): \
         sending {} ({}), fetching {} ({})",
        seconds(median(sending.clone())),
        seconds(sending.iter().copied().max().unwrap_or_default()),
        seconds(median(fetching.clone())),
        seconds(fetching.iter().copied().max().unwrap_or_default()),
    );

    pg.psql(DATABASE, "VACUUM ANALYZE");
    let sizes = pg.psql(
        DATABASE,
        "SELECT pg_size_pretty(pg_database_size(current_database())), \
         pg_size_pretty(pg_total_relation_size('records')), (SELECT count(*) FROM records)",
    );
    println!("  PostgreSQL after (database | records table with indexes | rows): {sizes}");
    let replica = folder.path().join("supervisor.db");
    let replica_size = std::fs::metadata(&replica).map(|m| m.len()).unwrap_or(0);
    println!(
        "  a full replica (the supervisor's store): {:.1} MB",
        replica_size as f64 / 1e6
    );
}
