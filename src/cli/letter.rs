//! `sanctuary letter` and `sanctuary letters list`: write one letter to a
//! file, or list the templates and organisations. Thin: the work is in
//! `sanctuary::letter`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::NaiveDate;

use crate::terminal_text::{safe_eprint, safe_print, safe_println};

use sanctuary::calendar::dates::format_uk;
use sanctuary::calendar::deadline::Clock;
use sanctuary::calendar::holidays::Nation;
use sanctuary::casework::standing::previous_request_from_clock;
use sanctuary::files::read_text;
use sanctuary::letter::{
    self, AdviserDetails, Catalogue, ClientDetails, ContactKind, HomeOfficeRequestType,
    LetterRequest, MAX_DETAILS_FILE_BYTES, MAX_LINE_CHARS, MAX_LIST_ITEMS, text_problem,
};

/// Output format for a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LetterFormat {
    /// A4 PDF for printing or attaching.
    Pdf,
    /// Plain text, for pasting into an email.
    Txt,
}

/// Write a letter (a subject access request, authority, chaser or complaint).
#[derive(Debug, Clone, clap::Args)]
pub struct LetterArgs {
    /// Template id (see `sanctuary letters list`), e.g. sar-home-office.
    pub template: String,
    /// Organisation id the letter goes to, e.g. home-office.
    #[arg(long = "to", value_name = "ORG")]
    pub to: String,
    /// Client details file (TOML; see letter-templates/README.md).
    #[arg(long, value_name = "FILE")]
    pub client: PathBuf,
    /// Adviser details file (TOML); overrides an [adviser] table in the client file.
    #[arg(long, value_name = "FILE")]
    pub adviser: Option<PathBuf>,
    /// Start of the period the request covers (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = super::date_arg, requires = "until")]
    pub from: Option<NaiveDate>,
    /// End of the period the request covers (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = super::date_arg, requires = "from")]
    pub until: Option<NaiveDate>,
    /// Date the letter is sent, and its date (default: today).
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub sent: Option<NaiveDate>,
    /// Date the body will receive it (default for post: 2 working days after --sent).
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub received: Option<NaiveDate>,
    /// Whose bank holidays count for the reply-by date: england-wales, scotland or
    /// northern-ireland (the nation where the body handles the request).
    #[arg(long, default_value = "england-wales", value_name = "NATION", value_parser = super::nation_arg)]
    pub nation: Nation,
    /// pdf or txt.
    #[arg(long, value_enum, default_value_t = LetterFormat::Pdf)]
    pub format: LetterFormat,
    /// Where to write the letter.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// Replace the file if it exists (otherwise an existing file is left untouched)
    #[arg(long)]
    pub force: bool,
    /// The body's own name, for a generic organisation (police force, employer...).
    #[arg(long, value_name = "NAME")]
    pub to_name: Option<String>,
    /// A line of the body's postal address, where sanctuary holds none (repeat per line).
    #[arg(long = "to-address", value_name = "LINE")]
    pub to_address: Vec<String>,
    /// Home Office request type: basic, specific or detailed.
    #[arg(long, value_name = "TYPE", value_parser = request_type_arg)]
    pub request_type: Option<HomeOfficeRequestType>,
    /// A document named in a specific Home Office request (up to 5).
    #[arg(long = "document", value_name = "TEXT")]
    pub documents: Vec<String>,
    /// For a chaser or complaint: when the earlier request was sent.
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub request_sent: Option<NaiveDate>,
    /// ...and when it was received, if known.
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub request_received: Option<NaiveDate>,
    /// For a complaint: one thing that went wrong (repeatable).
    #[arg(long = "point", value_name = "TEXT")]
    pub points: Vec<String>,
    /// For an ICO complaint: "YYYY-MM-DD: what happened" (repeatable, in order).
    #[arg(long = "event", value_name = "EVENT")]
    pub events: Vec<String>,
    /// For an ICO complaint: the organisation complained about.
    #[arg(long, value_name = "ORG")]
    pub about: Option<String>,
    /// The name of that organisation, for a generic entry.
    #[arg(long, value_name = "NAME")]
    pub about_name: Option<String>,
    /// The recipient's own reference (e.g. an ICO case number).
    #[arg(long, value_name = "REF")]
    pub their_ref: Option<String>,
    /// A guide fact, key=value (repeatable), e.g. home_office_sharing=possible.
    #[arg(long = "fact", value_name = "KEY=VALUE")]
    pub facts: Vec<String>,
    /// Data about the client may have gone to the Home Office.
    #[arg(long)]
    pub home_office_sharing: bool,
    /// The body already knows where the client lives, so the letter may give the home
    /// address. Without it, letters to the police and the Home Office leave it out and
    /// replies go to the adviser.
    #[arg(long)]
    pub body_knows_address: bool,
}

fn request_type_arg(text: &str) -> Result<HomeOfficeRequestType, String> {
    text.parse()
}

impl LetterArgs {
    /// The text typed on the command line that goes into the letter: each within its
    /// limit and free of characters that can disguise text (see
    /// [`sanctuary::letter::text_problem`]).
    fn check_typed(&self) -> anyhow::Result<()> {
        const LONG: usize = 10_000;
        let mut fields: Vec<(String, &str, usize, bool)> = Vec::new();
        for (flag, value) in [
            ("--to-name", &self.to_name),
            ("--their-ref", &self.their_ref),
            ("--about-name", &self.about_name),
        ] {
            if let Some(value) = value {
                fields.push((flag.to_string(), value, MAX_LINE_CHARS, false));
            }
        }
        for (flag, values, max, multiline) in [
            ("--to-address", &self.to_address, MAX_LINE_CHARS, false),
            ("--document", &self.documents, 1000, false),
            ("--point", &self.points, LONG, true),
            ("--event", &self.events, LONG, true),
            ("--fact", &self.facts, 1000, false),
        ] {
            if values.len() > MAX_LIST_ITEMS {
                bail!(
                    "{flag} is given {} times; the limit is {MAX_LIST_ITEMS}",
                    values.len()
                );
            }
            for (i, value) in values.iter().enumerate() {
                fields.push((format!("{flag} number {}", i + 1), value, max, multiline));
            }
        }
        for (field, value, max, multiline) in fields {
            if let Some(problem) = text_problem(&field, value, max, multiline) {
                bail!("{problem}");
            }
        }
        Ok(())
    }

    /// Builds the library request from the arguments, reading the files named.
    pub fn to_request(&self) -> anyhow::Result<LetterRequest> {
        self.check_typed()?;
        let client_text = read_text(
            &self.client,
            MAX_DETAILS_FILE_BYTES,
            "a client details file",
        )
        .with_context(|| format!("could not read the client file {}", self.client.display()))?;
        let client =
            ClientDetails::from_toml_str(&client_text, &self.client.display().to_string())?;
        let adviser = match &self.adviser {
            Some(path) => {
                let text = read_text(path, MAX_DETAILS_FILE_BYTES, "an adviser details file")
                    .with_context(|| {
                        format!("could not read the adviser file {}", path.display())
                    })?;
                Some(AdviserDetails::from_toml_str(
                    &text,
                    &path.display().to_string(),
                )?)
            }
            None => None,
        };
        let sent = self.sent.unwrap_or_else(crate::session::today);
        let mut request = LetterRequest::new(&self.template, &self.to, client, sent);
        request.adviser = adviser;
        request.recipient_name = self.to_name.clone();
        request.recipient_address = self.to_address.clone();
        request.period = self.from.zip(self.until);
        request.expected_receipt = self.received;
        request.nation = self.nation;
        request.facts = parse_facts(&self.facts)?;
        if self.home_office_sharing {
            request
                .facts
                .insert("home_office_sharing".to_string(), "possible".to_string());
        }
        if self.body_knows_address {
            if request
                .facts
                .get(letter::ADDRESS_KNOWN_TO_BODY)
                .is_some_and(|v| v.trim() == "no")
            {
                bail!(
                    "--body-knows-address contradicts --fact {}=no: the guide said \
                     this body does not know where the client lives, so the address stays out",
                    letter::ADDRESS_KNOWN_TO_BODY
                );
            }
            request
                .facts
                .insert(letter::ADDRESS_KNOWN_TO_BODY.to_string(), "yes".to_string());
        }
        request.home_office_request_type = self.request_type;
        request.named_documents = self.documents.clone();
        if let Some(request_sent) = self.request_sent {
            let clock = Clock {
                sent: Some(request_sent),
                received: self.request_received,
                ..Clock::unsent(self.nation)
            };
            request.previous_request = previous_request_from_clock(&clock, sent)?;
        }
        request.complaint_points = self.points.clone();
        request.chronology = self
            .events
            .iter()
            .map(|e| parse_event(e))
            .collect::<anyhow::Result<_>>()?;
        request.about = self.about.clone();
        request.about_name = self.about_name.clone();
        request.their_reference = self.their_ref.clone();
        Ok(request)
    }
}

fn parse_facts(items: &[String]) -> anyhow::Result<BTreeMap<String, String>> {
    let mut facts = BTreeMap::new();
    for item in items {
        let Some((key, value)) = item.split_once('=') else {
            bail!("--fact {item:?} should be written key=value");
        };
        facts.insert(
            key.trim().to_string(),
            value.trim().trim_matches('"').to_string(),
        );
    }
    Ok(facts)
}

fn parse_event(text: &str) -> anyhow::Result<(NaiveDate, String)> {
    let Some((date, what)) = text.split_once(':') else {
        bail!("--event {text:?} should be written \"YYYY-MM-DD: what happened\"");
    };
    let date = sanctuary::calendar::dates::parse_date(date)?;
    let what = what.trim();
    if what.is_empty() {
        bail!("--event {text:?} says nothing after the date");
    }
    Ok((date, what.to_string()))
}

/// Writes the letter and prints the adviser's notes (immigration exemption,
/// the organisation's notes, the reply date) on stderr.
pub fn run_letter(args: &LetterArgs, catalogue: &Catalogue) -> anyhow::Result<()> {
    let request = args.to_request()?;
    let letter = letter::compose(&request, catalogue)?;
    let bytes = match args.format {
        LetterFormat::Pdf => letter::render_pdf(&letter)?,
        LetterFormat::Txt => letter::render_text(&letter).into_bytes(),
    };
    super::write_private(&args.output, &bytes, args.force)?;

    // For an ICO complaint the note is about the body complained about.
    let org_id = match (&request.about, request.template.as_str()) {
        (Some(about), "complaint-ico") => about.clone(),
        _ => request.organisation.clone(),
    };
    let mut notes = String::new();
    if let Some(org) = catalogue.organisation(&org_id) {
        notes.push_str(&catalogue.exemption_note(org, &request.facts).to_string());
    }
    if let Some(org) = catalogue.organisation(&request.organisation)
        && let Some(note) =
            catalogue.address_note(org, &request.facts, &request.client.address_known_to)
    {
        notes.push_str(&note.text);
        for more in note.why.iter().chain(&note.command_line_hint) {
            notes.push_str(&format!(" {more}"));
        }
        notes.push('\n');
    }
    for note in catalogue.adviser_notes(&request.organisation, &request.template) {
        notes.push_str(&format!("{note}\n"));
    }
    if let Some(due) = &letter.reply_by {
        notes.push_str(&format!(
            "Reply due by {}. {} Bank holidays used are those of {} (change with --nation); \
             change the expected receipt date with --received.\n",
            format_uk(due.due),
            due.working_sentence(),
            request.nation.label()
        ));
    }
    safe_eprint!("{notes}");
    safe_println!("Wrote {}", args.output.display());
    Ok(())
}

/// Checks a letters folder (or the shipped letters) and prints every problem as
/// file:line:column; exit status 1 when there is any.
pub fn run_letters_validate(
    dir: Option<&std::path::Path>,
) -> anyhow::Result<std::process::ExitCode> {
    let Some(dir) = dir else {
        let catalogue = Catalogue::embedded()?;
        safe_println!(
            "The shipped letters: {} templates and {} organisations, no problems.",
            catalogue.templates().len(),
            catalogue.organisations().len()
        );
        return Ok(std::process::ExitCode::SUCCESS);
    };
    let problems = letter::validate_dir(dir)?;
    for p in &problems {
        crate::terminal_text::safe_eprintln!("{}/{p}", dir.display());
    }
    if problems.is_empty() {
        let catalogue = Catalogue::from_dir(dir)?;
        safe_println!(
            "{}: {} templates and {} organisations, no problems.",
            dir.display(),
            catalogue.templates().len(),
            catalogue.organisations().len()
        );
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        crate::terminal_text::safe_eprintln!(
            "{} problem{} in {}.",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            dir.display()
        );
        Ok(std::process::ExitCode::FAILURE)
    }
}

/// Prints every template and organisation, with each organisation's notes
/// and confirmed contact details.
pub fn run_letters_list(catalogue: &Catalogue) -> anyhow::Result<()> {
    let mut out = String::from("Letter templates\n");
    for t in catalogue.templates() {
        out.push_str(&format!("  {:<27} {}\n", t.id, t.description));
    }
    out.push_str("\nOrganisations\n");
    for org in catalogue.organisations() {
        out.push_str(&format!(
            "\n  {} ({})\n    {}\n",
            org.id, org.name, org.covers
        ));
        out.push_str(&format!("    Template: {}\n", org.template));
        if org.immigration_exemption {
            out.push_str("    Immigration exemption: can apply (Home Office only)\n");
        }
        if org.immigration_exemption_untested {
            out.push_str(
                "    Immigration exemption: untested for this department; the letter asks\n",
            );
        }
        if org.may_receive_with_consent.contains_key("address") {
            out.push_str("    Home address: only if it already knows it (--body-knows-address)\n");
        }
        if let Some(what) = &org.name_needed {
            out.push_str(&format!("    Name needed: {what} (--to-name)\n"));
        }
        for c in &org.contacts {
            let detail = match c.kind {
                ContactKind::Post => c.address.join(", "),
                _ => c.value.clone().unwrap_or_default(),
            };
            out.push_str(&format!(
                "    {:?}{}: {detail} (source: {}; checked {})\n",
                c.kind,
                c.label
                    .as_deref()
                    .map(|l| format!(" ({l})"))
                    .unwrap_or_default(),
                c.source,
                format_uk(c.checked)
            ));
        }
        if org.postal_address().is_none()
            && let Some(help) = &org.address_help
        {
            out.push_str(&format!("    Address: not held; {help} (--to-address)\n"));
        }
        for note in &org.notes {
            out.push_str(&format!("    - {note}\n"));
        }
    }
    let width = crate::terminal_text::output_width();
    safe_print!("{}", crate::terminal_text::wrap_lines(&out, width));
    Ok(())
}
