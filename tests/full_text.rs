//! Full text for summary-only feeds, end to end against a local HTTP server: the poller fetches
//! the item's page, extracts the article and stores it; failures are stored as reasons; pages are
//! fetched once; `never` feeds are left alone. Pages are a phase of their own: a page server that
//! hangs never holds a feed back, the page deadline ends the poll and leaves the rest for the next,
//! and passing failures are tried again while lasting ones are not.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::http_server::{Reply, TestServer};
use tidings::config;
use tidings::feed::poller::{PageTotals, PollReport, PollSelection, Poller, PollerEvent};
use tidings::model::ItemId;
use tidings::store::{ItemFilter, Store};
use tokio::sync::mpsc;

const ARTICLE: [&str; 3] = [
    "The harbour council voted on Tuesday to rebuild the northern breakwater before the winter storms arrive.",
    "Engineers told the meeting that the old stones had shifted by almost a metre since the spring tides.",
    "Work starts next month and the ferry timetable will change while the cranes are on the pier.",
];

fn page() -> String {
    let body: String = ARTICLE.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<html><head><title>Breakwater to be rebuilt</title></head><body>\
         <nav><a href=/>Home</a> <a href=/news>News</a> <a href=/sport>Sport</a></nav>\
         <article><h1>Breakwater to be rebuilt</h1>{body}</article>\
         <div class=latest><h2>Latest News</h2><ul><li><a href=/1>Market opens late</a></li>\
         <li><a href=/2>School fete raises funds</a></li><li><a href=/3>Storm warning lifted</a></li></ul></div>\
         <footer>Copyright 2026 The Harbour Gazette. All rights reserved.</footer></body></html>"
    )
}

fn feed(server: &TestServer, items: &[(&str, &str)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Summaries</title><link>http://example.com/</link>\
         <description>d</description>",
    );
    for (guid, path) in items {
        out.push_str(&format!(
            "<item><title>Item {guid}</title><link>{}</link><guid>{guid}</guid>\
             <description>The council voted on the breakwater.</description>\
             <pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>",
            server.url(path)
        ));
    }
    out.push_str("</channel></rss>");
    out
}

struct Setup {
    _dir: tempfile::TempDir,
    store: Arc<Mutex<Store>>,
    poller: Poller,
}

fn setup(feeds: &[(String, &str)]) -> Setup {
    setup_with("", feeds)
}

/// A poller over `feeds` (URL and `full_text` mode) with these extra config lines first.
fn setup_with(extra: &str, feeds: &[(String, &str)]) -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("cache.db")).expect("store")));
    let mut text = if extra.is_empty() {
        String::from("[poll]\nconnect_timeout = \"2s\"\ntimeout = \"5s\"\n")
    } else {
        format!("{extra}\n")
    };
    for (url, full_text) in feeds {
        text.push_str(&format!("\n[[feed]]\nurl = \"{url}\"\nfull_text = \"{full_text}\"\n"));
    }
    let settings = config::parse_settings(&text, "test config", dir.path()).expect("config");
    let poller = Poller::new(Arc::new(settings), store.clone()).expect("poller");
    Setup { _dir: dir, store, poller }
}

async fn poll(setup: &Setup) -> Vec<PollerEvent> {
    poll_selected(setup, &PollSelection::All).await.1
}

async fn poll_selected(setup: &Setup, selection: &PollSelection) -> (PollReport, Vec<PollerEvent>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let report = setup.poller.poll(selection, &tx).await.expect("poll");
    drop(tx);
    let mut events = Vec::new();
    while let Some(event) = rx.recv().await {
        events.push(event);
    }
    (report, events)
}

fn item_by_guid(store: &Store, guid: &str) -> tidings::store::ItemRow {
    let ids = store.item_ids(&ItemFilter::All, false).expect("ids");
    ids.into_iter()
        .filter_map(|id| store.item(id).expect("item"))
        .find(|item| item.guid == guid)
        .unwrap_or_else(|| panic!("no item {guid}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summary_items_get_their_article_from_the_page() {
    let server = TestServer::start().await;
    server.route("/article", Reply::ok(page()).header("content-type", "text/html; charset=utf-8"));
    server.route("/missing", Reply::status(404));
    server.route("/image", Reply::ok(vec![0u8; 64]).header("content-type", "image/png"));
    server.route("/feed", Reply::ok(feed(&server, &[("a", "/article"), ("b", "/missing"), ("c", "/image")])));
    let setup = setup(&[(server.url("/feed"), "auto")]);

    let events = poll(&setup).await;
    let stored: Vec<(ItemId, Option<String>)> = events
        .iter()
        .filter_map(|e| match e {
            PollerEvent::ArticleStored { item, error, .. } => Some((*item, error.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(stored.len(), 3, "{events:?}");
    assert!(matches!(events.last(), Some(PollerEvent::Finished { .. })), "articles come before Finished");

    {
        let store = setup.store.lock().expect("store");
        let a = item_by_guid(&store, "a");
        let article = a.article_html.expect("the article was stored");
        for paragraph in ARTICLE {
            assert!(article.contains(paragraph), "{article}");
        }
        for boilerplate in ["Latest News", "Market opens late", "Copyright", "Sport"] {
            assert!(!article.contains(boilerplate), "{boilerplate} leaked into {article}");
        }
        assert_eq!(a.content_html.or(a.summary_html).as_deref(), Some("The council voted on the breakwater."));
        // Search covers the article's whole text now.
        let found = store.item_ids(&ItemFilter::search("cranes pier").expect("query"), false).expect("search");
        assert_eq!(found, [a.id]);

        let b = item_by_guid(&store, "b");
        assert_eq!(b.article_html, None);
        assert!(b.article_error.as_deref().is_some_and(|e| e.contains("404")), "{:?}", b.article_error);
        let c = item_by_guid(&store, "c");
        assert_eq!(c.article_error.as_deref(), Some("the link is not a web page (image/png)"));
    }

    // Each page is fetched once: later polls neither refetch articles nor retry failures.
    poll(&setup).await;
    assert_eq!(server.requests_to("/article").len(), 1);
    assert_eq!(server.requests_to("/missing").len(), 1);
    let accept = server.last_request_to("/article").header("accept").map(str::to_string);
    assert!(accept.is_some_and(|a| a.starts_with("text/html")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_feeds_and_full_feeds_fetch_no_pages() {
    let server = TestServer::start().await;
    server.route("/article", Reply::ok(page()));
    server.route("/never", Reply::ok(feed(&server, &[("n", "/article")])));
    let long = "The breakwater story in full, as the feed carries it. ".repeat(30);
    let full = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Full</title><link>http://example.com/</link>\
         <description>d</description><item><title>Full item</title><link>{}</link><guid>f</guid>\
         <description>{long}</description></item></channel></rss>",
        server.url("/article")
    );
    server.route("/full", Reply::ok(full));
    let setup = setup(&[(server.url("/never"), "never"), (server.url("/full"), "auto")]);
    let events = poll(&setup).await;
    assert!(!events.iter().any(|e| matches!(e, PollerEvent::ArticleStored { .. })), "{events:?}");
    assert!(server.requests_to("/article").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn always_feeds_fetch_pages_in_their_declared_charset() {
    let server = TestServer::start().await;
    let text = "Совет гавани во вторник проголосовал за восстановление северного волнолома до зимних штормов. \
                Инженеры сообщили, что старые камни сместились почти на метр с весенних приливов.";
    let html = format!(
        "<html><head><meta charset=\"windows-1251\"><title>Волнолом</title></head><body><nav><a href=/>Главная</a></nav>\
         <article><p>{text}</p><p>{text}</p></article><footer>Все права защищены</footer></body></html>"
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&html);
    server.route("/article", Reply::ok(bytes.into_owned()).header("content-type", "text/html"));
    let long = "The whole story as the feed carries it. ".repeat(40);
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Always</title><link>http://example.com/</link>\
         <description>d</description><item><title>Волнолом</title><link>{}</link><guid>r</guid>\
         <description>{long}</description></item></channel></rss>",
        server.url("/article")
    );
    server.route("/feed", Reply::ok(feed));
    let setup = setup(&[(server.url("/feed"), "always")]);
    poll(&setup).await;
    let store = setup.store.lock().expect("store");
    let article = item_by_guid(&store, "r").article_html.expect("article");
    assert!(article.contains("Совет гавани во вторник"), "{article}");
    assert!(!article.contains("Все права защищены"), "{article}");
}

/// Moves every failed page's time to try again into the past, as if hours went by.
fn let_retry_times_pass(setup: &Setup) {
    let path = setup._dir.path().join("cache.db");
    let conn = rusqlite::Connection::open(path).expect("open the cache");
    conn.execute("UPDATE items SET page_retry_at = 0 WHERE page_retry_at IS NOT NULL", []).expect("update");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_server_that_hangs_holds_no_feed_back_and_the_deadline_ends_the_poll() {
    let feeds = TestServer::start().await;
    let pages = TestServer::start_on("127.0.0.2").await;
    // The page host accepts and reads each request, then never answers.
    for n in 0..4 {
        pages.route(&format!("/page{n}"), Reply::ok(page()).delay(Duration::from_secs(3600)));
    }
    feeds.route("/one", Reply::ok(feed(&pages, &[("a", "/page0"), ("b", "/page1")])));
    feeds.route("/two", Reply::ok(feed(&pages, &[("c", "/page2")])));
    feeds.route("/three", Reply::ok(feed(&pages, &[("d", "/page3")])));
    // One request at a time, and a page time-out far longer than the page deadline.
    let extra = "[poll]\nconcurrency = 1\nper_host = 1\ntimeout = \"1h\"\n[full_text]\ndeadline = \"1s\"";
    let urls = ["/one", "/two", "/three"].map(|p| (feeds.url(p), "auto"));
    let setup = setup_with(extra, &urls);

    let (report, events) = poll_selected(&setup, &PollSelection::All).await;
    let done = events.iter().filter(|e| matches!(e, PollerEvent::FeedDone { .. })).count();
    let pages_started = events.iter().position(|e| matches!(e, PollerEvent::PagesStarted { .. }));
    let last_feed = events.iter().rposition(|e| matches!(e, PollerEvent::FeedDone { .. }));
    assert_eq!(done, 3, "{events:?}");
    assert!(last_feed < pages_started, "every feed is stored before the first page is asked for: {events:?}");
    assert!(matches!(events.get(last_feed.unwrap() + 1), Some(PollerEvent::FeedsFinished(t)) if t.new_items == 4));
    assert!(!events.iter().any(|e| matches!(e, PollerEvent::ArticleStored { .. })), "{events:?}");
    assert_eq!(report.pages, PageTotals { left: 4, ..PageTotals::default() }, "pages not reached are left");
    {
        let store = setup.store.lock().expect("store");
        for guid in ["a", "b", "c", "d"] {
            let item = item_by_guid(&store, guid);
            assert_eq!((item.article_html, item.article_error), (None, None), "{guid} is not marked failed");
        }
    }

    // The next poll (even one with no feed due) takes up the pages left over.
    for n in 0..4 {
        pages.route(&format!("/page{n}"), Reply::ok(page()).header("content-type", "text/html"));
    }
    let (report, _) = poll_selected(&setup, &PollSelection::Due).await;
    assert!(report.feeds.is_empty(), "no feed is due again so soon");
    assert_eq!(report.pages, PageTotals { stored: 4, ..PageTotals::default() });
    let store = setup.store.lock().expect("store");
    assert!(item_by_guid(&store, "d").article_html.is_some_and(|a| a.contains(ARTICLE[2])));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passing_page_failures_are_tried_again_later_and_lasting_ones_never() {
    let server = TestServer::start().await;
    server.route("/busy", Reply::status(503));
    server.route("/missing", Reply::status(404));
    server.route("/feed", Reply::ok(feed(&server, &[("busy", "/busy"), ("missing", "/missing")])));
    let setup = setup(&[(server.url("/feed"), "auto")]);

    let (report, _) = poll_selected(&setup, &PollSelection::All).await;
    assert_eq!(report.pages, PageTotals { failed: 1, retry_later: 1, ..PageTotals::default() });
    {
        let store = setup.store.lock().expect("store");
        let busy = item_by_guid(&store, "busy").article_error.expect("the reason is kept for the reader");
        assert!(busy.contains("503"), "{busy}");
    }
    // Too soon to try again: neither page is asked for.
    poll_selected(&setup, &PollSelection::All).await;
    assert_eq!((server.requests_to("/busy").len(), server.requests_to("/missing").len()), (1, 1));

    // Hours later the passing failure is tried again, and now works; the 404 stays as it was.
    let_retry_times_pass(&setup);
    server.route("/busy", Reply::ok(page()).header("content-type", "text/html"));
    let (report, _) = poll_selected(&setup, &PollSelection::All).await;
    assert_eq!(report.pages, PageTotals { stored: 1, ..PageTotals::default() });
    assert_eq!((server.requests_to("/busy").len(), server.requests_to("/missing").len()), (2, 1));
    let store = setup.store.lock().expect("store");
    let busy = item_by_guid(&store, "busy");
    assert!(busy.article_html.is_some() && busy.article_error.is_none(), "{busy:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_keeps_failing_is_given_up_on() {
    let server = TestServer::start().await;
    server.route("/down", Reply::status(502));
    server.route("/feed", Reply::ok(feed(&server, &[("down", "/down")])));
    let setup = setup(&[(server.url("/feed"), "auto")]);
    for _ in 0..tidings::feed::schedule::MAX_PAGE_ATTEMPTS {
        poll_selected(&setup, &PollSelection::All).await;
        let_retry_times_pass(&setup);
    }
    let tries = server.requests_to("/down").len() as i64;
    assert_eq!(tries, tidings::feed::schedule::MAX_PAGE_ATTEMPTS);
    poll_selected(&setup, &PollSelection::All).await;
    assert_eq!(server.requests_to("/down").len() as i64, tries, "no more tries");
    let store = setup.store.lock().expect("store");
    let error = item_by_guid(&store, "down").article_error.expect("reason");
    assert!(error.contains("502") && error.contains("gave up after 5 tries"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_each_feeds_newest_items_get_their_page_and_a_warm_poll_fetches_none() {
    let server = TestServer::start().await;
    let items: Vec<(String, String)> = (0..5).map(|n| (format!("i{n}"), format!("/page{n}"))).collect();
    for (_, path) in &items {
        server.route(path, Reply::ok(page()).header("content-type", "text/html"));
    }
    let refs: Vec<(&str, &str)> = items.iter().map(|(g, p)| (g.as_str(), p.as_str())).collect();
    server.route("/feed", Reply::ok(feed(&server, &refs)));
    let setup = setup_with("[full_text]\nper_feed = 2", &[(server.url("/feed"), "auto")]);

    let (report, _) = poll_selected(&setup, &PollSelection::All).await;
    assert_eq!(report.pages, PageTotals { stored: 2, ..PageTotals::default() });
    let fetched: Vec<usize> = (0..5).map(|n| server.requests_to(&format!("/page{n}")).len()).collect();
    assert_eq!(fetched, [0, 0, 0, 1, 1], "the two newest (same date: the later ones)");
    // The next poll finds the newest two done and leaves the older three with the feed's text.
    let (report, events) = poll_selected(&setup, &PollSelection::All).await;
    assert_eq!(report.pages, PageTotals::default());
    assert!(!events.iter().any(|e| matches!(e, PollerEvent::PagesStarted { .. })), "{events:?}");
    assert_eq!(server.requests().iter().filter(|r| r.path.starts_with("/page")).count(), 2);
}
