//! The letters folder: where every letter the app writes goes, so the adviser always
//! knows where to find them. It is shown in full wherever a letter is written, created
//! owner-only (0700) once the adviser says yes to it, and can be changed there or on the
//! settings screen; the change is remembered in the settings file (never client data).

use std::path::{Path, PathBuf};

use crate::session::create_private_dir;
use crate::tui::settings;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LettersFolder {
    /// The folder, in full.
    pub path: PathBuf,
    /// Where a changed folder is remembered; none in tests.
    settings: Option<PathBuf>,
    /// A folder that does not exist yet, offered once: typed again, it is created.
    offered_new: Option<PathBuf>,
}

impl LettersFolder {
    /// The folder remembered in the settings file (in the platform's configuration
    /// folder), or else [`default_folder`].
    pub fn load() -> LettersFolder {
        let settings = settings::settings_file();
        let remembered = settings::load(settings.as_deref())
            .letters_folder
            .filter(|p| p.is_absolute());
        LettersFolder {
            path: remembered.unwrap_or_else(default_folder),
            settings,
            offered_new: None,
        }
    }

    /// A folder that is used but never remembered.
    pub fn unremembered(path: PathBuf) -> LettersFolder {
        LettersFolder {
            path,
            settings: None,
            offered_new: None,
        }
    }

    /// The settings file the folder is remembered in, if any.
    pub fn settings_file(&self) -> Option<&Path> {
        self.settings.as_deref()
    }

    /// The folder as the prompt offers it.
    pub fn shown(&self) -> String {
        self.path.display().to_string()
    }

    /// Takes the folder the adviser typed (`~` understood; empty means the folder
    /// offered) and remembers it when it changed. A folder that does not exist yet is
    /// not made at once: the first time, the answer asks whether to create it, and the
    /// same folder given again (`again` names the key) is created (owner-only). Returns the folder in full.
    pub fn use_typed(&mut self, typed: &str, again: &str) -> Result<PathBuf, String> {
        let typed = typed.trim();
        let wanted = if typed.is_empty() {
            self.path.clone()
        } else {
            full(&expand_home(typed))
        };
        if !wanted.exists() && self.offered_new.as_ref() != Some(&wanted) && wanted != self.path {
            self.offered_new = Some(wanted.clone());
            return Err(format!(
                "There is no folder {} yet. Create this folder? {again} again creates it; or correct it (Ctrl-u clears the line).",
                wanted.display()
            ));
        }
        self.offered_new = None;
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
        match &self.settings {
            Some(file) => settings::update(file, |s| s.letters_folder = Some(self.path.clone())),
            None => Ok(()),
        }
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
        assert_eq!(settings::load(Some(&file)).letters_folder, None);
        std::fs::write(&file, "letters_folder = \"/elsewhere\"\n").unwrap();
        assert_eq!(
            settings::load(Some(&file)).letters_folder,
            Some(PathBuf::from("/elsewhere"))
        );
        #[cfg(unix)]
        {
            std::fs::remove_file(&file).unwrap();
            std::os::unix::fs::symlink("/dev/zero", &file).unwrap();
            assert_eq!(settings::load(Some(&file)).letters_folder, None);
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
        let typed = dir.path().join("b").join("c").display().to_string();
        let asked = folder.use_typed(&typed, "Enter").unwrap_err();
        assert!(asked.contains("Create this folder?"), "{asked}");
        assert!(
            !dir.path().join("b").exists(),
            "nothing is made before the answer"
        );
        let made = folder.use_typed(&typed, "Enter").unwrap();
        assert_eq!(made, dir.path().join("b").join("c"));
        assert_eq!(folder.path, made, "the new folder is offered next time");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&made).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let _ = folder.use_typed("relative", "Enter");
        assert!(folder.use_typed("relative", "Enter").unwrap().is_absolute());
    }

    #[test]
    fn a_changed_folder_is_remembered_and_nothing_else_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config").join("settings.toml");
        let mut folder = LettersFolder {
            path: dir.path().join("first"),
            settings: Some(file.clone()),
            offered_new: None,
        };
        folder.use_typed("", "Enter").unwrap();
        assert!(!file.exists(), "the folder offered is not a change");
        let second = dir.path().join("second");
        std::fs::create_dir(&second).unwrap();
        folder
            .use_typed(&second.display().to_string(), "Enter")
            .unwrap();
        let kept = settings::load(Some(&file));
        assert_eq!(kept.letters_folder, Some(second));
        assert_eq!(kept.adviser, None);
    }
}
