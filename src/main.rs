//! The program: guards the process, then hands over to the command line, which starts the
//! full-screen app when asked. The front-ends are in `src/app.rs`; the library they call is
//! the `sanctuary` crate in `src/core`.

fn main() -> std::process::ExitCode {
    guard_the_process();
    sanctuary_app::cli::main()
}

/// Set before anything else runs. A closed standard output (`sanctuary guides list |
/// head -1`) ends the program quietly with the usual status for a broken pipe, as for
/// any Unix tool, instead of a panic in the middle of printing (Rust ignores SIGPIPE
/// unless told otherwise); once a command's change is saved, with success
/// (`sanctuary_app::cli::saved`). No core dump is ever written: one would hold the client
/// details and the passphrase in clear. On Linux the process is also made undumpable,
/// which keeps other processes of the same user from reading its memory.
fn guard_the_process() {
    sanctuary_app::cli::saved::watch_for_closed_output();
    #[cfg(unix)]
    // SAFETY: called first in main, before any thread starts; each call only changes a
    // process setting and is given valid arguments.
    unsafe {
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
