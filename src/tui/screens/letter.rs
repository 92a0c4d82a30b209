//! Writing letters from the app: the client's details in a form checked as you type, a
//! preview of each letter with the note on the immigration exemption, and one key that
//! writes the whole set (with a letter of authority for each body) as PDFs.

use sanctuary::calendar::dates::parse_date;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Transition, frame_areas, hint_line};
use crate::tui::action::Action;
use crate::tui::keys::Context;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use crate::wording::plural;
use sanctuary::files::{Overwrite, write_all_private};
use sanctuary::letter::{
    AdviserDetails, Catalogue, ClientDetails, HomeOfficeRequestType, LetterError, LetterRequest,
    compose, render_pdfs, render_text,
};

/// One letter to write: which template, to which organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterTarget {
    pub template: String,
    pub organisation: String,
}

/// The form's fields: (key, label, hint). Keys under `adviser_` fill the adviser's table.
const FIELDS: &[(&str, &str, &str)] = &[
    (
        "template",
        "Letter",
        "a template id: see `sanctuary letters list`",
    ),
    (
        "organisation",
        "To",
        "an organisation id: see `sanctuary letters list`",
    ),
    (
        "client_file",
        "Load a client file",
        "a path; Enter loads it",
    ),
    ("name", "Full name", "as on their ID"),
    ("other_names", "Other names", "separate with commas"),
    ("date_of_birth", "Date of birth", "YYYY-MM-DD"),
    (
        "address",
        "Address",
        "lines separated by commas, no postcode",
    ),
    ("postcode", "Postcode", ""),
    ("email", "Email", ""),
    ("phone", "Phone", ""),
    ("nationality", "Nationality", ""),
    ("home_office_ref", "Home Office reference", ""),
    ("port_ref", "Port reference", ""),
    ("nhs_number", "NHS number", "10 digits"),
    (
        "ni_number",
        "National Insurance number",
        "e.g. QQ 12 34 56 C",
    ),
    ("police_ref", "Police reference", ""),
    ("reply_to", "Replies go to", "client or adviser"),
    (
        "adviser_name",
        "Adviser name",
        "fill in to write on the client's behalf",
    ),
    ("adviser_organisation", "Adviser organisation", ""),
    (
        "adviser_address",
        "Adviser address",
        "lines separated by commas",
    ),
    ("adviser_postcode", "Adviser postcode", ""),
    ("adviser_email", "Adviser email", ""),
    ("adviser_phone", "Adviser phone", ""),
    (
        "to_name",
        "Body's name",
        "for a police force, employer, council...",
    ),
    ("to_address", "Body's address", "lines separated by commas"),
    (
        "request_type",
        "Home Office request type",
        "basic, specific or detailed",
    ),
    ("period_from", "Records from", "YYYY-MM-DD, optional"),
    ("period_until", "Records until", "YYYY-MM-DD, optional"),
    ("sent", "Date sent", "YYYY-MM-DD"),
];

#[derive(Debug)]
pub struct LetterScreen {
    /// The letters a guide outcome chose; empty when the adviser picks one in the form.
    chosen: Vec<LetterTarget>,
    facts: BTreeMap<String, String>,
    values: Vec<String>,
    focus: usize,
    preview: usize,
    preview_scroll: usize,
    /// The folder being typed, while writing.
    pub prompt: Option<String>,
    /// Each body's name and address lines, kept per organisation: the two fields show
    /// those of the letter being previewed.
    recipients: BTreeMap<String, (String, String)>,
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl LetterScreen {
    pub fn new(
        targets: Vec<LetterTarget>,
        facts: BTreeMap<String, String>,
        today: NaiveDate,
    ) -> Self {
        let mut values = vec![String::new(); FIELDS.len()];
        values[index("reply_to")] = "client".into();
        values[index("request_type")] = "detailed".into();
        values[index("sent")] = today.format("%Y-%m-%d").to_string();
        let first = targets.first().cloned().unwrap_or(LetterTarget {
            template: "sar-generic".into(),
            organisation: "other".into(),
        });
        values[index("template")] = first.template;
        values[index("organisation")] = first.organisation;
        let focus = if targets.is_empty() {
            index("template")
        } else {
            index("client_file")
        };
        LetterScreen {
            chosen: targets,
            facts,
            values,
            focus,
            preview: 0,
            preview_scroll: 0,
            prompt: None,
            recipients: BTreeMap::new(),
        }
    }

    pub fn context(&self) -> Context {
        if self.prompt.is_some() {
            Context::Prompt
        } else {
            Context::Form
        }
    }

    fn value(&self, key: &str) -> &str {
        self.values[index(key)].trim()
    }

    /// The client's details as a client file would hold them, so the same checks apply.
    fn client_toml(&self) -> String {
        let text = [
            "name",
            "postcode",
            "email",
            "phone",
            "nationality",
            "home_office_ref",
            "port_ref",
            "nhs_number",
            "ni_number",
            "police_ref",
            "date_of_birth",
            "reply_to",
        ];
        let mut table = self.table(
            &text.map(|k| (k, k)),
            &[("other_names", "other_names"), ("address", "address")],
        );
        // The name is always given, so an empty one is reported as empty, not missing.
        table
            .entry("name")
            .or_insert_with(|| toml::Value::String(String::new()));
        toml::to_string(&table).unwrap_or_default()
    }

    /// A TOML table of the non-empty fields: `text` as strings and `lists` split at commas,
    /// each as (field, key in the table).
    fn table(&self, text: &[(&str, &str)], lists: &[(&str, &str)]) -> toml::Table {
        let mut table = toml::Table::new();
        for (field, key) in text {
            let v = self.value(field);
            if !v.is_empty() {
                table.insert(key.to_string(), toml::Value::String(v.to_string()));
            }
        }
        for (field, key) in lists {
            let items = split_list(self.value(field));
            if !items.is_empty() {
                let items = items.into_iter().map(toml::Value::String).collect();
                table.insert(key.to_string(), toml::Value::Array(items));
            }
        }
        table
    }

    fn adviser(&self) -> Result<Option<AdviserDetails>, LetterError> {
        if self.value("adviser_name").is_empty() {
            return Ok(None);
        }
        let table = self.table(
            &[
                ("adviser_name", "name"),
                ("adviser_organisation", "organisation"),
                ("adviser_postcode", "postcode"),
                ("adviser_email", "email"),
                ("adviser_phone", "phone"),
            ],
            &[("adviser_address", "address")],
        );
        AdviserDetails::from_toml_str(
            &toml::to_string(&table).unwrap_or_default(),
            "adviser details",
        )
        .map(Some)
    }

    /// The checked client details, or every problem with them.
    pub fn client(&self) -> Result<ClientDetails, LetterError> {
        ClientDetails::from_toml_str(&self.client_toml(), "client details")
    }

    /// Problems to show beside each field, by field key.
    fn field_problems(&self, catalogue: &Catalogue) -> BTreeMap<&'static str, String> {
        let mut found = BTreeMap::new();
        if self.chosen.is_empty() {
            if catalogue.template(self.value("template")).is_none() {
                found.insert(
                    "template",
                    format!("there is no letter template `{}`", self.value("template")),
                );
            }
            if catalogue.organisation(self.value("organisation")).is_none() {
                found.insert(
                    "organisation",
                    format!("there is no organisation `{}`", self.value("organisation")),
                );
            }
        }
        let mut problems: Vec<String> = match self.client() {
            Err(LetterError::Invalid { problems, .. }) => problems,
            Err(other) => vec![other.to_string()],
            Ok(_) => Vec::new(),
        };
        if let Err(e) = self.adviser() {
            match e {
                LetterError::Invalid { problems: p, .. } => {
                    problems.extend(p.into_iter().map(|p| format!("adviser_{p}")))
                }
                other => problems.push(format!("adviser_{other}")),
            }
        }
        for (key, value) in [
            ("sent", self.value("sent")),
            ("period_from", self.value("period_from")),
            ("period_until", self.value("period_until")),
        ] {
            if !value.is_empty() && parse_date(value).is_err() {
                problems.push(format!("{key}: write the date as YYYY-MM-DD"));
            }
        }
        for p in problems {
            // The form has no keys to leave out: say it the form's way.
            let p = p.replace(
                "is empty; fill it in or leave the key out",
                "is empty: fill it in",
            );
            let key = FIELDS
                .iter()
                .map(|f| f.0)
                .filter(|k| {
                    p.starts_with(k)
                        || p.contains(&format!("`{k}`"))
                        || (*k == "address" && p.starts_with("address line"))
                })
                .max_by_key(|k| k.len());
            if let Some(key) = key {
                found.entry(key).or_insert(p);
            } else {
                found.entry("name").or_insert(p);
            }
        }
        found
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
        request.adviser = self.adviser()?;
        request.facts = self.facts.clone();
        let generic = catalogue
            .organisation(&target.organisation)
            .is_some_and(|o| o.name_needed.is_some() || o.address_help.is_some());
        if generic {
            let (name, address) = self.recipient(&target.organisation);
            if !name.trim().is_empty() {
                request.recipient_name = Some(name.trim().to_string());
            }
            request.recipient_address = split_list(&address);
        }
        if target.template == "sar-home-office" {
            request.home_office_request_type = match self.value("request_type") {
                "basic" => Some(HomeOfficeRequestType::Basic),
                "specific" => Some(HomeOfficeRequestType::Specific),
                _ => Some(HomeOfficeRequestType::Detailed),
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

    /// The organisation of the letter being previewed.
    fn current_organisation(&self) -> String {
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
        let text = sanctuary::files::read_text(
            std::path::Path::new(path),
            sanctuary::letter::MAX_DETAILS_FILE_BYTES,
            "a client details file",
        )
        .map_err(|e| format!("could not read {path}: {e}"))?;
        let client = ClientDetails::from_toml_str(&text, path).map_err(|e| e.to_string())?;
        let mut set = |key: &str, value: String| self.values[index(key)] = value;
        set("name", client.name.clone());
        set("other_names", client.other_names.join(", "));
        set(
            "date_of_birth",
            client
                .date_of_birth
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        set("address", client.address.join(", "));
        for (key, value) in client.optional_fields() {
            set(key, value.clone().unwrap_or_default());
        }
        set(
            "reply_to",
            if client.reply_to == sanctuary::letter::ReplyTo::Adviser {
                "adviser"
            } else {
                "client"
            }
            .into(),
        );
        if let Some(a) = &client.adviser {
            set("adviser_name", a.name.clone());
            set(
                "adviser_organisation",
                a.organisation.clone().unwrap_or_default(),
            );
            set("adviser_address", a.address.join(", "));
            set("adviser_postcode", a.postcode.clone().unwrap_or_default());
            set("adviser_email", a.email.clone().unwrap_or_default());
            set("adviser_phone", a.phone.clone().unwrap_or_default());
        }
        set("client_file", String::new());
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
                target.template,
                target.organisation,
                self.value("sent")
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

    pub fn handle(&mut self, action: Action, catalogue: &Catalogue) -> Transition {
        if let Some(folder) = &mut self.prompt {
            match action {
                Action::Type(c) => folder.push(c),
                Action::DeleteChar => {
                    folder.pop();
                }
                Action::CloseOverlay => self.prompt = None,
                Action::Confirm => {
                    let dir = PathBuf::from(if folder.trim().is_empty() {
                        "."
                    } else {
                        folder.trim()
                    });
                    self.prompt = None;
                    return match self.write_all(&dir, catalogue) {
                        Ok(paths) => Transition::Status(format!(
                            "Wrote {} to {}: {}",
                            plural(paths.len(), "letter", "letters"),
                            dir.display(),
                            paths
                                .iter()
                                .filter_map(|p| p.file_name())
                                .map(|n| n.to_string_lossy())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                        Err(e) => Transition::Status(format!("Nothing written: {e}")),
                    };
                }
                _ => {}
            }
            return Transition::Stay;
        }
        match action {
            Action::Up => self.focus = self.focus.saturating_sub(1),
            Action::Down => self.focus = (self.focus + 1).min(FIELDS.len() - 1),
            // A guide chose the letters: the form does not change them.
            Action::Type(_) | Action::DeleteChar
                if !self.chosen.is_empty() && self.focus < index("client_file") => {}
            Action::Type(c) => self.values[self.focus].push(c),
            Action::DeleteChar => {
                self.values[self.focus].pop();
            }
            Action::Confirm if FIELDS[self.focus].0 == "client_file" => {
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
            Action::Save => self.prompt = Some(".".into()),
            Action::Leave => return Transition::BackToRunner,
            _ => {}
        }
        Transition::Stay
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
                .map(|t| format!("{} to {}", t.template, t.organisation))
                .collect();
            for l in wrap(&format!("This set: {}.", names.join("; ")), width) {
                lines.push(Line::from(Span::styled(l, theme.muted())));
            }
            lines.push(Line::default());
        }
        let title = format!(
            "Letter {} of {}: {} to {} (Ctrl-n: next)",
            self.preview.min(targets.len() - 1) + 1,
            targets.len(),
            target.template,
            target.organisation
        );
        if let Some(org) = catalogue.organisation(&target.organisation) {
            let note = catalogue.exemption_note(org, &self.facts);
            for l in wrap(&note.to_string(), width) {
                lines.push(Line::from(Span::styled(l, theme.warning())));
            }
            lines.push(Line::default());
        }
        let text = match self
            .request(target, catalogue)
            .and_then(|r| compose(&r, catalogue))
        {
            Ok(letter) => render_text(&letter),
            Err(e) => format!("This letter cannot be written yet:\n{e}"),
        };
        lines.extend(wrap(&text, width).into_iter().map(Line::from));
        (title, lines)
    }

    pub fn draw(
        &self,
        frame: &mut Frame,
        catalogue: &Catalogue,
        theme: Theme,
        status: Option<&str>,
    ) {
        let area = frame.area();
        let [header, body, hints] = frame_areas(area);
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
        let problems = self.field_problems(catalogue);
        let count = self.all_targets().len();
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Letters", theme.title()),
                Span::raw(format!(
                    ": {count} to write. {} Ctrl-s writes them all as PDFs.",
                    if problems.is_empty() {
                        "Details look complete.".to_string()
                    } else {
                        format!("{} to fix.", plural(problems.len(), "problem", "problems"))
                    }
                )),
            ])),
            header,
        );
        self.draw_form(frame, form_area, &problems, theme);
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
        let hint = if let Some(folder) = &self.prompt {
            Line::from(vec![
                Span::styled("Write the PDFs into folder: ", theme.heading()),
                Span::raw(format!("{folder}_  (Enter writes, Esc cancels)")),
            ])
        } else {
            hint_line(self.context(), theme, status)
        };
        frame.render_widget(Paragraph::new(hint), hints);
    }

    fn draw_form(
        &self,
        frame: &mut Frame,
        area: Rect,
        problems: &BTreeMap<&str, String>,
        theme: Theme,
    ) {
        let mut lines = Vec::new();
        let mut focus_line = 0;
        for (i, (key, label, hint)) in FIELDS.iter().enumerate() {
            let focused = i == self.focus;
            if focused {
                focus_line = lines.len();
            }
            let marker = if focused { "> " } else { "  " };
            let fixed = !self.chosen.is_empty() && i < index("client_file");
            let value = if fixed {
                let all: Vec<&str> = self
                    .chosen
                    .iter()
                    .map(|t| {
                        if *key == "template" {
                            t.template.as_str()
                        } else {
                            t.organisation.as_str()
                        }
                    })
                    .collect();
                format!("{} (chosen by the guide)", all.join(", "))
            } else if focused {
                format!("{}_", self.values[i])
            } else {
                self.values[i].clone()
            };
            let label = if matches!(*key, "to_name" | "to_address") {
                format!("{label} ({})", self.current_organisation())
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
            if let Some(problem) = problems.get(key) {
                for l in wrap(
                    &format!("! {problem}"),
                    area.width.saturating_sub(4) as usize,
                ) {
                    lines.push(Line::from(Span::styled(
                        format!("    {l}"),
                        theme.warning(),
                    )));
                }
            } else if focused && !hint.is_empty() {
                lines.push(Line::from(Span::styled(
                    format!("    ({hint})"),
                    theme.muted(),
                )));
            }
        }
        let height = area.height as usize;
        let top = focus_line.saturating_sub(height.saturating_sub(3));
        frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), area);
    }
}

fn index(key: &str) -> usize {
    FIELDS
        .iter()
        .position(|f| f.0 == key)
        .expect("a known field")
}
