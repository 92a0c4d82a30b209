//! An adviser's day in the app, driven in the real binary at 80x24: the settings set once
//! and used by every letter, a long field read back whole, a client chosen in the letter
//! form and the request recorded, a chained session saved whole, a record opened again,
//! and two-digit numbers in the reply checklist.

mod common;

use common::{Terminal, env_refs, home_in, pdfs_in};

const DOWN: &str = "\x1b[B";
const F2: &str = "\x1bOQ";
const F3: &str = "\x1bOR";
const F4: &str = "\x1bOS";
const CTRL_S: &str = "\x13";
const CTRL_U: &str = "\x15";
const HOME: &str = "\x1b[H";
const END: &str = "\x1b[F";
const PAGE_DOWN: &str = "\x1b[6~";
const RIGHT: &str = "\x1b[C";

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/clients/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn pdf_text(path: &std::path::Path) -> String {
    pdf_extract::extract_text_from_mem(&std::fs::read(path).unwrap()).unwrap()
}

/// Runs the command line on a store in `dir`, as the adviser's colleague would.
fn cli(dir: &std::path::Path, env: &[(&str, &str)], args: &[&str]) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .current_dir(dir)
        .args(["--store", "cases.db"])
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
}

/// Moves a list's highlight down until the row "> {label}" shows.
fn highlight(t: &mut Terminal, label: &str) {
    for _ in 0..60 {
        if t.screen().contains(&format!("> {label}")) {
            return;
        }
        t.send(DOWN);
        std::thread::sleep(std::time::Duration::from_millis(40));
    }
    panic!("no {label}:\n{}", t.screen());
}

/// The adviser's details typed once on the settings screen (F4), with a new letters
/// folder made after "Create this folder?", are kept in the settings file (and nothing
/// about a client), and two letters for two clients are then written with them,
/// without typing them again; each file name starts with the reference prefix.
#[test]
fn settings_saved_once_are_used_by_two_letters() {
    let dir = tempfile::tempdir().unwrap();
    let env = home_in(dir.path());
    let env = env_refs(&env);
    let mut t = Terminal::start_in(Some(dir.path()), &[], &env);
    t.wait_for("F4 setup");
    t.send(F4);
    t.wait_for("Settings: set once");
    t.send(CTRL_U);
    t.send("~/day letters\t");
    t.send("Maya Reid\tSafe Haven Advice\tCaseworker\tPO Box 123, Birmingham\tB1 1AA\t");
    t.send("maya@example.org\t0121 496 0000\tSH");
    t.wait_for("> Reference prefix: SH");
    t.send(CTRL_S);
    t.wait_for("Create this folder?");
    assert!(!dir.path().join("day letters").exists());
    t.send(CTRL_S);
    t.wait_for("every letter is now from Maya Reid");
    t.wait_for("Decision guides");
    let settings =
        std::fs::read_to_string(dir.path().join("config/sanctuary/settings.toml")).unwrap();
    assert!(settings.contains("Maya Reid"), "{settings}");
    assert!(settings.contains("day letters"), "{settings}");

    for client in ["ioana.toml", "alexandros.toml"] {
        t.send(F2);
        t.wait_for("Which body is the letter to?");
        t.send("\r"); // the Home Office
        t.wait_for("To: Home Office");
        t.send(DOWN);
        t.send(&fixture(client));
        t.send("\r");
        t.wait_for("Loaded the client's details.");
        t.wait_for("Ready: Ctrl-s");
        t.send(CTRL_S);
        t.wait_for("Save the client in casework too");
        t.send("1"); // the letters only
        t.wait_for("day letters_");
        t.send("\r");
        t.wait_for("Wrote 2 letters:");
        t.send("\x1b");
        t.wait_for("Leave the letter form?");
        t.send("2");
        t.wait_for("Decision guides");
    }
    t.send("\x1b");
    assert!(t.wait_exit());

    let folder = dir.path().join("day letters");
    let today = chrono::Local::now().date_naive();
    let files = pdfs_in(&folder);
    assert_eq!(
        files,
        [
            format!("SH-authority-home-office-{today}-2.pdf"),
            format!("SH-authority-home-office-{today}.pdf"),
            format!("SH-sar-home-office-{today}-2.pdf"),
            format!("SH-sar-home-office-{today}.pdf"),
        ]
    );
    for file in &files {
        let text = pdf_text(&folder.join(file));
        assert!(text.contains("Maya Reid"), "{file}: {text}");
        if file.contains("-sar-") {
            assert!(text.contains("0121 496 0000"), "{file}: {text}");
        }
    }
    // Alexandros's file names another adviser: the settings are used instead.
    let second = pdf_text(&folder.join(format!("SH-authority-home-office-{today}-2.pdf")));
    assert!(!second.contains("Priya Shah"), "{second}");
    let settings =
        std::fs::read_to_string(dir.path().join("config/sanctuary/settings.toml")).unwrap();
    for client_detail in ["Ioana", "Ștefănescu", "Αλέξανδρος", "LU1 3QT"] {
        assert!(!settings.contains(client_detail), "{settings}");
    }
}

/// A 120-character police address, typed at 80x24, scrolls sideways in its field and is
/// read back whole: its end while typing, its start after Home, its middle by moving the
/// cursor; a letter typed after Home goes in at the start.
#[test]
fn a_120_character_police_address_is_typed_and_read_back_whole() {
    let address = "Data Protection Office, Police Headquarters, 1 Long Road, Anytown Business Park, Anytown, Midshire, ZZ99 1ZZ, Region 789";
    assert_eq!(address.chars().count(), 120);
    let dir = tempfile::tempdir().unwrap();
    let env = home_in(dir.path());
    let env = env_refs(&env);
    let mut t = Terminal::start_in(Some(dir.path()), &[], &env);
    t.wait_for("Decision guides");
    t.send(F2);
    t.wait_for("Which body is the letter to?");
    highlight(&mut t, "Police force");
    t.send("\r");
    t.wait_for("To: Police force");
    // From "To" down past the client's details to the force's address.
    for _ in 0..60 {
        if t.screen().contains("> Body's address") {
            break;
        }
        t.send(DOWN);
        std::thread::sleep(std::time::Duration::from_millis(40));
    }
    t.send(address);
    let row = |t: &Terminal| {
        t.rows()
            .into_iter()
            .find(|r| r.starts_with("> Body's address"))
            .unwrap_or_default()
    };
    let screen = t.wait_for("ZZ, Region 789");
    let end = row(&t);
    assert!(end.contains("…"), "the start is out of view:\n{screen}");
    assert!(end.chars().count() <= 80, "{end}");
    t.send(HOME);
    t.wait_for("Data Protection Office");
    let start = row(&t);
    // Read it piece by piece: every 20 characters of it show in one view or another.
    let mut seen = vec![start.clone(), end.clone()];
    for _ in 0..4 {
        t.send(&RIGHT.repeat(30));
        std::thread::sleep(std::time::Duration::from_millis(150));
        seen.push(row(&t));
    }
    let chars: Vec<char> = address.chars().collect();
    for chunk in chars.chunks(20) {
        let chunk: String = chunk.iter().collect();
        assert!(
            seen.iter().any(|view| view.contains(&chunk)),
            "{chunk:?} never shown: {seen:#?}"
        );
    }
    // Home, then a letter: it goes in at the start; End goes back to the end.
    t.send(HOME);
    t.send("X");
    t.wait_for("XData Protection");
    t.send(END);
    t.wait_for("ZZ, Region 789");
    t.send("\x03");
    assert!(t.wait_exit());
}

/// The reply checklist takes two-digit numbers as the guides do: "10" ticks item 10
/// (the right to complain to the ICO), not item 1, and a lone 1 waits.
#[test]
fn ten_in_the_reply_checklist_ticks_item_ten() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("SANCTUARY_PASSPHRASE", "a test passphrase for the day"),
        ("SANCTUARY_TODAY", "2026-12-01"),
    ];
    cli(
        dir.path(),
        &env,
        &["clients", "add", "--client", &fixture("olena.toml")],
    );
    cli(
        dir.path(),
        &env,
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
            "2026-11-02",
        ],
    );
    let mut app_env = home_in(dir.path());
    app_env.extend(env.iter().map(|(k, v)| (*k, v.to_string())));
    let app_env = env_refs(&app_env);
    let mut t = Terminal::start_in(Some(dir.path()), &["--store", "cases.db"], &app_env);
    t.wait_for("Decision guides");
    t.send(F3);
    t.wait_for("Олена");
    t.send("\r");
    t.wait_for("Requests (1)");
    t.send("a");
    t.wait_for("the date the reply arrived");
    // The date is offered as the app writes dates elsewhere, DD/MM/YYYY.
    t.wait_for("01/12/2026_");
    t.send("\r");
    t.wait_for("what did it contain?");
    t.send("1");
    t.wait_for("1: press Enter to tick 1, or type a second digit for 10 to 11");
    let waiting = t.screen();
    assert!(
        !waiting.contains("[x]"),
        "a lone 1 ticks nothing yet:\n{waiting}"
    );
    t.send("0");
    let screen = t.wait_for("10 [x]");
    assert!(screen.contains("1 [ ] why they use the data"), "{screen}");
    t.send("\x03");
    assert!(t.wait_exit());
}

const PASSPHRASE: &str = "a test passphrase for the day";

/// A store in `dir` with one client (Olena, whose file names an adviser), added on the
/// command line; the environment for the app to open it.
fn store_with_client(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    let env = [
        ("SANCTUARY_PASSPHRASE", PASSPHRASE),
        ("SANCTUARY_TODAY", "2026-12-01"),
    ];
    cli(
        dir,
        &env,
        &["clients", "add", "--client", &fixture("olena.toml")],
    );
    let mut app_env = home_in(dir);
    app_env.extend(env.iter().map(|(k, v)| (*k, v.to_string())));
    app_env
}

fn record(dir: &std::path::Path) -> sanctuary::casework::store::ClientRecord {
    let store = sanctuary::casework::store::Store::open(&dir.join("cases.db"), PASSPHRASE).unwrap();
    store
        .client_record(sanctuary::casework::store::ClientId(1))
        .unwrap()
}

/// F2, then the client chosen from the case store in the letter form (nothing retyped):
/// Ctrl-s writes the Home Office request and its authority once, named by the request's
/// number, and records the request with both letters on the client's file.
#[test]
fn a_client_chosen_in_the_letter_form_gets_the_request_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let env = store_with_client(dir.path());
    let env = env_refs(&env);
    let mut t = Terminal::start_in(Some(dir.path()), &["--store", "cases.db"], &env);
    t.wait_for("Decision guides");
    t.send(F2);
    t.wait_for("Which body is the letter to?");
    t.send("\r"); // the Home Office
    t.wait_for("To: Home Office");
    t.send(DOWN);
    t.wait_for("> Client: ");
    t.send("\r"); // an empty Client field: choose from the store
    t.wait_for("> #1 Олена Шевченко");
    t.send("\r");
    t.wait_for("#1 Олена Шевченко (in casework");
    t.wait_for("Full name: Олена Шевченко");
    t.wait_for("Ready: Ctrl-s");
    t.send(CTRL_S);
    t.wait_for("Write the PDFs into this folder");
    t.send("\r");
    t.wait_for("Recorded for Олена Шевченко");
    t.send("\x03");
    assert!(t.wait_exit());

    let record = record(dir.path());
    assert_eq!(record.requests.len(), 1);
    assert_eq!(record.requests[0].details.organisation, "home-office");
    let templates: Vec<&str> = record
        .letters
        .iter()
        .map(|l| l.details.template.as_str())
        .collect();
    assert_eq!(templates, ["sar-home-office", "authority"]);
    let letters = dir.path().join("Documents").join("sanctuary-letters");
    assert_eq!(
        pdfs_in(&letters),
        [
            "request-1-authority-home-office-2026-12-01.pdf",
            "request-1-sar-home-office-2026-12-01.pdf",
        ],
        "each letter written once, named by the request"
    );
}

/// A session that goes from one guide into another (data sharing, then right to work)
/// is saved to a client whole: both guides' questions and answers are in the record.
/// Leaving after the save asks nothing.
#[test]
fn a_two_guide_session_is_saved_whole() {
    let dir = tempfile::tempdir().unwrap();
    let env = store_with_client(dir.path());
    let env = env_refs(&env);
    let mut t = Terminal::start_in(
        Some(dir.path()),
        &["--store", "cases.db", "guide", "run", "data-sharing"],
        &env,
    );
    t.wait_for("(step 1)");
    t.send("\r");
    let screen = t.wait_for("(step 2)");
    let n = number_before(&screen, "opens the guide: Right to work checks");
    t.send(&n);
    if n == "1" {
        t.send("\r");
    }
    t.wait_for("Right to work checks");
    // Always the first answer, until an outcome.
    for _ in 0..12 {
        if t.screen().contains("Next steps") {
            break;
        }
        t.send("1");
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
    t.send(END);
    let screen = t.wait_for("See the summary");
    let n = number_before(&screen, "See the summary");
    t.send(&n);
    t.wait_for("Questions and answers");
    t.send("c");
    t.wait_for("Choose the client to save the advice record to");
    t.send("\r");
    t.wait_for("Saved the advice record to Олена Шевченко's file.");
    t.send("q");
    t.wait_for("Decision guides");
    t.send("\x1b");
    assert!(t.wait_exit());

    let record = record(dir.path());
    assert_eq!(record.advice.len(), 1);
    let text = &record.advice[0].details.summary;
    assert!(
        text.contains("Part 1 of this session: Could using this service"),
        "{text}"
    );
    assert!(
        text.contains("Part 2 of this session: Right to work checks"),
        "{text}"
    );
    assert!(text.contains("Went on to the next guide with: "), "{text}");
}

/// On a client's page, Enter on a letter or an advice record opens it again, read only
/// and scrollable: the letter's text with where its PDF is, and the advice record in
/// full.
#[test]
fn a_letter_and_an_advice_record_open_again_from_the_clients_page() {
    let dir = tempfile::tempdir().unwrap();
    let env = store_with_client(dir.path());
    let letters = dir.path().join("Documents").join("sanctuary-letters");
    std::fs::create_dir_all(&letters).unwrap();
    let cli_env = [
        ("SANCTUARY_PASSPHRASE", PASSPHRASE),
        ("SANCTUARY_TODAY", "2026-12-01"),
    ];
    cli(
        dir.path(),
        &cli_env,
        &[
            "requests",
            "new",
            "--client",
            "1",
            "--to",
            "home-office",
            "--request-type",
            "basic",
            "--folder",
            letters.to_str().unwrap(),
        ],
    );
    let env = env_refs(&env);
    let mut t = Terminal::start_in(
        Some(dir.path()),
        &["--store", "cases.db", "guide", "run", "data-sharing"],
        &env,
    );
    // A short guide walk, its advice record saved to Olena.
    t.wait_for("(step 1)");
    t.send("\r");
    t.wait_for("(step 2)");
    t.send("2");
    t.wait_for("Next steps");
    // The outcome opens at its first line; page down until its last step is in view.
    let mut screen = t.screen();
    for _ in 0..10 {
        if screen.contains("See the summary") {
            break;
        }
        t.send(PAGE_DOWN);
        std::thread::sleep(std::time::Duration::from_millis(150));
        screen = t.screen();
    }
    let n = number_before(&screen, "See the summary");
    t.send(&n);
    t.wait_for("Questions and answers");
    t.send("c");
    t.wait_for("Choose the client");
    t.send("\r");
    t.wait_for("Saved the advice record");
    t.send("q");
    t.wait_for("Decision guides");
    t.send(F3);
    t.wait_for("Casework");
    t.send("\t");
    t.wait_for("> Олена");
    t.send("\r");
    t.wait_for("Advice records (1)");
    // Down past the request: the request letter, the authority, the advice record.
    t.send(DOWN);
    t.wait_for("> Subject access request");
    t.send("\r");
    let screen = t.wait_for("Read only: Subject access request");
    let pdf = letters.join("request-1-sar-home-office-2026-12-01.pdf");
    assert!(pdf.exists());
    // The path wraps in the window: read it without the frame and the line breaks.
    let compact: String = screen
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect();
    assert!(compact.contains("PDF:"), "{screen}");
    assert!(compact.contains(&pdf.display().to_string()), "{screen}");
    let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    // The letter's own text follows, from its first line (the sender's address block).
    assert!(flat.contains("Safe Haven Advice"), "{screen}");
    t.send("\x1b");
    // The window closes before the next keys (an Esc straight before an arrow's own
    // escape sequence could be read as one key).
    t.wait_for("Enter on one reads it");
    t.send(DOWN);
    t.wait_for("> Letter of authority");
    t.send(DOWN);
    t.wait_for("> 1 Dec 2026: Could using this service");
    t.send("\r");
    t.wait_for("Read only: advice record of 1 December 2026");
    t.wait_for("Questions and answers");
    t.send(END);
    t.wait_for("Sources:");
    t.send("\x1b");
    t.wait_for("Advice records (1)");
    t.send("\x03");
    assert!(t.wait_exit());
}

/// Plain mode's "leave at once" (q) clears the screen and the scrollback on a terminal,
/// as the app's quick exit does.
#[test]
fn q_in_plain_mode_clears_the_screen() {
    let mut t = Terminal::start(&["guide", "run", "reporting-abuse", "--plain"]);
    t.wait_for("To leave at once, type q");
    t.send("q\r");
    assert!(t.wait_exit());
    let raw = t.raw();
    assert!(
        raw.ends_with(b"\x1b[H\x1b[2J\x1b[3J"),
        "{:?}",
        String::from_utf8_lossy(&raw[raw.len().saturating_sub(40)..])
    );
    assert!(!t.screen().contains("leave at once"), "{}", t.screen());
}

/// On a terminal, plain mode and `guides list` wrap their lines at spaces to its width
/// (F26): no line the program writes is wider than the terminal, so none breaks inside
/// a word.
#[test]
fn command_line_text_is_wrapped_to_the_terminal() {
    for args in [
        &["guide", "run", "data-sharing", "--plain"][..],
        &["guides", "list"][..],
    ] {
        let mut t = Terminal::start_sized(None, args, &[], 60, 40);
        std::thread::sleep(std::time::Duration::from_millis(500));
        if args.contains(&"--plain") {
            t.wait_for("q to quit");
            t.send("q\r");
        }
        t.wait_exit();
        let raw = String::from_utf8_lossy(&t.raw()).into_owned();
        let text = raw.replace("\x1b[H\x1b[2J\x1b[3J", "");
        let lines: Vec<&str> = text.split(['\r', '\n']).collect();
        assert!(lines.len() > 5, "{args:?}: {text}");
        for line in lines {
            assert!(line.chars().count() <= 60, "{args:?}: {line:?}");
        }
    }
}

/// The number the screen shows before the first line holding `label` (a choice or a
/// next step): what to type to pick it.
fn number_before(screen: &str, label: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no line holds {label:?}:\n{screen}"));
    line.trim_start_matches(['>', ' '])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}
