//! One request's standing, followed on the command line over several injected days
//! (`SANCTUARY_TODAY`): the request line, `requests due` and its `--json`, the
//! chaser rule, the complaint letter and the stateless `letter chaser` say the same
//! thing on every boundary day. And the code review's reproductions 1-4 and 6.

mod common;

use std::path::Path;
use std::process::Command;

use common::cli::{Case, Run, on_store};

const PASSPHRASE: &str = "correct horse battery staple";

impl Case {
    /// Runs sanctuary with `today` as the day.
    fn on(&self, today: &str, args: &[&str]) -> Run {
        let output = on_store(&self.path("cases.db"), PASSPHRASE)
            .args(args)
            .env("SANCTUARY_TODAY", today)
            .output()
            .expect("sanctuary runs");
        Run::from(output)
    }

    fn ok(&self, today: &str, args: &[&str]) -> String {
        let run = self.on(today, args);
        assert!(
            run.ok,
            "sanctuary {args:?} on {today} failed:\n{}\n{}",
            run.stdout, run.stderr
        );
        run.stdout
    }

    fn file(&self, name: &str) -> String {
        self.path(name).to_str().expect("utf-8").to_string()
    }

    /// A client and a Home Office request sent on `today` and received `received`.
    fn request(&self, today: &str, received: &str, nation: &str) -> String {
        if self.on(today, &["clients", "show", "1"]).ok {
        } else {
            let client = fixture("casework/client.toml");
            self.ok(today, &["clients", "add", "--client", &client]);
        }
        self.ok(
            today,
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
                today,
                "--received",
                received,
                "--nation",
                nation,
            ],
        )
        .lines()
        .next()
        .expect("the request id")
        .trim()
        .to_string()
    }

    fn read(&self, name: &str) -> String {
        flat(&std::fs::read_to_string(self.path(name)).expect("letter written"))
    }
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .to_str()
        .expect("utf-8")
        .to_string()
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What every front-end must agree on, for one day.
struct Day {
    today: &'static str,
    label: &'static str,
    late: bool,
}

/// The table: received Friday 3 July 2026 in England and Wales, due Monday
/// 3 August, a bank holiday in Scotland only, so late only from 5 August.
const DAYS: [Day; 4] = [
    Day {
        today: "2026-08-02",
        label: "DUE SOON",
        late: false,
    },
    Day {
        today: "2026-08-03",
        label: "DUE NOW",
        late: false,
    },
    Day {
        today: "2026-08-04",
        label: "DUE NOW",
        late: false,
    },
    Day {
        today: "2026-08-05",
        label: "OVERDUE",
        late: true,
    },
];

/// Code review bug 1: on 4 August the store refused a chaser ("not overdue") but
/// wrote a complaint saying the reply was late, and `letter chaser` said overdue.
#[test]
fn on_every_boundary_day_the_list_the_json_the_chaser_and_the_complaint_agree() {
    let case = Case::new();
    let id = case.request("2026-07-03", "2026-07-03", "england-wales");
    for day in DAYS {
        let today = day.today;
        let listed = case.ok(today, &["requests", "list"]);
        assert!(
            listed.contains(&format!("[{}]", day.label)),
            "{today}: {listed}"
        );
        assert!(listed.contains("reply due by 3 August 2026"), "{listed}");
        let due = case.ok(today, &["requests", "due", "--within", "7d"]);
        assert!(due.starts_with(day.label), "{today}: {due}");
        let json: serde_json::Value =
            serde_json::from_str(&case.ok(today, &["requests", "due", "--json"])).expect("JSON");
        assert_eq!(json[0]["standing"]["late"], day.late, "{today}: {json}");
        assert_eq!(json[0]["standing"]["deadline"]["due"], "2026-08-03");
        assert_eq!(json[0]["standing"]["latest"], "2026-08-04");
        let listed: serde_json::Value =
            serde_json::from_str(&case.ok(today, &["requests", "list", "--json"])).expect("JSON");
        assert_eq!(listed[0]["standing"], json[0]["standing"], "{today}");

        let chaser_file = format!("chaser-{today}.txt");
        let chaser = case.on(
            today,
            &[
                "requests",
                "chaser",
                &id,
                "-o",
                &case.file(&chaser_file),
                "--format",
                "txt",
            ],
        );
        assert_eq!(chaser.ok, day.late, "{today}: {}", chaser.stderr);
        if !day.late {
            assert!(chaser.stderr.contains("4 August 2026"), "{}", chaser.stderr);
        }

        let complaint_file = format!("complaint-{today}.txt");
        let complaint = case.on(
            today,
            &[
                "requests",
                "complaint",
                &id,
                "--to-controller",
                "--point",
                "The reply should say how the data was shared.",
                "-o",
                &case.file(&complaint_file),
                "--format",
                "txt",
            ],
        );
        assert!(complaint.ok, "{today}: {}", complaint.stderr);
        let text = case.read(&complaint_file);
        assert_eq!(
            text.contains("although it was due by 3 August 2026"),
            day.late,
            "{today}: {text}"
        );

        let stateless_file = format!("letter-chaser-{today}.txt");
        let stateless = case.on(
            today,
            &[
                "letter",
                "chaser",
                "--to",
                "home-office",
                "--client",
                &fixture("clients/lukasz.toml"),
                "--request-sent",
                "2026-07-01",
                "--request-received",
                "2026-07-03",
                "--sent",
                today,
                "-o",
                &case.file(&stateless_file),
                "--format",
                "txt",
            ],
        );
        assert_eq!(stateless.ok, day.late, "{today}: {}", stateless.stderr);
    }
}

/// Code review bug 2: a paused request vanished from `requests due` and the calendar.
#[test]
fn a_paused_request_stays_on_the_due_list_and_in_the_calendar() {
    let case = Case::new();
    let id = case.request("2026-08-03", "2026-08-03", "england-wales");
    case.ok(
        "2026-08-12",
        &["requests", "update", &id, "--paused-from", "2026-08-10"],
    );
    let due = case.ok("2026-12-01", &["requests", "due", "--within", "3660d"]);
    assert!(due.starts_with("PAUSED"), "{due}");
    assert!(due.contains("paused since 10 August 2026"), "{due}");
    case.ok(
        "2026-12-01",
        &["requests", "calendar", "-o", &case.file("due.ics")],
    );
    let ics = std::fs::read_to_string(case.path("due.ics")).expect("calendar");
    assert!(
        ics.contains("SUMMARY:SAR clock paused since 10 August 2026"),
        "{ics}"
    );
    // A wrong pause can be undone: the due date comes back.
    let undone = case.ok("2026-12-01", &["requests", "update", &id, "--undo-pause"]);
    assert!(undone.contains("Reply due by 3 September 2026"), "{undone}");
}

/// Code review bug 6: a reply before receipt and a pause before receipt were
/// accepted; a wrong reply can now be withdrawn.
#[test]
fn impossible_orders_are_refused_and_a_wrong_reply_can_be_withdrawn() {
    let case = Case::new();
    let id = case.request("2026-08-20", "2026-08-20", "england-wales");
    let reply = case.on(
        "2026-09-01",
        &["requests", "reply", &id, "--date", "2026-08-01"],
    );
    assert!(!reply.ok);
    assert!(
        reply.stderr.contains("the date of the reply"),
        "{}",
        reply.stderr
    );
    let pause = case.on(
        "2026-09-01",
        &["requests", "update", &id, "--paused-from", "2026-08-01"],
    );
    assert!(!pause.ok);
    assert!(
        pause.stderr.contains("the day clarification was asked for"),
        "{}",
        pause.stderr
    );
    case.ok(
        "2026-09-01",
        &[
            "requests",
            "reply",
            &id,
            "--date",
            "2026-08-28",
            "--got",
            "copy",
        ],
    );
    let withdrawn = case.ok("2026-09-01", &["requests", "withdraw-reply", "1"]);
    assert!(withdrawn.contains("is sent"), "{withdrawn}");
}

/// Code review bug 4: the nation could not be changed after the request was made.
#[test]
fn the_nation_can_be_changed_and_the_due_date_is_worked_out_again() {
    let case = Case::new();
    let id = case.request("2026-07-03", "2026-07-03", "england-wales");
    let changed = case.ok(
        "2026-07-10",
        &["requests", "update", &id, "--nation", "scotland"],
    );
    assert!(changed.contains("Reply due by 4 August 2026"), "{changed}");
}

/// Code review bug 3: the ICO complaint dated the complaint to the body from the
/// store's audit stamp (the real clock, in UTC), not the letter's own date; and it
/// listed the letter of authority as an event of its own.
#[test]
fn the_ico_chronology_dates_the_complaint_from_the_letter_itself() {
    let case = Case::new();
    let id = case.request("2026-06-01", "2026-06-01", "england-wales");
    case.ok(
        "2026-07-20",
        &[
            "requests",
            "complaint",
            &id,
            "--to-controller",
            "-o",
            &case.file("body.txt"),
            "--format",
            "txt",
        ],
    );
    let early = case.on(
        "2026-08-20",
        &[
            "requests",
            "complaint",
            &id,
            "--to-ico",
            "-o",
            &case.file("ico-early.txt"),
            "--format",
            "txt",
        ],
    );
    assert!(!early.ok);
    assert!(early.stderr.contains("20 August 2026"), "{}", early.stderr);
    case.ok(
        "2026-08-21",
        &[
            "requests",
            "complaint",
            &id,
            "--to-ico",
            "-o",
            &case.file("ico.txt"),
            "--format",
            "txt",
        ],
    );
    let ico = case.read("ico.txt");
    assert!(ico.contains("20 July 2026: Complained"), "{ico}");
    assert!(ico.contains("by 20 August 2026"), "{ico}");
    assert!(ico.contains("taking it to arrive on 22 July 2026"), "{ico}");
    assert!(!ico.contains("Letter of authority"), "{ico}");
    // The consent the ICO asks for is written with it (newcomer diary F22).
    let consent = case.read("ico-consent.txt");
    assert!(
        consent.contains("Consent for a complaint made for me"),
        "{consent}"
    );
    assert!(consent.contains("Home Office"), "{consent}");
}

#[test]
fn an_invalid_sanctuary_today_is_an_error_not_the_real_day() {
    let case = Case::new();
    let run = case.on("2026-13-45", &["requests", "list"]);
    assert!(!run.ok);
    assert!(run.stderr.contains("SANCTUARY_TODAY"), "{}", run.stderr);
}

/// Code review bug 7: a guide past its review date loaded "with a warning" that
/// nothing showed. `guides list` marks it and says why on standard error, and a
/// plain-mode run says it on its first page.
#[test]
fn a_guide_past_its_review_date_is_marked_in_the_list_and_on_its_first_page() {
    let case = Case::new();
    let two_years_on = "2028-12-10";
    let list = case.on(two_years_on, &["guides", "list"]);
    assert!(list.ok, "{}", list.stderr);
    assert!(list.stdout.contains("Review overdue"), "{}", list.stdout);
    assert!(list.stderr.contains("warning:"), "{}", list.stderr);
    let now = case.on("2026-12-10", &["guides", "list"]);
    assert!(!now.stdout.contains("Review overdue"), "{}", now.stdout);

    let output = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["guide", "run", "data-sharing", "--plain"])
        .env("SANCTUARY_TODAY", two_years_on)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("sanctuary runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let first_step = text.split("Step 2").next().unwrap_or_default();
    assert!(first_step.contains("Review overdue"), "{text}");
}
