//! Plain-text rendering of a letter, for pasting into an email.

use super::compose::{Block, Letter};
use crate::calendar::dates::format_uk;

const WIDTH: usize = 72;

/// The letter as wrapped plain text (72 columns), same content as the PDF.
pub fn render_text(letter: &Letter) -> String {
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    for l in &letter.sender {
        line(l);
    }
    line("");
    for l in &letter.recipient {
        line(l);
    }
    line("");
    line(&format_uk(letter.date));
    for (label, value) in &letter.references {
        line(&format!("{label}: {value}"));
    }
    line("");
    line(&letter.salutation);
    line("");
    for l in wrap(&letter.subject, WIDTH) {
        line(&l);
    }
    line("");
    for block in &letter.blocks {
        match block {
            Block::Heading(h) => {
                line(h);
                line(&"-".repeat(h.chars().count().min(WIDTH)));
            }
            Block::Paragraph(p) => {
                for l in wrap(p, WIDTH) {
                    line(&l);
                }
            }
            Block::List(items) => {
                for item in items {
                    for (i, l) in wrap(item, WIDTH - 4).into_iter().enumerate() {
                        line(&format!("{}{l}", if i == 0 { "  - " } else { "    " }));
                    }
                }
            }
        }
        line("");
    }
    line(&letter.sign_off);
    line("");
    if letter.client_signs {
        line("Signed: ________________________   Date: ______________");
        line("");
    }
    for l in &letter.signature {
        line(l);
    }
    if !letter.enclosures.is_empty() {
        line("");
        line("Enclosures:");
        for e in &letter.enclosures {
            for (i, l) in wrap(e, WIDTH - 4).into_iter().enumerate() {
                line(&format!("{}{l}", if i == 0 { "  - " } else { "    " }));
            }
        }
    }
    out
}

/// Word wrap by display width (`textwrap`, as the app wraps). A word longer than the
/// line (an address on the web) is kept whole, so it still works when copied.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    textwrap::wrap(text, textwrap::Options::new(width).break_words(false))
        .into_iter()
        .map(|line| line.into_owned())
        .collect()
}
