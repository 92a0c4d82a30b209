//! What the guide targets check for one guide file's text: parsing, checking (alone and
//! as a folder, with the letter catalogue), the glossary, and for a guide that passes,
//! walks through it and both diagrams. Nothing may panic, and every problem must point
//! inside the file.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use sanctuary::guide::engine::Advance;
use sanctuary::guide::glossary::Glossary;
use sanctuary::guide::graph::{GraphFormat, render};
use sanctuary::guide::parse::parse_guide;
use sanctuary::guide::{Guide, GuideSource, Library, NodeKind, Problem, Session, Severity};
use sanctuary::letter::Catalogue;

const FILE: &str = "fuzz.toml";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).expect("a real date")
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::embedded().expect("the embedded catalogue loads"))
}

/// A folder of this process's own, holding the one guide file under test.
fn folder() -> &'static PathBuf {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sanctuary-fuzz-guide-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp folder");
        dir
    })
}

fn check_positions(text: &str, problems: &[Problem]) {
    let lines = text.split('\n').count();
    for p in problems {
        assert!(
            p.line >= 1 && p.line <= lines,
            "line {} of {lines}: {p}",
            p.line
        );
        let width = text
            .split('\n')
            .nth(p.line - 1)
            .map_or(0, |l| l.chars().count());
        assert!(
            p.column >= 1 && p.column <= width + 1,
            "column {} of {width}: {p}",
            p.column
        );
        assert!(!p.message.trim().is_empty(), "a problem with no message");
        let _ = p.to_string();
    }
}

/// Walks the guide: the choices are taken from `path`, and at most `limit` steps.
fn walk(guide: &Arc<Guide>, path: &[u8], limit: usize) {
    let mut session = Session::new(Arc::clone(guide));
    for step in 0..limit {
        let byte = path.get(step % path.len().max(1)).copied().unwrap_or(0);
        let _ = session.current().headline();
        let _ = session.current().successors();
        match &session.current().kind {
            NodeKind::Question { choices, .. } => {
                let count = choices.len();
                assert!(count > 0, "a checked question has choices");
                let index = usize::from(byte) % count;
                let _ = session.facts_after_choice(index);
                match session.choose(index) {
                    Ok(Advance::Moved) | Ok(Advance::OpenGuide(_)) => {}
                    Err(e) => panic!("choice {index} of {count} refused: {e}"),
                }
                if byte & 0x80 != 0 {
                    session.back();
                }
            }
            NodeKind::Info { .. } => {
                session.proceed().expect("an info screen moves on");
            }
            NodeKind::Outcome(_) => {
                let summary = session.summary(today()).expect("an outcome has a summary");
                let _ = summary.to_text();
                session.restart();
            }
        }
        assert!(session.answers().len() < session.step_number());
        let _ = session.facts();
    }
}

/// Checks `text` as a guide file; `path` gives the choices for the walks.
pub fn check(text: &str, path: &[u8]) {
    // One file on its own.
    let parsed = parse_guide(FILE, text);
    check_positions(text, &parsed.problems);
    let dated = parsed.date_problems(today(), Severity::Error);
    check_positions(text, &dated);
    if parsed.guide.is_some() {
        assert!(
            parsed
                .problems
                .iter()
                .all(|p| p.severity == Severity::Warning),
            "a guide was returned with errors: {:?}",
            parsed.problems
        );
    }

    // The same file in a folder, as `guides validate` and the app load it.
    let dir = folder();
    std::fs::write(dir.join(FILE), text).expect("write the guide");
    let source = GuideSource::Dir(dir.clone());
    let (library, problems) =
        Library::check(&source, today(), Some(catalogue())).expect("a folder with one guide");
    check_positions(text, &problems);
    let _ = library.sources_by_age(today());
    let _ = library.by_topic();

    // The same text as a glossary, when it could be one.
    if text.contains("terms")
        && let Ok(glossary) = Glossary::parse("glossary.toml", text)
    {
        let _ = glossary.terms_in(&[text]);
    }

    for guide in &library.guides {
        assert!(guide.start < guide.nodes.len());
        assert!(library.guide(&guide.id).is_some());
        let _ = render(guide, GraphFormat::Dot);
        let _ = render(guide, GraphFormat::Mermaid);
        let texts = guide.client_texts();
        let _ = sanctuary::guide::readability::score(texts.iter().copied());
        let _ = library.glossary.terms_in(&texts);
        walk(guide, path, 64);
    }
}
