//! Right-to-left text in a terminal. Terminals differ: most (xterm, tmux, Windows
//! Terminal) draw characters in the order they are stored, so Arabic-script text reads
//! backwards; a few (mlterm) reorder it themselves. Which one this machine is cannot be
//! detected, so the adviser is shown a sample both ways once and says which reads right
//! (design §6.3); the answer is kept in the settings as an `RtlDisplay`.

use serde::{Deserialize, Serialize};
use unicode_bidi::{BidiInfo, Level};
use unicode_segmentation::UnicodeSegmentation;

/// How right-to-left lines are drawn on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RtlDisplay {
    /// The app puts each line in display order (the terminal draws what it is given
    /// left to right).
    Reordered,
    /// The terminal reorders by itself: lines are sent in logical order.
    AsStored,
    /// Neither read right: right-to-left text stays out of the terminal, and the printed
    /// hand-out is the client's copy.
    Off,
}

impl RtlDisplay {
    /// What the settings screen says about the answer.
    pub fn describe(answer: Option<RtlDisplay>) -> &'static str {
        match answer {
            None => "not checked yet (asked the first time a right-to-left language is chosen)",
            Some(RtlDisplay::Reordered) => {
                "reordered by sanctuary (the sample read right that way)"
            }
            Some(RtlDisplay::AsStored) => {
                "drawn by the terminal itself (the sample read right as stored)"
            }
            Some(RtlDisplay::Off) => {
                "kept out of the terminal (neither read right): the printed hand-out is the client's copy"
            }
        }
    }
}

/// One line of text in display order, for a terminal that draws left to right: runs of
/// right-to-left text are reversed grapheme by grapheme (so a base letter keeps its
/// marks after it), left-to-right runs such as numbers and Latin words stay as they
/// are. The paragraph direction is right to left.
pub fn visual_order(line: &str) -> String {
    if line.is_empty() {
        return String::new();
    }
    let info = BidiInfo::new(line, Some(Level::rtl()));
    let mut out = String::with_capacity(line.len());
    for paragraph in &info.paragraphs {
        let (levels, runs) = info.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let text = &line[run.clone()];
            if levels[run.start].is_rtl() {
                // Reversed, a bracket must face the other way to enclose the same words.
                for grapheme in text.graphemes(true).rev() {
                    let mut chars = grapheme.chars();
                    match (chars.next().map(mirrored), chars.next()) {
                        (Some(Some(m)), None) => out.push(m),
                        _ => out.push_str(grapheme),
                    }
                }
            } else {
                out.push_str(text);
            }
        }
    }
    out
}

/// The mirror image of a paired punctuation mark, drawn reversed in right-to-left text.
fn mirrored(c: char) -> Option<char> {
    const PAIRS: [(char, char); 6] = [
        ('(', ')'),
        ('[', ']'),
        ('{', '}'),
        ('<', '>'),
        ('«', '»'),
        ('‹', '›'),
    ];
    PAIRS.iter().find_map(|&(open, close)| match c {
        _ if c == open => Some(close),
        _ if c == close => Some(open),
        _ => None,
    })
}

/// Whether a line holds any right-to-left letter.
pub fn has_rtl(text: &str) -> bool {
    use unicode_bidi::{BidiClass, bidi_class};
    text.chars()
        .any(|c| matches!(bidi_class(c), BidiClass::R | BidiClass::AL))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arabic_line_is_reversed_and_a_number_in_it_is_not() {
        // "call 111" with the Arabic word for "call" (اتصل) first in logical order.
        let logical = "اتصل 111";
        let shown = visual_order(logical);
        assert_eq!(shown, "111 لصتا");
    }

    #[test]
    fn marks_stay_after_their_letter() {
        // Beh with a fatha, then alef: the mark must follow beh after reordering.
        let logical = "\u{0628}\u{064E}\u{0627}";
        let shown = visual_order(logical);
        assert_eq!(shown, "\u{0627}\u{0628}\u{064E}");
    }

    #[test]
    fn latin_words_inside_keep_their_order() {
        let shown = visual_order("راجع GP الآن");
        assert!(shown.contains("GP"), "{shown}");
        assert!(shown.starts_with("نآلا"), "{shown}");
    }

    #[test]
    fn brackets_in_right_to_left_text_face_the_words_they_enclose() {
        // "job (GP)" in Arabic order: the bracket pair must still open before GP.
        let shown = visual_order("وظيفة (طبيب)");
        assert_eq!(shown, "(بيبط) ةفيظو");
    }

    #[test]
    fn right_to_left_letters_are_found() {
        assert!(has_rtl("سلام"));
        assert!(has_rtl("שלום"));
        assert!(!has_rtl("Tiếng Việt ትግርኛ 123"));
    }
}
