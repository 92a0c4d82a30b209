//! The summary of a run: every question and answer, the outcome and its sources. `s` saves
//! it as a plain-text advice record to a file the adviser names.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::runner::RunnerScreen;
use super::{Transition, frame_areas, hint_line};
use crate::tui::action::Action;
use crate::tui::keys::Context;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use sanctuary::guide::engine::RunSummary;

#[derive(Debug)]
pub struct SummaryScreen {
    /// The run this summarises, to go back to.
    pub runner: RunnerScreen,
    pub summary: RunSummary,
    scroll: usize,
    /// The file name being typed, while saving.
    pub prompt: Option<String>,
    /// Whether the advice record was saved, to a file or to a client.
    pub saved: bool,
    /// Asking "Leave without saving?".
    confirm: bool,
}

impl SummaryScreen {
    pub fn new(runner: RunnerScreen, summary: RunSummary) -> SummaryScreen {
        SummaryScreen {
            runner,
            summary,
            scroll: 0,
            prompt: None,
            saved: false,
            confirm: false,
        }
    }

    pub fn context(&self) -> Context {
        if self.confirm {
            Context::Confirm
        } else if self.prompt.is_some() {
            Context::Prompt
        } else {
            Context::Summary
        }
    }

    const QUESTION: &str = "Leave without saving the advice record? The answers will be lost. (s saves it to a file, c to a client.)";

    /// The summary's lines at this width.
    fn lines(&self, width: usize) -> Vec<String> {
        wrap(&self.summary.to_text(), width)
    }

    /// The text area and the prompt area within the body.
    fn text_area(&self, area: Rect) -> (Rect, Option<Rect>) {
        let [_, body, _] = frame_areas(area);
        if self.prompt.is_some() {
            let [t, p] = Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(body);
            (t, Some(p))
        } else {
            (body, None)
        }
    }

    /// Applies an action; `area` is the whole screen, so scrolling stays within the text.
    pub fn handle(&mut self, action: Action, area: Rect) -> Transition {
        if self.confirm {
            match action {
                Action::Yes => {
                    self.confirm = false;
                    return Transition::Home;
                }
                Action::No => self.confirm = false,
                _ => {}
            }
            return Transition::Stay;
        }
        if let Some(name) = &mut self.prompt {
            match action {
                Action::Type(c) => name.push(c),
                Action::DeleteChar => {
                    name.pop();
                }
                Action::CloseOverlay => self.prompt = None,
                Action::Confirm => {
                    let name = name.trim().to_string();
                    if name.is_empty() {
                        return Transition::Status("Type a file name first.".into());
                    }
                    self.prompt = None;
                    return match save_record(&PathBuf::from(&name), &self.summary.to_text()) {
                        Ok(path) => {
                            self.saved = true;
                            Transition::Status(format!("Saved the advice record to {path}"))
                        }
                        Err(e) => Transition::Status(format!("Could not save to {name}: {e}")),
                    };
                }
                _ => {}
            }
            return Transition::Stay;
        }
        let (text, _) = self.text_area(area);
        let rows = text.height as usize;
        let max = self.lines(text.width as usize).len().saturating_sub(rows);
        let page = rows.max(2) - 1;
        self.scroll = self.scroll.min(max);
        match action {
            Action::Up | Action::ScrollUp => self.scroll = self.scroll.saturating_sub(1),
            Action::Down | Action::ScrollDown => self.scroll = (self.scroll + 1).min(max),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll = (self.scroll + page).min(max),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = max,
            Action::Save => self.prompt = Some(String::new()),
            Action::Back => return Transition::BackToRunner,
            Action::Leave if !self.saved => self.confirm = true,
            Action::Leave => return Transition::Home,
            _ => {}
        }
        Transition::Stay
    }

    pub fn draw(&self, frame: &mut Frame, theme: Theme, status: Option<&str>) {
        let [header, _, hints] = frame_areas(frame.area());
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Summary", theme.title()),
                Span::raw(format!(": {}", self.summary.guide_title)),
            ])),
            header,
        );
        let (text_area, prompt_area) = self.text_area(frame.area());
        let lines: Vec<Line> = self
            .lines(text_area.width as usize)
            .into_iter()
            .map(Line::from)
            .collect();
        let max = lines.len().saturating_sub(text_area.height as usize);
        let top = self.scroll.min(max);
        frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), text_area);
        if let (Some(area), Some(name)) = (prompt_area, &self.prompt) {
            frame.render_widget(
                Paragraph::new(vec![
                    Line::from(Span::styled(
                        "Save the advice record as plain text. It is not encrypted: choose a safe place.",
                        theme.warning(),
                    )),
                    Line::from(vec![
                        Span::styled("File name: ", theme.heading()),
                        Span::raw(format!("{name}_")),
                    ]),
                ]),
                area,
            );
        }
        frame.render_widget(
            Paragraph::new(hint_line(self.context(), theme, status)),
            hints,
        );
        if self.confirm {
            super::overlay::draw_question(frame, Self::QUESTION, theme);
        }
    }
}

/// Writes the record, refusing to overwrite a file that is already there.
fn save_record(path: &std::path::Path, text: &str) -> std::io::Result<String> {
    super::write_new_private(path, text.as_bytes()).map_err(std::io::Error::other)?;
    Ok(path.display().to_string())
}
