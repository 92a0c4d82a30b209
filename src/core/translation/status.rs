//! How far each language has got: per translation file, how many fields are current,
//! unchecked, stale or missing, and how many entries name no field (orphans).

use std::collections::HashSet;

use std::path::Path;

use super::{Direction, FileKind, Language, Shown, TranslationFile, Translations};
use crate::guide::Library;

/// The state of one translation file against the English as it is now.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// The guide id, `glossary` or `_ui`.
    pub guide: String,
    /// Entries in the file.
    pub entries: usize,
    /// Translated from the English now, and checked by a fluent person.
    pub current: usize,
    /// Translated from the English now, not checked (draft or translated).
    pub unchecked: usize,
    /// Translated from an older English.
    pub stale: usize,
    /// No translation (no entry, an empty text, or an entry with an error).
    pub missing: usize,
    /// Entries whose key names no text.
    pub orphan: usize,
    /// The keys of the stale entries, in file order.
    pub stale_keys: Vec<String>,
}

impl Coverage {
    /// The fields there are to translate.
    pub fn fields(&self) -> usize {
        self.current + self.unchecked + self.stale + self.missing
    }

    /// The share of the fields shown translated (current or unchecked), in whole percent
    /// rounded down, so that 99.9% never shows as 100%.
    pub fn percent(&self) -> usize {
        match self.fields() {
            0 => 0,
            fields => (self.current + self.unchecked) * 100 / fields,
        }
    }
}

/// One language and its files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LanguageStatus {
    pub code: String,
    pub name: String,
    #[serde(serialize_with = "direction_name")]
    pub direction: Direction,
    pub files: Vec<Coverage>,
}

fn direction_name<S: serde::Serializer>(d: &Direction, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(d.as_str())
}

impl Translations {
    /// Every language's coverage, or one language's (`only`), against the guides of `library`.
    /// Files of guides that are not loaded are left out.
    pub fn status(&self, library: &Library, only: Option<&str>) -> Vec<LanguageStatus> {
        self.languages
            .iter()
            .filter(|l| only.is_none_or(|code| l.code == code))
            .map(|language| LanguageStatus {
                code: language.code.clone(),
                name: language.name.clone(),
                direction: language.direction,
                files: language
                    .files
                    .keys()
                    .filter_map(|guide| self.coverage(library, language, guide))
                    .collect(),
            })
            .collect()
    }

    /// The fields one of a language's files should translate, as (key, English now): all of
    /// a guide's or of the fixed lines; of the glossary, the terms that appear in the guides
    /// the language translates, and those it has entries for. `None` when the file's guide
    /// is not loaded.
    /// `file` of `language` as an organisation's folder `guides_dir` should hold it. A file
    /// from elsewhere (built in) keeps only the texts this library's guides have: a built-in
    /// glossary's other terms would be orphans beside the organisation's own glossary.
    pub fn for_folder(
        &self,
        library: &Library,
        language: &Language,
        mut file: TranslationFile,
        guides_dir: &Path,
    ) -> TranslationFile {
        if !Path::new(&file.file).starts_with(guides_dir)
            && let Some(fields) = self.expected_fields(library, language, &file.guide)
        {
            file.entries
                .retain(|e| fields.iter().any(|(key, _)| *key == e.key));
        }
        file
    }

    pub fn expected_fields(
        &self,
        library: &Library,
        language: &Language,
        guide: &str,
    ) -> Option<Vec<(String, String)>> {
        let kind = super::file_kind(guide);
        let mut fields = self.english_fields(library, kind, guide)?;
        if kind == FileKind::Glossary {
            let used = glossary_slugs_used(library, language);
            let file = language.file(guide);
            fields.retain(|(key, _)| {
                let slug = key.rsplit_once('.').map_or(key.as_str(), |(s, _)| s);
                used.contains(slug) || file.is_some_and(|f| f.entries.iter().any(|e| &e.key == key))
            });
        }
        Some(fields)
    }

    fn coverage(&self, library: &Library, language: &Language, guide: &str) -> Option<Coverage> {
        let file = language.file(guide)?;
        let fields = self.expected_fields(library, language, guide)?;
        let known: HashSet<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        let mut coverage = Coverage {
            guide: guide.to_string(),
            entries: file.entries.len(),
            orphan: file
                .entries
                .iter()
                .filter(|e| !known.contains(e.key.as_str()))
                .count(),
            ..Coverage::default()
        };
        for (key, english) in &fields {
            match language.field(guide, key, english) {
                Shown::Current(_) => coverage.current += 1,
                Shown::Unchecked(_) => coverage.unchecked += 1,
                Shown::Stale { .. } => {
                    coverage.stale += 1;
                    coverage.stale_keys.push(key.clone());
                }
                Shown::Missing => coverage.missing += 1,
            }
        }
        Some(coverage)
    }
}

/// The slugs of the glossary terms that appear in the guides a language translates: the
/// glossary fields it should translate too.
fn glossary_slugs_used(library: &Library, language: &Language) -> HashSet<String> {
    let texts: Vec<&str> = language
        .guides()
        .filter_map(|g| library.guide(g))
        .flat_map(|g| {
            [g.title.as_str(), g.summary.as_str()]
                .into_iter()
                .chain(g.client_texts())
        })
        .collect();
    library
        .glossary
        .terms_in(&texts)
        .iter()
        .map(|t| super::slug(&t.term))
        .collect()
}
