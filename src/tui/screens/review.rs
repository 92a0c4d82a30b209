//! `sanctuary translations review`: a volunteer translator's screen. One entry at a time:
//! the English as it is now, the English the translation was made from (a word diff when
//! it changed), the translation, and its state. `e` edits the translation inline, `c`
//! marks it checked (asking for initials), `m` says the English change does not affect
//! the meaning (the entry is re-stamped with the English now), `n`/`p` move. Every change
//! is written at once, atomically, to the organisation's copy under `--guides-dir`
//! (`translations/<language>/<file>.toml`); the translations built into the program are
//! never changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Transition, frame_areas, hint_line};
use crate::terminal_text;
use crate::tui::action::{Action, ReviewAction};
use crate::tui::bidi::RtlDisplay;
use crate::tui::client_language::{Drawing, client_lines, english_name};
use crate::tui::keys::Context;
use crate::tui::line_edit::{self, Cursor};
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use sanctuary::guide::Library;
use sanctuary::translation::{
    Direction, Entry, GLOSSARY, Status, TranslationFile, UI, en_hash, glossary_fields, guide_fields,
};

/// How a newline of a translation shows while it is edited on one line.
const NEWLINE_MARK: char = '⏎';

/// One translation file being reviewed, and where it is written.
#[derive(Debug)]
struct ReviewFile {
    file: TranslationFile,
    path: PathBuf,
    /// The English of each key as it is now.
    english: HashMap<String, String>,
}

/// What the screen is doing.
#[derive(Debug)]
enum Mode {
    Reading,
    Editing {
        text: String,
        cursor: Cursor,
    },
    /// Asking for the checker's initials.
    Initials {
        text: String,
    },
}

#[derive(Debug)]
pub struct ReviewScreen {
    language: String,
    direction: Direction,
    rtl: Option<RtlDisplay>,
    files: Vec<ReviewFile>,
    /// (file, entry) of every entry, in order.
    entries: Vec<(usize, usize)>,
    at: usize,
    mode: Mode,
    /// Entries changed in this session: whoever changed one does not check it.
    edited: Vec<(usize, usize)>,
}

/// Said when no folder is given: the review writes only to an organisation's copy.
const NO_FOLDER: &str = "translations review writes to your organisation's copy of the guides, and no folder was given: run it with --guides-dir DIR (a copy of the guides folder; the translations built into sanctuary are never changed)";

impl ReviewScreen {
    /// The entries of `language` (one guide's, or every file's) from `library`, to be
    /// written under `dir`.
    pub fn open(
        library: &Library,
        dir: Option<&Path>,
        language: &str,
        guide: Option<&str>,
        rtl: Option<RtlDisplay>,
    ) -> anyhow::Result<ReviewScreen> {
        let Some(dir) = dir else {
            anyhow::bail!(NO_FOLDER);
        };
        let found = library.translations().require(language)?;
        let names: Vec<String> = match guide {
            Some(id) if found.file(id).is_some() => vec![id.to_string()],
            Some(id) => anyhow::bail!(
                "there is no {} translation of {} (`sanctuary translations status --language {}` lists the files)",
                terminal_text::line(language),
                terminal_text::line(id),
                terminal_text::line(language)
            ),
            None => found.guides().map(str::to_string).collect(),
        };
        let folder = dir.join("translations").join(language);
        let files: Vec<ReviewFile> = names
            .iter()
            .filter_map(|name| {
                let file = library.translations().for_folder(
                    library,
                    found,
                    found.file(name)?.clone(),
                    dir,
                );
                Some(ReviewFile {
                    path: folder.join(format!("{name}.toml")),
                    english: english_now(library, name).into_iter().collect(),
                    file,
                })
            })
            .collect();
        let entries = files
            .iter()
            .enumerate()
            .flat_map(|(f, file)| (0..file.file.entries.len()).map(move |e| (f, e)))
            .collect();
        Ok(ReviewScreen {
            language: language.to_string(),
            direction: found.direction,
            rtl,
            files,
            entries,
            at: 0,
            mode: Mode::Reading,
            edited: Vec::new(),
        })
    }

    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Reading => Context::Review,
            Mode::Editing { .. } => Context::ReviewEdit,
            Mode::Initials { .. } => Context::Prompt,
        }
    }

    fn drawing(&self) -> Drawing {
        Drawing::of(self.direction, self.rtl)
    }

    fn current(&self) -> Option<(usize, usize)> {
        self.entries.get(self.at).copied()
    }

    pub fn handle(&mut self, action: Action, today: NaiveDate) -> Transition {
        match &mut self.mode {
            Mode::Editing { text, cursor } => {
                if line_edit::edit(text, cursor, action) {
                    return Transition::Stay;
                }
                match action {
                    Action::Confirm => {
                        let text = text.replace(NEWLINE_MARK, "\n");
                        self.mode = Mode::Reading;
                        return self.save_edit(text);
                    }
                    Action::CloseOverlay => self.mode = Mode::Reading,
                    _ => {}
                }
                Transition::Stay
            }
            Mode::Initials { text } => {
                match action {
                    Action::Type(c) if text.chars().count() < 8 => text.push(c),
                    Action::DeleteChar => {
                        text.pop();
                    }
                    Action::ClearLine => text.clear(),
                    Action::CloseOverlay => self.mode = Mode::Reading,
                    Action::Confirm => {
                        let initials = text.trim().to_string();
                        self.mode = Mode::Reading;
                        return self.mark_checked(&initials, today);
                    }
                    _ => {}
                }
                Transition::Stay
            }
            Mode::Reading => self.reading(action),
        }
    }

    fn reading(&mut self, action: Action) -> Transition {
        let last = self.entries.len().saturating_sub(1);
        match action {
            Action::Review(ReviewAction::Next) | Action::Down => self.at = (self.at + 1).min(last),
            Action::Review(ReviewAction::Previous) | Action::Up => {
                self.at = self.at.saturating_sub(1)
            }
            Action::Review(ReviewAction::Edit) => return self.start_edit(),
            Action::Review(ReviewAction::Check) => {
                if let Some(refused) = self.refuse_check() {
                    return Transition::Status(refused);
                }
                self.mode = Mode::Initials {
                    text: String::new(),
                };
            }
            Action::Review(ReviewAction::SameMeaning) => return self.same_meaning(),
            Action::Leave => return Transition::QuitApp,
            _ => {}
        }
        Transition::Stay
    }

    fn start_edit(&mut self) -> Transition {
        if self.drawing() == Drawing::Hidden {
            return Transition::Status(
                "Right-to-left text is kept off this screen (F4 settings of the app): edit this language's file in a text editor, or with PO files.".into(),
            );
        }
        let Some((f, e)) = self.current() else {
            return Transition::Stay;
        };
        let text = self.files[f].file.entries[e]
            .text
            .replace('\n', &NEWLINE_MARK.to_string());
        self.mode = Mode::Editing {
            cursor: Cursor::at_end(&text),
            text,
        };
        Transition::Stay
    }

    /// Why this entry cannot be marked checked now, if it cannot.
    fn refuse_check(&self) -> Option<String> {
        let (f, e) = self.current()?;
        let entry = &self.files[f].file.entries[e];
        if entry.text.trim().is_empty() {
            return Some("There is no translation to check yet: e writes one.".into());
        }
        if self.edited.contains(&(f, e)) {
            return Some("This translation was changed in this review: someone other than the person who changed it checks it.".into());
        }
        if !self.files[f].english.contains_key(&entry.key) {
            return Some("This entry's key names no text now: it cannot be checked.".into());
        }
        None
    }

    /// The entry under review, stamped with the English of its key as it is now (what it
    /// is from now on a translation of), and its file.
    fn stamped(&mut self) -> Option<(usize, &mut Entry)> {
        let (f, e) = self.current()?;
        let file = &mut self.files[f];
        let entry = &mut file.file.entries[e];
        if let Some(english) = file.english.get(&entry.key) {
            entry.en_hash = en_hash(english);
            entry.en = english.clone();
        }
        Some((f, entry))
    }

    /// A new translation, made from the English as it is now: not checked.
    fn save_edit(&mut self, text: String) -> Transition {
        let Some((f, e)) = self.current() else {
            return Transition::Stay;
        };
        if self.files[f].file.entries[e].text == text {
            return Transition::Status("Nothing changed.".into());
        }
        let Some((f, entry)) = self.stamped() else {
            return Transition::Stay;
        };
        entry.text = text;
        entry.status = Status::Translated;
        entry.checked_by = None;
        entry.checked_on = None;
        self.edited.push((f, e));
        self.write(f, "Saved the new translation (translated, not checked)")
    }

    fn mark_checked(&mut self, initials: &str, today: NaiveDate) -> Transition {
        let valid = !initials.is_empty()
            && initials.chars().count() <= 4
            && initials.chars().all(|c| c.is_alphabetic());
        if !valid {
            return Transition::Status(
                "Initials only (letters, up to 4, such as AB): nothing was changed.".into(),
            );
        }
        let initials = initials.to_uppercase();
        let Some((f, entry)) = self.stamped() else {
            return Transition::Stay;
        };
        entry.status = Status::Checked;
        entry.checked_by = Some(initials.clone());
        entry.checked_on = Some(today);
        self.write(f, &format!("Marked checked by {initials}"))
    }

    /// `m`: the English changed, but not in a way that changes the meaning: the entry is
    /// stamped with the English now, and keeps its text and status.
    fn same_meaning(&mut self) -> Transition {
        let Some((f, e)) = self.current() else {
            return Transition::Stay;
        };
        let entry = &self.files[f].file.entries[e];
        match self.files[f].english.get(&entry.key) {
            None => return Transition::Status("This entry's key names no text now.".into()),
            Some(english) if entry.en_hash == en_hash(english) => {
                return Transition::Status(
                    "This entry was made from the English as it is now: nothing to do.".into(),
                );
            }
            Some(_) => {}
        }
        self.stamped();
        self.write(
            f,
            "Stamped with the English as it is now (meaning unchanged)",
        )
    }

    /// Writes file `f` whole, atomically (a temporary file renamed over the old one).
    fn write(&self, f: usize, done: &str) -> Transition {
        let file = &self.files[f];
        if let Some(folder) = file.path.parent()
            && let Err(e) = std::fs::create_dir_all(folder)
        {
            return Transition::Status(format!(
                "Not written: could not make {}: {e}",
                folder.display()
            ));
        }
        let mode = readable_mode(&file.path);
        let written = sanctuary::files::write_private(
            &file.path,
            file.file.to_toml().as_bytes(),
            sanctuary::files::Overwrite::Replace,
        );
        Transition::Status(match written {
            Ok(path) => {
                keep_mode(&path, mode);
                format!("{done}: written to {}", file.path.display())
            }
            Err(e) => format!("Not written to {}: {e}", file.path.display()),
        })
    }

    pub fn draw(&self, frame: &mut Frame, theme: Theme, status: Option<&str>) {
        let [header, body, hints] = frame_areas(frame.area());
        let width = body.width as usize;
        let title = match self.current() {
            Some((f, _)) => format!(
                "  {} ({}): {}, entry {} of {}",
                english_name(&self.language),
                self.language,
                self.files[f].file.guide,
                self.at + 1,
                self.entries.len()
            ),
            None => format!("  {}: no entries", self.language),
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Translation review", theme.title()),
                Span::raw(title),
            ])),
            header,
        );
        frame.render_widget(Paragraph::new(self.lines(width, theme)), body);
        frame.render_widget(
            Paragraph::new(hint_line(self.context(), theme, status)),
            hints,
        );
    }

    /// The entry: its state, key, the English now, what it was translated from, the
    /// translation (or the line being typed) and, while asking, the initials.
    fn lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let Some((f, e)) = self.current() else {
            return vec![Line::from("This language has no entries to review.")];
        };
        let file = &self.files[f];
        let entry = &file.file.entries[e];
        let now = file.english.get(&entry.key);
        let mut lines = vec![Line::from(vec![
            Span::styled(state(entry, now), theme.warning()),
            Span::raw(format!("  key {}", terminal_text::line(&entry.key))),
        ])];
        let mut section = |heading: &str, body: Vec<Line<'static>>| {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                heading.to_string(),
                theme.heading(),
            )));
            lines.extend(body);
        };
        let plain = |text: &str| -> Vec<Line<'static>> {
            wrap(&terminal_text::block(text), width)
                .into_iter()
                .map(Line::from)
                .collect()
        };
        match now {
            Some(now) => section("English now", plain(now)),
            None => section("English now", plain("(this key names no text now)")),
        }
        match now {
            Some(now) if en_hash(now) != entry.en_hash => section(
                "Translated from (changes: [-removed-] {+added+})",
                plain(&word_diff(&entry.en, now)),
            ),
            _ => section("Translated from", plain("the same English")),
        }
        section(
            "Translation",
            self.translation_lines(&entry.text, width, theme),
        );
        if let Mode::Initials { text } = &self.mode {
            section(
                "Checked by (your initials; Enter marks it checked, Esc cancels)",
                vec![Line::from(format!("{text}_"))],
            );
        }
        lines
    }

    fn translation_lines(&self, text: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
        if let Mode::Editing { text, cursor } = &self.mode {
            return editing_lines(text, *cursor, width);
        }
        if text.trim().is_empty() {
            return vec![Line::from(Span::styled(
                "(none yet: e writes one)",
                theme.muted(),
            ))];
        }
        match self.drawing() {
            Drawing::Hidden => vec![Line::from(Span::styled(
                "(right-to-left text is kept off this screen; the app's settings, F4, check again)",
                theme.muted(),
            ))],
            drawing => client_lines(text, width, drawing)
                .into_iter()
                .map(Line::from)
                .collect(),
        }
    }
}

/// The permissions the file had (a translation file is shared with the organisation,
/// not private), or read-write for the owner and readable by others for a new one.
#[cfg(unix)]
fn readable_mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn readable_mode(_: &Path) -> u32 {
    0
}

/// Gives the file written (owner-only, as every atomic write is made) its mode back.
fn keep_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// The English of every key of a translation file (`name` a guide id, `glossary` or
/// `_ui`), as it is now.
fn english_now(library: &Library, name: &str) -> Vec<(String, String)> {
    match name {
        GLOSSARY => glossary_fields(&library.glossary),
        UI => library.translations().ui_strings().fields(),
        id => library
            .guide(id)
            .map(|g| guide_fields(g))
            .unwrap_or_default(),
    }
}

/// The entry's state in words.
fn state(entry: &sanctuary::translation::Entry, now: Option<&String>) -> String {
    let stale = now.is_some_and(|now| en_hash(now) != entry.en_hash);
    if now.is_none() {
        "ORPHAN (no such text now)".into()
    } else if entry.text.trim().is_empty() {
        "MISSING".into()
    } else if stale {
        "STALE: the English changed".into()
    } else if entry.is_checked() {
        format!(
            "CHECKED by {} on {}",
            terminal_text::line(entry.checked_by.as_deref().unwrap_or("")),
            entry.checked_on.map(|d| d.to_string()).unwrap_or_default()
        )
    } else {
        format!("NOT CHECKED ({})", entry.status.as_str())
    }
}

/// The line being edited, wrapped, with the cursor as a reversed cell.
fn editing_lines(text: &str, cursor: Cursor, width: usize) -> Vec<Line<'static>> {
    // A character that must not reach the terminal shows as `?` (one for one, so the
    // cursor stays where it is).
    let chars: Vec<char> = text
        .chars()
        .map(|c| if terminal_text::is_unsafe(c) { '?' } else { c })
        .collect();
    let at = cursor.0.min(chars.len());
    let before: String = chars[..at].iter().collect();
    let under = chars.get(at).copied().unwrap_or(' ');
    let after: String = chars
        .get(at + 1..)
        .map(|c| c.iter().collect())
        .unwrap_or_default();
    // The cursor's cell is marked with a character no text has, to find it after wrapping.
    const MARK: char = '\u{E000}';
    let marked = format!("{before}{MARK}{after}");
    let reversed = Style::new().add_modifier(Modifier::REVERSED);
    let mut lines: Vec<Line<'static>> = wrap(&marked, width)
        .into_iter()
        .map(|l| match l.split_once(MARK) {
            Some((a, b)) => Line::from(vec![
                Span::raw(a.to_string()),
                Span::styled(under.to_string(), reversed),
                Span::raw(b.to_string()),
            ]),
            None => Line::from(l),
        })
        .collect();
    lines.push(Line::from(Span::styled(
        format!("(Enter saves, Esc cancels; {NEWLINE_MARK} is a line break)"),
        Style::new().add_modifier(Modifier::DIM),
    )));
    lines
}

/// The words of `old` and `new`, with what `new` removed as `[-words-]` and what it added
/// as `{+words+}` (longest common subsequence of words).
pub fn word_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    // common[i][j]: the longest common run of words of a[i..] and b[j..].
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let mut out: Vec<String> = Vec::new();
    let (mut removed, mut added): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let flush = |out: &mut Vec<String>, removed: &mut Vec<&str>, added: &mut Vec<&str>| {
        if !removed.is_empty() {
            out.push(format!("[-{}-]", removed.join(" ")));
            removed.clear();
        }
        if !added.is_empty() {
            out.push(format!("{{+{}+}}", added.join(" ")));
            added.clear();
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            flush(&mut out, &mut removed, &mut added);
            out.push(a[i].to_string());
            (i, j) = (i + 1, j + 1);
        } else if j < b.len() && (i == a.len() || common[i][j + 1] >= common[i + 1][j]) {
            added.push(b[j]);
            j += 1;
        } else {
            removed.push(a[i]);
            i += 1;
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_diff_marks_removed_and_added_words() {
        assert_eq!(
            word_diff(
                "I lost my job after a check",
                "I lost my job, or was sent home, after a check"
            ),
            "I lost my [-job-] {+job, or was sent home,+} after a check"
        );
        assert_eq!(word_diff("same words", "same words"), "same words");
        assert_eq!(word_diff("", "new"), "{+new+}");
    }

    use crate::tui::screens::translated::tests::{VI_OLD, guides_in, today};

    fn press(screen: &mut ReviewScreen, actions: &[Action]) -> Vec<String> {
        actions
            .iter()
            .filter_map(|&a| match screen.handle(a, today()) {
                Transition::Status(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    fn type_text(screen: &mut ReviewScreen, text: &str) {
        for c in text.chars() {
            screen.handle(Action::Type(c), today());
        }
    }

    fn written(dir: &Path) -> TranslationFile {
        let path = dir.join("translations/vi/right-to-work.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        sanctuary::translation::parse_translation(&path.display().to_string(), &text)
            .file
            .unwrap()
    }

    /// The review of the fixture's Vietnamese right-to-work, written under `dir`.
    fn review_of(library: &Library, dir: &Path) -> ReviewScreen {
        ReviewScreen::open(library, Some(dir), "vi", Some("right-to-work"), None).unwrap()
    }

    /// Moves to the entry with `key`.
    fn go_to(screen: &mut ReviewScreen, key: &str) {
        while screen.files[0].file.entries[screen.at].key != key {
            screen.handle(Action::Review(ReviewAction::Next), today());
        }
    }

    #[test]
    fn a_stale_entry_is_kept_after_m_and_checked_with_initials_then_written_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let library = guides_in(dir.path());
        let mut screen = review_of(&library, dir.path());
        go_to(&mut screen, "q-what.choice.3");
        let lines: Vec<String> = screen
            .lines(80, Theme { colour: false })
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert!(lines[0].starts_with("STALE"), "{lines:#?}");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("{+job, or was sent home,+}")),
            "{lines:#?}"
        );
        // Initials that are not initials are refused, and nothing is written.
        let said = press(&mut screen, &[Action::Review(ReviewAction::Check)]);
        assert!(said.is_empty(), "{said:?}");
        type_text(&mut screen, "A1");
        let said = press(&mut screen, &[Action::Confirm]);
        assert!(said[0].starts_with("Initials only"), "{said:?}");
        press(&mut screen, &[Action::Review(ReviewAction::SameMeaning)]);
        let entry = written(dir.path())
            .entries
            .into_iter()
            .find(|e| e.key == "q-what.choice.3")
            .unwrap();
        assert_eq!(entry.en, "I lost my job, or was sent home, after a check");
        assert_eq!(entry.text, VI_OLD);
        assert_eq!(entry.status, Status::Translated);
        press(&mut screen, &[Action::Review(ReviewAction::Check)]);
        type_text(&mut screen, "ab");
        press(&mut screen, &[Action::Confirm]);
        let entry = written(dir.path())
            .entries
            .into_iter()
            .find(|e| e.key == "q-what.choice.3")
            .unwrap();
        assert!(entry.is_checked());
        assert_eq!(entry.checked_by.as_deref(), Some("AB"));
        assert_eq!(entry.checked_on, Some(today()));
        assert_eq!(entry.en_hash, en_hash(&entry.en));
    }

    #[test]
    fn an_edited_translation_is_translated_not_checked_and_its_editor_cannot_check_it() {
        let dir = tempfile::tempdir().unwrap();
        let library = guides_in(dir.path());
        let mut screen = review_of(&library, dir.path());
        go_to(&mut screen, "q-what.choice.4");
        press(
            &mut screen,
            &[Action::Review(ReviewAction::Edit), Action::ClearLine],
        );
        type_text(&mut screen, "Tôi làm việc qua ứng dụng");
        press(&mut screen, &[Action::Confirm]);
        let entry = written(dir.path())
            .entries
            .into_iter()
            .find(|e| e.key == "q-what.choice.4")
            .unwrap();
        assert_eq!(entry.text, "Tôi làm việc qua ứng dụng");
        assert_eq!(entry.status, Status::Translated);
        let said = press(&mut screen, &[Action::Review(ReviewAction::Check)]);
        assert!(said[0].contains("someone other than"), "{said:?}");
        assert_eq!(screen.context(), Context::Review);
        // The built-in translations are untouched: only the folder's copy changed.
        let built_in =
            Library::load(&sanctuary::guide::GuideSource::Embedded, today(), None).unwrap();
        let shipped = built_in
            .translations()
            .language("vi")
            .unwrap()
            .file("right-to-work")
            .unwrap();
        assert!(
            shipped
                .entries
                .iter()
                .all(|e| e.text != "Tôi làm việc qua ứng dụng")
        );
    }

    #[test]
    fn no_folder_no_review() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let library = Library::load(&sanctuary::guide::GuideSource::Embedded, today, None).unwrap();
        let refused = ReviewScreen::open(&library, None, "vi", None, None).unwrap_err();
        assert!(refused.to_string().contains("--guides-dir"), "{refused}");
    }
}
