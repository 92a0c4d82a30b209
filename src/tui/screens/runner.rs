//! Running a guide: a question and its choices, or an information screen, or an outcome
//! with its risk, advice, next steps and sources; the adviser note alongside or below.

use std::sync::Arc;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::letter::LetterTarget;
use super::{Panel, Transition, contains, frame_areas, hint_line};
use crate::tui::action::Action;
use crate::tui::keys::Context;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use sanctuary::guide::engine::Advance;
use sanctuary::guide::{Guide, Library, NodeKind, Outcome, Session};

/// Side panel when the screen is this wide, else a bottom panel.
const SIDE_NOTE_WIDTH: u16 = 110;

#[derive(Debug)]
pub struct RunnerScreen {
    /// Guides opened from a guide stack up, so Back can return to the one before.
    sessions: Vec<Session>,
    selected: usize,
    pub show_note: bool,
    scroll: usize,
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
        match self.session().current().kind {
            NodeKind::Outcome(_) => Context::Outcome,
            _ => Context::Question,
        }
    }

    /// How many items can be selected on the current screen.
    fn item_count(&self) -> usize {
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
    }

    pub fn handle(
        &mut self,
        action: Action,
        library: &Library,
        area: Rect,
        today: NaiveDate,
    ) -> Transition {
        let count = self.item_count();
        match action {
            Action::Up | Action::ScrollUp => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1))
            }
            Action::PageUp => self.scroll = self.scroll.saturating_sub(area.height as usize / 2),
            Action::PageDown => self.scroll += area.height as usize / 2,
            Action::Pick(i) if i < count => {
                self.selected = i;
                return self.activate(library, today);
            }
            Action::Select => return self.activate(library, today),
            Action::Back => self.back(),
            Action::Restart => {
                let first = self.sessions.swap_remove(0);
                self.sessions = vec![first];
                self.session_mut().restart();
                self.moved();
            }
            Action::ToggleNote => self.show_note = !self.show_note,
            Action::Leave => return Transition::Home,
            Action::Click { column, row } => {
                let areas = self.areas(area);
                if contains(areas.main, column, row) {
                    let panel = self.main_panel(
                        areas.main.width as usize,
                        Theme { colour: false },
                        library,
                    );
                    let top = panel.scroll_for(
                        areas.main.height as usize,
                        Some(self.selected),
                        self.scroll,
                    );
                    if let Some(i) = panel.item_at((row - areas.main.y) as usize, top) {
                        self.selected = i;
                        return self.activate(library, today);
                    }
                }
            }
            _ => {}
        }
        Transition::Stay
    }

    pub fn back(&mut self) {
        if self.session_mut().back() {
            self.moved();
        } else if self.sessions.len() > 1 {
            self.sessions.pop();
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
                    Ok(Advance::OpenGuide(id)) => return self.open_guide(&id, facts, library),
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
                            return self.open_guide(id, facts, library);
                        }
                        if let Some(letter) = &action.letter {
                            let target = LetterTarget {
                                template: letter.template.clone(),
                                organisation: letter.organisation.clone(),
                            };
                            return Transition::WriteLetters(vec![target], facts);
                        }
                        return Transition::Status(format!("Next step: {}", action.label));
                    }
                    None if selected == outcome.actions.len() && all_letters.len() > 1 => {
                        return Transition::WriteLetters(all_letters, facts);
                    }
                    None => {
                        if let Some(summary) = self.session().summary(today) {
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
            None => Transition::Status(format!("The guide {id} is not available.")),
        }
    }

    fn areas(&self, area: Rect) -> Areas {
        let [header, body, hints] = frame_areas(area);
        let [crumbs, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
        let has_note = self.show_note && self.session().current().adviser_note.is_some();
        let (main, note) = if !has_note {
            (rest, None)
        } else if area.width >= SIDE_NOTE_WIDTH {
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
        let prefix = format!("{}{}. ", if chosen { "> " } else { "  " }, index + 1);
        let style = if chosen {
            theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        wrap(label, width.saturating_sub(prefix.len()).max(8))
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let lead = if i == 0 {
                    prefix.clone()
                } else {
                    " ".repeat(prefix.len())
                };
                Line::from(vec![Span::raw(lead), Span::styled(l, style)])
            })
            .collect()
    }

    fn text_lines(panel: &mut Panel, text: &str, width: usize) {
        for l in wrap(text, width) {
            panel.push(Line::from(l));
        }
    }

    fn main_panel(&self, width: usize, theme: Theme, library: &Library) -> Panel {
        let session = self.session();
        let guide = session.guide();
        let node = session.current();
        let mut panel = Panel::default();
        if guide.safety_notice && session.step_number() == 1 {
            for l in wrap(
                "Quick exit: press F12 or Ctrl-x at any time to clear the screen and leave at once.",
                width,
            ) {
                panel.push(Line::from(Span::styled(l, theme.warning())));
            }
            panel.blank();
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
            NodeKind::Outcome(o) => {
                for l in wrap(&o.title, width) {
                    panel.push(Line::from(Span::styled(l, theme.heading())));
                }
                panel.blank();
                Self::text_lines(&mut panel, &o.advice, width);
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
                        &format!(
                            "Write all {} letters at once, with a letter of authority for each",
                            letters.len()
                        ),
                        width,
                        theme,
                    ));
                }
                panel.item(self.choice_lines(
                    self.item_count() - 1,
                    "See the summary of this session and save the advice record",
                    width,
                    theme,
                ));
                panel.blank();
                panel.push(Line::from(Span::styled("Sources", theme.heading())));
                for id in &o.sources {
                    if let Some(s) = guide.source(id) {
                        Self::text_lines(
                            &mut panel,
                            &format!("- {}: {}", s.title, s.locator()),
                            width,
                        );
                    }
                }
            }
        }
        panel
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
        frame.render_widget(Paragraph::new(header), areas.header);
        frame.render_widget(
            Paragraph::new(Span::styled(
                self.breadcrumb(areas.crumbs.width as usize),
                theme.muted(),
            )),
            areas.crumbs,
        );
        let panel = self.main_panel(areas.main.width as usize, theme, library);
        let top = panel.scroll_for(areas.main.height as usize, Some(self.selected), self.scroll);
        frame.render_widget(
            Paragraph::new(panel.lines).scroll((top as u16, 0)),
            areas.main,
        );
        if let (Some(area), Some(note)) = (areas.note, &session.current().adviser_note) {
            let block = Block::default()
                .borders(if area.x > areas.main.x {
                    Borders::LEFT
                } else {
                    Borders::TOP
                })
                .title(Span::styled(
                    "Adviser note (a: read all, n: hide)",
                    theme.heading(),
                ));
            let inner = block.inner(area);
            let lines: Vec<Line> = wrap(note, inner.width as usize)
                .into_iter()
                .map(Line::from)
                .collect();
            frame.render_widget(Paragraph::new(lines).block(block), area);
        }
        frame.render_widget(
            Paragraph::new(hint_line(self.context(), theme, status)),
            areas.hints,
        );
    }
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
