//! Link flags for the `sanctuary` binary.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={SYMBOL_ORDER}");
    println!("cargo:rerun-if-env-changed=SANCTUARY_NO_SYMBOL_ORDER");
    let target_var = |name: &str| std::env::var(name).unwrap_or_default();
    let linux_gnu =
        target_var("CARGO_CFG_TARGET_OS") == "linux" && target_var("CARGO_CFG_TARGET_ENV") == "gnu";
    if linux_gnu {
        // Packed relative relocations (DT_RELR): the loader applies the binary's ~45,000
        // relative relocations from a 16 KB table instead of reading a 1 MB one, which keeps
        // about 0.8 MB out of every run's memory. GNU ld 2.38+ and glibc 2.36+ support it;
        // an older linker warns and ignores the flag, and ld leaves it out for an older glibc.
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    if linux_gnu
        && target_var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && target_var("PROFILE") == "release"
        && std::env::var_os("SANCTUARY_NO_SYMBOL_ORDER").is_none()
        && links_with_rust_lld()
    {
        // The functions a letter runs, placed together at the start of the code: the kernel
        // reads code 64 KB around each page first touched, so scattered functions cost about
        // 5 MB of memory per letter and grouped ones about 1.4 MB (benches/symbol-order.sh says
        // how the list is made). Names the binary no longer has are skipped without a warning.
        let order = Path::new(&target_var("CARGO_MANIFEST_DIR")).join(SYMBOL_ORDER);
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

const SYMBOL_ORDER: &str = "link/symbol-order.txt";

/// Whether the binary is linked by rust-lld, the only linker here that reads a symbol ordering
/// file: the default for x86_64 Linux from Rust 1.90, unless the build picks another linker.
fn links_with_rust_lld() -> bool {
    let chosen_elsewhere = std::env::var_os("RUSTC_LINKER").is_some()
        || std::env::var("CARGO_ENCODED_RUSTFLAGS").is_ok_and(|flags| {
            [
                "linker",
                "link-self-contained",
                "linker-features",
                "fuse-ld",
                "linker-flavor",
            ]
            .iter()
            .any(|flag| flags.contains(flag))
        });
    if chosen_elsewhere {
        return false;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let Ok(output) = Command::new(rustc).arg("--version").output() else {
        return false;
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let version = String::from_utf8_lossy(&output.stdout);
    let mut numbers = version.split_whitespace().nth(1).unwrap_or("").split('.');
    let major: u32 = numbers.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let minor: u32 = numbers.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    (major, minor) >= (1, 90)
}
