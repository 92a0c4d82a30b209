//! The new NHS and Home Office routes walked in plain mode through a pipe, as an adviser
//! with a screen reader would: what the client hears, and the letter commands offered.

#[path = "common/guide_walk.rs"]
mod guide_walk;

/// Runs `sanctuary guide run GUIDE --plain` with the answers typed through a pipe: the
/// output, and the part from the outcome on.
fn walk(guide: &str, input: &str) -> (String, String) {
    let (ok, all) = guide_walk::run_plain(guide, input);
    assert!(ok, "{all}");
    let outcome = all
        .split_once("Outcome: ")
        .map(|(_, o)| o.to_string())
        .unwrap_or_else(|| panic!("no outcome reached:\n{all}"));
    (all, outcome)
}

#[test]
fn a_british_client_with_a_hospital_bill_hears_where_and_residence_first_and_is_told_not_to_pay() {
    // An NHS bill; in England; British and living here.
    let (all, outcome) = walk("nhs-and-data", "3\n1\n1\n\n");
    let nation = all
        .find("Where is the hospital that sent the bill?")
        .unwrap();
    let residence = all.find("Do you live in the UK?").unwrap();
    assert!(nation < residence);
    assert!(
        !all.contains("Immigration Health Surcharge"),
        "exemptions asked of a resident"
    );
    assert!(
        outcome.starts_with(
            "If you live here and are British or settled, you should not pay this bill"
        )
    );
    assert!(outcome.contains("So do not pay the bill."));
    assert!(
        outcome.contains("sanctuary letter charging-challenge --to nhs-trust"),
        "{outcome}"
    );
    assert!(outcome.contains("--fact charging_ground=ordinarily_resident"));
    assert!(outcome.contains("sanctuary letter sar-nhs --to nhs-trust"));
    assert!(outcome.contains("--fact nhs_charging=yes"));
}

#[test]
fn a_client_in_scotland_is_told_the_rules_are_englands_and_given_none_of_them() {
    let (_, outcome) = walk("nhs-and-data", "2\n2\n\n");
    assert!(outcome.contains("the rules for England"), "{outcome}");
    assert!(!outcome.contains("150%") && !outcome.contains("£500"));
}

#[test]
fn an_overstayer_asking_for_her_home_office_file_is_warned_and_her_address_kept_out() {
    // Past the first screen; the Home Office itself; what it holds; no permission; it
    // does not know where I live.
    let (all, outcome) = walk("data-sharing", "\n10\n1\n2\n2\n\n");
    assert!(all.contains("do you have permission to be in the UK now?"));
    assert!(outcome.contains("Risk: HIGH RISK"), "{outcome}");
    assert!(outcome.contains("Talk to an immigration lawyer before you ask."));
    assert!(outcome.contains("sanctuary letter sar-home-office --to home-office"));
    assert!(
        outcome.contains("--fact address_known_to_body=no"),
        "{outcome}"
    );
}

#[test]
fn a_debt_reported_after_it_was_paid_is_corrected_with_the_trust_and_the_home_office() {
    // What the NHS tells the Home Office (info screen); a bill passed on that should not
    // have been; I had paid it.
    let (_, outcome) = walk("nhs-and-data", "4\n\n2\n4\n\n");
    assert!(
        outcome.starts_with("A bill passed on by mistake"),
        "{outcome}"
    );
    assert!(outcome.contains("sanctuary letter rectification --to nhs-trust"));
    assert!(outcome.contains("sanctuary letter rectification-home-office --to home-office"));
}
