//! Word wrapping by display width, so the screens can place and hit-test every line.
//!
//! Widths are measured the way ratatui draws: grapheme by grapheme, each as wide as the
//! cells it takes in the buffer. Measuring a whole string at once gives other answers
//! (unicode-width counts the Arabic lam-alef pair `لا` as one column, ratatui, tmux and
//! glibc draw it in two), and a line planned with the narrower count is cut at the edge.

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

/// The columns `text` takes when ratatui draws it: the sum of its graphemes' cell widths.
/// Graphemes ratatui leaves out (control characters, zero-width ones) count nothing.
pub fn display_width(text: &str) -> usize {
    text.graphemes(true).map(grapheme_width).sum()
}

fn grapheme_width(grapheme: &str) -> usize {
    if grapheme.contains(char::is_control) {
        0
    } else {
        usize::from(grapheme.cell_width())
    }
}

/// Wraps text to `width` columns (display width as drawn). Keeps line breaks and blank
/// lines; a line starting with "- " or "* " gets a hanging indent so list items stay
/// readable; a word longer than the line is cut between graphemes. Words are separated
/// by spaces and lines filled first-fit.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    for raw_line in text.trim_end().lines() {
        let line = raw_line.trim_end();
        if line.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        let body = line.trim_start();
        let lead = line.len() - body.len();
        let bullet = body.starts_with("- ") || body.starts_with("* ");
        let indent = Indent {
            first: lead,
            rest: lead + if bullet { 2 } else { 0 },
        };
        out.extend(wrap_line(body, width, indent));
    }
    out
}

/// The spaces before a wrapped paragraph's first line and before the others.
#[derive(Clone, Copy)]
struct Indent {
    first: usize,
    rest: usize,
}

/// A word and the spaces after it, with their widths.
struct Word<'a> {
    text: &'a str,
    width: usize,
    spaces: usize,
}

/// The words of one line, split at runs of spaces.
fn words(line: &str) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let end = rest.find(' ').unwrap_or(rest.len());
        let (text, after) = rest.split_at(end);
        let spaces = after.len() - after.trim_start_matches(' ').len();
        words.push(Word {
            text,
            width: display_width(text),
            spaces,
        });
        rest = &after[spaces..];
    }
    words
}

/// Cuts a word wider than `room` into pieces that fit, between graphemes (a grapheme
/// wider than the room still goes on a line of its own).
fn break_word<'a>(word: Word<'a>, room: usize) -> Vec<Word<'a>> {
    if word.width <= room {
        return vec![word];
    }
    let mut pieces = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (at, grapheme) in word.text.grapheme_indices(true) {
        let w = grapheme_width(grapheme);
        if used + w > room && at > start {
            pieces.push(Word {
                text: &word.text[start..at],
                width: used,
                spaces: 0,
            });
            (start, used) = (at, 0);
        }
        used += w;
    }
    pieces.push(Word {
        text: &word.text[start..],
        width: used,
        spaces: word.spaces,
    });
    pieces
}

/// One paragraph line wrapped first-fit: a word goes on the current line when it fits
/// there with the spaces before it, else it starts the next.
fn wrap_line(body: &str, width: usize, indent: Indent) -> Vec<String> {
    let room = |first: bool| width.saturating_sub(if first { indent.first } else { indent.rest });
    let pieces: Vec<Word> = words(body)
        .into_iter()
        .flat_map(|w| break_word(w, room(false).max(1)))
        .collect();
    let mut lines = Vec::new();
    let mut line = " ".repeat(indent.first);
    let (mut used, mut pending_spaces) = (0, 0);
    for (i, word) in pieces.into_iter().enumerate() {
        if i > 0 && used + pending_spaces + word.width > room(lines.is_empty()) {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent.rest)));
            (used, pending_spaces) = (0, 0);
        }
        line.push_str(&" ".repeat(pending_spaces));
        line.push_str(word.text);
        used += pending_spaces + word.width;
        pending_spaces = word.spaces;
    }
    lines.push(line);
    lines
        .into_iter()
        .map(|l| l.trim_end().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::{Paragraph, Widget};

    use super::*;

    /// What ratatui draws for `line` in a row `width` cells wide, read back cell by cell.
    fn drawn(line: &str, width: u16) -> String {
        let area = Rect::new(0, 0, width, 1);
        let mut buffer = Buffer::empty(area);
        Paragraph::new(line).render(area, &mut buffer);
        // A wide grapheme's second cell is reset to a space: skip it.
        let mut shown = String::new();
        let mut x = 0;
        while x < width {
            let symbol = buffer[(x, 0)].symbol();
            shown.push_str(symbol);
            x += symbol.cell_width().max(1);
        }
        shown
    }

    /// Every wrapped line fits `width` as ratatui measures it, and ratatui draws all of
    /// it (no character cut at the edge).
    fn assert_fits_and_is_drawn_whole(text: &str, width: usize) -> Vec<String> {
        let lines = wrap(text, width);
        for line in &lines {
            assert!(
                display_width(line) <= width,
                "{line:?} is wider than {width}"
            );
            let shown = drawn(line, width as u16);
            assert_eq!(shown.trim_end(), line.as_str(), "ratatui cut {line:?}");
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let back: Vec<String> = lines
            .iter()
            .flat_map(|l| l.split_whitespace().map(String::from))
            .collect();
        assert_eq!(back, words, "no word lost or changed");
        lines
    }

    #[test]
    fn wraps_at_word_boundaries_within_width() {
        let lines = wrap("You do not need papers to register with a GP practice.", 20);
        assert!(lines.iter().all(|l| display_width(l) <= 20), "{lines:?}");
        assert_eq!(
            lines,
            [
                "You do not need",
                "papers to register",
                "with a GP practice."
            ]
        );
    }

    #[test]
    fn list_items_get_a_hanging_indent() {
        let lines = wrap("- one two three four five six", 14);
        assert_eq!(lines[0], "- one two");
        assert!(lines[1].starts_with("  "), "{lines:?}");
    }

    #[test]
    fn keeps_blank_lines_between_paragraphs() {
        assert_eq!(wrap("a\n\nb", 10), vec!["a", "", "b"]);
    }

    #[test]
    fn cuts_a_word_longer_than_the_line() {
        let lines = wrap("https://example.org/a/very/long/address", 12);
        assert!(lines.iter().all(|l| display_width(l) <= 12), "{lines:?}");
        assert_eq!(lines.concat(), "https://example.org/a/very/long/address");
    }

    /// Design finding 0.5: unicode-width measures `لا` in one column as a whole string,
    /// ratatui draws it in two. The wrap measures as ratatui draws.
    #[test]
    fn the_lam_alef_pair_is_two_columns_as_ratatui_draws_it() {
        use unicode_width::UnicodeWidthStr;
        assert_eq!("لا".width(), 1, "the whole-string count this module avoids");
        assert_eq!(display_width("لا"), 2);
        assert_eq!(drawn("لا", 4).trim_end().chars().count(), 2);
    }

    #[test]
    fn arabic_with_many_lam_alef_pairs_wraps_without_being_cut() {
        // Every word holds a lam-alef pair, so a whole-string count would plan each
        // line several columns too narrow.
        let text = "لا الإعلان لا السلام الاستقلال لا الأطلال لا الأعلام الإسلام";
        for width in [10, 12, 17, 23, 30] {
            assert_fits_and_is_drawn_whole(text, width);
        }
        let lines = wrap(text, 17);
        assert!(lines.len() >= 4, "{lines:?}");
    }

    #[test]
    fn geez_wraps_by_syllables_one_column_each() {
        let text = "እዚ ክፋል እዚ ተቐይሩ እዩ። በጃኹም ንኣማኻሪኹም ሕተቱ።";
        assert_eq!(display_width("ትግርኛ"), 4);
        for width in [8, 11, 16, 25] {
            assert_fits_and_is_drawn_whole(text, width);
        }
    }

    #[test]
    fn vietnamese_stacked_marks_take_no_column_of_their_own() {
        // "ế" written as e + circumflex + acute (decomposed) is one grapheme, one column.
        let decomposed = "Tie\u{302}\u{301}ng Vie\u{323}\u{302}t";
        assert_eq!(display_width(decomposed), 10);
        let text = "Phần này đã thay đổi và chưa được dịch. Xin hỏi người tư vấn của bạn.";
        for width in [8, 13, 20, 33] {
            assert_fits_and_is_drawn_whole(text, width);
        }
        assert_fits_and_is_drawn_whole(&format!("{decomposed} {decomposed} {decomposed}"), 12);
    }

    /// A character-by-character count (textwrap's) gives an emoji with its presentation
    /// selector one column; ratatui draws it in two.
    #[test]
    fn an_emoji_presentation_sequence_is_measured_as_drawn() {
        assert_eq!(textwrap::core::display_width("\u{2764}\u{fe0f}"), 1);
        assert_eq!(display_width("\u{2764}\u{fe0f}"), 2);
        let text = "ok \u{2764}\u{fe0f}\u{2764}\u{fe0f}\u{2764}\u{fe0f} ok \u{2764}\u{fe0f}\u{2764}\u{fe0f}";
        assert_fits_and_is_drawn_whole(text, 8);
    }

    #[test]
    fn a_long_arabic_word_is_cut_between_graphemes() {
        let word = "لالالالالالالالالالا";
        let lines = wrap(word, 8);
        assert!(lines.iter().all(|l| display_width(l) <= 8), "{lines:?}");
        assert_eq!(lines.concat(), word);
    }
}
