//! Composing a letter: check that everything the template needs is there,
//! render the template with strict undefined behaviour, and check the result.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::NaiveDate;
use minijinja::Value;

use super::catalogue::Catalogue;
use super::client::{AdviserDetails, ClientDetails, ReplyTo};
use super::error::{LetterError, MissingDetail, Needed};
use super::organisation::Organisation;
use super::tagging::Languages;
use super::template::{IDENTIFIERS, LetterKind, LetterTemplate, requirement_help};
use crate::calendar::dates::{assumed_receipt, format_uk};
use crate::calendar::deadline::{
    Clock, Deadline, SECTION_164A_IN_FORCE, complaint_acknowledgement_due, sar_due_date,
};
use crate::calendar::holidays::Nation;

/// The three kinds of request the Home Office's SAR unit offers (all free).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeOfficeRequestType {
    Basic,
    Specific,
    Detailed,
}

impl FromStr for HomeOfficeRequestType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "basic" => Ok(Self::Basic),
            "specific" => Ok(Self::Specific),
            "detailed" => Ok(Self::Detailed),
            other => Err(format!("{other:?} is not basic, specific or detailed")),
        }
    }
}

impl HomeOfficeRequestType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Specific => "specific",
            Self::Detailed => "detailed",
        }
    }
}

/// The Home Office accepts at most this many named documents in a specific request.
pub const MAX_NAMED_DOCUMENTS: usize = 5;

/// Everything needed to write one letter.
#[derive(Debug, Clone)]
pub struct LetterRequest {
    /// Template id, e.g. `sar-home-office`.
    pub template: String,
    /// Organisation id the letter goes to, e.g. `home-office`.
    pub organisation: String,
    pub client: ClientDetails,
    /// Overrides the client file's `[adviser]` table when given.
    pub adviser: Option<AdviserDetails>,
    /// The body's own name, for a generic entry (the police force, the employer...).
    pub recipient_name: Option<String>,
    /// Postal address lines, for a body whose address is not confirmed.
    pub recipient_address: Vec<String>,
    /// The period the request covers.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// The date the letter is sent; also the letter's date.
    pub sent: NaiveDate,
    /// When the body will get the letter; by post defaults to sent + 2 working days.
    pub expected_receipt: Option<NaiveDate>,
    /// Whose bank holidays count for the dates the letter states.
    pub nation: Nation,
    /// Facts chosen in a guide, e.g. `home_office_sharing = "possible"`.
    pub facts: BTreeMap<String, String>,
    pub home_office_request_type: Option<HomeOfficeRequestType>,
    /// Documents named in a specific Home Office request (at most five).
    pub named_documents: Vec<String>,
    /// For a chaser or complaint: the earlier request (or complaint) as
    /// `casework::standing` reads it; the letter only states it.
    pub previous_request: Option<PreviousRequest>,
    /// For a chaser or complaint: the last, incomplete reply to the earlier request.
    pub previous_reply: Option<PreviousReply>,
    /// For a complaint: what went wrong, one point each.
    pub complaint_points: Vec<String>,
    /// For an ICO complaint: the events in order.
    pub chronology: Vec<(NaiveDate, String)>,
    /// For an ICO complaint: the organisation complained about.
    pub about: Option<String>,
    /// The name of the body complained about, for a generic entry.
    pub about_name: Option<String>,
    /// The recipient's reference (e.g. an ICO case number), if any.
    pub their_reference: Option<String>,
}

impl LetterRequest {
    /// A request with only the essentials; set the other fields as needed.
    pub fn new(template: &str, organisation: &str, client: ClientDetails, sent: NaiveDate) -> Self {
        LetterRequest {
            template: template.to_string(),
            organisation: organisation.to_string(),
            client,
            adviser: None,
            recipient_name: None,
            recipient_address: Vec::new(),
            period: None,
            sent,
            expected_receipt: None,
            nation: Nation::EnglandWales,
            facts: BTreeMap::new(),
            home_office_request_type: None,
            named_documents: Vec::new(),
            previous_request: None,
            previous_reply: None,
            complaint_points: Vec::new(),
            chronology: Vec::new(),
            about: None,
            about_name: None,
            their_reference: None,
        }
    }

    /// The adviser given for this letter, or else the one in the client file.
    pub fn effective_adviser(&self) -> Option<&AdviserDetails> {
        self.adviser.as_ref().or(self.client.adviser.as_ref())
    }

    /// True where the guide or the adviser says data may have gone to the Home Office.
    pub fn home_office_sharing(&self) -> bool {
        home_office_sharing(&self.facts)
    }
}

/// What an earlier reply held, for a letter that chases or complains about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousReply {
    /// When the reply arrived.
    pub received: NaiveDate,
    /// What Article 15(1) requires that the reply left out, each in the
    /// letter's words (e.g. "a copy of the personal data itself").
    pub missing: Vec<String>,
    /// Whether the reply relied on the immigration exemption.
    pub exemption_cited: bool,
}

/// True where the guide or the adviser says data may have gone to the Home
/// Office: `home_office_sharing = "possible"` (or `"yes"`), or NHS charging
/// (`nhs_charging = "yes"`), since unpaid NHS charges are reported to the Home
/// Office through the Department of Health and Social Care.
pub(crate) fn home_office_sharing(facts: &BTreeMap<String, String>) -> bool {
    let is = |key: &str, values: &[&str]| {
        facts
            .get(key)
            .is_some_and(|v| values.iter().any(|w| v.trim().eq_ignore_ascii_case(w)))
    };
    is("home_office_sharing", &["possible", "yes"]) || is("nhs_charging", &["yes"])
}

/// One block of the letter body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
}

/// A composed letter, ready to render as PDF or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub template_id: String,
    pub organisation_id: String,
    /// PDF title, e.g. "Subject access request: Олена Шевченко".
    pub title: String,
    /// PDF author: the person who signs.
    pub author: String,
    pub sender: Vec<String>,
    pub recipient: Vec<String>,
    pub date: NaiveDate,
    /// ("Our reference", "...") and ("Your reference", "...") where known.
    pub references: Vec<(String, String)>,
    pub salutation: String,
    pub subject: String,
    pub blocks: Vec<Block>,
    pub sign_off: String,
    pub signature: Vec<String>,
    /// True for a letter the client signs by hand (signature and date lines).
    pub client_signs: bool,
    pub enclosures: Vec<String>,
    pub reply_by: Option<Deadline>,
    /// The document's language and any block's that differs (the tagged PDF's `/Lang`).
    pub languages: Languages,
}

impl Letter {
    /// Every piece of text in the letter, in reading order.
    pub fn all_text(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        out.extend(self.sender.iter().map(String::as_str));
        out.extend(self.recipient.iter().map(String::as_str));
        for (label, value) in &self.references {
            out.push(label);
            out.push(value);
        }
        out.push(&self.salutation);
        out.push(&self.subject);
        for block in &self.blocks {
            match block {
                Block::Heading(t) | Block::Paragraph(t) => out.push(t),
                Block::List(items) => out.extend(items.iter().map(String::as_str)),
            }
        }
        out.push(&self.sign_off);
        out.extend(self.signature.iter().map(String::as_str));
        out.extend(self.enclosures.iter().map(String::as_str));
        out
    }
}

/// Writes the letter described by `request`, or says what is missing.
pub fn compose(request: &LetterRequest, catalogue: &Catalogue) -> Result<Letter, LetterError> {
    let template = catalogue
        .template(&request.template)
        .ok_or_else(|| LetterError::UnknownTemplate(request.template.clone()))?;
    let org = catalogue
        .organisation(&request.organisation)
        .ok_or_else(|| LetterError::UnknownOrganisation(request.organisation.clone()))?;
    if !template.organisations.is_empty() && !template.organisations.contains(&org.id) {
        return Err(LetterError::Request(format!(
            "the `{}` letter is for {}, not `{}`",
            template.id,
            template.organisations.join(", "),
            org.id
        )));
    }
    let about = match &request.about {
        Some(id) => Some(
            catalogue
                .organisation(id)
                .ok_or_else(|| LetterError::UnknownOrganisation(id.clone()))?,
        ),
        None => None,
    };
    let known;
    let request = match body_known_to_have_address(request, org) {
        Some(with_fact) => {
            known = with_fact;
            &known
        }
        None => request,
    };
    let allowed = allowed_identifiers(request, org, about);
    // Replies go to the adviser when the letter, or a complaint it carries to
    // another body, may not give the address; a client writing for themselves
    // needs an adviser only when the recipient itself may not have it.
    let address_withheld = !org.may_receive(&request.facts).contains("address");
    let replies_moved;
    let request = match replies_to_adviser(request, !allowed.contains("address")) {
        Some(moved) => {
            replies_moved = moved;
            &replies_moved
        }
        None => request,
    };
    check_request(request, template, org, about, address_withheld)?;
    let dates = LetterDates::work_out(request, template)?;
    let context = build_context(request, template, org, about, &dates, &allowed);
    let render = |name: String| -> Result<String, LetterError> {
        catalogue
            .env
            .get_template(&name)
            .and_then(|t| t.render(&context))
            .map_err(|e| LetterError::Template {
                template: template.id.clone(),
                message: describe_render_error(&e),
            })
    };
    let body = render(format!("{}/body", template.id))?;
    let subject_start = collapse_spaces(&render(format!("{}/subject", template.id))?);
    let mut enclosures = Vec::new();
    for i in 0..template.enclosures.len() {
        let text = collapse_spaces(&render(format!("{}/enclosure/{i}", template.id))?);
        if !text.is_empty() {
            enclosures.push(text);
        }
    }
    let adviser = request.effective_adviser();
    let client = &request.client;
    let (signature, author) = match (template.kind, adviser) {
        (LetterKind::Authority, _) | (_, None) => (vec![client.name.clone()], client.name.clone()),
        (_, Some(a)) => {
            let mut lines = vec![a.name.clone()];
            lines.extend(a.role.clone());
            lines.extend(a.organisation.clone());
            (lines, a.name.clone())
        }
    };
    let mut references = Vec::new();
    if let Some(ours) = adviser.and_then(|a| a.reference.clone()) {
        references.push(("Our reference".to_string(), ours));
    }
    if let Some(theirs) = &request.their_reference {
        references.push(("Your reference".to_string(), theirs.clone()));
    }
    let letter = Letter {
        template_id: template.id.clone(),
        organisation_id: org.id.clone(),
        title: format!("{}: {}", template.title, client.name),
        author,
        sender: sender_lines(request, template),
        recipient: recipient_lines(request, org),
        date: request.sent,
        references,
        salutation: template.salutation.clone(),
        subject: subject_line(&subject_start, request, template, &allowed),
        blocks: parse_blocks(&body),
        sign_off: template.sign_off.clone(),
        signature,
        client_signs: template.kind == LetterKind::Authority,
        enclosures,
        reply_by: dates.reply_by.clone(),
        languages: Languages::default(),
    };
    final_check(&letter, &adviser_words(request))?;
    Ok(letter)
}

fn describe_render_error(e: &minijinja::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        text.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    text
}

/// The guide fact that says whether the body already knows the client's address.
pub const ADDRESS_KNOWN_TO_BODY: &str = "address_known_to_body";

/// `request` with `address_known_to_body = "yes"` where the client's details say
/// the recipient already knows where they live and no guide has said otherwise;
/// none when nothing changes.
fn body_known_to_have_address(
    request: &LetterRequest,
    org: &Organisation,
) -> Option<LetterRequest> {
    if !request.client.address_known_to.contains(&org.id)
        || request.facts.contains_key(ADDRESS_KNOWN_TO_BODY)
    {
        return None;
    }
    let mut with_fact = request.clone();
    with_fact
        .facts
        .insert(ADDRESS_KNOWN_TO_BODY.to_string(), "yes".to_string());
    Some(with_fact)
}

/// The client's home address goes only to a body the organisations file lets
/// receive it (the police and the Home Office only when the adviser says they
/// already know where the client lives: `address_known_to_body = "yes"`). A
/// letter to a body that may not have it cannot ask for replies at that
/// address, so they go to the adviser: `request` with replies moved, or none
/// when nothing changes.
fn replies_to_adviser(request: &LetterRequest, address_withheld: bool) -> Option<LetterRequest> {
    if !address_withheld
        || request.client.reply_to == ReplyTo::Adviser
        || request.effective_adviser().is_none()
    {
        return None;
    }
    let mut moved = request.clone();
    moved.client.reply_to = ReplyTo::Adviser;
    Some(moved)
}

/// Collects every missing detail (not just the first) before anything is rendered.
fn check_request(
    request: &LetterRequest,
    template: &LetterTemplate,
    org: &Organisation,
    about: Option<&Organisation>,
    address_withheld: bool,
) -> Result<(), LetterError> {
    let client = &request.client;
    let adviser = request.effective_adviser();
    let mut missing: Vec<MissingDetail> = Vec::new();
    let mut need = |ok: bool, key: &str| {
        if !ok {
            missing.push(MissingDetail {
                needed: Needed::Requirement(key.to_string()),
                message: requirement_help(key).unwrap_or(key).to_string(),
            });
        }
    };
    for req in &template.requires {
        let present = match req.as_str() {
            "client.date_of_birth" => client.date_of_birth.is_some(),
            "client.address" => !client.address.is_empty() && client.postcode.is_some(),
            "client.nationality" => client.nationality.is_some(),
            "client.nhs_number" => client.nhs_number.is_some(),
            "client.ni_number" => client.ni_number.is_some(),
            "adviser" => adviser.is_some(),
            "adviser.address" => adviser.is_none_or(|a| !a.address.is_empty()),
            "period" => request.period.is_some(),
            "home_office_request_type" => request.home_office_request_type.is_some(),
            "previous_request" | "previous_complaint" => request.previous_request.is_some(),
            "complaint_points" | "corrections" | "what_to_erase" | "what_to_restrict"
            | "what_to_object_to" | "charging_reasons" => !request.complaint_points.is_empty(),
            "chronology" => !request.chronology.is_empty(),
            "about" => request.about.is_some(),
            _ => true,
        };
        need(present, req);
    }
    let writes_for_self = adviser.is_none() || template.kind == LetterKind::Authority;
    if client.reply_to == ReplyTo::Adviser && adviser.is_none() {
        missing.push(MissingDetail {
            needed: Needed::AdviserForReplies,
            message: "the adviser's details, because the client file says reply_to = \"adviser\" \
             (--adviser FILE or an [adviser] table)"
                .to_string(),
        });
    } else if writes_for_self && client.reply_to == ReplyTo::Client && address_withheld {
        missing.push(MissingDetail {
            needed: Needed::AdviserForReplies,
            message: format!(
                "the adviser's details, to receive the reply (--adviser FILE): the client's home \
                 address is left out of a letter to {} unless it already knows where the client \
                 lives (then --body-knows-address)",
                org.in_sentence.as_deref().unwrap_or(&org.name)
            ),
        });
    } else if writes_for_self && client.reply_to == ReplyTo::Client {
        if client.address.is_empty() || client.postcode.is_none() {
            missing.push(MissingDetail {
                needed: Needed::ClientAddressForReplies,
                message:
                    "the client's address for the reply (address and postcode in the client file)"
                        .to_string(),
            });
        }
    } else if let Some(a) = adviser
        && a.address.is_empty()
    {
        missing.push(MissingDetail {
            needed: Needed::AdviserAddress,
            message: "the adviser's address (address in the adviser details)".to_string(),
        });
    }
    if let Some(what) = &org.name_needed
        && request.recipient_name.is_none()
    {
        missing.push(MissingDetail {
            needed: Needed::RecipientName,
            message: format!("the name of {what} (--to-name NAME)"),
        });
    }
    if org.postal_address().is_none()
        && org.online_form().is_none()
        && request.recipient_address.is_empty()
    {
        let help = org
            .address_help
            .as_deref()
            .unwrap_or("check the body's own website");
        missing.push(MissingDetail {
            needed: Needed::RecipientAddress,
            message: format!(
                "the postal address of {}, which sanctuary does not hold: {help} \
                 (--to-address LINE, once for each line)",
                request.recipient_name.as_deref().unwrap_or(&org.name)
            ),
        });
    }
    if let Some(about) = about
        && let Some(what) = &about.name_needed
        && request.about_name.is_none()
    {
        missing.push(MissingDetail {
            needed: Needed::AboutName,
            message: format!("the name of {what} the complaint is about (--about-name NAME)"),
        });
    }
    if request.home_office_request_type == Some(HomeOfficeRequestType::Specific)
        && request.named_documents.is_empty()
    {
        missing.push(MissingDetail {
            needed: Needed::NamedDocuments,
            message: format!(
                "the documents to ask for in a specific request (--document TEXT, up to {MAX_NAMED_DOCUMENTS})"
            ),
        });
    }
    if !missing.is_empty() {
        return Err(LetterError::MissingFields {
            template: template.id.clone(),
            missing,
        });
    }
    if request.named_documents.len() > MAX_NAMED_DOCUMENTS {
        return Err(LetterError::Request(format!(
            "a specific request to the Home Office can name at most {MAX_NAMED_DOCUMENTS} documents; \
             {} were given (use a detailed request for more)",
            request.named_documents.len()
        )));
    }
    if let Some((from, until)) = request.period
        && from > until
    {
        return Err(LetterError::Request(format!(
            "the period starts ({from}) after it ends ({until})"
        )));
    }
    if let Some(problem) = request
        .client
        .problems_as_of(request.sent)
        .into_iter()
        .next()
    {
        return Err(LetterError::Request(problem));
    }
    Ok(())
}

/// The earlier request a chaser or complaint is about, as
/// `casework::standing` reads it on the letter's date: the letter states these
/// dates and works none of them out again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousRequest {
    pub sent: NaiveDate,
    /// The day it reached the body: as recorded, or assumed from `sent`.
    pub received: NaiveDate,
    /// Whether `received` was recorded rather than assumed.
    pub received_given: bool,
    /// When the full reply was due, with the working; none while the clock is paused.
    pub due: Option<Deadline>,
    /// The latest it could be due counting a bank holiday in any UK nation.
    pub latest: Option<NaiveDate>,
    /// Late on the letter's date (one threshold: after `latest`).
    pub late: bool,
}

/// The dates a letter states, worked out once, all by the calendar's rules.
struct LetterDates {
    expected_receipt: NaiveDate,
    receipt_estimated: bool,
    reply_by: Option<Deadline>,
}

impl LetterDates {
    fn work_out(request: &LetterRequest, template: &LetterTemplate) -> Result<Self, LetterError> {
        let nation = request.nation;
        let expected_receipt = request
            .expected_receipt
            .unwrap_or_else(|| assumed_receipt(request.sent, nation));
        if expected_receipt < request.sent {
            return Err(LetterError::Request(
                "the expected receipt date is before the date the letter is sent".to_string(),
            ));
        }
        let reply_by = if template.kind == LetterKind::Request {
            Some(sar_due_date(&Clock::new(expected_receipt, nation)).map_err(date_error)?)
        } else {
            None
        };
        let previous = request.previous_request.as_ref();
        if let Some(previous) = previous
            && previous.received < previous.sent
        {
            return Err(LetterError::Request(format!(
                "the earlier request is recorded as received ({}) before it was sent ({})",
                format_uk(previous.received),
                format_uk(previous.sent)
            )));
        }
        if template.kind == LetterKind::Chaser
            && request.previous_reply.is_none()
            && let Some(previous) = previous
            && previous.due.is_some()
            && !previous.late
        {
            return Err(LetterError::Request(format!(
                "the earlier request is not overdue and has had no reply: the reply may be due as late as {}; \
                 a chaser can be sent from the next day",
                format_uk(previous.latest.unwrap_or(request.sent))
            )));
        }
        if template.kind == LetterKind::ComplaintChaser
            && let Some(PreviousRequest { received, .. }) = previous
        {
            if *received < SECTION_164A_IN_FORCE {
                return Err(LetterError::Request(format!(
                    "section 164A applies only to complaints received on or after {}; \
                     this one was received on {}",
                    format_uk(SECTION_164A_IN_FORCE),
                    format_uk(*received)
                )));
            }
            let acknowledged = request
                .facts
                .get("complaint_acknowledged")
                .is_some_and(|v| v.trim() == "yes");
            if !acknowledged && request.sent <= complaint_acknowledgement_due(*received) {
                return Err(LetterError::Request(format!(
                    "the body has until {} to acknowledge the complaint (30 days beginning \
                     with the day it was received); a chaser can be sent from the next day",
                    format_uk(complaint_acknowledgement_due(*received))
                )));
            }
        }
        Ok(LetterDates {
            expected_receipt,
            receipt_estimated: request.expected_receipt.is_none(),
            reply_by,
        })
    }
}

fn date_error(error: crate::calendar::deadline::DeadlineError) -> LetterError {
    LetterError::Request(error.to_string())
}

fn opt(value: Option<&String>) -> Value {
    value.map_or(Value::from(()), |v| Value::from(v.as_str()))
}

fn build_context(
    request: &LetterRequest,
    template: &LetterTemplate,
    org: &Organisation,
    about: Option<&Organisation>,
    dates: &LetterDates,
    allowed: &BTreeSet<&str>,
) -> Value {
    let client = &request.client;
    let adviser = request.effective_adviser();
    let mut c: BTreeMap<&str, Value> = BTreeMap::new();

    let mut client_map: BTreeMap<&str, Value> = BTreeMap::new();
    client_map.insert("name", Value::from(client.name.as_str()));
    client_map.insert("other_names", Value::from(client.other_names.clone()));
    client_map.insert(
        "date_of_birth",
        client
            .date_of_birth
            .map_or(Value::from(()), |d| Value::from(format_uk(d))),
    );
    // The home address only for a body that may be sent it.
    client_map.insert(
        "address",
        if allowed.contains("address") {
            Value::from(client.full_address())
        } else {
            Value::from(Vec::<String>::new())
        },
    );
    for (key, value) in client.optional_fields() {
        // An identifier the recipient may not be sent is not there to print.
        let withheld = (IDENTIFIERS.iter().any(|i| i.key == key) && !allowed.contains(key))
            || (key == "postcode" && !allowed.contains("address"));
        client_map.insert(
            key,
            if withheld {
                Value::from(())
            } else {
                opt(value.as_ref())
            },
        );
    }
    c.insert("client", Value::from(client_map));

    c.insert(
        "adviser",
        adviser.map_or(Value::from(()), |a| {
            let mut m: BTreeMap<&str, Value> = BTreeMap::new();
            m.insert("name", Value::from(a.name.as_str()));
            m.insert("organisation", opt(a.organisation.as_ref()));
            m.insert("role", opt(a.role.as_ref()));
            m.insert("address", Value::from(a.full_address()));
            m.insert("email", opt(a.email.as_ref()));
            m.insert("phone", opt(a.phone.as_ref()));
            Value::from(m)
        }),
    );
    c.insert("on_behalf", Value::from(adviser.is_some()));
    // Pronouns, so one template reads right from the adviser or the client.
    let (me, my) = if adviser.is_some() {
        ("my client", "my client's")
    } else {
        ("me", "my")
    };
    c.insert("me", Value::from(me));
    c.insert("my", Value::from(my));
    c.insert(
        "i",
        Value::from(if adviser.is_some() { "my client" } else { "I" }),
    );
    c.insert("org", org_value(org, request.recipient_name.as_ref()));
    c.insert(
        "about",
        about.map_or(Value::from(()), |a| {
            org_value(a, request.about_name.as_ref())
        }),
    );
    c.insert("identifiers", identifiers(request, template, allowed));
    c.insert("reply", reply_value(request));
    c.insert(
        "home_office_sharing",
        Value::from(request.home_office_sharing()),
    );
    c.insert("facts", Value::from(request.facts.clone()));
    c.insert(
        "period",
        request.period.map_or(Value::from(()), |(from, until)| {
            let mut m: BTreeMap<&str, Value> = BTreeMap::new();
            m.insert("from", Value::from(format_uk(from)));
            m.insert("until", Value::from(format_uk(until)));
            Value::from(m)
        }),
    );
    c.insert("sent", Value::from(format_uk(request.sent)));
    c.insert(
        "expected_receipt",
        Value::from(format_uk(dates.expected_receipt)),
    );
    c.insert("receipt_estimated", Value::from(dates.receipt_estimated));
    c.insert(
        "acknowledge_by",
        Value::from(format_uk(complaint_acknowledgement_due(
            dates.expected_receipt,
        ))),
    );
    c.insert(
        "reply_by",
        dates
            .reply_by
            .as_ref()
            .map_or(Value::from(()), |d| Value::from(format_uk(d.due))),
    );
    c.insert(
        "reply_by_working",
        dates
            .reply_by
            .as_ref()
            .map_or(Value::from(()), |d| Value::from(d.working_sentence())),
    );
    c.insert(
        "previous",
        request
            .previous_request
            .as_ref()
            .map_or(Value::from(()), |previous| {
                let mut m: BTreeMap<&str, Value> = BTreeMap::new();
                m.insert("sent", Value::from(format_uk(previous.sent)));
                m.insert("received", Value::from(format_uk(previous.received)));
                m.insert("received_given", Value::from(previous.received_given));
                if let Some(due) = &previous.due {
                    m.insert("due", Value::from(format_uk(due.due)));
                    m.insert("working", Value::from(due.working_sentence()));
                }
                // Late by the date of this letter (a part answer can be chased before).
                m.insert("overdue", Value::from(previous.late));
                m.insert(
                    "acknowledge_by",
                    Value::from(format_uk(complaint_acknowledgement_due(previous.received))),
                );
                Value::from(m)
            }),
    );
    // The body relied on the immigration exemption: said by a recorded reply,
    // or by the adviser as a fact.
    let exemption_cited = request
        .previous_reply
        .as_ref()
        .is_some_and(|reply| reply.exemption_cited)
        || request
            .facts
            .get("exemption_cited")
            .is_some_and(|v| v.trim() == "yes");
    c.insert("exemption_cited", Value::from(exemption_cited));
    c.insert(
        "previous_reply",
        request
            .previous_reply
            .as_ref()
            .map_or(Value::from(()), |reply| {
                let mut m: BTreeMap<&str, Value> = BTreeMap::new();
                m.insert("received", Value::from(format_uk(reply.received)));
                m.insert("missing", Value::from(reply.missing.clone()));
                m.insert("exemption_cited", Value::from(reply.exemption_cited));
                Value::from(m)
            }),
    );
    c.insert(
        "request_type",
        request
            .home_office_request_type
            .map_or(Value::from(()), |t| Value::from(t.as_str())),
    );
    c.insert(
        "named_documents",
        Value::from(request.named_documents.clone()),
    );
    c.insert(
        "complaint_points",
        Value::from(request.complaint_points.clone()),
    );
    c.insert(
        "chronology",
        Value::from(
            request
                .chronology
                .iter()
                .map(|(date, text)| {
                    let mut m: BTreeMap<&str, Value> = BTreeMap::new();
                    m.insert("date", Value::from(format_uk(*date)));
                    m.insert("text", Value::from(text.as_str()));
                    Value::from(m)
                })
                .collect::<Vec<_>>(),
        ),
    );
    Value::from(c)
}

fn org_value(org: &Organisation, own_name: Option<&String>) -> Value {
    let mut m: BTreeMap<&str, Value> = BTreeMap::new();
    m.insert("id", Value::from(org.id.as_str()));
    let name = own_name.or(org.in_sentence.as_ref()).unwrap_or(&org.name);
    m.insert("name", Value::from(name.as_str()));
    m.insert(
        "immigration_exemption",
        Value::from(org.immigration_exemption),
    );
    m.insert("law_enforcement", Value::from(org.law_enforcement));
    m.insert(
        "immigration_exemption_untested",
        Value::from(org.immigration_exemption_untested),
    );
    Value::from(m)
}

/// The identifiers a letter to `org` may carry: what the organisations file
/// says it may receive (a consented identifier only with its fact) and, for a
/// letter about another body (an ICO complaint), only what that body may
/// receive too. Privacy by default: anything not listed is left out.
fn allowed_identifiers<'a>(
    request: &LetterRequest,
    org: &'a Organisation,
    about: Option<&'a Organisation>,
) -> BTreeSet<&'a str> {
    let mut allowed = org.may_receive(&request.facts);
    if let Some(about) = about {
        let theirs = about.may_receive(&request.facts);
        allowed.retain(|key| theirs.contains(key));
    }
    allowed
}

/// The identifiers the template lists and the recipient may be sent, each
/// with its label, name first.
fn identifiers(
    request: &LetterRequest,
    template: &LetterTemplate,
    allowed: &BTreeSet<&str>,
) -> Value {
    let client = &request.client;
    let mut list = vec![pair("Full name", &client.name)];
    for key in template
        .identifiers
        .iter()
        .filter(|k| allowed.contains(k.as_str()))
    {
        let label = IDENTIFIERS
            .iter()
            .find(|i| i.key == key)
            .map_or(key.as_str(), |i| i.label);
        let value: Option<String> = match key.as_str() {
            "other_names" => {
                (!client.other_names.is_empty()).then(|| client.other_names.join(", "))
            }
            "date_of_birth" => client.date_of_birth.map(format_uk),
            "nationality" => client.nationality.clone(),
            "address" => {
                let lines = client.full_address();
                (!lines.is_empty()).then(|| lines.join(", "))
            }
            "email" if client.reply_to == ReplyTo::Client => client.email.clone(),
            "phone" if client.reply_to == ReplyTo::Client => client.phone.clone(),
            "home_office_ref" => client.home_office_ref.clone(),
            "port_ref" => client.port_ref.clone(),
            "nhs_number" => client.nhs_number.clone(),
            "ni_number" => client.ni_number.clone(),
            "police_ref" => client.police_ref.clone(),
            _ => None,
        };
        if let Some(value) = value {
            let label = if key == "address" && client.reply_to == ReplyTo::Adviser {
                "Home address (for identification only; please do not write to it)"
            } else {
                label
            };
            list.push(pair(label, &value));
        }
    }
    Value::from(list)
}

fn pair(label: &str, value: &str) -> Value {
    let mut m: BTreeMap<&str, Value> = BTreeMap::new();
    m.insert("label", Value::from(label));
    m.insert("value", Value::from(value));
    Value::from(m)
}

/// Where the reply goes: the adviser's address for `reply_to = "adviser"`.
fn reply_value(request: &LetterRequest) -> Value {
    let client = &request.client;
    let adviser = request.effective_adviser();
    let mut m: BTreeMap<&str, Value> = BTreeMap::new();
    match (client.reply_to, adviser) {
        (ReplyTo::Adviser, Some(a)) => {
            let mut name = a.name.clone();
            if let Some(org) = &a.organisation {
                name = format!("{name}, {org}");
            }
            m.insert("to_adviser", Value::from(true));
            m.insert("name", Value::from(name));
            m.insert("address", Value::from(a.full_address().join(", ")));
            m.insert("email", opt(a.email.as_ref()));
            m.insert("phone", opt(a.phone.as_ref()));
        }
        _ => {
            m.insert("to_adviser", Value::from(false));
            m.insert("name", Value::from(client.name.as_str()));
            m.insert("address", Value::from(client.full_address().join(", ")));
            m.insert("email", opt(client.email.as_ref()));
            m.insert("phone", opt(client.phone.as_ref()));
        }
    }
    Value::from(m)
}

fn sender_lines(request: &LetterRequest, template: &LetterTemplate) -> Vec<String> {
    let client = &request.client;
    let adviser = request.effective_adviser();
    let contact = |lines: &mut Vec<String>, email: &Option<String>, phone: &Option<String>| {
        if let Some(e) = email {
            lines.push(format!("Email: {e}"));
        }
        if let Some(p) = phone {
            lines.push(format!("Phone: {p}"));
        }
    };
    match adviser {
        Some(a) if template.kind != LetterKind::Authority => {
            let mut lines = vec![a.name.clone()];
            lines.extend(a.organisation.clone());
            lines.extend(a.full_address());
            contact(&mut lines, &a.email, &a.phone);
            lines
        }
        Some(a) if client.reply_to == ReplyTo::Adviser => {
            let mut lines = vec![client.name.clone()];
            lines.push(format!(
                "c/o {}",
                a.organisation.as_deref().unwrap_or(&a.name)
            ));
            lines.extend(a.full_address());
            lines
        }
        _ => {
            let mut lines = vec![client.name.clone()];
            lines.extend(client.full_address());
            contact(&mut lines, &client.email, &client.phone);
            lines
        }
    }
}

fn recipient_lines(request: &LetterRequest, org: &Organisation) -> Vec<String> {
    let mut lines = Vec::new();
    if !request.recipient_address.is_empty() {
        lines.push(
            request
                .recipient_name
                .clone()
                .unwrap_or_else(|| org.name.clone()),
        );
        lines.extend(request.recipient_address.iter().cloned());
    } else if let Some(post) = org.postal_address() {
        if let Some(own) = &request.recipient_name {
            lines.push(own.clone());
        }
        lines.extend(post.address.iter().cloned());
    } else if let Some(form) = org.online_form() {
        lines.push(
            request
                .recipient_name
                .clone()
                .unwrap_or_else(|| org.name.clone()),
        );
        lines.push(format!(
            "Sent through its online form at {}",
            site_of(form.value.as_deref().unwrap_or_default())
        ));
    }
    lines.dedup();
    lines
}

/// The site of a web address ("https://ico.org.uk/make-a-complaint/" is
/// "ico.org.uk"): short enough for the address block.
fn site_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

fn subject_line(
    start: &str,
    request: &LetterRequest,
    template: &LetterTemplate,
    allowed: &BTreeSet<&str>,
) -> String {
    let client = &request.client;
    let mut parts = vec![client.name.clone()];
    for key in template
        .identifiers
        .iter()
        .filter(|k| allowed.contains(k.as_str()))
    {
        let part = match key.as_str() {
            "date_of_birth" => client
                .date_of_birth
                .map(|d| format!("born {}", format_uk(d))),
            "home_office_ref" => client
                .home_office_ref
                .as_ref()
                .map(|r| format!("Home Office ref. {r}")),
            "port_ref" => client.port_ref.as_ref().map(|r| format!("port ref. {r}")),
            "nhs_number" => client
                .nhs_number
                .as_ref()
                .map(|r| format!("NHS number {r}")),
            "ni_number" => client.ni_number.as_ref().map(|r| format!("NI number {r}")),
            "police_ref" => client
                .police_ref
                .as_ref()
                .map(|r| format!("police ref. {r}")),
            _ => None,
        };
        parts.extend(part);
    }
    format!("{start}: {}", parts.join(", "))
}

/// Turns the rendered markup into blocks: `## ` heading, `- ` list item
/// (indented lines continue it), blank line between paragraphs.
pub(crate) fn parse_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let flush_paragraph = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(collapse_spaces(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    let flush_list = |list: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !list.is_empty() {
            blocks.push(Block::List(
                list.iter().map(|i| collapse_spaces(i)).collect(),
            ));
            list.clear();
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_list(&mut list, &mut blocks);
        } else if let Some(heading) = trimmed.strip_prefix("## ") {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_list(&mut list, &mut blocks);
            blocks.push(Block::Heading(collapse_spaces(heading)));
        } else if let Some(item) = trimmed.strip_prefix("- ") {
            flush_paragraph(&mut paragraph, &mut blocks);
            list.push(item.to_string());
        } else if line.starts_with("  ") && !list.is_empty() {
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
        } else {
            flush_list(&mut list, &mut blocks);
            paragraph.push(trimmed);
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    flush_list(&mut list, &mut blocks);
    blocks
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markers that must never reach a reader.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "{{", "}}", "{%", "%}", "{#", "#}", "[[", "]]", "TODO", "XXX",
];

/// What people typed into the letter (the client's and adviser's details, points,
/// events, documents, names): a "none" or a "{{" there is their word, plain text that
/// was never a template, not an empty or unfilled field.
fn adviser_words(request: &LetterRequest) -> Vec<&str> {
    let mut words: Vec<&str> = Vec::new();
    words.extend(
        request
            .client
            .text_fields()
            .into_iter()
            .map(|(_, text)| text),
    );
    if let Some(adviser) = &request.adviser {
        words.extend(adviser.text_fields().into_iter().map(|(_, text)| text));
    }
    words.extend(request.complaint_points.iter().map(String::as_str));
    words.extend(request.chronology.iter().map(|(_, text)| text.as_str()));
    words.extend(request.named_documents.iter().map(String::as_str));
    words.extend(request.recipient_name.as_deref());
    words.extend(request.about_name.as_deref());
    words.extend(request.recipient_address.iter().map(String::as_str));
    words
}

fn final_check(letter: &Letter, adviser_words: &[&str]) -> Result<(), LetterError> {
    // The template's words only are named: a line of the letter may hold client details.
    let unfilled = |snippet: &str| LetterError::Unfilled {
        template: letter.template_id.clone(),
        snippet: snippet.chars().take(80).collect(),
    };
    if letter.recipient.is_empty() || letter.sender.is_empty() || letter.blocks.is_empty() {
        return Err(unfilled("(an empty address block or body)"));
    }
    let has_none = |text: &str| {
        text.split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "none" || w == "None")
    };
    for text in letter.all_text() {
        if text.trim().is_empty() {
            return Err(unfilled("(an empty line where a detail should be)"));
        }
        // "none" on its own is what an empty template field prints; the
        // adviser's own words may say it ("no reply; none received").
        let own_words_removed = adviser_words
            .iter()
            .filter(|w| !w.is_empty())
            .fold(text.to_string(), |rest, w| rest.replace(w, " "));
        if let Some(marker) = PLACEHOLDER_MARKERS
            .iter()
            .find(|m| own_words_removed.contains(*m))
        {
            return Err(unfilled(&format!("{marker} (from the template)")));
        }
        if has_none(&own_words_removed) && !text.contains("none of") && !text.contains("None of") {
            return Err(unfilled("\"none\" where a detail should be"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_headings_paragraphs_and_lists() {
        let blocks =
            parse_blocks("## What I ask\nFirst line\nsecond line.\n\n- one\n  more\n- two\nAfter.");
        assert_eq!(
            blocks,
            vec![
                Block::Heading("What I ask".into()),
                Block::Paragraph("First line second line.".into()),
                Block::List(vec!["one more".into(), "two".into()]),
                Block::Paragraph("After.".into()),
            ]
        );
    }
}
