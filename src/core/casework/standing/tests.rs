//! One request walked through every boundary day: the standing is the one answer,
//! so each row checks the clock, the due date, lateness, urgency and the chaser
//! rule together.

use chrono::{NaiveDate, Utc};

use super::*;
use crate::calendar::deadline::Pause;
use crate::calendar::holidays::Nation;
use crate::casework::store::{
    Article15Checklist, ClientId, LetterDetails, LetterId, ReplyDetails, ReplyId, RequestDetails,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// Received Friday 3 July 2026 in England and Wales: due Monday 3 August, which
/// is Scotland's summer bank holiday, so it could be due as late as 4 August.
fn request() -> Request {
    let mut details = RequestDetails::drafted(
        ClientId(1),
        "home-office",
        "sar-home-office",
        Nation::EnglandWales,
    );
    details.clock.sent = Some(date(2026, 7, 1));
    details.clock.received = Some(date(2026, 7, 3));
    details.status = RequestStatus::Sent;
    Request {
        id: RequestId(1),
        details,
        due: None,
        created: Utc::now(),
        updated: Utc::now(),
    }
}

fn reply(received: NaiveDate, checklist: Article15Checklist) -> Reply {
    Reply {
        id: ReplyId(1),
        details: ReplyDetails {
            request: RequestId(1),
            received,
            checklist,
            exemption_cited: false,
            exemption_rights: Vec::new(),
            notes: String::new(),
        },
        created: Utc::now(),
    }
}

fn part() -> Article15Checklist {
    Article15Checklist {
        copy: true,
        ..Article15Checklist::default()
    }
}

/// What one row expects.
struct Row {
    what: &'static str,
    today: NaiveDate,
    due: Option<NaiveDate>,
    late: bool,
    urgency: Option<Urgency>,
    chase: Result<ChaseGround, NotYet>,
}

#[test]
fn one_request_through_every_boundary_day() {
    let plain = request();
    let mut paused = request();
    paused.details.clock.paused_since = Some(date(2026, 7, 10));
    let mut resumed = request();
    // Asked 10 July, answered 14 July: five days do not count, 3 August becomes
    // Saturday 8 August, so Monday 10 August.
    resumed.details.clock.pauses = vec![Pause {
        asked: date(2026, 7, 10),
        answered: date(2026, 7, 14),
    }];
    let mut extended = request();
    // Three months from 3 July: Saturday 3 October, so Monday 5 October.
    extended.details.clock.extended = true;
    let mut part_answered = request();
    part_answered.details.status = RequestStatus::PartAnswered;
    let part_reply = [reply(date(2026, 7, 20), part())];
    let mut answered = request();
    answered.details.status = RequestStatus::Answered;
    let full_reply = [reply(date(2026, 7, 20), Article15Checklist::complete())];
    let latest = date(2026, 8, 4);
    let cases: Vec<(&Request, &[Reply], Row)> = vec![
        (
            &plain,
            &[],
            Row {
                what: "the day before due",
                today: date(2026, 8, 2),
                due: Some(date(2026, 8, 3)),
                late: false,
                urgency: Some(Urgency::DueSoon),
                chase: Err(NotYet::NotLate { latest }),
            },
        ),
        (
            &plain,
            &[],
            Row {
                what: "due day",
                today: date(2026, 8, 3),
                due: Some(date(2026, 8, 3)),
                late: false,
                urgency: Some(Urgency::DueNow),
                chase: Err(NotYet::NotLate { latest }),
            },
        ),
        (
            &plain,
            &[],
            Row {
                what: "due on a bank holiday in Scotland only: not late anywhere yet",
                today: latest,
                due: Some(date(2026, 8, 3)),
                late: false,
                urgency: Some(Urgency::DueNow),
                chase: Err(NotYet::NotLate { latest }),
            },
        ),
        (
            &plain,
            &[],
            Row {
                what: "the day after the latest",
                today: date(2026, 8, 5),
                due: Some(date(2026, 8, 3)),
                late: true,
                urgency: Some(Urgency::Overdue),
                chase: Ok(ChaseGround::Overdue),
            },
        ),
        (
            &paused,
            &[],
            Row {
                what: "paused, long after the old due date",
                today: date(2026, 9, 1),
                due: None,
                late: false,
                urgency: Some(Urgency::Paused),
                chase: Err(NotYet::Paused {
                    since: date(2026, 7, 10),
                }),
            },
        ),
        (
            &resumed,
            &[],
            Row {
                what: "resumed: the due date moves on",
                today: date(2026, 8, 5),
                due: Some(date(2026, 8, 10)),
                late: false,
                urgency: Some(Urgency::DueSoon),
                chase: Err(NotYet::NotLate {
                    latest: date(2026, 8, 10),
                }),
            },
        ),
        (
            &extended,
            &[],
            Row {
                what: "extended",
                today: date(2026, 8, 5),
                due: Some(date(2026, 10, 5)),
                late: false,
                urgency: Some(Urgency::Waiting),
                chase: Err(NotYet::NotLate {
                    latest: date(2026, 10, 5),
                }),
            },
        ),
        (
            &part_answered,
            &part_reply,
            Row {
                what: "answered in part, before due: chase at once",
                today: date(2026, 7, 21),
                due: Some(date(2026, 8, 3)),
                late: false,
                urgency: Some(Urgency::Waiting),
                chase: Ok(ChaseGround::PartAnswer),
            },
        ),
        (
            &part_answered,
            &part_reply,
            Row {
                what: "answered in part, and late",
                today: date(2026, 8, 5),
                due: Some(date(2026, 8, 3)),
                late: true,
                urgency: Some(Urgency::Overdue),
                chase: Ok(ChaseGround::PartAnswer),
            },
        ),
        (
            &answered,
            &full_reply,
            Row {
                what: "answered in full",
                today: date(2026, 8, 5),
                due: Some(date(2026, 8, 3)),
                late: false,
                urgency: None,
                chase: Err(NotYet::NothingMissing),
            },
        ),
    ];
    for (request, replies, row) in cases {
        let standing = standing(request, replies, &[], row.today);
        let what = row.what;
        assert_eq!(standing.deadline.as_ref().map(|d| d.due), row.due, "{what}");
        assert_eq!(standing.late, row.late, "{what}");
        assert_eq!(standing.urgency, row.urgency, "{what}");
        assert_eq!(standing.chase, row.chase, "{what}");
        if matches!(standing.clock, ClockState::Answered { .. }) {
            assert_eq!(standing.clock_words(), "answered in full on 20 July 2026");
        }
        // Never late while the chaser is refused as "not late", and the reverse.
        if matches!(standing.chase, Err(NotYet::NotLate { .. })) {
            assert!(!standing.late, "{what}");
        }
    }
}

#[test]
fn a_paused_or_undated_request_says_so_and_is_always_listed() {
    let mut paused = request();
    paused.details.clock.paused_since = Some(date(2026, 7, 10));
    let standing = standing(&paused, &[], &[], date(2026, 9, 1));
    assert_eq!(
        standing.clock,
        ClockState::Paused {
            since: date(2026, 7, 10)
        }
    );
    assert!(standing.clock_words().contains("paused since 10 July 2026"));
    assert!(standing.listed_by(date(2026, 9, 2)));
    let mut undated = request();
    undated.details.clock.sent = None;
    undated.details.clock.received = None;
    let standing = super::standing(&undated, &[], &[], date(2026, 9, 1));
    assert_eq!(standing.clock, ClockState::NotSent);
    assert_eq!(standing.urgency, Some(Urgency::NoDate));
    assert!(standing.clock_words().starts_with("no date yet"));
    assert!(standing.listed_by(date(2026, 9, 2)));
    let event = standing
        .calendar_event(&undated, date(2026, 9, 1))
        .expect("an event");
    assert_eq!(event.due, date(2026, 9, 1));
}

fn complaint_letter(dated: Option<NaiveDate>, created: &str) -> Letter {
    Letter {
        id: LetterId(1),
        details: LetterDetails {
            client: ClientId(1),
            request: Some(RequestId(1)),
            template: COMPLAINT_TO_BODY.to_string(),
            rendered_text: String::new(),
            dated,
        },
        created: created.parse().expect("timestamp"),
    }
}

/// Code review bug 3: written at 00:30 BST on 20 July, the complaint's audit stamp
/// is 19 July (UTC). Its s.164A dates come from the letter's own date.
#[test]
fn complaint_milestones_count_from_the_letters_own_date_not_the_audit_stamp() {
    let mut request = request();
    request.details.status = RequestStatus::Complained;
    let letter = complaint_letter(Some(date(2026, 7, 20)), "2026-07-19T23:30:00Z");
    let standing = standing(&request, &[], &[letter], date(2026, 8, 5));
    let complaints = &standing.complaints;
    assert_eq!(complaints.to_body, Some(date(2026, 7, 20)));
    // Taken to arrive Wednesday 22 July; 30 days counting that day: 20 August.
    assert_eq!(complaints.body_received, Some(date(2026, 7, 22)));
    assert_eq!(complaints.acknowledge_by, Some(date(2026, 8, 20)));
    assert_eq!(
        complaints.ico,
        Err(NotYet::BodyStillHasTime {
            acknowledge_by: date(2026, 8, 20)
        })
    );
    let later = super::standing(
        &request,
        &[],
        &[complaint_letter(
            Some(date(2026, 7, 20)),
            "2026-07-19T23:30:00Z",
        )],
        date(2026, 8, 21),
    );
    assert_eq!(later.complaints.ico, Ok(date(2026, 8, 21)));
}

#[test]
fn the_ico_waits_for_the_reply_to_be_late_and_for_a_complaint_to_the_body() {
    let request = request();
    let early = standing(&request, &[], &[], date(2026, 8, 4));
    assert_eq!(
        early.complaints.ico,
        Err(NotYet::NotLate {
            latest: date(2026, 8, 4)
        })
    );
    let late = standing(&request, &[], &[], date(2026, 8, 5));
    assert_eq!(late.complaints.ico, Err(NotYet::NoComplaintToBody));
}
