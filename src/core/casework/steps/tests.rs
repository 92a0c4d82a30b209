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
    let id = new_request(
        &mut s.store,
        &s.catalogue,
        &home_office(s.client),
        s.dir.path(),
        today,
    )
    .unwrap()
    .request
    .id;
    // Friday 20 November 2026: taken to arrive Tuesday 24 November; due 24 December.
    let recorded = record_events(
        &mut s.store,
        id,
        &[RequestEvent::Sent(date(2026, 11, 20))],
        today,
    )
    .unwrap();
    assert_eq!(recorded.request.details.status, RequestStatus::Sent);
    assert_eq!(recorded.request.details.received, None);
    assert_eq!(recorded.request.due, Some(date(2026, 12, 24)));
    let note = recorded.assumption.expect("the assumption is stated");
    assert!(note.contains("24 November 2026"), "{note}");
}

#[test]
fn impossible_orders_and_future_dates_are_refused_and_change_nothing() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let id = new_request(
        &mut s.store,
        &s.catalogue,
        &home_office(s.client),
        s.dir.path(),
        today,
    )
    .unwrap()
    .request
    .id;
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
    let id = new_request(
        &mut s.store,
        &s.catalogue,
        &home_office(s.client),
        s.dir.path(),
        today,
    )
    .unwrap()
    .request
    .id;
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
    let complaint = write_complaint(
        &mut s.store,
        &s.catalogue,
        id,
        &ComplaintChoice {
            to_ico: true,
            ..ComplaintChoice::default()
        },
        &Recipient::default(),
        &LetterFile::new_pdf(s.dir.path().join("complaint.pdf")),
        today,
    )
    .unwrap();
    assert_eq!(complaint.request.details.status, RequestStatus::Complained);
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
        ["sar-home-office", "authority", "chaser", "complaint-ico"]
    );
}

#[test]
fn an_unanswered_request_is_not_chased_before_it_is_late() {
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let id = new_request(
        &mut s.store,
        &s.catalogue,
        &home_office(s.client),
        s.dir.path(),
        today,
    )
    .unwrap()
    .request
    .id;
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
    let mut details = RequestDetails::drafted(
        s.client,
        "home-office",
        "sar-home-office",
        Nation::EnglandWales,
    );
    details.sent = Some(date(2026, 6, 1));
    details.received = Some(date(2026, 6, 3));
    details.extended = true;
    details.extension_reason = Some("complex".into());
    let request = record_request(&mut s.store, &s.catalogue, &details, None, today).unwrap();
    assert_eq!(request.due, Some(date(2026, 9, 3)));
    let case = Case::load(&s.store, request.id).unwrap();
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
    use crate::casework::followup::{ChaseGround, FollowupError, chaser_ground};
    let today = date(2026, 12, 1);
    let mut s = setup(today);
    let mut ids = Vec::new();
    for _ in 0..2 {
        ids.push(
            new_request(
                &mut s.store,
                &s.catalogue,
                &home_office(s.client),
                s.dir.path(),
                today,
            )
            .unwrap()
            .request
            .id,
        );
    }
    let ground = |s: &Setup, id| chaser_ground(&Case::load(&s.store, id).unwrap(), today);
    // Drafted, never sent: nothing to chase yet.
    assert!(matches!(
        ground(&s, ids[0]),
        Err(FollowupError::NoSentDate(_))
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
        Err(FollowupError::NotOverdue { .. })
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
    let mut details = RequestDetails::drafted(
        s.client,
        "home-office",
        "sar-home-office",
        Nation::EnglandWales,
    );
    details.sent = Some(date(2026, 9, 1));
    details.received = Some(date(2026, 9, 3));
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
    let case = Case::load(&s.store, id).unwrap();
    let events = followup::chronology(&case, &s.catalogue, None, today);
    let complained = events
        .iter()
        .find(|(_, text)| text.starts_with("Complained to"))
        .expect("the complaint to the body is in the chronology");
    assert!(complained.1.contains("section 164A"), "{}", complained.1);
    assert!(complained.1.contains("acknowledge"), "{}", complained.1);
}
