//! Keeping a client's details out of error messages, which may be printed,
//! shown on screen or kept in a terminal's scrollback.

/// Hides the values a client file held from an error message, keeping the
/// key names and the reasons: `postcode "XX": not the shape...` becomes
/// `postcode (value hidden): not the shape...`. Quoted text and any
/// back-quoted text that is not a plain key name is hidden, as is a date of
/// birth.
pub fn redact_client_values(message: &str) -> String {
    const HIDDEN: &str = "(value hidden)";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(['"', '`']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(len) = after.find(quote) else {
            out.push_str(HIDDEN);
            rest = "";
            break;
        };
        let inner = &after[..len];
        let is_key = quote == '`'
            && !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if is_key {
            out.push('`');
            out.push_str(inner);
            out.push('`');
        } else {
            out.push_str(HIDDEN);
        }
        rest = &after[len + 1..];
    }
    out.push_str(rest);
    hide_date_of_birth(&out, HIDDEN)
}

/// `date_of_birth 2031-01-01 is not...` names the value without quotes.
fn hide_date_of_birth(message: &str, hidden: &str) -> String {
    let key = "date_of_birth ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(key) {
        let after = &rest[at + key.len()..];
        out.push_str(&rest[..at + key.len()]);
        let value_len = after.find(char::is_whitespace).unwrap_or(after.len());
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(hidden);
            rest = &after[value_len..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_from_a_client_file_are_hidden_but_key_names_are_kept() {
        let message = "c.toml: postcode \"ZZ9\": not the shape of a UK postcode; date_of_birth 2090-01-01 is not a plausible date of birth";
        let redacted = redact_client_values(message);
        assert!(!redacted.contains("ZZ9"), "{redacted}");
        assert!(!redacted.contains("2090"), "{redacted}");
        assert!(redacted.contains("postcode (value hidden): not the shape"));
        let unknown =
            "c.toml:2:1: unknown field `shoe_size`, expected one of `name`, `other_names`";
        assert_eq!(redact_client_values(unknown), unknown);
        assert!(!redact_client_values("invalid type: string `Jane Doe`").contains("Jane"));
    }
}
