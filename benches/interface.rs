//! Interface speed on a big cache: 100,000 items across 500 feeds.
//!
//! `cargo bench --bench interface` generates the cache in a temp dir, then measures in a fresh
//! process (so the generator's memory does not count): the first frame (open the cache, load the
//! feeds pane and the newest headlines, draw), key presses to their redrawn frame, and resident
//! memory, with the related-stories index built as the reader builds it. Keys go through the
//! real loop (`EventLoop::handle`): the save goes to the cache's writer thread and the document
//! to the render thread, and a key's time runs until its frame is drawn, with the document, as
//! the loop draws it (the save commits after the frame, outside the time).

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::{Arc, Mutex};
use tidings::keys::keymap::Keymap;
use tidings::model::{FeedId, ItemId, NewItem, ParsedFeed, StoryId};

use tidings::store::{FeedFetchState, Store, Writer};
use tidings::theme::Theme;
use tidings::ui::app::{App, FeedInfo};
use tidings::ui::effects::Actions;
use tidings::ui::event_loop::EventLoop;
use tidings::ui::library::{SharedIndex, StoreLibrary};
use tidings::ui::update::Msg;

const FEEDS: usize = 500;
const ITEMS_PER_FEED: usize = 200;
const WORDS: &[&str] = &[
    "harbour", "council", "ferry", "strike", "budget", "storm", "flood", "election", "minister", "market", "shares",
    "court", "ruling", "police", "school", "hospital", "energy", "prices", "rail", "airport", "festival", "museum",
    "research", "climate", "trade", "tariff", "bank", "rates", "housing", "football",
];

fn main() {
    if let Ok(path) = std::env::var("TIDINGS_BENCH_DB") {
        measure(std::path::Path::new(&path));
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("cache.db");
    let started = Instant::now();
    generate(&db);
    println!("generated {} items in {} feeds in {:.1?}", FEEDS * ITEMS_PER_FEED, FEEDS, started.elapsed());
    let status = std::process::Command::new(std::env::current_exe().expect("own path"))
        .env("TIDINGS_BENCH_DB", &db)
        .status()
        .expect("run the measuring process");
    assert!(status.success());
}

fn word(seed: usize) -> &'static str {
    WORDS[(seed.wrapping_mul(2_654_435_761) >> 7) % WORDS.len()]
}

fn generate(db: &std::path::Path) {
    let mut store = Store::open(db).expect("open cache");
    let urls: Vec<String> = (0..FEEDS).map(|f| format!("https://feed{f}.example/rss")).collect();
    let url_refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let ids = store.sync_feeds(&url_refs).expect("feeds");
    let now = 1_772_366_400;
    for (f, id) in ids.iter().enumerate() {
        let items = (0..ITEMS_PER_FEED)
            .map(|i| {
                let n = f * ITEMS_PER_FEED + i;
                let title = format!("{} {} {} report number {n}", word(n), word(n + 1), word(n + 2));
                let body: String = (0..60).map(|w| word(n * 7 + w)).collect::<Vec<_>>().join(" ");
                NewItem {
                    guid: format!("item-{n}"),
                    url: Some(format!("https://feed{f}.example/{i}")),
                    title,
                    published_at: Some(now - (n as i64 * 37) % (60 * 86_400)),
                    content_html: Some(format!("<p>{body}.</p><p>{body}.</p>")),
                    ..Default::default()
                }
            })
            .collect();
        let state = FeedFetchState { next_poll_at: now, ..Default::default() };
        store.record_success(*id, now, &state, &ParsedFeed { items, ..Default::default() }).expect("store");
    }
    // Half the items are in stories that three feeds cover, as the related-stories engine groups them.
    let ids = store.item_ids(&tidings::store::ItemFilter::All, false).expect("ids");
    let per_feed = ITEMS_PER_FEED as i64;
    let stories: Vec<(ItemId, StoryId)> = ids
        .iter()
        .map(|id| ((id.0 - 1) / per_feed, (id.0 - 1) % per_feed, *id))
        .filter(|(_, item, _)| item % 2 == 0)
        .map(|(feed, item, id)| (id, StoryId((feed / 3) * per_feed + item + 1)))
        .collect();
    store.set_stories(&stories).expect("stories");
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|frame| tidings::ui::view::draw(frame, app)).expect("draw");
}

fn measure(db: &std::path::Path) {
    // First frame: what the reader does before its first draw.
    // As the reader does: the poller's connection (and the writer on it) opens the cache before
    // the interface starts (outside the first frame, as before), the interface reads it on a
    // connection of its own.
    let writer = Writer::spawn(Arc::new(Mutex::new(Store::open(db).expect("open"))));
    let started = Instant::now();
    let store = Store::open_for_reading(db).expect("open");
    let feeds: Vec<FeedInfo> = store
        .feeds()
        .expect("feeds")
        .into_iter()
        .enumerate()
        .map(|(i, row)| FeedInfo {
            id: FeedId(row.id.0),
            name: format!("Feed {i}"),
            tags: vec![format!("tag{}", i % 12)],
            configured_name: true,
        })
        .collect();
    let index = SharedIndex::default();
    let lib = StoreLibrary::new(store);
    let mut app = App::new(feeds, Keymap::default(), Theme::default(), false);
    app.size = (160, 48);
    let channel = std::sync::mpsc::channel();
    let actions = Actions::new(
        writer,
        index.clone(),
        vec![Ok(tidings::ui::browser::Browser { words: vec!["true".into()], in_terminal: false })],
        channel.0.clone(),
    );
    let mut reader = EventLoop::new(app, lib, actions, channel);
    reader.start();
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    draw(&mut terminal, &reader.app);
    let first_frame = started.elapsed();
    println!(
        "first frame (open cache, feeds pane, {} headlines listed, draw): {first_frame:.1?}",
        reader.app.headlines.ids.len()
    );
    println!("resident memory after the first frame: {}", rss());
    let started = Instant::now();
    let keys = reader.library.store().headline_keys(None).expect("keys");
    let read = started.elapsed();
    let order = tidings::ui::headline_order::HeadlineOrder::new(keys);
    println!("  of which: headline order read {read:.1?}, built {:.1?}", started.elapsed() - read);
    drop(order);

    // The related index, built in the background by the reader.
    let started = Instant::now();
    let indexer_store = Store::open(db).expect("open");
    let indexed = index.index_from(&indexer_store, ItemId(0), 1_772_366_400).expect("index");
    index.set_ready();
    println!(
        "related index over the whole cache, items of the last 14 days placed in stories ({} placed): {:.1?} \
         (background thread)",
        indexed.stories.len(),
        started.elapsed()
    );

    let scenarios: Vec<(&str, Vec<Msg>)> = vec![
        ("j (next headline)", vec![key(KeyCode::Char('j'))]),
        ("k (previous headline)", vec![key(KeyCode::Char('k'))]),
        ("PageDown in the list", vec![key(KeyCode::PageDown)]),
        ("G then g (bottom, top of 100,000)", vec![key(KeyCode::Char('G')), key(KeyCode::Char('g'))]),
        ("Enter (open article, mark read, related)", vec![key(KeyCode::Enter), key(KeyCode::Esc)]),
        ("Space in the article", vec![key(KeyCode::Enter), key(KeyCode::Char(' ')), key(KeyCode::Esc)]),
        ("n (next unread)", vec![key(KeyCode::Char('n')), key(KeyCode::Esc)]),
    ];
    for (name, keys) in scenarios {
        let mut times = Vec::new();
        for _ in 0..200 {
            for msg in &keys {
                // As the loop draws: once the article's document and related stories have come.
                let t = Instant::now();
                reader.handle(msg.clone());
                reader.wait_for_article(Duration::from_millis(20));
                draw(&mut terminal, &reader.app);
                times.push(t.elapsed());
                // The save commits on the writer's thread, after the frame; it is let finish
                // before the next key, outside the time.
                reader.settle();
            }
        }
        report(name, &mut times);
    }
    // Switching feeds lists another feed, tag or "All" (grouped by story) from the in-memory order.
    reader.app.focus = tidings::ui::app::Pane::Feeds;
    let mut times = Vec::new();
    for i in 0..200 {
        let code = if (i / 20) % 2 == 0 { KeyCode::Char('j') } else { KeyCode::Char('k') };
        let t = Instant::now();
        reader.handle(key(code));
        reader.wait_for_article(Duration::from_millis(20));
        draw(&mut terminal, &reader.app);
        times.push(t.elapsed());
        reader.settle();
    }
    report("j/k in the feeds pane (load another list)", &mut times);
    println!("peak resident memory: {}", peak_rss());
}

fn report(name: &str, times: &mut [Duration]) {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
    println!("key {name}: mean {mean:.2?}, p99 {p99:.2?}, max {:.2?}", times[times.len() - 1]);
}

fn status_field(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(|l| l[field.len()..].trim().to_string()))
        .unwrap_or_else(|| "unknown".into())
}

fn rss() -> String {
    status_field("VmRSS:")
}

fn peak_rss() -> String {
    status_field("VmHWM:")
}
