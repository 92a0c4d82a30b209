//! Any text as a guide file (see `common/guide.rs` for what is checked).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/guide.rs"]
mod guide;

fuzz_target!(|data: &[u8]| {
    // Bytes that are not UTF-8 become U+FFFD, so multi-byte characters turn up often.
    guide::check(&String::from_utf8_lossy(data), data);
});
