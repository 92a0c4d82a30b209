//! Running a guide: a question and its choices, or an information screen, or an outcome
//! with its risk, advice, next steps, adviser note and sources.
//!
//! Each screen is one document that opens at its first line and scrolls within its bounds.
//! Up and Down move the highlight to the choice above or below when that choice is in
//! view, and otherwise scroll a line, so reading down an outcome never skips its advice;
//! PgUp, PgDn, Home, End and the mouse wheel only scroll. On a question the adviser note
//! sits beside or below the document; on an outcome it is part of the document.

use std::sync::Arc;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::bilingual::{self, Arrangement};
use super::letter::LetterTarget;
use super::translated::{AppItems, Step};
use super::{Panel, Transition, contains, frame_areas, hint_line};
use crate::tui::action::Action;
use crate::tui::client_language::{ClientLanguage, Drawing};
use crate::tui::keys::Context;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use crate::wording::plural;
use sanctuary::guide::engine::Advance;
use sanctuary::guide::{Guide, Library, NodeKind, Outcome, Session};
use sanctuary::translation::{ShownInLanguage, node_fields};

/// Side panel when the screen is this wide, else a bottom panel.
const SIDE_NOTE_WIDTH: u16 = 110;
/// With a client's language: the note goes beside the two languages from this width.
const SIDE_NOTE_WIDTH_TWO_LANGUAGES: u16 = 140;
/// Lines one turn of the mouse wheel scrolls.
const WHEEL_LINES: usize = 3;

#[derive(Debug)]
pub struct RunnerScreen {
    /// Guides opened from a guide stack up, so Back can return to the one before.
    sessions: Vec<Session>,
    /// For each guide after the first, the answer or next step that opened it.
    opened_by: Vec<String>,
    /// Next steps without a letter chosen in this session, for the record's checklist.
    steps_to_do: Vec<String>,
    selected: usize,
    pub show_note: bool,
    /// The first line of the document on screen.
    scroll: usize,
    /// A question being asked before answers are thrown away.
    confirm: Option<Discard>,
    /// The advice record of these answers was saved (to a file or a client), so leaving
    /// loses nothing; answering on clears it.
    pub saved: bool,
    /// Shown on the first page when the guide is past its review date.
    review: Option<String>,
    /// The client's language, shown beside the English; none for English only.
    pub client: Option<ClientLanguage>,
    /// What the client has been shown in their language, for the advice record.
    shown: Option<ShownInLanguage>,
}

/// What would throw the answers away, once the person says yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Discard {
    Leave,
    Restart,
}

/// The document as laid out in the main area: its lines, and how many rows show text (the
/// last row of a document longer than the area says where the reader is).
struct Page {
    panel: Panel,
    rows: usize,
}

impl Page {
    fn overflows(&self) -> bool {
        self.panel.lines.len() > self.rows
    }

    fn max_top(&self) -> usize {
        self.panel.lines.len().saturating_sub(self.rows)
    }

    /// Whether item `i` starts within the rows shown from `top`.
    fn starts_in_view(&self, i: usize, top: usize) -> bool {
        self.panel
            .items
            .get(i)
            .is_some_and(|&(start, _)| start >= top && start < top + self.rows)
    }

    fn fully_in_view(&self, i: usize, top: usize) -> bool {
        self.panel
            .items
            .get(i)
            .is_some_and(|&(start, end)| start >= top && end <= top + self.rows)
    }

    /// The nearest top that shows all of item `i` (or its start, if it is taller).
    fn top_showing(&self, i: usize, top: usize) -> usize {
        let Some(&(start, end)) = self.panel.items.get(i) else {
            return top;
        };
        let top = if end > top + self.rows {
            end - self.rows
        } else {
            top
        };
        top.min(start).min(self.max_top())
    }

    /// The line under the document saying where the reader is.
    fn position(&self, top: usize) -> String {
        let total = self.panel.lines.len();
        let last = (top + self.rows).min(total);
        if top == 0 {
            format!("Lines 1-{last} of {total}. More below: Down, PgDn or End")
        } else if last >= total {
            format!(
                "Lines {}-{last} of {total}, the end. Back up: Up, PgUp or Home",
                top + 1
            )
        } else {
            format!(
                "Lines {}-{last} of {total}. Scroll: Up/Down, PgUp/PgDn, Home/End",
                top + 1
            )
        }
    }
}

struct Areas {
    header: Rect,
    crumbs: Rect,
    main: Rect,
    note: Option<Rect>,
    hints: Rect,
}

impl RunnerScreen {
    pub fn new(guide: Arc<Guide>) -> RunnerScreen {
        RunnerScreen {
            sessions: vec![Session::new(guide)],
            selected: 0,
            show_note: true,
            scroll: 0,
            confirm: None,
            saved: false,
            opened_by: Vec::new(),
            review: None,
            steps_to_do: Vec::new(),
            client: None,
            shown: None,
        }
    }

    /// The guide as opened on `today`: marked on its first page if past its review date.
    pub fn opened_on(guide: Arc<Guide>, today: NaiveDate) -> RunnerScreen {
        let review = sanctuary::guide::review_warning(&guide, today);
        RunnerScreen {
            review,
            ..RunnerScreen::new(guide)
        }
    }

    pub fn session(&self) -> &Session {
        self.sessions.last().expect("a runner always has a session")
    }

    fn session_mut(&mut self) -> &mut Session {
        self.sessions
            .last_mut()
            .expect("a runner always has a session")
    }

    pub fn context(&self) -> Context {
        if self.confirm.is_some() {
            return Context::Confirm;
        }
        match self.session().current().kind {
            NodeKind::Outcome(_) => Context::Outcome,
            _ => Context::Question,
        }
    }

    /// Whether leaving now would throw away answers the person gave.
    fn has_answers(&self) -> bool {
        !self.saved
            && (self.sessions.len() > 1 || self.sessions.iter().any(|s| !s.answers().is_empty()))
    }

    /// The question asked before answers are thrown away, if one is being asked.
    pub fn question(&self) -> Option<&'static str> {
        self.confirm.map(|d| match d {
            Discard::Leave => "Leave this guide? Your answers will be lost.",
            Discard::Restart => "Start this guide again? Your answers will be lost.",
        })
    }

    /// How many items can be selected on the current screen.
    pub fn item_count(&self) -> usize {
        match &self.session().current().kind {
            NodeKind::Question { choices, .. } => choices.len(),
            NodeKind::Info { .. } => 1,
            // Each action, "write them all" when there are several letters, then the summary.
            NodeKind::Outcome(o) => o.actions.len() + usize::from(letter_targets(o).len() > 1) + 1,
        }
    }

    /// The client-facing texts now on screen, for the glossary.
    pub fn texts_on_screen(&self) -> Vec<String> {
        let node = self.session().current();
        let mut texts = vec![node.headline().to_string()];
        match &node.kind {
            NodeKind::Question { choices, .. } => {
                texts.extend(choices.iter().map(|c| c.label.clone()))
            }
            NodeKind::Info { .. } => {}
            NodeKind::Outcome(o) => {
                texts.push(o.advice.clone());
                texts.extend(o.actions.iter().map(|a| a.label.clone()));
            }
        }
        if self.show_note {
            texts.extend(node.adviser_note.clone());
        }
        texts
    }

    fn moved(&mut self) {
        self.selected = 0;
        self.scroll = 0;
        self.saved = false;
    }

    pub fn handle(
        &mut self,
        action: Action,
        library: &Library,
        area: Rect,
        today: NaiveDate,
    ) -> Transition {
        let transition = self.handle_action(action, library, area, today);
        self.note_shown(library);
        transition
    }

    /// Shows the walk in the client's language (none: English only) from now on.
    pub fn set_language(&mut self, client: Option<ClientLanguage>, library: &Library) {
        if client.as_ref().map(|c| &c.code) != self.client.as_ref().map(|c| &c.code) {
            self.shown = None;
        }
        self.client = client;
        self.note_shown(library);
    }

    /// Notes the parts of the step on screen in the client's language, for the advice
    /// record's line saying what the client was shown.
    fn note_shown(&mut self, library: &Library) {
        let Some((client, language)) = self
            .client
            .as_ref()
            .and_then(|c| Some((c, library.translations().language(&c.code)?)))
        else {
            return;
        };
        // A language kept off the screen was not shown: the hand-out is the client's copy.
        if Drawing::of(language.direction, client.rtl) == Drawing::Hidden {
            return;
        }
        let session = self.sessions.last().expect("a runner always has a session");
        let shown = self
            .shown
            .get_or_insert_with(|| ShownInLanguage::new(language));
        for (key, english) in node_fields(session.current()) {
            shown.show(language, &session.guide().id, &key, &english);
        }
    }

    fn handle_action(
        &mut self,
        action: Action,
        library: &Library,
        area: Rect,
        today: NaiveDate,
    ) -> Transition {
        if let Some(discard) = self.confirm {
            match action {
                Action::Yes => {
                    self.confirm = None;
                    return self.discard(discard);
                }
                Action::No => self.confirm = None,
                _ => {}
            }
            return Transition::Stay;
        }
        let count = self.item_count();
        let main = self.areas(area).main;
        let page = self.page(main, Theme { colour: false }, library);
        let max = page.max_top();
        self.scroll = self.scroll.min(max);
        match action {
            Action::Up => self.up(&page),
            Action::Down => self.down(&page),
            Action::ScrollUp => self.scroll = self.scroll.saturating_sub(WHEEL_LINES),
            Action::ScrollDown => self.scroll = (self.scroll + WHEEL_LINES).min(max),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page.rows.max(2) - 1),
            Action::PageDown => self.scroll = (self.scroll + page.rows.max(2) - 1).min(max),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = max,
            Action::Pick(i) if i < count => {
                self.selected = i;
                return self.activate(library, today);
            }
            // Never act on a highlight the person cannot see: show it first.
            Action::Select if !page.fully_in_view(self.selected, self.scroll) => {
                self.scroll = page.top_showing(self.selected, self.scroll);
            }
            Action::Select => return self.activate(library, today),
            Action::Back => self.back(),
            Action::Restart if self.has_answers() => self.confirm = Some(Discard::Restart),
            Action::Restart => return self.discard(Discard::Restart),
            Action::ToggleNote => self.show_note = !self.show_note,
            Action::SwapLanguages | Action::OlderWording => return self.language_view(action),
            Action::Leave if self.has_answers() => self.confirm = Some(Discard::Leave),
            Action::Leave => return Transition::Home,
            Action::Click { column, row }
                if contains(main, column, row) && ((row - main.y) as usize) < page.rows =>
            {
                if let Some(i) = page.panel.item_at((row - main.y) as usize, self.scroll) {
                    self.selected = i;
                    return self.activate(library, today);
                }
            }
            _ => {}
        }
        Transition::Stay
    }

    /// Highlights item `i` (as a typed number does) and scrolls it into view.
    pub fn highlight(&mut self, i: usize, library: &Library, area: Rect) {
        if i < self.item_count() {
            self.selected = i;
            let page = self.page(self.areas(area).main, Theme { colour: false }, library);
            self.scroll = page.top_showing(i, self.scroll.min(page.max_top()));
        }
    }

    /// Up: the item above when it is in view, else scroll up a line.
    fn up(&mut self, page: &Page) {
        if self.selected > 0 && page.starts_in_view(self.selected - 1, self.scroll) {
            self.selected -= 1;
            self.scroll = page.top_showing(self.selected, self.scroll);
        } else {
            self.scroll = self.scroll.saturating_sub(1);
        }
    }

    /// Down: the item below when it is in view, else scroll down a line.
    fn down(&mut self, page: &Page) {
        if page.starts_in_view(self.selected + 1, self.scroll) {
            self.selected += 1;
            self.scroll = page.top_showing(self.selected, self.scroll);
        } else {
            self.scroll = (self.scroll + 1).min(page.max_top());
        }
    }

    fn discard(&mut self, discard: Discard) -> Transition {
        match discard {
            Discard::Leave => Transition::Home,
            Discard::Restart => {
                let first = self.sessions.swap_remove(0);
                self.sessions = vec![first];
                self.session_mut().restart();
                self.moved();
                Transition::Stay
            }
        }
    }

    pub fn back(&mut self) {
        let chosen = self.session().last_choice();
        if self.session_mut().back() {
            self.moved();
            // Back on the question answered, with the answer given highlighted.
            self.selected = chosen.unwrap_or(0);
        } else if self.sessions.len() > 1 {
            self.sessions.pop();
            self.opened_by.pop();
            self.moved();
        }
    }

    fn activate(&mut self, library: &Library, today: NaiveDate) -> Transition {
        let selected = self.selected;
        let node = self.session().current().clone();
        match &node.kind {
            NodeKind::Question { .. } => {
                let facts = self.session().facts_after_choice(selected);
                match self.session_mut().choose(selected) {
                    Ok(Advance::Moved) => self.moved(),
                    Ok(Advance::OpenGuide(id)) => {
                        if let NodeKind::Question { choices, .. } = &node.kind
                            && let Some(choice) = choices.get(selected)
                        {
                            self.opened_by.push(choice.label.clone());
                        }
                        return self.open_guide(&id, facts, library);
                    }
                    Err(e) => return Transition::Status(e.to_string()),
                }
            }
            NodeKind::Info { .. } => {
                if self.session_mut().proceed().is_ok() {
                    self.moved();
                }
            }
            NodeKind::Outcome(outcome) => {
                let facts = self.session().facts();
                let all_letters = letter_targets(outcome);
                match outcome.actions.get(selected) {
                    Some(action) => {
                        if let Some(id) = &action.guide {
                            self.opened_by.push(action.label.clone());
                            return self.open_guide(id, facts, library);
                        }
                        if let Some(letter) = &action.letter {
                            let target = LetterTarget {
                                template: letter.template.clone(),
                                organisation: letter.organisation.clone(),
                            };
                            return Transition::WriteLetters(vec![target], facts);
                        }
                        if !self.steps_to_do.contains(&action.label) {
                            self.steps_to_do.push(action.label.clone());
                            self.saved = false;
                        }
                        return Transition::Status(format!(
                            "Added to the advice record's steps to do: {}",
                            action.label
                        ));
                    }
                    None if selected == outcome.actions.len() && all_letters.len() > 1 => {
                        return Transition::WriteLetters(all_letters, facts);
                    }
                    None => {
                        if let Some(mut summary) = self.session().summary(today) {
                            // Every guide of a chained session, not only the last.
                            let before = &self.sessions[..self.sessions.len() - 1];
                            summary.earlier = before
                                .iter()
                                .zip(
                                    self.opened_by
                                        .iter()
                                        .map(Some)
                                        .chain(std::iter::repeat(None)),
                                )
                                .map(|(session, step)| {
                                    let mut earlier = session.as_earlier();
                                    earlier.went_on_with = step.cloned();
                                    earlier
                                })
                                .collect();
                            summary.steps_to_do = self.steps_to_do.clone();
                            summary.client_language = self.shown.clone();
                            return Transition::Summary(Box::new(summary));
                        }
                    }
                }
            }
        }
        Transition::Stay
    }

    fn open_guide(
        &mut self,
        id: &str,
        facts: std::collections::BTreeMap<String, String>,
        library: &Library,
    ) -> Transition {
        match library.guide(id) {
            Some(g) => {
                self.sessions.push(Session::with_facts(g.clone(), facts));
                self.moved();
                Transition::Stay
            }
            None => {
                self.opened_by.pop();
                Transition::Status(format!("The guide {id} is not available."))
            }
        }
    }

    fn areas(&self, area: Rect) -> Areas {
        let [header, body, hints] = frame_areas(area);
        let [crumbs, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
        // An outcome's note is part of its document.
        let node = self.session().current();
        let has_note = self.show_note
            && node.adviser_note.is_some()
            && !matches!(node.kind, NodeKind::Outcome(_));
        let (main, note) = if !has_note {
            (rest, None)
        } else if self.client.is_some() && area.width >= SIDE_NOTE_WIDTH_TWO_LANGUAGES {
            let [main, note] = Layout::horizontal([
                Constraint::Min(bilingual::SIDE_BY_SIDE_WIDTH),
                Constraint::Percentage(28),
            ])
            .areas(rest);
            (main, Some(note))
        } else if area.width >= SIDE_NOTE_WIDTH && self.client.is_none() {
            let [main, note] =
                Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
                    .areas(rest);
            (main, Some(note))
        } else {
            let note_height = (rest.height / 3).max(4);
            let [main, note] =
                Layout::vertical([Constraint::Min(3), Constraint::Length(note_height)]).areas(rest);
            (main, Some(note))
        };
        Areas {
            header,
            crumbs,
            main,
            note,
            hints,
        }
    }

    fn choice_lines(
        &self,
        index: usize,
        label: &str,
        width: usize,
        theme: Theme,
    ) -> Vec<Line<'static>> {
        let chosen = index == self.selected;
        // Numbers right-aligned, so labels line up when there are ten or more.
        let digits = self.item_count().to_string().len();
        let prefix = format!(
            "{}{:>digits$}. ",
            if chosen { "> " } else { "  " },
            index + 1
        );
        let style = if chosen {
            theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        super::after_number(
            &prefix,
            wrap(label, width.saturating_sub(prefix.len()).max(8)),
            style,
        )
    }

    fn text_lines(panel: &mut Panel, text: &str, width: usize) {
        for l in wrap(text, width) {
            panel.push(Line::from(l));
        }
    }

    /// What the first page says before the question: a review date passed, and
    /// the quick exit for a guide that may be read with someone at risk.
    fn first_page_notices(&self, panel: &mut Panel, width: usize, theme: Theme) {
        let quick_exit = self.session().guide().safety_notice.then_some(
            "Quick exit: press F12 or Ctrl-x at any time to clear the screen and leave at once.",
        );
        for notice in self.review.as_deref().into_iter().chain(quick_exit) {
            for l in wrap(notice, width) {
                panel.push(Line::from(Span::styled(l, theme.warning())));
            }
            panel.blank();
        }
    }

    fn main_panel(&self, width: usize, theme: Theme, library: &Library) -> Panel {
        let session = self.session();
        let node = session.current();
        let mut panel = Panel::default();
        if session.step_number() == 1 {
            self.first_page_notices(&mut panel, width, theme);
        }
        if self.two_languages(&mut panel, width, theme, library) {
            return panel;
        }
        match &node.kind {
            NodeKind::Question { text, choices } => {
                for l in wrap(text, width) {
                    panel.push(Line::from(Span::styled(l, theme.heading())));
                }
                panel.blank();
                for (i, c) in choices.iter().enumerate() {
                    let mut label = c.label.clone();
                    if let sanctuary::guide::model::Target::Guide(id) = &c.target {
                        let title = library.guide(id).map_or(id.as_str(), |g| g.title.as_str());
                        label.push_str(&format!(" (opens the guide: {title})"));
                    }
                    panel.item(self.choice_lines(i, &label, width, theme));
                }
            }
            NodeKind::Info { text, .. } => {
                Self::text_lines(&mut panel, text, width);
                panel.blank();
                panel.item(self.choice_lines(0, "Continue", width, theme));
            }
            NodeKind::Outcome(o) => self.outcome_lines(&mut panel, o, width, theme),
        }
        panel
    }

    /// With a client's language: the step in both languages, then (on an outcome) the
    /// adviser's note and the sources in English. False when English only.
    fn two_languages(
        &self,
        panel: &mut Panel,
        width: usize,
        theme: Theme,
        library: &Library,
    ) -> bool {
        let Some(client) = &self.client else {
            return false;
        };
        let Some(language) = library.translations().language(&client.code) else {
            return false;
        };
        let session = self.session();
        let node = session.current();
        let app_items = match &node.kind {
            NodeKind::Outcome(o) => AppItems {
                write_all: (letter_targets(o).len() > 1)
                    .then(|| write_all_label(letter_targets(o).len())),
                summary: SUMMARY_ITEM.to_string(),
            },
            _ => AppItems {
                write_all: None,
                summary: SUMMARY_ITEM.to_string(),
            },
        };
        let step = Step {
            library,
            language,
            client,
            guide: session.guide(),
            node,
            selected: self.selected,
            item_count: self.item_count(),
            theme,
        };
        let arrangement = Arrangement::for_width(u16::try_from(width).unwrap_or(u16::MAX));
        bilingual::compose(
            &step.page(&app_items),
            width,
            arrangement,
            client.swapped,
            panel,
        );
        if let NodeKind::Outcome(o) = &node.kind {
            self.note_and_sources(panel, o, width, theme);
        }
        true
    }

    /// The outcome reached, as the summary shows it in the client's language.
    pub fn client_outcome(&self, library: &Library) -> Option<super::summary::ClientOutcome> {
        let client = self.client.as_ref()?;
        let language = library.translations().language(&client.code)?;
        let session = self.session();
        Step {
            library,
            language,
            client,
            guide: session.guide(),
            node: session.current(),
            selected: 0,
            item_count: 0,
            theme: Theme { colour: false },
        }
        .summary_outcome()
    }

    /// The swap key and the older-wording key, with a client's language.
    fn language_view(&mut self, action: Action) -> Transition {
        let Some(client) = &mut self.client else {
            return Transition::Status(
                "English only: F5 chooses the client's language first.".into(),
            );
        };
        match action {
            Action::SwapLanguages => client.swapped = !client.swapped,
            _ => client.older = !client.older,
        }
        Transition::Stay
    }

    /// An outcome: its advice, the next steps to choose from, the adviser's note when shown,
    /// and the sources it rests on.
    fn outcome_lines(&self, panel: &mut Panel, o: &Outcome, width: usize, theme: Theme) {
        for l in wrap(&o.title, width) {
            panel.push(Line::from(Span::styled(l, theme.heading())));
        }
        panel.blank();
        Self::text_lines(panel, &o.advice, width);
        panel.blank();
        panel.push(Line::from(Span::styled("Next steps", theme.heading())));
        for (i, a) in o.actions.iter().enumerate() {
            let mut label = a.label.clone();
            if a.letter.is_some() {
                label.push_str(" (letter)");
            }
            panel.item(self.choice_lines(i, &label, width, theme));
        }
        let letters = letter_targets(o);
        if letters.len() > 1 {
            panel.item(self.choice_lines(
                o.actions.len(),
                &write_all_label(letters.len()),
                width,
                theme,
            ));
        }
        panel.item(self.choice_lines(self.item_count() - 1, SUMMARY_ITEM, width, theme));
        self.note_and_sources(panel, o, width, theme);
    }

    /// The end of an outcome's document: the adviser's note when shown, and the sources.
    fn note_and_sources(&self, panel: &mut Panel, o: &Outcome, width: usize, theme: Theme) {
        let session = self.session();
        let guide = session.guide();
        let node = session.current();
        if let (true, Some(note)) = (self.show_note, &node.adviser_note) {
            panel.blank();
            panel.push(Line::from(Span::styled(
                "Adviser note (n: hide, a: in a window)",
                theme.heading(),
            )));
            Self::text_lines(panel, note, width);
        }
        panel.blank();
        panel.push(Line::from(Span::styled("Sources", theme.heading())));
        for id in &o.sources {
            if let Some(s) = guide.source(id) {
                Self::text_lines(panel, &format!("- {}: {}", s.title, s.locator()), width);
            }
        }
    }

    fn breadcrumb(&self, width: usize) -> String {
        let answers: Vec<String> = self
            .sessions
            .iter()
            .flat_map(|s| s.answers())
            .map(|a| a.answer)
            .collect();
        if answers.is_empty() {
            return "Answers so far: none yet".into();
        }
        let full = format!("Answers so far: {}", answers.join(" > "));
        if full.chars().count() <= width {
            return full;
        }
        // Keep the latest answers, which matter most, and cut from the left.
        let tail: String = full
            .chars()
            .rev()
            .take(width.saturating_sub(1))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("…{tail}")
    }

    pub fn draw(&self, frame: &mut Frame, library: &Library, theme: Theme, status: Option<&str>) {
        let areas = self.areas(frame.area());
        let session = self.session();
        let step: usize =
            self.sessions.iter().map(|s| s.step_number()).sum::<usize>() + 1 - self.sessions.len();
        // On an outcome the header carries the risk, so it is never scrolled out of view.
        let header = match session.outcome() {
            Some(o) => Line::from(vec![
                Span::styled(format!(" {} ", o.risk.label()), theme.risk(o.risk)),
                Span::styled(format!(" {}", o.title), theme.heading()),
            ]),
            None => Line::from(vec![
                Span::styled(session.guide().title.clone(), theme.title()),
                Span::raw(format!("  (step {step})")),
            ]),
        };
        let header = self.with_language(header, library, theme);
        frame.render_widget(Paragraph::new(header), areas.header);
        frame.render_widget(
            Paragraph::new(Span::styled(
                self.breadcrumb(areas.crumbs.width as usize),
                theme.muted(),
            )),
            areas.crumbs,
        );
        let page = self.page(areas.main, theme, library);
        let top = self.scroll.min(page.max_top());
        let text = Rect {
            height: page.rows as u16,
            ..areas.main
        };
        let position = page.position(top);
        let overflows = page.overflows();
        frame.render_widget(
            Paragraph::new(page.panel.lines).scroll((top as u16, 0)),
            text,
        );
        if overflows {
            let row = Rect {
                y: text.y + text.height,
                height: 1,
                ..areas.main
            };
            frame.render_widget(Paragraph::new(Span::styled(position, theme.muted())), row);
        }
        if let (Some(area), Some(note)) = (areas.note, &session.current().adviser_note) {
            draw_note(frame, area, areas.main, note, theme);
        }
        frame.render_widget(
            Paragraph::new(hint_line(self.context(), theme, status)),
            areas.hints,
        );
        if let Some(question) = self.question() {
            super::overlay::draw_question(frame, question, theme);
        }
    }

    /// The header with the client's language at its end (or where to choose one), so the
    /// adviser always sees which language the client is shown.
    fn with_language(
        &self,
        header: Line<'static>,
        library: &Library,
        theme: Theme,
    ) -> Line<'static> {
        // An outcome's header is its risk and title: no room to offer a language there.
        let session_outcome = self.session().outcome().is_some();
        let language = self
            .client
            .as_ref()
            .and_then(|c| Some((c, library.translations().language(&c.code)?)));
        let text = match language {
            Some((client, language)) => format!(
                "  [{}: l swaps, F5 changes]",
                crate::tui::client_language::label(language, client.rtl)
            ),
            None if session_outcome => return header,
            None => "  [English only: F5 client's language]".to_string(),
        };
        let mut spans = header.spans;
        spans.push(Span::styled(text, theme.muted()));
        Line::from(spans)
    }

    /// The document for the main area: rows for text, and a row to say where the reader
    /// is when it does not all fit.
    fn page(&self, main: Rect, theme: Theme, library: &Library) -> Page {
        let panel = self.main_panel(main.width as usize, theme, library);
        let height = main.height as usize;
        let rows = if panel.lines.len() > height && height >= 2 {
            height - 1
        } else {
            height
        };
        Page { panel, rows }
    }
}

/// A question's adviser note, beside or below the question. A note too long for its panel
/// ends with a line saying so; `a` shows it all.
fn draw_note(frame: &mut Frame, area: Rect, main: Rect, note: &str, theme: Theme) {
    let block = Block::default()
        .borders(if area.x > main.x {
            Borders::LEFT
        } else {
            Borders::TOP
        })
        .title(Span::styled(
            "Adviser note (a: read all, n: hide)",
            theme.heading(),
        ));
    let inner = block.inner(area);
    let mut lines: Vec<Line> = wrap(note, inner.width as usize)
        .into_iter()
        .map(Line::from)
        .collect();
    let room = inner.height as usize;
    if lines.len() > room && room > 0 {
        lines.truncate(room - 1);
        lines.push(Line::from(Span::styled(
            "... more: press a to read the whole note",
            theme.heading(),
        )));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// An outcome's last item.
const SUMMARY_ITEM: &str = "See the summary of this session and save the advice record";

/// "Write both letters at once ...", "Write all 3 letters at once ...".
fn write_all_label(letters: usize) -> String {
    let which = if letters == 2 {
        "both letters".to_string()
    } else {
        format!("all {}", plural(letters, "letter", "letters"))
    };
    format!("Write {which} at once, with a letter of authority for each")
}

/// The letters an outcome offers, in order, without repeats.
fn letter_targets(outcome: &Outcome) -> Vec<LetterTarget> {
    let mut targets: Vec<LetterTarget> = Vec::new();
    for letter in outcome.actions.iter().filter_map(|a| a.letter.as_ref()) {
        let target = LetterTarget {
            template: letter.template.clone(),
            organisation: letter.organisation.clone(),
        };
        if !targets.contains(&target) {
            targets.push(target);
        }
    }
    targets
}

// The search for the longest outcome is shared with the pseudo-terminal test of the same screen.
#[cfg(test)]
#[path = "../../../tests/common/longest_outcome.rs"]
mod longest_outcome;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::layout::Rect;

    use super::longest_outcome::{last_source_line, longest_outcome, outcome};
    use crate::tui::action::Action;
    use crate::tui::app::tests::open_summary;
    use crate::tui::app::{App, Screen};
    use crate::tui::keys::Context;
    use crate::tui::text::wrap;
    use crate::tui::theme::Theme;
    use sanctuary::guide::{GuideSource, Library};
    use sanctuary::letter::Catalogue;

    const AREA: Rect = Rect::new(0, 0, 80, 24);

    fn app() -> App {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let catalogue = Catalogue::embedded().unwrap();
        let library = Library::load(&GuideSource::Embedded, today, Some(&catalogue)).unwrap();
        App::new(
            Arc::new(library),
            Arc::new(catalogue),
            Theme { colour: false },
            crate::tui::app::Today::fixed(today),
        )
    }

    fn render(app: &App) -> Vec<String> {
        let mut terminal = Terminal::new(TestBackend::new(AREA.width, AREA.height)).unwrap();
        terminal.draw(|f| app.view(f)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..AREA.height)
            .map(|y| {
                let line: String = (0..AREA.width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect();
                line.trim_end().to_string()
            })
            .collect()
    }

    fn press(app: &mut App, actions: &[Action]) {
        for &a in actions {
            app.update(a, AREA);
        }
    }

    #[test]
    fn the_longest_outcome_opens_at_its_first_line_and_pages_to_its_last_within_bounds() {
        let mut app = app();
        let (guide, node, picks) = longest_outcome(&app.library);
        assert!(app.open_guide(&guide.id));
        for pick in picks {
            press(&mut app, &[Action::Pick(pick)]);
        }
        assert_eq!(app.context(), Context::Outcome);
        let o = outcome(&guide, node);
        let first = render(&app);
        // Row 0 is the risk and title, row 1 the answers; the document starts on row 2.
        assert_eq!(first[2], wrap(&o.title, 80)[0], "{first:#?}");
        let advice = wrap(&o.advice, 80);
        assert!(first.contains(&advice[0]), "{first:#?}");
        assert!(first[22].starts_with("Lines 1-20 of"), "{first:#?}");

        // PgDn to the end, and no further.
        let mut screen = first.clone();
        let mut pages = 0;
        while !screen[22].contains("the end") {
            press(&mut app, &[Action::PageDown]);
            screen = render(&app);
            pages += 1;
            assert!(pages < 40, "PgDn never reached the end");
        }
        assert!(pages >= 2, "the longest outcome is more than two screens");
        let end = screen;
        let last = wrap(&last_source_line(&guide, o), 80);
        assert_eq!(&end[21], last.last().unwrap(), "{end:#?}");
        press(&mut app, &[Action::PageDown]);
        assert_eq!(render(&app), end, "PgDn at the end stays at the end");

        // PgUp moves back at once; Home is the first screen again, End the last.
        press(&mut app, &[Action::PageUp]);
        assert_ne!(render(&app)[2], end[2], "PgUp moves back at once");
        press(&mut app, &[Action::Top]);
        assert_eq!(render(&app), first);
        press(&mut app, &[Action::Bottom]);
        assert_eq!(render(&app), end);
        // Up, line by line, reads all the way back to the first line.
        for _ in 0..400 {
            press(&mut app, &[Action::Up]);
        }
        assert_eq!(render(&app)[2], first[2]);
    }

    #[test]
    fn the_police_outcome_for_an_abuse_victim_and_the_gp_outcome_open_at_their_first_line() {
        // data-sharing: the police (3), a victim (1), past the safety screen, domestic (1).
        let mut app = app();
        assert!(app.open_guide("data-sharing"));
        press(
            &mut app,
            &[
                Action::Select,
                Action::Number(3),
                Action::Number(1),
                Action::Select,
                Action::Number(1),
            ],
        );
        let screen = render(&app);
        assert!(screen[0].contains("HIGH RISK"), "{screen:#?}");
        assert!(
            screen[4].starts_with("The police can pass details to the Home Office."),
            "{screen:#?}"
        );
        // The GP, with the note shown: 1 waits for a second digit (there are ten
        // services), so Enter chooses it.
        let mut app = app_at_gp();
        let Screen::Runner(runner) = &app.screen else {
            panic!("not walking a guide")
        };
        assert!(runner.show_note);
        let screen = render(&app);
        assert!(
            screen[4].starts_with("Anyone in England can sign up with a GP."),
            "{screen:#?}"
        );
        // With no next step in view, Down scrolls one line: no advice is skipped.
        press(&mut app, &[Action::Down]);
        assert!(render(&app)[3].starts_with("Anyone in England"));
    }

    fn app_at_gp() -> App {
        let mut app = app();
        assert!(app.open_guide("data-sharing"));
        press(
            &mut app,
            &[
                Action::Select,
                Action::Number(1),
                Action::Select,
                Action::Number(1),
            ],
        );
        app
    }

    #[test]
    fn choices_from_ten_up_are_picked_with_two_digits() {
        let mut app = app();
        assert!(app.open_guide("data-sharing"));
        press(&mut app, &[Action::Select, Action::Number(1)]);
        assert_eq!(
            app.status.as_deref(),
            Some("1: press Enter to choose 1, or type 0 for 10.")
        );
        assert!(render(&app).iter().any(|l| l.starts_with(">  1. A GP")));
        press(&mut app, &[Action::Number(0)]);
        assert!(
            render(&app)[2].contains("Home Office"),
            "10 is the Home Office itself"
        );
        press(
            &mut app,
            &[Action::Back, Action::Number(1), Action::Number(1)],
        );
        assert_eq!(
            app.status.as_deref(),
            Some("There is no 11 here: the numbers go from 1 to 10.")
        );
        // Backspace after a first digit only drops the digit.
        press(&mut app, &[Action::Number(1), Action::Back]);
        assert!(render(&app)[2].starts_with("Which service"));
        press(&mut app, &[Action::Number(2)]);
        assert!(render(&app)[1].contains("My child's school"));
    }

    #[test]
    fn back_returns_to_the_question_with_the_answer_given_highlighted() {
        let mut app = app();
        assert!(app.open_guide("data-sharing"));
        press(&mut app, &[Action::Select, Action::Number(2)]);
        assert!(render(&app)[1].contains("My child's school"));
        press(&mut app, &[Action::Back]);
        let screen = render(&app);
        assert!(screen[2].starts_with("Which service"), "{screen:?}");
        assert!(
            screen.iter().any(|l| l.starts_with(">  2. ")),
            "the school is highlighted again: {screen:?}"
        );
    }

    #[test]
    fn leaving_or_restarting_a_walk_with_answers_asks_first() {
        let mut app = app();
        assert!(app.open_guide("data-sharing"));
        // Nothing answered yet: q leaves at once.
        press(&mut app, &[Action::Select, Action::Leave]);
        assert_eq!(app.context(), Context::Home);

        let mut app = app_at_gp();
        press(&mut app, &[Action::Leave]);
        assert_eq!(app.context(), Context::Confirm);
        assert!(
            render(&app)
                .iter()
                .any(|l| l.contains("Leave this guide? Your answers will be lost."))
        );
        press(&mut app, &[Action::Down, Action::No]);
        assert_eq!(app.context(), Context::Outcome, "n stays");
        press(&mut app, &[Action::Restart]);
        assert!(
            render(&app)
                .iter()
                .any(|l| l.contains("Start this guide again?"))
        );
        press(&mut app, &[Action::Yes]);
        assert!(render(&app)[0].contains("(step 1)"));
        let mut app = app_at_gp();
        press(&mut app, &[Action::Leave, Action::Yes]);
        assert_eq!(app.context(), Context::Home);
    }

    #[test]
    fn leaving_an_unsaved_summary_asks_and_a_saved_one_does_not() {
        let mut app = app_at_gp();
        open_summary(&mut app);
        assert_eq!(app.context(), Context::Summary);
        press(&mut app, &[Action::Leave]);
        assert_eq!(app.context(), Context::Confirm);
        press(&mut app, &[Action::No, Action::Save]);
        let dir = tempfile::tempdir().unwrap();
        for c in dir.path().join("record.txt").display().to_string().chars() {
            app.update(Action::Type(c), AREA);
        }
        press(&mut app, &[Action::Confirm, Action::Leave]);
        assert_eq!(app.context(), Context::Home);
    }

    #[test]
    fn the_summary_pages_within_its_bounds() {
        let mut app = app_at_gp();
        open_summary(&mut app);
        press(&mut app, &[Action::Bottom]);
        let end = render(&app);
        press(&mut app, &[Action::PageDown, Action::PageDown]);
        assert_eq!(render(&app), end);
        press(&mut app, &[Action::PageUp]);
        assert_ne!(render(&app), end, "PgUp moves back at once");
    }

    #[test]
    fn the_wheel_scrolls_an_outcome_and_a_click_picks_the_next_step_under_it() {
        let mut app = app_at_gp();
        press(&mut app, &[Action::ScrollDown, Action::ScrollDown]);
        let screen = render(&app);
        assert!(screen[22].starts_with("Lines 7-26"), "{screen:#?}");
        let row = screen
            .iter()
            .position(|l| l.contains("Ask the GP practice for a copy of your records"))
            .expect("the letter step is in view") as u16;
        app.update(Action::Click { column: 8, row }, AREA);
        assert_eq!(app.context(), Context::Form);
    }

    #[test]
    fn every_hint_bar_on_a_walk_fits_and_offers_help() {
        let app = app_at_gp();
        let screen = render(&app);
        assert!(screen[23].contains("? help"), "{}", screen[23]);
        assert!(screen[23].contains("F12 quick exit"), "{}", screen[23]);
    }
}
