//! Casework in the app: unlocking the encrypted store, the due dashboard, the clients list
//! with search, adding or changing a client, and a client's page with their requests,
//! replies, letters and advice records.

use std::path::PathBuf;

use chrono::{Days, NaiveDate};
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::client_form::{ClientForm, FormOutcome};
use super::client_page::{ClientPage, PageOutcome, request_name};
use super::{Panel, Transition, frame_areas, hint_line, status};
use crate::session::{Passphrase, create_private_dir, weak_passphrase};
use crate::tui::action::Action;
use crate::tui::keys::Context;
use crate::tui::letters_folder::LettersFolder;
use crate::tui::screens::settings::adviser_values;
use crate::tui::settings::AdviserProfile;
use crate::tui::theme::Theme;
use crate::wording::plural;
use sanctuary::casework::search::{LONGEST_SEARCH, NameIndex};
use sanctuary::casework::standing;
use sanctuary::casework::steps::AddedClient;
use sanctuary::casework::store::{
    Client, ClientId, DueRequest, RequestStatus, Store, client_index,
};
use sanctuary::guide::Library;
use sanctuary::letter::Catalogue;

/// Asks for the store's passphrase, twice when the store is new.
#[derive(Debug)]
pub struct UnlockScreen {
    pub path: PathBuf,
    creating: bool,
    /// Wiped when dropped and hidden from `Debug`, as every passphrase is.
    typed: Passphrase,
    /// The first passphrase, while the second is typed.
    first: Option<Passphrase>,
    pub error: Option<String>,
}

/// What unlocking gave.
pub enum Unlock {
    Stay,
    Back,
    Opened(Store),
}

impl UnlockScreen {
    pub fn new(path: PathBuf) -> UnlockScreen {
        let creating = !path.exists();
        UnlockScreen {
            path,
            creating,
            typed: Passphrase::with_room(),
            first: None,
            error: None,
        }
    }

    pub fn handle(&mut self, action: Action) -> Unlock {
        match action {
            Action::Type(c) => self.typed.push(c),
            Action::DeleteChar => self.typed.pop(),
            Action::CloseOverlay => return Unlock::Back,
            Action::Confirm => {
                let typed = std::mem::replace(&mut self.typed, Passphrase::with_room());
                if typed.as_str().is_empty() {
                    self.error = Some("Type the passphrase first.".into());
                } else if self.creating
                    && self.first.is_none()
                    && let Some(why) = weak_passphrase(typed.as_str())
                {
                    self.error = Some(format!("{why} Nothing was created."));
                } else if self.creating && self.first.is_none() {
                    self.first = Some(typed);
                    self.error = None;
                } else if self.creating
                    && self.first.as_ref().map(Passphrase::as_str) != Some(typed.as_str())
                {
                    self.first = None;
                    self.error = Some(
                        "The two passphrases differ. Nothing was created: start again.".into(),
                    );
                } else {
                    if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty())
                        && let Err(e) = create_private_dir(dir)
                    {
                        self.error = Some(format!("Could not create {}: {e}", dir.display()));
                        return Unlock::Stay;
                    }
                    match Store::open(&self.path, typed.as_str()) {
                        Ok(store) => return Unlock::Opened(store),
                        Err(e) => {
                            self.first = None;
                            self.error = Some(e.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
        Unlock::Stay
    }

    pub fn draw(&self, frame: &mut Frame, theme: Theme, status: Option<&str>) {
        let [header, body, hints] = frame_areas(frame.area());
        frame.render_widget(
            Paragraph::new(Span::styled(
                "Casework: the encrypted case store",
                theme.title(),
            )),
            header,
        );
        let mut lines = vec![
            Line::from(format!("Store: {}", self.path.display())),
            Line::default(),
        ];
        let prompt = match (self.creating, &self.first) {
            (true, None) => {
                lines.push(Line::from("This is a new store. Choose a passphrase: without it the store cannot be opened."));
                "New passphrase: "
            }
            (true, Some(_)) => "Type it again: ",
            (false, _) => "Passphrase: ",
        };
        lines.push(Line::from(vec![
            Span::styled(prompt, theme.heading()),
            Span::raw(format!(
                "{}_",
                "*".repeat(self.typed.as_str().chars().count())
            )),
        ]));
        if let Some(error) = &self.error {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(error.clone(), theme.warning())));
        }
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
            body,
        );
        frame.render_widget(
            Paragraph::new(hint_line(Context::Prompt, theme, status)),
            hints,
        );
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Due,
    Clients,
}

/// What casework uses besides the store: the letters (and their names), the letters
/// folder, and the day.
pub struct Desk<'a> {
    pub catalogue: &'a Catalogue,
    pub letters: &'a mut LettersFolder,
    pub today: NaiveDate,
    /// The adviser's own details, from the settings.
    pub profile: &'a AdviserProfile,
}

/// A client's page, with the adviser's own details for the letters written there.
fn open_page(store: &Store, client: ClientId, desk: &Desk) -> Result<ClientPage, String> {
    let mut page = ClientPage::open(store, client, desk.catalogue, desk.today)?;
    page.adviser = desk.profile.details();
    Ok(page)
}

/// The dashboard and the clients list, and a client's page or the client form when one
/// is open.
#[derive(Debug)]
pub struct CaseworkScreen {
    pub tab: Tab,
    search: String,
    selected: usize,
    due: Vec<DueRequest>,
    /// Every client, with their names folded once for the search.
    all_clients: Vec<Client>,
    index: NameIndex,
    /// The clients the search finds.
    clients: Vec<Client>,
    page: Option<ClientPage>,
    form: Option<ClientForm>,
    /// Picking the client to save a guide's advice record to: a client added meanwhile
    /// is highlighted in the list rather than opened.
    pub picking: bool,
    /// The team line (`None`: not a team store), and whether the last sync found the
    /// server away.
    team: Option<sanctuary::casework::store::team::SyncState>,
    team_away: bool,
}

impl CaseworkScreen {
    pub fn new(store: &Store, today: NaiveDate) -> Result<CaseworkScreen, String> {
        let mut screen = CaseworkScreen {
            tab: Tab::Due,
            search: String::new(),
            selected: 0,
            due: Vec::new(),
            all_clients: Vec::new(),
            index: NameIndex::default(),
            clients: Vec::new(),
            page: None,
            form: None,
            picking: false,
            team: None,
            team_away: false,
        };
        screen.refresh(store, today)?;
        Ok(screen)
    }

    /// Reads the dashboard and the clients again from the store.
    pub fn refresh(&mut self, store: &Store, today: NaiveDate) -> Result<(), String> {
        // Everything still awaiting a reply, however far off its date.
        let far = today.checked_add_days(Days::new(3660)).unwrap_or(today);
        self.due = store
            .requests_due_by(far, &RequestStatus::AWAITING_REPLY)
            .map_err(|e| e.to_string())?;
        self.all_clients = store.clients().map_err(|e| e.to_string())?;
        self.index = client_index(&self.all_clients);
        self.team = match store.team_membership() {
            Ok(Some(_)) => store.sync_state().ok(),
            _ => None,
        };
        self.search_again();
        Ok(())
    }

    /// The clients the search finds, from the index: a key typed costs no store read.
    fn search_again(&mut self) {
        self.clients = (self.index.matching(&self.search).into_iter())
            .map(|i| self.all_clients[i].clone())
            .collect();
    }

    /// The client highlighted on the clients list, when the list is what is shown.
    pub fn selected_client(&self) -> Option<&Client> {
        match (self.tab, &self.page, &self.form) {
            (Tab::Clients, None, None) => self.clients.get(self.selected),
            _ => None,
        }
    }

    /// How many rows the list on show has (a client's page counts its own).
    fn count(&self) -> usize {
        match self.tab {
            Tab::Due => self.due.len(),
            Tab::Clients => self.clients.len(),
        }
    }

    /// Which part of the key table applies.
    pub fn context(&self) -> Context {
        if let Some(form) = &self.form {
            return form.context();
        }
        let list = match self.tab {
            Tab::Due => Context::Casework,
            // The clients list has a search field: letters typed there search.
            Tab::Clients => Context::Clients,
        };
        self.page.as_ref().map_or(list, ClientPage::context)
    }

    pub fn handle(&mut self, action: Action, store: &mut Store, desk: &mut Desk) -> Transition {
        let today = desk.today;
        if let Some(form) = &mut self.form {
            return match form.handle(action, store, today) {
                FormOutcome::Stay => Transition::Stay,
                FormOutcome::Status(message) => Transition::Status(message),
                FormOutcome::Cancelled => {
                    self.form = None;
                    Transition::Stay
                }
                FormOutcome::Saved(added) => {
                    self.form = None;
                    self.saved(added, store, desk)
                }
            };
        }
        if let Some(page) = &mut self.page {
            return match page.handle(action, store, desk.catalogue, desk.letters, today) {
                PageOutcome::Stay => Transition::Stay,
                PageOutcome::Status(message) => Transition::Status(message),
                PageOutcome::Read(title, text) => Transition::Read(title, text),
                PageOutcome::EditClient => {
                    self.form = Some(ClientForm::edit(&page.record.client));
                    Transition::Stay
                }
                PageOutcome::Close => {
                    self.page = None;
                    match self.refresh(store, today) {
                        Ok(()) => Transition::Stay,
                        Err(e) => Transition::Status(e),
                    }
                }
            };
        }
        self.handle_list(action, store, desk)
    }

    /// A key on the list of requests due or of clients: move, switch tab, search, open.
    fn handle_list(&mut self, action: Action, store: &mut Store, desk: &mut Desk) -> Transition {
        let count = self.count();
        match action {
            Action::Up | Action::ScrollUp => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1))
            }
            Action::NextTab => {
                self.tab = if self.tab == Tab::Due {
                    Tab::Clients
                } else {
                    Tab::Due
                };
                self.selected = 0;
            }
            Action::NewClient => {
                self.form = Some(ClientForm::new_client(&adviser_values(desk.profile)))
            }
            // No name is longer: more typed (or pasted) would find nothing.
            Action::Type(c)
                if self.tab == Tab::Clients && self.search.chars().count() < LONGEST_SEARCH =>
            {
                self.search.push(c);
                self.selected = 0;
                self.search_again();
            }
            Action::DeleteChar | Action::ClearLine if self.tab == Tab::Clients => {
                if action == Action::ClearLine {
                    self.search.clear();
                }
                self.search.pop();
                self.selected = 0;
                self.search_again();
            }
            Action::Select => {
                let (client, request) = match self.tab {
                    Tab::Due => self.due.get(self.selected).map_or((None, None), |d| {
                        (Some(d.request.details.client), Some(d.request.id))
                    }),
                    Tab::Clients => (self.clients.get(self.selected).map(|c| c.id), None),
                };
                if let Some(id) = client {
                    match open_page(store, id, desk) {
                        Ok(mut page) => {
                            if let Some(request) = request {
                                page.select_request(request);
                            }
                            self.page = Some(page);
                        }
                        Err(e) => return Transition::Status(e),
                    }
                }
            }
            Action::TeamSync => return self.sync_team(store, desk.today),
            Action::TeamConflicts => return team_conflicts(store),
            Action::Leave => return Transition::Home,
            _ => {}
        }
        Transition::Stay
    }

    /// F5: sync with the team's server. The server being away is said in the team line;
    /// the store keeps working either way.
    fn sync_team(&mut self, store: &mut Store, today: NaiveDate) -> Transition {
        let Ok(Some(membership)) = store.team_membership() else {
            return Transition::Status(
                "This store is not in a team (see `sanctuary team` in the README).".into(),
            );
        };
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let result = sanctuary_team::sync::connect(&membership)
            .and_then(|mut server| sanctuary_team::sync(store, &mut server, &now));
        self.team_away = matches!(result, Err(sanctuary_team::TeamError::ServerAway(_)));
        let message = match result {
            Ok(report) => format!(
                "Synced: {} sent, {} received{}.",
                plural(report.pushed, "change", "changes"),
                plural(report.pulled, "change", "changes"),
                if report.conflicts > 0 {
                    "; some fields changed on both sides: F6 shows them"
                } else {
                    ""
                }
            ),
            Err(error) => error.to_string(),
        };
        if let Err(e) = self.refresh(store, today) {
            return Transition::Status(e);
        }
        Transition::Status(message)
    }

    /// One line of team state for the top of the lists, or `None` outside a team. The
    /// server being away comes first, so a narrow screen never cuts it off.
    fn team_line(&self) -> Option<String> {
        let state = self.team.as_ref()?;
        let waiting = plural(state.pending as usize, "change", "changes");
        if self.team_away {
            return Some(format!(
                "Team: SERVER AWAY, working here; {waiting} waiting. F5: try again"
            ));
        }
        let last = state
            .last_sync
            .as_deref()
            .map_or("never".to_string(), |at| {
                // RFC 3339: the date and the minute are enough here.
                format!("{} UTC", at.get(..16).unwrap_or(at).replace('T', " "))
            });
        let mut line = format!(
            "Team: {}, last sync {last}, {waiting} waiting",
            plural(state.member_count as usize, "member", "members")
        );
        if state.conflicts > 0 {
            let conflicts = plural(state.conflicts as usize, "conflict", "conflicts");
            line.push_str(&format!(", {conflicts} (F6)"));
        }
        line.push_str(". F5: sync");
        Some(line)
    }

    /// After the client form saved: the changed client's page again, or the new client's
    /// page (or, when picking a client for an advice record, the new client highlighted),
    /// with a warning when a client with the same name and date of birth was there already.
    fn saved(&mut self, added: AddedClient, store: &Store, desk: &Desk) -> Transition {
        let today = desk.today;
        let client = &added.client;
        let mut message = format!("Saved {}'s details.", client.display_name);
        if !added.same_person_maybe.is_empty() {
            let others: Vec<String> = added
                .same_person_maybe
                .iter()
                .map(|c| format!("#{} (added {})", c.id, c.created.format("%-d %b %Y")))
                .collect();
            message.push_str(&format!(
                " Check: the store already has a client with the same name and date of birth: {}. If they are the same person, keep one record.",
                others.join(", ")
            ));
        }
        if let Err(e) = self.refresh(store, today) {
            return Transition::Status(e);
        }
        if let Some(page) = &mut self.page {
            if let Err(e) = page.reload(store, today) {
                return Transition::Status(e);
            }
        } else if self.picking {
            self.highlight(client.id, store, today);
            message.push_str(" Enter saves the advice record to them.");
        } else {
            match open_page(store, client.id, desk) {
                Ok(page) => self.page = Some(page),
                Err(e) => return Transition::Status(e),
            }
            message.push_str(" Press n to write a request letter for them.");
        }
        Transition::Status(message)
    }

    /// A new day has begun: the dashboard and any client's page are worked out again.
    pub fn new_day(&mut self, store: &Store, today: NaiveDate) -> Result<(), String> {
        self.refresh(store, today)?;
        if let Some(page) = &mut self.page {
            page.reload(store, today)?;
        }
        Ok(())
    }

    /// Shows the clients list with this client highlighted.
    fn highlight(&mut self, id: ClientId, store: &Store, today: NaiveDate) {
        self.tab = Tab::Clients;
        if !self.clients.iter().any(|c| c.id == id) {
            self.search.clear();
            let _ = self.refresh(store, today);
        }
        self.selected = self.clients.iter().position(|c| c.id == id).unwrap_or(0);
    }

    fn list_panel(&self, catalogue: &Catalogue, today: NaiveDate, theme: Theme) -> Panel {
        let mut panel = Panel::default();
        let mark = |i: usize| if i == self.selected { "> " } else { "  " };
        let style = |i: usize| {
            if i == self.selected {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            }
        };
        match self.tab {
            Tab::Due => {
                if self.due.is_empty() {
                    panel.push(Line::from("No request is waiting for a reply."));
                }
                for (i, d) in self.due.iter().enumerate() {
                    // Every request awaiting a reply, paused and undated ones too.
                    let standing = standing::of_listed(d, today);
                    let urgency = standing.urgency;
                    let label = urgency.map_or("", |u| u.label());
                    let label_style = if urgency.is_some_and(|u| u.is_pressing()) {
                        theme.warning()
                    } else {
                        theme.muted()
                    };
                    let details = &d.request.details;
                    // Two lines, so a row fits 80 columns with its status at the end.
                    panel.item(vec![
                        Line::from(vec![
                            Span::raw(mark(i)),
                            Span::styled(format!("{label:<9}"), label_style),
                            Span::styled(
                                format!("{}  {}", standing.date_words(), d.client_name),
                                style(i),
                            ),
                        ]),
                        Line::from(Span::styled(
                            format!(
                                "{:11}{} ({})",
                                "",
                                request_name(catalogue, &details.organisation, &details.template),
                                details.status.to_string().replace('-', " ")
                            ),
                            style(i),
                        )),
                    ]);
                }
            }
            Tab::Clients => {
                panel.push(Line::from(vec![
                    Span::styled("Search: ", theme.heading()),
                    Span::raw(format!("{}_", self.search)),
                ]));
                if self.clients.is_empty() {
                    panel.push(Line::from(if self.search.is_empty() {
                        "No clients yet: press Ctrl-n to add one."
                    } else {
                        "No client matches. Ctrl-n adds a new client."
                    }));
                }
                for (i, c) in self.clients.iter().enumerate() {
                    panel.item(vec![Line::from(vec![
                        Span::raw(mark(i)),
                        Span::styled(c.display_name.clone(), style(i)),
                    ])]);
                }
            }
        }
        panel
    }

    pub fn draw(
        &self,
        frame: &mut Frame,
        catalogue: &Catalogue,
        library: &Library,
        today: NaiveDate,
        theme: Theme,
        status_text: Option<&str>,
    ) {
        if let Some(form) = &self.form {
            form.draw(frame, today, theme, status_text);
            return;
        }
        let [header, body, hints] = status::areas(frame.area(), status_text);
        let title = match (&self.page, self.tab) {
            (Some(_), _) => {
                "Casework: a client's page (?: every key; Esc: back to the list)".to_string()
            }
            (None, Tab::Due) => format!(
                "Casework: waiting for a reply ({}). Tab: clients",
                self.due.len()
            ),
            (None, Tab::Clients) => format!(
                "Casework: clients ({}). Tab: due dashboard",
                self.clients.len()
            ),
        };
        frame.render_widget(Paragraph::new(Span::styled(title, theme.title())), header);
        match &self.page {
            Some(page) => page.draw(frame, body, catalogue, library, theme),
            None => {
                let body = match self.team_line() {
                    Some(team) => {
                        // Two rows when it is wider than the screen, so nothing is cut off.
                        let rows = if team.chars().count() > usize::from(body.width) {
                            2
                        } else {
                            1
                        };
                        let [line, rest] = ratatui::layout::Layout::vertical([
                            ratatui::layout::Constraint::Length(rows),
                            ratatui::layout::Constraint::Min(0),
                        ])
                        .areas(body);
                        let style = if self.team_away {
                            theme.warning()
                        } else {
                            theme.muted()
                        };
                        frame.render_widget(
                            Paragraph::new(Span::styled(team, style))
                                .wrap(ratatui::widgets::Wrap { trim: true }),
                            line,
                        );
                        rest
                    }
                    None => body,
                };
                let panel = self.list_panel(catalogue, today, theme);
                let top = panel.scroll_for(body.height as usize, Some(self.selected), 0);
                frame.render_widget(Paragraph::new(panel.lines).scroll((top as u16, 0)), body);
            }
        }
        status::draw_bottom(frame, hints, self.context(), theme, status_text);
    }
}

/// F6: the fields changed both here and in another copy since the last sync, with both
/// values, to read (choosing is `sanctuary team resolve`).
fn team_conflicts(store: &Store) -> Transition {
    let conflicts = match store.conflicts() {
        Ok(conflicts) => conflicts,
        Err(e) => return Transition::Status(e.to_string()),
    };
    if conflicts.is_empty() {
        return Transition::Status("No team conflicts: nothing changed on both sides.".into());
    }
    let mut text = String::from(
        "These fields were changed here and in another copy before they synced. The store keeps this copy's value (ours) until someone chooses; nothing is lost. To take the other value: sanctuary team resolve NUMBER --keep theirs\n",
    );
    for conflict in conflicts {
        let show = |value: &serde_json::Value| match value {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        text.push_str(&format!(
            "\nNumber {}: {} {}, {}\n  ours:   {}\n  theirs: {}\n",
            conflict.id,
            conflict.kind.id(),
            conflict.local_id,
            conflict.field,
            show(&conflict.ours),
            show(&conflict.theirs)
        ));
    }
    Transition::Read("Team conflicts".into(), text)
}

#[cfg(test)]
mod team_tests {
    use super::*;
    use sanctuary::casework::store::team::{TeamMembership, TeamRole};
    use zeroize::Zeroizing;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).expect("date")
    }

    fn store(dir: &tempfile::TempDir) -> Store {
        Store::open(&dir.path().join("cases.db"), "correct horse battery staple").expect("store")
    }

    #[test]
    fn a_personal_store_shows_no_team_line_and_f5_says_it_is_not_in_a_team() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = store(&dir);
        let mut screen = CaseworkScreen::new(&store, today()).expect("screen");
        assert_eq!(screen.team_line(), None);
        let Transition::Status(message) = screen.sync_team(&mut store, today()) else {
            panic!("a status message");
        };
        assert!(message.contains("not in a team"), "{message}");
    }

    #[test]
    fn a_team_store_shows_its_state_and_says_when_the_server_is_away() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = store(&dir);
        store
            .set_team_membership(&TeamMembership {
                org_id: "00".repeat(16),
                member_id: "11".repeat(8),
                role: TeamRole::Adviser,
                // Nothing listens on port 1: the server is away.
                server_url: "postgres://127.0.0.1:1/team?sslmode=disable".into(),
                db_user: "sanctuary_1111111111111111".into(),
                db_password: Zeroizing::new("x".into()),
                supervisor_key: vec![0; 32],
                x25519_secret: Zeroizing::new(vec![1; 32]),
                ed25519_secret: Zeroizing::new(vec![2; 32]),
            })
            .expect("membership");
        store
            .add_client(&sanctuary::casework::store::NewClient {
                display_name: "Amal".into(),
                details_toml: "name = \"Amal\"\n".into(),
            })
            .expect("client");
        let mut screen = CaseworkScreen::new(&store, today()).expect("screen");
        let line = screen.team_line().expect("a team line");
        assert!(line.contains("last sync never"), "{line}");
        assert!(line.contains("1 change waiting"), "{line}");
        assert!(!line.contains("AWAY"), "{line}");
        let Transition::Status(message) = screen.sync_team(&mut store, today()) else {
            panic!("a status message");
        };
        assert!(
            message.contains("could not reach the team server"),
            "{message}"
        );
        let line = screen.team_line().expect("a team line");
        assert!(line.starts_with("Team: SERVER AWAY"), "{line}");
        assert!(
            line.contains("1 change waiting"),
            "the change is still here: {line}"
        );
        let Transition::Status(message) = team_conflicts(&store) else {
            panic!("no conflicts: a status line");
        };
        assert!(message.contains("No team conflicts"), "{message}");
    }

    #[test]
    fn f6_shows_both_values_of_a_field_changed_on_both_sides() {
        use sanctuary::casework::store::team::{RemoteRow, RowKind};
        let dir = tempfile::tempdir().expect("dir");
        let mut store = store(&dir);
        let amal = store
            .add_client(&sanctuary::casework::store::NewClient {
                display_name: "Amal".into(),
                details_toml: "name = \"Amal\"\n".into(),
            })
            .expect("client");
        let change = store.local_changes().expect("changes").remove(0);
        let fields = change.fields.clone().expect("fields");
        store
            .mark_pushed(&[(change.team_id.clone(), 1, Some(fields.clone()))])
            .expect("pushed");
        store
            .update_client(
                amal.id,
                &sanctuary::casework::store::NewClient {
                    display_name: "Amal Haddad".into(),
                    details_toml: "name = \"Amal\"\n".into(),
                },
            )
            .expect("ours");
        let mut theirs = fields;
        theirs.insert("display_name".into(), "Amal Hadad".into());
        store
            .apply_remote(
                &[RemoteRow {
                    team_id: change.team_id,
                    version: 2,
                    content: Some((RowKind::Client, theirs)),
                }],
                "now",
            )
            .expect("merge");
        let Transition::Read(title, text) = team_conflicts(&store) else {
            panic!("a text to read");
        };
        assert_eq!(title, "Team conflicts");
        assert!(text.contains("ours:   Amal Haddad"), "{text}");
        assert!(text.contains("theirs: Amal Hadad"), "{text}");
        assert!(text.contains("--keep theirs"), "{text}");
    }
}
