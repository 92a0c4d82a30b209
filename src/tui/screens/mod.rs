//! One module a screen: each has its own state, handles the actions meant for it, and draws
//! itself. Screens tell the app what should happen next through a `Transition`.

pub mod bilingual;
pub mod casework;
pub mod client_form;
pub mod client_page;
pub mod confirm;
pub mod home;
pub mod language;
pub mod letter;
pub mod overlay;
pub mod records;
pub mod review;
pub mod runner;
pub mod settings;
pub mod status;
pub mod summary;
pub mod translated;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use std::collections::BTreeMap;

use letter::LetterTarget;
use sanctuary::guide::engine::RunSummary;

use super::action::Action;
use super::keys::{Context, HINT_WIDTH, hints};
use super::theme::Theme;

/// What a screen asks the app to do after an action.
#[derive(Debug)]
pub enum Transition {
    Stay,
    Home,
    Summary(Box<RunSummary>),
    BackToRunner,
    QuitApp,
    Status(String),
    /// Open the letter form for these letters, with the facts the guide gathered.
    WriteLetters(Vec<LetterTarget>, BTreeMap<String, String>),
    /// Show a record (a letter or an advice record) to read: its title and text.
    Read(String, String),
    /// The letter form needs the case store (opened first if it is locked).
    NeedStore(letter::StoreNeed),
}

/// Lines for a scrolling panel, with the line ranges of the selectable items in it.
#[derive(Debug, Default)]
pub struct Panel {
    pub lines: Vec<Line<'static>>,
    /// (first line, one past the last line) of each selectable item.
    pub items: Vec<(usize, usize)>,
    /// Further lines that stand for an item, as (first line, one past the last, item):
    /// the same choice in a second language, which a click picks too.
    pub copies: Vec<(usize, usize, usize)>,
}

impl Panel {
    pub fn push(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    pub fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    /// Adds one selectable item made of these lines.
    pub fn item(&mut self, lines: Vec<Line<'static>>) {
        let start = self.lines.len();
        self.lines.extend(lines);
        self.items.push((start, self.lines.len()));
    }

    /// The first line to show so that the selected item is in view, starting from the
    /// scroll the person chose.
    pub fn scroll_for(&self, height: usize, selected: Option<usize>, wanted: usize) -> usize {
        let max = self.lines.len().saturating_sub(height);
        let mut top = wanted.min(max);
        if let Some(&(start, end)) = selected.and_then(|s| self.items.get(s)) {
            if end > top + height {
                top = end.saturating_sub(height);
            }
            if start < top {
                top = start;
            }
        }
        top.min(max)
    }

    /// Which item is drawn at `row` (0-based within the panel) when scrolled to `top`.
    pub fn item_at(&self, row: usize, top: usize) -> Option<usize> {
        let line = top + row;
        self.items
            .iter()
            .position(|&(s, e)| (s..e).contains(&line))
            .or_else(|| {
                self.copies
                    .iter()
                    .find(|&&(s, e, _)| (s..e).contains(&line))
                    .map(|&(_, _, item)| item)
            })
    }
}

/// The header, body and hint bar every screen has.
pub fn frame_areas(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// The hint bar: the most important keys for this context, straight from the key table,
/// fitting 80 columns; help lists the rest.
pub fn hint_line(context: Context, theme: Theme, status: Option<&str>) -> Line<'static> {
    if let Some(status) = status {
        return Line::from(Span::styled(status.to_string(), theme.warning()));
    }
    let mut spans = Vec::new();
    for (i, (key, hint)) in hints(context, HINT_WIDTH).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(key.to_string(), theme.key()));
        spans.push(Span::raw(format!(" {hint}")));
    }
    Line::from(spans)
}

/// Lines after a number such as "> 2. ": the number on the first line, as many spaces on
/// the others, so a wrapped choice hangs under its first word.
pub fn after_number(
    number: &str,
    lines: Vec<String>,
    style: ratatui::style::Style,
) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let lead = if i == 0 {
                number.to_string()
            } else {
                " ".repeat(number.len())
            };
            Line::from(vec![Span::raw(lead), Span::styled(l, style)])
        })
        .collect()
}

/// Draws `lines` wrapped in a bordered box titled `title` across the foot of `area`, as
/// tall as the wrapped lines need (at most all of `area`), over what was drawn there.
pub fn draw_dialog_at_foot(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>) {
    let inner = usize::from(area.width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let dialog = Rect {
        y: area.y + area.height - height,
        height,
        ..area
    };
    frame.render_widget(Clear, dialog);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(title)),
        dialog,
    );
}

/// Scrolls a text that shows `rows` lines at a time and whose top line can be at most
/// `max`: a line (arrows and wheel), a page less one line, the top or the bottom. The
/// scroll is kept within `max` whatever the action; false for an action that does not
/// scroll.
pub fn scroll_text(scroll: &mut usize, action: Action, rows: usize, max: usize) -> bool {
    let page = rows.max(2) - 1;
    *scroll = (*scroll).min(max);
    match action {
        Action::Up | Action::ScrollUp => *scroll = scroll.saturating_sub(1),
        Action::Down | Action::ScrollDown => *scroll = (*scroll + 1).min(max),
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::PageDown => *scroll = (*scroll + page).min(max),
        Action::Top => *scroll = 0,
        Action::Bottom => *scroll = max,
        _ => return false,
    }
    true
}

/// Whether a point is inside a rectangle.
pub fn contains(area: Rect, column: u16, row: u16) -> bool {
    column >= area.x && column < area.x + area.width && row >= area.y && row < area.y + area.height
}

/// Creates a file that must not exist yet, owner-only and all or nothing.
pub fn write_new_private(
    path: &std::path::Path,
    bytes: &[u8],
) -> Result<std::path::PathBuf, sanctuary::files::WriteError> {
    sanctuary::files::write_private(path, bytes, sanctuary::files::Overwrite::Never)
}

/// Whether a form's field is the one being filled in, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    No,
    /// Focused, but chosen with keys or from a list rather than typed.
    Chosen,
    /// Being typed into, with the cursor here.
    Typing(crate::tui::line_edit::Cursor),
}

impl Focus {
    /// The focus of a typed field: typing at `cursor` when `focused`.
    pub fn typing(focused: bool, cursor: crate::tui::line_edit::Cursor) -> Focus {
        if focused {
            Focus::Typing(cursor)
        } else {
            Focus::No
        }
    }

    /// The focus of a chosen field.
    pub fn chosen(focused: bool) -> Focus {
        if focused { Focus::Chosen } else { Focus::No }
    }
}

/// One field of a form as a line: the marker, the label and the value. The focused
/// field's value scrolls sideways to keep the cursor in view (a `…` where it carries
/// on) and shows the cursor as a reversed cell; other values are cut at the edge.
pub fn field_line(
    label: &str,
    value: &str,
    focus: Focus,
    width: usize,
    theme: Theme,
) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    let focused = focus != Focus::No;
    let label = format!("{label}:");
    let label_style = if focused {
        theme.selected()
    } else {
        theme.heading()
    };
    let mut spans = vec![
        Span::raw(if focused { "> " } else { "  " }),
        Span::styled(label.clone(), label_style),
        Span::raw(" "),
    ];
    let room = width.saturating_sub(3 + label.width());
    let Focus::Typing(cursor) = focus else {
        spans.push(Span::raw(value.to_string()));
        return Line::from(spans);
    };
    let room = room.max(12);
    let (shown, at) = crate::tui::line_edit::visible(value, cursor, room);
    let mut before = String::new();
    let mut under = None;
    let mut after = String::new();
    let mut col = 0;
    for c in shown.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if col < at {
            before.push(c);
        } else if under.is_none() && col == at {
            under = Some(c);
        } else {
            after.push(c);
        }
        col += w;
    }
    let cursor_style =
        ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::REVERSED);
    spans.push(Span::raw(before));
    match under {
        Some(c) => spans.push(Span::styled(c.to_string(), cursor_style)),
        // At the end: an underscore that shows without colour or reverse video too.
        None => spans.push(Span::styled("_", cursor_style)),
    }
    spans.push(Span::raw(after));
    Line::from(spans)
}
