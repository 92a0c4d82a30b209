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
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::tui::action::{Action, CaseAction};
use crate::tui::keys::Context;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use sanctuary::calendar::dates::{format_uk, parse_date};
use sanctuary::calendar::holidays::Nation;
use sanctuary::casework::followup::{Recipient, check_recorded, urgency};
use sanctuary::casework::steps::{
    self, ComplaintChoice, LetterFile, NewReply, NewRequest, RequestEvent,
};
use sanctuary::casework::store::{
    Article15Checklist, Article15Item, ClientId, ClientRecord, Request, RequestId, Store,
};
use sanctuary::letter::wording::CaseworkWording;
use sanctuary::letter::{Catalogue, HomeOfficeRequestType, LetterKind};

/// What the page asks the casework screen to do.
#[derive(Debug, PartialEq, Eq)]
pub enum PageOutcome {
    Stay,
    /// Back to the lists (which then show any change).
    Close,
    Status(String),
}

/// A request letter the adviser can write from the page: a body whose letter needs
/// nothing more than the client's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequestChoice {
    pub template: String,
    pub organisation: String,
    pub request_type: Option<HomeOfficeRequestType>,
    pub label: String,
}

/// What a line typed in a dialog is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Purpose {
    Sent,
    Received,
    IdReceived,
    Extend,
    PauseFrom,
    Resume,
    ReplyDate,
    Chaser,
    Complaint { to_ico: bool },
    NewRequest(NewRequestChoice),
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
const REPLY_ROWS: usize = Article15Item::ALL.len() + 1;

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
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn uk(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

impl ClientPage {
    pub fn new(record: ClientRecord, catalogue: &Catalogue) -> ClientPage {
        ClientPage {
            record,
            selected: 0,
            dialog: None,
            wording: catalogue.casework_wording().clone(),
        }
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

    fn reload(&mut self, store: &Store) -> Result<(), String> {
        self.record = store
            .client_record(self.client())
            .map_err(|e| e.to_string())?;
        self.selected = self
            .selected
            .min(self.record.requests.len().saturating_sub(1));
        Ok(())
    }

    pub fn handle(
        &mut self,
        action: Action,
        store: &mut Store,
        catalogue: &Catalogue,
        today: NaiveDate,
    ) -> PageOutcome {
        match self.dialog.take() {
            Some(Dialog::Input(input)) => self.handle_input(input, action, store, catalogue, today),
            Some(Dialog::Reply(form)) => self.handle_reply(form, action, store, today),
            Some(Dialog::NewRequest { choices, selected }) => {
                self.handle_choice(choices, selected, action)
            }
            None => self.handle_page(action, catalogue, today),
        }
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
        today: NaiveDate,
    ) -> PageOutcome {
        let count = self.record.requests.len();
        match action {
            Action::Up | Action::ScrollUp => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1))
            }
            Action::Leave => return PageOutcome::Close,
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
            Action::Case(case) => {
                let Some(request) = self.request() else {
                    return PageOutcome::Status(
                        "This client has no request yet: press n to write one.".into(),
                    );
                };
                let details = &request.details;
                let id = request.id;
                return match case {
                    CaseAction::NewRequest => PageOutcome::Stay,
                    CaseAction::Sent => self.ask(
                        Purpose::Sent,
                        &format!("Request #{id}: the date it was sent (YYYY-MM-DD)"),
                        iso(details.sent.unwrap_or(today)),
                    ),
                    CaseAction::Received => self.ask(
                        Purpose::Received,
                        &format!("Request #{id}: the date the body received it (YYYY-MM-DD)"),
                        iso(details.received.unwrap_or(today)),
                    ),
                    CaseAction::IdReceived => self.ask(
                        Purpose::IdReceived,
                        &format!(
                            "Request #{id}: the date the body received the proof of identity it asked for"
                        ),
                        iso(today),
                    ),
                    CaseAction::Extend => self.ask(
                        Purpose::Extend,
                        &format!(
                            "Request #{id}: the reason the body gave for extending (it must have said so within the first month)"
                        ),
                        String::new(),
                    ),
                    CaseAction::Pause => match details.paused_since {
                        None => self.ask(
                            Purpose::PauseFrom,
                            &format!(
                                "Request #{id}: the date the body asked for clarification (the clock stops)"
                            ),
                            iso(today),
                        ),
                        Some(since) => self.ask(
                            Purpose::Resume,
                            &format!(
                                "Request #{id}: the date the clarification reached the body (asked on {}; the clock restarts)",
                                uk(since)
                            ),
                            iso(today),
                        ),
                    },
                    CaseAction::Reply => self.ask(
                        Purpose::ReplyDate,
                        &format!("Request #{id}: the date the reply arrived (YYYY-MM-DD)"),
                        iso(today),
                    ),
                    CaseAction::Chaser => self.ask(
                        Purpose::Chaser,
                        "Save the chaser as (PDF file)",
                        format!("chaser-request-{id}-{}.pdf", iso(today)),
                    ),
                    CaseAction::ComplainToBody => self.ask(
                        Purpose::Complaint { to_ico: false },
                        "Save the complaint to the organisation as (PDF file)",
                        format!("complaint-request-{id}-{}.pdf", iso(today)),
                    ),
                    CaseAction::ComplainToIco => self.ask(
                        Purpose::Complaint { to_ico: true },
                        "Save the complaint to the ICO as (PDF file)",
                        format!("ico-complaint-request-{id}-{}.pdf", iso(today)),
                    ),
                };
            }
            _ => {}
        }
        PageOutcome::Stay
    }

    fn handle_choice(
        &mut self,
        choices: Vec<NewRequestChoice>,
        mut selected: usize,
        action: Action,
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
            Action::Pick(n) if n < choices.len() => Some(n),
            Action::Select | Action::Confirm => Some(selected),
            Action::CloseOverlay | Action::Leave => return PageOutcome::Stay,
            _ => None,
        };
        match pick.and_then(|i| choices.get(i)).cloned() {
            Some(choice) => self.ask(
                Purpose::NewRequest(choice),
                "Write the letters into this folder (the request, and the letter of authority when an adviser acts)",
                ".".to_string(),
            ),
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
        today: NaiveDate,
    ) -> PageOutcome {
        match action {
            Action::Type(c) => input.typed.push(c),
            Action::DeleteChar => {
                input.typed.pop();
            }
            Action::CloseOverlay | Action::Leave => return PageOutcome::Stay,
            Action::Confirm => {
                return match self.apply(&input, store, catalogue, today) {
                    Ok(message) => {
                        if let Err(e) = self.reload(store) {
                            return PageOutcome::Status(e);
                        }
                        match message {
                            Some(message) => PageOutcome::Status(message),
                            None => PageOutcome::Stay,
                        }
                    }
                    Err(message) => {
                        // Keep what was typed, so a slip is corrected, not retyped.
                        self.dialog = Some(Dialog::Input(input));
                        PageOutcome::Status(message)
                    }
                };
            }
            _ => {}
        }
        self.dialog = Some(Dialog::Input(input));
        PageOutcome::Stay
    }

    /// Carries out what the dialog asked for, through the casework steps the command
    /// line uses too. `Ok(None)` when another dialog follows.
    fn apply(
        &mut self,
        input: &Input,
        store: &mut Store,
        catalogue: &Catalogue,
        today: NaiveDate,
    ) -> Result<Option<String>, String> {
        let typed = input.typed.trim();
        let date = || parse_date(typed).map_err(|e| e.to_string());
        if let Purpose::NewRequest(choice) = &input.purpose {
            return self
                .write_new_request(choice, Path::new(typed), store, catalogue, today)
                .map(Some);
        }
        let request = self
            .request()
            .cloned()
            .ok_or("This client has no request.")?;
        let id = request.id;
        let event = match &input.purpose {
            Purpose::NewRequest(_) => unreachable!("handled above"),
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
            Purpose::Chaser => {
                let file = letter_file(typed)?;
                let written =
                    steps::write_chaser(store, catalogue, id, &Recipient::default(), &file, today)
                        .map_err(|e| e.to_string())?;
                return Ok(Some(format!(
                    "Wrote the chaser to {}.",
                    written.path.display()
                )));
            }
            Purpose::Complaint { to_ico } => {
                let file = letter_file(typed)?;
                let choice = ComplaintChoice {
                    to_ico: *to_ico,
                    ..ComplaintChoice::default()
                };
                let written = steps::write_complaint(
                    store,
                    catalogue,
                    id,
                    &choice,
                    &Recipient::default(),
                    &file,
                    today,
                )
                .map_err(|e| e.to_string())?;
                return Ok(Some(format!(
                    "Wrote the complaint to {}; request #{id} is now marked complained.",
                    written.path.display()
                )));
            }
        };
        let recorded =
            steps::record_events(store, id, &[event], today).map_err(|e| e.to_string())?;
        let mut message = describe_clock(&recorded.request);
        if let Some(assumption) = recorded.assumption {
            message = format!("{assumption} {message}");
        }
        Ok(Some(message))
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
                return match self.save_reply(&form, store, today) {
                    Ok(message) => match self.reload(store) {
                        Ok(()) => PageOutcome::Status(message),
                        Err(e) => PageOutcome::Status(e),
                    },
                    Err(message) => {
                        self.dialog = Some(Dialog::Reply(form));
                        PageOutcome::Status(message)
                    }
                };
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
    /// folder typed, then adds the request (drafted) and the letters' text to the
    /// client's record: all of it, or nothing.
    fn write_new_request(
        &self,
        choice: &NewRequestChoice,
        folder: &Path,
        store: &mut Store,
        catalogue: &Catalogue,
        today: NaiveDate,
    ) -> Result<String, String> {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        let new = NewRequest {
            client: self.client(),
            template: choice.template.clone(),
            organisation: choice.organisation.clone(),
            // England and Wales bank holidays, as on the command line; a request to a
            // body elsewhere can be changed with `sanctuary requests update`.
            nation: Nation::EnglandWales,
            request_type: choice.request_type,
            adviser: None,
            recipient: Recipient::default(),
        };
        let added =
            steps::new_request(store, catalogue, &new, folder, today).map_err(|e| e.to_string())?;
        let files: Vec<String> = added
            .files
            .iter()
            .map(|p| full_path(p).display().to_string())
            .collect();
        Ok(format!(
            "Request #{} added (drafted; s once sent). Wrote {}",
            added.request.id,
            files.join(" and ")
        ))
    }

    fn page_lines(
        &self,
        today: NaiveDate,
        theme: Theme,
        width: usize,
    ) -> (Vec<Line<'static>>, usize) {
        let record = &self.record;
        // Wrapped to the screen, continuation lines indented like the first.
        let wrapped = |lines: &mut Vec<Line<'static>>, indent: usize, text: &str, style| {
            let pad = " ".repeat(indent);
            for part in wrap(text, width.saturating_sub(indent).max(20)) {
                lines.push(Line::from(Span::styled(format!("{pad}{part}"), style)));
            }
        };
        let plain = ratatui::style::Style::new();
        let mut lines = vec![
            Line::from(Span::styled(
                record.client.display_name.clone(),
                theme.heading(),
            )),
            Line::default(),
            Line::from(Span::styled(
                format!("Requests ({})", record.requests.len()),
                theme.heading(),
            )),
        ];
        if record.requests.is_empty() {
            lines.push(Line::from("  None yet: press n to write a request letter."));
        }
        let mut selected_line = 0;
        for (i, r) in record.requests.iter().enumerate() {
            let chosen = i == self.selected;
            if chosen {
                selected_line = lines.len();
            }
            let mark = if chosen { "> " } else { "  " };
            let style = if chosen {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            let label = urgency(r, today).map(|u| (u.label(), u.is_pressing()));
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
                    "#{} {} to {}: {}",
                    r.id, r.details.template, r.details.organisation, r.details.status
                ),
                style,
            ));
            lines.push(Line::from(spans));
            wrapped(&mut lines, 6, &describe_clock(r), plain);
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!("Replies ({})", record.replies.len()),
            theme.heading(),
        )));
        for reply in &record.replies {
            let d = &reply.details;
            let organisation = record
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
            wrapped(&mut lines, 2, &text, plain);
            for point in check.adviser_points(&self.wording) {
                wrapped(&mut lines, 6, &point, theme.muted());
            }
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!("Letters ({})", record.letters.len()),
            theme.heading(),
        )));
        for l in &record.letters {
            let request = l
                .details
                .request
                .map_or(String::new(), |id| format!(" for request #{id}"));
            lines.push(Line::from(format!(
                "  {}{request} ({})",
                l.details.template,
                l.created.format("%-d %b %Y")
            )));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!("Advice records ({})", record.advice.len()),
            theme.heading(),
        )));
        for a in &record.advice {
            lines.push(Line::from(format!(
                "  {}: {} ({})",
                uk(a.details.date),
                a.details.guide,
                a.details.outcome
            )));
        }
        (lines, selected_line)
    }

    pub fn draw(&self, frame: &mut Frame, body: Rect, today: NaiveDate, theme: Theme) {
        let (lines, selected_line) = self.page_lines(today, theme, body.width as usize);
        let height = body.height as usize;
        let max = lines.len().saturating_sub(height);
        // Keep the highlighted request (and its clock line) in view.
        let top = (selected_line + 2).saturating_sub(height).min(max);
        frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), body);
        if let Some(dialog) = &self.dialog {
            draw_dialog(frame, body, dialog, theme);
        }
    }
}

/// One line on where the request's clock stands, with the rule's result.
fn describe_clock(request: &Request) -> String {
    let d = &request.details;
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
    let clock = match (d.paused_since, request.due) {
        (Some(since), _) => format!(
            "clock paused since {} for clarification: no due date until it arrives",
            uk(since)
        ),
        (None, Some(due)) => format!("reply due by {}", format_uk(due)),
        (None, None) => "no due date yet: record when it was sent (s)".to_string(),
    };
    parts.push(clock);
    parts.join("; ")
}

/// Every body whose request letter needs only the client's details (and, for the Home
/// Office, the kind of request), from the catalogue.
pub fn new_request_choices(catalogue: &Catalogue) -> Vec<NewRequestChoice> {
    let mut choices = Vec::new();
    for org in catalogue.organisations() {
        let Some(template) = catalogue.template(&org.template) else {
            continue;
        };
        if template.kind != LetterKind::Request
            || org.name_needed.is_some()
            || org.postal_address().is_none()
        {
            continue;
        }
        let label = format!("{}: {}", org.name, template.title);
        if org.template == "sar-home-office" {
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

/// A follow-up letter to the path typed, as a PDF, never over an existing file.
fn letter_file(typed: &str) -> Result<LetterFile, String> {
    if typed.is_empty() {
        return Err("Type a file name for the letter.".into());
    }
    Ok(LetterFile::new_pdf(PathBuf::from(typed)))
}

/// The path as the adviser can find it: absolute where it can be made so.
fn full_path(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// "1 item", "3 items".
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn draw_dialog(frame: &mut Frame, body: Rect, dialog: &Dialog, theme: Theme) {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let title = match dialog {
        Dialog::Input(input) => {
            lines.push(Line::from(input.label.clone()));
            lines.push(Line::from(vec![
                Span::styled("> ", theme.heading()),
                Span::raw(format!("{}_", input.typed)),
            ]));
            lines.push(Line::from(Span::styled(
                "Enter: save   Esc: cancel",
                theme.muted(),
            )));
            " Casework "
        }
        Dialog::Reply(form) => {
            lines.push(Line::from(format!(
                "The reply of {}: what did it contain? (number or Space to tick)",
                uk(form.received)
            )));
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
            " Record a reply (Article 15(1)) "
        }
        Dialog::NewRequest { choices, selected } => {
            lines.push(Line::from(
                "Which request letter? (Enter to choose). For a body not listed (a police force, GP, employer...) write the letter with F2 on the list of guides, then add the request with `sanctuary requests add`.",
            ));
            let first = selected.saturating_sub(8);
            for (i, choice) in choices.iter().enumerate().skip(first).take(9) {
                let mark = if i == *selected { ">" } else { " " };
                let style = if i == *selected {
                    theme.selected()
                } else {
                    ratatui::style::Style::new()
                };
                lines.push(Line::from(Span::styled(
                    format!("{mark} {}", choice.label),
                    style,
                )));
            }
            " New request "
        }
    };
    let inner = usize::from(body.width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(body.height);
    let area = Rect {
        x: body.x,
        y: body.y + body.height - height,
        width: body.width,
        height,
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}
