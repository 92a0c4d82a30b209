//! The checks of the translations that need the guides: keys that name no text (orphans),
//! entries whose English changed (stale, a warning), files for guides that do not exist, and
//! languages whose files disagree on their name or direction.

use std::collections::HashMap;

use sanctuary_guide_format::translation::check_against_english;

use super::{FileKind, TranslationFile, Translations, glossary_fields, guide_fields};
use crate::guide::{Library, Problem, Severity};

impl Translations {
    /// Every problem with the translations, sorted by file and line: what reading found,
    /// and the checks against the guides of `library`. Stale entries are warnings; the rest
    /// are errors. This is the translations' part of `guides validate`.
    pub fn check(&self, library: &Library) -> Vec<Problem> {
        let mut problems = self.problems.clone();
        for (name, source) in &self.sources {
            if self.is_checked(name) {
                problems.extend(source.parsed.problems.iter().cloned());
            }
        }
        for language in &self.languages {
            for (guide, indexed) in &language.files {
                let file = &indexed.file;
                if !self.is_checked(&format!("{}/{guide}.toml", language.code)) {
                    continue;
                }
                match self.english_fields(library, file.kind(), guide) {
                    Some(fields) => {
                        let english: HashMap<&str, &str> = fields
                            .iter()
                            .map(|(k, e)| (k.as_str(), e.as_str()))
                            .collect();
                        problems.extend(check_against_english(file, &english));
                    }
                    None => problems.push(file.problem(
                        file.header_at,
                        Severity::Error,
                        format!(
                            "this file translates the guide `{guide}`, which is not among the guides: check `guide`, or delete the file"
                        ),
                    )),
                }
                problems.extend(font_problems(file));
                if file.name != language.name || file.direction != language.direction {
                    problems.push(file.problem(
                        file.header_at,
                        Severity::Error,
                        format!(
                            "`name` and `direction` are `{}` and `{}`, but other files of `{}` say `{}` and `{}`: make them the same",
                            file.name,
                            file.direction.as_str(),
                            language.code,
                            language.name,
                            language.direction.as_str()
                        ),
                    ));
                }
            }
        }
        problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        problems.dedup();
        problems
    }

    /// Every translatable field, as (key, English now), of a guide, the glossary or the
    /// fixed lines; `None` for a guide that is not loaded.
    pub fn english_fields(
        &self,
        library: &Library,
        kind: FileKind,
        guide: &str,
    ) -> Option<Vec<(String, String)>> {
        match kind {
            FileKind::Guide => library.guide(guide).map(|g| guide_fields(g)),
            FileKind::Glossary => Some(glossary_fields(&library.glossary)),
            FileKind::Ui => Some(self.ui.fields()),
        }
    }
}

/// The first character of each text that the hand-out's fonts cannot print: the client's
/// copy would show a blank box there.
fn font_problems(file: &TranslationFile) -> Vec<Problem> {
    file.entries
        .iter()
        .filter_map(|entry| {
            let missing = uncovered_char(&entry.text, &file.language)?;
            Some(file.problem(
                entry.text_at,
                Severity::Error,
                format!(
                    "`text` of entry `{}` holds `{missing}` (U+{:04X}), which the hand-out's fonts cannot print: use another character, or add a font that has it to assets/fonts",
                    entry.key,
                    u32::from(missing)
                ),
            ))
        })
        .collect()
}

/// The first character of `text` the hand-out's fonts lack, in `language`.
pub(crate) fn uncovered_char(text: &str, language: &str) -> Option<char> {
    text.chars()
        .find(|&c| !c.is_whitespace() && !crate::handout::font_covers(language, c))
}
