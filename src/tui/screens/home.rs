//! The home screen: every guide with its title, summary and review date, grouped by
//! topic; typing filters the list.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Panel, Transition, contains, frame_areas, hint_line};
use crate::tui::action::Action;
use crate::tui::keys::Context;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use chrono::NaiveDate;
use sanctuary::guide::{Guide, Library, review_warning};

#[derive(Debug, Default)]
pub struct HomeScreen {
    pub filter: String,
    pub selected: usize,
}

/// The guide to open, when an action opens one.
pub enum HomeOutcome {
    Open(Arc<Guide>),
    Other(Transition),
}

impl HomeScreen {
    /// The guides that match the filter, grouped by topic.
    pub fn groups<'a>(&self, library: &'a Library) -> Vec<(&'a str, Vec<&'a Arc<Guide>>)> {
        let needle = self.filter.to_lowercase();
        library
            .by_topic()
            .into_iter()
            .map(|(topic, guides)| {
                let kept = guides
                    .into_iter()
                    .filter(|g| match_rank(g, &needle).is_some())
                    .collect::<Vec<_>>();
                (topic, kept)
            })
            .filter(|(_, g)| !g.is_empty())
            .collect()
    }

    /// Highlights the guide that matches the filter best (see [`match_rank`]), so Enter
    /// opens it, wherever its topic puts it in the list.
    fn highlight_best(&mut self, library: &Library) {
        let needle = self.filter.to_lowercase();
        self.selected = self
            .visible(library)
            .iter()
            .enumerate()
            .filter_map(|(i, g)| match_rank(g, &needle).map(|rank| (rank, i)))
            .min()
            .map_or(0, |(_, i)| i);
    }

    /// The guide highlighted in the list, if any.
    pub fn highlighted(&self, library: &Library) -> Option<Arc<Guide>> {
        self.visible(library).get(self.selected).cloned()
    }

    fn visible(&self, library: &Library) -> Vec<Arc<Guide>> {
        self.groups(library)
            .into_iter()
            .flat_map(|(_, g)| g.into_iter().cloned())
            .collect()
    }

    pub fn handle(
        &mut self,
        action: Action,
        library: &Library,
        area: Rect,
        today: NaiveDate,
    ) -> HomeOutcome {
        const LONGEST_FILTER: usize = 200;
        let guides = self.visible(library);
        let count = guides.len();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            Action::ScrollUp => self.selected = self.selected.saturating_sub(1),
            Action::ScrollDown => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            Action::Select => {
                if let Some(g) = guides.get(self.selected) {
                    return HomeOutcome::Open(g.clone());
                }
            }
            // No guide's title is longer: more typed (or pasted) would find nothing.
            Action::Type(c) if self.filter.chars().count() < LONGEST_FILTER => {
                self.filter.push(c);
                self.highlight_best(library);
            }
            Action::ClearLine => {
                self.filter.clear();
                self.selected = 0;
            }
            Action::DeleteChar => {
                self.filter.pop();
                self.highlight_best(library);
            }
            Action::Leave if !self.filter.is_empty() => {
                self.filter.clear();
                self.selected = 0;
            }
            Action::Leave => return HomeOutcome::Other(Transition::QuitApp),
            Action::Click { column, row } => {
                let body = self.list_area(area);
                if contains(body, column, row) {
                    let panel =
                        self.panel(library, body.width as usize, Theme { colour: false }, today);
                    let top = panel.scroll_for(body.height as usize, Some(self.selected), 0);
                    if let Some(i) = panel.item_at((row - body.y) as usize, top) {
                        self.selected = i;
                        return HomeOutcome::Open(guides[i].clone());
                    }
                }
            }
            _ => {}
        }
        HomeOutcome::Other(Transition::Stay)
    }

    fn list_area(&self, area: Rect) -> Rect {
        let [_, body, _] = frame_areas(area);
        let [_, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(body);
        list
    }

    fn panel(&self, library: &Library, width: usize, theme: Theme, today: NaiveDate) -> Panel {
        let mut panel = Panel::default();
        let mut index = 0;
        for (topic, guides) in self.groups(library) {
            if !panel.lines.is_empty() {
                panel.blank();
            }
            panel.push(Line::from(Span::styled(topic.to_string(), theme.heading())));
            for g in guides {
                let marker = if index == self.selected { "> " } else { "  " };
                let title_style = if index == self.selected {
                    theme.selected()
                } else {
                    theme.title()
                };
                let mut lines = vec![Line::from(vec![
                    Span::raw(marker),
                    Span::styled(g.title.clone(), title_style),
                ])];
                let detail = format!(
                    "{} (reviewed {})",
                    g.summary,
                    g.last_reviewed.format("%-d %B %Y")
                );
                for l in wrap(&detail, width.saturating_sub(4)) {
                    lines.push(Line::from(Span::styled(format!("    {l}"), theme.muted())));
                }
                // Past its review date: said in words, not only in colour.
                if review_warning(g, today).is_some() {
                    let text = "REVIEW OVERDUE: check it against current guidance";
                    for l in wrap(text, width.saturating_sub(4)) {
                        lines.push(Line::from(Span::styled(
                            format!("    {l}"),
                            theme.warning(),
                        )));
                    }
                }
                panel.item(lines);
                index += 1;
            }
        }
        if index == 0 {
            panel.push(Line::from(format!(
                "No guide matches \"{}\". Press Backspace or Esc to clear the filter.",
                self.filter
            )));
        }
        panel
    }

    pub fn draw(
        &self,
        frame: &mut Frame,
        library: &Library,
        theme: Theme,
        status: Option<&str>,
        today: NaiveDate,
        language: &str,
    ) {
        let area = frame.area();
        let [header, body, hints] = frame_areas(area);
        let [filter_row, _] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(body);
        let list = self.list_area(area);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("sanctuary", theme.title()),
                Span::raw("  Decision guides"),
                Span::styled(format!("   {language}"), theme.muted()),
            ])),
            header,
        );
        let filter = if self.filter.is_empty() {
            Line::from(Span::styled(
                "Type to filter the guides. Up/Down move, Enter opens. F1: all the keys.",
                theme.muted(),
            ))
        } else {
            Line::from(vec![
                Span::styled("Filter: ", theme.heading()),
                Span::raw(format!("{}_", self.filter)),
            ])
        };
        frame.render_widget(Paragraph::new(filter), filter_row);
        let panel = self.panel(library, list.width as usize, theme, today);
        let top = panel.scroll_for(list.height as usize, Some(self.selected), 0);
        frame.render_widget(Paragraph::new(panel.lines).scroll((top as u16, 0)), list);
        frame.render_widget(
            Paragraph::new(hint_line(Context::Home, theme, status)),
            hints,
        );
    }
}

/// How well a guide matches what was typed (lower is better), or `None` when it does
/// not: a word of the title starting with it, then one of the guide's tags (the
/// everyday words for its situation, such as "pregnant") starting with it, then the
/// text anywhere in the title, a tag, the summary, the topic or the id.
fn match_rank(guide: &Guide, needle: &str) -> Option<u8> {
    if needle.is_empty() {
        return Some(0);
    }
    let lower = |t: &str| t.to_lowercase();
    let word_starts = |text: &str| {
        lower(text)
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| word.starts_with(needle))
    };
    if word_starts(&guide.title) {
        Some(0)
    } else if guide.tags.iter().any(|t| lower(t).starts_with(needle)) {
        Some(1)
    } else if lower(&guide.title).contains(needle)
        || guide.tags.iter().any(|t| lower(t).contains(needle))
    {
        Some(2)
    } else if [&guide.summary, &guide.topic, &guide.id]
        .iter()
        .any(|t| lower(t).contains(needle))
    {
        Some(3)
    } else {
        None
    }
}
