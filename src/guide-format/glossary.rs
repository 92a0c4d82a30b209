//! Plain-English meanings of terms a client may not know, looked up in the text on screen.

use serde::{Deserialize, Serialize};

use super::problem::{Problem, SourceMap};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub term: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub meaning: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Glossary {
    pub terms: Vec<Term>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    #[serde(default)]
    terms: Vec<Term>,
}

impl Glossary {
    pub fn parse(file: &str, text: &str) -> Result<Glossary, Problem> {
        toml::from_str::<RawGlossary>(text)
            .map(|raw| Glossary { terms: raw.terms })
            .map_err(|err| {
                SourceMap::new(file, text)
                    .error(err.span().map_or(0, |s| s.start), err.message().trim())
            })
    }

    /// The terms that appear in any of the texts, in glossary order.
    pub fn terms_in<'a>(&'a self, texts: &[&str]) -> Vec<&'a Term> {
        let haystack: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
        self.terms
            .iter()
            .filter(|term| {
                std::iter::once(&term.term)
                    .chain(&term.aliases)
                    .any(|name| {
                        haystack
                            .iter()
                            .any(|h| contains_word(h, &name.to_lowercase()))
                    })
            })
            .collect()
    }
}

/// Whether `needle` appears in `haystack` as whole words (not inside a longer word).
fn contains_word(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    haystack.match_indices(needle).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::parse(
            "glossary.toml",
            r#"
[[terms]]
term = "subject access request"
aliases = ["SAR"]
meaning = "A letter asking for your data."

[[terms]]
term = "GP"
meaning = "A family doctor."
"#,
        )
        .unwrap()
    }

    #[test]
    fn finds_terms_and_aliases_on_screen_case_insensitively() {
        let g = glossary();
        let found = g.terms_in(&["You can send a sar to the Home Office."]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].term, "subject access request");
    }

    #[test]
    fn does_not_match_inside_longer_words() {
        let g = glossary();
        assert!(g.terms_in(&["GPS tags record where you are."]).is_empty());
        assert_eq!(g.terms_in(&["Register with a GP."]).len(), 1);
    }

    #[test]
    fn unknown_key_is_reported_with_its_line() {
        let err = Glossary::parse(
            "glossary.toml",
            "[[terms]]\nterm = \"x\"\nmeaning = \"y\"\ncolour = 1\n",
        )
        .unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("colour"), "{}", err.message);
    }
}
