//! The structure of a tagged PDF (PDF/UA-1): what each piece of text is (a heading, a
//! paragraph, a list item and its label, an address block) and which language it is in, so
//! a screen reader can read a letter in order, with its headings and lists, in the right
//! voice.
//!
//! # For a document in more than one language
//! A letter is in British English ([`Languages::default`]): the PDF catalogue says
//! `/Lang (en-GB)`. A hand-out in the client's language sets
//! [`Letter::languages`](super::Letter::languages):
//! - `document`: the language most of the document is in (the catalogue's `/Lang`);
//! - `blocks`: the blocks, by their index in [`Letter::blocks`](super::Letter::blocks),
//!   that are in another language. Each of their structure elements (heading, paragraph,
//!   list) carries its own `/Lang`, and a screen reader switches voice there.
//!
//! A [`Language`] also says which way its script runs ([`Direction`]). The PDF renderer
//! aligns a right-to-left block on the right margin, but does not yet shape scripts that
//! join or reorder letters (Arabic, Hebrew, Indic scripts): it refuses them with
//! [`LetterError::UnsupportedCharacter`](super::LetterError::UnsupportedCharacter) rather
//! than print them wrongly.

use std::collections::BTreeMap;

/// The way a script runs along a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    LeftToRight,
    RightToLeft,
}

/// A natural language, as a BCP 47 tag (`en-GB`, `uk`, `pl`, `ar`), and its direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub tag: String,
    pub direction: Direction,
}

impl Language {
    /// A language written left to right.
    pub fn left_to_right(tag: &str) -> Self {
        Language {
            tag: tag.to_string(),
            direction: Direction::LeftToRight,
        }
    }

    /// A language written right to left.
    pub fn right_to_left(tag: &str) -> Self {
        Language {
            tag: tag.to_string(),
            direction: Direction::RightToLeft,
        }
    }
}

/// The languages of one document: its own, and any block's that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Languages {
    /// The language of the document as a whole (the catalogue's `/Lang`).
    pub document: Language,
    /// Blocks in another language, keyed by their index in `Letter::blocks`.
    pub blocks: BTreeMap<usize, Language>,
}

impl Default for Languages {
    fn default() -> Self {
        Languages {
            document: Language::left_to_right("en-GB"),
            blocks: BTreeMap::new(),
        }
    }
}

impl Languages {
    /// The language of block `index` where it differs from the document's.
    pub fn of_block(&self, index: usize) -> Option<&Language> {
        self.blocks
            .get(&index)
            .filter(|language| **language != self.document)
    }

    /// The direction block `index` is written in.
    pub fn direction_of_block(&self, index: usize) -> Direction {
        self.blocks.get(&index).unwrap_or(&self.document).direction
    }
}

/// Standard structure types of ISO 32000-1 (14.8.4) that letters use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Document,
    /// A group of lines that belong together: an address block, the signature.
    Div,
    Paragraph,
    /// The subject line: the letter's title.
    Heading1,
    Heading2,
    List,
    ListItem,
    /// A list item's bullet.
    Label,
    ListBody,
}

impl Role {
    pub(crate) fn pdf_name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::Div => "Div",
            Role::Paragraph => "P",
            Role::Heading1 => "H1",
            Role::Heading2 => "H2",
            Role::List => "L",
            Role::ListItem => "LI",
            Role::Label => "Lbl",
            Role::ListBody => "LBody",
        }
    }
}

/// One structure element. Elements are kept in reading order: a parent before its children.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub(crate) role: Role,
    pub(crate) parent: Option<usize>,
    pub(crate) language: Option<Language>,
    /// A title for a group (`/T`), e.g. "Sender's address".
    pub(crate) title: Option<&'static str>,
    /// The element's text in logical order (`/ActualText`), where the page draws it in
    /// another order (right-to-left text).
    pub(crate) actual_text: Option<String>,
}

/// The structure tree of one document, built in reading order. Element 0 is the Document.
#[derive(Debug, Clone)]
pub(crate) struct StructureTree {
    pub(crate) elements: Vec<Element>,
}

impl StructureTree {
    pub(crate) const DOCUMENT: usize = 0;

    pub(crate) fn new() -> Self {
        StructureTree {
            elements: vec![Element {
                role: Role::Document,
                parent: None,
                language: None,
                title: None,
                actual_text: None,
            }],
        }
    }

    /// Adds an element under `parent`; returns its index.
    pub(crate) fn add(&mut self, role: Role, parent: usize) -> usize {
        self.elements.push(Element {
            role,
            parent: Some(parent),
            language: None,
            title: None,
            actual_text: None,
        });
        self.elements.len() - 1
    }

    /// Adds an element with a language of its own (none when it is the document's).
    pub(crate) fn add_in(
        &mut self,
        role: Role,
        parent: usize,
        language: Option<&Language>,
    ) -> usize {
        let index = self.add(role, parent);
        self.elements[index].language = language.cloned();
        index
    }

    /// Adds a titled group.
    pub(crate) fn add_group(&mut self, title: &'static str, parent: usize) -> usize {
        let index = self.add(Role::Div, parent);
        self.elements[index].title = Some(title);
        index
    }
}
