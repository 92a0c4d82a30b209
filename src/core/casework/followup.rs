//! What follows a request once it is in the case store: how urgent it is, and
//! the letters that chase or complain about it. Pure code over the store's
//! records (no terminal, no files), so the command line and the app say and
//! write the same things.

use chrono::{Days, NaiveDate};
use serde::Serialize;
use thiserror::Error;

use super::redact::redact_client_values;
use super::reply_check::{self, ReplyCheck};
use super::store::{ClientRecord, Reply, Request, RequestId, RequestStatus, Store, StoreError};
use crate::calendar::dates::{assumed_receipt, format_uk};
use crate::calendar::deadline::{self, DeadlineError};
use crate::letter::wording::fill;
use crate::letter::{
    self, Catalogue, ClientDetails, LetterError, LetterRequest, PreviousReply, RequestClock,
};

/// How soon "due soon" is, in days.
pub const DUE_SOON_DAYS: u64 = 7;

/// What can stop a follow-up letter. No message carries a client's details.
#[derive(Debug, Error)]
pub enum FollowupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Deadline(#[from] DeadlineError),
    #[error(transparent)]
    Letter(#[from] LetterError),
    #[error("{0}")]
    ClientDetails(String),
    #[error("the last reply to request {0} was complete: there is nothing to chase")]
    NothingMissing(RequestId),
    #[error(
        "request {id} is not overdue yet: the reply may be due as late as {latest} (if a bank holiday in any UK nation counts); a chaser can go from the next day"
    )]
    NotOverdue { id: RequestId, latest: String },
    #[error(
        "the clock for request {id} is stopped while the body waits for clarification (asked on {since}): record the day it arrived first"
    )]
    ClockPaused { id: RequestId, since: String },
    #[error("request {0} has no date sent: record the date it was sent first")]
    NoSentDate(RequestId),
    #[error(
        "the store shows nothing yet to complain about for request {0}; give the points of the complaint"
    )]
    NothingToComplain(RequestId),
}

/// How urgent a request still awaiting its reply is. Shown as words, so
/// colour is never the only signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// Past the latest date it could be due under any nation's bank holidays.
    Overdue,
    /// Due today, or just past due while a bank holiday elsewhere could still count.
    DueNow,
    /// Due within [`DUE_SOON_DAYS`].
    DueSoon,
    /// Due later than that.
    Waiting,
}

impl Urgency {
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Overdue => "OVERDUE",
            Urgency::DueNow => "DUE NOW",
            Urgency::DueSoon => "DUE SOON",
            Urgency::Waiting => "waiting",
        }
    }

    /// Whether the adviser should act now or soon.
    pub fn is_pressing(self) -> bool {
        self != Urgency::Waiting
    }
}

/// How urgent `request` is today; `None` unless it awaits a reply and has a
/// due date. "Overdue" waits until after [`deadline::latest_plausible_due`],
/// so a reply is never called overdue too early.
pub fn urgency(request: &Request, today: NaiveDate) -> Option<Urgency> {
    if !RequestStatus::AWAITING_REPLY.contains(&request.details.status) {
        return None;
    }
    let due = request.due?;
    let latest = request
        .details
        .deadline_input()
        .and_then(|input| deadline::latest_plausible_due(&input).ok())
        .unwrap_or(due)
        .max(due);
    let soon = today
        .checked_add_days(Days::new(DUE_SOON_DAYS))
        .unwrap_or(NaiveDate::MAX);
    Some(if today > latest {
        Urgency::Overdue
    } else if today >= due {
        Urgency::DueNow
    } else if due <= soon {
        Urgency::DueSoon
    } else {
        Urgency::Waiting
    })
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
}

impl Case {
    pub fn load(store: &Store, id: RequestId) -> Result<Case, FollowupError> {
        let request = store.request(id)?;
        let record = store.client_record(request.details.client)?;
        let label = format!("the details of client {}", record.client.id);
        let client =
            ClientDetails::from_toml_str(&record.client.details_toml, &label).map_err(|error| {
                FollowupError::ClientDetails(redact_client_values(&error.to_string()))
            })?;
        let last_reply = record
            .replies
            .iter()
            .rfind(|reply| reply.details.request == id)
            .map(|reply| {
                let check = check_recorded(reply, &request.details.organisation);
                (reply.clone(), check)
            });
        Ok(Case {
            request,
            record,
            client,
            last_reply,
        })
    }

    /// Tells a follow-up letter about the earlier request: its dates and everything
    /// that moved its clock, so the letter's "was due by" is the store's due date.
    fn describe_request(&self, letter: &mut LetterRequest, sent: NaiveDate) {
        let details = &self.request.details;
        letter.nation = details.nation;
        letter.previous_request_sent = Some(sent);
        letter.previous_request_received = details.received;
        letter.previous_request_clock = Some(RequestClock {
            id_received: details.id_received,
            fee_received: details.fee_received,
            pauses: details.pauses.clone(),
            paused_since: details.paused_since,
            extended: details.extended,
        });
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

/// Why a chaser may go now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChaseGround {
    /// No reply came, and the reply is late under any UK nation's bank holidays.
    Overdue,
    /// A reply came with items missing: it can be chased at once.
    PartAnswer,
}

/// Whether a chaser may go today, and why; or the reason it may not (yet). The rule
/// [`chaser`] applies, for a front-end to say which follow-up fits before writing one.
pub fn chaser_ground(case: &Case, today: NaiveDate) -> Result<ChaseGround, FollowupError> {
    let id = case.request.id;
    let details = &case.request.details;
    if let Some(since) = details.paused_since {
        return Err(FollowupError::ClockPaused {
            id,
            since: format_uk(since),
        });
    }
    if let Some((_, check)) = &case.last_reply
        && check.is_complete()
    {
        return Err(FollowupError::NothingMissing(id));
    }
    // A part answer can be chased at once; with no answer at all, only once the
    // reply is late under any UK nation's bank holidays.
    if case.last_reply.is_none()
        && let Some(input) = details.deadline_input()
    {
        let latest = deadline::latest_plausible_due(&input)?;
        if today <= latest {
            return Err(FollowupError::NotOverdue {
                id,
                latest: format_uk(latest),
            });
        }
    }
    details.sent.ok_or(FollowupError::NoSentDate(id))?;
    Ok(if case.last_reply.is_some() {
        ChaseGround::PartAnswer
    } else {
        ChaseGround::Overdue
    })
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
    chaser_ground(case, today)?;
    let details = &case.request.details;
    let sent = details
        .sent
        .ok_or(FollowupError::NoSentDate(case.request.id))?;
    let mut request =
        LetterRequest::new("chaser", &details.organisation, case.client.clone(), today);
    case.describe_request(&mut request, sent);
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
    let mut points = complaint_points(case, catalogue, today);
    points.extend(extra_points.iter().cloned());
    if points.is_empty() {
        return Err(FollowupError::NothingToComplain(case.request.id));
    }
    let mut request = if to_ico {
        let mut request =
            LetterRequest::new(complaint_template(true), "ico", case.client.clone(), today);
        request.about = Some(details.organisation.clone());
        request.about_name = to.name.clone();
        request.chronology = chronology(case, catalogue, to.name.as_deref(), today);
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
    if let Some(sent) = details.sent {
        case.describe_request(&mut request, sent);
    }
    request.previous_reply = case.previous_reply(catalogue);
    request.their_reference = their_reference;
    Ok(letter::compose(&request, catalogue)?)
}

/// The template id of a complaint.
pub fn complaint_template(to_ico: bool) -> &'static str {
    if to_ico {
        "complaint-ico"
    } else {
        "complaint-controller"
    }
}

/// What the store shows went wrong: no reply by the due date, items missing,
/// the exemption cited.
pub fn complaint_points(case: &Case, catalogue: &Catalogue, today: NaiveDate) -> Vec<String> {
    let wording = catalogue.casework_wording();
    let mut points = Vec::new();
    match &case.last_reply {
        None => {
            if let Some(due) = case.request.due
                && today > due
            {
                points.push(fill(
                    &wording.complaint_no_reply,
                    &[("due", &format_uk(due))],
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

/// The events on record for this request, in date order, naming the body as
/// `own_name` or as the catalogue does.
pub fn chronology(
    case: &Case,
    catalogue: &Catalogue,
    own_name: Option<&str>,
    today: NaiveDate,
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
    if let Some(sent) = details.sent {
        events.push((sent, format!("Subject access request sent to {body}.")));
    }
    if let Some(received) = details.received {
        events.push((received, format!("{body_first} received the request.")));
    }
    if let Some(date) = details.id_received {
        events.push((
            date,
            format!("{body_first} received the proof of identity it asked for."),
        ));
    }
    if let Some(date) = details.fee_received {
        events.push((date, format!("{body_first} received the fee.")));
    }
    for pause in &details.pauses {
        events.push((
            pause.asked,
            format!("{body_first} asked for clarification."),
        ));
        events.push((pause.answered, "The clarification reached it.".to_string()));
    }
    if let Some(due) = case.request.due
        && due < today
    {
        let extended = if details.extended {
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
        // The request letter itself is already there, on the day it was sent.
        .filter(|l| {
            l.details.request == Some(case.request.id) && l.details.template != details.template
        })
    {
        let sent = letter.created.date_naive();
        let template = catalogue.template(&letter.details.template);
        if letter.details.template == complaint_template(false) {
            // The body's duty under DPA 2018 s.164A, counted from the day the
            // complaint is taken to have reached it.
            let received = assumed_receipt(sent, details.nation);
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

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::calendar::holidays::Nation;
    use crate::casework::store::{ClientId, RequestDetails};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn request(status: RequestStatus, received: NaiveDate, due: NaiveDate) -> Request {
        let mut details = RequestDetails::drafted(
            ClientId(1),
            "home-office",
            "sar-home-office",
            Nation::EnglandWales,
        );
        details.received = Some(received);
        details.status = status;
        Request {
            id: RequestId(1),
            details,
            due: Some(due),
            created: Utc::now(),
            updated: Utc::now(),
        }
    }

    #[test]
    fn a_reply_is_not_called_overdue_on_its_due_date() {
        let due = date(2026, 11, 2);
        let request = request(RequestStatus::Sent, date(2026, 10, 1), due);
        assert_eq!(urgency(&request, due), Some(Urgency::DueNow));
        assert_eq!(
            urgency(&request, date(2026, 11, 20)),
            Some(Urgency::Overdue)
        );
        assert_eq!(
            urgency(&request, date(2026, 10, 30)),
            Some(Urgency::DueSoon)
        );
        assert_eq!(
            urgency(&request, date(2026, 10, 26)),
            Some(Urgency::DueSoon)
        );
        assert_eq!(
            urgency(&request, date(2026, 10, 25)),
            Some(Urgency::Waiting)
        );
    }

    #[test]
    fn only_requests_awaiting_a_reply_are_urgent() {
        let due = date(2026, 11, 2);
        let late = date(2026, 12, 1);
        for status in [
            RequestStatus::Drafted,
            RequestStatus::Answered,
            RequestStatus::Closed,
        ] {
            assert_eq!(
                urgency(&request(status, date(2026, 10, 1), due), late),
                None
            );
        }
        for status in RequestStatus::AWAITING_REPLY {
            assert_eq!(
                urgency(&request(status, date(2026, 10, 1), due), late),
                Some(Urgency::Overdue)
            );
        }
    }

    #[test]
    fn every_urgency_has_a_distinct_word_label() {
        let all = [
            Urgency::Overdue,
            Urgency::DueNow,
            Urgency::DueSoon,
            Urgency::Waiting,
        ];
        let labels: std::collections::BTreeSet<&str> = all.iter().map(|u| u.label()).collect();
        assert_eq!(labels.len(), all.len());
        assert!(
            all.iter()
                .filter(|u| !u.is_pressing())
                .eq([&Urgency::Waiting])
        );
    }
}
