//! The decision tree of a guide as a Graphviz DOT or Mermaid diagram, for guide authors.

use super::model::{Guide, NodeKind, Target};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

fn short(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s: String = one_line.chars().take(60).collect();
    if one_line.chars().count() > 60 {
        s.push('…');
    }
    s
}

/// Node label: the id and the start of its text.
fn label(guide: &Guide, i: usize) -> String {
    let node = &guide.nodes[i];
    match &node.kind {
        NodeKind::Outcome(o) => format!("{}\n[{}] {}", node.id, o.risk.label(), short(&o.title)),
        _ => format!("{}\n{}", node.id, short(node.headline())),
    }
}

pub fn render(guide: &Guide, format: GraphFormat) -> String {
    match format {
        GraphFormat::Dot => dot(guide),
        GraphFormat::Mermaid => mermaid(guide),
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn dot(guide: &Guide) -> String {
    let mut out = format!("digraph \"{}\" {{\n  rankdir=TB;\n", dot_escape(&guide.id));
    for (i, node) in guide.nodes.iter().enumerate() {
        let shape = match node.kind {
            NodeKind::Question { .. } => "box",
            NodeKind::Info { .. } => "note",
            NodeKind::Outcome(_) => "doubleoctagon",
        };
        out.push_str(&format!(
            "  \"{}\" [shape={shape}, label=\"{}\"];\n",
            dot_escape(&node.id),
            dot_escape(&label(guide, i))
        ));
    }
    for node in &guide.nodes {
        match &node.kind {
            NodeKind::Question { choices, .. } => {
                for c in choices {
                    let to = match &c.target {
                        Target::Node(n) => guide.nodes[*n].id.clone(),
                        Target::Guide(g) => format!("guide:{g}"),
                    };
                    out.push_str(&format!(
                        "  \"{}\" -> \"{}\" [label=\"{}\"];\n",
                        dot_escape(&node.id),
                        dot_escape(&to),
                        dot_escape(&short(&c.label))
                    ));
                }
            }
            NodeKind::Info { next, .. } => out.push_str(&format!(
                "  \"{}\" -> \"{}\";\n",
                dot_escape(&node.id),
                dot_escape(&guide.nodes[*next].id)
            )),
            NodeKind::Outcome(_) => {}
        }
    }
    out.push_str("}\n");
    out
}

fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;").replace('\n', "<br/>")
}

fn mermaid(guide: &Guide) -> String {
    let id = |i: usize| format!("n{i}");
    let mut out = String::from("flowchart TD\n");
    for (i, node) in guide.nodes.iter().enumerate() {
        let text = mermaid_escape(&label(guide, i));
        let shape = match node.kind {
            NodeKind::Question { .. } => format!("{}{{\"{text}\"}}", id(i)),
            NodeKind::Info { .. } => format!("{}[\"{text}\"]", id(i)),
            NodeKind::Outcome(_) => format!("{}([\"{text}\"])", id(i)),
        };
        out.push_str(&format!("  {shape}\n"));
    }
    let mut links = 0;
    for (i, node) in guide.nodes.iter().enumerate() {
        match &node.kind {
            NodeKind::Question { choices, .. } => {
                for c in choices {
                    let label = mermaid_escape(&short(&c.label));
                    match &c.target {
                        Target::Node(n) => {
                            out.push_str(&format!("  {} -->|\"{label}\"| {}\n", id(i), id(*n)))
                        }
                        Target::Guide(g) => {
                            links += 1;
                            out.push_str(&format!(
                                "  {} -->|\"{label}\"| g{links}[[\"guide: {}\"]]\n",
                                id(i),
                                mermaid_escape(g)
                            ));
                        }
                    }
                }
            }
            NodeKind::Info { next, .. } => {
                out.push_str(&format!("  {} --> {}\n", id(i), id(*next)))
            }
            NodeKind::Outcome(_) => {}
        }
    }
    out
}
