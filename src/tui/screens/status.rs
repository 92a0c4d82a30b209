//! The bottom of a screen when it has something to say: the message wrapped to the
//! width (a file's full path, a missing detail) rather than cut at the edge.
//!
//! Lines break at spaces only, never at a hyphen, so a file name is not split where it
//! could be misread; a path longer than the line is cut at the edge and carries on below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::hint_line;
use crate::tui::keys::Context;
use crate::tui::theme::Theme;

/// The message as lines of at most `width` columns, keeping its own line breaks.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let options = textwrap::Options::new(width.max(8))
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true);
    text.lines()
        .flat_map(|line| textwrap::wrap(line, &options))
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// The header, body and bottom bar; the bottom bar is tall enough for the message
/// wrapped to the width (up to half the screen).
pub fn areas(area: Rect, status: Option<&str>) -> [Rect; 3] {
    let lines = status.map_or(1, |s| wrap(s, area.width as usize).len().max(1));
    let most = (area.height / 2).max(1) as usize;
    let height = u16::try_from(lines.min(most)).unwrap_or(1);
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(height),
    ])
    .areas(area)
}

/// Draws the bottom bar in `area`: the message, or the keys for this context.
pub fn draw_bottom(
    frame: &mut Frame,
    area: Rect,
    context: Context,
    theme: Theme,
    status: Option<&str>,
) {
    let lines = bottom_lines(context, theme, status, area.width);
    frame.render_widget(Paragraph::new(lines), area);
}

/// The message wrapped to `width`, or the keys for this context when there is none.
pub fn bottom_lines(
    context: Context,
    theme: Theme,
    status: Option<&str>,
    width: u16,
) -> Vec<Line<'static>> {
    match status {
        Some(status) => wrap(status, width as usize)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.warning())))
            .collect(),
        None => vec![hint_line(context, theme, None)],
    }
}
