//! A capture of the loopback traffic to one TCP port, with `tshark`, into a root-owned folder
//! (dumpcap cannot write into the server's `nobody`-owned one).

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use tempfile::TempDir;

use crate::machine;

/// How long tshark may take to start capturing.
const READY_WITHIN: Duration = Duration::from_secs(30);
/// A safety net: a capture left behind ends by itself after this many seconds.
const AUTOSTOP_SECONDS: u32 = 900;

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("cannot make a folder for the capture: {0}")]
    Folder(std::io::Error),
    #[error("cannot run tshark: {0}")]
    Spawn(std::io::Error),
    #[error("tshark did not start capturing within {READY_WITHIN:?}; it said:\n{said}")]
    NotReady { said: String },
    #[error("cannot read the capture {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A running `tshark -i lo -f 'tcp port N'`; [`finish`](Self::finish) stops it and returns the
/// captured packets (pcapng bytes). Dropping it stops it too.
pub struct LoopbackCapture {
    child: Child,
    said: mpsc::Receiver<String>,
    folder: TempDir,
}

impl LoopbackCapture {
    /// Starts capturing loopback TCP traffic to or from `port`, and returns once tshark says
    /// it is capturing.
    ///
    /// `None` when tshark is not installed (after one line saying so), unless CI requires it
    /// (see [`crate::tshark_required`]), which panics. Panics if tshark is here but does not
    /// capture (capturing on `lo` needs root or the capture capabilities).
    pub fn start(test: &str, port: u16) -> Option<LoopbackCapture> {
        let Some(tshark) = machine::on_path("tshark") else {
            let why = "tshark is not installed, so the loopback capture was not taken \
                       (install the tshark package)";
            if machine::tshark_required() {
                panic!(
                    "{test}: the capture is required here (CI=true or SANCTUARY_REQUIRE_TSHARK=1), but {why}"
                );
            }
            machine::say_skipped(test, "the loopback capture", why);
            return None;
        };
        match LoopbackCapture::spawn(tshark, port) {
            Ok(capture) => Some(capture),
            Err(error) => panic!("{test}: {error}"),
        }
    }

    fn spawn(tshark: PathBuf, port: u16) -> Result<LoopbackCapture, CaptureError> {
        let folder = tempfile::Builder::new()
            .prefix("sanctuary-capture-")
            .tempdir()
            .map_err(CaptureError::Folder)?;
        let file = folder.path().join("loopback.pcapng");
        let mut child = Command::new(tshark)
            .args(["-i", "lo", "-q", "-n"])
            .args(["-f", &format!("tcp port {port}")])
            .args(["-a", &format!("duration:{AUTOSTOP_SECONDS}")])
            .arg("-w")
            .arg(&file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(CaptureError::Spawn)?;
        let said = forward_lines(child.stderr.take());
        let mut capture = LoopbackCapture {
            child,
            said,
            folder,
        };
        capture.wait_until_capturing()?;
        Ok(capture)
    }

    fn wait_until_capturing(&mut self) -> Result<(), CaptureError> {
        let mut said = String::new();
        let deadline = std::time::Instant::now() + READY_WITHIN;
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.said.recv_timeout(left) {
                Ok(line) if line.contains("Capturing on") => return Ok(()),
                Ok(line) => {
                    said.push_str(&line);
                    said.push('\n');
                }
                Err(_) => break,
            }
        }
        Err(CaptureError::NotReady { said })
    }

    /// Stops the capture (after a moment, so the last packets reach the file) and returns
    /// the captured bytes.
    pub fn finish(mut self) -> Vec<u8> {
        std::thread::sleep(Duration::from_millis(500));
        self.interrupt();
        let path = self.folder.path().join("loopback.pcapng");
        match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(source) => panic!("{}", CaptureError::Read { path, source }),
        }
    }

    /// SIGINT, which makes tshark flush and close the file, then waits for it.
    fn interrupt(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let Ok(pid) = libc::pid_t::try_from(self.child.id()) else {
            let _ = self.child.kill();
            return;
        };
        // SAFETY: kill has no memory-safety preconditions; the pid is our own child, not yet
        // reaped (try_wait above), so it cannot name another process.
        unsafe { libc::kill(pid, libc::SIGINT) };
        if self.child.wait().is_err() {
            let _ = std::io::stderr().write_all(b"warning: tshark did not stop\n");
        }
    }
}

impl Drop for LoopbackCapture {
    fn drop(&mut self) {
        self.interrupt();
    }
}

/// Sends each line tshark writes on stderr down a channel, from a thread that reads to EOF
/// (so tshark never blocks on a full pipe).
fn forward_lines(stderr: Option<std::process::ChildStderr>) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    if let Some(stderr) = stderr {
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                // The receiver may be gone once the capture is ready; keep draining.
                let _ = sender.send(line);
            }
        });
    }
    receiver
}
