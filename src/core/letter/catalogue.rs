//! The catalogue: organisations, templates and shared partials, loaded from
//! the files compiled into the binary or from a directory, then checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior, Value};
use serde::Deserialize;

use super::error::{LetterError, toml_error};
use super::exemption::{ExemptionNote, ExemptionWording, exemption_note};
use super::organisation::Organisation;
use super::template::{IDENTIFIERS, LetterTemplate, requirement_help};
use super::wording::{CaseworkWording, OrganisationRoles};

const ORGANISATIONS_FILE: &str = "organisations.toml";
const SHARED_FILE: &str = "shared.toml";

/// The one list of shipped templates: each id names its file in
/// `letter-templates/`, and both [`TEMPLATE_IDS`] and the files compiled into
/// the program come from it.
macro_rules! shipped_templates {
    ($($id:literal),* $(,)?) => {
        /// Every template id the product ships (shared with the guides).
        pub const TEMPLATE_IDS: &[&str] = &[$($id),*];

        const EMBEDDED: &[(&str, &str)] = &[
            (ORGANISATIONS_FILE, include_str!("../../../letter-templates/organisations.toml")),
            (SHARED_FILE, include_str!("../../../letter-templates/shared.toml")),
            $((concat!($id, ".toml"), include_str!(concat!("../../../letter-templates/", $id, ".toml")))),*
        ];
    };
}

shipped_templates!(
    "sar-generic",
    "sar-home-office",
    "sar-nhs",
    "sar-dwp-hmrc",
    "sar-employer",
    "sar-landlord",
    "sar-electronic-monitoring",
    "sar-police",
    "rectification-home-office",
    "rectification",
    "erasure",
    "restriction",
    "objection",
    "charging-challenge",
    "authority",
    "consent-ico",
    "chaser",
    "complaint-chaser",
    "complaint-controller",
    "complaint-ico",
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OrganisationsFile {
    #[serde(rename = "organisation")]
    pub(super) organisations: Vec<Organisation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SharedFile {
    pub(super) partials: BTreeMap<String, String>,
    exemption_notes: ExemptionWording,
    casework: CaseworkWording,
    address_notes: AddressNotes,
}

/// The adviser's note on whether a letter gives the client's home address
/// (`[address_notes]` in the shared file); `{body}` names the body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddressNotes {
    left_out: String,
    left_out_why: String,
    given: String,
    command_line_hint: String,
    app_hint: String,
}

/// The adviser's note on the client's home address in one letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressNote {
    /// Whether the letter gives the address, and why.
    pub text: String,
    /// When it is left out: why the law allows it.
    pub why: Option<String>,
    /// When it is left out: how to say the body knows it, on the command line...
    pub command_line_hint: Option<String>,
    /// ...and in the app.
    pub app_hint: Option<String>,
}

/// Organisations and templates, checked and ready to compose letters.
pub struct Catalogue {
    organisations: Vec<Organisation>,
    templates: Vec<LetterTemplate>,
    exemption_wording: ExemptionWording,
    casework_wording: CaseworkWording,
    address_notes: AddressNotes,
    pub(crate) env: Environment<'static>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("organisations", &self.organisations.len())
            .field("templates", &self.templates.len())
            .finish()
    }
}

impl Catalogue {
    /// The organisations and templates compiled into the program.
    pub fn embedded() -> Result<Catalogue, LetterError> {
        // The shipped templates are compiled on first use: the tests render every one of
        // them, and a letter then costs only the templates it uses.
        Self::from_files(
            EMBEDDED
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            Compile::Lazily,
        )
    }

    /// Loads `organisations.toml`, `shared.toml` and every other `*.toml`
    /// (one template each) from `dir`.
    pub fn from_dir(dir: &Path) -> Result<Catalogue, LetterError> {
        // An organisation's own templates are compiled at once, so mistakes show early.
        Self::from_files(read_folder(dir)?, Compile::Now)
    }

    pub(super) fn from_files(
        files: Vec<(String, String)>,
        compile: Compile,
    ) -> Result<Catalogue, LetterError> {
        let mut organisations = None;
        let mut partials = BTreeMap::new();
        let mut exemption_wording = None;
        let mut casework_wording = None;
        let mut address_notes = AddressNotes::default();
        let mut templates = Vec::new();
        for (name, text) in &files {
            if name == ORGANISATIONS_FILE {
                let parsed: OrganisationsFile =
                    toml::from_str(text).map_err(|e| toml_error(name, text, &e))?;
                organisations = Some(parsed.organisations);
            } else if name == SHARED_FILE {
                let parsed: SharedFile =
                    toml::from_str(text).map_err(|e| toml_error(name, text, &e))?;
                partials = parsed.partials;
                exemption_wording = Some(parsed.exemption_notes);
                casework_wording = Some(parsed.casework);
                address_notes = parsed.address_notes;
            } else {
                let template: LetterTemplate =
                    toml::from_str(text).map_err(|e| toml_error(name, text, &e))?;
                if format!("{}.toml", template.id) != *name {
                    return Err(LetterError::Invalid {
                        file: name.clone(),
                        problems: vec![format!(
                            "the file of template `{}` must be called {}.toml",
                            template.id, template.id
                        )],
                    });
                }
                templates.push(template);
            }
        }
        let organisations = organisations.ok_or_else(|| LetterError::Invalid {
            file: ORGANISATIONS_FILE.to_string(),
            problems: vec!["the organisations file is missing".to_string()],
        })?;
        let problems = check(&organisations, &templates);
        if !problems.is_empty() {
            return Err(LetterError::Invalid {
                file: "letter templates".to_string(),
                problems,
            });
        }
        let env = build_environment(&templates, partials, compile)?;
        let exemption_wording = exemption_wording.ok_or_else(|| LetterError::Invalid {
            file: SHARED_FILE.to_string(),
            problems: vec!["the shared file with [exemption_notes] is missing".to_string()],
        })?;
        let mut casework_wording: CaseworkWording =
            casework_wording.ok_or_else(|| LetterError::Invalid {
                file: SHARED_FILE.to_string(),
                problems: vec!["the shared file with [casework] is missing".to_string()],
            })?;
        casework_wording.roles = OrganisationRoles::from_organisations(&organisations);
        Ok(Catalogue {
            organisations,
            templates,
            exemption_wording,
            casework_wording,
            address_notes,
            env,
        })
    }

    /// The notes an adviser must see before sending this letter to this body (an
    /// address to re-check, what the body needs first), each as a sentence naming where
    /// it comes from. The command line prints them and the app's preview shows them,
    /// each after the address note (`address_note`), which needs the client's details.
    pub fn adviser_notes(&self, organisation: &str, template: &str) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(org) = self.organisation(organisation) {
            notes.extend(
                org.notes
                    .iter()
                    .map(|n| format!("Note ({}): {n}", org.name)),
            );
        }
        if let Some(template) = self.template(template) {
            notes.extend(template.adviser_notes.iter().map(|n| format!("Note: {n}")));
        }
        notes
    }

    /// The adviser's note on whether `org` can use the immigration exemption.
    pub fn exemption_note(
        &self,
        org: &Organisation,
        facts: &BTreeMap<String, String>,
    ) -> ExemptionNote {
        exemption_note(&self.exemption_wording, org, facts)
    }

    /// The adviser's note on the client's home address, for a body that may have
    /// it only when it already knows it (the police, the Home Office); none for
    /// any other body.
    /// `address_known_to` is the client's list of bodies that know where they live.
    pub fn address_note(
        &self,
        org: &Organisation,
        facts: &BTreeMap<String, String>,
        address_known_to: &[String],
    ) -> Option<AddressNote> {
        if !org.may_receive_with_consent.contains_key("address") {
            return None;
        }
        let body = org.in_sentence.as_deref().unwrap_or(&org.name);
        let said_no = facts
            .get(super::compose::ADDRESS_KNOWN_TO_BODY)
            .is_some_and(|v| v.trim() == "no");
        let known = org.may_receive(facts).contains("address")
            || (address_known_to.contains(&org.id) && !said_no);
        let named = |text: &str| text.replace("{body}", body);
        Some(if known {
            AddressNote {
                text: named(&self.address_notes.given),
                why: None,
                command_line_hint: None,
                app_hint: None,
            }
        } else {
            AddressNote {
                text: named(&self.address_notes.left_out),
                why: Some(self.address_notes.left_out_why.clone()),
                command_line_hint: Some(named(&self.address_notes.command_line_hint)),
                app_hint: Some(named(&self.address_notes.app_hint)),
            }
        })
    }

    /// The casework sentences: missing items, complaint points, the adviser's reply notes.
    pub fn casework_wording(&self) -> &CaseworkWording {
        &self.casework_wording
    }

    /// True where the organisations file says `id` is the Secretary of State
    /// (`immigration_exemption = true`), the only body that may rely on the
    /// immigration exemption.
    pub fn may_use_immigration_exemption(&self, id: &str) -> bool {
        self.organisation(id)
            .is_some_and(|o| o.immigration_exemption)
    }

    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.id == id)
    }

    pub fn template(&self, id: &str) -> Option<&LetterTemplate> {
        self.templates.iter().find(|t| t.id == id)
    }

    pub fn organisations(&self) -> &[Organisation] {
        &self.organisations
    }

    pub fn templates(&self) -> &[LetterTemplate] {
        &self.templates
    }
}

/// Every `*.toml` file in `dir`, by file name, in name order.
pub(super) fn read_folder(dir: &Path) -> Result<Vec<(String, String)>, LetterError> {
    let io = |path: &Path, source| LetterError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let path = entry.map_err(|e| io(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = crate::files::read_text(
                &path,
                crate::files::MAX_TEMPLATE_FILE_BYTES,
                "a letter template or organisations file",
            )
            .map_err(|e| io(&path, e))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push((name, text));
        }
    }
    files.sort();
    Ok(files)
}

/// Parses one file of a letters folder on its own (the organisations file, the
/// shared file or a template), for `letters validate`.
pub(super) fn parse_file(name: &str, text: &str) -> Result<(), LetterError> {
    let parsed = match name {
        ORGANISATIONS_FILE => toml::from_str::<OrganisationsFile>(text).map(drop),
        SHARED_FILE => toml::from_str::<SharedFile>(text).map(drop),
        _ => toml::from_str::<LetterTemplate>(text).map(drop),
    };
    parsed.map_err(|e| toml_error(name, text, &e))
}

/// A problem found by the checks across files, with the file it belongs to and a
/// piece of its text to find the line by.
pub(super) struct CrossFileProblem {
    pub file: String,
    pub near: String,
    pub message: String,
}

/// Every problem across the files: organisation entries, and templates that name
/// organisations, requirements or identifiers that do not exist.
pub(super) fn cross_file_problems(
    organisations: &[Organisation],
    templates: &[LetterTemplate],
) -> Vec<CrossFileProblem> {
    let mut out = Vec::new();
    let template_ids: BTreeSet<&str> = templates.iter().map(|t| t.id.as_str()).collect();
    let org_ids: BTreeSet<&str> = organisations.iter().map(|o| o.id.as_str()).collect();
    let in_orgs = |org: &Organisation, message: String| CrossFileProblem {
        file: ORGANISATIONS_FILE.to_string(),
        near: format!("id = \"{}\"", org.id),
        message,
    };
    let mut seen = BTreeSet::new();
    for org in organisations {
        if !seen.insert(org.id.as_str()) {
            out.push(in_orgs(
                org,
                format!("two organisations share the id `{}`", org.id),
            ));
        }
        for problem in org.problems() {
            out.push(in_orgs(org, problem));
        }
        if !template_ids.contains(org.template.as_str()) {
            out.push(in_orgs(
                org,
                format!("{}: no template `{}`", org.id, org.template),
            ));
        }
    }
    for t in templates {
        let in_template = |key: &str, message: String| CrossFileProblem {
            file: format!("{}.toml", t.id),
            near: key.to_string(),
            message,
        };
        for org in t
            .organisations
            .iter()
            .filter(|o| !org_ids.contains(o.as_str()))
        {
            out.push(in_template(
                "organisations",
                format!("template {}: no organisation `{org}`", t.id),
            ));
        }
        for req in t.requires.iter().filter(|r| requirement_help(r).is_none()) {
            out.push(in_template(
                "requires",
                format!("template {}: unknown requirement `{req}`", t.id),
            ));
        }
        for key in &t.identifiers {
            if !IDENTIFIERS.iter().any(|i| i.key == key) {
                out.push(in_template(
                    "identifiers",
                    format!("template {}: unknown identifier `{key}`", t.id),
                ));
            }
        }
    }
    out
}

fn check(organisations: &[Organisation], templates: &[LetterTemplate]) -> Vec<String> {
    cross_file_problems(organisations, templates)
        .into_iter()
        .map(|p| p.message)
        .collect()
}

/// When the letter templates are compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Compile {
    Now,
    Lazily,
}

fn build_environment(
    templates: &[LetterTemplate],
    partials: BTreeMap<String, String>,
    compile: Compile,
) -> Result<Environment<'static>, LetterError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| LetterError::Template {
            template: "(syntax)".to_string(),
            message: e.to_string(),
        })?;
    env.set_syntax(syntax);
    // A field that prints nothing (none, undefined, blank) is an error, so a
    // letter can never go out with a gap where a detail should be.
    env.set_formatter(|out, state, value: &Value| {
        if value.is_undefined() || value.is_none() || value.to_string().trim().is_empty() {
            return Err(Error::new(
                ErrorKind::UndefinedError,
                "a field in the letter has no value",
            ));
        }
        minijinja::escape_formatter(out, state, value)
    });
    let syntax = |name: &str, e: Error| LetterError::Template {
        template: name.to_string(),
        message: e.to_string(),
    };
    let mut sources: BTreeMap<String, String> = partials;
    for t in templates {
        sources.insert(format!("{}/subject", t.id), t.subject.clone());
        sources.insert(format!("{}/body", t.id), t.body.clone());
        for (i, source) in t.enclosures.iter().enumerate() {
            sources.insert(format!("{}/enclosure/{i}", t.id), source.clone());
        }
    }
    match compile {
        Compile::Now => {
            for (name, source) in sources {
                let template = name.split('/').next().unwrap_or(&name).to_string();
                env.add_template_owned(name, source)
                    .map_err(|e| syntax(&template, e))?;
            }
        }
        Compile::Lazily => env.set_loader(move |name| Ok(sources.get(name).cloned())),
    }
    Ok(env)
}

impl crate::guide::library::LetterIds for Catalogue {
    fn has_template(&self, id: &str) -> bool {
        self.template(id).is_some()
    }

    fn has_organisation(&self, id: &str) -> bool {
        self.organisation(id).is_some()
    }
}
