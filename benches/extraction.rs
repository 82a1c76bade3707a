//! Pages per second of the extractor on the shared page sets, `../shared/data/extraction/html`
//! and `../shared/data/extraction-web/pages`: each on its own line, then both together (single
//! thread, pages decoded into memory first, only extraction timed, best of five after a warm-up).
//! `cargo bench --bench extraction`. A set that is missing is skipped, saying so (a failure under
//! `TIDINGS_REQUIRE_SHARED=1`).

use std::time::Instant;

/// The decoded pages of `../shared/<sub>`, sorted; `None` (the skip said) when it is absent.
fn load(sub: &str) -> Option<Vec<String>> {
    let dir = tidings::shared_data::shared(sub)?;
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut pages: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .map(|bytes| tidings::extract::decode_page(&bytes, None))
        .collect();
    pages.sort();
    Some(pages)
}

/// Times `pages` and prints one line named `name`.
fn measure(name: &str, pages: &[&str]) {
    let bytes: usize = pages.iter().map(|p| p.len()).sum();
    // One warm-up pass, then the best of five.
    let mut best = f64::MAX;
    let mut sink = 0usize;
    for round in 0..6 {
        let started = Instant::now();
        for page in pages {
            sink += tidings::extract::extract(page, None, None).blocks.len();
        }
        let seconds = started.elapsed().as_secs_f64();
        if round > 0 {
            best = best.min(seconds);
        }
    }
    let rate = pages.len() as f64 / best;
    println!(
        "extraction ({name}): {} pages ({:.1} MB) in {best:.3} s: {rate:.0} pages/s, {:.1} MB/s (best of 5; {sink} blocks)",
        pages.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / best
    );
}

fn main() {
    let sets: Vec<(&str, Vec<String>)> =
        [("extraction", "data/extraction/html"), ("extraction-web", "data/extraction-web/pages")]
            .into_iter()
            .filter_map(|(name, sub)| load(sub).map(|pages| (name, pages)))
            .collect();
    for (name, pages) in &sets {
        measure(name, &pages.iter().map(String::as_str).collect::<Vec<_>>());
    }
    if sets.len() > 1 {
        let all: Vec<&str> = sets.iter().flat_map(|(_, pages)| pages.iter().map(String::as_str)).collect();
        measure("both sets", &all);
    }
}
