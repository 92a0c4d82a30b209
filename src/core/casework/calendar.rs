//! Due dates as an iCalendar file (RFC 5545) for the adviser's calendar app.
//!
//! A calendar is synced to phones and servers outside the encrypted store,
//! so an event holds only the request's number and the organisation's id:
//! never a client's name or any other detail about them.

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::store::RequestId;

/// What a calendar event says about a request's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueKind {
    /// The reply is due on the event's day.
    Due,
    /// The clock is stopped for clarification since this day: no due date.
    Paused { since: NaiveDate },
    /// No date to count from yet.
    NoDate,
}

/// One all-day event: the day a reply to a request is due; or, for a request
/// with no due date (paused, or undated), the day the calendar was made, so it
/// is never missing from the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueEvent {
    pub request: RequestId,
    /// An organisation id, e.g. `home-office`.
    pub organisation: String,
    pub due: NaiveDate,
    pub kind: DueKind,
}

impl DueEvent {
    /// The event's title: request number and organisation id only.
    pub fn summary(&self) -> String {
        let what = match self.kind {
            DueKind::Due => "SAR reply due".to_string(),
            DueKind::Paused { since } => format!(
                "SAR clock paused since {} (no due date)",
                crate::calendar::dates::format_uk(since)
            ),
            DueKind::NoDate => "SAR no date yet: record when it was sent or received".to_string(),
        };
        format!(
            "{what}: request {} ({})",
            self.request,
            safe_id(&self.organisation)
        )
    }
}

/// The whole calendar, lines ending CRLF as RFC 5545 requires. `stamp` is
/// when the file was made (DTSTAMP).
pub fn to_ics(events: &[DueEvent], stamp: DateTime<Utc>) -> String {
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//sanctuary//case store due dates//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
    ];
    for event in events {
        let end = event
            .due
            .checked_add_days(Days::new(1))
            .unwrap_or(event.due);
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!(
                "UID:sanctuary-request-{}-due@sanctuary.invalid",
                event.request
            ),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", event.due.format("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
            format!("SUMMARY:{}", escape_text(&event.summary())),
            "TRANSP:TRANSPARENT".to_string(),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".to_string());
    lines.iter().map(|line| fold(line) + "\r\n").collect()
}

/// The organisation id if it looks like one (lower-case letters, digits and
/// hyphens), else a neutral word, so nothing else can reach the calendar even
/// if the store held an odd value.
fn safe_id(id: &str) -> &str {
    let looks_like_id = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if looks_like_id { id } else { "organisation" }
}

/// TEXT escaping (RFC 5545 3.3.11).
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 3.1), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, organisation: &str, due: (i32, u32, u32)) -> DueEvent {
        DueEvent {
            request: RequestId(id),
            organisation: organisation.to_string(),
            due: NaiveDate::from_ymd_opt(due.0, due.1, due.2).expect("valid date"),
            kind: DueKind::Due,
        }
    }

    #[test]
    fn each_due_date_is_an_all_day_event_with_only_request_and_organisation() {
        let stamp = DateTime::from_timestamp(1_795_000_000, 0).expect("valid time");
        let ics = to_ics(&[event(7, "home-office", (2026, 12, 31))], stamp);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20261231\r\n"));
        assert!(ics.contains("DTEND;VALUE=DATE:20270101\r\n"));
        assert!(ics.contains("SUMMARY:SAR reply due: request 7 (home-office)\r\n"));
        assert!(ics.contains("UID:sanctuary-request-7-due@sanctuary.invalid\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    }

    #[test]
    fn an_odd_organisation_value_cannot_carry_text_into_the_calendar() {
        let summary = event(1, "Jane Doe, 1 High St", (2026, 1, 1)).summary();
        assert_eq!(summary, "SAR reply due: request 1 (organisation)");
    }

    #[test]
    fn a_paused_or_undated_request_is_an_event_that_says_so() {
        let mut paused = event(2, "home-office", (2026, 9, 1));
        paused.kind = DueKind::Paused {
            since: NaiveDate::from_ymd_opt(2026, 8, 10).expect("valid date"),
        };
        assert_eq!(
            paused.summary(),
            "SAR clock paused since 10 August 2026 (no due date): request 2 (home-office)"
        );
        let mut undated = event(3, "home-office", (2026, 9, 1));
        undated.kind = DueKind::NoDate;
        assert!(undated.summary().starts_with("SAR no date yet"));
    }

    #[test]
    fn long_lines_are_folded_at_75_octets() {
        let folded = fold(&"x".repeat(200));
        assert!(folded.split("\r\n").all(|line| line.len() <= 75));
        assert_eq!(folded.replace("\r\n ", ""), "x".repeat(200));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
