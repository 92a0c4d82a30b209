//! The shipped outcome with the most text and the picks that reach it: for the tests that
//! read an outcome screen from its first line to its last, in the real binary
//! (`tests/tui_pty.rs`) and on the runner screen (`src/tui/screens/runner.rs`). Each says
//! `#[path = ".../common/longest_outcome.rs"] mod longest_outcome;`.

use std::sync::Arc;

use sanctuary::guide::{Guide, Library, NodeKind, Outcome, outcome_paths};

/// The outcome at `node`; panics when the node is not an outcome.
pub fn outcome(guide: &Guide, node: usize) -> &Outcome {
    match &guide.nodes[node].kind {
        NodeKind::Outcome(o) => o,
        _ => panic!("not an outcome"),
    }
}

/// The outcome's last source as the outcome screen's last line shows it, unwrapped.
pub fn last_source_line(guide: &Guide, outcome: &Outcome) -> String {
    let source = outcome
        .sources
        .iter()
        .rev()
        .find_map(|id| guide.source(id))
        .expect("the outcome cites a source");
    format!("- {}: {}", source.title, source.locator())
}

/// All the text an outcome screen shows, in bytes.
fn outcome_text_len(guide: &Guide, node: usize) -> usize {
    let o = outcome(guide, node);
    let sources: usize = o
        .sources
        .iter()
        .filter_map(|id| guide.source(id))
        .map(|s| s.title.len() + s.locator().len())
        .sum();
    o.title.len()
        + o.advice.len()
        + guide.nodes[node]
            .adviser_note
            .as_ref()
            .map_or(0, String::len)
        + o.actions.iter().map(|a| a.label.len()).sum::<usize>()
        + sources
}

/// The shipped outcome with the most text: its guide, node and the picks to reach it.
pub fn longest_outcome(library: &Library) -> (Arc<Guide>, usize, Vec<usize>) {
    library
        .by_topic()
        .into_iter()
        .flat_map(|(_, guides)| guides)
        .flat_map(|g| {
            outcome_paths(g)
                .into_iter()
                .map(move |path| (g.clone(), path.node, path.picks))
        })
        .max_by_key(|(g, node, _)| outcome_text_len(g, *node))
        .expect("the shipped guides have outcomes")
}
