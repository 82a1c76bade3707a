//! Issue 17, hostile content: feeds whose every text field carries escape sequences, controls,
//! bidi overrides and zero-width characters (see `common::hostile`), links with `javascript:`,
//! `data:` and `file:`, OPML and config entries that try to run commands. Served by a local
//! server and read by the real binary (`poll`, `feeds`, `list`, `list --json`, `export-opml`, the
//! log file), and drawn by the reader on a `TestBackend`: nothing reaches an output
//! unneutralised, the words around the attacks still read, and nothing is run.

mod common;
mod ui_support;

use common::home::{Home, path_str};
use common::hostile::{assert_clean, nasty, nasty_refs};
use common::http_server::{Reply, TestServer};
use tidings::feed::parse_feed;
use tidings::model::ItemFilter;
use tidings::store::Store;

/// XML text: the five markup characters escaped, controls left raw (as broken feeds send them).
fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An RSS feed with raw attacks in the channel title, item titles, authors, categories,
/// descriptions (as escaped HTML holding an attacked link text and a `javascript:` href) and
/// with character references to the same attacks; item links with forbidden schemes.
fn hostile_rss() -> String {
    let body = format!(
        "<p>{}</p><p><a href=\"javascript:alert(1)\">{}</a> and <a href=\"data:text/html,x\">data</a>.</p>",
        xml(&nasty("Body words")),
        xml(&nasty("Link words"))
    );
    let items = [
        ("javascript:alert(document.cookie)", nasty("Script link title")),
        ("data:text/html;base64,PHNjcmlwdD4=", nasty("Data link title")),
        ("file:///etc/passwd", nasty("File link title")),
        ("https://news.example/ok", nasty("Fine link title")),
    ];
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{}</title>\
         <link>https://news.example/</link><description>{}</description>\n",
        xml(&nasty("Raw Channel")),
        xml(&nasty("Channel description"))
    );
    for (i, (link, title)) in items.iter().enumerate() {
        out.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"false\">rss-{i}</guid>\
             <author>{}</author><category>{}</category><description>{}</description>\
             <pubDate>Sun, 01 Mar 2026 10:00:00 GMT</pubDate></item>\n",
            xml(title),
            xml(link),
            xml(&nasty("Author name")),
            xml(&nasty("Category")),
            xml(&body),
        ));
    }
    out.push_str(&format!(
        "<item><title>{}</title><link>https://news.example/refs</link><guid>rss-refs</guid>\
         <description>{}</description><pubDate>Sun, 01 Mar 2026 09:00:00 GMT</pubDate></item>\n",
        nasty_refs("Reference title"),
        xml(&format!("<p>{}</p>", nasty_refs("Reference body")))
    ));
    out.push_str("</channel></rss>\n");
    out
}

/// An Atom feed: attacks in the feed title, entry titles (text and HTML types), author names,
/// summaries and content.
fn hostile_atom() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>{}</title><id>urn:hostile</id><updated>2026-03-01T10:00:00Z</updated>\
         <entry><title type=\"html\">{}</title><id>urn:a1</id><link href=\"https://atom.example/1\"/>\
         <updated>2026-03-01T10:00:00Z</updated><author><name>{}</name></author>\
         <summary>{}</summary><content type=\"html\">{}</content></entry>\
         <entry><title>{}</title><id>urn:a2</id><link href=\"javascript:void(0)\"/>\
         <updated>2026-03-01T09:00:00Z</updated></entry></feed>\n",
        xml(&nasty("Atom Feed")),
        xml(&format!("<b>{}</b>", nasty("Atom html title"))),
        xml(&nasty("Atom author")),
        xml(&nasty("Atom summary")),
        xml(&format!("<p>{}</p>", nasty("Atom content"))),
        xml(&nasty("Atom text title")),
    )
}

/// A JSON Feed, where every control is legal JSON (`\u001b`, `\u0000`, ...).
fn hostile_json() -> String {
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": nasty("Json Feed"),
        "home_page_url": "https://json.example/",
        "authors": [{"name": nasty("Json feed author")}],
        "items": [
            {
                "id": "j1",
                "url": "https://json.example/1",
                "title": nasty("Json title"),
                "content_html": format!("<p>{}</p>", nasty("Json html")),
                "authors": [{"name": nasty("Json author")}],
                "date_published": "2026-03-01T10:00:00Z",
                "tags": [nasty("Json tag")],
            },
            {
                "id": "j2",
                "url": "data:text/plain,hello",
                "title": nasty("Json plain"),
                "content_text": nasty("Json text body"),
                "date_published": "2026-03-01T09:00:00Z",
            }
        ]
    })
    .to_string()
}

/// An HTML page where a feed was expected, its title attacked.
fn hostile_page() -> String {
    format!("<!doctype html><html><head><title>{}</title></head><body><p>Not a feed</p></body></html>", nasty("Page"))
}

const ROUTES: [&str; 4] = ["/rss", "/atom", "/json", "/page"];

async fn hostile_server() -> TestServer {
    let server = TestServer::start().await;
    server.route("/rss", Reply::ok(hostile_rss()).header("Content-Type", "application/rss+xml"));
    server.route("/atom", Reply::ok(hostile_atom()).header("Content-Type", "application/atom+xml"));
    server.route("/json", Reply::ok(hostile_json()).header("Content-Type", "application/feed+json"));
    server.route("/page", Reply::ok(hostile_page()).header("Content-Type", "text/html"));
    server
}

/// The words that must survive cleaning, for each feed that parses.
const SURVIVING: [&str; 8] = [
    "Script link title",
    "Fine link title",
    "Reference title",
    "Atom text title",
    "Json title",
    "red",
    "link",
    "txt.exe",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_feeds_reach_no_output_unneutralised() {
    let server = hostile_server().await;
    let home = Home::new();
    let config = home.path("tidings.toml");
    let cache = home.path("cache.db");
    let feeds: String = ROUTES.iter().map(|r| format!("[[feed]]\nurl = \"{}\"\n\n", server.url(r))).collect();
    std::fs::write(&config, feeds).expect("write config");
    let base = ["--config", path_str(&config), "--cache", path_str(&cache)];
    let run = |extra: &'static [&'static str]| {
        let args: Vec<String> = base.iter().chain(extra).map(|s| s.to_string()).collect();
        let home = &home;
        async move {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            home.run_async(&refs).await
        }
    };

    let poll = run(&["poll"]).await;
    assert_clean("poll's output", &poll.stdout);
    assert_clean("poll's errors", &poll.stderr);
    assert!(poll.stdout.contains("1 failed"), "only the page is not a feed: {poll:#?}");
    let feeds = run(&["feeds"]).await.assert_ok().stdout.clone();
    assert_clean("feeds' output", &feeds);
    for name in ["Raw Channel red link txt.exe", "Atom Feed red link", "Json Feed red link"] {
        assert!(feeds.contains(name), "the feed's title still reads ({name}): {feeds}");
    }
    let list = run(&["list"]).await.assert_ok().stdout.clone();
    assert_clean("list's output", &list);
    let json = run(&["list", "--json"]).await.assert_ok().stdout.clone();
    assert_clean("list --json", &json);
    for words in SURVIVING {
        assert!(list.contains(words), "{words:?} still reads in the list: {list}");
    }
    for scheme in ["javascript:", "data:", "file:"] {
        assert!(!list.contains(scheme) && !json.contains(scheme), "no {scheme} link is listed: {list}");
    }
    let opml = run(&["export-opml"]).await.assert_ok().stdout.clone();
    assert_clean("the exported OPML", &opml);
    let log = std::fs::read_to_string(home.path("state/tidings/tidings.log")).expect("the log file");
    assert_clean("the log file", &log);

    // The cache holds clean titles, authors, links and errors.
    let store = Store::open_for_reading(&cache).expect("the cache");
    for feed in store.feeds().expect("feeds") {
        assert_clean("a feed's title", feed.title.as_deref().unwrap_or(""));
        assert_clean("a feed's error", feed.error.as_deref().unwrap_or(""));
    }
    let ids = store.item_ids(&ItemFilter::All, false).expect("item ids");
    assert_eq!(ids.len(), 9, "every item is kept: 5 RSS, 2 Atom, 2 JSON Feed");
    for id in ids {
        let item = store.item(id).expect("item").expect("present");
        assert_clean("an item's title", &item.title);
        assert_clean("an item's author", item.author.as_deref().unwrap_or(""));
        if let Some(url) = &item.url {
            assert!(url.starts_with("https://"), "only web links are kept: {url}");
        }
    }
}

/// The reader draws every hostile item (headline, article, related pane) with no control or
/// invisible character in any cell, and the words still there.
#[test]
fn the_reader_draws_hostile_items_clean() {
    let now = ui_support::NOW;
    let feeds: Vec<(&str, tidings::model::ParsedFeed)> = [
        ("https://news.example/rss", hostile_rss()),
        ("https://atom.example/feed", hostile_atom()),
        ("https://json.example/feed.json", hostile_json()),
    ]
    .iter()
    .map(|(url, text)| (*url, parse_feed(text.as_bytes(), None, url, now).expect("the hostile feed parses")))
    .collect();
    let mut f = ui_support::over_feeds(&feeds, 160, 50);
    let screen = |f: &ui_support::Fixture| {
        let terminal = f.render();
        let buffer = terminal.backend().buffer().clone();
        let mut text = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                text.push_str(buffer[(x, y)].symbol());
            }
            text.push('\n');
        }
        text
    };
    assert_clean("the feeds pane", &screen(&f));
    f.keys(&["enter"]);
    let count = f.app.headlines.ids.len();
    assert_eq!(count, 9, "every item is listed");
    let mut seen = String::new();
    for _ in 0..count {
        f.keys(&["enter"]);
        let text = screen(&f);
        assert_clean("a frame of the reader", &text);
        seen.push_str(&text);
        f.keys(&["esc", "j"]);
    }
    for words in ["Body words red", "Link words red", "Atom content", "Json html", "Json text body", "txt.exe"] {
        assert!(seen.contains(words), "{words:?} is drawn: {seen}");
    }
}

/// An OPML list whose outlines try to run commands (newsboat's `|command`, `exec:` and `filter:`
/// URLs), run scripts or reach local files, with an attacked title on its one web feed: from a
/// file, the command URLs are refused, saying why; from the web, the local ones are too. Nothing
/// runs, and the web feed is imported under a clean name that still reads. A config with such a
/// URL is refused with its line, and nothing runs either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opml_and_config_that_try_commands_run_nothing() {
    let home = Home::new();
    let marker = home.path("ran");
    let touch = format!("touch {}", path_str(&marker));
    let outline =
        |title: &str, url: &str| format!("<outline type=\"rss\" text=\"{}\" xmlUrl=\"{}\"/>", xml(title), xml(url));
    let opml = format!(
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>{}</title></head><body>{}{}{}{}{}{}{}</body></opml>",
        xml(&nasty("List")),
        outline("Pipe", &format!("|{touch}")),
        outline("Exec", &format!("exec:{touch}")),
        outline("Filter", &format!("filter:/bin/sh -c '{touch}':https://x.example/feed")),
        outline("Script", "javascript:alert(1)"),
        outline("Local", "file:///etc/passwd"),
        outline("Path", "/etc/shadow"),
        outline(&nasty("Good"), "https://good.example/feed"),
    );
    let server = TestServer::start().await;
    server.route("/list.opml", Reply::ok(opml.clone()).header("Content-Type", "text/x-opml"));
    let file = home.path("hostile.opml");
    std::fs::write(&file, opml).expect("write the OPML");
    for (source, config) in
        [(path_str(&file).to_string(), "from-file.toml"), (server.url("/list.opml"), "from-web.toml")]
    {
        let config = home.path(config);
        let run = home.run_async(&["--config", path_str(&config), "import-opml", &source]).await;
        run.assert_ok();
        assert_clean("import-opml's output", &run.stdout);
        assert_clean("import-opml's errors", &run.stderr);
        for refused in ["Pipe", "Exec", "Filter", "Script"] {
            assert!(
                run.stderr.contains(&format!("skipping \"{refused}\"")),
                "{refused} is refused, saying so: {run:#?}"
            );
        }
        let written = std::fs::read_to_string(&config).expect("the config is written");
        assert_clean("the config written", &written);
        assert!(written.contains("https://good.example/feed"), "{written}");
        assert!(written.contains("Good red link txt.exe"), "the name still reads: {written}");
        for refused in ["touch", "javascript:", "exec:", "filter:"] {
            assert!(!written.contains(refused), "{refused} is not subscribed: {written}");
        }
        if source.starts_with("http") {
            for local in ["Local", "Path"] {
                assert!(run.stderr.contains(&format!("skipping \"{local}\"")), "a web list names no files: {run:#?}");
            }
            assert!(!written.contains("file:"), "{written}");
        }
    }
    assert!(!marker.exists(), "nothing was run");

    let bad = home.path("bad.toml");
    for url in [format!("|{touch}"), format!("exec:{touch}"), format!("filter:{touch}:https://x.example/")] {
        std::fs::write(&bad, format!("[[feed]]\nurl = \"{url}\"\n")).expect("write config");
        let run = home.run_async(&["--config", path_str(&bad), "check-config"]).await;
        assert_ne!(run.code, Some(0), "{url} is refused: {run:#?}");
        assert!(run.stderr.contains(":2:"), "the message gives the line: {run:#?}");
        let run = home.run_async(&["--config", path_str(&bad), "poll"]).await;
        assert_ne!(run.code, Some(0), "{run:#?}");
        assert!(!marker.exists(), "nothing was run for {url}");
    }
}
