//! `sanctuary clients ...` and `sanctuary requests ...`: the case store from the command line.
//!
//! Thin wiring over `casework::store`, `casework::reply_check`, `casework::calendar` and
//! the letters module. Nothing about a client goes into an error message, files are
//! written owner-only (0600) and all or nothing through `sanctuary::files`, and every
//! print goes through `terminal_text`, so a stored value cannot act on the terminal.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use chrono::{Days, NaiveDate, Utc};
use serde::Serialize;

use super::letter::LetterFormat;
use super::saved::saved;
use super::write_private;
use crate::session::open_store;
use crate::terminal_text::{self, line, safe_eprint, safe_eprintln, safe_print, safe_println};
use crate::wording::plural;
use sanctuary::calendar::dates::format_uk;
use sanctuary::calendar::holidays::Nation;
use sanctuary::casework::calendar::{self, DueEvent};
use sanctuary::casework::followup::{Case, FollowupError, Recipient, Urgency, check_recorded};
use sanctuary::casework::reply_check;
use sanctuary::casework::standing::{self, ClockState, Standing};
use sanctuary::casework::steps::{
    self, CaseworkError, ComplaintChoice, LetterFile, NewReply, NewRequest, RequestEvent,
};
use sanctuary::casework::store::{
    ClientId, ClientRecord, DueRequest, Erasure, Reply, ReplyId, Request, RequestDetails,
    RequestId, RequestStatus, Store,
};
use sanctuary::files::{Overwrite, read_text};
use sanctuary::letter::wording::fill;
use sanctuary::letter::{Catalogue, HomeOfficeRequestType, MAX_DETAILS_FILE_BYTES};

#[derive(Debug, clap::Subcommand)]
pub enum ClientsCommand {
    /// Add a client from a client details file (TOML, as for `sanctuary letter`); prints the new id
    Add {
        /// The client details file
        #[arg(long, value_name = "FILE")]
        client: PathBuf,
    },
    /// List the clients, or only those whose names match --search
    List {
        /// Only clients whose name or other names contain every word of TEXT, ignoring
        /// accents and case ("lukasz" finds "Łukasz")
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Print JSON for scripts
        #[arg(long)]
        json: bool,
    },
    /// A client's requests (with due dates and status), replies, letters and advice records
    Show {
        /// The client's id
        id: i64,
        /// Print the whole record as JSON
        #[arg(long)]
        json: bool,
    },
    /// Write a client's whole record to a new JSON file (owner-only), for their own request or a transfer
    Export {
        /// The client's id
        id: i64,
        /// The file to create; an existing file is never overwritten
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Erase a client and everything about them from the store
    Erase {
        /// The client's id
        id: i64,
        /// Really erase (without it, sanctuary only says what would go)
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum RequestsCommand {
    /// Write a new request letter for a client (with the letter of authority when an
    /// adviser acts) into a folder, and add the request as drafted; prints its id
    New(NewRequestArgs),
    /// Record a subject access request; prints the new request's id
    Add {
        /// The client's id
        #[arg(long, value_name = "ID")]
        client: i64,
        /// The organisation id (see `sanctuary letters list`), e.g. home-office
        #[arg(long = "to", value_name = "ORG")]
        to: String,
        /// The letter template used, e.g. sar-home-office
        #[arg(long, value_name = "TEMPLATE")]
        template: String,
        /// The day the request was sent
        #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
        sent: Option<NaiveDate>,
        /// The day the body received it (day one of the month)
        #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
        received: Option<NaiveDate>,
        /// Whose bank holidays count: england-wales, scotland or northern-ireland
        #[arg(long, value_name = "NATION", default_value = "england-wales", value_parser = super::nation_arg)]
        nation: Nation,
        /// A note for the record
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// List requests, for one client or all
    List {
        /// Only this client's requests
        #[arg(long, value_name = "ID")]
        client: Option<i64>,
        /// Print JSON for scripts
        #[arg(long)]
        json: bool,
    },
    /// Requests awaiting a reply that are overdue, due soon, paused or without a date, soonest first
    Due {
        /// How far ahead to look, in days: 7d, 14d...
        #[arg(long, value_name = "Nd", default_value = "7d", value_parser = within_arg)]
        within: u64,
        /// Print JSON for scripts
        #[arg(long)]
        json: bool,
    },
    /// Change a request: status, dates, an extension, a clarification pause, a note
    Update(UpdateArgs),
    /// Record a reply and see what it left out under Article 15(1)
    Reply(ReplyArgs),
    /// Remove a reply recorded in error (its id is in `clients show`)
    WithdrawReply {
        /// The reply's id
        reply: i64,
    },
    /// Write a chaser listing exactly what is still missing, and keep its text with the client
    Chaser {
        /// The request's id
        id: i64,
        #[command(flatten)]
        output: LetterOutput,
    },
    /// Write a complaint to the organisation or to the ICO, with the chronology from the store
    #[command(group(clap::ArgGroup::new("recipient").required(true).args(["to_ico", "to_controller"])))]
    Complaint {
        /// The request's id
        id: i64,
        /// Complain to the ICO (being replaced by the Information Commission)
        #[arg(long)]
        to_ico: bool,
        /// Complain to the organisation itself (DPA 2018 s.164A)
        #[arg(long)]
        to_controller: bool,
        /// A further point of complaint (repeatable)
        #[arg(long = "point", value_name = "TEXT")]
        points: Vec<String>,
        /// The recipient's reference (e.g. an ICO case number)
        #[arg(long, value_name = "REF")]
        their_ref: Option<String>,
        #[command(flatten)]
        output: LetterOutput,
    },
    /// How often each organisation's replies cited the immigration exemption
    Stats {
        /// Print JSON for scripts
        #[arg(long)]
        json: bool,
    },
    /// Write the due dates as calendar events (request id and organisation only, no client details)
    Calendar {
        /// The .ics file to write
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct NewRequestArgs {
    /// The client's id
    #[arg(long, value_name = "ID")]
    pub client: i64,
    /// The organisation id (see `sanctuary letters list`), e.g. home-office
    #[arg(long = "to", value_name = "ORG")]
    pub to: String,
    /// The letter template (default: the organisation's usual request letter)
    #[arg(long, value_name = "TEMPLATE")]
    pub template: Option<String>,
    /// Home Office request type: basic, specific or detailed
    #[arg(long, value_name = "TYPE", value_parser = |t: &str| t.parse::<HomeOfficeRequestType>())]
    pub request_type: Option<HomeOfficeRequestType>,
    /// Whose bank holidays count: england-wales, scotland or northern-ireland
    #[arg(long, value_name = "NATION", default_value = "england-wales", value_parser = super::nation_arg)]
    pub nation: Nation,
    /// The body's own name, for a generic organisation (police force, employer...)
    #[arg(long, value_name = "NAME")]
    pub to_name: Option<String>,
    /// A line of the body's postal address, where sanctuary holds none (repeat per line)
    #[arg(long = "to-address", value_name = "LINE")]
    pub to_address: Vec<String>,
    /// The folder to write the letters into; a name already taken gets -2, -3...
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub folder: PathBuf,
    /// The body already knows where the client lives, so a letter to the police or the
    /// Home Office may give the home address (otherwise it is left out, as it is for any
    /// body not in the client's address_known_to)
    #[arg(long)]
    pub body_knows_address: bool,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The request's id
    pub id: i64,
    /// drafted, sent, answered, part-answered, overdue, complained or closed
    #[arg(long, value_name = "STATUS")]
    pub status: Option<RequestStatus>,
    /// The day the request was sent
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub sent: Option<NaiveDate>,
    /// The day the body received it
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub received: Option<NaiveDate>,
    /// The day the body received proof of identity it asked for
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub id_received: Option<NaiveDate>,
    /// The day the body received a fee it may lawfully charge
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub fee_received: Option<NaiveDate>,
    /// The body extended the time by two months, for this reason
    #[arg(long, value_name = "REASON")]
    pub extended: Option<String>,
    /// The day the body asked for clarification: the clock stops (no due date) until --resumed
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub paused_from: Option<NaiveDate>,
    /// The day the clarification reached the body: the clock restarts
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub resumed: Option<NaiveDate>,
    /// Undo a clarification pause recorded in error (the open one, else the last)
    #[arg(long)]
    pub undo_pause: bool,
    /// Whose bank holidays count, if it was recorded wrongly: england-wales, scotland or northern-ireland (the due date is worked out again)
    #[arg(long, value_name = "NATION", value_parser = super::nation_arg)]
    pub nation: Option<Nation>,
    /// A note to add to the record
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ReplyArgs {
    /// The request's id
    pub id: i64,
    /// The day the reply arrived
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub date: NaiveDate,
    /// What came: purposes,categories,recipients,retention,source,automated-decisions,rights,complaint-right,transfer-safeguards,copy
    #[arg(long, value_name = "ITEMS", default_value = "")]
    pub got: String,
    /// The reply relied on the immigration exemption
    #[arg(long)]
    pub exemption_cited: bool,
    /// The rights it said it restricted: information,access,erasure,restriction,objection,principles
    #[arg(long, value_name = "RIGHTS", requires = "exemption_cited")]
    pub rights: Option<String>,
    /// A note for the record
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// Where and how a letter from the store is written.
#[derive(Debug, Clone, clap::Args)]
pub struct LetterOutput {
    /// The file to write
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// pdf or txt
    #[arg(long, value_enum, default_value_t = LetterFormat::Pdf)]
    pub format: LetterFormat,
    /// The body's own name, for a generic organisation (police force, employer...)
    #[arg(long, value_name = "NAME")]
    pub to_name: Option<String>,
    /// A line of the body's postal address, where sanctuary holds none (repeat per line)
    #[arg(long = "to-address", value_name = "LINE")]
    pub to_address: Vec<String>,
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
}

/// `7d`, `14d` or a bare number of days.
fn within_arg(text: &str) -> Result<u64, String> {
    let digits = text.trim().trim_end_matches(['d', 'D']);
    digits
        .parse::<u64>()
        .ok()
        .filter(|days| *days <= 3660)
        .ok_or_else(|| format!("{text:?} is not a number of days such as 7d"))
}

use crate::session::today;

// ----- clients -----

pub fn run_clients(command: &ClientsCommand, store: Option<&Path>) -> anyhow::Result<ExitCode> {
    match command {
        ClientsCommand::Add { client } => add_client(client, store),
        ClientsCommand::List { search, json } => list_clients(search.as_deref(), *json, store),
        ClientsCommand::Show { id, json } => {
            let store = open_store(store)?;
            let record = store.client_record(ClientId(*id))?;
            if *json {
                print_json(&record)?;
            } else {
                print_client_record(&record, &super::catalogue()?);
            }
            Ok(ExitCode::SUCCESS)
        }
        ClientsCommand::Export { id, output } => export_client(*id, output, store),
        ClientsCommand::Erase { id, yes } => erase_client(*id, *yes, store),
    }
}

/// `clients list`: every client, or those matching `search`, as lines or JSON.
fn list_clients(
    search: Option<&str>,
    json: bool,
    store: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let store = open_store(store)?;
    let clients = match search {
        Some(text) => store.search_clients(text)?,
        None => store.clients()?,
    };
    if json {
        let list: Vec<_> = clients
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id,
                    "display_name": c.display_name,
                    "created": c.created.to_rfc3339(),
                    "updated": c.updated.to_rfc3339(),
                })
            })
            .collect();
        print_json(&list)?;
    } else if clients.is_empty() {
        safe_println!("No clients.");
    } else {
        for client in &clients {
            safe_println!("{:>5}  {}", client.id, line(&client.display_name));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `clients export`: the client's whole record as JSON to a new private file.
fn export_client(id: i64, output: &Path, store: Option<&Path>) -> anyhow::Result<ExitCode> {
    if output.exists() {
        bail!(
            "{} already exists; sanctuary will not overwrite it: choose a new file name",
            output.display()
        );
    }
    let store = open_store(store)?;
    let value = store.export_client(ClientId(id))?;
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    write_private(output, text.as_bytes(), false)?;
    safe_eprintln!(
        "Wrote client {id}'s whole record to {} (readable only by you). It holds everything about them: keep it safe and delete it when done.",
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `clients erase`: says what would go unless `yes`, then erases the client and all about them.
fn erase_client(id: i64, yes: bool, store: Option<&Path>) -> anyhow::Result<ExitCode> {
    let mut store = open_store(store)?;
    let record = store.client_record(ClientId(id))?;
    let what = format!(
        "client {id} and everything about them: {}, {}, {}, {}",
        plural(record.requests.len(), "request", "requests"),
        plural(record.replies.len(), "reply", "replies"),
        plural(record.letters.len(), "letter", "letters"),
        plural(record.advice.len(), "advice record", "advice records")
    );
    if !yes {
        safe_eprintln!(
            "This would erase {what}. It cannot be undone. Check with `sanctuary clients show {id}`, then run again with --yes. Nothing was erased."
        );
        return Ok(ExitCode::FAILURE);
    }
    let erasure = store.erase_client(ClientId(id))?;
    saved();
    match erasure {
        Erasure::Complete => safe_println!(
            "Erased {what}. Letters written to files for them are not in the store: delete those from the letters folder too if they should go."
        ),
        Erasure::OldCopyRemains => {
            eprintln!(
                "Deleted {what}, but another program has the store open (the app in another window, a backup or a sync tool), so an old copy of their details is still inside the store file until that program closes it. Close it; until then, do not copy the store file."
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn add_client(path: &Path, store: Option<&Path>) -> anyhow::Result<ExitCode> {
    let text = read_text(path, MAX_DETAILS_FILE_BYTES, "a client details file")
        .with_context(|| format!("could not read the client file {}", path.display()))?;
    let label = path.display().to_string();
    steps::checked_client(&text, &label, today())?;
    let mut store = open_store(store)?;
    let added = steps::add_client(&mut store, &text, &label, today())?;
    saved();
    let id = added.client.id;
    safe_println!("{id}");
    for other in &added.same_person_maybe {
        safe_eprintln!(
            "Warning: client {} has the same name and date of birth; if this is the same person, erase one with `sanctuary clients erase ID`.",
            other.id
        );
    }
    safe_eprintln!(
        "Added client {id}. Record a request with `sanctuary requests add --client {id} --to ORG --template T`."
    );
    Ok(ExitCode::SUCCESS)
}

/// The client's details, by the keys of a client file, each on its own line.
fn print_client_details(details_toml: &str) {
    let Ok(details) =
        sanctuary::letter::ClientDetails::from_toml_str(details_toml, "the client's details")
    else {
        safe_println!("Details: could not be read (see `sanctuary clients export`)");
        return;
    };
    safe_println!("Details:");
    if !details.other_names.is_empty() {
        safe_println!("  other_names: {}", line(&details.other_names.join(", ")));
    }
    if let Some(born) = details.date_of_birth {
        safe_println!("  date_of_birth: {}", format_uk(born));
    }
    if !details.address.is_empty() {
        safe_println!("  address: {}", line(&details.address.join(", ")));
    }
    for (key, value) in details.optional_fields() {
        if let Some(value) = value {
            safe_println!("  {key}: {}", line(value));
        }
    }
    safe_println!(
        "  reply_to: {}",
        if details.reply_to == sanctuary::letter::ReplyTo::Adviser {
            "adviser"
        } else {
            "client"
        }
    );
    if let Some(adviser) = &details.adviser {
        let organisation = adviser
            .organisation
            .as_deref()
            .map_or(String::new(), |o| format!(", {}", line(o)));
        safe_println!("  adviser: {}{organisation}", line(&adviser.name));
    }
}

fn print_client_record(record: &ClientRecord, catalogue: &Catalogue) {
    let client = &record.client;
    safe_println!("Client {}: {}", client.id, line(&client.display_name));
    safe_println!("Added {}", format_uk(client.created.date_naive()));
    print_client_details(&client.details_toml);
    safe_println!();
    safe_println!("Requests:");
    if record.requests.is_empty() {
        safe_println!("  none");
    }
    for request in &record.requests {
        let standing = standing::standing(request, &record.replies, &record.letters, today());
        safe_println!("  {}", request_line(request, &standing, catalogue));
    }
    safe_println!("Replies:");
    if record.replies.is_empty() {
        safe_println!("  none");
    }
    for reply in &record.replies {
        safe_println!("  {}", reply_line(reply, record));
    }
    safe_println!("Letters:");
    if record.letters.is_empty() {
        safe_println!("  none");
    }
    for letter in &record.letters {
        let about = letter
            .details
            .request
            .map(|id| format!(" for request {id}"))
            .unwrap_or_default();
        safe_println!(
            "  #{} {}{about}, written {}",
            letter.id,
            line(&letter.details.template),
            format_uk(standing::letter_date(letter))
        );
    }
    safe_println!("Advice records:");
    if record.advice.is_empty() {
        safe_println!("  none");
    }
    for advice in &record.advice {
        safe_println!(
            "  #{} {} ({}), {}",
            advice.id,
            line(&advice.details.guide),
            line(&advice.details.outcome),
            format_uk(advice.details.date)
        );
    }
}

/// A request on one line, its clock in the words of its standing.
fn request_line(request: &Request, standing: &Standing, catalogue: &Catalogue) -> String {
    let details = &request.details;
    let org = catalogue
        .organisation(&details.organisation)
        .map_or(details.organisation.as_str(), |o| o.name.as_str());
    let mut line = format!(
        "#{} {} ({}), {}",
        request.id,
        terminal_text::line(org),
        terminal_text::line(&details.template),
        details.status
    );
    if let Some(sent) = details.clock.sent {
        line.push_str(&format!(", sent {sent}"));
    }
    if let Some(received) = details.clock.received {
        line.push_str(&format!(", received {received}"));
    }
    if details.clock.extended {
        line.push_str(", extended");
    }
    line.push_str(&format!(", {}", standing.clock_words()));
    if let Some(urgency) = standing.urgency {
        line.push_str(&format!(" [{}]", urgency.label()));
    }
    line
}

fn reply_line(reply: &Reply, record: &ClientRecord) -> String {
    let organisation = record
        .requests
        .iter()
        .find(|r| r.id == reply.details.request)
        .map_or("", |r| r.details.organisation.as_str());
    let check = check_recorded(reply, organisation);
    let mut line = format!(
        "#{} to request {}, received {}: ",
        reply.id, reply.details.request, reply.details.received
    );
    if check.missing.is_empty() {
        line.push_str("nothing missing");
    } else {
        let ids: Vec<&str> = check
            .missing
            .iter()
            .map(|i| reply_check::item_id(*i))
            .collect();
        line.push_str(&format!("missing {}", ids.join(", ")));
    }
    if reply.details.exemption_cited {
        line.push_str("; cited the immigration exemption");
    }
    line
}

// ----- requests -----

pub fn run_requests(command: &RequestsCommand, store: Option<&Path>) -> anyhow::Result<ExitCode> {
    match command {
        RequestsCommand::New(args) => new_request(args, store),
        RequestsCommand::Add {
            client,
            to,
            template,
            sent,
            received,
            nation,
            note,
        } => {
            let catalogue = super::catalogue()?;
            let mut details = RequestDetails::drafted(ClientId(*client), to, template, *nation);
            details.clock.sent = *sent;
            details.clock.received = *received;
            let mut store = open_store(store)?;
            let request =
                steps::record_request(&mut store, &catalogue, &details, note.as_deref(), today())?;
            saved();
            safe_println!("{}", request.id);
            safe_eprintln!("Added request {} to {to}.", request.id);
            print_standing(&store, &request, &mut io::stderr())?;
            Ok(ExitCode::SUCCESS)
        }
        RequestsCommand::List { client, json } => {
            let store = open_store(store)?;
            let list = list_requests(&store, client.map(ClientId))?;
            if *json {
                let lines: Vec<ListLine> = list
                    .iter()
                    .map(|item| ListLine {
                        standing: standing::of_listed(item, today()),
                        item,
                    })
                    .collect();
                print_json(&lines)?;
            } else if list.is_empty() {
                safe_println!("No requests.");
            } else {
                let catalogue = super::catalogue()?;
                for item in &list {
                    let standing = standing::of_listed(item, today());
                    safe_println!(
                        "{}  [client {}: {}]",
                        request_line(&item.request, &standing, &catalogue),
                        item.request.details.client,
                        line(&item.client_name)
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        RequestsCommand::Due { within, json } => requests_due(store, *within, *json),
        RequestsCommand::Update(args) => update_request(args, store),
        RequestsCommand::Reply(args) => record_reply(args, store),
        RequestsCommand::WithdrawReply { reply } => withdraw_reply(store, ReplyId(*reply)),
        RequestsCommand::Chaser { id, output } => chaser(store, RequestId(*id), output),
        RequestsCommand::Complaint {
            id,
            to_ico,
            to_controller: _,
            points,
            their_ref,
            output,
        } => complaint(
            store,
            RequestId(*id),
            &ComplaintChoice {
                to_ico: *to_ico,
                extra_points: points.clone(),
                their_reference: their_ref.clone(),
            },
            output,
        ),
        RequestsCommand::Stats { json } => exemption_stats(store, *json),
        RequestsCommand::Calendar { output, force } => write_calendar(store, output, *force),
    }
}

fn new_request(args: &NewRequestArgs, store: Option<&Path>) -> anyhow::Result<ExitCode> {
    let NewRequestArgs {
        client,
        to,
        template,
        request_type,
        nation,
        to_name,
        to_address,
        folder,
        body_knows_address,
    } = args;
    let catalogue = super::catalogue()?;
    let template = match template {
        Some(t) => t.clone(),
        None => catalogue
            .organisation(to)
            .map(|o| o.template.clone())
            .ok_or_else(|| {
                anyhow!("there is no organisation called `{to}` (see `sanctuary letters list`)")
            })?,
    };
    steps::check_organisation_and_template(&catalogue, to, &template)?;
    let mut facts = std::collections::BTreeMap::new();
    if *body_knows_address {
        facts.insert(
            sanctuary::letter::ADDRESS_KNOWN_TO_BODY.to_string(),
            "yes".to_string(),
        );
    }
    let new = NewRequest {
        client: ClientId(*client),
        template,
        organisation: to.clone(),
        nation: *nation,
        request_type: *request_type,
        adviser: None,
        recipient: Recipient {
            name: to_name.clone(),
            address: to_address.clone(),
        },
        extras: steps::LetterExtras {
            facts,
            ..Default::default()
        },
    };
    let mut store = open_store(store)?;
    let added = steps::new_request(&mut store, &catalogue, &new, folder, today())?;
    saved();
    safe_println!("{}", added.request.id);
    for file in &added.files {
        safe_eprintln!(
            "Wrote {}",
            std::path::absolute(file).unwrap_or(file.clone()).display()
        );
    }
    if let Some(org) = catalogue.organisation(to) {
        let known = steps::client_details(&store, ClientId(*client))
            .map(|c| c.address_known_to)
            .unwrap_or_default();
        if let Some(note) = catalogue.address_note(org, &new.extras.facts, &known) {
            let hint = note.command_line_hint.unwrap_or_default();
            safe_eprintln!("{} {hint}", note.text);
        }
    }
    safe_eprintln!(
        "Added request {} (drafted). When it is sent: sanctuary requests update {} --sent DATE",
        added.request.id,
        added.request.id
    );
    Ok(ExitCode::SUCCESS)
}

fn update_request(args: &UpdateArgs, store: Option<&Path>) -> anyhow::Result<ExitCode> {
    let UpdateArgs {
        id,
        status,
        sent,
        received,
        id_received,
        fee_received,
        extended,
        paused_from,
        resumed,
        undo_pause,
        nation,
        note,
    } = args;
    let mut events = Vec::new();
    events.extend(sent.map(RequestEvent::Sent));
    events.extend(received.map(RequestEvent::Received));
    events.extend(id_received.map(RequestEvent::IdReceived));
    events.extend(fee_received.map(RequestEvent::FeeReceived));
    events.extend(extended.clone().map(RequestEvent::Extended));
    events.extend(paused_from.map(RequestEvent::ClarificationAsked));
    events.extend(resumed.map(RequestEvent::ClarificationAnswered));
    events.extend(undo_pause.then_some(RequestEvent::PauseWithdrawn));
    events.extend(nation.map(RequestEvent::Nation));
    events.extend(note.clone().map(RequestEvent::Note));
    events.extend(status.map(RequestEvent::Status));
    let mut store = open_store(store)?;
    let recorded = steps::record_events(&mut store, RequestId(*id), &events, today())?;
    saved();
    safe_println!("Updated request {id}: {}.", recorded.request.details.status);
    print_standing(&store, &recorded.request, &mut io::stdout())?;
    Ok(ExitCode::SUCCESS)
}

fn withdraw_reply(store: Option<&Path>, reply: ReplyId) -> anyhow::Result<ExitCode> {
    let mut store = open_store(store)?;
    let request = steps::withdraw_reply(&mut store, reply)?;
    safe_println!(
        "Removed reply {reply}; request {} is {}.",
        request.id,
        request.details.status
    );
    print_standing(&store, &request, &mut io::stdout())?;
    Ok(ExitCode::SUCCESS)
}

fn record_reply(args: &ReplyArgs, store: Option<&Path>) -> anyhow::Result<ExitCode> {
    let ReplyArgs {
        id,
        date,
        got,
        exemption_cited,
        rights,
        note,
    } = args;
    let checklist = reply_check::parse_checklist(got)?;
    let rights = match rights {
        Some(text) => reply_check::parse_rights(text)?,
        None => Vec::new(),
    };
    let mut store = open_store(store)?;
    let reply = NewReply {
        received: Some(*date),
        checklist,
        exemption_cited: *exemption_cited,
        exemption_rights: rights,
        note: note.clone(),
    };
    let (reply, check) = steps::record_reply(&mut store, RequestId(*id), &reply, today())?;
    saved();
    safe_println!(
        "Recorded reply {} to request {id}; the request is now {}.",
        reply.id,
        check.status()
    );
    safe_print!("{}", check.report(super::catalogue()?.casework_wording()));
    if !check.is_complete() {
        safe_println!("To chase what is missing: sanctuary requests chaser {id} -o chaser.pdf");
    }
    Ok(ExitCode::SUCCESS)
}

fn exemption_stats(store: Option<&Path>, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_store(store)?;
    let stats = store.exemption_stats()?;
    if json {
        print_json(&stats)?;
        return Ok(ExitCode::SUCCESS);
    }
    safe_println!(
        "{:<22} {:>8} {:>8} {:>22}",
        "organisation",
        "requests",
        "replies",
        "cited the exemption"
    );
    for row in &stats {
        safe_println!(
            "{:<22} {:>8} {:>8} {:>22}",
            line(&row.organisation),
            row.requests,
            row.replies,
            row.replies_citing_exemption
        );
    }
    let catalogue = super::catalogue()?;
    let wording = catalogue.casework_wording();
    for row in stats.iter().filter(|row| {
        row.replies_citing_exemption > 0
            && !reply_check::may_rely_on_immigration_exemption(&catalogue, &row.organisation)
    }) {
        safe_println!(
            "Note: {}",
            fill(
                &wording.stats_other_body_cited,
                &[("organisation", &row.organisation)]
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn write_calendar(store: Option<&Path>, output: &Path, force: bool) -> anyhow::Result<ExitCode> {
    if output.exists() && !force {
        bail!(
            "{} already exists; use --force to replace it",
            output.display()
        );
    }
    let store = open_store(store)?;
    let today = today();
    // Every request awaiting a reply: a paused or undated one is an event today.
    let events: Vec<DueEvent> = store
        .requests_due_by(far_future(), &RequestStatus::AWAITING_REPLY)?
        .iter()
        .filter_map(|item| standing::of_listed(item, today).calendar_event(&item.request, today))
        .collect();
    let ics = calendar::to_ics(&events, Utc::now());
    write_private(output, ics.as_bytes(), force)?;
    safe_println!(
        "Wrote {} to {} (request ids and organisations only).",
        plural(events.len(), "request", "requests"),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn list_requests(store: &Store, client: Option<ClientId>) -> anyhow::Result<Vec<DueRequest>> {
    Ok(store.requests(client)?)
}

/// A line of `requests list --json`: the request and its standing today.
#[derive(Serialize)]
struct ListLine<'a> {
    standing: Standing,
    #[serde(flatten)]
    item: &'a DueRequest,
}

/// A line of `requests due --json`: the standing every screen renders, and the request.
#[derive(Serialize)]
struct DueLine<'a> {
    label: Urgency,
    standing: Standing,
    #[serde(flatten)]
    item: &'a DueRequest,
}

fn requests_due(store: Option<&Path>, within: u64, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_store(store)?;
    let today = today();
    let by = today
        .checked_add_days(Days::new(within))
        .unwrap_or(far_future());
    let due = store.requests_due_by(far_future(), &RequestStatus::AWAITING_REPLY)?;
    let mut lines: Vec<DueLine> = due
        .iter()
        .map(|item| (item, standing::of_listed(item, today)))
        .filter(|(_, standing)| standing.listed_by(by))
        .filter_map(|(item, standing)| {
            let label = standing.urgency?;
            Some(DueLine {
                label,
                standing,
                item,
            })
        })
        .collect();
    lines.sort_by_key(|line| (line.standing.sort_date(), line.item.request.id));
    if json {
        print_json(&lines)?;
        return Ok(ExitCode::SUCCESS);
    }
    if lines.is_empty() {
        safe_println!(
            "Nothing overdue, paused, undated or due in the next {}.",
            plural(within as usize, "day", "days")
        );
    }
    for due in &lines {
        let request = &due.item.request;
        safe_println!(
            "{:<9} request {:<5} {:<20} {:<13} [client {}: {}]: {}",
            due.label.label(),
            request.id,
            line(&request.details.organisation),
            request.details.status,
            request.details.client,
            line(&due.item.client_name),
            due.standing.clock_words()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a request stands now, with the working of its due date.
fn print_standing(store: &Store, request: &Request, out: &mut dyn Write) -> anyhow::Result<()> {
    let standing = standing::load(store, request.id, today())?;
    if let Some(assumption) = steps::assumption(&request.details) {
        writeln!(
            out,
            "{assumption} Give --received DATE when you know the day."
        )?;
    }
    let Some(worked) = &standing.deadline else {
        writeln!(out, "{}.", capitalise(&standing.clock_words()))?;
        match &standing.clock {
            ClockState::Paused { .. } => writeln!(
                out,
                "Record the day the clarification arrived with --resumed DATE."
            )?,
            ClockState::NotSent => writeln!(
                out,
                "Record the day it was sent (--sent) or received (--received)."
            )?,
            _ => {}
        }
        return Ok(());
    };
    writeln!(
        out,
        "Reply due by {} ({}).",
        format_uk(worked.due),
        worked.due
    )?;
    for line in &worked.explanation {
        writeln!(out, "  {line}")?;
    }
    if worked.needs_review {
        writeln!(out, "  Check this working: it needs an adviser's review.")?;
    }
    Ok(())
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn far_future() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

// ----- letters from the store -----

fn recipient(output: &LetterOutput) -> Recipient {
    Recipient {
        name: output.to_name.clone(),
        address: output.to_address.clone(),
    }
}

/// Where the command line writes a letter from the store.
fn letter_file(output: &LetterOutput) -> LetterFile {
    LetterFile {
        path: output.output.clone(),
        overwrite: if output.force {
            Overwrite::Replace
        } else {
            Overwrite::Never
        },
        format: match output.format {
            LetterFormat::Pdf => steps::LetterFormat::Pdf,
            LetterFormat::Txt => steps::LetterFormat::Text,
        },
    }
}

fn chaser(store: Option<&Path>, id: RequestId, output: &LetterOutput) -> anyhow::Result<ExitCode> {
    let catalogue = super::catalogue()?;
    let mut store = open_store(store)?;
    let written = steps::write_chaser(
        &mut store,
        &catalogue,
        id,
        &recipient(output),
        &letter_file(output),
        today(),
    )?;
    saved();
    safe_println!("Wrote {}", written.path.display());
    // The chaser is written and recorded: reading the reply back is only a reminder.
    if let Ok(Case {
        last_reply: Some((_, check)),
        ..
    }) = Case::load(&store, id, today())
    {
        safe_eprint!("{}", check.report(catalogue.casework_wording()));
    }
    Ok(ExitCode::SUCCESS)
}

fn complaint(
    store: Option<&Path>,
    id: RequestId,
    choice: &ComplaintChoice,
    output: &LetterOutput,
) -> anyhow::Result<ExitCode> {
    let catalogue = super::catalogue()?;
    let mut store = open_store(store)?;
    let written = steps::write_complaint(
        &mut store,
        &catalogue,
        id,
        choice,
        &recipient(output),
        &letter_file(output),
        today(),
    )
    .map_err(|error| match error {
        CaseworkError::Followup(FollowupError::NothingToComplain(_)) => {
            anyhow!("{error} with --point TEXT")
        }
        other => other.into(),
    })?;
    saved();
    safe_println!("Wrote {}", written.path.display());
    if let Some(consent) = &written.consent {
        safe_println!(
            "Wrote {} (the client's consent for the ICO: they sign it, and it goes with the complaint)",
            consent.display()
        );
    }
    safe_eprintln!("Request {id} is now marked complained.");
    Ok(ExitCode::SUCCESS)
}

fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = io::stdout().lock();
    writeln!(out, "{}", terminal_text::json(&text))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_accepts_days_with_or_without_d() {
        assert_eq!(within_arg("7d"), Ok(7));
        assert_eq!(within_arg("14"), Ok(14));
        assert!(within_arg("a week").is_err());
    }
}
