//! Reading one guide file: TOML into plain structs that keep their positions, then every
//! check that one file can answer on its own, reported all at once, then the typed `Guide`.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::value::Datetime;

use super::model::{
    Action, Choice, Guide, LetterAction, Node, NodeKind, Outcome, Risk, Source, Target,
};
use super::problem::{Problem, Severity, SourceMap, has_errors};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    guide: Spanned<RawMeta>,
    #[serde(default)]
    sources: Vec<Spanned<RawSource>>,
    #[serde(default)]
    nodes: Vec<Spanned<RawNode>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: Spanned<String>,
    title: Spanned<String>,
    summary: Spanned<String>,
    topic: Spanned<String>,
    last_reviewed: Spanned<Datetime>,
    #[serde(default)]
    tags: Vec<String>,
    start: Spanned<String>,
    #[serde(default)]
    safety_notice: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: Spanned<String>,
    title: Spanned<String>,
    url: Option<String>,
    reference: Option<String>,
    /// The day a person last checked the source says what the guide relies on.
    checked: Option<Spanned<Datetime>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    id: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    text: Option<Spanned<String>>,
    adviser_note: Option<Spanned<String>>,
    next: Option<Spanned<String>>,
    choices: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    title: Option<Spanned<String>>,
    risk: Option<Spanned<String>>,
    advice: Option<Spanned<String>>,
    sources: Option<Spanned<Vec<Spanned<String>>>>,
    immigration_exemption: Option<Spanned<bool>>,
    actions: Option<Spanned<Vec<Spanned<RawAction>>>>,
}

impl RawNode {
    /// The keys only an outcome takes, each with where it starts in the file if given.
    fn outcome_only_keys(&self) -> [(&'static str, Option<usize>); 6] {
        [
            ("title", start(&self.title)),
            ("risk", start(&self.risk)),
            ("advice", start(&self.advice)),
            ("sources", start(&self.sources)),
            ("actions", start(&self.actions)),
            ("immigration_exemption", start(&self.immigration_exemption)),
        ]
    }
}

/// Where an optional key's value starts in the file, if the key is given.
fn start<T>(value: &Option<Spanned<T>>) -> Option<usize> {
    value.as_ref().map(|v| v.span().start)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    label: Spanned<String>,
    next: Option<Spanned<String>>,
    guide: Option<Spanned<String>>,
    #[serde(default)]
    facts: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    label: Spanned<String>,
    template: Option<Spanned<String>>,
    organisation: Option<Spanned<String>>,
    guide: Option<Spanned<String>>,
}

/// A link from this guide to another, checked once every guide is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideLink {
    pub guide: String,
    pub problem_if_missing: Problem,
}

/// A letter an outcome names, checked against the letter catalogue once it is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterLink {
    pub template: String,
    pub organisation: String,
    pub template_at: Problem,
    pub organisation_at: Problem,
}

/// What parsing one file gives: the guide when it has no errors, every problem found, and
/// what can only be checked later: links to other guides and letters, and the review date
/// (which depends on the day the check runs).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParsedFile {
    pub guide: Option<Guide>,
    pub problems: Vec<Problem>,
    pub guide_links: Vec<GuideLink>,
    pub letter_links: Vec<LetterLink>,
    /// Where the guide's id is written, for duplicate-id reports across files.
    pub id_at: Option<Problem>,
    /// Where `last_reviewed` is written.
    pub reviewed_at: Option<Problem>,
    /// Each source's `checked` date (checked against the day later), with its position.
    pub source_checks: Vec<SourceCheck>,
}

/// A source's `checked` date, or its absence, and where to point a problem about it: the
/// date when there is one, else the source's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCheck {
    pub source: String,
    pub checked: Option<NaiveDate>,
    pub at: Problem,
}

impl ParsedFile {
    /// A file with only problems: no guide and nothing to check later.
    pub fn failed(problems: Vec<Problem>) -> ParsedFile {
        ParsedFile {
            guide: None,
            problems,
            guide_links: Vec::new(),
            letter_links: Vec::new(),
            id_at: None,
            reviewed_at: None,
            source_checks: Vec::new(),
        }
    }

    /// Problems with the review date and the sources' `checked` dates as of `today`.
    /// A date in the future has the severity `future`: an error when an author checks
    /// the guides, a warning when the app loads them (the machine's clock may be wrong,
    /// and an adviser mid-conversation must still get the guide).
    pub fn date_problems(&self, today: NaiveDate, future: Severity) -> Vec<Problem> {
        let mut problems = self.review_date_problems(today, future);
        problems.extend(self.source_date_problems(today, future));
        problems
    }

    /// Problems with the sources' `checked` dates as of `today`: a warning when a source
    /// has none or it is more than 12 months old, an error when it is in the future.
    pub fn source_date_problems(&self, today: NaiveDate, future: Severity) -> Vec<Problem> {
        let year_ago = today.checked_sub_months(Months::new(12));
        self.source_checks
            .iter()
            .filter_map(|s| {
                let id = &s.source;
                let (severity, message) = match s.checked {
                    None => (
                        Severity::Warning,
                        format!(
                            "source `{id}` has no `checked` date: add the day you last checked it"
                        ),
                    ),
                    Some(checked) if checked > today => (
                        future,
                        format!(
                            "`checked` of source `{id}` is {checked}, which is in the future (today is {today})"
                        ),
                    ),
                    Some(checked) if year_ago.is_some_and(|limit| checked < limit) => (
                        Severity::Warning,
                        format!(
                            "source `{id}` was last checked on {checked}, over 12 months ago: check it again and update `checked`"
                        ),
                    ),
                    Some(_) => return None,
                };
                Some(Problem {
                    severity,
                    message,
                    ..s.at.clone()
                })
            })
            .collect()
    }

    /// Problems with the review date as of `today`: an error when it is in the future, a
    /// warning when it is more than 12 months old.
    pub fn review_date_problems(&self, today: NaiveDate, future: Severity) -> Vec<Problem> {
        let (Some(guide), Some(at)) = (&self.guide, &self.reviewed_at) else {
            return Vec::new();
        };
        let reviewed = guide.last_reviewed;
        let problem = |severity, message: String| Problem {
            severity,
            message,
            ..at.clone()
        };
        if reviewed > today {
            vec![problem(
                future,
                format!("`last_reviewed` is {reviewed}, which is in the future (today is {today})"),
            )]
        } else if today
            .checked_sub_months(Months::new(12))
            .is_some_and(|limit| reviewed < limit)
        {
            vec![problem(
                Severity::Warning,
                format!(
                    "`last_reviewed` is {reviewed}, over 12 months ago: check the guide against its sources again"
                ),
            )]
        } else {
            Vec::new()
        }
    }
}

const NODE_TYPES: [&str; 3] = ["question", "info", "outcome"];

/// Parses and checks one guide file, all but its review date (see
/// `ParsedFile::review_date_problems`).
pub fn parse_guide(file: &str, text: &str) -> ParsedFile {
    let map = SourceMap::new(file, text);
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            let offset = err.span().map_or(0, |s| s.start);
            let message = err.message().trim().to_string();
            return ParsedFile::failed(vec![map.error(offset, message)]);
        }
    };
    Checker::new(map, text).check(raw)
}

/// Whether a character may not appear in guide text: a C0 control other than newline and
/// tab, DEL, a C1 control, or a bidirectional override or isolate (which can make text
/// display in a different order from the one it is stored in).
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Whether a character is invisible or changes how its neighbours read, so that two
/// names could look the same, or text be reordered, with nothing to see: zero-width
/// spaces and joiners, direction marks (LRM, RLM, ALM), the byte-order mark, the soft
/// hyphen, line and paragraph separators, invisible operators and tag characters.
/// `before` and `after` are the characters around it: a zero-width joiner or non-joiner
/// between two letters of a script that needs them (Persian, the Indic scripts) is
/// part of how the word is written, and allowed there.
pub fn is_invisible_char(c: char, before: Option<char>, after: Option<char>) -> bool {
    let joins_letters =
        |side: Option<char>| side.is_some_and(|s| s.is_alphabetic() && u32::from(s) > 0x052F);
    match c {
        '\u{200C}' | '\u{200D}' => !(joins_letters(before) && joins_letters(after)),
        '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{FEFF}' | '\u{00AD}'
        | '\u{2028}' | '\u{2029}' | '\u{180E}' => true,
        '\u{2060}'..='\u{2064}' | '\u{E0000}'..='\u{E007F}' => true,
        _ => false,
    }
}

/// The first invisible character in a text (see [`is_invisible_char`]).
pub fn first_invisible_char(text: &str) -> Option<char> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len())
        .find(|&i| {
            let before = i.checked_sub(1).map(|j| chars[j]);
            is_invisible_char(chars[i], before, chars.get(i + 1).copied())
        })
        .map(|i| chars[i])
}

/// The guide fields shown as a single line (a list entry, a heading, a numbered choice):
/// a line break in one would print a line the guide's author forged, such as a fake
/// choice for a screen-reader user in plain mode.
const ONE_LINE_FIELDS: &[&str] = &["title", "label", "summary", "topic"];

struct Checker<'a> {
    map: SourceMap<'a>,
    text: &'a str,
    problems: Vec<Problem>,
    guide_links: Vec<GuideLink>,
    letter_links: Vec<LetterLink>,
    source_checks: Vec<SourceCheck>,
}

impl<'a> Checker<'a> {
    fn new(map: SourceMap<'a>, text: &'a str) -> Self {
        Checker {
            map,
            text,
            problems: Vec::new(),
            guide_links: Vec::new(),
            letter_links: Vec::new(),
            source_checks: Vec::new(),
        }
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.problems.push(self.map.error(offset, message));
    }

    /// Rejects text holding a control or bidirectional formatting character (see
    /// `is_forbidden_char`), pointing at the character when the file holds it as itself,
    /// else (when it is written as an escape such as `\u001B`) at the start of the value.
    fn check_chars(&mut self, value: &Spanned<String>, field: &str, owner: &str) {
        let one_line = ONE_LINE_FIELDS.contains(&field);
        if one_line && let Some(at) = value.get_ref().find(['\n', '\t']) {
            let offset = value.span().start;
            self.error(
                offset,
                format!(
                    "`{field}` of {owner} holds a line break or tab (at character {}); it is shown on one line: remove it",
                    value.get_ref()[..at].chars().count() + 1
                ),
            );
            return;
        }
        let Some(c) = value.get_ref().chars().find(|&c| is_forbidden_char(c)) else {
            return;
        };
        let span = value.span();
        let offset = self
            .text
            .get(span.clone())
            .and_then(|raw| raw.find(c))
            .map_or(span.start, |i| span.start + i);
        self.error(
            offset,
            format!(
                "`{field}` of {owner} contains a control character (U+{:04X}): remove it",
                u32::from(c)
            ),
        );
    }

    fn check(mut self, raw: RawFile) -> ParsedFile {
        let meta_at = raw.guide.span().start;
        let meta = raw.guide.into_inner();
        self.check_id(&meta.id, "guide");
        self.check_chars(&meta.title, "title", "the guide");
        self.check_chars(&meta.summary, "summary", "the guide");
        self.check_chars(&meta.topic, "topic", "the guide");
        let last_reviewed = self.check_date(&meta.last_reviewed, "last_reviewed");
        let reviewed_at = Some(self.map.error(meta.last_reviewed.span().start, ""));
        if raw.nodes.is_empty() {
            self.error(
                meta_at,
                "the guide has no nodes: add at least one [[nodes]] table",
            );
        }

        let sources = self.check_sources(&raw.sources);
        let source_ids: HashSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();

        let mut node_index: HashMap<&str, usize> = HashMap::new();
        for (i, node) in raw.nodes.iter().enumerate() {
            let id = node.get_ref().id.get_ref().as_str();
            self.check_id(&node.get_ref().id, "node");
            if let Some(first) = node_index.get(id) {
                let first_line = self
                    .map
                    .position(raw.nodes[*first].get_ref().id.span().start)
                    .0;
                self.error(
                    node.get_ref().id.span().start,
                    format!("duplicate node id `{id}` (first used on line {first_line})"),
                );
            } else {
                node_index.insert(id, i);
            }
        }
        let start = node_index.get(meta.start.get_ref().as_str()).copied();
        if start.is_none() && !raw.nodes.is_empty() {
            self.error(
                meta.start.span().start,
                format!(
                    "`start` names node `{}`, which does not exist",
                    meta.start.get_ref()
                ),
            );
        }

        let nodes: Vec<Option<Node>> = raw
            .nodes
            .iter()
            .map(|n| self.check_node(n.get_ref(), &node_index, &source_ids))
            .collect();

        let id_at = Some(self.map.error(meta.id.span().start, ""));
        let all_nodes: Option<Vec<Node>> = nodes.into_iter().collect();
        if let (Some(nodes), Some(start)) = (&all_nodes, start) {
            let spans: Vec<usize> = raw
                .nodes
                .iter()
                .map(|n| n.get_ref().id.span().start)
                .collect();
            self.check_graph(nodes, start, &spans);
        }

        let guide = match (all_nodes, start, last_reviewed) {
            (Some(nodes), Some(start), Some(last_reviewed)) if !has_errors(&self.problems) => {
                Some(Guide {
                    id: meta.id.into_inner(),
                    title: meta.title.into_inner(),
                    summary: meta.summary.into_inner(),
                    topic: meta.topic.into_inner(),
                    last_reviewed,
                    tags: meta.tags,
                    safety_notice: meta.safety_notice,
                    sources,
                    nodes,
                    start,
                })
            }
            _ => None,
        };
        ParsedFile {
            guide,
            problems: self.problems,
            guide_links: self.guide_links,
            letter_links: self.letter_links,
            id_at,
            reviewed_at,
            source_checks: self.source_checks,
        }
    }

    fn check_id(&mut self, id: &Spanned<String>, what: &str) {
        let text = id.get_ref();
        let ok = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            self.error(
                id.span().start,
                format!("{what} id `{text}` must use only lowercase letters, digits and hyphens"),
            );
        }
    }

    fn check_date(&mut self, date: &Spanned<Datetime>, key: &str) -> Option<NaiveDate> {
        let at = date.span().start;
        let parsed = match (date.get_ref().date, date.get_ref().time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()),
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                at,
                format!("`{key}` must be a plain date such as 2026-11-23"),
            );
        }
        parsed
    }

    fn check_sources(&mut self, raw: &[Spanned<RawSource>]) -> Vec<Source> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut sources = Vec::new();
        for source in raw {
            let at = source.span().start;
            let s = source.get_ref();
            self.check_id(&s.id, "source");
            let id = s.id.get_ref().clone();
            if let Some(first) = seen.get(&id) {
                let first_line = self.map.position(*first).0;
                self.error(
                    s.id.span().start,
                    format!("duplicate source id `{id}` (first used on line {first_line})"),
                );
                continue;
            }
            seen.insert(id.clone(), s.id.span().start);
            if s.title.get_ref().trim().is_empty() {
                self.error(
                    s.title.span().start,
                    format!("source `{id}` has an empty title"),
                );
            }
            self.check_chars(&s.title, "title", &format!("source `{id}`"));
            let blank = |v: &Option<String>| v.as_deref().is_none_or(|t| t.trim().is_empty());
            if blank(&s.url) && blank(&s.reference) {
                self.error(
                    at,
                    format!(
                        "source `{id}` needs a `url` or a `reference` (a statute or case citation)"
                    ),
                );
            }
            let checked = match &s.checked {
                Some(date) => {
                    let checked = self.check_date(date, "checked");
                    if checked.is_some() {
                        self.source_checks.push(SourceCheck {
                            source: id.clone(),
                            checked,
                            at: self.map.error(date.span().start, ""),
                        });
                    }
                    checked
                }
                None => {
                    self.source_checks.push(SourceCheck {
                        source: id.clone(),
                        checked: None,
                        at: self.map.error(s.id.span().start, ""),
                    });
                    None
                }
            };
            sources.push(Source {
                id,
                title: s.title.get_ref().clone(),
                url: s.url.clone(),
                reference: s.reference.clone(),
                checked,
            });
        }
        sources
    }

    /// Rejects keys that belong to another node type, naming the type that uses them.
    fn reject_keys(&mut self, kind: &str, id: &str, keys: &[(&str, Option<usize>)]) {
        for (key, at) in keys {
            if let Some(at) = at {
                self.error(*at, format!("{kind} node `{id}` does not take `{key}`"));
            }
        }
    }

    fn required_text(
        &mut self,
        value: &Option<Spanned<String>>,
        key: &str,
        kind: &str,
        id: &str,
        at: usize,
    ) -> Option<String> {
        match value {
            Some(v) if !v.get_ref().trim().is_empty() => Some(v.get_ref().clone()),
            Some(v) => {
                self.error(
                    v.span().start,
                    format!("{kind} node `{id}` has an empty `{key}`"),
                );
                None
            }
            None => {
                self.error(at, format!("{kind} node `{id}` is missing `{key}`"));
                None
            }
        }
    }

    fn node_ref(
        &mut self,
        target: &Spanned<String>,
        index: &HashMap<&str, usize>,
        from: &str,
    ) -> Option<usize> {
        let found = index.get(target.get_ref().as_str()).copied();
        if found.is_none() {
            self.error(
                target.span().start,
                format!(
                    "`next` in node `{from}` points to `{}`, which is not a node in this guide",
                    target.get_ref()
                ),
            );
        }
        found
    }

    fn guide_link(&mut self, guide: &Spanned<String>, from: &str) {
        let problem = self.map.error(
            guide.span().start,
            format!(
                "node `{from}` links to guide `{}`, which does not exist",
                guide.get_ref()
            ),
        );
        self.guide_links.push(GuideLink {
            guide: guide.get_ref().clone(),
            problem_if_missing: problem,
        });
    }

    fn check_node(
        &mut self,
        n: &RawNode,
        index: &HashMap<&str, usize>,
        source_ids: &HashSet<&str>,
    ) -> Option<Node> {
        let id = n.id.get_ref().clone();
        let at = n.id.span().start;
        let owner = format!("node `{id}`");
        for (field, value) in [
            ("text", &n.text),
            ("title", &n.title),
            ("advice", &n.advice),
            ("adviser_note", &n.adviser_note),
        ] {
            if let Some(value) = value {
                self.check_chars(value, field, &owner);
            }
        }
        let kind = match n.kind.get_ref().as_str() {
            "question" => {
                let mut keys = vec![("next", start(&n.next))];
                keys.extend(n.outcome_only_keys());
                self.reject_keys("question", &id, &keys);
                let text = self.required_text(&n.text, "text", "question", &id, at);
                let choices = self.check_choices(n, &id, at, index);
                NodeKind::Question {
                    text: text?,
                    choices: choices?,
                }
            }
            "info" => {
                let mut keys = vec![("choices", start(&n.choices))];
                keys.extend(n.outcome_only_keys());
                self.reject_keys("info", &id, &keys);
                let text = self.required_text(&n.text, "text", "info", &id, at);
                let next = match &n.next {
                    Some(next) => self.node_ref(next, index, &id),
                    None => {
                        self.error(at, format!("info node `{id}` is missing `next`"));
                        None
                    }
                };
                NodeKind::Info {
                    text: text?,
                    next: next?,
                }
            }
            "outcome" => {
                self.reject_keys(
                    "outcome",
                    &id,
                    &[
                        ("text", start(&n.text)),
                        ("next", start(&n.next)),
                        ("choices", start(&n.choices)),
                    ],
                );
                NodeKind::Outcome(self.check_outcome(n, &id, at, source_ids)?)
            }
            other => {
                self.error(
                    n.kind.span().start,
                    format!(
                        "node `{id}` has type `{other}`; use one of {}",
                        NODE_TYPES.join(", ")
                    ),
                );
                return None;
            }
        };
        Some(Node {
            id,
            adviser_note: n.adviser_note.as_ref().map(|s| s.get_ref().clone()),
            kind,
        })
    }

    fn check_choices(
        &mut self,
        n: &RawNode,
        id: &str,
        at: usize,
        index: &HashMap<&str, usize>,
    ) -> Option<Vec<Choice>> {
        let Some(raw) = &n.choices else {
            self.error(at, format!("question node `{id}` has no `choices`"));
            return None;
        };
        if raw.get_ref().len() < 2 {
            self.error(
                raw.span().start,
                format!("question node `{id}` needs at least two choices"),
            );
        }
        let mut choices = Vec::new();
        let mut ok = true;
        for choice in raw.get_ref() {
            let c = choice.get_ref();
            if c.label.get_ref().trim().is_empty() {
                self.error(
                    c.label.span().start,
                    format!("a choice in `{id}` has an empty label"),
                );
                ok = false;
            }
            let owner = format!("a choice in node `{id}`");
            self.check_chars(&c.label, "label", &owner);
            for (key, value) in &c.facts {
                self.check_chars(value, &format!("facts.{key}"), &owner);
            }
            let target = match (&c.next, &c.guide) {
                (Some(next), None) => self.node_ref(next, index, id).map(Target::Node),
                (None, Some(guide)) => {
                    self.guide_link(guide, id);
                    Some(Target::Guide(guide.get_ref().clone()))
                }
                (Some(next), Some(_)) => {
                    self.error(
                        next.span().start,
                        format!("a choice in `{id}` has both `next` and `guide`: keep one"),
                    );
                    None
                }
                (None, None) => {
                    self.error(
                        choice.span().start,
                        format!(
                            "a choice in `{id}` needs `next` (a node) or `guide` (another guide)"
                        ),
                    );
                    None
                }
            };
            match target {
                Some(target) => choices.push(Choice {
                    label: c.label.get_ref().clone(),
                    target,
                    facts: c
                        .facts
                        .iter()
                        .map(|(k, v)| (k.clone(), v.get_ref().clone()))
                        .collect(),
                }),
                None => ok = false,
            }
        }
        ok.then_some(choices)
    }

    fn check_outcome(
        &mut self,
        n: &RawNode,
        id: &str,
        at: usize,
        source_ids: &HashSet<&str>,
    ) -> Option<Outcome> {
        let title = self.required_text(&n.title, "title", "outcome", id, at);
        let advice = self.required_text(&n.advice, "advice", "outcome", id, at);
        if n.adviser_note
            .as_ref()
            .is_none_or(|t| t.get_ref().trim().is_empty())
        {
            self.error(at, format!("outcome node `{id}` is missing `adviser_note`"));
        }
        let risk = match &n.risk {
            Some(r) => {
                let risk = Risk::parse(r.get_ref());
                if risk.is_none() {
                    self.error(
                        r.span().start,
                        format!(
                            "outcome `{id}` has risk `{}`; use one of {}",
                            r.get_ref(),
                            Risk::NAMES.join(", ")
                        ),
                    );
                }
                risk
            }
            None => {
                self.error(at, format!("outcome node `{id}` is missing `risk`"));
                None
            }
        };
        let mut sources = Vec::new();
        match &n.sources {
            Some(list) if !list.get_ref().is_empty() => {
                for s in list.get_ref() {
                    if source_ids.contains(s.get_ref().as_str()) {
                        sources.push(s.get_ref().clone());
                    } else {
                        self.error(
                            s.span().start,
                            format!(
                                "outcome `{id}` cites source `{}`, which is not in [[sources]]",
                                s.get_ref()
                            ),
                        );
                    }
                }
            }
            Some(list) => self.error(
                list.span().start,
                format!("outcome `{id}` cites no source: every outcome needs at least one"),
            ),
            None => self.error(
                at,
                format!("outcome `{id}` cites no source: add `sources = [\"...\"]`"),
            ),
        }
        let actions = self.check_actions(n, id);
        Some(Outcome {
            title: title?,
            risk: risk?,
            advice: advice?,
            sources,
            immigration_exemption: n
                .immigration_exemption
                .as_ref()
                .is_some_and(|b| *b.get_ref()),
            actions,
        })
    }

    fn check_actions(&mut self, n: &RawNode, id: &str) -> Vec<Action> {
        let Some(raw) = &n.actions else {
            return Vec::new();
        };
        let mut actions = Vec::new();
        for action in raw.get_ref() {
            let a = action.get_ref();
            let letter = match (&a.template, &a.organisation) {
                (Some(t), Some(o)) => {
                    self.letter_links.push(LetterLink {
                        template: t.get_ref().clone(),
                        organisation: o.get_ref().clone(),
                        template_at: self.map.error(
                            t.span().start,
                            format!(
                                "outcome `{id}` names letter template `{}`, which does not exist",
                                t.get_ref()
                            ),
                        ),
                        organisation_at: self.map.error(
                            o.span().start,
                            format!(
                                "outcome `{id}` names organisation `{}`, which does not exist",
                                o.get_ref()
                            ),
                        ),
                    });
                    Some(LetterAction {
                        template: t.get_ref().clone(),
                        organisation: o.get_ref().clone(),
                    })
                }
                (None, None) => None,
                _ => {
                    self.error(
                        action.span().start,
                        format!("an action in `{id}` needs both `template` and `organisation`, or neither"),
                    );
                    None
                }
            };
            if let Some(g) = &a.guide {
                self.guide_link(g, id);
            }
            if a.label.get_ref().trim().is_empty() {
                self.error(
                    a.label.span().start,
                    format!("an action in `{id}` has an empty label"),
                );
            }
            self.check_chars(&a.label, "label", &format!("an action in node `{id}`"));
            actions.push(Action {
                label: a.label.get_ref().clone(),
                letter,
                guide: a.guide.as_ref().map(|g| g.get_ref().clone()),
            });
        }
        actions
    }

    /// Reachability from the start, reachability of an ending, and cycles. Each visits
    /// every node and edge a bounded number of times, so the checks are linear in the size
    /// of the guide.
    fn check_graph(&mut self, nodes: &[Node], start: usize, spans: &[usize]) {
        let successors: Vec<Vec<usize>> = nodes.iter().map(Node::successors).collect();

        let mut reached = vec![false; nodes.len()];
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut reached[i], true) {
                stack.extend(successors[i].iter().copied());
            }
        }
        for (i, node) in nodes.iter().enumerate() {
            if !reached[i] {
                self.error(
                    spans[i],
                    format!("node `{}` cannot be reached from the start node", node.id),
                );
            }
        }

        // A node can finish when it is an outcome, opens another guide, or leads to one that can.
        let ends_here = |n: &Node| match &n.kind {
            NodeKind::Outcome(_) => true,
            NodeKind::Question { choices, .. } => {
                choices.iter().any(|c| matches!(c.target, Target::Guide(_)))
            }
            NodeKind::Info { .. } => false,
        };
        // Spread backwards from the nodes that finish, along each edge once. (Sweeping the
        // nodes until nothing changes instead takes one sweep per node of a long chain.)
        let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (i, succ) in successors.iter().enumerate() {
            for &s in succ {
                predecessors[s].push(i);
            }
        }
        let mut finishes: Vec<bool> = nodes.iter().map(ends_here).collect();
        let mut queue: Vec<usize> = (0..nodes.len()).filter(|&i| finishes[i]).collect();
        while let Some(i) = queue.pop() {
            for &p in &predecessors[i] {
                if !std::mem::replace(&mut finishes[p], true) {
                    queue.push(p);
                }
            }
        }
        for (i, node) in nodes.iter().enumerate() {
            if !finishes[i] {
                self.error(
                    spans[i],
                    format!("no outcome can be reached from node `{}`", node.id),
                );
            }
        }

        // Cycles: depth-first search, reporting each edge that closes a loop.
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let mut mark = vec![Mark::New; nodes.len()];
        // Where each open node sits on the current path, so a loop is found without a search.
        let mut depth = vec![0; nodes.len()];
        for root in 0..nodes.len() {
            if mark[root] != Mark::New {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            mark[root] = Mark::Open;
            depth[root] = 0;
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                if let Some(&succ) = successors[node].get(*next) {
                    *next += 1;
                    match mark[succ] {
                        Mark::New => {
                            mark[succ] = Mark::Open;
                            depth[succ] = path.len();
                            path.push((succ, 0));
                        }
                        Mark::Open => {
                            let ids = loop_ids(nodes, &path[depth[succ]..], succ);
                            self.error(
                                spans[node],
                                format!("node `{}` leads back round a loop: {ids}", nodes[node].id),
                            );
                        }
                        Mark::Done => {}
                    }
                } else {
                    mark[node] = Mark::Done;
                    path.pop();
                }
            }
        }
    }
}

/// The ids round a loop, from `back_to` along `path` and back to it. A long loop is
/// shortened to its first and last few nodes, so that many long loops (each reported on
/// its own) cannot make the report grow with the square of the guide's size.
fn loop_ids(nodes: &[Node], path: &[(usize, usize)], back_to: usize) -> String {
    const KEEP: usize = 4;
    let id = |i: usize| nodes[i].id.as_str();
    let mut ids: Vec<&str> = Vec::new();
    if path.len() <= 2 * KEEP + 1 {
        ids.extend(path.iter().map(|&(n, _)| id(n)));
    } else {
        ids.extend(path[..KEEP].iter().map(|&(n, _)| id(n)));
        ids.push("…");
        ids.extend(path[path.len() - KEEP..].iter().map(|&(n, _)| id(n)));
    }
    ids.push(id(back_to));
    let mut text = ids.join(" -> ");
    if path.len() > 2 * KEEP + 1 {
        text.push_str(&format!(" ({} nodes in all)", path.len()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// A guide of `n` info nodes in a chain, written start first, ending in one outcome.
    fn chain(n: usize) -> String {
        let mut text = String::from(
            "[guide]\nid = \"chain\"\ntitle = \"Chain\"\nsummary = \"A long chain.\"\n\
             topic = \"Tests\"\nlast_reviewed = 2026-01-01\nstart = \"n0\"\n\n\
             [[sources]]\nid = \"law\"\ntitle = \"A law\"\nreference = \"An Act 2000\"\n\
             checked = 2026-01-01\n",
        );
        for i in 0..n - 1 {
            text.push_str(&format!(
                "\n[[nodes]]\nid = \"n{i}\"\ntype = \"info\"\ntext = \"Step {i}.\"\nnext = \"n{}\"\n",
                i + 1
            ));
        }
        text.push_str(&format!(
            "\n[[nodes]]\nid = \"n{}\"\ntype = \"outcome\"\ntitle = \"End\"\nrisk = \"low\"\n\
             advice = \"Done.\"\nadviser_note = \"Note.\"\nsources = [\"law\"]\n",
            n - 1
        ));
        text
    }

    /// Each check is linear in the number of nodes (the check that an outcome can be
    /// reached once swept the nodes once per node of a chain); no timing is asserted here.
    #[test]
    fn a_chain_of_100_000_nodes_is_valid() {
        let parsed = parse_guide("chain.toml", &chain(100_000));
        assert!(parsed.problems.is_empty(), "{:?}", &parsed.problems[..1]);
        let guide = parsed.guide.as_ref().expect("the chain is valid");
        assert_eq!(guide.nodes.len(), 100_000);
        assert!(
            parsed
                .date_problems(date("2026-12-01"), Severity::Error)
                .is_empty()
        );
    }

    #[test]
    fn a_long_loop_is_reported_shortened() {
        let text = chain(20).replace("next = \"n19\"", "next = \"n0\"");
        let parsed = parse_guide("loop.toml", &text);
        let message = parsed
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .find(|m| m.contains("loop"))
            .expect("the loop is reported");
        assert_eq!(
            message,
            "node `n18` leads back round a loop: n0 -> n1 -> n2 -> n3 -> … -> n15 -> n16 -> n17 -> n18 -> n0 (19 nodes in all)"
        );
    }

    const SOURCES: &str = "[guide]\nid = \"g\"\ntitle = \"G\"\nsummary = \"S.\"\ntopic = \"T\"\n\
        last_reviewed = 2026-01-01\nstart = \"end\"\n\n\
        [[sources]]\nid = \"never\"\ntitle = \"Never checked\"\nreference = \"R\"\n\n\
        [[sources]]\nid = \"old\"\ntitle = \"Old\"\nreference = \"R\"\nchecked = 2025-11-30\n\n\
        [[sources]]\nid = \"year\"\ntitle = \"A year ago\"\nreference = \"R\"\nchecked = 2025-12-01\n\n\
        [[sources]]\nid = \"soon\"\ntitle = \"Tomorrow\"\nreference = \"R\"\nchecked = 2026-12-02\n\n\
        [[nodes]]\nid = \"end\"\ntype = \"outcome\"\ntitle = \"End\"\nrisk = \"low\"\n\
        advice = \"Done.\"\nadviser_note = \"Note.\"\nsources = [\"never\"]\n";

    #[test]
    fn checked_dates_are_judged_against_the_day_given() {
        let parsed = parse_guide("g.toml", SOURCES);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let problems = parsed.source_date_problems(date("2026-12-01"), Severity::Error);
        let found: Vec<(usize, usize, Severity, &str)> = problems
            .iter()
            .map(|p| (p.line, p.column, p.severity, p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    10,
                    6,
                    Severity::Warning,
                    "source `never` has no `checked` date: add the day you last checked it"
                ),
                (
                    18,
                    11,
                    Severity::Warning,
                    "source `old` was last checked on 2025-11-30, over 12 months ago: check it again and update `checked`"
                ),
                (
                    30,
                    11,
                    Severity::Error,
                    "`checked` of source `soon` is 2026-12-02, which is in the future (today is 2026-12-01)"
                ),
            ]
        );
        // A day later, the one checked exactly a year before is stale, and tomorrow is today.
        let later = parsed.source_date_problems(date("2026-12-02"), Severity::Error);
        assert!(later.iter().any(|p| p.message.contains("`year`")));
        assert!(!later.iter().any(|p| p.severity == Severity::Error));
    }

    #[test]
    fn a_checked_value_that_is_not_a_date_is_one_error_and_no_warning() {
        let text = SOURCES.replace("checked = 2025-11-30", "checked = 2025-11-30T10:00:00");
        let parsed = parse_guide("g.toml", &text);
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        assert!(
            parsed.problems[0]
                .message
                .contains("`checked` must be a plain date")
        );
        assert!(
            !parsed
                .source_date_problems(date("2026-12-01"), Severity::Error)
                .iter()
                .any(|p| p.message.contains("`old`"))
        );
    }

    #[test]
    fn forbidden_characters_are_the_controls_and_bidi_formatting() {
        for c in [
            '\u{0}', '\u{1B}', '\u{7F}', '\u{80}', '\u{85}', '\u{9F}', '\u{202A}', '\u{202E}',
            '\u{2066}', '\u{2069}',
        ] {
            assert!(is_forbidden_char(c), "U+{:04X}", u32::from(c));
        }
        for c in [
            '\n', '\t', ' ', 'a', 'é', '\u{A0}', '\u{2014}', '\u{2029}', '\u{206A}', '\u{200F}',
        ] {
            assert!(!is_forbidden_char(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn a_line_break_in_a_title_or_label_is_an_error_naming_the_field() {
        let cases = [
            (
                "title = \"G\"",
                "title = \"G\\nexample2  FORGED-TITLE-LINE\"",
                "`title` of the guide",
            ),
            (
                "summary = \"S.\"",
                "summary = \"S.\\tx\"",
                "`summary` of the guide",
            ),
            (
                "title = \"End\"",
                "title = \"\"\"End\n2. FORGED\"\"\"",
                "`title` of node `end`",
            ),
        ];
        for (from, to, field) in cases {
            let text = SOURCES.replacen(from, to, 1);
            assert_ne!(text, SOURCES, "{from}");
            let parsed = parse_guide("g.toml", &text);
            assert!(
                parsed.problems.iter().any(|p| p.severity == Severity::Error
                    && p.message.starts_with(field)
                    && p.message.contains("line break")),
                "{field}: {:?}",
                parsed.problems
            );
        }
    }

    #[test]
    fn invisible_characters_are_found_and_joiners_allowed_between_letters_that_need_them() {
        for c in [
            '\u{200B}',
            '\u{200E}',
            '\u{200F}',
            '\u{061C}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{2028}',
            '\u{2029}',
            '\u{E0041}',
        ] {
            assert_eq!(first_invisible_char(&format!("Ann{c}Bob")), Some(c));
        }
        assert_eq!(first_invisible_char("Ann\u{200D}Bob"), Some('\u{200D}'));
        assert_eq!(first_invisible_char("\u{200C}مهسا"), Some('\u{200C}'));
        // Persian writes some words with a zero-width non-joiner between letters.
        assert_eq!(first_invisible_char("می\u{200C}خواهم"), None);
        assert_eq!(first_invisible_char("Łucja Đặng-Wójcik"), None);
    }

    #[test]
    fn a_control_character_in_any_text_field_is_an_error_naming_the_field() {
        let cases = [
            (
                "title = \"G\"",
                "title = \"G\u{202E}\"",
                "`title` of the guide",
            ),
            (
                "summary = \"S.\"",
                "summary = \"S.\\u0007\"",
                "`summary` of the guide",
            ),
            (
                "title = \"Old\"",
                "title = \"Old\u{85}\"",
                "`title` of source `old`",
            ),
            (
                "title = \"End\"",
                "title = \"End\u{2067}\"",
                "`title` of node `end`",
            ),
            (
                "advice = \"Done.\"",
                "advice = \"Done.\\u001B\"",
                "`advice` of node `end`",
            ),
            (
                "adviser_note = \"Note.\"",
                "adviser_note = \"\"\"\nNote.\u{9B}\"\"\"",
                "`adviser_note` of node `end`",
            ),
        ];
        for (from, to, field) in cases {
            let text = SOURCES.replacen(from, to, 1);
            let parsed = parse_guide("g.toml", &text);
            assert!(
                parsed.problems.iter().any(|p| p.severity == Severity::Error
                    && p.message.starts_with(field)
                    && p.message.contains("contains a control character (U+")),
                "{field}: {:?}",
                parsed.problems
            );
            assert!(parsed.guide.is_none(), "{field}");
        }
        // Newlines and tabs are text.
        let text = SOURCES.replacen("advice = \"Done.\"", "advice = \"Done.\\n\\tNext.\"", 1);
        assert!(parse_guide("g.toml", &text).problems.is_empty());
    }
}
