//! Leaving the app in a hurry: every way the app ends while the full screen is up (the
//! quick-exit keys, a signal that ends the process, a panic) clears the screen and the
//! scrollback and gives the terminal back the same way, from whichever thread notices,
//! without waiting for the main loop.

use std::io::{self, Write};
use std::sync::OnceLock;

/// The terminal's settings from before the app changed them.
static SAVED: OnceLock<libc::termios> = OnceLock::new();

/// What puts the terminal back and wipes it: cancel any half-written escape sequence
/// (CAN), plain colours, mouse reporting and bracketed paste off, the app's screen
/// cleared and left, the cursor shown, then the screen and its scrollback cleared.
const WIPE: &[u8] = b"\x18\x1b[0m\
\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\
\x1b[H\x1b[2J\x1b[?1049l\x1b[?25h\x1b[H\x1b[2J\x1b[3J";

/// The signals that end the app, each a quick exit. SIGABRT (an abort, such as running
/// out of memory) is handled apart: it is raised on the thread that aborts, which
/// never returns to the app.
const ENDING: &[i32] = &[
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
    signal_hook::consts::SIGUSR1,
    signal_hook::consts::SIGUSR2,
    signal_hook::consts::SIGALRM,
    signal_hook::consts::SIGXCPU,
];

/// Remembers the terminal's settings and starts watching for signals and panics. Call it
/// before the terminal is put in raw mode.
pub fn arm() -> io::Result<()> {
    // SAFETY: tcgetattr fills a termios we own; a zeroed termios is a valid value.
    let mut settings: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut settings) } == 0 {
        let _ = SAVED.set(settings);
    }
    let mut signals = signal_hook::iterator::Signals::new(ENDING)?;
    std::thread::Builder::new()
        .name("ending signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                leave_now(128 + signal);
            }
        })?;
    // SAFETY: the action only calls write, tcsetattr and _exit, which are safe in a
    // signal handler.
    unsafe {
        signal_hook::low_level::register(signal_hook::consts::SIGABRT, || {
            wipe_and_restore();
            libc::_exit(128 + signal_hook::consts::SIGABRT);
        })?;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _stop_drawing = io::stdout().lock();
        wipe_and_restore();
        previous(info);
        let _ = io::stderr().flush();
        // SAFETY: ends the process at once; nothing may draw the screen again.
        unsafe { libc::_exit(101) }
    }));
    Ok(())
}

/// Clears the screen and gives the terminal back, using only calls that are safe in a
/// signal handler.
fn wipe_and_restore() {
    let mut rest = WIPE;
    while !rest.is_empty() {
        // SAFETY: writes bytes from a static slice.
        let written = unsafe { libc::write(libc::STDOUT_FILENO, rest.as_ptr().cast(), rest.len()) };
        if written <= 0 {
            break;
        }
        rest = &rest[written as usize..];
    }
    if let Some(settings) = SAVED.get() {
        // SAFETY: restores settings read from this terminal by `arm`. TCSAFLUSH drops
        // input not read yet, so the rest of a paste never reaches the shell.
        unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSAFLUSH, settings) };
    }
}

/// Wipes the screen, gives the terminal back and ends the process with this status,
/// from any thread. Holding the lock on standard output first means the app cannot draw
/// again after the wipe; what it had buffered is never written.
pub fn leave_now(status: i32) -> ! {
    let _stop_drawing = io::stdout().lock();
    wipe_and_restore();
    // SAFETY: _exit ends the process without flushing the app's buffered output.
    unsafe { libc::_exit(status) }
}

/// F12 or Ctrl-x, seen in the raw input.
pub fn quick_exit() -> ! {
    leave_now(0)
}

/// The terminal went away: leave as a hang-up would.
pub fn hung_up() -> ! {
    leave_now(128 + signal_hook::consts::SIGHUP)
}
