//! The organisations directory: who a letter can go to, how to reach them
//! (only where a source confirms it), and what the adviser must know.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use super::template::{IDENTIFIERS, home_office_only};

/// What a body may be sent when its entry does not say: enough to find the
/// records, and nothing that only the Home Office should see.
pub const DEFAULT_MAY_RECEIVE: &[&str] =
    &["other_names", "date_of_birth", "address", "email", "phone"];

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
    /// A Secretary of State's department or agency other than the Home Office
    /// (DWP, DVLA, DfE): whether it may rely on the immigration exemption is
    /// untested, so its letters ask whether it relies on any exemption and, if on
    /// para 4, to apply paras 4A and 4B. Never with `immigration_exemption`.
    #[serde(default)]
    pub immigration_exemption_untested: bool,
    /// A competent authority whose law-enforcement data falls under DPA 2018 Part 3.
    #[serde(default)]
    pub law_enforcement: bool,
    /// The client identifiers (besides the full name) a letter to this body may
    /// carry; [`DEFAULT_MAY_RECEIVE`] when the entry does not say.
    pub may_receive: Option<Vec<String>>,
    /// Identifiers it may be sent only with the client's agreement: each names
    /// the fact that must be `"yes"`, e.g. `home_office_ref = "share_home_office_ref"`.
    #[serde(default)]
    pub may_receive_with_consent: BTreeMap<String, String>,
    /// The letter can go through the body's online form: with no postal address
    /// given, the address block names the form instead.
    #[serde(default)]
    pub by_online_form: bool,
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
    /// Set false for a detail kept although its source may be out of date
    /// (never primary; the label says to check current guidance).
    #[serde(default = "yes")]
    pub confirmed: bool,
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
            .find(|c| c.kind == ContactKind::Post && c.primary && c.confirmed)
    }

    /// The online form a letter can be sent through, where the entry allows it.
    pub fn online_form(&self) -> Option<&Contact> {
        if !self.by_online_form {
            return None;
        }
        self.contacts
            .iter()
            .find(|c| c.kind == ContactKind::OnlineForm && c.primary && c.confirmed)
    }

    /// The identifiers a letter to this body may carry, given the guide's
    /// facts (a consented identifier counts only when its fact is `"yes"`).
    pub fn may_receive(&self, facts: &BTreeMap<String, String>) -> BTreeSet<&str> {
        let mut out: BTreeSet<&str> = match &self.may_receive {
            Some(list) => list.iter().map(String::as_str).collect(),
            None => DEFAULT_MAY_RECEIVE.iter().copied().collect(),
        };
        for (key, fact) in &self.may_receive_with_consent {
            if facts.get(fact).is_some_and(|v| v.trim() == "yes") {
                out.insert(key.as_str());
            }
        }
        out
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
            if !contact.confirmed && contact.primary {
                out.push(format!(
                    "{who}: an unconfirmed contact detail must say primary = false"
                ));
            }
        }
        let listed = self.may_receive.iter().flatten();
        for key in listed.clone().chain(self.may_receive_with_consent.keys()) {
            if !IDENTIFIERS.iter().any(|i| i.key == key) {
                out.push(format!("{who}: unknown identifier `{key}` in may_receive"));
            }
        }
        // The Home Office reference, port reference and nationality go to the
        // Home Office and its parts alone (data minimisation, UK GDPR Art 5(1)(c)).
        if !self.immigration_exemption {
            for key in listed.filter(|k| home_office_only(k)) {
                out.push(format!(
                    "{who}: `{key}` goes only to the Home Office and its parts; \
                     for anyone else list it in may_receive_with_consent"
                ));
            }
        }
        if self.immigration_exemption && self.immigration_exemption_untested {
            out.push(format!(
                "{who}: immigration_exemption and immigration_exemption_untested cannot both be true"
            ));
        }
        if self.by_online_form && self.online_form().is_none() {
            out.push(format!(
                "{who}: by_online_form needs a primary online-form contact"
            ));
        }
        if self.postal_address().is_none() && self.address_help.is_none() {
            out.push(format!(
                "{who}: with no confirmed postal address, say in address_help where the adviser finds it"
            ));
        }
        out
    }
}
