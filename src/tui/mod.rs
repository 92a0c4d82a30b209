//! The full-screen app, built as state + update + view (see `app`). This module owns the
//! terminal: it sets it up, turns events into actions, and always gives the terminal back,
//! after a normal exit, an error, a panic, Ctrl-C or a quick exit. A signal to end
//! (SIGTERM, SIGHUP, SIGINT, SIGQUIT: a closed terminal window, `kill`, a logout) is a
//! quick exit too: the screen is cleared and the terminal restored before the app ends.

pub mod action;
pub mod app;
pub mod keys;
pub mod letters_folder;
pub mod line_edit;
pub mod screens;
pub mod settings;
pub mod text;
pub mod theme;

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

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
    app.profile = settings::load(app.letters.settings_file())
        .adviser
        .unwrap_or_default();
    if let Some(id) = &start
        && !app.open_guide(id)
    {
        return Err(GuideError::UnknownGuide(id.clone()).into());
    }
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        anyhow::bail!(
            "the full-screen app needs a terminal for its input and output; for a script, a pipe or a screen reader use `sanctuary guide run ID --plain` and the other commands (see `sanctuary --help`)"
        );
    }
    let signals = EndSignals::watch()?;
    watch_for_hang_up();
    // ratatui::try_init enters raw mode and the alternate screen and installs a panic
    // hook that restores the terminal before the panic message is printed.
    let mut terminal = ratatui::try_init()?;
    execute!(io::stdout(), EnableMouseCapture)?;
    let result = event_loop(&mut terminal, &mut app, &signals);
    let signal = signals.received();
    let quick_exit = app.exit == Some(Exit::QuickExit) || signal.is_some();
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
        // Ended by a signal: the status a shell expects for it (128 + its number).
        std::process::exit(signal.map_or(0, |signal| 128 + signal));
    }
    result
}

/// The signals that ask a program to end, caught while the app runs so that it can
/// clear the screen and give the terminal back first.
struct EndSignals {
    received: Arc<AtomicUsize>,
    ids: Vec<signal_hook::SigId>,
}

impl EndSignals {
    fn watch() -> io::Result<EndSignals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        let received = Arc::new(AtomicUsize::new(0));
        let mut ids = Vec::new();
        for signal in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
            let number = usize::try_from(signal).unwrap_or_default();
            ids.push(signal_hook::flag::register_usize(
                signal,
                received.clone(),
                number,
            )?);
        }
        Ok(EndSignals { received, ids })
    }

    /// The signal that arrived, if one did.
    fn received(&self) -> Option<i32> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            signal => i32::try_from(signal).ok(),
        }
    }
}

impl Drop for EndSignals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// Clears the visible screen and the scrollback, and puts the cursor home (also what
/// plain mode's "leave at once" does on a terminal).
pub fn wipe_screen() {
    let mut out = io::stdout();
    let _ = out.write_all(b"\x1b[H\x1b[2J\x1b[3J");
    let _ = out.flush();
}

/// Whether the terminal has gone away (the window was closed, or the connection to it
/// dropped) without a hang-up signal reaching the app: its input is then "ready" with
/// nothing in it, and would otherwise be read as empty for ever, at full speed.
fn terminal_hung_up() -> bool {
    #[cfg(unix)]
    {
        let mut input = libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, a zero timeout; poll only writes `revents`.
        let ready = unsafe { libc::poll(&mut input, 1, 0) };
        if ready <= 0 {
            return false;
        }
        if input.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            return true;
        }
        // Readable with nothing to read is the end of input: the terminal is gone.
        let mut waiting: libc::c_int = 0;
        // SAFETY: FIONREAD writes one c_int, the number of bytes waiting.
        let asked = unsafe { libc::ioctl(libc::STDIN_FILENO, libc::FIONREAD, &mut waiting) };
        asked == 0 && waiting == 0
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Ends the process when the terminal goes away without a hang-up signal: the input
/// library then reads the empty terminal in a loop it never leaves, so the check runs
/// on its own thread. It must see the hang-up three times running, 50 ms apart, so
/// keys being typed are never taken for it.
fn watch_for_hang_up() {
    std::thread::spawn(|| {
        let mut seen = 0;
        loop {
            std::thread::sleep(Duration::from_millis(50));
            seen = if terminal_hung_up() { seen + 1 } else { 0 };
            if seen >= 3 {
                // Nobody can see the screen any more; leave as a hang-up would.
                let _ = crossterm::terminal::disable_raw_mode();
                std::process::exit(128 + signal_hook::consts::SIGHUP);
            }
        }
    });
}

/// How long the app waits for a key before it looks for a signal again.
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    signals: &EndSignals,
) -> anyhow::Result<()> {
    loop {
        terminal.draw(|frame| app.view(frame))?;
        let size = terminal.size()?;
        let area = Rect::new(0, 0, size.width, size.height);
        while !event::poll(SIGNAL_CHECK)? {
            if signals.received().is_some() {
                return Ok(());
            }
        }
        if signals.received().is_some() {
            return Ok(());
        }
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
