//! Speed targets for the core: loading and checking all shipped guides (< 2 ms), drawing
//! one frame at 200x50 (< 1 ms), one engine step (< 10 µs), and the whole process from
//! start to its first frame in a pseudo-terminal (< 30 ms).

use std::hint::black_box;
use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use sanctuary::guide::{GuideSource, Library, Session};
use sanctuary_app::tui::action::Action;
use sanctuary_app::tui::app::App;
use sanctuary_app::tui::theme::Theme;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn load_and_validate(c: &mut Criterion) {
    c.bench_function("load and validate all shipped guides", |b| {
        b.iter(|| Library::load(black_box(&GuideSource::Embedded), today(), None).unwrap())
    });
    // An organisation's own folder is parsed from TOML each time: slower, and reported too.
    let dir = GuideSource::Dir(concat!(env!("CARGO_MANIFEST_DIR"), "/guides").into());
    c.bench_function(
        "load and validate the same guides from a folder (TOML)",
        |b| b.iter(|| Library::load(black_box(&dir), today(), None).unwrap()),
    );
}

fn render_frame(c: &mut Criterion) {
    let library = Arc::new(Library::load(&GuideSource::Embedded, today(), None).unwrap());
    let catalogue = Arc::new(sanctuary::letter::Catalogue::embedded().unwrap());
    let mut app = App::new(
        library,
        catalogue,
        Theme { colour: true },
        sanctuary_app::tui::app::Today::fixed(today()),
    );
    app.open_guide("data-sharing");
    let area = Rect::new(0, 0, 200, 50);
    app.update(Action::Select, area);
    app.update(Action::Pick(1), area);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    c.bench_function("render one outcome frame at 200x50", |b| {
        b.iter(|| {
            terminal.draw(|f| app.view(f)).unwrap();
        })
    });
}

fn engine_step(c: &mut Criterion) {
    let library = Library::load(&GuideSource::Embedded, today(), None).unwrap();
    let guide = library.guide("right-to-work").unwrap().clone();
    let session = Session::new(guide);
    c.bench_function("one engine step (choose an answer)", |b| {
        b.iter_batched(
            || session.clone(),
            |mut s| {
                s.choose(black_box(0)).unwrap();
                s
            },
            BatchSize::SmallInput,
        )
    });
}

/// Starts the real binary in an 80x24 pseudo-terminal and waits for the home screen's
/// first frame.
fn start_to_first_frame() -> Duration {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_sanctuary"));
    cmd.env("TERM", "xterm-256color");
    let mut reader = pty.master.try_clone_reader().unwrap();
    let started = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 8192];
    let elapsed = loop {
        let n = reader.read(&mut buf).unwrap();
        seen.extend_from_slice(&buf[..n]);
        // The home screen's header; one word, as blank cells between words are not sent.
        if seen.windows(8).any(|w| w == b"Decision") {
            break started.elapsed();
        }
    };
    child.kill().unwrap();
    let _ = child.wait();
    elapsed
}

fn process_start(c: &mut Criterion) {
    let mut group = c.benchmark_group("whole process");
    group.sample_size(20);
    group.bench_function("start to first frame (pty, 80x24)", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| start_to_first_frame()).sum())
    });
    group.finish();
}

criterion_group!(
    benches,
    load_and_validate,
    render_frame,
    engine_step,
    process_start
);
criterion_main!(benches);
