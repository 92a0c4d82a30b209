//! Guide files built from structured input. Each choice is the valid one most of the time
//! and a mistake now and then (a missing key, a wrong id, a link back, any text at all),
//! so many generated guides pass their checks and reach the engine and the diagrams,
//! and the graph checks (reachability, loops, outcomes) see near misses. The file is
//! then checked as `guide_parse` checks it (see `common/guide.rs`).
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

#[path = "../common/guide.rs"]
mod guide;

const NODE_IDS: [&str; 8] = ["start", "a", "b", "c", "d", "e", "f", "end"];
const SOURCE_IDS: [&str; 3] = ["law", "guidance", "code"];
const BAD_IDS: [&str; 3] = ["", "Bad Id", "nowhere"];
const GUIDE_IDS: [&str; 2] = ["other-guide", ""];
const TEMPLATES: [&str; 3] = ["sar-home-office", "sar-generic", "no-such-template"];
const ORGANISATIONS: [&str; 3] = ["home-office", "other", "no-such-body"];
const BAD_DATES: [&str; 5] = [
    "2026-12-02",
    "2020-01-01",
    "0001-01-01",
    "9999-12-31",
    "2026-11-30T10:00:00",
];
const SENTENCES: [&str; 7] = [
    "Is it safe to talk now?",
    "You can ask for your data.",
    "Yes",
    "No",
    "We can help you write a letter.",
    "Keep a copy of what you send.",
    "Ask an adviser before you act.",
];
const HARD: &str =
    "Notwithstanding the aforementioned considerations, comprehensive documentation.";

/// A TOML basic string holding `text`.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Now and then: a mistake.
fn slip(u: &mut Unstructured<'_>) -> arbitrary::Result<bool> {
    u.ratio(1, 40)
}

fn pick<'a>(u: &mut Unstructured<'_>, from: &[&'a str]) -> arbitrary::Result<&'a str> {
    Ok(from[u.choose_index(from.len())?])
}

/// `good` most of the time, else one of `bad`.
fn or_slip<'a>(
    u: &mut Unstructured<'_>,
    good: &'a str,
    bad: &[&'a str],
) -> arbitrary::Result<&'a str> {
    if slip(u)? { pick(u, bad) } else { Ok(good) }
}

/// Mostly a plain sentence; now and then a hard one or any text at all.
fn text(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    if slip(u)? {
        if bool::arbitrary(u)? {
            String::arbitrary(u)
        } else {
            Ok(HARD.to_string())
        }
    } else {
        Ok(pick(u, &SENTENCES)?.to_string())
    }
}

/// `key = value`, left out now and then: `line!(u, out, key, value)`.
macro_rules! line {
    ($u:expr, $out:expr, $key:expr, $value:expr $(,)?) => {{
        let value = $value;
        put($u, $out, $key, value)
    }};
}

fn put(
    u: &mut Unstructured<'_>,
    out: &mut String,
    key: &str,
    value: String,
) -> arbitrary::Result<()> {
    if !slip(u)? {
        out.push_str(&format!("{key} = {value}\n"));
    }
    Ok(())
}

/// A node after `index` (so the guide has no loop): the next one for the first way
/// out (so every node can be reached), any later one for the others; now and then any
/// node at all, or one that does not exist.
fn later_node(
    u: &mut Unstructured<'_>,
    index: usize,
    count: usize,
    first: bool,
) -> arbitrary::Result<&'static str> {
    if slip(u)? || index + 1 >= count {
        if bool::arbitrary(u)? {
            return pick(u, &NODE_IDS[..count.max(1)]);
        }
        return pick(u, &BAD_IDS);
    }
    if first {
        return Ok(NODE_IDS[index + 1]);
    }
    Ok(NODE_IDS[u.int_in_range(index + 1..=count - 1)?])
}

fn source(u: &mut Unstructured<'_>, out: &mut String, index: usize) -> arbitrary::Result<()> {
    out.push_str("\n[[sources]]\n");
    line!(
        u,
        out,
        "id",
        quoted(or_slip(u, SOURCE_IDS[index], &BAD_IDS)?)
    )?;
    line!(u, out, "title", quoted(&text(u)?))?;
    if bool::arbitrary(u)? {
        line!(u, out, "url", quoted("https://example.org/guidance"))?;
    } else {
        line!(u, out, "reference", quoted("An Act 2000, s.1"))?;
    }
    line!(
        u,
        out,
        "checked",
        or_slip(u, "2026-11-30", &BAD_DATES)?.to_string()
    )?;
    Ok(())
}

fn node(
    u: &mut Unstructured<'_>,
    out: &mut String,
    index: usize,
    count: usize,
    sources: usize,
) -> arbitrary::Result<()> {
    out.push_str("\n[[nodes]]\n");
    line!(u, out, "id", quoted(or_slip(u, NODE_IDS[index], &BAD_IDS)?))?;
    // The last node is an outcome, so every path can end.
    let kind = if index + 1 == count {
        or_slip(u, "outcome", &["question", "info", "other"])?
    } else {
        pick(u, &["question", "question", "info", "outcome"])?
    };
    line!(u, out, "type", quoted(kind))?;
    match kind {
        "question" => {
            line!(u, out, "text", quoted(&text(u)?))?;
            let choices = if slip(u)? {
                u.int_in_range(0..=1)?
            } else {
                u.int_in_range(2..=4)?
            };
            for choice in 0..choices {
                out.push_str("  [[nodes.choices]]\n");
                line!(u, out, "label", quoted(&text(u)?))?;
                if slip(u)? {
                    line!(u, out, "guide", quoted(pick(u, &GUIDE_IDS)?))?;
                } else {
                    line!(
                        u,
                        out,
                        "next",
                        quoted(later_node(u, index, count, choice == 0)?)
                    )?;
                }
                if u.ratio(1, 4)? {
                    out.push_str("  [nodes.choices.facts]\n");
                    line!(
                        u,
                        out,
                        "home_office_sharing",
                        quoted(pick(u, &["possible", "no"])?)
                    )?;
                }
            }
        }
        "info" => {
            line!(u, out, "text", quoted(&text(u)?))?;
            line!(u, out, "next", quoted(later_node(u, index, count, true)?))?;
        }
        _ => {
            line!(u, out, "title", quoted(&text(u)?))?;
            line!(
                u,
                out,
                "risk",
                quoted(pick(u, &["low", "medium", "high", "urgent"])?)
            )?;
            line!(u, out, "advice", quoted(&text(u)?))?;
            line!(u, out, "adviser_note", quoted(&text(u)?))?;
            let cited = if sources == 0 || slip(u)? {
                quoted(pick(u, &BAD_IDS)?)
            } else {
                quoted(SOURCE_IDS[u.choose_index(sources)?])
            };
            line!(u, out, "sources", format!("[{cited}]"))?;
            if u.ratio(1, 4)? {
                line!(
                    u,
                    out,
                    "immigration_exemption",
                    bool::arbitrary(u)?.to_string()
                )?;
            }
            for _ in 0..u.int_in_range(0..=2)? {
                out.push_str("  [[nodes.actions]]\n");
                line!(u, out, "label", quoted(&text(u)?))?;
                if slip(u)? {
                    line!(u, out, "guide", quoted(pick(u, &GUIDE_IDS)?))?;
                } else {
                    line!(
                        u,
                        out,
                        "template",
                        quoted(or_slip(u, "sar-home-office", &TEMPLATES)?)
                    )?;
                    line!(
                        u,
                        out,
                        "organisation",
                        quoted(or_slip(u, "home-office", &ORGANISATIONS)?)
                    )?;
                }
            }
        }
    }
    if u.ratio(1, 4)? {
        line!(u, out, "adviser_note", quoted(&text(u)?))?;
    }
    Ok(())
}

fn guide_text(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let mut out = String::from("[guide]\n");
    line!(u, &mut out, "id", quoted(or_slip(u, "fuzz", &BAD_IDS)?))?;
    line!(u, &mut out, "title", quoted(&text(u)?))?;
    line!(u, &mut out, "summary", quoted(&text(u)?))?;
    line!(u, &mut out, "topic", quoted(pick(u, &["Data", "Safety"])?))?;
    line!(
        u,
        &mut out,
        "last_reviewed",
        or_slip(u, "2026-11-30", &BAD_DATES)?.to_string()
    )?;
    line!(
        u,
        &mut out,
        "start",
        quoted(or_slip(u, "start", &NODE_IDS)?)
    )?;
    if bool::arbitrary(u)? {
        line!(u, &mut out, "safety_notice", "true".to_string())?;
    }
    let sources = u.int_in_range(1..=SOURCE_IDS.len())?;
    for index in 0..sources {
        source(u, &mut out, index)?;
    }
    let count = u.int_in_range(1..=NODE_IDS.len())?;
    for index in 0..count {
        node(u, &mut out, index, count, sources)?;
    }
    Ok(out)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    if let Ok(text) = guide_text(&mut u) {
        let path = u.take_rest();
        guide::check(&text, path);
    }
});
