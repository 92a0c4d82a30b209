//! Checks the shipped guides and compiles them into the binary, so sanctuary runs from any
//! folder and starts without parsing TOML. A shipped guide with any problem fails the build,
//! with each problem as file:line:column. (Review dates are checked when the program runs,
//! since they depend on the day.)

use std::fs;
use std::path::Path;

// The guide modules refer to each other as `super::...`, so they sit at the root here.
#[allow(dead_code)]
#[path = "src/guide/embedded.rs"]
mod embedded;
#[allow(dead_code)]
#[path = "src/guide/glossary.rs"]
mod glossary;
#[allow(dead_code)]
#[path = "src/guide/model.rs"]
mod model;
#[allow(dead_code)]
#[path = "src/guide/parse.rs"]
mod parse;
#[allow(dead_code)]
#[path = "src/guide/problem.rs"]
mod problem;

use embedded::EmbeddedGuides;
use glossary::Glossary;
use parse::parse_guide;

fn main() {
    println!("cargo:rerun-if-changed=guides");
    for module in ["embedded", "glossary", "model", "parse", "problem"] {
        println!("cargo:rerun-if-changed=src/guide/{module}.rs");
    }
    let mut names: Vec<String> = fs::read_dir("guides")
        .expect("the guides folder is missing")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && n != "glossary.toml")
        .collect();
    names.sort();

    let mut files = Vec::new();
    let mut problems = Vec::new();
    for name in &names {
        println!("cargo:rerun-if-changed=guides/{name}");
        let path = format!("guides/{name}");
        let text = fs::read_to_string(&path).expect("a guide file is readable");
        let parsed = parse_guide(&path, &text);
        problems.extend(parsed.problems.iter().map(|p| p.to_string()));
        files.push(parsed);
    }
    let glossary_path = "guides/glossary.toml";
    println!("cargo:rerun-if-changed={glossary_path}");
    let glossary_text =
        fs::read_to_string(glossary_path).expect("guides/glossary.toml is readable");
    let glossary = Glossary::parse(glossary_path, &glossary_text).unwrap_or_else(|p| {
        problems.push(p.to_string());
        Glossary::default()
    });
    if !problems.is_empty() {
        panic!("the shipped guides have problems:\n{}", problems.join("\n"));
    }

    let bytes = postcard::to_stdvec(&EmbeddedGuides { files, glossary })
        .expect("the checked guides serialise");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out).join("guides.bin"), bytes).expect("cannot write OUT_DIR");
}
