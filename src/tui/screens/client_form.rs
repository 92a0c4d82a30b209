//! Adding a client, or changing one, in the app: the same fields and the same checks as
//! a client file (see letter-templates/README.md), each problem shown under the field it
//! belongs to. The details are built as a TOML table from the typed fields and saved
//! through `casework::steps`, as `sanctuary clients add` saves a file.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::confirm::{Answer, Discard};
use super::{Focus, field_line, status};
use crate::tui::action::Action;
use crate::tui::keys::Context;
use crate::tui::line_edit::{self, Cursor};
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use sanctuary::calendar::dates::parse_date;
use sanctuary::casework::steps::{self, AddedClient};
use sanctuary::casework::store::{Client, ClientId, Store};
use sanctuary::letter::{ClientDetails, FieldProblem, ReplyTo};

/// Asked before the form is closed with typing not saved.
const LEAVE_UNSAVED: &str = "Leave this form? The client's details are not saved yet.";

/// How a field's text becomes a value in the client's details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Items separated by commas, kept as a list.
    List,
    /// A date typed DD/MM/YYYY or YYYY-MM-DD.
    Date,
    /// "client" or "adviser", chosen with a key.
    ReplyTo,
}

/// One of a client's details, as the forms (this one and the letter form) show it.
pub struct Field {
    /// The key in the client file; `adviser_` keys go in its `[adviser]` table.
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub kind: Kind,
}

const fn field(key: &'static str, label: &'static str, hint: &'static str, kind: Kind) -> Field {
    Field {
        key,
        label,
        hint,
        kind,
    }
}

/// Every detail a client file holds, in the order the forms show them.
pub const FIELDS: &[Field] = &[
    field("name", "Full name", "as on their ID (required)", Kind::Text),
    field(
        "other_names",
        "Other names",
        "other names or spellings used, separated by commas",
        Kind::List,
    ),
    field(
        "date_of_birth",
        "Date of birth",
        "DD/MM/YYYY or YYYY-MM-DD",
        Kind::Date,
    ),
    field(
        "address",
        "Address",
        "lines separated by commas, without the postcode",
        Kind::List,
    ),
    field("postcode", "Postcode", "e.g. SW1A 1AA", Kind::Text),
    field("email", "Email", "", Kind::Text),
    field("phone", "Phone", "", Kind::Text),
    field("nationality", "Nationality", "", Kind::Text),
    field("home_office_ref", "Home Office reference", "", Kind::Text),
    field("port_ref", "Port reference", "", Kind::Text),
    field("nhs_number", "NHS number", "10 digits", Kind::Text),
    field(
        "ni_number",
        "National Insurance number",
        "e.g. QQ 12 34 56 C",
        Kind::Text,
    ),
    field("police_ref", "Police reference", "", Kind::Text),
    field(
        "reply_to",
        "Replies go to",
        "press c for the client or a for the adviser (when post at home is not safe)",
        Kind::ReplyTo,
    ),
    field(
        "adviser_name",
        "Adviser name",
        "fill in when an adviser writes for the client: a letter of authority then goes with each request",
        Kind::Text,
    ),
    field(
        "adviser_organisation",
        "Adviser organisation",
        "",
        Kind::Text,
    ),
    field(
        "adviser_role",
        "Adviser role",
        "e.g. Caseworker",
        Kind::Text,
    ),
    field(
        "adviser_address",
        "Adviser address",
        "lines separated by commas, without the postcode",
        Kind::List,
    ),
    field("adviser_postcode", "Adviser postcode", "", Kind::Text),
    field("adviser_email", "Adviser email", "", Kind::Text),
    field("adviser_phone", "Adviser phone", "", Kind::Text),
    field(
        "adviser_reference",
        "Adviser's reference",
        "printed on letters as \"Our reference\"",
        Kind::Text,
    ),
    // Last, so the forms keep their order; the letter form shows it too.
    field(
        "address_known_to",
        "Knows the address",
        "bodies that already know where the client lives, e.g. home-office, police-force: no other police or Home Office letter gives the address",
        Kind::List,
    ),
];

fn index(key: &str) -> Option<usize> {
    FIELDS.iter().position(|f| f.key == key)
}

/// A typed character into a field: text is added to; the replies field is switched
/// with `c` (client), `a` (adviser) or Space.
pub fn type_into(kind: Kind, value: &mut String, c: char) {
    if kind != Kind::ReplyTo {
        value.push(c);
        return;
    }
    *value = match (c, value.as_str()) {
        ('a' | 'A', _) | (' ', "client") => "adviser".into(),
        ('c' | 'C', _) | (' ', _) => "client".into(),
        _ => return,
    };
}

/// The form's values for a client's details, by key (the date of birth as DD/MM/YYYY).
pub fn values_of(details: &ClientDetails) -> Vec<(&'static str, String)> {
    let mut values = vec![
        ("name", details.name.clone()),
        ("other_names", details.other_names.join(", ")),
        (
            "date_of_birth",
            details
                .date_of_birth
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
        ),
        ("address", details.address.join(", ")),
        ("address_known_to", details.address_known_to.join(", ")),
        (
            "reply_to",
            if details.reply_to == ReplyTo::Adviser {
                "adviser"
            } else {
                "client"
            }
            .into(),
        ),
    ];
    for (key, value) in details.optional_fields() {
        values.push((key, value.clone().unwrap_or_default()));
    }
    let adviser = details
        .adviser
        .clone()
        .unwrap_or(sanctuary::letter::AdviserDetails {
            name: String::new(),
            organisation: None,
            role: None,
            address: Vec::new(),
            postcode: None,
            email: None,
            phone: None,
            reference: None,
        });
    values.push(("adviser_name", adviser.name.clone()));
    values.push(("adviser_address", adviser.address.join(", ")));
    for (key, value) in [
        ("adviser_organisation", adviser.organisation),
        ("adviser_role", adviser.role),
        ("adviser_postcode", adviser.postcode),
        ("adviser_email", adviser.email),
        ("adviser_phone", adviser.phone),
        ("adviser_reference", adviser.reference),
    ] {
        values.push((key, value.unwrap_or_default()));
    }
    values
}

/// The client's details as the TOML of a client file, built as a table from the typed
/// values (`value` gives each field's text by key), and the problems found while
/// building it (a date that is not a date), by key.
pub fn details_toml(value: impl Fn(&str) -> String) -> (String, BTreeMap<&'static str, String>) {
    let mut problems = BTreeMap::new();
    let mut client = toml::Table::new();
    let mut adviser = toml::Table::new();
    for f in FIELDS {
        let text = value(f.key);
        let typed = text.trim();
        let (table, key) = match f.key.strip_prefix("adviser_") {
            Some(key) => (&mut adviser, key),
            None => (&mut client, f.key),
        };
        let value = match f.kind {
            Kind::Text if !typed.is_empty() => Some(toml::Value::String(typed.into())),
            Kind::List => {
                let items = split_list(typed);
                (!items.is_empty())
                    .then(|| toml::Value::Array(items.into_iter().map(Into::into).collect()))
            }
            Kind::Date if !typed.is_empty() => match parse_date(typed) {
                Ok(date) => Some(toml::Value::String(date.to_string())),
                Err(e) => {
                    problems.insert(f.key, e.to_string());
                    None
                }
            },
            Kind::ReplyTo if typed == "adviser" => Some(toml::Value::String(typed.into())),
            _ => None,
        };
        if let Some(value) = value {
            table.insert(key.to_string(), value);
        }
    }
    // The name is always given, so an empty one is reported as empty.
    client
        .entry("name")
        .or_insert_with(|| toml::Value::String(String::new()));
    if !adviser.is_empty() {
        adviser
            .entry("name")
            .or_insert_with(|| toml::Value::String(String::new()));
        client.insert("adviser".into(), toml::Value::Table(adviser));
    }
    (toml::to_string(&client).unwrap_or_default(), problems)
}

/// Every problem with the typed details, by the key of the field it belongs to: the
/// checks a client file gets (and a date of birth not after `today`).
pub fn details_problems(
    value: impl Fn(&str) -> String,
    today: NaiveDate,
) -> BTreeMap<&'static str, String> {
    let (text, mut found) = details_toml(&value);
    let from_library = match ClientDetails::problems_by_field(&text, "the client's details", today)
    {
        Ok(problems) => problems,
        // The form writes the file itself, so this is not the adviser's typing.
        Err(other) => {
            found.entry("name").or_insert_with(|| other.to_string());
            Vec::new()
        }
    };
    for problem in from_library {
        let (key, message) = place(&problem);
        found.entry(key).or_insert(message);
    }
    found
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// What the form asks the casework screen to do.
#[derive(Debug)]
pub enum FormOutcome {
    Stay,
    Status(String),
    /// Closed without saving.
    Cancelled,
    /// Saved: the client as stored, with any client who may be the same person.
    Saved(AddedClient),
}

#[derive(Debug)]
pub struct ClientForm {
    /// The client being changed; none for a new one.
    editing: Option<ClientId>,
    values: Vec<String>,
    /// The values as the form opened, to know whether anything was typed.
    original: Vec<String>,
    /// Fields the adviser has been in: their problems are shown.
    touched: Vec<bool>,
    focus: usize,
    /// The cursor in the focused field.
    cursor: Cursor,
    leaving: Option<Discard>,
}

impl ClientForm {
    /// An empty form for a new client, with the adviser's own details from the
    /// settings (`adviser`, by key) already in.
    pub fn new_client(adviser: &[(&'static str, String)]) -> ClientForm {
        let mut values = vec![String::new(); FIELDS.len()];
        values[reply_to_index()] = "client".into();
        for (key, value) in adviser {
            if let Some(i) = index(key) {
                values[i] = value.clone();
            }
        }
        ClientForm::with(None, values)
    }

    /// The form filled with a stored client's details.
    pub fn edit(client: &Client) -> ClientForm {
        let mut values = vec![String::new(); FIELDS.len()];
        values[reply_to_index()] = "client".into();
        match ClientDetails::from_toml_str(&client.details_toml, "the client's details") {
            Ok(details) => {
                for (key, value) in values_of(&details) {
                    if let Some(i) = index(key) {
                        values[i] = value;
                    }
                }
            }
            Err(_) => values[0] = client.display_name.clone(),
        }
        ClientForm::with(Some(client.id), values)
    }

    fn with(editing: Option<ClientId>, values: Vec<String>) -> ClientForm {
        ClientForm {
            editing,
            original: values.clone(),
            touched: vec![false; values.len()],
            cursor: Cursor::at_end(&values[0]),
            values,
            focus: 0,
            leaving: None,
        }
    }

    pub fn context(&self) -> Context {
        if self.leaving.is_some() {
            Context::Choice
        } else {
            Context::ClientForm
        }
    }

    fn typed_anything(&self) -> bool {
        self.values != self.original
    }

    fn value(&self, key: &str) -> String {
        index(key).map_or(String::new(), |i| self.values[i].clone())
    }

    fn details_toml(&self) -> (String, BTreeMap<&'static str, String>) {
        details_toml(|key| self.value(key))
    }

    /// Every problem with the details, by field.
    fn problems(&self, today: NaiveDate) -> BTreeMap<usize, String> {
        details_problems(|key| self.value(key), today)
            .into_iter()
            .filter_map(|(key, message)| Some((index(key)?, message)))
            .collect()
    }

    pub fn handle(&mut self, action: Action, store: &mut Store, today: NaiveDate) -> FormOutcome {
        if let Some(leaving) = &mut self.leaving {
            match leaving.handle(action) {
                Answer::Asking => {}
                Answer::Stay => self.leaving = None,
                Answer::Leave => return FormOutcome::Cancelled,
            }
            return FormOutcome::Stay;
        }
        let last = FIELDS.len() - 1;
        match action {
            Action::Up | Action::ScrollUp => self.move_to(self.focus.saturating_sub(1)),
            Action::Down | Action::ScrollDown | Action::Confirm => {
                self.move_to((self.focus + 1).min(last))
            }
            Action::PageUp => self.move_to(self.focus.saturating_sub(5)),
            Action::PageDown => self.move_to((self.focus + 5).min(last)),
            Action::Type(c) if FIELDS[self.focus].kind == Kind::ReplyTo => {
                type_into(Kind::ReplyTo, &mut self.values[self.focus], c)
            }
            _ if FIELDS[self.focus].kind == Kind::ReplyTo => {}
            Action::Type(_)
            | Action::DeleteChar
            | Action::Left
            | Action::Right
            | Action::Top
            | Action::Bottom
            | Action::ClearLine => {
                line_edit::edit(&mut self.values[self.focus], &mut self.cursor, action);
            }
            Action::Save => return self.save(store, today),
            Action::Leave if self.typed_anything() => self.leaving = Some(Discard::default()),
            Action::Leave => return FormOutcome::Cancelled,
            _ => {}
        }
        FormOutcome::Stay
    }

    fn move_to(&mut self, field: usize) {
        self.touched[self.focus] = true;
        self.focus = field;
        self.cursor = Cursor::at_end(&self.values[field]);
    }

    fn save(&mut self, store: &mut Store, today: NaiveDate) -> FormOutcome {
        self.touched.iter_mut().for_each(|t| *t = true);
        let problems = self.problems(today);
        if let Some((&first, _)) = problems.iter().next() {
            self.focus = first;
            self.cursor = Cursor::at_end(&self.values[first]);
            let fields: Vec<&str> = problems.keys().map(|&i| FIELDS[i].label).collect();
            return FormOutcome::Status(format!(
                "Not saved: fix what is shown under {}.",
                fields.join(", ")
            ));
        }
        let (text, _) = self.details_toml();
        let label = "the client's details";
        let saved = match self.editing {
            None => steps::add_client(store, &text, label, today),
            Some(id) => steps::edit_client(store, id, &text, label, today),
        };
        match saved {
            Ok(added) => FormOutcome::Saved(added),
            Err(e) => FormOutcome::Status(format!("Not saved: {e}")),
        }
    }

    pub fn draw(
        &self,
        frame: &mut Frame,
        today: NaiveDate,
        theme: Theme,
        status_text: Option<&str>,
    ) {
        let area = frame.area();
        let [header, body, bottom] = status::areas(area, status_text);
        let title = match self.editing {
            None => "New client".to_string(),
            Some(_) => format!("Change the details of {}", self.original[0]),
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(title, theme.title()),
                Span::raw(". Ctrl-s saves."),
            ])),
            header,
        );
        let problems = self.problems(today);
        let width = body.width as usize;
        let mut lines = Vec::new();
        let mut focus_line = 0;
        for (i, f) in FIELDS.iter().enumerate() {
            let focused = i == self.focus;
            if focused {
                focus_line = lines.len();
            }
            lines.push(match f.kind {
                Kind::ReplyTo => {
                    let value = format!("the {}", self.values[i]);
                    field_line(f.label, &value, Focus::chosen(focused), width, theme)
                }
                _ => field_line(
                    f.label,
                    &self.values[i],
                    Focus::typing(focused, self.cursor),
                    width,
                    theme,
                ),
            });
            // A field's problem shows once the adviser has been in it and left (or saved).
            let problem = problems.get(&i).filter(|_| self.touched[i]);
            let (note, style) = match problem {
                Some(p) => (format!("! {p}"), theme.warning()),
                None if focused && !f.hint.is_empty() => (format!("({})", f.hint), theme.muted()),
                None => continue,
            };
            for l in wrap(&note, width.saturating_sub(4)) {
                lines.push(Line::from(Span::styled(format!("    {l}"), style)));
            }
        }
        let height = body.height as usize;
        let top = focus_line.saturating_sub(height.saturating_sub(4));
        frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), body);
        status::draw_bottom(frame, bottom, Context::ClientForm, theme, status_text);
        if let Some(leaving) = &self.leaving {
            leaving.draw(frame, body, LEAVE_UNSAVED, theme);
        }
    }
}

fn reply_to_index() -> usize {
    FIELDS
        .iter()
        .position(|f| f.kind == Kind::ReplyTo)
        .unwrap_or(0)
}

/// The field a problem from the client-file checks belongs to (the library says which),
/// and the problem in the form's words.
fn place(problem: &FieldProblem) -> (&'static str, String) {
    let key = if problem.field.adviser {
        format!("adviser_{}", problem.field.key)
    } else {
        problem.field.key.to_string()
    };
    // Every key a client file checks is a field of the form; were one not, its problem
    // would still be shown, under the first field, rather than lost.
    let i = index(&key).unwrap_or(0);
    let label = FIELDS[i].label;
    let message = if problem.message.starts_with("is empty") {
        let mut message = format!("{label} is empty: fill it in");
        if FIELDS[i].key == "adviser_name" {
            message.push_str(" (or clear the other adviser fields)");
        }
        message
    } else {
        match problem.field.entry {
            Some(n) => format!("{label} ({n}) {}", problem.message),
            None => format!("{label} {}", problem.message),
        }
    };
    (FIELDS[i].key, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn form(pairs: &[(&str, &str)]) -> ClientForm {
        let mut form = ClientForm::new_client(&[]);
        for (key, value) in pairs {
            form.values[index(key).unwrap()] = value.to_string();
        }
        form
    }

    fn problem(form: &ClientForm, key: &str) -> Option<String> {
        // By field number, as the form shows them.
        form.problems(today()).get(&index(key).unwrap()).cloned()
    }

    #[test]
    fn a_date_that_is_not_a_date_is_shown_under_the_date_of_birth() {
        let form = form(&[("name", "Ana Pop"), ("date_of_birth", "12/13/1988")]);
        let problems = form.problems(today());
        assert_eq!(problems.len(), 1, "{problems:?}");
        let message = problem(&form, "date_of_birth").unwrap();
        assert!(message.contains("12/13/1988"), "{message}");
        assert!(message.contains("DD/MM/YYYY"), "{message}");
    }

    #[test]
    fn uk_and_iso_dates_both_become_the_same_date() {
        for typed in ["12/04/1988", "1988-04-12"] {
            let (text, problems) =
                form(&[("name", "Ana Pop"), ("date_of_birth", typed)]).details_toml();
            assert!(problems.is_empty());
            let details = ClientDetails::from_toml_str(&text, "t").unwrap();
            assert_eq!(details.date_of_birth, NaiveDate::from_ymd_opt(1988, 4, 12));
        }
    }

    #[test]
    fn each_problem_is_under_its_own_field() {
        let form = form(&[
            ("name", "Ana Pop"),
            ("postcode", "XX"),
            ("nhs_number", "9434765918"),
            ("adviser_postcode", "B1 1AA"),
            ("adviser_email", "not an address"),
            ("date_of_birth", "02/12/2026"),
        ]);
        assert!(problem(&form, "postcode").unwrap().contains("UK postcode"));
        assert!(
            problem(&form, "nhs_number")
                .unwrap()
                .contains("check digit")
        );
        assert!(problem(&form, "adviser_email").unwrap().contains("email"));
        assert!(
            problem(&form, "adviser_name")
                .unwrap()
                .contains("Adviser name is empty")
        );
        assert!(
            problem(&form, "date_of_birth")
                .unwrap()
                .contains("after today")
        );
        assert_eq!(problem(&form, "name"), None);
        assert_eq!(problem(&form, "adviser_postcode"), None);
    }

    /// The library says which field a problem belongs to; the form never reads it from
    /// the words, so a message that starts with another field's name goes to its own.
    #[test]
    fn a_problem_goes_to_the_field_the_library_names() {
        let form = form(&[
            ("name", "Ana Pop"),
            ("address", "1 High Street, Flat\u{200B}2"),
            ("other_names", &"postcode ".repeat(30)),
            ("adviser_email", "not an address"),
            ("adviser_name", "Maya\u{200F}"),
        ]);
        let address = problem(&form, "address").unwrap();
        assert!(
            address.contains("(2) holds an invisible character"),
            "{address}"
        );
        let other = problem(&form, "other_names").unwrap();
        assert!(other.contains("characters long"), "{other}");
        assert!(problem(&form, "postcode").is_none());
        let adviser = problem(&form, "adviser_name").unwrap();
        assert!(adviser.contains("invisible"), "{adviser}");
        assert_eq!(problem(&form, "name"), None);
    }

    #[test]
    fn the_details_are_a_client_file_with_an_adviser_table() {
        let form = form(&[
            ("name", "Ana \"Ani\" Pop"),
            ("other_names", "Ana Popescu, A. Pop"),
            ("address", "1 High Street, Luton"),
            ("postcode", "lu1 2ab"),
            ("reply_to", "adviser"),
            ("adviser_name", "Sam Reid"),
            ("adviser_address", "PO Box 1, Luton"),
        ]);
        let (text, _) = form.details_toml();
        let details = ClientDetails::from_toml_str(&text, "t").unwrap();
        assert_eq!(details.name, "Ana \"Ani\" Pop");
        assert_eq!(details.other_names, ["Ana Popescu", "A. Pop"]);
        assert_eq!(details.postcode.as_deref(), Some("LU1 2AB"));
        assert_eq!(details.reply_to, ReplyTo::Adviser);
        assert_eq!(details.adviser.unwrap().address, ["PO Box 1", "Luton"]);
    }

    #[test]
    fn editing_shows_what_is_stored_and_leaving_untouched_asks_nothing() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/clients/olena.toml"
        ))
        .unwrap();
        let client = Client {
            id: ClientId(7),
            display_name: "Олена Шевченко".into(),
            details_toml: text.clone(),
            created: chrono::Utc::now(),
            updated: chrono::Utc::now(),
        };
        let form = ClientForm::edit(&client);
        assert_eq!(form.values[index("date_of_birth").unwrap()], "05/06/1991");
        assert_eq!(form.values[index("reply_to").unwrap()], "adviser");
        assert!(!form.typed_anything());
        let (rebuilt, _) = form.details_toml();
        assert_eq!(
            ClientDetails::from_toml_str(&rebuilt, "a").unwrap(),
            ClientDetails::from_toml_str(&text, "b").unwrap()
        );
    }
}
