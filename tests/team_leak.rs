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

use sanctuary_test_postgres::{CanaryScan, Encoding, Hit, LoopbackCapture, Options, TestPostgres};

/// The database the team store lives in.
const DATABASE: &str = "team";

/// Client details no ciphertext, log line, dump or packet may show.
const CANARIES: &[&str] = &[
    // Polish, with the capitals that differ outside ASCII
    "Zofia Wiśniewska-Nowak",
    "WIŚNIEWSKA",
    "Łukasz Brzęczyszczykiewicz",
    "BRZĘCZYSZCZYKIEWICZ",
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
    "Quorvexilla",
    "zandrupothex",
    "Vmerskallow Trindlebeck",
    // details: immigration status, a story, identifiers, a date of birth
    "overstayed visitor visa, asylum claim refused",
    "hid her passport behind the boiler in Luton",
    "no recourse to public funds",
    "Home Office reference Q7720513",
    "born 1987-03-14",
    "07700 900461",
];

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
        ..Options::default()
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
        hits.extend(scan.scan_bytes("loopback capture", packets));
    }
    Some(Evidence {
        hits,
        captured: packets.is_some(),
    })
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
