//! Guide files built from structured input: ids come from small sets so links resolve
//! and most texts are plain sentences, so many generated guides pass their checks and
//! the graph checks (reachability, loops, outcomes) and the engine get exercised far
//! more often than from raw text. The file is then checked as `guide_parse` does.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

#[path = "../common/guide.rs"]
mod guide;

const NODE_IDS: [&str; 7] = ["start", "a", "b", "c", "d", "end", "Bad Id"];
const SOURCE_IDS: [&str; 3] = ["law", "guidance", ""];
const GUIDE_IDS: [&str; 3] = ["fuzz", "other-guide", "fixture"];
const TEMPLATES: [&str; 3] = ["sar-home-office", "sar-generic", "no-such-template"];
const ORGANISATIONS: [&str; 3] = ["home-office", "other", "no-such-body"];
const DATES: [&str; 6] = [
    "2026-11-30",
    "2026-12-01",
    "2026-12-02",
    "2024-01-01",
    "0001-01-01",
    "2026-11-30T10:00:00",
];
const SENTENCES: [&str; 8] = [
    "Is it safe to talk now?",
    "You can ask for your data.",
    "Yes",
    "No",
    "We can help you write a letter.",
    "Keep a copy of what you send.",
    "Ask an adviser before you act.",
    "Notwithstanding the aforementioned considerations, comprehensive documentation.",
];

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

fn pick<'a>(u: &mut Unstructured<'_>, from: &[&'a str]) -> arbitrary::Result<&'a str> {
    Ok(from[u.choose_index(from.len())?])
}

/// Mostly a plain sentence; sometimes any text at all.
fn text(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    if u.ratio(1, 8)? {
        String::arbitrary(u)
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
    if !u.ratio(1, 16)? {
        out.push_str(&format!("{key} = {value}\n"));
    }
    Ok(())
}

fn source(u: &mut Unstructured<'_>, out: &mut String) -> arbitrary::Result<()> {
    out.push_str("\n[[sources]]\n");
    line!(u, out, "id", quoted(pick(u, &SOURCE_IDS)?))?;
    line!(u, out, "title", quoted(&text(u)?))?;
    if bool::arbitrary(u)? {
        line!(u, out, "url", quoted("https://example.org/guidance"))?;
    } else {
        line!(u, out, "reference", quoted("An Act 2000, s.1"))?;
    }
    if bool::arbitrary(u)? {
        line!(u, out, "checked", pick(u, &DATES)?.to_string())?;
    }
    Ok(())
}

fn node(u: &mut Unstructured<'_>, out: &mut String) -> arbitrary::Result<()> {
    out.push_str("\n[[nodes]]\n");
    line!(u, out, "id", quoted(pick(u, &NODE_IDS)?))?;
    let kind = pick(u, &["question", "info", "outcome", "outcome", "other"])?;
    line!(u, out, "type", quoted(kind))?;
    if u.ratio(1, 4)? {
        line!(u, out, "adviser_note", quoted(&text(u)?))?;
    }
    match kind {
        "question" => {
            line!(u, out, "text", quoted(&text(u)?))?;
            for _ in 0..u.int_in_range(0..=3)? {
                out.push_str("  [[nodes.choices]]\n");
                line!(u, out, "label", quoted(&text(u)?))?;
                if u.ratio(1, 6)? {
                    line!(u, out, "guide", quoted(pick(u, &GUIDE_IDS)?))?;
                } else {
                    line!(u, out, "next", quoted(pick(u, &NODE_IDS)?))?;
                }
                if u.ratio(1, 4)? {
                    out.push_str("  [nodes.choices.facts]\n");
                    line!(
                        u,
                        out,
                        "home_office_sharing",
                        quoted(pick(u, &["possible", "no"])?),
                    )?;
                }
            }
        }
        "info" => {
            line!(u, out, "text", quoted(&text(u)?))?;
            line!(u, out, "next", quoted(pick(u, &NODE_IDS)?))?;
        }
        _ => {
            line!(u, out, "title", quoted(&text(u)?))?;
            line!(
                u,
                out,
                "risk",
                quoted(pick(u, &["low", "medium", "high", "urgent", "none"])?),
            )?;
            line!(u, out, "advice", quoted(&text(u)?))?;
            line!(u, out, "adviser_note", quoted(&text(u)?))?;
            let cited: Vec<String> = (0..u.int_in_range(0..=2)?)
                .map(|_| pick(u, &SOURCE_IDS).map(quoted))
                .collect::<arbitrary::Result<_>>()?;
            line!(u, out, "sources", format!("[{}]", cited.join(", ")))?;
            if u.ratio(1, 4)? {
                line!(
                    u,
                    out,
                    "immigration_exemption",
                    bool::arbitrary(u)?.to_string(),
                )?;
            }
            for _ in 0..u.int_in_range(0..=2)? {
                out.push_str("  [[nodes.actions]]\n");
                line!(u, out, "label", quoted(&text(u)?))?;
                if bool::arbitrary(u)? {
                    line!(u, out, "template", quoted(pick(u, &TEMPLATES)?))?;
                    line!(u, out, "organisation", quoted(pick(u, &ORGANISATIONS)?))?;
                } else {
                    line!(u, out, "guide", quoted(pick(u, &GUIDE_IDS)?))?;
                }
            }
        }
    }
    Ok(())
}

fn guide_text(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let mut out = String::from("[guide]\n");
    line!(u, &mut out, "id", quoted(pick(u, &GUIDE_IDS)?))?;
    line!(u, &mut out, "title", quoted(&text(u)?))?;
    line!(u, &mut out, "summary", quoted(&text(u)?))?;
    line!(u, &mut out, "topic", quoted(pick(u, &["Data", "Safety"])?))?;
    line!(u, &mut out, "last_reviewed", pick(u, &DATES)?.to_string())?;
    line!(u, &mut out, "start", quoted(pick(u, &NODE_IDS)?))?;
    if bool::arbitrary(u)? {
        line!(u, &mut out, "safety_notice", "true".to_string())?;
    }
    for _ in 0..u.int_in_range(0..=3)? {
        source(u, &mut out)?;
    }
    for _ in 0..u.int_in_range(0..=8)? {
        node(u, &mut out)?;
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
