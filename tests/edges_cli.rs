//! The edges of the command line, through the real binary: a write command whose output
//! is closed after it saved succeeds (so a retrying script adds nothing twice), and a
//! letter half-written by a killed process is swept away by the next write.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use sanctuary::casework::store::{ClientId, ClientRecord, Store};

use common::cli::{Case, on_store};

const PASSPHRASE: &str = "a saved change is a success";

impl Case {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = self.command_on(Path::new("cases.db"));
        command.args(args);
        command
    }

    /// A command on the store at `store`.
    fn command_on(&self, store: &Path) -> Command {
        let mut command = on_store(store, PASSPHRASE);
        command
            .current_dir(self.dir.path())
            .env("SANCTUARY_TODAY", "2026-12-04")
            .env("HOME", self.dir.path());
        command
    }

    /// Runs a command whose standard output is closed before it prints anything, as
    /// `sanctuary ... | true` does.
    fn with_output_closed(&self, args: &[&str]) -> ExitStatus {
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        child.wait().unwrap()
    }

    fn record(&self) -> ClientRecord {
        let store = Store::open(&self.path("cases.db"), PASSPHRASE).unwrap();
        store.client_record(ClientId(1)).unwrap()
    }
}

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/clients/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn a_write_command_whose_output_is_closed_after_saving_succeeds_once() {
    use std::os::unix::process::ExitStatusExt;
    let case = Case::new();
    let client = fixture("olena.toml");
    let closed = |args: &[&str]| {
        let status = case.with_output_closed(args);
        assert!(
            status.success(),
            "{args:?} ended with {status:?} (signal {:?}) after saving",
            status.signal()
        );
    };
    closed(&["clients", "add", "--client", &client]);
    let record = case.record();
    closed(&[
        "requests",
        "add",
        "--client",
        "1",
        "--to",
        "home-office",
        "--template",
        "sar-home-office",
        "--sent",
        "2026-09-01",
        "--received",
        "2026-09-01",
    ]);
    std::fs::create_dir(case.path("letters")).unwrap();
    closed(&[
        "requests",
        "new",
        "--client",
        "1",
        "--to",
        "home-office",
        "--request-type",
        "basic",
        "--folder",
        "letters",
    ]);
    closed(&[
        "requests",
        "reply",
        "1",
        "--date",
        "2026-10-20",
        "--got",
        "purposes,copy",
    ]);
    closed(&[
        "requests",
        "chaser",
        "1",
        "-o",
        "chaser.txt",
        "--format",
        "txt",
    ]);
    closed(&[
        "requests",
        "complaint",
        "1",
        "--to-controller",
        "-o",
        "complaint.txt",
        "--format",
        "txt",
    ]);
    let after = case.record();
    assert_eq!(record.client.display_name, "Олена Шевченко");
    assert_eq!(after.requests.len(), 2, "one request added, one made");
    assert_eq!(after.replies.len(), 1);
    assert!(case.path("chaser.txt").exists() && case.path("complaint.txt").exists());

    // Before anything is saved, a closed output is still the usual broken pipe.
    let status = case.with_output_closed(&["clients", "list"]);
    assert_eq!(status.signal(), Some(libc::SIGPIPE), "{status:?}");
}

/// A hidden temporary file as a killed write leaves it: complete, a minute old.
fn plant_stale(folder: &Path, name: &str) -> PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, "%PDF-1.7 Олена Шевченко").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    path
}

#[test]
fn a_letter_left_half_done_by_a_killed_write_is_swept_by_the_next_write() {
    let case = Case::new();
    let folder = case.path("out");
    std::fs::create_dir(&folder).unwrap();
    let stale = plant_stale(&folder, ".out13.pdf.05ced6ca5f43c479.tmp");
    let unrelated = plant_stale(&folder, ".notes.tmp");
    let output = case
        .command(&[
            "letter",
            "sar-generic",
            "--to",
            "dwp",
            "--client",
            &fixture("olena.toml"),
            "-o",
            "out/letter.txt",
            "--format",
            "txt",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(!stale.exists(), "the hidden letter was left");
    assert!(unrelated.exists(), "a file not ours was removed");
}

#[test]
fn an_error_says_its_cause_once() {
    let case = Case::new();
    // sysfs refuses new files, even to root: a write error with an operating-system cause.
    let output = case
        .command(&[
            "letter",
            "sar-generic",
            "--to",
            "dwp",
            "--client",
            &fixture("olena.toml"),
            "-o",
            "/sys/letter.pdf",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert_eq!(stderr.matches("(os error").count(), 1, "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
}

/// `setsid` leaves the command with a terminal for input and output but none to ask a
/// passphrase at: it says so, and what to do.
#[test]
fn a_store_opened_with_no_terminal_to_ask_at_says_what_to_do() {
    let case = Case::new();
    case.command(&["clients", "list"]).output().unwrap();
    assert!(case.path("cases.db").exists());
    let store = case.path("cases.db");
    let pty = portable_pty::native_pty_system()
        .openpty(portable_pty::PtySize::default())
        .unwrap();
    let mut command = portable_pty::CommandBuilder::new("setsid");
    command.args(["-w", env!("CARGO_BIN_EXE_sanctuary"), "--store"]);
    command.arg(store.as_os_str());
    command.args(["clients", "list"]);
    command.env_remove("SANCTUARY_PASSPHRASE");
    let mut child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let output = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = std::io::Read::read_to_end(&mut reader, &mut bytes);
        bytes
    });
    let status = child.wait().unwrap();
    drop(pty.master);
    let text = String::from_utf8_lossy(&output.join().unwrap()).into_owned();
    assert!(!status.success());
    assert!(text.contains("no terminal to type it at"), "{text}");
    assert!(text.contains("SANCTUARY_PASSPHRASE"), "{text}");
}

#[test]
fn a_clients_details_never_appear_in_an_error() {
    let case = Case::new();
    let file = case.path("c.toml");
    std::fs::write(
        &file,
        "name = \"Zofia Quickexit\"\ndate_of_birth = \"2030-02-03\"\n",
    )
    .unwrap();
    let output = case
        .command(&["clients", "add", "--client", file.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("date_of_birth is after today"), "{stderr}");
    for detail in ["2030", "03/02", "Zofia", "Quickexit"] {
        assert!(!stderr.contains(detail), "{detail} in: {stderr}");
    }
    // A name that looks like another, with an invisible character inside.
    std::fs::write(&file, "name = \"Zofia\u{200B}Quickexit\"\n").unwrap();
    let output = case
        .command(&["clients", "add", "--client", file.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("name holds an invisible character (U+200B)"),
        "{stderr}"
    );
    assert!(!stderr.contains("Zofia"), "{stderr}");
}

/// A folder made read-only as read-only media would be: a read-only bind mount when the
/// test runs as root (root can write whatever the permissions say), else permissions.
struct ReadOnly {
    mount: Option<PathBuf>,
}

impl ReadOnly {
    fn make(folder: &Path, view: &Path) -> ReadOnly {
        use std::os::unix::fs::PermissionsExt;
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o500)).unwrap();
            std::os::unix::fs::symlink(folder, view).unwrap();
            return ReadOnly { mount: None };
        }
        std::fs::create_dir(view).unwrap();
        let run = |args: &[&str]| {
            let status = Command::new("mount").args(args).status().unwrap();
            assert!(status.success(), "mount {args:?}");
        };
        let (folder, view_text) = (folder.to_str().unwrap(), view.to_str().unwrap());
        run(&["--bind", folder, view_text]);
        let read_only = ReadOnly {
            mount: Some(view.to_path_buf()),
        };
        run(&["-o", "remount,ro,bind", view_text]);
        read_only
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if let Some(view) = &self.mount {
            let _ = Command::new("umount").arg(view).status();
        }
    }
}

#[test]
fn a_store_on_read_only_media_can_be_read_and_says_it_cannot_be_changed() {
    let case = Case::new();
    let folder = case.path("stick");
    std::fs::create_dir(&folder).unwrap();
    let store = folder.join("cases.db");
    let store_arg = store.to_str().unwrap().to_string();
    let run = |store: &str, args: &[&str]| {
        let mut command = case.command_on(Path::new(store));
        command.args(args).output().unwrap()
    };
    let added = run(
        &store_arg,
        &["clients", "add", "--client", &fixture("olena.toml")],
    );
    assert!(added.status.success(), "{added:?}");
    let view = case.path("read-only");
    let _read_only = ReadOnly::make(&folder, &view);
    let on_media = view.join("cases.db");
    let on_media = on_media.to_str().unwrap();
    let listed = run(on_media, &["clients", "list"]);
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.status.success(), "{listed:?}");
    assert!(stdout.contains("Олена Шевченко"), "{stdout}");
    let refused = run(
        on_media,
        &["clients", "add", "--client", &fixture("olena.toml")],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(stderr.contains("can be read but not changed"), "{stderr}");
}
