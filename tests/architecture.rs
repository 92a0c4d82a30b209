//! The library cannot reach the front-ends: its crates' manifests list no terminal, argument
//! parsing, prompt or error-reporting crate of the front-ends, so a library file that names
//! one does not compile (`cargo check -p sanctuary-core` fails).

use std::path::Path;

/// Crates only a front-end may use.
const FRONT_END_CRATES: &[&str] = &[
    "anyhow",
    "clap",
    "clap_complete",
    "clap_mangen",
    "crossterm",
    "ratatui",
    "rpassword",
    "signal-hook",
    "directories",
];

fn dependencies(manifest: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(manifest);
    let text = std::fs::read_to_string(&path).expect("the manifest is readable");
    let table: toml::Table = text.parse().expect("the manifest is TOML");
    ["dependencies", "build-dependencies"]
        .iter()
        .filter_map(|section| table.get(*section).and_then(|d| d.as_table()))
        .flat_map(|deps| {
            deps.iter().map(|(name, spec)| {
                // A renamed dependency names its real crate in `package`.
                spec.get("package")
                    .and_then(|p| p.as_str())
                    .unwrap_or(name)
                    .to_string()
            })
        })
        .collect()
}

#[test]
fn the_library_crates_list_no_front_end_crate() {
    for manifest in ["src/core/Cargo.toml", "src/guide-format/Cargo.toml"] {
        let deps = dependencies(manifest);
        assert!(!deps.is_empty(), "{manifest} lists its dependencies");
        for name in FRONT_END_CRATES {
            assert!(
                !deps.iter().any(|d| d == name),
                "{manifest} lists `{name}`, which only a front-end may use"
            );
        }
    }
}

#[test]
fn the_front_ends_reach_the_library_only_as_a_crate() {
    let deps = dependencies("Cargo.toml");
    assert!(deps.iter().any(|d| d == "sanctuary-core"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for module in [
        "calendar", "casework", "guide", "letter", "lib.rs", "files.rs",
    ] {
        assert!(
            !root.join(module).exists(),
            "src/{module} belongs in the library crate (src/core)"
        );
    }
}
