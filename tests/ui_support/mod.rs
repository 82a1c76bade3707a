//! A small cache and an App over it, for the interface tests.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tidings::keys::keymap::Keymap;
use tidings::model::{FeedId, NewItem, ParsedFeed};
use tidings::store::{FeedFetchState, Store};
use tidings::theme::Theme;
use tidings::ui::app::{App, FeedInfo};
use tidings::ui::library::{SharedIndex, StoreLibrary};
use tidings::ui::update::{Effect, Msg, start, update};

/// 2026-03-01 12:00 UTC: the fixed "now" of every interface test.
pub const NOW: i64 = 1_772_366_400;
const HOUR: i64 = 3600;

pub struct Fixture {
    pub app: App,
    pub lib: StoreLibrary,
    pub feeds: Vec<FeedId>,
    pub index: SharedIndex,
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

fn store_with_items() -> (Store, Vec<FeedId>) {
    let mut store = Store::open_in_memory().expect("memory store");
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
        FeedInfo { id: ids[0], name: "Harbour Gazette".into(), tags: vec!["local".into()] },
        FeedInfo { id: ids[1], name: "Tech Wire".into(), tags: vec!["tech".into()] },
        FeedInfo { id: ids[2], name: "Broken Feed".into(), tags: vec![] },
    ]
}

/// The fixture cache, indexed for related stories, with the App started at `width` x `height`.
pub fn fixture(width: u16, height: u16) -> Fixture {
    let f = unindexed_fixture(width, height);
    f.index.index_from(f.lib.store(), tidings::model::ItemId(0), NOW).expect("index");
    f.index.set_ready();
    f
}

/// Like [`fixture`], with the related index not built yet (as right after start-up).
pub fn unindexed_fixture(width: u16, height: u16) -> Fixture {
    let (store, feeds) = store_with_items();
    let index = SharedIndex::default();
    let mut lib = StoreLibrary::with_fixed_clock(store, index.clone(), NOW);
    let mut app = App::new(feed_infos(&feeds), Keymap::default(), Theme::default(), false);
    app.size = (width, height);
    start(&mut app, &mut lib);
    Fixture { app, lib, feeds, index }
}

/// An App over an empty cache with no feeds.
pub fn empty(width: u16, height: u16) -> Fixture {
    let store = Store::open_in_memory().expect("memory store");
    let index = SharedIndex::default();
    index.set_ready();
    let mut lib = StoreLibrary::with_fixed_clock(store, index.clone(), NOW);
    let mut app = App::new(Vec::new(), Keymap::default(), Theme::default(), false);
    app.size = (width, height);
    start(&mut app, &mut lib);
    Fixture { app, lib, feeds: Vec::new(), index }
}

impl Fixture {
    /// Puts the items with these titles in one story, as the related-stories engine would, and
    /// tells the interface.
    pub fn group(&mut self, titles: &[&str], story: i64) {
        let all = self.lib.store().item_ids(&tidings::store::ItemFilter::All, false).expect("ids");
        let rows = self.lib.store().item_summaries(&all).expect("rows");
        let pairs: Vec<_> = titles
            .iter()
            .map(|t| {
                (
                    rows.iter().find(|r| r.title == *t).unwrap_or_else(|| panic!("no item {t}")).id,
                    tidings::model::StoryId(story),
                )
            })
            .collect();
        self.lib.store_mut().set_stories(&pairs).expect("save stories");
        self.send(Msg::StoriesChanged);
    }

    pub fn send(&mut self, msg: Msg) -> Vec<Effect> {
        update(&mut self.app, msg, &mut self.lib)
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
        let mut store = Store::open_in_memory().expect("unused");
        std::mem::swap(&mut store, self.lib.store_mut());
        store.record_success(feed, NOW, state, parsed).expect("store");
        std::mem::swap(&mut store, self.lib.store_mut());
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
        "backspace" => KeyCode::Backspace,
        other => KeyCode::Char(other.chars().next().expect("a key")),
    };
    let modifiers = if name == "shift-tab" { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    KeyEvent::new(code, modifiers)
}
