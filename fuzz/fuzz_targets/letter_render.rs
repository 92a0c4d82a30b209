//! Letters for arbitrary client and adviser details: every template, any organisation it
//! can go to, composed and rendered as text and as a PDF. A refusal to compose is fine;
//! a panic is not, no letter may carry an unfilled template marker, the client's name
//! must be in it whole, and a reply date must come after the letter's date.
#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;
use sanctuary::calendar::deadline::Clock;
use sanctuary::calendar::holidays::Nation;
use sanctuary::casework::standing::previous_request_from_clock;
use sanctuary::letter::{
    AdviserDetails, Catalogue, ClientDetails, HomeOfficeRequestType, LetterRequest, PreviousReply,
    ReplyTo, compose, render_pdf, render_text,
};

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::embedded().expect("the embedded catalogue loads"))
}

/// A day from 1900 to 2100, the years a typed date may have.
#[derive(Debug, Clone, Copy)]
struct Day(NaiveDate);

impl<'a> Arbitrary<'a> for Day {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let first = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a real date");
        let last = NaiveDate::from_ymd_opt(2100, 12, 31).expect("a real date");
        let span = (last - first).num_days() as u32;
        let offset = u.int_in_range(0..=span)?;
        Ok(Day(first + Days::new(u64::from(offset))))
    }
}

#[derive(Debug, Arbitrary)]
struct Adviser {
    name: String,
    organisation: Option<String>,
    role: Option<String>,
    address: Vec<String>,
    postcode: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    reference: Option<String>,
}

impl Adviser {
    fn details(self) -> AdviserDetails {
        AdviserDetails {
            name: self.name,
            organisation: self.organisation,
            role: self.role,
            address: self.address,
            postcode: self.postcode,
            email: self.email,
            phone: self.phone,
            reference: self.reference,
        }
    }
}

#[derive(Debug, Arbitrary)]
struct Client {
    name: String,
    other_names: Vec<String>,
    date_of_birth: Option<Day>,
    address: Vec<String>,
    postcode: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    nationality: Option<String>,
    home_office_ref: Option<String>,
    port_ref: Option<String>,
    nhs_number: Option<String>,
    ni_number: Option<String>,
    police_ref: Option<String>,
    reply_to_adviser: bool,
    adviser: Option<Adviser>,
    /// Bodies said to know the client's address (ids, mostly not real ones).
    address_known_to: Vec<String>,
}

impl Client {
    fn details(self) -> ClientDetails {
        ClientDetails {
            name: self.name,
            other_names: self.other_names,
            date_of_birth: self.date_of_birth.map(|d| d.0),
            address: self.address,
            postcode: self.postcode,
            email: self.email,
            phone: self.phone,
            nationality: self.nationality,
            home_office_ref: self.home_office_ref,
            port_ref: self.port_ref,
            nhs_number: self.nhs_number,
            ni_number: self.ni_number,
            police_ref: self.police_ref,
            reply_to: if self.reply_to_adviser {
                ReplyTo::Adviser
            } else {
                ReplyTo::Client
            },
            adviser: self.adviser.map(Adviser::details),
            address_known_to: self.address_known_to,
        }
    }
}

#[derive(Debug, Arbitrary)]
struct Input {
    template: u8,
    organisation: u8,
    client: Client,
    adviser: Option<Adviser>,
    recipient_name: Option<String>,
    recipient_address: Vec<String>,
    period: Option<(Day, Day)>,
    sent: Day,
    expected_receipt: Option<Day>,
    nation: u8,
    home_office_sharing: bool,
    request_type: Option<u8>,
    named_documents: Vec<String>,
    previous_sent: Option<Day>,
    previous_received: Option<Day>,
    previous_reply: Option<(Day, Vec<String>, bool)>,
    complaint_points: Vec<String>,
    chronology: Vec<(Day, String)>,
    about: Option<u8>,
    about_name: Option<String>,
    their_reference: Option<String>,
    pdf: bool,
}

/// Markers of template syntax that must never reach a reader, unless a person typed them
/// (text typed into a detail is plain text, printed as it is).
const MARKERS: [&str; 3] = ["{{", "{%", "{#"];

fuzz_target!(|input: Input| {
    let cat = catalogue();
    let templates = cat.templates();
    let template = &templates[usize::from(input.template) % templates.len()];
    let all: Vec<&str> = cat.organisations().iter().map(|o| o.id.as_str()).collect();
    let allowed: Vec<&str> = if template.organisations.is_empty() {
        all.clone()
    } else {
        template.organisations.iter().map(String::as_str).collect()
    };
    let organisation = allowed[usize::from(input.organisation) % allowed.len()];

    let mut request = LetterRequest::new(
        &template.id,
        organisation,
        input.client.details(),
        input.sent.0,
    );
    request.adviser = input.adviser.map(Adviser::details);
    request.recipient_name = input.recipient_name;
    request.recipient_address = input.recipient_address;
    request.period = input.period.map(|(a, b)| (a.0, b.0));
    request.expected_receipt = input.expected_receipt.map(|d| d.0);
    request.nation = Nation::ALL[usize::from(input.nation) % Nation::ALL.len()];
    if input.home_office_sharing {
        request.facts = BTreeMap::from([("home_office_sharing".into(), "possible".into())]);
    }
    request.home_office_request_type = input.request_type.map(|t| match t % 3 {
        0 => HomeOfficeRequestType::Basic,
        1 => HomeOfficeRequestType::Specific,
        _ => HomeOfficeRequestType::Detailed,
    });
    request.named_documents = input.named_documents;
    // An earlier request as the case store would describe it on the letter's date.
    let earlier = Clock {
        sent: input.previous_sent.map(|d| d.0),
        received: input.previous_received.map(|d| d.0),
        ..Clock::unsent(request.nation)
    };
    request.previous_request = previous_request_from_clock(&earlier, request.sent)
        .ok()
        .flatten();
    request.previous_reply = input
        .previous_reply
        .map(|(received, missing, exemption_cited)| PreviousReply {
            received: received.0,
            missing,
            exemption_cited,
        });
    request.complaint_points = input.complaint_points;
    request.chronology = input
        .chronology
        .into_iter()
        .map(|(d, s)| (d.0, s))
        .collect();
    request.about = input
        .about
        .map(|i| all[usize::from(i) % all.len()].to_string());
    request.about_name = input.about_name;
    request.their_reference = input.their_reference;

    let name = request.client.name.clone();
    let typed = format!("{request:?}");
    let letter = match compose(&request, cat) {
        Ok(letter) => letter,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let text = render_text(&letter);
    for marker in MARKERS {
        if !typed.contains(marker) {
            assert!(!text.contains(marker), "{marker} in the letter:\n{text}");
        }
    }
    assert!(!letter.blocks.is_empty());
    // The client's name is in the letter whole (wrapping only adds line breaks).
    let compact = |t: &str| t.split_whitespace().collect::<String>();
    assert!(
        compact(&text).contains(&compact(&name)),
        "{name:?} is not in the letter:\n{text}"
    );
    if let Some(reply_by) = &letter.reply_by {
        assert!(
            reply_by.due > letter.date,
            "reply due {} for a letter of {}",
            reply_by.due,
            letter.date
        );
    }
    if input.pdf {
        match render_pdf(&letter) {
            Ok(bytes) => assert!(bytes.starts_with(b"%PDF-"), "not a PDF"),
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
});
