//! The full-screen app, built as state + update + view (see `app`). This module owns the
//! terminal: it sets it up, turns events into actions, and always gives the terminal back,
//! after a normal exit, an error, a panic, Ctrl-C or a quick exit. A signal to end
//! (SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGABRT, SIGXCPU: a
//! closed terminal window, `kill`, a logout, an abort) and a panic are quick exits too:
//! the screen is cleared and the terminal restored before the app ends (see `guard`).
//! The terminal is read on a thread of its own (see `input`), which ends the app the
//! moment F12 or Ctrl-x arrives, whatever is queued ahead of it.

pub mod action;
pub mod app;
pub mod bidi;
pub mod client_language;
mod guard;
mod input;
pub mod keys;
pub mod letters_folder;
pub mod line_edit;
pub mod screens;
pub mod settings;
pub mod text;
pub mod theme;

use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, MouseButton, MouseEventKind,
};
use crossterm::execute;
use ratatui::layout::Rect;

use action::Action;
use app::{App, Exit};
use sanctuary::guide::{GuideError, Library};
use theme::Theme;

/// Runs the app until the person leaves. `start` opens a guide straight away.
pub fn run(
    library: Library,
    catalogue: sanctuary::letter::Catalogue,
    start: Option<String>,
    store_path: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let mut app = app_on(library, catalogue);
    app.store_path = store_path;
    app.letters = letters_folder::LettersFolder::load();
    // Letters a killed write left half-done (hidden temporary files) go at start.
    sanctuary::files::sweep_stale_temporary_files(&app.letters.path);
    let saved = settings::load(app.letters.settings_file());
    app.profile = saved.adviser.unwrap_or_default();
    app.rtl_display = saved.rtl_display;
    if let Some(id) = &start
        && !app.open_guide(id)
    {
        return Err(GuideError::UnknownGuide(id.clone()).into());
    }
    run_app(app)
}

/// `sanctuary translations review`: the review screen for `language` (one guide's file,
/// or all of them), writing to the organisation's copy in `guides_dir`.
pub fn run_review(
    library: Library,
    catalogue: sanctuary::letter::Catalogue,
    guides_dir: Option<&std::path::Path>,
    language: &str,
    guide: Option<&str>,
) -> anyhow::Result<()> {
    let rtl = settings::load(settings::settings_file().as_deref()).rtl_display;
    let review = screens::review::ReviewScreen::open(&library, guides_dir, language, guide, rtl)?;
    let mut app = app_on(library, catalogue);
    app.rtl_display = rtl;
    app.screen = app::Screen::Review(Box::new(review));
    run_app(app)
}

/// The app on these guides and letters, with the machine's clock and colours.
fn app_on(library: Library, catalogue: sanctuary::letter::Catalogue) -> App {
    App::new(
        Arc::new(library),
        Arc::new(catalogue),
        Theme::from_env(),
        app::Today::new(crate::session::today),
    )
}

/// Runs `app` in the terminal until the person leaves.
fn run_app(mut app: App) -> anyhow::Result<()> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        anyhow::bail!(
            "the full-screen app needs a terminal for its input and output; for a script, a pipe or a screen reader use `sanctuary guide run ID --plain` and the other commands (see `sanctuary --help`)"
        );
    }
    guard::arm()?;
    // ratatui::try_init enters raw mode and the alternate screen and installs a panic
    // hook that restores the terminal before the panic message is printed.
    let mut terminal = ratatui::try_init()?;
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    let events = input::start(guard::quick_exit, guard::hung_up)?;
    let result = event_loop(&mut terminal, &mut app, &events);
    if app.exit == Some(Exit::QuickExit) {
        guard::quick_exit();
    }
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, DisableBracketedPaste);
    drop(terminal);
    let _ = execute!(out, crossterm::cursor::Show);
    ratatui::restore();
    result
}

/// How long the app handles keys that are already waiting before it draws again: a
/// burst of keys (a paste into a terminal without bracketed paste) is drawn once, not
/// once a key.
const DRAW_AT_LEAST_EVERY: Duration = Duration::from_millis(50);

/// How often the app looks at the clock while no key comes, so that the day moves on at
/// midnight.
const DAY_CHECK: Duration = Duration::from_secs(1);

/// Clears the visible screen and the scrollback, and puts the cursor home (what plain
/// mode's "leave at once" does on a terminal).
pub fn wipe_screen() {
    use std::io::Write;
    let mut out = io::stdout();
    let _ = out.write_all(b"\x1b[H\x1b[2J\x1b[3J");
    let _ = out.flush();
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    events: &Receiver<Event>,
) -> anyhow::Result<()> {
    'draw: loop {
        app.tick();
        terminal.draw(|frame| app.view(frame))?;
        let size = terminal.size()?;
        let area = Rect::new(0, 0, size.width, size.height);
        let first = loop {
            match events.recv_timeout(DAY_CHECK) {
                Ok(event) => break event,
                // Past midnight: draw the new day's dates even if no key comes.
                Err(RecvTimeoutError::Timeout) => {
                    if app.tick() {
                        continue 'draw;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        };
        let drawn_by = Instant::now() + DRAW_AT_LEAST_EVERY;
        let mut next = Some(first);
        while let Some(event) = next {
            handle_event(app, event, area);
            if app.exit.is_some() {
                return Ok(());
            }
            next = if Instant::now() < drawn_by {
                events.try_recv().ok()
            } else {
                None
            };
        }
    }
}

/// What one key, click or paste does.
fn handle_event(app: &mut App, event: Event, area: Rect) {
    let actions: Vec<Action> = match event {
        Event::Key(key) if key.kind == event::KeyEventKind::Press => {
            keys::action_for(app.context(), &key).into_iter().collect()
        }
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => vec![Action::Click {
                column: mouse.column,
                row: mouse.row,
            }],
            MouseEventKind::ScrollUp => vec![Action::ScrollUp],
            MouseEventKind::ScrollDown => vec![Action::ScrollDown],
            _ => Vec::new(),
        },
        // A paste is typed into a text field (already capped by the reader), one line;
        // anywhere else it is ignored rather than taken as commands.
        Event::Paste(text) if app.context().is_text_field() => {
            pasted_text(&text).map(Action::Type).collect()
        }
        // A resize needs only the redraw.
        _ => Vec::new(),
    };
    for action in actions {
        app.update(action, area);
    }
}

/// The characters of a paste as they are typed: line breaks and tabs become spaces, and
/// other control characters are left out.
fn pasted_text(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter_map(|c| match c {
        '\n' | '\r' | '\t' => Some(' '),
        c if c.is_control() => None,
        c => Some(c),
    })
}
