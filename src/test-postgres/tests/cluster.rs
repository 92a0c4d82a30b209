//! The throwaway cluster itself: it starts (as nobody when root), answers, keeps its log, asks
//! for a password when made with one, and leaves nothing behind, even when a test panics; with
//! no PostgreSQL a test skips with one line, and fails instead when CI requires PostgreSQL.

use std::net::TcpStream;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::process::Command;

use sanctuary_test_postgres::{Options, TestPostgres};

fn refuses_connections(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_err()
}

#[test]
fn a_cluster_answers_logs_statements_and_is_removed_on_drop() {
    let options = Options {
        log_statements: true,
        ..Options::default()
    };
    let Some(pg) = TestPostgres::start_with("a_cluster_answers_logs_statements", options) else {
        return;
    };
    pg.create_database("team");
    let settings = pg.psql(
        "team",
        "SELECT current_setting('fsync'), current_setting('listen_addresses'), \
         pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'team'",
    );
    assert_eq!(settings, "off|127.0.0.1|UTF8");
    pg.psql("team", "SELECT 'logged-statement-marker'");
    let log = std::fs::read_to_string(pg.log_path()).expect("the server log");
    assert!(log.contains("logged-statement-marker"), "{log}");

    let data = pg.data_dir();
    let folder = data.parent().expect("the cluster's folder").to_path_buf();
    let mode = std::fs::metadata(&folder).expect("the folder").mode() & 0o777;
    assert_eq!(mode, 0o700, "the cluster's folder is owner-only");
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let owner = std::fs::metadata(&data).expect("the data folder").uid();
        assert_eq!(owner, 65534, "as root, the server runs as nobody");
    }
    let port = pg.port();
    drop(pg);
    assert!(!folder.exists(), "{} is removed", folder.display());
    assert!(refuses_connections(port), "the server stopped");
}

#[test]
fn a_panicking_test_leaves_no_cluster_behind() {
    let mut left = None;
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let Some(pg) = TestPostgres::start("a_panicking_test_leaves_no_cluster_behind") else {
            return;
        };
        left = Some((pg.data_dir(), pg.port()));
        panic!("a test fails while its cluster runs");
    }));
    let Some((data, port)) = left else {
        return; // no PostgreSQL here
    };
    assert!(outcome.is_err());
    assert!(!data.exists(), "{} is removed", data.display());
    assert!(refuses_connections(port), "the server stopped");
}

#[test]
fn stop_keeps_the_files_until_drop() {
    let Some(mut pg) = TestPostgres::start("stop_keeps_the_files_until_drop") else {
        return;
    };
    pg.psql(
        "postgres",
        "CREATE TABLE kept (word text); INSERT INTO kept VALUES ('x')",
    );
    pg.stop();
    assert!(refuses_connections(pg.port()), "the server stopped");
    assert!(
        pg.data_dir().join("base").is_dir(),
        "the files are still there"
    );
    let data = pg.data_dir();
    drop(pg);
    assert!(!data.exists());
}

#[test]
fn with_a_password_tcp_needs_it() {
    let options = Options {
        password: Some("correct horse battery".into()),
        ..Options::default()
    };
    let Some(pg) = TestPostgres::start_with("with_a_password_tcp_needs_it", options) else {
        return;
    };
    assert_eq!(pg.psql("postgres", "SELECT 'in'"), "in");
    let hba = pg.psql(
        "postgres",
        "SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host'",
    );
    assert!(hba.lines().all(|method| method == "scram-sha-256"), "{hba}");
    refused_with(
        &pg,
        ("PGPASSWORD", "wrong"),
        "password authentication failed",
    );
}

/// psql over TCP with one more environment variable is refused, saying `why`.
fn refused_with(pg: &TestPostgres, env: (&str, &str), why: &str) {
    let refused = Command::new(pg.bin("psql"))
        .args(["-X", "-h", "127.0.0.1", "-p", &pg.port().to_string()])
        .args(["-U", "sanctuary", "-d", "postgres", "-c", "SELECT 1"])
        .env(env.0, env.1)
        .output()
        .expect("psql runs");
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains(why), "{said}");
}

/// Run in a child process by the test below, with PostgreSQL made to look missing.
#[test]
#[ignore = "run by without_postgres_a_test_skips_in_one_line_but_fails_in_ci"]
fn start_where_postgres_is_missing() {
    assert!(TestPostgres::start("start_where_postgres_is_missing").is_none());
}

fn run_with_postgres_missing(ci: bool, markers: &std::path::Path) -> std::process::Output {
    let mut command = Command::new(std::env::current_exe().expect("this test binary"));
    command
        .args(["--exact", "start_where_postgres_is_missing", "--ignored"])
        .env("SANCTUARY_PG_BIN", "/nonexistent/postgresql/bin")
        .env("SANCTUARY_POSTGRES_MARKERS", markers)
        .env_remove("SANCTUARY_REQUIRE_POSTGRES");
    if ci {
        command.env("CI", "true");
    } else {
        command.env_remove("CI");
    }
    command.output().expect("the test binary runs")
}

#[test]
fn without_postgres_a_test_skips_in_one_line_but_fails_in_ci() {
    let markers = tempfile::tempdir().expect("a temporary folder");
    let skipped = run_with_postgres_missing(false, markers.path());
    let said = String::from_utf8_lossy(&skipped.stderr);
    assert!(skipped.status.success(), "{said}");
    let lines: Vec<&str> = said.lines().filter(|l| l.contains("skipped")).collect();
    assert_eq!(lines.len(), 1, "{said}");
    assert!(
        lines[0].contains("start_where_postgres_is_missing"),
        "{said}"
    );
    assert!(lines[0].contains("SANCTUARY_PG_BIN"), "{said}");

    let failed = run_with_postgres_missing(true, markers.path());
    assert!(
        !failed.status.success(),
        "in CI a missing PostgreSQL fails the test"
    );
    let said = String::from_utf8_lossy(&failed.stdout);
    assert!(said.contains("PostgreSQL is required here"), "{said}");

    let left: Vec<PathBuf> = std::fs::read_dir(markers.path())
        .expect("the marker folder")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    assert!(left.is_empty(), "a skipped test leaves no marker: {left:?}");
}

#[test]
fn with_tls_plain_connections_are_refused_and_the_certificate_verifies() {
    let options = Options {
        tls: true,
        ..Options::default()
    };
    let Some(pg) = TestPostgres::start_with("with_tls_only", options) else {
        return;
    };
    assert!(pg.conninfo("postgres").ends_with("sslmode=require"));
    // psql checks the certificate and the name against root_certificate (verify-full).
    let ssl = pg.psql(
        "postgres",
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    );
    assert_eq!(ssl, "t");
    refused_with(&pg, ("PGSSLMODE", "disable"), "no encryption");
}
