//! Two small screens for the client's language: the chooser (each language by its own
//! name and its English name, with the state of its translation of this guide; English
//! only comes first and is the default), and the one-time right-to-left check (a sample
//! sentence as stored and as reordered; the adviser picks the one that reads right, or
//! neither).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Panel, frame_areas, hint_line};
use crate::terminal_text;
use crate::tui::action::Action;
use crate::tui::bidi::{RtlDisplay, visual_order};
use crate::tui::keys::Context;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;

/// One line of the chooser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageOption {
    /// None for English only.
    pub code: Option<String>,
    /// "Tiếng Việt (Vietnamese)".
    pub label: String,
    /// The state of its translation of this guide, in words.
    pub state: String,
}

/// What a small screen decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Picked<T> {
    Asking,
    Cancelled,
    Chose(T),
}

/// Moves a highlight and turns Enter, a digit or a click into a choice of `count` items.
fn pick(selected: &mut usize, count: usize, action: Action) -> Picked<usize> {
    match action {
        Action::Up | Action::ScrollUp => *selected = selected.saturating_sub(1),
        Action::Down | Action::ScrollDown => *selected = (*selected + 1).min(count - 1),
        Action::Pick(n) if n < count => return Picked::Chose(n),
        Action::Select | Action::Confirm => return Picked::Chose(*selected),
        Action::CloseOverlay | Action::Leave | Action::Back => return Picked::Cancelled,
        _ => {}
    }
    Picked::Asking
}

/// A numbered line, highlighted when selected, wrapped with a hanging indent.
fn numbered(panel: &mut Panel, n: usize, selected: bool, text: &str, width: usize, theme: Theme) {
    let prefix = format!("{}{n}. ", if selected { "> " } else { "  " });
    let style = if selected {
        theme.selected()
    } else {
        ratatui::style::Style::new()
    };
    panel.item(super::after_number(
        &prefix,
        wrap(text, width.saturating_sub(prefix.len())),
        style,
    ));
}

/// A click on a numbered item as the pick of that item; any other action as it is.
/// `panel` lays the screen's body out at a width; the body scrolls to keep `selected` in
/// view, as drawn.
fn clicked(action: Action, area: Rect, panel: impl Fn(usize) -> Panel, selected: usize) -> Action {
    let Action::Click { column, row } = action else {
        return action;
    };
    let [_, body, _] = frame_areas(area);
    if !super::contains(body, column, row) {
        return Action::None;
    }
    let panel = panel(body.width as usize);
    let top = panel.scroll_for(body.height as usize, Some(selected), 0);
    panel
        .item_at(usize::from(row - body.y), top)
        .map_or(Action::None, Action::Pick)
}

#[derive(Debug)]
pub struct LanguageChooser {
    /// The guide the states are for.
    guide_title: String,
    pub options: Vec<LanguageOption>,
    selected: usize,
}

impl LanguageChooser {
    /// The chooser with `current` highlighted (English only when none).
    pub fn new(
        guide_title: &str,
        options: Vec<LanguageOption>,
        current: Option<&str>,
    ) -> LanguageChooser {
        let selected = options
            .iter()
            .position(|o| o.code.as_deref() == current)
            .unwrap_or(0);
        LanguageChooser {
            guide_title: guide_title.to_string(),
            options,
            selected,
        }
    }

    pub fn context(&self) -> Context {
        Context::Choice
    }

    /// The language chosen (`Chose(None)`: English only). `area` is the whole screen,
    /// for a click.
    pub fn handle(&mut self, action: Action, area: Rect) -> Picked<Option<String>> {
        let action = clicked(
            action,
            area,
            |width| self.panel(width, Theme { colour: false }),
            self.selected,
        );
        match pick(&mut self.selected, self.options.len(), action) {
            Picked::Chose(n) => Picked::Chose(self.options[n].code.clone()),
            Picked::Cancelled => Picked::Cancelled,
            Picked::Asking => Picked::Asking,
        }
    }

    /// The intro and the numbered languages at `width`.
    fn panel(&self, width: usize, theme: Theme) -> Panel {
        let mut panel = Panel::default();
        for l in wrap(
            "Shown beside the English, with the same numbers. The English is what counts.",
            width,
        ) {
            panel.push(Line::from(Span::styled(l, theme.muted())));
        }
        panel.blank();
        for (i, option) in self.options.iter().enumerate() {
            let text = format!("{}: {}", terminal_text::line(&option.label), option.state);
            numbered(&mut panel, i + 1, i == self.selected, &text, width, theme);
        }
        panel
    }

    pub fn draw(&self, frame: &mut Frame, theme: Theme, status: Option<&str>) {
        let [header, body, hints] = frame_areas(frame.area());
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("The client's language", theme.title()),
                Span::raw(format!(": {}", terminal_text::line(&self.guide_title))),
            ])),
            header,
        );
        let panel = self.panel(body.width as usize, theme);
        let top = panel.scroll_for(body.height as usize, Some(self.selected), 0);
        frame.render_widget(Paragraph::new(panel.lines).scroll((top as u16, 0)), body);
        frame.render_widget(
            Paragraph::new(hint_line(self.context(), theme, status)),
            hints,
        );
    }
}

/// The one-time check of how this terminal draws right-to-left text.
#[derive(Debug)]
pub struct RtlCheck {
    /// The language's English name, and the sentence shown (from its translation files).
    language_name: String,
    sample: String,
    selected: usize,
}

/// The answers, in the order shown.
const RTL_ANSWERS: [RtlDisplay; 3] = [RtlDisplay::AsStored, RtlDisplay::Reordered, RtlDisplay::Off];

impl RtlCheck {
    pub fn new(language_name: &str, sample: &str) -> RtlCheck {
        RtlCheck {
            language_name: terminal_text::line(language_name).into_owned(),
            sample: terminal_text::line(sample).into_owned(),
            selected: 0,
        }
    }

    pub fn context(&self) -> Context {
        Context::Choice
    }

    pub fn handle(&mut self, action: Action, area: Rect) -> Picked<RtlDisplay> {
        let action = clicked(
            action,
            area,
            |width| self.panel(width, Theme { colour: false }),
            0,
        );
        match pick(&mut self.selected, RTL_ANSWERS.len(), action) {
            Picked::Chose(n) => Picked::Chose(RTL_ANSWERS[n]),
            Picked::Cancelled => Picked::Cancelled,
            Picked::Asking => Picked::Asking,
        }
    }

    /// The three answers as drawn: the sample as stored, the sample reordered, neither.
    fn lines(&self, width: usize, theme: Theme) -> Vec<Line<'static>> {
        self.panel(width, theme).lines
    }

    fn panel(&self, width: usize, theme: Theme) -> Panel {
        let mut panel = Panel::default();
        let intro = format!(
            "{} is written right to left. Terminals differ in how they draw it, so look at the two lines below, with the client if you can, and choose the one that reads right. The answer is kept for this computer (F4 settings changes it).",
            self.language_name
        );
        for l in wrap(&intro, width) {
            panel.push(Line::from(l));
        }
        panel.blank();
        // The sample lines are never wrapped: a cut sentence is harder to judge. They are
        // cut at the edge instead.
        let shown = [self.sample.clone(), visual_order(&self.sample)];
        for (i, sample) in shown.iter().enumerate() {
            let prefix = format!(
                "{}{}. ",
                if i == self.selected { "> " } else { "  " },
                i + 1
            );
            let style = if i == self.selected {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            panel.item(vec![Line::from(vec![
                Span::raw(prefix),
                Span::styled(sample.clone(), style),
            ])]);
            panel.blank();
        }
        numbered(
            &mut panel,
            3,
            self.selected == 2,
            "Neither reads right: keep right-to-left text off this screen (the printed hand-out is then the client's copy)",
            width,
            theme,
        );
        panel
    }

    pub fn draw(&self, frame: &mut Frame, theme: Theme, status: Option<&str>) {
        let [header, body, hints] = frame_areas(frame.area());
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                "Check: which line reads right?",
                theme.title(),
            ))),
            header,
        );
        frame.render_widget(Paragraph::new(self.lines(body.width as usize, theme)), body);
        frame.render_widget(
            Paragraph::new(hint_line(self.context(), theme, status)),
            hints,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: Rect = Rect::new(0, 0, 80, 24);

    #[test]
    fn the_check_offers_the_sample_as_stored_then_reordered_then_neither() {
        let sample = "العربية لا";
        let mut check = RtlCheck::new("العربية", sample);
        let lines: Vec<String> = check
            .lines(80, Theme { colour: false })
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        let one = lines.iter().position(|l| l.starts_with("> 1. ")).unwrap();
        assert_eq!(lines[one], format!("> 1. {sample}"));
        let two = lines.iter().position(|l| l.starts_with("  2. ")).unwrap();
        assert_eq!(lines[two], format!("  2. {}", visual_order(sample)));
        assert_ne!(lines[one][5..], lines[two][5..]);
        assert!(lines.iter().any(|l| l.starts_with("  3. Neither")));
        assert_eq!(
            check.handle(Action::Pick(1), AREA),
            Picked::Chose(RtlDisplay::Reordered)
        );
        check.handle(Action::Down, AREA);
        check.handle(Action::Down, AREA);
        assert_eq!(
            check.handle(Action::Select, AREA),
            Picked::Chose(RtlDisplay::Off)
        );
        assert_eq!(check.handle(Action::CloseOverlay, AREA), Picked::Cancelled);
    }

    #[test]
    fn the_chooser_starts_on_the_current_language_and_english_only_is_none() {
        let options = vec![
            LanguageOption {
                code: None,
                label: "English only".into(),
                state: "the default".into(),
            },
            LanguageOption {
                code: Some("vi".into()),
                label: "Tiếng Việt (Vietnamese)".into(),
                state: "3 parts changed".into(),
            },
        ];
        let mut chooser = LanguageChooser::new("Right to work", options.clone(), Some("vi"));
        assert_eq!(
            chooser.handle(Action::Select, AREA),
            Picked::Chose(Some("vi".into()))
        );
        let mut chooser = LanguageChooser::new("Right to work", options, None);
        assert_eq!(chooser.handle(Action::Select, AREA), Picked::Chose(None));
        assert_eq!(
            chooser.handle(Action::Pick(1), AREA),
            Picked::Chose(Some("vi".into()))
        );
    }
}
