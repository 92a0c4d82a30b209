//! "Leave without saving?": asked before a form with typed work is closed, so one key
//! press never throws away what the adviser typed. Staying is the first choice and what
//! Esc does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

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
        let inner = usize::from(area.width.saturating_sub(2)).max(1);
        let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
        let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
        let box_area = Rect {
            x: area.x,
            y: area.y + area.height - height,
            width: area.width,
            height,
        };
        frame.render_widget(Clear, box_area);
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(" Leave? ")),
            box_area,
        );
    }
}
