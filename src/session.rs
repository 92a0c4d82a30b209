//! What both front-ends share: today's date (the only place the clock is read for the
//! casework and the guides), finding and unlocking the case store: where it lives, and the
//! passphrase, asked without echo (twice when the store is new) or taken from
//! SANCTUARY_PASSPHRASE for scripts.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use sanctuary::casework::store::Store;

/// The variable that sets the day sanctuary takes as today (`YYYY-MM-DD`), for tests
/// and for checking what a guide or a due date will say on another day.
pub const TODAY_VAR: &str = "SANCTUARY_TODAY";

/// Today's date on this machine, or the day `SANCTUARY_TODAY` names. The library is
/// given it; it never reads the clock itself.
pub fn today() -> chrono::NaiveDate {
    std::env::var(TODAY_VAR)
        .ok()
        .and_then(|text| sanctuary::calendar::dates::parse_date(&text).ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// The environment variable scripts use to pass the passphrase.
pub const PASSPHRASE_VAR: &str = "SANCTUARY_PASSPHRASE";

/// The store file: `--store PATH`, or `cases.db` in the platform's data directory.
pub fn store_path(explicit: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    let dirs = directories::ProjectDirs::from("org", "sanctuary", "sanctuary")
        .context("could not find a data directory for the case store: give --store PATH")?;
    Ok(dirs.data_dir().join("cases.db"))
}

/// Opens the store, creating it (and its folder, owner-only) on first use.
pub fn open_store(explicit: Option<&Path>) -> anyhow::Result<Store> {
    let path = store_path(explicit)?;
    let creating = !path.exists();
    if creating && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir).with_context(|| format!("could not create {}", dir.display()))?;
    }
    let passphrase = passphrase(&path, creating)?;
    Ok(Store::open(&path, &passphrase)?)
}

/// Creates the store's folder, owner-only (0700), if it is not there yet.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn passphrase(path: &Path, creating: bool) -> anyhow::Result<String> {
    if let Ok(value) = std::env::var(PASSPHRASE_VAR) {
        return Ok(value);
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "the case store {} needs a passphrase: type it at a terminal, or set {PASSPHRASE_VAR} for scripts",
            path.display()
        );
    }
    if creating {
        eprintln!(
            "Creating a new encrypted case store at {}.\nChoose a passphrase. Without it the store cannot be opened: keep it safe.",
            path.display()
        );
        let first = rpassword::prompt_password("New passphrase: ")?;
        if first.is_empty() {
            bail!("the passphrase cannot be empty; nothing was created");
        }
        let second = rpassword::prompt_password("Type it again: ")?;
        if first != second {
            bail!("the two passphrases differ; nothing was created");
        }
        Ok(first)
    } else {
        Ok(rpassword::prompt_password(format!(
            "Passphrase for {}: ",
            path.display()
        ))?)
    }
}
