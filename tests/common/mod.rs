//! Helpers shared by the tests that drive the real binary in a pseudo-terminal: start it
//! (at 80x24 unless told otherwise), type keys, read the screen as a terminal draws it, and
//! wait for text or for the program to end. Each test file that needs them says `mod common;`.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub mod cli;

pub struct Terminal {
    pub master: Box<dyn portable_pty::MasterPty + Send>,
    pub writer: Box<dyn Write + Send>,
    pub output: Arc<Mutex<Vec<u8>>>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Columns and rows, as the screen is read.
    size: std::cell::Cell<(u16, u16)>,
}

impl Terminal {
    pub fn start(args: &[&str]) -> Terminal {
        Terminal::start_with_env(args, &[])
    }

    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Terminal {
        Terminal::start_in(None, args, env)
    }

    pub fn start_in(
        dir: Option<&std::path::Path>,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Terminal {
        Terminal::start_sized(dir, args, env, 80, 24)
    }

    /// Starts the program in a terminal of `cols` x `rows`.
    pub fn start_sized(
        dir: Option<&std::path::Path>,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Terminal {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_sanctuary"));
        cmd.args(args);
        if let Some(dir) = dir {
            cmd.cwd(dir);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("SANCTUARY_PASSPHRASE");
        cmd.env_remove("NO_COLOR");
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pty.slave.spawn_command(cmd).expect("the binary starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        Terminal {
            master: pty.master,
            writer,
            output,
            child,
            size: std::cell::Cell::new((cols, rows)),
        }
    }

    pub fn screen(&self) -> String {
        self.drawn().screen().contents()
    }

    /// The screen's rows, as shown.
    pub fn rows(&self) -> Vec<String> {
        let (cols, _) = self.size.get();
        self.drawn().screen().rows(0, cols).collect()
    }

    /// Everything the app wrote so far, drawn on a terminal of the current size.
    fn drawn(&self) -> vt100::Parser {
        let size = |n| std::num::NonZeroU16::new(n).unwrap();
        let (cols, rows) = self.size.get();
        let mut parser = vt100::Parser::new(size(rows), size(cols), 0);
        parser.process(&self.output.lock().unwrap());
        parser
    }

    /// Waits up to 20 seconds for `text` on the screen, and returns the screen once the app
    /// has finished drawing it: a frame can reach the terminal in pieces, and a test that
    /// reads the rest of the screen must not see only the piece that brought `text`.
    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                let settled = self.settled();
                return if settled.contains(text) {
                    settled
                } else {
                    screen
                };
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// The screen once nothing new has arrived for 20 ms (or after one second of drawing).
    fn settled(&self) -> String {
        let give_up = Instant::now() + Duration::from_secs(1);
        let mut received = self.output.lock().unwrap().len();
        loop {
            std::thread::sleep(Duration::from_millis(20));
            let now = self.output.lock().unwrap().len();
            if now == received || Instant::now() > give_up {
                return self.screen();
            }
            received = now;
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits up to ten seconds for `done` to hold of the terminal; fails with `failure`.
    pub fn wait_until(&self, done: impl Fn(&Terminal) -> bool, failure: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(self) {
            assert!(Instant::now() < deadline, "{failure}");
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Waits for the app to end; whether it ended well.
    pub fn wait_exit(&mut self) -> bool {
        self.wait_status().success()
    }

    /// Waits for the app to end; its exit code (128 + the signal for one that ended it).
    pub fn wait_exit_code(&mut self) -> u32 {
        self.wait_status().exit_code()
    }

    fn wait_status(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread collect the last bytes.
                std::thread::sleep(Duration::from_millis(200));
                return status;
            }
            assert!(Instant::now() < deadline, "the app did not exit");
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Sends `signal` to the app.
    pub fn signal(&self, signal: i32) {
        let pid = self.child.process_id().expect("a process id");
        // SAFETY: sends a signal to the child this test started.
        let sent = unsafe { libc::kill(pid as libc::pid_t, signal) };
        assert_eq!(sent, 0, "kill failed");
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.size.set((cols, rows));
    }

    pub fn raw(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }
}

/// HOME and the configuration folder in `dir`, so the letters folder (by default
/// `~/Documents/sanctuary-letters`) and its setting are the test's own.
pub fn home_in(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    vec![
        ("HOME", dir.display().to_string()),
        ("XDG_CONFIG_HOME", dir.join("config").display().to_string()),
        ("XDG_DATA_HOME", dir.join("data").display().to_string()),
    ]
}

pub fn env_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The PDFs in a folder, by name.
pub fn pdfs_in(folder: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".pdf"))
        .collect();
    files.sort();
    files
}
