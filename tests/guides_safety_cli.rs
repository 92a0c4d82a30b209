//! The new safety routes, walked in the real binary's plain mode as a screen-reader user
//! would: each reaches its outcome, says what it must, and the letter command it prints
//! carries the facts the letters need (a device taken, an address kept back).

#[path = "common/guide_walk.rs"]
mod guide_walk;

/// The plain-mode run of `guide` with `input` typed; it must succeed.
fn run_plain(guide: &str, input: &str) -> String {
    let (ok, out) = guide_walk::run_plain(guide, input);
    assert!(ok, "{guide} failed:\n{out}");
    out
}

/// Each route as typed lines (an empty line passes an information screen), the outcome
/// title it must reach, and text the printed outcome must contain.
const ROUTES: [(&str, &str, &str, &[&str]); 7] = [
    (
        "reporting-abuse",
        "2\n\n1\n2\n\n",
        "Forced work or trafficking",
        &[
            "National Referral Mechanism",
            "must not give your name",
            "you can say no",
            "--fact address_known_to_body=no",
        ],
    ),
    (
        "reporting-abuse",
        "2\n\n2\n1\n1\n1\n1\n\n",
        "The police may have passed your details",
        &["you can say no", "--fact device_seized=yes", "s.39"],
    ),
    (
        "device-seizure",
        "1\n5\n\n",
        "The police want your phone: you can say no",
        &["written", "--fact device_seized=yes", "s.39(3)"],
    ),
    (
        "digital-safety",
        "7\n3\n1\n\n",
        "No visa: talk to an adviser before you ask the Home Office",
        &[
            "HIGH RISK",
            "does not need your home address",
            "--fact address_known_to_body=no",
        ],
    ),
    (
        "right-to-work",
        "6\n2\n\n",
        "No permission to work, but owed pay or hurt at work",
        &[
            "Okedina v Chikale",
            "Hounga v Allen",
            "3 months less one day",
        ],
    ),
    (
        "right-to-work",
        "1\n5\n1\n\n",
        "the Windrush Scheme",
        &["free to apply", "Windrush Compensation Scheme"],
    ),
    (
        "electronic-monitoring",
        "4\n\n",
        "A device you carry, not a tag",
        &["fingerprint", "every 4", "sar-home-office"],
    ),
];

#[test]
fn each_new_safety_route_runs_in_plain_mode_to_its_outcome() {
    for (guide, input, title, needed) in ROUTES {
        let out = run_plain(guide, input);
        let outcome = out
            .split("Outcome: ")
            .nth(1)
            .unwrap_or_else(|| panic!("{guide}: no outcome reached:\n{out}"));
        assert!(outcome.contains(title), "{guide}: reached {outcome}");
        let flat = outcome.split_whitespace().collect::<Vec<_>>().join(" ");
        for text in needed {
            assert!(flat.contains(text), "{guide} / {title}: lacks {text:?}");
        }
    }
}

/// A client who does not fear the Home Office learning the address is not marked as
/// hiding it: the fact is the client's answer, not a default.
#[test]
fn the_address_fact_follows_the_clients_answer() {
    let out = run_plain("reporting-abuse", "2\n\n2\n2\n\n");
    assert!(out.contains("Forced work or trafficking"), "{out}");
    assert!(!out.contains("address_known_to_body"), "{out}");
}
