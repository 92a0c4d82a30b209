//! Helpers for tests that walk the shipped guides: every way through a guide to its
//! outcomes (in the library), and a guide run in the real binary's plain mode. A test file
//! that needs them says `#[path = "common/guide_walk.rs"] mod guide_walk;`, so it does not
//! also compile the pseudo-terminal helpers.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

use sanctuary::guide::engine::Advance;
use sanctuary::guide::{Guide, NodeKind, Session};

/// Every way through a guide to one of its outcomes, as the session standing on it.
pub fn sessions_at_outcomes(guide: &Guide) -> Vec<Session> {
    let mut done = Vec::new();
    let mut stack = vec![Session::new(Arc::new(guide.clone()))];
    while let Some(session) = stack.pop() {
        match &session.current().kind {
            NodeKind::Outcome(_) => done.push(session),
            NodeKind::Info { .. } => {
                let mut next = session.clone();
                next.proceed().unwrap();
                stack.push(next);
            }
            NodeKind::Question { choices, .. } => {
                for i in 0..choices.len() {
                    let mut next = session.clone();
                    if let Advance::Moved = next.choose(i).unwrap() {
                        stack.push(next);
                    }
                }
            }
        }
    }
    done
}

/// Runs `sanctuary guide run <guide> --plain` with `input` typed through a pipe, and
/// returns whether it succeeded and what it printed.
pub fn run_plain(guide: &str, input: &str) -> (bool, String) {
    let (ok, out, _) = run_with_input(&["guide", "run", guide, "--plain"], input);
    (ok, out)
}

/// Runs the real binary with `args` and `input` on standard input; returns whether it
/// succeeded, its standard output and its standard error.
pub fn run_with_input(args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sanctuary"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
