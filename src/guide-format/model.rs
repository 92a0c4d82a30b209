//! The checked, typed form of a guide: what the engine, the TUI and the CLI work with.
//! Built only by `parse` once a guide file has passed validation.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How serious an outcome is for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Risk {
    Low,
    Medium,
    High,
    Urgent,
}

impl Risk {
    pub const NAMES: [&'static str; 4] = ["low", "medium", "high", "urgent"];

    pub fn parse(text: &str) -> Option<Risk> {
        match text {
            "low" => Some(Risk::Low),
            "medium" => Some(Risk::Medium),
            "high" => Some(Risk::High),
            "urgent" => Some(Risk::Urgent),
            _ => None,
        }
    }

    /// The label shown wherever the risk is shown, so colour is never the only signal.
    pub fn label(self) -> &'static str {
        match self {
            Risk::Low => "LOW RISK",
            Risk::Medium => "MEDIUM RISK",
            Risk::High => "HIGH RISK",
            Risk::Urgent => "URGENT",
        }
    }
}

impl fmt::Display for Risk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A document a guide relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub reference: Option<String>,
    /// When a person last checked the source (`checked` in the file).
    pub checked: Option<NaiveDate>,
}

impl Source {
    /// The URL or statute reference, whichever the source has (both when it has both).
    pub fn locator(&self) -> String {
        match (&self.reference, &self.url) {
            (Some(r), Some(u)) => format!("{r}; {u}"),
            (Some(r), None) => r.clone(),
            (None, Some(u)) => u.clone(),
            (None, None) => String::new(),
        }
    }
}

/// Where a choice leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// Another node of the same guide, by index into `Guide::nodes`.
    Node(usize),
    /// Another guide, by id.
    Guide(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub label: String,
    pub target: Target,
    pub facts: BTreeMap<String, String>,
}

/// A letter an outcome offers: which template, to which organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterAction {
    pub template: String,
    pub organisation: String,
}

/// Something the client or adviser can do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub label: String,
    pub letter: Option<LetterAction>,
    pub guide: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub title: String,
    pub risk: Risk,
    pub advice: String,
    pub sources: Vec<String>,
    pub immigration_exemption: bool,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeKind {
    Question { text: String, choices: Vec<Choice> },
    Info { text: String, next: usize },
    Outcome(Outcome),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    pub adviser_note: Option<String>,
    pub kind: NodeKind,
}

impl Node {
    /// The indices of the nodes this node leads to within its guide.
    pub fn successors(&self) -> Vec<usize> {
        match &self.kind {
            NodeKind::Question { choices, .. } => choices
                .iter()
                .filter_map(|c| match c.target {
                    Target::Node(n) => Some(n),
                    Target::Guide(_) => None,
                })
                .collect(),
            NodeKind::Info { next, .. } => vec![*next],
            NodeKind::Outcome(_) => Vec::new(),
        }
    }

    /// The client-facing heading of the node: the question, the info text or the outcome title.
    pub fn headline(&self) -> &str {
        match &self.kind {
            NodeKind::Question { text, .. } | NodeKind::Info { text, .. } => text,
            NodeKind::Outcome(outcome) => &outcome.title,
        }
    }
}

/// One decision guide, checked and ready to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub topic: String,
    pub last_reviewed: NaiveDate,
    pub tags: Vec<String>,
    pub safety_notice: bool,
    pub sources: Vec<Source>,
    pub nodes: Vec<Node>,
    pub start: usize,
}

impl Guide {
    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Every piece of text the client reads, for readability scoring and glossary look-up.
    pub fn client_texts(&self) -> Vec<&str> {
        let mut texts = Vec::new();
        for node in &self.nodes {
            match &node.kind {
                NodeKind::Question { text, choices } => {
                    texts.push(text.as_str());
                    texts.extend(choices.iter().map(|c| c.label.as_str()));
                }
                NodeKind::Info { text, .. } => texts.push(text),
                NodeKind::Outcome(o) => {
                    texts.push(&o.title);
                    texts.push(&o.advice);
                    texts.extend(o.actions.iter().map(|a| a.label.as_str()));
                }
            }
        }
        texts
    }
}
