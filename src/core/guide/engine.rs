//! Walking a guide: the current node, the answers so far, back, restart, the facts the
//! choices recorded, and a summary of the run. Pure state, no terminal.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use chrono::NaiveDate;

use super::model::{Action, Guide, Node, NodeKind, Outcome, Risk, Target};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("there is no choice {choice}: this question has {count} choices")]
    NoSuchChoice { choice: usize, count: usize },
    #[error("this step is not a question, so there is nothing to choose")]
    NotAQuestion,
    #[error("this step is not an information screen")]
    NotInfo,
}

/// What a step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Advance {
    /// Moved to another node of this guide.
    Moved,
    /// The choice opens another guide, by id; this session stays where it was.
    OpenGuide(String),
}

/// One step already taken: the node, and the choice made there (none for an info screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Step {
    node: usize,
    choice: Option<usize>,
}

/// A question and the answer given, as the client saw them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub question: String,
    pub answer: String,
}

/// One run through a guide.
#[derive(Debug, Clone)]
pub struct Session {
    guide: Arc<Guide>,
    trail: Vec<Step>,
    current: usize,
    carried_facts: BTreeMap<String, String>,
}

impl Session {
    pub fn new(guide: Arc<Guide>) -> Session {
        Session::with_facts(guide, BTreeMap::new())
    }

    /// Starts a guide with facts gathered elsewhere, e.g. by the guide that opened this one.
    pub fn with_facts(guide: Arc<Guide>, facts: BTreeMap<String, String>) -> Session {
        let current = guide.start;
        Session {
            guide,
            trail: Vec::new(),
            current,
            carried_facts: facts,
        }
    }

    pub fn guide(&self) -> &Arc<Guide> {
        &self.guide
    }

    pub fn current(&self) -> &Node {
        &self.guide.nodes[self.current]
    }

    /// 1 on the first screen, and one more for each step taken.
    pub fn step_number(&self) -> usize {
        self.trail.len() + 1
    }

    pub fn can_go_back(&self) -> bool {
        !self.trail.is_empty()
    }

    /// Answers the current question with choice `index` (0-based).
    pub fn choose(&mut self, index: usize) -> Result<Advance, EngineError> {
        let NodeKind::Question { choices, .. } = &self.current().kind else {
            return Err(EngineError::NotAQuestion);
        };
        let choice = choices.get(index).ok_or(EngineError::NoSuchChoice {
            choice: index + 1,
            count: choices.len(),
        })?;
        match &choice.target {
            Target::Node(next) => {
                let next = *next;
                self.trail.push(Step {
                    node: self.current,
                    choice: Some(index),
                });
                self.current = next;
                Ok(Advance::Moved)
            }
            Target::Guide(id) => Ok(Advance::OpenGuide(id.clone())),
        }
    }

    /// Moves on from an information screen.
    pub fn proceed(&mut self) -> Result<Advance, EngineError> {
        let NodeKind::Info { next, .. } = self.current().kind else {
            return Err(EngineError::NotInfo);
        };
        self.trail.push(Step {
            node: self.current,
            choice: None,
        });
        self.current = next;
        Ok(Advance::Moved)
    }

    /// Undoes the last step. Returns false at the first screen.
    pub fn back(&mut self) -> bool {
        match self.trail.pop() {
            Some(step) => {
                self.current = step.node;
                true
            }
            None => false,
        }
    }

    /// The choice made at the last question answered, if any: where Back puts the
    /// highlight, so the adviser sees what was chosen before.
    pub fn last_choice(&self) -> Option<usize> {
        self.trail.last().and_then(|step| step.choice)
    }

    pub fn restart(&mut self) {
        self.trail.clear();
        self.current = self.guide.start;
    }

    /// The questions answered so far, in order.
    pub fn answers(&self) -> Vec<Answer> {
        self.trail
            .iter()
            .filter_map(|step| {
                let node = &self.guide.nodes[step.node];
                match (&node.kind, step.choice) {
                    (NodeKind::Question { text, choices }, Some(c)) => Some(Answer {
                        question: text.clone(),
                        answer: choices[c].label.clone(),
                    }),
                    _ => None,
                }
            })
            .collect()
    }

    /// Facts recorded by the choices made (later choices win), over any carried in.
    pub fn facts(&self) -> BTreeMap<String, String> {
        let mut facts = self.carried_facts.clone();
        for step in &self.trail {
            if let (NodeKind::Question { choices, .. }, Some(c)) =
                (&self.guide.nodes[step.node].kind, step.choice)
            {
                facts.extend(choices[c].facts.clone());
            }
        }
        facts
    }

    /// Facts including those the given choice at the current question would add: what a
    /// guide opened by that choice should start with.
    pub fn facts_after_choice(&self, index: usize) -> BTreeMap<String, String> {
        let mut facts = self.facts();
        if let NodeKind::Question { choices, .. } = &self.current().kind
            && let Some(choice) = choices.get(index)
        {
            facts.extend(choice.facts.clone());
        }
        facts
    }

    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.current().kind {
            NodeKind::Outcome(outcome) => Some(outcome),
            _ => None,
        }
    }

    /// A record of the run, once it has reached an outcome.
    pub fn summary(&self, date: NaiveDate) -> Option<RunSummary> {
        let outcome = self.outcome()?;
        Some(RunSummary {
            guide_id: self.guide.id.clone(),
            guide_title: self.guide.title.clone(),
            guide_reviewed: self.guide.last_reviewed,
            date,
            answers: self.answers(),
            outcome_id: self.current().id.clone(),
            outcome_title: outcome.title.clone(),
            risk: outcome.risk,
            advice: outcome.advice.trim().to_string(),
            adviser_note: self.current().adviser_note.clone().unwrap_or_default(),
            sources: outcome
                .sources
                .iter()
                .filter_map(|id| self.guide.source(id))
                .map(|s| (s.title.clone(), s.locator()))
                .collect(),
            actions: outcome.actions.clone(),
            facts: self.facts(),
            earlier: Vec::new(),
            steps_to_do: Vec::new(),
            client_language: None,
        })
    }

    /// What was asked and answered in this guide so far, and its outcome if it reached
    /// one: for the record of a session that went on into another guide.
    pub fn as_earlier(&self) -> EarlierGuide {
        EarlierGuide {
            guide_id: self.guide.id.clone(),
            guide_title: self.guide.title.clone(),
            answers: self.answers(),
            outcome: self.outcome().map(|o| EarlierOutcome {
                title: o.title.clone(),
                risk: o.risk,
                advice: o.advice.trim().to_string(),
            }),
            went_on_with: None,
        }
    }
}

/// An outcome of a guide and the picks that first reach it from the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomePath {
    /// The outcome, by index into `Guide::nodes`.
    pub node: usize,
    /// The 0-based choices made on the way, one a step: [`Session::choose`] takes them at
    /// a question, and an information screen (passed with [`Session::proceed`]) counts as 0.
    pub picks: Vec<usize>,
}

/// Every outcome of `guide` that can be reached from its start, in the order of the nodes,
/// each with the fewest picks that reach it (the lowest-numbered choices among equals).
/// Choices that open another guide are not followed. For tests and tools that need to
/// stand on each outcome of a guide.
pub fn outcome_paths(guide: &Guide) -> Vec<OutcomePath> {
    let mut path_to: Vec<Option<Vec<usize>>> = vec![None; guide.nodes.len()];
    let mut queue = VecDeque::from([(guide.start, Vec::new())]);
    while let Some((node, path)) = queue.pop_front() {
        if path_to[node].is_some() {
            continue;
        }
        path_to[node] = Some(path.clone());
        let step = |pick: usize| [path.clone(), vec![pick]].concat();
        match &guide.nodes[node].kind {
            NodeKind::Question { choices, .. } => {
                for (pick, choice) in choices.iter().enumerate() {
                    if let Target::Node(next) = choice.target {
                        queue.push_back((next, step(pick)));
                    }
                }
            }
            NodeKind::Info { next, .. } => queue.push_back((*next, step(0))),
            NodeKind::Outcome(_) => {}
        }
    }
    path_to
        .into_iter()
        .enumerate()
        .filter(|(node, _)| matches!(guide.nodes[*node].kind, NodeKind::Outcome(_)))
        .filter_map(|(node, picks)| {
            Some(OutcomePath {
                node,
                picks: picks?,
            })
        })
        .collect()
}

/// A guide walked earlier in the same session, before it went on into another guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierGuide {
    pub guide_id: String,
    pub guide_title: String,
    pub answers: Vec<Answer>,
    pub outcome: Option<EarlierOutcome>,
    /// The answer or next step that went on into the next guide, when known.
    pub went_on_with: Option<String>,
}

/// The outcome an earlier guide reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierOutcome {
    pub title: String,
    pub risk: Risk,
    pub advice: String,
}

/// What was asked, answered and advised in one run: the advice record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSummary {
    pub guide_id: String,
    pub guide_title: String,
    pub guide_reviewed: NaiveDate,
    pub date: NaiveDate,
    pub answers: Vec<Answer>,
    pub outcome_id: String,
    pub outcome_title: String,
    pub risk: Risk,
    pub advice: String,
    pub adviser_note: String,
    /// (title, URL or reference)
    pub sources: Vec<(String, String)>,
    pub actions: Vec<Action>,
    pub facts: BTreeMap<String, String>,
    /// The guides walked before this one in the same session (a chained session), in
    /// order: the record keeps them all, not only the last.
    pub earlier: Vec<EarlierGuide>,
    /// Next steps without a letter that the adviser chose during the session: the
    /// record lists them as a checklist to do.
    pub steps_to_do: Vec<String>,
    /// The client's language, when the guide was also shown in it: the record stays
    /// English and says so, with the parts shown as "not translated yet".
    pub client_language: Option<crate::translation::ShownInLanguage>,
}

impl RunSummary {
    /// The advice record as plain text, for saving or printing.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let date = |d: NaiveDate| d.format("%-d %B %Y").to_string();
        let mut titles: Vec<&str> = self
            .earlier
            .iter()
            .map(|e| e.guide_title.as_str())
            .collect();
        titles.push(&self.guide_title);
        out.push_str(&format!("Advice record: {}\n", titles.join(", then ")));
        out.push_str(&format!(
            "Date: {}   Guide: {} (last reviewed {})\n\n",
            date(self.date),
            self.guide_id,
            date(self.guide_reviewed)
        ));
        if let Some(language) = &self.client_language {
            out.push_str(&format!("{}\n\n", language.record_line()));
        }
        for (n, earlier) in self.earlier.iter().enumerate() {
            out.push_str(&format!(
                "Part {} of this session: {} ({})\n",
                n + 1,
                earlier.guide_title,
                earlier.guide_id
            ));
            push_answers(&mut out, &earlier.answers);
            if let Some(outcome) = &earlier.outcome {
                out.push_str(&format!(
                    "\nOutcome: {} [{}]\n\n{}\n",
                    outcome.title,
                    outcome.risk.label(),
                    outcome.advice
                ));
            }
            if let Some(step) = &earlier.went_on_with {
                out.push_str(&format!("Went on to the next guide with: {step}\n"));
            }
            out.push('\n');
        }
        if !self.earlier.is_empty() {
            out.push_str(&format!(
                "Part {} of this session: {} ({})\n",
                self.earlier.len() + 1,
                self.guide_title,
                self.guide_id
            ));
        }
        out.push_str("Questions and answers\n");
        push_answers(&mut out, &self.answers);
        out.push_str(&format!(
            "\nOutcome: {} [{}]\n\n{}\n\nAdviser note:\n{}\n",
            self.outcome_title,
            self.risk.label(),
            self.advice,
            self.adviser_note.trim()
        ));
        if !self.steps_to_do.is_empty() {
            out.push_str("\nSteps to do (chosen with the client):\n");
            for step in &self.steps_to_do {
                out.push_str(&format!("[ ] {step}\n"));
            }
        }
        if !self.actions.is_empty() {
            out.push_str("\nNext steps:\n");
            for action in &self.actions {
                out.push_str(&format!("- {}\n", action.label));
            }
        }
        out.push_str("\nSources:\n");
        for (title, locator) in &self.sources {
            out.push_str(&format!("- {title}: {locator}\n"));
        }
        out
    }
}

/// The numbered questions and answers of one guide, as the advice record lists them.
fn push_answers(out: &mut String, answers: &[Answer]) {
    for (i, a) in answers.iter().enumerate() {
        out.push_str(&format!(
            "{}. {}\n   Answer: {}\n",
            i + 1,
            a.question.trim(),
            a.answer
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::parse::parse_guide;

    const GUIDE: &str = r#"
[guide]
id = "test"
title = "Test guide"
summary = "For tests."
topic = "Tests"
last_reviewed = 2026-01-01
start = "where"

[[sources]]
id = "law"
title = "A law"
reference = "An Act 2000"

[[nodes]]
id = "where"
type = "question"
text = "Where were you asked?"
  [[nodes.choices]]
  label = "At work"
  next = "intro"
  facts = { organisation = "employer" }
  [[nodes.choices]]
  label = "At the doctor"
  next = "gp"
  facts = { organisation = "gp-practice" }
  [[nodes.choices]]
  label = "Something else"
  guide = "other"

[[nodes]]
id = "intro"
type = "info"
text = "Some information."
next = "pending"

[[nodes]]
id = "pending"
type = "question"
text = "Is your application pending?"
  [[nodes.choices]]
  label = "Yes"
  next = "ecs"
  facts = { home_office_sharing = "possible" }
  [[nodes.choices]]
  label = "No"
  next = "gp"

[[nodes]]
id = "ecs"
type = "outcome"
title = "Ask for the Employer Checking Service"
risk = "medium"
advice = "Ask them to check."
adviser_note = "Note."
sources = ["law"]

[[nodes]]
id = "gp"
type = "outcome"
title = "Register with a GP"
risk = "low"
advice = "You can register."
adviser_note = "Note."
sources = ["law"]
"#;

    fn session() -> Session {
        let parsed = parse_guide("test.toml", GUIDE);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        Session::new(Arc::new(parsed.guide.unwrap()))
    }

    #[test]
    fn a_worker_with_a_pending_application_reaches_the_checking_service_outcome() {
        let mut s = session();
        assert_eq!(s.choose(0), Ok(Advance::Moved));
        assert_eq!(s.current().id, "intro");
        assert_eq!(s.proceed(), Ok(Advance::Moved));
        assert_eq!(s.choose(0), Ok(Advance::Moved));
        assert_eq!(s.current().id, "ecs");
        assert_eq!(s.outcome().unwrap().risk, Risk::Medium);
        assert_eq!(s.step_number(), 4);
    }

    #[test]
    fn answers_list_only_questions_in_order() {
        let mut s = session();
        s.choose(0).unwrap();
        s.proceed().unwrap();
        s.choose(1).unwrap();
        let answers = s.answers();
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].answer, "At work");
        assert_eq!(answers[1].question, "Is your application pending?");
        assert_eq!(answers[1].answer, "No");
    }

    #[test]
    fn facts_gather_from_the_choices_and_undo_with_back() {
        let mut s = session();
        s.choose(0).unwrap();
        s.proceed().unwrap();
        s.choose(0).unwrap();
        let facts = s.facts();
        assert_eq!(facts["organisation"], "employer");
        assert_eq!(facts["home_office_sharing"], "possible");
        assert!(s.back());
        assert!(!s.facts().contains_key("home_office_sharing"));
    }

    #[test]
    fn back_walks_back_to_the_start_then_stops() {
        let mut s = session();
        s.choose(1).unwrap();
        assert!(s.back());
        assert_eq!(s.current().id, "where");
        assert!(!s.back());
        assert!(!s.can_go_back());
    }

    #[test]
    fn each_outcome_is_listed_with_the_fewest_picks_that_reach_it() {
        let guide = session().guide().clone();
        let paths = outcome_paths(&guide);
        let named: Vec<(&str, &[usize])> = paths
            .iter()
            .map(|p| (guide.nodes[p.node].id.as_str(), p.picks.as_slice()))
            .collect();
        // "gp" is reached at once by the second choice, and later again through "pending";
        // the information screen "intro" counts as a pick of 0.
        assert_eq!(named, [("ecs", &[0, 0, 0][..]), ("gp", &[1][..])]);
        for path in paths {
            let mut s = Session::new(guide.clone());
            for &pick in &path.picks {
                match s.current().kind {
                    NodeKind::Info { .. } => s.proceed(),
                    _ => s.choose(pick),
                }
                .unwrap();
            }
            assert_eq!(s.current(), &guide.nodes[path.node]);
        }
    }

    #[test]
    fn restart_clears_the_answers() {
        let mut s = session();
        s.choose(1).unwrap();
        s.restart();
        assert_eq!(s.current().id, "where");
        assert!(s.answers().is_empty());
    }

    #[test]
    fn a_choice_that_opens_another_guide_does_not_move_this_session() {
        let mut s = session();
        assert_eq!(s.choose(2), Ok(Advance::OpenGuide("other".into())));
        assert_eq!(s.current().id, "where");
    }

    #[test]
    fn wrong_steps_are_errors_not_panics() {
        let mut s = session();
        assert_eq!(
            s.choose(7),
            Err(EngineError::NoSuchChoice {
                choice: 8,
                count: 3
            })
        );
        assert_eq!(s.proceed(), Err(EngineError::NotInfo));
        s.choose(1).unwrap();
        assert_eq!(s.choose(0), Err(EngineError::NotAQuestion));
    }

    #[test]
    fn the_summary_records_answers_outcome_and_sources() {
        let mut s = session();
        assert!(
            s.summary(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
                .is_none()
        );
        s.choose(1).unwrap();
        let summary = s
            .summary(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
            .unwrap();
        let text = summary.to_text();
        assert!(text.contains("Date: 23 November 2026"), "{text}");
        assert!(
            text.contains("1. Where were you asked?\n   Answer: At the doctor"),
            "{text}"
        );
        assert!(
            text.contains("Outcome: Register with a GP [LOW RISK]"),
            "{text}"
        );
        assert!(text.contains("- A law: An Act 2000"), "{text}");
    }
}
