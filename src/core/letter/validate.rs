//! `sanctuary letters validate DIR`: every problem in an organisation's own letters
//! folder, each as file:line:column, found as the guide validator finds them: each file
//! parsed on its own, the checks across files, each template compiled, and each
//! template written for every body it may go to (an unknown variable or filter shows
//! only then).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::catalogue::{
    Catalogue, Compile, SharedFile, cross_file_problems, parse_file, read_folder,
};
use super::client::{AdviserDetails, ClientDetails};
use super::compose::{HomeOfficeRequestType, LetterRequest, compose};
use super::error::LetterError;
use super::template::LetterTemplate;

/// One problem in a letters folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterProblem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for LetterProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Every problem in the letters folder `dir`; empty when it is sound. Fails only when
/// the folder cannot be read.
pub fn validate_dir(dir: &Path) -> Result<Vec<LetterProblem>, LetterError> {
    let files = read_folder(dir)?;
    let mut problems: Vec<LetterProblem> = files
        .iter()
        .filter_map(|(name, text)| parse_file(name, text).err())
        .map(|e| problem_of(e, &files))
        .collect();
    if !problems.is_empty() {
        return Ok(problems);
    }
    problems.extend(syntax_problems(&files));
    if !problems.is_empty() {
        return Ok(problems);
    }
    match Catalogue::from_files(files.clone(), Compile::Now) {
        Ok(catalogue) => problems.extend(trial_problems(&catalogue, &files)),
        Err(LetterError::Invalid { .. }) => {
            let (orgs, templates) = parsed(&files);
            problems.extend(cross_file_problems(&orgs, &templates).into_iter().map(|p| {
                let (line, column) = find(text_of(&files, &p.file), &p.near);
                LetterProblem {
                    file: p.file,
                    line,
                    column,
                    message: p.message,
                }
            }));
            if problems.is_empty() {
                // Something the checks across files do not name (a missing file).
                if let Err(e) = Catalogue::from_files(files.clone(), Compile::Now) {
                    problems.push(problem_of(e, &files));
                }
            }
        }
        Err(e) => problems.push(problem_of(e, &files)),
    }
    Ok(problems)
}

/// A loading error as a problem: a parse error keeps its position; anything else is
/// put at the start of the file it names.
fn problem_of(error: LetterError, files: &[(String, String)]) -> LetterProblem {
    match error {
        LetterError::Parse {
            file,
            line,
            column,
            message,
        } => LetterProblem {
            file,
            line,
            column,
            message,
        },
        LetterError::Invalid { file, problems } => LetterProblem {
            file,
            line: 1,
            column: 1,
            message: problems.join("; "),
        },
        LetterError::Template { ref template, .. } => render_problem(&error, template, files),
        other => LetterProblem {
            file: String::new(),
            line: 1,
            column: 1,
            message: other.to_string(),
        },
    }
}

fn text_of<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, t)| t.as_str())
}

/// The organisations and templates of files that each parse.
fn parsed(files: &[(String, String)]) -> (Vec<super::Organisation>, Vec<LetterTemplate>) {
    let mut orgs = Vec::new();
    let mut templates = Vec::new();
    for (name, text) in files {
        if name == "organisations.toml" {
            if let Ok(file) = toml::from_str::<super::catalogue::OrganisationsFile>(text) {
                orgs = file.organisations;
            }
        } else if name != "shared.toml"
            && let Ok(t) = toml::from_str::<LetterTemplate>(text)
        {
            templates.push(t);
        }
    }
    (orgs, templates)
}

/// The line and column (1-based) of the first `needle` in `text`, or 1:1.
fn find(text: &str, needle: &str) -> (usize, usize) {
    match text.find(needle) {
        Some(at) => position(text, at),
        None => (1, 1),
    }
}

fn position(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(1, |l| l.chars().count() + 1);
    (line, column)
}

/// A template source in a file: which file, and where its text starts (the key's
/// line, and whether the text starts on the next line, as a `"""` string does).
struct Source {
    file: String,
    name: String,
    text: String,
    key: String,
}

fn sources(files: &[(String, String)]) -> Vec<Source> {
    let mut out = Vec::new();
    for (file, text) in files {
        if file == "organisations.toml" {
            continue;
        }
        if file == "shared.toml" {
            if let Ok(shared) = toml::from_str::<SharedFile>(text) {
                for (name, partial) in shared.partials {
                    out.push(Source {
                        file: file.clone(),
                        key: name.clone(),
                        name,
                        text: partial,
                    });
                }
            }
            continue;
        }
        let Ok(t) = toml::from_str::<LetterTemplate>(text) else {
            continue;
        };
        let mut add = |part: &str, key: &str, source: &str| {
            out.push(Source {
                file: file.clone(),
                name: format!("{}/{part}", t.id),
                text: source.to_string(),
                key: key.to_string(),
            });
        };
        add("subject", "subject", &t.subject);
        add("body", "body", &t.body);
        for (i, e) in t.enclosures.iter().enumerate() {
            add(&format!("enclosure/{i}"), "enclosures", e);
        }
    }
    out
}

/// Where line `line` (1-based) of a source is in its file, and the column of its first
/// character: after the key's `= """` line, or on the key's own line after its quote.
fn source_start(file_text: &str, source: &Source, line: usize) -> (usize, usize) {
    let key_line = file_text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(&source.key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1);
    let key_text = file_text.lines().nth(key_line - 1).unwrap_or("");
    if key_text.trim_end().ends_with("\"\"\"") {
        (key_line + line, 1)
    } else if source.key == "enclosures" {
        // One enclosure a line, after `enclosures = [`: the best guess is the key's line.
        (key_line, 1)
    } else {
        let quote = key_text
            .find('"')
            .map_or(0, |q| key_text[..q].chars().count() + 1);
        (key_line + line - 1, quote + 1)
    }
}

/// Each template and partial compiled on its own, so every syntax error is found.
fn syntax_problems(files: &[(String, String)]) -> Vec<LetterProblem> {
    let env = minijinja::Environment::new();
    let mut out = Vec::new();
    for source in sources(files) {
        if let Err(e) = env.template_from_named_str(&source.name, &source.text) {
            let (src_line, src_col) = e
                .range()
                .map(|r| position(&source.text, r.start))
                .unwrap_or((e.line().unwrap_or(1), 1));
            let (line, col) = source_start(text_of(files, &source.file), &source, src_line);
            out.push(LetterProblem {
                file: source.file.clone(),
                line,
                column: if src_line == 1 {
                    col + src_col - 1
                } else {
                    src_col
                },
                message: format!(
                    "in `{}`: {}",
                    source.name,
                    e.detail().unwrap_or(&e.to_string())
                ),
            });
        }
    }
    out
}

/// A fictional client with every detail, to write each letter once.
const SAMPLE_CLIENT: &str = r#"
name = "Sample Client"
other_names = ["Sample Other"]
date_of_birth = "1990-01-01"
address = ["1 Sample Street", "Sampletown"]
postcode = "ZZ99 9ZZ"
email = "sample@example.org"
phone = "07700 900000"
nationality = "Samplish"
home_office_ref = "S0000000"
port_ref = "SAM/2020/0001"
police_ref = "SAM-0001"
nhs_number = "943 476 5919"
ni_number = "QQ 12 34 56 C"
reply_to = "client"

[adviser]
name = "Sample Adviser"
organisation = "Sample Advice"
address = ["2 Sample Road", "Sampletown"]
postcode = "ZZ99 9ZY"
"#;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Every fact the shipped templates read, set, to reach every branch once.
pub(super) const EVERY_FACT: &[(&str, &str)] = &[
    ("home_office_sharing", "possible"),
    ("exemption_cited", "yes"),
    ("electronic_monitoring", "yes"),
    ("tag_current", "no"),
    ("nhs_charging", "yes"),
    ("complaint_acknowledged", "yes"),
    ("evidence_enclosed", "yes"),
    ("device_seized", "yes"),
    ("singled_out", "yes"),
    ("address_known_to_body", "yes"),
];

/// Each template written for every body it may go to, with and without every fact;
/// a template that fails to render is a problem at the line the engine names.
fn trial_problems(catalogue: &Catalogue, files: &[(String, String)]) -> Vec<LetterProblem> {
    let Ok(client) = ClientDetails::from_toml_str(SAMPLE_CLIENT, "sample") else {
        return Vec::new();
    };
    let mut out: Vec<LetterProblem> = Vec::new();
    for template in catalogue.templates() {
        let orgs: Vec<&str> = if template.organisations.is_empty() {
            catalogue
                .organisations()
                .iter()
                .map(|o| o.id.as_str())
                .collect()
        } else {
            template.organisations.iter().map(String::as_str).collect()
        };
        for org in orgs {
            for facts in [&[][..], EVERY_FACT] {
                let request = sample_request(&template.id, org, &client, facts, catalogue);
                let error = match compose(&request, catalogue) {
                    Err(e @ (LetterError::Template { .. } | LetterError::Unfilled { .. })) => e,
                    _ => continue,
                };
                let problem = render_problem(&error, &template.id, files);
                if !out.contains(&problem) {
                    out.push(problem);
                }
            }
        }
    }
    out
}

fn sample_request(
    template: &str,
    org: &str,
    client: &ClientDetails,
    facts: &[(&str, &str)],
    catalogue: &Catalogue,
) -> LetterRequest {
    let mut r = LetterRequest::new(template, org, client.clone(), day(2026, 11, 23));
    r.facts = facts
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect::<BTreeMap<_, _>>();
    r.recipient_name = Some("Sample Body".into());
    r.recipient_address = vec!["3 Sample Lane".into(), "ZZ99 9ZX".into()];
    r.period = Some((day(2020, 1, 1), day(2026, 11, 1)));
    r.home_office_request_type = Some(HomeOfficeRequestType::Detailed);
    let clock = crate::calendar::deadline::Clock {
        sent: Some(day(2026, 9, 1)),
        ..crate::calendar::deadline::Clock::unsent(crate::calendar::holidays::Nation::EnglandWales)
    };
    r.previous_request =
        crate::casework::standing::previous_request_from_clock(&clock, r.sent).unwrap_or(None);
    r.complaint_points = vec!["A sample point.".into()];
    r.chronology = vec![(day(2026, 9, 1), "A sample event.".into())];
    let about = catalogue
        .organisations()
        .iter()
        .find(|o| o.id != org)
        .map(|o| o.id.clone());
    if catalogue
        .template(template)
        .is_some_and(|t| t.requires.iter().any(|q| q == "about"))
    {
        r.about = about;
        r.about_name = Some("Sample Other Body".into());
    }
    if r.effective_adviser().is_none() {
        r.adviser = AdviserDetails::from_toml_str(
            "name = \"Sample Adviser\"\naddress = [\"2 Sample Road\"]\npostcode = \"ZZ99 9ZY\"\n",
            "sample",
        )
        .ok();
    }
    r
}

/// Where a render error is: the engine names the source and line, as
/// `(in erasure/body:12)`; an unfilled part is found by its text.
fn render_problem(
    error: &LetterError,
    template: &str,
    files: &[(String, String)],
) -> LetterProblem {
    let file = format!("{template}.toml");
    let message = error.to_string();
    let located = message.rfind("(in ").and_then(|at| {
        let rest = &message[at + 4..];
        let (name, rest) = rest.split_once(':')?;
        let line: usize = rest.split(')').next()?.trim().parse().ok()?;
        Some((name.to_string(), line))
    });
    let (file, line, column) = match located {
        Some((name, src_line)) => {
            let in_shared = !name.contains('/');
            let file = if in_shared {
                "shared.toml".to_string()
            } else {
                file
            };
            let key = if in_shared {
                name.clone()
            } else {
                match name.split('/').nth(1) {
                    Some("enclosure") => "enclosures".to_string(),
                    Some(part) => part.to_string(),
                    None => "body".to_string(),
                }
            };
            let source = Source {
                file: file.clone(),
                name,
                text: String::new(),
                key,
            };
            let (line, column) = source_start(text_of(files, &file), &source, src_line);
            (file, line, column)
        }
        None => {
            let (line, column) = find(text_of(files, &file), "body");
            (file, line, column)
        }
    };
    LetterProblem {
        file,
        line,
        column,
        message,
    }
}
