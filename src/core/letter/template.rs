//! Letter templates: TOML metadata plus a minijinja body written in a tiny
//! markup (`## ` heading, `- ` list item, blank line between paragraphs).

use serde::Deserialize;

/// What sort of letter a template makes; decides dates and signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LetterKind {
    /// A request with a one-month reply-by date.
    Request,
    /// A letter of authority the client signs.
    Authority,
    /// A reminder about an earlier request.
    Chaser,
    /// A complaint to the controller or to the ICO.
    Complaint,
    /// A reminder about an earlier complaint to the body (DPA 2018 s.164A).
    ComplaintChaser,
}

/// One letter template (one file in `letter-templates/`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterTemplate {
    pub id: String,
    /// Short name, used as the PDF title.
    pub title: String,
    /// One line for `letters list`.
    pub description: String,
    pub kind: LetterKind,
    /// Organisation ids this template may go to; empty means any.
    #[serde(default)]
    pub organisations: Vec<String>,
    /// What the letter cannot be written without (see the README for names).
    #[serde(default)]
    pub requires: Vec<String>,
    /// Client identifiers listed in the letter, in this order.
    #[serde(default)]
    pub identifiers: Vec<String>,
    /// Subject line (template); the client's name and references are added.
    pub subject: String,
    #[serde(default = "default_salutation")]
    pub salutation: String,
    #[serde(default = "default_sign_off")]
    pub sign_off: String,
    /// The letter body (template in the markup above).
    pub body: String,
    /// One template per enclosure; an enclosure that renders empty is left out.
    #[serde(default)]
    pub enclosures: Vec<String>,
    /// Points the adviser sees on screen, never printed in the letter.
    #[serde(default)]
    pub adviser_notes: Vec<String>,
}

impl LetterTemplate {
    /// Whether the letter needs the kind of Home Office request (basic, specific or
    /// detailed): said by the template's `requires`, not by its id.
    pub fn asks_request_type(&self) -> bool {
        self.requires
            .iter()
            .any(|r| r == "home_office_request_type")
    }
}

fn default_salutation() -> String {
    "Dear Sir or Madam".to_string()
}

fn default_sign_off() -> String {
    "Yours faithfully".to_string()
}

/// Every name `requires` may use, with what to tell the adviser if missing.
pub const REQUIREMENTS: &[(&str, &str)] = &[
    (
        "client.date_of_birth",
        "the client's date of birth (date_of_birth in the client file)",
    ),
    (
        "client.address",
        "the client's address (address and postcode in the client file)",
    ),
    (
        "client.nationality",
        "the client's nationality (nationality in the client file)",
    ),
    (
        "client.nhs_number",
        "the client's NHS number (nhs_number in the client file)",
    ),
    (
        "client.ni_number",
        "the client's National Insurance number (ni_number in the client file)",
    ),
    (
        "adviser",
        "the adviser's details (--adviser FILE or an [adviser] table in the client file)",
    ),
    (
        "adviser.address",
        "the adviser's address (address in the adviser details)",
    ),
    (
        "period",
        "the period the request covers (--from DATE --until DATE)",
    ),
    (
        "home_office_request_type",
        "the Home Office request type (--request-type basic|specific|detailed)",
    ),
    (
        "previous_request",
        "the date the earlier request was sent (--request-sent DATE)",
    ),
    (
        "previous_complaint",
        "the date the complaint was sent (--request-sent DATE; add --request-received DATE if known)",
    ),
    (
        "complaint_points",
        "what the complaint is about (at least one --point TEXT)",
    ),
    (
        "corrections",
        "each correction: what the record says now and what it should say (at least one --point TEXT)",
    ),
    (
        "what_to_erase",
        "the data to erase and why, one item each (at least one --point TEXT)",
    ),
    (
        "what_to_restrict",
        "the data whose use should be restricted and why, one item each (at least one --point TEXT)",
    ),
    (
        "what_to_object_to",
        "the use of the data objected to and why, one point each (at least one --point TEXT)",
    ),
    (
        "charging_reasons",
        "why the client must not be charged: their status and where they live, or the exempt group (at least one --point TEXT)",
    ),
    (
        "chronology",
        "the chronology of events (at least one --event \"YYYY-MM-DD: what happened\")",
    ),
    (
        "about",
        "the organisation the complaint is about (--about ORG)",
    ),
];

/// The adviser-facing description of a requirement name.
pub fn requirement_help(name: &str) -> Option<&'static str> {
    REQUIREMENTS
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, help)| *help)
}

/// A client identifier a template may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identifier {
    pub key: &'static str,
    /// The label the letter uses.
    pub label: &'static str,
    /// For the Home Office and its parts alone: a body the guides warn may pass
    /// data to the Home Office must never be sent it (UK GDPR Art 5(1)(c)).
    pub home_office_only: bool,
}

const fn id(key: &'static str, label: &'static str, home_office_only: bool) -> Identifier {
    Identifier {
        key,
        label,
        home_office_only,
    }
}

/// Client identifiers a template may list, in the order of the client file.
pub const IDENTIFIERS: &[Identifier] = &[
    id("other_names", "Other names used", false),
    id("date_of_birth", "Date of birth", false),
    id("nationality", "Nationality", true),
    id("address", "Address", false),
    id("email", "Email", false),
    id("phone", "Phone", false),
    id("home_office_ref", "Home Office reference", true),
    id("port_ref", "Port reference", true),
    id("nhs_number", "NHS number", false),
    id("ni_number", "National Insurance number", false),
    id("police_ref", "Police reference", false),
];

/// True for an identifier that goes to the Home Office and its parts alone.
pub fn home_office_only(key: &str) -> bool {
    IDENTIFIERS
        .iter()
        .any(|i| i.key == key && i.home_office_only)
}
