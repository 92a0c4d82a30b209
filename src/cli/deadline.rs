//! `sanctuary deadline`: when a reply, an acknowledgement or an ICO complaint is due, with
//! how it was counted and the rule behind it.

use std::process::ExitCode;

use chrono::NaiveDate;

use crate::terminal_text::safe_println;

use sanctuary::calendar::deadline::{
    self, Clock, Deadline, Pause, complaint_acknowledgement_deadline, ico_complaint_deadline,
};
use sanctuary::calendar::holidays::Nation;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("start").required(true).args(["received", "complaint_received", "last_contact"])))]
pub struct DeadlineArgs {
    /// The day the body received the subject access request (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub received: Option<NaiveDate>,
    /// Whose bank holidays count
    #[arg(long, default_value = "england-wales", value_name = "NATION", value_parser = super::nation_arg)]
    pub nation: Nation,
    /// The day the body received proof of identity it asked for
    #[arg(long, value_name = "DATE", requires = "received", value_parser = super::date_arg)]
    pub id_received: Option<NaiveDate>,
    /// The day the body received a fee it may lawfully charge
    #[arg(long, value_name = "DATE", requires = "received", value_parser = super::date_arg)]
    pub fee_received: Option<NaiveDate>,
    /// The body extended the time by two months
    #[arg(long, requires = "received")]
    pub extended: bool,
    /// The day the body asked for clarification (repeat with --resumed for each pause)
    #[arg(long, value_name = "DATE", requires = "resumed", value_parser = super::date_arg)]
    pub paused_from: Vec<NaiveDate>,
    /// The day the clarification reached the body
    #[arg(long, value_name = "DATE", requires = "paused_from", value_parser = super::date_arg)]
    pub resumed: Vec<NaiveDate>,
    /// Instead: the day a complaint reached the body; prints when it must acknowledge it
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub complaint_received: Option<NaiveDate>,
    /// Instead: the day of the last contact with the body; prints the last day to complain to the ICO
    #[arg(long, value_name = "DATE", value_parser = super::date_arg)]
    pub last_contact: Option<NaiveDate>,
    /// Print JSON for scripts
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &DeadlineArgs) -> anyhow::Result<ExitCode> {
    let result: Deadline = if let Some(received) = args.received {
        if args.paused_from.len() != args.resumed.len() {
            anyhow::bail!("give one --resumed date for each --paused-from date");
        }
        let mut input = Clock::new(received, args.nation);
        input.id_received = args.id_received;
        input.fee_received = args.fee_received;
        input.extended = args.extended;
        input.pauses = args
            .paused_from
            .iter()
            .zip(&args.resumed)
            .map(|(&asked, &answered)| Pause { asked, answered })
            .collect();
        deadline::sar_due_date(&input)?
    } else if let Some(received) = args.complaint_received {
        complaint_acknowledgement_deadline(received)
    } else if let Some(last) = args.last_contact {
        ico_complaint_deadline(last)
    } else {
        anyhow::bail!("give --received, --complaint-received or --last-contact");
    };
    if args.json {
        safe_println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        safe_println!("{}", result.due.format("%Y-%m-%d"));
        for line in &result.explanation {
            safe_println!("{line}");
        }
        safe_println!("Rule: {}", result.source);
    }
    Ok(ExitCode::SUCCESS)
}
