//! The NHS and Home Office routes of the shipped guides (issue 19): ordinary residence is
//! asked before anything about exemptions or paying, a wrongly reported NHS debt is
//! corrected with both bodies, and a Home Office request is gated on permission to stay
//! and on whether the Home Office knows where the client lives.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sanctuary::guide::model::Risk;
use sanctuary::guide::{Guide, GuideSource, Library, NodeKind, Session};

#[path = "common/guide_walk.rs"]
mod guide_walk;
use guide_walk::sessions_at_outcomes;

fn library() -> Library {
    let far = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    Library::load(&GuideSource::Embedded, far, None).expect("the shipped guides load")
}

/// One way through a guide to an outcome: the facts each answer recorded, in order, and
/// the session standing on the outcome.
struct Walk {
    steps: Vec<BTreeMap<String, String>>,
    session: Session,
}

impl Walk {
    /// The position of the first answer that recorded `fact`, if any.
    fn first(&self, fact: &str) -> Option<usize> {
        self.steps.iter().position(|f| f.contains_key(fact))
    }

    fn fact(&self, fact: &str) -> Option<String> {
        self.session.facts().get(fact).cloned()
    }

    fn outcome_id(&self) -> &str {
        &self.session.current().id
    }

    /// The letters this outcome offers, as "template to organisation".
    fn letters(&self) -> Vec<String> {
        let actions = self.session.outcome().map(|o| o.actions.as_slice());
        actions
            .unwrap_or_default()
            .iter()
            .filter_map(|a| a.letter.as_ref())
            .map(|l| format!("{} to {}", l.template, l.organisation))
            .collect()
    }

    fn offers(&self, template: &str, organisation: &str) -> bool {
        self.letters()
            .contains(&format!("{template} to {organisation}"))
    }
}

/// Every way through a guide to an outcome, with the facts each answer recorded.
fn walks(guide: &Guide) -> Vec<Walk> {
    sessions_at_outcomes(guide)
        .into_iter()
        .map(|session| {
            let steps = session
                .answers()
                .iter()
                .map(|a| facts_of_answer(guide, &a.question, &a.answer))
                .collect();
            Walk { steps, session }
        })
        .collect()
}

/// The facts the choice labelled `answer`, at the question asking `question`, records.
fn facts_of_answer(guide: &Guide, question: &str, answer: &str) -> BTreeMap<String, String> {
    guide
        .nodes
        .iter()
        .find_map(|n| match &n.kind {
            NodeKind::Question { text, choices } if text == question => choices
                .iter()
                .find(|c| c.label == answer)
                .map(|c| c.facts.clone()),
            _ => None,
        })
        .expect("every answer is a choice of a question of the guide")
}

const CHARGING_GUIDES: [&str; 2] = ["nhs-and-data", "data-sharing"];

/// Every way through each guide that has hospital charging routes, with the guide's id.
fn charging_guide_walks() -> Vec<(&'static str, Vec<Walk>)> {
    let library = library();
    CHARGING_GUIDES
        .iter()
        .map(|id| (*id, walks(library.guide(id).unwrap())))
        .collect()
}

/// Harmful item 3: only an overseas visitor may be charged, so every charging path asks
/// whether the client lives here as British or settled before any exemption or debt
/// question, and asks where the hospital is before that.
#[test]
fn every_charging_path_asks_ordinary_residence_before_the_exemptions_and_the_bill() {
    for (id, walks) in charging_guide_walks() {
        let mut charging = 0;
        for walk in walks {
            if walk.fact("nhs_charging").as_deref() != Some("yes") {
                continue;
            }
            charging += 1;
            let outcome = walk.outcome_id().to_string();
            let outside_england = walk.fact("nation").is_some_and(|n| n != "england");
            if outside_england {
                assert!(
                    walk.first("nhs_exemption").is_none()
                        && walk.first("ordinarily_resident").is_none(),
                    "{id}/{outcome}: English rules asked of a hospital outside England"
                );
                continue;
            }
            let residence = walk.first("ordinarily_resident").unwrap_or_else(|| {
                panic!("{id}/{outcome}: a charging path that never asks ordinary residence")
            });
            if let Some(exemption) = walk.first("nhs_exemption") {
                assert!(
                    residence < exemption,
                    "{id}/{outcome}: the exemptions are asked before ordinary residence"
                );
                assert_eq!(
                    walk.steps[residence]
                        .get("ordinarily_resident")
                        .map(String::as_str),
                    Some("not-shown"),
                    "{id}/{outcome}: a client who lives here as British or settled is asked the exemptions"
                );
            }
            if let Some(nation) = walk.first("nation") {
                assert!(
                    nation < residence,
                    "{id}/{outcome}: ordinary residence is asked before the nation"
                );
            }
        }
        assert!(charging > 10, "{id} has only {charging} charging paths");
    }
}

/// Harmful item 3, the outcome: a British or settled client who lives here is told not
/// to pay, and is offered the challenge to the trust and a request for the charging records.
#[test]
fn a_resident_client_is_told_not_to_pay_and_offered_the_challenge_and_the_records() {
    for (id, walks) in charging_guide_walks() {
        let resident: Vec<Walk> = walks
            .into_iter()
            .filter(|w| w.fact("ordinarily_resident").as_deref() == Some("likely"))
            .collect();
        assert!(
            !resident.is_empty(),
            "{id} has no ordinary-residence outcome"
        );
        for walk in resident {
            let outcome = walk.session.outcome().unwrap();
            let advice = outcome.advice.to_lowercase();
            let id_here = walk.outcome_id();
            assert!(
                advice.contains("do not pay")
                    && !advice.contains("plan to pay")
                    && !advice.contains("pay the bill, if"),
                "{id}/{id_here} does not tell the client not to pay"
            );
            assert!(advice.contains("british") && advice.contains("pre-settled"));
            assert!(
                walk.offers("charging-challenge", "nhs-trust"),
                "{id}/{id_here}: {:?}",
                walk.letters()
            );
            assert!(walk.offers("sar-nhs", "nhs-trust"));
            assert_eq!(walk.fact("nhs_charging").as_deref(), Some("yes"));
            assert_eq!(
                walk.fact("charging_ground").as_deref(),
                Some("ordinarily_resident"),
                "{id}/{id_here}: the challenge letter must argue ordinary residence"
            );
        }
    }
}

/// Harmful item 5: an exempt client, or one who paid, whose debt may still have been
/// reported is offered a correction to the trust (Art 16 with Art 19) and to the Home Office.
#[test]
fn a_wrongly_reported_debt_is_corrected_with_the_trust_and_the_home_office() {
    for (id, walks) in charging_guide_walks() {
        let mut checked = 0;
        for walk in walks {
            let exempt = walk
                .fact("nhs_exemption")
                .is_some_and(|e| e != "none-or-not-sure");
            let wrong_report = walk.fact("wrong_report").is_some();
            let paid = walk.outcome_id() == "debt-paid";
            if !(exempt || wrong_report || paid) {
                continue;
            }
            checked += 1;
            if exempt {
                assert!(
                    walk.offers("charging-challenge", "nhs-trust")
                        && walk.fact("charging_ground").as_deref() == Some("exempt"),
                    "{id}/{}: an exempt client is not offered the challenge on the exempt ground",
                    walk.outcome_id()
                );
            }
            assert!(
                walk.offers("rectification", "nhs-trust")
                    && walk.offers("rectification-home-office", "home-office"),
                "{id}/{}: {:?}",
                walk.outcome_id(),
                walk.letters()
            );
        }
        assert!(checked > 0, "{id}: no exempt or paid route");
    }
}

/// Harmful item 1 and M2: a Home Office request from the "what does it hold" routes first
/// asks about permission to stay and whether the Home Office knows the address; a client
/// without permission gets a higher risk than low, and "does not know" records the fact
/// that keeps the address out of the letter.
#[test]
fn a_home_office_request_is_gated_on_permission_and_on_the_address() {
    let library = library();
    let mut gated = 0;
    for id in ["data-sharing", "immigration-exemption"] {
        let guide = library.guide(id).unwrap();
        for walk in walks(guide) {
            let Some(permission) = walk.fact("immigration_permission") else {
                continue;
            };
            gated += 1;
            let permission_at = walk.first("immigration_permission").unwrap();
            let outcome = walk.session.outcome().unwrap();
            let here = walk.outcome_id();
            assert!(
                walk.offers("sar-home-office", "home-office"),
                "{id}/{here}: the gate leads to no request"
            );
            // The address answer comes straight after the permission answer.
            let address = &walk.steps[permission_at + 1];
            let said_no = address.get("address_known_to_body").map(String::as_str) == Some("no");
            let answer = &walk.session.answers()[permission_at + 1];
            assert!(
                answer.question.contains("know where you live"),
                "{answer:?}"
            );
            assert_eq!(
                said_no,
                !answer.answer.starts_with("Yes"),
                "{id}/{here}: answer {:?} and the address fact disagree",
                answer.answer
            );
            if permission != "yes" {
                assert!(
                    matches!(outcome.risk, Risk::High | Risk::Urgent),
                    "{id}/{here}: a client without permission to stay is graded {:?}",
                    outcome.risk
                );
                let advice = outcome.advice.to_lowercase();
                assert!(advice.contains("lawyer") && advice.contains("home address"));
            }
        }
    }
    assert!(gated >= 12, "only {gated} gated paths");
}

/// M7: a hospital outside England is never answered with England's rules.
#[test]
fn a_hospital_outside_england_is_told_the_english_rules_are_englands() {
    for (id, walks) in charging_guide_walks() {
        let mut seen = 0;
        for walk in walks {
            if walk.fact("nation").is_none_or(|n| n == "england") {
                continue;
            }
            seen += 1;
            let advice = walk.session.outcome().unwrap().advice.clone();
            assert!(advice.contains("rules for England"), "{id}: {advice}");
            for english_only in ["£500", "150%", "2 months", "Immigration Health Surcharge"] {
                assert!(!advice.contains(english_only), "{id}: says {english_only}");
            }
        }
        assert!(seen > 0, "{id} never asks the nation");
    }
}

/// M9: erasure, restriction and objection letters exist for the Home Office, with the
/// exemption flagged (para 4 covers Arts 17, 18 and 21), and for the police without objection.
#[test]
fn erasure_restriction_and_objection_routes_offer_the_right_letters() {
    let library = library();
    let guide = library.guide("immigration-exemption").unwrap();
    let all = walks(guide);
    let at = |id: &str| all.iter().find(|w| w.outcome_id() == id).unwrap();
    let home_office = at("out-erase-home-office");
    for t in ["erasure", "restriction", "objection"] {
        assert!(home_office.offers(t, "home-office"), "{t}");
    }
    assert!(home_office.session.outcome().unwrap().immigration_exemption);
    let police = at("out-erase-police");
    assert!(
        police.offers("erasure", "police-force") && police.offers("restriction", "police-force")
    );
    assert!(!police.letters().iter().any(|l| l.starts_with("objection")));
    let other = at("out-erase-other");
    for t in ["erasure", "restriction", "objection"] {
        assert!(other.offers(t, "other"), "{t}");
    }
}

/// Style item F4: adviser notes say in words what a path records, not the internal fact names.
#[test]
fn adviser_notes_never_show_internal_fact_names() {
    let library = library();
    for id in ["nhs-and-data", "data-sharing", "immigration-exemption"] {
        let guide = library.guide(id).unwrap();
        for node in &guide.nodes {
            let note = node.adviser_note.as_deref().unwrap_or_default();
            for name in [
                "nhs_charging",
                "home_office_sharing",
                "nhs_exemption",
                "address_known_to_body",
                "ordinarily_resident",
            ] {
                assert!(!note.contains(name), "{id}/{}: {name}", node.id);
            }
        }
    }
}

/// Harmful item 1 beyond the gated routes: every other outcome that offers a Home Office
/// request tells the adviser it is not low risk without permission to stay, and why.
#[test]
fn every_ungated_home_office_request_carries_the_permission_warning() {
    let library = library();
    for id in ["data-sharing", "nhs-and-data"] {
        let guide = library.guide(id).unwrap();
        let mut seen = 0;
        for walk in walks(guide) {
            if !walk.offers("sar-home-office", "home-office")
                || walk.fact("immigration_permission").is_some()
            {
                continue;
            }
            seen += 1;
            let note = walk
                .session
                .current()
                .adviser_note
                .as_deref()
                .unwrap_or_default();
            assert!(
                note.contains("not low risk for a client without permission to stay")
                    && note.contains("home address out"),
                "{id}/{}: no warning before a Home Office request",
                walk.outcome_id()
            );
        }
        assert!(seen > 0, "{id}");
    }
}
