//! A client's page in casework: their requests (one highlighted), replies, letters and
//! advice records, and what an adviser does with a request: write the request letter,
//! record it sent and received, proof of identity received, an extension, a clarification
//! pause, a reply checked against Article 15(1); write a chaser or a complaint.
//!
//! The rules (due dates, what a reply lacks, what the letters say) live in `casework`
//! and `letter`; this screen only asks for the facts and shows the result.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::records;
use crate::tui::action::{Action, CaseAction};
use crate::tui::keys::Context;
use crate::tui::letters_folder::LettersFolder;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use crate::wording::plural;
use sanctuary::calendar::dates::{format_uk, parse_date};
use sanctuary::calendar::holidays::Nation;
use sanctuary::casework::followup::{ChaseGround, NotYet, Recipient, check_recorded};
use sanctuary::casework::standing::{self, Standing};
use sanctuary::casework::steps::{
    self, ComplaintChoice, LetterFile, NewReply, NewRequest, RequestEvent,
};
use sanctuary::casework::store::{
    Article15Checklist, Article15Item, ClientId, ClientRecord, Reply, Request, RequestDetails,
    RequestId, RequestStatus, Store,
};
use sanctuary::guide::Library;
use sanctuary::letter::wording::CaseworkWording;
use sanctuary::letter::{AdviserDetails, Catalogue, HomeOfficeRequestType, LetterKind};

/// What the page asks the casework screen to do.
#[derive(Debug, PartialEq, Eq)]
pub enum PageOutcome {
    Stay,
    /// Back to the lists (which then show any change).
    Close,
    Status(String),
    /// Open the form to change the client's details.
    EditClient,
    /// Show a letter or an advice record to read: its title and text.
    Read(String, String),
}

/// A request letter the adviser can write from the page: every body the directory
/// holds a request letter for. One whose name or address the directory does not hold
/// has them asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequestChoice {
    pub template: String,
    pub organisation: String,
    pub request_type: Option<HomeOfficeRequestType>,
    pub label: String,
}

/// A letter the page is asking the details of, before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Writing {
    NewRequest(NewRequestChoice),
    Chaser(RequestId),
    Complaint { request: RequestId, to_ico: bool },
}

/// A letter being written, with what has been asked so far.
#[derive(Debug, Clone)]
struct Pending {
    writing: Writing,
    /// The body the letter is to, or (for the ICO) about.
    organisation: String,
    recipient: Recipient,
    /// For a new request: whose bank holidays count, once asked.
    nation: Option<Nation>,
}

/// What a line typed in a dialog is for.
#[derive(Debug, Clone)]
enum Purpose {
    Sent,
    Received,
    IdReceived,
    Extend,
    PauseFrom,
    Resume,
    ReplyDate,
    /// The body's own name (a police force, an employer...).
    BodyName(Pending),
    /// The body's postal address, when the directory holds none.
    BodyAddress(Pending),
    /// The folder the letters go in.
    Folder(Pending),
    /// Whose bank holidays count for a new request.
    NewNation(Pending),
    /// Whose bank holidays count for the highlighted request.
    Nation,
    /// What to undo: the last pause or the last reply.
    Undo,
}

#[derive(Debug)]
struct Input {
    purpose: Purpose,
    label: String,
    typed: String,
}

/// The reply checklist: what came, against Article 15(1), and the exemption.
#[derive(Debug)]
struct ReplyForm {
    received: NaiveDate,
    checklist: Article15Checklist,
    exemption_cited: bool,
    focus: usize,
}

/// Rows of the reply form: the Article 15 items and "cited the exemption" (ninth).
pub const REPLY_ROWS: usize = Article15Item::ALL.len() + 1;

/// The "cited the exemption" row stays ninth (key 9), where it was before the
/// items added later (the right to complain, transfer safeguards) came after it.
const EXEMPTION_ROW: usize = 8;

/// The Article 15 item on a row of the reply form; `None` for the exemption row.
fn reply_row_item(row: usize) -> Option<Article15Item> {
    match row.cmp(&EXEMPTION_ROW) {
        std::cmp::Ordering::Less => Article15Item::ALL.get(row).copied(),
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Article15Item::ALL.get(row - 1).copied(),
    }
}

#[derive(Debug)]
enum Dialog {
    Input(Input),
    Reply(ReplyForm),
    NewRequest {
        choices: Vec<NewRequestChoice>,
        selected: usize,
    },
}

#[derive(Debug)]
pub struct ClientPage {
    pub record: ClientRecord,
    /// The highlighted request.
    selected: usize,
    dialog: Option<Dialog>,
    /// The adviser's notes on a reply, from the letters' shared file.
    wording: CaseworkWording,
    /// For each request, the follow-up that applies now, if any.
    /// Each request's standing today, in the record's order: what the page renders.
    standings: Vec<Standing>,
    /// The adviser's own details from the settings: a new request from a client an
    /// adviser acts for is written with them, so a changed phone number is used at once.
    pub adviser: Option<AdviserDetails>,
    /// The highlighted letter or advice record (letters first), once the highlight has
    /// moved down past the requests; `None` while a request is highlighted.
    record_selected: Option<usize>,
}

/// A date offered in a prompt, written as the app writes dates for people (DD/MM/YYYY).
fn offered(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn uk(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

impl ClientPage {
    /// The page of a client, read from the store.
    pub fn open(
        store: &Store,
        client: ClientId,
        catalogue: &Catalogue,
        today: NaiveDate,
    ) -> Result<ClientPage, String> {
        let record = store.client_record(client).map_err(|e| e.to_string())?;
        let mut page = ClientPage {
            record,
            selected: 0,
            dialog: None,
            wording: catalogue.casework_wording().clone(),
            standings: Vec::new(),
            adviser: None,
            record_selected: None,
        };
        page.standings = standings(&page.record, today);
        Ok(page)
    }

    pub fn client(&self) -> ClientId {
        self.record.client.id
    }

    /// Highlights this request, if the client has it.
    pub fn select_request(&mut self, id: RequestId) {
        if let Some(i) = self.record.requests.iter().position(|r| r.id == id) {
            self.selected = i;
        }
    }

    pub fn context(&self) -> Context {
        match &self.dialog {
            None => Context::ClientPage,
            Some(Dialog::Input(_)) => Context::Prompt,
            Some(Dialog::Reply(_)) => Context::Checklist,
            Some(Dialog::NewRequest { .. }) => Context::Choice,
        }
    }

    fn request(&self) -> Option<&Request> {
        self.record.requests.get(self.selected)
    }

    /// The highlighted request's standing.
    fn standing(&self) -> Option<&Standing> {
        self.standings.get(self.selected)
    }

    /// Asks for a correction to request `id`: its nation, or what to undo.
    fn ask_correction(&mut self, case: CaseAction, id: RequestId) -> PageOutcome {
        let Some(request) = self.request() else {
            return PageOutcome::Stay;
        };
        if case == CaseAction::Nation {
            let current = request.details.clock.nation;
            return self.ask(
                Purpose::Nation,
                &format!(
                    "Request #{id}: {NATION_QUESTION} (now {}; the due date is worked out again)",
                    current.label()
                ),
                current.id().to_string(),
            );
        }
        let clock = &request.details.clock;
        let pause = clock.paused_since.is_some() || !clock.pauses.is_empty();
        let reply = self.last_reply_of(id).is_some();
        let default = match (pause, reply) {
            (true, _) => "pause",
            (false, true) => "reply",
            (false, false) => {
                return PageOutcome::Status(format!(
                    "Request #{id} has no pause or reply to undo."
                ));
            }
        };
        self.ask(
            Purpose::Undo,
            &format!(
                "Request #{id}: undo what was recorded by mistake: type pause (the last clarification pause) or reply (the last reply)"
            ),
            default.to_string(),
        )
    }

    /// The last reply recorded for request `id`.
    fn last_reply_of(&self, id: RequestId) -> Option<&Reply> {
        self.record
            .replies
            .iter()
            .filter(|reply| reply.details.request == id)
            .max_by_key(|reply| (reply.details.received, reply.id))
    }

    /// Undoes the last pause or the last reply of the highlighted request.
    fn undo(&self, typed: &str, store: &mut Store, today: NaiveDate) -> Result<String, String> {
        let id = self.request().ok_or("This client has no request.")?.id;
        let request = match typed.to_lowercase().as_str() {
            "pause" => {
                steps::record_events(store, id, &[RequestEvent::PauseWithdrawn], today)
                    .map_err(|e| e.to_string())?
                    .request
            }
            "reply" => {
                let reply = self.last_reply_of(id).ok_or("This request has no reply.")?;
                steps::withdraw_reply(store, reply.id).map_err(|e| e.to_string())?
            }
            _ => return Err("Type pause or reply.".into()),
        };
        let standing = standing::load(store, id, today).map_err(|e| e.to_string())?;
        Ok(format!(
            "Undone. Request #{id}: {}",
            describe_clock(&request, &standing)
        ))
    }

    /// Reads the client's record again (after a change, here or in the form).
    pub fn reload(&mut self, store: &Store, today: NaiveDate) -> Result<(), String> {
        self.record = store
            .client_record(self.client())
            .map_err(|e| e.to_string())?;
        self.selected = self
            .selected
            .min(self.record.requests.len().saturating_sub(1));
        self.standings = standings(&self.record, today);
        Ok(())
    }

    pub fn handle(
        &mut self,
        action: Action,
        store: &mut Store,
        catalogue: &Catalogue,
        letters: &mut LettersFolder,
        today: NaiveDate,
    ) -> PageOutcome {
        match self.dialog.take() {
            Some(Dialog::Input(input)) => {
                self.handle_input(input, action, store, catalogue, letters, today)
            }
            Some(Dialog::Reply(form)) => self.handle_reply(form, action, store, today),
            Some(Dialog::NewRequest { choices, selected }) => {
                self.handle_choice(choices, selected, action, catalogue, letters)
            }
            None => self.handle_page(action, catalogue, letters, today),
        }
    }

    /// Moving the highlight from the last request down to the letters and advice records,
    /// and Enter on one of them; also refuses a request's key while a record is
    /// highlighted. `None` when the action is for the requests.
    fn move_among_records(
        &mut self,
        action: Action,
        catalogue: &Catalogue,
        letters: &LettersFolder,
    ) -> Option<PageOutcome> {
        let records = self.record.letters.len() + self.record.advice.len();
        let last_request = self.record.requests.len().saturating_sub(1);
        let at_last_request = self.selected >= last_request;
        match (self.record_selected, action) {
            (None, Action::Down | Action::ScrollDown) if at_last_request && records > 0 => {
                self.record_selected = Some(0)
            }
            (Some(0), Action::Up | Action::ScrollUp) if !self.record.requests.is_empty() => {
                self.record_selected = None
            }
            (Some(i), Action::Up | Action::ScrollUp) => {
                self.record_selected = Some(i.saturating_sub(1))
            }
            (Some(i), Action::Down | Action::ScrollDown) => {
                self.record_selected = Some((i + 1).min(records - 1))
            }
            (Some(i), Action::Open) => return Some(self.read(i, catalogue, letters)),
            (None, Action::Open) => {
                return Some(PageOutcome::Status(
                    "Enter reads a letter or an advice record: move down to one first.".into(),
                ));
            }
            (Some(_), Action::Case(_)) => {
                return Some(PageOutcome::Status(
                    "That key is for a request: move up to the request first.".into(),
                ));
            }
            _ => return None,
        }
        Some(PageOutcome::Stay)
    }

    /// The letter or advice record at `i` (letters first), to read.
    fn read(&self, i: usize, catalogue: &Catalogue, letters: &LettersFolder) -> PageOutcome {
        let record = &self.record;
        let (title, text) = match record.letters.get(i) {
            Some(letter) => records::letter_reading(record, letter, catalogue, &letters.path),
            None => match record.advice.get(i - record.letters.len()) {
                Some(advice) => records::advice_reading(advice),
                None => return PageOutcome::Stay,
            },
        };
        PageOutcome::Read(title, text)
    }

    fn ask(&mut self, purpose: Purpose, label: &str, typed: String) -> PageOutcome {
        self.dialog = Some(Dialog::Input(Input {
            purpose,
            label: label.to_string(),
            typed,
        }));
        PageOutcome::Stay
    }

    fn handle_page(
        &mut self,
        action: Action,
        catalogue: &Catalogue,
        letters: &LettersFolder,
        today: NaiveDate,
    ) -> PageOutcome {
        let count = self.record.requests.len();
        if let Some(outcome) = self.move_among_records(action, catalogue, letters) {
            return outcome;
        }
        match action {
            Action::Up | Action::ScrollUp => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1))
            }
            Action::Leave => return PageOutcome::Close,
            Action::EditClient => return PageOutcome::EditClient,
            Action::Case(CaseAction::NewRequest) => {
                let choices = new_request_choices(catalogue);
                if choices.is_empty() {
                    return PageOutcome::Status("No request letter can be written here.".into());
                }
                self.dialog = Some(Dialog::NewRequest {
                    choices,
                    selected: 0,
                });
            }
            Action::Case(case) => return self.case_action(case, catalogue, letters, today),
            _ => {}
        }
        PageOutcome::Stay
    }

    /// A key for the highlighted request: a correction, a date or a reason to ask
    /// for, or a follow-up letter to start.
    fn case_action(
        &mut self,
        case: CaseAction,
        catalogue: &Catalogue,
        letters: &LettersFolder,
        today: NaiveDate,
    ) -> PageOutcome {
        let Some(request) = self.request() else {
            return PageOutcome::Status(
                "This client has no request yet: press n to write one.".into(),
            );
        };
        let details = request.details.clone();
        let id = request.id;
        match case {
            CaseAction::NewRequest => PageOutcome::Stay,
            CaseAction::Nation | CaseAction::Undo => self.ask_correction(case, id),
            CaseAction::Chaser | CaseAction::ComplainToBody | CaseAction::ComplainToIco => {
                self.start_followup(case, id, &details.organisation, catalogue, letters)
            }
            _ => self.ask_about(case, id, &details, today),
        }
    }

    /// Asks for the date (or the reason) an event of request `id` needs.
    fn ask_about(
        &mut self,
        case: CaseAction,
        id: RequestId,
        details: &RequestDetails,
        today: NaiveDate,
    ) -> PageOutcome {
        match case {
            CaseAction::Sent => self.ask(
                Purpose::Sent,
                &format!("Request #{id}: the date it was sent (DD/MM/YYYY or YYYY-MM-DD)"),
                offered(details.clock.sent.unwrap_or(today)),
            ),
            CaseAction::Received => self.ask(
                Purpose::Received,
                &format!(
                    "Request #{id}: the date the body received it (DD/MM/YYYY or YYYY-MM-DD)"
                ),
                offered(details.clock.received.unwrap_or(today)),
            ),
            CaseAction::IdReceived => self.ask(
                Purpose::IdReceived,
                &format!(
                    "Request #{id}: the date the body received the proof of identity it asked for"
                ),
                offered(today),
            ),
            CaseAction::Extend => self.ask(
                Purpose::Extend,
                &format!(
                    "Request #{id}: the reason the body gave for extending (it must have said so within the first month)"
                ),
                String::new(),
            ),
            CaseAction::Pause => match details.clock.paused_since {
                None => self.ask(
                    Purpose::PauseFrom,
                    &format!(
                        "Request #{id}: the date the body asked for clarification (the clock stops)"
                    ),
                    offered(today),
                ),
                Some(since) => self.ask(
                    Purpose::Resume,
                    &format!(
                        "Request #{id}: the date the clarification reached the body (asked on {}; the clock restarts)",
                        uk(since)
                    ),
                    offered(today),
                ),
            },
            CaseAction::Reply => self.ask(
                Purpose::ReplyDate,
                &format!(
                    "Request #{id}: the date the reply arrived (DD/MM/YYYY or YYYY-MM-DD)"
                ),
                offered(today),
            ),
            _ => PageOutcome::Stay,
        }
    }

    /// Starts a chaser or a complaint about request `id`, or says at once why it
    /// cannot go yet (the request's standing).
    fn start_followup(
        &mut self,
        case: CaseAction,
        id: RequestId,
        organisation: &str,
        catalogue: &Catalogue,
        letters: &LettersFolder,
    ) -> PageOutcome {
        let pending = |writing| Pending {
            writing,
            organisation: organisation.to_string(),
            recipient: Recipient::default(),
            nation: None,
        };
        match case {
            CaseAction::Chaser => {
                // Say at once when a chaser cannot go, before asking anything.
                if let Some(Err(reason)) = self.standing().map(|s| &s.chase) {
                    return PageOutcome::Status(format!("No chaser yet: {}.", reason.explain(id)));
                }
                let pending = pending(Writing::Chaser(id));
                self.next_question(pending, catalogue, letters)
            }
            _ => {
                let to_ico = case == CaseAction::ComplainToIco;
                if let (true, Some(Err(reason))) =
                    (to_ico, self.standing().map(|s| &s.complaints.ico))
                {
                    return PageOutcome::Status(format!(
                        "No ICO complaint yet: {}.",
                        reason.explain(id)
                    ));
                }
                let pending = pending(Writing::Complaint {
                    request: id,
                    to_ico,
                });
                self.next_question(pending, catalogue, letters)
            }
        }
    }

    /// Asks for the next thing the letter needs: the body's name, its address, then
    /// the folder to write into (the letters folder, offered in full).
    fn next_question(
        &mut self,
        pending: Pending,
        catalogue: &Catalogue,
        letters: &LettersFolder,
    ) -> PageOutcome {
        let to_ico = matches!(pending.writing, Writing::Complaint { to_ico: true, .. });
        if matches!(pending.writing, Writing::NewRequest(_)) && pending.nation.is_none() {
            return self.ask(
                Purpose::NewNation(pending),
                NATION_QUESTION,
                Nation::EnglandWales.id().to_string(),
            );
        }
        if let Some(org) = catalogue.organisation(&pending.organisation) {
            if let Some(what) = &org.name_needed
                && pending.recipient.name.is_none()
            {
                let label = if to_ico {
                    format!("The name of {what} the complaint is about")
                } else {
                    format!("The name of {what}, as the letter is to be addressed")
                };
                return self.ask(Purpose::BodyName(pending), &label, String::new());
            }
            if !to_ico && org.postal_address().is_none() && pending.recipient.address.is_empty() {
                let name = pending.recipient.name.as_deref().unwrap_or(&org.name);
                let help = org
                    .address_help
                    .as_deref()
                    .map_or(String::new(), |h| format!(" ({h})"));
                let label = format!(
                    "The postal address of {name}: its lines separated by commas, postcode last{help}"
                );
                return self.ask(Purpose::BodyAddress(pending), &label, String::new());
            }
        }
        let what = match &pending.writing {
            Writing::NewRequest(_) => {
                "the request (and the letter of authority, when an adviser acts)"
            }
            Writing::Chaser(_) => "the chaser",
            Writing::Complaint { to_ico: true, .. } => "the complaint to the ICO",
            Writing::Complaint { .. } => "the complaint",
        };
        let label = format!(
            "Write {what} into this folder (Enter keeps it; a folder typed here is used from now on)"
        );
        self.ask(Purpose::Folder(pending), &label, letters.shown())
    }

    fn handle_choice(
        &mut self,
        choices: Vec<NewRequestChoice>,
        mut selected: usize,
        action: Action,
        catalogue: &Catalogue,
        letters: &LettersFolder,
    ) -> PageOutcome {
        let pick = match action {
            Action::Up | Action::ScrollUp => {
                selected = selected.saturating_sub(1);
                None
            }
            Action::Down | Action::ScrollDown => {
                selected = (selected + 1).min(choices.len().saturating_sub(1));
                None
            }
            Action::PageUp => {
                selected = selected.saturating_sub(8);
                None
            }
            Action::PageDown => {
                selected = (selected + 8).min(choices.len().saturating_sub(1));
                None
            }
            Action::Pick(n) if n < choices.len() => Some(n),
            Action::Select | Action::Confirm => Some(selected),
            Action::CloseOverlay | Action::Leave => return PageOutcome::Stay,
            _ => None,
        };
        match pick.and_then(|i| choices.get(i)).cloned() {
            Some(choice) => {
                let pending = Pending {
                    organisation: choice.organisation.clone(),
                    writing: Writing::NewRequest(choice),
                    recipient: Recipient::default(),
                    nation: None,
                };
                self.next_question(pending, catalogue, letters)
            }
            None => {
                self.dialog = Some(Dialog::NewRequest { choices, selected });
                PageOutcome::Stay
            }
        }
    }

    fn handle_input(
        &mut self,
        mut input: Input,
        action: Action,
        store: &mut Store,
        catalogue: &Catalogue,
        letters: &mut LettersFolder,
        today: NaiveDate,
    ) -> PageOutcome {
        match action {
            Action::Type(c) => input.typed.push(c),
            Action::DeleteChar => {
                input.typed.pop();
            }
            Action::CloseOverlay | Action::Leave => return PageOutcome::Stay,
            Action::Confirm => {
                let done = self.apply(&input, store, catalogue, letters, today);
                return self.after_step(done, Dialog::Input(input), store, today);
            }
            _ => {}
        }
        self.dialog = Some(Dialog::Input(input));
        PageOutcome::Stay
    }

    /// What the page says once a dialog's step is done: the page read again from the
    /// store, and the step's message if it has one. When the step failed, its message,
    /// with the dialog kept as it was, so a slip is corrected, not retyped.
    fn after_step(
        &mut self,
        done: Result<Option<String>, String>,
        dialog: Dialog,
        store: &Store,
        today: NaiveDate,
    ) -> PageOutcome {
        match done {
            Ok(message) => match self.reload(store, today) {
                Ok(()) => message.map_or(PageOutcome::Stay, PageOutcome::Status),
                Err(e) => PageOutcome::Status(e),
            },
            Err(message) => {
                self.dialog = Some(dialog);
                PageOutcome::Status(message)
            }
        }
    }

    /// Carries out what the dialog asked for, through the casework steps the command
    /// line uses too. `Ok(None)` when another dialog follows.
    fn apply(
        &mut self,
        input: &Input,
        store: &mut Store,
        catalogue: &Catalogue,
        letters: &mut LettersFolder,
        today: NaiveDate,
    ) -> Result<Option<String>, String> {
        let typed = input.typed.trim();
        let date = || parse_date(typed).map_err(|e| e.to_string());
        let event = match &input.purpose {
            Purpose::BodyName(pending) => {
                if typed.is_empty() {
                    return Err("Type the body's name: the letter is addressed to it.".into());
                }
                let mut pending = pending.clone();
                pending.recipient.name = Some(typed.to_string());
                self.next_question(pending, catalogue, letters);
                return Ok(None);
            }
            Purpose::BodyAddress(pending) => {
                let lines: Vec<String> = typed
                    .split(',')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect();
                if lines.is_empty() {
                    return Err(
                        "Type the address, its lines separated by commas: the letter goes there."
                            .into(),
                    );
                }
                let mut pending = pending.clone();
                pending.recipient.address = lines;
                self.next_question(pending, catalogue, letters);
                return Ok(None);
            }
            Purpose::NewNation(pending) => {
                let mut pending = pending.clone();
                pending.nation = Some(typed_nation(typed)?);
                self.next_question(pending, catalogue, letters);
                return Ok(None);
            }
            Purpose::Nation => RequestEvent::Nation(typed_nation(typed)?),
            Purpose::Undo => return self.undo(typed, store, today).map(Some),
            Purpose::Folder(pending) => {
                let folder = letters.use_typed(typed, "Enter")?;
                return self
                    .write(pending, &folder, store, catalogue, today)
                    .map(Some);
            }
            Purpose::Sent => RequestEvent::Sent(date()?),
            Purpose::Received => RequestEvent::Received(date()?),
            Purpose::IdReceived => RequestEvent::IdReceived(date()?),
            Purpose::Extend => RequestEvent::Extended(typed.to_string()),
            Purpose::PauseFrom => RequestEvent::ClarificationAsked(date()?),
            Purpose::Resume => RequestEvent::ClarificationAnswered(date()?),
            Purpose::ReplyDate => {
                self.dialog = Some(Dialog::Reply(ReplyForm {
                    received: date()?,
                    checklist: Article15Checklist::default(),
                    exemption_cited: false,
                    focus: 0,
                }));
                return Ok(None);
            }
        };
        let id = self.request().ok_or("This client has no request.")?.id;
        let recorded =
            steps::record_events(store, id, &[event], today).map_err(|e| e.to_string())?;
        let mut message = standing::load(store, recorded.request.id, today)
            .map(|standing| describe_clock(&recorded.request, &standing))
            .map_err(|e| e.to_string())?;
        if let Some(assumption) = recorded.assumption {
            message = format!("{assumption} {message}");
        }
        Ok(Some(message))
    }

    /// Writes the letter into `folder`, never over an existing file (a name already
    /// taken gets `-2`, `-3`...), and keeps it with the client.
    fn write(
        &self,
        pending: &Pending,
        folder: &Path,
        store: &mut Store,
        catalogue: &Catalogue,
        today: NaiveDate,
    ) -> Result<String, String> {
        let org = &pending.organisation;
        let file = |request: RequestId, stem: String| {
            LetterFile::new_pdf(folder.join(steps::request_file_name(request, &stem, today)))
        };
        match &pending.writing {
            Writing::NewRequest(choice) => {
                self.write_new_request(choice, pending, folder, store, catalogue, today)
            }
            Writing::Chaser(id) => {
                let written = steps::write_chaser(
                    store,
                    catalogue,
                    *id,
                    &pending.recipient,
                    &file(*id, records::letter_file_stem("chaser", org)),
                    today,
                )
                .map_err(|e| e.to_string())?;
                Ok(format!("Wrote the chaser to {}", written.path.display()))
            }
            Writing::Complaint { request, to_ico } => {
                let choice = ComplaintChoice {
                    to_ico: *to_ico,
                    ..ComplaintChoice::default()
                };
                let template = if *to_ico {
                    "complaint-ico"
                } else {
                    "complaint-controller"
                };
                let name = records::letter_file_stem(template, org);
                let written = steps::write_complaint(
                    store,
                    catalogue,
                    *request,
                    &choice,
                    &pending.recipient,
                    &file(*request, name),
                    today,
                )
                .map_err(|e| e.to_string())?;
                let consent = written.consent.map_or(String::new(), |path| {
                    format!(
                        " The client signs the consent in {}, which goes with it.",
                        path.display()
                    )
                });
                Ok(format!(
                    "Wrote the complaint to {}; request #{request} is now marked complained.{consent}",
                    written.path.display()
                ))
            }
        }
    }

    fn handle_reply(
        &mut self,
        mut form: ReplyForm,
        action: Action,
        store: &mut Store,
        today: NaiveDate,
    ) -> PageOutcome {
        let toggle = |form: &mut ReplyForm, row: usize| {
            if row >= REPLY_ROWS {
                return;
            }
            if let Some(item) = reply_row_item(row) {
                let value = form.checklist.item_mut(item);
                *value = !*value;
            } else {
                form.exemption_cited = !form.exemption_cited;
            }
        };
        match action {
            Action::Up | Action::ScrollUp => form.focus = form.focus.saturating_sub(1),
            Action::Down | Action::ScrollDown => form.focus = (form.focus + 1).min(REPLY_ROWS - 1),
            Action::Pick(n) => {
                form.focus = n.min(REPLY_ROWS - 1);
                toggle(&mut form, n);
            }
            Action::Select => {
                let row = form.focus;
                toggle(&mut form, row);
            }
            Action::CloseOverlay | Action::Leave => return PageOutcome::Stay,
            Action::Confirm => {
                let done = self.save_reply(&form, store, today).map(Some);
                return self.after_step(done, Dialog::Reply(form), store, today);
            }
            _ => {}
        }
        self.dialog = Some(Dialog::Reply(form));
        PageOutcome::Stay
    }

    fn save_reply(
        &self,
        form: &ReplyForm,
        store: &mut Store,
        today: NaiveDate,
    ) -> Result<String, String> {
        let request = self.request().ok_or("This client has no request.")?;
        let reply = NewReply {
            received: Some(form.received),
            checklist: form.checklist,
            exemption_cited: form.exemption_cited,
            ..NewReply::default()
        };
        let (_, check) =
            steps::record_reply(store, request.id, &reply, today).map_err(|e| e.to_string())?;
        let mut message = format!("Reply saved: request #{} is {}", request.id, check.status());
        if !check.missing.is_empty() {
            message.push_str(&format!(
                ", {} missing (c: chaser)",
                plural(check.missing.len(), "item", "items")
            ));
        }
        message.push('.');
        Ok(message)
    }

    /// Writes the request letter (and the authority, when an adviser acts) into the
    /// folder, then adds the request (drafted) and the letters' text to the client's
    /// record: all of it, or nothing.
    fn write_new_request(
        &self,
        choice: &NewRequestChoice,
        pending: &Pending,
        folder: &Path,
        store: &mut Store,
        catalogue: &Catalogue,
        today: NaiveDate,
    ) -> Result<String, String> {
        let new = NewRequest {
            client: self.client(),
            template: choice.template.clone(),
            organisation: choice.organisation.clone(),
            // As chosen (England and Wales unless changed, as on the command line);
            // h changes it later.
            nation: pending.nation.unwrap_or(Nation::EnglandWales),
            request_type: choice.request_type,
            adviser: steps::client_details(store, self.client())
                .ok()
                .filter(|client| client.adviser.is_some())
                .and(self.adviser.clone()),
            recipient: pending.recipient.clone(),
            extras: steps::LetterExtras::default(),
        };
        let added =
            steps::new_request(store, catalogue, &new, folder, today).map_err(|e| e.to_string())?;
        let mut message = format!(
            "Request #{} added (drafted: press s once it is sent).\nThe request: {}",
            added.request.id,
            full_path(&added.files[0]).display()
        );
        if let Some(authority) = added.files.get(1) {
            message.push_str(&format!(
                "\nThe letter of authority, for the client to sign: {}",
                full_path(authority).display()
            ));
        }
        Ok(message)
    }

    /// The requests on the page, each with its standing in words; returns the line
    /// of the highlighted one.
    fn request_lines(
        &self,
        lines: &mut Vec<Line<'static>>,
        catalogue: &Catalogue,
        theme: Theme,
        width: usize,
    ) -> usize {
        let plain = ratatui::style::Style::new();
        if self.record.requests.is_empty() {
            lines.push(Line::from("  None yet: press n to write a request letter."));
        }
        let mut selected_line = 0;
        for (i, r) in self.record.requests.iter().enumerate() {
            let chosen = i == self.selected && self.record_selected.is_none();
            if chosen {
                selected_line = lines.len();
            }
            let mark = if chosen { "> " } else { "  " };
            let style = if chosen {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            let standing = self.standings.get(i);
            let label = standing
                .and_then(|s| s.urgency)
                .map(|u| (u.label(), u.is_pressing()));
            let mut spans = vec![Span::raw(mark)];
            if let Some((label, pressing)) = label {
                spans.push(Span::styled(
                    format!("{label:<9}"),
                    if pressing {
                        theme.warning()
                    } else {
                        theme.muted()
                    },
                ));
            }
            spans.push(Span::styled(
                format!(
                    "#{} {} ({})",
                    r.id,
                    request_name(catalogue, &r.details.organisation, &r.details.template),
                    status_words(r.details.status)
                ),
                style,
            ));
            lines.push(Line::from(spans));
            if let Some(standing) = standing {
                push_wrapped(lines, width, 6, &describe_clock(r, standing), plain);
                if let Some(next) = followup_words(standing) {
                    push_wrapped(lines, width, 6, &next, theme.warning());
                }
            }
        }
        selected_line
    }

    /// The replies on the page, each checked against Article 15(1).
    fn reply_lines(&self, lines: &mut Vec<Line<'static>>, theme: Theme, width: usize) {
        let plain = ratatui::style::Style::new();
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!("Replies ({})", self.record.replies.len()),
            theme.heading(),
        )));
        for reply in &self.record.replies {
            let d = &reply.details;
            let organisation = self
                .record
                .requests
                .iter()
                .find(|r| r.id == d.request)
                .map_or("", |r| r.details.organisation.as_str());
            let check = check_recorded(reply, organisation);
            let mut text = format!("{} (request #{}): ", uk(d.received), d.request);
            if check.missing.is_empty() {
                text.push_str("everything Article 15 requires came");
            } else {
                let missing: Vec<&str> = check.missing.iter().map(|i| i.label()).collect();
                text.push_str(&format!("missing {}", missing.join(", ")));
            }
            if d.exemption_cited {
                text.push_str("; cited the immigration exemption");
            }
            push_wrapped(lines, width, 2, &text, plain);
            for point in check.adviser_points(&self.wording) {
                push_wrapped(lines, width, 6, &point, theme.muted());
            }
        }
    }

    fn page_lines(
        &self,
        catalogue: &Catalogue,
        library: &Library,
        theme: Theme,
        width: usize,
    ) -> (Vec<Line<'static>>, usize) {
        let record = &self.record;
        let plain = ratatui::style::Style::new();
        let mut lines = vec![
            Line::from(vec![
                Span::styled(record.client.display_name.clone(), theme.heading()),
                Span::styled("  (e: change the details)", theme.muted()),
            ]),
            Line::default(),
            Line::from(Span::styled(
                format!("Requests ({})", record.requests.len()),
                theme.heading(),
            )),
        ];
        let mut selected_line = self.request_lines(&mut lines, catalogue, theme, width);
        self.reply_lines(&mut lines, theme, width);
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled(
                format!("Letters ({})", record.letters.len()),
                theme.heading(),
            ),
            Span::styled("  Enter on one reads it", theme.muted()),
        ]));
        let mut records_line = |lines: &mut Vec<Line<'static>>, n: usize, text: &str| {
            let chosen = self.record_selected == Some(n);
            if chosen {
                selected_line = lines.len();
            }
            let (mark, style) = if chosen {
                ("> ", theme.selected())
            } else {
                ("  ", plain)
            };
            for (i, part) in wrap(text, width.saturating_sub(2).max(20))
                .into_iter()
                .enumerate()
            {
                let mark = if i == 0 { mark } else { "  " };
                lines.push(Line::from(Span::styled(format!("{mark}{part}"), style)));
            }
        };
        for (n, l) in record.letters.iter().enumerate() {
            let request = l
                .details
                .request
                .map_or(String::new(), |id| format!(", for request #{id}"));
            let title = catalogue
                .template(&l.details.template)
                .map_or(l.details.template.clone(), |t| t.title.clone());
            // The letter's own date, as it says on it (not when it was stored).
            let dated = standing::letter_date(l);
            let text = format!("{title}{request} ({})", dated.format("%-d %b %Y"));
            records_line(&mut lines, n, &text);
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!("Advice records ({})", record.advice.len()),
            theme.heading(),
        )));
        for (n, a) in record.advice.iter().enumerate() {
            let guide = library.guide(&a.details.guide);
            let outcome = guide
                .and_then(|g| g.node_index(&a.details.outcome).map(|i| &g.nodes[i]))
                .map_or(a.details.outcome.clone(), |n| n.headline().to_string());
            let title = guide.map_or(a.details.guide.clone(), |g| g.title.clone());
            let text = format!("{}: {title}: {outcome}", uk(a.details.date));
            records_line(&mut lines, record.letters.len() + n, &text);
        }
        (lines, selected_line)
    }

    pub fn draw(
        &self,
        frame: &mut Frame,
        body: Rect,
        catalogue: &Catalogue,
        library: &Library,
        theme: Theme,
    ) {
        let (lines, selected_line) =
            self.page_lines(catalogue, library, theme, body.width as usize);
        let height = body.height as usize;
        let max = lines.len().saturating_sub(height);
        // Keep the highlighted request (its clock and follow-up lines) in view.
        let top = (selected_line + 3).saturating_sub(height).min(max);
        frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), body);
        if let Some(dialog) = &self.dialog {
            draw_dialog(frame, body, dialog, theme);
        }
    }
}

/// `text` wrapped to the screen, every line indented by `indent`.
fn push_wrapped(
    lines: &mut Vec<Line<'static>>,
    width: usize,
    indent: usize,
    text: &str,
    style: ratatui::style::Style,
) {
    let pad = " ".repeat(indent);
    for part in wrap(text, width.saturating_sub(indent).max(20)) {
        lines.push(Line::from(Span::styled(format!("{pad}{part}"), style)));
    }
}

/// The question for a request's nation.
const NATION_QUESTION: &str = "whose bank holidays count for the due date: england-wales, scotland or northern-ireland (e, s or n)";

/// A nation as typed: its id, or its first letter.
fn typed_nation(typed: &str) -> Result<Nation, String> {
    match typed.trim().to_lowercase().as_str() {
        "e" => Ok(Nation::EnglandWales),
        "s" => Ok(Nation::Scotland),
        "n" => Ok(Nation::NorthernIreland),
        other => other
            .parse::<Nation>()
            .map_err(|_| "Type england-wales, scotland or northern-ireland (or e, s or n).".into()),
    }
}

/// Each request's standing today, from the record already read (no further reads).
fn standings(record: &ClientRecord, today: NaiveDate) -> Vec<Standing> {
    record
        .requests
        .iter()
        .map(|r| standing::standing(r, &record.replies, &record.letters, today))
        .collect()
}

/// Which follow-up the standing allows today, in words, with the keys to press.
fn followup_words(standing: &Standing) -> Option<String> {
    standing.urgency?;
    let ico = match &standing.complaints.ico {
        Ok(_) => "or to the ICO (I)".to_string(),
        Err(reason) => format!("not yet to the ICO: {}", reason.explain(standing.request)),
    };
    match &standing.chase {
        Ok(ChaseGround::PartAnswer) => Some(format!(
            "Follow-up: the answer was only partial, so a chaser can go now (c). \
             Or complain: to the body (o); {ico}."
        )),
        Ok(ChaseGround::Overdue) => Some(format!(
            "Follow-up: the reply is overdue, so a chaser can go now (c). \
             Or complain: to the body (o); {ico}."
        )),
        Err(NotYet::NotLate { latest }) => Some(format!(
            "Follow-up: none yet. A chaser can go after {} if no reply comes.",
            format_uk(*latest)
        )),
        Err(_) => None,
    }
}

/// A request's status in words: "part answered".
fn status_words(status: RequestStatus) -> String {
    status.to_string().replace('-', " ")
}

/// How an adviser names a request: the body, then the letter, e.g. "Home Office:
/// subject access request" (never the directory's ids).
pub fn request_name(catalogue: &Catalogue, organisation: &str, template: &str) -> String {
    let body = catalogue
        .organisation(organisation)
        .map_or(organisation.to_string(), |o| o.name.clone());
    let letter = catalogue
        .template(template)
        .map_or(template.to_string(), |t| short_title(&t.title));
    format!("{body}: {letter}")
}

/// A template's title after the body's name: "Subject access request to the Home
/// Office" is just "subject access request" there.
fn short_title(title: &str) -> String {
    let lower = {
        let mut chars = title.chars();
        chars.next().map_or(String::new(), |first| {
            first.to_lowercase().chain(chars).collect()
        })
    };
    match lower.split_once(" to ") {
        Some((start, _)) if start == "subject access request" => start.to_string(),
        _ => lower,
    }
}

/// One line on where the request's clock stands: its dates, then its standing.
fn describe_clock(request: &Request, standing: &Standing) -> String {
    let d = &request.details.clock;
    let mut parts = Vec::new();
    if let Some(sent) = d.sent {
        parts.push(format!("sent {}", uk(sent)));
    }
    if let Some(received) = d.received {
        parts.push(format!("received {}", uk(received)));
    }
    if let Some(date) = d.id_received {
        parts.push(format!("ID received {}", uk(date)));
    }
    if d.extended {
        parts.push("extended".to_string());
    }
    parts.push(format!("{} ({})", standing.clock_words(), d.nation.label()));
    parts.join("; ")
}

/// Every body the directory has a request letter for (the Home Office twice: a basic
/// and a detailed request). A body whose name or address the directory does not hold
/// has them asked for when it is chosen.
pub fn new_request_choices(catalogue: &Catalogue) -> Vec<NewRequestChoice> {
    let mut choices = Vec::new();
    for org in catalogue.organisations() {
        let Some(template) = catalogue.template(&org.template) else {
            continue;
        };
        if template.kind != LetterKind::Request {
            continue;
        }
        let mut label = request_name(catalogue, &org.id, &template.id);
        let asks: Vec<&str> = [
            org.name_needed.as_ref().map(|_| "name"),
            org.postal_address().is_none().then_some("address"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !asks.is_empty() {
            label.push_str(&format!(" (you give its {})", asks.join(" and ")));
        }
        if template.asks_request_type() {
            for kind in [
                HomeOfficeRequestType::Basic,
                HomeOfficeRequestType::Detailed,
            ] {
                choices.push(NewRequestChoice {
                    template: org.template.clone(),
                    organisation: org.id.clone(),
                    request_type: Some(kind),
                    label: format!("{label} ({} request)", kind.as_str()),
                });
            }
        } else {
            choices.push(NewRequestChoice {
                template: org.template.clone(),
                organisation: org.id.clone(),
                request_type: None,
                label,
            });
        }
    }
    choices
}

/// The path as the adviser can find it: absolute where it can be made so.
fn full_path(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn draw_dialog(frame: &mut Frame, body: Rect, dialog: &Dialog, theme: Theme) {
    let (title, lines) = match dialog {
        Dialog::Input(input) => input_dialog(input, theme),
        Dialog::Reply(form) => reply_dialog(form, theme),
        Dialog::NewRequest { choices, selected } => {
            new_request_dialog(choices, *selected, body.height, theme)
        }
    };
    super::draw_dialog_at_foot(frame, body, title, lines);
}

/// The one-line input dialog: its label, what is typed, and the keys for its purpose.
fn input_dialog(input: &Input, theme: Theme) -> (&'static str, Vec<Line<'static>>) {
    let mut lines = vec![
        Line::from(input.label.clone()),
        Line::from(vec![
            Span::styled("> ", theme.heading()),
            Span::raw(format!("{}_", input.typed)),
        ]),
    ];
    let keys = match input.purpose {
        Purpose::Folder(_) => "Enter: write   Esc: cancel",
        Purpose::BodyName(_) | Purpose::BodyAddress(_) | Purpose::NewNation(_) => {
            "Enter: next   Esc: cancel"
        }
        _ => "Enter: save   Esc: cancel",
    };
    lines.push(Line::from(Span::styled(keys, theme.muted())));
    (" Casework ", lines)
}

/// The reply checklist: what the reply contained, one numbered row each.
fn reply_dialog(form: &ReplyForm, theme: Theme) -> (&'static str, Vec<Line<'static>>) {
    let mut lines = vec![Line::from(format!(
        "The reply of {}: what did it contain? (number or Space to tick)",
        uk(form.received)
    ))];
    let rows = (0..REPLY_ROWS).map(|row| match reply_row_item(row) {
        Some(item) => (item.label(), form.checklist.has(item)),
        None => ("it cited the immigration exemption", form.exemption_cited),
    });
    for (i, (label, ticked)) in rows.enumerate() {
        let mark = if i == form.focus { ">" } else { " " };
        let tick = if ticked { "[x]" } else { "[ ]" };
        let style = if i == form.focus {
            theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(Span::styled(
            format!("{mark} {} {tick} {label}", i + 1),
            style,
        )));
    }
    lines.push(Line::from(Span::styled(
        "Enter: save the reply   Esc: cancel",
        theme.muted(),
    )));
    (" Record a reply (Article 15(1)) ", lines)
}

/// The request letters to choose from, scrolled to keep `selected` in view in a body
/// `height` rows tall.
fn new_request_dialog(
    choices: &[NewRequestChoice],
    selected: usize,
    height: u16,
    theme: Theme,
) -> (&'static str, Vec<Line<'static>>) {
    let mut lines = vec![Line::from(format!(
        "Which request letter? {} of {}. Enter chooses; Esc cancels.",
        selected + 1,
        choices.len()
    ))];
    let shown = usize::from(height.saturating_sub(6)).clamp(3, 9);
    let first = (selected + 1).saturating_sub(shown);
    for (i, choice) in choices.iter().enumerate().skip(first).take(shown) {
        let mark = if i == selected { ">" } else { " " };
        let style = if i == selected {
            theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(Span::styled(
            format!("{mark} {}", choice.label),
            style,
        )));
    }
    (" New request ", lines)
}
