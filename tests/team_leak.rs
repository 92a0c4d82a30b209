//! The team store's server never sees a client: canaries (names in several scripts, with and
//! without diacritics, in capitals and lower case, nonsense words no other source could hold,
//! and case details) go into a throwaway PostgreSQL with `log_statement=all`; then, after a
//! `CHECKPOINT`, a `pg_dump` and a clean stop, every file of the data folder (`base/`,
//! `pg_wal/`, all of it), the server log, the dump and a loopback capture are scanned for
//! every canary as UTF-8, UTF-16LE and hex.
//!
//! The control stores the same canaries in clear, and the same scan must find every one in
//! every place: without it, a scan that finds nothing would prove nothing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use sanctuary::casework::store::{AdviceDetails, NewClient, Store};
use sanctuary_test_postgres::{CanaryScan, Encoding, Hit, LoopbackCapture, Options, TestPostgres};

mod team_common;

use team_common::{DATABASE, owner_options, sent_request, sync, team};

/// Client details no ciphertext, log line, dump or packet may show. Each is somewhere in
/// [`CLIENTS`] word for word (a test checks), so the control and the team store hold the same.
const CANARIES: &[&str] = &[
    // Polish, with the capitals that differ outside ASCII, and the folded forms
    "Zofia Wiśniewska-Nowak",
    "WIŚNIEWSKA",
    "Wisniewska-Nowak",
    "Łukasz Brzęczyszczykiewicz",
    "BRZĘCZYSZCZYKIEWICZ",
    "Brzeczyszczykiewicz",
    // Vietnamese
    "Nguyễn Thị Minh Khai",
    "NGUYỄN THỊ",
    // Arabic
    "فاطمة الزهراء",
    "عبد الرحمن بن يوسف",
    // Ge'ez (Tigrinya)
    "ለተብርሃን ሃብተማርያም",
    "ገብረመድህን",
    // nonsense words, so a hit cannot come from anywhere else
    "Vmerskallow Trindlebeck",
    "Quorvexilla",
    "zandrupothex",
    // details: immigration status, a story, identifiers, dates
    "overstayed visitor visa, asylum claim refused",
    "hid her passport behind the boiler in Luton",
    "no recourse to public funds",
    "Q7720513",
    "07700 900461",
    "1987-03-14",
    "2019-10-13",
];

/// A made-up client, as an adviser records them.
struct CanaryClient {
    name: &'static str,
    other_names: &'static [&'static str],
    /// Further lines of the client's details (TOML).
    details: &'static str,
    /// The summary of an advice record and the notes of a request.
    story: &'static str,
}

/// The day every client's request was sent.
const SENT: &str = "2019-10-13";
/// A detail one adviser adds after the first sync (an update, not only inserts).
const LATER_DETAIL: &str = "phone = \"07700 900461\"\n";

/// Two clients for each of three advisers.
const CLIENTS: [[CanaryClient; 2]; 3] = [
    [
        CanaryClient {
            name: "Zofia Wiśniewska-Nowak",
            other_names: &["ZOFIA WIŚNIEWSKA", "Zofia Wisniewska-Nowak"],
            details: "date_of_birth = \"1987-03-14\"\n",
            story: "overstayed visitor visa, asylum claim refused",
        },
        CanaryClient {
            name: "Łukasz Brzęczyszczykiewicz",
            other_names: &["ŁUKASZ BRZĘCZYSZCZYKIEWICZ", "Lukasz Brzeczyszczykiewicz"],
            details: "nationality = \"Polish\"\n",
            story: "works nights at a warehouse",
        },
    ],
    [
        CanaryClient {
            name: "Nguyễn Thị Minh Khai",
            other_names: &["NGUYỄN THỊ MINH KHAI"],
            details: "home_office_ref = \"Q7720513\"\n",
            story: "came to ask about a GP letter",
        },
        CanaryClient {
            name: "فاطمة الزهراء",
            other_names: &["عبد الرحمن بن يوسف"],
            details: "",
            story: "hid her passport behind the boiler in Luton",
        },
    ],
    [
        CanaryClient {
            name: "ለተብርሃን ሃብተማርያም",
            other_names: &["ገብረመድህን"],
            details: "",
            story: "asked about reporting abuse safely",
        },
        CanaryClient {
            name: "Vmerskallow Trindlebeck",
            other_names: &["Quorvexilla", "zandrupothex"],
            details: "",
            story: "no recourse to public funds",
        },
    ],
];

impl CanaryClient {
    fn details_toml(&self) -> String {
        let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
        let others: Vec<String> = self.other_names.iter().map(|name| quoted(name)).collect();
        format!(
            "name = {}\nother_names = [{}]\n{}",
            quoted(self.name),
            others.join(", "),
            self.details
        )
    }
}

/// Where a canary was found, named for the report: the data folder's `base/`, `pg_wal/` and
/// `global/` (any other file of it by its own name), `server log`, `pg_dump` and
/// `loopback capture`.
fn place_group(hit: &Hit) -> String {
    let Some(in_data) = hit.place.strip_prefix(DATA_PREFIX) else {
        return hit.place.clone();
    };
    match in_data.split('/').next() {
        Some(top @ ("base" | "pg_wal" | "global")) => format!("{top}/"),
        _ => hit.place.clone(),
    }
}

/// How the places in the data folder are named.
const DATA_PREFIX: &str = "data folder: ";

/// What the scan found, and whether the capture was taken.
struct Evidence {
    hits: Vec<Hit>,
    captured: bool,
    /// Each place scanned and how many bytes it held.
    scanned: Vec<(&'static str, u64)>,
}

impl Evidence {
    /// For each canary, the places (see [`place_group`]) holding it in `encoding`.
    fn places(&self, encoding: Encoding) -> BTreeMap<&str, BTreeSet<String>> {
        let mut places: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for hit in self.hits.iter().filter(|hit| hit.encoding == encoding) {
            places
                .entry(hit.canary.as_str())
                .or_default()
                .insert(place_group(hit));
        }
        places
    }

    /// One line per place: how many of the canaries it holds, in any encoding.
    fn summary(&self) -> String {
        let mut per_place: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for hit in &self.hits {
            per_place
                .entry(place_group(hit))
                .or_default()
                .insert(hit.canary.as_str());
        }
        per_place
            .iter()
            .map(|(place, canaries)| format!("{place}: {}/{}\n", canaries.len(), CANARIES.len()))
            .collect()
    }
}

/// Starts a cluster that logs every statement (and a capture of its port, where tshark is
/// here), lets `store` put the canaries in the database `team` over TCP, then checkpoints,
/// dumps, stops the server and scans everything it left. `None` when there is no PostgreSQL.
fn store_and_scan(test: &str, store: impl FnOnce(&TestPostgres)) -> Option<Evidence> {
    let options = Options {
        log_statements: true,
        ..owner_options()
    };
    let mut pg = TestPostgres::start_with(test, options)?;
    pg.create_database(DATABASE);
    let capture = LoopbackCapture::start(test, pg.port());
    store(&pg);
    pg.psql(DATABASE, "CHECKPOINT");
    let dump = pg.pg_dump(DATABASE);
    let packets = capture.map(LoopbackCapture::finish);
    pg.stop();

    let scan = CanaryScan::new(CANARIES);
    let mut hits = scan
        .scan_tree(&pg.data_dir())
        .expect("the data folder can be read");
    for hit in &mut hits {
        hit.place = format!("{DATA_PREFIX}{}", hit.place);
    }
    let log = std::fs::read(pg.log_path()).expect("the server log");
    assert!(
        String::from_utf8_lossy(&log).contains("statement: CHECKPOINT"),
        "the server log holds every statement"
    );
    hits.extend(scan.scan_bytes("server log", &log));
    hits.extend(scan.scan_bytes("pg_dump", &dump));
    if let Some(packets) = &packets {
        // The logins' SASL exchange names its mechanism in clear: the capture saw the server.
        let scram = CanaryScan::new(&["SCRAM-SHA-256"]);
        assert!(
            !scram.scan_bytes("capture", packets).is_empty(),
            "the capture holds the server's traffic"
        );
        hits.extend(scan.scan_bytes("loopback capture", packets));
    }
    let mut scanned = vec![
        ("data folder", folder_size(&pg.data_dir())),
        ("server log", log.len() as u64),
        ("pg_dump", dump.len() as u64),
    ];
    if let Some(packets) = &packets {
        scanned.push(("loopback capture", packets.len() as u64));
    }
    Some(Evidence {
        hits,
        captured: packets.is_some(),
        scanned,
    })
}

fn folder_size(folder: &std::path::Path) -> u64 {
    std::fs::read_dir(folder)
        .expect("a folder of the data folder")
        .map(|entry| {
            let entry = entry.expect("an entry");
            let kind = entry.file_type().expect("its type");
            if kind.is_dir() {
                folder_size(&entry.path())
            } else {
                entry.metadata().expect("its size").len()
            }
        })
        .sum()
}

/// A SQL string literal (standard_conforming_strings is on).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The control's table: each canary as text, plus one as UTF-16LE bytes and one as the
/// bytes of its UTF-8, both written in the statement as hex (as a client library sends a
/// `bytea` in text form).
fn store_in_clear(pg: &TestPostgres) {
    let mut sql = String::from("CREATE TABLE client_in_clear (name text, raw bytea);\n");
    for canary in CANARIES {
        sql.push_str(&format!(
            "INSERT INTO client_in_clear (name) VALUES ({});\n",
            literal(canary)
        ));
    }
    let utf16: Vec<u8> = CANARIES[0]
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    for raw in [utf16, CANARIES[1].as_bytes().to_vec()] {
        sql.push_str(&format!(
            "INSERT INTO client_in_clear (raw) VALUES ('\\x{}'::bytea);\n",
            hex(&raw)
        ));
    }
    pg.psql(DATABASE, &sql);
}

#[test]
fn team_leak_control_finds_every_canary_stored_in_clear() {
    let Some(evidence) = store_and_scan("team_leak_control", store_in_clear) else {
        return;
    };
    let mut expected: BTreeSet<String> = ["base/", "pg_wal/", "server log", "pg_dump"]
        .map(String::from)
        .into();
    if evidence.captured {
        expected.insert("loopback capture".into());
    }
    println!(
        "the control's canaries, found in clear:\n{}",
        evidence.summary()
    );
    let found = evidence.places(Encoding::Utf8);
    for canary in CANARIES {
        let places = found.get(canary).cloned().unwrap_or_default();
        let missed: Vec<&String> = expected.difference(&places).collect();
        assert!(
            missed.is_empty(),
            "the scan missed {canary:?} (stored in clear) in {missed:?}"
        );
    }
    // The UTF-16LE copy is on disk as raw bytes; the UTF-8 bytea is hex in the log and dump.
    let utf16 = evidence.places(Encoding::Utf16Le);
    assert!(utf16[CANARIES[0]].contains("base/"), "{utf16:?}");
    let as_hex = evidence.places(Encoding::Hex);
    let hex_places = &as_hex[CANARIES[1]];
    assert!(
        hex_places.contains("server log") && hex_places.contains("pg_dump"),
        "{as_hex:?}"
    );
}

fn sent_date() -> NaiveDate {
    SENT.parse().expect("SENT is a date")
}

/// The client, an advice record and a sent request, as an adviser records them offline.
fn record(store: &mut Store, client: &CanaryClient) {
    let added = store
        .add_client(&NewClient {
            display_name: client.name.into(),
            details_toml: client.details_toml(),
        })
        .expect("add client");
    store
        .add_advice(&AdviceDetails {
            client: added.id,
            guide: "right-to-work".into(),
            outcome: "worker".into(),
            summary: client.story.into(),
            date: sent_date(),
        })
        .expect("add advice");
    store
        .add_request(&sent_request(added.id, sent_date(), client.story))
        .expect("add request");
}

fn sorted_names(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .clients()
        .expect("clients")
        .into_iter()
        .map(|client| client.display_name)
        .collect();
    names.sort();
    names
}

/// Three advisers record two clients each offline and sync; one then adds a detail and
/// syncs again; everyone pulls, and every store holds all six clients, the detail too.
fn store_through_the_team(pg: &TestPostgres) {
    let folder = tempfile::tempdir().expect("a folder for the stores");
    let (mut supervisor, mut advisers) = team(pg, folder.path(), 3);
    for (store, clients) in advisers.iter_mut().zip(&CLIENTS) {
        clients.iter().for_each(|client| record(store, client));
        assert_eq!(
            sync(store).pushed,
            6,
            "two clients, two advice records, two requests"
        );
    }
    let later = &mut advisers[1];
    let client = later
        .clients()
        .expect("clients")
        .into_iter()
        .find(|client| client.display_name == CLIENTS[1][1].name)
        .expect("the adviser's own client");
    let details_toml = format!("{}{LATER_DETAIL}", client.details_toml);
    let display_name = client.display_name.clone();
    later
        .update_client(
            client.id,
            &NewClient {
                display_name,
                details_toml,
            },
        )
        .expect("update client");
    sync(later);

    let mut everyone: Vec<String> = CLIENTS
        .iter()
        .flatten()
        .map(|c| c.name.to_string())
        .collect();
    everyone.sort();
    for store in advisers.iter_mut().chain([&mut supervisor]) {
        sync(store);
        assert_eq!(sorted_names(store), everyone);
        let with_detail = store
            .clients()
            .expect("clients")
            .into_iter()
            .filter(|client| client.details_toml.contains(LATER_DETAIL))
            .count();
        assert_eq!(with_detail, 1, "the later detail reached every store");
    }
    assert_eq!(pg.psql(DATABASE, "SELECT count(*) FROM records"), "18");
}

#[test]
fn every_canary_is_in_the_team_corpus_word_for_word() {
    let mut corpus = format!("{SENT}\n{LATER_DETAIL}");
    for client in CLIENTS.iter().flatten() {
        corpus.push_str(&format!(
            "{}\n{}\n{}\n",
            client.name,
            client.details_toml(),
            client.story
        ));
    }
    for canary in CANARIES {
        assert!(
            corpus.contains(canary),
            "{canary:?} is stored by no adviser"
        );
    }
}

#[test]
fn team_leak_no_canary_reaches_the_server() {
    let Some(evidence) = store_and_scan("team_leak", store_through_the_team) else {
        return;
    };
    for (place, bytes) in &evidence.scanned {
        println!("scanned {place}: {bytes} bytes");
    }
    assert!(
        evidence.hits.is_empty(),
        "client details reached the server:\n{}{:#?}",
        evidence.summary(),
        evidence.hits
    );
}
