//! The set of guides the program runs: the shipped ones compiled in, or an organisation's
//! own folder. Loading checks every file and the links between them, and reports all problems.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};

use super::GuideError;
use super::embedded::EmbeddedGuides;
use super::glossary::Glossary;
use super::model::{Guide, Source};
use super::parse::{ParsedFile, parse_guide};
use super::problem::{Problem, Severity, SourceMap, has_errors};
use super::readability;
use crate::translation::Translations;

/// The largest guide file (or glossary) sanctuary reads: far above any real guide (the
/// shipped ones are under 70 KiB each), and low enough that a stray large file in a
/// guides folder is refused without filling memory.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The most guide files a folder may hold, and the most they may hold together: forty
/// times the guides shipped, yet a folder of hundreds of large files (seconds and
/// gigabytes to load) is refused before it is read.
pub const MAX_FOLDER_FILES: usize = 100;
pub const MAX_FOLDER_BYTES: u64 = 16 * 1024 * 1024;

/// The shipped guides, checked and serialised by `build.rs`.
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/guides.bin"));

/// Where the guides come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuideSource {
    Embedded,
    Dir(PathBuf),
}

impl GuideSource {
    /// The folder, for guides read from one.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            GuideSource::Embedded => None,
            GuideSource::Dir(dir) => Some(dir),
        }
    }
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
    if paths.len() > MAX_FOLDER_FILES {
        return Err(GuideError::FolderTooLarge {
            path: dir.to_path_buf(),
            limit: format!("{MAX_FOLDER_FILES} guide files"),
        });
    }
    let mut parsed = ParsedGuides {
        files: Vec::new(),
        glossary: Ok(Glossary::default()),
    };
    let mut total: u64 = 0;
    for path in paths {
        let text = read_bounded(&path).map_err(|source| GuideError::Io {
            path: path.clone(),
            source,
        })?;
        total += text.as_ref().map_or(MAX_FILE_BYTES, |t| t.len() as u64);
        if total > MAX_FOLDER_BYTES {
            return Err(GuideError::FolderTooLarge {
                path: dir.to_path_buf(),
                limit: format!("{} MiB in all", MAX_FOLDER_BYTES / (1024 * 1024)),
            });
        }
        let name = path.display().to_string();
        let is_glossary = path.file_name().is_some_and(|n| n == "glossary.toml");
        match (text, is_glossary) {
            (Some(text), true) => parsed.glossary = Glossary::parse(&name, &text),
            (Some(text), false) => parsed.files.push(parse_guide(&name, &text)),
            (None, true) => parsed.glossary = Err(too_large(&name, "the glossary")),
            (None, false) => parsed
                .files
                .push(ParsedFile::failed(vec![too_large(&name, "a guide file")])),
        }
    }
    if parsed.files.is_empty() {
        return Err(GuideError::NoGuides(dir.to_path_buf()));
    }
    Ok(parsed)
}

/// Reads a file as UTF-8 text, or `None` when it is larger than `MAX_FILE_BYTES`: at most
/// one byte past the limit is read, however large the file is.
fn read_bounded(path: &Path) -> io::Result<Option<String>> {
    let mut bytes = Vec::new();
    File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(None);
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

fn too_large(file: &str, what: &str) -> Problem {
    SourceMap::new(file, "").error(
        0,
        format!(
            "this file is larger than {} MiB ({MAX_FILE_BYTES} bytes), the limit for {what}, \
             so it was not read: split it into smaller files",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

/// Checked guides and everything found while checking them.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub guides: Vec<Arc<Guide>>,
    pub glossary: Glossary,
    /// Warnings (e.g. a guide not reviewed for a year); errors stop a load.
    pub warnings: Vec<Problem>,
    /// The translations, read the first time they are asked for (see `translations`).
    translations: LazyTranslations,
}

/// The translations of a library: the shipped ones, with those of its guides folder.
/// Read on first use, so a run that shows no translation never holds them.
#[derive(Debug, Clone, Default)]
struct LazyTranslations {
    guides_dir: Option<PathBuf>,
    loaded: Arc<std::sync::OnceLock<Translations>>,
}

/// Who the checks are for. Authors (`guides validate`) get every check, and a date in
/// the future is an error. Loading guides to use them (the app, a guide run) warns at
/// most about dates and skips the reading-ease score, which only an author can act on
/// and which costs more than the rest of a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checking {
    ForAuthors,
    ForUse,
}

impl Library {
    /// Loads and checks guides for use; fails with every error found. A review or
    /// `checked` date after `today` is only a warning here (see `check` for authors).
    pub fn load(
        source: &GuideSource,
        today: NaiveDate,
        letters: Option<&dyn LetterIds>,
    ) -> Result<Library, GuideError> {
        let parsed = ParsedGuides::read(source)?;
        let (mut library, problems) =
            Library::check_parsed(parsed, today, letters, Checking::ForUse);
        if has_errors(&problems) {
            return Err(GuideError::Invalid(problems));
        }
        library.translations.guides_dir = source.dir().map(Path::to_path_buf);
        Ok(library)
    }

    /// Checks every file, its review date as of `today` (one in the future is an error:
    /// this is what `guides validate` runs), and the links between files.
    /// Returns what loaded and all problems, errors and warnings, sorted by file and line;
    /// fails only when the guides cannot be read at all.
    pub fn check(
        source: &GuideSource,
        today: NaiveDate,
        letters: Option<&dyn LetterIds>,
    ) -> Result<(Library, Vec<Problem>), GuideError> {
        let parsed = ParsedGuides::read(source)?;
        let (mut library, problems) =
            Library::check_parsed(parsed, today, letters, Checking::ForAuthors);
        library.translations.guides_dir = source.dir().map(Path::to_path_buf);
        Ok((library, problems))
    }

    /// The translations of these guides: the shipped ones, and those in the guides
    /// folder's `translations/` when the guides came from a folder.
    pub fn translations(&self) -> &Translations {
        self.translations
            .loaded
            .get_or_init(|| Translations::load(self.translations.guides_dir.as_deref()))
    }

    fn check_parsed(
        parsed: ParsedGuides,
        today: NaiveDate,
        letters: Option<&dyn LetterIds>,
        checking: Checking,
    ) -> (Library, Vec<Problem>) {
        let future_dates = match checking {
            Checking::ForAuthors => Severity::Error,
            Checking::ForUse => Severity::Warning,
        };
        let files = parsed.files;
        let mut problems: Vec<Problem> = files
            .iter()
            .flat_map(|p| {
                p.problems
                    .iter()
                    .cloned()
                    .chain(p.date_problems(today, future_dates))
                    .chain(match checking {
                        Checking::ForAuthors => readability_problem(p),
                        Checking::ForUse => None,
                    })
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
                translations: LazyTranslations::default(),
            },
            problems,
        )
    }

    /// Every source of every guide, least recently checked first: those never checked,
    /// then by `checked` date (then guide title and source id), so a reviewer knows where
    /// to start. Ages are as of `today`.
    pub fn sources_by_age(&self, today: NaiveDate) -> Vec<SourceAge<'_>> {
        let mut list: Vec<SourceAge<'_>> = self
            .guides
            .iter()
            .flat_map(|guide| {
                guide.sources.iter().map(move |source| SourceAge {
                    guide,
                    source,
                    age: source.checked.and_then(|c| Age::between(c, today)),
                })
            })
            .collect();
        // `None` sorts before any date.
        list.sort_by(|a, b| {
            (a.source.checked, &a.guide.title, &a.source.id).cmp(&(
                b.source.checked,
                &b.guide.title,
                &b.source.id,
            ))
        });
        list
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

/// A warning when a guide's client-facing text is not plain English.
fn readability_problem(file: &ParsedFile) -> Option<Problem> {
    let (Some(guide), Some(at)) = (&file.guide, &file.id_at) else {
        return None;
    };
    let score = readability::score(guide.client_texts());
    (score < readability::PLAIN_ENGLISH).then(|| Problem {
        severity: Severity::Warning,
        message: format!(
            "guide `{}` has a Flesch reading ease of {:.1}, under {}: use shorter sentences \
             and everyday words in the text the client reads (legal detail goes in `adviser_note`)",
            guide.id,
            // Rounded down, so a score just under the line never shows as on it.
            (score * 10.0).floor() / 10.0,
            readability::PLAIN_ENGLISH
        ),
        ..at.clone()
    })
}

/// One source of one guide and how long ago it was checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceAge<'a> {
    pub guide: &'a Guide,
    pub source: &'a Source,
    /// `None` when the source was never checked (or its date is after today).
    pub age: Option<Age>,
}

/// Whole months and the days left over, the way a person counts the time since a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Age {
    pub months: u32,
    pub days: u32,
}

impl Age {
    /// The time from `from` to `to`, or `None` when `from` is later.
    pub fn between(from: NaiveDate, to: NaiveDate) -> Option<Age> {
        if from > to {
            return None;
        }
        let mut months =
            ((to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32) as u32;
        loop {
            // A month on from the 31st is the last day of a shorter month.
            let anniversary = from.checked_add_months(Months::new(months))?;
            if anniversary <= to {
                let days = (to - anniversary).num_days() as u32;
                return Some(Age { months, days });
            }
            months -= 1;
        }
    }
}

impl fmt::Display for Age {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: u32, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
        match (self.months, self.days) {
            (0, days) => f.write_str(&plural(days, "day")),
            (months, 0) => f.write_str(&plural(months, "month")),
            (months, days) => write!(f, "{} {}", plural(months, "month"), plural(days, "day")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_guides_folder_with_too_many_files_or_too_much_in_all_is_refused_unread() {
        let too_many = tempfile::tempdir().unwrap();
        for n in 0..=MAX_FOLDER_FILES {
            std::fs::write(too_many.path().join(format!("g{n}.toml")), "# a guide\n").unwrap();
        }
        let error = ParsedGuides::read(&GuideSource::Dir(too_many.path().into()))
            .err()
            .expect("refused");
        assert!(
            matches!(error, GuideError::FolderTooLarge { .. }),
            "{error}"
        );
        assert!(error.to_string().contains("100 guide files"), "{error}");

        let too_much = tempfile::tempdir().unwrap();
        let almost_a_mib = "# padding to make a large file\n".repeat(32_000);
        for n in 0..17 {
            std::fs::write(too_much.path().join(format!("g{n}.toml")), &almost_a_mib).unwrap();
        }
        let error = ParsedGuides::read(&GuideSource::Dir(too_much.path().into()))
            .err()
            .expect("refused");
        assert!(error.to_string().contains("16 MiB in all"), "{error}");
    }

    fn guide_file(id: &str, title: &str, sources: &[(&str, Option<&str>)]) -> String {
        let mut text = format!(
            "[guide]\nid = \"{id}\"\ntitle = \"{title}\"\nsummary = \"S.\"\ntopic = \"T\"\n\
             last_reviewed = 2026-11-01\nstart = \"end\"\n"
        );
        for (source, checked) in sources {
            text.push_str(&format!(
                "\n[[sources]]\nid = \"{source}\"\ntitle = \"Source {source}\"\nreference = \"R\"\n"
            ));
            if let Some(checked) = checked {
                text.push_str(&format!("checked = {checked}\n"));
            }
        }
        text.push_str(&format!(
            "\n[[nodes]]\nid = \"end\"\ntype = \"outcome\"\ntitle = \"You can do this.\"\n\
             risk = \"low\"\nadvice = \"Ask for help. It is free.\"\nadviser_note = \"N.\"\n\
             sources = [\"{}\"]\n",
            sources[0].0
        ));
        text
    }

    fn check(files: &[(&str, String)], today: NaiveDate) -> (Library, Vec<Problem>) {
        let parsed = ParsedGuides {
            files: files
                .iter()
                .map(|(name, text)| parse_guide(name, text))
                .collect(),
            glossary: Ok(Glossary::default()),
        };
        Library::check_parsed(parsed, today, None, Checking::ForAuthors)
    }

    #[test]
    fn a_review_date_after_today_stops_validation_but_not_the_app() {
        // The machine's clock is behind the shipped guides' review dates.
        let yesterday = date("2026-11-22");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../guides");
        let source = GuideSource::Dir(dir.into());
        let (_, problems) = Library::check(&source, yesterday, None).unwrap();
        assert!(
            problems
                .iter()
                .any(|p| p.severity == Severity::Error && p.message.contains("in the future")),
            "guides validate refuses a future date"
        );
        let library = Library::load(&source, yesterday, None).expect("the app still starts");
        assert!(!library.guides.is_empty());
        assert!(
            library
                .warnings
                .iter()
                .any(|p| p.message.contains("in the future"))
        );
        // And two years on, everything loads, with warnings about the old dates.
        let later = Library::load(&source, date("2028-12-01"), None).expect("loads");
        assert!(
            later
                .warnings
                .iter()
                .any(|p| p.message.contains("over 12 months ago"))
        );
    }

    #[test]
    fn age_counts_whole_months_then_days() {
        let age = |from, to| Age::between(date(from), date(to)).map(|a| a.to_string());
        assert_eq!(age("2026-12-01", "2026-12-01").as_deref(), Some("0 days"));
        assert_eq!(age("2026-11-30", "2026-12-01").as_deref(), Some("1 day"));
        assert_eq!(age("2026-11-01", "2026-12-01").as_deref(), Some("1 month"));
        assert_eq!(
            age("2026-10-31", "2026-12-01").as_deref(),
            Some("1 month 1 day")
        );
        assert_eq!(
            age("2024-02-29", "2026-12-01").as_deref(),
            Some("33 months 2 days")
        );
        assert_eq!(age("2026-01-31", "2026-02-28").as_deref(), Some("1 month"));
        assert_eq!(age("2026-01-31", "2026-02-27").as_deref(), Some("27 days"));
        assert_eq!(
            age("2025-12-02", "2026-12-01").as_deref(),
            Some("11 months 29 days")
        );
        assert_eq!(
            age("2026-12-02", "2026-12-01"),
            None,
            "a future date has no age"
        );
    }

    #[test]
    fn sources_are_listed_never_checked_first_then_oldest_first() {
        let today = date("2026-12-01");
        let (library, _) = check(
            &[
                (
                    "b.toml",
                    guide_file(
                        "b",
                        "Beta",
                        &[
                            ("b-new", Some("2026-11-30")),
                            ("b-never", None),
                            ("b-old", Some("2024-02-29")),
                        ],
                    ),
                ),
                (
                    "a.toml",
                    guide_file(
                        "a",
                        "Alpha",
                        &[("a-mid", Some("2025-06-15")), ("a-never", None)],
                    ),
                ),
            ],
            today,
        );
        let listed: Vec<(String, String, Option<String>)> = library
            .sources_by_age(today)
            .iter()
            .map(|s| {
                (
                    s.guide.title.clone(),
                    s.source.id.clone(),
                    s.age.map(|a| a.to_string()),
                )
            })
            .collect();
        let row = |g: &str, s: &str, age: Option<&str>| {
            (g.to_string(), s.to_string(), age.map(String::from))
        };
        assert_eq!(
            listed,
            [
                row("Alpha", "a-never", None),
                row("Beta", "b-never", None),
                row("Beta", "b-old", Some("33 months 2 days")),
                row("Alpha", "a-mid", Some("17 months 16 days")),
                row("Beta", "b-new", Some("1 day")),
            ]
        );
    }

    #[test]
    fn the_check_warns_about_missing_and_stale_checked_dates_and_hard_text() {
        let today = date("2026-12-01");
        let mut hard = guide_file("hard", "Hard", &[("law", Some("2026-11-01"))]);
        hard = hard.replace(
            "Ask for help. It is free.",
            "Notwithstanding the aforementioned regulatory provisions, organisations processing \
             personal information must demonstrate proportionality considerations.",
        );
        let (library, problems) = check(
            &[
                ("hard.toml", hard),
                (
                    "ok.toml",
                    guide_file("ok", "Ok", &[("a", None), ("b", Some("2025-01-01"))]),
                ),
            ],
            today,
        );
        assert_eq!(library.guides.len(), 2, "warnings do not stop a load");
        let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(
            messages[0]
                .starts_with("hard.toml:2:6: warning: guide `hard` has a Flesch reading ease of")
        );
        assert!(messages[0].contains("under 60: use shorter sentences and everyday words"));
        assert_eq!(
            messages[1],
            "ok.toml:10:6: warning: source `a` has no `checked` date: add the day you last checked it"
        );
        assert!(
            messages[2]
                .starts_with("ok.toml:18:11: warning: source `b` was last checked on 2025-01-01")
        );
    }

    #[test]
    fn a_file_over_the_limit_is_refused_unread_and_one_at_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        std::fs::write(&path, vec![b'#'; MAX_FILE_BYTES as usize + 1]).unwrap();
        assert_eq!(read_bounded(&path).unwrap(), None);
        std::fs::write(&path, vec![b'#'; MAX_FILE_BYTES as usize]).unwrap();
        assert_eq!(
            read_bounded(&path).unwrap().map(|t| t.len()),
            Some(MAX_FILE_BYTES as usize)
        );
        let problem = too_large("big.toml", "a guide file");
        assert_eq!(
            (problem.line, problem.column, problem.severity),
            (1, 1, Severity::Error)
        );
        assert!(
            problem.message.contains("1 MiB (1048576 bytes)"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn the_shipped_guides_are_far_under_the_size_limit() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../guides");
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let len = entry.metadata().unwrap().len();
            assert!(
                len < MAX_FILE_BYTES / 4,
                "{:?} is {len} bytes",
                entry.path()
            );
        }
    }
}
