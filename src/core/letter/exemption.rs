//! The plain-English note that tells the adviser which immigration-exemption
//! case applies to a letter, and why. Shown on the CLI and in the TUI.

use std::collections::BTreeMap;

use super::compose::home_office_sharing;
use super::organisation::Organisation;

/// Which case applies to the body the data is held by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExemptionCase {
    /// The Home Office (the Secretary of State): the only body that can use it.
    HomeOffice,
    /// Another body, and data about the client may have gone to the Home Office.
    OtherBodyMayHaveSharedWithHomeOffice,
    /// Another body, with no sign that data went to the Home Office.
    OtherBody,
}

/// The note for the adviser: a one-line summary and a few short points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExemptionNote {
    pub case: ExemptionCase,
    pub summary: String,
    pub details: Vec<String>,
}

impl std::fmt::Display for ExemptionNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.summary)?;
        for d in &self.details {
            writeln!(f, "  - {d}")?;
        }
        Ok(())
    }
}

/// The wording of the notes, from `letter-templates/shared.toml` (`[exemption_notes]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExemptionWording {
    pub home_office_summary: String,
    pub home_office_details: Vec<String>,
    pub other_body: String,
    pub law_enforcement: String,
    pub shared_summary: String,
    pub shared_detail: String,
    pub not_shared_summary: String,
    pub not_shared_detail: String,
    pub untested_summary: String,
    pub untested_detail: String,
}

/// Works out the note for `org` (the body holding the data) and the guide's facts.
pub fn exemption_note(
    wording: &ExemptionWording,
    org: &Organisation,
    facts: &BTreeMap<String, String>,
) -> ExemptionNote {
    let body = org.in_sentence.as_deref().unwrap_or(&org.name);
    let named = |text: &str| text.replace("{body}", body);
    if org.immigration_exemption {
        return ExemptionNote {
            case: ExemptionCase::HomeOffice,
            summary: named(&wording.home_office_summary),
            details: wording.home_office_details.clone(),
        };
    }
    let mut details = vec![if org.immigration_exemption_untested {
        wording.untested_detail.clone()
    } else {
        wording.other_body.clone()
    }];
    if org.law_enforcement {
        details.push(wording.law_enforcement.clone());
    }
    let (case, summary, detail) = if home_office_sharing(facts) {
        (
            ExemptionCase::OtherBodyMayHaveSharedWithHomeOffice,
            &wording.shared_summary,
            &wording.shared_detail,
        )
    } else {
        (
            ExemptionCase::OtherBody,
            &wording.not_shared_summary,
            &wording.not_shared_detail,
        )
    };
    let summary = if org.immigration_exemption_untested {
        &wording.untested_summary
    } else {
        summary
    };
    details.push(detail.clone());
    ExemptionNote {
        case,
        summary: named(summary),
        details,
    }
}
