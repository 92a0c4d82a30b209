//! A change saved is the command's result, whatever happens to its output afterwards.
//! `sanctuary clients add ... | head -0` used to save the client, then die of SIGPIPE
//! printing its id (status 141), so a script that retries a failed command added the
//! client twice. Now a closed output before anything is saved ends the command as any
//! Unix tool ends (killed by SIGPIPE, status 141), and a closed output after the change
//! was committed ends it at once with success (status 0): nothing is left undone, since
//! every write command commits before it prints.

use std::sync::atomic::{AtomicBool, Ordering};

static SAVED: AtomicBool = AtomicBool::new(false);

/// Says the command's change is committed: from now on a closed output is not a failure.
pub fn saved() {
    SAVED.store(true, Ordering::SeqCst);
}

extern "C" fn on_closed_output(_signal: libc::c_int) {
    if SAVED.load(Ordering::SeqCst) {
        // SAFETY: _exit is safe in a signal handler; the change is already on disk.
        unsafe { libc::_exit(0) }
    }
    // SAFETY: signal and raise are safe in a signal handler. The signal is blocked while
    // this handler runs, so it ends the process, as by default, once the handler returns.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
}

/// Installs the SIGPIPE handler. Call it first in `main`, before any thread starts.
pub fn watch_for_closed_output() {
    #[cfg(unix)]
    // SAFETY: installs a handler that only reads an atomic and calls signal-safe functions.
    unsafe {
        libc::signal(
            libc::SIGPIPE,
            on_closed_output as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
}
