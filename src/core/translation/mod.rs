//! Guides in the client's language: the translation files (shipped, and an organisation's own
//! under `--guides-dir DIR/translations/`), what to show for each field, and the checks.
//!
//! A field is shown as its translation only when the translation was made from the English as
//! it is now (same hash). An entry whose English changed is *stale*: the client sees the fixed
//! `stale` line instead, never the old text as if it were current.

mod check;
pub mod po;
mod record;
mod status;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use record::ShownInLanguage;
pub use sanctuary_guide_format::translation::{
    Direction, EmbeddedTranslations, Entry, FileKind, GLOSSARY, ParsedTranslation, Status,
    TranslationFile, UI, UiStrings, en_hash, file_kind, glossary_fields, guide_fields, node_fields,
    parse_translation, slug,
};
pub use status::{Coverage, LanguageStatus};

use crate::guide::problem::{Problem, SourceMap};

/// The shipped translations, read and serialised by `build.rs`.
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/translations.bin"));

/// The largest translation file read from a folder, and the most files: far above the
/// shipped ones (under 100 KiB each, 30 files).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
pub const MAX_FILES: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum TranslationError {
    #[error("could not read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", crate::guide::list(.0))]
    Invalid(Vec<Problem>),
    #[error(
        "there are no translations in the language `{0}`; `sanctuary translations status` lists the languages"
    )]
    UnknownLanguage(String),
    #[error("the {0} has no translation file in this language")]
    NoFile(String),
    #[error(
        "say which guides folder to write the translations into with --guides-dir DIR (the shipped translations are in the source's guides folder)"
    )]
    NoFolder,
    #[error("could not write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: crate::files::WriteError,
    },
}

/// What the client is shown for one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Translated from the English as it is now, and checked by a fluent person.
    Current(String),
    /// Translated from the English as it is now, not checked (`draft` or `translated`):
    /// shown with the `draft-banner`.
    Unchecked(String),
    /// Translated from an older English: the client is shown the `stale` line, and the
    /// adviser may see what it was (never as current).
    Stale { old_text: String, old_en: String },
    /// No translation (no entry, an empty text, or an entry with an error).
    Missing,
}

impl Shown {
    /// The translation to show the client as current, if there is one.
    pub fn text(&self) -> Option<&str> {
        match self {
            Shown::Current(text) | Shown::Unchecked(text) => Some(text),
            Shown::Stale { .. } | Shown::Missing => None,
        }
    }
}

/// One translation file with its entries indexed by key.
#[derive(Debug)]
struct Indexed {
    file: TranslationFile,
    by_key: HashMap<String, usize>,
}

impl Indexed {
    fn new(file: TranslationFile) -> Indexed {
        let mut by_key = HashMap::new();
        for (i, e) in file.entries.iter().enumerate() {
            // The first of duplicate keys (the later ones are faulty).
            by_key.entry(e.key.clone()).or_insert(i);
        }
        Indexed { file, by_key }
    }

    fn entry(&self, key: &str) -> Option<&Entry> {
        self.by_key.get(key).map(|&i| &self.file.entries[i])
    }
}

/// One language: its own name, its direction, and its translation files by guide.
#[derive(Debug, Clone)]
pub struct Language {
    /// BCP 47 tag, such as `ar` or `ti`.
    pub code: String,
    /// The language's own name, such as العربية.
    pub name: String,
    pub direction: Direction,
    files: BTreeMap<String, Arc<Indexed>>,
    ui_english: Arc<HashMap<String, String>>,
}

impl Language {
    /// What to show for `key` of `guide_id` (a guide id, [`GLOSSARY`] or [`UI`]), given the
    /// English of that field as it is now.
    pub fn field(&self, guide_id: &str, key: &str, english_now: &str) -> Shown {
        let Some(entry) = self.files.get(guide_id).and_then(|f| f.entry(key)) else {
            return Shown::Missing;
        };
        if entry.faulty || entry.text.trim().is_empty() {
            Shown::Missing
        } else if en_hash(english_now) != entry.en_hash {
            Shown::Stale {
                old_text: entry.text.clone(),
                old_en: entry.en.clone(),
            }
        } else if entry.is_checked() {
            Shown::Current(entry.text.clone())
        } else {
            Shown::Unchecked(entry.text.clone())
        }
    }

    /// A fixed line of the client's (a key of `ui-strings.toml`, such as `stale`,
    /// `draft-banner` or `english-counts`), checked against its English as it is now.
    pub fn ui(&self, key: &str) -> Shown {
        match self.ui_english.get(key) {
            Some(english) => self.field(UI, key, english),
            None => Shown::Missing,
        }
    }

    /// A fixed line in this language, or in English when it is not translated (stale or
    /// missing); empty for a key `ui-strings.toml` does not have.
    pub fn ui_line(&self, key: &str) -> String {
        match self.ui(key) {
            Shown::Current(text) | Shown::Unchecked(text) => text,
            Shown::Stale { .. } | Shown::Missing => {
                self.ui_english.get(key).cloned().unwrap_or_default()
            }
        }
    }

    /// The `stale` line in this language, or in English when it has none: what the client
    /// sees in place of a stale or missing field.
    pub fn stale_line(&self) -> String {
        match self.ui_line("stale") {
            line if line.is_empty() => {
                "This part changed and is not translated yet. Please ask your adviser.".into()
            }
            line => line,
        }
    }

    /// The translation file of `guide_id`, if this language has one.
    pub fn file(&self, guide_id: &str) -> Option<&TranslationFile> {
        self.files.get(guide_id).map(|f| &f.file)
    }

    /// The guide ids (and `glossary`, `_ui`) this language has files for.
    pub fn guides(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// A translation file and where it came from.
#[derive(Debug, Clone)]
struct Source {
    parsed: ParsedTranslation,
    /// From an organisation's folder (not shipped): its problems are always reported,
    /// and one for a guide that is not loaded is an error.
    from_dir: bool,
}

/// Every translation the program has: the shipped ones, with an organisation's own files
/// (from `--guides-dir DIR`, in `DIR/translations/<lang>/`) added or put in place of the
/// shipped file of the same language and name.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    languages: Vec<Language>,
    /// By `<lang>/<file name>`.
    sources: BTreeMap<String, Source>,
    ui: UiStrings,
    /// Problems reading the files other than each file's own: unreadable or misplaced
    /// files (not used).
    problems: Vec<Problem>,
    /// The guides came from a folder: the shipped translations are then checked only
    /// at run time (field by field), since the folder's guides are not the ones they
    /// were made for.
    guides_from_folder: bool,
}

impl Translations {
    /// The shipped translations, with those in `dir/translations/` when a guides folder is
    /// given.
    pub fn load(guides_dir: Option<&Path>) -> Translations {
        let mut problems = Vec::new();
        let embedded: EmbeddedTranslations = postcard::from_bytes(EMBEDDED).unwrap_or_else(|e| {
            problems.push(SourceMap::new("(built-in translations)", "").error(
                0,
                format!(
                    "the translations built into this program could not be read ({e}); rebuild it"
                ),
            ));
            EmbeddedTranslations::default()
        });
        let mut ui = embedded.ui;
        let mut sources: BTreeMap<String, Source> = embedded
            .files
            .into_iter()
            .filter_map(|parsed| {
                let name = relative_name(&parsed)?;
                Some((
                    name,
                    Source {
                        parsed,
                        from_dir: false,
                    },
                ))
            })
            .collect();
        if let Some(dir) = guides_dir {
            let folder = dir.join("translations");
            if folder.is_dir() {
                read_folder(&folder, &mut sources, &mut ui, &mut problems);
            }
        }
        let mut translations = Translations::from_sources(sources, ui, problems);
        translations.guides_from_folder = guides_dir.is_some();
        translations
    }

    fn from_sources(
        sources: BTreeMap<String, Source>,
        ui: UiStrings,
        mut problems: Vec<Problem>,
    ) -> Translations {
        let ui_english: Arc<HashMap<String, String>> = Arc::new(ui.fields().into_iter().collect());
        let mut languages: BTreeMap<String, Language> = BTreeMap::new();
        for (name, source) in &sources {
            let Some(file) = &source.parsed.file else {
                continue;
            };
            if let Some(problem) = misplaced(name, file) {
                problems.push(problem);
                continue;
            }
            let language = languages
                .entry(file.language.clone())
                .or_insert_with(|| Language {
                    code: file.language.clone(),
                    name: file.name.clone(),
                    direction: file.direction,
                    files: BTreeMap::new(),
                    ui_english: ui_english.clone(),
                });
            language
                .files
                .insert(file.guide.clone(), Arc::new(Indexed::new(file.clone())));
        }
        Translations {
            languages: languages.into_values().collect(),
            sources,
            ui,
            problems,
            guides_from_folder: false,
        }
    }

    /// The languages, by code.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The language with this code, or an error naming it.
    pub fn require(&self, code: &str) -> Result<&Language, TranslationError> {
        self.language(code)
            .ok_or_else(|| TranslationError::UnknownLanguage(code.to_string()))
    }

    /// The English of the client's fixed lines.
    pub fn ui_strings(&self) -> &UiStrings {
        &self.ui
    }

    /// Whether a file (`<lang>/<name>.toml`) is checked: every file of a folder, and the
    /// shipped ones when the guides are the shipped ones.
    fn is_checked(&self, name: &str) -> bool {
        self.sources
            .get(name)
            .is_some_and(|s| s.from_dir || !self.guides_from_folder)
    }
}

/// `<lang>/<file name>` of a file named `…/translations/<lang>/<file name>`.
fn relative_name(parsed: &ParsedTranslation) -> Option<String> {
    let file = parsed
        .file
        .as_ref()
        .map(|f| f.file.as_str())
        .or_else(|| parsed.problems.first().map(|p| p.file.as_str()))?;
    let path = Path::new(file);
    let name = path.file_name()?.to_str()?;
    let language = path.parent()?.file_name()?.to_str()?;
    Some(format!("{language}/{name}"))
}

/// A file whose header does not match where it is: it is not used, so that a file copied
/// into the wrong folder never shows one language's text as another's.
fn misplaced(name: &str, file: &TranslationFile) -> Option<Problem> {
    let expected = format!("{}/{}.toml", file.language, file.guide);
    (name != expected).then(|| {
        file.problem(
            file.header_at,
            crate::guide::Severity::Error,
            format!(
                "this file says it translates `{}` into `{}`, so it belongs at translations/{expected}; it is not used where it is",
                file.guide, file.language
            ),
        )
    })
}

/// Reads `folder/ui-strings.toml` and `folder/<lang>/*.toml`, each put in place of the
/// shipped file of the same name.
fn read_folder(
    folder: &Path,
    sources: &mut BTreeMap<String, Source>,
    ui: &mut UiStrings,
    problems: &mut Vec<Problem>,
) {
    let ui_path = folder.join("ui-strings.toml");
    if ui_path.is_file() {
        match crate::files::read_text(&ui_path, MAX_FILE_BYTES, "a translation file") {
            Ok(text) => match UiStrings::parse(&ui_path.display().to_string(), &text) {
                Ok(parsed) => *ui = parsed,
                Err(problem) => problems.push(problem),
            },
            Err(e) => problems.push(unreadable(&ui_path, e)),
        }
    }
    let mut paths = Vec::new();
    for language in sorted_entries(folder).into_iter().filter(|p| p.is_dir()) {
        paths.extend(
            sorted_entries(&language)
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "toml")),
        );
    }
    if paths.len() > MAX_FILES {
        problems.push(SourceMap::new(&folder.display().to_string(), "").error(
            0,
            format!(
                "this folder holds more than {MAX_FILES} translation files, so none of them is used"
            ),
        ));
        return;
    }
    for path in paths {
        let text = match crate::files::read_text(&path, MAX_FILE_BYTES, "a translation file") {
            Ok(text) => text,
            Err(e) => {
                problems.push(unreadable(&path, e));
                continue;
            }
        };
        let parsed = parse_translation(&path.display().to_string(), &text);
        if let Some(name) = relative_name(&parsed) {
            sources.insert(
                name,
                Source {
                    parsed,
                    from_dir: true,
                },
            );
        }
    }
}

fn unreadable(path: &Path, error: std::io::Error) -> Problem {
    SourceMap::new(&path.display().to_string(), "").error(
        0,
        format!("this file could not be read ({error}), so it is not used"),
    )
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
}

/// The key in `ui-strings.toml` of the words for a risk, as the client reads them.
pub fn risk_key(risk: crate::guide::Risk) -> &'static str {
    use crate::guide::Risk;
    match risk {
        Risk::Low => "risk-low",
        Risk::Medium => "risk-medium",
        Risk::High => "risk-high",
        Risk::Urgent => "risk-urgent",
    }
}

#[cfg(test)]
mod tests;
