//! Speed target for casework: open the encrypted store and list the requests due in the
//! next week, with 10,000 requests in it (< 50 ms).

use chrono::{Days, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use sanctuary::calendar::deadline::Clock;
use sanctuary::calendar::holidays::Nation;
use sanctuary::casework::store::{
    KDF_LANES, KDF_MEMORY_KIB, KDF_PASSES, KEY_LEN, NewClient, RequestDetails, RequestStatus,
    SALT_LEN, Store,
};

const PASSPHRASE: &str = "a long passphrase for the benchmark";

fn filled_store(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("cases.db");
    let mut store = Store::open(&path, PASSPHRASE).unwrap();
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let mut requests = Vec::new();
    for c in 0..1000u64 {
        let client = store
            .add_client(&NewClient {
                display_name: format!("Client {c}"),
                details_toml: format!("name = \"Client {c}\"\n"),
            })
            .unwrap();
        for r in 0..10u64 {
            let received = start
                .checked_add_days(Days::new((c * 10 + r) % 330))
                .unwrap();
            requests.push(RequestDetails {
                clock: Clock {
                    sent: Some(received),
                    received: Some(received),
                    ..Clock::unsent(Nation::EnglandWales)
                },
                status: RequestStatus::Sent,
                ..RequestDetails::drafted(
                    client.id,
                    "home-office",
                    "sar-home-office",
                    Nation::EnglandWales,
                )
            });
        }
    }
    store.add_requests(&requests).unwrap();
    path
}

fn open_and_list_due(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = filled_store(dir.path());
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let week = today.checked_add_days(Days::new(7)).unwrap();
    let mut group = c.benchmark_group("case store");
    group.sample_size(20);
    group.bench_function(
        "open and list requests due in the next week (10,000 requests)",
        |b| {
            b.iter(|| {
                let store = Store::open(&path, PASSPHRASE).unwrap();
                store
                    .requests_due_by(week, &RequestStatus::AWAITING_REPLY)
                    .unwrap()
            })
        },
    );
    group.bench_function("open alone (10,000 requests)", |b| {
        b.iter(|| Store::open(&path, PASSPHRASE).unwrap())
    });
    let store = Store::open(&path, PASSPHRASE).unwrap();
    group.bench_function(
        "list requests due in the next week, store already open",
        |b| {
            b.iter(|| {
                store
                    .requests_due_by(week, &RequestStatus::AWAITING_REPLY)
                    .unwrap()
            })
        },
    );
    group.finish();
}

/// The key derivation on its own, with the store's settings: the part of
/// every open that does not depend on the store's size.
fn derive_key(c: &mut Criterion) {
    let params = argon2::Params::new(KDF_MEMORY_KIB, KDF_PASSES, KDF_LANES, Some(KEY_LEN)).unwrap();
    let argon2 = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = [7u8; SALT_LEN];
    let mut group = c.benchmark_group("case store");
    group.sample_size(20);
    group.bench_function("derive the key (Argon2id, 12 MiB, 3 passes)", |b| {
        b.iter(|| {
            let mut key = [0u8; KEY_LEN];
            argon2
                .hash_password_into(PASSPHRASE.as_bytes(), &salt, &mut key)
                .unwrap();
            key
        })
    });
    group.finish();
}

criterion_group!(benches, open_and_list_due, derive_key);
criterion_main!(benches);
