//! Scenario tests for the letters module: every template for the fixture
//! clients, checked through the PDF's extracted text.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;

pub(super) const LUKASZ: &str = include_str!("../../../tests/fixtures/clients/lukasz.toml");
const IOANA: &str = include_str!("../../../tests/fixtures/clients/ioana.toml");
const ALEXANDROS: &str = include_str!("../../../tests/fixtures/clients/alexandros.toml");
pub(super) const OLENA: &str = include_str!("../../../tests/fixtures/clients/olena.toml");
const NO_DOB: &str = include_str!("../../../tests/fixtures/clients/no-date-of-birth.toml");
const ADVISER: &str = include_str!("../../../tests/fixtures/clients/adviser.toml");

/// An earlier request known by its dates, as its standing reads it on `on`.
fn previous(
    sent: NaiveDate,
    received: Option<NaiveDate>,
    on: NaiveDate,
) -> Option<crate::letter::PreviousRequest> {
    let clock = crate::calendar::deadline::Clock {
        sent: Some(sent),
        received,
        ..crate::calendar::deadline::Clock::unsent(crate::calendar::holidays::Nation::EnglandWales)
    };
    crate::casework::standing::previous_request_from_clock(&clock, on).expect("dates")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn client(text: &str) -> ClientDetails {
    ClientDetails::from_toml_str(text, "fixture.toml").expect("fixture parses")
}

fn catalogue() -> Catalogue {
    Catalogue::embedded().expect("embedded catalogue loads")
}

/// A request for any template/organisation pair with everything filled in.
pub(super) fn full_request(template: &str, org: &str, who: &str) -> LetterRequest {
    let mut r = LetterRequest::new(template, org, client(who), date(2026, 11, 23));
    let cat = catalogue();
    let o = cat.organisation(org).expect("org");
    if o.name_needed.is_some() {
        r.recipient_name = Some("Test Body Ltd".to_string());
    }
    if o.postal_address().is_none() {
        r.recipient_address = vec![
            "1 Test Street".to_string(),
            "Testtown".to_string(),
            "TE1 1ST".to_string(),
        ];
    }
    let kind = cat.template(template).map(|t| t.kind);
    if r.effective_adviser().is_none() && kind == Some(LetterKind::Authority) {
        r.adviser = Some(AdviserDetails::from_toml_str(ADVISER, "adviser.toml").expect("adviser"));
    }
    if r.effective_adviser().is_none() {
        // A client writing for themselves gives their own address to reply to.
        r.facts
            .insert("address_known_to_body".to_string(), "yes".to_string());
    }
    r.period = Some((date(2019, 1, 1), date(2026, 11, 1)));
    r.home_office_request_type = Some(HomeOfficeRequestType::Detailed);
    r.previous_request = previous(date(2026, 9, 1), None, r.sent);
    r.complaint_points = vec!["No reply has been received.".to_string()];
    r.chronology = vec![(date(2026, 9, 1), "Subject access request sent.".to_string())];
    if org == "ico" {
        r.about = Some("home-office".to_string());
    }
    r
}

fn pdf_text(letter: &Letter) -> String {
    let bytes = render_pdf(letter).expect("PDF renders");
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("PDF text extracts");
    squash(&text)
}

/// Whitespace-insensitive text, so wrapped lines still match.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pairs(cat: &Catalogue) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in cat.templates() {
        let orgs: Vec<String> = if t.organisations.is_empty() {
            vec![if t.kind == LetterKind::Request {
                "other".to_string()
            } else {
                "home-office".to_string()
            }]
        } else {
            t.organisations.clone()
        };
        for o in orgs {
            out.push((t.id.clone(), o));
        }
    }
    out
}

#[test]
fn embedded_catalogue_has_every_template_and_organisation() {
    let cat = catalogue();
    for id in TEMPLATE_IDS {
        assert!(cat.template(id).is_some(), "missing template {id}");
    }
    for id in [
        "home-office",
        "hm-passport-office",
        "police-force",
        "acro",
        "gp-practice",
        "nhs-trust",
        "dwp",
        "hmrc",
        "local-authority",
        "employer",
        "landlord",
        "bank",
        "dvla",
        "school",
        "em-contractor",
        "ico",
        "other",
    ] {
        assert!(cat.organisation(id).is_some(), "missing organisation {id}");
    }
}

#[test]
fn only_the_home_office_and_its_parts_can_use_the_immigration_exemption() {
    let cat = catalogue();
    let with: Vec<&str> = cat
        .organisations()
        .iter()
        .filter(|o| o.immigration_exemption)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(with, vec!["home-office", "hm-passport-office"]);
}

#[test]
fn every_template_renders_for_every_fixture_client_with_names_intact() {
    let cat = catalogue();
    for (template, org) in pairs(&cat) {
        for fixture in [LUKASZ, IOANA, ALEXANDROS, OLENA] {
            let request = full_request(&template, &org, fixture);
            let letter =
                compose(&request, &cat).unwrap_or_else(|e| panic!("{template} to {org}: {e}"));
            let text = pdf_text(&letter);
            assert!(
                text.contains(&request.client.name),
                "{template}/{org}: name missing in {text}"
            );
            for marker in ["{{", "}}", "{%", "%}", " none ", "None"] {
                assert!(
                    !text.contains(marker),
                    "{template}/{org}: {marker:?} in {text}"
                );
            }
            let plain = render_text(&letter);
            assert!(plain.contains(&request.client.name));
            assert!(!plain.contains("{{") && !plain.contains("{%"));
        }
    }
}

/// Text a person typed is text: a `{{` in a name or an address is never taken for an
/// unfilled part of the template, and never blocks the letter.
#[test]
fn braces_in_a_clients_details_are_just_text_and_never_block_a_letter() {
    let cat = catalogue();
    let who = "name = \"Ann {{ 7*7 }} Smith\"\naddress = [\"Flat {% 2 %}\", \"None Street\"]\n\
               postcode = \"CR0 2WF\"\ndate_of_birth = \"1990-01-01\"\n";
    let request = full_request("sar-generic", "dwp", who);
    let letter = compose(&request, &cat).unwrap_or_else(|e| panic!("{e}"));
    let text = render_text(&letter);
    assert!(text.contains("Ann {{ 7*7 }} Smith"), "{text}");
    assert!(text.contains("Flat {% 2 %}"), "{text}");
}

#[test]
fn home_office_letter_carries_the_paragraph_4a_questions_and_the_reply_date() {
    let cat = catalogue();
    let request = full_request("sar-home-office", "home-office", LUKASZ);
    let letter = compose(&request, &cat).expect("composes");
    let text = pdf_text(&letter);
    for needed in [
        "Article 15 of the UK GDPR",
        "paragraph 4 of Schedule 2 to the Data Protection Act 2018",
        "(a) maintaining effective immigration control",
        "paragraph 4A(2)(a) to (c) requires",
        "case by case",
        "paragraph 4A(3) requires",
        "(4A(3)(a))",
        "(4A(3)(b))",
        "separately for each right",
        "afresh for this request",
        "vulnerability",
        "Convention rights",
        "4A(3)(c)",
        "section 55 of the Borders, Citizenship and Immigration Act 2009",
        "paragraph 4A(4)",
        "substantial risk",
        "outweighs",
        "necessary and proportionate",
        "paragraph 4B(1)",
        "paragraph 4B(2)",
        "rather than holding back whole documents",
        "everything the exemption does not cover",
        "SI 2024/342",
        "8 March 2024",
        "inaccurate data corrected (Article 16",
        "the right to complain to the Information Commissioner's Office",
        "the safeguards that protect it",
        // Posted Monday 23 November 2026, received Wednesday 25th; 25 December
        // is Christmas Day and 28th the Boxing Day substitute, so Tuesday 29th.
        "29 December 2026",
        "25 November 2026",
        "Subject Access Request Unit (SARU)",
        "2 Ruskin Square",
        "CR0 2WF",
        "Z1234567",
        "LHR/2019/0042",
        "12 April 1988",
        "1 January 2019",
        "Sam Okafor",
        "Our reference: NMA/2026/118",
        "Page 1 of",
        "A letter of authority signed by Łukasz Żółć-Nguyễn",
    ] {
        assert!(text.contains(needed), "missing {needed:?} in {text}");
    }
    // The Home Office is not said to know where the client lives: no home address.
    for absent in ["Flat 2", "LS2 7HX"] {
        assert!(!text.contains(absent), "{absent:?} in {text}");
    }
}

#[test]
fn letters_to_other_bodies_never_say_they_may_use_the_exemption() {
    let cat = catalogue();
    for (template, org) in pairs(&cat) {
        if cat
            .organisation(&org)
            .is_some_and(|o| o.immigration_exemption)
            || org == "ico"
        {
            continue;
        }
        for sharing in [false, true] {
            let mut request = full_request(&template, &org, IOANA);
            if sharing {
                request
                    .facts
                    .insert("home_office_sharing".into(), "possible".into());
            }
            let text = pdf_text(&compose(&request, &cat).expect("composes"));
            for banned in [
                "may rely",
                "can rely",
                "entitled to rely",
                "you rely on paragraph",
            ] {
                assert!(!text.contains(banned), "{template}/{org}: {banned:?}");
            }
            if text.contains("immigration exemption") && template != "complaint-controller" {
                assert!(
                    text.contains(
                        "applied only to personal data processed by the Secretary of State"
                    ),
                    "{template}/{org} mentions the exemption without saying only the Home Office has it"
                );
            }
            if sharing && template.starts_with("sar-") {
                assert!(text.contains("every disclosure"), "{template}/{org}");
                assert!(text.contains("31 January 2022"), "{template}/{org}");
                assert!(text.contains("SI 2022/76"), "{template}/{org}");
            }
        }
    }
}

#[test]
fn reply_to_adviser_keeps_the_home_address_out_of_the_reply_address() {
    let cat = catalogue();
    let request = full_request("sar-generic", "local-authority", OLENA);
    let letter = compose(&request, &cat).expect("composes");
    assert!(!letter.sender.iter().any(|l| l.contains("Larch Close")));
    let text = pdf_text(&letter);
    assert_eq!(text.matches("41 Larch Close").count(), 1, "{text}");
    assert!(text.contains(
        "Home address (for identification only; please do not write to it): 41 Larch Close"
    ));
    assert!(text.contains("Please send the reply and the data to me, Maya Reid, Safe Haven Advice, at PO Box 123, Birmingham, B1 1AA"));
    assert!(text.contains("Please do not send anything to my client's home address"));
    // The client's own phone number is not offered as a contact.
    assert!(!text.contains("07700 900456"));
    // The authority the client signs is sent care of the adviser, too.
    let authority = full_request("authority", "local-authority", OLENA);
    let letter = compose(&authority, &cat).expect("composes");
    assert!(
        letter
            .sender
            .iter()
            .any(|l| l.starts_with("c/o Safe Haven Advice"))
    );
    let text = pdf_text(&letter);
    assert_eq!(text.matches("41 Larch Close").count(), 1, "{text}");
    assert!(text.contains("Signature:"));
}

#[test]
fn missing_fields_are_all_named() {
    let cat = catalogue();
    let request = LetterRequest::new(
        "sar-home-office",
        "home-office",
        client(NO_DOB),
        date(2026, 11, 23),
    );
    let err = compose(&request, &cat).expect_err("must fail").to_string();
    for needed in ["date_of_birth", "nationality", "--request-type", "address"] {
        assert!(err.contains(needed), "{needed:?} not named in: {err}");
    }
    let request = LetterRequest::new(
        "sar-police",
        "police-force",
        client(IOANA),
        date(2026, 11, 23),
    );
    let err = compose(&request, &cat).expect_err("must fail");
    let LetterError::MissingFields { missing, .. } = &err else {
        panic!("{err}")
    };
    // Each missing detail says which it is, for a form to point at its field.
    let needed: Vec<&Needed> = missing.iter().map(|m| &m.needed).collect();
    // Writing for herself, the client cannot ask the police to reply to a home
    // address the letter leaves out: an adviser is needed too.
    assert_eq!(
        needed,
        [
            &Needed::AdviserForReplies,
            &Needed::RecipientName,
            &Needed::RecipientAddress
        ]
    );
    let err = err.to_string();
    assert!(
        err.contains("--to-name") && err.contains("--to-address"),
        "{err}"
    );
    let mut replies_to_adviser = client(IOANA);
    replies_to_adviser.reply_to = ReplyTo::Adviser;
    let request = LetterRequest::new(
        "sar-home-office",
        "home-office",
        replies_to_adviser,
        date(2026, 11, 23),
    );
    let Err(LetterError::MissingFields { missing, .. }) = compose(&request, &cat) else {
        panic!("replies to an adviser need one")
    };
    assert!(
        missing
            .iter()
            .any(|m| m.needed == Needed::AdviserForReplies),
        "{missing:?}"
    );
    assert!(
        missing
            .iter()
            .any(|m| m.needed == Needed::Requirement("home_office_request_type".into())),
        "{missing:?}"
    );
}

#[test]
fn a_specific_home_office_request_lists_up_to_five_documents() {
    let cat = catalogue();
    let mut request = full_request("sar-home-office", "home-office", IOANA);
    request.home_office_request_type = Some(HomeOfficeRequestType::Specific);
    let err = compose(&request, &cat)
        .expect_err("no documents")
        .to_string();
    assert!(err.contains("--document"), "{err}");
    request.named_documents = vec![
        "Refusal letter dated 2 March 2025".into(),
        "Interview record".into(),
    ];
    let text = pdf_text(&compose(&request, &cat).expect("composes"));
    assert!(
        text.contains("Refusal letter dated 2 March 2025") && text.contains("specific request")
    );
    request.named_documents = (1..=6).map(|i| format!("Document {i}")).collect();
    assert!(compose(&request, &cat).is_err());
}

#[test]
fn police_letter_uses_section_45_and_article_15() {
    let cat = catalogue();
    let request = full_request("sar-police", "police-force", ALEXANDROS);
    let text = pdf_text(&compose(&request, &cat).expect("composes"));
    for needed in [
        "section 45 of the Data Protection Act 2018",
        "Article 15 of the UK GDPR",
        "section 45(5)",
        "SWP-2025-77812",
        "Test Body Ltd",
    ] {
        assert!(text.contains(needed), "missing {needed:?}");
    }
    let acro = full_request("sar-police", "acro", ALEXANDROS);
    let text = pdf_text(&compose(&acro, &cat).expect("composes"));
    assert!(text.contains("Police National Computer") && text.contains("official capacity"));
}

#[test]
fn complaints_cite_section_164a_and_the_ico_as_information_commission() {
    let cat = catalogue();
    let request = full_request("complaint-controller", "home-office", LUKASZ);
    let text = pdf_text(&compose(&request, &cat).expect("composes"));
    assert!(
        text.contains("section 164A")
            && text.contains("within the period of 30 days beginning with the day you receive it")
            && text.contains("19 June 2026"),
        "{text}"
    );
    // Posted Monday 23 November, expected Wednesday 25th: the 30 days end on
    // 24 December.
    assert!(
        text.contains("by 24 December 2026 if it reaches you on 25 November 2026"),
        "{text}"
    );
    assert!(text.contains("which is being replaced by the Information Commission"));
    let mut request = full_request("complaint-ico", "ico", LUKASZ);
    request.recipient_address.clear();
    let letter = compose(&request, &cat).expect("composes");
    let text = pdf_text(&letter);
    assert!(text.contains("the ICO, which is being replaced by the Information Commission"));
    assert!(!text.contains("(Information Commission)"), "{text}");
    // The ICO's postal address is no longer certain: the letter goes through its form.
    assert!(!text.contains("Wycliffe House") && !text.contains("SK9 5AF"));
    assert!(
        letter
            .recipient
            .iter()
            .any(|l| l == "Sent through its online form at ico.org.uk"),
        "{:?}",
        letter.recipient
    );
    assert!(text.contains("1 September 2026: Subject access request sent."));
    // An address the adviser gives is used instead.
    let mut posted = full_request("complaint-ico", "ico", LUKASZ);
    posted.recipient_address = vec!["1 New Street".into(), "Manchester".into()];
    let letter = compose(&posted, &cat).expect("composes");
    assert_eq!(letter.recipient[1], "1 New Street");
}

#[test]
fn chaser_refuses_before_the_reply_date_has_passed() {
    let cat = catalogue();
    let mut request = full_request("chaser", "home-office", LUKASZ);
    request.previous_request = previous(date(2026, 11, 2), None, request.sent);
    let err = compose(&request, &cat)
        .expect_err("not overdue")
        .to_string();
    assert!(err.contains("not overdue"), "{err}");
}

#[test]
fn unknown_organisation_and_template_are_named() {
    let cat = catalogue();
    let r = LetterRequest::new("sar-generic", "nowhere", client(IOANA), date(2026, 11, 23));
    assert!(
        compose(&r, &cat)
            .expect_err("bad org")
            .to_string()
            .contains("nowhere")
    );
    let r = LetterRequest::new("sar-nothing", "other", client(IOANA), date(2026, 11, 23));
    assert!(
        compose(&r, &cat)
            .expect_err("bad template")
            .to_string()
            .contains("sar-nothing")
    );
}

#[test]
fn pdf_is_small_has_metadata_and_pages_footers() {
    let cat = catalogue();
    let letter =
        compose(&full_request("sar-home-office", "home-office", OLENA), &cat).expect("composes");
    let bytes = render_pdf(&letter).expect("renders");
    assert!(bytes.len() <= 40 * 1024, "PDF is {} bytes", bytes.len());
    let doc = lopdf::Document::load_mem(&bytes).expect("parses");
    let info = super::pdf_tests::info(&doc);
    assert!(info.has(b"Title") && info.has(b"Author"));
    let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("pages");
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} of {n}", i + 1)),
            "footer on page {}",
            i + 1
        );
    }
}

#[test]
fn long_letter_keeps_headings_and_signature_with_their_text() {
    let cat = catalogue();
    let mut request = full_request("complaint-controller", "employer", LUKASZ);
    request.complaint_points = (1..=40)
        .map(|i| format!("Point {i}: the reply left out records that were plainly held, and no reason was given for leaving them out."))
        .collect();
    let letter = compose(&request, &cat).expect("composes");
    let bytes = render_pdf(&letter).expect("renders");
    let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("pages");
    assert!(pages.len() >= 2);
    let headings: Vec<String> = letter
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(h) => Some(h.clone()),
            _ => None,
        })
        .collect();
    for page in &pages {
        let lines: Vec<&str> = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        // The last line before the footer is never a heading.
        let before_footer = lines.iter().rev().find(|l| !l.starts_with("Page "));
        if let Some(last) = before_footer {
            assert!(
                !headings.iter().any(|h| h == last),
                "heading stranded: {last}"
            );
        }
    }
    // The sign-off, the signature and at least the end of the text share a page.
    let signed = pages
        .iter()
        .find(|p| p.contains("Yours faithfully"))
        .expect("a page with the sign-off");
    assert!(signed.contains("Sam Okafor"));
    let before: Vec<&str> = signed
        .split("Yours faithfully")
        .next()
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(before.len() >= 2, "the sign-off starts a page on its own");
}

#[test]
fn exemption_note_explains_which_case_applies() {
    let cat = catalogue();
    let mut facts = BTreeMap::new();
    let ho = cat.exemption_note(cat.organisation("home-office").expect("org"), &facts);
    assert_eq!(ho.case, ExemptionCase::HomeOffice);
    assert_eq!(
        ho.summary,
        "Immigration exemption: the Home Office is the only body that can use it."
    );
    let employer = cat.organisation("employer").expect("org");
    assert_eq!(
        cat.exemption_note(employer, &facts).case,
        ExemptionCase::OtherBody
    );
    facts.insert("home_office_sharing".to_string(), "possible".to_string());
    let note = cat.exemption_note(employer, &facts);
    assert_eq!(
        note.case,
        ExemptionCase::OtherBodyMayHaveSharedWithHomeOffice
    );
    assert!(note.to_string().contains("31 January 2022"));
}

#[test]
fn every_template_names_a_reply_date_rule_or_is_not_a_request() {
    let cat = catalogue();
    let letter = compose(&full_request("sar-nhs", "gp-practice", IOANA), &cat).expect("composes");
    let text = pdf_text(&letter);
    assert!(text.contains("day one") && text.contains("29 December 2026"));
    assert!(text.contains("NHS number: 401 023 2137"));
}

#[test]
fn compose_and_render_is_fast_enough() {
    let cat = catalogue();
    let request = full_request("sar-home-office", "home-office", LUKASZ);
    render_pdf(&compose(&request, &cat).expect("composes")).expect("warm-up");
    let start = std::time::Instant::now();
    for _ in 0..5 {
        render_pdf(&compose(&request, &cat).expect("composes")).expect("renders");
    }
    let each = start.elapsed() / 5;
    // Debug builds are slow; the release figure is reported separately.
    assert!(each.as_millis() < 2000, "{each:?}");
}

#[test]
fn a_letters_folder_with_a_typo_is_reported_with_its_position() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        tmp.path().join("organisations.toml"),
        "[[organisation]]\nid = \"x\"\nnmae = \"typo\"\n",
    )
    .expect("write");
    let err = Catalogue::from_dir(tmp.path())
        .expect_err("typo")
        .to_string();
    assert!(
        err.contains("organisations.toml:3:1") && err.contains("nmae"),
        "{err}"
    );
}

#[test]
fn every_shipped_template_compiles_when_loaded_from_its_folder() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../letter-templates");
    let catalogue = Catalogue::from_dir(&dir).expect("the shipped templates compile");
    assert_eq!(
        catalogue.templates().len(),
        crate::letter::TEMPLATE_IDS.len()
    );
}

#[test]
fn many_letters_render_in_order_across_threads() {
    let text = include_str!("../../../tests/fixtures/clients/ioana.toml");
    let client = ClientDetails::from_toml_str(text, "ioana.toml").unwrap();
    let catalogue = Catalogue::embedded().unwrap();
    let sent = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let letters: Vec<_> = ["dwp", "em-contractor", "dwp", "em-contractor"]
        .iter()
        .map(|org| {
            let template = if *org == "dwp" {
                "sar-dwp-hmrc"
            } else {
                "sar-electronic-monitoring"
            };
            compose(
                &LetterRequest::new(template, org, client.clone(), sent),
                &catalogue,
            )
            .unwrap()
        })
        .collect();
    let pdfs = crate::letter::render_pdfs(&letters);
    assert_eq!(pdfs.len(), 4);
    for (i, pdf) in pdfs.iter().enumerate() {
        let text = pdf_extract::extract_text_from_mem(pdf.as_ref().unwrap()).unwrap();
        let expected = if i % 2 == 0 {
            "Department for Work and Pensions"
        } else {
            "Serco"
        };
        assert!(
            text.contains(expected),
            "letter {i} is out of order:\n{text}"
        );
    }
}

/// A client with every identifier filled in, with values found nowhere else.
const EVERYTHING: &str = r#"
name = "Zofia Kowalczyk-Abebe"
other_names = ["Sofia Abebe"]
date_of_birth = "1990-02-14"
address = ["7 Quince Court", "Derby"]
postcode = "DE1 2QX"
email = "zofia@example.org"
phone = "07700 900777"
nationality = "Ruritanian"
home_office_ref = "K9988776"
port_ref = "MAN/2020/5531"
police_ref = "DBY-2026-40404"
nhs_number = "943 476 5919"
ni_number = "QQ 98 76 54 B"
reply_to = "client"
"#;

const HOME_OFFICE_ONLY: [&str; 3] = ["K9988776", "MAN/2020/5531", "Ruritanian"];

/// Every piece of text a letter carries: the body, the subject, the
/// enclosures, the PDF's title and subject metadata.
fn everything_in(letter: &Letter) -> String {
    let mut text = render_text(letter);
    text.push('\n');
    text.push_str(&letter.title);
    text.push('\n');
    text.push_str(&letter.all_text().join("\n"));
    text
}

fn every_fact() -> BTreeMap<String, String> {
    super::validate::EVERY_FACT
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn home_office_references_and_nationality_reach_only_the_home_office() {
    let cat = catalogue();
    let org_ids: Vec<String> = cat.organisations().iter().map(|o| o.id.clone()).collect();
    let mut rendered = 0;
    let mut rendered_templates = std::collections::BTreeSet::new();
    for template in cat.templates() {
        let needs_about = template.requires.iter().any(|r| r == "about");
        for org in &org_ids {
            let abouts: Vec<Option<&String>> = if needs_about || org == "ico" {
                org_ids.iter().map(Some).collect()
            } else {
                vec![None]
            };
            for about in abouts {
                for facts in [BTreeMap::new(), every_fact()] {
                    let mut request = full_request(&template.id, org, EVERYTHING);
                    request.about = about.cloned();
                    request.named_documents = vec!["Decision letter".into()];
                    request.facts = facts;
                    if request.effective_adviser().is_none() {
                        request.adviser = Some(
                            AdviserDetails::from_toml_str(ADVISER, "adviser.toml")
                                .expect("adviser"),
                        );
                    }
                    if let Some(a) = about
                        && cat.organisation(a).is_some_and(|o| o.name_needed.is_some())
                    {
                        request.about_name = Some("Named Body Ltd".into());
                    }
                    // Pairs a template cannot go to are refused, not written.
                    let Ok(letter) = compose(&request, &cat) else {
                        continue;
                    };
                    rendered += 1;
                    rendered_templates.insert(template.id.clone());
                    let recipient = cat.organisation(org).expect("org");
                    let text = everything_in(&letter);
                    if recipient.immigration_exemption {
                        continue;
                    }
                    for secret in HOME_OFFICE_ONLY {
                        assert!(
                            !text.contains(secret),
                            "{} to {org} (about {about:?}) carries {secret:?}:\n{text}",
                            template.id
                        );
                    }
                }
            }
        }
    }
    assert_eq!(
        rendered_templates.len(),
        cat.templates().len(),
        "every template was written to some body: {rendered_templates:?}"
    );
    assert!(rendered > 100, "only {rendered} letters were written");
    // The Home Office itself still gets them, in the subject line and the list.
    let letter = compose(
        &full_request("sar-home-office", "home-office", EVERYTHING),
        &cat,
    )
    .expect("composes");
    for secret in HOME_OFFICE_ONLY {
        assert!(everything_in(&letter).contains(secret), "{secret}");
    }
    assert!(letter.subject.contains("Home Office ref. K9988776"));
}

#[test]
fn subject_lines_to_other_bodies_carry_no_home_office_reference() {
    let cat = catalogue();
    for (template, org) in [
        ("sar-generic", "school"),
        ("sar-generic", "bank"),
        ("sar-generic", "local-authority"),
        ("sar-generic", "dvla"),
        ("sar-employer", "employer"),
        ("chaser", "local-authority"),
        ("complaint-controller", "bank"),
        ("authority", "employer"),
        ("sar-police", "police-force"),
    ] {
        let letter = compose(&full_request(template, org, EVERYTHING), &cat)
            .unwrap_or_else(|e| panic!("{template} to {org}: {e}"));
        assert!(
            !letter.subject.contains("Home Office ref") && !letter.subject.contains("port ref"),
            "{template} to {org}: {}",
            letter.subject
        );
    }
    // The police are sent their own reference, not the client's nationality.
    let letter = compose(
        &full_request("sar-police", "police-force", EVERYTHING),
        &cat,
    )
    .expect("police");
    let text = everything_in(&letter);
    assert!(text.contains("DBY-2026-40404") && !text.contains("Nationality"));
}

#[test]
fn serco_gets_the_home_office_reference_only_when_the_client_agrees() {
    let cat = catalogue();
    let mut request = full_request("sar-electronic-monitoring", "em-contractor", EVERYTHING);
    let text = everything_in(&compose(&request, &cat).expect("composes"));
    assert!(!text.contains("K9988776"), "{text}");
    request
        .facts
        .insert("share_home_office_ref".into(), "yes".into());
    let letter = compose(&request, &cat).expect("composes");
    let text = everything_in(&letter);
    assert!(text.contains("Home Office reference: K9988776"), "{text}");
    assert!(!text.contains("Ruritanian") && !text.contains("MAN/2020/5531"));
}

#[test]
fn every_shipped_organisation_says_what_it_may_receive() {
    let cat = catalogue();
    for org in cat.organisations() {
        let list = org.may_receive.as_ref().unwrap_or_else(|| {
            panic!("{} has no may_receive", org.id);
        });
        if !org.immigration_exemption {
            for key in ["nationality", "home_office_ref", "port_ref"] {
                assert!(!list.iter().any(|k| k == key), "{}: {key}", org.id);
            }
        }
    }
}

#[test]
fn an_organisations_file_may_not_send_home_office_identifiers_elsewhere() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../letter-templates");
    for entry in std::fs::read_dir(&dir).expect("templates") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, tmp.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let orgs = tmp.path().join("organisations.toml");
    let text = std::fs::read_to_string(&orgs).expect("read");
    let bad = text.replacen(
        r#"may_receive = ["other_names", "date_of_birth", "address", "email", "phone", "nhs_number"]"#,
        r#"may_receive = ["other_names", "date_of_birth", "address", "nationality", "home_office_ref"]"#,
        1,
    );
    assert_ne!(bad, text);
    std::fs::write(&orgs, bad).expect("write");
    let err = Catalogue::from_dir(tmp.path())
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("gp-practice") && err.contains("`nationality` goes only to the Home Office"),
        "{err}"
    );
    // An unconfirmed address may not be the one a letter is addressed to.
    let bad = text.replacen("primary = false\nconfirmed = false", "confirmed = false", 1);
    assert_ne!(bad, text);
    std::fs::write(&orgs, bad).expect("write");
    let err = Catalogue::from_dir(tmp.path())
        .expect_err("refused")
        .to_string();
    assert!(err.contains("ico: an unconfirmed contact"), "{err}");
}

#[test]
fn the_nhs_letter_asks_about_charging_and_the_department_only_when_charging_is_an_issue() {
    let cat = catalogue();
    let request = full_request("sar-nhs", "nhs-trust", IOANA);
    let without = pdf_text(&compose(&request, &cat).expect("composes"));
    for absent in [
        "NHS charges",
        "Department of Health and Social Care",
        "Disclosures to the Home Office",
    ] {
        assert!(!without.contains(absent), "{absent:?} in {without}");
    }
    let mut request = full_request("sar-nhs", "nhs-trust", IOANA);
    request.facts.insert("nhs_charging".into(), "yes".into());
    let with = pdf_text(&compose(&request, &cat).expect("composes"));
    for needed in [
        "## NHS charges".trim_start_matches("## "),
        "every record about charging me for NHS care",
        "every disclosure of my data to the Department of Health and Social Care",
        "Disclosures to the Home Office, whether made directly or through the Department, are asked for below.",
        "please list every disclosure of my data to the Home Office",
        "SI 2022/76",
    ] {
        assert!(with.contains(needed), "missing {needed:?} in {with}");
    }
    // Once, not twice: the Home Office disclosures are asked for in one place.
    assert_eq!(
        with.matches("every disclosure of my data to the Home Office")
            .count(),
        1
    );
    // Where the trust has already cited the exemption, the charging paragraph asks for both.
    request.facts.insert("exemption_cited".into(), "yes".into());
    let cited = pdf_text(&compose(&request, &cat).expect("composes"));
    assert!(
        cited.contains("and every disclosure to the Home Office, whether made directly or through the Department"),
        "{cited}"
    );
    assert!(!cited.contains("are asked for below"));
    // The adviser's note agrees that the letter asks about the Home Office.
    let note = cat.exemption_note(cat.organisation("nhs-trust").expect("org"), &request.facts);
    assert_eq!(
        note.case,
        ExemptionCase::OtherBodyMayHaveSharedWithHomeOffice
    );
}

#[test]
fn a_removed_tag_is_spoken_of_in_the_past() {
    let cat = catalogue();
    for org in ["home-office", "em-contractor"] {
        for adviser in [true, false] {
            let mut request = full_request("sar-electronic-monitoring", org, LUKASZ);
            if !adviser {
                request.client.adviser = None;
                // Writing for themselves, the client gives the address to reply to.
                request
                    .facts
                    .insert("address_known_to_body".into(), "yes".into());
            }
            request.facts.insert("tag_current".into(), "no".into());
            let text = pdf_text(&compose(&request, &cat).expect("composes"));
            assert!(
                text.contains("was fitted with an electronic monitoring"),
                "{text}"
            );
            for present in [
                " is fitted",
                " am fitted",
                "is wearing",
                "am wearing",
                "currently",
            ] {
                assert!(!text.contains(present), "{org}: {present:?} in {text}");
            }
            request.facts.insert("tag_current".into(), "yes".into());
            let text = pdf_text(&compose(&request, &cat).expect("composes"));
            assert!(text.contains(if adviser {
                "who is fitted"
            } else {
                "I am fitted"
            }));
        }
    }
}

#[test]
fn the_complaint_chaser_counts_30_days_from_receipt_and_points_to_the_ico() {
    let cat = catalogue();
    let mut request = full_request("complaint-chaser", "home-office", LUKASZ);
    request.previous_request = previous(date(2026, 6, 29), Some(date(2026, 7, 1)), request.sent);
    // Received 1 July: it must be acknowledged by 30 July, so no chaser that day.
    request.sent = date(2026, 7, 30);
    let err = compose(&request, &cat).expect_err("too early").to_string();
    assert!(err.contains("30 July 2026"), "{err}");
    request.sent = date(2026, 7, 31);
    let letter = compose(&request, &cat).expect("the day after");
    let text = pdf_text(&letter);
    for needed in [
        "section 164A",
        "within the period of 30 days beginning with the day you receive it: for this complaint, by 30 July 2026",
        "You received it on 1 July 2026",
        "No acknowledgement has arrived",
        "the next step is a complaint to the Information Commissioner's Office",
        "A copy of the complaint sent on 29 June 2026",
    ] {
        assert!(text.contains(needed), "missing {needed:?} in {text}");
    }
    for wrong in ["one-month", "one month", "time limit has passed", "overdue"] {
        assert!(!text.contains(wrong), "{wrong:?} in {text}");
    }
    // Acknowledged: it asks for the outcome, and may go before the 30 days end.
    request.sent = date(2026, 7, 10);
    request
        .facts
        .insert("complaint_acknowledged".into(), "yes".into());
    let text = pdf_text(&compose(&request, &cat).expect("acknowledged"));
    assert!(
        text.contains("You have acknowledged the complaint"),
        "{text}"
    );
    assert!(!text.contains("acknowledge the complaint now"));
    // Section 164A does not reach a complaint received before 19 June 2026.
    request.previous_request = previous(date(2026, 6, 16), Some(date(2026, 6, 18)), request.sent);
    let err = compose(&request, &cat).expect_err("too old").to_string();
    assert!(err.contains("19 June 2026"), "{err}");
}

#[test]
fn the_rectification_request_cites_article_16_and_the_limits_of_the_exemption() {
    let cat = catalogue();
    let mut request = full_request("rectification-home-office", "home-office", LUKASZ);
    request.complaint_points =
        vec!["Date of birth recorded as 12 April 1989; it is 12 April 1988.".into()];
    let letter = compose(&request, &cat).expect("composes");
    let text = pdf_text(&letter);
    for needed in [
        "Article 16 of the UK GDPR",
        "incomplete personal data completed",
        "Date of birth recorded as 12 April 1989; it is 12 April 1988.",
        "does not extend to the right to have data corrected (Article 16)",
        "Article 19",
        "Please send the reply and the corrected records to me, Sam Okafor",
        "Z1234567",
    ] {
        assert!(text.contains(needed), "missing {needed:?} in {text}");
    }
    assert!(letter.reply_by.is_some());
    request.complaint_points.clear();
    let err = compose(&request, &cat)
        .expect_err("no corrections")
        .to_string();
    assert!(err.contains("what the record says now"), "{err}");
    assert!(
        compose(
            &full_request("rectification-home-office", "employer", LUKASZ),
            &cat
        )
        .is_err(),
        "only to the Home Office"
    );
}

#[test]
fn the_ico_consent_is_signed_by_the_client_and_covers_the_icos_letters() {
    let cat = catalogue();
    let mut request = full_request("consent-ico", "ico", OLENA);
    request.about = Some("employer".into());
    request.about_name = Some("Acme Ltd".into());
    let letter = compose(&request, &cat).expect("composes");
    assert!(letter.client_signs);
    assert_eq!(letter.signature, vec!["Олена Шевченко".to_string()]);
    let text = pdf_text(&letter);
    for needed in [
        "I, Олена Шевченко, agree that Maya Reid of Safe Haven Advice can complain",
        "about how Acme Ltd has handled my personal data",
        "send Maya Reid its letters and emails about the complaint",
        "I can take it back at any time",
        "Signature:",
    ] {
        assert!(text.contains(needed), "missing {needed:?} in {text}");
    }
    assert!(!text.contains("S1112223") && !text.contains("Ukrainian"));
    assert!(compose(&full_request("consent-ico", "home-office", OLENA), &cat).is_err());
}

#[test]
fn letters_to_the_police_cite_section_45_throughout() {
    let cat = catalogue();
    let chaser = pdf_text(
        &compose(&full_request("chaser", "police-force", ALEXANDROS), &cat).expect("chaser"),
    );
    assert!(
        chaser.contains("section 45(2) of the Data Protection Act 2018"),
        "{chaser}"
    );
    assert!(chaser.contains("Overdue request for personal data under section 45 DPA 2018"));
    assert!(!chaser.contains("Article 15(1)"), "{chaser}");
    let complaint = pdf_text(
        &compose(
            &full_request("complaint-controller", "acro", ALEXANDROS),
            &cat,
        )
        .expect("complaint"),
    );
    assert!(
        complaint
            .contains("request for personal data under section 45 of the Data Protection Act 2018"),
        "{complaint}"
    );
    let mut ico = full_request("complaint-ico", "ico", ALEXANDROS);
    ico.about = Some("police-force".into());
    ico.about_name = Some("South Wales Police".into());
    let text = pdf_text(&compose(&ico, &cat).expect("ico"));
    assert!(
        text.contains("request for personal data under section 45"),
        "{text}"
    );
    // And letters to everyone else keep Article 15.
    let chaser = pdf_text(&compose(&full_request("chaser", "dwp", IOANA), &cat).expect("chaser"));
    assert!(chaser.contains("Article 15 of the UK GDPR") && !chaser.contains("section 45"));
}

#[test]
fn requests_ask_for_the_right_to_complain_and_transfer_safeguards() {
    let cat = catalogue();
    let text = pdf_text(&compose(&full_request("sar-generic", "bank", IOANA), &cat).expect("x"));
    assert!(
        text.contains("the right to complain to the Information Commissioner's Office (the ICO)")
    );
    assert!(
        text.contains("for any of the data sent outside the UK, the safeguards that protect it")
    );
}

#[test]
fn the_pdf_is_dated_the_day_of_the_letter() {
    let cat = catalogue();
    let letter = compose(&full_request("sar-generic", "bank", IOANA), &cat).expect("x");
    let bytes = render_pdf(&letter).expect("renders");
    let doc = lopdf::Document::load_mem(&bytes).expect("parses");
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|r| doc.get_dictionary(r))
        .expect("an info dictionary");
    for key in [&b"CreationDate"[..], b"ModDate"] {
        let value = info.get(key).and_then(|v| v.as_str()).expect("a date");
        assert!(
            value.starts_with(b"D:20261123"),
            "{}: {}",
            String::from_utf8_lossy(key),
            String::from_utf8_lossy(value)
        );
    }
}

#[test]
fn adviser_notes_belong_to_the_bodies_they_are_shown_for() {
    let cat = catalogue();
    let text = |t: &LetterTemplate| t.adviser_notes.join(" ");
    for template in cat.templates() {
        for (word, org) in [("ACRO", "acro"), ("DWP", "dwp"), ("HMRC", "hmrc")] {
            if text(template).contains(word) {
                assert!(
                    template.organisations.iter().any(|o| o == org),
                    "{}: a note about {word} would be shown for unrelated bodies",
                    template.id
                );
            }
        }
    }
    // The source notes name real sources, not the brief's internal references.
    for org in cat.organisations() {
        for contact in &org.contacts {
            for internal in ["domain brief", "(S1", "(S2", "(S4", "(S5", " S4", " S5"] {
                assert!(
                    !contact.source.contains(internal),
                    "{}: {}",
                    org.id,
                    contact.source
                );
            }
        }
    }
}

#[test]
fn the_icos_old_postal_address_is_kept_only_as_unconfirmed() {
    let cat = catalogue();
    let ico = cat.organisation("ico").expect("ico");
    assert!(ico.postal_address().is_none());
    let wilmslow = ico
        .contacts
        .iter()
        .find(|c| c.address.iter().any(|l| l == "Wilmslow"))
        .expect("kept as data");
    assert!(!wilmslow.confirmed && !wilmslow.primary);
    assert!(
        wilmslow
            .label
            .as_deref()
            .is_some_and(|l| l.contains("check the current address"))
    );
    assert!(ico.online_form().is_some());
}

#[test]
fn the_advisers_own_none_is_not_taken_for_an_empty_field() {
    let cat = catalogue();
    let mut request = full_request("complaint-ico", "ico", LUKASZ);
    request.chronology = vec![(date(2026, 10, 5), "Reply due; none received.".into())];
    let text = pdf_text(&compose(&request, &cat).expect("the adviser's words stand"));
    assert!(text.contains("5 October 2026: Reply due; none received."));
}

#[test]
fn the_dwp_letter_says_its_form_is_enclosed_only_when_it_is() {
    let cat = catalogue();
    let mut request = full_request("sar-dwp-hmrc", "dwp", LUKASZ);
    let text = pdf_text(&compose(&request, &cat).expect("composes"));
    assert!(text.contains("Your own form for requests made by a representative is enclosed"));
    assert!(text.contains("DWP's request form for representatives, completed and signed"));
    request.facts.insert("dwp_form".into(), "no".into());
    let text = pdf_text(&compose(&request, &cat).expect("composes"));
    assert!(
        !text.contains("Your own form") && !text.contains("request form"),
        "{text}"
    );
}

/// The requests to correct, erase, restrict or object, which go to any body.
const RIGHTS_TEMPLATES: [&str; 4] = ["rectification", "erasure", "restriction", "objection"];

fn with_facts(mut request: LetterRequest, facts: &[(&str, &str)]) -> LetterRequest {
    for (k, v) in facts {
        request.facts.insert(k.to_string(), v.to_string());
    }
    request
}

#[test]
fn the_rights_letters_render_for_every_body_with_the_right_law() {
    let cat = catalogue();
    for template in RIGHTS_TEMPLATES {
        for org in cat.organisations() {
            for fixture in [LUKASZ, OLENA] {
                let request = full_request(template, &org.id, fixture);
                let letter = compose(&request, &cat)
                    .unwrap_or_else(|e| panic!("{template} to {}: {e}", org.id));
                let text = pdf_text(&letter);
                let plain = squash(&render_text(&letter));
                assert!(text.contains(&request.client.name), "{template}/{}", org.id);
                let article = match template {
                    "rectification" => "Article 16",
                    "erasure" => "Article 17",
                    "restriction" => "Article 18",
                    _ => "Article 21",
                };
                assert!(plain.contains(article), "{template}/{}: {plain}", org.id);
                assert!(plain.contains("within one month") || plain.contains("one month"));
                if org.law_enforcement && template != "objection" {
                    let section = if template == "rectification" {
                        "section 46"
                    } else {
                        "section 47"
                    };
                    assert!(plain.contains(section), "{template}/{}", org.id);
                    assert!(plain.contains("section 48") && plain.contains("section 54"));
                } else if !org.law_enforcement {
                    assert!(plain.contains("Article 12(3)"), "{template}/{}", org.id);
                }
                if template != "objection" {
                    assert!(plain.contains("Article 19"), "{template}/{}", org.id);
                }
                let home_office_rights = "can restrict the rights to erasure (Article 17), to restriction (Article 18) and to object (Article 21)";
                let asks_4a =
                    plain.contains(home_office_rights) && plain.contains("paragraph 4A(4)");
                assert_eq!(
                    asks_4a,
                    org.immigration_exemption && template != "rectification",
                    "{template}/{}: {plain}",
                    org.id
                );
                if org.immigration_exemption && template == "rectification" {
                    assert!(plain.contains("does not extend to the right to have data corrected"));
                }
                for marker in ["{{", "{%", " none ", "None"] {
                    assert!(!text.contains(marker), "{template}/{}: {marker}", org.id);
                }
            }
        }
    }
}

#[test]
fn the_rights_letters_say_what_is_missing_without_points() {
    let cat = catalogue();
    for template in RIGHTS_TEMPLATES.into_iter().chain(["charging-challenge"]) {
        let org = if template == "charging-challenge" {
            "nhs-trust"
        } else {
            "local-authority"
        };
        let mut request = full_request(template, org, LUKASZ);
        request.complaint_points.clear();
        let error = compose(&request, &cat).expect_err("no points").to_string();
        assert!(error.contains("--point"), "{template}: {error}");
    }
}

#[test]
fn the_charging_challenge_puts_ordinary_residence_first_and_asks_not_to_report() {
    let cat = catalogue();
    let request = full_request("charging-challenge", "nhs-trust", LUKASZ);
    let plain = squash(&render_text(&compose(&request, &cat).expect("composes")));
    for needed in [
        "regulation 2 of the National Health Service (Charges to Overseas Visitors) Regulations 2015 (SI 2015/238)",
        "not ordinarily resident",
        "must not be charged",
        "23 November 2022",
        "withdraw the charge",
        "not report any debt",
        "Article 16",
        "Article 19",
        "Article 12(3)",
    ] {
        assert!(plain.contains(needed), "{needed:?} missing: {plain}");
    }
    let residence = plain.find("ordinarily resident").expect("residence");
    let groups = plain.find("regulation 15").expect("exempt groups");
    assert!(residence < groups, "ordinary residence comes first");
    assert!(!plain.contains(&request.client.home_office_ref.clone().unwrap()));

    let only = |ground: &str| {
        let r = with_facts(
            full_request("charging-challenge", "nhs-trust", LUKASZ),
            &[("charging_ground", ground)],
        );
        squash(&render_text(&compose(&r, &cat).expect("composes")))
    };
    let resident = only("ordinarily_resident");
    assert!(resident.contains("regulation 2 of") && !resident.contains("regulation 15"));
    let exempt = only("exempt");
    assert!(exempt.contains("regulation 15") && !exempt.contains("regulation 2 of"));
    // Only to an NHS trust.
    let error = compose(
        &full_request("charging-challenge", "employer", LUKASZ),
        &cat,
    )
    .expect_err("not an NHS trust");
    assert!(error.to_string().contains("nhs-trust"));
}

#[test]
fn a_rectification_to_a_trust_about_a_reported_debt_asks_it_to_tell_the_department() {
    let cat = catalogue();
    let request = with_facts(
        full_request("rectification", "nhs-trust", LUKASZ),
        &[("nhs_charging", "yes")],
    );
    let plain = squash(&render_text(&compose(&request, &cat).expect("composes")));
    assert!(plain.contains("A debt reported in error"));
    assert!(plain.contains("tell the Department at once that the report was wrong"));
    let without = squash(&render_text(
        &compose(&full_request("rectification", "nhs-trust", LUKASZ), &cat).expect("composes"),
    ));
    assert!(!without.contains("A debt reported in error"));
}

/// The bodies the organisations file keeps the home address from unless they know it.
fn address_gated(cat: &Catalogue) -> Vec<String> {
    cat.organisations()
        .iter()
        .filter(|o| o.may_receive_with_consent.contains_key("address"))
        .map(|o| o.id.clone())
        .collect()
}

#[test]
fn no_police_or_home_office_letter_needs_or_prints_an_address_it_is_not_known_to_have() {
    let cat = catalogue();
    let gated = address_gated(&cat);
    for body in ["home-office", "hm-passport-office", "police-force", "acro"] {
        assert!(gated.contains(&body.to_string()), "{body} is not gated");
    }
    let org_ids: Vec<String> = cat.organisations().iter().map(|o| o.id.clone()).collect();
    let without_address: String = EVERYTHING
        .lines()
        .filter(|l| !l.starts_with("address") && !l.starts_with("postcode"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut written = 0;
    for template in cat.templates() {
        for org in &org_ids {
            // A letter to a gated body, or an ICO complaint about one.
            let abouts: Vec<Option<&String>> =
                if org == "ico" && template.requires.iter().any(|r| r == "about") {
                    gated.iter().map(Some).collect()
                } else if gated.contains(org) {
                    vec![None]
                } else {
                    continue;
                };
            for about in abouts {
                for said in [None, Some("no")] {
                    let request = |fixture: &str| {
                        let mut r = full_request(&template.id, org, fixture);
                        r.about = about.cloned();
                        r.named_documents = vec!["Decision letter".into()];
                        r.adviser = Some(
                            AdviserDetails::from_toml_str(ADVISER, "adviser.toml")
                                .expect("adviser"),
                        );
                        r.facts.remove("address_known_to_body");
                        if let Some(said) = said {
                            r.facts.insert("address_known_to_body".into(), said.into());
                        }
                        r
                    };
                    let Ok(letter) = compose(&request(EVERYTHING), &cat) else {
                        continue;
                    };
                    written += 1;
                    let text = everything_in(&letter) + &pdf_text(&letter);
                    for part in ["Quince Court", "DE1 2QX", "Derby"] {
                        assert!(
                            !text.contains(part),
                            "{} to {org} (about {about:?}) prints {part:?}:\n{text}",
                            template.id
                        );
                    }
                    // And the same letter is written for a client with no address at all.
                    compose(&request(&without_address), &cat).unwrap_or_else(|e| {
                        panic!("{} to {org} needs an address: {e}", template.id)
                    });
                }
            }
        }
    }
    assert!(written > 40, "only {written} letters were written");
}

#[test]
fn the_address_goes_only_when_the_adviser_says_the_body_knows_it_and_replies_go_to_the_adviser() {
    let cat = catalogue();
    let mut request = full_request("sar-home-office", "home-office", LUKASZ);
    let plain = squash(&render_text(&compose(&request, &cat).expect("composes")));
    assert!(!plain.contains("Orchard Row"), "{plain}");
    assert!(plain.contains("Please send the reply and the data to me, Sam Okafor"));
    request
        .facts
        .insert("address_known_to_body".into(), "yes".into());
    let plain = squash(&render_text(&compose(&request, &cat).expect("composes")));
    assert!(plain.contains("14 Orchard Row"), "{plain}");
    // A client writing for themselves to the police cannot be sent the reply at an
    // address the letter leaves out: the adviser is asked for.
    let mut alone = full_request("sar-police", "police-force", IOANA);
    alone.facts.remove("address_known_to_body");
    alone.adviser = None;
    alone.client.adviser = None;
    alone.client.reply_to = ReplyTo::Client;
    if let Err(LetterError::MissingFields { missing, .. }) = compose(&alone, &cat) {
        assert!(
            missing
                .iter()
                .any(|m| m.needed == Needed::AdviserForReplies)
        );
    } else {
        panic!("a letter to the police was written with replies to an address it leaves out");
    }
}

#[test]
fn the_police_letter_from_a_phone_route_asks_about_the_phone() {
    let cat = catalogue();
    let request = with_facts(
        full_request("sar-police", "police-force", LUKASZ),
        &[("device_seized", "yes")],
    );
    let plain = squash(&render_text(&compose(&request, &cat).expect("composes")));
    for needed in [
        "section 21 of the Police and Criminal Evidence Act 1984",
        "property records",
        "report of information extracted",
        "section 39",
        "what was copied from the device",
        "passed to, including the Home Office",
    ] {
        assert!(plain.contains(needed), "{needed:?} missing: {plain}");
    }
    let without = squash(&render_text(
        &compose(&full_request("sar-police", "police-force", LUKASZ), &cat).expect("composes"),
    ));
    assert!(!without.contains("section 21 of the Police and Criminal Evidence Act"));
}

#[test]
fn departments_whose_use_of_the_exemption_is_untested_are_asked_not_told() {
    let cat = catalogue();
    let untested: Vec<&str> = cat
        .organisations()
        .iter()
        .filter(|o| o.immigration_exemption_untested)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(untested, vec!["dwp", "dvla", "dfe"]);
    for org in ["dwp", "dvla", "dfe"] {
        let template = cat.organisation(org).expect("org").template.clone();
        for facts in [
            vec![],
            vec![("home_office_sharing", "possible")],
            vec![("exemption_cited", "yes")],
        ] {
            let request = with_facts(full_request(&template, org, LUKASZ), &facts);
            let plain = squash(&render_text(&compose(&request, &cat).expect("composes")));
            assert!(
                !plain.contains("no ground to withhold"),
                "{org} {facts:?}: {plain}"
            );
            assert!(
                plain.contains("apply paragraphs 4A and 4B"),
                "{org} {facts:?}: {plain}"
            );
        }
    }
    // HMRC is not a Secretary of State: it cannot use the exemption at all.
    let request = with_facts(
        full_request("sar-dwp-hmrc", "hmrc", LUKASZ),
        &[("home_office_sharing", "possible")],
    );
    let plain = squash(&render_text(&compose(&request, &cat).expect("composes")));
    assert!(plain.contains("no ground to withhold"));
    assert!(!plain.contains("apply paragraphs 4A and 4B"));
}

#[test]
fn requests_ask_what_was_searched_and_do_not_offer_the_search_limit() {
    let cat = catalogue();
    let plain = squash(&render_text(
        &compose(&full_request("sar-generic", "bank", LUKASZ), &cat).expect("composes"),
    ));
    assert!(!plain.contains("reasonable and proportionate"));
    assert!(plain.contains("which systems and files you searched"));
}

#[test]
fn complaints_name_the_court_remedies() {
    let cat = catalogue();
    for (template, org) in [
        ("complaint-controller", "home-office"),
        ("complaint-chaser", "local-authority"),
        ("complaint-ico", "ico"),
    ] {
        let mut request = full_request(template, org, LUKASZ);
        request.sent = date(2026, 11, 23);
        request.previous_request = previous(date(2026, 9, 1), None, request.sent);
        request
            .facts
            .insert("complaint_acknowledged".into(), "yes".into());
        let plain = squash(&render_text(
            &compose(&request, &cat).unwrap_or_else(|e| panic!("{template}: {e}")),
        ));
        for needed in ["section 167", "section 168", "Article 82", "distress"] {
            assert!(
                plain.contains(needed),
                "{template}: {needed:?} missing: {plain}"
            );
        }
    }
}

#[test]
fn the_employer_letter_asks_why_this_worker_was_chosen_for_a_check() {
    let cat = catalogue();
    let general = squash(&render_text(
        &compose(&full_request("sar-employer", "employer", LUKASZ), &cat).expect("composes"),
    ));
    assert!(
        general.contains("how the workers to check were chosen, and why my client was among them")
    );
    let singled = with_facts(
        full_request("sar-employer", "employer", IOANA),
        &[("singled_out", "yes")],
    );
    let plain = squash(&render_text(&compose(&singled, &cat).expect("composes")));
    assert!(
        plain.contains("why I was chosen for a check when other workers were not"),
        "{plain}"
    );
}

#[test]
fn the_authority_sentence_says_where_the_reply_goes() {
    let cat = catalogue();
    // Replies to the client (a body that may have the address): the copy comes to the adviser.
    let plain = squash(&render_text(
        &compose(&full_request("sar-generic", "bank", LUKASZ), &cat).expect("composes"),
    ));
    assert!(
        plain.contains("the reply goes to them, with a copy to me"),
        "{plain}"
    );
    assert!(!plain.contains("to receive the reply for them"));
    assert!(plain.contains("Please send the reply and the data to my client"));
    // Replies to the adviser: the authority covers receiving them.
    let plain = squash(&render_text(
        &compose(&full_request("sar-generic", "bank", OLENA), &cat).expect("composes"),
    ));
    assert!(plain.contains("to make this request and to receive the reply for them"));
}

#[test]
fn the_casework_wording_knows_which_departments_use_of_the_exemption_is_untested() {
    let cat = catalogue();
    let wording = cat.casework_wording();
    for org in ["dwp", "dvla", "dfe"] {
        assert!(wording.exemption_untested(org), "{org}");
        assert!(!wording.may_use_immigration_exemption(org), "{org}");
    }
    for org in ["hmrc", "employer", "home-office", "police-force"] {
        assert!(!wording.exemption_untested(org), "{org}");
    }
    assert!(wording.adviser_untested_cited.contains("untested"));
    assert!(
        !wording
            .complaint_exemption_other_body
            .contains("only the Secretary of State may use")
    );
}

#[test]
fn the_client_file_says_which_bodies_know_the_address_and_a_guide_can_overrule_it() {
    let cat = catalogue();
    let mut request = full_request("sar-home-office", "home-office", OLENA);
    request.client.address_known_to = vec!["home-office".into()];
    let plain = squash(&render_text(&compose(&request, &cat).expect("composes")));
    assert!(plain.contains("41 Larch Close"), "{plain}");
    // Known to the police only: the Home Office letter still leaves it out.
    request.client.address_known_to = vec!["police-force".into()];
    let plain = squash(&render_text(&compose(&request, &cat).expect("composes")));
    assert!(!plain.contains("41 Larch Close"), "{plain}");
    // A guide that says the body does not know it wins over the client file.
    request.client.address_known_to = vec!["home-office".into()];
    request
        .facts
        .insert("address_known_to_body".into(), "no".into());
    let plain = squash(&render_text(&compose(&request, &cat).expect("composes")));
    assert!(!plain.contains("41 Larch Close"), "{plain}");
}
