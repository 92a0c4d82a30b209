//! `sanctuary man`: one manual page holding every command, made from the same argument
//! definitions as `--help`, so the page cannot disagree with the program.

use std::io::{self, Write};

use clap::CommandFactory;

use super::Cli;

/// Writes the whole manual page (roff) to `out`: the program's name, synopsis, description
/// and global options, then a section for each command with its own synopsis and options.
pub fn render(out: &mut dyn Write) -> io::Result<()> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let man = clap_mangen::Man::new(root.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    writeln!(out, ".SH COMMANDS")?;
    writeln!(
        out,
        "Every command also takes the global options above, and \\fB\\-\\-help\\fR."
    )?;
    for command in root.get_subcommands() {
        render_command(command, out)?;
    }
    man.render_version_section(out)?;
    Ok(())
}

/// A command with no subcommands of its own gets a section; a group (`clients`,
/// `requests`...) stands for the commands inside it.
fn render_command(command: &clap::Command, out: &mut dyn Write) -> io::Result<()> {
    if command.has_subcommands() {
        for sub in command.get_subcommands() {
            render_command(sub, out)?;
        }
        return Ok(());
    }
    let name = command.get_bin_name().unwrap_or_else(|| command.get_name());
    writeln!(out, ".SS \"{}\"", name.replace('-', "\\-"))?;
    // The global options and --help are described once, above.
    let shared: Vec<clap::Id> = command
        .get_arguments()
        .filter(|arg| arg.is_global_set() || arg.get_id() == "help")
        .map(|arg| arg.get_id().clone())
        .collect();
    let mut own = command.clone();
    for id in shared {
        own = own.mut_arg(id, |arg| arg.hide(true));
    }
    let has_own_options = own.get_arguments().any(|arg| !arg.is_hide_set());
    let man = clap_mangen::Man::new(own);
    let mut section = Vec::new();
    man.render_description_section(&mut section)?;
    man.render_synopsis_section(&mut section)?;
    if has_own_options {
        man.render_options_section(&mut section)?;
    }
    // Each rendered part opens with roff's preamble and its own section heading; inside a
    // command's section the description needs no heading and the others become labels.
    let text = String::from_utf8_lossy(&section);
    for line in text.lines() {
        match line {
            ".SH DESCRIPTION" => {}
            ".SH SYNOPSIS" => writeln!(out, ".PP\n\\fIUsage:\\fR")?,
            ".SH OPTIONS" => writeln!(out, ".PP\n\\fIOptions:\\fR")?,
            preamble
                if preamble.starts_with(".ie \\n(.g") || preamble.starts_with(".el .ds Aq") => {}
            other => writeln!(out, "{other}")?,
        }
    }
    Ok(())
}
