//! The full-screen app, built as state + update + view (see `app`). This module owns the
//! terminal: it sets it up, turns events into actions, and always gives the terminal back,
//! after a normal exit, an error, a panic, Ctrl-C or a quick exit.

pub mod action;
pub mod app;
pub mod keys;
pub mod letters_folder;
pub mod screens;
pub mod text;
pub mod theme;

use std::io::{self, Write};
use std::sync::Arc;

use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, MouseButton, MouseEventKind,
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
    start: Option<String>,
    store_path: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let catalogue = sanctuary::letter::Catalogue::embedded()?;
    let mut app = App::new(
        Arc::new(library),
        Arc::new(catalogue),
        Theme::from_env(),
        crate::session::today(),
    );
    app.store_path = store_path;
    app.letters = letters_folder::LettersFolder::load();
    if let Some(id) = &start
        && !app.open_guide(id)
    {
        return Err(GuideError::UnknownGuide(id.clone()).into());
    }
    // ratatui::init enters raw mode and the alternate screen and installs a panic hook
    // that restores the terminal before the panic message is printed.
    let mut terminal = ratatui::init();
    execute!(io::stdout(), EnableMouseCapture)?;
    let result = event_loop(&mut terminal, &mut app);
    let quick_exit = app.exit == Some(Exit::QuickExit);
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture);
    if quick_exit {
        // Blank the alternate screen too, before leaving it.
        let _ = out.write_all(b"\x1b[2J");
    }
    drop(terminal);
    let _ = execute!(out, crossterm::cursor::Show);
    ratatui::restore();
    if quick_exit {
        wipe_screen();
        std::process::exit(0);
    }
    result
}

/// Clears the visible screen and the scrollback, and puts the cursor home.
fn wipe_screen() {
    let mut out = io::stdout();
    let _ = out.write_all(b"\x1b[H\x1b[2J\x1b[3J");
    let _ = out.flush();
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> anyhow::Result<()> {
    loop {
        terminal.draw(|frame| app.view(frame))?;
        let size = terminal.size()?;
        let area = Rect::new(0, 0, size.width, size.height);
        let action = match event::read()? {
            Event::Key(key) if key.kind == event::KeyEventKind::Press => {
                keys::action_for(app.context(), &key)
            }
            Event::Mouse(mouse) => match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                    column: mouse.column,
                    row: mouse.row,
                }),
                MouseEventKind::ScrollUp => Some(Action::ScrollUp),
                MouseEventKind::ScrollDown => Some(Action::ScrollDown),
                _ => None,
            },
            // A resize needs only the redraw at the top of the loop.
            _ => None,
        };
        if let Some(action) = action {
            app.update(action, area);
        }
        if app.exit.is_some() {
            return Ok(());
        }
    }
}
