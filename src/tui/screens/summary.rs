//! The summary of a run: every question and answer, the outcome and its sources. `s` saves
//! it as a plain-text advice record to a file the adviser names.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::bilingual::{Arrangement, Block, Page, Section, compose};
use super::runner::RunnerScreen;
use super::{Panel, Transition, frame_areas, hint_line};
use crate::tui::action::Action;
use crate::tui::client_language::{Drawing, client_lines};
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
    /// The outcome in the client's language, shown with the record when one was chosen.
    pub client: Option<ClientOutcome>,
}

/// The outcome as the client is shown it, resolved from the translation when the summary
/// opened: a stale or missing part is already the fixed "not translated yet" line.
#[derive(Debug, Clone)]
pub struct ClientOutcome {
    /// The language's names, and a draft badge in words when a part is unchecked.
    pub heading: String,
    /// The draft banner, or (for a language this screen cannot show) where the client's
    /// copy is, in English.
    pub notice: Option<String>,
    pub title: String,
    pub advice: String,
    /// "The English is what counts", in the client's language.
    pub counts: String,
    pub drawing: Drawing,
    /// English on top (stacked) or the client's language on the left (side by side).
    pub swapped: bool,
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
            client: None,
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

    /// The summary's lines at this width: the record, with the outcome in the client's
    /// language beside it or over it when one was chosen.
    fn lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        let record = self.summary.to_text();
        let Some(client) = &self.client else {
            return wrap(&record, width).into_iter().map(Line::from).collect();
        };
        let english: Block<'static> =
            Box::new(move |w| wrap(&record, w).into_iter().map(Line::from).collect());
        let page = Page {
            english_heading: Line::from(Span::styled("Advice record (English)", theme.heading())),
            client_heading: Line::from(Span::styled(client.heading.clone(), theme.heading())),
            sections: vec![Section::text(english, client.block(theme))],
            rule: theme.muted(),
        };
        let mut panel = Panel::default();
        let arrangement = Arrangement::for_width(u16::try_from(width).unwrap_or(u16::MAX));
        compose(&page, width, arrangement, client.swapped, &mut panel);
        panel.lines
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
        let max = self
            .lines(text.width as usize, Theme { colour: false })
            .len()
            .saturating_sub(rows);
        if super::scroll_text(&mut self.scroll, action, rows, max) {
            return Transition::Stay;
        }
        match action {
            Action::Save => self.prompt = Some(String::new()),
            Action::SwapLanguages => match &mut self.client {
                Some(client) => client.swapped = !client.swapped,
                None => {
                    return Transition::Status(
                        "English only: no other language to swap with.".into(),
                    );
                }
            },
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
        let lines = self.lines(text_area.width as usize, theme);
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

impl ClientOutcome {
    /// The client's half: the notice, the outcome's title and advice, and that the
    /// English counts; for a language this screen cannot show, the notice alone.
    fn block(&self, theme: Theme) -> Block<'static> {
        let client = self.clone();
        Box::new(move |width| {
            let mut lines = Vec::new();
            let mut add = |text: &str, style: ratatui::style::Style, drawing: Drawing| {
                lines.extend(
                    client_lines(text, width, drawing)
                        .into_iter()
                        .map(|l| Line::from(Span::styled(l, style))),
                );
                lines.push(Line::default());
            };
            if let Some(notice) = &client.notice {
                // The notice is English when the language is kept off the screen.
                let drawing = if client.drawing == Drawing::Hidden {
                    Drawing::AsStored
                } else {
                    client.drawing
                };
                add(notice, theme.warning(), drawing);
            }
            if client.drawing != Drawing::Hidden {
                add(&client.title, theme.heading(), client.drawing);
                add(&client.advice, ratatui::style::Style::new(), client.drawing);
                add(&client.counts, theme.muted(), client.drawing);
            }
            lines
        })
    }
}
