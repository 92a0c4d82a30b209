//! `sanctuary team ...`: a shared caseload on the organisation's PostgreSQL, which holds only
//! ciphertext. Each command reads its arguments, opens the store, calls one library function
//! (`sanctuary_team`) and prints what it did.

use std::io::{self, BufRead, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use sanctuary::casework::store::Store;
use sanctuary::casework::store::team::{Keep, TeamRole};
use sanctuary_team::{Server, membership, sync};

use crate::session::open_store;
use crate::terminal_text::{line, safe_println};
use crate::wording::plural;

/// The environment variable that may hold the server's address for `init` and `join`.
const URL_VARIABLE: &str = "SANCTUARY_TEAM_URL";

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Start a team with this store as the supervisor's (prints the recovery key once)
    Init {
        /// The database, as its owner: postgres://owner:password@host/database?sslmode=require
        /// (or SANCTUARY_TEAM_URL)
        #[arg(long, value_name = "URL")]
        server: Option<String>,
    },
    /// Invite an adviser (supervisor): prints their member id and invitation code
    Invite,
    /// A new invitation for a member who lost their passphrase or laptop (supervisor): their
    /// old login stops; they join again from a new store and you confirm them again
    Reinvite {
        /// The member id
        member: String,
    },
    /// Join a team with an invitation (adviser, with a new store): prints your fingerprint
    Join {
        /// The database without a login: postgres://host/database?sslmode=require
        /// (or SANCTUARY_TEAM_URL)
        #[arg(long, value_name = "URL")]
        server: Option<String>,
        /// The invitation code (asked for, or read from standard input, if left out, so it
        /// stays out of the shell's history)
        code: Option<String>,
    },
    /// The supervisor is gone: make this new store the team's supervisor with the recovery
    /// key from the safe (asked for, or read from standard input)
    Recover {
        /// The database, as its owner (or SANCTUARY_TEAM_URL)
        #[arg(long, value_name = "URL")]
        server: Option<String>,
    },
    /// Confirm an adviser (supervisor) once the fingerprint they read aloud matches
    Confirm {
        /// The member id `team invite` printed
        member: String,
        /// The fingerprint as the adviser reads it, for example: 3f2a 91c0 77de 0b1e 5c4a
        #[arg(required = true, num_args = 1..)]
        fingerprint: Vec<String>,
    },
    /// Revoke a member (supervisor): their login stops now and the team moves to a new key
    Revoke {
        /// The member id
        member: String,
    },
    /// The team's members and this store's sync state
    Status,
    /// Send this store's changes and fetch the team's
    Sync,
    /// Fields changed both here and elsewhere, with both values
    Conflicts,
    /// Settle a conflict, keeping our value or theirs
    Resolve {
        /// The conflict's number, from `team conflicts`
        id: i64,
        #[arg(long, value_enum)]
        keep: KeepArg,
    },
    /// Check every member's audit chain and signatures (supervisor)
    Audit,
    /// Take the team's caseload back to a personal store (supervisor): this store leaves
    /// the team keeping every client
    Archive,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeepArg {
    Ours,
    Theirs,
}

/// The time a team action is recorded with.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn server_url(flag: &Option<String>) -> anyhow::Result<String> {
    flag.clone()
        .or_else(|| std::env::var(URL_VARIABLE).ok())
        .with_context(|| {
            format!("give the team database's address with --server URL or in {URL_VARIABLE}")
        })
}

/// Connects as this store's member, or says the server is away.
fn connect(store: &Store) -> anyhow::Result<Server> {
    let membership = store
        .team_membership()?
        .ok_or(sanctuary_team::TeamError::NotInTeam)?;
    Ok(sync::connect(&membership)?)
}

pub fn run(command: &TeamCommand, store_path: Option<&Path>) -> anyhow::Result<ExitCode> {
    let mut store = open_store(store_path)?;
    match command {
        TeamCommand::Init { server } => run_init(&mut store, &server_url(server)?),
        TeamCommand::Recover { server } => run_recover(&mut store, &server_url(server)?),
        TeamCommand::Invite => run_invite(&mut store, None),
        TeamCommand::Reinvite { member } => run_invite(&mut store, Some(member)),
        TeamCommand::Join { server, code } => {
            run_join(&mut store, &server_url(server)?, code.as_deref())
        }
        TeamCommand::Confirm {
            member,
            fingerprint,
        } => {
            let mut server = connect(&store)?;
            membership::confirm(
                &mut store,
                &mut server,
                member,
                &fingerprint.join(" "),
                &now(),
            )?;
            safe_println!(
                "Confirmed member {}: they can open the team's caseload at their next sync.",
                line(member)
            );
            Ok(ExitCode::SUCCESS)
        }
        TeamCommand::Revoke { member } => {
            let mut server = connect(&store)?;
            let revoked = membership::revoke(&mut store, &mut server, member, &now())?;
            safe_println!(
                "Revoked member {}: their login is disabled. The team is on key {} now; {} sealed again under it.",
                line(member),
                revoked.new_epoch,
                plural(revoked.resealed, "record", "records")
            );
            safe_println!(
                "Their laptop still holds what they synced before: collect it or have it wiped."
            );
            Ok(ExitCode::SUCCESS)
        }
        TeamCommand::Status => run_status(&store),
        TeamCommand::Sync => run_sync(&mut store),
        TeamCommand::Conflicts => run_conflicts(&store),
        TeamCommand::Resolve { id, keep } => {
            let keep = match keep {
                KeepArg::Ours => Keep::Ours,
                KeepArg::Theirs => Keep::Theirs,
            };
            store.resolve_conflict(*id, keep, &now())?;
            safe_println!(
                "Settled conflict {id}; the value not kept stays in the store's history. `sanctuary team sync` sends it."
            );
            Ok(ExitCode::SUCCESS)
        }
        TeamCommand::Audit => run_audit(&store),
        TeamCommand::Archive => {
            let mut server = connect(&store)?;
            membership::archive(&mut store, &mut server, &now())?;
            safe_println!(
                "This store has left the team and keeps every client as a personal store. The server's copy is still there: the organisation deletes it when it is ready."
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run_init(store: &mut Store, url: &str) -> anyhow::Result<ExitCode> {
    let clients = store.client_count()?;
    let founded = membership::init(store, url, &now())?;
    safe_println!("Started a team; this store is the supervisor's.");
    safe_println!("Your member id: {}", founded.member_id);
    safe_println!("Your fingerprint: {}", founded.fingerprint);
    safe_println!();
    safe_println!(
        "Recovery key (shown only this once; write it on paper, keep two copies in a safe,"
    );
    safe_println!(
        "never on a computer). With it the caseload can be opened if the supervisor is gone:"
    );
    safe_println!();
    safe_println!("    {}", founded.recovery_key.as_str());
    safe_println!();
    if clients > 0 {
        safe_println!(
            "The {} already in this store join the team's caseload at the next `sanctuary team sync`.",
            plural(clients as usize, "client", "clients")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run_recover(store: &mut Store, url: &str) -> anyhow::Result<ExitCode> {
    let key = secret_line(None, "Recovery key: ")?;
    let recovered = membership::recover(store, url, &key, &now())?;
    safe_println!(
        "This store is now the team's supervisor (member {}).",
        recovered.member_id
    );
    safe_println!("Your fingerprint: {}", recovered.fingerprint);
    safe_println!(
        "`sanctuary team sync` fetches the caseload. Put the recovery key back in the safe: it still works."
    );
    Ok(ExitCode::SUCCESS)
}

/// `team invite`, or `team reinvite MEMBER`.
fn run_invite(store: &mut Store, again: Option<&str>) -> anyhow::Result<ExitCode> {
    let mut server = connect(store)?;
    let invitation = match again {
        None => membership::invite(store, &mut server, &now())?,
        Some(member) => membership::reinvite(store, &mut server, member, &now())?,
    };
    safe_println!("Invited member {}.", invitation.member_id);
    safe_println!(
        "Give the adviser this code in person or by a channel you trust (it is a password):"
    );
    safe_println!();
    safe_println!("    {}", invitation.code.as_str());
    safe_println!();
    safe_println!(
        "They run `sanctuary team join` with it and read you their fingerprint; then run"
    );
    safe_println!(
        "`sanctuary team confirm {} <fingerprint>`.",
        invitation.member_id
    );
    Ok(ExitCode::SUCCESS)
}

/// A secret (an invitation code, the recovery key) from the argument, else one line of
/// standard input, prompted for at a terminal without echo.
fn secret_line(given: Option<&str>, prompt: &str) -> anyhow::Result<zeroize::Zeroizing<String>> {
    if let Some(code) = given {
        return Ok(zeroize::Zeroizing::new(code.to_string()));
    }
    let code = if io::stdin().is_terminal() {
        rpassword::prompt_password(prompt)?
    } else {
        let mut text = String::new();
        io::stdin().lock().read_line(&mut text)?;
        text
    };
    Ok(zeroize::Zeroizing::new(code.trim().to_string()))
}

fn run_join(store: &mut Store, url: &str, code: Option<&str>) -> anyhow::Result<ExitCode> {
    let code = secret_line(code, "Invitation code: ")?;
    let joined = membership::join(store, url, &code, &now())?;
    safe_println!("Joined as member {}.", joined.member_id);
    safe_println!("Read this fingerprint to your supervisor (in person or by phone):");
    safe_println!();
    safe_println!("    {}", joined.fingerprint);
    safe_println!();
    safe_println!(
        "Once they have confirmed you, `sanctuary team sync` fetches the team's caseload."
    );
    Ok(ExitCode::SUCCESS)
}

fn run_status(store: &Store) -> anyhow::Result<ExitCode> {
    let Some(membership) = store.team_membership()? else {
        safe_println!("This store is not in a team.");
        return Ok(ExitCode::SUCCESS);
    };
    let state = store.sync_state()?;
    let role = match membership.role {
        TeamRole::Supervisor => "supervisor",
        TeamRole::Adviser => "adviser",
    };
    safe_println!(
        "Member {} ({role}) of team {}.",
        membership.member_id,
        membership.org_id
    );
    safe_println!(
        "Last sync: {}; {} waiting to be sent; {} to settle.",
        state.last_sync.as_deref().unwrap_or("never"),
        plural(state.pending as usize, "change", "changes"),
        plural(state.conflicts as usize, "conflict", "conflicts")
    );
    match sync::connect(&membership).and_then(|mut server| membership::status(store, &mut server)) {
        Ok(status) => {
            safe_println!("Key epoch {}. Members:", status.epoch);
            for member in status.members {
                safe_println!(
                    "  {}  {:<10} {:<9} {}",
                    member.member_id,
                    member.role,
                    member.status,
                    member.fingerprint.as_deref().unwrap_or("(no keys yet)")
                );
            }
        }
        Err(error) => safe_println!("{error}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn run_sync(store: &mut Store) -> anyhow::Result<ExitCode> {
    let mut server = connect(store)?;
    let report = sanctuary_team::sync(store, &mut server, &now())?;
    safe_println!(
        "Synced: {} sent, {} received, {} erased here as erased elsewhere.",
        plural(report.pushed, "change", "changes"),
        plural(report.pulled, "change", "changes"),
        plural(report.erased, "row", "rows")
    );
    if report.conflicts > 0 {
        safe_println!(
            "{} changed here and elsewhere: `sanctuary team conflicts` shows both values.",
            plural(report.conflicts, "field was", "fields were")
        );
    }
    if report.pending > 0 {
        safe_println!(
            "{} still waiting (someone else kept writing first): sync again.",
            plural(report.pending, "change is", "changes are")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run_conflicts(store: &Store) -> anyhow::Result<ExitCode> {
    let conflicts = store.conflicts()?;
    if conflicts.is_empty() {
        safe_println!("No conflicts.");
    }
    for conflict in conflicts {
        safe_println!(
            "{}: {} {}, field {}\n  ours:   {}\n  theirs: {}",
            conflict.id,
            conflict.kind.id(),
            conflict.local_id,
            line(&conflict.field),
            line(&conflict.ours.to_string()),
            line(&conflict.theirs.to_string())
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run_audit(store: &Store) -> anyhow::Result<ExitCode> {
    let mut server = connect(store)?;
    let report = membership::audit_check(store, &mut server)?;
    for chain in &report.chains {
        match &chain.problem {
            None => safe_println!(
                "{}: {} entries, chain and signatures intact",
                chain.member_id,
                chain.entries
            ),
            Some(problem) => safe_println!(
                "{}: {} entries, BROKEN: {problem}",
                chain.member_id,
                chain.entries
            ),
        }
    }
    for entry in &report.entries {
        let what = entry
            .event
            .as_ref()
            .map_or("(no key for this entry)".to_string(), |event| {
                let subject = event
                    .subject
                    .as_deref()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default();
                let records = if event.records.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", plural(event.records.len(), "record", "records"))
                };
                format!(
                    "{} {}{subject}{records}",
                    line(&event.at),
                    line(&event.action)
                )
            });
        safe_println!("  #{} {} {what}", entry.seq, entry.member_id);
    }
    if report.all_intact() {
        Ok(ExitCode::SUCCESS)
    } else {
        safe_println!(
            "The audit trail was changed on the server: keep this output and tell whoever runs the database."
        );
        Ok(ExitCode::FAILURE)
    }
}
