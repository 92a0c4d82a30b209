//! A request with a clarification pause and a Scottish bank holiday, followed in the app
//! at 80x24 and on the command line over several injected days (`SANCTUARY_TODAY`):
//! the app's dashboard says what `requests due` says, every day.

mod common;

use common::{Terminal, env_refs, home_in};

const PASSPHRASE: &str = "one standing for every screen";

/// Runs the command line on `today` in `dir`; returns its standard output.
fn cli(dir: &std::path::Path, today: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .current_dir(dir)
        .args(["--store", "cases.db"])
        .args(args)
        .env("SANCTUARY_PASSPHRASE", PASSPHRASE)
        .env("SANCTUARY_TODAY", today)
        .env("NO_COLOR", "1")
        .output()
        .expect("sanctuary runs");
    assert!(out.status.success(), "{args:?} on {today}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The app's dashboard on `today`, as the screen shows it.
fn dashboard(dir: &std::path::Path, today: &str, wait_for: &str) -> String {
    let mut env = home_in(dir);
    env.push(("SANCTUARY_PASSPHRASE", PASSPHRASE.to_string()));
    env.push(("SANCTUARY_TODAY", today.to_string()));
    env.push(("NO_COLOR", "1".to_string()));
    let env = env_refs(&env);
    let mut t = Terminal::start_in(Some(dir), &["--store", "cases.db"], &env);
    t.wait_for("Decision");
    t.send("\x1bOR"); // F3: casework
    let screen = t.wait_for(wait_for);
    t.send("\x03");
    t.wait_exit();
    screen
}

#[test]
fn a_paused_request_with_a_scottish_holiday_reads_the_same_in_the_app_and_on_the_command_line() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path();
    let client = format!(
        "{}/tests/fixtures/casework/client.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    cli(path, "2026-06-24", &["clients", "add", "--client", &client]);
    // Received Friday 26 June by a Scottish body; clarification asked 1 July.
    cli(
        path,
        "2026-06-26",
        &[
            "requests",
            "add",
            "--client",
            "1",
            "--to",
            "home-office",
            "--template",
            "sar-home-office",
            "--sent",
            "2026-06-24",
            "--received",
            "2026-06-26",
            "--nation",
            "scotland",
        ],
    );
    cli(
        path,
        "2026-07-01",
        &["requests", "update", "1", "--paused-from", "2026-07-01"],
    );

    // Paused: listed, in words, on both.
    let due = cli(path, "2026-07-05", &["requests", "due"]);
    assert!(due.starts_with("PAUSED"), "{due}");
    let screen = dashboard(path, "2026-07-05", "PAUSED");
    assert!(screen.contains("paused since 1 July 2026"), "{screen}");

    // The answer reached the body on 7 July: seven days do not count. One month
    // from 26 June is 26 July, plus seven is Sunday 2 August; Monday 3 August is
    // Scotland's summer bank holiday, so the reply is due Tuesday 4 August.
    let resumed = cli(
        path,
        "2026-07-08",
        &["requests", "update", "1", "--resumed", "2026-07-07"],
    );
    assert!(resumed.contains("Reply due by 4 August 2026"), "{resumed}");

    for (today, label) in [
        ("2026-08-03", "DUE SOON"),
        ("2026-08-04", "DUE NOW"),
        ("2026-08-05", "OVERDUE"),
    ] {
        let due = cli(path, today, &["requests", "due"]);
        assert!(due.starts_with(label), "{today}: {due}");
        let screen = dashboard(path, today, label);
        assert!(screen.contains("due 4 August 2026"), "{today}: {screen}");
        for other in ["DUE SOON", "DUE NOW", "OVERDUE", "PAUSED"] {
            if other != label {
                assert!(!screen.contains(other), "{today}: {other} in {screen}");
            }
        }
        let chaser = std::process::Command::new(env!("CARGO_BIN_EXE_sanctuary"))
            .current_dir(path)
            .args(["--store", "cases.db", "requests", "chaser", "1"])
            .args(["-o", &format!("chaser-{today}.txt"), "--format", "txt"])
            .env("SANCTUARY_PASSPHRASE", PASSPHRASE)
            .env("SANCTUARY_TODAY", today)
            .output()
            .expect("sanctuary runs");
        assert_eq!(
            chaser.status.success(),
            label == "OVERDUE",
            "{today}: {chaser:?}"
        );
    }
}
