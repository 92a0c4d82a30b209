//! Plain mode: a guide asked line by line on standard input and output, for screen readers,
//! scripts and pipes. Numbered choices; `b` goes back, `q` quits.

use std::io::{self, BufRead, Write};

use chrono::NaiveDate;

use sanctuary::guide::engine::Advance;
use sanctuary::guide::{Library, NodeKind, Session};
use sanctuary::translation::Language;

use super::plain_language::ClientBlock;

/// What the person typed.
enum Reply {
    Number(usize),
    Back,
    Quit,
    Enter,
    Other,
    /// A line longer than [`MAX_LINE_BYTES`]: read past, never kept.
    TooLong,
}

/// The longest line of input plain mode takes, in bytes; every answer is a few
/// characters, so a longer line is a mistake (or a file piped in by error).
const MAX_LINE_BYTES: usize = 1024;

/// Reads one line of at most [`MAX_LINE_BYTES`]. A longer line is read to its end and
/// dropped as it goes, so however long it is, no more than the limit is held.
fn read_bounded_line(input: &mut impl BufRead) -> io::Result<Option<Result<String, ()>>> {
    let mut line = Vec::new();
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            break;
        }
        read_any = true;
        let (length, ends) = match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buffer.len(), false),
        };
        if !too_long && line.len() + length <= MAX_LINE_BYTES + 1 {
            line.extend_from_slice(&buffer[..length]);
        } else {
            too_long = true;
            line.clear();
        }
        input.consume(length);
        if ends {
            break;
        }
    }
    Ok(match (read_any, too_long) {
        (false, _) => None,
        (true, true) => Some(Err(())),
        (true, false) => Some(Ok(String::from_utf8_lossy(&line).into_owned())),
    })
}

fn read_reply(input: &mut impl BufRead) -> io::Result<Option<Reply>> {
    let line = match read_bounded_line(input)? {
        None => return Ok(None),
        Some(Err(())) => return Ok(Some(Reply::TooLong)),
        Some(Ok(line)) => line,
    };
    let line = line.trim();
    Ok(Some(match line.to_lowercase().as_str() {
        "" => Reply::Enter,
        "b" | "back" => Reply::Back,
        "q" | "quit" => Reply::Quit,
        other => match other.parse::<usize>() {
            Ok(n) => Reply::Number(n),
            Err(_) => Reply::Other,
        },
    }))
}

/// How a plain-mode run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// At an outcome, or at the end of the input.
    Finished,
    /// `q`: leave at once (the caller clears a terminal's screen, as quick exit does).
    LeftAtOnce,
}

/// Runs guide `id` until the person quits, input ends, or they finish at an outcome; with
/// `language`, each step is printed in English and then in the client's language.
pub fn run(
    library: &Library,
    catalogue: &sanctuary::letter::Catalogue,
    id: &str,
    language: Option<&Language>,
    input: &mut impl BufRead,
    out: &mut impl Write,
    today: NaiveDate,
) -> io::Result<Ending> {
    let Some(guide) = library.guide(id) else {
        writeln!(out, "There is no guide with id {id}.")?;
        return Ok(Ending::Finished);
    };
    // Guides opened from another guide stack up, so "back" can return to the one before.
    let mut sessions = vec![Session::new(guide.clone())];
    let mut client = language.map(ClientBlock::new);
    introduce(out, &sessions[0], today, &mut client)?;
    loop {
        let session = sessions.last_mut().expect("at least one session");
        let node = session.current().clone();
        let reply = ask_step(library, catalogue, session, input, out, today, &mut client)?;
        let Some(reply) = reply else {
            writeln!(out)?;
            return Ok(Ending::Finished);
        };
        match (reply, &node.kind) {
            (Reply::Quit, _) => return Ok(Ending::LeftAtOnce),
            (Reply::TooLong, _) => writeln!(
                out,
                "That line was longer than {MAX_LINE_BYTES} characters, so it was ignored."
            )?,
            (Reply::Back, _) => go_back(&mut sessions, out)?,
            (Reply::Enter, NodeKind::Outcome(_)) => return Ok(Ending::Finished),
            (Reply::Enter, NodeKind::Info { .. }) => {
                session.proceed().map_err(io::Error::other)?;
            }
            (Reply::Number(n), NodeKind::Question { choices, .. })
                if (1..=choices.len()).contains(&n) =>
            {
                take_choice(library, &mut sessions, n - 1, out, today, &mut client)?;
            }
            (_, NodeKind::Question { choices, .. }) => {
                writeln!(
                    out,
                    "Please type a number from 1 to {}, or b or q.",
                    choices.len()
                )?;
            }
            (_, _) => writeln!(out, "Please press Enter, or type b or q.")?,
        }
    }
}

/// Shows the current step (a question, a note, or the outcome's summary) and reads the reply;
/// `None` when input has ended.
fn ask_step(
    library: &Library,
    catalogue: &sanctuary::letter::Catalogue,
    session: &Session,
    input: &mut impl BufRead,
    out: &mut impl Write,
    today: NaiveDate,
    client: &mut Option<ClientBlock>,
) -> io::Result<Option<Reply>> {
    let node = session.current();
    let translated = client.as_mut().map(|c| c.step(session.guide(), node));
    writeln!(out)?;
    writeln!(out, "Step {}", session.step_number())?;
    match &node.kind {
        NodeKind::Question { text, choices } => {
            writeln!(out, "{}", text.trim())?;
            if let Some(note) = &node.adviser_note {
                writeln!(out, "Adviser note: {}", note.trim())?;
            }
            for (i, c) in choices.iter().enumerate() {
                writeln!(out, "  {}. {}", i + 1, c.label)?;
            }
            write_translated(out, client, translated)?;
            write!(
                out,
                "Choose 1 to {}, b to go back, q to quit: ",
                choices.len()
            )?;
            out.flush()?;
            read_reply(input)
        }
        NodeKind::Info { text, .. } => {
            writeln!(out, "{}", text.trim())?;
            if let Some(note) = &node.adviser_note {
                writeln!(out, "Adviser note: {}", note.trim())?;
            }
            write_translated(out, client, translated)?;
            write!(out, "Press Enter to go on, b to go back, q to quit: ")?;
            out.flush()?;
            read_reply(input)
        }
        NodeKind::Outcome(_) => {
            let summary = session.summary(today).expect("an outcome has a summary");
            writeln!(out, "{}", summary_block(&summary, library, catalogue))?;
            if let Some(client) = client {
                // In English, for the adviser: what the record will say was shown.
                writeln!(out, "{}", client.shown.record_line())?;
            }
            write_translated(out, client, translated)?;
            write!(out, "Press Enter to finish, or b to go back: ")?;
            out.flush()?;
            read_reply(input)
        }
    }
}

/// The step in the client's language, after the English.
fn write_translated(
    out: &mut impl Write,
    client: &mut Option<ClientBlock>,
    block: Option<super::plain_language::Lines>,
) -> io::Result<()> {
    match (client, block) {
        (Some(client), Some(block)) => client.write(out, block),
        _ => Ok(()),
    }
}

/// `b`: one step back in this guide, or back to the guide that opened it.
fn go_back(sessions: &mut Vec<Session>, out: &mut impl Write) -> io::Result<()> {
    let session = sessions.last_mut().expect("at least one session");
    if !session.back() {
        if sessions.len() > 1 {
            sessions.pop();
            writeln!(
                out,
                "Back to the guide: {}",
                sessions.last().expect("one left").guide().title
            )?;
        } else {
            writeln!(out, "This is the first step.")?;
        }
    }
    Ok(())
}

/// A numbered choice (`index` from 0): moves on, or opens the guide it leads to with the
/// facts gathered so far.
fn take_choice(
    library: &Library,
    sessions: &mut Vec<Session>,
    index: usize,
    out: &mut impl Write,
    today: NaiveDate,
    client: &mut Option<ClientBlock>,
) -> io::Result<()> {
    let session = sessions.last_mut().expect("at least one session");
    let facts = session.facts_after_choice(index);
    match session.choose(index).map_err(io::Error::other)? {
        Advance::Moved => {}
        Advance::OpenGuide(next) => match library.guide(&next) {
            Some(g) => {
                writeln!(out, "Opening the guide: {}", g.title)?;
                let next = Session::with_facts(g.clone(), facts);
                introduce(out, &next, today, client)?;
                sessions.push(next);
            }
            None => writeln!(out, "The guide {next} is not available.")?,
        },
    }
    Ok(())
}

fn introduce(
    out: &mut impl Write,
    session: &Session,
    today: NaiveDate,
    client: &mut Option<ClientBlock>,
) -> io::Result<()> {
    let guide = session.guide();
    writeln!(out, "Guide: {}", guide.title)?;
    writeln!(out, "{}", guide.summary)?;
    if let Some(warning) = sanctuary::guide::review_warning(guide, today) {
        writeln!(out, "{warning}")?;
    }
    if guide.safety_notice {
        writeln!(out, "To leave at once, type q and press Enter.")?;
    }
    if let Some(client) = client {
        let block = client.intro(guide);
        client.write(out, block)?;
    }
    Ok(())
}

/// The command that writes a next step's letter with everything the guide learned, so
/// the letter from plain mode says what the app's letter says. It runs as printed once
/// the words in capitals are replaced: what the letter needs besides the client (the
/// Home Office request type, a body's name and address sanctuary does not hold, the
/// adviser a reply goes to when the client's address is kept from the body) is in it.
fn letter_command(
    template: &str,
    organisation: &str,
    facts: &std::collections::BTreeMap<String, String>,
) -> String {
    let mut command = format!("sanctuary letter {template} --to {organisation}");
    if let Ok(catalogue) = sanctuary::letter::Catalogue::embedded() {
        if catalogue
            .template(template)
            .is_some_and(|t| t.asks_request_type())
        {
            command.push_str(" --request-type detailed");
        }
        if let Some(org) = catalogue.organisation(organisation) {
            if org.name_needed.is_some() {
                command.push_str(" --to-name 'NAME OF THE BODY'");
            }
            if org.postal_address().is_none() && org.online_form().is_none() {
                command.push_str(" --to-address 'FIRST LINE' --to-address 'POSTCODE'");
            }
            // The client's address is kept from this body, so replies go to an adviser.
            if !org.may_receive(facts).contains("address") {
                command.push_str(" --adviser ADVISER.toml");
            }
        }
    }
    for (key, value) in facts {
        if key == "organisation" {
            continue;
        }
        command.push_str(&format!(
            " --fact {}",
            shell_word(&format!("{key}={value}"))
        ));
    }
    command.push_str(" --client CLIENT.toml -o LETTER.pdf");
    command
}

/// A word the shell reads back as it is.
fn shell_word(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "=_-.,/:".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn summary_block(
    summary: &sanctuary::guide::engine::RunSummary,
    library: &Library,
    catalogue: &sanctuary::letter::Catalogue,
) -> String {
    let mut text = format!(
        "Outcome: {}\nRisk: {}\n{}\n",
        summary.outcome_title,
        summary.risk.label(),
        summary.advice
    );
    if !summary.adviser_note.trim().is_empty() {
        text.push_str(&format!("Adviser note: {}\n", summary.adviser_note.trim()));
    }
    if !summary.actions.is_empty() {
        text.push_str("Next steps:\n");
        for a in &summary.actions {
            text.push_str(&format!("  - {}", a.label));
            if let Some(letter) = &a.letter {
                text.push_str(&format!(
                    " (letter: {})",
                    letter_command(&letter.template, &letter.organisation, &summary.facts)
                ));
                // Whether the letter gives the client's home address, and how to change it.
                if let Some(org) = catalogue.organisation(&letter.organisation)
                    && let Some(note) = catalogue.address_note(org, &summary.facts, &[])
                {
                    text.push_str(&format!("\n      {}", note.text));
                    if let Some(hint) = note.command_line_hint {
                        text.push_str(&format!(" {hint}"));
                    }
                }
            }
            if let Some(g) = a.guide.as_deref().and_then(|g| library.guide(g)) {
                text.push_str(&format!(" (guide: {})", g.title));
            }
            text.push('\n');
        }
    }
    text.push_str("Sources:\n");
    for (title, locator) in &summary.sources {
        text.push_str(&format!("  - {title}: {locator}\n"));
    }
    text
}
