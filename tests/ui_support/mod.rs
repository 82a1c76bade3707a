//! A small cache and an App over it, for the interface tests.
#![allow(dead_code)]

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tidings::keys::keymap::Keymap;
use tidings::model::{Enclosure, FeedId, NewItem, ParsedFeed};
use tidings::store::{FeedFetchState, Store, Writer};
use tidings::theme::Theme;
use tidings::ui::app::{App, FeedInfo};
use tidings::ui::browser::Browser;
use tidings::ui::effects::Actions;
use tidings::ui::event_loop::EventLoop;
use tidings::ui::library::{SharedIndex, StoreLibrary};
use tidings::ui::update::{Effect, Msg};

/// 2026-03-01 12:00 UTC: the fixed "now" of every interface test.
pub const NOW: i64 = 1_772_366_400;
const HOUR: i64 = 3600;

/// The real loop (`reader`: its app and library are `f.app` and `f.library`) over a cache in a
/// temp dir, with the cache's writer on a connection of its own, as the poller has it.
pub struct Fixture {
    pub reader: EventLoop,
    pub feeds: Vec<FeedId>,
    pub index: SharedIndex,
    /// The writer's connection: tests write through it as the poller and the indexer would.
    pub db: Arc<Mutex<Store>>,
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Deref for Fixture {
    type Target = EventLoop;
    fn deref(&self) -> &EventLoop {
        &self.reader
    }
}

impl DerefMut for Fixture {
    fn deref_mut(&mut self) -> &mut EventLoop {
        &mut self.reader
    }
}

fn item(guid: &str, title: &str, hours_ago: i64, html: &str) -> NewItem {
    NewItem {
        guid: guid.into(),
        url: Some(format!("https://news.example/{guid}")),
        title: title.into(),
        author: Some("Ada Reporter".into()),
        published_at: Some(NOW - hours_ago * HOUR),
        updated_at: None,
        summary_html: None,
        content_html: Some(html.into()),
        summary_only: None,
        enclosures: Vec::new(),
    }
}

pub fn long_article_html() -> String {
    let mut html = String::from("<h2>Background</h2>");
    for i in 1..=30 {
        html.push_str(&format!(
            "<p>Paragraph {i} of the long report on the harbour works: crews replaced pilings, \
             divers inspected the old sea wall and engineers logged every measurement.</p>"
        ));
    }
    html.push_str("<p>Read <a href=\"https://harbour.example/report.pdf\">the full report</a>.</p>");
    html
}

fn store_with_items(path: &std::path::Path) -> (Store, Vec<FeedId>) {
    let mut store = Store::open(path).expect("cache");
    let ids = store
        .sync_feeds(&["https://gazette.example/rss", "https://techwire.example/atom", "https://broken.example/feed"])
        .expect("sync feeds");
    let state = FeedFetchState { next_poll_at: NOW + HOUR, ..Default::default() };
    let gazette = ParsedFeed {
        items: vec![
            item(
                "g1",
                "Ferry crews walk out at Port Ellery over pay",
                2,
                "<p>Ferry crews at Port Ellery walked out on Monday in a dispute over pay, stranding commuters. The Harbour Workers Union said the strike would last 48 hours.</p><p>See <a href=\"https://union.example/statement\">the union statement</a>.</p>",
            ),
            item(
                "g2",
                "Council approves harbour budget",
                5,
                "<p>The council approved the harbour budget by nine votes to four.</p>",
            ),
            item("g3", "Harbour works report", 30, &long_article_html()),
        ],
        ..Default::default()
    };
    let techwire = ParsedFeed {
        items: vec![
            item(
                "t1",
                "Port Ellery ferry strike strands thousands of commuters",
                1,
                "<p>A strike by ferry crews at Port Ellery over pay stranded thousands of commuters on Monday, the Harbour Workers Union said.</p>",
            ),
            item(
                "t2",
                "Quillmate 4 released with faster sync",
                8,
                "<p>Version 4 of the Quillmate editor is out.</p><pre><code>cargo install quillmate</code></pre>",
            ),
            item("t3", "Comet spotted by amateur astronomer", 50, "<p>An amateur astronomer spotted a new comet.</p>"),
        ],
        ..Default::default()
    };
    store.record_success(ids[0], NOW - HOUR, &state, &gazette).expect("store gazette");
    store.record_success(ids[1], NOW - HOUR, &state, &techwire).expect("store techwire");
    store.record_failure(ids[2], NOW - HOUR, "HTTP 404 Not Found", NOW + HOUR).expect("store failure");
    (store, ids)
}

pub fn feed_infos(ids: &[FeedId]) -> Vec<FeedInfo> {
    vec![
        FeedInfo { id: ids[0], name: "Harbour Gazette".into(), tags: vec!["local".into()], configured_name: true },
        FeedInfo { id: ids[1], name: "Tech Wire".into(), tags: vec!["tech".into()], configured_name: true },
        FeedInfo { id: ids[2], name: "Broken Feed".into(), tags: vec![], configured_name: true },
    ]
}

/// The fixture cache, indexed for related stories, with the App started at `width` x `height`.
pub fn fixture(width: u16, height: u16) -> Fixture {
    let f = unindexed_fixture(width, height);
    f.index.index_from(f.library.store(), tidings::model::ItemId(0), NOW).expect("index");
    f.index.set_ready();
    f
}

/// Like [`fixture`], with the related index not built yet (as right after start-up).
pub fn unindexed_fixture(width: u16, height: u16) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cache.db");
    let (store, feeds) = store_with_items(&path);
    started(dir, path, store, feed_infos(&feeds), feeds, SharedIndex::default(), width, height)
}

/// An App over a cache holding these feeds (`(url, parsed)`, stored as a poll stores them), each
/// named by its own title as an unnamed subscription is, indexed for related stories.
pub fn over_feeds(feeds: &[(&str, ParsedFeed)], width: u16, height: u16) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cache.db");
    let mut store = Store::open(&path).expect("cache");
    let urls: Vec<&str> = feeds.iter().map(|(url, _)| *url).collect();
    let ids = store.sync_feeds(&urls).expect("sync feeds");
    let state = FeedFetchState { next_poll_at: NOW + HOUR, ..Default::default() };
    for (&id, (_, parsed)) in ids.iter().zip(feeds) {
        store.record_success(id, NOW - HOUR, &state, parsed).expect("store feed");
    }
    let infos = ids
        .iter()
        .zip(feeds)
        .map(|(&id, (url, parsed))| FeedInfo {
            id,
            name: parsed.meta.title.clone().unwrap_or_else(|| url.to_string()),
            tags: Vec::new(),
            configured_name: false,
        })
        .collect();
    let index = SharedIndex::default();
    let f = started(dir, path, store, infos, ids, index, width, height);
    f.index.index_from(f.library.store(), tidings::model::ItemId(0), NOW).expect("index");
    f.index.set_ready();
    f
}

/// The fixture cache with a podcast beside it ("Harbour Hour", tagged `podcasts`): episode 12
/// (newest of all) has one enclosure, episode 11 two (and hostile text in its address).
pub fn podcast_fixture(width: u16, height: u16) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cache.db");
    let (mut store, mut feeds) = store_with_items(&path);
    let pod = store.sync_feeds(&["https://harbour.example/podcast.xml"]).expect("sync feeds")[0];
    feeds.push(pod);
    let mp3 = |name: &str, size: Option<u64>, secs: Option<u64>| Enclosure {
        url: format!("https://cdn.harbour.example/{name}"),
        mime_type: Some("audio/mpeg".into()),
        size,
        duration_secs: secs,
    };
    let episode = |guid: &str, title: &str, minutes_ago: i64, enclosures: Vec<Enclosure>| NewItem {
        published_at: Some(NOW - minutes_ago * 60),
        enclosures,
        ..item(guid, title, 0, "<p>Crews and commuters talk about the strike at Port Ellery.</p>")
    };
    let parsed = ParsedFeed {
        items: vec![
            episode(
                "p12",
                "Episode 12: the ferry strike",
                10,
                vec![mp3("episode-12.mp3", Some(48_213_000), Some(2712))],
            ),
            episode(
                "p11",
                "Episode 11: two formats",
                20,
                vec![
                    mp3("episode-11.mp3", Some(31_000_000), Some(1830)),
                    Enclosure {
                        url: "https://cdn.harbour.example/$(touch%20pwned)%1B%5D0%3Bpwned%07episode-11.ogg".into(),
                        mime_type: Some("audio/ogg".into()),
                        size: None,
                        duration_secs: Some(1830),
                    },
                ],
            ),
        ],
        ..Default::default()
    };
    let state = FeedFetchState { next_poll_at: NOW + HOUR, ..Default::default() };
    store.record_success(pod, NOW - HOUR, &state, &parsed).expect("store the podcast");
    let mut infos = feed_infos(&feeds);
    infos.push(FeedInfo { id: pod, name: "Harbour Hour".into(), tags: vec!["podcasts".into()], configured_name: true });
    let f = started(dir, path, store, infos, feeds, SharedIndex::default(), width, height);
    f.index.index_from(f.library.store(), tidings::model::ItemId(0), NOW).expect("index");
    f.index.set_ready();
    f
}

/// An App over an empty cache with no feeds.
pub fn empty(width: u16, height: u16) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cache.db");
    let store = Store::open(&path).expect("cache");
    let index = SharedIndex::default();
    index.set_ready();
    started(dir, path, store, Vec::new(), Vec::new(), index, width, height)
}

#[allow(clippy::too_many_arguments)]
fn started(
    dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
    infos: Vec<FeedInfo>,
    feeds: Vec<FeedId>,
    index: SharedIndex,
    width: u16,
    height: u16,
) -> Fixture {
    let db = Arc::new(Mutex::new(store));
    let writer = Writer::spawn(db.clone());
    let library = StoreLibrary::with_fixed_clock(Store::open_for_reading(&path).expect("reader's connection"), NOW);
    let mut app = App::new(infos, Keymap::default(), Theme::default(), false);
    app.size = (width, height);
    let channel = std::sync::mpsc::channel();
    // `true` stands in for the browser: it starts and does nothing.
    let actions = Actions::new(
        writer,
        index.clone(),
        vec![Ok(Browser { words: vec!["true".into()], in_terminal: false })],
        channel.0.clone(),
    );
    let mut reader = EventLoop::new(app, library, actions, channel);
    reader.start();
    Fixture { reader, feeds, index, db, path, _dir: dir }
}

impl Fixture {
    /// Puts the items with these titles in one story, as the related-stories engine would, and
    /// tells the interface.
    pub fn group(&mut self, titles: &[&str], story: i64) {
        let all = self.library.store().item_ids(&tidings::store::ItemFilter::All, false).expect("ids");
        let rows = self.library.store().item_summaries(&all).expect("rows");
        let pairs: Vec<_> = titles
            .iter()
            .map(|t| {
                (
                    rows.iter().find(|r| r.title == *t).unwrap_or_else(|| panic!("no item {t}")).id,
                    tidings::model::StoryId(story),
                )
            })
            .collect();
        self.db().set_stories(&pairs).expect("save stories");
        self.send(Msg::StoriesChanged);
    }

    /// The writer's connection, to write as the poller or the indexer would.
    pub fn db(&self) -> MutexGuard<'_, Store> {
        self.db.lock().expect("the writer's connection")
    }

    /// Hands `msg` to the loop and waits until every effect it led to has answered (saves on
    /// disk, documents rendered); returns the effects `update` asked for.
    pub fn send(&mut self, msg: Msg) -> Vec<Effect> {
        let effects = self.reader.handle(msg);
        self.reader.settle();
        effects
    }

    /// Types keys as the user would: "j", "G", "enter", "esc", "tab", "space", "shift-tab".
    pub fn keys(&mut self, keys: &[&str]) -> Vec<Effect> {
        let mut effects = Vec::new();
        for k in keys {
            effects.extend(self.send(Msg::Key(key(k))));
        }
        effects
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        }
    }

    pub fn render(&self) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(self.app.size.0, self.app.size.1)).expect("terminal");
        terminal.draw(|frame| tidings::ui::view::draw(frame, &self.app)).expect("draw");
        terminal
    }

    /// Writes a poll result straight into the cache, as the poller would.
    pub fn lib_store_success(&mut self, feed: FeedId, state: &FeedFetchState, parsed: &ParsedFeed) {
        self.db().record_success(feed, NOW, state, parsed).expect("store");
    }

    pub fn selected_title(&self) -> Option<String> {
        let id = self.app.headlines.selected_id()?;
        self.app.headlines.rows.get(&id).map(|r| r.title.clone())
    }

    pub fn article_title(&self) -> Option<String> {
        self.app.article.as_ref().map(|a| a.item.title.clone())
    }
}

pub fn key(name: &str) -> KeyEvent {
    let code = match name {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "shift-tab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "down" => KeyCode::Down,
        "up" => KeyCode::Up,
        "pagedown" => KeyCode::PageDown,
        "pageup" => KeyCode::PageUp,
        "backspace" => KeyCode::Backspace,
        other => KeyCode::Char(other.chars().next().expect("a key")),
    };
    let modifiers = if name == "shift-tab" { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    KeyEvent::new(code, modifiers)
}
