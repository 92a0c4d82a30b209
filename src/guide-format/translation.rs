//! Translation files: one per guide and language (`translations/<lang>/<guide>.toml`), plus the
//! glossary (`glossary.toml`) and the client's fixed lines (`_ui.toml`), whose English is
//! `translations/ui-strings.toml`. Each entry keeps the hash of the English it was made from,
//! so an entry whose English has since changed is known to be stale.
//!
//! Keys name client-facing text only (see [`guide_fields`]): a translation can never reach
//! `next`, facts, templates or anything else the program acts on.
//! This file is compiled into the build script too: no store, no terminal.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;
use toml::value::Datetime;
use unicode_normalization::UnicodeNormalization;

use super::glossary::Glossary;
use super::model::{Guide, Node, NodeKind};
use super::parse::is_forbidden_char;
use super::problem::{Problem, Severity, SourceMap};

/// The `guide` of the glossary's translation file.
pub const GLOSSARY: &str = "glossary";
/// The `guide` of the fixed UI and hand-out lines' translation file.
pub const UI: &str = "_ui";

/// The English with every run of whitespace made one space and the ends trimmed: a change of
/// line breaks or spacing in a guide does not make its translations stale.
pub fn normalise_whitespace(english: &str) -> String {
    english.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A translation's text in Unicode normal form C (composed), as it is kept: some keyboards
/// (Vietnamese ones among them) type a letter and its marks as separate characters.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// `sha256:` and the first 16 hex digits of the SHA-256 of the whitespace-normalised English.
pub fn en_hash(english: &str) -> String {
    let digest = Sha256::digest(normalise_whitespace(english).as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// A glossary term as a key: folded to ASCII, lower case, runs of anything else one `-`.
pub fn slug(term: &str) -> String {
    let folded: String = term
        .nfkd()
        .filter(char::is_ascii)
        .collect::<String>()
        .to_ascii_lowercase();
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Every translatable field of a guide as (key, English), in file order: the guide's title and
/// summary, then each node's fields (see [`node_fields`]).
pub fn guide_fields(guide: &Guide) -> Vec<(String, String)> {
    let mut fields = vec![
        ("guide.title".to_string(), guide.title.clone()),
        ("guide.summary".to_string(), guide.summary.clone()),
    ];
    fields.extend(guide.nodes.iter().flat_map(node_fields));
    fields
}

/// The translatable fields of one node as (key, English): a question's text and choices, an
/// info's text, an outcome's title, advice and actions (choices and actions numbered from 1).
pub fn node_fields(node: &Node) -> Vec<(String, String)> {
    let id = &node.id;
    let numbered = |what: &str, labels: Vec<&String>| {
        labels
            .into_iter()
            .enumerate()
            .map(|(i, l)| (format!("{id}.{what}.{}", i + 1), l.clone()))
            .collect::<Vec<_>>()
    };
    let mut fields = Vec::new();
    match &node.kind {
        NodeKind::Question { text, choices } => {
            fields.push((format!("{id}.text"), text.clone()));
            fields.extend(numbered(
                "choice",
                choices.iter().map(|c| &c.label).collect(),
            ));
        }
        NodeKind::Info { text, .. } => fields.push((format!("{id}.text"), text.clone())),
        NodeKind::Outcome(o) => {
            fields.push((format!("{id}.title"), o.title.clone()));
            fields.push((format!("{id}.advice"), o.advice.clone()));
            fields.extend(numbered(
                "action",
                o.actions.iter().map(|a| &a.label).collect(),
            ));
        }
    }
    fields
}

/// Every translatable field of the glossary: `<slug>.term` and `<slug>.meaning` per term.
pub fn glossary_fields(glossary: &Glossary) -> Vec<(String, String)> {
    glossary
        .terms
        .iter()
        .flat_map(|t| {
            let slug = slug(&t.term);
            [
                (format!("{slug}.term"), t.term.clone()),
                (format!("{slug}.meaning"), t.meaning.clone()),
            ]
        })
        .collect()
}

/// The English of the client's fixed lines (`ui-strings.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UiStrings {
    pub strings: Vec<UiString>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiString {
    pub key: String,
    pub en: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUiStrings {
    #[serde(default)]
    string: Vec<UiString>,
}

impl UiStrings {
    pub fn parse(file: &str, text: &str) -> Result<UiStrings, Problem> {
        toml::from_str::<RawUiStrings>(text)
            .map(|raw| UiStrings {
                strings: raw.string,
            })
            .map_err(|err| {
                SourceMap::new(file, text)
                    .error(err.span().map_or(0, |s| s.start), err.message().trim())
            })
    }

    /// Every line as (key, English).
    pub fn fields(&self) -> Vec<(String, String)> {
        self.strings
            .iter()
            .map(|s| (s.key.clone(), s.en.clone()))
            .collect()
    }
}

/// Which way the language is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn parse(text: &str) -> Option<Direction> {
        match text {
            "ltr" => Some(Direction::Ltr),
            "rtl" => Some(Direction::Rtl),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// How far a translation has got: `checked` means a fluent person other than the translator
/// checked it (their initials and the day are in the entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    Draft,
    Translated,
    Checked,
}

impl Status {
    pub const NAMES: [&'static str; 3] = ["draft", "translated", "checked"];

    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "draft" => Some(Status::Draft),
            "translated" => Some(Status::Translated),
            "checked" => Some(Status::Checked),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Translated => "translated",
            Status::Checked => "checked",
        }
    }
}

/// A place in a file, 1-based.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One translated field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub key: String,
    pub en_hash: String,
    /// The English it was made from (for a diff when it is stale).
    pub en: String,
    /// The translation, NFC-normalised; empty means missing.
    pub text: String,
    pub status: Status,
    pub checked_by: Option<String>,
    pub checked_on: Option<NaiveDate>,
    /// Where the entry's `key` and `text` are written.
    pub key_at: Position,
    pub text_at: Position,
    /// An error was found in this entry (its problems say which): it is never shown.
    pub faulty: bool,
}

impl Entry {
    /// Whether a fluent person's check is recorded in full.
    pub fn is_checked(&self) -> bool {
        self.status == Status::Checked && self.checked_by.is_some() && self.checked_on.is_some()
    }
}

/// An entry's status, checker's initials and day of the check, as read.
type StatusFields = (Option<Status>, Option<String>, Option<NaiveDate>);

/// What kind of text a translation file translates, from its `guide`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Guide,
    Glossary,
    Ui,
}

/// One translation file, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslationFile {
    /// The file's name as problems show it.
    pub file: String,
    /// The guide id, or [`GLOSSARY`], or [`UI`].
    pub guide: String,
    pub language: String,
    /// The language's own name (shown to the client).
    pub name: String,
    pub direction: Direction,
    pub entries: Vec<Entry>,
    /// Where the `[translation]` table is written.
    pub header_at: Position,
}

impl TranslationFile {
    pub fn kind(&self) -> FileKind {
        file_kind(&self.guide)
    }

    /// A problem pinned to a place in this file.
    pub fn problem(&self, at: Position, severity: Severity, message: String) -> Problem {
        Problem {
            file: self.file.clone(),
            line: at.line,
            column: at.column,
            severity,
            message,
        }
    }

    /// The file written back as TOML, in the shape the scaffold writes.
    pub fn to_toml(&self) -> String {
        let mut out = format!(
            "[translation]\nguide = {}\nlanguage = {}\nname = {}\ndirection = \"{}\"\n",
            toml_string(&self.guide),
            toml_string(&self.language),
            toml_string(&self.name),
            self.direction.as_str()
        );
        for e in &self.entries {
            out.push_str(&format!(
                "\n[[entry]]\nkey = {}\nen_hash = {}\nen = {}\ntext = {}\nstatus = \"{}\"\n",
                toml_string(&e.key),
                toml_string(&e.en_hash),
                toml_string(&e.en),
                toml_string(&e.text),
                e.status.as_str()
            ));
            if let Some(by) = &e.checked_by {
                out.push_str(&format!("checked_by = {}\n", toml_string(by)));
            }
            if let Some(on) = e.checked_on {
                out.push_str(&format!("checked_on = {on}\n"));
            }
        }
        out
    }
}

/// The kind of file that translates `guide` (a guide id, [`GLOSSARY`] or [`UI`]).
pub fn file_kind(guide: &str) -> FileKind {
    match guide {
        GLOSSARY => FileKind::Glossary,
        UI => FileKind::Ui,
        _ => FileKind::Guide,
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What reading one translation file gives: the file when it could be read (entries with
/// errors are kept, marked `faulty`), and every problem found in the file on its own.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParsedTranslation {
    pub file: Option<TranslationFile>,
    pub problems: Vec<Problem>,
}

/// The shipped translations as the build script leaves them (see `embedded`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EmbeddedTranslations {
    /// Each file under `translations/<lang>/`, named `guides/translations/<lang>/<file>`.
    pub files: Vec<ParsedTranslation>,
    pub ui: UiStrings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    translation: Spanned<RawHeader>,
    #[serde(default)]
    entry: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    guide: Spanned<String>,
    language: Spanned<String>,
    name: Spanned<String>,
    direction: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    key: Spanned<String>,
    en_hash: Spanned<String>,
    en: Spanned<String>,
    #[serde(default)]
    text: Option<Spanned<String>>,
    status: Spanned<String>,
    checked_by: Option<Spanned<String>>,
    checked_on: Option<Spanned<Datetime>>,
}

/// Reads one translation file and makes every check it can answer on its own. Whether each
/// key exists, and whether the English has changed since, needs the guide: see
/// [`check_against_english`].
pub fn parse_translation(file: &str, text: &str) -> ParsedTranslation {
    let map = SourceMap::new(file, text);
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            let offset = err.span().map_or(0, |s| s.start);
            return ParsedTranslation {
                file: None,
                problems: vec![map.error(offset, err.message().trim().to_string())],
            };
        }
    };
    let mut reader = Reader {
        map,
        problems: Vec::new(),
    };
    let file = reader.read(raw);
    ParsedTranslation {
        file,
        problems: reader.problems,
    }
}

struct Reader<'a> {
    map: SourceMap<'a>,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn at(&self, offset: usize) -> Position {
        let (line, column) = self.map.position(offset);
        Position { line, column }
    }

    fn error(&mut self, offset: usize, message: String) {
        self.problems.push(self.map.error(offset, message));
    }

    fn read(&mut self, raw: RawFile) -> Option<TranslationFile> {
        let header_at = self.at(raw.translation.span().start);
        let header = raw.translation.into_inner();
        let language = header.language.get_ref().clone();
        if !is_language_tag(&language) {
            self.error(
                header.language.span().start,
                format!(
                    "`language` is `{language}`: write a BCP 47 tag in lower case, such as ar, fa, ti or fa-af"
                ),
            );
        }
        let guide = header.guide.get_ref().clone();
        if guide != UI && !is_id(&guide) {
            self.error(
                header.guide.span().start,
                format!("`guide` is `{guide}`: write a guide id, `{GLOSSARY}` or `{UI}`"),
            );
        }
        let name = header.name.get_ref().trim().to_string();
        if name.is_empty() || name.contains(['\n', '\t']) || name.chars().any(is_forbidden_char) {
            self.error(
                header.name.span().start,
                "`name` must be the language's own name, on one line".to_string(),
            );
        }
        let direction = Direction::parse(header.direction.get_ref());
        if direction.is_none() {
            self.error(
                header.direction.span().start,
                format!(
                    "`direction` is `{}`: use ltr or rtl",
                    header.direction.get_ref()
                ),
            );
        }
        let kind = file_kind(&guide);
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut entries = Vec::new();
        for raw in &raw.entry {
            if let Some(mut entry) = self.read_entry(raw.get_ref(), kind, &language) {
                if let Some(first) = seen.get(&entry.key) {
                    self.error(
                        raw.get_ref().key.span().start,
                        format!(
                            "duplicate key `{}` (first used on line {first}): keep one entry",
                            entry.key
                        ),
                    );
                    entry.faulty = true;
                } else {
                    seen.insert(entry.key.clone(), entry.key_at.line);
                }
                entries.push(entry);
            }
        }
        Some(TranslationFile {
            file: self.map.file.to_string(),
            guide,
            language,
            name,
            direction: direction?,
            entries,
            header_at,
        })
    }

    /// One entry; `None` when it cannot be read at all (a bad status or date).
    fn read_entry(&mut self, raw: &RawEntry, kind: FileKind, language: &str) -> Option<Entry> {
        let key = raw.key.get_ref().clone();
        let before = self.problems.len();
        let what = |field: &str| format!("`{field}` of entry `{key}`");
        if let Err(hint) = check_key(&key, kind) {
            self.error(
                raw.key.span().start,
                format!("`key` `{key}` is not a translatable field: {hint}"),
            );
        }
        let en = raw.en.get_ref().clone();
        let en_hash = raw.en_hash.get_ref().clone();
        if en_hash != self::en_hash(&en) {
            self.error(
                raw.en_hash.span().start,
                format!(
                    "{} does not match its `en` (the tool writes both: never edit them by hand)",
                    what("en_hash")
                ),
            );
        }
        let text: String = raw
            .text
            .as_ref()
            .map(|t| nfc(t.get_ref()))
            .unwrap_or_default();
        let text_offset = raw
            .text
            .as_ref()
            .map_or(raw.key.span().start, |t| t.span().start);
        self.check_text(&text, &en, text_offset, &what("text"), language);
        let (status, checked_by, checked_on) = self.read_status(raw, &key)?;
        Some(Entry {
            key,
            en_hash,
            en,
            text,
            status: status?,
            checked_by,
            checked_on,
            key_at: self.at(raw.key.span().start),
            text_at: self.at(text_offset),
            faulty: self.problems.len() > before,
        })
    }

    /// The entry's status and who checked it, and when; `None` when the date cannot be read.
    fn read_status(&mut self, raw: &RawEntry, key: &str) -> Option<StatusFields> {
        let what = |field: &str| format!("`{field}` of entry `{key}`");
        let status = Status::parse(raw.status.get_ref());
        if status.is_none() {
            self.error(
                raw.status.span().start,
                format!(
                    "{} is `{}`: use one of {}",
                    what("status"),
                    raw.status.get_ref(),
                    Status::NAMES.join(", ")
                ),
            );
        }
        let checked_by = raw
            .checked_by
            .as_ref()
            .map(|b| b.get_ref().trim().to_string());
        if let (Some(by), Some(at)) = (&checked_by, &raw.checked_by)
            && !is_initials(by)
        {
            self.error(
                at.span().start,
                format!(
                    "{} must be initials only (1 to 4 letters)",
                    what("checked_by")
                ),
            );
        }
        let checked_on = match &raw.checked_on {
            Some(date) => Some(self.date(date, &what("checked_on"))?),
            None => None,
        };
        if status == Some(Status::Checked) && (checked_by.is_none() || checked_on.is_none()) {
            self.error(
                raw.status.span().start,
                format!(
                    "entry `{key}` is `checked` but has no `checked_by` and `checked_on`: a translation is checked only when a fluent person other than the translator checked it, who writes their initials and the day"
                ),
            );
        }
        Some((status, checked_by, checked_on))
    }

    fn date(&mut self, date: &Spanned<Datetime>, what: &str) -> Option<NaiveDate> {
        let parsed = match (date.get_ref().date, date.get_ref().time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()),
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                date.span().start,
                format!("{what} must be a plain date such as 2026-12-01"),
            );
        }
        parsed
    }

    /// Control characters, placeholders that differ from the English, and the wrong script.
    fn check_text(&mut self, text: &str, en: &str, offset: usize, what: &str, language: &str) {
        if let Some(c) = text.chars().find(|&c| is_forbidden_char(c)) {
            self.error(
                offset,
                format!(
                    "{what} contains a control character (U+{:04X}): remove it",
                    u32::from(c)
                ),
            );
        }
        if text.trim().is_empty() {
            return;
        }
        let (wanted, found) = (placeholders(en), placeholders(text));
        if wanted != found {
            let list = |set: &BTreeSet<String>| {
                if set.is_empty() {
                    "none".to_string()
                } else {
                    set.iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                }
            };
            self.error(
                offset,
                format!(
                    "{what} has the placeholders {} but the English has {}: keep each {{name}} as it is in the English",
                    list(&found),
                    list(&wanted)
                ),
            );
        }
        if let Some(message) = script_problem(text, language) {
            self.error(offset, format!("{what} {message}"));
        }
    }
}

/// The `{name}` placeholders of a text.
pub fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if close > 0
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
            {
                found.insert(after[..close].to_string());
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    found
}

fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_language_tag(text: &str) -> bool {
    let mut parts = text.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| {
            (2..=8).contains(&p.len())
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn is_initials(text: &str) -> bool {
    (1..=4).contains(&text.chars().count()) && text.chars().all(char::is_alphabetic)
}

/// Whether a key has the shape of a translatable field of this kind of file; the hint says
/// which shapes there are.
fn check_key(key: &str, kind: FileKind) -> Result<(), &'static str> {
    let ok = match kind {
        FileKind::Guide => match key.split_once('.') {
            Some(("guide", "title" | "summary")) => true,
            Some((node, field)) if is_id(node) => match field.split_once('.') {
                None => matches!(field, "text" | "title" | "advice"),
                Some(("choice" | "action", n)) => {
                    !n.starts_with('0') && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
                }
                Some(_) => false,
            },
            _ => false,
        },
        FileKind::Glossary => key
            .split_once('.')
            .is_some_and(|(slug, field)| is_id(slug) && matches!(field, "term" | "meaning")),
        FileKind::Ui => {
            key.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
                && !key.is_empty()
        }
    };
    ok.then_some(()).ok_or(match kind {
        FileKind::Guide => {
            "use guide.title, guide.summary, or a node id followed by .text, .title, .advice, .choice.N or .action.N"
        }
        FileKind::Glossary => "use a term's slug followed by .term or .meaning",
        FileKind::Ui => "use a key of translations/ui-strings.toml",
    })
}

/// The scripts the checks know, by the letters they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Arabic,
    Ethiopic,
    Latin,
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Script::Arabic => "Arabic script",
            Script::Ethiopic => "Ge'ez (Ethiopic) script",
            Script::Latin => "Latin script",
        })
    }
}

/// The script a language is written in, for the languages the checks know.
pub fn language_script(language: &str) -> Option<Script> {
    match language.split('-').next().unwrap_or_default() {
        "ar" | "fa" | "prs" | "ps" | "ckb" | "ur" => Some(Script::Arabic),
        "ti" | "am" => Some(Script::Ethiopic),
        "vi" => Some(Script::Latin),
        _ => None,
    }
}

/// The script of a letter, among those the checks know.
pub fn letter_script(c: char) -> Option<Script> {
    let u = u32::from(c);
    match u {
        0x0600..=0x06FF | 0x0750..=0x077F | 0x0870..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Some(Script::Arabic)
        }
        0x1200..=0x139F | 0x2D80..=0x2DDF | 0xAB00..=0xAB2F | 0x1E7E0..=0x1E7FF => {
            Some(Script::Ethiopic)
        }
        _ if c.is_ascii_alphabetic() => Some(Script::Latin),
        0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F => {
            Some(Script::Latin)
        }
        _ => None,
    }
}

/// Why a translation's letters do not fit its language: none of them is in the language's
/// script (English left untranslated, or another language's text), or some are in a third
/// script. Latin beside the language's script is allowed: names such as "GP" or
/// "Home Office", and the English term in brackets after its translation.
pub fn script_problem(text: &str, language: &str) -> Option<String> {
    let wanted = language_script(language)?;
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    if let Some(&stray) = letters
        .iter()
        .find(|&&c| !matches!(letter_script(c), Some(s) if s == wanted || s == Script::Latin))
    {
        let allowed = match wanted {
            Script::Latin => wanted.to_string(),
            _ => format!("{wanted} or Latin"),
        };
        return Some(format!(
            "holds `{stray}` (U+{:04X}), which is not in {allowed}: is this the text of another language?",
            u32::from(stray)
        ));
    }
    let in_script = letters.iter().any(|&c| letter_script(c) == Some(wanted));
    (!letters.is_empty() && !in_script).then(|| {
        format!("has no letters in {wanted}: is it English left untranslated, or another language's text?")
    })
}

/// The checks that need the English as it is now (`english`: key to English): keys that
/// name no field are errors; entries translated from an older English are warnings (stale),
/// never errors, so a fix to the English is never blocked.
pub fn check_against_english(
    file: &TranslationFile,
    english: &HashMap<&str, &str>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for entry in &file.entries {
        match english.get(entry.key.as_str()) {
            // A key of the wrong shape is reported as such when the file is read.
            None if check_key(&entry.key, file.kind()).is_err() => {}
            None => problems.push(file.problem(
                entry.key_at,
                Severity::Error,
                format!(
                    "key `{}` names no text of `{}` (an orphan: the text it translated was removed or renamed): delete the entry",
                    entry.key, file.guide
                ),
            )),
            Some(now) if !entry.text.trim().is_empty() && en_hash(now) != entry.en_hash => {
                problems.push(file.problem(
                    entry.key_at,
                    Severity::Warning,
                    format!(
                        "entry `{}` is stale: its English changed since it was translated, so the client is shown the `stale` line instead; translate it again",
                        entry.key
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_matches_the_agreed_test_vector_and_ignores_spacing() {
        assert_eq!(
            en_hash("Has a GP practice asked you for papers?"),
            "sha256:e268815c1af892e0"
        );
        assert_eq!(
            en_hash("  Has a GP\n practice   asked you\tfor papers? "),
            "sha256:e268815c1af892e0"
        );
        assert_ne!(
            en_hash("Has a GP practice asked you for papers"),
            "sha256:e268815c1af892e0"
        );
    }

    #[test]
    fn slugs_fold_to_ascii_and_join_words_with_hyphens() {
        assert_eq!(slug("Home Office"), "home-office");
        assert_eq!(
            slug("  Subject access request (SAR) "),
            "subject-access-request-sar"
        );
        assert_eq!(slug("Café / naïve"), "cafe-naive");
    }

    fn entry(key: &str, en: &str, text: &str, rest: &str) -> String {
        format!(
            "\n[[entry]]\nkey = \"{key}\"\nen_hash = \"{}\"\nen = \"{en}\"\ntext = \"{text}\"\n{rest}\n",
            en_hash(en)
        )
    }

    fn file(language: &str, guide: &str, entries: &str) -> String {
        format!(
            "[translation]\nguide = \"{guide}\"\nlanguage = \"{language}\"\nname = \"X\"\ndirection = \"ltr\"\n{entries}"
        )
    }

    fn messages(parsed: &ParsedTranslation) -> Vec<String> {
        parsed.problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_good_file_reads_with_positions_and_nfc_text() {
        // "ệ" typed as e + combining circumflex + combining dot below.
        let text = file(
            "vi",
            "g",
            &entry(
                "q.text",
                "Hello?",
                "Xin chào Vie\u{0302}\u{0323}t?",
                "status = \"translated\"",
            ),
        );
        let parsed = parse_translation("vi/g.toml", &text);
        assert!(parsed.problems.is_empty(), "{:?}", messages(&parsed));
        let file = parsed.file.unwrap();
        assert_eq!(file.direction, Direction::Ltr);
        let e = &file.entries[0];
        assert_eq!(e.text, "Xin chào Việt?");
        assert_eq!(e.status, Status::Translated);
        assert_eq!((e.key_at.line, e.text_at.line), (8, 11));
        assert!(!e.faulty);
    }

    #[test]
    fn keys_can_name_only_client_text_never_logic() {
        for (key, ok) in [
            ("guide.title", true),
            ("q-what.text", true),
            ("end.advice", true),
            ("q-what.choice.2", true),
            ("end.action.1", true),
            ("q-what.next", false),
            ("q-what.choice.0", false),
            ("q-what.choice.2.facts", false),
            ("end.template", false),
            ("guide.start", false),
            ("Q.text", false),
        ] {
            assert_eq!(check_key(key, FileKind::Guide).is_ok(), ok, "{key}");
        }
        assert!(check_key("home-office.term", FileKind::Glossary).is_ok());
        assert!(check_key("home-office.aliases", FileKind::Glossary).is_err());
        let parsed = parse_translation(
            "ar/g.toml",
            &file("ar", "g", &entry("q.next", "a", "", "status = \"draft\"")),
        );
        assert_eq!(
            messages(&parsed),
            [
                "ar/g.toml:8:7: `key` `q.next` is not a translatable field: use guide.title, guide.summary, or a node id followed by .text, .title, .advice, .choice.N or .action.N"
            ]
        );
        assert!(parsed.file.unwrap().entries[0].faulty);
    }

    #[test]
    fn duplicates_unchecked_checks_placeholders_and_hashes_are_errors_naming_line_and_field() {
        let entries = [
            entry("q.text", "Step {number}", "Bước {so}", "status = \"draft\""),
            entry("q.title", "A", "B", "status = \"checked\""),
            entry("q.title", "A", "C", "status = \"draft\""),
            "\n[[entry]]\nkey = \"q.advice\"\nen_hash = \"sha256:0000000000000000\"\nen = \"A\"\ntext = \"\"\nstatus = \"draft\"\n".to_string(),
        ]
        .concat();
        let parsed = parse_translation("vi/g.toml", &file("vi", "g", &entries));
        let found = messages(&parsed);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].starts_with("vi/g.toml:11:8: `text` of entry `q.text` has the placeholders {so} but the English has {number}"), "{}", found[0]);
        assert!(found[1].starts_with("vi/g.toml:19:10: entry `q.title` is `checked` but has no `checked_by` and `checked_on`"), "{}", found[1]);
        assert!(
            found[2].starts_with("vi/g.toml:22:7: duplicate key `q.title` (first used on line 15)"),
            "{}",
            found[2]
        );
        assert!(
            found[3].starts_with(
                "vi/g.toml:30:11: `en_hash` of entry `q.advice` does not match its `en`"
            ),
            "{}",
            found[3]
        );
        let entries = parsed.file.unwrap().entries;
        assert!(entries.iter().all(|e| e.faulty));
    }

    #[test]
    fn a_checked_entry_needs_initials_and_a_date() {
        let good = entry(
            "q.text",
            "A",
            "B",
            "status = \"checked\"\nchecked_by = \"AB\"\nchecked_on = 2026-12-01",
        );
        let parsed = parse_translation("vi/g.toml", &file("vi", "g", &good));
        assert!(parsed.problems.is_empty(), "{:?}", messages(&parsed));
        assert!(parsed.file.unwrap().entries[0].is_checked());
        let named = good.replace("\"AB\"", "\"Anna Bell\"");
        let parsed = parse_translation("vi/g.toml", &file("vi", "g", &named));
        assert!(
            messages(&parsed)[0].contains("`checked_by` of entry `q.text` must be initials only")
        );
    }

    #[test]
    fn text_in_the_wrong_script_is_an_error() {
        let ar = |text: &str| script_problem(text, "ar");
        assert_eq!(
            ar("اتصل بطبيبك العام GP أو 111."),
            None,
            "Latin names are fine"
        );
        assert!(
            ar("Call your GP.")
                .unwrap()
                .contains("has no letters in Arabic script")
        );
        assert_eq!(
            ar("دَين NHS (NHS debt)"),
            None,
            "the English term in brackets"
        );
        assert_eq!(script_problem("ናይ GPS መከታተሊ (GPS tag)", "ti"), None);
        assert!(
            ar("ሓኪምካ ደውል")
                .unwrap()
                .contains("not in Arabic script or Latin")
        );
        assert_eq!(script_problem("ሓኪምካ ደውል GP", "ti"), None);
        assert_eq!(script_problem("ናይ GPS መከታተሊ (GPS tag)", "ti"), None);
        assert!(script_problem("اتصل", "ti").is_some());
        assert_eq!(script_problem("Gọi bác sĩ của bạn.", "vi"), None);
        assert!(script_problem("اتصل بطبيبك", "vi").is_some());
        assert_eq!(
            script_problem("Zadzwoń", "pl"),
            None,
            "unknown languages are not checked"
        );
        assert_eq!(ar("111"), None);
    }

    #[test]
    fn bad_headers_and_unknown_fields_name_their_line() {
        let parsed = parse_translation(
            "x.toml",
            "[translation]\nguide = \"g\"\nlanguage = \"Arabic\"\nname = \"ع\"\ndirection = \"up\"\n",
        );
        let found = messages(&parsed);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("x.toml:3:12: `language` is `Arabic`"));
        assert!(found[1].starts_with("x.toml:5:13: `direction` is `up`"));
        assert!(parsed.file.is_none());
        let parsed = parse_translation(
            "x.toml",
            &file("ar", "g", "\n[[entry]]\nkey = \"a.text\"\nnext = \"b\"\n"),
        );
        assert!(parsed.file.is_none());
        assert_eq!(parsed.problems[0].line, 9, "{:?}", messages(&parsed));
    }

    #[test]
    fn orphans_are_errors_and_changed_english_is_a_stale_warning() {
        let entries = [
            entry("q.text", "Old words.", "Lời cũ.", "status = \"translated\""),
            entry("q.title", "Same.", "Giống.", "status = \"translated\""),
            entry("gone.text", "Gone.", "Mất.", "status = \"translated\""),
            entry("q.advice", "Old.", "", "status = \"draft\""),
        ]
        .concat();
        let parsed = parse_translation("vi/g.toml", &file("vi", "g", &entries));
        let file = parsed.file.unwrap();
        let english: HashMap<&str, &str> = [
            ("q.text", "New words."),
            ("q.title", "  Same. "),
            ("q.advice", "New."),
        ]
        .into();
        let found: Vec<(Severity, usize, String)> = check_against_english(&file, &english)
            .into_iter()
            .map(|p| (p.severity, p.line, p.message))
            .collect();
        assert_eq!(
            found.len(),
            2,
            "an empty text is missing, not stale: {found:#?}"
        );
        assert_eq!((found[0].0, found[0].1), (Severity::Warning, 8));
        assert!(found[0].2.starts_with("entry `q.text` is stale"));
        assert_eq!((found[1].0, found[1].1), (Severity::Error, 22));
        assert!(
            found[1]
                .2
                .starts_with("key `gone.text` names no text of `g`")
        );
    }

    #[test]
    fn a_file_written_back_reads_the_same() {
        let entries = [
            entry(
                "q.text",
                "Say yes",
                "Nói \\\"có\\\"\\nthen",
                "status = \"checked\"\nchecked_by = \"AB\"\nchecked_on = 2026-12-01",
            ),
            entry("q.title", "T", "", "status = \"draft\""),
        ]
        .concat();
        let first = parse_translation("vi/g.toml", &file("vi", "g", &entries));
        assert!(first.problems.is_empty(), "{:?}", messages(&first));
        let first = first.file.unwrap();
        let again = parse_translation("vi/g.toml", &first.to_toml());
        assert!(again.problems.is_empty(), "{:?}", messages(&again));
        let again = again.file.unwrap();
        let strip = |f: &TranslationFile| {
            f.entries
                .iter()
                .map(|e| {
                    (
                        e.key.clone(),
                        e.en.clone(),
                        e.text.clone(),
                        e.status,
                        e.checked_by.clone(),
                        e.checked_on,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&first), strip(&again));
        assert_eq!(first.entries[0].text, "Nói \"có\"\nthen");
    }

    #[test]
    fn placeholders_are_names_in_braces() {
        assert_eq!(
            placeholders("Step {number} of {total}, {} { x }"),
            ["number".to_string(), "total".to_string()].into()
        );
    }
}
