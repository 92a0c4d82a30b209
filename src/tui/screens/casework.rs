//! Casework in the app: unlocking the encrypted store, the due dashboard, the clients list
//! with search, and a client's page with their requests, replies, letters and advice records.

use std::path::PathBuf;

use chrono::{Days, NaiveDate};
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Panel, Transition, frame_areas, hint_line};
use crate::casework::store::{Client, ClientRecord, DueRequest, RequestStatus, Store};
use crate::tui::action::Action;
use crate::tui::keys::Context;
use crate::tui::theme::Theme;

/// How soon "due soon" is.
const DUE_SOON_DAYS: u64 = 7;

fn uk(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// The label a due date gets today: words, so colour is never the only signal.
pub fn due_label(due: NaiveDate, today: NaiveDate) -> &'static str {
    if due < today {
        "OVERDUE"
    } else if today
        .checked_add_days(Days::new(DUE_SOON_DAYS))
        .is_some_and(|soon| due <= soon)
    {
        "DUE SOON"
    } else {
        "due"
    }
}

/// Asks for the store's passphrase, twice when the store is new.
#[derive(Debug)]
pub struct UnlockScreen {
    pub path: PathBuf,
    creating: bool,
    typed: String,
    /// The first passphrase, while the second is typed.
    first: Option<String>,
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
            typed: String::new(),
            first: None,
            error: None,
        }
    }

    pub fn handle(&mut self, action: Action) -> Unlock {
        match action {
            Action::Type(c) => self.typed.push(c),
            Action::DeleteChar => {
                self.typed.pop();
            }
            Action::CloseOverlay => return Unlock::Back,
            Action::Confirm => {
                let typed = std::mem::take(&mut self.typed);
                if typed.is_empty() {
                    self.error = Some("Type the passphrase first.".into());
                } else if self.creating && self.first.is_none() {
                    self.first = Some(typed);
                    self.error = None;
                } else if self.creating && self.first.as_deref() != Some(typed.as_str()) {
                    self.first = None;
                    self.error = Some(
                        "The two passphrases differ. Nothing was created: start again.".into(),
                    );
                } else {
                    if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty())
                        && let Err(e) = private_dir(dir)
                    {
                        self.error = Some(format!("Could not create {}: {e}", dir.display()));
                        return Unlock::Stay;
                    }
                    match Store::open(&self.path, &typed) {
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
            Span::raw(format!("{}_", "*".repeat(self.typed.chars().count()))),
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

fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Due,
    Clients,
}

/// The dashboard and the clients list, and a client's page when one is open.
#[derive(Debug)]
pub struct CaseworkScreen {
    pub tab: Tab,
    search: String,
    selected: usize,
    due: Vec<DueRequest>,
    clients: Vec<Client>,
    page: Option<ClientRecord>,
    scroll: usize,
}

impl CaseworkScreen {
    pub fn new(store: &Store, today: NaiveDate) -> Result<CaseworkScreen, String> {
        let mut screen = CaseworkScreen {
            tab: Tab::Due,
            search: String::new(),
            selected: 0,
            due: Vec::new(),
            clients: Vec::new(),
            page: None,
            scroll: 0,
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
        self.clients = if self.search.is_empty() {
            store.clients()
        } else {
            store.search_clients(&self.search)
        }
        .map_err(|e| e.to_string())?;
        Ok(())
    }

    /// The client highlighted on the clients tab.
    pub fn selected_client(&self) -> Option<&Client> {
        match (self.tab, &self.page) {
            (Tab::Clients, None) => self.clients.get(self.selected),
            _ => None,
        }
    }

    fn count(&self) -> usize {
        match (&self.page, self.tab) {
            (Some(_), _) => 0,
            (None, Tab::Due) => self.due.len(),
            (None, Tab::Clients) => self.clients.len(),
        }
    }

    pub fn handle(&mut self, action: Action, store: &Store, today: NaiveDate) -> Transition {
        let count = self.count();
        match action {
            Action::Up | Action::ScrollUp if self.page.is_some() => {
                self.scroll = self.scroll.saturating_sub(1)
            }
            Action::Down | Action::ScrollDown if self.page.is_some() => self.scroll += 1,
            Action::Up | Action::ScrollUp => self.selected = self.selected.saturating_sub(1),
            Action::Down | Action::ScrollDown => {
                self.selected = (self.selected + 1).min(count.saturating_sub(1))
            }
            Action::NextTab if self.page.is_none() => {
                self.tab = if self.tab == Tab::Due {
                    Tab::Clients
                } else {
                    Tab::Due
                };
                self.selected = 0;
            }
            Action::Type(c) if self.page.is_none() && self.tab == Tab::Clients => {
                self.search.push(c);
                self.selected = 0;
                if let Err(e) = self.refresh(store, today) {
                    return Transition::Status(e);
                }
            }
            Action::DeleteChar if self.page.is_none() && self.tab == Tab::Clients => {
                self.search.pop();
                self.selected = 0;
                if let Err(e) = self.refresh(store, today) {
                    return Transition::Status(e);
                }
            }
            Action::Select if self.page.is_none() => {
                let id = match self.tab {
                    Tab::Due => self
                        .due
                        .get(self.selected)
                        .map(|d| d.request.details.client),
                    Tab::Clients => self.clients.get(self.selected).map(|c| c.id),
                };
                if let Some(id) = id {
                    match store.client_record(id) {
                        Ok(record) => {
                            self.page = Some(record);
                            self.scroll = 0;
                        }
                        Err(e) => return Transition::Status(e.to_string()),
                    }
                }
            }
            Action::Leave if self.page.is_some() => self.page = None,
            Action::Leave => return Transition::Home,
            _ => {}
        }
        Transition::Stay
    }

    fn list_panel(&self, today: NaiveDate, theme: Theme) -> Panel {
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
                    let Some(due) = d.request.due else { continue };
                    let label = due_label(due, today);
                    let label_style = if label == "due" {
                        theme.muted()
                    } else {
                        theme.warning()
                    };
                    panel.item(vec![Line::from(vec![
                        Span::raw(mark(i)),
                        Span::styled(format!("{label:<9}"), label_style),
                        Span::styled(
                            format!(
                                "{}  {}  {} ({})  {}",
                                uk(due),
                                d.client_name,
                                d.request.details.organisation,
                                d.request.details.template,
                                d.request.details.status
                            ),
                            style(i),
                        ),
                    ])]);
                }
            }
            Tab::Clients => {
                panel.push(Line::from(vec![
                    Span::styled("Search: ", theme.heading()),
                    Span::raw(format!("{}_", self.search)),
                ]));
                if self.clients.is_empty() {
                    panel.push(Line::from("No client matches."));
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

    fn page_lines(record: &ClientRecord, today: NaiveDate, theme: Theme) -> Vec<Line<'static>> {
        let mut lines = vec![
            Line::from(Span::styled(
                record.client.display_name.clone(),
                theme.heading(),
            )),
            Line::default(),
        ];
        lines.push(Line::from(Span::styled(
            format!("Requests ({})", record.requests.len()),
            theme.heading(),
        )));
        for r in &record.requests {
            let due = r.due.map_or("no due date yet".to_string(), |d| {
                let label = if RequestStatus::AWAITING_REPLY.contains(&r.details.status) {
                    due_label(d, today)
                } else {
                    "due"
                };
                format!("{label} {}", uk(d))
            });
            lines.push(Line::from(format!(
                "  #{} {} to {}: {}, {}",
                r.id.0, r.details.template, r.details.organisation, r.details.status, due
            )));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!("Replies ({})", record.replies.len()),
            theme.heading(),
        )));
        for reply in &record.replies {
            let d = &reply.details;
            let missing: Vec<&str> = d
                .checklist
                .missing()
                .into_iter()
                .map(|i| i.label())
                .collect();
            let mut text = format!("  {} (request #{}): ", uk(d.received), d.request.0);
            if missing.is_empty() {
                text.push_str("everything Article 15 requires came");
            } else {
                text.push_str(&format!("missing {}", missing.join(", ")));
            }
            if d.exemption_cited {
                text.push_str("; cited the immigration exemption");
            }
            lines.push(Line::from(text));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!("Letters ({})", record.letters.len()),
            theme.heading(),
        )));
        for l in &record.letters {
            lines.push(Line::from(format!(
                "  {} ({})",
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
        lines
    }

    pub fn draw(&self, frame: &mut Frame, today: NaiveDate, theme: Theme, status: Option<&str>) {
        let [header, body, hints] = frame_areas(frame.area());
        let title = match (&self.page, self.tab) {
            (Some(_), _) => "Casework: a client's page (Esc: back to the list)".to_string(),
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
            Some(record) => {
                let lines = Self::page_lines(record, today, theme);
                let max = lines.len().saturating_sub(body.height as usize);
                frame.render_widget(
                    Paragraph::new(lines).scroll((self.scroll.min(max) as u16, 0)),
                    body,
                );
            }
            None => {
                let panel = self.list_panel(today, theme);
                let top = panel.scroll_for(body.height as usize, Some(self.selected), 0);
                frame.render_widget(Paragraph::new(panel.lines).scroll((top as u16, 0)), body);
            }
        }
        frame.render_widget(
            Paragraph::new(hint_line(Context::Casework, theme, status)),
            hints,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn due_dates_are_labelled_in_words() {
        let today = date(2026, 11, 23);
        assert_eq!(due_label(date(2026, 11, 22), today), "OVERDUE");
        assert_eq!(due_label(date(2026, 11, 23), today), "DUE SOON");
        assert_eq!(due_label(date(2026, 11, 30), today), "DUE SOON");
        assert_eq!(due_label(date(2026, 12, 1), today), "due");
    }
}
