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

/// Works out the note for `org` (the body holding the data) and the guide's facts.
pub fn exemption_note(org: &Organisation, facts: &BTreeMap<String, String>) -> ExemptionNote {
    if org.immigration_exemption {
        return ExemptionNote {
            case: ExemptionCase::HomeOffice,
            summary: format!(
                "Immigration exemption: {} is part of the Home Office, the only body that can use it.",
                org.in_sentence.as_deref().unwrap_or(&org.name)
            ),
            details: vec![
                "The Home Office may hold back data if giving it would be likely to harm immigration \
                 control (DPA 2018 Sch 2 para 4)."
                    .to_string(),
                "Since 8 March 2024 (SI 2024/342, paras 4A and 4B) it must decide case by case, for \
                 each right separately and afresh each time, weigh the client's vulnerability and \
                 rights, record its reasons, and normally tell the client."
                    .to_string(),
                "The letter asks which data it withholds and on which ground, how it met that test, \
                 for redaction instead of whole documents to be held back, and for everything else."
                    .to_string(),
                "The exemption never covers correcting wrong data (rectification).".to_string(),
            ],
        };
    }
    let mut details = vec![
        "Since 31 January 2022 (SI 2022/76) only the Home Office can use the immigration \
         exemption. This body cannot, even if it passes data to the Home Office."
            .to_string(),
    ];
    if org.law_enforcement {
        details.push(
            "Police have a separate power to restrict access for law-enforcement reasons \
             (DPA 2018 s.45(4)); if they use it they must tell the client in writing."
                .to_string(),
        );
    }
    if home_office_sharing(facts) {
        details.push(
            "The letter asks for every disclosure to the Home Office and states that the \
             exemption gives this body no ground to withhold."
                .to_string(),
        );
        ExemptionNote {
            case: ExemptionCase::OtherBodyMayHaveSharedWithHomeOffice,
            summary: format!(
                "Immigration exemption: {} cannot use it, and data may have gone to the Home Office.",
                org.in_sentence.as_deref().unwrap_or(&org.name)
            ),
            details,
        }
    } else {
        details.push(
            "The letter does not mention the exemption. If the body cites it in reply, \
             use the complaint letter."
                .to_string(),
        );
        ExemptionNote {
            case: ExemptionCase::OtherBody,
            summary: format!(
                "Immigration exemption: {} cannot use it.",
                org.in_sentence.as_deref().unwrap_or(&org.name)
            ),
            details,
        }
    }
}
