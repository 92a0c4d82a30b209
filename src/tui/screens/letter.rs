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
use super::{Transition, status};
use crate::tui::action::Action;
use crate::tui::keys::Context;
use crate::tui::letters_folder::LettersFolder;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use sanctuary::calendar::dates::parse_date;
use sanctuary::files::{Overwrite, write_all_private};
use sanctuary::letter::{
    Catalogue, ClientDetails, HomeOfficeRequestType, LetterError, LetterKind, LetterRequest,
    Needed, compose, render_pdfs, render_text,
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
            "Load a client file",
            "a path; Enter loads it",
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
            "basic or detailed",
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
    pub fn new(
        targets: Vec<LetterTarget>,
        facts: BTreeMap<String, String>,
        today: NaiveDate,
        catalogue: &Catalogue,
    ) -> Self {
        let mut values = vec![String::new(); FIELDS.len()];
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
            request.home_office_request_type = match self.value("request_type") {
                "basic" => Some(HomeOfficeRequestType::Basic),
                "specific" => Some(HomeOfficeRequestType::Specific),
                "detailed" => Some(HomeOfficeRequestType::Detailed),
                _ => None,
            };
        }
        if let (Ok(from), Ok(until)) = (
            parse_date(self.value("period_from")),
            parse_date(self.value("period_until")),
        ) {
            request.period = Some((from, until));
        }
        Ok(request)
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
        if to_home_office && !["basic", "detailed"].contains(&self.value("request_type")) {
            found.add(
                "request_type",
                "write basic or detailed (a specific request names documents, which this form cannot take)".into(),
            );
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
                let (field, message) = match &m.needed {
                    Needed::Requirement(name) => match name.as_str() {
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
                            ("request_type", "write basic or detailed".to_string())
                        }
                        _ => (
                            "template",
                            "this letter follows an earlier request: write it from the client's page in casework (F3)".to_string(),
                        ),
                    },
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
                        "request_type",
                        "a specific request must name its documents, which this form cannot take: write basic or detailed".to_string(),
                    ),
                    Needed::AboutName => (
                        "template",
                        "a complaint is written from the client's page in casework (F3)".to_string(),
                    ),
                };
                (Some(field), message)
            })
            .collect()
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
        for (key, value) in client_form::values_of(&client) {
            self.values[index(key)] = value;
        }
        self.values[index("client_file")] = String::new();
        Ok(())
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
            let name = format!(
                "{}-{}-{}.pdf",
                target.template, target.organisation, request.sent
            );
            paths.push(dir.join(name));
        }
        let pdfs: Vec<Vec<u8>> = render_pdfs(&letters)
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        // All or nothing; a letter to a body already written to today gets its own name.
        let files: Vec<(PathBuf, Vec<u8>)> = paths.into_iter().zip(pdfs).collect();
        write_all_private(&files, Overwrite::NewName).map_err(|e| e.to_string())
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
        if let Some(folder) = &mut self.prompt {
            match action {
                Action::Type(c) => folder.push(c),
                Action::DeleteChar => {
                    folder.pop();
                }
                Action::CloseOverlay => self.prompt = None,
                Action::Confirm => {
                    let typed = folder.clone();
                    self.prompt = None;
                    let written = letters
                        .use_typed(&typed)
                        .and_then(|dir| self.write_all(&dir, catalogue));
                    return Transition::Status(match written {
                        Ok(paths) => written_message(&paths),
                        Err(e) => format!("Nothing written: {e}"),
                    });
                }
                _ => {}
            }
            return Transition::Stay;
        }
        let key = FIELDS[self.focus].0;
        let picks = matches!(key, "template" | "organisation");
        match action {
            Action::Up => self.focus = self.focus.saturating_sub(1),
            Action::Down => self.focus = (self.focus + 1).min(FIELDS.len() - 1),
            // A guide chose the letters: the form does not change them.
            Action::Type(_) | Action::DeleteChar | Action::Confirm
                if picks && !self.chosen.is_empty() => {}
            Action::Confirm if picks => self.open_picker(key, catalogue),
            Action::Type(_) | Action::DeleteChar if picks => {}
            Action::Type(c) => type_into_field(key, &mut self.values[self.focus], c),
            Action::DeleteChar if kind_of(key) != Kind::ReplyTo => {
                self.values[self.focus].pop();
            }
            Action::Confirm if key == "client_file" => {
                let path = self.values[self.focus].trim().to_string();
                return match self.load_file(&path) {
                    Ok(()) => Transition::Status("Loaded the client's details.".into()),
                    Err(e) => Transition::Status(e),
                };
            }
            Action::Confirm => self.focus = (self.focus + 1).min(FIELDS.len() - 1),
            Action::NextLetter => {
                // Keep this body's name and address, and show the next body's.
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
            }
            Action::PageDown | Action::ScrollDown => self.preview_scroll += 5,
            Action::PageUp | Action::ScrollUp => {
                self.preview_scroll = self.preview_scroll.saturating_sub(5)
            }
            Action::Save => {
                let problems = self.problems(catalogue);
                if problems.count() > 0 {
                    return Transition::Status(format!(
                        "Nothing written yet. Still needed:\n{}",
                        problems.sentences().join("\n")
                    ));
                }
                self.prompt = Some(letters.shown());
            }
            Action::Leave if self.values != self.initial => {
                self.leaving = Some(Discard::default());
            }
            Action::Leave => return Transition::BackToRunner,
            _ => {}
        }
        Transition::Stay
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
            format!("Write the PDFs into this folder (Enter writes, Esc cancels; a folder typed here is used from now on): {folder}_")
        });
        let bottom_text = prompt.as_deref().or(status_text);
        let [header, body, hints] = status::areas(area, bottom_text);
        let (form_area, preview_area) = if area.width >= 110 {
            let [a, b] =
                Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                    .areas(body);
            (a, b)
        } else {
            let [a, b] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(body);
            (a, b)
        };
        let problems = self.problems(catalogue);
        let count = self.all_targets().len();
        let letters = if count == 1 {
            "1 letter".to_string()
        } else {
            format!("{count} letters")
        };
        let state = match problems.count() {
            0 => "Ready: Ctrl-s writes them as PDFs.".to_string(),
            1 => "1 thing to fix first (marked !).".to_string(),
            n => format!("{n} things to fix first (marked !)."),
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Letters", theme.title()),
                Span::raw(format!(": {letters} to write. {state}")),
            ])),
            header,
        );
        self.draw_form(frame, form_area, &problems, catalogue, theme);
        let block = Block::default().borders(Borders::ALL);
        let inner = block.inner(preview_area);
        let (title, lines) = self.preview_lines(catalogue, inner.width as usize, theme);
        let max = lines.len().saturating_sub(inner.height as usize);
        frame.render_widget(
            Paragraph::new(lines)
                .scroll((self.preview_scroll.min(max) as u16, 0))
                .block(block.title(Span::styled(title, theme.heading()))),
            preview_area,
        );
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
        let body_name = |id: &str| {
            catalogue
                .organisation(id)
                .map_or(id.to_string(), |o| o.name.clone())
        };
        let letter_name = |id: &str| {
            catalogue
                .template(id)
                .map_or(id.to_string(), |t| t.title.clone())
        };
        for (i, (key, label, hint)) in FIELDS.iter().enumerate() {
            let focused = i == self.focus;
            if focused {
                focus_line = lines.len();
            }
            let marker = if focused { "> " } else { "  " };
            let value = match *key {
                "template" | "organisation" => {
                    let name = |id: &str| {
                        if *key == "template" {
                            letter_name(id)
                        } else {
                            body_name(id)
                        }
                    };
                    if self.chosen.is_empty() {
                        name(&self.values[i])
                    } else {
                        let all: Vec<String> = self
                            .chosen
                            .iter()
                            .map(|t| {
                                name(if *key == "template" {
                                    &t.template
                                } else {
                                    &t.organisation
                                })
                            })
                            .collect();
                        format!("{} (chosen by the guide)", all.join(", "))
                    }
                }
                "reply_to" => format!("the {}", self.values[i]),
                _ if focused => format!("{}_", self.values[i]),
                _ => self.values[i].clone(),
            };
            let label = if matches!(*key, "to_name" | "to_address") {
                format!("{label} ({})", body_name(&self.current_organisation()))
            } else {
                label.to_string()
            };
            let label_style = if focused {
                theme.selected()
            } else {
                theme.heading()
            };
            lines.push(Line::from(vec![
                Span::raw(marker),
                Span::styled(format!("{label}:"), label_style),
                Span::raw(format!(" {value}")),
            ]));
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
                for l in wrap(&note, area.width.saturating_sub(4) as usize) {
                    lines.push(Line::from(Span::styled(format!("    {l}"), style)));
                }
            }
        }
        let height = area.height as usize;
        let top = focus_line.saturating_sub(height.saturating_sub(3));
        frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), area);
    }
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
    let title = if picker.field == "organisation" {
        " Which body is the letter to? "
    } else {
        " Which letter? "
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
