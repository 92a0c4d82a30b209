//! What this machine offers: the PostgreSQL binaries, `setpriv` when running as root, `tshark`,
//! and whether the environment (CI) demands them.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The unprivileged user and group (`nobody`/`nogroup`) the server runs as when the tests run
/// as root.
pub(crate) const NOBODY: u32 = 65534;

fn env_is_set(name: &str) -> bool {
    std::env::var(name).is_ok_and(|value| matches!(value.trim(), "1" | "true" | "yes"))
}

/// Whether a PostgreSQL test must fail rather than skip when PostgreSQL is missing:
/// `CI=true` or `SANCTUARY_REQUIRE_POSTGRES=1`.
pub fn postgres_required() -> bool {
    env_is_set("CI") || env_is_set("SANCTUARY_REQUIRE_POSTGRES")
}

/// Whether a test that captures loopback traffic must fail rather than skip the capture when
/// `tshark` is missing: `CI=true` or `SANCTUARY_REQUIRE_TSHARK=1`.
pub fn tshark_required() -> bool {
    env_is_set("CI") || env_is_set("SANCTUARY_REQUIRE_TSHARK")
}

/// Says in one line, on the real stderr (not the test harness's captured output, so it shows
/// under a plain `cargo test`), that `test` skipped a part and why.
pub(crate) fn say_skipped(test: &str, what: &str, why: &str) {
    let line = format!("note: {test}: skipped {what}: {why}\n");
    // If stderr is gone there is nobody to tell.
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Leaves an empty file named `test` in `$SANCTUARY_POSTGRES_MARKERS`, if set, so CI can count
/// the PostgreSQL tests that really ran.
pub(crate) fn leave_marker(test: &str) {
    if let Some(folder) = std::env::var_os("SANCTUARY_POSTGRES_MARKERS") {
        write_marker(Path::new(&folder), test);
    }
}

fn write_marker(folder: &Path, test: &str) {
    let name: String = test
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let written =
        std::fs::create_dir_all(folder).and_then(|()| std::fs::write(folder.join(&name), b""));
    if let Err(error) = written {
        panic!(
            "cannot leave the marker for {test} in {}: {error}",
            folder.display()
        );
    }
}

pub(crate) fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn has_server_binaries(dir: &Path) -> bool {
    ["initdb", "pg_ctl", "postgres"]
        .iter()
        .all(|name| dir.join(name).is_file())
}

/// The newest `/usr/lib/postgresql/<version>/bin` that holds a server.
fn debian_bin_dir() -> Option<PathBuf> {
    let entries = std::fs::read_dir("/usr/lib/postgresql").ok()?;
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            has_server_binaries(&bin).then_some((version, bin))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, bin)| bin)
}

/// The folder of the first program called `name` on `PATH`, symlinks resolved.
pub(crate) fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The folder holding `initdb`, `pg_ctl`, `postgres`, `psql` and `pg_dump`:
/// `$SANCTUARY_PG_BIN`, else the newest Debian `/usr/lib/postgresql/*/bin`, else wherever
/// `initdb` on `PATH` really lives. `Err` says what is missing.
pub(crate) fn postgres_bin_dir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("SANCTUARY_PG_BIN") {
        let dir = PathBuf::from(dir);
        return if has_server_binaries(&dir) {
            Ok(dir)
        } else {
            Err(format!(
                "SANCTUARY_PG_BIN={} has no initdb, pg_ctl and postgres",
                dir.display()
            ))
        };
    }
    if let Some(dir) = debian_bin_dir() {
        return Ok(dir);
    }
    let from_path = on_path("initdb")
        .and_then(|initdb| std::fs::canonicalize(initdb).ok())
        .and_then(|initdb| initdb.parent().map(Path::to_path_buf))
        .filter(|dir| has_server_binaries(dir));
    from_path.ok_or_else(|| {
        "no PostgreSQL server here (no initdb, pg_ctl and postgres in /usr/lib/postgresql/*/bin \
         or on PATH; install the postgresql package)"
            .to_string()
    })
}

/// `setpriv`, needed to run the server as `nobody` when the tests run as root.
pub(crate) fn setpriv() -> Result<Option<PathBuf>, String> {
    if !running_as_root() {
        return Ok(None);
    }
    on_path("setpriv").map(Some).ok_or_else(|| {
        "running as root, and setpriv (util-linux) is missing, which initdb needs to run as nobody"
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_name_keeps_only_safe_characters() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        write_marker(folder.path(), "team::sync/pulls only seq > last");
        let names: Vec<String> = std::fs::read_dir(folder.path())
            .expect("the marker folder")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .into_string()
                    .expect("utf-8")
            })
            .collect();
        assert_eq!(names, ["team__sync_pulls_only_seq___last"]);
    }
}
