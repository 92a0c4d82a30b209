//! What the client was shown in their language during a run, for the advice record, which
//! stays English: the language, and which parts were shown as "not translated yet".

use std::collections::BTreeSet;

use super::{Language, Shown};

/// The client's language in one run, and the parts (`<guide>:<key>`) shown instead as the
/// fixed `stale` line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ShownInLanguage {
    pub code: String,
    /// The language's own name.
    pub name: String,
    /// Parts whose English changed since they were translated.
    pub stale: BTreeSet<String>,
    /// Parts with no translation.
    pub missing: BTreeSet<String>,
    /// Whether any part shown translated was not checked by a fluent person.
    pub unchecked: bool,
}

impl ShownInLanguage {
    pub fn new(language: &Language) -> ShownInLanguage {
        ShownInLanguage {
            code: language.code.clone(),
            name: language.name.clone(),
            stale: BTreeSet::new(),
            missing: BTreeSet::new(),
            unchecked: false,
        }
    }

    /// What to show the client for a field (see [`Language::field`]), noted for the record.
    pub fn show(&mut self, language: &Language, guide: &str, key: &str, english: &str) -> Shown {
        let shown = language.field(guide, key, english);
        let part = format!("{guide}:{key}");
        match &shown {
            Shown::Stale { .. } => {
                self.stale.insert(part);
            }
            Shown::Missing => {
                self.missing.insert(part);
            }
            Shown::Unchecked(_) => self.unchecked = true,
            Shown::Current(_) => {}
        }
        shown
    }

    /// The advice record's line (in English) saying what the client was shown.
    pub fn record_line(&self) -> String {
        let mut line = format!("Shown to the client in {} ({})", self.name, self.code);
        if self.stale.is_empty() && self.missing.is_empty() {
            line.push_str("; every part shown was translated.");
        } else {
            let list =
                |parts: &BTreeSet<String>| parts.iter().cloned().collect::<Vec<_>>().join(", ");
            line.push_str("; shown as \"not translated yet\" instead:");
            if !self.stale.is_empty() {
                line.push_str(&format!(
                    " stale (the English changed): {};",
                    list(&self.stale)
                ));
            }
            if !self.missing.is_empty() {
                line.push_str(&format!(" missing: {};", list(&self.missing)));
            }
            line.pop();
            line.push('.');
        }
        if self.unchecked {
            line.push_str(" Some of the translation shown was not checked by a fluent speaker.");
        }
        line
    }
}
