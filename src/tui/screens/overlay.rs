//! Windows drawn over a screen: the help (from the key table) and the glossary (the
//! meanings of the terms on screen).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::action::Action;
use crate::tui::keys::{Context, bindings_for};
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use sanctuary::guide::glossary::Term;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverlayKind {
    /// Help for the keys of the screen underneath.
    Help(Context),
    Glossary(Vec<Term>),
    /// The adviser note of the current step, in full.
    Note(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    pub kind: OverlayKind,
    scroll: usize,
}

/// Whether the overlay stays open after an action.
pub enum OverlayResult {
    Open,
    Closed,
}

impl Overlay {
    pub fn new(kind: OverlayKind) -> Overlay {
        Overlay { kind, scroll: 0 }
    }

    pub fn handle(&mut self, action: Action) -> OverlayResult {
        match action {
            Action::Up | Action::ScrollUp => self.scroll = self.scroll.saturating_sub(1),
            Action::Down | Action::ScrollDown => self.scroll += 1,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::PageDown => self.scroll += 10,
            Action::CloseOverlay
            | Action::Leave
            | Action::Help
            | Action::Select
            | Action::Click { .. } => {
                return OverlayResult::Closed;
            }
            _ => {}
        }
        OverlayResult::Open
    }

    fn lines(&self, width: usize, theme: Theme) -> (String, Vec<Line<'static>>) {
        match &self.kind {
            OverlayKind::Help(context) => {
                let mut lines = Vec::new();
                let mut seen = Vec::new();
                for b in bindings_for(*context) {
                    // Keys that do the same thing are listed once, on the first row.
                    if seen.contains(&b.help) {
                        continue;
                    }
                    seen.push(b.help);
                    lines.push(Line::from(vec![
                        Span::styled(format!("{:<18}", b.keys), theme.key()),
                        Span::raw(b.help.to_string()),
                    ]));
                }
                lines.push(Line::default());
                lines.push(Line::from(
                    "Mouse: click a choice to pick it; the wheel moves up and down.",
                ));
                ("Keys (Esc closes)".into(), lines)
            }
            OverlayKind::Glossary(terms) => {
                let mut lines = Vec::new();
                if terms.is_empty() {
                    lines.push(Line::from("No glossary words on this screen."));
                }
                for t in terms {
                    lines.push(Line::from(Span::styled(t.term.clone(), theme.heading())));
                    for l in wrap(&t.meaning, width.saturating_sub(2)) {
                        lines.push(Line::from(format!("  {l}")));
                    }
                    lines.push(Line::default());
                }
                ("Words on this screen (Esc closes)".into(), lines)
            }
            OverlayKind::Note(note) => (
                "Adviser note (Esc closes)".into(),
                wrap(note, width).into_iter().map(Line::from).collect(),
            ),
        }
    }

    pub fn draw(&self, frame: &mut Frame, theme: Theme) {
        let area = frame.area();
        let width = area.width.saturating_sub(4).min(90);
        let height = area.height.saturating_sub(2);
        let rect = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + 1,
            width,
            height,
        };
        let (title, lines) = self.lines(width.saturating_sub(2) as usize, theme);
        let max = lines
            .len()
            .saturating_sub(height.saturating_sub(2) as usize);
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(lines)
                .scroll((self.scroll.min(max) as u16, 0))
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(Span::styled(title, theme.heading())),
                ),
            rect,
        );
    }
}
