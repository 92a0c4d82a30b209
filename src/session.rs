//! What both front-ends share: today's date (the only place the clock is read for the
//! casework and the guides), finding and unlocking the case store: where it lives, what
//! may be there, and the passphrase, asked without echo (twice when the store is new, and
//! refused when it is easy to guess) or taken from SANCTUARY_PASSPHRASE for scripts.

use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use zeroize::Zeroizing;

use sanctuary::casework::store::{Opened, Store, StoreFile, store_file};

use crate::terminal_text::safe_eprintln;

/// The variable that sets the day sanctuary takes as today (`YYYY-MM-DD`), for tests
/// and for checking what a guide or a due date will say on another day.
pub const TODAY_VAR: &str = "SANCTUARY_TODAY";

/// Today's date in the UK (`calendar::dates::uk_date`, whatever the machine's time
/// zone), or the day `SANCTUARY_TODAY` names. The library is given it; it never reads the clock itself.
/// An invalid `SANCTUARY_TODAY` is refused once at start ([`check_today`]); should it
/// change afterwards, the machine's day is used.
pub fn today() -> chrono::NaiveDate {
    checked_today().unwrap_or_else(|_| uk_today())
}

/// [`today`], or the reason `SANCTUARY_TODAY` cannot be used.
pub fn checked_today() -> anyhow::Result<chrono::NaiveDate> {
    match std::env::var(TODAY_VAR) {
        Ok(text) => sanctuary::calendar::dates::parse_date(&text)
            .with_context(|| format!("{TODAY_VAR} is set but is not a date (YYYY-MM-DD)")),
        Err(std::env::VarError::NotPresent) => Ok(uk_today()),
        Err(std::env::VarError::NotUnicode(_)) => {
            bail!("{TODAY_VAR} is set but is not a date (YYYY-MM-DD)")
        }
    }
}

/// The UK's day now, read from the machine's clock.
fn uk_today() -> chrono::NaiveDate {
    sanctuary::calendar::dates::uk_date(chrono::Utc::now())
}

/// Refuses an invalid `SANCTUARY_TODAY` before anything runs, so a typing mistake is
/// never silently the real day.
pub fn check_today() -> anyhow::Result<()> {
    checked_today().map(|_| ())
}

/// Refuses a clock that cannot be right: before 1970 (which the time library cannot
/// even represent) or after 2100, the dates sanctuary works with. Deadlines and letters
/// are dated from the clock, so a wrong one would hide overdue requests or date a letter
/// "5 January +10000".
pub fn check_clock(now: std::time::SystemTime) -> anyhow::Result<()> {
    use sanctuary::calendar::dates::{EARLIEST_YEAR, LATEST_YEAR};
    let plausible = now
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|since| chrono::DateTime::from_timestamp(since.as_secs() as i64, 0))
        .is_some_and(|utc| {
            use chrono::Datelike;
            (EARLIEST_YEAR..=LATEST_YEAR).contains(&utc.year())
        });
    if !plausible {
        bail!(
            "this computer's clock is set to a date before 1970 or after {LATEST_YEAR}, which cannot be right; sanctuary works out deadlines and dates letters from today, so set the clock to today's date and try again. Nothing was changed"
        );
    }
    Ok(())
}

/// The environment variable scripts use to pass the passphrase.
pub const PASSPHRASE_VAR: &str = "SANCTUARY_PASSPHRASE";

/// A passphrase: wiped from memory when dropped, and never shown by `Debug`. It is held
/// only from the moment it is read until the store is open.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Takes the text as it is read, so no other copy of it is kept.
    pub fn new(text: String) -> Self {
        Passphrase(Zeroizing::new(text))
    }

    /// An empty passphrase with room for a long one, for typing into: a string that
    /// grows is copied, and the old copy would not be wiped.
    pub fn with_room() -> Self {
        Passphrase(Zeroizing::new(String::with_capacity(1024)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Adds a typed character. When the room made by [`Passphrase::with_room`] runs
    /// out, the text moves to a larger string and the old one is wiped, so a passphrase
    /// of any length (as the command line accepts) can be typed and no copy is left.
    pub fn push(&mut self, c: char) {
        if self.0.len() + c.len_utf8() > self.0.capacity() {
            let mut larger = Zeroizing::new(String::with_capacity(2 * self.0.capacity() + 8));
            larger.push_str(&self.0);
            self.0 = larger;
        }
        self.0.push(c);
    }

    pub fn pop(&mut self) {
        self.0.pop();
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(hidden)")
    }
}

/// Where the case store is, and whether the person named it with `--store`.
#[derive(Debug, Clone)]
pub struct StoreLocation {
    pub path: PathBuf,
    pub explicit: bool,
}

/// The store file: `--store PATH`, or `cases.db` in the platform's data directory.
pub fn store_location(explicit: Option<&Path>) -> anyhow::Result<StoreLocation> {
    if let Some(path) = explicit {
        return Ok(StoreLocation {
            path: path.to_path_buf(),
            explicit: true,
        });
    }
    let dirs = directories::ProjectDirs::from("org", "sanctuary", "sanctuary")
        .context("could not find a data directory for the case store: give --store PATH")?;
    Ok(StoreLocation {
        path: dirs.data_dir().join("cases.db"),
        explicit: false,
    })
}

/// Whether the store at `location` is there already or would be new, checked before
/// any passphrase is asked. Anything at the path that cannot be a store (a folder, a
/// device such as /dev/null, an empty file) is refused, and so is a new `--store` path
/// whose folder does not exist: sanctuary creates only its own default folder, so a
/// mistyped path is an error, not a new store somewhere unexpected.
pub fn check_location(location: &StoreLocation) -> anyhow::Result<StoreFile> {
    let state = store_file(&location.path)?;
    if state == StoreFile::New && location.explicit {
        let folder = match location.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        if !folder.is_dir() {
            bail!(
                "there is no folder {} for the case store {}; sanctuary does not create folders for --store: check the path, or create the folder first. Nothing was created",
                folder.display(),
                location.path.display()
            );
        }
    }
    Ok(state)
}

/// Opens the store, creating it on first use (its default folder too, owner-only), and
/// says on stderr when it has created a new one, and where.
pub fn open_store(explicit: Option<&Path>) -> anyhow::Result<Store> {
    let location = store_location(explicit)?;
    let creating = check_location(&location)? == StoreFile::New;
    let passphrase = passphrase(&location.path, creating)?;
    open_at(&location, &passphrase)
}

/// Opens (or creates) the store at a checked location with a passphrase already read,
/// and says on stderr when it was created.
fn open_at(location: &StoreLocation, passphrase: &Passphrase) -> anyhow::Result<Store> {
    let (store, opened) = open_checked(location, passphrase)?;
    if opened == Opened::Created {
        let shown = std::path::absolute(&location.path).unwrap_or(location.path.clone());
        safe_eprintln!(
            "Created a new encrypted case store at {}. Keep the passphrase safe: without it the store cannot be opened.",
            shown.display()
        );
    }
    Ok(store)
}

/// Opens (or creates) the store at a checked location, making the default location's
/// folder (owner-only) if needed; never the folder of a `--store` path.
pub fn open_checked(
    location: &StoreLocation,
    passphrase: &Passphrase,
) -> anyhow::Result<(Store, Opened)> {
    if !location.explicit
        && let Some(dir) = location.path.parent().filter(|d| !d.as_os_str().is_empty())
    {
        create_private_dir(dir).with_context(|| format!("could not create {}", dir.display()))?;
    }
    Ok(Store::open_or_create(&location.path, passphrase.as_str())?)
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

/// Why a passphrase for a new store is too easy to guess, in plain words, or `None` when
/// it is strong enough. The estimate is zxcvbn's (dictionary words, names, dates, keyboard
/// patterns, repeats); a score under 3 of 4 (fewer than about 10^10 guesses) is refused.
/// An existing store opens with whatever passphrase it was made with.
pub fn weak_passphrase(passphrase: &str) -> Option<String> {
    let estimate = zxcvbn::zxcvbn(passphrase, &["sanctuary", "cases", "store"]);
    if estimate.score() >= zxcvbn::Score::Three {
        return None;
    }
    let mut why = String::from("That passphrase is too easy to guess.");
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            why.push_str(&format!(" {warning}"));
        }
        for suggestion in feedback.suggestions() {
            why.push_str(&format!(" {suggestion}"));
        }
    }
    why.push_str(
        " Four or more words that do not belong together make a passphrase that is strong and easy to remember.",
    );
    Some(why)
}

fn passphrase(path: &Path, creating: bool) -> anyhow::Result<Passphrase> {
    if let Ok(value) = std::env::var(PASSPHRASE_VAR) {
        let value = Passphrase::new(value);
        if creating && let Some(why) = weak_passphrase(value.as_str()) {
            bail!("{PASSPHRASE_VAR}: {why} Nothing was created.");
        }
        return Ok(value);
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "the case store {} needs a passphrase: type it at a terminal, or set {PASSPHRASE_VAR} for scripts",
            path.display()
        );
    }
    if creating {
        safe_eprintln!(
            "Creating a new encrypted case store at {}.\nChoose a passphrase. Without it the store cannot be opened: keep it safe.",
            path.display()
        );
        let first = Passphrase::new(ask(path, "New passphrase: ")?);
        if first.as_str().is_empty() {
            bail!("the passphrase cannot be empty; nothing was created");
        }
        if let Some(why) = weak_passphrase(first.as_str()) {
            bail!("{why} Nothing was created.");
        }
        let second = Passphrase::new(ask(path, "Type it again: ")?);
        if first.as_str() != second.as_str() {
            bail!("the two passphrases differ; nothing was created");
        }
        Ok(first)
    } else {
        let prompt = format!(
            "Passphrase for {}: ",
            crate::terminal_text::line(&path.display().to_string())
        );
        Ok(Passphrase::new(ask(path, &prompt)?))
    }
}

/// Asks for a passphrase at the terminal. Without a terminal to ask at (a process started
/// with `setsid`, or by a service) it says so, and what to do instead.
fn ask(path: &Path, prompt: &str) -> anyhow::Result<String> {
    rpassword::prompt_password(prompt).map_err(|e| {
        anyhow::anyhow!(
            "the case store {} needs a passphrase, and there is no terminal to type it at ({e}): run sanctuary in a terminal window, or set {PASSPHRASE_VAR} for scripts",
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_before_1970_or_after_2100_is_refused_in_words() {
        use std::time::{Duration, UNIX_EPOCH};
        let year = Duration::from_secs(365 * 24 * 3600);
        assert!(check_clock(UNIX_EPOCH + 56 * year).is_ok());
        assert!(check_clock(UNIX_EPOCH).is_ok());
        for wrong in [
            UNIX_EPOCH - Duration::from_secs(1),
            UNIX_EPOCH + 8030 * year,
        ] {
            let error = check_clock(wrong).expect_err("refused").to_string();
            assert!(error.contains("clock"), "{error}");
        }
    }

    #[test]
    fn a_passphrase_longer_than_the_room_made_is_typed_whole() {
        let mut typed = Passphrase::with_room();
        let long: String = "horse battery ł ".chars().cycle().take(3000).collect();
        long.chars().for_each(|c| typed.push(c));
        assert_eq!(typed.as_str(), long);
        typed.pop();
        assert_eq!(typed.as_str().chars().count(), 2999);
    }

    #[test]
    fn a_short_or_common_passphrase_is_refused_with_a_reason_and_a_long_one_is_not() {
        for weak in ["a", "password1", "sanctuary2026", "qwertyuiop", "Olena1990"] {
            let why = weak_passphrase(weak).unwrap_or_else(|| panic!("{weak} passed"));
            assert!(
                why.starts_with("That passphrase is too easy to guess."),
                "{why}"
            );
        }
        for strong in [
            "correct horse battery staple",
            "a passphrase typed twice",
            "kettle orbit lantern whistle",
        ] {
            assert_eq!(weak_passphrase(strong), None, "{strong}");
        }
    }

    #[test]
    fn a_passphrase_is_never_shown_by_debug() {
        let secret = Passphrase::new("kettle orbit lantern whistle".into());
        assert_eq!(format!("{secret:?}"), "Passphrase(hidden)");
    }
}
