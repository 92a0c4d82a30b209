//! When a reply is due: subject access requests, complaints to a controller,
//! and complaints to the ICO.
//!
//! Pure date arithmetic with a plain-English account of every step, so an
//! adviser can check the working and the client can be told the date with
//! confidence. The rules (domain brief A2, A3, A8):
//!
//! - A SAR is due one month after it starts, counting the day of receipt as
//!   day one: the same date in the next month, or that month's last day when
//!   there is no such date (ICO right of access guidance).
//! - A date on a weekend or bank holiday moves to the next working day (ICO).
//! - An extension runs to three months from the start, worked out the same way
//!   (UK GDPR Art 12(3), Art 12A(3)-(4); ICO).
//! - Since 5 February 2026 (UK GDPR Art 12A, inserted by DUAA 2025 s.76 and
//!   commenced by SI 2026/82 reg 2) the month starts at the latest of receipt
//!   of the request, of identity information asked for, and of a fee; and the
//!   days from asking for clarification to receiving it do not count
//!   (Art 12A(5)-(6)). Requests received before that date keep the old rules
//!   (SI 2026/82 reg 4); the ICO's guidance then also started the clock at
//!   receipt of ID or a fee, and accepted clarification pauses only in limited
//!   cases, so a pause is flagged for an adviser to check.
//!
//! Which nation's bank holidays count is not settled (brief, open question
//! 19): callers pass the nation where the controller handles the request, and
//! [`latest_plausible_due`] gives the date counting a holiday anywhere in the
//! UK, for use before calling a reply overdue.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::dates::{assumed_receipt, format_uk};
use super::holidays::{self, Nation};

/// The day UK GDPR Art 12A (time limits, stop the clock) came into force:
/// SI 2026/82 reg 2, commencing DUAA 2025 s.76.
pub const ART_12A_IN_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2026, 2, 5) {
    Some(date) => date,
    None => panic!("5 February 2026 is a valid date"),
};

/// The day DPA 2018 s.164A (complaints to controllers) came into force:
/// SI 2026/82 reg 3, commencing DUAA 2025 s.103 and Sch 10.
pub const SECTION_164A_IN_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2026, 6, 19) {
    Some(date) => date,
    None => panic!("19 June 2026 is a valid date"),
};

/// Cited for every SAR due date.
pub const SAR_SOURCE: &str = "UK GDPR Article 12(3) (respond within one month of receipt; extension by two further months) and Article 12A (the applicable time period: it starts at the latest of the request, identity information or a fee, and pauses for clarification), inserted by the Data (Use and Access) Act 2025 s.76 and in force from 5 February 2026 (SI 2026/82 reg 2; earlier requests keep the old rules, reg 4). ICO right of access guidance, 'What should we consider when responding to a request?' (day of receipt is day one; corresponding calendar date; next working day; extension = three months from the start): https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/individual-rights/right-of-access/what-should-we-consider-when-responding-to-a-request/";

/// Cited for the complaint acknowledgement date.
pub const COMPLAINT_ACKNOWLEDGEMENT_SOURCE: &str = "Data Protection Act 2018 s.164A (complaints to controllers: acknowledge within the period of 30 days beginning when the complaint is received), inserted by the Data (Use and Access) Act 2025 s.103 and Sch 10, in force for complaints received on or after 19 June 2026 (SI 2026/82 reg 3).";

/// Cited for the last day to complain to the ICO.
pub const ICO_COMPLAINT_SOURCE: &str = "ICO guidance on data protection complaints, 'What to expect' (complain to the organisation first, then to the ICO within three months of the last contact with it; ICO practice, not a statutory time limit): https://ico.org.uk/make-a-complaint/data-protection-complaints/what-to-expect/";

/// A clarification pause: the controller asked the person to say what they
/// want on `asked`, and the answer arrived on `answered`. Both days are
/// excluded from the time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub asked: NaiveDate,
    pub answered: NaiveDate,
}

impl Pause {
    /// Days not counted: from asking to the answer, both days included
    /// (asked 5 March, answered 14 March = 10 days).
    pub fn days(&self) -> u64 {
        inclusive_days(self.asked, self.answered)
    }
}

/// A subject access request's clock: everything that starts, stops or moves its
/// one-month time limit. The one description of a request's clock, kept by the
/// case store with each request, given to letters about an earlier request, and
/// read by `casework::standing`. Dates are written `YYYY-MM-DD` when serialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// When the request was sent; with no `received`, receipt is taken to be two
    /// working days later (`calendar::dates::assumed_receipt`).
    #[serde(default)]
    pub sent: Option<NaiveDate>,
    /// When the body received the request (day one of the month).
    #[serde(default)]
    pub received: Option<NaiveDate>,
    #[serde(default)]
    pub id_received: Option<NaiveDate>,
    #[serde(default)]
    pub fee_received: Option<NaiveDate>,
    /// Clarification pauses that have ended.
    #[serde(default)]
    pub pauses: Vec<Pause>,
    /// The day the body asked for clarification, while the answer is still
    /// awaited: the clock is stopped and there is no due date until it resumes.
    #[serde(default)]
    pub paused_since: Option<NaiveDate>,
    #[serde(default)]
    pub extended: bool,
    /// Whose bank holidays count.
    pub nation: Nation,
}

impl Clock {
    /// A request received on `received`, handled in `nation`, with no ID,
    /// fee, pause or extension.
    pub fn new(received: NaiveDate, nation: Nation) -> Self {
        Clock {
            received: Some(received),
            ..Clock::unsent(nation)
        }
    }

    /// A request not sent yet: no dates at all.
    pub fn unsent(nation: Nation) -> Self {
        Clock {
            sent: None,
            received: None,
            id_received: None,
            fee_received: None,
            pauses: Vec::new(),
            paused_since: None,
            extended: false,
            nation,
        }
    }

    /// The day the body received the request: as recorded, or else taken to be
    /// two working days after it was sent.
    pub fn receipt(&self) -> Option<NaiveDate> {
        self.received
            .or_else(|| self.sent.map(|sent| assumed_receipt(sent, self.nation)))
    }

    /// Whether [`Clock::receipt`] is an assumption from the date sent.
    pub fn receipt_is_assumed(&self) -> bool {
        self.received.is_none() && self.sent.is_some()
    }
}

/// A worked-out date with its working. `start` is the day the period runs
/// from (day one); `needs_review` asks an adviser to check the working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub due: NaiveDate,
    pub start: NaiveDate,
    /// The end of the period (months from `start`, moved on by any pause), before
    /// it is moved off a weekend or bank holiday.
    pub period_end: NaiveDate,
    /// The length of the period in months: 1, or 3 with an extension (0 for the
    /// complaint dates, which are not counted in months from a request).
    pub months: u32,
    /// Days the clock was stopped for clarification.
    pub paused_days: u64,
    pub explanation: Vec<String>,
    pub source: &'static str,
    pub needs_review: bool,
}

impl Deadline {
    /// The working in one sentence, for a letter: "Counting 3 June 2026 as day one,
    /// three months (with the extension) end on 3 September 2026."
    pub fn working_sentence(&self) -> String {
        let period = match self.months {
            1 => "one month ends".to_string(),
            3 => "three months (with the extension) end".to_string(),
            n => format!("{n} months end"),
        };
        let unpaused_end = self
            .period_end
            .checked_sub_days(Days::new(self.paused_days))
            .unwrap_or(self.period_end);
        let mut text = format!(
            "Counting {} as day one, {period} on {}",
            format_uk(self.start),
            format_uk(unpaused_end)
        );
        if self.paused_days > 0 {
            text.push_str(&format!(
                "; the {} the clock was stopped for clarification do not count, which moves the date to {}",
                day_count(self.paused_days),
                format_uk(self.period_end)
            ));
        }
        if self.due != self.period_end {
            text.push_str(&format!(
                "; that is not a working day, so the reply is due by {}",
                format_uk(self.due)
            ));
        }
        text.push('.');
        text
    }
}

/// Input that cannot describe a real request.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeadlineError {
    #[error(
        "the proof of identity is recorded as received on {}, before the request itself ({}); if it came with the request, give the request date for both",
        format_uk(*.id_received),
        format_uk(*.received)
    )]
    IdBeforeRequest {
        received: NaiveDate,
        id_received: NaiveDate,
    },
    #[error(
        "the fee is recorded as received on {}, before the request itself ({}); if it came with the request, give the request date for both",
        format_uk(*.fee_received),
        format_uk(*.received)
    )]
    FeeBeforeRequest {
        received: NaiveDate,
        fee_received: NaiveDate,
    },
    #[error(
        "a clarification pause is recorded as asked for on {}, before the request was received ({}); check the dates",
        format_uk(*.asked),
        format_uk(*.received)
    )]
    PauseBeforeRequest {
        received: NaiveDate,
        asked: NaiveDate,
    },
    #[error(
        "a clarification pause ends on {} but starts on {}: the answer cannot come before the question; check which date is which",
        format_uk(*.answered),
        format_uk(*.asked)
    )]
    PauseAnsweredBeforeAsked {
        asked: NaiveDate,
        answered: NaiveDate,
    },
    #[error(
        "two clarification pauses overlap ({} to {}, and {} to {}); a day can only be paused once, so enter them as one pause or correct the dates",
        format_uk(.first.asked),
        format_uk(.first.answered),
        format_uk(.second.asked),
        format_uk(.second.answered)
    )]
    PausesOverlap { first: Pause, second: Pause },
    #[error("the dates given are too far in the future to work out a deadline")]
    OutOfRange,
    #[error(
        "the clock is stopped while the body waits for clarification (asked on {}): there is no due date until it arrives",
        format_uk(*.since)
    )]
    Paused { since: NaiveDate },
    #[error("there is no due date yet: record the day the request was sent or received")]
    NotSent,
}

/// When the controller must reply to a subject access request, with the
/// working shown step by step.
/// Refused while the clock is stopped for clarification, or before the request
/// was sent or received.
pub fn sar_due_date(input: &Clock) -> Result<Deadline, DeadlineError> {
    let (received, pauses) = checked_pauses(input)?;
    let mut explanation = Vec::new();
    let mut needs_review = false;
    let under_12a = received >= ART_12A_IN_FORCE;

    explanation.push(rules_line(received, under_12a));
    let start = start_date(input, received);
    explanation.extend(start_lines(input, received, start, under_12a));

    let months = if input.extended { 3 } else { 1 };
    let end = add_months(start, months)?;
    explanation.push(months_line(start, end, input.extended));

    let paused = apply_pauses(start, end, &pauses)?;
    let (period_end, paused_days) = (paused.end, paused.days);
    explanation.extend(paused.lines);
    if !pauses.is_empty() {
        needs_review = true;
        if !under_12a {
            explanation.push(
                "This request arrived before 5 February 2026, when pausing for clarification was not yet in the law: the ICO's guidance allowed it only where a large amount of information is held and the controller genuinely needed to know what the person wanted. An adviser should check the pause was justified."
                    .to_string(),
            );
        }
    }
    needs_review |= paused.needs_review;

    let (due, roll_lines) = roll_to_working_day(paused.end, input.nation);
    explanation.extend(roll_lines);
    explanation.push(format!(
        "Weekends and the bank holidays of {} are skipped (the nation where the controller handles the request; the law does not say which UK nation's holidays count, so change it if the controller is elsewhere).",
        input.nation.label()
    ));
    let latest = holidays::next_working_day_in_every_nation_on_or_after(paused.end);
    if latest > due {
        explanation.push(format!(
            "Counting a bank holiday in any UK nation, it could be as late as {}: wait until after that day before calling the reply overdue.",
            format_uk(latest)
        ));
    }

    if input.extended {
        let one_month = add_months(start, 1)?;
        let first_month = apply_pauses(start, one_month, &pauses)?;
        let (notice_by, _) = roll_to_working_day(first_month.end, input.nation);
        explanation.push(format!(
            "The extension only counts if the controller told the person about it, with its reasons, within the first month, that is by {} (the date the reply would otherwise have been due).",
            format_uk(notice_by)
        ));
    }

    explanation.push(format!("Due date: {}.", format_uk(due)));
    if needs_review {
        explanation.push(
            "An adviser should check this date before relying on it (see the notes above)."
                .to_string(),
        );
    }

    Ok(Deadline {
        due,
        start,
        period_end,
        months,
        paused_days,
        explanation,
        source: SAR_SOURCE,
        needs_review,
    })
}

/// The latest day the reply could be due if a bank holiday in any UK nation
/// counts (brief, open question 19): wait until after this day before
/// calling a reply overdue.
pub fn latest_plausible_due(input: &Clock) -> Result<NaiveDate, DeadlineError> {
    let (received, pauses) = checked_pauses(input)?;
    let start = start_date(input, received);
    let months = if input.extended { 3 } else { 1 };
    let end = add_months(start, months)?;
    let paused = apply_pauses(start, end, &pauses)?;
    Ok(holidays::next_working_day_in_every_nation_on_or_after(
        paused.end,
    ))
}

/// The day by which a controller must acknowledge a complaint received on
/// `received` (DPA 2018 s.164A: "within the period of 30 days beginning when the
/// complaint is received").
///
/// The period begins on the day of receipt, so that day is day one and the
/// thirtieth day is `received + 29 days`: received 1 July, acknowledged by 30 July,
/// late from 31 July (domain brief A8, corrections of 1 December 2026). The statute
/// does not move the date off weekends or bank holidays, so neither does this.
pub fn complaint_acknowledgement_due(received: NaiveDate) -> NaiveDate {
    received
        .checked_add_days(Days::new(29))
        .unwrap_or(NaiveDate::MAX)
}

/// [`complaint_acknowledgement_due`] with its working and source.
pub fn complaint_acknowledgement_deadline(received: NaiveDate) -> Deadline {
    let due = complaint_acknowledgement_due(received);
    let mut explanation = vec![
        format!(
            "Complaint received by the organisation on {}.",
            format_uk(received)
        ),
        format!(
            "It must acknowledge the complaint within the 30 days beginning when it was received: counting {} as day one, day 30 is {}.",
            format_uk(received),
            format_uk(due)
        ),
        "This date is not moved for weekends or bank holidays.".to_string(),
    ];
    let needs_review = received < SECTION_164A_IN_FORCE;
    if needs_review {
        explanation.push(format!(
            "The duty to acknowledge applies only to complaints received on or after {}; this one was received earlier, so the date is a guide only.",
            format_uk(SECTION_164A_IN_FORCE)
        ));
    }
    Deadline {
        due,
        start: received,
        period_end: due,
        months: 0,
        paused_days: 0,
        explanation,
        source: COMPLAINT_ACKNOWLEDGEMENT_SOURCE,
        needs_review,
    }
}

/// The last day to complain to the ICO, as the ICO asks: three months after
/// the last contact with the organisation, by the corresponding-date rule
/// (the same date three months later, or that month's last day). Not moved
/// for weekends or bank holidays, so it errs on the early side.
pub fn ico_complaint_last_day(last_contact: NaiveDate) -> NaiveDate {
    last_contact
        .checked_add_months(Months::new(3))
        .unwrap_or(NaiveDate::MAX)
}

/// [`ico_complaint_last_day`] with its working and source.
pub fn ico_complaint_deadline(last_contact: NaiveDate) -> Deadline {
    let due = ico_complaint_last_day(last_contact);
    let mut explanation = vec![format!(
        "Last contact with the organisation: {}.",
        format_uk(last_contact)
    )];
    let target_month = last_contact
        .checked_add_months(Months::new(3))
        .map(|d| d.with_day(1).unwrap_or(d))
        .unwrap_or(NaiveDate::MAX);
    if due.day() == last_contact.day() {
        explanation.push(format!(
            "The ICO asks for complaints within three months of the last contact: the same date three months later is {}.",
            format_uk(due)
        ));
    } else {
        explanation.push(format!(
            "The ICO asks for complaints within three months of the last contact. {} has no day {}, so the last day of that month counts: {}.",
            target_month.format("%B %Y"),
            last_contact.day(),
            format_uk(due)
        ));
    }
    explanation.push(
        "This date is not moved for weekends or bank holidays, so complain by then to be safe."
            .to_string(),
    );
    Deadline {
        due,
        start: last_contact,
        period_end: due,
        months: 3,
        paused_days: 0,
        explanation,
        source: ICO_COMPLAINT_SOURCE,
        needs_review: false,
    }
}

/// Checks the input and returns the day of receipt and the pauses in date order.
fn checked_pauses(input: &Clock) -> Result<(NaiveDate, Vec<Pause>), DeadlineError> {
    if let Some(since) = input.paused_since {
        return Err(DeadlineError::Paused { since });
    }
    let received = input.receipt().ok_or(DeadlineError::NotSent)?;
    if let Some(id_received) = input.id_received.filter(|d| *d < received) {
        return Err(DeadlineError::IdBeforeRequest {
            received,
            id_received,
        });
    }
    if let Some(fee_received) = input.fee_received.filter(|d| *d < received) {
        return Err(DeadlineError::FeeBeforeRequest {
            received,
            fee_received,
        });
    }
    let mut pauses = input.pauses.clone();
    pauses.sort_by_key(|p| (p.asked, p.answered));
    for pause in &pauses {
        if pause.answered < pause.asked {
            return Err(DeadlineError::PauseAnsweredBeforeAsked {
                asked: pause.asked,
                answered: pause.answered,
            });
        }
        if pause.asked < received {
            return Err(DeadlineError::PauseBeforeRequest {
                received,
                asked: pause.asked,
            });
        }
    }
    for pair in pauses.windows(2) {
        if pair[1].asked <= pair[0].answered {
            return Err(DeadlineError::PausesOverlap {
                first: pair[0],
                second: pair[1],
            });
        }
    }
    Ok((received, pauses))
}

/// Day one of the period: the latest of the request, the ID and the fee
/// (Art 12A(2); before 5 February 2026, ICO guidance).
fn start_date(input: &Clock, received: NaiveDate) -> NaiveDate {
    [Some(received), input.id_received, input.fee_received]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(received)
}

fn rules_line(received: NaiveDate, under_12a: bool) -> String {
    if under_12a {
        format!(
            "The request was received on {}, on or after 5 February 2026, so the time limits in UK GDPR Article 12A apply.",
            format_uk(received)
        )
    } else {
        format!(
            "The request was received on {}, before 5 February 2026, so the rules before UK GDPR Article 12A apply (as the ICO applied them).",
            format_uk(received)
        )
    }
}

fn start_lines(
    input: &Clock,
    received: NaiveDate,
    start: NaiveDate,
    under_12a: bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(id) = input.id_received.filter(|d| *d > received) {
        lines.push(format!("Proof of identity received on {}.", format_uk(id)));
    }
    if let Some(fee) = input.fee_received.filter(|d| *d > received) {
        lines.push(format!("Fee received on {}.", format_uk(fee)));
    }
    if start == received {
        lines.push(format!(
            "Counted from {} (the day the request was received; day one is the day of receipt).",
            format_uk(start)
        ));
        return lines;
    }
    let what = match (
        input.id_received == Some(start),
        input.fee_received == Some(start),
    ) {
        (true, true) => "the proof of identity and the fee were",
        (true, false) => "the proof of identity was",
        _ => "the fee was",
    };
    let authority = if under_12a {
        "Article 12A(2)"
    } else {
        "the ICO's guidance"
    };
    lines.push(format!(
        "Counted from {} (the day {what} received; day one is that day). Under {authority} a full month runs again from the latest of the request, the proof of identity asked for and the fee.",
        format_uk(start)
    ));
    lines
}

fn months_line(start: NaiveDate, end: NaiveDate, extended: bool) -> String {
    let span = if extended {
        "The time was extended by two further months (for a complex request, or several requests), so it runs three months from the start"
    } else {
        "One month from the start"
    };
    if end.day() == start.day() {
        format!(
            "{span}: from {} that is {} (the same date).",
            format_uk(start),
            format_uk(end)
        )
    } else {
        format!(
            "{span}: {} has no day {}, so the last day of that month counts: {}.",
            end.format("%B %Y"),
            start.day(),
            format_uk(end)
        )
    }
}

struct Paused {
    end: NaiveDate,
    days: u64,
    lines: Vec<String>,
    needs_review: bool,
}

/// Moves `end` on by the paused days (Art 12A(5)-(6)). Only days on or after
/// `start` count, since the clock was not running before it; a pause asked
/// for after time ran out does not move the date.
fn apply_pauses(
    start: NaiveDate,
    end: NaiveDate,
    pauses: &[Pause],
) -> Result<Paused, DeadlineError> {
    let mut paused = Paused {
        end,
        days: 0,
        lines: Vec::new(),
        needs_review: false,
    };
    let mut total = 0;
    for pause in pauses {
        let range = format!(
            "{} to {}",
            format_uk(pause.asked),
            format_uk(pause.answered)
        );
        if pause.asked > paused.end {
            paused.needs_review = true;
            paused.lines.push(format!(
                "The clarification pause from {range} does not move the date: it began after the time had already run out on {}.",
                format_uk(paused.end)
            ));
            continue;
        }
        if pause.answered < start {
            paused.needs_review = true;
            paused.lines.push(format!(
                "The clarification pause from {range} ended before the clock started on {}, so it does not move the date.",
                format_uk(start)
            ));
            continue;
        }
        let from = pause.asked.max(start);
        let days = inclusive_days(from, pause.answered);
        if from == pause.asked {
            paused.lines.push(format!(
                "Paused {} ({range}) while waiting for clarification.",
                day_count(days)
            ));
        } else {
            paused.needs_review = true;
            paused.lines.push(format!(
                "Paused {} ({} to {}) while waiting for clarification: it was asked for on {}, but only the days from the start of the clock count.",
                day_count(days),
                format_uk(from),
                format_uk(pause.answered),
                format_uk(pause.asked)
            ));
        }
        paused.end = paused
            .end
            .checked_add_days(Days::new(days))
            .ok_or(DeadlineError::OutOfRange)?;
        total += days;
    }
    paused.days = total;
    if total > 0 {
        paused.lines.push(format!(
            "The paused days do not count, so the date moves on {} from {} to {}.",
            day_count(total),
            format_uk(end),
            format_uk(paused.end)
        ));
    }
    Ok(paused)
}

/// Moves a date off a weekend or bank holiday, saying why.
fn roll_to_working_day(date: NaiveDate, nation: Nation) -> (NaiveDate, Vec<String>) {
    let due = holidays::next_working_day_on_or_after(date, nation);
    let Some(reason) = not_working_because(date, nation) else {
        return (due, Vec::new());
    };
    let mut lines = vec![format!(
        "{} is {reason}, so the due date moves to the next working day: {}.",
        format_uk(date),
        format_uk(due)
    )];
    let skipped: Vec<String> = date
        .iter_days()
        .skip(1)
        .take_while(|day| *day < due)
        .filter_map(|day| {
            not_working_because(day, nation).map(|why| format!("{} ({why})", format_uk(day)))
        })
        .collect();
    if !skipped.is_empty() {
        lines.push(format!(
            "The days in between are not working days either: {}.",
            join_list(&skipped)
        ));
    }
    (due, lines)
}

fn not_working_because(date: NaiveDate, nation: Nation) -> Option<String> {
    match date.weekday() {
        Weekday::Sat => return Some("a Saturday".to_string()),
        Weekday::Sun => return Some("a Sunday".to_string()),
        _ => {}
    }
    holidays::bank_holiday_on(date, nation).map(|holiday| {
        let day = if holiday.substitute {
            format!("the substitute day for {}", holiday.name)
        } else {
            holiday.name
        };
        format!("{day}, a bank holiday in {}", nation.label())
    })
}

fn add_months(date: NaiveDate, months: u32) -> Result<NaiveDate, DeadlineError> {
    // chrono keeps the day of the month, or uses the month's last day where
    // that day does not exist: the ICO's corresponding-date rule.
    date.checked_add_months(Months::new(months))
        .ok_or(DeadlineError::OutOfRange)
}

fn inclusive_days(from: NaiveDate, to: NaiveDate) -> u64 {
    u64::try_from((to - from).num_days() + 1).unwrap_or(0)
}

fn day_count(days: u64) -> String {
    if days == 1 {
        "1 day".to_string()
    } else {
        format!("{days} days")
    }
}

fn join_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn request(received: &str) -> Clock {
        Clock::new(date(received), Nation::EnglandWales)
    }

    fn due(input: &Clock) -> NaiveDate {
        sar_due_date(input).expect("valid input").due
    }

    fn extended(mut input: Clock) -> Clock {
        input.extended = true;
        input
    }

    fn in_nation(mut input: Clock, nation: Nation) -> Clock {
        input.nation = nation;
        input
    }

    fn with_pauses(mut input: Clock, pauses: &[(&str, &str)]) -> Clock {
        input.pauses = pauses
            .iter()
            .map(|(asked, answered)| Pause {
                asked: date(asked),
                answered: date(answered),
            })
            .collect();
        input
    }

    // Worked examples from the brief, A2 (DERIVED from ICO guidance).

    #[test]
    fn received_tuesday_3_september_2024_is_due_3_october_or_3_december_extended() {
        assert_eq!(due(&request("2024-09-03")), date("2024-10-03"));
        assert_eq!(due(&extended(request("2024-09-03"))), date("2024-12-03"));
    }

    #[test]
    fn received_30_january_2025_is_due_28_february_or_30_april_extended() {
        assert_eq!(due(&request("2025-01-30")), date("2025-02-28"));
        assert_eq!(due(&extended(request("2025-01-30"))), date("2025-04-30"));
    }

    #[test]
    fn received_31_january_2024_leap_year_is_due_29_february_or_30_april_extended() {
        assert_eq!(due(&request("2024-01-31")), date("2024-02-29"));
        assert_eq!(due(&extended(request("2024-01-31"))), date("2024-04-30"));
    }

    #[test]
    fn received_saturday_5_october_2024_counts_that_day_and_extended_moves_off_sunday() {
        let deadline = sar_due_date(&request("2024-10-05")).expect("valid");
        assert_eq!(deadline.start, date("2024-10-05"));
        assert_eq!(deadline.due, date("2024-11-05"));
        assert_eq!(due(&extended(request("2024-10-05"))), date("2025-01-06"));
    }

    #[test]
    fn received_21_november_2025_lands_on_sunday_then_saturday_and_moves_to_monday() {
        let normal = sar_due_date(&request("2025-11-21")).expect("valid");
        assert_eq!(normal.due, date("2025-12-22"));
        assert!(normal.explanation.contains(
            &"21 December 2025 is a Sunday, so the due date moves to the next working day: 22 December 2025."
                .to_string()
        ));
        assert_eq!(due(&extended(request("2025-11-21"))), date("2026-02-23"));
    }

    #[test]
    fn worked_pause_from_the_brief_is_due_13_april_2026_with_the_arithmetic_shown() {
        let input = with_pauses(request("2026-03-01"), &[("2026-03-05", "2026-03-14")]);
        let deadline = sar_due_date(&input).expect("valid");
        assert_eq!(deadline.start, date("2026-03-01"));
        assert_eq!(deadline.due, date("2026-04-13"));
        assert!(deadline.needs_review);
        let lines = &deadline.explanation;
        for expected in [
            "Counted from 1 March 2026 (the day the request was received; day one is the day of receipt).",
            "One month from the start: from 1 March 2026 that is 1 April 2026 (the same date).",
            "Paused 10 days (5 March 2026 to 14 March 2026) while waiting for clarification.",
            "The paused days do not count, so the date moves on 10 days from 1 April 2026 to 11 April 2026.",
            "11 April 2026 is a Saturday, so the due date moves to the next working day: 13 April 2026.",
            "The days in between are not working days either: 12 April 2026 (a Sunday).",
            "Due date: 13 April 2026.",
        ] {
            assert!(
                lines.contains(&expected.to_string()),
                "missing line {expected:?} in {lines:#?}"
            );
        }
    }

    #[test]
    fn a_pause_of_one_day_counts_as_one_day() {
        let pause = Pause {
            asked: date("2026-03-05"),
            answered: date("2026-03-05"),
        };
        assert_eq!(pause.days(), 1);
        let input = with_pauses(request("2026-03-02"), &[("2026-03-05", "2026-03-05")]);
        // 2 April 2026 + 1 day = Good Friday 3 April; then the weekend and
        // Easter Monday: due Tuesday 7 April 2026.
        assert_eq!(due(&input), date("2026-04-07"));
    }

    #[test]
    fn received_31_january_is_due_at_the_end_of_february_in_leap_and_common_years() {
        assert_eq!(due(&request("2024-01-31")), date("2024-02-29")); // leap year
        assert_eq!(due(&request("2025-01-31")), date("2025-02-28")); // Friday
        assert_eq!(due(&request("2023-01-31")), date("2023-02-28")); // Tuesday
        // 28 February 2026 is a Saturday: next working day Monday 2 March.
        assert_eq!(due(&request("2026-01-31")), date("2026-03-02"));
        let deadline = sar_due_date(&request("2025-01-31")).expect("valid");
        assert!(deadline.explanation.contains(
            &"One month from the start: February 2025 has no day 31, so the last day of that month counts: 28 February 2025."
                .to_string()
        ));
    }

    #[test]
    fn a_due_date_on_a_sunday_moves_to_monday() {
        // 2 August 2026 is a Sunday; Monday 3 August is a working day in England.
        assert_eq!(due(&request("2026-07-02")), date("2026-08-03"));
    }

    #[test]
    fn st_andrews_day_moves_the_date_in_scotland_but_not_in_england() {
        let input = request("2026-10-30"); // one month: Monday 30 November 2026
        assert_eq!(due(&input), date("2026-11-30"));
        let scottish = sar_due_date(&in_nation(input, Nation::Scotland)).expect("valid");
        assert_eq!(scottish.due, date("2026-12-01"));
        assert!(scottish.explanation.contains(
            &"30 November 2026 is St Andrew's Day, a bank holiday in Scotland, so the due date moves to the next working day: 1 December 2026."
                .to_string()
        ));
    }

    #[test]
    fn easter_monday_moves_the_date_in_england_but_not_in_scotland() {
        let input = request("2026-03-06"); // one month: Easter Monday 6 April 2026
        assert_eq!(due(&input), date("2026-04-07"));
        assert_eq!(due(&in_nation(input, Nation::Scotland)), date("2026-04-06"));
    }

    #[test]
    fn first_monday_of_august_moves_the_date_in_scotland_only() {
        let input = request("2026-07-03"); // one month: Monday 3 August 2026
        assert_eq!(due(&input), date("2026-08-03"));
        assert_eq!(due(&in_nation(input, Nation::Scotland)), date("2026-08-04"));
    }

    #[test]
    fn northern_ireland_holidays_move_the_date_there_only() {
        // St Patrick's Day, Tuesday 17 March 2026.
        let patrick = request("2026-02-17");
        assert_eq!(due(&patrick), date("2026-03-17"));
        assert_eq!(
            due(&in_nation(patrick, Nation::NorthernIreland)),
            date("2026-03-18")
        );
        // 12 July 2026 is a Sunday; the Boyne substitute day is Monday 13 July.
        let boyne = request("2026-06-12");
        assert_eq!(due(&boyne), date("2026-07-13"));
        assert_eq!(
            due(&in_nation(boyne, Nation::NorthernIreland)),
            date("2026-07-14")
        );
    }

    #[test]
    fn received_25_november_2026_runs_over_christmas_to_29_december_everywhere() {
        for nation in Nation::ALL {
            let deadline = sar_due_date(&in_nation(request("2026-11-25"), nation)).expect("valid");
            assert_eq!(deadline.due, date("2026-12-29"), "{nation}");
        }
        let deadline = sar_due_date(&request("2026-11-25")).expect("valid");
        assert!(deadline.explanation.contains(
            &"25 December 2026 is Christmas Day, a bank holiday in England and Wales, so the due date moves to the next working day: 29 December 2026."
                .to_string()
        ));
        assert!(deadline.explanation.contains(
            &"The days in between are not working days either: 26 December 2026 (a Saturday), 27 December 2026 (a Sunday) and 28 December 2026 (the substitute day for Boxing Day, a bank holiday in England and Wales)."
                .to_string()
        ));
    }

    #[test]
    fn received_1_december_2026_is_due_a_day_later_in_scotland_because_of_2_january() {
        let english = sar_due_date(&request("2026-12-01")).expect("valid");
        assert_eq!(english.due, date("2027-01-04"));
        assert!(english.explanation.contains(
            &"Counting a bank holiday in any UK nation, it could be as late as 5 January 2027: wait until after that day before calling the reply overdue."
                .to_string()
        ));
        let scottish = in_nation(request("2026-12-01"), Nation::Scotland);
        assert_eq!(due(&scottish), date("2027-01-05"));
        assert_eq!(latest_plausible_due(&scottish), Ok(date("2027-01-05")));
        assert_eq!(
            latest_plausible_due(&request("2026-12-01")),
            Ok(date("2027-01-05"))
        );
    }

    #[test]
    fn latest_plausible_due_equals_the_due_date_when_no_nation_differs() {
        assert_eq!(
            latest_plausible_due(&request("2026-03-01")),
            Ok(date("2026-04-01"))
        );
        let deadline = sar_due_date(&request("2026-03-01")).expect("valid");
        assert!(
            !deadline
                .explanation
                .iter()
                .any(|l| l.contains("as late as"))
        );
    }

    #[test]
    fn id_received_later_restarts_a_full_month_from_that_day() {
        let mut input = request("2026-03-01");
        input.id_received = Some(date("2026-03-10"));
        let deadline = sar_due_date(&input).expect("valid");
        assert_eq!(deadline.start, date("2026-03-10"));
        assert_eq!(deadline.due, date("2026-04-10"));
        assert!(!deadline.needs_review);
        assert!(deadline.explanation.contains(
            &"Counted from 10 March 2026 (the day the proof of identity was received; day one is that day). Under Article 12A(2) a full month runs again from the latest of the request, the proof of identity asked for and the fee."
                .to_string()
        ));
    }

    #[test]
    fn id_received_with_the_request_changes_nothing() {
        let mut input = request("2026-03-01");
        input.id_received = Some(date("2026-03-01"));
        let deadline = sar_due_date(&input).expect("valid");
        assert_eq!(deadline.start, date("2026-03-01"));
        assert_eq!(deadline.due, date("2026-04-01"));
    }

    #[test]
    fn fee_received_later_restarts_a_full_month_from_that_day() {
        let mut input = request("2026-03-02");
        input.fee_received = Some(date("2026-03-20"));
        let deadline = sar_due_date(&input).expect("valid");
        assert_eq!(deadline.start, date("2026-03-20"));
        assert_eq!(deadline.due, date("2026-04-20"));
        assert!(
            deadline
                .explanation
                .iter()
                .any(|l| l.contains("the fee was received"))
        );
    }

    #[test]
    fn the_later_of_id_and_fee_starts_the_clock() {
        let mut input = request("2026-03-02");
        input.id_received = Some(date("2026-03-25"));
        input.fee_received = Some(date("2026-03-20"));
        assert_eq!(
            sar_due_date(&input).expect("valid").start,
            date("2026-03-25")
        );
        input.fee_received = Some(date("2026-03-25"));
        let deadline = sar_due_date(&input).expect("valid");
        assert!(
            deadline
                .explanation
                .iter()
                .any(|l| l.contains("the proof of identity and the fee were received"))
        );
    }

    #[test]
    fn several_pauses_add_up_in_any_order() {
        let input = with_pauses(
            request("2026-03-01"),
            &[("2026-03-20", "2026-03-21"), ("2026-03-05", "2026-03-14")],
        );
        // 1 April + 10 + 2 days = Monday 13 April 2026.
        let deadline = sar_due_date(&input).expect("valid");
        assert_eq!(deadline.due, date("2026-04-13"));
        assert!(deadline.explanation.contains(
            &"The paused days do not count, so the date moves on 12 days from 1 April 2026 to 13 April 2026."
                .to_string()
        ));
    }

    #[test]
    fn extension_with_a_pause_runs_three_months_then_moves_on_the_paused_days() {
        let input = extended(with_pauses(
            request("2026-03-01"),
            &[("2026-03-05", "2026-03-14")],
        ));
        let deadline = sar_due_date(&input).expect("valid");
        // 1 June 2026 + 10 days = Thursday 11 June 2026.
        assert_eq!(deadline.due, date("2026-06-11"));
        assert!(deadline.needs_review);
        assert!(deadline.explanation.contains(
            &"The extension only counts if the controller told the person about it, with its reasons, within the first month, that is by 13 April 2026 (the date the reply would otherwise have been due)."
                .to_string()
        ));
    }

    #[test]
    fn a_pause_after_the_first_month_counts_only_when_extended() {
        let input = with_pauses(request("2026-03-02"), &[("2026-04-10", "2026-04-12")]);
        let deadline = sar_due_date(&input).expect("valid");
        assert_eq!(deadline.due, date("2026-04-02"));
        assert!(deadline.needs_review);
        assert!(
            deadline
                .explanation
                .iter()
                .any(|l| l.contains("began after the time had already run out on 2 April 2026"))
        );
        // Extended: 2 June 2026 + 3 days = Friday 5 June 2026.
        assert_eq!(due(&extended(input)), date("2026-06-05"));
    }

    #[test]
    fn a_pause_begun_before_the_id_arrived_counts_only_from_the_start() {
        let mut input = with_pauses(request("2026-03-01"), &[("2026-03-05", "2026-03-14")]);
        input.id_received = Some(date("2026-03-10"));
        let deadline = sar_due_date(&input).expect("valid");
        // 10 April 2026 + 5 days (10-14 March) = Wednesday 15 April 2026.
        assert_eq!(deadline.due, date("2026-04-15"));
        assert!(deadline.needs_review);
    }

    #[test]
    fn a_pause_over_before_the_id_arrived_does_not_move_the_date() {
        let mut input = with_pauses(request("2026-03-01"), &[("2026-03-02", "2026-03-04")]);
        input.id_received = Some(date("2026-03-10"));
        let deadline = sar_due_date(&input).expect("valid");
        assert_eq!(deadline.due, date("2026-04-10"));
        assert!(deadline.needs_review);
    }

    #[test]
    fn request_before_5_february_2026_keeps_the_old_rules_and_flags_a_pause() {
        let plain = sar_due_date(&request("2026-01-10")).expect("valid");
        assert_eq!(plain.due, date("2026-02-10"));
        assert!(!plain.needs_review);
        assert!(plain.explanation[0].contains("before 5 February 2026"));
        assert!(plain.explanation[0].contains("rules before UK GDPR Article 12A apply"));

        let paused = with_pauses(request("2026-01-10"), &[("2026-01-12", "2026-01-15")]);
        let deadline = sar_due_date(&paused).expect("valid");
        // 10 February + 4 days = Saturday 14 February -> Monday 16 February.
        assert_eq!(deadline.due, date("2026-02-16"));
        assert!(deadline.needs_review);
        assert!(deadline.explanation.iter().any(|l| l.contains(
            "before 5 February 2026, when pausing for clarification was not yet in the law"
        )));
    }

    #[test]
    fn request_received_on_5_february_2026_is_under_article_12a() {
        let deadline = sar_due_date(&request("2026-02-05")).expect("valid");
        assert!(deadline.explanation[0].contains("Article 12A apply"));
        assert_eq!(deadline.due, date("2026-03-05"));
    }

    #[test]
    fn id_received_later_before_2026_cites_the_ico_guidance() {
        let mut input = request("2025-06-02");
        input.id_received = Some(date("2025-06-09"));
        let deadline = sar_due_date(&input).expect("valid");
        assert_eq!(deadline.due, date("2025-07-09"));
        assert!(
            deadline
                .explanation
                .iter()
                .any(|l| l.contains("Under the ICO's guidance"))
        );
    }

    #[test]
    fn every_deadline_cites_articles_12_and_12a_and_the_ico() {
        let deadline = sar_due_date(&request("2026-03-01")).expect("valid");
        assert!(deadline.source.contains("Article 12(3)"));
        assert!(deadline.source.contains("Article 12A"));
        assert!(deadline.source.contains("ICO right of access guidance"));
        assert_eq!(
            deadline.explanation.last().map(String::as_str),
            Some("Due date: 1 April 2026.")
        );
    }

    #[test]
    fn id_before_the_request_is_refused_with_a_fix() {
        let mut input = request("2026-03-10");
        input.id_received = Some(date("2026-03-01"));
        let error = sar_due_date(&input).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the proof of identity is recorded as received on 1 March 2026, before the request itself (10 March 2026); if it came with the request, give the request date for both"
        );
    }

    #[test]
    fn fee_before_the_request_is_refused() {
        let mut input = request("2026-03-10");
        input.fee_received = Some(date("2026-03-09"));
        assert!(matches!(
            sar_due_date(&input),
            Err(DeadlineError::FeeBeforeRequest { .. })
        ));
    }

    #[test]
    fn pause_answered_before_it_was_asked_is_refused() {
        let input = with_pauses(request("2026-03-01"), &[("2026-03-14", "2026-03-05")]);
        let error = sar_due_date(&input).unwrap_err();
        assert_eq!(
            error.to_string(),
            "a clarification pause ends on 5 March 2026 but starts on 14 March 2026: the answer cannot come before the question; check which date is which"
        );
    }

    #[test]
    fn pause_asked_before_the_request_arrived_is_refused() {
        let input = with_pauses(request("2026-03-10"), &[("2026-03-05", "2026-03-14")]);
        assert!(matches!(
            sar_due_date(&input),
            Err(DeadlineError::PauseBeforeRequest { .. })
        ));
    }

    #[test]
    fn overlapping_pauses_are_refused_even_when_they_share_one_day() {
        let input = with_pauses(
            request("2026-03-01"),
            &[("2026-03-05", "2026-03-14"), ("2026-03-14", "2026-03-20")],
        );
        let error = sar_due_date(&input).unwrap_err();
        assert_eq!(
            error.to_string(),
            "two clarification pauses overlap (5 March 2026 to 14 March 2026, and 14 March 2026 to 20 March 2026); a day can only be paused once, so enter them as one pause or correct the dates"
        );
        assert!(latest_plausible_due(&input).is_err());
    }

    #[test]
    fn dates_at_the_end_of_the_calendar_give_an_error_not_a_panic() {
        let input = Clock::new(NaiveDate::MAX, Nation::Scotland);
        assert_eq!(sar_due_date(&input), Err(DeadlineError::OutOfRange));
    }

    // Serialised with `toml` here (a dependency already); the CLI's `--json`
    // goes through the same `Serialize` impls, so dates come out the same.

    #[test]
    fn deadline_serialises_with_iso_dates() {
        let input = with_pauses(request("2026-03-01"), &[("2026-03-05", "2026-03-14")]);
        let deadline = sar_due_date(&input).expect("valid");
        let value = toml::Value::try_from(&deadline).expect("serialise");
        assert_eq!(value["due"].as_str(), Some("2026-04-13"));
        assert_eq!(value["start"].as_str(), Some("2026-03-01"));
        assert_eq!(value["needs_review"].as_bool(), Some(true));
        assert!(value["explanation"].is_array());
        assert!(
            value["source"]
                .as_str()
                .is_some_and(|s| s.contains("Article 12A"))
        );
    }

    #[test]
    fn deadline_input_round_trips_with_iso_dates() {
        let mut input = with_pauses(request("2026-03-01"), &[("2026-03-05", "2026-03-14")]);
        input.id_received = Some(date("2026-03-02"));
        let text = toml::to_string(&input).expect("serialise");
        for line in [
            "received = \"2026-03-01\"",
            "id_received = \"2026-03-02\"",
            "nation = \"england-wales\"",
            "asked = \"2026-03-05\"",
        ] {
            assert!(text.contains(line), "{line:?} missing from {text}");
        }
        assert!(!text.contains("fee_received"));
        let back: Clock = toml::from_str(&text).expect("deserialise");
        assert_eq!(back, input);
        let minimal: Clock =
            toml::from_str("received = \"2026-03-01\"\nnation = \"scotland\"").expect("defaults");
        assert_eq!(minimal, Clock::new(date("2026-03-01"), Nation::Scotland));
        // Stored dates are ISO only (chrono's own format); people's dates go through
        // `dates::parse_date`.
        let bad = toml::from_str::<Clock>("received = \"1/3/2026\"\nnation = \"scotland\"");
        assert!(bad.is_err());
    }

    // Complaints (brief A8).

    #[test]
    fn complaint_acknowledgement_is_due_on_day_30_counting_the_day_of_receipt() {
        // Brief A8 (corrections): received 1 July, acknowledged by 30 July.
        assert_eq!(
            complaint_acknowledgement_due(date("2026-07-01")),
            date("2026-07-30")
        );
        assert_eq!(
            complaint_acknowledgement_due(date("2026-11-23")),
            date("2026-12-22")
        );
    }

    #[test]
    fn complaint_acknowledgement_is_not_moved_off_a_weekend() {
        // Day 30 from 26 June 2026 is Saturday 25 July 2026, left as it is.
        assert_eq!(
            complaint_acknowledgement_due(date("2026-06-26")),
            date("2026-07-25")
        );
        let deadline = complaint_acknowledgement_deadline(date("2026-06-26"));
        assert_eq!(deadline.due, date("2026-07-25"));
        assert!(!deadline.needs_review);
        assert!(deadline.source.contains("s.164A"));
        assert!(deadline.explanation.contains(
            &"It must acknowledge the complaint within the 30 days beginning when it was received: counting 26 June 2026 as day one, day 30 is 25 July 2026."
                .to_string()
        ));
    }

    #[test]
    fn complaint_received_before_19_june_2026_is_flagged_as_outside_section_164a() {
        let deadline = complaint_acknowledgement_deadline(date("2026-06-18"));
        assert!(deadline.needs_review);
        assert!(
            deadline
                .explanation
                .iter()
                .any(|l| l.contains("only to complaints received on or after 19 June 2026"))
        );
        assert!(!complaint_acknowledgement_deadline(date("2026-06-19")).needs_review);
    }

    #[test]
    fn ico_complaint_last_day_is_three_months_after_last_contact() {
        assert_eq!(
            ico_complaint_last_day(date("2026-11-23")),
            date("2027-02-23")
        );
        // No 30 February: the last day of February counts.
        assert_eq!(
            ico_complaint_last_day(date("2026-11-30")),
            date("2027-02-28")
        );
        assert_eq!(
            ico_complaint_last_day(date("2027-11-30")),
            date("2028-02-29")
        );
        // Not moved off a weekend: 23 January 2027 is a Saturday.
        assert_eq!(
            ico_complaint_last_day(date("2026-10-23")),
            date("2027-01-23")
        );
    }

    #[test]
    fn ico_complaint_deadline_explains_the_month_end_rule() {
        let deadline = ico_complaint_deadline(date("2026-11-30"));
        assert_eq!(deadline.due, date("2027-02-28"));
        assert_eq!(deadline.start, date("2026-11-30"));
        assert!(deadline.source.contains("three months"));
        assert!(deadline.explanation.contains(
            &"The ICO asks for complaints within three months of the last contact. February 2027 has no day 30, so the last day of that month counts: 28 February 2027."
                .to_string()
        ));
        let plain = ico_complaint_deadline(date("2026-11-23"));
        assert!(
            plain
                .explanation
                .iter()
                .any(|l| l.contains("23 February 2027"))
        );
    }
}
