//! The casework sentences that are content, not code: how a chaser or complaint names what a
//! reply left out, the complaint points the store's record supports, and the adviser's notes
//! on a reply that cited the immigration exemption. They live in
//! `letter-templates/shared.toml` (`[casework]`), where the legal wording is reviewed with
//! the letters; `{name}` marks a value filled in when used.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::organisation::Organisation;

/// How a letter names each UK GDPR Article 15(1) item a reply left out (the wording of the
/// request the body already had, as a list).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingItemWording {
    pub purposes: String,
    pub categories: String,
    pub recipients: String,
    pub retention: String,
    pub source: String,
    pub automated_decisions: String,
    pub rights: String,
    /// Art 15(1)(f): the right to complain to the ICO.
    pub complaint_right: String,
    /// Art 15(2): the safeguards for a transfer outside the UK.
    pub transfer_safeguards: String,
    pub copy: String,
}

/// Which bodies the organisations file flags, by id, copied in by the
/// catalogue so that everything that words a reply check also knows who may
/// use the immigration exemption and who is a law-enforcement body. Policy as
/// data: nothing here is a list in the code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationRoles {
    immigration_exemption: BTreeSet<String>,
    immigration_exemption_untested: BTreeSet<String>,
    law_enforcement: BTreeSet<String>,
}

impl OrganisationRoles {
    pub fn from_organisations(organisations: &[Organisation]) -> Self {
        let ids = |flag: fn(&Organisation) -> bool| {
            organisations
                .iter()
                .filter(|o| flag(o))
                .map(|o| o.id.clone())
                .collect()
        };
        OrganisationRoles {
            immigration_exemption: ids(|o| o.immigration_exemption),
            immigration_exemption_untested: ids(|o| o.immigration_exemption_untested),
            law_enforcement: ids(|o| o.law_enforcement),
        }
    }
}

/// The `[casework]` table of the shared file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseworkWording {
    pub missing_items: MissingItemWording,
    /// `{rights}`, `{organisation}`: a body other than the Home Office cited the exemption.
    pub adviser_other_body_cited: String,
    /// `{rights}`, `{organisation}`: a Secretary of State's department other than the
    /// Home Office (`immigration_exemption_untested`) cited it.
    pub adviser_untested_cited: String,
    /// `{rights}`: the Home Office cited it.
    pub adviser_home_office_cited: String,
    pub adviser_rectification: String,
    /// `{due}`: no reply by the due date.
    pub complaint_no_reply: String,
    /// `{date}`, `{items}`: what the last reply left out.
    pub complaint_left_out: String,
    pub complaint_exemption_home_office: String,
    pub complaint_exemption_other_body: String,
    /// `{organisation}`: in `requests stats`, a body other than the Home Office that cited it.
    pub stats_other_body_cited: String,
    /// Not wording: the bodies the organisations file flags (filled by the catalogue).
    #[serde(skip)]
    pub roles: OrganisationRoles,
}

impl CaseworkWording {
    /// True where the organisations file says `organisation` is the Secretary
    /// of State (`immigration_exemption = true`).
    pub fn may_use_immigration_exemption(&self, organisation: &str) -> bool {
        self.roles.immigration_exemption.contains(organisation)
    }

    /// True where the organisations file says `organisation` is a Secretary of
    /// State's department other than the Home Office, whose use of the immigration
    /// exemption is untested (`immigration_exemption_untested = true`).
    pub fn exemption_untested(&self, organisation: &str) -> bool {
        self.roles
            .immigration_exemption_untested
            .contains(organisation)
    }

    /// True where the organisations file says `organisation` is a
    /// law-enforcement body (DPA 2018 Part 3, section 45).
    pub fn is_law_enforcement(&self, organisation: &str) -> bool {
        self.roles.law_enforcement.contains(organisation)
    }
}

/// `text` with each `{name}` replaced by its value.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text.to_string(), |out, (name, value)| {
        out.replace(&format!("{{{name}}}"), value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_other_text_is_kept() {
        assert_eq!(
            fill("due by {due}; {due} again, {other}", &[("due", "1 May")]),
            "due by 1 May; 1 May again, {other}"
        );
    }
}
