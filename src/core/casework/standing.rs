//! Where a request stands today: the one answer every screen, list, export and
//! follow-up letter renders.
//!
//! A request's meaning today (waiting, paused, late, chaseable, complainable, and
//! by what date) is worked out here and nowhere else, from its [`Clock`], its
//! replies and the letters written about it. Lateness has ONE threshold: a reply is
//! late only after [`deadline::latest_plausible_due`] (the due date counting a
//! bank holiday in any UK nation), so no screen calls a reply late, and no letter
//! complains of it, while it could still be on time.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::calendar::{DueEvent, DueKind};
use super::reply_check::{self, ReplyCheck};
use super::store::{
    DueRequest, Letter, Reply, Request, RequestId, RequestStatus, Store, StoreError,
};
use crate::calendar::dates::format_uk;
use crate::calendar::deadline::{self, Clock, Deadline, DeadlineError};
use crate::letter::PreviousRequest;

/// How soon "due soon" is, in days.
pub const DUE_SOON_DAYS: u64 = 7;

/// The template id of a complaint to the body itself (DPA 2018 s.164A).
pub const COMPLAINT_TO_BODY: &str = "complaint-controller";
/// The template id of a complaint to the ICO.
pub const COMPLAINT_TO_ICO: &str = "complaint-ico";

/// Where the clock stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum ClockState {
    /// Drafted, or recorded with no date sent or received: no clock yet.
    NotSent,
    /// Running: the reply is due by the deadline.
    Running,
    /// Stopped since the body asked for clarification on this day.
    Paused { since: NaiveDate },
    /// A complete reply came on this day.
    Answered { on: NaiveDate },
    /// The adviser closed the request.
    Stopped,
}

/// How urgent a request still awaiting its reply is. Shown as words, so
/// colour is never the only signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// Late: past the latest date it could be due under any nation's bank holidays.
    Overdue,
    /// Due today, or just past due while a bank holiday elsewhere could still count.
    DueNow,
    /// Due within [`DUE_SOON_DAYS`].
    DueSoon,
    /// Due later than that.
    Waiting,
    /// Awaiting a reply while the clock is stopped for clarification: no due date
    /// until it restarts. Never left off a list.
    Paused,
    /// Awaiting a reply with no date to count from (no date sent or received).
    /// Never left off a list.
    NoDate,
}

impl Urgency {
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Overdue => "OVERDUE",
            Urgency::DueNow => "DUE NOW",
            Urgency::DueSoon => "DUE SOON",
            Urgency::Waiting => "waiting",
            Urgency::Paused => "PAUSED",
            Urgency::NoDate => "NO DATE",
        }
    }

    /// Whether the adviser should act now or soon.
    pub fn is_pressing(self) -> bool {
        self != Urgency::Waiting
    }
}

/// Why a chaser may go now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChaseGround {
    /// No reply came, and the reply is late under any UK nation's bank holidays.
    Overdue,
    /// A reply came with items missing: it can be chased at once.
    PartAnswer,
}

/// Why a follow-up may not go (yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum NotYet {
    /// Not sent: nothing to follow up.
    NotSent,
    /// The clock is stopped for clarification asked on this day.
    Paused { since: NaiveDate },
    /// No reply yet, and the reply may be due as late as this day.
    NotLate { latest: NaiveDate },
    /// The last reply was complete.
    NothingMissing,
    /// The request is closed.
    Closed,
    /// No date sent is recorded, which a follow-up letter states.
    NoSentDate,
    /// The request's dates cannot describe a real request.
    Dates { problem: String },
    /// No complaint to the body yet: the ICO expects one first (s.164A).
    NoComplaintToBody,
    /// The body still has until this day to acknowledge the complaint (s.164A).
    BodyStillHasTime { acknowledge_by: NaiveDate },
}

impl NotYet {
    /// The reason in plain words, for a screen or an error.
    pub fn explain(&self, request: RequestId) -> String {
        match self {
            NotYet::NotSent => {
                format!("request {request} has not been sent: record the day it was sent first")
            }
            NotYet::Paused { since } => format!(
                "the clock for request {request} is stopped while the body waits for clarification (asked on {}): record the day it arrived first",
                format_uk(*since)
            ),
            NotYet::NotLate { latest } => format!(
                "request {request} is not overdue yet: the reply may be due as late as {} (if a bank holiday in any UK nation counts); a chaser can go from the next day",
                format_uk(*latest)
            ),
            NotYet::NothingMissing => format!(
                "the last reply to request {request} was complete: there is nothing to chase"
            ),
            NotYet::Closed => format!("request {request} is closed"),
            NotYet::NoSentDate => format!(
                "request {request} has no date sent, which a follow-up letter gives: record the date it was sent first"
            ),
            NotYet::Dates { problem } => format!("request {request}: {problem}"),
            NotYet::NoComplaintToBody => format!(
                "complain to the body first (request {request}): under section 164A of the Data Protection Act 2018 it has 30 days to acknowledge a complaint, and the ICO usually expects that first"
            ),
            NotYet::BodyStillHasTime { acknowledge_by } => format!(
                "the body has until {} to acknowledge the complaint about request {request} (section 164A, 30 days counting the day it arrived); the ICO can be asked from the next day",
                format_uk(*acknowledge_by)
            ),
        }
    }
}

/// The complaint milestones of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complaints {
    /// The date of the last complaint to the body (the letter's own date).
    pub to_body: Option<NaiveDate>,
    /// When that complaint is taken to reach the body (two working days later).
    pub body_received: Option<NaiveDate>,
    /// The day the body must acknowledge it by (s.164A: 30 days counting the day
    /// it arrived).
    pub acknowledge_by: Option<NaiveDate>,
    /// From when a complaint to the ICO may go, or why not yet.
    pub ico: Result<NaiveDate, NotYet>,
}

/// Where a request stands today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub request: RequestId,
    pub status: RequestStatus,
    pub clock: ClockState,
    /// The due date with its working, while there is one (not paused, sent).
    pub deadline: Option<Deadline>,
    /// The day the body is taken to have received the request, when only the
    /// date sent is known.
    pub receipt_assumed: Option<NaiveDate>,
    /// The latest day the reply could be due if a bank holiday in any UK nation
    /// counts; late from the next day.
    pub latest: Option<NaiveDate>,
    /// Late today: no complete reply, and today is after `latest`.
    pub late: bool,
    /// For requests awaiting a reply.
    pub urgency: Option<Urgency>,
    /// Whether a chaser may go today.
    pub chase: Result<ChaseGround, NotYet>,
    pub complaints: Complaints,
    /// What is wrong with the dates, if the due date cannot be worked out.
    pub problem: Option<String>,
}

/// What the clock alone says today, whatever the replies: the rule letters about
/// a request known only by its dates use too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockReading {
    pub deadline: Option<Deadline>,
    pub latest: Option<NaiveDate>,
    /// Today is after `latest`.
    pub late: bool,
}

/// Reads a clock on `today`. Paused or not sent: no deadline, never late.
pub fn read_clock(clock: &Clock, today: NaiveDate) -> Result<ClockReading, DeadlineError> {
    match deadline::sar_due_date(clock) {
        Ok(worked) => {
            let latest = deadline::latest_plausible_due(clock)?.max(worked.due);
            Ok(ClockReading {
                deadline: Some(worked),
                latest: Some(latest),
                late: today > latest,
            })
        }
        Err(DeadlineError::Paused { .. } | DeadlineError::NotSent) => Ok(ClockReading {
            deadline: None,
            latest: None,
            late: false,
        }),
        Err(error) => Err(error),
    }
}

/// A request known only by its clock (a letter written outside the store), as a
/// follow-up letter states it on `today`; none before it was sent.
pub fn previous_request_from_clock(
    clock: &Clock,
    today: NaiveDate,
) -> Result<Option<PreviousRequest>, DeadlineError> {
    let reading = read_clock(clock, today)?;
    Ok(clock
        .sent
        .zip(clock.receipt())
        .map(|(sent, received)| PreviousRequest {
            sent,
            received,
            received_given: clock.received.is_some(),
            due: reading.deadline,
            latest: reading.latest,
            late: reading.late,
        }))
}

/// Where `request` stands on `today`, given its replies and the letters written
/// about it (others' are ignored).
pub fn standing(
    request: &Request,
    replies: &[Reply],
    letters: &[Letter],
    today: NaiveDate,
) -> Standing {
    let details = &request.details;
    let (reading, problem) = match read_clock(&details.clock, today) {
        Ok(reading) => (reading, None),
        Err(error) => (
            ClockReading {
                deadline: None,
                latest: None,
                late: false,
            },
            Some(error.to_string()),
        ),
    };
    let last_reply = last_reply(request, replies);
    let complete = last_reply
        .as_ref()
        .is_some_and(|(_, check)| check.is_complete());
    let clock = clock_state(request, last_reply.as_ref().map(|(r, _)| r), complete);
    let late = reading.late && !complete && details.status != RequestStatus::Closed;
    let awaiting = RequestStatus::AWAITING_REPLY.contains(&details.status);
    let urgency = awaiting.then(|| match clock {
        ClockState::Paused { .. } => Urgency::Paused,
        _ => urgency(&reading, today),
    });
    let chase =
        chase(&clock, &reading, last_reply.is_some(), complete, &problem).and_then(|ground| {
            match details.clock.sent {
                Some(_) => Ok(ground),
                None => Err(NotYet::NoSentDate),
            }
        });
    let complaints = complaints(request, letters, &reading, last_reply.is_some(), today);
    Standing {
        request: request.id,
        status: details.status,
        clock,
        receipt_assumed: details
            .clock
            .receipt_is_assumed()
            .then(|| details.clock.receipt())
            .flatten(),
        deadline: reading.deadline,
        latest: reading.latest,
        late,
        urgency,
        chase,
        complaints,
        problem,
    }
}

/// The standing of a request on a list (`Store::requests`, `Store::requests_due_by`).
pub fn of_listed(item: &DueRequest, today: NaiveDate) -> Standing {
    standing(&item.request, &item.replies, &item.letters, today)
}

/// The standing of request `id` on `today`, read from the store.
pub fn load(store: &Store, id: RequestId, today: NaiveDate) -> Result<Standing, StoreError> {
    let request = store.request(id)?;
    let record = store.client_record(request.details.client)?;
    Ok(standing(&request, &record.replies, &record.letters, today))
}

impl Standing {
    /// Whether a list of what is due by `by` shows it: anything awaiting a reply
    /// that is due by then, late, paused or undated (never left off for want of a
    /// date).
    pub fn listed_by(&self, by: NaiveDate) -> bool {
        match self.urgency {
            None => false,
            Some(Urgency::NoDate | Urgency::Paused | Urgency::Overdue | Urgency::DueNow) => true,
            Some(_) => self.deadline.as_ref().is_some_and(|d| d.due <= by),
        }
    }

    /// The calendar event for it, if it is awaiting a reply: its due day, or
    /// `today` with "paused since" or "no date yet".
    pub fn calendar_event(&self, request: &Request, today: NaiveDate) -> Option<DueEvent> {
        self.urgency?;
        let (due, kind) = match (&self.clock, &self.deadline) {
            (ClockState::Paused { since }, _) => (today, DueKind::Paused { since: *since }),
            (_, Some(deadline)) => (deadline.due, DueKind::Due),
            _ => (today, DueKind::NoDate),
        };
        Some(DueEvent {
            request: request.id,
            organisation: request.details.organisation.clone(),
            due,
            kind,
        })
    }

    /// The earlier request as a follow-up letter states it: sent, received, due and
    /// whether late, all from this standing.
    pub fn previous_request(&self, request: &Request) -> Option<PreviousRequest> {
        let clock = &request.details.clock;
        Some(PreviousRequest {
            sent: clock.sent?,
            received: clock.receipt()?,
            received_given: clock.received.is_some(),
            due: self.deadline.clone(),
            latest: self.latest,
            late: self.late,
        })
    }

    /// One line on the clock, the same on every screen: "reply due by 3 August
    /// 2026", "clock paused since 10 August 2026 for clarification: no due date
    /// until it arrives", "no date yet: record when it was sent or received".
    pub fn clock_words(&self) -> String {
        match (&self.clock, &self.deadline, &self.problem) {
            (_, _, Some(problem)) => format!("the dates need checking: {problem}"),
            (ClockState::Paused { since }, _, _) => format!(
                "clock paused since {} for clarification: no due date until it arrives",
                format_uk(*since)
            ),
            (ClockState::NotSent, _, _) => {
                "no date yet: record when it was sent or received".to_string()
            }
            (ClockState::Answered { on }, _, _) => {
                format!("answered in full on {}", format_uk(*on))
            }
            (ClockState::Stopped, _, _) => "closed".to_string(),
            (_, Some(deadline), _) => {
                let mut text = format!("reply due by {}", format_uk(deadline.due));
                if let Some(latest) = self.latest.filter(|l| *l > deadline.due) {
                    text.push_str(&format!(
                        " (not late until after {}: a bank holiday elsewhere in the UK may count)",
                        format_uk(latest)
                    ));
                }
                text
            }
            (_, None, _) => "no date yet: record when it was sent or received".to_string(),
        }
    }

    /// The clock in a few words, for a list: "due 3 August 2026", "paused since 10
    /// August 2026", "no date yet".
    pub fn date_words(&self) -> String {
        match (&self.clock, &self.deadline) {
            (ClockState::Paused { since }, _) => format!("paused since {}", format_uk(*since)),
            (ClockState::Answered { on }, _) => format!("answered {}", format_uk(*on)),
            (ClockState::Stopped, _) => "closed".to_string(),
            (ClockState::NotSent, _) | (_, None) => "no date yet".to_string(),
            (_, Some(deadline)) => format!("due {}", format_uk(deadline.due)),
        }
    }

    /// The date a list sorts by: the due date, or the pause or nothing (first).
    pub fn sort_date(&self) -> Option<NaiveDate> {
        match (&self.clock, &self.deadline) {
            (ClockState::Paused { since }, _) => Some(*since),
            (_, Some(deadline)) => Some(deadline.due),
            _ => None,
        }
    }
}

/// The last reply to `request` among `replies`, checked.
pub fn last_reply(request: &Request, replies: &[Reply]) -> Option<(Reply, ReplyCheck)> {
    replies
        .iter()
        .filter(|reply| reply.details.request == request.id)
        .max_by_key(|reply| (reply.details.received, reply.id))
        .map(|reply| {
            let check = reply_check::check_reply(
                &request.details.organisation,
                &reply.details.checklist,
                reply.details.exemption_cited,
                &reply.details.exemption_rights,
            );
            (reply.clone(), check)
        })
}

fn clock_state(request: &Request, last: Option<&Reply>, complete: bool) -> ClockState {
    let clock = &request.details.clock;
    if request.details.status == RequestStatus::Closed {
        return ClockState::Stopped;
    }
    if let (true, Some(reply)) = (complete, last) {
        return ClockState::Answered {
            on: reply.details.received,
        };
    }
    if let Some(since) = clock.paused_since {
        return ClockState::Paused { since };
    }
    if request.details.status == RequestStatus::Drafted || clock.receipt().is_none() {
        return ClockState::NotSent;
    }
    ClockState::Running
}

fn urgency(reading: &ClockReading, today: NaiveDate) -> Urgency {
    let (Some(deadline), Some(latest)) = (&reading.deadline, reading.latest) else {
        return Urgency::NoDate;
    };
    let soon = today
        .checked_add_days(Days::new(DUE_SOON_DAYS))
        .unwrap_or(NaiveDate::MAX);
    if today > latest {
        Urgency::Overdue
    } else if today >= deadline.due {
        Urgency::DueNow
    } else if deadline.due <= soon {
        Urgency::DueSoon
    } else {
        Urgency::Waiting
    }
}

fn chase(
    clock: &ClockState,
    reading: &ClockReading,
    replied: bool,
    complete: bool,
    problem: &Option<String>,
) -> Result<ChaseGround, NotYet> {
    match clock {
        ClockState::Stopped => return Err(NotYet::Closed),
        ClockState::Answered { .. } => return Err(NotYet::NothingMissing),
        ClockState::Paused { since } => return Err(NotYet::Paused { since: *since }),
        ClockState::NotSent => return Err(NotYet::NotSent),
        ClockState::Running => {}
    }
    if complete {
        return Err(NotYet::NothingMissing);
    }
    if replied {
        return Ok(ChaseGround::PartAnswer);
    }
    if let Some(problem) = problem {
        return Err(NotYet::Dates {
            problem: problem.clone(),
        });
    }
    match reading.latest {
        Some(_) if reading.late => Ok(ChaseGround::Overdue),
        Some(latest) => Err(NotYet::NotLate { latest }),
        None => Err(NotYet::NotSent),
    }
}

/// The letter's own date: the day the adviser gave when writing it (older rows
/// without one: the day of the audit stamp).
pub fn letter_date(letter: &Letter) -> NaiveDate {
    letter
        .details
        .dated
        .unwrap_or_else(|| letter.created.date_naive())
}

fn complaints(
    request: &Request,
    letters: &[Letter],
    reading: &ClockReading,
    replied: bool,
    today: NaiveDate,
) -> Complaints {
    let to_body = letters
        .iter()
        .filter(|l| {
            l.details.request == Some(request.id) && l.details.template == COMPLAINT_TO_BODY
        })
        .map(letter_date)
        .max();
    let nation = request.details.clock.nation;
    let body_received = to_body.map(|sent| crate::calendar::dates::assumed_receipt(sent, nation));
    let acknowledge_by = body_received.map(deadline::complaint_acknowledgement_due);
    let ico = match (acknowledge_by, &reading.latest) {
        _ if !replied && !reading.late => Err(match reading.latest {
            Some(latest) => NotYet::NotLate { latest },
            None => match request.details.clock.paused_since {
                Some(since) => NotYet::Paused { since },
                None => NotYet::NotSent,
            },
        }),
        (None, _) => Err(NotYet::NoComplaintToBody),
        (Some(by), _) if today <= by => Err(NotYet::BodyStillHasTime { acknowledge_by: by }),
        (Some(by), _) => Ok(by.succ_opt().unwrap_or(by)),
    };
    Complaints {
        to_body,
        body_received,
        acknowledge_by,
        ico,
    }
}

#[cfg(test)]
mod tests;
