//! What a hand-out says: an outcome of a guide in the client's language, then in English.
//! Every fixed word comes from `ui-strings.toml` and its translations; the advice comes
//! from the guide and its translation file. A stale or missing translation is replaced by
//! the `stale` line, never by the old text; an unchecked one brings the `draft-banner`.

use chrono::NaiveDate;

use super::{Block, Handout, HandoutError, Language, Part};
use crate::guide::{Guide, Library, NodeKind, Outcome};
use crate::letter::AdviserDetails;
use crate::translation::risk_key;
use crate::translation::{self, Shown};

/// What a hand-out is made from.
pub struct HandoutRequest<'a> {
    pub guide: &'a str,
    pub outcome: &'a str,
    /// The client's language code (`ar`, `ti`...); `en` for an English-only hand-out.
    pub language: &'a str,
    /// The adviser's name, organisation and contact (as on the letters). Never the client's.
    pub adviser: Option<&'a AdviserDetails>,
    pub today: NaiveDate,
}

/// The English of the fixed lines, and the client's language when there is one.
struct Lines<'a> {
    english: Vec<(String, String)>,
    client: Option<&'a translation::Language>,
}

impl Lines<'_> {
    fn english(&self, key: &str) -> String {
        self.english
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, en)| en.clone())
            .unwrap_or_default()
    }
}

/// One side of the hand-out: English, or the client's language (whose texts may be
/// unchecked, stale or missing).
struct Side<'a> {
    lines: &'a Lines<'a>,
    language: Option<&'a translation::Language>,
    unchecked: bool,
}

impl Side<'_> {
    /// A guide field in this side's language.
    fn field(&mut self, guide: &str, key: &str, english: &str) -> String {
        let Some(language) = self.language else {
            return english.to_string();
        };
        self.shown(language.field(guide, key, english), language)
    }

    /// A fixed line in this side's language; a label with no current translation stays
    /// in English (current English is never old text).
    fn ui(&mut self, key: &str) -> String {
        let english = self.lines.english(key);
        let Some(language) = self.language else {
            return english;
        };
        match language.ui(key) {
            shown @ (Shown::Current(_) | Shown::Unchecked(_)) => self.shown(shown, language),
            Shown::Stale { .. } | Shown::Missing => english,
        }
    }

    fn shown(&mut self, shown: Shown, language: &translation::Language) -> String {
        match shown {
            Shown::Current(text) => text,
            Shown::Unchecked(text) => {
                self.unchecked = true;
                text
            }
            Shown::Stale { .. } | Shown::Missing => language.stale_line(),
        }
    }

    /// The blocks of this side.
    fn blocks(
        &mut self,
        guide: &Guide,
        outcome: (&str, &Outcome),
        request: &HandoutRequest,
    ) -> Vec<Block> {
        let (node, outcome) = outcome;
        // In digits, which readers of every script read (as the `handout-date` note asks).
        let date = request.today.format("%d/%m/%Y").to_string();
        let mut blocks = vec![
            Block::Title(self.ui("handout-title")),
            Block::Paragraph(self.ui("handout-date").replace("{date}", &date)),
            Block::Heading(self.field(&guide.id, &format!("{node}.title"), &outcome.title)),
            Block::Heading(self.ui("risk")),
            Block::Paragraph(self.ui(risk_key(outcome.risk))),
            Block::Heading(self.ui("outcome")),
            Block::Paragraph(self.field(&guide.id, &format!("{node}.advice"), &outcome.advice)),
        ];
        if !outcome.actions.is_empty() {
            blocks.push(Block::Heading(self.ui("next-steps")));
            let steps = outcome
                .actions
                .iter()
                .enumerate()
                .map(|(i, action)| {
                    self.field(
                        &guide.id,
                        &format!("{node}.action.{}", i + 1),
                        &action.label,
                    )
                })
                .collect();
            blocks.push(Block::List(steps));
        }
        if let Some(adviser) = request.adviser {
            blocks.push(Block::Heading(self.ui("handout-adviser")));
            blocks.push(Block::Paragraph(contact(adviser)));
        }
        blocks.push(Block::Paragraph(self.ui("handout-keep-safe")));
        blocks
    }
}

/// The adviser's name, role, organisation and how to reach them, one per line.
fn contact(adviser: &AdviserDetails) -> String {
    let mut lines = vec![adviser.name.clone()];
    lines.extend(adviser.role.clone());
    lines.extend(adviser.organisation.clone());
    let mut address = adviser.address.clone();
    address.extend(adviser.postcode.clone());
    if !address.is_empty() {
        lines.push(address.join(", "));
    }
    lines.extend(adviser.phone.clone());
    lines.extend(adviser.email.clone());
    lines.join("\n")
}

fn language_of(code: &str, direction: translation::Direction) -> Language {
    match direction {
        translation::Direction::Rtl => Language::right_to_left(code),
        translation::Direction::Ltr => Language::left_to_right(code),
    }
}

impl Handout {
    /// The hand-out for an outcome of a guide in the client's language (then English).
    pub fn for_outcome(
        library: &Library,
        request: &HandoutRequest,
    ) -> Result<Handout, HandoutError> {
        let guide = library
            .guide(request.guide)
            .ok_or_else(|| HandoutError::UnknownGuide(request.guide.to_string()))?;
        let outcome = guide
            .nodes
            .iter()
            .find_map(|node| match &node.kind {
                NodeKind::Outcome(outcome) if node.id == request.outcome => Some(outcome),
                _ => None,
            })
            .ok_or_else(|| HandoutError::UnknownOutcome {
                guide: guide.id.clone(),
                outcome: request.outcome.to_string(),
            })?;
        let translations = library.translations();
        let client = match request.language {
            "en" | "en-GB" => None,
            code => Some(
                translations
                    .language(code)
                    .ok_or_else(|| HandoutError::UnknownLanguage(code.to_string()))?,
            ),
        };
        let lines = Lines {
            english: translations.ui_strings().fields(),
            client,
        };
        let english_language = Language::left_to_right("en-GB");
        let mut english = Side {
            lines: &lines,
            language: None,
            unchecked: false,
        };
        let mut english_blocks = english.blocks(guide, (request.outcome, outcome), request);
        let title = lines.english("handout-title");
        let author = request
            .adviser
            .and_then(|a| a.organisation.clone())
            .unwrap_or_default();
        let Some(language) = lines.client else {
            return Ok(Handout {
                title,
                author,
                date: request.today,
                language: english_language.clone(),
                parts: vec![Part {
                    language: english_language,
                    blocks: english_blocks,
                }],
            });
        };
        let mut side = Side {
            lines: &lines,
            language: Some(language),
            unchecked: false,
        };
        let mut blocks = side.blocks(guide, (request.outcome, outcome), request);
        if side.unchecked {
            blocks.insert(1, Block::Notice(side.ui("draft-banner")));
            english_blocks.insert(1, Block::Notice(lines.english("draft-banner")));
        }
        blocks.push(Block::Notice(side.ui("english-counts")));
        blocks.push(Block::Paragraph(side.ui("handout-english-follows")));
        english_blocks.push(Block::Notice(lines.english("english-counts")));
        let client_language = language_of(&language.code, language.direction);
        Ok(Handout {
            title: format!("{} / {title}", side.ui("handout-title")),
            author,
            date: request.today,
            language: client_language.clone(),
            parts: vec![
                Part {
                    language: client_language,
                    blocks,
                },
                Part {
                    language: english_language,
                    blocks: english_blocks,
                },
            ],
        })
    }
}
