//! Word wrapping by display width, so the screens can place and hit-test every line.

/// Wraps text to `width` columns (display width, by `textwrap`). Keeps line breaks and
/// blank lines; a line starting with "- " or "* " gets a hanging indent so list items
/// stay readable; a word longer than the line is cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    for raw_line in text.trim_end().lines() {
        let line = raw_line.trim_end();
        if line.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let bullet = line.trim_start().starts_with("- ") || line.trim_start().starts_with("* ");
        let first = " ".repeat(lead);
        let rest = " ".repeat(lead + if bullet { 2 } else { 0 });
        let options = textwrap::Options::new(width)
            .initial_indent(&first)
            .subsequent_indent(&rest)
            .break_words(true)
            // Keep addresses and dates such as 2021-12-15 whole where they fit.
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        out.extend(
            textwrap::wrap(line.trim_start(), options)
                .into_iter()
                .map(|l| l.trim_end().to_string()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use unicode_width::UnicodeWidthStr;

    use super::*;

    #[test]
    fn wraps_at_word_boundaries_within_width() {
        let lines = wrap("You do not need papers to register with a GP practice.", 20);
        assert!(lines.iter().all(|l| l.width() <= 20), "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "You do not need papers to register with a GP practice."
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
        assert!(lines.iter().all(|l| l.width() <= 12), "{lines:?}");
    }
}
