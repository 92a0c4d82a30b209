//! `sanctuary clients ...` and `sanctuary requests ...` driven as an adviser would: a
//! real binary, a real encrypted store in a temporary folder, the passphrase from
//! SANCTUARY_PASSPHRASE.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::{Days, Local, NaiveDate};

use common::cli::{Case, Run, on_store, requests_add};

const PASSPHRASE: &str = "correct horse battery staple";
const CLIENT_NAME: &str = "Nadia Zebrowska-Quill";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/casework")
        .join(name)
}

impl Case {
    fn run_with(&self, passphrase: &str, args: &[&str]) -> Run {
        self.run_on(passphrase, None, args)
    }

    /// Runs with the day given as today (`SANCTUARY_TODAY`), or the real day.
    fn run_on(&self, passphrase: &str, today: Option<&str>, args: &[&str]) -> Run {
        let mut command = on_store(&self.path("cases.db"), passphrase);
        command.args(args);
        if let Some(today) = today {
            command.env("SANCTUARY_TODAY", today);
        }
        Run::from(command.output().expect("sanctuary runs"))
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(PASSPHRASE, args)
    }

    /// Runs and insists it worked; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(
            run.ok,
            "sanctuary {args:?} failed:\n{}\n{}",
            run.stdout, run.stderr
        );
        run.stdout
    }

    fn first_line(&self, args: &[&str]) -> String {
        self.ok(args)
            .lines()
            .next()
            .expect("a line of output")
            .trim()
            .to_string()
    }

    /// `requests add` for `client`, to `organisation` with `template`, and `more` (the
    /// dates, a note); returns the new request's id.
    fn add_request(
        &self,
        client: &str,
        organisation: &str,
        template: &str,
        more: &[&str],
    ) -> String {
        self.first_line(&requests_add(client, organisation, template, more))
    }

    fn add_client(&self) -> String {
        let file = fixture("client.toml");
        self.first_line(&["clients", "add", "--client", file.to_str().expect("utf-8")])
    }
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn days_ago(days: u64) -> String {
    (today() - Days::new(days)).to_string()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("file exists")
        .permissions()
        .mode()
        & 0o777
}

/// Collapses runs of whitespace so text wrapped across lines still matches.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_home_office_request_sent_forty_days_ago_is_chased_for_exactly_what_is_missing() {
    let case = Case::new();
    let client = case.add_client();
    assert_eq!(client, "1");
    assert_eq!(mode(&case.path("cases.db")), 0o600);

    let sent = days_ago(40);
    let request = case.add_request(
        &client,
        "home-office",
        "sar-home-office",
        &["--sent", &sent, "--received", &sent],
    );

    // Overdue on the due dashboard.
    let due = case.ok(&["requests", "due"]);
    let line = due
        .lines()
        .find(|l| l.contains(&format!("request {request} ")))
        .unwrap_or_else(|| panic!("request {request} is listed as due:\n{due}"));
    assert!(line.starts_with("OVERDUE"), "{line}");
    let json: serde_json::Value =
        serde_json::from_str(&case.ok(&["requests", "due", "--json"])).expect("JSON");
    assert_eq!(json[0]["label"], "overdue");

    // A part answer citing the exemption.
    let reply = case.ok(&[
        "requests",
        "reply",
        &request,
        "--date",
        &days_ago(2),
        "--got",
        "purposes,categories,copy",
        "--exemption-cited",
        "--rights",
        "access",
    ]);
    assert!(reply.contains("part-answered"), "{reply}");
    for missing in [
        "who the data has been given to",
        "how long they will keep it",
        "where the data came from",
        "any automated decisions made with it",
    ] {
        assert!(reply.contains(missing), "{missing} is listed:\n{reply}");
    }
    assert!(!reply.contains("a copy of the data itself"), "{reply}");
    assert!(!reply.contains("why they use the data"), "{reply}");
    // The Home Office may rely on it: the point is how it decided, not that it cannot.
    assert!(reply.contains("4A"), "{reply}");
    assert!(!reply.contains("Only the Secretary of State"), "{reply}");

    // The chaser, as text and as PDF, lists what is missing.
    let txt = case.path("chaser.txt");
    case.ok(&[
        "requests",
        "chaser",
        &request,
        "-o",
        txt.to_str().expect("utf-8"),
        "--format",
        "txt",
    ]);
    assert_eq!(mode(&txt), 0o600);
    let letter = flat(&std::fs::read_to_string(&txt).expect("chaser written"));
    assert!(letter.contains("What is still missing"), "{letter}");
    assert!(letter.contains("(the recipients)"), "{letter}");
    assert!(
        letter.contains("how long you will keep the data"),
        "{letter}"
    );
    assert!(letter.contains("including profiling"), "{letter}");
    assert!(
        !letter.contains("why you use the personal data"),
        "{letter}"
    );
    assert!(letter.contains("paragraph 4A"), "{letter}");

    let pdf = case.path("chaser.pdf");
    case.ok(&[
        "requests",
        "chaser",
        &request,
        "-o",
        pdf.to_str().expect("utf-8"),
    ]);
    assert_eq!(mode(&pdf), 0o600);
    let bytes = std::fs::read(&pdf).expect("PDF written");
    let text = flat(&pdf_extract::extract_text_from_mem(&bytes).expect("PDF text extracts"));
    assert!(text.contains("What is still missing"), "{text}");
    assert!(text.contains("how long you will keep the data"), "{text}");

    // A second chaser to the same file is refused.
    let again = case.run(&[
        "requests",
        "chaser",
        &request,
        "-o",
        pdf.to_str().expect("utf-8"),
    ]);
    assert!(!again.ok);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);

    // The letters are kept with the client.
    let shown = case.ok(&["clients", "show", &client]);
    assert_eq!(shown.matches(" chaser for request").count(), 2, "{shown}");
    assert!(shown.contains("cited the immigration exemption"), "{shown}");

    // Stats count the exemption.
    let stats: serde_json::Value =
        serde_json::from_str(&case.ok(&["requests", "stats", "--json"])).expect("JSON");
    assert_eq!(stats[0]["organisation"], "home-office");
    assert_eq!(stats[0]["replies_citing_exemption"], 1);

    // A complaint to the ICO comes after one to the body has had its 30 days
    // (s.164A), and then carries the chronology.
    let ico = case.path("ico.txt");
    let ico_args = [
        "requests",
        "complaint",
        &request,
        "--to-ico",
        "-o",
        ico.to_str().expect("utf-8"),
        "--format",
        "txt",
    ];
    let first = case.run(&ico_args);
    assert!(!first.ok);
    assert!(
        first.stderr.contains("complain to the body first"),
        "{}",
        first.stderr
    );
    let body = case.path("body.txt");
    case.ok(&[
        "requests",
        "complaint",
        &request,
        "--to-controller",
        "-o",
        body.to_str().expect("utf-8"),
        "--format",
        "txt",
    ]);
    let too_soon = case.run(&ico_args);
    assert!(!too_soon.ok);
    assert!(too_soon.stderr.contains("has until"), "{}", too_soon.stderr);
    let later = (Local::now().date_naive() + Days::new(40)).to_string();
    let run = case.run_on(PASSPHRASE, Some(&later), &ico_args);
    assert!(run.ok, "{}", run.stderr);
    let complaint = flat(&std::fs::read_to_string(&ico).expect("complaint written"));
    assert!(complaint.contains("What happened"), "{complaint}");
    assert!(complaint.contains("received the request"), "{complaint}");
    assert!(
        complaint.contains("A reply was received, incomplete"),
        "{complaint}"
    );
}

#[test]
fn the_calendar_holds_request_ids_and_organisations_but_no_client_details() {
    let case = Case::new();
    let client = case.add_client();
    let received = days_ago(3);
    let request = case.add_request(
        &client,
        "home-office",
        "sar-home-office",
        &["--received", &received],
    );
    let ics_path = case.path("due.ics");
    case.ok(&[
        "requests",
        "calendar",
        "-o",
        ics_path.to_str().expect("utf-8"),
    ]);
    assert_eq!(mode(&ics_path), 0o600);
    let ics = std::fs::read_to_string(&ics_path).expect("calendar written");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
    assert!(
        ics.contains(&format!(
            "SUMMARY:SAR reply due: request {request} (home-office)"
        )),
        "{ics}"
    );
    let details = std::fs::read_to_string(fixture("client.toml")).expect("fixture");
    for needle in [
        "Nadia",
        "Zebrowska",
        "Quill",
        "Foxglove",
        "LE2 7QX",
        "Z9876543",
        "1988",
    ] {
        assert!(details.contains(needle), "the fixture holds {needle}");
        assert!(
            !ics.contains(needle),
            "{needle} leaked into the calendar:\n{ics}"
        );
    }
}

#[test]
fn a_body_other_than_the_home_office_citing_the_exemption_is_told_it_cannot() {
    let case = Case::new();
    let client = case.add_client();
    let sent = days_ago(45);
    let request = case.add_request(
        &client,
        "employer",
        "sar-employer",
        &["--sent", &sent, "--received", &sent],
    );
    let reply = case.ok(&[
        "requests",
        "reply",
        &request,
        "--date",
        &days_ago(5),
        "--got",
        "purposes,categories,recipients,retention,source,automated-decisions,rights",
        "--exemption-cited",
    ]);
    assert!(reply.contains("Only the Secretary of State"), "{reply}");
    assert!(reply.contains("31 January 2022"), "{reply}");
    assert!(reply.contains("SI 2022/76"), "{reply}");
    assert!(reply.contains("a copy of the data itself"), "{reply}");

    let txt = case.path("chaser.txt");
    case.ok(&[
        "requests",
        "chaser",
        &request,
        "-o",
        txt.to_str().expect("utf-8"),
        "--format",
        "txt",
        "--to-name",
        "Acme Cleaning Ltd",
        "--to-address",
        "1 Works Road",
        "--to-address",
        "Leicester LE3 1AA",
    ]);
    let letter = flat(&std::fs::read_to_string(&txt).expect("chaser written"));
    assert!(
        letter.contains("a copy of the personal data itself"),
        "{letter}"
    );
    assert!(
        letter.contains("only to personal data processed by the Secretary of State"),
        "{letter}"
    );
    assert!(!letter.contains("(the recipients)"), "{letter}");

    let stats = case.ok(&["requests", "stats"]);
    assert!(stats.contains("employer"), "{stats}");
    assert!(stats.contains("Note: employer cited"), "{stats}");
}

#[test]
fn a_reply_due_in_a_month_is_waiting_not_overdue_and_cannot_be_chased() {
    let case = Case::new();
    let client = case.add_client();
    let received = today().to_string();
    let request = case.add_request(&client, "dwp", "sar-dwp-hmrc", &["--received", &received]);
    let due = case.ok(&["requests", "due", "--within", "40d"]);
    // A month off: listed because it is within 40 days, but not yet "DUE SOON" (7 days).
    assert!(due.starts_with("waiting"), "{due}");
    let nothing = case.ok(&["requests", "due"]);
    assert!(nothing.contains("Nothing overdue"), "{nothing}");
    let chaser = case.run(&[
        "requests",
        "chaser",
        &request,
        "-o",
        case.path("c.pdf").to_str().expect("utf-8"),
    ]);
    assert!(!chaser.ok);
    assert!(chaser.stderr.contains("not overdue"), "{}", chaser.stderr);
    assert!(!case.path("c.pdf").exists());
}

#[test]
fn export_writes_the_whole_record_once_and_erase_removes_the_client() {
    let case = Case::new();
    let client = case.add_client();
    case.add_request(
        &client,
        "home-office",
        "sar-home-office",
        &[
            "--received",
            &days_ago(1),
            "--note",
            "posted recorded delivery",
        ],
    );
    let export = case.path("record.json");
    case.ok(&[
        "clients",
        "export",
        &client,
        "-o",
        export.to_str().expect("utf-8"),
    ]);
    assert_eq!(mode(&export), 0o600);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&export).expect("export written"))
            .expect("JSON");
    assert_eq!(json["client"]["display_name"], CLIENT_NAME);
    assert!(
        json["client"]["details_toml"]
            .as_str()
            .is_some_and(|t| t.contains("Foxglove"))
    );
    assert_eq!(json["requests"][0]["organisation"], "home-office");

    let again = case.run(&[
        "clients",
        "export",
        &client,
        "-o",
        export.to_str().expect("utf-8"),
    ]);
    assert!(!again.ok);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);

    // Without --yes nothing goes, and the refusal names no client detail.
    let refused = case.run(&["clients", "erase", &client]);
    assert!(!refused.ok);
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    assert!(!refused.stderr.contains("Nadia"), "{}", refused.stderr);
    assert!(case.ok(&["clients", "list"]).contains(CLIENT_NAME));

    case.ok(&["clients", "erase", &client, "--yes"]);
    assert!(!case.ok(&["clients", "list"]).contains(CLIENT_NAME));
    assert!(case.ok(&["requests", "list"]).contains("No requests"));
    let gone = case.run(&["clients", "show", &client]);
    assert!(!gone.ok);
    assert!(gone.stderr.contains("no client"), "{}", gone.stderr);
}

#[test]
fn clients_can_be_searched_and_listed_as_json() {
    let case = Case::new();
    case.add_client();
    assert!(
        case.ok(&["clients", "list", "--search", "zebrow"])
            .contains(CLIENT_NAME)
    );
    assert!(
        !case
            .ok(&["clients", "list", "--search", "nobody"])
            .contains(CLIENT_NAME)
    );
    let json: serde_json::Value =
        serde_json::from_str(&case.ok(&["clients", "list", "--json"])).expect("JSON");
    assert_eq!(json[0]["id"], 1);
    assert_eq!(json[0]["display_name"], CLIENT_NAME);
}

#[test]
fn a_wrong_passphrase_is_a_clear_error_that_changes_nothing() {
    let case = Case::new();
    case.add_client();
    let before = std::fs::read(case.path("cases.db")).expect("store exists");
    let wrong = case.run_with("not the passphrase", &["clients", "list"]);
    assert!(!wrong.ok);
    assert!(
        wrong.stderr.contains("wrong passphrase"),
        "{}",
        wrong.stderr
    );
    assert!(!wrong.stdout.contains(CLIENT_NAME));
    assert_eq!(
        std::fs::read(case.path("cases.db")).expect("store exists"),
        before
    );
    assert!(case.ok(&["clients", "list"]).contains(CLIENT_NAME));
}

#[test]
fn a_client_file_with_an_unknown_key_is_an_error_naming_it() {
    let case = Case::new();
    let file = fixture("unknown-key.toml");
    let run = case.run(&["clients", "add", "--client", file.to_str().expect("utf-8")]);
    assert!(!run.ok);
    assert!(run.stderr.contains("shoe_size"), "{}", run.stderr);
    assert!(run.stderr.contains(":2:1"), "{}", run.stderr);
    assert!(
        !case.path("cases.db").exists(),
        "nothing is created for a bad file"
    );

    // A bad value is reported by key, without echoing the value.
    let file = fixture("bad-postcode.toml");
    let run = case.run(&["clients", "add", "--client", file.to_str().expect("utf-8")]);
    assert!(!run.ok);
    assert!(run.stderr.contains("postcode"), "{}", run.stderr);
    assert!(!run.stderr.contains("SECRET"), "{}", run.stderr);
}

#[test]
fn the_clock_stops_for_clarification_and_restarts_when_it_arrives() {
    let case = Case::new();
    let client = case.add_client();
    let request = case.add_request(
        &client,
        "dwp",
        "sar-dwp-hmrc",
        &["--received", "2026-03-02"],
    );
    let paused = case.ok(&[
        "requests",
        "update",
        &request,
        "--paused-from",
        "2026-03-10",
    ]);
    assert!(paused.contains("Clock paused since"), "{paused}");
    assert!(paused.contains("10 March 2026"), "{paused}");
    let again = case.run(&[
        "requests",
        "update",
        &request,
        "--paused-from",
        "2026-03-11",
    ]);
    assert!(!again.ok);
    assert!(again.stderr.contains("already paused"), "{}", again.stderr);
    let early = case.run(&["requests", "update", &request, "--resumed", "2026-03-09"]);
    assert!(!early.ok);
    assert!(
        early.stderr.contains("before it was asked for"),
        "{}",
        early.stderr
    );
    // Asked on 10 March, answered on 16 March: seven days do not count, so the reply
    // due on 2 April (received 2 March) moves to 9 April.
    let resumed = case.ok(&["requests", "update", &request, "--resumed", "2026-03-16"]);
    assert!(resumed.contains("Reply due by 9 April 2026"), "{resumed}");
}
