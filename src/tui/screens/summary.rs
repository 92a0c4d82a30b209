//! The summary of a run: every question and answer, the outcome and its sources. `s` saves
//! it as a plain-text advice record to a file the adviser names.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
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
}

impl SummaryScreen {
    pub fn new(runner: RunnerScreen, summary: RunSummary) -> SummaryScreen {
        SummaryScreen {
            runner,
            summary,
            scroll: 0,
            prompt: None,
        }
    }

    pub fn context(&self) -> Context {
        if self.prompt.is_some() {
            Context::Prompt
        } else {
            Context::Summary
        }
    }

    pub fn handle(&mut self, action: Action, page: usize) -> Transition {
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
                            Transition::Status(format!("Saved the advice record to {path}"))
                        }
                        Err(e) => Transition::Status(format!("Could not save to {name}: {e}")),
                    };
                }
                _ => {}
            }
            return Transition::Stay;
        }
        match action {
            Action::Up | Action::ScrollUp => self.scroll = self.scroll.saturating_sub(1),
            Action::Down | Action::ScrollDown => self.scroll += 1,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll += page,
            Action::Save => self.prompt = Some(String::new()),
            Action::Back => return Transition::BackToRunner,
            Action::Leave => return Transition::Home,
            _ => {}
        }
        Transition::Stay
    }

    pub fn draw(&self, frame: &mut Frame, theme: Theme, status: Option<&str>) {
        let [header, body, hints] = frame_areas(frame.area());
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Summary", theme.title()),
                Span::raw(format!(": {}", self.summary.guide_title)),
            ])),
            header,
        );
        let (text_area, prompt_area) = if self.prompt.is_some() {
            let [t, p] = Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(body);
            (t, Some(p))
        } else {
            (body, None)
        };
        let lines: Vec<Line> = wrap(&self.summary.to_text(), text_area.width as usize)
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
    }
}

/// Writes the record, refusing to overwrite a file that is already there.
fn save_record(path: &std::path::Path, text: &str) -> std::io::Result<String> {
    super::write_new_private(path, text.as_bytes()).map_err(std::io::Error::other)?;
    Ok(path.display().to_string())
}
