//! The client's (and adviser's) details, read from a portable TOML file and
//! checked before any letter is written.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use super::error::{LetterError, toml_error};

/// The most a client or adviser details file may hold, in bytes: far more than any
/// person's details need, and little enough that a wrong file (`/dev/zero`, a video) is
/// refused at once.
pub const MAX_DETAILS_FILE_BYTES: u64 = 64 * 1024;
/// The longest a one-line detail (a name, an address line, a reference) may be, in
/// characters.
pub const MAX_LINE_CHARS: usize = 200;
/// The most other names, or address lines, a person's details may list.
pub const MAX_LIST_ITEMS: usize = 20;

/// What is wrong with a piece of text typed or read from a file, named by `field`: longer
/// than `max_chars` characters, or holding a character that can disguise text on a screen
/// or in a file (a control character, a C1 control, a bidirectional override; a newline
/// or tab only where `multiline`), or an invisible one (a zero-width space, a direction
/// mark, a soft hyphen: see `is_invisible_char`). The value itself is never quoted.
pub fn text_problem(field: &str, value: &str, max_chars: usize, multiline: bool) -> Option<String> {
    text_reason(value, max_chars, multiline).map(|reason| format!("{field} {reason}"))
}

/// [`text_problem`] without the field's name: "is 300 characters long; ...".
fn text_reason(value: &str, max_chars: usize, multiline: bool) -> Option<String> {
    let length = value.chars().count();
    if length > max_chars {
        return Some(format!(
            "is {length} characters long; the limit is {max_chars}: shorten it"
        ));
    }
    if let Some(invisible) = crate::guide::parse::first_invisible_char(value) {
        return Some(format!(
            "holds an invisible character (U+{:04X}), which can make two names look the same or reorder what is shown: remove it",
            u32::from(invisible)
        ));
    }
    let bad = value.chars().find(|&c| {
        crate::guide::parse::is_forbidden_char(c) || (!multiline && (c == '\n' || c == '\t'))
    })?;
    let what = if bad == '\n' || bad == '\t' {
        "a line break or tab"
    } else {
        "a control or text-direction character"
    };
    Some(format!(
        "holds {what} (U+{:04X}), which can disguise text on screen or in a letter: remove it",
        u32::from(bad)
    ))
}

/// Which field of a person's details: its key in a details file, which entry of a list
/// (`other_names`, `address`, from 1), and whether it is the adviser's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub entry: Option<usize>,
    pub adviser: bool,
}

impl Field {
    fn key(key: &'static str) -> Field {
        Field {
            key,
            entry: None,
            adviser: false,
        }
    }

    fn entry(key: &'static str, index: usize) -> Field {
        Field {
            entry: Some(index + 1),
            ..Field::key(key)
        }
    }
}

/// The field as messages name it: `name`, `address line 2`, `[adviser] postcode`.
impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.adviser {
            f.write_str("[adviser] ")?;
        }
        match (self.key, self.entry) {
            ("address", Some(n)) => write!(f, "address line {n}"),
            (key, Some(n)) => write!(f, "{key}[{n}]"),
            (key, None) => f.write_str(key),
        }
    }
}

/// One problem with a person's details: the field, and what is wrong in words that never
/// quote the value. A form puts the message beside the field; a file's check prints both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Field,
    pub message: String,
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.field, self.message)
    }
}

fn problem(field: Field, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field,
        message: message.into(),
    }
}

/// The length and character checks for every text field of a person's details (see
/// [`text_problem`]), and the number of items in each list.
fn check_text_fields(
    fields: &[(Field, &str)],
    lists: &[(&'static str, usize)],
    problems: &mut Vec<FieldProblem>,
) {
    for (key, count) in lists {
        if *count > MAX_LIST_ITEMS {
            problems.push(problem(
                Field::key(key),
                format!("has {count} entries; the limit is {MAX_LIST_ITEMS}"),
            ));
        }
    }
    problems.extend(fields.iter().filter_map(|(field, value)| {
        text_reason(value, MAX_LINE_CHARS, false).map(|reason| problem(field.clone(), reason))
    }));
}

/// Where replies and contact details in the letter point.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplyTo {
    /// The client's own address (the default).
    #[default]
    Client,
    /// The adviser's address: for a client who is not safe to get post at home.
    Adviser,
}

/// The person the data is about. Keys match issue 7 so files are portable.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientDetails {
    pub name: String,
    #[serde(default)]
    pub other_names: Vec<String>,
    #[serde(default, deserialize_with = "optional_date")]
    pub date_of_birth: Option<NaiveDate>,
    /// Address lines without the postcode.
    #[serde(default)]
    pub address: Vec<String>,
    pub postcode: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub nationality: Option<String>,
    pub home_office_ref: Option<String>,
    pub port_ref: Option<String>,
    pub nhs_number: Option<String>,
    pub ni_number: Option<String>,
    pub police_ref: Option<String>,
    #[serde(default)]
    pub reply_to: ReplyTo,
    /// The bodies (organisation ids) that already know where the client lives: only
    /// these of the bodies that are sent the address only when they know it (the police,
    /// the Home Office) get it in a letter. A guide's `address_known_to_body = "no"` wins.
    #[serde(default)]
    pub address_known_to: Vec<String>,
    pub adviser: Option<AdviserDetails>,
}

/// The adviser who writes on the client's behalf.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdviserDetails {
    pub name: String,
    pub organisation: Option<String>,
    /// e.g. "Immigration adviser".
    pub role: Option<String>,
    /// Address lines without the postcode.
    #[serde(default)]
    pub address: Vec<String>,
    pub postcode: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The adviser's own file reference, shown as "Our reference".
    pub reference: Option<String>,
}

impl ClientDetails {
    /// Parses and validates a client file; `file_name` is used in messages.
    pub fn from_toml_str(text: &str, file_name: &str) -> Result<Self, LetterError> {
        let mut client: ClientDetails =
            toml::from_str(text).map_err(|e| toml_error(file_name, text, &e))?;
        let problems = client.normalise_and_check();
        accept_if_valid(client, &problems, file_name)
    }

    /// Every problem with a client file's details by field, including a date of birth
    /// after `today`, for a form to show beside each field. Text that is not TOML, or
    /// has keys a client file cannot have, is an error.
    pub fn problems_by_field(
        text: &str,
        file_name: &str,
        today: NaiveDate,
    ) -> Result<Vec<FieldProblem>, LetterError> {
        let mut client: ClientDetails =
            toml::from_str(text).map_err(|e| toml_error(file_name, text, &e))?;
        let mut problems = client.normalise_and_check();
        problems.extend(client.field_problems_as_of(today));
        Ok(problems)
    }

    /// Problems that depend on the day: a date of birth after `today`. (Parsing checks
    /// everything else; the library never reads the clock, so the caller says what day
    /// it is.)
    pub fn problems_as_of(&self, today: NaiveDate) -> Vec<String> {
        self.field_problems_as_of(today)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// [`ClientDetails::problems_as_of`], by field.
    pub fn field_problems_as_of(&self, today: NaiveDate) -> Vec<FieldProblem> {
        match self.date_of_birth {
            // The date itself is the client's: never in a message.
            Some(dob) if dob > today => vec![problem(
                Field::key("date_of_birth"),
                format!("is after today ({today}): check the date of birth"),
            )],
            _ => Vec::new(),
        }
    }

    /// The optional one-line details, each with its key in the client file.
    pub fn optional_fields(&self) -> [(&'static str, &Option<String>); 9] {
        [
            ("postcode", &self.postcode),
            ("email", &self.email),
            ("phone", &self.phone),
            ("nationality", &self.nationality),
            ("home_office_ref", &self.home_office_ref),
            ("port_ref", &self.port_ref),
            ("nhs_number", &self.nhs_number),
            ("ni_number", &self.ni_number),
            ("police_ref", &self.police_ref),
        ]
    }

    /// The address lines followed by the postcode.
    pub fn full_address(&self) -> Vec<String> {
        address_with_postcode(&self.address, &self.postcode)
    }

    /// Every text field with its key, as messages name it.
    pub(crate) fn text_fields(&self) -> Vec<(Field, &str)> {
        let mut fields = vec![(Field::key("name"), self.name.as_str())];
        fields.extend(entries("other_names", &self.other_names));
        fields.extend(entries("address", &self.address));
        fields.extend(present(self.optional_fields()));
        fields
    }

    fn normalise_and_check(&mut self) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        check_text_fields(
            &self.text_fields(),
            &[
                ("other_names", self.other_names.len()),
                ("address", self.address.len()),
            ],
            &mut problems,
        );
        require_text(Field::key("name"), &self.name, &mut problems);
        require_texts(entries("other_names", &self.other_names), &mut problems);
        require_texts(entries("address", &self.address), &mut problems);
        if let Some(dob) = self.date_of_birth
            && !crate::calendar::dates::is_plausible_year(dob)
        {
            problems.push(problem(
                Field::key("date_of_birth"),
                format!(
                    "is not a plausible date of birth (the year must be from {} to {})",
                    crate::calendar::dates::EARLIEST_YEAR,
                    crate::calendar::dates::LATEST_YEAR
                ),
            ));
        }
        check_optional(
            &mut self.postcode,
            "postcode",
            normalise_postcode,
            &mut problems,
        );
        check_optional(
            &mut self.nhs_number,
            "nhs_number",
            normalise_nhs_number,
            &mut problems,
        );
        check_optional(
            &mut self.ni_number,
            "ni_number",
            normalise_ni_number,
            &mut problems,
        );
        check_optional(&mut self.email, "email", check_email, &mut problems);
        require_free_texts(self.optional_fields(), &mut problems);
        if let Some(adviser) = &mut self.adviser {
            for mut p in adviser.normalise_and_check() {
                p.field.adviser = true;
                problems.push(p);
            }
        }
        problems
    }
}

impl AdviserDetails {
    /// Parses an adviser file: either bare keys or an `[adviser]` table.
    pub fn from_toml_str(text: &str, file_name: &str) -> Result<Self, LetterError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Wrapped {
            adviser: AdviserDetails,
        }
        let has_table = text.lines().any(|l| l.trim() == "[adviser]");
        let mut adviser = if has_table {
            toml::from_str::<Wrapped>(text)
                .map(|w| w.adviser)
                .map_err(|e| toml_error(file_name, text, &e))?
        } else {
            toml::from_str::<AdviserDetails>(text).map_err(|e| toml_error(file_name, text, &e))?
        };
        let problems = adviser.normalise_and_check();
        accept_if_valid(adviser, &problems, file_name)
    }

    /// The address lines followed by the postcode.
    pub fn full_address(&self) -> Vec<String> {
        address_with_postcode(&self.address, &self.postcode)
    }

    /// Every text field with its key, as messages name it.
    pub(crate) fn text_fields(&self) -> Vec<(Field, &str)> {
        let mut fields = vec![(Field::key("name"), self.name.as_str())];
        fields.extend(entries("address", &self.address));
        fields.extend(present(self.optional_fields()));
        fields
    }

    /// The optional one-line details, each with its key in the adviser file.
    fn optional_fields(&self) -> [(&'static str, &Option<String>); 6] {
        [
            ("organisation", &self.organisation),
            ("role", &self.role),
            ("postcode", &self.postcode),
            ("email", &self.email),
            ("phone", &self.phone),
            ("reference", &self.reference),
        ]
    }

    fn normalise_and_check(&mut self) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        check_text_fields(
            &self.text_fields(),
            &[("address", self.address.len())],
            &mut problems,
        );
        require_text(Field::key("name"), &self.name, &mut problems);
        require_texts(entries("address", &self.address), &mut problems);
        check_optional(
            &mut self.postcode,
            "postcode",
            normalise_postcode,
            &mut problems,
        );
        check_optional(&mut self.email, "email", check_email, &mut problems);
        require_free_texts(self.optional_fields(), &mut problems);
        problems
    }
}

fn require_text(field: Field, value: &str, problems: &mut Vec<FieldProblem>) {
    if value.trim().is_empty() {
        problems.push(problem(field, "is empty; fill it in or leave the key out"));
    }
}

/// [`require_text`] for each of `fields`.
fn require_texts<'a>(
    fields: impl IntoIterator<Item = (Field, &'a str)>,
    problems: &mut Vec<FieldProblem>,
) {
    for (field, value) in fields {
        require_text(field, value, problems);
    }
}

/// The optional details checked against a shape of their own by [`check_optional`].
const SHAPED_DETAILS: [&str; 4] = ["postcode", "email", "nhs_number", "ni_number"];

/// [`require_text`] for each optional detail given that has no shape of its own to check
/// (a phone number, a reference): it must not be empty.
fn require_free_texts<const N: usize>(
    details: [(&'static str, &Option<String>); N],
    problems: &mut Vec<FieldProblem>,
) {
    let free = present(details).filter(|(field, _)| !SHAPED_DETAILS.contains(&field.key));
    require_texts(free, problems);
}

/// Each entry of a list detail (`other_names`, `address`) with the field that names it.
fn entries<'a>(key: &'static str, items: &'a [String]) -> impl Iterator<Item = (Field, &'a str)> {
    items
        .iter()
        .enumerate()
        .map(move |(i, item)| (Field::entry(key, i), item.as_str()))
}

/// The optional details that are given, each with the field that names it.
fn present<'a, const N: usize>(
    details: [(&'static str, &'a Option<String>); N],
) -> impl Iterator<Item = (Field, &'a str)> {
    details
        .into_iter()
        .filter_map(|(key, value)| value.as_deref().map(|v| (Field::key(key), v)))
}

/// A client's or an adviser's address lines followed by the postcode.
fn address_with_postcode(address: &[String], postcode: &Option<String>) -> Vec<String> {
    let mut lines = address.to_vec();
    lines.extend(postcode.clone());
    lines
}

/// The details read from `file_name` when their checks found no problems; otherwise
/// every problem, as the error that names the file.
fn accept_if_valid<T>(
    details: T,
    problems: &[FieldProblem],
    file_name: &str,
) -> Result<T, LetterError> {
    if problems.is_empty() {
        Ok(details)
    } else {
        Err(LetterError::Invalid {
            file: file_name.to_string(),
            problems: problems.iter().map(ToString::to_string).collect(),
        })
    }
}

/// Normalises an optional detail (a postcode's spacing, an NHS number's groups), or says
/// what is wrong with it, without quoting it.
fn check_optional(
    value: &mut Option<String>,
    key: &'static str,
    normalise: fn(&str) -> Result<String, String>,
    problems: &mut Vec<FieldProblem>,
) {
    if let Some(v) = value.as_mut() {
        match normalise(v) {
            Ok(clean) => *v = clean,
            Err(why) => problems.push(problem(Field::key(key), format!("is not accepted: {why}"))),
        }
    }
}

/// Accepts a date as a string (`YYYY-MM-DD` or `DD/MM/YYYY`, see
/// [`parse_date`](crate::calendar::dates::parse_date)) or a bare TOML date.
fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let value = toml::Value::deserialize(d)?;
    let text = match &value {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.date.is_some() => dt.to_string(),
        other => other.to_string(),
    };
    crate::calendar::dates::parse_date(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// UK postcode shape: outward code (A9, A99, A9A, AA9, AA99, AA9A), then 9AA.
pub fn normalise_postcode(raw: &str) -> Result<String, String> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact == "GIR0AA" {
        return Ok("GIR 0AA".to_string());
    }
    let chars: Vec<char> = compact.chars().collect();
    if !(5..=7).contains(&chars.len()) {
        return Err("not the shape of a UK postcode (e.g. SW1A 1AA)".to_string());
    }
    let (outward, inward) = chars.split_at(chars.len() - 3);
    let inward_ok = inward[0].is_ascii_digit()
        && inward[1].is_ascii_alphabetic()
        && inward[2].is_ascii_alphabetic();
    let shape: String = outward
        .iter()
        .map(|c| {
            if c.is_ascii_digit() {
                '9'
            } else if c.is_ascii_alphabetic() {
                'A'
            } else {
                '?'
            }
        })
        .collect();
    let outward_ok = matches!(
        shape.as_str(),
        "A9" | "A99" | "A9A" | "AA9" | "AA99" | "AA9A"
    );
    if inward_ok && outward_ok {
        let outward: String = outward.iter().collect();
        let inward: String = inward.iter().collect();
        Ok(format!("{outward} {inward}"))
    } else {
        Err("not the shape of a UK postcode (e.g. SW1A 1AA)".to_string())
    }
}

/// Ten digits whose last is the modulus 11 check digit; written 3-3-4.
pub fn normalise_nhs_number(raw: &str) -> Result<String, String> {
    let digits: Vec<u32> = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_digit(10).ok_or(()))
        .collect::<Result<_, _>>()
        .map_err(|()| "an NHS number has only digits".to_string())?;
    if digits.len() != 10 {
        return Err("an NHS number has 10 digits".to_string());
    }
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| d * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return Err("the check digit does not match; check the number".to_string()),
        n => n,
    };
    if check != digits[9] {
        return Err("the check digit does not match; check the number".to_string());
    }
    let s: String = digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect();
    Ok(format!("{} {} {}", &s[..3], &s[3..6], &s[6..]))
}

/// Two letters, six digits, then A, B, C or D; written `QQ 12 34 56 C`.
pub fn normalise_ni_number(raw: &str) -> Result<String, String> {
    let compact: Vec<char> = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    let ok = compact.len() == 9
        && compact[..2].iter().all(|c| c.is_ascii_alphabetic())
        && compact[2..8].iter().all(|c| c.is_ascii_digit())
        && matches!(compact[8], 'A'..='D');
    if !ok {
        return Err(
            "not the shape of a National Insurance number (e.g. QQ 12 34 56 C)".to_string(),
        );
    }
    let s: String = compact.iter().collect();
    Ok(format!(
        "{} {} {} {} {}",
        &s[..2],
        &s[2..4],
        &s[4..6],
        &s[6..8],
        &s[8..]
    ))
}

fn check_email(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim();
    let ok = match trimmed.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !trimmed.contains(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(trimmed.to_string())
    } else {
        Err("not an email address".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invisible_character_in_a_name_is_refused_naming_the_field_not_the_value() {
        for c in [
            '\u{200B}',
            '\u{200F}',
            '\u{061C}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{E0041}',
        ] {
            let toml = format!("name = \"Ann{c}Secretname\"\n");
            let error = ClientDetails::from_toml_str(&toml, "c.toml")
                .expect_err("refused")
                .to_string();
            assert!(
                error.contains("name holds an invisible character"),
                "{error}"
            );
            assert!(!error.contains("Secretname"), "{error}");
        }
        let other = "name = \"Ann\"\nother_names = [\"A\\u200Bnn\"]\n";
        let error = ClientDetails::from_toml_str(other, "c.toml")
            .expect_err("refused")
            .to_string();
        assert!(error.contains("invisible character"), "{error}");
    }

    #[test]
    fn nhs_number_check_digit_is_verified() {
        assert_eq!(
            normalise_nhs_number("9434765919").as_deref(),
            Ok("943 476 5919")
        );
        assert!(normalise_nhs_number("943 476 5918").is_err());
        assert!(normalise_nhs_number("12345").is_err());
    }

    #[test]
    fn ni_number_and_postcode_shapes() {
        assert_eq!(
            normalise_ni_number("qq123456c").as_deref(),
            Ok("QQ 12 34 56 C")
        );
        assert!(normalise_ni_number("QQ123456E").is_err());
        assert_eq!(normalise_postcode("cr02wf").as_deref(), Ok("CR0 2WF"));
        assert_eq!(normalise_postcode("SW1A 1AA").as_deref(), Ok("SW1A 1AA"));
        assert!(normalise_postcode("12345").is_err());
    }

    #[test]
    fn unknown_key_is_named_with_line_and_column() {
        let err = ClientDetails::from_toml_str("name = \"A B\"\nshoe_size = 9\n", "c.toml")
            .expect_err("unknown key must fail");
        let text = err.to_string();
        assert!(text.contains("c.toml:2:1"), "{text}");
        assert!(text.contains("shoe_size"), "{text}");
    }

    #[test]
    fn bad_date_and_bad_nhs_number_are_both_reported() {
        let err = ClientDetails::from_toml_str(
            "name = \"A B\"\ndate_of_birth = \"31/02/1990\"\n",
            "c.toml",
        )
        .expect_err("bad date");
        let text = err.to_string();
        assert!(
            text.contains("DD/MM/YYYY") && text.contains("YYYY-MM-DD"),
            "{text}"
        );
        assert!(text.contains("c.toml:2"), "the line is named: {text}");
        let uk = ClientDetails::from_toml_str(
            "name = \"A B\"\ndate_of_birth = \"12/04/1990\"\n",
            "c.toml",
        )
        .expect("a UK date is understood");
        assert_eq!(uk.date_of_birth, NaiveDate::from_ymd_opt(1990, 4, 12));
        let err = ClientDetails::from_toml_str(
            "name = \"A B\"\nnhs_number = \"9434765918\"\npostcode = \"XX\"\n",
            "c.toml",
        )
        .expect_err("bad values");
        let text = err.to_string();
        assert!(
            text.contains("nhs_number") && text.contains("postcode"),
            "{text}"
        );
    }

    #[test]
    fn bare_toml_dates_are_accepted() {
        let c = ClientDetails::from_toml_str("name = \"A B\"\ndate_of_birth = 1990-04-12\n", "c")
            .expect("valid");
        assert_eq!(c.date_of_birth, NaiveDate::from_ymd_opt(1990, 4, 12));
    }

    #[test]
    fn control_and_bidi_characters_are_refused_in_every_field_naming_it_not_quoting_it() {
        for (toml, field) in [
            ("name = \"Ann\\u001B]0;x\\u0007\"\n", "name"),
            (
                "name = \"A B\"\naddress = [\"1 Road\", \"Town\\r\"]\n",
                "address line 2",
            ),
            (
                "name = \"A B\"\nother_names = [\"C\\u202ED\"]\n",
                "other_names[1]",
            ),
            (
                "name = \"A B\"\nhome_office_ref = \"X\\u009B1\"\n",
                "home_office_ref",
            ),
            ("name = \"A\\nB\"\n", "name"),
            (
                "name = \"A B\"\n[adviser]\nname = \"S\\u2066am\"\n",
                "[adviser] name",
            ),
        ] {
            let text = ClientDetails::from_toml_str(toml, "c.toml")
                .expect_err(toml)
                .to_string();
            assert!(text.contains(&format!("{field} holds")), "{toml}: {text}");
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{202e}'),
                "{text}"
            );
        }
    }

    #[test]
    fn over_long_fields_and_lists_are_refused_with_the_limit() {
        let long = "x".repeat(MAX_LINE_CHARS + 1);
        let text = ClientDetails::from_toml_str(&format!("name = \"{long}\"\n"), "c.toml")
            .expect_err("long name")
            .to_string();
        assert!(
            text.contains("name is 201 characters long; the limit is 200"),
            "{text}"
        );
        let lines = vec!["\"a\""; MAX_LIST_ITEMS + 1].join(", ");
        let text = ClientDetails::from_toml_str(
            &format!("name = \"A B\"\naddress = [{lines}]\n"),
            "c.toml",
        )
        .expect_err("many lines")
        .to_string();
        assert!(
            text.contains("address has 21 entries; the limit is 20"),
            "{text}"
        );
        assert!(
            ClientDetails::from_toml_str(&format!("name = \"{}\"\n", "é".repeat(200)), "c").is_ok(),
            "the limit counts characters, not bytes"
        );
    }

    #[test]
    fn adviser_file_may_be_bare_or_a_table() {
        let bare = AdviserDetails::from_toml_str("name = \"Sam Adviser\"\n", "a").expect("bare");
        let table = AdviserDetails::from_toml_str("[adviser]\nname = \"Sam Adviser\"\n", "a")
            .expect("table");
        assert_eq!(bare, table);
    }
}
