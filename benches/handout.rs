//! Targets for the client's hand-out: an Arabic and a Tigrinya hand-out made (the outcome's
//! texts looked up, shaped, laid out and written as a tagged PDF with font subsets) in under
//! 100 ms each, and each PDF under 150 KB (sizes printed before the timings). The fixture
//! guide and translations are `tests/fixtures/handout`. Figures: README.md, "Benchmarks".

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use sanctuary::guide::{GuideSource, Library};
use sanctuary::handout::{Handout, HandoutRequest, render_handout};
use sanctuary::letter::AdviserDetails;

fn adviser() -> AdviserDetails {
    let text = include_str!("../tests/fixtures/clients/adviser.toml");
    AdviserDetails::from_toml_str(text, "adviser.toml").unwrap()
}

fn handouts(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handout");
    let library = Library::load(&GuideSource::Dir(dir), today, None).unwrap();
    let adviser = adviser();
    for language in ["ar", "ti"] {
        let request = HandoutRequest {
            guide: "clinic",
            outcome: "fine",
            language,
            adviser: Some(&adviser),
            today,
        };
        let started = Instant::now();
        let pdf = render_handout(&Handout::for_outcome(&library, &request).unwrap()).unwrap();
        println!(
            "hand-out in {language}: {} bytes (target: under 150 KB); the first in this \
             process (reading the fonts too) took {:.1} ms",
            pdf.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
        c.bench_function(
            &format!("one hand-out in {language}: make and render the PDF"),
            |b| {
                b.iter(|| {
                    render_handout(&Handout::for_outcome(&library, black_box(&request)).unwrap())
                        .unwrap()
                })
            },
        );
    }
}

criterion_group!(benches, handouts);
criterion_main!(benches);
