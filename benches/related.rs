//! Related-stories speed: `cargo bench --bench related`.
//!
//! 1. A cache of 100,000 articles made by recombining the titles and sentences of
//!    `../shared/data/related` (real vocabulary and frequencies; a synthetic vocabulary when
//!    `../shared` is absent), 300 a day: the time to index each (mean, p99), then `related(id, 10)`
//!    and story assignment of new articles on the full index (mean, p50, p99), all on one thread.
//! 2. The reader's calls on the real neus_allsides set (6,117 articles): indexing each article,
//!    then `related(id, 10)` (minimum score and cosine on) for every one (mean, p50, p99).
//! 3. `tidings related`'s code path (parse, index, rank k = 100, group) on neus_allsides.
//!
//! Without `../shared` the run says so (`skipped: ../shared/data/related not found`), runs part 1
//! on a synthetic vocabulary and leaves out 2 and 3; under `TIDINGS_REQUIRE_SHARED=1` it fails
//! instead, as the tests do.

use std::path::Path;
use std::time::Instant;

use tidings::commands::related::{InputArticle, parse_articles, rank};
use tidings::related::{Document, RelatedIndex, Stories};
use tidings::shared_data;

const N: usize = 100_000;
const QUERIES: usize = 2_000;
const NEW: usize = 2_000;

fn main() {
    let data = shared_data::shared("data/related");
    let (titles, sentences) = corpus(data.as_deref());
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let make = |rng: &mut XorShift| {
        let title = titles[rng.below(titles.len())].clone();
        let body: Vec<&str> = (0..3 + rng.below(6)).map(|_| sentences[rng.below(sentences.len())].as_str()).collect();
        (title, body.join(". "))
    };
    let docs: Vec<(String, String)> = (0..N + NEW).map(|_| make(&mut rng)).collect();
    let day = |i: usize| Some(1_600_000_000 + (i / 300) as i64 * 86_400);

    let mut index = RelatedIndex::new();
    let mut insert_ms = Vec::with_capacity(N);
    let started = Instant::now();
    for (i, (title, body)) in docs.iter().take(N).enumerate() {
        let t = Instant::now();
        index.insert(&Document { id: i as i64, title, body, published_at: day(i) });
        insert_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!("indexed {N} articles in {:.1} s", started.elapsed().as_secs_f64());
    report("insert (all 100,000)", &mut insert_ms);
    report("insert (the last 10,000)", &mut insert_ms[N - 10_000..].to_vec());

    let mut query_ms = Vec::with_capacity(QUERIES);
    let mut listed = 0usize;
    for q in 0..QUERIES {
        let id = (q * 7_919 % N) as i64;
        let t = Instant::now();
        listed += index.related(id, 10).len();
        query_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    report("related(id, 10) on 100,000", &mut query_ms);
    println!("  {:.1} listed on average", listed as f64 / QUERIES as f64);

    // New articles arriving into the full index: insert, then place in a story.
    let mut stories = Stories::new();
    let (mut insert_full, mut assign_ms) = (Vec::with_capacity(NEW), Vec::with_capacity(NEW));
    for (i, (title, body)) in docs.iter().enumerate().skip(N) {
        let t = Instant::now();
        index.insert(&Document { id: i as i64, title, body, published_at: day(i) });
        insert_full.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        stories.assign(&index, i as i64);
        assign_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    report("insert into 100,000", &mut insert_full);
    report("story assignment on 100,000", &mut assign_ms);

    let Some(data) = data else {
        return;
    };
    let neus = data.join("neus_allsides.jsonl");
    let text = std::fs::read_to_string(&neus).unwrap_or_else(|e| panic!("{}: {e}", neus.display()));
    let articles = parse_articles(&text).expect("neus_allsides parses");
    reader_calls(&articles);

    let started = Instant::now();
    let articles = parse_articles(&text).expect("neus_allsides parses");
    let result = rank(&articles, 100, true, |stage, s| println!("  {stage}: {:.0} ms", s * 1e3));
    println!(
        "tidings related on neus_allsides ({} articles, k = 100, with --clusters): {:.2} s (output not written)",
        result.ranked.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Indexing and `related(id, 10)` on a real set, one call at a time, as the reader makes them.
fn reader_calls(articles: &[InputArticle]) {
    let n = articles.len();
    let mut index = RelatedIndex::new();
    let mut insert_ms = Vec::with_capacity(n);
    let started = Instant::now();
    for (i, a) in articles.iter().enumerate() {
        let t = Instant::now();
        index.insert(&Document { id: i as i64, title: &a.title, body: &a.body, published_at: a.published_at });
        insert_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!("neus_allsides: indexed {n} articles in {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    report("insert (neus_allsides)", &mut insert_ms);
    let mut query_ms = Vec::with_capacity(n);
    let mut listed = 0usize;
    for q in 0..n {
        let t = Instant::now();
        listed += index.related(q as i64, 10).len();
        query_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    report("related(id, 10) on neus_allsides", &mut query_ms);
    println!("  {:.2} listed on average", listed as f64 / n.max(1) as f64);
}

fn report(what: &str, ms: &mut [f64]) {
    ms.sort_by(f64::total_cmp);
    let mean = ms.iter().sum::<f64>() / ms.len().max(1) as f64;
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p) as usize];
    println!(
        "{what}: mean {mean:.3} ms, p50 {:.3}, p99 {:.3}, max {:.3} ms ({} samples)",
        at(0.5),
        at(0.99),
        at(1.0),
        ms.len()
    );
}

/// Titles and sentences of the labelled sets in `dir`, or a synthetic vocabulary without it.
fn corpus(dir: Option<&Path>) -> (Vec<String>, Vec<String>) {
    let (mut titles, mut sentences) = (Vec::new(), Vec::new());
    for file in ["neus_allsides.jsonl", "ecbplus.jsonl"] {
        let Some(path) = dir.map(|d| d.join(file)) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for line in text.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            titles.push(v["title"].as_str().unwrap_or_default().to_string());
            let body = v["body"].as_str().unwrap_or_default();
            sentences.extend(body.split(". ").filter(|s| s.len() > 20).map(str::to_string));
        }
    }
    if titles.is_empty() || sentences.is_empty() {
        println!("a synthetic vocabulary in place of the labelled sets");
        let mut rng = XorShift(42);
        let words: Vec<String> = (0..30_000).map(|i| format!("w{i:x}")).collect();
        // Zipf-like: low word numbers are common.
        let pick = |rng: &mut XorShift| {
            let n = rng.below(words.len());
            words[rng.below(1 + n)].clone()
        };
        titles = (0..20_000).map(|_| (0..8).map(|_| pick(&mut rng)).collect::<Vec<_>>().join(" ")).collect();
        sentences = (0..100_000).map(|_| (0..20).map(|_| pick(&mut rng)).collect::<Vec<_>>().join(" ")).collect();
    } else {
        println!("articles recombined from the titles and sentences of the labelled sets");
    }
    (titles, sentences)
}

struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}
