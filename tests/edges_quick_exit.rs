//! Quick exit first, always: F12 and Ctrl-x end the app whatever is queued ahead of them (a
//! 100 KB paste into the guide filter, or into the client search of a store with 2,000
//! clients), and every signal that ends the process leaves the screen cleared and the
//! terminal restored as quick exit does. (How fast is measured by `benches/quick_exit.rs`,
//! never timed here.)

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sanctuary::casework::store::{NewClient, Store};

mod common;
use common::Terminal;

const PASSPHRASE: &str = "quick exit beats every paste";

/// 100 KB of ordinary text, as a paste of a long document would bring.
fn hundred_kb() -> String {
    "Ann Smith lives at 1 High Street and has a letter from the Home Office. "
        .repeat(100_000 / 72 + 1)
}

/// The same text as a terminal with bracketed paste sends it.
fn bracketed(text: &str) -> String {
    format!("\x1b[200~{text}\x1b[201~")
}

/// A store with 2,000 clients, made through the library in one transaction.
fn store_with_many_clients(dir: &Path) -> PathBuf {
    let path = dir.join("cases.db");
    let mut store = Store::open(&path, PASSPHRASE).unwrap();
    let tx = store.begin().unwrap();
    for n in 0..2000 {
        let name = format!("Client Number{n} Example");
        tx.add_client(&NewClient {
            display_name: name.clone(),
            details_toml: format!("name = \"{name}\"\nother_names = [\"Other{n}\"]\n"),
        })
        .unwrap();
    }
    tx.commit().unwrap();
    path
}

/// The exit status the app ended with (128 + a signal's number for a signal).
fn exit_code(t: &mut Terminal) -> u32 {
    exit_code_and_time(t).0
}

/// The exit status, and when the exit was seen.
fn exit_code_and_time(t: &mut Terminal) -> (u32, Instant) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = t.child.try_wait().unwrap() {
            let seen = Instant::now();
            // Let the reader thread collect the last bytes.
            std::thread::sleep(Duration::from_millis(200));
            return (status.exit_code(), seen);
        }
        assert!(Instant::now() < deadline, "the app did not end");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The terminal given back as quick exit gives it: the alternate screen left, the cursor
/// shown, mouse reporting and bracketed paste off, then screen and scrollback cleared,
/// and nothing on the screen.
fn assert_cleared(t: &Terminal, what: &str) {
    let raw = t.raw();
    let text = String::from_utf8_lossy(&raw);
    let last = |needle: &str| text.rfind(needle);
    let left = last("\x1b[?1049l").expect("the alternate screen was left");
    assert!(left > last("\x1b[?1049h").unwrap(), "{what}: entered again");
    assert!(
        last("\x1b[?25h") > last("\x1b[?25l"),
        "{what}: cursor shown"
    );
    assert!(
        last("\x1b[?1000l") > last("\x1b[?1000h"),
        "{what}: mouse off"
    );
    assert!(
        last("\x1b[?2004l") > last("\x1b[?2004h"),
        "{what}: paste mode off"
    );
    assert!(
        last("\x1b[3J") > Some(left),
        "{what}: scrollback wiped last"
    );
    let screen = t.screen();
    assert!(screen.trim().is_empty(), "{what}: screen left:\n{screen}");
}

/// Pastes, then presses `key`, on a thread of its own, as a person's terminal would while
/// the app reads: 100 KB does not fit in the terminal's input buffer at once, and an app
/// that stopped reading must fail the test, not hang it.
/// The thread's answer is when the key was written.
fn paste_then(t: &mut Terminal, paste: String, key: &str) -> std::thread::JoinHandle<Instant> {
    let mut writer = std::mem::replace(&mut t.writer, Box::new(std::io::sink()));
    let key = key.to_string();
    std::thread::spawn(move || {
        // The app may end part-way through: a failed write is then expected.
        let _ = writer.write_all(paste.as_bytes());
        let _ = writer.write_all(key.as_bytes());
        let _ = writer.flush();
        Instant::now()
    })
}

/// How long after the key was written the app had ended, for the report (never
/// asserted: tests are not timed). `ended` is when the exit was seen.
fn report(name: &str, typing: std::thread::JoinHandle<Instant>, ended: Instant) {
    if let Ok(pressed) = typing.join() {
        eprintln!(
            "{name}: ended {} ms after the key (seen within 5 ms)",
            ended.saturating_duration_since(pressed).as_millis()
        );
    }
}

#[test]
fn f12_and_ctrl_x_after_a_100kb_paste_into_the_guide_filter_end_the_app() {
    for (paste, key, name) in [
        (bracketed(&hundred_kb()), "\x1b[24~", "bracketed paste, F12"),
        (hundred_kb(), "\x1b[24~", "typed-in paste, F12"),
        (bracketed(&hundred_kb()), "\x18", "bracketed paste, Ctrl-x"),
        (hundred_kb(), "\x18", "typed-in paste, Ctrl-x"),
    ] {
        let mut t = Terminal::start(&[]);
        t.wait_for("Decision guides");
        let typing = paste_then(&mut t, paste, key);
        let (code, ended) = exit_code_and_time(&mut t);
        assert_eq!(code, 0, "{name}");
        assert_cleared(&t, name);
        report(&format!("guide filter, {name}"), typing, ended);
    }
}

#[test]
fn f12_and_ctrl_x_after_a_100kb_paste_into_the_client_search_of_2000_clients_end_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_many_clients(dir.path());
    let mut env = common::home_in(dir.path());
    env.push(("SANCTUARY_PASSPHRASE", PASSPHRASE.to_string()));
    let env = common::env_refs(&env);
    for (paste, key, name) in [
        (bracketed(&hundred_kb()), "\x1b[24~", "bracketed paste, F12"),
        (hundred_kb(), "\x1b[24~", "typed-in paste, F12"),
        (hundred_kb(), "\x18", "typed-in paste, Ctrl-x"),
    ] {
        let mut t = Terminal::start_in(
            Some(dir.path()),
            &["--store", store.to_str().unwrap()],
            &env,
        );
        t.wait_for("Decision");
        t.send("\x1bOR"); // F3: casework
        t.wait_for("No request is waiting");
        t.send("\t");
        t.wait_for("Client Number1");
        let typing = paste_then(&mut t, paste, key);
        let (code, ended) = exit_code_and_time(&mut t);
        assert_eq!(code, 0, "{name}");
        assert_cleared(&t, name);
        report(&format!("client search of 2,000, {name}"), typing, ended);
    }
}

#[test]
fn a_paste_is_typed_into_the_search_and_the_app_still_answers() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_many_clients(dir.path());
    let mut env = common::home_in(dir.path());
    env.push(("SANCTUARY_PASSPHRASE", PASSPHRASE.to_string()));
    let env = common::env_refs(&env);
    let mut t = Terminal::start_in(
        Some(dir.path()),
        &["--store", store.to_str().unwrap()],
        &env,
    );
    t.wait_for("Decision");
    t.send("\x1bOR");
    t.wait_for("No request is waiting");
    t.send("\t");
    t.wait_for("Client Number1");
    t.send(&bracketed("Other1999\n"));
    t.wait_for("Client Number1999 Example");
    t.send("\x1b[24~");
    assert_eq!(exit_code(&mut t), 0);
    assert_cleared(&t, "after a short paste");
}

#[test]
fn every_signal_that_ends_the_app_clears_the_screen_first() {
    for signal in [
        libc::SIGTERM,
        libc::SIGUSR1,
        libc::SIGUSR2,
        libc::SIGALRM,
        libc::SIGABRT,
    ] {
        let mut t = Terminal::start(&[]);
        t.wait_for("Decision guides");
        // A paste already handled (the filter shows it) must leave no trace either.
        let typing = paste_then(&mut t, bracketed(&hundred_kb()), "");
        t.wait_for("Filter: Ann Smith lives");
        let _ = typing.join();
        t.signal(signal);
        assert_eq!(exit_code(&mut t), 128 + signal as u32, "signal {signal}");
        assert_cleared(&t, &format!("signal {signal}"));
    }
}
