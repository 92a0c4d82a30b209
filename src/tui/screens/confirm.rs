//! "Leave without saving?": asked before a form with typed work is closed, so one key
//! press never throws away what the adviser typed. Staying is the first choice and what
//! Esc does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::action::Action;
use crate::tui::theme::Theme;

/// The question, with the highlighted answer.
#[derive(Debug, Default)]
pub struct Discard {
    selected: usize,
}

/// What the adviser answered.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    Asking,
    Stay,
    Leave,
}

const CHOICES: [&str; 2] = [
    "Stay and keep what was typed",
    "Leave: what was typed is lost",
];

impl Discard {
    pub fn handle(&mut self, action: Action) -> Answer {
        let pick = |n: usize| if n == 1 { Answer::Leave } else { Answer::Stay };
        match action {
            Action::Up | Action::ScrollUp => self.selected = 0,
            Action::Down | Action::ScrollDown => self.selected = 1,
            Action::Pick(n) if n < CHOICES.len() => return pick(n),
            Action::Select | Action::Confirm => return pick(self.selected),
            Action::CloseOverlay | Action::Leave => return Answer::Stay,
            _ => {}
        }
        Answer::Asking
    }

    /// Draws the question (e.g. "Leave the form? Nothing is saved yet.") at the foot of
    /// `area`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, question: &str, theme: Theme) {
        let mut lines = vec![Line::from(question.to_string())];
        for (i, choice) in CHOICES.iter().enumerate() {
            let (mark, style) = if i == self.selected {
                (">", theme.selected())
            } else {
                (" ", ratatui::style::Style::new())
            };
            lines.push(Line::from(Span::styled(
                format!("{mark} {}. {choice}", i + 1),
                style,
            )));
        }
        lines.push(Line::from(Span::styled(
            "Enter: choose   Esc: stay",
            theme.muted(),
        )));
        super::draw_dialog_at_foot(frame, area, " Leave? ", lines);
    }
}
