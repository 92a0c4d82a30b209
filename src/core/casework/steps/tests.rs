use std::fs;

use tempfile::TempDir;

use super::*;

const PASSPHRASE: &str = "a long test passphrase for the store";

const LUKASZ: &str = include_str!("../../../../tests/fixtures/clients/lukasz.toml");

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

struct Setup {
    dir: TempDir,
    store: Store,
    catalogue: Catalogue,
    client: ClientId,
}

impl Setup {
    /// A Home Office request for the client, drafted, in England and Wales: each test
    /// gives it the dates it needs.
    fn home_office_draft(&self) -> RequestDetails {
        RequestDetails::drafted(
            self.client,
            "home-office",
            "sar-home-office",
            Nation::EnglandWales,
        )
    }
}

fn setup(today: NaiveDate) -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("cases.db"), PASSPHRASE).expect("store");
    let catalogue = Catalogue::embedded().expect("catalogue");
    let added = add_client(&mut store, LUKASZ, "lukasz.toml", today).expect("client");
    Setup {
        client: added.client.id,
        dir,
        store,
        catalogue,
    }
}

fn home_office(client: ClientId) -> NewRequest {
    NewRequest {
        client,
        template: "sar-home-office".into(),
        organisation: "home-office".into(),
        nation: Nation::EnglandWales,
        request_type: Some(HomeOfficeRequestType::Basic),
        adviser: None,
        recipient: Recipient::default(),
        extras: LetterExtras::default(),
    }
}

#[test]
fn a_new_request_writes_its_letter_and_the_authority_and_records_both() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let added = new_request(
        &mut s.store,
        &s.catalogue,
        &home_office(s.client),
        s.dir.path(),
        today,
    )
    .expect("request");
    assert_eq!(added.files.len(), 2, "{:?}", added.files);
    assert!(added.files[0].ends_with(format!(
        "request-{}-sar-home-office-2026-12-01.pdf",
        added.request.id
    )));
    assert!(added.files[1].ends_with(format!(
        "request-{}-authority-home-office-2026-12-01.pdf",
        added.request.id
    )));
    for file in &added.files {
        assert!(fs::read(file).unwrap().starts_with(b"%PDF"));
    }
    let record = s.store.client_record(s.client).unwrap();
    assert_eq!(record.requests.len(), 1);
    assert_eq!(record.requests[0].details.status, RequestStatus::Drafted);
    let templates: Vec<&str> = record
        .letters
        .iter()
        .map(|l| l.details.template.as_str())
        .collect();
    assert_eq!(templates, ["sar-home-office", "authority"]);

    // The same request again the same day gets its own number, so its own file names.
    let again = new_request(
        &mut s.store,
        &s.catalogue,
        &home_office(s.client),
        s.dir.path(),
        today,
    )
    .expect("second request");
    assert_ne!(again.request.id, added.request.id);
    assert!(again.files[0].ends_with(format!(
        "request-{}-sar-home-office-2026-12-01.pdf",
        again.request.id
    )));
}

#[test]
fn a_request_that_cannot_be_written_leaves_no_record_and_no_file() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let mut new = home_office(s.client);
    new.request_type = None; // a Home Office letter needs its type
    assert!(new_request(&mut s.store, &s.catalogue, &new, s.dir.path(), today).is_err());
    assert!(s.store.client_record(s.client).unwrap().requests.is_empty());
    let pdfs = fs::read_dir(s.dir.path())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            !name.to_string_lossy().starts_with("cases.db")
        })
        .count();
    assert_eq!(pdfs, 0);
}

#[test]
fn sent_without_a_known_receipt_assumes_two_working_days_and_says_so() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let id = drafted_home_office_request(&mut s, today);
    // Friday 20 November 2026: taken to arrive Tuesday 24 November; due 24 December.
    let recorded = record_events(
        &mut s.store,
        id,
        &[RequestEvent::Sent(date(2026, 11, 20))],
        today,
    )
    .unwrap();
    assert_eq!(recorded.request.details.status, RequestStatus::Sent);
    assert_eq!(recorded.request.details.clock.received, None);
    assert_eq!(recorded.request.due, Some(date(2026, 12, 24)));
    let note = recorded.assumption.expect("the assumption is stated");
    assert!(note.contains("24 November 2026"), "{note}");
}

#[test]
fn impossible_orders_and_future_dates_are_refused_and_change_nothing() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let id = drafted_home_office_request(&mut s, today);
    let before = s.store.request(id).unwrap();
    for events in [
        vec![
            RequestEvent::Sent(date(2026, 11, 10)),
            RequestEvent::Received(date(2026, 11, 9)),
        ],
        vec![RequestEvent::Sent(date(2026, 12, 2))],
        vec![
            RequestEvent::Received(date(2026, 11, 10)),
            RequestEvent::IdReceived(date(2026, 11, 1)),
        ],
        vec![RequestEvent::Extended("  ".into())],
    ] {
        let error = record_events(&mut s.store, id, &events, today).unwrap_err();
        assert!(matches!(error, CaseworkError::Refused(_)), "{error}");
    }
    assert_eq!(s.store.request(id).unwrap(), before);
    record_events(
        &mut s.store,
        id,
        &[RequestEvent::Sent(date(2026, 11, 10))],
        today,
    )
    .unwrap();
    let early = NewReply {
        received: Some(date(2026, 11, 9)),
        ..NewReply::default()
    };
    assert!(record_reply(&mut s.store, id, &early, today).is_err());
    assert!(s.store.client_record(s.client).unwrap().replies.is_empty());
}

#[test]
fn a_part_answer_can_be_chased_at_once_and_the_complaint_marks_the_request() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let id = drafted_home_office_request(&mut s, today);
    record_events(
        &mut s.store,
        id,
        &[
            RequestEvent::Sent(date(2026, 11, 2)),
            RequestEvent::Received(date(2026, 11, 4)),
        ],
        today,
    )
    .unwrap();
    let reply = NewReply {
        received: Some(date(2026, 11, 20)),
        checklist: Article15Checklist {
            purposes: true,
            copy: true,
            ..Article15Checklist::default()
        },
        exemption_cited: true,
        ..NewReply::default()
    };
    let (_, check) = record_reply(&mut s.store, id, &reply, today).unwrap();
    assert!(!check.is_complete());
    // Not yet due (4 December), but part-answered: the chaser may go.
    let file = LetterFile::new_pdf(s.dir.path().join("chaser.pdf"));
    let chaser = write_chaser(
        &mut s.store,
        &s.catalogue,
        id,
        &Recipient::default(),
        &file,
        today,
    )
    .unwrap();
    assert!(chaser.path.exists());
    // Before the due date the chaser asks for what is missing; it does not call the
    // reply overdue.
    let record = s.store.client_record(s.client).unwrap();
    let text = &record.letters.last().unwrap().details.rendered_text;
    assert!(text.contains("The reply is not complete"), "{text}");
    assert!(text.contains("due by 4 December 2026"), "{text}");
    assert!(!text.to_lowercase().contains("overdue"), "{text}");
    let complain = |s: &mut Setup, to_ico: bool, day: NaiveDate, file: &str| {
        write_complaint(
            &mut s.store,
            &s.catalogue,
            id,
            &ComplaintChoice {
                to_ico,
                ..ComplaintChoice::default()
            },
            &Recipient::default(),
            &LetterFile::new_pdf(s.dir.path().join(file)),
            day,
        )
    };
    // The ICO comes after a complaint to the body (s.164A), never first.
    let refused = complain(&mut s, true, today, "ico-first.pdf").unwrap_err();
    assert!(
        refused.to_string().contains("complain to the body first"),
        "{refused}"
    );
    let complaint = complain(&mut s, false, today, "complaint.pdf").unwrap();
    assert_eq!(complaint.request.details.status, RequestStatus::Complained);
    // Sent 1 December, taken to arrive 3 December: the body has until 1 January.
    let early = complain(&mut s, true, date(2027, 1, 1), "ico-early.pdf").unwrap_err();
    assert!(early.to_string().contains("1 January 2027"), "{early}");
    let ico = complain(&mut s, true, date(2027, 1, 2), "ico.pdf").unwrap();
    // An adviser acts: the client's consent for the ICO is written beside it.
    let consent = ico.consent.expect("the consent is written");
    assert_eq!(consent, s.dir.path().join("ico-consent.pdf"));
    assert!(consent.exists());
    let templates: Vec<String> = s
        .store
        .client_record(s.client)
        .unwrap()
        .letters
        .iter()
        .map(|l| l.details.template.clone())
        .collect();
    assert_eq!(
        templates,
        [
            "sar-home-office",
            "authority",
            "chaser",
            "complaint-controller",
            "complaint-ico",
            "consent-ico"
        ]
    );
}

#[test]
fn an_unanswered_request_is_not_chased_before_it_is_late() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let id = drafted_home_office_request(&mut s, today);
    record_events(
        &mut s.store,
        id,
        &[RequestEvent::Received(date(2026, 11, 20))],
        today,
    )
    .unwrap();
    let file = LetterFile::new_pdf(s.dir.path().join("chaser.pdf"));
    let error = write_chaser(
        &mut s.store,
        &s.catalogue,
        id,
        &Recipient::default(),
        &file,
        today,
    )
    .unwrap_err();
    assert!(error.to_string().contains("not overdue"), "{error}");
    assert!(!s.dir.path().join("chaser.pdf").exists());
}

#[test]
fn a_complaint_about_an_extended_request_names_only_the_extended_date() {
    // Received 3 June 2026 and extended: due 3 September 2026 (issue 16).
    let today = date(2026, 10, 1);
    let mut s = setup(today);
    let mut details = s.home_office_draft();
    details.clock.sent = Some(date(2026, 6, 1));
    details.clock.received = Some(date(2026, 6, 3));
    details.clock.extended = true;
    details.extension_reason = Some("complex".into());
    let request = record_request(&mut s.store, &s.catalogue, &details, None, today).unwrap();
    assert_eq!(request.due, Some(date(2026, 9, 3)));
    let case = Case::load(&s.store, request.id, today).unwrap();
    let composed = followup::complaint(
        &case,
        &s.catalogue,
        today,
        false,
        &["No reply at all.".to_string()],
        None,
        &Recipient::default(),
    )
    .unwrap();
    let text = letter::render_text(&composed);
    assert!(text.contains("3 September 2026"), "{text}");
    assert!(!text.contains("3 July 2026"), "{text}");
}

#[test]
fn a_second_client_with_the_same_name_and_birth_date_is_flagged() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let again = add_client(&mut s.store, LUKASZ, "lukasz.toml", today).unwrap();
    assert_eq!(again.same_person_maybe.len(), 1);
    assert_eq!(again.same_person_maybe[0].id, s.client);
    let other = LUKASZ.replace("1988-04-12", "1989-04-12");
    let different = add_client(&mut s.store, &other, "other.toml", today).unwrap();
    assert!(different.same_person_maybe.is_empty());
}

#[test]
fn a_date_of_birth_after_today_is_refused() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let future = LUKASZ.replace("1988-04-12", "2026-12-02");
    let error = add_client(&mut s.store, &future, "future.toml", today).unwrap_err();
    assert!(error.to_string().contains("after today"), "{error}");
}

#[test]
fn search_ignores_accents_and_looks_at_other_names() {
    let today = date(2026, 12, 1);
    let s = setup(today);
    for query in ["lukasz", "ŁUKASZ", "zolc nguyen", "Nguyễn"] {
        let found = s.store.search_clients(query).unwrap();
        assert_eq!(found.len(), 1, "{query}");
    }
    assert!(s.store.search_clients("olena").unwrap().is_empty());
}

#[test]
fn the_chaser_ground_is_a_part_answer_at_once_or_an_overdue_reply_later() {
    use crate::casework::followup::{ChaseGround, FollowupError, NotYet, chaser_ground};
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let mut ids = Vec::new();
    for _ in 0..2 {
        ids.push(drafted_home_office_request(&mut s, today));
    }
    let ground = |s: &Setup, id| chaser_ground(&Case::load(&s.store, id, today).unwrap());
    // Drafted, never sent: nothing to chase yet.
    assert!(matches!(
        ground(&s, ids[0]),
        Err(FollowupError::NotYet {
            reason: NotYet::NotSent,
            ..
        })
    ));
    // Received 20 November: not late before 21 December at the earliest.
    record_events(
        &mut s.store,
        ids[0],
        &[
            RequestEvent::Sent(date(2026, 11, 18)),
            RequestEvent::Received(date(2026, 11, 20)),
        ],
        today,
    )
    .unwrap();
    assert!(matches!(
        ground(&s, ids[0]),
        Err(FollowupError::NotYet {
            reason: NotYet::NotLate { .. },
            ..
        })
    ));
    // A part answer: chase at once.
    let reply = NewReply {
        received: Some(date(2026, 11, 27)),
        checklist: Article15Checklist {
            copy: true,
            ..Article15Checklist::default()
        },
        ..NewReply::default()
    };
    record_reply(&mut s.store, ids[0], &reply, today).unwrap();
    assert_eq!(ground(&s, ids[0]).unwrap(), ChaseGround::PartAnswer);
    // Sent 1 October with no reply: overdue.
    record_events(
        &mut s.store,
        ids[1],
        &[RequestEvent::Sent(date(2026, 10, 1))],
        today,
    )
    .unwrap();
    assert_eq!(ground(&s, ids[1]).unwrap(), ChaseGround::Overdue);
}

#[test]
fn a_complaint_to_the_ico_names_the_earlier_complaint_to_the_body_and_its_164a_date() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let mut details = s.home_office_draft();
    details.clock.sent = Some(date(2026, 9, 1));
    details.clock.received = Some(date(2026, 9, 3));
    let id = record_request(&mut s.store, &s.catalogue, &details, None, today)
        .unwrap()
        .id;
    let choice = ComplaintChoice {
        extra_points: vec!["No reply at all.".into()],
        ..ComplaintChoice::default()
    };
    write_complaint(
        &mut s.store,
        &s.catalogue,
        id,
        &choice,
        &Recipient::default(),
        &LetterFile::new_pdf(s.dir.path().join("to-body.pdf")),
        today,
    )
    .unwrap();
    let case = Case::load(&s.store, id, today).unwrap();
    let events = followup::chronology(&case, &s.catalogue, None);
    let complained = events
        .iter()
        .find(|(_, text)| text.starts_with("Complained to"))
        .expect("the complaint to the body is in the chronology");
    assert!(complained.1.contains("section 164A"), "{}", complained.1);
    assert!(complained.1.contains("acknowledge"), "{}", complained.1);
}

/// A new Home Office request (its letter and authority written), drafted on `today`.
fn drafted_home_office_request(s: &mut Setup, today: NaiveDate) -> RequestId {
    let new = home_office(s.client);
    new_request(&mut s.store, &s.catalogue, &new, s.dir.path(), today)
        .unwrap()
        .request
        .id
}

/// A request received on `received`, recorded on `today`.
fn received_on(s: &mut Setup, received: NaiveDate, today: NaiveDate) -> RequestId {
    let mut details = s.home_office_draft();
    // Sent a fortnight before: a date before receipt may still be after sending.
    details.clock.sent = Some(received - chrono::Days::new(14));
    details.clock.received = Some(received);
    details.status = RequestStatus::Sent;
    record_request(&mut s.store, &s.catalogue, &details, None, today)
        .unwrap()
        .id
}

/// Code review bug 6: a reply dated before receipt was accepted (and made the
/// request part-answered, so chaseable).
#[test]
fn a_reply_before_the_body_had_the_request_is_refused_naming_the_date() {
    let today = date(2026, 9, 1);
    let mut s = setup(today);
    let id = received_on(&mut s, date(2026, 8, 20), today);
    let reply = NewReply {
        received: Some(date(2026, 8, 10)),
        ..NewReply::default()
    };
    let error = record_reply(&mut s.store, id, &reply, today).unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("the date of the reply (10 August 2026)"),
        "{text}"
    );
    assert!(text.contains("20 August 2026"), "{text}");
    assert_eq!(
        s.store.request(id).unwrap().details.status,
        RequestStatus::Sent
    );
    // Sent only: before the day it is taken to arrive (newcomer diary F20).
    let mut details = s.home_office_draft();
    details.clock.sent = Some(date(2026, 8, 6)); // Thursday: taken to arrive Monday 10th
    let sent_only = record_request(&mut s.store, &s.catalogue, &details, None, today)
        .unwrap()
        .id;
    let early = NewReply {
        received: Some(date(2026, 8, 7)),
        ..NewReply::default()
    };
    let text = record_reply(&mut s.store, sent_only, &early, today)
        .unwrap_err()
        .to_string();
    assert!(text.contains("is taken to have received"), "{text}");
    assert!(text.contains("10 August 2026"), "{text}");
}

/// Code review bug 6: a pause before receipt was accepted, and the request could
/// then never be resumed. It is refused; a wrong pause can be withdrawn.
#[test]
fn a_pause_before_receipt_is_refused_and_a_wrong_pause_can_be_withdrawn() {
    let today = date(2026, 9, 1);
    let mut s = setup(today);
    let id = received_on(&mut s, date(2026, 8, 20), today);
    let text = record_events(
        &mut s.store,
        id,
        &[RequestEvent::ClarificationAsked(date(2026, 8, 10))],
        today,
    )
    .unwrap_err()
    .to_string();
    assert!(
        text.contains("the day clarification was asked for (10 August 2026)"),
        "{text}"
    );
    assert_eq!(
        s.store.request(id).unwrap().details.clock.paused_since,
        None
    );
    // Resumed before it was asked: refused.
    record_events(
        &mut s.store,
        id,
        &[RequestEvent::ClarificationAsked(date(2026, 8, 25))],
        today,
    )
    .unwrap();
    let text = record_events(
        &mut s.store,
        id,
        &[RequestEvent::ClarificationAnswered(date(2026, 8, 24))],
        today,
    )
    .unwrap_err()
    .to_string();
    assert!(text.contains("before it was asked for"), "{text}");
    // The pause was a mistake: withdrawn, the due date is back.
    let recorded = record_events(&mut s.store, id, &[RequestEvent::PauseWithdrawn], today).unwrap();
    assert_eq!(recorded.request.details.clock.paused_since, None);
    assert_eq!(recorded.request.due, Some(date(2026, 9, 21)));
    let text = record_events(&mut s.store, id, &[RequestEvent::PauseWithdrawn], today)
        .unwrap_err()
        .to_string();
    assert!(text.contains("none to undo"), "{text}");
}

#[test]
fn a_wrong_reply_can_be_withdrawn_and_the_status_follows_what_is_left() {
    let today = date(2026, 9, 1);
    let mut s = setup(today);
    let id = received_on(&mut s, date(2026, 8, 3), today);
    let reply = NewReply {
        received: Some(date(2026, 8, 20)),
        checklist: Article15Checklist::complete(),
        ..NewReply::default()
    };
    let (saved, _) = record_reply(&mut s.store, id, &reply, today).unwrap();
    assert_eq!(
        s.store.request(id).unwrap().details.status,
        RequestStatus::Answered
    );
    let request = withdraw_reply(&mut s.store, saved.id).unwrap();
    assert_eq!(request.details.status, RequestStatus::Sent);
    assert!(s.store.client_record(s.client).unwrap().replies.is_empty());
    assert!(withdraw_reply(&mut s.store, saved.id).is_err());
}

/// Code review bug 4: nothing could change a request's nation.
#[test]
fn changing_the_nation_works_the_due_date_out_again() {
    let today = date(2026, 7, 10);
    let mut s = setup(today);
    // Received Friday 3 July: due Monday 3 August in England and Wales, and
    // Tuesday 4 August in Scotland, where 3 August is a bank holiday.
    let id = received_on(&mut s, date(2026, 7, 3), today);
    assert_eq!(s.store.request(id).unwrap().due, Some(date(2026, 8, 3)));
    let recorded = record_events(
        &mut s.store,
        id,
        &[RequestEvent::Nation(Nation::Scotland)],
        today,
    )
    .unwrap();
    assert_eq!(recorded.request.details.clock.nation, Nation::Scotland);
    assert_eq!(recorded.request.due, Some(date(2026, 8, 4)));
}

/// A request wedged by an older version (a pause before receipt, stored as it
/// was) can have that pause undone, though nothing else may be recorded first.
#[test]
fn a_pause_before_receipt_left_by_an_older_version_can_be_undone() {
    let today = date(2026, 9, 1);
    let mut s = setup(today);
    let id = received_on(&mut s, date(2026, 8, 20), today);
    let mut wedged = s.store.request(id).unwrap().details;
    wedged.clock.paused_since = Some(date(2026, 8, 10));
    s.store.update_request(id, &wedged).unwrap();
    let refused = record_events(
        &mut s.store,
        id,
        &[RequestEvent::ClarificationAnswered(date(2026, 8, 25))],
        today,
    );
    assert!(refused.is_err());
    let recorded = record_events(&mut s.store, id, &[RequestEvent::PauseWithdrawn], today).unwrap();
    assert_eq!(recorded.request.details.clock.paused_since, None);
    assert_eq!(recorded.request.due, Some(date(2026, 9, 21)));
}
