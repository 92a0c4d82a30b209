//! The app's state and its one `update` function. Every key press, click and scroll is an
//! `Action`; `update` applies it and is tested without a terminal. Drawing is in `view`.

use std::sync::Arc;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Action;
use super::bidi::RtlDisplay;
use super::client_language::{self, ClientLanguage};
use super::keys::Context;
use super::letters_folder::{LettersFolder, default_folder};
use super::screens::Transition;
use super::screens::casework::{CaseworkScreen, Desk, Tab, Unlock, UnlockScreen};
use super::screens::home::{HomeOutcome, HomeScreen};
use super::screens::language::{LanguageChooser, Picked, RtlCheck};
use super::screens::letter::{LetterScreen, LetterTarget, StoreNeed};
use super::screens::overlay::{Overlay, OverlayKind, OverlayResult};
use super::screens::review::ReviewScreen;
use super::screens::runner::RunnerScreen;
use super::screens::settings::{SettingsOutcome, SettingsScreen, adviser_values};
use super::screens::summary::SummaryScreen;
use super::settings::AdviserProfile;
use super::theme::Theme;
use sanctuary::casework::store::{AdviceDetails, Store, StoreFile};
use sanctuary::guide::Library;
use sanctuary::letter::Catalogue;

#[derive(Debug)]
pub enum Screen {
    Home(HomeScreen),
    Runner(RunnerScreen),
    Summary(Box<SummaryScreen>),
    /// The letter form, and the run to go back to, if it was opened from a guide.
    Letter {
        form: Box<LetterScreen>,
        back: Option<RunnerScreen>,
    },
    /// The passphrase for the case store, then where to go.
    Unlock {
        form: UnlockScreen,
        then: AfterUnlock,
    },
    /// Casework; with a summary when a client is being picked to save it to.
    Casework {
        screen: Box<CaseworkScreen>,
        saving: Option<Box<SummaryScreen>>,
    },
    /// The settings, and the screen they were opened from.
    Settings {
        form: Box<SettingsScreen>,
        back: Box<Screen>,
    },
    /// Choosing the client's language, over the screen it was asked from.
    Language {
        chooser: LanguageChooser,
        back: Box<Screen>,
    },
    /// `sanctuary translations review`: a volunteer's review of a language.
    Review(Box<ReviewScreen>),
    /// The one-time right-to-left check; then the language chosen (none when asked
    /// from the settings) is applied to the screen underneath.
    RtlCheck {
        check: RtlCheck,
        then: Option<String>,
        back: Box<Screen>,
    },
}

/// Where the app goes once the store is open.
#[derive(Debug)]
pub enum AfterUnlock {
    Dashboard,
    SaveSummary(Box<SummaryScreen>),
    /// Back to the letter form, to give it what it needed the store for.
    Letter {
        screen: Box<Screen>,
        need: StoreNeed,
    },
}

/// How the app ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Quit,
    /// Leave at once, clearing the screen and scrollback: for a client at risk.
    QuickExit,
}

/// Where the app reads the day from: the machine's clock (or `SANCTUARY_TODAY`) when
/// it runs, a value a test moves when it is tested.
#[derive(Clone)]
pub struct Today(std::sync::Arc<dyn Fn() -> NaiveDate + Send + Sync>);

impl Today {
    pub fn new(read: impl Fn() -> NaiveDate + Send + Sync + 'static) -> Today {
        Today(std::sync::Arc::new(read))
    }

    /// The same day for ever.
    pub fn fixed(day: NaiveDate) -> Today {
        Today::new(move || day)
    }

    pub fn read(&self) -> NaiveDate {
        (self.0)()
    }
}

impl std::fmt::Debug for Today {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Today({})", self.read())
    }
}

#[derive(Debug)]
pub struct App {
    pub library: Arc<Library>,
    pub catalogue: Arc<Catalogue>,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub theme: Theme,
    /// The day the screens show and letters are dated; re-read from `clock`.
    pub today: NaiveDate,
    pub clock: Today,
    /// The case store file, and the store once it is unlocked.
    pub store_path: Option<std::path::PathBuf>,
    pub store: Option<Store>,
    /// Where every letter the app writes goes.
    pub letters: LettersFolder,
    /// The adviser's own details, from the settings, for every letter.
    pub profile: AdviserProfile,
    /// A one-off message in the hint bar, cleared by the next action.
    pub status: Option<String>,
    /// The first digit of a two-digit choice number, while the second is awaited.
    pub typed_number: Option<usize>,
    /// The client's language for the walks opened from now on (none: English only).
    pub client_language: Option<String>,
    /// How this machine draws right-to-left text, once the adviser has said.
    pub rtl_display: Option<RtlDisplay>,
    pub exit: Option<Exit>,
}

impl App {
    pub fn new(
        library: Arc<Library>,
        catalogue: Arc<Catalogue>,
        theme: Theme,
        clock: Today,
    ) -> App {
        App {
            library,
            catalogue,
            screen: Screen::Home(HomeScreen::default()),
            overlay: None,
            theme,
            today: clock.read(),
            clock,
            store_path: None,
            store: None,
            letters: LettersFolder::unremembered(default_folder()),
            profile: AdviserProfile::default(),
            status: None,
            typed_number: None,
            client_language: None,
            rtl_display: None,
            exit: None,
        }
    }

    /// A walk of `guide` from its start, in the client's language chosen.
    fn runner_for(&self, guide: Arc<sanctuary::guide::Guide>) -> RunnerScreen {
        let mut runner = RunnerScreen::opened_on(guide, self.today);
        runner.set_language(self.client_view(), &self.library);
        runner
    }

    fn client_view(&self) -> Option<ClientLanguage> {
        self.client_language
            .as_deref()
            .map(|code| ClientLanguage::new(code, self.rtl_display))
    }

    /// Opens a guide straight away, as `sanctuary guide run ID` does.
    pub fn open_guide(&mut self, id: &str) -> bool {
        match self.library.guide(id) {
            Some(g) => {
                self.screen = Screen::Runner(self.runner_for(g.clone()));
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
            Screen::Letter { form, .. } => form.context(),
            Screen::Unlock { .. } => Context::Prompt,
            Screen::Casework { screen, .. } => screen.context(),
            Screen::Settings { form, .. } => form.context(),
            Screen::Language { chooser, .. } => chooser.context(),
            Screen::RtlCheck { check, .. } => check.context(),
            Screen::Review(review) => review.context(),
        }
    }

    /// Applies one action. `area` is the screen size, for clicks and paging.
    /// Reads the day again. When it has changed (the app was left open past
    /// midnight), what the casework screens show is worked out for the new day, and
    /// letters and events are dated with it. Says whether it changed.
    pub fn tick(&mut self) -> bool {
        let now = self.clock.read();
        if now == self.today {
            return false;
        }
        self.today = now;
        if let (Screen::Casework { screen, .. }, Some(store)) = (&mut self.screen, &self.store)
            && let Err(e) = screen.new_day(store, now)
        {
            self.status = Some(e);
        }
        true
    }

    pub fn update(&mut self, action: Action, area: Rect) {
        self.status = None;
        self.tick();
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
            if let OverlayResult::Closed = overlay.handle(action, area) {
                self.overlay = None;
            }
            return;
        }
        let Some(action) = self.number(action, area) else {
            return;
        };
        if self.open_overlay(action) {
            return;
        }
        if self.language_action(action, area)
            || self.settings_action(action)
            || self.casework_action(action)
        {
            return;
        }
        if action == Action::Letters && matches!(self.screen, Screen::Home(_)) {
            self.screen = Screen::Letter {
                form: Box::new(LetterScreen::new(
                    Vec::new(),
                    Default::default(),
                    self.today,
                    &self.catalogue,
                    &adviser_values(&self.profile),
                )),
                back: None,
            };
            return;
        }
        let transition = match &mut self.screen {
            Screen::Home(home) => match home.handle(action, &self.library, area, self.today) {
                HomeOutcome::Open(guide) => {
                    self.screen = Screen::Runner(self.runner_for(guide));
                    Transition::Stay
                }
                HomeOutcome::Other(t) => t,
            },
            Screen::Runner(runner) => runner.handle(action, &self.library, area, self.today),
            Screen::Summary(summary) => summary.handle(action, area),
            Screen::Review(review) => review.handle(action, self.today),
            Screen::Letter { form, .. } => form.handle(action, &self.catalogue, &mut self.letters),
            Screen::Unlock { .. }
            | Screen::Casework { .. }
            | Screen::Settings { .. }
            | Screen::Language { .. }
            | Screen::RtlCheck { .. } => Transition::Stay,
        };
        self.apply(transition);
    }

    /// Opens the help, the adviser note or the glossary over the screen, if asked.
    fn open_overlay(&mut self, action: Action) -> bool {
        match action {
            Action::Help => {
                self.overlay = Some(Overlay::new(OverlayKind::Help(self.context())));
                true
            }
            Action::ReadNote => {
                if let Screen::Runner(r) = &self.screen
                    && let Some(note) = &r.session().current().adviser_note
                {
                    self.overlay = Some(Overlay::new(OverlayKind::Note(note.clone())));
                }
                true
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
                true
            }
            _ => false,
        }
    }

    /// How many numbered items the screen has, where numbers can have two digits.
    fn numbered_items(&self) -> Option<usize> {
        match &self.screen {
            Screen::Runner(r) if r.context() != Context::Confirm => Some(r.item_count()),
            Screen::Casework { screen, .. } if screen.context() == Context::Checklist => {
                Some(super::screens::client_page::REPLY_ROWS)
            }
            _ => None,
        }
    }

    /// Turns digit keys into a pick. With ten items or more, a digit that can begin a
    /// two-digit number highlights its item and waits: a second digit picks the two-digit
    /// number, Enter the highlighted one. No timer, so a slow typist is never hurried.
    /// Returns the action still to apply, if any.
    fn number(&mut self, action: Action, area: Rect) -> Option<Action> {
        let first = self.typed_number.take();
        let checklist = self.context() == Context::Checklist;
        let Action::Number(digit) = action else {
            // Backspace or Esc after a first digit only drop that digit; in a checklist
            // Enter or Space then ticks the item of the lone digit (Enter would otherwise
            // save the checklist with the item unticked).
            return match (first, action) {
                (Some(_), Action::Back | Action::Leave | Action::CloseOverlay) => None,
                (Some(n), Action::Confirm | Action::Select) if checklist => {
                    Some(Action::Pick(n - 1))
                }
                _ => Some(action),
            };
        };
        let digit = usize::from(digit);
        let Some(count) = self.numbered_items() else {
            return digit.checked_sub(1).map(Action::Pick);
        };
        let n = first.map_or(digit, |f| f * 10 + digit);
        if n == 0 || n > count {
            self.status = Some(format!(
                "There is no {n} here: the numbers go from 1 to {count}."
            ));
            return None;
        }
        if first.is_none() && n * 10 <= count {
            self.typed_number = Some(n);
            if let Screen::Runner(runner) = &mut self.screen {
                runner.highlight(n - 1, &self.library, area);
            }
            let last = (n * 10 + 9).min(count);
            let more = if last == n * 10 {
                format!("type 0 for {last}")
            } else {
                format!("type a second digit for {} to {last}", n * 10)
            };
            let verb = if checklist { "tick" } else { "choose" };
            self.status = Some(format!("{n}: press Enter to {verb} {n}, or {more}."));
            return None;
        }
        Some(Action::Pick(n - 1))
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
                    let client = runner.client_outcome(&self.library);
                    let mut screen = SummaryScreen::new(runner, *summary);
                    screen.client = client;
                    self.screen = Screen::Summary(Box::new(screen));
                }
            }
            Transition::BackToRunner => {
                let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
                match old {
                    Screen::Summary(summary) => {
                        let mut runner = summary.runner;
                        runner.saved |= summary.saved;
                        self.screen = Screen::Runner(runner);
                    }
                    Screen::Letter {
                        back: Some(runner), ..
                    } => self.screen = Screen::Runner(runner),
                    _ => {}
                }
            }
            Transition::WriteLetters(targets, facts) => self.open_letters(targets, facts),
            Transition::Read(title, text) => {
                self.overlay = Some(Overlay::new(OverlayKind::Record(title, text)));
            }
            Transition::NeedStore(need) if self.store.is_some() => self.serve_letter(need),
            Transition::NeedStore(need) => {
                let screen =
                    std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
                self.enter_casework(AfterUnlock::Letter {
                    screen: Box::new(screen),
                    need,
                });
            }
        }
    }

    /// Gives the letter form what it needed the (open) store for: the clients to
    /// choose from, or the requests recorded with their letters.
    fn serve_letter(&mut self, need: StoreNeed) {
        let (Some(store), Screen::Letter { form, .. }) = (&mut self.store, &mut self.screen) else {
            return;
        };
        match need {
            StoreNeed::Clients => match store.clients() {
                Ok(clients) if clients.is_empty() => {
                    self.status = Some("There are no clients in casework yet. Type the client's details here: Ctrl-s then offers to save them as a new client.".into());
                }
                Ok(clients) => form.offer_clients(clients),
                Err(e) => self.status = Some(e.to_string()),
            },
            StoreNeed::Record(folder) => {
                self.status = Some(
                    form.record(store, &self.catalogue, &folder, self.today)
                        .unwrap_or_else(|e| format!("Nothing written or recorded: {e}")),
                );
            }
        }
    }

    /// Puts back the screen that was waiting for the store, when it does not open.
    fn restore(&mut self, then: AfterUnlock) {
        match then {
            AfterUnlock::Dashboard => {}
            AfterUnlock::SaveSummary(summary) => self.screen = Screen::Summary(summary),
            AfterUnlock::Letter { screen, .. } => self.screen = *screen,
        }
    }

    /// The home screen's line about the client's language.
    fn language_line(&self) -> String {
        let chosen = self
            .client_language
            .as_deref()
            .and_then(|code| self.library.translations().language(code));
        match chosen {
            Some(language) => format!(
                "Client's language: {} (F5 changes it)",
                client_language::label(language, self.rtl_display)
            ),
            None => "Client's language: English only (F5 to choose)".into(),
        }
    }

    /// Choosing the client's language (F5), and the right-to-left check (the first time
    /// a right-to-left language is chosen, or Ctrl-r in the settings). Returns true when
    /// it handled the action.
    fn language_action(&mut self, action: Action, area: Rect) -> bool {
        match (&mut self.screen, action) {
            (Screen::Home(_) | Screen::Runner(_), Action::ChooseLanguage) => self.open_chooser(),
            (Screen::Settings { .. }, Action::CheckRtl) => self.check_rtl_from_settings(),
            (Screen::Summary(_) | Screen::Runner(_), Action::Handout) => self.write_handout(),
            (Screen::Language { chooser, .. }, _) => match chooser.handle(action, area) {
                Picked::Asking => {}
                Picked::Cancelled => self.leave_layer(),
                Picked::Chose(code) => self.language_chosen(code),
            },
            (Screen::RtlCheck { check, .. }, _) => match check.handle(action, area) {
                Picked::Asking => {}
                Picked::Cancelled => self.leave_layer(),
                Picked::Chose(answer) => self.rtl_answered(answer),
            },
            _ => return false,
        }
        true
    }

    /// The chooser, for the guide highlighted on the list or being walked.
    fn open_chooser(&mut self) {
        let guide = match &self.screen {
            Screen::Home(home) => home.highlighted(&self.library),
            Screen::Runner(runner) => Some(runner.session().guide().clone()),
            _ => None,
        };
        let Some(guide) = guide else {
            self.status = Some("No guide is highlighted: clear the filter first.".into());
            return;
        };
        let options =
            client_language::options(self.library.translations(), &guide, self.rtl_display);
        let current = match &self.screen {
            Screen::Runner(runner) => runner.client.as_ref().map(|c| c.code.clone()),
            _ => self.client_language.clone(),
        };
        let chooser = LanguageChooser::new(&guide.title, options, current.as_deref());
        let back = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
        self.screen = Screen::Language {
            chooser,
            back: Box::new(back),
        };
    }

    /// Back to the screen under the chooser or the check, changing nothing.
    fn leave_layer(&mut self) {
        let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
        if let Screen::Language { back, .. } | Screen::RtlCheck { back, .. } = old {
            self.screen = *back;
        }
    }

    /// A language chosen: a right-to-left one not yet checked on this machine goes
    /// through the check first.
    fn language_chosen(&mut self, code: Option<String>) {
        let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
        let Screen::Language { back, .. } = old else {
            return;
        };
        let rtl_language = code
            .as_deref()
            .and_then(|c| self.library.translations().language(c))
            .filter(|l| l.direction == sanctuary::translation::Direction::Rtl);
        match rtl_language {
            Some(language) if self.rtl_display.is_none() => {
                let check = RtlCheck::new(
                    client_language::english_name(&language.code),
                    &client_language::sample(language),
                );
                self.screen = Screen::RtlCheck {
                    check,
                    then: code,
                    back,
                };
            }
            _ => self.use_language(code, *back),
        }
    }

    /// Shows the walk under `back` (and every walk opened from now on) in `code`.
    fn use_language(&mut self, code: Option<String>, back: Screen) {
        self.client_language = code;
        self.screen = back;
        let view = self.client_view();
        if let Screen::Runner(runner) = &mut self.screen {
            runner.set_language(view, &self.library);
        }
        self.status = Some(match &self.client_language {
            Some(code) => format!(
                "The client's language: {}. l swaps the two, F5 changes it.",
                client_language::english_name(code)
            ),
            None => "English only.".into(),
        });
    }

    /// The guide, outcome and language of the hand-out for the outcome or summary on
    /// screen (`en` when English only).
    fn handout_for(&self) -> Option<(String, String, String)> {
        let (runner, outcome) = match &self.screen {
            Screen::Summary(s) => (&s.runner, s.summary.outcome_id.clone()),
            Screen::Runner(r) if r.session().outcome().is_some() => {
                (r, r.session().current().id.clone())
            }
            _ => return None,
        };
        let language = runner
            .client
            .as_ref()
            .map_or_else(|| "en".to_string(), |c| c.code.clone());
        Some((runner.session().guide().id.clone(), outcome, language))
    }

    /// `h` on an outcome or the summary: the client's hand-out, written into the letters
    /// folder under a name without the client's (never over another file).
    fn write_handout(&mut self) {
        let Some((guide, outcome, language)) = self.handout_for() else {
            return;
        };
        let adviser = self.profile.details();
        let request = sanctuary::handout::HandoutRequest {
            guide: &guide,
            outcome: &outcome,
            language: &language,
            adviser: adviser.as_ref(),
            today: self.today,
        };
        let pdf = sanctuary::handout::Handout::for_outcome(&self.library, &request)
            .and_then(|handout| sanctuary::handout::render_handout(&handout));
        let written = pdf.map_err(|e| e.to_string()).and_then(|pdf| {
            let folder = self.letters.use_typed("", "h")?;
            let name = format!("handout-{guide}-{language}-{}.pdf", self.today);
            sanctuary::files::write_private(
                &folder.join(name),
                &pdf,
                sanctuary::files::Overwrite::NewName,
            )
            .map_err(|e| e.to_string())
        });
        let which = match language.as_str() {
            "en" => "in English".to_string(),
            code => format!("in {}, then English", client_language::english_name(code)),
        };
        self.status = Some(match written {
            Ok(path) => format!(
                "Wrote the client's hand-out ({which}; no name on it): {}",
                path.display()
            ),
            Err(e) => format!("No hand-out written: {e}"),
        });
    }

    /// Ctrl-r in the settings: the check again, with the first right-to-left language.
    fn check_rtl_from_settings(&mut self) {
        let translations = self.library.translations();
        let Some(language) = translations
            .languages()
            .iter()
            .find(|l| l.direction == sanctuary::translation::Direction::Rtl)
        else {
            self.status = Some("No right-to-left language is installed to check with.".into());
            return;
        };
        let check = RtlCheck::new(
            client_language::english_name(&language.code),
            &client_language::sample(language),
        );
        let back = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
        self.screen = Screen::RtlCheck {
            check,
            then: None,
            back: Box::new(back),
        };
    }

    /// The check answered: kept in the settings file (for this machine), then the
    /// language chosen is used, or the settings shown again.
    fn rtl_answered(&mut self, answer: RtlDisplay) {
        self.rtl_display = Some(answer);
        let kept = match self.letters.settings_file() {
            Some(file) => super::settings::update(file, |s| s.rtl_display = Some(answer)),
            None => Ok(()),
        };
        let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
        let Screen::RtlCheck { then, back, .. } = old else {
            return;
        };
        match then {
            Some(code) => self.use_language(Some(code), *back),
            None => {
                self.screen = *back;
                if let Screen::Settings { form, .. } = &mut self.screen {
                    form.rtl = Some(answer);
                }
                self.status = Some(format!(
                    "Right-to-left text: {}.",
                    RtlDisplay::describe(Some(answer))
                ));
            }
        }
        if let Err(e) = kept {
            self.status = Some(e);
        }
    }

    /// Opening the settings, and the settings screen. Returns true when it handled the
    /// action.
    fn settings_action(&mut self, action: Action) -> bool {
        if action == Action::Settings {
            let mut form = Box::new(SettingsScreen::new(&self.profile, &self.letters));
            form.rtl = self.rtl_display;
            let back = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
            self.screen = Screen::Settings {
                form,
                back: Box::new(back),
            };
            return true;
        }
        let Screen::Settings { form, .. } = &mut self.screen else {
            return false;
        };
        let close = match form.handle(action, &mut self.letters, self.today) {
            SettingsOutcome::Stay => false,
            SettingsOutcome::Status(message) => {
                self.status = Some(message);
                false
            }
            SettingsOutcome::Closed => true,
            SettingsOutcome::Saved(profile, message) => {
                self.profile = profile;
                self.status = Some(message);
                true
            }
        };
        if close {
            let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
            if let Screen::Settings { back, .. } = old {
                self.screen = *back;
            }
        }
        true
    }

    /// Casework actions and screens. Returns true when it handled the action.
    fn casework_action(&mut self, action: Action) -> bool {
        match (&mut self.screen, action) {
            (Screen::Home(_), Action::Casework) => {
                self.enter_casework(AfterUnlock::Dashboard);
                true
            }
            (Screen::Summary(_), Action::SaveToClient) => {
                let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
                if let Screen::Summary(summary) = old {
                    self.enter_casework(AfterUnlock::SaveSummary(summary));
                }
                true
            }
            (Screen::Unlock { form, .. }, _) => {
                let unlocked = form.handle(action);
                self.after_unlock(unlocked);
                true
            }
            (Screen::Casework { screen, saving }, _) => {
                let Some(store) = &mut self.store else {
                    return true;
                };
                // Picking the client to save an advice record to: Enter on a client
                // saves it, Esc goes back to the summary (not from inside a form).
                let on_list = matches!(screen.context(), Context::Casework | Context::Clients);
                if saving.is_some()
                    && on_list
                    && action == Action::Select
                    && screen.selected_client().is_some()
                {
                    let client = screen.selected_client().cloned();
                    self.save_advice_to(client);
                    return true;
                }
                if saving.is_some() && on_list && action == Action::Leave {
                    self.back_to_summary();
                    return true;
                }
                let mut desk = Desk {
                    catalogue: &self.catalogue,
                    letters: &mut self.letters,
                    today: self.today,
                    profile: &self.profile,
                };
                let transition = screen.handle(action, store, &mut desk);
                self.apply(transition);
                true
            }
            _ => false,
        }
    }

    /// What the passphrase prompt decided: stay, go back to where casework was asked for,
    /// or, with the store open, go on to it.
    fn after_unlock(&mut self, unlocked: Unlock) {
        match unlocked {
            Unlock::Stay => {}
            Unlock::Back => {
                let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
                if let Screen::Unlock { then, .. } = old {
                    self.restore(then);
                }
            }
            Unlock::Opened(store) => {
                self.store = Some(store);
                let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
                if let Screen::Unlock { then, .. } = old {
                    self.enter_casework(then);
                }
            }
        }
    }

    /// Saves the advice record being saved to `client`'s file and goes back to the summary,
    /// saying whether it was saved.
    fn save_advice_to(&mut self, client: Option<sanctuary::casework::store::Client>) {
        let Some(store) = &mut self.store else {
            return;
        };
        let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
        if let (
            Screen::Casework {
                saving: Some(summary),
                ..
            },
            Some(client),
        ) = (old, client)
        {
            let record = AdviceDetails {
                client: client.id,
                guide: summary.summary.guide_id.clone(),
                outcome: summary.summary.outcome_id.clone(),
                summary: summary.summary.to_text(),
                date: self.today,
            };
            let saved = sanctuary::casework::steps::save_advice(store, &record);
            self.status = Some(match &saved {
                Ok(_) => format!("Saved the advice record to {}'s file.", client.display_name),
                Err(e) => format!("Not saved: {e}"),
            });
            let mut summary = summary;
            summary.saved |= saved.is_ok();
            self.screen = Screen::Summary(summary);
        }
    }

    /// Esc while picking the client to save an advice record to: back to the summary.
    fn back_to_summary(&mut self) {
        let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
        if let Screen::Casework {
            saving: Some(summary),
            ..
        } = old
        {
            self.screen = Screen::Summary(summary);
        }
    }

    /// Opens casework, asking for the passphrase first unless the store is open already
    /// or SANCTUARY_PASSPHRASE gives it.
    fn enter_casework(&mut self, then: AfterUnlock) {
        let location = crate::session::store_location(self.store_path.as_deref());
        let checked = location.and_then(|location| {
            let state = crate::session::check_location(&location)?;
            Ok((location, state))
        });
        let (location, state) = match checked {
            Ok(checked) => checked,
            Err(e) => {
                self.status = Some(format!("{e:#}"));
                self.restore(then);
                return;
            }
        };
        if self.store.is_none()
            && let Ok(passphrase) = std::env::var(crate::session::PASSPHRASE_VAR)
        {
            let passphrase = crate::session::Passphrase::new(passphrase);
            let weak = (state == StoreFile::New)
                .then(|| crate::session::weak_passphrase(passphrase.as_str()))
                .flatten();
            match weak {
                Some(why) => self.status = Some(format!("{why} Nothing was created.")),
                None => match crate::session::open_checked(&location, &passphrase) {
                    Ok((store, _)) => self.store = Some(store),
                    Err(e) => self.status = Some(format!("{e:#}")),
                },
            }
        }
        let Some(store) = &self.store else {
            self.screen = Screen::Unlock {
                form: UnlockScreen::new(location.path),
                then,
            };
            return;
        };
        if let AfterUnlock::Letter { screen, need } = then {
            self.screen = *screen;
            self.serve_letter(need);
            return;
        }
        match CaseworkScreen::new(store, self.today) {
            Ok(mut screen) => {
                let saving = match then {
                    AfterUnlock::Dashboard | AfterUnlock::Letter { .. } => None,
                    AfterUnlock::SaveSummary(summary) => {
                        screen.tab = Tab::Clients;
                        screen.picking = true;
                        self.status = Some(
                            "Choose the client to save the advice record to, then Enter (Ctrl-n: a new client).".into(),
                        );
                        Some(summary)
                    }
                };
                self.screen = Screen::Casework {
                    screen: Box::new(screen),
                    saving,
                };
            }
            Err(e) => self.status = Some(e),
        }
    }

    fn open_letters(
        &mut self,
        targets: Vec<LetterTarget>,
        facts: std::collections::BTreeMap<String, String>,
    ) {
        let old = std::mem::replace(&mut self.screen, Screen::Home(HomeScreen::default()));
        let back = match old {
            Screen::Runner(runner) => Some(runner),
            _ => None,
        };
        self.screen = Screen::Letter {
            form: Box::new(LetterScreen::new(
                targets,
                facts,
                self.today,
                &self.catalogue,
                &adviser_values(&self.profile),
            )),
            back,
        };
    }

    /// Draws the whole screen from the state. Draws only; changes nothing.
    pub fn view(&self, frame: &mut Frame) {
        let status = self.status.as_deref();
        match &self.screen {
            Screen::Home(home) => {
                let language = self.language_line();
                home.draw(
                    frame,
                    &self.library,
                    self.theme,
                    status,
                    self.today,
                    &language,
                )
            }
            Screen::Runner(runner) => runner.draw(frame, &self.library, self.theme, status),
            Screen::Summary(summary) => summary.draw(frame, self.theme, status),
            Screen::Letter { form, .. } => form.draw(frame, &self.catalogue, self.theme, status),
            Screen::Unlock { form, .. } => form.draw(frame, self.theme, status),
            Screen::Casework { screen, .. } => screen.draw(
                frame,
                &self.catalogue,
                &self.library,
                self.today,
                self.theme,
                status,
            ),
            Screen::Settings { form, .. } => {
                form.draw(frame, &self.letters, self.today, self.theme, status)
            }
            Screen::Language { chooser, .. } => chooser.draw(frame, self.theme, status),
            Screen::RtlCheck { check, .. } => check.draw(frame, self.theme, status),
            Screen::Review(review) => review.draw(frame, self.theme, status),
        }
        if let Some(overlay) = &self.overlay {
            overlay.draw(frame, self.theme);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::tui::action::CaseAction;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use sanctuary::guide::GuideSource;
    use sanctuary::letter::ClientDetails;

    const AREA: Rect = Rect {
        x: 0,
        y: 0,
        width: 80,
        height: 24,
    };

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn app() -> App {
        let catalogue = Catalogue::embedded().unwrap();
        let library = Library::load(&GuideSource::Embedded, today(), Some(&catalogue)).unwrap();
        App::new(
            Arc::new(library),
            Arc::new(catalogue),
            Theme { colour: false },
            Today::fixed(today()),
        )
    }

    pub(crate) fn render(app: &App, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| app.view(f)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..height)
            .map(|y| {
                let line: String = (0..width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect();
                line.trim_end().to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn press(app: &mut App, actions: &[Action]) {
        for &a in actions {
            app.update(a, AREA);
        }
    }

    /// Opens data-sharing, passes its first screen and picks "My child's school".
    fn school_outcome() -> App {
        let mut app = app();
        assert!(app.open_guide("data-sharing"));
        press(&mut app, &[Action::Select, Action::Pick(1)]);
        app
    }

    /// Picks an outcome's last item, which opens the summary.
    pub(crate) fn open_summary(app: &mut App) {
        let Screen::Runner(runner) = &app.screen else {
            panic!("not walking a guide")
        };
        let last = runner.item_count() - 1;
        press(app, &[Action::Pick(last)]);
    }

    #[test]
    fn home_screen_at_80x24() {
        insta::assert_snapshot!(render(&app(), 80, 24));
    }

    #[test]
    fn question_screen_at_80x24() {
        let mut app = app();
        app.open_guide("right-to-work");
        insta::assert_snapshot!(render(&app, 80, 24));
        assert_eq!(app.context(), Context::Question);
        press(&mut app, &[Action::Down]);
        assert!(
            render(&app, 80, 24).contains("> 2."),
            "the selection moves down"
        );
    }

    #[test]
    fn outcome_screen_at_80x24() {
        let app = school_outcome();
        assert_eq!(app.context(), Context::Outcome);
        insta::assert_snapshot!(render(&app, 80, 24));
    }

    #[test]
    fn the_outcome_shows_its_risk_in_words_without_colour() {
        let screen = render(&school_outcome(), 80, 24);
        assert!(screen.lines().next().unwrap().contains("RISK"), "{screen}");
    }

    #[test]
    fn a_wide_screen_puts_the_adviser_note_beside_the_question() {
        let mut app = app();
        app.open_guide("data-sharing");
        let screen = render(&app, 200, 50);
        let note_row = screen.lines().find(|l| l.contains("Adviser note")).unwrap();
        assert!(note_row.find("Adviser note").unwrap() > 100, "{note_row}");
    }

    #[test]
    fn back_returns_to_the_question_and_restart_to_the_first_screen() {
        let mut app = school_outcome();
        press(&mut app, &[Action::Back]);
        assert_eq!(app.context(), Context::Question);
        assert!(render(&app, 80, 24).contains("(step 2)"));
        press(&mut app, &[Action::Restart]);
        assert!(render(&app, 80, 24).contains("(step 1)"));
    }

    #[test]
    fn typing_on_home_filters_the_guides() {
        let mut app = app();
        for c in "tag".chars() {
            app.update(Action::Type(c), AREA);
        }
        let screen = render(&app, 80, 24);
        assert!(screen.contains("GPS tags on immigration bail"), "{screen}");
        assert!(!screen.contains("Right to work checks"), "{screen}");
        press(&mut app, &[Action::Select]);
        assert!(render(&app, 80, 24).contains("GPS tags on immigration bail  (step 1)"));
    }

    /// Everyday words reach the right guide first: the best match is highlighted, so
    /// Enter opens it whatever topic the list puts first.
    #[test]
    fn the_filter_highlights_the_best_matching_guide() {
        for (typed, title) in [
            ("pregnant", "NHS care, bills and your data"),
            ("antenatal", "NHS care, bills and your data"),
            ("nhs", "NHS care, bills and your data"),
            ("tag", "GPS tags on immigration bail"),
        ] {
            let mut app = app();
            type_text(&mut app, typed);
            press(&mut app, &[Action::Select]);
            let screen = render(&app, 80, 24);
            assert!(screen.starts_with(title), "{typed} opened:\n{screen}");
        }
    }

    /// The actions that walk a guide from its start to an outcome with a next step that
    /// has no letter and opens no guide, and that step's number and label.
    fn path_to_a_plain_step(
        guide: &Arc<sanctuary::guide::Guide>,
    ) -> Option<(Vec<Action>, usize, String)> {
        use sanctuary::guide::{NodeKind, Session};
        let mut stack = vec![(Session::new(guide.clone()), Vec::new())];
        while let Some((session, path)) = stack.pop() {
            if path.len() > 12 {
                continue;
            }
            match &session.current().kind {
                NodeKind::Outcome(o) => {
                    if let Some(i) = o
                        .actions
                        .iter()
                        .position(|a| a.letter.is_none() && a.guide.is_none())
                    {
                        return Some((path, i, o.actions[i].label.clone()));
                    }
                }
                NodeKind::Info { .. } => {
                    let mut next = session.clone();
                    if next.proceed().is_ok() {
                        let mut p = path.clone();
                        p.push(Action::Select);
                        stack.push((next, p));
                    }
                }
                NodeKind::Question { choices, .. } => {
                    for i in 0..choices.len() {
                        let mut next = session.clone();
                        if let Ok(sanctuary::guide::engine::Advance::Moved) = next.choose(i) {
                            let mut p = path.clone();
                            p.push(Action::Pick(i));
                            stack.push((next, p));
                        }
                    }
                }
            }
        }
        None
    }

    /// A next step without a letter, chosen on an outcome, lands in the advice record
    /// as a step to do (a checklist), not only in a passing message.
    #[test]
    fn a_next_step_without_a_letter_goes_in_the_record_as_a_step_to_do() {
        let library = app().library.clone();
        let (id, (path, step, label)) = library
            .guides
            .iter()
            .find_map(|g| Some((g.id.clone(), path_to_a_plain_step(g)?)))
            .expect("a guide has a next step without a letter");
        let mut app = app();
        assert!(app.open_guide(&id));
        press(&mut app, &path);
        assert_eq!(app.context(), Context::Outcome);
        press(&mut app, &[Action::Pick(step)]);
        let status = app.status.clone().unwrap_or_default();
        assert!(status.contains("steps to do"), "{status}");
        open_summary(&mut app);
        let Screen::Summary(summary) = &app.screen else {
            panic!("not the summary")
        };
        let text = summary.summary.to_text();
        assert!(text.contains(&format!("[ ] {label}")), "{text}");
    }

    #[test]
    fn clicking_a_choice_picks_it() {
        let mut app = app();
        app.open_guide("right-to-work");
        let screen = render(&app, 80, 24);
        let row = screen.lines().position(|l| l.contains("  2. ")).unwrap() as u16;
        app.update(Action::Click { column: 6, row }, AREA);
        assert!(render(&app, 80, 24).contains("(step 2)"));
    }

    #[test]
    fn help_lists_every_key_of_the_screen_and_esc_closes_it() {
        let mut app = app();
        app.open_guide("data-sharing");
        press(&mut app, &[Action::Help]);
        let screen = render(&app, 80, 24);
        for key in ["F12", "Ctrl-x", "Backspace / Left", "n ", "g "] {
            assert!(screen.contains(key), "help lacks {key}:\n{screen}");
        }
        press(&mut app, &[Action::CloseOverlay]);
        assert!(app.overlay.is_none());
    }

    #[test]
    fn the_glossary_explains_words_on_screen() {
        let mut app = school_outcome();
        press(&mut app, &[Action::Glossary]);
        let screen = render(&app, 80, 24);
        assert!(screen.contains("Home Office"), "{screen}");
    }

    #[test]
    fn the_summary_lists_the_answers_and_saves_an_advice_record() {
        let mut app = school_outcome();
        open_summary(&mut app);
        assert_eq!(app.context(), Context::Summary);
        let screen = render(&app, 80, 24);
        assert!(screen.contains("Answer: My child's school"), "{screen}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("record.txt");
        press(&mut app, &[Action::Save]);
        for c in path.display().to_string().chars() {
            app.update(Action::Type(c), AREA);
        }
        press(&mut app, &[Action::Confirm]);
        let saved = std::fs::read_to_string(&path).unwrap();
        assert!(saved.contains("Questions and answers"));
        assert!(saved.contains("Sources:"));
        assert!(app.status.as_deref().unwrap().starts_with("Saved"));
        // Saving again to the same name refuses to overwrite.
        press(&mut app, &[Action::Save]);
        for c in path.display().to_string().chars() {
            app.update(Action::Type(c), AREA);
        }
        press(&mut app, &[Action::Confirm]);
        assert!(app.status.as_deref().unwrap().starts_with("Could not save"));
    }

    #[test]
    fn a_choice_that_opens_another_guide_carries_on_there_and_back_returns() {
        let mut app = app();
        app.open_guide("data-sharing");
        press(&mut app, &[Action::Select]);
        let screen = render(&app, 80, 24);
        let n = screen
            .lines()
            .find(|l| l.contains("opens the guide: Right to work checks"))
            .and_then(|l| {
                l.trim_start_matches(['>', ' '])
                    .split('.')
                    .next()?
                    .parse::<usize>()
                    .ok()
            })
            .expect("a choice opens the right-to-work guide");
        press(&mut app, &[Action::Pick(n - 1)]);
        assert!(render(&app, 80, 24).starts_with("Right to work checks"));
        press(&mut app, &[Action::Back]);
        assert!(render(&app, 80, 24).starts_with("Could using this service"));
    }

    fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            app.update(Action::Type(c), AREA);
        }
    }

    /// Moves the form's focus down to the field with this label.
    fn focus_field(app: &mut App, label: &str) {
        for _ in 0..40 {
            if render(app, 100, 40).contains(&format!("> {label}:")) {
                return;
            }
            app.update(Action::Down, AREA);
        }
        panic!("no field {label}:\n{}", render(app, 100, 40));
    }

    fn fixture(name: &str) -> String {
        format!(
            "{}/tests/fixtures/clients/{name}",
            env!("CARGO_MANIFEST_DIR")
        )
    }

    #[test]
    fn a_letter_action_opens_the_form_which_checks_details_as_you_type_and_writes_the_pdf() {
        let mut app = school_outcome();
        press(&mut app, &[Action::Pick(0)]);
        assert_eq!(app.context(), Context::Form);
        // Wide enough for the form and the preview side by side.
        let screen = render(&app, 120, 30);
        assert!(
            screen.contains("Full name is empty: fill it in"),
            "{screen}"
        );
        assert!(
            screen.contains("cannot use it"),
            "the exemption note is shown:\n{screen}"
        );
        type_text(&mut app, &fixture("ioana.toml"));
        press(&mut app, &[Action::Confirm]);
        assert_eq!(app.status.as_deref(), Some("Loaded the client's details."));
        // A bad postcode is flagged at once.
        let Screen::Letter { form, .. } = &app.screen else {
            panic!("not the letter form")
        };
        assert_eq!(form.all_targets().len(), 1);
        focus_field(&mut app, "Postcode");
        type_text(&mut app, "!!");
        assert!(
            render(&app, 100, 30).contains("postcode"),
            "the postcode problem is shown"
        );
        press(&mut app, &[Action::DeleteChar, Action::DeleteChar]);
        // Fill in the school's name and address, then write.
        focus_field(&mut app, "Body's name (School)");
        type_text(&mut app, "Brook Lane Primary School");
        press(&mut app, &[Action::Down]);
        type_text(&mut app, "Brook Lane, Luton, LU1 3QA");
        let dir = tempfile::tempdir().unwrap();
        app.letters = LettersFolder::unremembered(dir.path().to_path_buf());
        // Ctrl-s asks whether to keep a record: the letters only.
        press(&mut app, &[Action::Save, Action::Pick(0), Action::Confirm]);
        let status = app.status.clone().unwrap();
        assert!(status.starts_with("Wrote 1 letter:\n/"), "{status}");
        let pdf = std::fs::read(dir.path().join("sar-generic-school-2026-12-01.pdf")).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        // Back returns to the outcome the letter came from (after asking, as the form
        // holds typed details).
        press(&mut app, &[Action::Leave, Action::Pick(1)]);
        assert_eq!(app.context(), Context::Outcome);
    }

    #[test]
    fn an_outcome_with_several_letters_writes_the_whole_set_with_authorities() {
        let mut app = app();
        app.open_guide("reporting-abuse");
        // Safe now; past the emergency screen; already told the police.
        press(
            &mut app,
            &[Action::Pick(1), Action::Select, Action::Pick(0)],
        );
        // Walk on, always taking the first answer, until an outcome with several letters.
        for _ in 0..10 {
            if app.context() == Context::Outcome {
                break;
            }
            press(&mut app, &[Action::Pick(0)]);
        }
        // Tall enough to show the whole outcome.
        let screen = render(&app, 100, 200);
        let Some(line) = screen.lines().find(|l| l.contains("letters at once")) else {
            panic!("no outcome with several letters on this path:\n{screen}");
        };
        let n: usize = line
            .trim_start_matches(['>', ' '])
            .split('.')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        press(&mut app, &[Action::Pick(n - 1)]);
        assert_eq!(app.context(), Context::Form);
        type_text(&mut app, &fixture("lukasz.toml"));
        press(&mut app, &[Action::Confirm]);
        let Screen::Letter { form, .. } = &app.screen else {
            panic!("not the letter form")
        };
        let targets = form.all_targets();
        let letters = targets.iter().filter(|t| t.template != "authority").count();
        assert!(letters >= 2, "{targets:?}");
        assert_eq!(
            targets.len(),
            2 * letters,
            "one authority for each body: {targets:?}"
        );
        // Each body the directory holds no name and address for gets its own, typed
        // while its letter is previewed (the form does not ask for the others').
        let mut orgs: Vec<String> = targets.iter().map(|t| t.organisation.clone()).collect();
        orgs.sort();
        orgs.dedup();
        for org in &orgs {
            let known = app.catalogue.organisation(org).unwrap().clone();
            if known.name_needed.is_none() && known.postal_address().is_some() {
                focus_field(&mut app, "Adviser name");
                let screen = render(&app, 100, 200);
                assert!(
                    !screen.contains(&format!("Body's name ({})", known.name)),
                    "{screen}"
                );
                continue;
            }
            // Bring this body's letter into the preview.
            for _ in 0..targets.len() {
                let Screen::Letter { form, .. } = &app.screen else {
                    panic!("not the letter form")
                };
                if form.current_organisation() == *org {
                    break;
                }
                app.update(Action::NextLetter, AREA);
            }
            while focus_up(&mut app) {}
            let name = app.catalogue.organisation(org).unwrap().name.clone();
            focus_field(&mut app, &format!("Body's name ({name})"));
            type_text(&mut app, &format!("Office of {org}"));
            app.update(Action::Down, AREA);
            type_text(&mut app, &format!("1 {org} Street, Testtown, TE1 1ST"));
        }
        let dir = tempfile::tempdir().unwrap();
        app.letters = LettersFolder::unremembered(dir.path().to_path_buf());
        press(&mut app, &[Action::Save, Action::Pick(0), Action::Confirm]);
        let status = app.status.clone().unwrap();
        assert!(
            status.starts_with(&format!("Wrote {} letters:", targets.len())),
            "{status}"
        );
        for t in &targets {
            let stem = sanctuary::casework::steps::letter_stem(&t.template, &t.organisation);
            // The adviser's reference (from the client file) comes first.
            let name = format!("NMA-2026-118-{stem}-2026-12-01.pdf");
            let pdf = std::fs::read(dir.path().join(name)).unwrap();
            let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
            for other in orgs.iter().filter(|o| **o != t.organisation) {
                assert!(
                    !text.contains(&format!("1 {other} Street")),
                    "{} to {} carries {other}'s address",
                    t.template,
                    t.organisation
                );
            }
        }
    }

    /// Moves the form's focus up one field; false at the top.
    fn focus_up(app: &mut App) -> bool {
        let before = render(app, 100, 40);
        app.update(Action::Up, AREA);
        render(app, 100, 40) != before
    }

    /// Moves a list's highlight down to the line starting with "> {label}".
    fn highlight(app: &mut App, label: &str) {
        for _ in 0..40 {
            if render(app, 80, 24).contains(&format!("> {label}")) {
                return;
            }
            app.update(Action::Down, AREA);
        }
        panic!("no {label} in the list:\n{}", render(app, 80, 24));
    }

    /// F2: the bodies by name; the form says what a police letter still lacks (the
    /// force's name and address; an adviser, when replies go to one), in its own words
    /// beside the fields and in full when Ctrl-s is pressed at 80x24; once complete it
    /// writes the request and the letter of authority into the letters folder.
    #[test]
    fn f2_offers_bodies_by_name_and_says_what_is_missing_until_the_letters_can_be_written() {
        let mut app = app();
        press(&mut app, &[Action::Letters]);
        assert_eq!(app.context(), Context::Choice);
        let screen = render(&app, 80, 24);
        assert!(screen.contains("Which body is the letter to?"), "{screen}");
        assert!(screen.contains("Home Office"), "{screen}");
        assert!(!screen.contains("sar-"), "no ids:\n{screen}");
        highlight(&mut app, "Police force");
        press(&mut app, &[Action::Select]);
        assert_eq!(app.context(), Context::Form);
        let screen = render(&app, 100, 40);
        assert!(screen.contains("To: Police force"), "{screen}");
        assert!(
            screen.contains("Letter: Request to the police for personal data"),
            "{screen}"
        );
        focus_field(&mut app, "Client");
        type_text(&mut app, &fixture("ioana.toml"));
        press(&mut app, &[Action::Confirm]);
        let screen = render(&app, 100, 40);
        assert!(!screen.contains("Ready"), "{screen}");
        assert!(
            screen.contains("fill in the name of the police force"),
            "{screen}"
        );
        assert!(!screen.contains("--"), "no command-line flags:\n{screen}");
        // Replies to go to an adviser, but there is none.
        focus_field(&mut app, "Replies go to");
        type_text(&mut app, "a");
        let screen = render(&app, 100, 60);
        assert!(
            screen.contains("replies go to the adviser, but no adviser is filled in"),
            "{screen}"
        );
        // Ctrl-s refuses and the whole reason is readable at 80x24.
        press(&mut app, &[Action::Save]);
        assert_eq!(app.context(), Context::Form);
        let screen = render(&app, 80, 24);
        let bottom: String = screen.lines().skip(12).collect::<Vec<_>>().join(" ");
        assert!(bottom.contains("Nothing written yet"), "{screen}");
        assert!(bottom.contains("Replies go to:"), "{screen}");
        assert!(bottom.contains("Body's name:"), "{screen}");
        // An adviser, and the force's name and address: ready.
        focus_field(&mut app, "Adviser name");
        type_text(&mut app, "Maya Reid");
        focus_field(&mut app, "Adviser address");
        type_text(&mut app, "PO Box 123, Birmingham");
        press(&mut app, &[Action::Down]);
        type_text(&mut app, "B1 1AA");
        focus_field(&mut app, "Body's name (Police force)");
        type_text(&mut app, "West Midlands Police");
        press(&mut app, &[Action::Down]);
        type_text(&mut app, "PO Box 52, Lloyd House, Birmingham, B4 6NQ");
        assert!(render(&app, 100, 40).contains("Ready"));
        let dir = tempfile::tempdir().unwrap();
        app.letters = LettersFolder::unremembered(dir.path().join("letters"));
        press(&mut app, &[Action::Save]);
        assert!(render(&app, 80, 24).contains("Save the client in casework too"));
        press(&mut app, &[Action::Pick(0)]);
        assert!(render(&app, 80, 24).contains("letters_"));
        press(&mut app, &[Action::Confirm]);
        let status = app.status.clone().unwrap();
        assert!(status.starts_with("Wrote 2 letters:"), "{status}");
        for name in ["sar-police-police-force", "authority-police-force"] {
            let path = dir
                .path()
                .join("letters")
                .join(format!("{name}-2026-12-01.pdf"));
            assert!(path.exists(), "{path:?}: {status}");
            assert!(status.contains(&path.display().to_string()), "{status}");
        }
    }

    #[test]
    fn leaving_a_form_with_typing_asks_first_and_staying_keeps_it() {
        let mut app = school_outcome();
        press(&mut app, &[Action::Select]);
        assert_eq!(app.context(), Context::Form);
        // Nothing typed: Esc leaves at once.
        press(&mut app, &[Action::Leave]);
        assert_eq!(app.context(), Context::Outcome);
        press(&mut app, &[Action::Select]);
        focus_field(&mut app, "Full name");
        type_text(&mut app, "Ana Pop");
        press(&mut app, &[Action::Leave]);
        assert_eq!(app.context(), Context::Choice);
        assert!(render(&app, 80, 24).contains("Leave the letter form?"));
        press(&mut app, &[Action::CloseOverlay]);
        assert_eq!(app.context(), Context::Form);
        assert!(render(&app, 100, 40).contains("Full name: Ana Pop"));
        press(&mut app, &[Action::Leave, Action::Pick(1)]);
        assert_eq!(app.context(), Context::Outcome);
    }

    /// A store in a temporary folder with one client whose Home Office request is overdue.
    fn store_with_overdue_request(dir: &std::path::Path) -> Store {
        use sanctuary::calendar::deadline::Clock;
        use sanctuary::calendar::holidays::Nation;
        use sanctuary::casework::store::{NewClient, RequestDetails, RequestStatus};
        let mut store = Store::open(&dir.join("cases.db"), "correct horse").unwrap();
        let client = store
            .add_client(&NewClient {
                display_name: "Олена Шевченко".into(),
                details_toml: std::fs::read_to_string(fixture("olena.toml")).unwrap(),
            })
            .unwrap();
        let sent = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        store
            .add_request(&RequestDetails {
                clock: Clock {
                    sent: Some(sent),
                    received: Some(sent),
                    ..Clock::unsent(Nation::EnglandWales)
                },
                status: RequestStatus::Sent,
                ..RequestDetails::drafted(
                    client.id,
                    "home-office",
                    "sar-home-office",
                    Nation::EnglandWales,
                )
            })
            .unwrap();
        store
    }

    /// Code review bug 7: a guide past its review date is marked in the list, in
    /// words, and on its first page.
    #[test]
    fn a_guide_past_its_review_date_is_marked_in_the_list_and_on_its_first_page() {
        let mut app = app();
        let home = render(&app, 100, 40);
        assert!(!home.contains("REVIEW OVERDUE"), "{home}");
        app.clock = Today::fixed(NaiveDate::from_ymd_opt(2028, 12, 10).unwrap());
        app.tick();
        let home = render(&app, 100, 40);
        assert!(home.contains("REVIEW OVERDUE"), "{home}");
        press(&mut app, &[Action::Select]);
        let page = render(&app, 100, 40);
        assert!(flat(&page).contains("Review overdue"), "{page}");
    }

    /// Code review bug 5: the app's day was fixed at launch. Left open across
    /// midnight it now reads the new day: the dashboard moves on, and letters and
    /// events are dated with it.
    #[test]
    fn the_app_reads_the_new_day_after_midnight() {
        let dir = tempfile::tempdir().unwrap();
        let day = Arc::new(std::sync::Mutex::new(
            NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        ));
        let mut app = app();
        let read = day.clone();
        app.clock = Today::new(move || *read.lock().unwrap());
        app.tick();
        app.store = Some(store_with_overdue_request(dir.path()));
        press(&mut app, &[Action::Casework]);
        // Received 1 October: due Monday 2 November everywhere in the UK.
        let screen = render(&app, 100, 30);
        assert!(screen.contains("DUE NOW"), "{screen}");
        *day.lock().unwrap() = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert!(app.tick(), "the day changed");
        assert_eq!(app.today, NaiveDate::from_ymd_opt(2026, 11, 3).unwrap());
        let screen = render(&app, 100, 30);
        assert!(screen.contains("OVERDUE"), "{screen}");
        assert!(!app.tick(), "the same day again changes nothing");
    }

    /// At 80 columns each dashboard row shows all of itself, its status last (F18).
    #[test]
    fn a_dashboard_row_fits_80_columns_with_its_status() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app();
        app.store = Some(store_with_overdue_request(dir.path()));
        press(&mut app, &[Action::Casework]);
        let screen = render(&app, 80, 24);
        assert!(screen.contains("> OVERDUE  "), "{screen}");
        assert!(
            screen.contains("Home Office: subject access request (sent)"),
            "{screen}"
        );
        assert!(screen.contains("Олена Шевченко"), "{screen}");
        // The client page's help is longer than the screen: it says so.
        press(&mut app, &[Action::Select, Action::Help]);
        let help = render(&app, 80, 24);
        assert!(help.contains("More below: Down or PgDn"), "{help}");
    }

    #[test]
    fn casework_shows_an_overdue_request_and_the_clients_page() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app();
        app.store = Some(store_with_overdue_request(dir.path()));
        press(&mut app, &[Action::Casework]);
        assert_eq!(app.context(), Context::Casework);
        let screen = render(&app, 100, 30);
        assert!(screen.contains("OVERDUE"), "{screen}");
        assert!(screen.contains("Олена Шевченко"), "{screen}");
        press(&mut app, &[Action::Select]);
        assert_eq!(app.context(), Context::ClientPage);
        let screen = render(&app, 100, 30);
        assert!(
            screen.contains("> OVERDUE  #1 Home Office: subject access request (sent)"),
            "{screen}"
        );
        assert!(screen.contains("reply due by 2 November 2026"), "{screen}");
        press(&mut app, &[Action::Leave, Action::NextTab]);
        type_text(&mut app, "оле");
        assert!(
            render(&app, 100, 30).contains("Олена"),
            "search finds the client"
        );
    }

    #[test]
    fn a_guide_summary_saves_to_a_clients_record() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = school_outcome();
        app.store = Some(store_with_overdue_request(dir.path()));
        open_summary(&mut app);
        press(&mut app, &[Action::SaveToClient]);
        assert_eq!(app.context(), Context::Clients);
        press(&mut app, &[Action::Select]);
        assert_eq!(app.context(), Context::Summary);
        assert_eq!(
            app.status.as_deref(),
            Some("Saved the advice record to Олена Шевченко's file.")
        );
        let store = app.store.as_ref().unwrap();
        let client = store.clients().unwrap()[0].clone();
        let record = store.client_record(client.id).unwrap();
        assert_eq!(record.advice.len(), 1);
        assert_eq!(record.advice[0].details.guide, "data-sharing");
        assert!(
            record.advice[0]
                .details
                .summary
                .contains("Answer: My child's school")
        );
    }

    /// The screen's text as one line, so a phrase wrapped over two lines is found.
    fn flat(screen: &str) -> String {
        screen.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// An app with an empty store and its letters folder, both in `dir`.
    fn app_with_store(dir: &std::path::Path) -> App {
        let mut app = app();
        app.store = Some(Store::open(&dir.join("cases.db"), "correct horse").unwrap());
        app.letters = LettersFolder::unremembered(dir.join("letters"));
        app
    }

    /// The details typed (here, loaded) in the F2 letter form are saved as a new client
    /// when the adviser says so at Ctrl-s, and the request is recorded with its letter:
    /// nothing typed twice, the PDF written once. The adviser's settings fill the
    /// adviser's fields of the form from the start.
    #[test]
    fn the_typed_client_is_saved_as_a_new_client_with_the_request() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_with_store(dir.path());
        app.profile = AdviserProfile {
            name: "Maya Reid".into(),
            organisation: "Safe Haven Advice".into(),
            address: vec!["PO Box 123".into(), "Birmingham".into()],
            postcode: "B1 1AA".into(),
            reference_prefix: "SH".into(),
            ..AdviserProfile::default()
        };
        press(&mut app, &[Action::Letters, Action::Select]);
        assert!(render(&app, 80, 40).contains("Adviser name: Maya Reid"));
        focus_field(&mut app, "Client");
        type_text(&mut app, &fixture("ioana.toml"));
        press(&mut app, &[Action::Confirm, Action::Save]);
        assert!(render(&app, 80, 24).contains("Save the client in casework too"));
        press(&mut app, &[Action::Pick(1), Action::Confirm]);
        let status = app.status.clone().unwrap_or_default();
        assert!(status.starts_with("Recorded for Ioana"), "{status}");
        let store = app.store.as_ref().unwrap();
        let clients = store.clients().unwrap();
        assert_eq!(clients.len(), 1);
        let record = store.client_record(clients[0].id).unwrap();
        assert_eq!(record.requests.len(), 1);
        assert_eq!(record.letters.len(), 2, "the request and the authority");
        let stored = ClientDetails::from_toml_str(&clients[0].details_toml, "t").unwrap();
        assert_eq!(stored.adviser.unwrap().name, "Maya Reid");
        let mut files: Vec<String> = std::fs::read_dir(dir.path().join("letters"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(
            files,
            [
                "request-1-authority-home-office-2026-12-01.pdf",
                "request-1-sar-home-office-2026-12-01.pdf"
            ]
        );
    }

    /// Types a new client's details into the client form, field by field.
    fn fill_client_form(app: &mut App, fields: &[(&str, &str)]) {
        for (label, value) in fields {
            for _ in 0..30 {
                if render(app, 80, 60).contains(&format!("> {label}:")) {
                    break;
                }
                app.update(Action::Down, AREA);
            }
            type_text(app, value);
        }
        for _ in 0..30 {
            app.update(Action::Up, AREA);
        }
    }

    /// Ctrl-n on the clients list: a date typed the US way is shown under the date of
    /// birth; fixed, the client is saved and their page opens; the same person again is
    /// saved with a warning; their details can be changed from the page.
    #[test]
    fn a_client_is_added_in_the_app_checked_field_by_field_and_can_be_changed() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_with_store(dir.path());
        press(&mut app, &[Action::Casework, Action::NextTab]);
        assert!(render(&app, 80, 24).contains("Ctrl-n"), "the key is shown");
        press(&mut app, &[Action::NewClient]);
        assert_eq!(app.context(), Context::ClientForm);
        fill_client_form(
            &mut app,
            &[
                ("Full name", "Ana Pop"),
                ("Date of birth", "12/13/1988"),
                ("Address", "1 High Street, Luton"),
                ("Postcode", "LU1 2AB"),
            ],
        );
        press(&mut app, &[Action::Save]);
        assert_eq!(app.context(), Context::ClientForm, "not saved");
        let screen = render(&app, 80, 24);
        let lines: Vec<&str> = screen.lines().collect();
        let dob = lines
            .iter()
            .position(|l| l.contains("Date of birth: 12/13/1988"))
            .expect("the date of birth field");
        assert!(
            lines[dob + 1].contains("! \"12/13/1988\" is not a date"),
            "the problem is under the date of birth:\n{screen}"
        );
        assert!(
            app.status.as_deref().unwrap().contains("Date of birth"),
            "{:?}",
            app.status
        );
        // The focus is on the date: put it right (UK style) and save.
        for _ in 0..10 {
            app.update(Action::DeleteChar, AREA);
        }
        type_text(&mut app, "12/04/1988");
        press(&mut app, &[Action::Save]);
        assert_eq!(app.context(), Context::ClientPage);
        let screen = render(&app, 80, 24);
        assert!(screen.contains("Ana Pop"), "{screen}");
        assert!(screen.contains("Saved Ana Pop's details"), "{screen}");
        let store = app.store.as_ref().unwrap();
        let client = store.clients().unwrap()[0].clone();
        let details =
            sanctuary::letter::ClientDetails::from_toml_str(&client.details_toml, "t").unwrap();
        assert_eq!(details.date_of_birth, NaiveDate::from_ymd_opt(1988, 4, 12));
        assert_eq!(details.address, ["1 High Street", "Luton"]);

        // The same name and date of birth again: saved, with a warning.
        press(&mut app, &[Action::Leave, Action::NewClient]);
        fill_client_form(
            &mut app,
            &[("Full name", "ana pop"), ("Date of birth", "1988-04-12")],
        );
        press(&mut app, &[Action::Save]);
        let status = app.status.clone().unwrap();
        assert!(
            status.contains("same name and date of birth") && status.contains("#1"),
            "{status}"
        );
        assert!(
            flat(&render(&app, 80, 24)).contains("same name and date of birth"),
            "the warning wraps into view"
        );

        // e: change the details from the page.
        press(&mut app, &[Action::EditClient]);
        assert_eq!(app.context(), Context::ClientForm);
        assert!(render(&app, 80, 24).contains("Full name: ana pop"));
        for _ in 0..7 {
            app.update(Action::DeleteChar, AREA);
        }
        type_text(&mut app, "Ana Maria Pop");
        press(&mut app, &[Action::Save]);
        assert_eq!(app.context(), Context::ClientPage);
        assert!(render(&app, 80, 24).contains("Ana Maria Pop"));
        let names: Vec<String> = app
            .store
            .as_ref()
            .unwrap()
            .clients()
            .unwrap()
            .into_iter()
            .map(|c| c.display_name)
            .collect();
        assert!(names.contains(&"Ana Maria Pop".to_string()), "{names:?}");
        assert_eq!(names.len(), 2);
    }

    /// From a guide's summary, `c` with no client yet: Ctrl-n adds one, who is then
    /// highlighted, and Enter saves the advice record to them.
    #[test]
    fn an_advice_record_is_saved_to_a_client_added_while_choosing() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = school_outcome();
        app.store = Some(Store::open(&dir.path().join("cases.db"), "correct horse").unwrap());
        for _ in 0..20 {
            app.update(Action::Down, AREA);
        }
        press(&mut app, &[Action::Select, Action::SaveToClient]);
        assert_eq!(app.context(), Context::Clients);
        // Enter on an empty list saves nothing and keeps the summary waiting.
        press(&mut app, &[Action::Select]);
        assert_eq!(app.context(), Context::Clients);
        press(&mut app, &[Action::NewClient]);
        fill_client_form(&mut app, &[("Full name", "Đặng Thị Lan")]);
        // Esc in the form asks; staying keeps the typing.
        press(&mut app, &[Action::Leave]);
        assert_eq!(app.context(), Context::Choice);
        press(&mut app, &[Action::CloseOverlay, Action::Save]);
        assert_eq!(app.context(), Context::Clients);
        assert!(
            render(&app, 80, 24).contains("> Đặng Thị Lan"),
            "{}",
            render(&app, 80, 24)
        );
        press(&mut app, &[Action::Select]);
        assert_eq!(app.context(), Context::Summary);
        assert_eq!(
            app.status.as_deref(),
            Some("Saved the advice record to Đặng Thị Lan's file.")
        );
        let store = app.store.as_ref().unwrap();
        let client = store.clients().unwrap()[0].id;
        assert_eq!(store.client_record(client).unwrap().advice.len(), 1);
        // The page names the guide and its outcome, not their ids.
        press(&mut app, &[Action::Leave]);
        assert_eq!(app.context(), Context::Home);
        press(
            &mut app,
            &[Action::Casework, Action::NextTab, Action::Select],
        );
        let page = render(&app, 80, 24);
        assert!(page.contains("Could using this service"), "{page}");
        assert!(!page.contains("data-sharing"), "{page}");
    }

    /// A request to a body the directory has no name or address for: the page asks for
    /// both, and writes the letter into the letters folder; a second letter to the same
    /// body the same day gets its own name.
    #[test]
    fn a_request_to_a_police_force_asks_its_name_and_address_and_names_never_collide() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_with_store(dir.path());
        press(
            &mut app,
            &[Action::Casework, Action::NextTab, Action::NewClient],
        );
        fill_client_form(
            &mut app,
            &[
                ("Full name", "Ana Pop"),
                ("Date of birth", "12/04/1988"),
                ("Address", "1 High Street, Luton"),
                ("Postcode", "LU1 2AB"),
                // Writing for herself, she gives the force her address to reply to.
                ("Knows the address", "police-force"),
            ],
        );
        press(&mut app, &[Action::Save]);
        assert_eq!(app.context(), Context::ClientPage);
        for round in 1..=2 {
            press(&mut app, &[Action::Case(CaseAction::NewRequest)]);
            let screen = render(&app, 80, 24);
            assert!(!screen.contains("sanctuary requests add"), "{screen}");
            highlight(&mut app, "Police force");
            press(&mut app, &[Action::Select]);
            // Whose bank holidays count, chosen as on the command line (bug 4).
            assert!(render(&app, 80, 24).contains("whose bank holidays count"));
            retype(&mut app, "s");
            press(&mut app, &[Action::Confirm]);
            assert!(render(&app, 80, 24).contains("The name of the police force"));
            type_text(&mut app, "Bedfordshire Police");
            press(&mut app, &[Action::Confirm]);
            assert!(render(&app, 80, 24).contains("The postal address of Bedfordshire Police"));
            type_text(
                &mut app,
                "Police Headquarters, Woburn Road, Kempston, MK43 9AX",
            );
            press(&mut app, &[Action::Confirm]);
            let screen = render(&app, 80, 24);
            let folder = dir.path().join("letters");
            assert!(
                screen.contains(&folder.display().to_string()),
                "the folder is offered in full:\n{screen}"
            );
            press(&mut app, &[Action::Confirm]);
            // Each request's number names its letter, so the two never collide.
            let path = folder.join(format!(
                "request-{round}-sar-police-police-force-2026-12-01.pdf"
            ));
            assert!(path.exists(), "{:?}", app.status);
            let status = app.status.clone().unwrap();
            assert!(status.contains(&path.display().to_string()), "{status}");
            let screen = render(&app, 80, 24);
            assert!(
                screen.contains("Police force: request to the police for personal data"),
                "{screen}"
            );
            let text = pdf_extract::extract_text_from_mem(&std::fs::read(&path).unwrap()).unwrap();
            assert!(text.contains("Bedfordshire Police"), "{text}");
            assert!(screen.contains("(Scotland)"), "{screen}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("letters"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700, "the letters folder is owner-only");
        }
    }

    /// Replaces what a casework dialog holds with `text`.
    fn retype(app: &mut App, text: &str) {
        for _ in 0..80 {
            app.update(Action::DeleteChar, AREA);
        }
        type_text(app, text);
    }

    /// A new adviser's day: make a Home Office request from the client's page, mark it
    /// sent 40 days ago, see it overdue, record a part answer citing the exemption, and
    /// write the chaser that lists what is missing.
    #[test]
    fn a_request_goes_from_letter_to_chaser_on_the_clients_page() {
        use sanctuary::casework::store::{NewClient, RequestStatus};
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("cases.db"), "correct horse").unwrap();
        store
            .add_client(&NewClient {
                display_name: "Олена Шевченко".into(),
                details_toml: std::fs::read_to_string(fixture("olena.toml")).unwrap(),
            })
            .unwrap();
        let mut app = app();
        app.store = Some(store);
        app.letters = LettersFolder::unremembered(dir.path().to_path_buf());
        press(
            &mut app,
            &[Action::Casework, Action::NextTab, Action::Select],
        );
        assert_eq!(app.context(), Context::ClientPage);

        // n: the Home Office (basic) request letter, written as a PDF.
        let choices = super::super::screens::client_page::new_request_choices(&app.catalogue);
        let home_office = choices
            .iter()
            .position(|c| c.organisation == "home-office")
            .expect("the Home Office is offered");
        press(&mut app, &[Action::Case(CaseAction::NewRequest)]);
        assert_eq!(app.context(), Context::Choice);
        for _ in 0..home_office {
            app.update(Action::Down, AREA);
        }
        press(&mut app, &[Action::Select]);
        assert_eq!(app.context(), Context::Prompt);
        // England and Wales unless changed: Enter keeps it.
        assert!(render(&app, 80, 24).contains("england-wales"));
        press(&mut app, &[Action::Confirm]);
        let screen = render(&app, 80, 24);
        assert!(
            screen.contains(&dir.path().display().to_string()),
            "the letters folder is offered in full:\n{screen}"
        );
        press(&mut app, &[Action::Confirm]);
        let sar = dir
            .path()
            .join(format!("request-1-sar-home-office-{}.pdf", today()));
        assert!(sar.exists(), "{:?}", app.status);
        assert!(
            app.status
                .as_deref()
                .unwrap_or("")
                .contains(&sar.display().to_string()),
            "the message gives the full path: {:?}",
            app.status
        );
        assert!(
            app.status.as_deref().unwrap_or("").contains("drafted"),
            "{:?}",
            app.status
        );

        // s: sent 40 days ago. The page and the dashboard call it overdue, in words.
        let sent = today() - chrono::Days::new(40);
        press(&mut app, &[Action::Case(CaseAction::Sent)]);
        retype(&mut app, &sent.to_string());
        press(&mut app, &[Action::Confirm]);
        let page = render(&app, 100, 30);
        assert!(
            page.contains("> OVERDUE  #1 Home Office: subject access request (sent)"),
            "{page}"
        );
        assert!(
            flat(&page).contains("the reply is overdue, so a chaser can go now (c)"),
            "{page}"
        );
        press(&mut app, &[Action::Leave, Action::NextTab]);
        let dashboard = render(&app, 100, 30);
        assert!(dashboard.contains("OVERDUE"), "{dashboard}");
        assert!(dashboard.contains("Олена Шевченко"), "{dashboard}");

        // a: a part answer (the copy and the purposes) citing the exemption.
        press(&mut app, &[Action::Select, Action::Case(CaseAction::Reply)]);
        retype(&mut app, &today().to_string());
        press(&mut app, &[Action::Confirm]);
        assert_eq!(app.context(), Context::Checklist);
        // 1 is the purposes, 8 the copy, 9 "cited the exemption".
        press(
            &mut app,
            &[Action::Pick(0), Action::Pick(7), Action::Pick(8)],
        );
        let form = render(&app, 100, 30);
        assert!(
            form.contains("[x] it cited the immigration exemption"),
            "{form}"
        );
        press(&mut app, &[Action::Confirm]);
        let store = app.store.as_ref().unwrap();
        let request = store
            .request(sanctuary::casework::store::RequestId(1))
            .unwrap();
        assert_eq!(request.details.status, RequestStatus::PartAnswered);
        let page = render(&app, 100, 30);
        assert!(
            flat(&page).contains("the answer was only partial, so a chaser can go now (c)"),
            "{page}"
        );

        // c: the chaser, listing exactly what is missing.
        press(&mut app, &[Action::Case(CaseAction::Chaser)]);
        press(&mut app, &[Action::Confirm]);
        let chaser = dir
            .path()
            .join("request-1-chaser-home-office-2026-12-01.pdf");
        assert_eq!(
            app.status.as_deref(),
            Some(format!("Wrote the chaser to {}", chaser.display()).as_str())
        );
        assert!(chaser.exists(), "{:?}", app.status);
        let store = app.store.as_ref().unwrap();
        let record = store.client_record(request.details.client).unwrap();
        let text = &record
            .letters
            .iter()
            .find(|l| l.details.template == "chaser")
            .expect("the chaser is kept with the client")
            .details
            .rendered_text;
        assert!(text.contains("What is still missing"), "{text}");
        assert!(
            text.contains("the kinds of personal data concerned"),
            "{text}"
        );
        assert!(
            !text.contains("a copy of the personal data itself"),
            "{text}"
        );
        assert!(text.contains("paragraph 4A"), "{text}");
    }

    #[test]
    fn the_clock_pauses_for_clarification_and_an_extension_is_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app();
        app.store = Some(store_with_overdue_request(dir.path()));
        press(&mut app, &[Action::Casework, Action::Select]);
        press(&mut app, &[Action::Case(CaseAction::Pause)]);
        retype(&mut app, "2026-10-05");
        press(&mut app, &[Action::Confirm]);
        let page = render(&app, 100, 30);
        assert!(page.contains("clock paused since 5 October 2026"), "{page}");
        assert!(
            !page.contains("OVERDUE"),
            "a paused clock is not overdue: {page}"
        );
        press(&mut app, &[Action::Case(CaseAction::Pause)]);
        retype(&mut app, "2026-10-01");
        press(&mut app, &[Action::Confirm]);
        assert_eq!(
            app.context(),
            Context::Prompt,
            "an answer before the question is refused"
        );
        retype(&mut app, "2026-10-12");
        press(&mut app, &[Action::Confirm]);
        press(&mut app, &[Action::Case(CaseAction::Extend)]);
        type_text(&mut app, "several departments hold records");
        press(&mut app, &[Action::Confirm]);
        let store = app.store.as_ref().unwrap();
        let request = store
            .request(sanctuary::casework::store::RequestId(1))
            .unwrap();
        assert_eq!(request.details.clock.paused_since, None);
        assert_eq!(request.details.clock.pauses.len(), 1);
        assert!(request.details.clock.extended);
        assert_eq!(
            request.details.extension_reason.as_deref(),
            Some("several departments hold records")
        );
        // Received 1 October, 8 days paused, then three months: not due in 2026.
        assert!(request.due.is_some_and(|due| due > today()), "{request:?}");
    }

    /// Choosing a client in the letter form while the store is locked asks for the
    /// passphrase, then goes back to the form with what was typed (Esc at the
    /// passphrase goes back too), and offers the clients.
    #[test]
    fn the_letter_form_unlocks_the_store_to_choose_a_client_and_keeps_what_was_typed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.db");
        let strong = "kettle orbit lantern whistle";
        {
            let mut store = Store::open_or_create(&path, strong).unwrap().0;
            let olena = std::fs::read_to_string(fixture("olena.toml")).unwrap();
            sanctuary::casework::steps::add_client(&mut store, &olena, "t", today()).unwrap();
        }
        let mut app = app();
        app.store_path = Some(path);
        press(&mut app, &[Action::Letters, Action::Select]);
        focus_field(&mut app, "Nationality");
        type_text(&mut app, "typed before");
        while focus_up(&mut app) {}
        focus_field(&mut app, "Client");
        press(&mut app, &[Action::Confirm]);
        assert!(render(&app, 100, 30).contains("Passphrase:"));
        press(&mut app, &[Action::CloseOverlay]);
        assert_eq!(app.context(), Context::Form, "Esc goes back to the form");
        assert!(render(&app, 100, 40).contains("Nationality: typed before"));
        press(&mut app, &[Action::Confirm]);
        type_text(&mut app, strong);
        press(&mut app, &[Action::Confirm]);
        assert!(app.store.is_some());
        assert_eq!(app.context(), Context::Choice, "the clients are offered");
        assert!(render(&app, 100, 30).contains("> #1 Олена Шевченко"));
        press(&mut app, &[Action::Select]);
        let screen = render(&app, 100, 40);
        assert!(screen.contains("Full name: Олена Шевченко"), "{screen}");
        assert!(screen.contains("(in casework"), "{screen}");
    }

    /// The preview takes the whole screen in turn with the form (Ctrl-p), and shows the
    /// notes the command line prints for the body, such as re-checking the SARU address
    /// (F5, F9).
    #[test]
    fn the_preview_takes_the_screen_and_shows_the_bodys_notes() {
        let mut app = app();
        press(&mut app, &[Action::Letters, Action::Select]);
        assert!(render(&app, 80, 24).contains("> To: Home Office"));
        press(&mut app, &[Action::TogglePreview]);
        assert_eq!(app.context(), Context::Preview);
        let screen = render(&app, 80, 200);
        assert!(
            !screen.contains("Full name:"),
            "the form is out of the way:\n{screen}"
        );
        let flat = flat(&screen);
        for note in app
            .catalogue
            .adviser_notes("home-office", "sar-home-office")
        {
            let start: String = note.chars().take(40).collect();
            assert!(flat.contains(&start), "{start}:\n{screen}");
        }
        assert!(flat.contains("Re-check"), "{screen}");
        press(&mut app, &[Action::TogglePreview]);
        assert_eq!(app.context(), Context::Form);
    }

    #[test]
    fn casework_asks_for_the_passphrase_twice_for_a_new_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app();
        let store = dir.path().join("cases.db");
        app.store_path = Some(store.clone());
        press(&mut app, &[Action::Casework]);
        assert!(render(&app, 100, 30).contains("New passphrase:"));
        type_text(&mut app, "first");
        press(&mut app, &[Action::Confirm]);
        let screen = render(&app, 100, 30);
        assert!(screen.contains("too easy to guess"), "{screen}");
        assert!(screen.contains("New passphrase:"), "{screen}");
        let strong = "kettle orbit lantern whistle";
        type_text(&mut app, strong);
        press(&mut app, &[Action::Confirm]);
        assert!(render(&app, 100, 30).contains("Type it again:"));
        type_text(&mut app, "kettle orbit lantern whistles");
        press(&mut app, &[Action::Confirm]);
        assert!(render(&app, 100, 30).contains("The two passphrases differ"));
        assert!(!store.exists(), "nothing was created");
        type_text(&mut app, strong);
        press(&mut app, &[Action::Confirm]);
        type_text(&mut app, strong);
        press(&mut app, &[Action::Confirm]);
        assert_eq!(app.context(), Context::Casework);
        assert!(app.store.is_some());
    }

    #[test]
    fn casework_refuses_a_store_path_in_a_folder_that_does_not_exist() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app();
        app.store_path = Some(dir.path().join("mistyped").join("cases.db"));
        press(&mut app, &[Action::Casework]);
        assert_ne!(app.context(), Context::Prompt);
        let status = app.status.clone().unwrap_or_default();
        assert!(status.contains("there is no folder"), "{status}");
        assert!(!dir.path().join("mistyped").exists());
    }

    #[test]
    fn quick_exit_and_quit_end_the_app() {
        let mut app = app();
        press(&mut app, &[Action::QuickExit]);
        assert_eq!(app.exit, Some(Exit::QuickExit));
        let mut app = school_outcome();
        press(&mut app, &[Action::Leave, Action::Yes]);
        assert_eq!(app.context(), Context::Home);
        press(&mut app, &[Action::Leave]);
        assert_eq!(app.exit, Some(Exit::Quit));
    }
}
