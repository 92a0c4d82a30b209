//! The two front-ends (the command line and the full-screen app) and what they share
//! (`session`: where the store is, unlocking it, today's date; `terminal_text`: making text
//! safe to print; `wording`: small helpers for the words on screen). They are clients of the
//! `sanctuary` library (`src/core`), a crate of its own whose manifest lists no terminal or
//! argument-parsing crate, so the library cannot reach them.
//!
//! This is a library target only so that the benchmarks can draw the app's frames; the
//! program itself is `src/main.rs`.

pub mod cli;
pub mod session;
pub mod terminal_text;
pub mod tui;
pub mod wording;
