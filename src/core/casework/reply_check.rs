//! Checking a reply to a subject access request: what UK GDPR Article 15(1)
//! items (and the copy) it left out, and whether its use of the immigration
//! exemption needs answering. Pure functions, so the CLI, the TUI and the
//! chaser letter all say the same thing.
//!
//! Law: only the Secretary of State (the Home Office, HM Passport Office among
//! it) may rely on DPA 2018 Sch 2 para 4 since 31 January 2022 (SI 2022/76);
//! when the Home Office relies on it, paras 4A and 4B (SI 2024/342) say how it
//! must decide and what it must record and tell. Which bodies those are is
//! data: `immigration_exemption = true` in the letters' organisations file.

use super::store::{Article15Checklist, Article15Item, RequestStatus, RestrictedRight};
use crate::letter::Catalogue;
use crate::letter::wording::{CaseworkWording, fill};

/// True where the organisations file says `organisation` is the Secretary of
/// State (`immigration_exemption = true`).
pub fn may_rely_on_immigration_exemption(catalogue: &Catalogue, organisation: &str) -> bool {
    catalogue.may_use_immigration_exemption(organisation)
}

/// What a reply said about the immigration exemption, and what follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExemptionFinding {
    /// A body other than the Secretary of State cited it: it cannot rely on it.
    CitedByOtherBody { rights: Vec<RestrictedRight> },
    /// The Home Office cited it: it must show it decided as paras 4A and 4B require.
    CitedBySecretaryOfState { rights: Vec<RestrictedRight> },
}

/// The outcome of checking one reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyCheck {
    /// The organisation id the reply came from.
    pub organisation: String,
    /// The items the reply left out, in Article 15 order.
    pub missing: Vec<Article15Item>,
    /// When the reply cited the immigration exemption: the rights it said it
    /// restricted (empty where it did not say).
    pub exemption_cited: Option<Vec<RestrictedRight>>,
}

/// Checks a reply from `organisation` that contained `checklist` and did or
/// did not cite the exemption (for `rights`, where it said).
pub fn check_reply(
    organisation: &str,
    checklist: &Article15Checklist,
    exemption_cited: bool,
    rights: &[RestrictedRight],
) -> ReplyCheck {
    ReplyCheck {
        organisation: organisation.to_string(),
        missing: checklist.missing(),
        exemption_cited: exemption_cited.then(|| rights.to_vec()),
    }
}

impl ReplyCheck {
    /// Nothing missing and nothing held back under the exemption.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.exemption_cited.is_none()
    }

    /// What follows from the reply's use of the exemption, by who sent it
    /// (`wording` knows the bodies the organisations file flags).
    pub fn exemption(&self, wording: &CaseworkWording) -> Option<ExemptionFinding> {
        let rights = self.exemption_cited.clone()?;
        Some(
            if wording.may_use_immigration_exemption(&self.organisation) {
                ExemptionFinding::CitedBySecretaryOfState { rights }
            } else {
                ExemptionFinding::CitedByOtherBody { rights }
            },
        )
    }

    /// The status the request moves to: answered only when the reply is
    /// complete; anything missing or withheld makes it part-answered.
    pub fn status(&self) -> RequestStatus {
        if self.is_complete() {
            RequestStatus::Answered
        } else {
            RequestStatus::PartAnswered
        }
    }

    /// The missing items in plain words, for the adviser's screen.
    pub fn missing_in_words(&self) -> Vec<&'static str> {
        self.missing.iter().map(|item| item.label()).collect()
    }

    /// The missing items as a letter to the body asks for them.
    pub fn missing_for_letter(&self, wording: &CaseworkWording) -> Vec<String> {
        self.missing
            .iter()
            .map(|item| letter_wording(*item, wording).to_string())
            .collect()
    }

    /// Points for the adviser about the exemption, in plain words.
    pub fn adviser_points(&self, wording: &CaseworkWording) -> Vec<String> {
        match &self.exemption(wording) {
            None => Vec::new(),
            Some(ExemptionFinding::CitedByOtherBody { rights }) => vec![fill(
                if wording.exemption_untested(&self.organisation) {
                    &wording.adviser_untested_cited
                } else {
                    &wording.adviser_other_body_cited
                },
                &[
                    ("rights", &rights_phrase(rights)),
                    ("organisation", &self.organisation),
                ],
            )],
            Some(ExemptionFinding::CitedBySecretaryOfState { rights }) => vec![
                fill(
                    &wording.adviser_home_office_cited,
                    &[("rights", &rights_phrase(rights))],
                ),
                wording.adviser_rectification.clone(),
            ],
        }
    }

    /// The adviser's summary: what is missing, then the exemption points.
    /// For a law-enforcement body the law is DPA 2018 s.45(2) (and Article 15
    /// for any data it holds for other purposes).
    pub fn report(&self, wording: &CaseworkWording) -> String {
        let law = if wording.is_law_enforcement(&self.organisation) {
            "section 45(2) DPA 2018 (Article 15 UK GDPR for other data)"
        } else {
            "Article 15 UK GDPR"
        };
        let mut out = String::new();
        if self.missing.is_empty() {
            out.push_str(&format!("Nothing is missing under {law}.\n"));
        } else {
            out.push_str(&format!("Missing under {law}:\n"));
            for words in self.missing_in_words() {
                out.push_str(&format!("  - {words}\n"));
            }
        }
        for point in self.adviser_points(wording) {
            out.push_str(&point);
            out.push('\n');
        }
        out
    }
}

/// How a letter to the body names a missing item.
pub fn letter_wording(item: Article15Item, wording: &CaseworkWording) -> &str {
    let w = &wording.missing_items;
    match item {
        Article15Item::Purposes => &w.purposes,
        Article15Item::Categories => &w.categories,
        Article15Item::Recipients => &w.recipients,
        Article15Item::Retention => &w.retention,
        Article15Item::Source => &w.source,
        Article15Item::AutomatedDecisions => &w.automated_decisions,
        Article15Item::RightsInformation => &w.rights,
        Article15Item::ComplaintRight => &w.complaint_right,
        Article15Item::TransferSafeguards => &w.transfer_safeguards,
        Article15Item::Copy => &w.copy,
    }
}

/// The short id of an item on the command line (`--got purposes,copy`).
pub fn item_id(item: Article15Item) -> &'static str {
    match item {
        Article15Item::Purposes => "purposes",
        Article15Item::Categories => "categories",
        Article15Item::Recipients => "recipients",
        Article15Item::Retention => "retention",
        Article15Item::Source => "source",
        Article15Item::AutomatedDecisions => "automated-decisions",
        Article15Item::RightsInformation => "rights",
        Article15Item::ComplaintRight => "complaint-right",
        Article15Item::TransferSafeguards => "transfer-safeguards",
        Article15Item::Copy => "copy",
    }
}

/// The short id of a restricted right on the command line (`--rights access`).
pub fn right_id(right: RestrictedRight) -> &'static str {
    match right {
        RestrictedRight::Information => "information",
        RestrictedRight::Access => "access",
        RestrictedRight::Erasure => "erasure",
        RestrictedRight::Restriction => "restriction",
        RestrictedRight::Objection => "objection",
        RestrictedRight::Principles => "principles",
    }
}

const ALL_RIGHTS: [RestrictedRight; 6] = [
    RestrictedRight::Information,
    RestrictedRight::Access,
    RestrictedRight::Erasure,
    RestrictedRight::Restriction,
    RestrictedRight::Objection,
    RestrictedRight::Principles,
];

/// A word that is not one of the ids a list accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {word:?}; expected one of: {}", expected.join(", "))]
pub struct UnknownWord {
    pub what: &'static str,
    pub word: String,
    pub expected: Vec<&'static str>,
}

/// Parses `purposes,categories,...` into a checklist of what came.
pub fn parse_checklist(text: &str) -> Result<Article15Checklist, UnknownWord> {
    let mut checklist = Article15Checklist::default();
    for word in words(text) {
        let item = Article15Item::ALL
            .into_iter()
            .find(|item| item_id(*item) == word)
            .ok_or_else(|| UnknownWord {
                what: "reply item",
                word: word.to_string(),
                expected: Article15Item::ALL.iter().map(|i| item_id(*i)).collect(),
            })?;
        *checklist.item_mut(item) = true;
    }
    Ok(checklist)
}

/// Parses `access,erasure,...` into the rights a reply said it restricted.
pub fn parse_rights(text: &str) -> Result<Vec<RestrictedRight>, UnknownWord> {
    let mut rights = Vec::new();
    for word in words(text) {
        let right = ALL_RIGHTS
            .into_iter()
            .find(|right| right_id(*right) == word)
            .ok_or_else(|| UnknownWord {
                what: "right",
                word: word.to_string(),
                expected: ALL_RIGHTS.iter().map(|r| right_id(*r)).collect(),
            })?;
        if !rights.contains(&right) {
            rights.push(right);
        }
    }
    Ok(rights)
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|w| !w.is_empty())
}

/// " (for: access, erasure)" or "" where the reply did not say.
fn rights_phrase(rights: &[RestrictedRight]) -> String {
    if rights.is_empty() {
        String::new()
    } else {
        let ids: Vec<&str> = rights.iter().map(|r| right_id(*r)).collect();
        format!(" (for: {})", ids.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wording() -> CaseworkWording {
        crate::letter::Catalogue::embedded()
            .expect("the shipped letters")
            .casework_wording()
            .clone()
    }

    #[test]
    fn every_missing_item_has_letter_wording() {
        let wording = wording();
        for item in Article15Item::ALL {
            assert!(
                !letter_wording(item, &wording).trim().is_empty(),
                "{item:?}"
            );
        }
    }

    fn checklist(got: &str) -> Article15Checklist {
        parse_checklist(got).expect("valid items")
    }

    #[test]
    fn a_full_reply_without_the_exemption_is_answered() {
        let check = check_reply("dwp", &Article15Checklist::complete(), false, &[]);
        assert!(check.is_complete());
        assert_eq!(check.status(), RequestStatus::Answered);
        assert!(check.adviser_points(&wording()).is_empty());
    }

    #[test]
    fn a_reply_with_only_the_copy_misses_every_article_15_item_in_order() {
        let check = check_reply("nhs-trust", &checklist("copy"), false, &[]);
        assert_eq!(check.status(), RequestStatus::PartAnswered);
        assert_eq!(
            check.missing,
            vec![
                Article15Item::Purposes,
                Article15Item::Categories,
                Article15Item::Recipients,
                Article15Item::Retention,
                Article15Item::Source,
                Article15Item::AutomatedDecisions,
                Article15Item::RightsInformation,
                Article15Item::ComplaintRight,
                Article15Item::TransferSafeguards,
            ]
        );
        assert_eq!(check.missing_for_letter(&wording()).len(), 9);
    }

    #[test]
    fn an_employer_citing_the_exemption_is_told_only_the_secretary_of_state_may() {
        let check = check_reply(
            "employer",
            &Article15Checklist::complete(),
            true,
            &[RestrictedRight::Access],
        );
        assert_eq!(check.status(), RequestStatus::PartAnswered);
        let points = check.adviser_points(&wording()).join("\n");
        assert!(points.contains("Only the Secretary of State"), "{points}");
        assert!(points.contains("31 January 2022"), "{points}");
        assert!(points.contains("SI 2022/76"), "{points}");
        assert!(points.contains("for: access"), "{points}");
    }

    #[test]
    fn the_home_office_citing_the_exemption_is_asked_how_it_decided_not_told_it_cannot() {
        let check = check_reply("home-office", &checklist("copy,purposes"), true, &[]);
        let points = check.adviser_points(&wording()).join("\n");
        assert!(!points.contains("Only the Secretary of State"), "{points}");
        assert!(points.contains("4A"), "{points}");
        assert!(points.contains("rectification"), "{points}");
        assert!(matches!(
            check.exemption(&wording()),
            Some(ExemptionFinding::CitedBySecretaryOfState { .. })
        ));
    }

    #[test]
    fn hm_passport_office_is_part_of_the_secretary_of_state() {
        let catalogue = crate::letter::Catalogue::embedded().expect("the shipped letters");
        assert!(may_rely_on_immigration_exemption(&catalogue, "home-office"));
        assert!(may_rely_on_immigration_exemption(
            &catalogue,
            "hm-passport-office"
        ));
        assert!(!may_rely_on_immigration_exemption(
            &catalogue,
            "police-force"
        ));
        assert!(!may_rely_on_immigration_exemption(
            &catalogue,
            "em-contractor"
        ));
        assert!(!may_rely_on_immigration_exemption(
            &catalogue,
            "no-such-body"
        ));
        let check = check_reply("hm-passport-office", &checklist("copy"), true, &[]);
        assert!(matches!(
            check.exemption(&wording()),
            Some(ExemptionFinding::CitedBySecretaryOfState { .. })
        ));
    }

    #[test]
    fn a_police_reply_is_checked_against_section_45() {
        let check = check_reply("police-force", &checklist("copy"), false, &[]);
        let text = check.report(&wording());
        assert!(text.contains("section 45(2)"), "{text}");
        let check = check_reply("dwp", &checklist("copy"), false, &[]);
        let text = check.report(&wording());
        assert!(
            text.contains("Article 15") && !text.contains("section 45"),
            "{text}"
        );
    }

    #[test]
    fn the_right_to_complain_and_transfer_safeguards_are_checked() {
        let check = check_reply(
            "dwp",
            &checklist(
                "purposes,categories,recipients,retention,source,automated-decisions,rights,copy",
            ),
            false,
            &[],
        );
        assert_eq!(
            check.missing,
            vec![
                Article15Item::ComplaintRight,
                Article15Item::TransferSafeguards
            ]
        );
        let letter = check.missing_for_letter(&wording()).join("; ");
        assert!(
            letter.contains("complain to the Information Commissioner's Office"),
            "{letter}"
        );
        assert!(letter.contains("outside the UK"), "{letter}");
        assert!(
            check_reply(
                "dwp",
                &checklist("complaint-right,transfer-safeguards"),
                false,
                &[]
            )
            .missing
            .len()
                == Article15Item::ALL.len() - 2
        );
    }

    #[test]
    fn unknown_items_and_rights_are_named() {
        let error = parse_checklist("copy, sandwiches").expect_err("unknown");
        assert!(error.to_string().contains("sandwiches"));
        assert!(error.to_string().contains("automated-decisions"));
        let error = parse_rights("access,rectification").expect_err("not restrictable");
        assert!(error.to_string().contains("rectification"));
        assert_eq!(
            parse_rights("access, erasure,access").expect("valid"),
            vec![RestrictedRight::Access, RestrictedRight::Erasure]
        );
    }

    #[test]
    fn the_summary_lists_the_missing_items_in_plain_words() {
        let check = check_reply("home-office", &checklist("purposes,copy"), false, &[]);
        let text = check.report(&wording());
        assert!(text.contains("who the data has been given to"), "{text}");
        assert!(!text.contains("a copy of the data itself"), "{text}");
    }

    #[test]
    fn the_exemption_and_law_enforcement_bodies_come_from_the_organisations_file() {
        let catalogue = crate::letter::Catalogue::embedded().unwrap();
        let wording = catalogue.casework_wording();
        for org in catalogue.organisations() {
            assert_eq!(
                wording.may_use_immigration_exemption(&org.id),
                org.immigration_exemption,
                "{}",
                org.id
            );
            assert_eq!(
                wording.is_law_enforcement(&org.id),
                org.law_enforcement,
                "{}",
                org.id
            );
        }
    }
}
