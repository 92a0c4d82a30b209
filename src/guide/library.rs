//! The set of guides the program runs: the shipped ones compiled in, or an organisation's
//! own folder. Loading checks every file and the links between them, and reports all problems.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use super::GuideError;
use super::embedded::EmbeddedGuides;
use super::glossary::Glossary;
use super::model::Guide;
use super::parse::{ParsedFile, parse_guide};
use super::problem::{Problem, Severity, has_errors};

/// The shipped guides, checked and serialised by `build.rs`.
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/guides.bin"));

/// Where the guides come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuideSource {
    Embedded,
    Dir(PathBuf),
}

/// What can tell whether a letter template and an organisation exist.
pub trait LetterIds {
    fn has_template(&self, id: &str) -> bool;
    fn has_organisation(&self, id: &str) -> bool;
}

/// Every guide file parsed on its own, before the checks across files.
struct ParsedGuides {
    files: Vec<ParsedFile>,
    glossary: Result<Glossary, Problem>,
}

impl ParsedGuides {
    fn read(source: &GuideSource) -> Result<ParsedGuides, GuideError> {
        match source {
            GuideSource::Embedded => {
                let embedded: EmbeddedGuides = postcard::from_bytes(EMBEDDED)
                    .map_err(|e| GuideError::Embedded(e.to_string()))?;
                Ok(ParsedGuides {
                    files: embedded.files,
                    glossary: Ok(embedded.glossary),
                })
            }
            GuideSource::Dir(dir) => read_dir(dir),
        }
    }
}

fn read_dir(dir: &Path) -> Result<ParsedGuides, GuideError> {
    let io = |source| GuideError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut parsed = ParsedGuides {
        files: Vec::new(),
        glossary: Ok(Glossary::default()),
    };
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| GuideError::Io {
            path: path.clone(),
            source,
        })?;
        let name = path.display().to_string();
        if path.file_name().is_some_and(|n| n == "glossary.toml") {
            parsed.glossary = Glossary::parse(&name, &text);
        } else {
            parsed.files.push(parse_guide(&name, &text));
        }
    }
    if parsed.files.is_empty() {
        return Err(GuideError::NoGuides(dir.to_path_buf()));
    }
    Ok(parsed)
}

/// Checked guides and everything found while checking them.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub guides: Vec<Arc<Guide>>,
    pub glossary: Glossary,
    /// Warnings (e.g. a guide not reviewed for a year); errors stop a load.
    pub warnings: Vec<Problem>,
}

impl Library {
    /// Loads and checks guides; fails with every error found.
    pub fn load(
        source: &GuideSource,
        today: NaiveDate,
        letters: Option<&dyn LetterIds>,
    ) -> Result<Library, GuideError> {
        let (library, problems) = Library::check(source, today, letters)?;
        if has_errors(&problems) {
            return Err(GuideError::Invalid(problems));
        }
        Ok(library)
    }

    /// Checks every file, its review date as of `today`, and the links between files.
    /// Returns what loaded and all problems, errors and warnings, sorted by file and line;
    /// fails only when the guides cannot be read at all.
    pub fn check(
        source: &GuideSource,
        today: NaiveDate,
        letters: Option<&dyn LetterIds>,
    ) -> Result<(Library, Vec<Problem>), GuideError> {
        let parsed = ParsedGuides::read(source)?;
        Ok(Library::check_parsed(parsed, today, letters))
    }

    fn check_parsed(
        parsed: ParsedGuides,
        today: NaiveDate,
        letters: Option<&dyn LetterIds>,
    ) -> (Library, Vec<Problem>) {
        let files = parsed.files;
        let mut problems: Vec<Problem> = files
            .iter()
            .flat_map(|p| {
                p.problems
                    .iter()
                    .cloned()
                    .chain(p.review_date_problems(today))
            })
            .collect();

        let mut first_file: HashMap<&str, &str> = HashMap::new();
        for p in &files {
            let (Some(guide), Some(at)) = (&p.guide, &p.id_at) else {
                continue;
            };
            if let Some(first) = first_file.insert(&guide.id, &at.file) {
                let mut dup = at.clone();
                dup.message = format!("guide id `{}` is already used by {first}", guide.id);
                problems.push(dup);
            }
        }
        for p in &files {
            for link in &p.guide_links {
                if !first_file.contains_key(link.guide.as_str()) {
                    problems.push(link.problem_if_missing.clone());
                }
            }
            if let Some(letters) = letters {
                for link in &p.letter_links {
                    if !letters.has_template(&link.template) {
                        problems.push(link.template_at.clone());
                    }
                    if !letters.has_organisation(&link.organisation) {
                        problems.push(link.organisation_at.clone());
                    }
                }
            }
        }
        let glossary = parsed.glossary.unwrap_or_else(|p| {
            problems.push(p);
            Glossary::default()
        });

        problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        let broken = has_errors(&problems);
        let guides = files
            .into_iter()
            .filter_map(|p| p.guide.map(Arc::new))
            .filter(|_| !broken)
            .collect();
        let warnings = problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .cloned()
            .collect();
        (
            Library {
                guides,
                glossary,
                warnings,
            },
            problems,
        )
    }

    pub fn guide(&self, id: &str) -> Option<&Arc<Guide>> {
        self.guides.iter().find(|g| g.id == id)
    }

    /// The guides grouped by topic, topics and titles in alphabetical order.
    pub fn by_topic(&self) -> Vec<(&str, Vec<&Arc<Guide>>)> {
        let mut sorted: Vec<&Arc<Guide>> = self.guides.iter().collect();
        sorted.sort_by(|a, b| (&a.topic, &a.title).cmp(&(&b.topic, &b.title)));
        let mut groups: Vec<(&str, Vec<&Arc<Guide>>)> = Vec::new();
        for guide in sorted {
            match groups.last_mut() {
                Some((topic, list)) if *topic == guide.topic => list.push(guide),
                _ => groups.push((&guide.topic, vec![guide])),
            }
        }
        groups
    }
}
