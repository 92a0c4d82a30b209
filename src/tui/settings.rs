//! The settings file: the letters folder and the adviser's own details (name,
//! organisation, address, email, phone, reference prefix), set once on the settings
//! screen and used by every letter, and how this machine's terminal draws right-to-left
//! text. It never holds anything about a client.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::session::create_private_dir;
use sanctuary::files::{Overwrite, read_text, write_private};

/// The most the settings file may hold: a few short settings. A larger file (or a link to
/// an endless device) is ignored rather than read.
const SETTINGS_LIMIT: u64 = 64 * 1024;

/// Everything the settings file holds.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub letters_folder: Option<PathBuf>,
    pub adviser: Option<AdviserProfile>,
    /// How right-to-left text is drawn on this machine, once the adviser has said.
    pub rtl_display: Option<crate::tui::bidi::RtlDisplay>,
}

/// The adviser's own details, as the letters print them.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdviserProfile {
    pub name: String,
    pub organisation: String,
    pub role: String,
    /// Address lines, without the postcode.
    pub address: Vec<String>,
    pub postcode: String,
    pub email: String,
    pub phone: String,
    /// Printed as "Our reference" and at the start of the letters' file names.
    pub reference_prefix: String,
}

impl AdviserProfile {
    /// The profile as the forms' `adviser_` fields, by key (the address joined with
    /// commas, as the forms take it).
    pub fn form_values(&self) -> Vec<(&'static str, String)> {
        vec![
            ("adviser_name", self.name.clone()),
            ("adviser_organisation", self.organisation.clone()),
            ("adviser_role", self.role.clone()),
            ("adviser_address", self.address.join(", ")),
            ("adviser_postcode", self.postcode.clone()),
            ("adviser_email", self.email.clone()),
            ("adviser_phone", self.phone.clone()),
            ("adviser_reference", self.reference_prefix.clone()),
        ]
    }

    /// The profile from the forms' `adviser_` fields.
    pub fn from_form(value: impl Fn(&str) -> String) -> AdviserProfile {
        let text = |key: &str| value(key).trim().to_string();
        AdviserProfile {
            name: text("adviser_name"),
            organisation: text("adviser_organisation"),
            role: text("adviser_role"),
            address: value("adviser_address")
                .split(',')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            postcode: text("adviser_postcode"),
            email: text("adviser_email"),
            phone: text("adviser_phone"),
            reference_prefix: text("adviser_reference"),
        }
    }

    pub fn is_set(&self) -> bool {
        !self.name.is_empty()
    }

    /// The adviser for a letter, when the details are set.
    pub fn details(&self) -> Option<sanctuary::letter::AdviserDetails> {
        let given = |text: &str| (!text.is_empty()).then(|| text.to_string());
        self.is_set().then(|| sanctuary::letter::AdviserDetails {
            name: self.name.clone(),
            organisation: given(&self.organisation),
            role: given(&self.role),
            address: self.address.clone(),
            postcode: given(&self.postcode),
            email: given(&self.email),
            phone: given(&self.phone),
            reference: given(&self.reference_prefix),
        })
    }
}

/// Where the settings file is: in the platform's configuration folder.
pub fn settings_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "sanctuary", "sanctuary")
        .map(|dirs| dirs.config_dir().join("settings.toml"))
}

/// The settings in `file`; the defaults when it is missing or unreadable.
pub fn load(file: Option<&Path>) -> Settings {
    file.and_then(|file| read_text(file, SETTINGS_LIMIT, "a settings file").ok())
        .and_then(|text| toml::from_str::<Settings>(&text).ok())
        .unwrap_or_default()
}

/// Changes the settings in `file` (read, changed, written back whole and owner-only),
/// keeping what the change does not touch.
pub fn update(file: &Path, change: impl FnOnce(&mut Settings)) -> Result<(), String> {
    let mut settings = load(Some(file));
    change(&mut settings);
    let text = toml::to_string(&settings).map_err(|e| e.to_string())?;
    let not_kept = |e: String| {
        format!(
            "Could not save the settings in {}: {e}. Nothing was changed.",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_keeps_the_other_settings() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config").join("settings.toml");
        update(&file, |s| {
            s.letters_folder = Some(dir.path().join("letters"))
        })
        .unwrap();
        let profile = AdviserProfile {
            name: "Maya Reid".into(),
            address: vec!["PO Box 1".into(), "Luton".into()],
            reference_prefix: "SH".into(),
            ..AdviserProfile::default()
        };
        update(&file, |s| s.adviser = Some(profile.clone())).unwrap();
        let read = load(Some(&file));
        assert_eq!(read.letters_folder, Some(dir.path().join("letters")));
        assert_eq!(read.adviser, Some(profile.clone()));
        let values = profile.form_values();
        let back = AdviserProfile::from_form(|key| {
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        });
        assert_eq!(back, profile);
    }
}
