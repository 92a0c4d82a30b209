//! Plain mode in the client's language (`guide run ID --plain --language CODE`): after each
//! English block, `[<the language's own name>]` and the same step translated, in logical
//! order (screen readers and pipes expect it; nothing is reordered here). A part whose English
//! changed since it was translated, or that has no translation, is shown as the fixed `stale`
//! line, never as its old text. The first unchecked translation shown brings the
//! `draft-banner` once.

use std::io::{self, Write};

use sanctuary::guide::{Guide, NodeKind};
use sanctuary::translation::risk_key;
use sanctuary::translation::{Language, Shown, ShownInLanguage, node_fields};

/// The client's language for one plain-mode run.
pub struct ClientBlock<'a> {
    language: &'a Language,
    /// What was shown, for the record line.
    pub shown: ShownInLanguage,
    banner_shown: bool,
}

/// The lines of one translated block, and whether any of them is an unchecked translation.
pub struct Lines {
    lines: Vec<String>,
    unchecked: bool,
}

impl<'a> ClientBlock<'a> {
    pub fn new(language: &'a Language) -> ClientBlock<'a> {
        ClientBlock {
            shown: ShownInLanguage::new(language),
            language,
            banner_shown: false,
        }
    }

    /// The text to show for one field, noted for the record.
    fn field(&mut self, guide: &str, key: &str, english: &str, unchecked: &mut bool) -> String {
        match self.shown.show(self.language, guide, key, english) {
            Shown::Current(text) => text.trim().to_string(),
            Shown::Unchecked(text) => {
                *unchecked = true;
                text.trim().to_string()
            }
            Shown::Stale { .. } | Shown::Missing => self.language.stale_line(),
        }
    }

    /// The guide's title and summary.
    pub fn intro(&mut self, guide: &Guide) -> Lines {
        let mut unchecked = false;
        let lines = vec![
            self.field(&guide.id, "guide.title", &guide.title, &mut unchecked),
            self.field(&guide.id, "guide.summary", &guide.summary, &mut unchecked),
        ];
        Lines { lines, unchecked }
    }

    /// One step: a question's text and numbered choices (the numbers are the English
    /// ones), an info's text, or an outcome's title, risk, advice and next steps.
    pub fn step(&mut self, guide: &Guide, node: &sanctuary::guide::Node) -> Lines {
        let mut unchecked = false;
        let mut texts: Vec<(String, String)> = node_fields(node)
            .into_iter()
            .map(|(key, english)| {
                let text = self.field(&guide.id, &key, &english, &mut unchecked);
                (key, text)
            })
            .collect();
        let mut lines = Vec::new();
        match &node.kind {
            NodeKind::Question { .. } | NodeKind::Info { .. } => {
                let text = texts.remove(0).1;
                lines.push(text);
                lines.extend(
                    texts
                        .iter()
                        .enumerate()
                        .map(|(i, (_, t))| format!("  {}. {t}", i + 1)),
                );
            }
            NodeKind::Outcome(outcome) => {
                let label = |key: &str| self.language.ui_line(key);
                lines.push(format!("{}: {}", label("outcome"), texts[0].1));
                lines.push(format!(
                    "{}: {}",
                    label("risk"),
                    label(risk_key(outcome.risk))
                ));
                lines.push(texts[1].1.clone());
                if texts.len() > 2 {
                    lines.push(format!("{}:", label("next-steps")));
                    lines.extend(texts[2..].iter().map(|(_, t)| format!("  - {t}")));
                }
                lines.push(label("english-counts"));
            }
        }
        Lines { lines, unchecked }
    }

    /// Writes `[name]`, the draft banner the first time an unchecked translation is shown,
    /// and the lines.
    pub fn write(&mut self, out: &mut impl Write, block: Lines) -> io::Result<()> {
        writeln!(out, "[{}]", self.language.name)?;
        if block.unchecked && !self.banner_shown {
            self.banner_shown = true;
            writeln!(out, "{}", self.language.ui_line("draft-banner"))?;
        }
        for line in block.lines {
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}
