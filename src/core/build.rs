//! Checks the shipped guides and compiles them into the library, so sanctuary runs from any
//! folder and starts without parsing TOML. A shipped guide with any problem fails the build,
//! with each problem as file:line:column. (Review dates are checked when the program runs,
//! since they depend on the day.) The parsing is the guide-format crate's, the same code the
//! program uses for an organisation's own guides.

use std::fs;
use std::path::Path;

use sanctuary_guide_format::embedded::EmbeddedGuides;
use sanctuary_guide_format::glossary::Glossary;
use sanctuary_guide_format::parse::parse_guide;
use sanctuary_guide_format::translation::{EmbeddedTranslations, UiStrings, parse_translation};

/// The shipped guides, from this crate's folder (`src/core`).
const GUIDES: &str = "../../guides";

fn main() {
    println!("cargo:rerun-if-changed={GUIDES}");
    let mut names: Vec<String> = fs::read_dir(GUIDES)
        .expect("the guides folder is missing")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && n != "glossary.toml")
        .collect();
    names.sort();

    let mut files = Vec::new();
    let mut problems = Vec::new();
    for name in &names {
        println!("cargo:rerun-if-changed={GUIDES}/{name}");
        // Problems name the file as the adviser and the validator do: `guides/NAME`.
        let shown = format!("guides/{name}");
        let text =
            fs::read_to_string(format!("{GUIDES}/{name}")).expect("a guide file is readable");
        let parsed = parse_guide(&shown, &text);
        problems.extend(parsed.problems.iter().map(|p| p.to_string()));
        files.push(parsed);
    }
    let glossary_path = format!("{GUIDES}/glossary.toml");
    println!("cargo:rerun-if-changed={glossary_path}");
    let glossary_text =
        fs::read_to_string(&glossary_path).expect("guides/glossary.toml is readable");
    let glossary = Glossary::parse("guides/glossary.toml", &glossary_text).unwrap_or_else(|p| {
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
    embed_translations(&out);
}

/// The shipped translations, read with the format crate. A file that cannot be read at all
/// fails the build; the checks of its texts (script, placeholders, stale entries) are
/// `guides validate`'s and a test's, so that a translator's slip never stops a build.
fn embed_translations(out: &str) {
    let dir = format!("{GUIDES}/translations");
    println!("cargo:rerun-if-changed={dir}");
    let ui_path = format!("{dir}/ui-strings.toml");
    println!("cargo:rerun-if-changed={ui_path}");
    let ui_text =
        fs::read_to_string(&ui_path).expect("guides/translations/ui-strings.toml is readable");
    let mut problems = Vec::new();
    let ui =
        UiStrings::parse("guides/translations/ui-strings.toml", &ui_text).unwrap_or_else(|p| {
            problems.push(p.to_string());
            UiStrings::default()
        });
    let mut paths = Vec::new();
    let mut languages: Vec<_> = fs::read_dir(&dir)
        .expect("the translations folder is readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    languages.sort();
    for language in languages {
        println!("cargo:rerun-if-changed={dir}/{language}");
        let mut names: Vec<String> = fs::read_dir(format!("{dir}/{language}"))
            .expect("a translations folder is readable")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        names.sort();
        paths.extend(names.into_iter().map(|n| format!("{language}/{n}")));
    }
    let mut files = Vec::new();
    for path in paths {
        println!("cargo:rerun-if-changed={dir}/{path}");
        let text =
            fs::read_to_string(format!("{dir}/{path}")).expect("a translation file is readable");
        let parsed = parse_translation(&format!("guides/translations/{path}"), &text);
        if parsed.file.is_none() {
            problems.extend(parsed.problems.iter().map(|p| p.to_string()));
        }
        files.push(parsed);
    }
    if !problems.is_empty() {
        panic!(
            "the shipped translations cannot be read:\n{}",
            problems.join("\n")
        );
    }
    let bytes = postcard::to_stdvec(&EmbeddedTranslations { files, ui })
        .expect("the translations serialise");
    fs::write(Path::new(out).join("translations.bin"), bytes).expect("cannot write OUT_DIR");
}
