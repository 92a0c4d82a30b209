//! Client and adviser files as an adviser writes them, and the identifiers checked in
//! them. Nothing may panic; what is accepted must be usable, and normalising twice must
//! give what normalising once gave.
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use sanctuary::letter::{
    AdviserDetails, Catalogue, ClientDetails, LetterError, LetterRequest, compose,
    normalise_nhs_number, normalise_ni_number, normalise_postcode, render_text,
};

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::embedded().expect("the embedded catalogue loads"))
}

fn idempotent(normalise: fn(&str) -> Result<String, String>, raw: &str) {
    if let Ok(once) = normalise(raw) {
        assert_eq!(
            normalise(&once).as_deref(),
            Ok(once.as_str()),
            "from {raw:?}"
        );
    }
}

fn check_error(text: &str, error: &LetterError) {
    let message = error.to_string();
    if let LetterError::Parse { line, column, .. } = error {
        let lines = text.split('\n').count();
        assert!(
            *line >= 1 && *line <= lines,
            "line {line} of {lines}: {message}"
        );
        assert!(*column >= 1, "column {column}: {message}");
    }
}

fn check_adviser(adviser: &AdviserDetails) {
    assert!(!adviser.name.trim().is_empty(), "an adviser with no name");
    if let Some(postcode) = &adviser.postcode {
        assert_eq!(
            normalise_postcode(postcode).as_deref(),
            Ok(postcode.as_str())
        );
    }
    let _ = adviser.full_address();
}

fuzz_target!(|data: &[u8]| {
    // Bytes that are not UTF-8 become U+FFFD, so multi-byte characters turn up often.
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    idempotent(normalise_postcode, text);
    idempotent(normalise_nhs_number, text);
    idempotent(normalise_ni_number, text);

    match AdviserDetails::from_toml_str(text, "adviser.toml") {
        Ok(adviser) => check_adviser(&adviser),
        Err(e) => check_error(text, &e),
    }

    let client = match ClientDetails::from_toml_str(text, "client.toml") {
        Ok(client) => client,
        Err(e) => return check_error(text, &e),
    };
    assert!(!client.name.trim().is_empty(), "a client with no name");
    for (key, value) in client.optional_fields() {
        if let Some(value) = value {
            assert!(!value.trim().is_empty(), "{key} is blank");
        }
    }
    if let Some(dob) = client.date_of_birth {
        assert!(sanctuary::calendar::dates::is_plausible_year(dob), "{dob}");
    }
    if let Some(adviser) = &client.adviser {
        check_adviser(adviser);
    }
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).expect("a real date");
    let _ = client.problems_as_of(today);
    let _ = client.full_address();

    // An accepted client is one a letter can be written for, or refused with a reason.
    let request = LetterRequest::new("sar-home-office", "home-office", client, today);
    if let Ok(letter) = compose(&request, catalogue()) {
        let _ = render_text(&letter);
    }
});
