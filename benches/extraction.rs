//! Pages per second of the extractor on `../shared/data/extraction/html` (single thread, pages
//! decoded into memory first, only extraction timed). `cargo bench --bench extraction`. Without
//! `../shared` it says it skipped (it fails under `TIDINGS_REQUIRE_SHARED=1`).

use std::time::Instant;

fn main() {
    let Some(dir) = tidings::shared_data::shared("data/extraction/html") else {
        return;
    };
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut pages: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .map(|bytes| tidings::extract::decode_page(&bytes, None))
        .collect();
    pages.sort();
    let bytes: usize = pages.iter().map(String::len).sum();
    // One warm-up pass, then the best of five.
    let mut best = f64::MAX;
    let mut sink = 0usize;
    for round in 0..6 {
        let started = Instant::now();
        for page in &pages {
            sink += tidings::extract::extract(page, None, None).blocks.len();
        }
        let seconds = started.elapsed().as_secs_f64();
        if round > 0 {
            best = best.min(seconds);
        }
    }
    let rate = pages.len() as f64 / best;
    println!(
        "extraction: {} pages ({:.1} MB) in {best:.3} s: {rate:.0} pages/s, {:.1} MB/s (best of 5; {sink} blocks)",
        pages.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / best
    );
}
