//! `sanctuary handout GUIDE OUTCOME --language CODE -o FILE`: the client's hand-out PDF.

use std::path::PathBuf;

use anyhow::Context;

use sanctuary::files::read_text;
use sanctuary::handout::{Handout, HandoutRequest, render_handout};
use sanctuary::letter::{AdviserDetails, MAX_DETAILS_FILE_BYTES};

use crate::session::today;
use crate::terminal_text::safe_println;

#[derive(Debug, clap::Args)]
pub struct HandoutArgs {
    /// The guide's id (`sanctuary guides list`)
    pub guide: String,
    /// The outcome's id in that guide (`sanctuary guides graph GUIDE` shows them)
    pub outcome: String,
    /// The client's language (`ar`, `fa`, `ps`, `ckb`, `ti`, `vi`...); `en` for English only
    #[arg(long, value_name = "CODE")]
    pub language: String,
    /// Adviser details file (TOML, as for letters): the contact printed on the hand-out
    #[arg(long, value_name = "FILE")]
    pub adviser: Option<PathBuf>,
    /// Where to write the PDF
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Replace the file if it exists (otherwise an existing file is left untouched)
    #[arg(long)]
    pub force: bool,
}

pub fn run_handout(cli: &super::Cli, args: &HandoutArgs) -> anyhow::Result<()> {
    let library = super::load_library(cli)?;
    let adviser = match &args.adviser {
        Some(path) => {
            let text = read_text(path, MAX_DETAILS_FILE_BYTES, "an adviser details file")
                .with_context(|| format!("could not read the adviser file {}", path.display()))?;
            Some(AdviserDetails::from_toml_str(
                &text,
                &path.display().to_string(),
            )?)
        }
        None => None,
    };
    let request = HandoutRequest {
        guide: &args.guide,
        outcome: &args.outcome,
        language: &args.language,
        adviser: adviser.as_ref(),
        today: today(),
    };
    let handout = Handout::for_outcome(&library, &request)?;
    let pdf = render_handout(&handout)?;
    super::write_private(&args.output, &pdf, args.force)?;
    safe_println!("Wrote the hand-out to {}", args.output.display());
    Ok(())
}
