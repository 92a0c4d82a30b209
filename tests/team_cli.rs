//! `sanctuary team ...` driven as a supervisor and an adviser would, each with their own
//! store, against a real (throwaway) PostgreSQL: init, invite, join, confirm with the
//! fingerprint read aloud, sync, and the clear error when the server is away. Skipped in one
//! line where PostgreSQL is missing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sanctuary_test_postgres::{Options, TestPostgres};

const PASSPHRASE: &str = "correct horse battery staple";

struct Person {
    store: PathBuf,
}

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Person {
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env("SANCTUARY_PASSPHRASE", PASSPHRASE)
            .env("NO_COLOR", "1")
            .env_remove("SANCTUARY_TEAM_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sanctuary runs");
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write stdin");
        }
        drop(input);
        let output = child.wait_with_output().expect("sanctuary ends");
        Run {
            ok: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let run = self.run(args, stdin);
        assert!(
            run.ok,
            "sanctuary {args:?} failed:\n{}\n{}",
            run.stdout, run.stderr
        );
        run.stdout
    }
}

/// The text after `label` on the line that has it (trimmed), or the indented line after it.
fn value_after(output: &str, label: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let at = lines
        .iter()
        .position(|line| line.contains(label))
        .unwrap_or_else(|| panic!("no {label:?} in:\n{output}"));
    let rest = lines[at].split(label).nth(1).unwrap_or("").trim();
    if !rest.is_empty() {
        return rest.trim_end_matches('.').to_string();
    }
    lines[at + 1..]
        .iter()
        .map(|line| line.trim())
        .find(|line| !line.is_empty())
        .expect("a value")
        .to_string()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/clients")
        .join(name)
}

#[test]
fn a_supervisor_and_an_adviser_share_a_client_through_the_command_line() {
    let options = Options {
        password: Some("owner-secret".into()),
        ..Options::default()
    };
    let Some(pg) = TestPostgres::start_with("team_cli_share_a_client", options) else {
        return;
    };
    pg.create_database("team");
    let dir = tempfile::tempdir().expect("temp dir");
    let supervisor = Person {
        store: dir.path().join("supervisor.db"),
    };
    let adviser = Person {
        store: dir.path().join("adviser.db"),
    };
    let bare_url = format!("postgresql://127.0.0.1:{}/team?sslmode=disable", pg.port());

    let init = supervisor.ok(&["team", "init", "--server", &pg.url("team")], None);
    assert!(init.contains("SANCTUARY-RECOVERY-"), "{init}");
    let invite = supervisor.ok(&["team", "invite"], None);
    let member = value_after(&invite, "Invited member");
    let code = value_after(&invite, "it is a password):");

    // The code comes on standard input, out of the shell's history.
    let join = adviser.ok(&["team", "join", "--server", &bare_url], Some(&code));
    let fingerprint = value_after(&join, "(in person or by phone):");
    assert_eq!(fingerprint.len(), 24, "{join}");

    // Before confirmation the adviser cannot open anything.
    let early = adviser.run(&["team", "sync"], None);
    assert!(!early.ok);
    assert!(early.stderr.contains("not confirmed"), "{}", early.stderr);

    let wrong = supervisor.run(
        &[
            "team", "confirm", &member, "0000", "1111", "2222", "3333", "4444",
        ],
        None,
    );
    assert!(!wrong.ok);
    assert!(wrong.stderr.contains("does not match"), "{}", wrong.stderr);
    let words: Vec<&str> = fingerprint.split(' ').collect();
    let mut confirm = vec!["team", "confirm", member.as_str()];
    confirm.extend(words);
    supervisor.ok(&confirm, None);

    let added = adviser.ok(
        &[
            "clients",
            "add",
            "--client",
            fixture("lukasz.toml").to_str().expect("utf-8"),
        ],
        None,
    );
    assert!(!added.is_empty());
    let synced = adviser.ok(&["team", "sync"], None);
    assert!(synced.contains("1 change sent"), "{synced}");
    let synced = supervisor.ok(&["team", "sync"], None);
    assert!(synced.contains("1 change received"), "{synced}");
    let listed = supervisor.ok(&["clients", "list"], None);
    assert!(listed.contains("Łukasz Żółć-Nguyễn"), "{listed}");

    let status = supervisor.ok(&["team", "status"], None);
    assert!(
        status.contains(&member) && status.contains("confirmed"),
        "{status}"
    );
    let audit = supervisor.ok(&["team", "audit"], None);
    assert!(
        audit.contains("chain and signatures intact") && !audit.contains("BROKEN"),
        "{audit}"
    );

    // The supervisor's laptop is lost: a new store takes over with the recovery key.
    let recovery = value_after(
        &init,
        "never on a computer). With it the caseload can be opened if the supervisor is gone:",
    );
    let successor = Person {
        store: dir.path().join("successor.db"),
    };
    let recovered = successor.ok(
        &["team", "recover", "--server", &pg.url("team")],
        Some(&recovery),
    );
    assert!(
        recovered.contains("now the team's supervisor"),
        "{recovered}"
    );
    assert!(
        successor
            .ok(&["team", "sync"], None)
            .contains("1 change received")
    );
    assert!(
        successor
            .ok(&["clients", "list"], None)
            .contains("Łukasz Żółć-Nguyễn")
    );

    // The server goes away: a clear error, quickly, and the store still works.
    drop(pg);
    let away = adviser.run(&["team", "sync"], None);
    assert!(!away.ok);
    assert!(
        away.stderr.contains("could not reach the team server"),
        "{}",
        away.stderr
    );
    assert!(adviser.ok(&["clients", "list"], None).contains("Łukasz"));
    let status = adviser.ok(&["team", "status"], None);
    assert!(
        status.contains("could not reach the team server"),
        "{status}"
    );
}
