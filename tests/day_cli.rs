//! The command line on an adviser's day: the letter command a plain-mode guide prints
//! runs as printed, once its words in capitals are replaced.

use std::io::Write;
use std::process::{Command, Stdio};

fn sanctuary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sanctuary"))
}

/// The words of a command line as a POSIX shell reads them (plain words and
/// single-quoted ones, which is all the printed commands use).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

/// Every letter command data-sharing's plain mode prints (one per first answer) is run
/// with a client file and a folder in place of CLIENT.toml and LETTER.pdf, and the body's
/// name and address where it asks for them: each writes its PDF (F25).
#[test]
fn the_letter_commands_plain_mode_prints_run_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    let client = format!(
        "{}/tests/fixtures/clients/ioana.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let adviser = format!(
        "{}/tests/fixtures/clients/adviser.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut commands = Vec::new();
    for answer in 1..=9 {
        let mut child = sanctuary()
            .args(["guide", "run", "data-sharing", "--plain"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        write!(child.stdin.take().unwrap(), "\n{answer}\n\n").unwrap();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        for line in text.lines() {
            if let Some(start) = line.find("sanctuary letter ") {
                let command = line[start..].trim_end_matches(')').to_string();
                if !commands.contains(&command) {
                    commands.push(command);
                }
            }
        }
    }
    assert!(
        commands.iter().any(|c| c.contains("sar-home-office")),
        "{commands:#?}"
    );
    for (n, command) in commands.iter().enumerate() {
        let output = dir.path().join(format!("letter-{n}.pdf"));
        let filled = command
            .replace("CLIENT.toml", &client)
            .replace("ADVISER.toml", &adviser)
            .replace("LETTER.pdf", &output.display().to_string())
            .replace("NAME OF THE BODY", "Brook Lane Primary School")
            .replace("FIRST LINE", "1 Brook Lane")
            .replace("'POSTCODE'", "'LU1 3QA'");
        let words = shell_words(&filled);
        assert_eq!(words[0], "sanctuary");
        let run = sanctuary().args(&words[1..]).output().unwrap();
        assert!(
            run.status.success(),
            "{command}\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(std::fs::read(&output).unwrap().starts_with(b"%PDF"));
    }
}

/// `clients show` shows the client's details, not only their records (F26).
#[test]
fn clients_show_shows_the_details() {
    let dir = tempfile::tempdir().unwrap();
    let client = format!(
        "{}/tests/fixtures/clients/olena.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let run = |args: &[&str]| {
        let out = sanctuary()
            .current_dir(dir.path())
            .args(["--store", "cases.db"])
            .args(args)
            .env("SANCTUARY_PASSPHRASE", "a passphrase for the show test")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["clients", "add", "--client", &client]);
    let shown = run(&["clients", "show", "1"]);
    for detail in [
        "date_of_birth: 5 June 1991",
        "address: 41 Larch Close, Coventry",
        "postcode: CV2 4HU",
        "nationality: Ukrainian",
        "home_office_ref: S1112223",
        "reply_to: adviser",
        "adviser: Maya Reid, Safe Haven Advice",
    ] {
        assert!(shown.contains(detail), "{detail}:\n{shown}");
    }
}
