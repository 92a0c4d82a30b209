//! `sanctuary translations`: how far each language has got, and PO files for translators.

use std::process::ExitCode;

use sanctuary::guide::Library;
use sanctuary::translation::{Coverage, LanguageStatus};

use sanctuary::guide::Severity;

use crate::terminal_text::{json, line, safe_eprintln, safe_print, safe_println};
use crate::wording::plural;

#[derive(Debug, clap::Subcommand)]
pub enum TranslationsCommand {
    /// Per language and guide: how many parts are current, unchecked, stale or missing
    Status {
        /// Only this language (a code such as ar, fa, ps, ckb, ti, vi)
        #[arg(long, value_name = "CODE")]
        language: Option<String>,
        /// Print JSON instead of sentences
        #[arg(long)]
        json: bool,
    },
    /// A volunteer's review screen: each entry's English now, the English it was
    /// translated from, the translation; edit, mark checked, or keep it after an English
    /// change that does not alter the meaning. Writes to the --guides-dir copy only
    Review {
        /// The language to review (a code such as ar, fa, ps, ckb, ti, vi)
        #[arg(long, value_name = "CODE")]
        language: String,
        /// Only this guide's file (or glossary, or _ui)
        #[arg(long, value_name = "ID")]
        guide: Option<String>,
    },
}

/// Runs a translations command on `library` (read from `guides_dir` when one was given).
pub fn run(
    command: &TranslationsCommand,
    library: &Library,
    guides_dir: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    match command {
        TranslationsCommand::Status { language, json } => {
            run_status(library, language.as_deref(), *json)
        }
        TranslationsCommand::Review { language, guide } => {
            crate::tui::run_review(
                library.clone(),
                super::catalogue()?,
                guides_dir,
                language,
                guide.as_deref(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run_status(
    library: &Library,
    language: Option<&str>,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let translations = library.translations();
    if let Some(code) = language {
        translations.require(code)?;
    }
    let status = translations.status(library, language);
    if as_json {
        safe_print!("{}\n", json(&serde_json::to_string_pretty(&status)?));
    } else {
        safe_print!("{}", status_text(&status));
    }
    Ok(ExitCode::SUCCESS)
}

/// The status in sentences: a heading per language, a line per file, the stale keys.
pub fn status_text(status: &[LanguageStatus]) -> String {
    let mut out = String::new();
    for language in status {
        let direction = match language.direction {
            sanctuary::translation::Direction::Ltr => "left to right",
            sanctuary::translation::Direction::Rtl => "right to left",
        };
        out.push_str(&format!(
            "{} ({}, written {direction})\n",
            line(&language.name),
            line(&language.code)
        ));
        for file in &language.files {
            out.push_str(&format!("  {}\n", coverage_line(file)));
            if !file.stale_keys.is_empty() {
                let keys: Vec<_> = file.stale_keys.iter().map(|k| line(k)).collect();
                out.push_str(&format!("    stale: {}\n", keys.join(", ")));
            }
        }
    }
    out
}

fn coverage_line(c: &Coverage) -> String {
    format!(
        "{}: {} of {} translated ({}%); {} current, {} unchecked, {} stale, {} missing, {} ({})",
        line(&c.guide),
        c.current + c.unchecked,
        plural(c.fields(), "part", "parts"),
        c.percent(),
        c.current,
        c.unchecked,
        c.stale,
        c.missing,
        plural(c.orphan, "orphan", "orphans"),
        plural(c.entries, "entry", "entries"),
    )
}

/// The translations' part of `guides validate`, after the English: their problems in a
/// section of their own, then a count. Stale entries are warnings; any error fails.
pub fn validate(library: &Library) -> ExitCode {
    let translations = library.translations();
    let problems = translations.check(library);
    if !problems.is_empty() {
        safe_eprintln!("Translations:");
    }
    for p in &problems {
        safe_eprintln!("{p}");
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let summary = format!(
        "Translations: {}, {}, {}",
        plural(translations.languages().len(), "language", "languages"),
        plural(errors, "error", "errors"),
        plural(problems.len() - errors, "warning", "warnings")
    );
    if errors > 0 {
        safe_eprintln!("{summary}");
        ExitCode::FAILURE
    } else {
        safe_println!("{summary}");
        ExitCode::SUCCESS
    }
}
