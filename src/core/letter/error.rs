//! The one error type of the letters module. Every variant says what to fix,
//! in words an adviser can act on, and names the file, field or template.

use std::path::PathBuf;

/// Anything that stops a letter from being loaded, composed or rendered.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    /// A TOML file could not be parsed (bad syntax, wrong type, unknown key).
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A file parsed but its content is not acceptable (all problems listed).
    #[error("{file}: {}", problems.join("; "))]
    Invalid { file: String, problems: Vec<String> },
    #[error("could not read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("there is no letter template called `{0}` (see `sanctuary letters list`)")]
    UnknownTemplate(String),
    #[error("there is no organisation called `{0}` (see `sanctuary letters list`)")]
    UnknownOrganisation(String),
    /// The request is not usable as it stands (e.g. a template sent to the wrong body).
    #[error("{0}")]
    Request(String),
    /// Details the chosen letter needs were not given; every one is named.
    #[error(
        "the `{template}` letter needs details that are missing:\n  - {}",
        list(missing)
    )]
    MissingFields {
        template: String,
        missing: Vec<MissingDetail>,
    },
    /// The template engine failed (a bug in a template, or an empty field).
    #[error("letter template `{template}`: {message}")]
    Template { template: String, message: String },
    /// The last check found something that looks like an unfilled placeholder.
    #[error("the `{template}` letter still contains an unfilled part: {snippet}")]
    Unfilled { template: String, snippet: String },
    /// The embedded font cannot show a character, so the PDF would be wrong.
    #[error(
        "the letter font cannot show {ch:?} (U+{code:04X}) in {text:?}; \
         write this part in Latin, Greek or Cyrillic letters (as on the person's ID)",
        code = *ch as u32
    )]
    UnsupportedCharacter { ch: char, text: String },
    #[error("could not build the PDF: {0}")]
    Pdf(String),
}

/// A detail a letter cannot be written without: which one (so a form can point at its
/// field) and the message saying how to give it on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingDetail {
    pub needed: Needed,
    pub message: String,
}

impl std::fmt::Display for MissingDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Which detail is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Needed {
    /// A name from a template's `requires`, e.g. `client.date_of_birth` or `adviser`.
    Requirement(String),
    /// The adviser, because replies are to go to the adviser.
    AdviserForReplies,
    /// The client's address, for the reply to come to.
    ClientAddressForReplies,
    /// The adviser's address.
    AdviserAddress,
    /// The body's own name (a police force, an employer...).
    RecipientName,
    /// The body's postal address, which the directory does not hold.
    RecipientAddress,
    /// The name of the body a complaint to the ICO is about.
    AboutName,
    /// The documents a specific Home Office request names.
    NamedDocuments,
}

fn list(missing: &[MissingDetail]) -> String {
    let messages: Vec<&str> = missing.iter().map(|m| m.message.as_str()).collect();
    messages.join("\n  - ")
}

/// Turns a toml error into [`LetterError::Parse`] with a 1-based line and column.
pub(crate) fn toml_error(file: &str, text: &str, err: &toml::de::Error) -> LetterError {
    let (line, column) = match err.span() {
        Some(span) => crate::guide::LineIndex::new(text).position(span.start),
        None => (1, 1),
    };
    LetterError::Parse {
        file: file.to_string(),
        line,
        column,
        message: err.message().trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_error_names_the_file_line_and_column() {
        let text = "name = \"A\"\nshoe_size = 9\n";
        let error = toml::from_str::<toml::Table>("x = ").unwrap_err();
        let LetterError::Parse { line, column, .. } = toml_error("c.toml", "x = ", &error) else {
            panic!("a parse error");
        };
        assert_eq!((line, column), (1, 5));
        let error = toml::from_str::<std::collections::BTreeMap<String, String>>(text).unwrap_err();
        let LetterError::Parse { line, .. } = toml_error("c.toml", text, &error) else {
            panic!("a parse error");
        };
        assert_eq!(line, 2);
    }
}
