//! `sanctuary translations`: how far each language has got, and PO files for translators.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use sanctuary::guide::Library;
use sanctuary::translation::{Coverage, LanguageStatus, TranslationError, po};

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
    /// Write one language's texts as a PO file for Poedit or Weblate (stale ones fuzzy)
    Export {
        /// The language (a code such as ar, fa, ps, ckb, ti, vi)
        #[arg(long, value_name = "CODE")]
        language: String,
        /// Only this guide (or `glossary`, or `_ui` for the fixed lines)
        #[arg(long, value_name = "ID")]
        guide: Option<String>,
        /// The PO file to write
        #[arg(short = 'o', long = "output", value_name = "FILE.po")]
        output: PathBuf,
        /// Replace the file if it exists (otherwise an existing file is left untouched)
        #[arg(long)]
        force: bool,
    },
    /// Read a PO file's texts back into the translation files of --guides-dir DIR
    ///
    /// Texts not marked fuzzy are taken as `translated` from the English in the file;
    /// fuzzy ones stay stale. Nothing is marked `checked`: a fluent person does that in the
    /// file, with their initials and the day. Every text is checked first, and the files
    /// are written all or nothing.
    Import {
        /// The PO file
        file: PathBuf,
    },
}

pub fn run(
    command: &TranslationsCommand,
    library: &Library,
    guides_dir: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    match command {
        TranslationsCommand::Status { language, json } => {
            run_status(library, language.as_deref(), *json)
        }
        TranslationsCommand::Export {
            language,
            guide,
            output,
            force,
        } => {
            let translations = library.translations();
            let language = translations.require(language)?;
            let text = po::export(translations, library, language, guide.as_deref())?;
            super::write_private(output, text.as_bytes(), *force)?;
            safe_println!("Wrote {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
        TranslationsCommand::Import { file } => run_import(library, file, guides_dir),
    }
}

fn run_import(
    library: &Library,
    file: &Path,
    guides_dir: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let guides_dir = guides_dir.ok_or(TranslationError::NoFolder)?;
    let text = sanctuary::files::read_text(file, 16 * 1024 * 1024, "a PO file")
        .with_context(|| format!("could not read {}", file.display()))?;
    let po = po::parse_po(&file.display().to_string(), &text)?;
    let written = po::import(
        library.translations(),
        library,
        &file.display().to_string(),
        &po,
        guides_dir,
    )?;
    for w in &written {
        safe_println!(
            "Wrote {}: {} translated, {} fuzzy (still stale), {} unchanged",
            w.path.display(),
            w.translated,
            w.fuzzy,
            w.unchanged
        );
    }
    if written.is_empty() {
        safe_println!("Nothing to import: every text in the file is empty.");
    }
    Ok(ExitCode::SUCCESS)
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
    let (errors, warnings) = super::print_problems(&problems);
    let summary = format!(
        "Translations: {}, {}, {}",
        plural(translations.languages().len(), "language", "languages"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    );
    if errors > 0 {
        safe_eprintln!("{summary}");
        ExitCode::FAILURE
    } else {
        safe_println!("{summary}");
        ExitCode::SUCCESS
    }
}
