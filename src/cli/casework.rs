//! `sanctuary clients ...` and `sanctuary requests ...`: the case store from the command line.

use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum ClientsCommand {}

#[derive(Debug, clap::Subcommand)]
pub enum RequestsCommand {}

pub fn run_clients(_command: &ClientsCommand, _store: Option<&Path>) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}

pub fn run_requests(_command: &RequestsCommand, _store: Option<&Path>) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not built yet")
}
