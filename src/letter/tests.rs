//! Scenario tests for the letters module: every template for the fixture
//! clients, checked through the PDF's extracted text.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;

const LUKASZ: &str = include_str!("../../tests/fixtures/clients/lukasz.toml");
const IOANA: &str = include_str!("../../tests/fixtures/clients/ioana.toml");
const ALEXANDROS: &str = include_str!("../../tests/fixtures/clients/alexandros.toml");
const OLENA: &str = include_str!("../../tests/fixtures/clients/olena.toml");
const NO_DOB: &str = include_str!("../../tests/fixtures/clients/no-date-of-birth.toml");
const ADVISER: &str = include_str!("../../tests/fixtures/clients/adviser.toml");

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
fn full_request(template: &str, org: &str, who: &str) -> LetterRequest {
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
    if r.effective_adviser().is_none() && template == "authority" {
        r.adviser = Some(AdviserDetails::from_toml_str(ADVISER, "adviser.toml").expect("adviser"));
    }
    r.period = Some((date(2019, 1, 1), date(2026, 11, 1)));
    r.home_office_request_type = Some(HomeOfficeRequestType::Detailed);
    r.previous_request_sent = Some(date(2026, 9, 1));
    r.complaint_points = vec!["No reply has been received.".to_string()];
    r.chronology = vec![(date(2026, 9, 1), "Subject access request sent.".to_string())];
    r.about = Some("home-office".to_string());
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
            vec![
                if t.id == "complaint-controller" || t.id == "chaser" || t.id == "authority" {
                    "home-office".to_string()
                } else {
                    "other".to_string()
                },
            ]
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
        "paragraph 4A requires",
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
        "inaccurate data corrected",
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
        "Flat 2",
        "LS2 7HX",
        "1 January 2019",
        "Sam Okafor",
        "Our reference: NMA/2026/118",
        "Page 1 of",
        "A letter of authority signed by Łukasz Żółć-Nguyễn",
    ] {
        assert!(text.contains(needed), "missing {needed:?} in {text}");
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
    assert_eq!(needed, [&Needed::RecipientName, &Needed::RecipientAddress]);
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
            && text.contains("within 30 days")
            && text.contains("19 June 2026")
    );
    let request = full_request("complaint-ico", "ico", LUKASZ);
    let text = pdf_text(&compose(&request, &cat).expect("composes"));
    assert!(text.contains("the ICO (Information Commission)"));
    assert!(text.contains("Wycliffe House") && text.contains("SK9 5AF"));
    assert!(text.contains("1 September 2026: Subject access request sent."));
}

#[test]
fn chaser_refuses_before_the_reply_date_has_passed() {
    let cat = catalogue();
    let mut request = full_request("chaser", "home-office", LUKASZ);
    request.previous_request_sent = Some(date(2026, 11, 2));
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
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/Title") && raw.contains("/Author"));
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
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("letter-templates");
    let catalogue = Catalogue::from_dir(&dir).expect("the shipped templates compile");
    assert_eq!(
        catalogue.templates().len(),
        crate::letter::TEMPLATE_IDS.len()
    );
}

#[test]
fn many_letters_render_in_order_across_threads() {
    let text = include_str!("../../tests/fixtures/clients/ioana.toml");
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
