//! GNU gettext PO files, for volunteers who translate in Poedit or Weblate: `export` writes
//! one language's files (msgctxt `<guide>:<key>`, msgid the English now, msgstr the text;
//! a stale entry is `#, fuzzy` with its old English as `#| msgid`), and `import` writes the
//! texts back into the TOML files, all or nothing. Import never marks anything `checked`:
//! that needs a fluent person's initials, in the file.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sanctuary_guide_format::parse::is_forbidden_char;
use sanctuary_guide_format::translation::{file_kind, nfc, placeholders, script_problem};

use super::{
    Entry, Language, Shown, Status, TranslationError, TranslationFile, Translations, en_hash,
};
use crate::guide::problem::SourceMap;
use crate::guide::{Library, Problem};

/// Every field of `language` (or of one of its files, `only`) as a PO file.
pub fn export(
    translations: &Translations,
    library: &Library,
    language: &Language,
    only: Option<&str>,
) -> Result<String, TranslationError> {
    if let Some(guide) = only
        && language.file(guide).is_none()
    {
        return Err(TranslationError::NoFile(format!("guide `{guide}`")));
    }
    let mut out = String::new();
    let _ = write!(
        out,
        "msgid \"\"\nmsgstr \"\"\n\"Language: {}\\n\"\n\"MIME-Version: 1.0\\n\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Content-Transfer-Encoding: 8bit\\n\"\n\"X-Generator: sanctuary\\n\"\n",
        language.code
    );
    for guide in language.guides().filter(|g| only.is_none_or(|o| o == *g)) {
        let Some(fields) = translations.expected_fields(library, language, guide) else {
            continue;
        };
        for (key, english) in fields {
            out.push('\n');
            let entry = language.files[guide].entry(&key);
            if let Some(e) = entry.filter(|e| e.status == Status::Checked) {
                let by = e.checked_by.as_deref().unwrap_or("?");
                let on = e.checked_on.map(|d| d.to_string()).unwrap_or_default();
                let _ = writeln!(out, "#. checked by {by} on {on}");
            }
            let text = match language.field(guide, &key, &english) {
                Shown::Current(text) | Shown::Unchecked(text) => text,
                Shown::Stale { old_text, old_en } => {
                    out.push_str("#, fuzzy\n");
                    out.push_str(&po_string("#| msgid", old_en.trim()));
                    old_text
                }
                Shown::Missing => String::new(),
            };
            // Trimmed, as gettext's tools want msgid and msgstr to begin and end alike; the
            // hash ignores the ends, so the English is still the English now.
            out.push_str(&po_string("msgctxt", &format!("{guide}:{key}")));
            out.push_str(&po_string("msgid", english.trim()));
            out.push_str(&po_string("msgstr", text.trim()));
        }
    }
    Ok(out)
}

/// A PO keyword and its string, escaped; a string with line breaks is written one line per
/// line, after an empty first string, as gettext does.
fn po_string(keyword: &str, text: &str) -> String {
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\t', "\\t")
            .replace('\r', "\\r")
            .replace('\n', "\\n")
    };
    if !text.contains('\n') {
        return format!("{keyword} \"{}\"\n", escape(text));
    }
    // Continuation lines of a previous msgid keep the `#|` prefix.
    let prefix = if keyword.starts_with("#|") { "#| " } else { "" };
    let mut out = format!("{keyword} \"\"\n");
    for piece in text.split_inclusive('\n') {
        let _ = writeln!(out, "{prefix}\"{}\"", escape(piece));
    }
    out
}

/// One entry of a PO file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoEntry {
    pub context: Option<String>,
    pub msgid: String,
    pub msgstr: String,
    pub fuzzy: bool,
    /// The previous English (`#| msgid`).
    pub previous: Option<String>,
    /// The line the entry starts on.
    pub line: usize,
}

/// A PO file read: its language (from the header) and its entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Po {
    pub language: Option<String>,
    pub entries: Vec<PoEntry>,
}

/// Which string a line of a PO file continues.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    Context,
    Id,
    Str,
    Previous,
}

/// Reads a PO file; an error names the file and line.
pub fn parse_po(file: &str, text: &str) -> Result<Po, TranslationError> {
    let map = SourceMap::new(file, text);
    let mut entries: Vec<PoEntry> = Vec::new();
    let mut current = PoEntry::default();
    // Whether the entry being read has had its msgstr: the next entry starts after it.
    let mut seen_str = false;
    let mut field = Field::None;
    let mut offset = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let at = offset;
        offset += raw.len();
        let line = raw.trim();
        let error = |message: &str| TranslationError::Invalid(vec![map.error(at, message)]);
        if line.is_empty() {
            field = Field::None;
            continue;
        }
        if line.starts_with("#~") {
            continue;
        }
        let continues = line.starts_with('"') || line.starts_with("#| \"");
        if seen_str && !continues {
            entries.push(std::mem::take(&mut current));
            seen_str = false;
        }
        if current.line == 0 {
            current.line = index + 1;
        }
        if let Some(flags) = line.strip_prefix("#,") {
            current.fuzzy |= flags.split(',').any(|f| f.trim() == "fuzzy");
        } else if let Some(rest) = line.strip_prefix("#|") {
            let rest = rest.trim();
            let value = rest.strip_prefix("msgid ").unwrap_or(rest);
            if rest.starts_with("msgid ") || field == Field::Previous {
                let value =
                    unquote(value.trim()).ok_or_else(|| error("expected a string in quotes"))?;
                current.previous.get_or_insert_default().push_str(&value);
                field = Field::Previous;
            }
        } else if line.starts_with('#') {
            continue;
        } else if line.starts_with("msgid_plural") || line.starts_with("msgstr[") {
            return Err(error("plural forms are not used by sanctuary: remove them"));
        } else if line.starts_with('"') {
            let value = unquote(line).ok_or_else(|| error("expected a string in quotes"))?;
            append(&mut current, field, &value);
        } else {
            let (keyword, value) = line.split_once(' ').unwrap_or((line, ""));
            field = match keyword {
                "msgctxt" => Field::Context,
                "msgid" => Field::Id,
                "msgstr" => Field::Str,
                _ => {
                    return Err(error(
                        "this line is not PO: expected msgctxt, msgid, msgstr or a string in quotes",
                    ));
                }
            };
            seen_str |= field == Field::Str;
            let value =
                unquote(value.trim()).ok_or_else(|| error("expected a string in quotes"))?;
            append(&mut current, field, &value);
        }
    }
    if current.line != 0 {
        entries.push(current);
    }
    Ok(with_header(entries))
}

/// The entries with the header (the entry with an empty msgid) read for its `Language:`.
fn with_header(entries: Vec<PoEntry>) -> Po {
    let mut po = Po::default();
    for entry in entries {
        if entry.msgid.is_empty() && entry.context.is_none() {
            po.language = entry
                .msgstr
                .lines()
                .find_map(|l| l.strip_prefix("Language:"))
                .map(|l| l.trim().to_string());
        } else {
            po.entries.push(entry);
        }
    }
    po
}

fn append(entry: &mut PoEntry, field: Field, value: &str) {
    let target = match field {
        Field::Context => entry.context.get_or_insert_default(),
        Field::Id => &mut entry.msgid,
        Field::Str => &mut entry.msgstr,
        Field::Previous => entry.previous.get_or_insert_default(),
        Field::None => return,
    };
    target.push_str(value);
}

/// The text of a PO string in quotes, unescaped; `None` when it is not one.
fn unquote(quoted: &str) -> Option<String> {
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(match chars.next()? {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                other => other,
            }),
            '"' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// What an import changed, per file written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub path: PathBuf,
    /// Texts taken as translated from the English now.
    pub translated: usize,
    /// Fuzzy texts kept with their old English, so they stay stale.
    pub fuzzy: usize,
    /// Entries left as they were (empty in the PO file, or the same text).
    pub unchanged: usize,
}

/// Writes the texts of a PO file into the language's TOML files in `guides_dir/translations/`,
/// all or nothing. Every entry is checked first (its key, placeholders, script and
/// characters); any problem stops the import before anything is written, each named with
/// the PO file's line.
pub fn import(
    translations: &Translations,
    library: &Library,
    file: &str,
    po: &Po,
    guides_dir: &Path,
) -> Result<Vec<Imported>, TranslationError> {
    let map = SourceMap::new(file, "");
    let Some(code) = po.language.as_deref() else {
        return Err(TranslationError::Invalid(vec![map.error(
            0,
            "the header has no `Language:` line: export the file again with `sanctuary translations export`",
        )]));
    };
    let language = translations.require(code)?;
    let at_line = |line: usize, message: String| Problem {
        line,
        ..map.error(0, message)
    };
    let mut problems = Vec::new();
    let mut changed: BTreeMap<String, (TranslationFile, Imported)> = BTreeMap::new();
    for entry in &po.entries {
        match import_entry(translations, library, language, entry, &mut changed) {
            Ok(()) => {}
            Err(message) => problems.push(at_line(entry.line, message)),
        }
    }
    if !problems.is_empty() {
        return Err(TranslationError::Invalid(problems));
    }
    let mut writes = Vec::new();
    let mut report = Vec::new();
    for (guide, (file, mut imported)) in changed {
        if imported.translated + imported.fuzzy == 0 {
            // Nothing new for this file: it is left where it is (built in, or the
            // organisation's own), and never copied.
            continue;
        }
        let folder = guides_dir.join("translations").join(&language.code);
        std::fs::create_dir_all(&folder).map_err(|source| TranslationError::Io {
            path: folder.clone(),
            source,
        })?;
        imported.path = folder.join(format!("{guide}.toml"));
        let file = translations.for_folder(library, language, file, guides_dir);
        writes.push((imported.path.clone(), file.to_toml().into_bytes()));
        report.push(imported);
    }
    crate::files::write_all_private(&writes, crate::files::Overwrite::Replace).map_err(
        |source| TranslationError::Write {
            path: guides_dir.join("translations"),
            source,
        },
    )?;
    Ok(report)
}

/// Puts one PO entry into its file (copied into `changed` on first use); the error says why
/// it cannot be imported.
fn import_entry(
    translations: &Translations,
    library: &Library,
    language: &Language,
    po: &PoEntry,
    changed: &mut BTreeMap<String, (TranslationFile, Imported)>,
) -> Result<(), String> {
    let text: String = nfc(&po.msgstr);
    if text.trim().is_empty() {
        // Nothing to import: an untranslated field stays as it is.
        return Ok(());
    }
    let context = po.context.as_deref().unwrap_or_default();
    let Some((guide, key)) = context.split_once(':') else {
        return Err(format!(
            "msgctxt `{context}` is not `<guide>:<key>` as sanctuary exports it"
        ));
    };
    let fields = translations
        .expected_fields(library, language, guide)
        .or_else(|| translations.english_fields(library, file_kind(guide), guide))
        .ok_or_else(|| format!("`{guide}` is not a guide sanctuary has"))?;
    if !fields.iter().any(|(k, _)| k == key) {
        return Err(format!("`{key}` names no text of `{guide}`"));
    }
    check_text(&text, &po.msgid, &language.code)?;
    let (file, imported) = changed
        .entry(guide.to_string())
        .or_insert_with(|| (file_to_change(language, guide), Imported::default()));
    let existing = file.entries.iter_mut().find(|e| e.key == key);
    if po.fuzzy {
        // Kept with the English it was made from, so it stays stale.
        let Some(entry) = existing else {
            return Err(format!(
                "`{guide}:{key}` is fuzzy but has no earlier translation to keep it stale against: clear the fuzzy flag once it is translated"
            ));
        };
        entry.text = text;
        imported.fuzzy += 1;
        return Ok(());
    }
    let hash = en_hash(&po.msgid);
    match existing {
        Some(entry) if entry.text.trim() == text.trim() && entry.en_hash == hash => {
            imported.unchanged += 1
        }
        Some(entry) => {
            *entry = translated(key, &po.msgid, text);
            imported.translated += 1;
        }
        None => {
            file.entries.push(translated(key, &po.msgid, text));
            imported.translated += 1;
        }
    }
    Ok(())
}

/// The language's file for `guide` as it is, or a new one with no entries.
fn file_to_change(language: &Language, guide: &str) -> TranslationFile {
    language
        .file(guide)
        .cloned()
        .unwrap_or_else(|| TranslationFile {
            file: String::new(),
            guide: guide.to_string(),
            language: language.code.clone(),
            name: language.name.clone(),
            direction: language.direction,
            entries: Vec::new(),
            header_at: Default::default(),
        })
}

/// An entry translated from `english` now: `translated`, never `checked` (a changed text
/// needs a fluent person's check again).
fn translated(key: &str, english: &str, text: String) -> Entry {
    Entry {
        key: key.to_string(),
        en_hash: en_hash(english),
        en: english.to_string(),
        text,
        status: Status::Translated,
        checked_by: None,
        checked_on: None,
        key_at: Default::default(),
        text_at: Default::default(),
        faulty: false,
    }
}

/// The checks a translation's text must pass (as `guides validate` makes them).
fn check_text(text: &str, english: &str, language: &str) -> Result<(), String> {
    if let Some(c) = text.chars().find(|&c| is_forbidden_char(c)) {
        return Err(format!(
            "msgstr contains a control character (U+{:04X}): remove it",
            u32::from(c)
        ));
    }
    if placeholders(text) != placeholders(english) {
        return Err("msgstr must keep each {name} placeholder of the msgid as it is".into());
    }
    if let Some(message) = script_problem(text, language) {
        return Err(format!("msgstr {message}"));
    }
    match super::check::uncovered_char(text, language) {
        Some(c) => Err(format!(
            "msgstr holds `{c}` (U+{:04X}), which the hand-out's fonts cannot print",
            u32::from(c)
        )),
        None => Ok(()),
    }
}
