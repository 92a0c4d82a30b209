//! What follows a request once it is in the case store: how urgent it is, and
//! the letters that chase or complain about it. Pure code over the store's
//! records (no terminal, no files), so the command line and the app say and
//! write the same things.

use chrono::NaiveDate;
use thiserror::Error;

use super::redact::redact_client_values;
use super::reply_check::{self, ReplyCheck};
use super::standing::{self, COMPLAINT_TO_BODY, COMPLAINT_TO_ICO, Standing, letter_date};
pub use super::standing::{ChaseGround, DUE_SOON_DAYS, NotYet, Urgency};
use super::store::{ClientRecord, Reply, Request, RequestId, Store, StoreError};
use crate::calendar::dates::format_uk;
use crate::calendar::deadline;
use crate::letter::wording::fill;
use crate::letter::{self, Catalogue, ClientDetails, LetterError, LetterRequest, PreviousReply};

/// What can stop a follow-up letter. No message carries a client's details.
#[derive(Debug, Error)]
pub enum FollowupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Letter(#[from] LetterError),
    #[error("{0}")]
    ClientDetails(String),
    /// The request's standing does not allow this letter today.
    #[error("{}", .reason.explain(*.id))]
    NotYet { id: RequestId, reason: NotYet },
    #[error(
        "the store shows nothing yet to complain about for request {0}; give the points of the complaint"
    )]
    NothingToComplain(RequestId),
}

/// Checks a reply held in the store against Article 15(1).
pub fn check_recorded(reply: &Reply, organisation: &str) -> ReplyCheck {
    reply_check::check_reply(
        organisation,
        &reply.details.checklist,
        reply.details.exemption_cited,
        &reply.details.exemption_rights,
    )
}

/// Everything the store knows that a chaser or complaint about one request needs.
#[derive(Debug, Clone)]
pub struct Case {
    pub request: Request,
    pub record: ClientRecord,
    pub client: ClientDetails,
    /// The last reply to this request, checked.
    pub last_reply: Option<(Reply, ReplyCheck)>,
    /// Where the request stands on the day the case was loaded for.
    pub standing: Standing,
}

impl Case {
    /// The case of request `id` as it stands on `today`.
    pub fn load(store: &Store, id: RequestId, today: NaiveDate) -> Result<Case, FollowupError> {
        let request = store.request(id)?;
        let record = store.client_record(request.details.client)?;
        let label = format!("the details of client {}", record.client.id);
        let client =
            ClientDetails::from_toml_str(&record.client.details_toml, &label).map_err(|error| {
                FollowupError::ClientDetails(redact_client_values(&error.to_string()))
            })?;
        let last_reply = standing::last_reply(&request, &record.replies);
        let standing = standing::standing(&request, &record.replies, &record.letters, today);
        Ok(Case {
            request,
            record,
            client,
            last_reply,
            standing,
        })
    }

    /// Tells a follow-up letter about the earlier request, as its standing reads it.
    fn describe_request(&self, letter: &mut LetterRequest) {
        letter.nation = self.request.details.clock.nation;
        letter.previous_request = self.standing.previous_request(&self.request);
    }

    fn not_yet(&self, reason: NotYet) -> FollowupError {
        FollowupError::NotYet {
            id: self.request.id,
            reason,
        }
    }

    fn previous_reply(&self, catalogue: &Catalogue) -> Option<PreviousReply> {
        self.last_reply
            .as_ref()
            .map(|(reply, check)| PreviousReply {
                received: reply.details.received,
                missing: check.missing_for_letter(catalogue.casework_wording()),
                exemption_cited: reply.details.exemption_cited,
            })
    }
}

/// Where a follow-up letter goes, when the catalogue holds no name or address.
#[derive(Debug, Clone, Default)]
pub struct Recipient {
    /// The body's own name, for a generic organisation (police force, employer...).
    pub name: Option<String>,
    /// Its postal address, a line each.
    pub address: Vec<String>,
}

/// Whether a chaser may go today, and why; or the reason it may not (yet): the
/// request's standing, for a front-end to say which follow-up fits before writing one.
pub fn chaser_ground(case: &Case) -> Result<ChaseGround, FollowupError> {
    case.standing
        .chase
        .clone()
        .map_err(|reason| case.not_yet(reason))
}

/// The chaser for an overdue request, listing exactly what the last reply
/// left out. Refused before the reply could be due, and when the last reply
/// was complete (see [`chaser_ground`]).
pub fn chaser(
    case: &Case,
    catalogue: &Catalogue,
    today: NaiveDate,
    to: &Recipient,
) -> Result<letter::Letter, FollowupError> {
    chaser_ground(case)?;
    let details = &case.request.details;
    let mut request =
        LetterRequest::new("chaser", &details.organisation, case.client.clone(), today);
    case.describe_request(&mut request);
    request.previous_reply = case.previous_reply(catalogue);
    request.recipient_name = to.name.clone();
    request.recipient_address = to.address.clone();
    Ok(letter::compose(&request, catalogue)?)
}

/// A complaint about a request: to the body itself (DPA 2018 s.164A) or to
/// the ICO, with what the store shows went wrong and any `extra_points`.
pub fn complaint(
    case: &Case,
    catalogue: &Catalogue,
    today: NaiveDate,
    to_ico: bool,
    extra_points: &[String],
    their_reference: Option<String>,
    to: &Recipient,
) -> Result<letter::Letter, FollowupError> {
    let details = &case.request.details;
    if to_ico {
        case.standing
            .complaints
            .ico
            .clone()
            .map_err(|reason| case.not_yet(reason))?;
    }
    let mut points = complaint_points(case, catalogue);
    points.extend(extra_points.iter().cloned());
    if points.is_empty() {
        return Err(FollowupError::NothingToComplain(case.request.id));
    }
    let mut request = if to_ico {
        let mut request =
            LetterRequest::new(complaint_template(true), "ico", case.client.clone(), today);
        request.about = Some(details.organisation.clone());
        request.about_name = to.name.clone();
        request.chronology = chronology(case, catalogue, to.name.as_deref());
        request
    } else {
        let mut request = LetterRequest::new(
            complaint_template(false),
            &details.organisation,
            case.client.clone(),
            today,
        );
        request.recipient_name = to.name.clone();
        request.recipient_address = to.address.clone();
        request
    };
    request.complaint_points = points;
    case.describe_request(&mut request);
    request.previous_reply = case.previous_reply(catalogue);
    request.their_reference = their_reference;
    Ok(letter::compose(&request, catalogue)?)
}

/// The template id of the client's consent for a complaint to the ICO.
pub const CONSENT_TEMPLATE: &str = "consent-ico";

/// The consent the client signs so an adviser can complain to the ICO for them, to
/// go with the complaint (the ICO asks for it); none when the client complains
/// themselves.
pub fn consent_for_ico(
    case: &Case,
    catalogue: &Catalogue,
    today: NaiveDate,
    to: &Recipient,
) -> Result<Option<letter::Letter>, FollowupError> {
    let mut request = LetterRequest::new(CONSENT_TEMPLATE, "ico", case.client.clone(), today);
    if request.effective_adviser().is_none() {
        return Ok(None);
    }
    request.about = Some(case.request.details.organisation.clone());
    request.about_name = to.name.clone();
    Ok(Some(letter::compose(&request, catalogue)?))
}

/// The template id of a complaint.
pub fn complaint_template(to_ico: bool) -> &'static str {
    if to_ico {
        COMPLAINT_TO_ICO
    } else {
        COMPLAINT_TO_BODY
    }
}

/// What the store shows went wrong: no reply although it is late (the
/// standing's one threshold), items missing, the exemption cited.
pub fn complaint_points(case: &Case, catalogue: &Catalogue) -> Vec<String> {
    let wording = catalogue.casework_wording();
    let mut points = Vec::new();
    match &case.last_reply {
        None => {
            if let (true, Some(deadline)) = (case.standing.late, &case.standing.deadline) {
                points.push(fill(
                    &wording.complaint_no_reply,
                    &[("due", &format_uk(deadline.due))],
                ));
            }
        }
        Some((reply, check)) => {
            if !check.missing.is_empty() {
                points.push(fill(
                    &wording.complaint_left_out,
                    &[
                        ("date", &format_uk(reply.details.received)),
                        ("items", &check.missing_for_letter(wording).join("; ")),
                    ],
                ));
            }
            if reply.details.exemption_cited {
                points.push(
                    if reply_check::may_rely_on_immigration_exemption(
                        catalogue,
                        &check.organisation,
                    ) {
                        wording.complaint_exemption_home_office.clone()
                    } else {
                        wording.complaint_exemption_other_body.clone()
                    },
                );
            }
        }
    }
    points
}

/// The template id of the client's letter of authority, sent with a request.
const AUTHORITY_TEMPLATE: &str = "authority";

/// The events on record for this request, in date order, naming the body as
/// `own_name` or as the catalogue does.
pub fn chronology(
    case: &Case,
    catalogue: &Catalogue,
    own_name: Option<&str>,
) -> Vec<(NaiveDate, String)> {
    let details = &case.request.details;
    let body = own_name.map(str::to_string).unwrap_or_else(|| {
        catalogue
            .organisation(&details.organisation)
            .map_or(details.organisation.clone(), |o| {
                o.in_sentence.clone().unwrap_or_else(|| o.name.clone())
            })
    });
    // The same name at the start of a sentence.
    let body_first = {
        let mut chars = body.chars();
        chars.next().map_or(String::new(), |first| {
            first.to_uppercase().chain(chars).collect()
        })
    };
    let mut events: Vec<(NaiveDate, String)> = Vec::new();
    if let Some(sent) = details.clock.sent {
        events.push((sent, format!("Subject access request sent to {body}.")));
    }
    if let Some(received) = details.clock.received {
        events.push((received, format!("{body_first} received the request.")));
    }
    if let Some(date) = details.clock.id_received {
        events.push((
            date,
            format!("{body_first} received the proof of identity it asked for."),
        ));
    }
    if let Some(date) = details.clock.fee_received {
        events.push((date, format!("{body_first} received the fee.")));
    }
    for pause in &details.clock.pauses {
        events.push((
            pause.asked,
            format!("{body_first} asked for clarification."),
        ));
        events.push((pause.answered, "The clarification reached it.".to_string()));
    }
    if let (true, Some(deadline)) = (case.standing.late, &case.standing.deadline) {
        let due = deadline.due;
        let extended = if details.clock.extended {
            " (after an extension)"
        } else {
            ""
        };
        events.push((due, format!("The full reply was due{extended}.")));
    }
    for reply in case
        .record
        .replies
        .iter()
        .filter(|r| r.details.request == case.request.id)
    {
        let check = check_recorded(reply, &details.organisation);
        let mut text = "A reply was received".to_string();
        if !check.missing.is_empty() {
            text.push_str(", incomplete");
        }
        if reply.details.exemption_cited {
            text.push_str(", citing the immigration exemption");
        }
        text.push('.');
        events.push((reply.details.received, text));
    }
    for letter in case
        .record
        .letters
        .iter()
        // The request letter itself is already there, on the day it was sent; the
        // letter of authority went with it and is not an event of its own.
        .filter(|l| {
            l.details.request == Some(case.request.id)
                && l.details.template != details.template
                && l.details.template != AUTHORITY_TEMPLATE
        })
    {
        // The letter's own date, the day the adviser gave: never the audit stamp.
        let sent = letter_date(letter);
        let template = catalogue.template(&letter.details.template);
        if letter.details.template == complaint_template(false) {
            // The body's duty under DPA 2018 s.164A, counted from the day the
            // complaint is taken to have reached it.
            let received = crate::calendar::dates::assumed_receipt(sent, details.clock.nation);
            events.push((
                sent,
                format!(
                    "Complained to {body} (Data Protection Act 2018, section 164A); it had to acknowledge the complaint within 30 days of receiving it, by {} (taking it to arrive on {}).",
                    format_uk(deadline::complaint_acknowledgement_due(received)),
                    format_uk(received)
                ),
            ));
            continue;
        }
        let title = template.map_or(letter.details.template.as_str(), |t| t.title.as_str());
        events.push((sent, format!("Sent: {title}.")));
    }
    events.sort_by_key(|(date, _)| *date);
    events
}
