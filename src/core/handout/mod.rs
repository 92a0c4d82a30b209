//! The client's hand-out (issue 22): a PDF with an outcome's advice and next steps in the
//! client's language and then in English, shaped (Arabic joining and marks, Ge'ez,
//! Vietnamese stacked diacritics), laid out right to left where the script runs that way,
//! tagged (PDF/UA-1 structure, each part's language) and with copy-and-paste giving the
//! logical text. It carries the organisation's contact, never the client's name.

mod content;
mod fonts;
mod layout;
mod shape;
mod write;

use chrono::NaiveDate;
use thiserror::Error;

pub use crate::letter::{Direction, Language};
pub use content::HandoutRequest;
pub use fonts::font_covers;

use crate::letter::LetterError;
use crate::letter::pdf_file::Description;

/// What goes wrong making a hand-out.
#[derive(Debug, Error)]
pub enum HandoutError {
    #[error("the hand-out font {0} could not be read")]
    Font(&'static str),
    #[error(
        "the hand-out fonts have no glyph for {ch:?} (U+{:04X}, looked for in {font}); \
         check the translation for a mistyped character",
        u32::from(*ch)
    )]
    MissingGlyph { ch: char, font: &'static str },
    #[error("there is no guide `{0}`; `sanctuary guides list` lists the guides")]
    UnknownGuide(String),
    #[error(
        "the guide `{guide}` has no outcome `{outcome}`; `sanctuary guides graph {guide}` shows its outcomes"
    )]
    UnknownOutcome { guide: String, outcome: String },
    #[error(
        "there are no translations in the language `{0}`; `sanctuary translations status` lists the languages (use `en` for English only)"
    )]
    UnknownLanguage(String),
    #[error("the hand-out PDF could not be written: {0}")]
    Pdf(String),
}

impl From<LetterError> for HandoutError {
    fn from(error: LetterError) -> Self {
        HandoutError::Pdf(error.to_string())
    }
}

/// A piece of a hand-out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The hand-out's title (one per part).
    Title(String),
    Heading(String),
    Paragraph(String),
    /// A line that must stand out (the unchecked-translation banner), set in bold.
    Notice(String),
    List(Vec<String>),
}

/// The blocks of a hand-out in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub language: Language,
    pub blocks: Vec<Block>,
}

/// A hand-out ready to print: its parts in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handout {
    /// The title shown in the viewer's window bar.
    pub title: String,
    /// Who made it (the organisation).
    pub author: String,
    pub date: NaiveDate,
    /// The language of the document as a whole: the client's.
    pub language: Language,
    pub parts: Vec<Part>,
}

/// Renders the hand-out as a tagged A4 PDF with its fonts embedded as subsets.
pub fn render_handout(handout: &Handout) -> Result<Vec<u8>, HandoutError> {
    let fonts = fonts::fonts()?;
    let (pages, tree) = layout::lay_out(fonts, handout)?;
    let description = Description {
        title: &handout.title,
        author: &handout.author,
        subject: &handout.title,
        date: handout.date,
        language: &handout.language,
    };
    write::write_pdf(fonts, &pages, &tree, &description)
}

#[cfg(test)]
mod tests;
