//! The settings screen (F4 from the guides or casework): the adviser's own details,
//! set once and used by every letter, and the letters folder. They are kept in the
//! settings file, which never holds anything about a client.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::client_form::details_problems;
use super::confirm::{Answer, Discard};
use super::{Focus, field_line, status};
use crate::tui::action::Action;
use crate::tui::keys::Context;
use crate::tui::letters_folder::LettersFolder;
use crate::tui::line_edit::{self, Cursor};
use crate::tui::settings::{self, AdviserProfile};
use crate::tui::text::wrap;
use crate::tui::theme::Theme;

/// (key, label, hint) of each field; the adviser's keys are those of the forms.
/// Asked before the settings are closed with changes not saved.
const LEAVE_UNSAVED: &str = "Leave the settings? The changes are not saved.";

const FIELDS: &[(&str, &str, &str)] = &[
    (
        "letters_folder",
        "Letters folder",
        "where every letter is written; a new folder is made only once you say so",
    ),
    (
        "adviser_name",
        "Your name",
        "as it is signed on letters and letters of authority",
    ),
    ("adviser_organisation", "Organisation", ""),
    ("adviser_role", "Role", "e.g. Caseworker"),
    (
        "adviser_address",
        "Address",
        "lines separated by commas, without the postcode",
    ),
    ("adviser_postcode", "Postcode", ""),
    ("adviser_email", "Email", ""),
    ("adviser_phone", "Phone", ""),
    (
        "adviser_reference",
        "Reference prefix",
        "printed as \"Our reference\" and at the start of letters' file names, e.g. SH",
    ),
];

/// What the settings screen asks the app to do.
#[derive(Debug)]
pub enum SettingsOutcome {
    Stay,
    Status(String),
    /// Closed without a change.
    Closed,
    /// Saved: the adviser's details as they now are.
    Saved(AdviserProfile, String),
}

#[derive(Debug)]
pub struct SettingsScreen {
    values: Vec<String>,
    original: Vec<String>,
    focus: usize,
    cursor: Cursor,
    leaving: Option<Discard>,
    /// How this machine draws right-to-left text (Ctrl-r checks again).
    pub rtl: Option<crate::tui::bidi::RtlDisplay>,
}

impl SettingsScreen {
    pub fn new(profile: &AdviserProfile, letters: &LettersFolder) -> SettingsScreen {
        let given = profile.form_values();
        let values: Vec<String> = FIELDS
            .iter()
            .map(|(key, _, _)| match *key {
                "letters_folder" => letters.shown(),
                key => given
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            })
            .collect();
        SettingsScreen {
            cursor: Cursor::at_end(&values[0]),
            original: values.clone(),
            values,
            focus: 0,
            leaving: None,
            rtl: None,
        }
    }

    pub fn context(&self) -> Context {
        if self.leaving.is_some() {
            Context::Choice
        } else {
            Context::Settings
        }
    }

    fn value(&self, key: &str) -> String {
        FIELDS
            .iter()
            .position(|f| f.0 == key)
            .map_or(String::new(), |i| self.values[i].clone())
    }

    /// Problems with the adviser's details, checked as a client file's adviser is
    /// (none when they are all empty: letters are then written for the client alone).
    fn problems(&self, today: NaiveDate) -> Vec<(&'static str, String)> {
        let any = FIELDS[1..]
            .iter()
            .any(|(key, _, _)| !self.value(key).trim().is_empty());
        if !any {
            return Vec::new();
        }
        let value = |key: &str| {
            if key == "name" {
                "Settings".to_string()
            } else if key.starts_with("adviser_") {
                self.value(key)
            } else if key == "reply_to" {
                "client".to_string()
            } else {
                String::new()
            }
        };
        details_problems(value, today)
            .into_iter()
            .filter(|(key, _)| key.starts_with("adviser_"))
            .collect()
    }

    fn move_to(&mut self, field: usize) {
        self.focus = field.min(FIELDS.len() - 1);
        self.cursor = Cursor::at_end(&self.values[self.focus]);
    }

    pub fn handle(
        &mut self,
        action: Action,
        letters: &mut LettersFolder,
        today: NaiveDate,
    ) -> SettingsOutcome {
        if let Some(leaving) = &mut self.leaving {
            match leaving.handle(action) {
                Answer::Asking => {}
                Answer::Stay => self.leaving = None,
                Answer::Leave => return SettingsOutcome::Closed,
            }
            return SettingsOutcome::Stay;
        }
        if line_edit::edit(&mut self.values[self.focus], &mut self.cursor, action) {
            return SettingsOutcome::Stay;
        }
        match action {
            Action::Up | Action::ScrollUp => self.move_to(self.focus.saturating_sub(1)),
            Action::Down | Action::ScrollDown | Action::Confirm => self.move_to(self.focus + 1),
            Action::Save => return self.save(letters, today),
            Action::Leave if self.values != self.original => {
                self.leaving = Some(Discard::default())
            }
            Action::Leave => return SettingsOutcome::Closed,
            _ => {}
        }
        SettingsOutcome::Stay
    }

    fn save(&mut self, letters: &mut LettersFolder, today: NaiveDate) -> SettingsOutcome {
        if let Some((key, problem)) = self.problems(today).into_iter().next() {
            if let Some(i) = FIELDS.iter().position(|f| f.0 == key) {
                self.move_to(i);
            }
            return SettingsOutcome::Status(format!("Not saved: {problem}"));
        }
        if let Err(e) = letters.use_typed(&self.values[0], "Ctrl-s") {
            self.move_to(0);
            return SettingsOutcome::Status(e);
        }
        let profile = AdviserProfile::from_form(|key| self.value(key));
        if let Some(file) = letters.settings_file()
            && let Err(e) = settings::update(file, |s| {
                s.adviser = profile.is_set().then(|| profile.clone())
            })
        {
            return SettingsOutcome::Status(e);
        }
        // Short enough for the one-line bar of the list of guides.
        let message = if profile.is_set() {
            format!(
                "Settings saved: every letter is now from {} (F4 changes it).",
                profile.name
            )
        } else {
            "Settings saved (F4 changes them).".to_string()
        };
        SettingsOutcome::Saved(profile, message)
    }

    pub fn draw(
        &self,
        frame: &mut Frame,
        letters: &LettersFolder,
        today: NaiveDate,
        theme: Theme,
        status_text: Option<&str>,
    ) {
        let [header, body, bottom] = status::areas(frame.area(), status_text);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Settings", theme.title()),
                Span::raw(": set once, used by every letter. Ctrl-s saves."),
            ])),
            header,
        );
        let width = body.width as usize;
        let kept = match letters.settings_file() {
            Some(file) => format!(
                "Kept in {}. Nothing about a client is kept there.",
                file.display()
            ),
            None => "Kept for this session only.".to_string(),
        };
        let mut lines: Vec<Line> = wrap(&kept, width)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.muted())))
            .collect();
        lines.push(Line::default());
        let problems = self.problems(today);
        for (i, (key, label, hint)) in FIELDS.iter().enumerate() {
            let focused = i == self.focus;
            let focus = Focus::typing(focused, self.cursor);
            lines.push(field_line(label, &self.values[i], focus, width, theme));
            let note = match problems.iter().find(|(k, _)| k == key) {
                Some((_, p)) => Some((format!("! {p}"), theme.warning())),
                None if focused && !hint.is_empty() => Some((format!("({hint})"), theme.muted())),
                None => None,
            };
            if let Some((note, style)) = note {
                for l in wrap(&note, width.saturating_sub(4)) {
                    lines.push(Line::from(Span::styled(format!("    {l}"), style)));
                }
            }
            if i == 0 {
                lines.push(Line::default());
                lines.push(Line::from(Span::styled(
                    "Your own details, printed on every letter you write for a client:",
                    theme.heading(),
                )));
            }
        }
        lines.push(Line::default());
        let rtl = format!(
            "Right-to-left text on this computer: {}. Ctrl-r checks again.",
            crate::tui::bidi::RtlDisplay::describe(self.rtl)
        );
        for l in wrap(&rtl, width) {
            lines.push(Line::from(Span::styled(l, theme.muted())));
        }
        frame.render_widget(Paragraph::new(lines), body);
        status::draw_bottom(frame, bottom, self.context(), theme, status_text);
        if let Some(leaving) = &self.leaving {
            leaving.draw(frame, body, LEAVE_UNSAVED, theme);
        }
    }
}

/// The adviser's details as the forms' `adviser_` fields, ready to fill a form in.
pub fn adviser_values(profile: &AdviserProfile) -> Vec<(&'static str, String)> {
    if profile.is_set() {
        profile.form_values()
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn type_text(screen: &mut SettingsScreen, letters: &mut LettersFolder, text: &str) {
        for c in text.chars() {
            screen.handle(Action::Type(c), letters, today());
        }
    }

    #[test]
    fn the_details_are_checked_and_a_new_folder_is_made_only_when_asked_twice() {
        let dir = tempfile::tempdir().unwrap();
        let mut letters = LettersFolder::unremembered(dir.path().join("letters"));
        let mut screen = SettingsScreen::new(&AdviserProfile::default(), &letters);
        screen.handle(Action::ClearLine, &mut letters, today());
        type_text(
            &mut screen,
            &mut letters,
            &dir.path().join("new").display().to_string(),
        );
        screen.handle(Action::Down, &mut letters, today());
        type_text(&mut screen, &mut letters, "Maya Reid");
        for _ in 0..4 {
            screen.handle(Action::Down, &mut letters, today());
        }
        type_text(&mut screen, &mut letters, "XX");
        let SettingsOutcome::Status(refused) = screen.handle(Action::Save, &mut letters, today())
        else {
            panic!("a bad postcode is refused")
        };
        assert!(refused.contains("postcode"), "{refused}");
        screen.handle(Action::ClearLine, &mut letters, today());
        type_text(&mut screen, &mut letters, "B1 1AA");
        let SettingsOutcome::Status(asked) = screen.handle(Action::Save, &mut letters, today())
        else {
            panic!("a new folder is asked about")
        };
        assert!(asked.contains("Create this folder?"), "{asked}");
        assert!(!dir.path().join("new").exists());
        let SettingsOutcome::Saved(profile, _) = screen.handle(Action::Save, &mut letters, today())
        else {
            panic!("saved the second time")
        };
        assert!(dir.path().join("new").is_dir());
        assert_eq!(profile.name, "Maya Reid");
        assert_eq!(profile.postcode, "B1 1AA");
    }
}
