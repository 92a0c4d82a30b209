//! Subject access request letters (issue 7): the organisations directory,
//! letter templates, client details, composing a letter, and rendering it
//! as a PDF or as plain text. The TUI and CLI are clients of this module.

mod catalogue;
mod client;
mod compose;
mod error;
mod exemption;
pub(crate) mod font_file;
mod organisation;
mod pdf;
pub(crate) mod pdf_file;
pub(crate) mod pdf_objects;
pub(crate) mod pdf_pages;
pub(crate) mod tagging;
mod template;
mod text;
mod validate;
pub mod wording;

pub use catalogue::{AddressNote, Catalogue, TEMPLATE_IDS};
pub use client::{
    AdviserDetails, ClientDetails, Field, FieldProblem, MAX_DETAILS_FILE_BYTES, MAX_LINE_CHARS,
    MAX_LIST_ITEMS, ReplyTo, normalise_nhs_number, normalise_ni_number, normalise_postcode,
    text_problem,
};
pub use compose::{
    ADDRESS_KNOWN_TO_BODY, Block, HomeOfficeRequestType, Letter, LetterRequest,
    MAX_NAMED_DOCUMENTS, PreviousReply, PreviousRequest, compose,
};
pub use error::{LetterError, MissingDetail, Needed};
pub use exemption::{ExemptionCase, ExemptionNote, ExemptionWording};
pub use organisation::{Contact, ContactKind, Organisation};
pub use pdf::{render_pdf, render_pdfs};
pub use tagging::{Direction, Language, Languages};
pub use template::{LetterKind, LetterTemplate};
pub use text::render_text;
pub use validate::{LetterProblem, validate_dir};

#[cfg(test)]
mod pdf_tests;
#[cfg(test)]
mod tests;
