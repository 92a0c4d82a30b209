//! The binary: the two front-ends (the command line and the full-screen app) and what they
//! share (`session`: where the store is, unlocking it, today's date; `terminal_text`:
//! making text safe to print). They are clients of the `sanctuary` library and live here
//! so that the library cannot import them.

mod cli;
mod session;
mod terminal_text;
mod tui;
mod wording;

fn main() -> std::process::ExitCode {
    guard_the_process();
    cli::main()
}

/// Set before anything else runs. A closed standard output (`sanctuary guides list |
/// head -1`) ends the program quietly with the usual status for a broken pipe, as for
/// any Unix tool, instead of a panic in the middle of printing (Rust ignores SIGPIPE
/// unless told otherwise). No core dump is ever written: one would hold the client
/// details and the passphrase in clear. On Linux the process is also made undumpable,
/// which keeps other processes of the same user from reading its memory.
fn guard_the_process() {
    #[cfg(unix)]
    // SAFETY: called first in main, before any thread starts; each call only changes a
    // process setting and is given valid arguments.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &none);
    }
    #[cfg(target_os = "linux")]
    // SAFETY: as above; PR_SET_DUMPABLE takes a plain integer.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}
