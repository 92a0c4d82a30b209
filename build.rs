//! Compiles the shipped guides into the binary, so sanctuary runs from any folder.
use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=guides");
    let mut names: Vec<String> = fs::read_dir("guides")
        .expect("the guides folder is missing")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && n != "glossary.toml")
        .collect();
    names.sort();
    let mut code = String::from(
        "/// The shipped guides: (file name, contents).\npub static EMBEDDED_GUIDES: &[(&str, &str)] = &[\n",
    );
    for name in &names {
        println!("cargo:rerun-if-changed=guides/{name}");
        code.push_str(&format!(
            "    (\"{name}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/guides/{name}\"))),\n"
        ));
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out).join("embedded_guides.rs"), code).expect("cannot write OUT_DIR");
}
