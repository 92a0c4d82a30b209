//! Speed target for casework: open the encrypted store and list the requests due in the
//! next week, with 10,000 requests in it (< 50 ms).

use chrono::{Days, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use sanctuary::casework::holidays::Nation;
use sanctuary::casework::store::{NewClient, RequestDetails, RequestStatus, Store};

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
                client: client.id,
                organisation: "home-office".into(),
                template: "sar-home-office".into(),
                nation: Nation::EnglandWales,
                sent: Some(received),
                received: Some(received),
                id_received: None,
                fee_received: None,
                pauses: Vec::new(),
                paused_since: None,
                extended: false,
                extension_reason: None,
                status: RequestStatus::Sent,
                notes: String::new(),
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

criterion_group!(benches, open_and_list_due);
criterion_main!(benches);
