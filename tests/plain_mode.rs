//! Plain mode through a pipe, as a screen reader user or a script would drive it.

use std::process::Command;

#[path = "common/guide_walk.rs"]
mod guide_walk;
use guide_walk::run_plain;

#[test]
fn walking_data_sharing_to_the_school_outcome_prints_advice_and_sources() {
    // Enter past the first information screen, then "My child's school".
    let (ok, out) = run_plain("data-sharing", "\n2\n\n");
    assert!(ok);
    assert!(
        out.contains("Guide: Could using this service pass my information to the Home Office?")
    );
    assert!(out.contains("  1. "), "choices are numbered:\n{out}");
    assert!(out.contains("Outcome: "), "{out}");
    assert!(out.contains("Risk: "), "{out}");
    assert!(out.contains("Sources:\n  - "), "{out}");
}

#[test]
fn going_back_returns_to_the_question_before() {
    let (ok, out) = run_plain("data-sharing", "\n2\nb\nq\n");
    assert!(ok);
    let question = out.matches("Step 2").count();
    assert_eq!(question, 2, "step 2 should be asked twice:\n{out}");
}

#[test]
fn a_wrong_answer_is_explained_and_asked_again() {
    let (ok, out) = run_plain("data-sharing", "\n99\nq\n");
    assert!(ok);
    assert!(out.contains("Please type a number from 1 to"), "{out}");
}

#[test]
fn input_ending_early_stops_cleanly() {
    let (ok, _) = run_plain("right-to-work", "1\n");
    assert!(ok);
}

#[test]
fn a_safety_guide_tells_how_to_leave_at_once() {
    let (_, out) = run_plain("reporting-abuse", "q\n");
    assert!(out.contains("To leave at once, type q"), "{out}");
}

#[test]
fn an_unknown_guide_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["guide", "run", "no-such-guide", "--plain"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no guide with id `no-such-guide`"));
}

/// Every guide runs in plain mode along its first scenario to the outcome it names.
#[test]
fn every_guide_runs_in_plain_mode_to_its_first_scenario_outcome() {
    use sanctuary::guide::{GuideSource, Library, NodeKind, Session};
    let library = Library::load(
        &GuideSource::Embedded,
        chrono::Local::now().date_naive(),
        None,
    )
    .unwrap();
    for guide in &library.guides {
        let path = format!(
            "{}/tests/scenarios/{}.toml",
            env!("CARGO_MANIFEST_DIR"),
            guide.id
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let value: toml::Value = toml::from_str(&text).unwrap();
        let first = &value["scenario"][0];
        let answers: Vec<i64> = first["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_integer().unwrap())
            .collect();
        // Turn the answers into typed lines: an empty line on each information screen.
        let mut session = Session::new(guide.clone());
        let mut input = String::new();
        let mut answers = answers.into_iter();
        while session.outcome().is_none() {
            match session.current().kind {
                NodeKind::Info { .. } => {
                    input.push('\n');
                    session.proceed().unwrap();
                }
                _ => {
                    let n = answers.next().unwrap();
                    input.push_str(&format!("{n}\n"));
                    session.choose(n as usize - 1).unwrap();
                }
            }
        }
        input.push('\n');
        let (ok, out) = run_plain(&guide.id, &input);
        assert!(ok, "{}", guide.id);
        let title = &session.outcome().unwrap().title;
        assert!(
            out.contains(&format!("Outcome: {title}")),
            "{}: expected {title} in\n{out}",
            guide.id
        );
    }
}
