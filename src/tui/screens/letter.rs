//! Writing letters from the app: the client's details in a form checked as you type (the
//! same fields and checks as a client file), a preview of each letter with the note on
//! the immigration exemption, and one key that writes the whole set (with a letter of
//! authority for each body when an adviser acts) as PDFs into the letters folder.
//!
//! The form says the set is ready only when every letter in it really composes; what a
//! letter still lacks is named beside the field that gives it, in the form's words.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::client_form::{self, Kind};
use super::client_page::request_name;
use super::confirm::{Answer, Discard};
use super::{Focus, Transition, field_line, status};
use crate::tui::action::Action;
use crate::tui::keys::Context;
use crate::tui::letters_folder::LettersFolder;
use crate::tui::line_edit::{self, Cursor};
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use sanctuary::calendar::dates::parse_date;
use sanctuary::calendar::holidays::Nation;
use sanctuary::casework::followup::Recipient;
use sanctuary::casework::steps::{self, LetterExtras, NewRequest};
use sanctuary::casework::store::{Client, ClientId, Store};
use sanctuary::files::{Overwrite, write_all_private};
use sanctuary::letter::{
    Catalogue, ClientDetails, HomeOfficeRequestType, LetterError, LetterKind, LetterRequest,
    Needed, Organisation, compose, render_pdfs, render_text,
};

/// One letter to write: which template, to which organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterTarget {
    pub template: String,
    pub organisation: String,
}

/// A field of the form: (key, label, hint).
type FormField = (&'static str, &'static str, &'static str);

/// The letter, the body, a client file to load, every detail of a client file, then
/// what the letter itself needs.
static FIELDS: LazyLock<Vec<FormField>> = LazyLock::new(|| {
    let mut fields = vec![
        ("template", "Letter", "Enter: choose from a list"),
        ("organisation", "To", "Enter: choose from a list"),
        (
            "client_file",
            "Client",
            "Enter: choose a client from the case store; or type a client file's path, then Enter",
        ),
    ];
    fields.extend(client_form::FIELDS.iter().map(|f| (f.key, f.label, f.hint)));
    fields.extend([
        (
            "to_name",
            "Body's name",
            "for a police force, employer, council...",
        ),
        (
            "to_address",
            "Body's address",
            "lines separated by commas, postcode last",
        ),
        (
            "request_type",
            "Home Office request type",
            "basic, specific (names up to 5 documents) or detailed",
        ),
        (
            "documents",
            "Named documents",
            "for a specific request: up to 5 documents, separated by semicolons",
        ),
        (
            "period_from",
            "Records from",
            "DD/MM/YYYY or YYYY-MM-DD, optional",
        ),
        (
            "period_until",
            "Records until",
            "DD/MM/YYYY or YYYY-MM-DD, optional",
        ),
        ("sent", "Date sent", "DD/MM/YYYY or YYYY-MM-DD"),
    ]);
    fields
});

fn index(key: &str) -> usize {
    FIELDS
        .iter()
        .position(|f| f.0 == key)
        .expect("a known field")
}

fn label_of(key: &str) -> &'static str {
    FIELDS[index(key)].1
}

fn kind_of(key: &str) -> Kind {
    client_form::FIELDS
        .iter()
        .find(|f| f.key == key)
        .map_or(Kind::Text, |f| f.kind)
}

/// A list to choose the body or the letter from, by name.
#[derive(Debug)]
struct Picker {
    field: &'static str,
    /// (id, name shown, what it covers).
    options: Vec<(String, String, String)>,
    selected: usize,
}

/// What stops the set being written: problems by field, and any others.
#[derive(Debug, Default)]
struct Problems {
    by_field: BTreeMap<&'static str, Vec<String>>,
    other: Vec<String>,
}

impl Problems {
    fn add(&mut self, field: &'static str, message: String) {
        let list = self.by_field.entry(field).or_default();
        if !list.contains(&message) {
            list.push(message);
        }
    }

    fn count(&self) -> usize {
        self.by_field.len() + self.other.len()
    }

    /// Every problem in one sentence each, named by its field.
    fn sentences(&self) -> Vec<String> {
        let mut out: Vec<String> = FIELDS
            .iter()
            .filter_map(|(key, label, _)| {
                self.by_field
                    .get(key)
                    .map(|list| format!("{label}: {}", list.join("; ")))
            })
            .collect();
        out.extend(self.other.iter().cloned());
        out
    }
}

#[derive(Debug)]
pub struct LetterScreen {
    /// The letters a guide outcome chose; empty when the adviser picks one in the form.
    chosen: Vec<LetterTarget>,
    facts: BTreeMap<String, String>,
    values: Vec<String>,
    /// The values as the form opened, to know whether anything was typed.
    initial: Vec<String>,
    focus: usize,
    preview: usize,
    preview_scroll: usize,
    today: NaiveDate,
    /// The folder being typed, while writing.
    pub prompt: Option<String>,
    /// Each body's name and address lines, kept per organisation: the two fields show
    /// those of the letter being previewed.
    recipients: BTreeMap<String, (String, String)>,
    picker: Option<Picker>,
    leaving: Option<Discard>,
    /// The cursor in the focused field.
    cursor: Cursor,
    /// The preview is shown across the whole screen (Ctrl-p), not the form.
    reading: bool,
    /// The client in the case store these letters are for, once chosen: writing then
    /// records a request for each letter.
    pub client: Option<(ClientId, String)>,
    /// The typed client is saved as a new client when the letters are written.
    new_client: bool,
    /// The clients offered to choose from, while the list is open.
    offered: Vec<Client>,
    /// The letters folder, offered in the prompt after the record question.
    folder_offered: String,
}

/// What the letter form asks the app for: the case store is needed for both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreNeed {
    /// The clients, to choose one.
    Clients,
    /// Write the letters into this folder and record a request for each.
    Record(PathBuf),
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl LetterScreen {
    /// The form for the letters a guide chose; with none, the form opens on the list of
    /// bodies to choose from.
    /// The adviser's own details (from the settings, by key) are filled in already.
    pub fn new(
        targets: Vec<LetterTarget>,
        facts: BTreeMap<String, String>,
        today: NaiveDate,
        catalogue: &Catalogue,
        adviser: &[(&'static str, String)],
    ) -> Self {
        let mut values = vec![String::new(); FIELDS.len()];
        for (key, value) in adviser {
            values[index(key)] = value.clone();
        }
        values[index("reply_to")] = "client".into();
        values[index("request_type")] = "detailed".into();
        values[index("sent")] = today.format("%d/%m/%Y").to_string();
        let first = targets.first().cloned().unwrap_or(LetterTarget {
            template: "sar-generic".into(),
            organisation: "other".into(),
        });
        values[index("template")] = first.template;
        values[index("organisation")] = first.organisation;
        let focus = if targets.is_empty() {
            index("organisation")
        } else {
            index("client_file")
        };
        let mut screen = LetterScreen {
            chosen: targets,
            facts,
            initial: values.clone(),
            values,
            focus,
            preview: 0,
            preview_scroll: 0,
            today,
            prompt: None,
            recipients: BTreeMap::new(),
            picker: None,
            leaving: None,
            cursor: Cursor(0),
            reading: false,
            client: None,
            new_client: false,
            offered: Vec::new(),
            folder_offered: String::new(),
        };
        if screen.chosen.is_empty() {
            screen.open_picker("organisation", catalogue);
            if let Some(picker) = &mut screen.picker {
                picker.selected = 0;
            }
        }
        screen
    }

    pub fn context(&self) -> Context {
        if self.prompt.is_some() {
            Context::Prompt
        } else if self.picker.is_some() || self.leaving.is_some() {
            Context::Choice
        } else if self.reading {
            Context::Preview
        } else {
            Context::Form
        }
    }

    fn value(&self, key: &str) -> &str {
        self.values[index(key)].trim()
    }

    /// The client's details as a client file would hold them, so the same checks apply.
    fn client_toml(&self) -> String {
        client_form::details_toml(|key| self.value(key).to_string()).0
    }

    /// The checked client details, or every problem with them.
    pub fn client(&self) -> Result<ClientDetails, LetterError> {
        ClientDetails::from_toml_str(&self.client_toml(), "client details")
    }

    /// Builds the request for one target.
    fn request(
        &self,
        target: &LetterTarget,
        catalogue: &Catalogue,
    ) -> Result<LetterRequest, LetterError> {
        let client = self.client()?;
        let sent =
            parse_date(self.value("sent")).map_err(|e| LetterError::Request(e.to_string()))?;
        let mut request = LetterRequest::new(&target.template, &target.organisation, client, sent);
        request.facts = self.facts.clone();
        let generic = catalogue
            .organisation(&target.organisation)
            .is_some_and(|o| o.name_needed.is_some() || o.postal_address().is_none());
        if generic {
            let (name, address) = self.recipient(&target.organisation);
            if !name.trim().is_empty() {
                request.recipient_name = Some(name.trim().to_string());
            }
            request.recipient_address = split_list(&address);
        }
        if catalogue
            .template(&target.template)
            .is_some_and(|t| t.asks_request_type())
        {
            request.home_office_request_type = self.request_type();
            if request.home_office_request_type == Some(HomeOfficeRequestType::Specific) {
                request.named_documents = self.named_documents();
            }
        }
        if let (Ok(from), Ok(until)) = (
            parse_date(self.value("period_from")),
            parse_date(self.value("period_until")),
        ) {
            request.period = Some((from, until));
        }
        Ok(request)
    }

    fn request_type(&self) -> Option<HomeOfficeRequestType> {
        match self.value("request_type") {
            "basic" => Some(HomeOfficeRequestType::Basic),
            "specific" => Some(HomeOfficeRequestType::Specific),
            "detailed" => Some(HomeOfficeRequestType::Detailed),
            _ => None,
        }
    }

    fn named_documents(&self) -> Vec<String> {
        self.value("documents")
            .split(';')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(String::from)
            .collect()
    }

    /// Everything that stops the set being written, by field: the client's details as
    /// a client file is checked, the form's own dates, and what each letter of the set
    /// still lacks when it is really composed.
    fn problems(&self, catalogue: &Catalogue) -> Problems {
        let mut found = Problems::default();
        let fields = client_form::details_problems(|k| self.value(k).to_string(), self.today);
        let client_ok = fields.is_empty();
        for (key, message) in fields {
            found.add(key, message);
        }
        for key in ["sent", "period_from", "period_until"] {
            let value = self.value(key);
            if (key == "sent" || !value.is_empty())
                && let Err(e) = parse_date(value)
            {
                found.add(key, e.to_string());
            }
        }
        if self.value("period_from").is_empty() != self.value("period_until").is_empty() {
            found.add(
                "period_until",
                "give both dates of the period, or neither".into(),
            );
        }
        let to_home_office = self.all_targets().iter().any(|t| {
            catalogue
                .template(&t.template)
                .is_some_and(|t| t.asks_request_type())
        });
        let documents = self.named_documents().len();
        if self.request_type() == Some(HomeOfficeRequestType::Specific)
            && documents > sanctuary::letter::MAX_NAMED_DOCUMENTS
        {
            found.add(
                "documents",
                format!(
                    "a specific request names at most {} documents; {documents} are typed (or write detailed)",
                    sanctuary::letter::MAX_NAMED_DOCUMENTS
                ),
            );
        }
        if to_home_office && self.request_type().is_none() {
            found.add("request_type", "write basic, specific or detailed".into());
        }
        if !client_ok || found.by_field.contains_key("sent") {
            return found;
        }
        for target in self.all_targets() {
            for (field, message) in self.missing(&target, catalogue) {
                match field {
                    Some(field) => found.add(field, message),
                    None => found.other.push(message),
                }
            }
        }
        found
    }

    /// What keeps one letter from being written, in the form's words, each with the
    /// field that gives it (none when no field does).
    fn missing(
        &self,
        target: &LetterTarget,
        catalogue: &Catalogue,
    ) -> Vec<(Option<&'static str>, String)> {
        let composed = self
            .request(target, catalogue)
            .and_then(|r| compose(&r, catalogue));
        let error = match composed {
            Ok(_) => return Vec::new(),
            Err(error) => error,
        };
        let org = catalogue.organisation(&target.organisation);
        let body = org.map_or(target.organisation.clone(), |o| o.name.clone());
        let elsewhere = if self.current_organisation() == target.organisation {
            String::new()
        } else {
            " (press Ctrl-n to reach that letter)".to_string()
        };
        let LetterError::MissingFields { missing, .. } = error else {
            return vec![(
                None,
                format!("The letter to {body} cannot be written: {error}"),
            )];
        };
        missing
            .into_iter()
            .map(|m| {
                let (field, message) = self.field_for_needed(&m.needed, org, &body, &elsewhere);
                (Some(field), message)
            })
            .collect()
    }

    /// The form field that gives one missing detail of the letter to `body`, and what to put
    /// in it; `elsewhere` says how to reach that letter when it is not the one shown.
    fn field_for_needed(
        &self,
        needed: &Needed,
        org: Option<&Organisation>,
        body: &str,
        elsewhere: &str,
    ) -> (&'static str, String) {
        match needed {
            Needed::Requirement(name) => field_for_requirement(name),
            Needed::AdviserForReplies if self.value("reply_to") != "adviser" => (
                "address_known_to",
                "this body is not said to know the client's address, so the letter leaves it out and the reply must go to an adviser: fill in the adviser, or add the body here if it already knows where the client lives".to_string(),
            ),
            Needed::AdviserForReplies => (
                "reply_to",
                "replies go to the adviser, but no adviser is filled in: fill in the adviser's name and address, or press c to send replies to the client".to_string(),
            ),
            Needed::ClientAddressForReplies => (
                "address",
                "replies come to the client, so the address and postcode are needed (or send replies to an adviser)".to_string(),
            ),
            Needed::AdviserAddress => (
                "adviser_address",
                "needed, with the postcode: the letter is sent from the adviser's address".to_string(),
            ),
            Needed::RecipientName => {
                let what = org
                    .and_then(|o| o.name_needed.clone())
                    .unwrap_or_else(|| "the body".into());
                (
                    "to_name",
                    format!("fill in the name of {what} for the letter to {body}{elsewhere}"),
                )
            }
            Needed::RecipientAddress => {
                let help = org
                    .and_then(|o| o.address_help.clone())
                    .map_or(String::new(), |h| format!(": {h}"));
                (
                    "to_address",
                    format!("fill in the postal address of {body}{help}{elsewhere}"),
                )
            }
            Needed::NamedDocuments => (
                "documents",
                "a specific request names the documents it asks for: type them here, separated by semicolons (up to 5)".to_string(),
            ),
            Needed::AboutName => (
                "template",
                "a complaint is written from the client's page in casework (F3)".to_string(),
            ),
        }
    }

    /// The organisation of the letter being previewed.
    pub fn current_organisation(&self) -> String {
        let targets = self.all_targets();
        targets[self.preview.min(targets.len() - 1)]
            .organisation
            .clone()
    }

    /// A body's name and address: from the fields when its letter is being previewed.
    fn recipient(&self, organisation: &str) -> (String, String) {
        if organisation == self.current_organisation() {
            (
                self.values[index("to_name")].clone(),
                self.values[index("to_address")].clone(),
            )
        } else {
            self.recipients
                .get(organisation)
                .cloned()
                .unwrap_or_default()
        }
    }

    /// The letters asked for: the guide's choice, or the one named in the form.
    pub fn targets(&self) -> Vec<LetterTarget> {
        if self.chosen.is_empty() {
            vec![LetterTarget {
                template: self.value("template").to_string(),
                organisation: self.value("organisation").to_string(),
            }]
        } else {
            self.chosen.clone()
        }
    }

    /// Every letter the set will write: each target, then an authority for each body
    /// when an adviser writes on the client's behalf.
    pub fn all_targets(&self) -> Vec<LetterTarget> {
        let targets = self.targets();
        let mut all = targets.clone();
        if !self.value("adviser_name").is_empty() {
            for t in &targets {
                if t.template != "authority" {
                    let auth = LetterTarget {
                        template: "authority".into(),
                        organisation: t.organisation.clone(),
                    };
                    if !all.contains(&auth) {
                        all.push(auth);
                    }
                }
            }
        }
        all
    }

    fn load_file(&mut self, path: &str) -> Result<(), String> {
        let path = crate::tui::letters_folder::expand_home(path);
        let shown = path.display().to_string();
        let text = sanctuary::files::read_text(
            &path,
            sanctuary::letter::MAX_DETAILS_FILE_BYTES,
            "a client details file",
        )
        .map_err(|e| format!("Could not read {shown}: {e}"))?;
        let client = ClientDetails::from_toml_str(&text, &shown).map_err(|e| e.to_string())?;
        self.fill_client(&client);
        self.client = None;
        Ok(())
    }

    /// Fills the form with a client's details. The adviser's own details, already in
    /// from the settings, stay; without them, the client's adviser (if any) is used.
    fn fill_client(&mut self, client: &ClientDetails) {
        let keep_adviser = !self.value("adviser_name").is_empty();
        for (key, value) in client_form::values_of(client) {
            if !(keep_adviser && key.starts_with("adviser_")) {
                self.values[index(key)] = value;
            }
        }
        self.values[index("client_file")] = String::new();
        self.cursor = Cursor(0);
    }

    /// Offers the clients of the case store to choose from (the app reads them).
    pub fn offer_clients(&mut self, clients: Vec<Client>) {
        if clients.is_empty() {
            return;
        }
        let options = clients
            .iter()
            .map(|c| {
                let about = ClientDetails::from_toml_str(&c.details_toml, "client")
                    .ok()
                    .and_then(|d| d.date_of_birth)
                    .map_or(String::new(), |d| format!("born {}", d.format("%d/%m/%Y")));
                (
                    c.id.0.to_string(),
                    format!("#{} {}", c.id, c.display_name),
                    about,
                )
            })
            .collect();
        self.offered = clients;
        self.picker = Some(Picker {
            field: "client",
            options,
            selected: 0,
        });
    }

    /// A file name for a letter not recorded in casework: the adviser's reference first,
    /// when there is one, and never the client's name.
    fn file_name(&self, target: &LetterTarget, sent: NaiveDate) -> String {
        let stem = steps::letter_stem(&target.template, &target.organisation);
        let reference: String = self
            .value("adviser_reference")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let reference = reference.trim_matches('-');
        if reference.is_empty() {
            format!("{stem}-{sent}.pdf")
        } else {
            format!("{reference}-{stem}-{sent}.pdf")
        }
    }

    /// Writes every letter of the set into `dir`, all or nothing, never over an existing
    /// file (a name already taken gets `-2`, `-3`...). Returns the paths written.
    fn write_all(&self, dir: &Path, catalogue: &Catalogue) -> Result<Vec<PathBuf>, String> {
        // Compose and render every letter first, so nothing is written unless all can be.
        let mut letters = Vec::new();
        let mut paths = Vec::new();
        for target in self.all_targets() {
            let request = self
                .request(&target, catalogue)
                .map_err(|e| e.to_string())?;
            letters.push(compose(&request, catalogue).map_err(|e| e.to_string())?);
            paths.push(dir.join(self.file_name(&target, request.sent)));
        }
        let pdfs: Vec<Vec<u8>> = render_pdfs(&letters)
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        // All or nothing; a letter to a body already written to today gets its own name.
        let files: Vec<(PathBuf, Vec<u8>)> = paths.into_iter().zip(pdfs).collect();
        write_all_private(&files, Overwrite::NewName).map_err(|e| e.to_string())
    }

    /// Writes the letters for a client in the case store and records a request for each
    /// (through the casework step the client's page uses), each letter written once. The
    /// typed client is saved first: as a new client, or over the chosen one's details
    /// when they were changed here.
    pub fn record(
        &mut self,
        store: &mut Store,
        catalogue: &Catalogue,
        folder: &Path,
        today: NaiveDate,
    ) -> Result<String, String> {
        let details = self.client_toml();
        let label = "the client's details";
        let client = match &self.client {
            Some((id, _)) => {
                let stored = store.client(*id).map_err(|e| e.to_string())?;
                let same = ClientDetails::from_toml_str(&stored.details_toml, label).ok()
                    == ClientDetails::from_toml_str(&details, label).ok();
                if !same {
                    steps::edit_client(store, *id, &details, label, today)
                        .map_err(|e| e.to_string())?;
                }
                *id
            }
            None => {
                let added =
                    steps::add_client(store, &details, label, today).map_err(|e| e.to_string())?;
                self.client = Some((added.client.id, added.client.display_name.clone()));
                self.new_client = false;
                added.client.id
            }
        };
        let mut lines = Vec::new();
        for target in self.targets() {
            let (name, address) = self.recipient(&target.organisation);
            let new = NewRequest {
                client,
                template: target.template.clone(),
                organisation: target.organisation.clone(),
                nation: Nation::EnglandWales,
                request_type: self.request_type(),
                adviser: None,
                recipient: Recipient {
                    name: Some(name.trim().to_string()).filter(|n| !n.is_empty()),
                    address: split_list(&address),
                },
                extras: LetterExtras {
                    facts: self.facts.clone(),
                    named_documents: self.named_documents(),
                    period: parse_date(self.value("period_from"))
                        .ok()
                        .zip(parse_date(self.value("period_until")).ok()),
                },
            };
            let added = steps::new_request(store, catalogue, &new, folder, today)
                .map_err(|e| e.to_string())?;
            lines.push(format!(
                "Request #{} ({}) added, drafted: press s on the client's page (F3) once it is sent.",
                added.request.id,
                Self::target_name(&target, catalogue)
            ));
            lines.extend(
                added
                    .files
                    .iter()
                    .map(|p| crate::tui::letters_folder::full(p).display().to_string()),
            );
        }
        let name = self.client.as_ref().map_or("", |(_, n)| n.as_str());
        Ok(format!("Recorded for {name}:\n{}", lines.join("\n")))
    }

    /// Opens the list to choose the body (`organisation`) or the letter (`template`).
    fn open_picker(&mut self, field: &'static str, catalogue: &Catalogue) {
        let options: Vec<(String, String, String)> = if field == "organisation" {
            catalogue
                .organisations()
                .iter()
                .filter(|o| {
                    catalogue
                        .template(&o.template)
                        .is_some_and(|t| t.kind == LetterKind::Request)
                })
                .map(|o| (o.id.clone(), o.name.clone(), o.covers.clone()))
                .collect()
        } else {
            let org = self.value("organisation").to_string();
            catalogue
                .templates()
                .iter()
                .filter(|t| matches!(t.kind, LetterKind::Request | LetterKind::Authority))
                .filter(|t| t.organisations.is_empty() || t.organisations.contains(&org))
                .map(|t| (t.id.clone(), t.title.clone(), t.description.clone()))
                .collect()
        };
        let current = self.value(field).to_string();
        let selected = options.iter().position(|o| o.0 == current).unwrap_or(0);
        self.picker = Some(Picker {
            field,
            options,
            selected,
        });
    }

    fn handle_picker(&mut self, mut picker: Picker, action: Action, catalogue: &Catalogue) {
        let last = picker.options.len().saturating_sub(1);
        let chosen = match action {
            Action::Up | Action::ScrollUp => {
                picker.selected = picker.selected.saturating_sub(1);
                None
            }
            Action::Down | Action::ScrollDown => {
                picker.selected = (picker.selected + 1).min(last);
                None
            }
            Action::PageUp => {
                picker.selected = picker.selected.saturating_sub(8);
                None
            }
            Action::PageDown => {
                picker.selected = (picker.selected + 8).min(last);
                None
            }
            Action::Pick(n) if n <= last => Some(n),
            Action::Select | Action::Confirm => Some(picker.selected),
            Action::CloseOverlay | Action::Leave => return,
            _ => None,
        };
        let Some(id) = chosen
            .and_then(|i| picker.options.get(i))
            .map(|o| o.0.clone())
        else {
            self.picker = Some(picker);
            return;
        };
        if picker.field == "client" {
            let found = self
                .offered
                .iter()
                .find(|c| c.id.0.to_string() == id)
                .cloned();
            if let Some(client) = found {
                if let Ok(details) =
                    ClientDetails::from_toml_str(&client.details_toml, "the client's details")
                {
                    self.fill_client(&details);
                }
                self.client = Some((client.id, client.display_name.clone()));
            }
            self.offered.clear();
            return;
        }
        if picker.field == "record" {
            self.new_client = id == "new-client";
            self.prompt = Some(self.folder_offered.clone());
            return;
        }
        self.values[index(picker.field)] = id.clone();
        if picker.field == "organisation"
            && let Some(org) = catalogue.organisation(&id)
        {
            // The body's usual letter; another that suits it can be chosen under Letter.
            self.values[index("template")] = org.template.clone();
        }
        self.preview = 0;
        self.preview_scroll = 0;
    }

    /// Asks whether the letters are only written, or also kept in casework with the
    /// typed client saved as a new client.
    fn ask_record(&mut self) {
        self.picker = Some(Picker {
            field: "record",
            options: vec![
                (
                    "letters".into(),
                    "Write the letters only".into(),
                    "Nothing is kept in casework.".into(),
                ),
                (
                    "new-client".into(),
                    "Save the client in casework too, and record a request for each letter".into(),
                    "The client is added to the case store (F3), and each request is added there with its letters, so the reply can be checked against it. Each letter is written once.".into(),
                ),
            ],
            selected: 0,
        });
    }

    pub fn handle(
        &mut self,
        action: Action,
        catalogue: &Catalogue,
        letters: &mut LettersFolder,
    ) -> Transition {
        if let Some(leaving) = &mut self.leaving {
            match leaving.handle(action) {
                Answer::Asking => {}
                Answer::Stay => self.leaving = None,
                Answer::Leave => return Transition::BackToRunner,
            }
            return Transition::Stay;
        }
        if let Some(picker) = self.picker.take() {
            self.handle_picker(picker, action, catalogue);
            return Transition::Stay;
        }
        if self.prompt.is_some() {
            return self.handle_prompt(action, catalogue, letters);
        }
        if self.reading {
            return self.handle_reading(action, catalogue, letters);
        }
        let key = FIELDS[self.focus].0;
        let picks = matches!(key, "template" | "organisation");
        let fixed = picks || kind_of(key) == Kind::ReplyTo;
        match action {
            Action::Up => self.step(false, catalogue),
            Action::Down => self.step(true, catalogue),
            // A guide chose the letters: the form does not change them.
            Action::Confirm if picks && !self.chosen.is_empty() => {}
            Action::Confirm if picks => self.open_picker(key, catalogue),
            Action::Type(c) if kind_of(key) == Kind::ReplyTo => {
                type_into_field(key, &mut self.values[self.focus], c)
            }
            Action::Type(_)
            | Action::DeleteChar
            | Action::Left
            | Action::Right
            | Action::Top
            | Action::Bottom
            | Action::ClearLine
                if !fixed =>
            {
                line_edit::edit(&mut self.values[self.focus], &mut self.cursor, action);
            }
            Action::Confirm if key == "client_file" => {
                let path = self.values[self.focus].trim().to_string();
                if path.is_empty() {
                    return Transition::NeedStore(StoreNeed::Clients);
                }
                return match self.load_file(&path) {
                    Ok(()) => Transition::Status("Loaded the client's details.".into()),
                    Err(e) => Transition::Status(e),
                };
            }
            Action::Confirm => self.step(true, catalogue),
            Action::TogglePreview => self.reading = true,
            Action::NextLetter => self.next_letter(),
            Action::PageDown | Action::ScrollDown => self.preview_scroll += 5,
            Action::PageUp | Action::ScrollUp => {
                self.preview_scroll = self.preview_scroll.saturating_sub(5)
            }
            Action::Save => return self.ask_to_write(catalogue, letters),
            Action::Leave if self.values != self.initial => {
                self.leaving = Some(Discard::default());
            }
            Action::Leave => return Transition::BackToRunner,
            _ => {}
        }
        Transition::Stay
    }

    /// Whether a field matters for the letters being written: the body's name and
    /// address only where the directory holds none, the Home Office request type only
    /// for a Home Office request, the named documents only for a specific one. The
    /// others are neither shown nor stepped through.
    fn relevant(&self, key: &str, catalogue: &Catalogue) -> bool {
        let org = catalogue.organisation(&self.current_organisation());
        let asks_type = || {
            self.all_targets().iter().any(|t| {
                catalogue
                    .template(&t.template)
                    .is_some_and(|t| t.asks_request_type())
            })
        };
        match key {
            "to_name" => org.is_none_or(|o| o.name_needed.is_some()),
            "to_address" => org.is_none_or(|o| o.postal_address().is_none()),
            "request_type" => asks_type(),
            "documents" => asks_type() && self.value("request_type") == "specific",
            _ => true,
        }
    }

    /// Moves the focus to the next (or previous) field that matters here.
    fn step(&mut self, forward: bool, catalogue: &Catalogue) {
        let mut i = self.focus;
        loop {
            i = if forward {
                i + 1
            } else {
                match i.checked_sub(1) {
                    Some(i) => i,
                    None => return,
                }
            };
            if i >= FIELDS.len() {
                return;
            }
            if self.relevant(FIELDS[i].0, catalogue) {
                self.move_to(i);
                return;
            }
        }
    }

    fn move_to(&mut self, field: usize) {
        self.focus = field.min(FIELDS.len() - 1);
        self.cursor = Cursor::at_end(&self.values[self.focus]);
    }

    /// The preview across the whole screen: scrolling, the next letter, writing.
    fn handle_reading(
        &mut self,
        action: Action,
        catalogue: &Catalogue,
        letters: &mut LettersFolder,
    ) -> Transition {
        match action {
            Action::TogglePreview => self.reading = false,
            Action::Up | Action::ScrollUp => {
                self.preview_scroll = self.preview_scroll.saturating_sub(1)
            }
            Action::Down | Action::ScrollDown => self.preview_scroll += 1,
            Action::PageUp => self.preview_scroll = self.preview_scroll.saturating_sub(10),
            Action::PageDown => self.preview_scroll += 10,
            Action::Top => self.preview_scroll = 0,
            Action::Bottom => self.preview_scroll = usize::from(u16::MAX),
            Action::NextLetter => self.next_letter(),
            Action::Save => return self.ask_to_write(catalogue, letters),
            _ => {}
        }
        Transition::Stay
    }

    /// Ctrl-s: says what is still missing; else asks whether to keep a record (when no
    /// client of the case store is chosen), then for the folder.
    fn ask_to_write(&mut self, catalogue: &Catalogue, letters: &LettersFolder) -> Transition {
        let problems = self.problems(catalogue);
        if problems.count() > 0 {
            return Transition::Status(format!(
                "Nothing written yet. Still needed:\n{}",
                problems.sentences().join("\n")
            ));
        }
        self.folder_offered = letters.shown();
        if self.client.is_some() {
            self.prompt = Some(letters.shown());
        } else {
            self.ask_record();
        }
        Transition::Stay
    }

    /// The folder prompt: Enter writes (a new folder is asked about first).
    fn handle_prompt(
        &mut self,
        action: Action,
        catalogue: &Catalogue,
        letters: &mut LettersFolder,
    ) -> Transition {
        let Some(folder) = &mut self.prompt else {
            return Transition::Stay;
        };
        match action {
            Action::Type(c) => folder.push(c),
            Action::DeleteChar => {
                folder.pop();
            }
            Action::ClearLine => folder.clear(),
            Action::CloseOverlay => self.prompt = None,
            Action::Confirm => {
                let typed = folder.clone();
                let dir = match letters.use_typed(&typed, "Enter") {
                    Ok(dir) => dir,
                    // Keep what was typed, so a slip is corrected, not retyped.
                    Err(e) => return Transition::Status(e),
                };
                self.prompt = None;
                if self.client.is_some() || self.new_client {
                    return Transition::NeedStore(StoreNeed::Record(dir));
                }
                return Transition::Status(match self.write_all(&dir, catalogue) {
                    Ok(paths) => written_message(&paths),
                    Err(e) => format!("Nothing written: {e}"),
                });
            }
            _ => {}
        }
        Transition::Stay
    }

    /// Keeps this body's name and address, and shows the next letter's body.
    fn next_letter(&mut self) {
        let (name, address) = (
            std::mem::take(&mut self.values[index("to_name")]),
            std::mem::take(&mut self.values[index("to_address")]),
        );
        self.recipients
            .insert(self.current_organisation(), (name, address));
        self.preview = (self.preview + 1) % self.all_targets().len().max(1);
        let (name, address) = self
            .recipients
            .get(&self.current_organisation())
            .cloned()
            .unwrap_or_default();
        self.values[index("to_name")] = name;
        self.values[index("to_address")] = address;
        self.preview_scroll = 0;
        self.cursor = Cursor::at_end(&self.values[self.focus]);
    }

    /// How a letter of the set is named: "Home Office: subject access request".
    fn target_name(target: &LetterTarget, catalogue: &Catalogue) -> String {
        request_name(catalogue, &target.organisation, &target.template)
    }

    fn preview_lines(
        &self,
        catalogue: &Catalogue,
        width: usize,
        theme: Theme,
    ) -> (String, Vec<Line<'static>>) {
        let targets = self.all_targets();
        let target = &targets[self.preview.min(targets.len() - 1)];
        let mut lines = Vec::new();
        if targets.len() > 1 {
            let names: Vec<String> = targets
                .iter()
                .map(|t| Self::target_name(t, catalogue))
                .collect();
            for l in wrap(&format!("This set: {}.", names.join("; ")), width) {
                lines.push(Line::from(Span::styled(l, theme.muted())));
            }
            lines.push(Line::default());
        }
        let title = format!(
            "Letter {} of {}: {} (Ctrl-n: next)",
            self.preview.min(targets.len() - 1) + 1,
            targets.len(),
            Self::target_name(target, catalogue)
        );
        if let Some(org) = catalogue.organisation(&target.organisation) {
            let mut note = catalogue.exemption_note(org, &self.facts).to_string();
            let known = self
                .client()
                .map(|c| c.address_known_to)
                .unwrap_or_default();
            if let Some(address) = catalogue.address_note(org, &self.facts, &known) {
                note.push_str(&address.text);
                if let Some(hint) = address.app_hint {
                    note.push(' ');
                    note.push_str(&hint);
                }
            }
            for l in wrap(&note, width) {
                lines.push(Line::from(Span::styled(l, theme.warning())));
            }
            lines.push(Line::default());
        }
        // The same notes the command line prints (an address to re-check...).
        let notes = catalogue.adviser_notes(&target.organisation, &target.template);
        for note in &notes {
            for l in wrap(note, width) {
                lines.push(Line::from(Span::styled(l, theme.warning())));
            }
        }
        if !notes.is_empty() {
            lines.push(Line::default());
        }
        let text = match self
            .request(target, catalogue)
            .and_then(|r| compose(&r, catalogue))
        {
            Ok(letter) => render_text(&letter),
            Err(LetterError::MissingFields { .. }) => {
                let mut text = "This letter cannot be written yet. Still needed:\n".to_string();
                for (field, message) in self.missing(target, catalogue) {
                    let label = field.map_or("", label_of);
                    text.push_str(&format!("- {label}: {message}\n"));
                }
                text
            }
            Err(LetterError::Invalid { .. } | LetterError::Parse { .. }) => {
                "This letter cannot be written yet: fix what is marked ! in the form.".into()
            }
            Err(e) => format!("This letter cannot be written yet: {e}"),
        };
        lines.extend(wrap(&text, width).into_iter().map(Line::from));
        (title, lines)
    }

    pub fn draw(
        &self,
        frame: &mut Frame,
        catalogue: &Catalogue,
        theme: Theme,
        status_text: Option<&str>,
    ) {
        let area = frame.area();
        let prompt = self.prompt.as_ref().map(|folder| {
            format!("Write the PDFs into this folder (Enter writes, Esc cancels, Ctrl-u clears; a folder typed here is used from now on): {folder}_")
        });
        // A message about the folder (e.g. "Create this folder?") shows above the prompt.
        let prompt = prompt.map(|p| match status_text {
            Some(status) => format!("{status}\n{p}"),
            None => p,
        });
        let bottom_text = prompt.as_deref().or(status_text);
        let [header, body, hints] = status::areas(area, bottom_text);
        // Side by side on a wide screen; else the form and the preview each take the
        // whole screen in turn (Ctrl-p).
        let (form_area, preview_area) = if area.width >= 110 {
            let [a, b] =
                Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                    .areas(body);
            (Some(a), Some(b))
        } else if self.reading {
            (None, Some(body))
        } else {
            (Some(body), None)
        };
        let problems = self.problems(catalogue);
        self.draw_header(frame, header, &problems, theme);
        if let Some(form_area) = form_area {
            self.draw_form(frame, form_area, &problems, catalogue, theme);
        }
        if let Some(preview_area) = preview_area {
            self.draw_preview(frame, preview_area, catalogue, theme);
        }
        let bottom = match &prompt {
            Some(text) => status::wrap(text, hints.width as usize)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.heading())))
                .collect(),
            None => status::bottom_lines(self.context(), theme, status_text, hints.width),
        };
        frame.render_widget(Paragraph::new(bottom), hints);
        if let Some(picker) = &self.picker {
            draw_picker(frame, body, picker, theme);
        }
        if let Some(leaving) = &self.leaving {
            leaving.draw(
                frame,
                body,
                "Leave the letter form? What was typed here is not kept (letters already written stay where they are).",
                theme,
            );
        }
    }

    fn draw_header(&self, frame: &mut Frame, header: Rect, problems: &Problems, theme: Theme) {
        let count = self.all_targets().len();
        let letters = if count == 1 {
            "1 letter".to_string()
        } else {
            format!("{count} letters")
        };
        let state = match problems.count() {
            0 => "Ready: Ctrl-s writes them.".to_string(),
            1 => "1 thing to fix (marked !).".to_string(),
            n => format!("{n} things to fix (marked !)."),
        };
        let view = if self.reading { "preview" } else { "form" };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Letters", theme.title()),
                Span::raw(format!(" ({view}): {letters}. {state}")),
            ])),
            header,
        );
    }

    fn draw_preview(&self, frame: &mut Frame, area: Rect, catalogue: &Catalogue, theme: Theme) {
        let block = Block::default().borders(Borders::ALL);
        let inner = block.inner(area);
        let (title, mut lines) = self.preview_lines(catalogue, inner.width as usize, theme);
        let height = inner.height as usize;
        let max = lines.len().saturating_sub(height);
        let top = self.preview_scroll.min(max);
        // Where the reader is, in words, on the last line when there is more.
        if lines.len() > height && height > 1 {
            let shown = (top + height - 1).min(lines.len());
            let more = if top < max {
                "More below: Down, PgDn or End"
            } else {
                "The end; PgUp or Home to go back"
            };
            lines.truncate(top + height - 1);
            lines.push(Line::from(Span::styled(
                format!("Lines {}-{shown} of {}. {more}", top + 1, max + height),
                theme.muted(),
            )));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .scroll((top as u16, 0))
                .block(block.title(Span::styled(title, theme.heading()))),
            area,
        );
    }

    fn draw_form(
        &self,
        frame: &mut Frame,
        area: Rect,
        problems: &Problems,
        catalogue: &Catalogue,
        theme: Theme,
    ) {
        let mut lines = Vec::new();
        let mut focus_line = 0;
        let width = area.width as usize;
        for (i, (key, label, hint)) in FIELDS.iter().enumerate() {
            let focused = i == self.focus;
            if !focused && !self.relevant(key, catalogue) {
                continue;
            }
            if focused {
                focus_line = lines.len();
            }
            let label = if matches!(*key, "to_name" | "to_address") {
                format!(
                    "{label} ({})",
                    body_name(catalogue, &self.current_organisation())
                )
            } else {
                label.to_string()
            };
            lines.push(match self.shown_value(key, catalogue) {
                Some(value) => field_line(&label, &value, Focus::chosen(focused), width, theme),
                None => field_line(
                    &label,
                    &self.values[i],
                    Focus::typing(focused, self.cursor),
                    width,
                    theme,
                ),
            });
            let notes: Vec<(String, ratatui::style::Style)> = match problems.by_field.get(key) {
                Some(list) => list
                    .iter()
                    .map(|p| (format!("! {p}"), theme.warning()))
                    .collect(),
                None if focused && !hint.is_empty() => {
                    vec![(format!("({hint})"), theme.muted())]
                }
                None => Vec::new(),
            };
            for (note, style) in notes {
                for l in wrap(&note, width.saturating_sub(4)) {
                    lines.push(Line::from(Span::styled(format!("    {l}"), style)));
                }
            }
        }
        let height = area.height as usize;
        let top = focus_line.saturating_sub(height.saturating_sub(4));
        frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), area);
    }

    /// What a field that is chosen rather than typed shows (the letter, the body, where
    /// replies go, the client of the case store); `None` for a typed field.
    fn shown_value(&self, key: &str, catalogue: &Catalogue) -> Option<String> {
        let name = |id: &str| {
            if key == "template" {
                catalogue
                    .template(id)
                    .map_or(id.to_string(), |t| t.title.clone())
            } else {
                body_name(catalogue, id)
            }
        };
        match key {
            "template" | "organisation" if self.chosen.is_empty() => {
                Some(name(&self.values[index(key)]))
            }
            "template" | "organisation" => {
                let all: Vec<String> = self
                    .chosen
                    .iter()
                    .map(|t| {
                        name(if key == "template" {
                            &t.template
                        } else {
                            &t.organisation
                        })
                    })
                    .collect();
                Some(format!("{} (chosen by the guide)", all.join(", ")))
            }
            "reply_to" => Some(format!("the {}", self.values[index(key)])),
            "client_file" => self.client.as_ref().map(|(id, name)| {
                format!("#{id} {name} (in casework: writing records the requests)")
            }),
            _ => None,
        }
    }
}

fn body_name(catalogue: &Catalogue, id: &str) -> String {
    catalogue
        .organisation(id)
        .map_or(id.to_string(), |o| o.name.clone())
}

/// A typed character into a field of the form.
fn type_into_field(key: &str, value: &mut String, c: char) {
    client_form::type_into(kind_of(key), value, c);
}

/// "Wrote 2 letters: /full/path/a.pdf, /full/path/b.pdf".
fn written_message(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths
        .iter()
        .map(|p| crate::tui::letters_folder::full(p).display().to_string())
        .collect();
    let count = if paths.len() == 1 {
        "1 letter".to_string()
    } else {
        format!("{} letters", paths.len())
    };
    format!("Wrote {count}:\n{}", names.join("\n"))
}

fn draw_picker(frame: &mut Frame, body: Rect, picker: &Picker, theme: Theme) {
    let title = match picker.field {
        "organisation" => " Which body is the letter to? ",
        "client" => " Which client in casework? ",
        "record" => " Keep these letters in casework too? ",
        _ => " Which letter? ",
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{} of {}. Enter chooses; Esc keeps the one chosen.",
            picker.selected + 1,
            picker.options.len()
        ),
        theme.muted(),
    ))];
    let about = picker.options.get(picker.selected).map_or(Vec::new(), |o| {
        wrap(&o.2, body.width.saturating_sub(2) as usize)
    });
    let shown = usize::from(body.height.saturating_sub(4))
        .saturating_sub(about.len())
        .clamp(3, 12);
    let first = (picker.selected + 1).saturating_sub(shown);
    for (i, (_, label, _)) in picker.options.iter().enumerate().skip(first).take(shown) {
        let (mark, style) = if i == picker.selected {
            (">", theme.selected())
        } else {
            (" ", ratatui::style::Style::new())
        };
        lines.push(Line::from(Span::styled(format!("{mark} {label}"), style)));
    }
    lines.extend(
        about
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.muted()))),
    );
    let height = (lines.len() as u16 + 2).min(body.height);
    let area = Rect {
        x: body.x,
        y: body.y + body.height - height,
        width: body.width,
        height,
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}

/// The form field for a detail a template requires (`client.address`, `period`...), and what
/// to put in it.
fn field_for_requirement(name: &str) -> (&'static str, String) {
    match name {
        "client.date_of_birth" => ("date_of_birth", "needed".to_string()),
        "client.address" => (
            "address",
            "needed, with the postcode".to_string(),
        ),
        "client.nationality" => ("nationality", "needed".to_string()),
        "client.nhs_number" => ("nhs_number", "needed".to_string()),
        "client.ni_number" => ("ni_number", "needed".to_string()),
        "adviser" => (
            "adviser_name",
            "the letter of authority needs the adviser's details".to_string(),
        ),
        "adviser.address" => ("adviser_address", "needed".to_string()),
        "period" => (
            "period_from",
            "this letter needs the period the records cover".to_string(),
        ),
        "home_office_request_type" => {
            ("request_type", "write basic, specific or detailed".to_string())
        }
        _ => (
            "template",
            "this letter follows an earlier request: write it from the client's page in casework (F3)".to_string(),
        ),
    }
}
