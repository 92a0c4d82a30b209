//! `sanctuary deadline`: the due date first, then how it was counted; JSON for scripts.

use std::process::Command;

fn deadline(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .arg("deadline")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn due(args: &[&str]) -> String {
    let (ok, out, err) = deadline(args);
    assert!(ok, "{err}");
    out.lines().next().unwrap().to_string()
}

#[test]
fn the_worked_examples_in_the_brief_come_out_right() {
    // (received, normal, extended): domain brief A2.
    let cases = [
        ("2024-09-03", "2024-10-03", "2024-12-03"),
        ("2025-01-30", "2025-02-28", "2025-04-30"),
        ("2024-01-31", "2024-02-29", "2024-04-30"),
        ("2024-10-05", "2024-11-05", "2025-01-06"),
        ("2025-11-21", "2025-12-22", "2026-02-23"),
    ];
    for (received, normal, extended) in cases {
        assert_eq!(
            due(&["--received", received]),
            normal,
            "received {received}"
        );
        assert_eq!(
            due(&["--received", received, "--extended"]),
            extended,
            "received {received}, extended"
        );
    }
}

#[test]
fn a_clarification_pause_moves_the_date_on_and_explains_it() {
    let (ok, out, _) = deadline(&[
        "--received",
        "2026-03-01",
        "--paused-from",
        "2026-03-05",
        "--resumed",
        "2026-03-14",
    ]);
    assert!(ok);
    assert_eq!(out.lines().next(), Some("2026-04-13"));
    assert!(out.contains("Paused 10 days"), "{out}");
    assert!(out.contains("Rule: UK GDPR Article 12(3)"), "{out}");
}

#[test]
fn scotland_counts_st_andrews_day() {
    // Received 30 October 2026: one month is Monday 30 November, St Andrew's Day in Scotland.
    assert_eq!(due(&["--received", "2026-10-30"]), "2026-11-30");
    assert_eq!(
        due(&["--received", "2026-10-30", "--nation", "scotland"]),
        "2026-12-01"
    );
}

#[test]
fn json_output_parses_with_the_due_date() {
    let (ok, out, _) = deadline(&["--received", "2026-11-23", "--json"]);
    assert!(ok);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["due"], "2026-12-23");
    assert!(value["explanation"].as_array().unwrap().len() >= 2);
}

#[test]
fn complaint_dates_have_their_own_rules() {
    // DPA 2018 s.164A: the 30 days begin on the day the complaint is received.
    assert_eq!(due(&["--complaint-received", "2026-07-01"]), "2026-07-30");
    assert_eq!(due(&["--complaint-received", "2026-11-23"]), "2026-12-22");
    let (ok, out, _) = deadline(&["--last-contact", "2026-11-23"]);
    assert!(ok);
    assert_eq!(out.lines().next(), Some("2027-02-23"));
}

#[test]
fn impossible_dates_are_clear_errors() {
    let (ok, _, err) = deadline(&["--received", "2026-03-10", "--id-received", "2026-03-01"]);
    assert!(!ok);
    assert!(err.contains("error:"), "{err}");
    let (ok, _, err) = deadline(&["--received", "2026-02-30"]);
    assert!(!ok, "{err}");
}
