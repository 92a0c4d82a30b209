//! `sanctuary guides validate DIR` on a fixture for each kind of problem: the real binary,
//! its exit code, and each message with its file and line.

use std::process::Command;

fn validate(fixture: &str) -> (bool, String, String) {
    let dir = format!("{}/tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["guides", "validate", &dir])
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts the fixture fails and reports `message` at `line` of its file.
fn assert_rejected(kind: &str, line: usize, message: &str) {
    let (ok, _, stderr) = validate(&format!("invalid-guides/{kind}"));
    assert!(!ok, "{kind}: validation passed but should fail");
    let prefix = format!("{kind}.toml:{line}:");
    assert!(
        stderr
            .lines()
            .any(|l| l.contains(&prefix) && l.contains(message)),
        "{kind}: expected `{prefix}…{message}` in:\n{stderr}"
    );
}

#[test]
fn a_valid_guide_passes() {
    let (ok, stdout, _) = validate("valid-guide");
    assert!(ok);
    assert!(stdout.contains("1 guide valid"), "{stdout}");
}

#[test]
fn malformed_toml_is_reported_where_it_breaks() {
    assert_rejected("malformed-toml", 3, "invalid basic string");
}

#[test]
fn an_unknown_key_is_named() {
    assert_rejected("unknown-key", 18, "unknown field `colour`");
}

#[test]
fn a_duplicate_node_id_names_the_first_use() {
    assert_rejected(
        "duplicate-node-id",
        35,
        "duplicate node id `yes` (first used on line 26)",
    );
}

#[test]
fn a_duplicate_source_id_is_rejected() {
    assert_rejected("duplicate-source-id", 15, "duplicate source id `law`");
}

#[test]
fn a_next_that_points_nowhere_is_rejected() {
    assert_rejected(
        "next-points-nowhere",
        23,
        "points to `nowhere`, which is not a node",
    );
}

#[test]
fn a_source_id_that_points_nowhere_is_rejected() {
    assert_rejected(
        "source-points-nowhere",
        41,
        "cites source `missing`, which is not in [[sources]]",
    );
}

#[test]
fn a_link_to_a_missing_guide_is_rejected() {
    assert_rejected(
        "guide-link-nowhere",
        23,
        "links to guide `no-such-guide`, which does not exist",
    );
}

#[test]
fn an_unreachable_node_is_rejected() {
    assert_rejected("unreachable-node", 44, "node `orphan` cannot be reached");
}

#[test]
fn a_cycle_with_no_way_out_is_reported_as_a_loop_and_a_dead_end() {
    assert_rejected(
        "cycle-without-outcome",
        50,
        "leads back round a loop: round -> again -> round",
    );
    assert_rejected(
        "cycle-without-outcome",
        44,
        "no outcome can be reached from node `round`",
    );
}

#[test]
fn an_outcome_that_cites_no_source_is_rejected() {
    assert_rejected("outcome-without-source", 41, "cites no source");
}

#[test]
fn a_source_with_neither_url_nor_reference_is_rejected() {
    assert_rejected(
        "source-without-locator",
        9,
        "needs a `url` or a `reference`",
    );
}

#[test]
fn a_review_date_in_the_future_is_rejected() {
    assert_rejected("future-review-date", 6, "is in the future");
}

#[test]
fn a_question_with_one_choice_is_rejected() {
    assert_rejected("one-choice-question", 18, "needs at least two choices");
}

#[test]
fn an_unknown_risk_level_lists_the_right_ones() {
    assert_rejected("bad-risk", 38, "use one of low, medium, high, urgent");
}

#[test]
fn a_missing_key_is_named() {
    assert_rejected("missing-key", 26, "outcome node `yes` is missing `advice`");
}

#[test]
fn a_letter_template_or_organisation_that_does_not_exist_is_rejected() {
    assert_rejected(
        "unknown-letter",
        35,
        "names letter template `sar-nope`, which does not exist",
    );
    assert_rejected(
        "unknown-letter",
        36,
        "names organisation `nowhere-council`, which does not exist",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let (_, _, stderr) = validate("invalid-guides/cycle-without-outcome");
    assert!(stderr.contains("4 errors"), "{stderr}");
}

#[test]
fn a_stale_review_date_warns_but_passes() {
    let (ok, stdout, stderr) = validate("invalid-guides/stale-review-date");
    assert!(ok, "{stderr}");
    assert!(stderr.contains("stale-review-date.toml:6:17: warning: `last_reviewed` is 2020-01-01, over 12 months ago"), "{stderr}");
    // The other warning: its one source has no `checked` date.
    assert!(
        stderr.contains("stale-review-date.toml:10:6: warning: source `law` has no `checked` date"),
        "{stderr}"
    );
    assert!(stdout.contains("2 warnings"), "{stdout}");
}

#[test]
fn a_source_checked_in_the_future_is_rejected() {
    assert_rejected(
        "future-source-check",
        13,
        "`checked` of source `law` is 2099-01-01, which is in the future",
    );
}

#[test]
fn a_source_checked_long_ago_or_never_warns_but_passes() {
    let (ok, stdout, stderr) = validate("invalid-guides/stale-source-check");
    assert!(ok, "{stderr}");
    for expected in [
        "stale-source-check.toml:6:17: warning: `last_reviewed` is 2020-01-01",
        "stale-source-check.toml:13:11: warning: source `law` was last checked on 2020-01-01, over 12 months ago: check it again and update `checked`",
        "stale-source-check.toml:16:6: warning: source `other` has no `checked` date: add the day you last checked it",
    ] {
        assert!(
            stderr.lines().any(|l| l.starts_with(&format!(
                "{}/tests/fixtures/invalid-guides/stale-source-check/{expected}",
                env!("CARGO_MANIFEST_DIR")
            ))),
            "expected `{expected}` in:\n{stderr}"
        );
    }
    assert!(stdout.contains("3 warnings"), "{stdout}");
}

#[test]
fn hard_to_read_client_text_warns_with_the_score_but_passes() {
    let (ok, _, stderr) = validate("invalid-guides/hard-to-read");
    assert!(ok, "{stderr}");
    let line = stderr
        .lines()
        .find(|l| {
            l.contains(
                "hard-to-read.toml:3:6: warning: guide `fixture` has a Flesch reading ease of",
            )
        })
        .unwrap_or_else(|| panic!("no readability warning in:\n{stderr}"));
    assert!(
        line.contains("under 60: use shorter sentences and everyday words"),
        "{line}"
    );
    // The score is printed and is the low one the fixture was written to have.
    let score: f64 = line
        .split("reading ease of ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no score in {line}"));
    assert!(score < 30.0, "{line}");
    // The plain fixture draws no such warning.
    let (_, _, stderr) = validate("valid-guide");
    assert!(!stderr.contains("reading ease"), "{stderr}");
}

#[test]
fn control_and_bidirectional_characters_in_text_are_rejected_where_they_are() {
    let (ok, _, stderr) = validate("invalid-guides/control-character");
    assert!(!ok, "{stderr}");
    for (at, message) in [
        // Written as itself: the column is the character's own.
        (
            "12:16",
            "`title` of source `law` contains a control character (U+2066): remove it",
        ),
        // Written as an escape: the column is where the value starts.
        (
            "18:8",
            "`text` of node `ask` contains a control character (U+001B): remove it",
        ),
        (
            "20:16",
            "`label` of a choice in node `ask` contains a control character (U+202E): remove it",
        ),
        (
            "32:16",
            "`adviser_note` of node `yes` contains a control character (U+0085): remove it",
        ),
    ] {
        let expected = format!("control-character.toml:{at}: {message}");
        assert!(
            stderr.contains(&expected),
            "expected `{expected}` in:\n{stderr}"
        );
    }
    assert!(stderr.contains("4 errors"), "{stderr}");
}

#[test]
fn a_guide_file_or_glossary_over_the_size_limit_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let valid = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid-guide/fixture.toml"
    );
    std::fs::copy(valid, dir.path().join("fixture.toml")).unwrap();
    // One byte over 1 MiB, as a TOML comment, so only its size is wrong.
    let mut big = String::from("#");
    big.push_str(&"x".repeat(1024 * 1024));
    std::fs::write(dir.path().join("big.toml"), &big).unwrap();
    std::fs::write(dir.path().join("glossary.toml"), &big).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["guides", "validate", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    for name in ["big.toml", "glossary.toml"] {
        let expected =
            format!("{name}:1:1: this file is larger than 1 MiB (1048576 bytes), the limit for");
        assert!(
            stderr.contains(&expected),
            "expected `{expected}` in:\n{stderr}"
        );
    }
    // A file exactly at the limit is read (and fails only for lacking a [guide] table).
    big.pop();
    std::fs::write(dir.path().join("big.toml"), &big).unwrap();
    std::fs::write(dir.path().join("glossary.toml"), "").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["guides", "validate", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("larger than"), "{stderr}");
}

/// `sanctuary guides sources` on a folder whose sources have known `checked` dates.
#[test]
fn guides_sources_lists_never_checked_first_then_oldest_first() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/guide-sources");
    let out = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["--guides-dir", dir, "guides", "sources"])
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    let expected = [
        (
            "never checked",
            "Alpha guide  [a-never]  A source nobody checked",
        ),
        (
            "never checked",
            "Beta guide  [b-never]  Another source nobody checked",
        ),
        ("2024-02-29  ", "Alpha guide  [a-old]  An old source"),
        (
            "2025-06-15  ",
            "Beta guide  [b-middle]  A source checked last year",
        ),
        ("2026-11-01  ", "Alpha guide  [a-recent]  A recent source"),
    ];
    for (line, (start, end)) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(start) && line.ends_with(end),
            "`{line}` is not `{start}…{end}`"
        );
        if start != "never checked" {
            // The age, as of the day the test runs (the library tests pin the day).
            assert!(line.contains(" ago "), "{line}");
            assert!(line.contains("month") || line.contains("day"), "{line}");
        }
    }
    let help = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(["guides", "sources", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("Usage:"));
}
