//! The real binary in a pseudo-terminal: walk to an outcome, go back, leave, and check the
//! terminal is given back; and the quick exit clears the screen and the scrollback.

use std::time::{Duration, Instant};

use sanctuary::guide::{GuideSource, Library, NodeKind, Session};
use sanctuary::letter::Catalogue;

mod common;
use common::{Terminal, env_refs, home_in, pdfs_in};
#[path = "common/longest_outcome.rs"]
mod longest_outcome;
use longest_outcome::{last_source_line, longest_outcome, outcome};

fn ends_with_restore(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw);
    let leave_alt = text.rfind("\x1b[?1049l");
    let enter_alt = text.rfind("\x1b[?1049h");
    let show_cursor = text.rfind("\x1b[?25h");
    matches!((leave_alt, enter_alt, show_cursor), (Some(l), Some(e), Some(_)) if l > e)
}

#[test]
fn walking_to_an_outcome_going_back_and_quitting_restores_the_terminal() {
    let mut t = Terminal::start(&[]);
    t.wait_for("Decision guides");
    t.wait_for("Could using this service pass my information");
    // Open the selected guide (data sharing), pass the first screen, choose "school".
    t.send("\r");
    t.wait_for("Answers so far: none yet");
    t.send("\r");
    t.wait_for("(step 2)");
    t.send("2");
    let outcome = t.wait_for("Next steps");
    assert!(
        outcome.contains("RISK") || outcome.contains("URGENT"),
        "the risk is labelled in words:\n{outcome}"
    );
    assert!(
        outcome.contains("Answers so far: My child's school"),
        "{outcome}"
    );
    // Back to the question, then home, then close.
    t.send("\x7f");
    t.wait_for("(step 2)");
    t.send("q");
    t.wait_for("Decision guides");
    t.send("\x1b");
    assert!(t.wait_exit(), "the app exits with success");
    assert!(ends_with_restore(&t.raw()), "the terminal was not restored");
}

#[test]
fn quick_exit_clears_the_screen_and_scrollback_and_leaves_at_once() {
    let mut t = Terminal::start(&["guide", "run", "reporting-abuse"]);
    t.wait_for("Quick exit: press F12");
    t.send("\x1b[24~"); // F12
    assert!(t.wait_exit());
    let raw = t.raw();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).into_owned();
    assert!(ends_with_restore(&raw), "output ends: {tail:?}");
    let text = String::from_utf8_lossy(&raw);
    let wiped = text.rfind("\x1b[3J").expect("scrollback cleared");
    assert!(
        wiped > text.rfind("\x1b[?1049l").unwrap(),
        "the wipe comes after leaving the alternate screen"
    );
    let screen = t.screen();
    assert!(
        !screen.contains("police") && !screen.contains("abuse"),
        "nothing of the session is left:\n{screen}"
    );
}

#[test]
fn ctrl_x_is_also_a_quick_exit() {
    let mut t = Terminal::start(&["guide", "run", "data-sharing"]);
    t.wait_for("(step 1)");
    t.send("\x18");
    assert!(t.wait_exit());
    assert!(t.screen().trim().is_empty(), "screen left: {}", t.screen());
}

#[test]
fn ctrl_c_closes_the_app_and_restores_the_terminal() {
    let mut t = Terminal::start(&[]);
    t.wait_for("Decision guides");
    t.send("\x03");
    assert!(t.wait_exit());
    assert!(ends_with_restore(&t.raw()));
}

/// Foreground or background colour codes in the output (not the "default colour" resets).
fn colour_codes(raw: &[u8]) -> usize {
    let text = String::from_utf8_lossy(raw);
    let sgr: Vec<&str> = text
        .split("\x1b[")
        .skip(1)
        .filter_map(|s| s.split('m').next())
        .collect();
    sgr.iter()
        .flat_map(|params| params.split(';'))
        .filter(|p| {
            matches!(
                p.parse::<u8>(),
                Ok(30..=37 | 38 | 40..=47 | 48 | 90..=97 | 100..=107)
            )
        })
        .count()
}

#[test]
fn no_color_turns_colour_off_and_the_risk_is_still_in_words() {
    let mut coloured = Terminal::start(&["guide", "run", "data-sharing"]);
    coloured.wait_for("(step 1)");
    assert!(
        colour_codes(&coloured.raw()) > 0,
        "without NO_COLOR the app uses colour"
    );
    coloured.send("\x03");
    coloured.wait_exit();

    let mut plain =
        Terminal::start_with_env(&["guide", "run", "data-sharing"], &[("NO_COLOR", "1")]);
    plain.wait_for("(step 1)");
    plain.send("\r");
    plain.wait_for("(step 2)");
    plain.send("2");
    let screen = plain.wait_for("Next steps");
    assert!(screen.contains("RISK") || screen.contains("URGENT"));
    assert_eq!(
        colour_codes(&plain.raw()),
        0,
        "NO_COLOR output has colour codes"
    );
    plain.send("\x03");
    assert!(plain.wait_exit());
}

#[test]
fn the_screen_redraws_when_the_terminal_is_resized() {
    let mut t = Terminal::start(&[]);
    t.wait_for("Decision guides");
    let before = t.raw().len();
    t.resize(100, 30);
    t.wait_until(|t| t.raw().len() != before, "no redraw after a resize");
    t.send("\x03");
    assert!(t.wait_exit());
}

/// The first casework session of a new adviser, in the real binary: the store is created
/// with the passphrase typed twice; a client added on the command line; then on the
/// client's page a Home Office request letter is written, marked sent 40 days ago, seen
/// overdue, answered in part with the exemption cited, and chased.
#[test]
fn a_new_adviser_creates_the_store_and_chases_a_part_answer() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("cases.db");
    let store_arg = store.to_str().unwrap();
    let passphrase = "a passphrase typed twice";
    let home = home_in(dir.path());
    let env = env_refs(&home);

    let mut t = Terminal::start_in(Some(dir.path()), &["--store", store_arg], &env);
    t.wait_for("Decision");
    t.send("\x1bOR"); // F3
    t.wait_for("New passphrase:");
    t.send(passphrase);
    t.send("\r");
    t.wait_for("Type it again:");
    t.send(passphrase);
    t.send("\r");
    t.wait_for("No request is waiting for a reply.");
    t.send("\x03");
    assert!(t.wait_exit());
    assert!(store.exists(), "the store was created");

    let client = format!(
        "{}/tests/fixtures/clients/olena.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let added = std::process::Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["--store", store_arg, "clients", "add", "--client", &client])
        .env("SANCTUARY_PASSPHRASE", passphrase)
        .output()
        .unwrap();
    assert!(added.status.success(), "{added:?}");

    let mut t = Terminal::start_in(Some(dir.path()), &["--store", store_arg], &env);
    t.wait_for("Decision");
    t.send("\x1bOR");
    t.wait_for("Passphrase:");
    t.send(passphrase);
    t.send("\r");
    t.wait_for("No request is waiting");
    t.send("\t");
    t.wait_for("Олена");
    t.send("\r");
    t.wait_for("None yet: press n");
    t.send("n");
    t.wait_for("Which request letter?");
    t.send("\r"); // the first: the Home Office, basic request
    t.wait_for("whose bank holidays count");
    t.send("\r"); // England and Wales
    t.wait_for("this folder (Enter keeps it");
    t.send("\r"); // the folder offered: the letters folder
    t.wait_for("added (drafted");

    let sent = (chrono::Local::now().date_naive() - chrono::Days::new(40)).to_string();
    t.send("s");
    t.wait_for("the date it was sent");
    t.send(&"\x7f".repeat(12));
    t.send(&sent);
    t.send("\r");
    t.wait_for("OVERDUE  #1 Home Office: subject access request (sent)");

    t.send("\x1b");
    t.wait_for("Casework: clients (1)");
    t.send("\t");
    t.wait_for("waiting for a reply (1)");
    let dashboard = t.wait_for("OVERDUE");
    assert!(dashboard.contains("Олена Шевченко"), "{dashboard}");
    t.send("\r");
    t.wait_for("> OVERDUE");
    t.send("a");
    t.wait_for("the date the reply arrived");
    t.send("\r");
    t.wait_for("what did it contain?");
    // The purposes (a lone 1 waits for a second digit: Enter ticks 1), the copy,
    // "cited the exemption".
    t.send("1");
    t.wait_for("press Enter to tick 1");
    t.send("\r89");
    t.wait_for("[x] it cited the immigration exemption");
    t.send("\r");
    t.wait_for("is part-answered, 8 items missing");
    t.send("c");
    t.wait_for("Write the chaser into this folder");
    t.send("\r");
    t.wait_for("Wrote the chaser to");
    t.send("\x03");
    assert!(t.wait_exit());
    assert!(ends_with_restore(&t.raw()));

    let letters = dir.path().join("Documents").join("sanctuary-letters");
    let files = pdfs_in(&letters);
    // The request, the letter of authority the client signs (an adviser acts), the chaser.
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("request-1-authority-home-office-")),
        "{files:?}"
    );
    let chaser = letters.join(
        files
            .iter()
            .find(|f| f.starts_with("request-1-chaser"))
            .unwrap(),
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&chaser).unwrap().permissions().mode() & 0o777,
        0o600
    );
    if let Ok(out) = std::process::Command::new("pdftotext")
        .arg(&chaser)
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("What is still missing"), "{text}");
        assert!(
            text.contains("the kinds of personal data concerned"),
            "{text}"
        );
    }
}

/// The machine's clock must not decide whether an adviser gets the guides: a day before
/// the guides were reviewed (a clock behind) and two years after (guides overdue for a
/// review) both open the app and list the guides, with warnings at most.
#[test]
fn the_app_and_the_guide_list_start_whatever_the_date() {
    for day in ["2026-01-01", "2028-12-01"] {
        let mut t = Terminal::start_with_env(&[], &[("SANCTUARY_TODAY", day)]);
        t.wait_for("Decision guides");
        t.wait_for("Could using this service pass my information");
        t.send("\x03");
        assert!(t.wait_exit(), "{day}");
        let list = std::process::Command::new(env!("CARGO_BIN_EXE_sanctuary"))
            .args(["guides", "list"])
            .env("SANCTUARY_TODAY", day)
            .output()
            .unwrap();
        assert!(list.status.success(), "{day}: {list:?}");
        assert!(String::from_utf8_lossy(&list.stdout).contains("data-sharing"));
    }
    // `guides validate` is where an author learns the date is wrong.
    let validate = std::process::Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["guides", "validate"])
        .env("SANCTUARY_TODAY", "2026-01-01")
        .output()
        .unwrap();
    assert!(!validate.status.success());
    assert!(String::from_utf8_lossy(&validate.stderr).contains("in the future"));
}

/// The command line and the app take a request through the same steps (new request
/// letter, sent, received, a part answer, chaser, complaint) and must leave the same
/// rows in their stores: both call the library's casework steps.
#[test]
fn the_app_and_the_command_line_leave_the_same_records() {
    use sanctuary::casework::store::{ClientId, Store};
    const PASSPHRASE: &str = "both front-ends agree on every step";
    const TODAY: &str = "2026-12-01";
    let client = format!(
        "{}/tests/fixtures/clients/olena.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let env = [
        ("SANCTUARY_PASSPHRASE", PASSPHRASE),
        ("SANCTUARY_TODAY", TODAY),
    ];
    let cli = |dir: &std::path::Path, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanctuary"))
            .current_dir(dir)
            .args(["--store", "cases.db"])
            .args(args)
            .envs(env)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    };

    // The app, in its own folder and store (and its own letters folder).
    let app_dir = tempfile::tempdir().unwrap();
    cli(app_dir.path(), &["clients", "add", "--client", &client]);
    let mut app_env = home_in(app_dir.path());
    app_env.extend(env.iter().map(|(k, v)| (*k, v.to_string())));
    let app_env = env_refs(&app_env);
    let mut t = Terminal::start_in(Some(app_dir.path()), &["--store", "cases.db"], &app_env);
    t.wait_for("Decision");
    t.send("\x1bOR");
    t.wait_for("No request is waiting");
    t.send("\t");
    t.wait_for("Олена");
    t.send("\r");
    t.wait_for("None yet: press n");
    t.send("n");
    t.wait_for("Which request letter?");
    t.send("\r"); // the Home Office, basic request
    t.wait_for("whose bank holidays count");
    t.send("\r"); // England and Wales
    t.wait_for("this folder (Enter keeps it");
    t.send("\r");
    t.wait_for("added (drafted");
    for (key, asked, date, shown) in [
        ("s", "the date it was sent", "2026-11-02", "sent 2 Nov 2026"),
        (
            "d",
            "the date the body received it",
            "2026-11-04",
            "received 4 Nov 2026",
        ),
    ] {
        t.send(key);
        t.wait_for(asked);
        t.send(&"\x7f".repeat(12));
        t.send(date);
        t.send("\r");
        t.wait_for(shown);
    }
    t.send("a");
    t.wait_for("the date the reply arrived");
    t.send(&"\x7f".repeat(12));
    t.send("2026-11-20");
    t.send("\r");
    t.wait_for("what did it contain?");
    // The purposes (1 then Enter: a lone 1 waits for a second digit), the copy,
    // "cited the exemption".
    t.send("1");
    t.wait_for("press Enter to tick 1");
    t.send("\r89");
    t.wait_for("[x] it cited the immigration exemption");
    t.send("\r");
    t.wait_for("is part-answered");
    t.send("c");
    t.wait_for("Write the chaser into this folder");
    t.send("\r");
    t.wait_for("Wrote the chaser to");
    t.send("o");
    t.wait_for("into this folder");
    t.send("\r");
    t.wait_for("Wrote the complaint to");
    t.send("\x03");
    assert!(t.wait_exit());

    // The command line, in another folder and store.
    let cli_dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["clients", "add", "--client", &client],
        vec![
            "requests",
            "new",
            "--client",
            "1",
            "--to",
            "home-office",
            "--request-type",
            "basic",
        ],
        vec!["requests", "update", "1", "--sent", "2026-11-02"],
        vec!["requests", "update", "1", "--received", "2026-11-04"],
        vec![
            "requests",
            "reply",
            "1",
            "--date",
            "2026-11-20",
            "--got",
            "purposes,copy",
            "--exemption-cited",
        ],
        vec!["requests", "chaser", "1", "-o", "chaser.pdf"],
        vec![
            "requests",
            "complaint",
            "1",
            "--to-controller",
            "-o",
            "complaint.pdf",
        ],
    ] {
        cli(cli_dir.path(), &args);
    }

    let record = |dir: &std::path::Path| {
        let store = Store::open(&dir.join("cases.db"), PASSPHRASE).unwrap();
        store.client_record(ClientId(1)).unwrap()
    };
    let (app, cli) = (record(app_dir.path()), record(cli_dir.path()));
    let requests = |r: &sanctuary::casework::store::ClientRecord| {
        r.requests
            .iter()
            .map(|q| (q.details.clone(), q.due))
            .collect::<Vec<_>>()
    };
    assert_eq!(requests(&app), requests(&cli));
    let replies = |r: &sanctuary::casework::store::ClientRecord| {
        r.replies
            .iter()
            .map(|q| q.details.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(replies(&app), replies(&cli));
    let letters = |r: &sanctuary::casework::store::ClientRecord| {
        r.letters
            .iter()
            .map(|l| (l.details.template.clone(), l.details.rendered_text.clone()))
            .collect::<Vec<_>>()
    };
    let app_letters = letters(&app);
    assert_eq!(
        app_letters
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>(),
        [
            "sar-home-office",
            "authority",
            "chaser",
            "complaint-controller"
        ]
    );
    assert_eq!(app_letters, letters(&cli));
}

/// In the real binary at 80x24: walk to the outcome with the most text of all the shipped
/// guides by typing its choice numbers, read its first line, then press End and read its
/// last line (the last source).
#[test]
fn the_longest_outcome_is_read_from_its_first_line_to_its_last_at_80x24() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let catalogue = Catalogue::embedded().unwrap();
    let library = Library::load(&GuideSource::Embedded, today, Some(&catalogue)).unwrap();
    let (guide, node, picks) = longest_outcome(&library);
    let o = outcome(&guide, node);
    eprintln!("the longest outcome: {} {}", guide.id, guide.nodes[node].id);

    let mut t = Terminal::start(&["guide", "run", &guide.id]);
    t.wait_for("(step 1)");
    let mut session = Session::new(guide.clone());
    for pick in picks {
        let count = match &session.current().kind {
            NodeKind::Question { choices, .. } => choices.len(),
            _ => 1,
        };
        if matches!(session.current().kind, NodeKind::Question { .. }) {
            session.choose(pick).unwrap();
        } else {
            session.proceed().unwrap();
        }
        let number = pick + 1;
        t.send(&number.to_string());
        if number < 10 && number * 10 <= count {
            // A lone digit that could start a two-digit number waits for Enter.
            t.send("\r");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    t.wait_for("Lines 1-20 of");
    let rows = t.rows();
    let title: String = o.title.chars().take(40).collect();
    assert!(
        rows[2].starts_with(&title),
        "first line {:?}: {rows:#?}",
        rows[2]
    );
    let advice: String = o.advice.chars().take(40).collect();
    assert!(
        rows[4].starts_with(&advice),
        "advice starts {:?}: {rows:#?}",
        rows[4]
    );

    t.send("\x1b[F"); // End
    t.wait_for("the end");
    let rows = t.rows();
    let last_source = last_source_line(&guide, o);
    let last_row = rows[21].trim();
    assert!(
        !last_row.is_empty() && last_source.ends_with(last_row),
        "the last row {last_row:?} ends the last source {last_source:?}: {rows:#?}"
    );
    // PgDn at the end stays; PgUp moves back at once.
    t.send("\x1b[6~");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(t.rows()[21], rows[21]);
    t.send("\x1b[5~");
    t.wait_until(
        |t| !t.rows()[22].contains("the end"),
        "PgUp did not move back",
    );
    t.send("\x03");
    assert!(t.wait_exit());
}

/// A whole first day in the app alone, in the real binary at 80x24: a guide walked to
/// its summary; the advice record saved to a client added there and then (Ctrl-n, with
/// a UK date of birth and an adviser); then the client's page, with the advice record,
/// and their Home Office request written with its letter of authority into the letters
/// folder, created owner-only.
#[test]
fn a_client_added_in_the_app_gets_the_advice_record_and_a_home_office_request() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("cases.db");
    let mut env = home_in(dir.path());
    env.push(("SANCTUARY_PASSPHRASE", "a test passphrase".to_string()));
    let env = env_refs(&env);
    let mut t = Terminal::start_in(
        Some(dir.path()),
        &["--store", store.to_str().unwrap()],
        &env,
    );
    t.wait_for("Could using this service pass my information");
    t.send("\r");
    t.wait_for("(step 1)");
    t.send("\r");
    t.wait_for("(step 2)");
    t.send("2");
    t.wait_for("Next steps");
    // The last next step opens the summary.
    t.send(&"\x1b[B".repeat(12));
    t.wait_for("> 4. See the summary");
    t.send("\r");
    t.wait_for("Questions and answers");
    t.send("c");
    t.wait_for("Choose the client to save the advice record to");
    t.send("\x0e"); // Ctrl-n: a new client
    t.wait_for("New client");
    // Name, other names, date of birth, address, postcode, email, phone, nationality.
    t.send("Ana Pop\t\t12/04/1988\t1 High Street, Luton\tLU1 2AB\t\t\tRomanian");
    // On past the references and "Replies go to" to the adviser.
    t.send(&"\t".repeat(7));
    t.send("Maya Reid\tSafe Haven Advice\tCaseworker\tPO Box 123, Birmingham\tB1 1AA");
    t.wait_for("> Adviser postcode: B1 1AA");
    t.send("\x13"); // Ctrl-s
    t.wait_for("Enter saves the advice record to them");
    t.wait_for("> Ana Pop");
    t.send("\r");
    t.wait_for("Saved the advice record to Ana Pop's file.");
    t.send("q");
    t.wait_for("Decision guides");
    t.send("\x1bOR"); // F3
    t.wait_for("waiting for a reply");
    t.send("\t");
    t.wait_for("> Ana Pop");
    t.send("\r");
    t.wait_for("Advice records (1)");
    t.wait_for("Schools no longer collect nationality");
    t.send("n");
    t.wait_for("> Home Office: subject access request (basic request)");
    t.send("\r");
    t.wait_for("whose bank holidays count");
    t.send("\r"); // England and Wales, as the command line's default
    let letters = dir.path().join("Documents").join("sanctuary-letters");
    t.wait_for("this folder (Enter keeps it");
    t.send("\r");
    t.wait_for("added (drafted");
    let screen = t.wait_for("The letter of authority, for the client to sign:");
    assert!(
        screen.contains("Home Office: subject access request (drafted)"),
        "{screen}"
    );
    t.send("\x03");
    assert!(t.wait_exit());
    assert!(ends_with_restore(&t.raw()));

    let today = chrono::Local::now().date_naive();
    assert_eq!(
        pdfs_in(&letters),
        [
            format!("request-1-authority-home-office-{today}.pdf"),
            format!("request-1-sar-home-office-{today}.pdf"),
        ]
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&letters).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "the letters folder is owner-only");
    if let Ok(out) = std::process::Command::new("pdftotext")
        .arg(letters.join(format!("request-1-authority-home-office-{today}.pdf")))
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("I, Ana Pop, authorise Maya Reid"), "{text}");
    }
}

/// Two letters to the same body on the same day, into the same folder, from the letter
/// form: both are kept, the second with its own name. The folder is typed the first
/// time (`~` understood) and offered again, in full, the second.
#[test]
fn two_letters_to_the_same_body_the_same_day_both_keep_their_own_names() {
    let dir = tempfile::tempdir().unwrap();
    let env = home_in(dir.path());
    let env = env_refs(&env);
    let client = format!(
        "{}/tests/fixtures/clients/olena.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut t = Terminal::start_in(Some(dir.path()), &[], &env);
    t.wait_for("Decision guides");
    t.send("\x1bOQ"); // F2
    t.wait_for("Which body is the letter to?");
    t.send("\r"); // the Home Office
    t.wait_for("To: Home Office");
    t.send("\x1b[B");
    t.send(&client);
    t.send("\r");
    t.wait_for("Loaded the client's details.");
    t.wait_for("Ready: Ctrl-s writes them");
    t.send("\x13");
    t.wait_for("Save the client in casework too");
    t.send("1"); // the letters only
    t.wait_for("Write the PDFs into this folder");
    t.send("\x15"); // Ctrl-u clears the line
    t.send("~/casework letters");
    t.send("\r");
    // A folder that does not exist yet is made only when asked again.
    t.wait_for("Create this folder?");
    assert!(!dir.path().join("casework letters").exists());
    t.send("\r");
    t.wait_for("Wrote 2 letters:");
    t.send("\x13");
    t.wait_for("Save the client in casework too");
    t.send("1");
    t.wait_for("casework letters_");
    t.send("\r");
    t.wait_for("-2.pdf");
    t.send("\x1b"); // Esc: the form holds typed details, so it asks
    t.wait_for("Leave the letter form?");
    t.send("2");
    t.wait_for("Decision guides");
    t.send("\x1b");
    assert!(t.wait_exit());

    let today = chrono::Local::now().date_naive();
    let folder = dir.path().join("casework letters");
    assert_eq!(
        pdfs_in(&folder),
        [
            format!("authority-home-office-{today}-2.pdf"),
            format!("authority-home-office-{today}.pdf"),
            format!("sar-home-office-{today}-2.pdf"),
            format!("sar-home-office-{today}.pdf"),
        ]
    );
    let settings =
        std::fs::read_to_string(dir.path().join("config/sanctuary/settings.toml")).unwrap();
    assert!(settings.contains("casework letters"), "{settings}");
    assert!(
        !settings.contains("Олена"),
        "no client data in the settings"
    );
}

/// A window closed, or a connection dropped, without a hang-up signal: the app must
/// notice its terminal has gone and end, not spin reading an empty terminal for ever.
/// (portable-pty keeps its own copy of the terminal open, so this opens one directly.)
/// Whether or not the hang-up signal arrives, the input library would otherwise read
/// the empty terminal in a loop it never leaves.
#[test]
fn the_app_ends_when_its_terminal_goes_away() {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::process::CommandExt;
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 80,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes the two descriptors it opens.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0, "a pseudo-terminal");
    for fd in [master, slave] {
        // SAFETY: marks a descriptor just opened close-on-exec, so the app does not
        // inherit the terminal's other end (and keep it open).
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: both descriptors were just opened and are owned here alone.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sanctuary"));
    command
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave.try_clone().unwrap());
    // SAFETY: setsid and ioctl are async-signal-safe: a session of its own, with the
    // new terminal as its controlling terminal, as a terminal window gives.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    // Only the app may hold the terminal's other end.
    drop(command);
    drop(slave);
    let mut screen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    // Words are placed one by one, so look for one word of the first screen.
    while !String::from_utf8_lossy(&screen).contains("Decision") {
        assert!(
            Instant::now() < deadline,
            "the app did not start: {:?}",
            String::from_utf8_lossy(&screen)
        );
        let mut ready = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut ready, 1, 100) } > 0 {
            let mut buffer = [0u8; 4096];
            // SAFETY: reads into the buffer, at most its length.
            let n = unsafe { libc::read(master.as_raw_fd(), buffer.as_mut_ptr().cast(), 4096) };
            if n > 0 {
                screen.extend_from_slice(&buffer[..n as usize]);
            }
        }
    }
    // Let it settle, waiting for a key, as an app left open in a closed window does.
    std::thread::sleep(Duration::from_millis(1500));
    drop(master);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!("the app still runs after its terminal went away");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
