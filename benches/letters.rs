//! Targets for letters: one Home Office letter composed and rendered as a tagged PDF; 1,000
//! letters in one process (< 0.5 s); the PDF's size (< 40 KB, printed before the timings).
//! The whole-process comparison with typst (at most 0.3x its time and 0.4x its peak memory)
//! is `benches/typst-compare.sh`. Figures and how to re-run: README.md, "Benchmarks".

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use sanctuary::letter::{
    Catalogue, ClientDetails, HomeOfficeRequestType, LetterRequest, compose, render_pdf,
    render_pdfs,
};

fn request() -> LetterRequest {
    let text = include_str!("../tests/fixtures/clients/lukasz.toml");
    let client = ClientDetails::from_toml_str(text, "lukasz.toml").unwrap();
    let sent = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut request = LetterRequest::new("sar-home-office", "home-office", client, sent);
    request.home_office_request_type = Some(HomeOfficeRequestType::Detailed);
    request
}

fn one_letter(c: &mut Criterion) {
    let catalogue = Catalogue::embedded().unwrap();
    let request = request();
    let size = render_pdf(&compose(&request, &catalogue).unwrap())
        .unwrap()
        .len();
    println!("PDF size of one Home Office letter: {size} bytes (target: under 40 KB)");
    c.bench_function("one Home Office letter: compose and render the PDF", |b| {
        b.iter(|| render_pdf(&compose(black_box(&request), &catalogue).unwrap()).unwrap())
    });
}

fn thousand_letters(c: &mut Criterion) {
    let catalogue = Catalogue::embedded().unwrap();
    let request = request();
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.bench_function("1,000 Home Office letters in one process", |b| {
        b.iter(|| {
            let letters: Vec<_> = (0..1000)
                .map(|_| compose(&request, &catalogue).unwrap())
                .collect();
            let pdfs = render_pdfs(&letters);
            assert!(pdfs.iter().all(|p| p.is_ok()));
            pdfs
        })
    });
    group.finish();
}

criterion_group!(benches, one_letter, thousand_letters);
criterion_main!(benches);
