//! Related-stories speed: `cargo bench --bench related`.
//!
//! 1. The reader's start-up on a cache of 100,000 articles. The articles are made from
//!    `../shared/data/related` (a synthetic vocabulary when `../shared` is absent): each takes a
//!    real title and 3 to 8 real sentences drawn at random from the labelled sets, so the
//!    vocabulary, word frequencies and lengths are those of news, and a sentence recurs in about
//!    twenty articles as wire copy does. 300 a day over a year, in 20 feeds, stored as HTML in a
//!    temporary cache through [`Store`] as the poller stores them (ten days per write), then
//!    indexed as the reader's indexer thread does ([`SharedIndex::index_from`]: read the items in
//!    batches, unpack, HTML to text, tokenise and insert, place the last 14 days' articles in
//!    stories): first with no stories stored (the first start on such a cache), then in a fresh
//!    index with the stories that pass stored (every later start: stored stories are seeded,
//!    only new articles are placed). On the second index: `related(id, 10)` as the related pane
//!    asks (mean, p50, p99), and a poll's 300 new articles stored and indexed through the same
//!    call (per article). Times are wall-clock on one thread, with the thread's CPU time beside
//!    them (the machine is shared: the CPU time is what the code costs).
//! 2. The reader's calls on the real neus_allsides set (6,117 articles): indexing each article,
//!    then `related(id, 10)` (minimum score and cosine on) for every one (mean, p50, p99).
//! 3. `tidings related`'s code path (parse, index, rank k = 100, group) on neus_allsides.
//!
//! Without `../shared` the run says so (`skipped: ../shared/data/related not found`), runs part 1
//! on a synthetic vocabulary and leaves out 2 and 3; under `TIDINGS_REQUIRE_SHARED=1` it fails
//! instead, as the tests do.

use std::path::Path;
use std::time::{Duration, Instant};

use tidings::commands::related::{InputArticle, parse_articles, rank};
use tidings::model::{ItemId, NewItem, ParsedFeed};
use tidings::related::{Document, RelatedIndex};
use tidings::shared_data;
use tidings::store::{FeedFetchState, Store};
use tidings::ui::library::SharedIndex;

const N: usize = 100_000;
const PER_DAY: usize = 300;
const FEEDS: usize = 20;
const QUERIES: usize = 2_000;
const DAY: i64 = 86_400;
const START: i64 = 1_600_000_000;

fn main() {
    let data = shared_data::shared("data/related");
    let (titles, sentences) = corpus(data.as_deref());
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let make = |rng: &mut XorShift| {
        let title = titles[rng.below(titles.len())].clone();
        let body: Vec<&str> = (0..3 + rng.below(6)).map(|_| sentences[rng.below(sentences.len())].as_str()).collect();
        (title, body.join(". "))
    };
    let docs: Vec<(String, String)> = (0..N + PER_DAY).map(|_| make(&mut rng)).collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("cache.db");
    let started = Instant::now();
    let mut store = Store::open(&db).expect("open the cache");
    let urls: Vec<String> = (0..FEEDS).map(|f| format!("https://feed{f}.example/rss")).collect();
    let feeds = store.sync_feeds(&urls.iter().map(String::as_str).collect::<Vec<_>>()).expect("feeds");
    let mut stored = 0;
    while stored < N {
        let upto = (stored + 10 * PER_DAY).min(N);
        store_articles(&mut store, &feeds, &docs, stored..upto);
        stored = upto;
    }
    println!("stored {N} articles in a cache in {:.1} s", started.elapsed().as_secs_f64());
    let now = published(N - 1) + DAY / 2;

    let reader = Store::open_for_reading(&db).expect("open for reading");
    let first = SharedIndex::default();
    let (wall, cpu) = timed(|| first.index_from(&reader, ItemId(0), now).expect("index"));
    let placed = wall.0.stories.clone();
    println!(
        "first start: index built from the cache, {} placed in stories: {:.2} s (CPU {:.2} s)",
        placed.len(),
        wall.1.as_secs_f64(),
        cpu.as_secs_f64()
    );
    drop(first);
    store.set_stories(&placed).expect("store the stories");
    let index = SharedIndex::default();
    let (wall, cpu) = timed(|| {
        index.seed_stories(&reader).expect("seed");
        index.index_from(&reader, ItemId(0), now).expect("index")
    });
    let last = wall.0.last;
    println!(
        "start-up: index built from the cache, stories seeded ({} recent articles kept in theirs): {:.2} s (CPU {:.2} s)",
        wall.0.stories.len(),
        wall.1.as_secs_f64(),
        cpu.as_secs_f64()
    );

    let mut query_ms = Vec::with_capacity(QUERIES);
    let mut listed = 0usize;
    let cpu_start = thread_cpu();
    for q in 0..QUERIES {
        let id = (q * 7_919 % N) as i64 + 1;
        let t = Instant::now();
        listed += index.with(|i| i.related(id, 10).len()).unwrap_or(0);
        query_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let cpu = (thread_cpu() - cpu_start).as_secs_f64() * 1e3 / QUERIES as f64;
    report("related(id, 10) on 100,000", &mut query_ms);
    println!("  CPU {cpu:.3} ms a query; {:.1} listed on average", listed as f64 / QUERIES as f64);

    // A poll's new articles, stored and indexed as the indexer does after a poll.
    store_articles(&mut store, &feeds, &docs, N..N + PER_DAY);
    let (wall, cpu) = timed(|| index.index_from(&reader, last, now + DAY).expect("index"));
    println!(
        "a poll's {PER_DAY} new articles indexed and placed on 100,000: {:.3} ms each (CPU {:.3} ms)",
        wall.1.as_secs_f64() * 1e3 / PER_DAY as f64,
        cpu.as_secs_f64() * 1e3 / PER_DAY as f64
    );

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

/// Article `i`'s publication time: `PER_DAY` a day from `START`, spread over the day.
fn published(i: usize) -> i64 {
    START + (i / PER_DAY) as i64 * DAY + (i % PER_DAY) as i64 * (DAY / PER_DAY as i64)
}

/// Stores articles `range` of `docs` as the poller would, one write per feed, the articles dealt
/// out to the feeds in turn and first seen at the end of the last one's day.
fn store_articles(
    store: &mut Store,
    feeds: &[tidings::model::FeedId],
    docs: &[(String, String)],
    range: std::ops::Range<usize>,
) {
    let seen = published(range.end - 1) + DAY / 2;
    for (f, feed) in feeds.iter().enumerate() {
        let items: Vec<NewItem> = range
            .clone()
            .filter(|i| i % feeds.len() == f)
            .map(|i| NewItem {
                guid: format!("article-{i}"),
                url: Some(format!("https://feed{f}.example/{i}")),
                title: docs[i].0.clone(),
                published_at: Some(published(i)),
                content_html: Some(format!("<p>{}.</p>", docs[i].1.replace(". ", ".</p><p>"))),
                ..Default::default()
            })
            .collect();
        let state = FeedFetchState { next_poll_at: seen, ..Default::default() };
        store.record_success(*feed, seen, &state, &ParsedFeed { items, ..Default::default() }).expect("store");
    }
}

/// What `f` returns, with its wall-clock time, and the CPU time this thread spent in it.
fn timed<R>(f: impl FnOnce() -> R) -> ((R, Duration), Duration) {
    let cpu = thread_cpu();
    let t = Instant::now();
    let r = f();
    let wall = t.elapsed();
    ((r, wall), thread_cpu() - cpu)
}

/// This thread's CPU time (Linux: /proc/thread-self/stat, in clock ticks of 10 ms; zero elsewhere).
fn thread_cpu() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the command name (which may hold spaces, and ends with ')'): utime is the 14th
    // field of the line, stime the 15th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<u64> = rest.split_whitespace().skip(11).take(2).filter_map(|f| f.parse().ok()).collect();
    Duration::from_millis(fields.iter().sum::<u64>() * 10)
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
