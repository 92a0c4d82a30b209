//! The organisations directory: who a letter can go to, how to reach them
//! (only where a source confirms it), and what the adviser must know.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

/// One body a request or complaint can go to.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Stable id shared with the guides, e.g. `home-office`.
    pub id: String,
    /// The name as the letter addresses it.
    pub name: String,
    /// How a sentence names the body, e.g. "the Home Office" (default: `name`).
    pub in_sentence: Option<String>,
    /// What the entry covers, in a few words (shown in `letters list`).
    pub covers: String,
    /// The template a request to this body normally uses.
    pub template: String,
    /// True only for the Home Office and its parts (the Secretary of State).
    #[serde(default)]
    pub immigration_exemption: bool,
    /// A competent authority whose law-enforcement data falls under DPA 2018 Part 3.
    #[serde(default)]
    pub law_enforcement: bool,
    /// For a generic entry: what the adviser must name, e.g. "the police force".
    pub name_needed: Option<String>,
    /// Where the adviser can find the address when none is confirmed here.
    pub address_help: Option<String>,
    #[serde(default, rename = "contact")]
    pub contacts: Vec<Contact>,
    /// Practical points the adviser must see before sending.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// How a contact detail is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactKind {
    Post,
    Email,
    OnlineForm,
    Phone,
    Website,
}

/// A confirmed contact detail, with where it came from and when it was checked.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub kind: ContactKind,
    /// What this route is for, e.g. "Requests about immigration records".
    pub label: Option<String>,
    /// Postal address lines, postcode last (for `post`).
    #[serde(default)]
    pub address: Vec<String>,
    /// Email address, web address or phone number (for the other kinds).
    pub value: Option<String>,
    pub source: String,
    #[serde(deserialize_with = "date")]
    pub checked: NaiveDate,
    /// Set false for a secondary route the letter should not be addressed to.
    #[serde(default = "yes")]
    pub primary: bool,
}

fn yes() -> bool {
    true
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let value = toml::Value::deserialize(d)?;
    let text = match &value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(dt) => dt.to_string(),
        _ => String::new(),
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
        serde::de::Error::custom(format!("expected a date written YYYY-MM-DD, found {value}"))
    })
}

impl Organisation {
    /// The confirmed postal address the letter is addressed to, if any.
    pub fn postal_address(&self) -> Option<&Contact> {
        self.contacts
            .iter()
            .find(|c| c.kind == ContactKind::Post && c.primary)
    }

    /// Problems with this entry (each a sentence); empty when it is sound.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let who = &self.id;
        if self.id.is_empty() || !self.id.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
            out.push(format!(
                "organisation id {who:?} must be lower-case letters and hyphens"
            ));
        }
        for contact in &self.contacts {
            match contact.kind {
                ContactKind::Post if contact.address.is_empty() => {
                    out.push(format!("{who}: a post contact needs address lines"))
                }
                ContactKind::Post => {}
                _ if contact.value.as_deref().is_none_or(|v| v.trim().is_empty()) => {
                    out.push(format!("{who}: a {:?} contact needs a value", contact.kind))
                }
                _ => {}
            }
            if contact.source.trim().is_empty() {
                out.push(format!("{who}: every contact detail needs a source"));
            }
        }
        if self.postal_address().is_none() && self.address_help.is_none() {
            out.push(format!(
                "{who}: with no confirmed postal address, say in address_help where the adviser finds it"
            ));
        }
        out
    }
}
