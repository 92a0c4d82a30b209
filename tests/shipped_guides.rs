//! The shipped guides: every one loads with no problem, every path reaches an outcome,
//! every outcome is sourced, the client-facing text is plain English, and the written
//! scenarios walk to the outcomes they expect.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use sanctuary::guide::engine::Advance;
use sanctuary::guide::model::Target;
use sanctuary::guide::{Guide, GuideSource, Library, NodeKind, Session, readability};
use serde::Deserialize;

/// The day the checks are made as of: the newest review date among the shipped guides,
/// so the suite gives the same answer whatever the machine's clock says (a guide
/// reviewed more than a year before the newest one still warns).
fn today() -> NaiveDate {
    let far = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    Library::load(&GuideSource::Embedded, far, None)
        .expect("the shipped guides load")
        .guides
        .iter()
        .map(|g| g.last_reviewed)
        .max()
        .expect("guides are shipped")
}

fn library() -> Library {
    Library::load(&GuideSource::Embedded, today(), None).expect("the shipped guides load")
}

const SHIPPED: [&str; 8] = [
    "data-sharing",
    "right-to-work",
    "reporting-abuse",
    "immigration-exemption",
    "device-seizure",
    "electronic-monitoring",
    "digital-safety",
    "nhs-and-data",
];

#[test]
fn every_shipped_guide_validates_without_errors_or_warnings() {
    let catalogue = sanctuary::letter::Catalogue::embedded().unwrap();
    let (library, problems) =
        Library::check(&GuideSource::Embedded, today(), Some(&catalogue)).unwrap();
    assert!(problems.is_empty(), "problems: {problems:#?}");
    for id in SHIPPED {
        assert!(library.guide(id).is_some(), "guide {id} is not shipped");
    }
}

/// Every path from the start, as the list of choice indices taken, and where it ends.
fn all_paths(guide: &Guide) -> Vec<(Vec<usize>, String)> {
    let mut done = Vec::new();
    let mut stack = vec![(Session::new(Arc::new(guide.clone())), Vec::new())];
    while let Some((session, path)) = stack.pop() {
        match &session.current().kind {
            NodeKind::Outcome(_) => done.push((path, session.current().id.clone())),
            NodeKind::Info { .. } => {
                let mut next = session.clone();
                next.proceed().unwrap();
                stack.push((next, path));
            }
            NodeKind::Question { choices, .. } => {
                for i in 0..choices.len() {
                    let mut next = session.clone();
                    let mut p = path.clone();
                    p.push(i);
                    match next.choose(i).unwrap() {
                        Advance::Moved => stack.push((next, p)),
                        Advance::OpenGuide(id) => done.push((p, format!("guide:{id}"))),
                    }
                }
            }
        }
        assert!(done.len() < 100_000, "{} has too many paths", guide.id);
    }
    done
}

#[test]
fn every_path_through_every_guide_reaches_an_outcome_or_another_guide() {
    let library = library();
    for guide in &library.guides {
        let paths = all_paths(guide);
        assert!(!paths.is_empty());
        let mut outcomes_reached = std::collections::BTreeSet::new();
        for (path, end) in &paths {
            match end.strip_prefix("guide:") {
                Some(other) => assert!(
                    library.guide(other).is_some(),
                    "{}: {path:?} opens missing {other}",
                    guide.id
                ),
                None => {
                    outcomes_reached.insert(end.clone());
                }
            }
        }
        let outcomes: Vec<&str> = guide
            .nodes
            .iter()
            .filter(|n| matches!(n.kind, NodeKind::Outcome(_)))
            .map(|n| n.id.as_str())
            .collect();
        for o in outcomes {
            assert!(
                outcomes_reached.contains(o),
                "{}: outcome {o} is on no path",
                guide.id
            );
        }
    }
}

#[test]
fn every_outcome_cites_a_source_with_a_title_and_a_locator() {
    for guide in &library().guides {
        for node in &guide.nodes {
            if let NodeKind::Outcome(o) = &node.kind {
                assert!(
                    !o.sources.is_empty(),
                    "{}/{} cites nothing",
                    guide.id,
                    node.id
                );
                for id in &o.sources {
                    let s = guide.source(id).unwrap();
                    assert!(!s.title.trim().is_empty());
                    assert!(!s.locator().trim().is_empty(), "{}: source {id}", guide.id);
                }
                assert!(
                    node.adviser_note.is_some(),
                    "{}/{} has no adviser note",
                    guide.id,
                    node.id
                );
            }
        }
    }
}

#[test]
fn only_outcomes_offering_a_home_office_request_flag_the_immigration_exemption() {
    for guide in &library().guides {
        for node in &guide.nodes {
            if let NodeKind::Outcome(o) = &node.kind {
                let to_home_office = o.actions.iter().any(|a| {
                    a.letter
                        .as_ref()
                        .is_some_and(|l| l.organisation == "home-office")
                });
                if o.immigration_exemption {
                    assert!(
                        to_home_office,
                        "{}/{}: exemption flagged with no Home Office letter",
                        guide.id, node.id
                    );
                }
            }
        }
    }
}

#[test]
fn every_guide_reads_as_plain_english() {
    for guide in &library().guides {
        let score = readability::score(guide.client_texts());
        println!("{}: Flesch reading ease {score:.1}", guide.id);
        assert!(score >= 60.0, "{} scores {score:.1}, below 60", guide.id);
    }
}

#[test]
fn the_reporting_abuse_guide_announces_the_quick_exit() {
    let library = library();
    assert!(library.guide("reporting-abuse").unwrap().safety_notice);
}

#[test]
fn the_data_sharing_guide_links_into_the_other_guides() {
    let library = library();
    let guide = library.guide("data-sharing").unwrap();
    let mut linked = std::collections::BTreeSet::new();
    for node in &guide.nodes {
        match &node.kind {
            NodeKind::Question { choices, .. } => {
                for c in choices {
                    if let Target::Guide(g) = &c.target {
                        linked.insert(g.clone());
                    }
                }
            }
            NodeKind::Outcome(o) => linked.extend(o.actions.iter().filter_map(|a| a.guide.clone())),
            NodeKind::Info { .. } => {}
        }
    }
    for other in SHIPPED
        .iter()
        .filter(|g| !["data-sharing", "digital-safety"].contains(g))
    {
        assert!(
            linked.contains(*other),
            "data-sharing does not link to {other}"
        );
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    scenario: Vec<Scenario>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    name: String,
    answers: Vec<usize>,
    outcome: String,
}

/// Walks a scenario: answers are 1-based choices at each question; info screens pass.
fn walk(
    guide: &Arc<Guide>,
    answers: &[usize],
) -> Result<(String, BTreeMap<String, String>), String> {
    let mut session = Session::new(guide.clone());
    let mut answers = answers.iter();
    loop {
        match &session.current().kind {
            NodeKind::Outcome(_) => {
                if let Some(extra) = answers.next() {
                    return Err(format!(
                        "reached {} with answer {extra} left over",
                        session.current().id
                    ));
                }
                return Ok((session.current().id.clone(), session.facts()));
            }
            NodeKind::Info { .. } => {
                session.proceed().unwrap();
            }
            NodeKind::Question { .. } => {
                let Some(&n) = answers.next() else {
                    return Err(format!("ran out of answers at {}", session.current().id));
                };
                match session.choose(n - 1).map_err(|e| e.to_string())? {
                    Advance::Moved => {}
                    Advance::OpenGuide(g) => return Err(format!("opened guide {g}")),
                }
            }
        }
    }
}

#[test]
fn every_guide_has_at_least_three_scenarios_and_each_reaches_its_outcome() {
    let library = library();
    for id in SHIPPED {
        let path = format!("{}/tests/scenarios/{id}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let file: ScenarioFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            file.scenario.len() >= 3,
            "{id} has {} scenarios",
            file.scenario.len()
        );
        let guide = library.guide(id).unwrap();
        for s in &file.scenario {
            let (reached, _) =
                walk(guide, &s.answers).unwrap_or_else(|e| panic!("{id}: {}: {e}", s.name));
            assert_eq!(reached, s.outcome, "{id}: scenario \"{}\"", s.name);
        }
    }
}

#[test]
fn glossary_explains_the_key_terms() {
    let library = library();
    for term in [
        "subject access request",
        "Home Office",
        "immigration bail",
        "share code",
    ] {
        assert!(
            library
                .glossary
                .terms
                .iter()
                .any(|t| t.term.eq_ignore_ascii_case(term)),
            "glossary lacks {term}"
        );
    }
}

#[path = "common/guide_walk.rs"]
mod guide_walk;
use guide_walk::sessions_at_outcomes;

fn letters_offered(session: &Session) -> Vec<(String, String)> {
    session
        .outcome()
        .map(|o| {
            o.actions
                .iter()
                .filter_map(|a| a.letter.as_ref())
                .map(|l| (l.template.clone(), l.organisation.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Issue 13, harmful item 1: a phone the police took is the police force's matter.
#[test]
fn a_phone_taken_by_the_police_leads_to_a_request_to_the_force_never_the_home_office() {
    let library = library();
    let guide = library.guide("device-seizure").unwrap();
    let first = &guide.nodes[guide.start];
    let NodeKind::Question { choices, .. } = &first.kind else {
        panic!("device-seizure asks first who took the phone");
    };
    let police = choices
        .iter()
        .position(|c| c.label.to_lowercase().starts_with("the police"))
        .expect("a choice for the police");
    let mut police_outcomes = 0;
    for session in sessions_at_outcomes(guide) {
        let answers = session.answers();
        if answers.first().map(|a| a.answer.as_str()) != Some(choices[police].label.as_str()) {
            continue;
        }
        police_outcomes += 1;
        let letters = letters_offered(&session);
        let id = &session.current().id;
        assert!(
            letters.contains(&("sar-police".to_string(), "police-force".to_string())),
            "{id}: {letters:?}"
        );
        assert!(
            letters.iter().all(|(_, org)| org != "home-office"),
            "{id} sends a police matter to the Home Office: {letters:?}"
        );
    }
    assert!(police_outcomes > 0);
}

/// Issue 13, harmful item 2: before any talk of paying a hospital bill, the guide asks
/// whether the client is exempt as a person (surcharge paid, asylum, and the rest).
#[test]
fn every_hospital_charging_path_asks_the_exemptions_for_people_first() {
    let library = library();
    for id in ["nhs-and-data", "data-sharing"] {
        let guide = library.guide(id).unwrap();
        let mut charging = 0;
        for session in sessions_at_outcomes(guide) {
            let facts = session.facts();
            if facts.get("nhs_charging").map(String::as_str) != Some("yes") {
                continue;
            }
            // Routes that end before the exemptions for people, by design: the hospital is
            // outside England, the client lives here as British or settled (ordinary
            // residence comes first), or the client says a debt was reported in error.
            // tests/guides_nhs.rs checks those routes.
            let outside_england = facts.get("nation").is_some_and(|n| n != "england");
            let resident = facts.get("ordinarily_resident").map(String::as_str) == Some("likely");
            if outside_england || resident || facts.contains_key("wrong_report") {
                continue;
            }
            charging += 1;
            let asked = session.answers().iter().any(|a| {
                a.question.contains("Before we talk about")
                    && guide.nodes.iter().any(|n| match &n.kind {
                        NodeKind::Question { text, choices } => {
                            text == &a.question
                                && choices.iter().any(|c| c.label.contains("Health Surcharge"))
                                && choices.iter().any(|c| c.label.contains("asylum"))
                        }
                        _ => false,
                    })
            });
            assert!(
                asked,
                "{id}: {} is reached without asking the exemptions for people: {:?}",
                session.current().id,
                session.answers()
            );
        }
        assert!(charging > 0, "{id} has charging outcomes");
    }
}

/// Issue 13, harmful item 3: no path for a victim of abuse suggests an ACRO request,
/// and wherever ACRO is named the client is told it may pass details on.
#[test]
fn abuse_victims_are_not_sent_to_acro_and_acro_comes_with_its_warning() {
    let library = library();
    let guide = library.guide("reporting-abuse").unwrap();
    for session in sessions_at_outcomes(guide) {
        let letters = letters_offered(&session);
        assert!(
            letters.iter().all(|(_, org)| org != "acro"),
            "{}: {letters:?}",
            session.current().id
        );
    }
    for node in &guide.nodes {
        if let NodeKind::Outcome(o) = &node.kind
            && o.advice.contains("ACRO")
        {
            let advice = o.advice.to_lowercase();
            assert!(
                advice.contains("pass") || advice.contains("share"),
                "{}: ACRO is named without saying it may pass details on",
                node.id
            );
        }
    }
}
