//! The app's state and its one `update` function. Every key press, click and scroll is an
//! `Action`; `update` applies it and is tested without a terminal. Drawing is in `view`.

use std::sync::Arc;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Action;
use super::keys::Context;
use super::screens::Transition;
use super::screens::home::{HomeOutcome, HomeScreen};
use super::screens::overlay::{Overlay, OverlayKind, OverlayResult};
use super::screens::runner::RunnerScreen;
use super::screens::summary::SummaryScreen;
use super::theme::Theme;
use crate::guide::Library;

#[derive(Debug)]
pub enum Screen {
    Home(HomeScreen),
    Runner(RunnerScreen),
    Summary(Box<SummaryScreen>),
}

/// How the app ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Quit,
    /// Leave at once, clearing the screen and scrollback: for a client at risk.
    QuickExit,
}

#[derive(Debug)]
pub struct App {
    pub library: Arc<Library>,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub theme: Theme,
    pub today: NaiveDate,
    /// A one-off message in the hint bar, cleared by the next action.
    pub status: Option<String>,
    pub exit: Option<Exit>,
}

impl App {
    pub fn new(library: Arc<Library>, theme: Theme, today: NaiveDate) -> App {
        App {
            library,
            screen: Screen::Home(HomeScreen::default()),
            overlay: None,
            theme,
            today,
            status: None,
            exit: None,
        }
    }

    /// Opens a guide straight away, as `sanctuary guide run ID` does.
    pub fn open_guide(&mut self, id: &str) -> bool {
        match self.library.guide(id) {
            Some(g) => {
                self.screen = Screen::Runner(RunnerScreen::new(g.clone()));
                true
            }
            None => false,
        }
    }

    /// Which part of the key table applies now.
    pub fn context(&self) -> Context {
        if self.overlay.is_some() {
            return Context::Overlay;
        }
        match &self.screen {
            Screen::Home(_) => Context::Home,
            Screen::Runner(r) => r.context(),
            Screen::Summary(s) => s.context(),
        }
    }

    /// Applies one action. `area` is the screen size, for clicks and paging.
    pub fn update(&mut self, action: Action, area: Rect) {
        self.status = None;
        match action {
            Action::QuickExit => {
                self.exit = Some(Exit::QuickExit);
                return;
            }
            Action::QuitApp => {
                self.exit = Some(Exit::Quit);
                return;
            }
            _ => {}
        }
        if let Some(overlay) = &mut self.overlay {
            if let OverlayResult::Closed = overlay.handle(action) {
                self.overlay = None;
            }
            return;
        }
        match action {
            Action::Help => {
                self.overlay = Some(Overlay::new(OverlayKind::Help(self.context())));
                return;
            }
            Action::ReadNote => {
                if let Screen::Runner(r) = &self.screen
                    && let Some(note) = &r.session().current().adviser_note
                {
                    self.overlay = Some(Overlay::new(OverlayKind::Note(note.clone())));
                }
                return;
            }
            Action::Glossary => {
                if let Screen::Runner(r) = &self.screen {
                    let texts = r.texts_on_screen();
                    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                    let terms = self
                        .library
                        .glossary
                        .terms_in(&refs)
                        .into_iter()
                        .cloned()
                        .collect();
                    self.overlay = Some(Overlay::new(OverlayKind::Glossary(terms)));
                }
                return;
            }
            _ => {}
        }
        let transition = match &mut self.screen {
            Screen::Home(home) => match home.handle(action, &self.library, area) {
                HomeOutcome::Open(guide) => {
                    self.screen = Screen::Runner(RunnerScreen::new(guide));
                    Transition::Stay
                }
                HomeOutcome::Other(t) => t,
            },
            Screen::Runner(runner) => runner.handle(action, &self.library, area, self.today),
            Screen::Summary(summary) => summary.handle(action, area.height as usize / 2),
        };
        self.apply(transition);
    }

    fn apply(&mut self, transition: Transition) {
        match transition {
            Transition::Stay => {}
            Transition::Home => self.screen = Screen::Home(HomeScreen::default()),
            Transition::QuitApp => self.exit = Some(Exit::Quit),
            Transition::Status(message) => self.status = Some(message),
            Transition::Summary(summary) => {
                let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
                if let Screen::Runner(runner) = old {
                    self.screen = Screen::Summary(Box::new(SummaryScreen::new(runner, *summary)));
                }
            }
            Transition::BackToRunner => {
                let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
                if let Screen::Summary(summary) = old {
                    self.screen = Screen::Runner(summary.runner);
                }
            }
        }
    }

    /// Draws the whole screen from the state. Draws only; changes nothing.
    pub fn view(&self, frame: &mut Frame) {
        let status = self.status.as_deref();
        match &self.screen {
            Screen::Home(home) => home.draw(frame, &self.library, self.theme, status),
            Screen::Runner(runner) => runner.draw(frame, &self.library, self.theme, status),
            Screen::Summary(summary) => summary.draw(frame, self.theme, status),
        }
        if let Some(overlay) = &self.overlay {
            overlay.draw(frame, self.theme);
        }
    }
}
