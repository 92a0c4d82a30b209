//! The safety guides (reporting abuse, phones, tags, right to work, digital safety) against
//! the harmful items of the legal reading of 4 December 2026: a phone asked for by agreement
//! may be refused (PCSC Act 2022 s.39), the police letter learns a device was taken, an EUSS
//! victim hears what happens to both statuses, a Home Office request is gated for someone
//! without permission to stay, the address is kept from bodies the client fears, and the
//! tagging duty is never described as England and Wales only.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sanctuary::guide::model::{Risk, Target};
use sanctuary::guide::{Guide, GuideSource, Library, NodeKind, Session};

fn library() -> Library {
    let far = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    Library::load(&GuideSource::Embedded, far, None).expect("the shipped guides load")
}

#[path = "common/guide_walk.rs"]
mod guide_walk;
use guide_walk::sessions_at_outcomes;

/// The 0-based choice the session took at the question `node_id`, if it passed it.
fn choice_at(guide: &Guide, session: &Session, node_id: &str) -> Option<usize> {
    let node = guide.nodes.iter().find(|n| n.id == node_id)?;
    let NodeKind::Question { text, choices } = &node.kind else {
        panic!("{node_id} is not a question");
    };
    let answer = session
        .answers()
        .into_iter()
        .find(|a| &a.question == text)?;
    choices.iter().position(|c| c.label == answer.answer)
}

fn letters_to(session: &Session) -> Vec<String> {
    session
        .outcome()
        .map(|o| {
            o.actions
                .iter()
                .filter_map(|a| a.letter.as_ref().map(|l| l.organisation.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The outcome says the person may say no to handing over a phone and cites s.39.
fn says_may_refuse_citing_s39(guide: &Guide, session: &Session) -> Result<(), String> {
    let outcome = session.outcome().unwrap();
    let id = &session.current().id;
    if !outcome.advice.to_lowercase().contains("you can say no") {
        return Err(format!(
            "{}/{id} does not say the person can say no",
            guide.id
        ));
    }
    let cites_s39 = outcome.sources.iter().any(|s| {
        let source = guide.source(s).unwrap();
        source.title.contains("s.39")
            && source
                .url
                .as_deref()
                .unwrap_or("")
                .contains("ukpga/2022/32")
    });
    if !cites_s39 {
        return Err(format!(
            "{}/{id} does not cite PCSC Act 2022 s.39",
            guide.id
        ));
    }
    Ok(())
}

fn first_choice_label(session: &Session) -> String {
    session
        .answers()
        .first()
        .map(|a| a.answer.clone())
        .unwrap_or_default()
}

/// Harmful item 2: every route where the police took a phone, or anyone asks for one by
/// agreement, says the person may refuse and cites s.39; every police route tells the
/// police letter that a device was taken.
#[test]
fn every_phone_route_says_the_person_may_refuse_and_cites_s39() {
    let library = library();
    let guide = library.guide("device-seizure").unwrap();
    let (mut police, mut asked) = (0, 0);
    for session in sessions_at_outcomes(guide) {
        let by_police = first_choice_label(&session) == "The police"
            || choice_at(guide, &session, "ask-where") == Some(1);
        let by_agreement = choice_at(guide, &session, "ask-role-now") == Some(1);
        if by_police {
            police += 1;
            assert_eq!(
                session.facts().get("device_seized").map(String::as_str),
                Some("yes"),
                "{}: the police letter is not told a device was taken",
                session.current().id
            );
        }
        if by_agreement {
            asked += 1;
        }
        if by_police || by_agreement {
            says_may_refuse_citing_s39(guide, &session).unwrap();
        }
    }
    assert!(
        police >= 5 && asked >= 1,
        "{police} police and {asked} asked routes"
    );

    let guide = library.guide("reporting-abuse").unwrap();
    let mut reported = 0;
    for session in sessions_at_outcomes(guide) {
        let Some(phone) = choice_at(guide, &session, "ask-police-phone") else {
            continue;
        };
        reported += 1;
        says_may_refuse_citing_s39(guide, &session).unwrap();
        let seized = session.facts().get("device_seized").cloned();
        assert_eq!(seized.is_some(), phone == 0, "{}", session.current().id);
    }
    assert!(reported > 0);
    let exploitation = sessions_at_outcomes(guide)
        .into_iter()
        .find(|s| s.current().id == "exploitation")
        .expect("the forced-work route is reachable");
    says_may_refuse_citing_s39(guide, &exploitation).unwrap();
}

/// Second reading: in the phone guide, every way to an outcome that offers a letter to a
/// police force tells that letter a device was taken, even where the client does not yet
/// know who took it (ask-where, "Somewhere else, or I do not know").
#[test]
fn every_police_letter_offered_by_the_phone_guide_is_told_a_device_was_taken() {
    let library = library();
    let guide = library.guide("device-seizure").unwrap();
    let mut offered = 0;
    for session in sessions_at_outcomes(guide) {
        if !letters_to(&session).iter().any(|o| o == "police-force") {
            continue;
        }
        offered += 1;
        assert_eq!(
            session.facts().get("device_seized").map(String::as_str),
            Some("yes"),
            "{}: a police letter is offered without device_seized",
            session.current().id
        );
    }
    assert!(offered >= 6, "only {offered} ways offer a police letter");
}

/// Harmful item 4: the EUSS route says settled status survives leaving the abuser and
/// that pre-settled status needs the retained-right route, in the client's words.
#[test]
fn the_euss_route_states_what_happens_to_settled_and_pre_settled_status() {
    let library = library();
    let guide = library.guide("reporting-abuse").unwrap();
    let mut euss_outcomes = 0;
    for node in &guide.nodes {
        let NodeKind::Outcome(o) = &node.kind else {
            continue;
        };
        if !o.advice.contains("EU Settlement Scheme") {
            continue;
        }
        euss_outcomes += 1;
        let advice = o.advice.to_lowercase();
        for needed in [
            "settled status is yours",
            "does not end if you leave",
            "pre-settled status",
            "does not end just because you leave",
            "retained right of residence",
        ] {
            assert!(advice.contains(needed), "{}: lacks \"{needed}\"", node.id);
        }
        assert!(o.sources.iter().any(|s| s == "appendix-eu"), "{}", node.id);
    }
    assert!(
        euss_outcomes >= 2,
        "{euss_outcomes} outcomes speak of the EUSS"
    );
    let reached = sessions_at_outcomes(guide).into_iter().any(|s| {
        s.current().id == "mvdac-euss"
            && s.answers()
                .iter()
                .any(|a| a.answer.contains("EU Settlement Scheme"))
    });
    assert!(reached, "the EUSS choice does not reach the EUSS outcome");
}

/// Harmful item 1 / M2: a Home Office request from digital safety is asked about
/// permission to stay first; without it, the route is not low risk and, where the client
/// does not want the Home Office to know the address, the letter is told so.
#[test]
fn a_home_office_request_without_permission_to_stay_is_gated_and_not_low_risk() {
    let library = library();
    let guide = library.guide("digital-safety").unwrap();
    let mut gated = 0;
    for session in sessions_at_outcomes(guide) {
        if !letters_to(&session).iter().any(|o| o == "home-office") {
            continue;
        }
        let id = session.current().id.clone();
        let permission = choice_at(guide, &session, "ask-permission")
            .unwrap_or_else(|| panic!("{id}: Home Office letter with no permission question"));
        if permission == 2 {
            gated += 1;
            let risk = session.outcome().unwrap().risk;
            assert!(matches!(risk, Risk::High | Risk::Urgent), "{id}: {risk:?}");
            let known = choice_at(guide, &session, "ask-ho-address").unwrap();
            assert_eq!(
                session.facts().contains_key("address_known_to_body"),
                known == 0,
                "{id}"
            );
            assert!(
                session
                    .outcome()
                    .unwrap()
                    .advice
                    .contains("does not need your home address"),
                "{id}"
            );
        }
    }
    assert!(gated >= 2);
}

/// Harmful item 1: where reporting-abuse offers a police or Home Office letter and the
/// client fears the address being passed on, the letters are told the body does not know it.
#[test]
fn abuse_letters_to_the_police_or_home_office_leave_out_a_feared_address() {
    let library = library();
    let guide = library.guide("reporting-abuse").unwrap();
    let mut checked = 0;
    for session in sessions_at_outcomes(guide) {
        let letters = letters_to(&session);
        if !letters
            .iter()
            .any(|o| o == "home-office" || o == "police-force")
        {
            continue;
        }
        let id = session.current().id.clone();
        let feared = choice_at(guide, &session, "ask-address")
            .unwrap_or_else(|| panic!("{id}: a letter without asking about the address"));
        let facts: BTreeMap<String, String> = session.facts();
        let left_out = facts.get("address_known_to_body").map(String::as_str) == Some("no");
        assert_eq!(left_out, feared == 0, "{id}: {facts:?}");
        checked += 1;
    }
    assert!(checked >= 10, "{checked} letter routes");
}

/// Wrong item 6: the tagging duty is UK-wide. Any text in the tag guide that names England
/// and Wales names Scotland and Northern Ireland too.
#[test]
fn the_tag_guide_never_describes_the_duty_as_england_and_wales_only() {
    let library = library();
    let guide = library.guide("electronic-monitoring").unwrap();
    let mut texts: Vec<(String, String)> = Vec::new();
    for node in &guide.nodes {
        if let Some(note) = &node.adviser_note {
            texts.push((node.id.clone(), note.clone()));
        }
        match &node.kind {
            NodeKind::Outcome(o) => texts.push((node.id.clone(), o.advice.clone())),
            NodeKind::Question { text, .. } | NodeKind::Info { text, .. } => {
                texts.push((node.id.clone(), text.clone()))
            }
        }
    }
    for (id, text) in texts {
        let flat = text.replace("\\\n", " ").replace('\n', " ");
        let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.contains("England and Wales") {
            assert!(
                flat.contains("Scotland and Northern Ireland"),
                "{id}: England and Wales without Scotland and Northern Ireland"
            );
        }
        assert!(
            !flat.contains("every three months") && !flat.contains("every 3 months"),
            "{id}: reviews are every 4 months"
        );
    }
}

/// Missing routes M3, M4, M8, M10: each is reached from the question an adviser starts
/// with. Forced work is reached from reporting-abuse and, by a link, from right-to-work.
#[test]
fn the_new_routes_are_reached_from_where_an_adviser_starts() {
    let library = library();
    for (guide_id, outcome) in [
        ("reporting-abuse", "exploitation"),
        ("right-to-work", "out-owed-no-permission"),
        ("right-to-work", "out-windrush"),
        ("electronic-monitoring", "non-fitted"),
    ] {
        let guide = library.guide(guide_id).unwrap();
        assert!(
            sessions_at_outcomes(guide)
                .iter()
                .any(|s| s.current().id == outcome),
            "{guide_id}/{outcome} is not reachable"
        );
    }
    let work = library.guide("right-to-work").unwrap();
    let NodeKind::Question { choices, .. } = &work.nodes[work.start].kind else {
        panic!("right-to-work starts with a question");
    };
    assert!(
        choices
            .iter()
            .any(|c| matches!(&c.target, Target::Guide(g) if g == "reporting-abuse")),
        "right-to-work's first question does not lead to the forced-work route"
    );
    let abuse = library.guide("reporting-abuse").unwrap();
    let exploitation = abuse.nodes.iter().find(|n| n.id == "exploitation").unwrap();
    let NodeKind::Outcome(o) = &exploitation.kind else {
        panic!("exploitation is an outcome");
    };
    for needed in [
        "National Referral Mechanism",
        "if you agree",
        "must not give your name",
        "hospital care",
    ] {
        assert!(o.advice.contains(needed), "exploitation lacks \"{needed}\"");
    }
    assert!(o.sources.iter().any(|s| s == "msa-2015-s52"));
}

/// Style F17: the singled-out route tells the employer letter why it is asked.
#[test]
fn the_singled_out_route_records_it_for_the_employer_letter() {
    let library = library();
    let guide = library.guide("right-to-work").unwrap();
    let session = sessions_at_outcomes(guide)
        .into_iter()
        .find(|s| s.current().id == "out-singled-out")
        .unwrap();
    assert_eq!(
        session.facts().get("singled_out").map(String::as_str),
        Some("yes")
    );
    assert!(letters_to(&session).iter().any(|o| o == "employer"));
}
