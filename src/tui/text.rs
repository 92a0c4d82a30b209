//! Word wrapping by display width, so the screens can place and hit-test every line.

use unicode_width::UnicodeWidthStr;

/// Wraps text to `width` columns. Keeps line breaks and blank lines; a line starting with
/// "- " or "* " gets a hanging indent so list items stay readable.
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
        let indent = " ".repeat(lead + if bullet { 2 } else { 0 });
        let mut current = " ".repeat(lead);
        let mut first = true;
        for word in line.split_whitespace() {
            let pending = if current.trim().is_empty() { 0 } else { 1 };
            if current.trim().is_empty() && !first {
                current = indent.clone();
            }
            if current.width() + pending + word.width() > width && !current.trim().is_empty() {
                out.push(std::mem::take(&mut current));
                current = indent.clone();
            }
            if !current.trim().is_empty() {
                current.push(' ');
            }
            // A single word longer than the line is cut into pieces.
            let mut word = word.to_string();
            while current.width() + word.width() > width && word.chars().count() > 1 {
                let room = width.saturating_sub(current.width()).max(1);
                let head: String = word.chars().take(room).collect();
                let tail: String = word.chars().skip(room).collect();
                current.push_str(&head);
                out.push(std::mem::take(&mut current));
                current = indent.clone();
                word = tail;
            }
            current.push_str(&word);
            first = false;
        }
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
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
