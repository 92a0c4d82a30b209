//! Decision guides: the file format, its checks, and the engine that walks a guide.
//! Pure library code: no terminal here, so every rule is tested without one.

pub mod engine;
pub mod graph;
pub mod library;
pub mod readability;

// The file format is its own crate, shared with the build script that embeds the shipped guides.
pub use sanctuary_guide_format::{embedded, glossary, model, parse, problem};

use std::path::PathBuf;

pub use engine::{OutcomePath, Session, outcome_paths};
pub use library::{Age, GuideSource, Library, SourceAge};
pub use model::{Guide, Node, NodeKind, Outcome, Risk};
pub use problem::{LineIndex, Problem, Severity};

/// A guide is checked against its sources at least this often.
pub const REVIEW_MONTHS: u32 = 12;

/// Why `guide` should be checked before it is relied on, as of `today`: its review
/// date is more than [`REVIEW_MONTHS`] months old. Shown wherever the guide is listed or
/// opened, so a stale guide is never used without a word.
pub fn review_warning(guide: &Guide, today: chrono::NaiveDate) -> Option<String> {
    let limit = today.checked_sub_months(chrono::Months::new(REVIEW_MONTHS))?;
    (guide.last_reviewed < limit).then(|| {
        format!(
            "Review overdue: this guide was last checked on {}, over {REVIEW_MONTHS} months ago. The law or the guidance may have changed: check current guidance before relying on it.",
            crate::calendar::dates::format_uk(guide.last_reviewed)
        )
    })
}

#[derive(Debug, thiserror::Error)]
pub enum GuideError {
    #[error("could not read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no guide files (*.toml) found in {}", .0.display())]
    NoGuides(PathBuf),
    #[error(
        "the guides folder {} holds more than {limit}, the most sanctuary reads from one folder; nothing was loaded: keep only the guides you use there",
        path.display()
    )]
    FolderTooLarge { path: PathBuf, limit: String },
    #[error("the guides have problems:\n{}", list(.0))]
    Invalid(Vec<Problem>),
    #[error("the guides built into this program could not be read ({0}); rebuild it")]
    Embedded(String),
    #[error("there is no guide with id `{0}`; `sanctuary guides list` shows the ids")]
    UnknownGuide(String),
}

/// Problems one a line, as errors show them.
pub(crate) fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
