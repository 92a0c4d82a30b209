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
    /// A saved letter or advice record, read again: its title and text.
    Record(String, String),
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

    /// Applies an action; `area` is the whole screen, so scrolling stays within the text.
    pub fn handle(&mut self, action: Action, area: Rect) -> OverlayResult {
        let (rect, rows) = window(area);
        let total = self
            .lines(
                rect.width.saturating_sub(2) as usize,
                Theme { colour: false },
            )
            .1
            .len();
        let max = total.saturating_sub(rows);
        if super::scroll_text(&mut self.scroll, action, rows, max) {
            return OverlayResult::Open;
        }
        match action {
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
                    // The keys in a column; the help wraps beside them.
                    let column = 18;
                    let help = wrap(b.help, width.saturating_sub(column));
                    for (i, text) in help.into_iter().enumerate() {
                        let keys = if i == 0 { b.keys } else { "" };
                        lines.push(Line::from(vec![
                            Span::styled(format!("{keys:<column$}"), theme.key()),
                            Span::raw(text),
                        ]));
                    }
                }
                lines.push(Line::default());
                if context.is_text_field() {
                    for l in wrap(
                        "This screen has a text field: every letter, digit and sign you press \
                         is typed into it (? j k q too). F1 shows these keys.",
                        width,
                    ) {
                        lines.push(Line::from(l));
                    }
                }
                lines.push(Line::from(
                    "Mouse: click a choice to pick it; the wheel scrolls.",
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
            OverlayKind::Record(title, text) => (
                format!("{title} (Esc closes)"),
                wrap(text, width).into_iter().map(Line::from).collect(),
            ),
        }
    }

    pub fn draw(&self, frame: &mut Frame, theme: Theme) {
        let (rect, rows) = window(frame.area());
        let (title, lines) = self.lines(rect.width.saturating_sub(2) as usize, theme);
        let max = lines.len().saturating_sub(rows);
        let top = self.scroll.min(max);
        let mut block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, theme.heading()));
        // Say where the rest is, in words, when it does not all fit.
        if top < max {
            block = block.title_bottom(Span::styled(" More below: Down or PgDn ", theme.muted()));
        } else if top > 0 {
            block = block.title_bottom(Span::styled(" The end: Up or PgUp ", theme.muted()));
        }
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(lines).scroll((top as u16, 0)).block(block),
            rect,
        );
    }
}

/// The window's place on the screen, and how many rows of text it shows.
fn window(area: Rect) -> (Rect, usize) {
    let width = area.width.saturating_sub(4).min(90);
    let height = area.height.saturating_sub(2);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 1,
        width,
        height,
    };
    (rect, height.saturating_sub(2) as usize)
}

/// A yes/no question in a box over the screen, such as "Leave this guide?". The keys are
/// written in the box, so the question never depends on the hint bar being read.
pub fn draw_question(frame: &mut Frame, question: &str, theme: Theme) {
    let area = frame.area();
    let width = area.width.saturating_sub(4).min(60);
    let text = wrap(question, width.saturating_sub(4) as usize);
    let height = (text.len() as u16 + 4).min(area.height);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    };
    let mut lines: Vec<Line> = text
        .into_iter()
        .map(|l| Line::from(Span::styled(format!(" {l}"), theme.heading())))
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::raw(" "),
        Span::styled("y", theme.key()),
        Span::raw(": yes    "),
        Span::styled("n", theme.key()),
        Span::raw(" or "),
        Span::styled("Esc", theme.key()),
        Span::raw(": no, stay here"),
    ]));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled("Please answer", theme.warning())),
        ),
        rect,
    );
}
