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
    assert!(stdout.contains("1 guide(s) valid"), "{stdout}");
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
    assert!(stderr.contains("4 error(s)"), "{stderr}");
}

#[test]
fn a_stale_review_date_warns_but_passes() {
    let (ok, stdout, stderr) = validate("invalid-guides/stale-review-date");
    assert!(ok, "{stderr}");
    assert!(stderr.contains("stale-review-date.toml:6:17: warning: `last_reviewed` is 2020-01-01, over 12 months ago"), "{stderr}");
    assert!(stdout.contains("1 warning(s)"));
}
