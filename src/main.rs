//! The binary: the two front-ends (the command line and the full-screen app) and what they
//! share (`session`: where the store is, unlocking it, today's date). They are clients of
//! the `sanctuary` library and live here so that the library cannot import them.

mod cli;
mod session;
mod tui;
mod wording;

fn main() -> std::process::ExitCode {
    cli::main()
}
