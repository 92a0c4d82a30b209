//! The casework steps: each is one function here and one transaction in the store, and
//! both the command line and the app call these functions, so the two can never
//! disagree about what a step does.
//!
//! A step that writes letters renders them first, stages the files beside their
//! targets, writes the records, moves the files into place and only then commits: a
//! failure anywhere leaves neither a file nor a record behind.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use thiserror::Error;

use super::followup::{self, Case, FollowupError, Recipient};
use super::redact::redact_client_values;
use super::reply_check::ReplyCheck;
use super::store::{
    Advice, AdviceDetails, Article15Checklist, Client, ClientId, LetterDetails, NewClient,
    PauseError, Reply, ReplyDetails, ReplyId, Request, RequestDetails, RequestId, RequestStatus,
    RestrictedRight, Store, StoreError, StoreTx,
};
use crate::calendar::dates::{assumed_receipt, assumed_receipt_note, format_uk};
use crate::calendar::holidays::Nation;
use crate::files::{self, Overwrite, Staged, WriteError};
use crate::letter::{
    self, AdviserDetails, Catalogue, ClientDetails, HomeOfficeRequestType, LetterError,
    LetterRequest,
};

/// Why a casework step did not happen. Nothing was saved or written. No message
/// carries a client's details.
#[derive(Debug, Error)]
pub enum CaseworkError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Followup(#[from] FollowupError),
    #[error(transparent)]
    Letter(#[from] LetterError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Pause(#[from] PauseError),
    #[error("{0}")]
    ClientDetails(String),
    /// The dates or choices cannot describe what happened.
    #[error("{0}")]
    Refused(String),
}

/// Where a step writes its letter, and in what form.
#[derive(Debug, Clone)]
pub struct LetterFile {
    pub path: PathBuf,
    pub overwrite: Overwrite,
    pub format: LetterFormat,
}

/// A letter as a PDF to print or attach, or as plain text to paste into an email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterFormat {
    Pdf,
    Text,
}

impl LetterFile {
    /// A PDF at `path`, never over an existing file: a free name (`-2`, `-3`...) is
    /// taken instead.
    pub fn new_pdf(path: PathBuf) -> Self {
        LetterFile {
            path,
            overwrite: Overwrite::NewName,
            format: LetterFormat::Pdf,
        }
    }
}

// ----- clients -----

/// A client added, and any clients already in the store with the same name and date
/// of birth (perhaps the same person).
#[derive(Debug)]
pub struct AddedClient {
    pub client: Client,
    pub same_person_maybe: Vec<Client>,
}

/// Adds a client from the text of a client file, checked as a letter would check it
/// (and a date of birth not after `today`).
pub fn add_client(
    store: &mut Store,
    details_toml: &str,
    label: &str,
    today: NaiveDate,
) -> Result<AddedClient, CaseworkError> {
    let details = checked_client(details_toml, label, today)?;
    let same_person_maybe = same_person(store, &details, None)?;
    let client = store.add_client(&NewClient {
        display_name: details.name.clone(),
        details_toml: details_toml.to_string(),
    })?;
    Ok(AddedClient {
        client,
        same_person_maybe,
    })
}

/// Replaces a client's details, checked the same way.
pub fn edit_client(
    store: &mut Store,
    id: ClientId,
    details_toml: &str,
    label: &str,
    today: NaiveDate,
) -> Result<AddedClient, CaseworkError> {
    let details = checked_client(details_toml, label, today)?;
    let same_person_maybe = same_person(store, &details, Some(id))?;
    let client = store.update_client(
        id,
        &NewClient {
            display_name: details.name.clone(),
            details_toml: details_toml.to_string(),
        },
    )?;
    Ok(AddedClient {
        client,
        same_person_maybe,
    })
}

/// Checks the text of a client file as [`add_client`] does, without a store: a
/// front-end calls it before asking for the passphrase, so a bad file creates nothing.
pub fn checked_client(
    details_toml: &str,
    label: &str,
    today: NaiveDate,
) -> Result<ClientDetails, CaseworkError> {
    let details = ClientDetails::from_toml_str(details_toml, label)
        .map_err(|e| CaseworkError::ClientDetails(redact_client_values(&e.to_string())))?;
    if let Some(problem) = details.problems_as_of(today).into_iter().next() {
        return Err(CaseworkError::ClientDetails(format!("{label}: {problem}")));
    }
    Ok(details)
}

/// Clients with the same name (ignoring case and accents) and date of birth.
fn same_person(
    store: &Store,
    details: &ClientDetails,
    except: Option<ClientId>,
) -> Result<Vec<Client>, CaseworkError> {
    let wanted = super::search::fold(&details.name);
    let mut found = Vec::new();
    for client in store.clients()? {
        if Some(client.id) == except || super::search::fold(&client.display_name) != wanted {
            continue;
        }
        let same_birth = ClientDetails::from_toml_str(&client.details_toml, "stored client")
            .map(|other| other.date_of_birth == details.date_of_birth)
            .unwrap_or(false);
        if same_birth {
            found.push(client);
        }
    }
    Ok(found)
}

/// The client's details as stored, parsed for a letter.
pub fn client_details(store: &Store, id: ClientId) -> Result<ClientDetails, CaseworkError> {
    let client = store.client(id)?;
    ClientDetails::from_toml_str(&client.details_toml, &format!("the details of client {id}"))
        .map_err(|e| CaseworkError::ClientDetails(redact_client_values(&e.to_string())))
}

// ----- requests -----

/// A new request: the letter to write and the body it goes to.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub client: ClientId,
    pub template: String,
    pub organisation: String,
    pub nation: Nation,
    pub request_type: Option<HomeOfficeRequestType>,
    /// Overrides the adviser in the client's details.
    pub adviser: Option<AdviserDetails>,
    /// The body's name and address, for a body the directory holds none for.
    pub recipient: Recipient,
    /// What a guide or the letter form adds to the letter.
    pub extras: LetterExtras,
}

/// What a letter can carry beyond the client and the body: the facts a guide gathered,
/// the documents a specific Home Office request names, and the period it covers.
#[derive(Debug, Clone, Default)]
pub struct LetterExtras {
    pub facts: std::collections::BTreeMap<String, String>,
    pub named_documents: Vec<String>,
    pub period: Option<(NaiveDate, NaiveDate)>,
}

/// A letter's file name without the date: the template, then the body unless the
/// template's name already ends with it (`sar-home-office`, not
/// `sar-home-office-home-office`).
pub fn letter_stem(template: &str, organisation: &str) -> String {
    if template.ends_with(organisation) {
        template.to_string()
    } else {
        format!("{template}-{organisation}")
    }
}

/// The file name of a letter for a request: its number first, so that two clients'
/// letters of the same day can never be taken for each other, and never a name.
pub fn request_file_name(request: RequestId, stem: &str, date: NaiveDate) -> String {
    format!("request-{request}-{stem}-{date}.pdf")
}

/// A request added with its letters.
#[derive(Debug)]
pub struct AddedRequest {
    pub request: Request,
    /// The request letter first, then the letter of authority when an adviser acts.
    pub files: Vec<PathBuf>,
}

/// Writes a request letter (and, when an adviser writes for the client, the letter of
/// authority the client signs) into `folder`, named by the request's number, template,
/// body and date, never over an existing file; adds the request as drafted and keeps
/// the letters' text.
pub fn new_request(
    store: &mut Store,
    catalogue: &Catalogue,
    new: &NewRequest,
    folder: &Path,
    today: NaiveDate,
) -> Result<AddedRequest, CaseworkError> {
    check_recipient(&new.recipient)?;
    let client = client_details(store, new.client)?;
    let mut letters = vec![(new.template.clone(), {
        let mut request = LetterRequest::new(&new.template, &new.organisation, client, today);
        request.nation = new.nation;
        request.home_office_request_type = new.request_type;
        request.adviser = new.adviser.clone();
        request.recipient_name = new.recipient.name.clone();
        request.recipient_address = new.recipient.address.clone();
        request.facts = new.extras.facts.clone();
        request.named_documents = new.extras.named_documents.clone();
        request.period = new.extras.period;
        request
    })];
    if letters[0].1.effective_adviser().is_some() && new.template != "authority" {
        let mut authority = letters[0].1.clone();
        authority.template = "authority".to_string();
        authority.home_office_request_type = None;
        letters.push(("authority".to_string(), authority));
    }
    let mut composed = Vec::new();
    for (template, request) in &letters {
        composed.push((template.clone(), letter::compose(request, catalogue)?));
    }
    // The request is added first (nothing is kept unless the commit below happens), so
    // its number can name the files.
    let tx = store.begin()?;
    let added = tx.add_request(&RequestDetails::drafted(
        new.client,
        &new.organisation,
        &new.template,
        new.nation,
    ))?;
    let mut staged = Vec::new();
    let mut records = Vec::new();
    for (template, letter) in &composed {
        let stem = letter_stem(template, &new.organisation);
        let name = request_file_name(added.id, &stem, today);
        staged.push(stage_letter(
            letter,
            &LetterFile::new_pdf(folder.join(name)),
        )?);
        records.push((template.clone(), letter::render_text(letter)));
    }
    for (template, text) in records {
        tx.add_letter(&LetterDetails {
            client: new.client,
            request: Some(added.id),
            template,
            rendered_text: text,
            dated: Some(today),
        })?;
    }
    let written = commit_files_then(tx, staged)?;
    Ok(AddedRequest {
        request: added,
        files: written,
    })
}

/// Records a request already made (its letter written elsewhere).
pub fn record_request(
    store: &mut Store,
    catalogue: &Catalogue,
    details: &RequestDetails,
    note: Option<&str>,
    today: NaiveDate,
) -> Result<Request, CaseworkError> {
    check_organisation_and_template(catalogue, &details.organisation, &details.template)?;
    let mut details = details.clone();
    check_event_dates(&details, today)?;
    if details.status == RequestStatus::Drafted
        && details.clock.sent.or(details.clock.received).is_some()
    {
        details.status = RequestStatus::Sent;
    }
    if let Some(note) = note {
        append_note(&mut details.notes, note, today)?;
    }
    Ok(store.add_request(&details)?)
}

/// The organisation and template must exist, and the template must suit the body.
pub fn check_organisation_and_template(
    catalogue: &Catalogue,
    organisation: &str,
    template: &str,
) -> Result<(), CaseworkError> {
    let Some(org) = catalogue.organisation(organisation) else {
        return Err(CaseworkError::Refused(format!(
            "there is no organisation called `{organisation}` (see `sanctuary letters list`)"
        )));
    };
    let Some(found) = catalogue.template(template) else {
        return Err(CaseworkError::Refused(format!(
            "there is no letter template called `{template}` (see `sanctuary letters list`)"
        )));
    };
    if !found.organisations.is_empty() && !found.organisations.iter().any(|o| o == organisation) {
        return Err(CaseworkError::Refused(format!(
            "the letter \"{}\" is not for {}",
            found.title, org.name
        )));
    }
    Ok(())
}

/// Something that happened to a request, as the adviser records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestEvent {
    /// The request was posted or sent on this day.
    Sent(NaiveDate),
    /// The body received it on this day (day one of the month).
    Received(NaiveDate),
    /// The proof of identity the body asked for reached it (the month starts again).
    IdReceived(NaiveDate),
    /// A fee the body could lawfully ask for was paid (the month starts again).
    FeeReceived(NaiveDate),
    /// The body extended the time limit, for this reason.
    Extended(String),
    /// The body asked for clarification on this day: the clock stops.
    ClarificationAsked(NaiveDate),
    /// The clarification reached the body on this day: the clock runs on.
    ClarificationAnswered(NaiveDate),
    /// A pause was recorded in error: the open one (or else the last) is removed.
    PauseWithdrawn,
    /// The nation whose bank holidays count changes; the due date is worked out again.
    Nation(Nation),
    /// The adviser sets the status by hand.
    Status(RequestStatus),
    /// A note, kept with today's date.
    Note(String),
}

/// A request after a step, with the assumption its due date rests on, if any.
#[derive(Debug)]
pub struct RecordedRequest {
    pub request: Request,
    /// Said when the day of receipt is assumed rather than known.
    pub assumption: Option<String>,
}

/// Records what happened to a request, all in one transaction: dates in an order
/// that cannot have happened, or after `today`, are refused with the reason.
pub fn record_events(
    store: &mut Store,
    id: RequestId,
    events: &[RequestEvent],
    today: NaiveDate,
) -> Result<RecordedRequest, CaseworkError> {
    let tx = store.begin()?;
    let mut details = tx.request(id)?.details;
    let mut status_given = false;
    for event in events {
        match event {
            RequestEvent::Sent(date) => details.clock.sent = Some(*date),
            RequestEvent::Received(date) => details.clock.received = Some(*date),
            RequestEvent::IdReceived(date) => details.clock.id_received = Some(*date),
            RequestEvent::FeeReceived(date) => details.clock.fee_received = Some(*date),
            RequestEvent::Extended(reason) => {
                check_typed("the reason for the extension", reason, MAX_NOTE_CHARS, true)?;
                if reason.trim().is_empty() {
                    return Err(CaseworkError::Refused(
                        "say why the body extended the time limit (the reason it gave)".into(),
                    ));
                }
                details.clock.extended = true;
                details.extension_reason = Some(reason.trim().to_string());
            }
            RequestEvent::ClarificationAsked(date) => {
                refuse_future("the day clarification was asked for", *date, today)?;
                details.pause_clock(*date)?;
            }
            RequestEvent::ClarificationAnswered(date) => {
                refuse_future("the day the clarification arrived", *date, today)?;
                details.resume_clock(*date)?;
            }
            RequestEvent::PauseWithdrawn => {
                details.withdraw_pause()?;
            }
            RequestEvent::Nation(nation) => details.clock.nation = *nation,
            RequestEvent::Status(status) => {
                details.status = *status;
                status_given = true;
            }
            RequestEvent::Note(note) => append_note(&mut details.notes, note, today)?,
        }
    }
    check_event_dates(&details, today)?;
    // Only when the dates change: a request wedged by a pause recorded before
    // receipt (as older versions allowed) can still have that pause undone.
    let reordered = events.iter().any(|e| {
        matches!(
            e,
            RequestEvent::Sent(_)
                | RequestEvent::Received(_)
                | RequestEvent::ClarificationAsked(_)
                | RequestEvent::ClarificationAnswered(_)
        )
    });
    if reordered {
        check_pauses_after_receipt(&details)?;
    }
    let dated = events
        .iter()
        .any(|e| matches!(e, RequestEvent::Sent(_) | RequestEvent::Received(_)));
    if dated && !status_given && details.status == RequestStatus::Drafted {
        details.status = RequestStatus::Sent;
    }
    let request = tx.update_request(id, &details)?;
    tx.commit()?;
    let assumption = assumption(&request.details);
    Ok(RecordedRequest {
        request,
        assumption,
    })
}

/// The sentence saying the day of receipt was assumed, where it was.
pub fn assumption(details: &RequestDetails) -> Option<String> {
    match (details.clock.sent, details.clock.received) {
        (Some(sent), None) => Some(assumed_receipt_note(
            sent,
            assumed_receipt(sent, details.clock.nation),
        )),
        _ => None,
    }
}

fn refuse_future(what: &str, date: NaiveDate, today: NaiveDate) -> Result<(), CaseworkError> {
    if date > today {
        return Err(CaseworkError::Refused(format!(
            "{what} ({}) is after today ({}): record it once it has happened",
            format_uk(date),
            format_uk(today)
        )));
    }
    Ok(())
}

/// The recorded dates must be in an order that can have happened, and not after today.
fn check_event_dates(details: &RequestDetails, today: NaiveDate) -> Result<(), CaseworkError> {
    for (what, date) in [
        ("the date sent", details.clock.sent),
        ("the date received", details.clock.received),
        (
            "the date the proof of identity arrived",
            details.clock.id_received,
        ),
        ("the date the fee was paid", details.clock.fee_received),
    ] {
        if let Some(date) = date {
            refuse_future(what, date, today)?;
        }
    }
    if let (Some(sent), Some(received)) = (details.clock.sent, details.clock.received)
        && received < sent
    {
        return Err(CaseworkError::Refused(format!(
            "the body cannot have received the request ({}) before it was sent ({})",
            format_uk(received),
            format_uk(sent)
        )));
    }
    let start = details.clock.received.or(details.clock.sent);
    for (what, date) in [
        ("the proof of identity", details.clock.id_received),
        ("the fee", details.clock.fee_received),
    ] {
        if let (Some(start), Some(date)) = (start, date)
            && date < start
        {
            return Err(CaseworkError::Refused(format!(
                "{what} is recorded as arriving ({}) before the request itself ({}); if it came with the request, give the request's date",
                format_uk(date),
                format_uk(start)
            )));
        }
    }
    Ok(())
}

/// A pause cannot begin before the body had the request: the day it received it,
/// or (when only the day sent is known) the day it is taken to arrive.
fn check_pauses_after_receipt(details: &RequestDetails) -> Result<(), CaseworkError> {
    if let Some(receipt) = details.clock.receipt() {
        let asked = details
            .clock
            .paused_since
            .into_iter()
            .chain(details.clock.pauses.iter().map(|pause| pause.asked));
        if let Some(asked) = asked.filter(|asked| *asked < receipt).min() {
            return Err(CaseworkError::Refused(format!(
                "the day clarification was asked for ({}) is before the body {} the request ({}); check the dates{}",
                format_uk(asked),
                receipt_verb(details),
                format_uk(receipt),
                receipt_hint(details)
            )));
        }
    }
    Ok(())
}

fn receipt_verb(details: &RequestDetails) -> &'static str {
    if details.clock.receipt_is_assumed() {
        "is taken to have received"
    } else {
        "received"
    }
}

fn receipt_hint(details: &RequestDetails) -> &'static str {
    if details.clock.receipt_is_assumed() {
        ", or record the day the body received it if it arrived sooner than two working days after it was sent"
    } else {
        ""
    }
}

fn append_note(notes: &mut String, note: &str, today: NaiveDate) -> Result<(), CaseworkError> {
    check_typed("the note", note, MAX_NOTE_CHARS, true)?;
    let note = note.trim();
    if note.is_empty() {
        return Ok(());
    }
    if !notes.is_empty() {
        notes.push('\n');
    }
    notes.push_str(&format!("{today}: {note}"));
    Ok(())
}

/// The longest note, reason for an extension or point of complaint, in characters.
pub const MAX_NOTE_CHARS: usize = 10_000;
/// The most points a complaint may add.
pub const MAX_COMPLAINT_POINTS: usize = 20;

/// Refuses text the adviser typed that is too long or holds characters that can
/// disguise text (see [`letter::text_problem`]); the error names the field.
fn check_typed(
    field: &str,
    value: &str,
    max_chars: usize,
    multiline: bool,
) -> Result<(), CaseworkError> {
    match letter::text_problem(field, value, max_chars, multiline) {
        Some(problem) => Err(CaseworkError::Refused(problem)),
        None => Ok(()),
    }
}

/// The body's name and address lines given for a letter, checked as a client's are.
fn check_recipient(to: &Recipient) -> Result<(), CaseworkError> {
    if to.address.len() > letter::MAX_LIST_ITEMS {
        return Err(CaseworkError::Refused(format!(
            "the body's address has {} lines; the limit is {}",
            to.address.len(),
            letter::MAX_LIST_ITEMS
        )));
    }
    if let Some(name) = &to.name {
        check_typed("the body's name", name, letter::MAX_LINE_CHARS, false)?;
    }
    for (i, line) in to.address.iter().enumerate() {
        check_typed(
            &format!("line {} of the body's address", i + 1),
            line,
            letter::MAX_LINE_CHARS,
            false,
        )?;
    }
    Ok(())
}

// ----- replies -----

/// A reply as the adviser records it.
#[derive(Debug, Clone, Default)]
pub struct NewReply {
    pub received: Option<NaiveDate>,
    pub checklist: Article15Checklist,
    pub exemption_cited: bool,
    pub exemption_rights: Vec<RestrictedRight>,
    pub note: Option<String>,
}

/// Records a reply and moves the request to the status the reply check gives, in one
/// transaction.
pub fn record_reply(
    store: &mut Store,
    id: RequestId,
    reply: &NewReply,
    today: NaiveDate,
) -> Result<(Reply, ReplyCheck), CaseworkError> {
    let received = reply
        .received
        .ok_or_else(|| CaseworkError::Refused("give the date the reply arrived".into()))?;
    refuse_future("the date of the reply", received, today)?;
    let tx = store.begin()?;
    let request = tx.request(id)?;
    if let Some(sent) = request.details.clock.sent
        && received < sent
    {
        return Err(CaseworkError::Refused(format!(
            "the date of the reply ({}) is before the request was sent ({})",
            format_uk(received),
            format_uk(sent)
        )));
    }
    // A reply answers a request the body has: not before it received it (or, when
    // only the day sent is known, before it is taken to have arrived).
    if let Some(receipt) = request.details.clock.receipt()
        && received < receipt
    {
        return Err(CaseworkError::Refused(format!(
            "the date of the reply ({}) is before the body {} the request ({}); check the date{}",
            format_uk(received),
            receipt_verb(&request.details),
            format_uk(receipt),
            receipt_hint(&request.details)
        )));
    }
    let mut notes = String::new();
    if let Some(note) = &reply.note {
        append_note(&mut notes, note, today)?;
    }
    let saved = tx.add_reply(&ReplyDetails {
        request: id,
        received,
        checklist: reply.checklist,
        exemption_cited: reply.exemption_cited,
        exemption_rights: reply.exemption_rights.clone(),
        notes,
    })?;
    let check = followup::check_recorded(&saved, &request.details.organisation);
    tx.set_request_status(id, check.status())?;
    tx.commit()?;
    Ok((saved, check))
}

/// Removes a reply recorded in error, in one transaction: the request's status
/// follows the last reply left, or goes back to sent when none is left.
pub fn withdraw_reply(store: &mut Store, id: ReplyId) -> Result<Request, CaseworkError> {
    let tx = store.begin()?;
    let removed = tx.remove_reply(id)?;
    let request = tx.request(removed.details.request)?;
    let left = tx.replies_to(request.id)?;
    let status = match left
        .iter()
        .max_by_key(|reply| (reply.details.received, reply.id))
    {
        Some(last) => followup::check_recorded(last, &request.details.organisation).status(),
        None if matches!(
            request.details.status,
            RequestStatus::Answered | RequestStatus::PartAnswered
        ) =>
        {
            RequestStatus::Sent
        }
        None => request.details.status,
    };
    let request = tx.set_request_status(request.id, status)?;
    tx.commit()?;
    Ok(request)
}

// ----- follow-up letters -----

/// A follow-up letter written and kept with the client.
#[derive(Debug)]
pub struct WrittenLetter {
    pub path: PathBuf,
    pub request: Request,
    /// With a complaint to the ICO made by an adviser: the client's consent to sign.
    pub consent: Option<PathBuf>,
}

/// Writes the chaser for a request (see [`followup::chaser`] for when one may go).
pub fn write_chaser(
    store: &mut Store,
    catalogue: &Catalogue,
    id: RequestId,
    to: &Recipient,
    file: &LetterFile,
    today: NaiveDate,
) -> Result<WrittenLetter, CaseworkError> {
    check_recipient(to)?;
    let case = Case::load(store, id, today)?;
    let composed = followup::chaser(&case, catalogue, today, to)?;
    write_followup(
        store,
        &case,
        &[("chaser", composed, file.clone())],
        None,
        today,
    )
}

/// What a complaint says beyond what the store shows.
#[derive(Debug, Clone, Default)]
pub struct ComplaintChoice {
    pub to_ico: bool,
    pub extra_points: Vec<String>,
    pub their_reference: Option<String>,
}

/// Writes a complaint about a request, to the body or to the ICO, and marks the
/// request complained.
pub fn write_complaint(
    store: &mut Store,
    catalogue: &Catalogue,
    id: RequestId,
    choice: &ComplaintChoice,
    to: &Recipient,
    file: &LetterFile,
    today: NaiveDate,
) -> Result<WrittenLetter, CaseworkError> {
    check_recipient(to)?;
    if choice.extra_points.len() > MAX_COMPLAINT_POINTS {
        return Err(CaseworkError::Refused(format!(
            "the complaint has {} further points; the limit is {MAX_COMPLAINT_POINTS}",
            choice.extra_points.len()
        )));
    }
    for (i, point) in choice.extra_points.iter().enumerate() {
        check_typed(&format!("point {}", i + 1), point, MAX_NOTE_CHARS, true)?;
    }
    if let Some(reference) = &choice.their_reference {
        check_typed("their reference", reference, letter::MAX_LINE_CHARS, false)?;
    }
    let case = Case::load(store, id, today)?;
    let composed = followup::complaint(
        &case,
        catalogue,
        today,
        choice.to_ico,
        &choice.extra_points,
        choice.their_reference.clone(),
        to,
    )?;
    let mut letters = vec![(
        followup::complaint_template(choice.to_ico),
        composed,
        file.clone(),
    )];
    if choice.to_ico
        && let Some(consent) = followup::consent_for_ico(&case, catalogue, today, to)?
    {
        letters.push((followup::CONSENT_TEMPLATE, consent, consent_file(file)));
    }
    write_followup(
        store,
        &case,
        &letters,
        Some(RequestStatus::Complained),
        today,
    )
}

/// Where the consent goes: beside the complaint, its name ending `-consent`.
fn consent_file(complaint: &LetterFile) -> LetterFile {
    let stem = complaint
        .path
        .file_stem()
        .map_or("complaint".into(), |s| s.to_string_lossy().into_owned());
    let name = match complaint.path.extension() {
        Some(ext) => format!("{stem}-consent.{}", ext.to_string_lossy()),
        None => format!("{stem}-consent"),
    };
    LetterFile {
        path: complaint.path.with_file_name(name),
        ..complaint.clone()
    }
}

/// Writes the letters (the follow-up first, then any that go with it) and keeps
/// their text with the client, in one transaction with the status change.
fn write_followup(
    store: &mut Store,
    case: &Case,
    letters: &[(&str, letter::Letter, LetterFile)],
    status: Option<RequestStatus>,
    today: NaiveDate,
) -> Result<WrittenLetter, CaseworkError> {
    let staged = letters
        .iter()
        .map(|(_, composed, file)| stage_letter(composed, file))
        .collect::<Result<Vec<_>, _>>()?;
    let tx = store.begin()?;
    for (template, composed, _) in letters {
        tx.add_letter(&LetterDetails {
            client: case.record.client.id,
            request: Some(case.request.id),
            template: template.to_string(),
            rendered_text: letter::render_text(composed),
            dated: Some(today),
        })?;
    }
    let request = match status {
        Some(status) => tx.set_request_status(case.request.id, status)?,
        None => tx.request(case.request.id)?,
    };
    let mut written = commit_files_then(tx, staged)?.into_iter();
    Ok(WrittenLetter {
        path: written.next().unwrap_or_default(),
        request,
        consent: written.next(),
    })
}

// ----- advice -----

/// Saves a guide run's summary to a client.
pub fn save_advice(store: &mut Store, advice: &AdviceDetails) -> Result<Advice, CaseworkError> {
    Ok(store.add_advice(advice)?)
}

// ----- files and transactions together -----

fn stage_letter(composed: &letter::Letter, file: &LetterFile) -> Result<Staged, CaseworkError> {
    let bytes = match file.format {
        LetterFormat::Pdf => letter::render_pdf(composed)?,
        LetterFormat::Text => letter::render_text(composed).into_bytes(),
    };
    Ok(files::stage(&file.path, &bytes, file.overwrite)?)
}

/// Moves the staged files into place, then commits; if the commit fails the files are
/// taken back, so a letter is on disk exactly when its record is in the store.
fn commit_files_then(tx: StoreTx<'_>, staged: Vec<Staged>) -> Result<Vec<PathBuf>, CaseworkError> {
    let committed = files::commit_all(staged)?;
    if let Err(error) = tx.commit() {
        committed.into_iter().for_each(files::Committed::undo);
        return Err(error.into());
    }
    Ok(committed.into_iter().map(files::Committed::keep).collect())
}

#[cfg(test)]
mod tests;
