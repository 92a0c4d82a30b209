//! The letters folder: where every letter the app writes goes, so the adviser always
//! knows where to find them. It is shown in full wherever a letter is written, created
//! owner-only (0700) on first use, and can be changed there; the change is remembered in
//! a small settings file that holds nothing but the folder (never client data).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::session::create_private_dir;
use sanctuary::files::{Overwrite, read_text, write_private};

/// The most the settings file may hold; it has one short setting.
const SETTINGS_LIMIT: u64 = 64 * 1024;

/// The settings file's one setting.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    letters_folder: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LettersFolder {
    /// The folder, in full.
    pub path: PathBuf,
    /// Where a changed folder is remembered; none in tests.
    settings: Option<PathBuf>,
}

impl LettersFolder {
    /// The folder remembered in the settings file (in the platform's configuration
    /// folder), or else [`default_folder`].
    pub fn load() -> LettersFolder {
        LettersFolder::load_from(
            directories::ProjectDirs::from("org", "sanctuary", "sanctuary")
                .map(|dirs| dirs.config_dir().join("settings.toml")),
        )
    }

    /// The folder remembered in this settings file. The file is read only up to
    /// [`SETTINGS_LIMIT`]: a larger one (or a link to an endless device) is ignored.
    fn load_from(settings: Option<PathBuf>) -> LettersFolder {
        let remembered = settings
            .as_deref()
            .and_then(|file| read_text(file, SETTINGS_LIMIT, "a settings file").ok())
            .and_then(|text| toml::from_str::<Settings>(&text).ok())
            .and_then(|s| s.letters_folder)
            .filter(|p| p.is_absolute());
        LettersFolder {
            path: remembered.unwrap_or_else(default_folder),
            settings,
        }
    }

    /// A folder that is used but never remembered.
    pub fn unremembered(path: PathBuf) -> LettersFolder {
        LettersFolder {
            path,
            settings: None,
        }
    }

    /// The folder as the prompt offers it.
    pub fn shown(&self) -> String {
        self.path.display().to_string()
    }

    /// Takes the folder the adviser typed (`~` understood; empty means the folder
    /// offered), creates it owner-only if it is new, and remembers it when it changed.
    /// Returns the folder in full.
    pub fn use_typed(&mut self, typed: &str) -> Result<PathBuf, String> {
        let typed = typed.trim();
        let wanted = if typed.is_empty() {
            self.path.clone()
        } else {
            full(&expand_home(typed))
        };
        create_private_dir(&wanted)
            .map_err(|e| format!("Could not create the folder {}: {e}", wanted.display()))?;
        if !wanted.is_dir() {
            return Err(format!("{} is not a folder.", wanted.display()));
        }
        if wanted != self.path {
            self.path = wanted.clone();
            self.remember()?;
        }
        Ok(wanted)
    }

    fn remember(&self) -> Result<(), String> {
        let Some(file) = &self.settings else {
            return Ok(());
        };
        let text = toml::to_string(&Settings {
            letters_folder: Some(self.path.clone()),
        })
        .map_err(|e| e.to_string())?;
        let not_kept = |e: String| {
            format!(
                "Could not remember the letters folder in {}: {e}. Nothing was written.",
                file.display()
            )
        };
        if let Some(dir) = file.parent() {
            create_private_dir(dir).map_err(|e| not_kept(e.to_string()))?;
        }
        write_private(file, text.as_bytes(), Overwrite::Replace)
            .map(|_| ())
            .map_err(|e| not_kept(e.to_string()))
    }
}

/// `sanctuary-letters` in the Documents folder (as the desktop names it, else
/// `~/Documents`); the working folder if there is no home folder at all.
pub fn default_folder() -> PathBuf {
    match directories::UserDirs::new() {
        Some(user) => user
            .document_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| user.home_dir().join("Documents"))
            .join("sanctuary-letters"),
        None => full(Path::new("sanctuary-letters")),
    }
}

/// `~` and `~/...` as the home folder; anything else as typed.
pub fn expand_home(typed: &str) -> PathBuf {
    let home = || directories::UserDirs::new().map(|u| u.home_dir().to_path_buf());
    if typed == "~" {
        if let Some(home) = home() {
            return home;
        }
    } else if let Some(rest) = typed.strip_prefix("~/")
        && let Some(home) = home()
    {
        return home.join(rest);
    }
    PathBuf::from(typed)
}

/// The path in full, as the adviser can find it again.
pub fn full(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_file_too_large_or_endless_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.toml");
        let padding = "# padding\n".repeat(10_000);
        std::fs::write(&file, format!("{padding}letters_folder = \"/elsewhere\"\n")).unwrap();
        let folder = LettersFolder::load_from(Some(file.clone()));
        assert_eq!(folder.path, default_folder());
        std::fs::write(&file, "letters_folder = \"/elsewhere\"\n").unwrap();
        let folder = LettersFolder::load_from(Some(file.clone()));
        assert_eq!(folder.path, PathBuf::from("/elsewhere"));
        #[cfg(unix)]
        {
            std::fs::remove_file(&file).unwrap();
            std::os::unix::fs::symlink("/dev/zero", &file).unwrap();
            assert_eq!(LettersFolder::load_from(Some(file)).path, default_folder());
        }
    }

    #[test]
    fn a_tilde_is_the_home_folder() {
        let home = directories::UserDirs::new()
            .unwrap()
            .home_dir()
            .to_path_buf();
        assert_eq!(expand_home("~"), home);
        assert_eq!(expand_home("~/letters"), home.join("letters"));
        assert_eq!(expand_home("/tmp/~x"), PathBuf::from("/tmp/~x"));
    }

    #[test]
    fn a_new_folder_is_created_owner_only_and_a_relative_one_made_full() {
        let dir = tempfile::tempdir().unwrap();
        let mut folder = LettersFolder::unremembered(dir.path().join("a"));
        let made = folder
            .use_typed(&dir.path().join("b").join("c").display().to_string())
            .unwrap();
        assert_eq!(made, dir.path().join("b").join("c"));
        assert_eq!(folder.path, made, "the new folder is offered next time");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&made).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        assert!(folder.use_typed("relative").unwrap().is_absolute());
    }

    #[test]
    fn a_changed_folder_is_remembered_and_nothing_else_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config").join("settings.toml");
        let mut folder = LettersFolder {
            path: dir.path().join("first"),
            settings: Some(file.clone()),
        };
        folder.use_typed("").unwrap();
        assert!(!file.exists(), "the folder offered is not a change");
        let second = dir.path().join("second");
        folder.use_typed(&second.display().to_string()).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let settings: Settings = toml::from_str(&text).unwrap();
        assert_eq!(settings.letters_folder, Some(second));
    }
}
