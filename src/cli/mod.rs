//! The command line: argument parsing and wiring. The work is done by the library modules.

mod casework;
mod deadline;
mod handout;
mod letter;
mod manual;
mod plain;
mod plain_language;
pub mod saved;
mod team;
mod translations;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;

use sanctuary::calendar::holidays::Nation;
use sanctuary::files::Overwrite;

use crate::session::today;
use crate::terminal_text::{line, safe_eprint, safe_eprintln, safe_print, safe_println};
use crate::wording::plural;
use clap::{Parser, Subcommand};

use sanctuary::guide::graph::{self, GraphFormat};
use sanctuary::guide::{GuideError, GuideSource, Library, Severity, readability};
use sanctuary::letter::Catalogue;

#[derive(Debug, Parser)]
#[command(
    name = "sanctuary",
    version,
    about = "Decision guides and subject access requests for advisers at migrants' rights organisations",
    long_about = "Decision guides and subject access requests for advisers at migrants' rights organisations.\n\nRun with no command to open the full-screen app. Quick exit: F12 or Ctrl-x."
)]
pub struct Cli {
    /// Use the guides in this folder instead of the shipped ones
    #[arg(long, global = true, value_name = "DIR")]
    pub guides_dir: Option<PathBuf>,

    /// Use the letter templates and organisations file in this folder instead of the
    /// shipped ones (check it first with `sanctuary letters validate DIR`)
    #[arg(long, global = true, value_name = "DIR")]
    pub templates_dir: Option<PathBuf>,

    /// The encrypted case store (default: cases.db in your data folder)
    ///
    /// An existing store, or a new file in a folder that exists (sanctuary never creates
    /// the folders of a --store path, so a mistyped path is an error). A new store needs
    /// a passphrase that is hard to guess.
    ///
    /// The passphrase is asked at the terminal. For scripts and tests only, it can be
    /// given in SANCTUARY_PASSPHRASE instead, but that exposes it: other programs run by
    /// the same user can read a process's environment (/proc/PID/environ on Linux, for
    /// the shell that set it and every program it starts), and a passphrase typed on a
    /// command line is kept in the shell's history.
    #[arg(long, global = true, value_name = "PATH")]
    pub store: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, check or draw the guides
    #[command(subcommand)]
    Guides(GuidesCommand),
    /// Run one guide
    #[command(subcommand)]
    Guide(GuideCommand),
    /// When a subject access request reply (or a complaint step) is due, and how it was counted
    Deadline(deadline::DeadlineArgs),
    /// Write a letter: a subject access request, an authority, a chaser or a complaint
    Letter(Box<letter::LetterArgs>),
    /// The letter templates and organisations
    #[command(subcommand)]
    Letters(LettersCommand),
    /// Print an outcome for the client to take home, in their language and in English (PDF)
    Handout(handout::HandoutArgs),
    /// Clients in the encrypted case store
    #[command(subcommand)]
    Clients(casework::ClientsCommand),
    /// Subject access requests in the case store: add, update, what is due, replies, statistics
    #[command(subcommand)]
    Requests(casework::RequestsCommand),
    /// The guides in the client's language: what is translated, stale or missing
    #[command(subcommand)]
    Translations(translations::TranslationsCommand),
    /// A shared caseload: start or join a team, confirm and revoke members, sync
    #[command(subcommand)]
    Team(team::TeamCommand),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell
    #[command(
        after_help = "Write it where your shell looks for completions, for example for bash:\n  mkdir -p ~/.local/share/bash-completion/completions\n  sanctuary completions bash > ~/.local/share/bash-completion/completions/sanctuary\nThe README has the lines for zsh and fish."
    )]
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output
    #[command(
        after_help = "Install it with:\n  mkdir -p ~/.local/share/man/man1\n  sanctuary man > ~/.local/share/man/man1/sanctuary.1\nthen read it with `man sanctuary`."
    )]
    Man,
}

#[derive(Debug, Subcommand)]
pub enum GuidesCommand {
    /// List the guides with their topic, summary, review date and reading ease
    List,
    /// Check guide files and report every problem as file:line:column
    Validate {
        /// The folder to check (default: the shipped guides, or --guides-dir)
        dir: Option<PathBuf>,
    },
    /// List every source of every guide, least recently checked first
    Sources,
    /// Print a guide's decision tree for guide authors
    Graph {
        /// The guide's id
        id: String,
        /// Output format
        #[arg(long, value_enum, default_value = "mermaid")]
        format: GraphFormatArg,
    },
}

/// The graph formats, as the command line names them.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum GraphFormatArg {
    Dot,
    Mermaid,
}

impl From<GraphFormatArg> for GraphFormat {
    fn from(arg: GraphFormatArg) -> Self {
        match arg {
            GraphFormatArg::Dot => GraphFormat::Dot,
            GraphFormatArg::Mermaid => GraphFormat::Mermaid,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum LettersCommand {
    /// List the templates, and the organisations with the notes an adviser must see
    List,
    /// Check a letters folder (templates and organisations file) and report every
    /// problem as file:line:column
    Validate {
        /// The folder to check (default: --templates-dir, or the shipped letters)
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum GuideCommand {
    /// Walk a guide: in the full-screen app, or line by line with --plain
    Run {
        /// The guide's id (see `sanctuary guides list`)
        id: String,
        /// Ask line by line on standard input and output (for screen readers and scripts)
        #[arg(long)]
        plain: bool,
        /// Also show each step in the client's language (a code such as ar, fa, ps, ckb,
        /// ti, vi; `sanctuary translations status` lists them)
        #[arg(long, value_name = "CODE")]
        language: Option<String>,
    },
}

/// Every date given on the command line, read by the one parser the app uses too. The
/// message leaves out the value, which clap's own message quotes already.
fn date_arg(text: &str) -> Result<NaiveDate, String> {
    use sanctuary::calendar::dates::{DateError, EARLIEST_YEAR, LATEST_YEAR};
    sanctuary::calendar::dates::parse_date(text).map_err(|e| match e {
        DateError::NotADate(_) => {
            "not a date: write it as DD/MM/YYYY (for example 05/06/1991) or YYYY-MM-DD (1991-06-05)"
                .to_string()
        }
        DateError::YearOutOfRange(_, year) => {
            format!("the year {year} is not between {EARLIEST_YEAR} and {LATEST_YEAR}")
        }
    })
}

/// A UK nation, for its bank holidays.
fn nation_arg(text: &str) -> Result<Nation, String> {
    text.parse::<Nation>()
        .map_err(|_| "use england-wales, scotland or northern-ireland".to_string())
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A mistake in the arguments quotes what was typed: printed made safe.
        Err(err) if err.use_stderr() => {
            safe_eprint!("{}", err.render());
            return ExitCode::from(2);
        }
        Err(err) => err.exit(),
    };
    if let Err(err) = crate::session::check_clock(std::time::SystemTime::now()) {
        safe_eprintln!("error: {err}");
        return ExitCode::FAILURE;
    }
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            safe_eprintln!("error: {}", said_once(&err));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes, each said once: many of our messages already include their
/// cause ("could not write x.pdf: No space left on device; nothing was written"), so a
/// cause whose words are already there is not added again.
fn said_once(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

fn guide_source(cli: &Cli) -> GuideSource {
    match &cli.guides_dir {
        Some(dir) => GuideSource::Dir(dir.clone()),
        None => GuideSource::Embedded,
    }
}

/// The letters folder given with --templates-dir, for this run.
static TEMPLATES_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// The letter templates and organisations for this run: those in --templates-dir, or
/// the ones compiled into the program. Every command and the app use this.
pub(crate) fn catalogue() -> anyhow::Result<Catalogue> {
    match TEMPLATES_DIR.get() {
        Some(dir) => Catalogue::from_dir(dir).with_context(|| {
            format!(
                "the letters folder {} cannot be used (`sanctuary letters validate {}` lists every problem)",
                dir.display(),
                dir.display()
            )
        }),
        None => Ok(Catalogue::embedded()?),
    }
}

fn load_library(cli: &Cli) -> anyhow::Result<Library> {
    let catalogue = catalogue()?;
    let library = Library::load(&guide_source(cli), today(), Some(&catalogue))?;
    // Warnings do not stop a load, but are never kept quiet (a guide past its review date).
    for warning in &library.warnings {
        safe_eprintln!("{warning}");
    }
    Ok(library)
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    crate::session::check_today()?;
    if let Some(dir) = &cli.templates_dir {
        // Set once, before anything loads the letters.
        let _ = TEMPLATES_DIR.set(dir.clone());
    }
    match &cli.command {
        None => {
            let library = load_library(&cli)?;
            crate::tui::run(library, catalogue()?, None, cli.store.clone())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Guides(command)) => run_guides(&cli, command),
        Some(Command::Deadline(args)) => deadline::run(args),
        Some(Command::Letter(args)) => {
            letter::run_letter(args, &catalogue()?)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Letters(LettersCommand::List)) => {
            letter::run_letters_list(&catalogue()?)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Letters(LettersCommand::Validate { dir })) => {
            letter::run_letters_validate(dir.as_deref().or(cli.templates_dir.as_deref()))
        }
        Some(Command::Translations(command)) => {
            translations::run(command, &load_library(&cli)?, cli.guides_dir.as_deref())
        }
        Some(Command::Clients(command)) => casework::run_clients(command, cli.store.as_deref()),
        Some(Command::Requests(command)) => casework::run_requests(command, cli.store.as_deref()),
        Some(Command::Team(command)) => team::run(command, cli.store.as_deref()),
        Some(Command::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut command, "sanctuary", &mut out);
            print_all(&out)
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            manual::render(&mut out)?;
            print_all(&out)
        }
        Some(Command::Guide(GuideCommand::Run {
            id,
            plain,
            language,
        })) => run_guide(&cli, id, *plain, language.as_deref()),
        Some(Command::Handout(args)) => {
            handout::run_handout(&cli, args)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `guides list`, `validate`, `sources` and `graph`.
fn run_guides(cli: &Cli, command: &GuidesCommand) -> anyhow::Result<ExitCode> {
    match command {
        GuidesCommand::List => {
            let library = load_library(cli)?;
            print_guides_list(&library);
            Ok(ExitCode::SUCCESS)
        }
        GuidesCommand::Validate { dir } => {
            let source = match dir {
                Some(dir) => GuideSource::Dir(dir.clone()),
                None => guide_source(cli),
            };
            validate(&source)
        }
        GuidesCommand::Sources => {
            let library = load_library(cli)?;
            match print_sources(&library, today(), &mut io::stdout().lock()) {
                // Output piped into `head` that stops reading is not a failure.
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(ExitCode::SUCCESS),
            }
        }
        GuidesCommand::Graph { id, format } => {
            let library = load_library(cli)?;
            let guide = library
                .guide(id)
                .ok_or_else(|| GuideError::UnknownGuide(id.clone()))?;
            safe_print!("{}", graph::render(guide, (*format).into()));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `guide run`: line by line in plain mode (asked for, or output not a terminal), else the app.
fn run_guide(cli: &Cli, id: &str, plain: bool, language: Option<&str>) -> anyhow::Result<ExitCode> {
    let library = load_library(cli)?;
    if library.guide(id).is_none() {
        return Err(GuideError::UnknownGuide(id.to_string()).into());
    }
    let language = language
        .map(|code| library.translations().require(code))
        .transpose()?;
    if plain || !io::stdout().is_terminal() {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        // Lines wrapped at spaces to the terminal (kept whole in a pipe).
        let mut output =
            crate::terminal_text::SafeWriter::new(crate::terminal_text::WrapWriter::new(
                io::stdout().lock(),
                crate::terminal_text::output_width(),
            ));
        let ending = plain::run(
            &library,
            &catalogue()?,
            id,
            language,
            &mut input,
            &mut output,
            today(),
        )
        .context("plain mode stopped")?;
        // q leaves at once: on a terminal, the guide's text goes from the screen
        // and the scrollback too, as the app's quick exit clears them.
        if ending == plain::Ending::LeftAtOnce && io::stdout().is_terminal() {
            drop(output);
            crate::tui::wipe_screen();
        }
    } else {
        crate::tui::run(
            library,
            catalogue()?,
            Some(id.to_string()),
            cli.store.clone(),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The guides by topic, each with its review date, reading ease and summary, and a
/// warning when it is past its review date.
fn print_guides_list(library: &Library) {
    let mut out = String::new();
    for (topic, guides) in library.by_topic() {
        out.push_str(&format!("{}\n", line(topic)));
        for g in guides {
            out.push_str(&format!(
                "  {:<24} {} (reviewed {}, reading ease {:.0})\n  {:<24} {}\n",
                line(&g.id),
                line(&g.title),
                g.last_reviewed.format("%-d %B %Y"),
                readability::score(g.client_texts()),
                "",
                line(&g.summary)
            ));
            if let Some(warning) = sanctuary::guide::review_warning(g, today()) {
                out.push_str(&format!("  {:<24} {}\n", "", warning));
            }
        }
    }
    // Wrapped at spaces to the terminal (whole lines into a pipe).
    let width = crate::terminal_text::output_width();
    safe_print!("{}", crate::terminal_text::wrap_lines(&out, width));
}

/// Writes generated text to standard output; a reader that stops early (`| head`) is not
/// a failure.
fn print_all(bytes: &[u8]) -> anyhow::Result<ExitCode> {
    match io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// One line per source, least recently checked first: the date and how long ago, or
/// "never checked"; the guide; the source's id and title.
fn print_sources(library: &Library, today: NaiveDate, out: &mut impl Write) -> io::Result<()> {
    for s in library.sources_by_age(today) {
        let when = match (s.source.checked, s.age) {
            (None, _) => "never checked".to_string(),
            (Some(date), Some(age)) => format!("{date}  {age} ago"),
            (Some(date), None) => format!("{date}  in the future"),
        };
        writeln!(
            out,
            "{when:<34}  {}  [{}]  {}",
            line(&s.guide.title),
            line(&s.source.id),
            line(&s.source.title)
        )?;
    }
    Ok(())
}

/// Prints each problem on standard error; returns how many are errors and how many warnings.
fn print_problems(problems: &[sanctuary::guide::Problem]) -> (usize, usize) {
    for p in problems {
        safe_eprintln!("{p}");
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    (errors, problems.len() - errors)
}

fn validate(source: &GuideSource) -> anyhow::Result<ExitCode> {
    let catalogue = catalogue()?;
    let (library, problems) = Library::check(source, today(), Some(&catalogue))?;
    let (errors, warnings) = print_problems(&problems);
    if errors > 0 {
        safe_eprintln!(
            "{}, {}",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings")
        );
        return Ok(ExitCode::FAILURE);
    }
    safe_println!(
        "{} valid, {}",
        plural(library.guides.len(), "guide", "guides"),
        plural(warnings, "warning", "warnings")
    );
    Ok(translations::validate(&library))
}

/// Writes `bytes` to `path` owner-only and all or nothing (see `sanctuary::files`).
/// Without `replace` an existing file is an error and is left untouched.
pub(crate) fn write_private(path: &Path, bytes: &[u8], replace: bool) -> anyhow::Result<()> {
    let overwrite = if replace {
        Overwrite::Replace
    } else {
        Overwrite::Never
    };
    sanctuary::files::write_private(path, bytes, overwrite)?;
    saved::saved();
    Ok(())
}
