//! The edges of the program, driven through the real binary: what a hostile name does to
//! a terminal, links where a letter is to be written, two writers at once, a closed pipe,
//! a signal to the full-screen app, a weak passphrase, a `--store` path that is not a
//! store, ids after an erase, input too large, and `kill -9` in the middle of writes.

mod common;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, Local};
use sanctuary::calendar::holidays::Nation;
use sanctuary::casework::store::{
    AdviceDetails, LetterDetails, NewClient, RequestDetails, RequestStatus, Store,
};

use common::Terminal;
use common::cli::{Case, on_store, requests_add};

const PASSPHRASE: &str = "correct horse battery staple";

/// A name as an attacker would write it: retitle the window, ring the bell, clear the
/// screen, overwrite the line, forge a new line, a C1 escape, a right-to-left override.
const HOSTILE: &str =
    "Ann\u{1b}]0;owned\u{7}\u{1b}[2J\r\nForged line\u{9b}31m\u{202e}desrever\u{2066}x";

fn sanctuary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sanctuary"));
    command
        .env("NO_COLOR", "1")
        .env_remove("SANCTUARY_PASSPHRASE");
    command
}

/// No byte or character that a terminal would act on: ESC, BEL, CR, other C0 controls
/// but newline and tab, DEL, C1 controls, bidirectional overrides and isolates.
fn assert_safe(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<String> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    assert!(bad.is_empty(), "{what} printed {bad:?}:\n{text}");
}

fn assert_output_safe(output: &Output, what: &str) {
    assert_safe(&output.stdout, &format!("{what} (stdout)"));
    assert_safe(&output.stderr, &format!("{what} (stderr)"));
    assert_ne!(output.status.code(), Some(101), "{what} panicked");
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{what} panicked"
    );
}

impl Case {
    fn store(&self) -> PathBuf {
        self.path("cases.db")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = on_store(&self.store(), PASSPHRASE);
        command.current_dir(self.dir.path()).args(args);
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("sanctuary runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "sanctuary {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write a test file");
        path
    }

    /// A store with one client, added through the binary; returns the client file.
    fn with_client(&self) -> PathBuf {
        self.with_client_named("Nadia Example")
    }

    fn with_client_named(&self, name: &str) -> PathBuf {
        let client = self.write("client.toml", &format!("name = \"{name}\"\n"));
        self.ok(&["clients", "add", "--client", client.to_str().unwrap()]);
        client
    }
}

/// The arguments of `requests add` for a Home Office request by client `client`, then
/// `more` (a date, a note).
fn add_home_office_request<'a>(client: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    requests_add(client, "home-office", "sar-home-office", more)
}

/// A client file with everything a Home Office request letter needs.
fn letter_client() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/clients/olena.toml")
        .to_string_lossy()
        .into_owned()
}

impl Case {}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

// ----- 1. text that leaves the program -----

/// A store made by an earlier sanctuary, before names were checked: the hostile name
/// everywhere a record can hold one.
fn store_with_a_hostile_client(path: &Path) {
    let mut store = Store::open(path, PASSPHRASE).expect("store");
    let details = format!(
        "name = {}\n",
        serde_json::to_string(HOSTILE).expect("a TOML basic string")
    );
    let client = store
        .add_client(&NewClient {
            display_name: HOSTILE.to_string(),
            details_toml: details,
        })
        .expect("client")
        .id;
    let today = Local::now().date_naive();
    let mut request = RequestDetails::drafted(
        client,
        "home-office",
        "sar-home-office",
        Nation::EnglandWales,
    );
    request.clock.sent = Some(today - Days::new(40));
    request.clock.received = Some(today - Days::new(38));
    request.status = RequestStatus::Sent;
    request.notes = HOSTILE.to_string();
    let request = store.add_request(&request).expect("request").id;
    store
        .add_letter(&LetterDetails {
            client,
            request: Some(request),
            template: HOSTILE.to_string(),
            rendered_text: HOSTILE.to_string(),
            dated: None,
        })
        .expect("letter");
    store
        .add_advice(&AdviceDetails {
            client,
            guide: HOSTILE.to_string(),
            outcome: HOSTILE.to_string(),
            summary: HOSTILE.to_string(),
            date: today,
        })
        .expect("advice");
}

#[test]
fn a_hostile_name_in_the_store_reaches_no_terminal_as_control_characters() {
    let case = Case::new();
    store_with_a_hostile_client(&case.store());
    for args in [
        &["clients", "list"][..],
        &["clients", "list", "--search", "Ann"],
        &["clients", "list", "--json"],
        &["clients", "show", "1"],
        &["clients", "show", "1", "--json"],
        &["requests", "list"],
        &["requests", "list", "--json"],
        &["requests", "due", "--within", "60d"],
        &["requests", "due", "--within", "60d", "--json"],
        &["requests", "stats"],
    ] {
        let output = case.run(args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert_output_safe(&output, &format!("{args:?}"));
        let stdout = String::from_utf8_lossy(&output.stdout);
        if args.contains(&"--json") {
            assert!(
                stdout.contains("\\u001b]0;owned") && stdout.contains("\\u202e"),
                "{args:?}: {stdout}"
            );
        } else if args[0] == "clients" || args[1] != "stats" {
            assert!(stdout.contains("Ann<U+001B>]0;owned"), "{args:?}: {stdout}");
        }
    }
    // The JSON still means the same name.
    let json = case.ok(&["clients", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(list[0]["display_name"], HOSTILE);
}

#[test]
fn hostile_text_typed_or_in_a_file_is_refused_naming_the_field_and_never_echoed_raw() {
    let case = Case::new();
    let client = case.with_client();
    let client = client.to_str().unwrap();
    let hostile_file = case.write(
        "hostile.toml",
        &format!("name = {}\n", serde_json::to_string(HOSTILE).unwrap()),
    );
    let runs = [
        (
            case.run(&["clients", "add", "--client", hostile_file.to_str().unwrap()]),
            "name holds",
        ),
        (
            case.run(&[
                "letter",
                "sar-home-office",
                "--to",
                "home-office",
                "--client",
                hostile_file.to_str().unwrap(),
                "-o",
                "x.pdf",
            ]),
            "name holds",
        ),
        (
            case.run(&add_home_office_request("1", &["--note", HOSTILE])),
            "the note holds",
        ),
        (
            case.run(&[
                "requests",
                "add",
                "--client",
                "1",
                "--to",
                HOSTILE,
                "--template",
                "sar-home-office",
            ]),
            "there is no organisation called",
        ),
        (
            case.run(&[
                "letter",
                "sar-home-office",
                "--to",
                "home-office",
                "--client",
                client,
                "--to-name",
                HOSTILE,
                "-o",
                "y.pdf",
            ]),
            "--to-name holds",
        ),
        (
            case.run(&["requests", "due", "--within", HOSTILE]),
            "is not a number of days",
        ),
    ];
    for (output, expected) in &runs {
        assert!(!output.status.success());
        assert_output_safe(output, expected);
        assert!(stderr(output).contains(expected), "{}", stderr(output));
    }
    assert_eq!(case.ok(&["clients", "list"]).lines().count(), 1);
    assert!(!case.path("x.pdf").exists() && !case.path("y.pdf").exists());

    // A file name with an escape in it is printed escaped.
    let name = "letter\u{1b}[2J.txt";
    let output = case.run(&[
        "letter",
        "sar-home-office",
        "--to",
        "home-office",
        "--request-type",
        "basic",
        "--client",
        &letter_client(),
        "--format",
        "txt",
        "-o",
        name,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_output_safe(&output, "letter with an escape in its file name");
    assert!(String::from_utf8_lossy(&output.stdout).contains("letter<U+001B>[2J.txt"));
}

#[test]
fn a_guide_with_control_characters_never_reaches_the_terminal_raw() {
    let case = Case::new();
    let guides = case.path("guides");
    std::fs::create_dir(&guides).unwrap();
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-guide/fixture.toml"),
    )
    .unwrap();
    let hostile = fixture
        .replace(
            "title = \"Fixture\"",
            "title = \"Fixture\\u001B]0;owned\\u0007\\u001B[2J\"",
        )
        .replace("text = \"Is it?\"", "text = \"Is it?\\u001B[2J\\r\\u202E\"")
        .replace("label = \"Yes\"", "label = \"Yes\\u009B31m\"");
    std::fs::write(guides.join("fixture.toml"), hostile).unwrap();
    let dir = guides.to_str().unwrap();
    for args in [
        &["--guides-dir", dir, "guides", "list"][..],
        &["--guides-dir", dir, "guides", "sources"],
        &["--guides-dir", dir, "guides", "graph", "fixture"],
        &[
            "--guides-dir",
            dir,
            "guides",
            "graph",
            "fixture",
            "--format",
            "dot",
        ],
        &["guides", "validate", dir],
    ] {
        let output = sanctuary().args(args).output().unwrap();
        assert_output_safe(&output, &format!("{args:?}"));
    }
    let mut plain = sanctuary()
        .args(["--guides-dir", dir, "guide", "run", "fixture", "--plain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    plain.stdin.take().unwrap().write_all(b"1\n\n").unwrap();
    let output = plain.wait_with_output().unwrap();
    assert_output_safe(&output, "guide run --plain");
    let validate = sanctuary()
        .args(["guides", "validate", dir])
        .output()
        .unwrap();
    assert!(
        stderr(&validate).contains("contains a control character"),
        "{}",
        stderr(&validate)
    );
}

// ----- 2. links where a file is to be written -----

#[test]
fn a_link_at_the_target_is_left_untouched_with_or_without_force_and_a_dangling_one_creates_nothing()
{
    let case = Case::new();
    case.with_client();
    let client = letter_client();
    let precious = case.write("precious.txt", "the adviser's own notes\n");
    std::fs::set_permissions(&precious, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = case.path("letter.pdf");
    std::os::unix::fs::symlink(&precious, &link).unwrap();
    let dangling = case.path("dangling.pdf");
    let nowhere = case.path("nowhere.pdf");
    std::os::unix::fs::symlink(&nowhere, &dangling).unwrap();
    let letter = |output: &Path, force: bool| {
        let mut args = vec![
            "letter",
            "sar-home-office",
            "--to",
            "home-office",
            "--request-type",
            "basic",
            "--client",
            &client,
            "-o",
            output.to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        case.run(&args)
    };
    for target in [&link, &dangling] {
        for force in [false, true] {
            let output = letter(target, force);
            assert!(!output.status.success(), "{target:?} force={force}");
            assert!(
                stderr(&output).contains("symbolic link"),
                "{}",
                stderr(&output)
            );
        }
    }
    for (args, target) in [
        (
            vec!["requests", "calendar", "-o", "letter.pdf", "--force"],
            &link,
        ),
        (
            vec!["requests", "calendar", "-o", "dangling.pdf"],
            &dangling,
        ),
        (
            vec!["clients", "export", "1", "-o", "dangling.pdf"],
            &dangling,
        ),
    ] {
        let output = case.run(&args);
        assert!(
            !output.status.success(),
            "{args:?} wrote through {target:?}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&precious).unwrap(),
        "the adviser's own notes\n"
    );
    assert_eq!(
        std::fs::metadata(&precious).unwrap().permissions().mode() & 0o777,
        0o644
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!nowhere.exists(), "the dangling link's target was created");
    let left: Vec<String> = std::fs::read_dir(case.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".tmp") || name.contains(".new-"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

// ----- 3. two writers at once -----

#[test]
fn two_hundred_requests_added_by_two_parallel_writers_all_succeed() {
    let case = Arc::new(Case::new());
    case.with_client();
    // Another program holds the write lock for longer than SQLite's 5 s busy timeout
    // as the writers start: they keep trying, and none gives up.
    let mut holder = Store::open(&case.store(), PASSPHRASE).unwrap();
    let (locked, wait_for_lock) = std::sync::mpsc::channel();
    let holding = std::thread::spawn(move || {
        let held = holder.begin().unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(Duration::from_secs(7));
        drop(held);
    });
    wait_for_lock.recv().unwrap();
    let started = Instant::now();
    let writers: Vec<_> = (0..2)
        .map(|_| {
            let case = case.clone();
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                for _ in 0..100 {
                    let output = case.run(&add_home_office_request("1", &[]));
                    assert!(output.status.success(), "{}", stderr(&output));
                    let id: i64 = String::from_utf8_lossy(&output.stdout)
                        .trim()
                        .parse()
                        .expect("the new id");
                    ids.push(id);
                }
                ids
            })
        })
        .collect();
    let mut ids: Vec<i64> = writers
        .into_iter()
        .flat_map(|w| w.join().expect("writer"))
        .collect();
    holding.join().unwrap();
    eprintln!(
        "2 x 100 parallel `requests add`, the first 7 s held up: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids, (1..=200).collect::<Vec<_>>());
    let list: serde_json::Value =
        serde_json::from_str(&case.ok(&["requests", "list", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 200);
}

// ----- 4. a closed pipe -----

/// Runs with standard output a pipe whose reading end is already closed.
fn run_into_closed_pipe(mut command: Command) -> Output {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let child = command
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("sanctuary runs");
    child.wait_with_output().expect("sanctuary ends")
}

#[test]
fn a_closed_stdout_ends_every_command_quietly_and_never_half_way_through_a_write() {
    let case = Case::new();
    case.with_client();
    case.ok(&add_home_office_request(
        "1",
        &[
            "--sent",
            &(Local::now().date_naive() - Days::new(40)).to_string(),
        ],
    ));
    let commands: &[&[&str]] = &[
        &["guides", "list"],
        &["guides", "sources"],
        &["guides", "graph", "data-sharing"],
        &["guides", "validate"],
        &["letters", "list"],
        &["deadline", "--received", "2026-11-02"],
        &["guide", "run", "data-sharing"],
        &["clients", "list"],
        &["clients", "list", "--json"],
        &["clients", "show", "1"],
        &["requests", "list"],
        &["requests", "due", "--within", "30d"],
        &["requests", "stats"],
        &["--help"],
    ];
    for args in commands {
        let output = run_into_closed_pipe(case.command(args));
        assert_output_safe(&output, &format!("{args:?}"));
        assert!(
            output.status.signal() == Some(13) || output.status.success(),
            "{args:?} ended with {:?}: {}",
            output.status,
            stderr(&output)
        );
    }
    // A write whose output cannot be printed is still saved, once, and succeeds (the
    // saved change is the result: a script must not retry it).
    let output = run_into_closed_pipe(case.command(&[
        "requests",
        "add",
        "--client",
        "1",
        "--to",
        "home-office",
        "--template",
        "sar-home-office",
    ]));
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        stderr(&output)
    );
    let list: serde_json::Value =
        serde_json::from_str(&case.ok(&["requests", "list", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
}

// ----- 5. signals and the full-screen app -----

/// The terminal given back as the app's quick exit does: the alternate screen left,
/// the cursor shown, mouse reporting off, and the screen and scrollback cleared last.
fn assert_restored_and_wiped(raw: &[u8]) {
    let text = String::from_utf8_lossy(raw);
    let last = |needle: &str| text.rfind(needle);
    let left = last("\x1b[?1049l").expect("the alternate screen was left");
    assert!(
        left > last("\x1b[?1049h").expect("entered"),
        "left, then entered again"
    );
    assert!(last("\x1b[?25h").is_some(), "the cursor is shown");
    assert!(
        last("\x1b[?1000l") > last("\x1b[?1000h"),
        "mouse reporting is off"
    );
    assert!(
        last("\x1b[3J") > Some(left),
        "the scrollback is wiped after leaving"
    );
}

#[test]
fn sigterm_to_the_app_clears_the_clients_name_and_restores_the_terminal() {
    let case = Case::new();
    let client = case.write("olena.toml", "name = \"Olena Kovalenko\"\n");
    case.ok(&["clients", "add", "--client", client.to_str().unwrap()]);
    let store = case.store();
    let mut t = Terminal::start_with_env(
        &["--store", store.to_str().unwrap()],
        &[("SANCTUARY_PASSPHRASE", PASSPHRASE)],
    );
    t.wait_for("Decision");
    t.send("\x1bOR"); // F3: casework
    t.wait_for("No request is waiting");
    t.send("\t");
    t.wait_for("Olena Kovalenko");
    t.signal(libc::SIGTERM);
    assert_eq!(t.wait_exit_code(), 128 + 15);
    assert_restored_and_wiped(&t.raw());
    let screen = t.screen();
    assert!(
        !screen.contains("Olena"),
        "the name is left on screen:\n{screen}"
    );
    assert!(
        screen.trim().is_empty(),
        "the screen is not clear:\n{screen}"
    );
}

#[test]
fn sighup_sigint_and_sigquit_end_the_app_as_a_quick_exit_does() {
    for signal in [libc::SIGHUP, libc::SIGINT, libc::SIGQUIT] {
        let mut t = Terminal::start(&["guide", "run", "data-sharing"]);
        t.wait_for("(step 1)");
        t.signal(signal);
        assert_eq!(t.wait_exit_code(), 128 + signal as u32, "signal {signal}");
        assert_restored_and_wiped(&t.raw());
        assert!(
            t.screen().trim().is_empty(),
            "signal {signal}:\n{}",
            t.screen()
        );
    }
}

#[test]
fn the_app_without_a_terminal_is_a_clear_error_not_a_panic() {
    let output = sanctuary()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("needs a terminal"),
        "{}",
        stderr(&output)
    );
    assert_output_safe(&output, "the app with no terminal");
}

#[test]
fn the_app_runs_with_core_dumps_off() {
    let mut t = Terminal::start(&["guide", "run", "data-sharing"]);
    t.wait_for("(step 1)");
    let pid = t.child.process_id().unwrap();
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("a core limit");
    let numbers: Vec<&str> = core.split_whitespace().skip(4).take(2).collect();
    assert_eq!(numbers, ["0", "0"], "{core}");
    t.send("\x18");
    t.wait_exit();
}

// ----- 6. secrets -----

#[test]
fn a_weak_passphrase_makes_no_store_and_an_existing_store_opens_with_any() {
    let case = Case::new();
    for weak in ["a", "password1", "sanctuary"] {
        let output = case
            .command(&["clients", "list"])
            .env("SANCTUARY_PASSPHRASE", weak)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{weak}");
        assert!(
            stderr(&output).contains("too easy to guess"),
            "{}",
            stderr(&output)
        );
        assert!(!case.store().exists(), "a store was made with {weak:?}");
    }
    // A store made with a weak passphrase elsewhere (an earlier sanctuary) still opens.
    drop(Store::open(&case.store(), "a").unwrap());
    let output = case
        .command(&["clients", "list"])
        .env("SANCTUARY_PASSPHRASE", "a")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_new_store_is_announced_with_where_it_is_and_the_help_says_what_the_variable_exposes() {
    let case = Case::new();
    let output = case.run(&["clients", "list"]);
    assert!(output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "Created a new encrypted case store at {}",
            case.store().display()
        )),
        "{message}"
    );
    assert!(!stderr(&case.run(&["clients", "list"])).contains("Created"));
    let help = sanctuary().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("SANCTUARY_PASSPHRASE") && help.contains("/proc"),
        "{help}"
    );
}

// ----- 7. --store paths that are not stores -----

#[test]
fn store_paths_that_are_not_stores_are_refused_and_left_unchanged() {
    let case = Case::new();
    let text = case.write("notes.txt", "my shopping list\n");
    std::fs::set_permissions(&text, std::fs::Permissions::from_mode(0o644)).unwrap();
    let empty = case.write("empty.db", "");
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o664)).unwrap();
    let mistyped = case.path("cases-folder-typo").join("cases.db");
    for (path, expected) in [
        (text.as_path(), "wrong passphrase, or"),
        (empty.as_path(), "it is an empty file"),
        (Path::new("/dev/null"), "it is not a regular file"),
        (case.dir.path(), "it is a folder"),
        (mistyped.as_path(), "there is no folder"),
    ] {
        let output = sanctuary()
            .arg("--store")
            .arg(path)
            .args(["clients", "list"])
            .env("SANCTUARY_PASSPHRASE", PASSPHRASE)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{path:?}");
        assert!(
            stderr(&output).contains(expected),
            "{path:?}: {}",
            stderr(&output)
        );
    }
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "my shopping list\n"
    );
    assert_eq!(
        std::fs::metadata(&text).unwrap().permissions().mode() & 0o777,
        0o644
    );
    assert_eq!(std::fs::read(&empty).unwrap(), b"");
    assert_eq!(
        std::fs::metadata(&empty).unwrap().permissions().mode() & 0o777,
        0o664
    );
    assert!(
        !case.path("cases-folder-typo").exists(),
        "a folder was created"
    );
    let names: Vec<_> = std::fs::read_dir(case.dir.path()).unwrap().collect();
    assert_eq!(names.len(), 2, "nothing else was made");
}

// ----- 8. creating a store twice at once; ids after an erase -----

#[test]
fn processes_creating_one_store_at_once_all_succeed_and_none_hears_wrong_passphrase() {
    for _round in 0..4 {
        let case = Arc::new(Case::new());
        let client = case.write("client.toml", "name = \"Nadia Example\"\n");
        let adders: Vec<_> = (0..3)
            .map(|_| {
                let mut command =
                    case.command(&["clients", "add", "--client", client.to_str().unwrap()]);
                command.stdout(Stdio::piped()).stderr(Stdio::piped());
                command.spawn().unwrap()
            })
            .collect();
        let outputs: Vec<Output> = adders
            .into_iter()
            .map(|child| child.wait_with_output().unwrap())
            .collect();
        for output in &outputs {
            assert!(output.status.success(), "{}", stderr(output));
            assert!(!stderr(output).contains("wrong passphrase"));
        }
        let created = outputs
            .iter()
            .filter(|o| stderr(o).contains("Created a new encrypted case store"))
            .count();
        assert_eq!(created, 1);
        assert_eq!(case.ok(&["clients", "list"]).lines().count(), 3);
    }
}

#[test]
fn an_erased_clients_id_is_never_given_to_another() {
    let case = Case::new();
    let client = case.with_client();
    let client = client.to_str().unwrap();
    assert_eq!(case.ok(&["clients", "add", "--client", client]).trim(), "2");
    case.ok(&add_home_office_request("2", &[]));
    case.ok(&["clients", "erase", "2", "--yes"]);
    assert_eq!(case.ok(&["clients", "add", "--client", client]).trim(), "3");
    let request = case.ok(&add_home_office_request("3", &[]));
    assert_eq!(request.trim(), "2", "request 1 was erased with client 2");
}

// ----- 9. bounded input -----

#[test]
fn input_too_large_is_refused_at_once_naming_the_limit() {
    let case = Case::new();
    let started = Instant::now();
    let output = case.run(&["clients", "add", "--client", "/dev/zero"]);
    let took = started.elapsed();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("larger than 64 KiB"),
        "{}",
        stderr(&output)
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(!case.store().exists(), "nothing was created");
    let output = case.run(&[
        "letter",
        "sar-home-office",
        "--to",
        "home-office",
        "--client",
        "/dev/zero",
        "-o",
        "x.pdf",
    ]);
    assert!(
        stderr(&output).contains("larger than 64 KiB"),
        "{}",
        stderr(&output)
    );

    let long_name = case.write("long.toml", &format!("name = \"{}\"\n", "N".repeat(201)));
    let output = case.run(&["clients", "add", "--client", long_name.to_str().unwrap()]);
    assert!(
        stderr(&output).contains("name is 201 characters long; the limit is 200"),
        "{}",
        stderr(&output)
    );
    let long_line = case.write(
        "address.toml",
        &format!("name = \"A B\"\naddress = [\"{}\"]\n", "a".repeat(250)),
    );
    let output = case.run(&["clients", "add", "--client", long_line.to_str().unwrap()]);
    assert!(
        stderr(&output).contains("address line 1 is 250 characters long"),
        "{}",
        stderr(&output)
    );

    case.with_client();
    let note = "n".repeat(10_001);
    let output = case.run(&add_home_office_request("1", &["--note", &note]));
    assert!(
        stderr(&output).contains("the note is 10001 characters long; the limit is 10000"),
        "{}",
        stderr(&output)
    );
    assert_eq!(case.ok(&["requests", "list"]).trim(), "No requests.");
}

#[test]
fn plain_mode_refuses_a_ten_megabyte_line_and_goes_on() {
    let mut child = sanctuary()
        .args(["guide", "run", "data-sharing", "--plain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let mut line = vec![b'7'; 10 * 1024 * 1024];
        line.push(b'\n');
        stdin.write_all(&line).unwrap();
        stdin.write_all(b"q\n").unwrap();
    });
    let started = Instant::now();
    let output = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("That line was longer than 1024 characters, so it was ignored."),
        "{stdout}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

// ----- 10. dates -----

#[test]
fn impossible_dates_are_refused_once_and_the_calendar_file_holds_only_real_dates() {
    let case = Case::new();
    case.with_client();
    for bad in [
        "0000-01-01",
        "+99999-01-01",
        "1-1-1",
        "31/02/2026",
        "1899-12-31",
    ] {
        let output = case.run(&add_home_office_request("1", &["--sent", bad]));
        assert!(!output.status.success(), "{bad}");
        let message = stderr(&output);
        assert_eq!(message.matches(bad).count(), 1, "{message}");
    }
    let sent = (Local::now().date_naive() - Days::new(10)).to_string();
    case.ok(&add_home_office_request("1", &["--sent", &sent]));
    let output = case.run(&["requests", "reply", "1", "--date", "1900-01-01"]);
    assert!(stderr(&output).contains("before the request was sent"));
    case.ok(&["requests", "calendar", "-o", "due.ics"]);
    let ics = std::fs::read_to_string(case.path("due.ics")).unwrap();
    let dates: Vec<&str> = ics
        .lines()
        .filter_map(|l| l.strip_prefix("DTSTART;VALUE=DATE:"))
        .collect();
    assert_eq!(dates.len(), 1, "{ics}");
    for date in dates {
        let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y%m%d").expect(date);
        assert!((1900..=2100).contains(&chrono::Datelike::year(&date)));
    }
}

// ----- 11. kill -9 in the middle of writes -----

#[test]
fn kill_9_during_writes_loses_no_request_that_was_reported_saved() {
    let case = Case::new();
    case.with_client();
    let mut reported = Vec::new();
    // A fixed spread of delays, so each run kills at the same moments.
    for round in 0..30u64 {
        let mut child = case
            .command(&[
                "requests",
                "add",
                "--client",
                "1",
                "--to",
                "home-office",
                "--template",
                "sar-home-office",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis((round * 37) % 300));
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        if let Ok(id) = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse::<i64>()
        {
            reported.push(id);
        }
    }
    let list: serde_json::Value =
        serde_json::from_str(&case.ok(&["requests", "list", "--json"])).unwrap();
    let stored: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    for id in &reported {
        assert!(
            stored.contains(id),
            "request {id} was reported saved but is lost"
        );
    }
    assert!(stored.len() <= 30);
    eprintln!(
        "kill -9: {} of 30 reported saved, {} stored",
        reported.len(),
        stored.len()
    );
}
