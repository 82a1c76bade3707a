//! Issue 17, pathological input: after a good poll, the feed's server sends what no feed should
//! (a 1 MB title, 100,000 items, markup nested 100,000 deep, absurd tables, an entity bomb,
//! invalid UTF-8, UTF-16, JSON that is not JSON Feed, a page where the feed was). Each poll ends,
//! either with the feed marked failed and its old items kept, or with what could be read stored
//! within bounds; the reader then renders every item it kept as its pane does. The process's peak memory is read
//! at the end (`VmHWM`); a run that takes gigabytes fails.

mod common;

use std::time::Duration;

use common::http_server::{Reply, TestServer};
use common::poller_harness::{Harness, two_items};
use tidings::feed::poller::FeedOutcome;
use tidings::render::render_html;
use tidings::theme::Theme;
use tidings::ui::document::body_html;

/// A poll that does not end within this is a hang (a guard, not a speed target).
const HANG: Duration = Duration::from_secs(120);

fn rss_with(items: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Feed</title>\
         <link>https://x.example/</link><description>d</description>{items}</channel></rss>"
    )
}

fn item(guid: &str, title: &str, body: &str) -> String {
    format!("<item><guid>{guid}</guid><title>{title}</title><description>{body}</description></item>")
}

fn escape(html: &str) -> String {
    html.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The cases: a name, and the body the server sends after the good poll.
fn cases() -> Vec<(&'static str, Vec<u8>)> {
    let huge_title = "Headline ".repeat(120_000);
    let many: String = (0..100_000).map(|i| format!("<item><guid>m{i}</guid><title>n{i}</title></item>")).collect();
    let deep = format!("{}text{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
    let tables = format!(
        "<table><tr><td rowspan=\"0\" colspan=\"1000000\">a</td><td colspan=\"-5\">b</td></tr>{}</table>",
        "<tr><td rowspan=\"65535\">x</td></tr>".repeat(2_000)
    );
    let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\
                <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\
                <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\
                <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\
                <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\"><!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]>\
                <rss version=\"2.0\"><channel><title>&i;</title><item><guid>bomb</guid><title>&i;</title></item></channel></rss>";
    let mut invalid_utf8 = rss_with(&item("u1", "Caf\u{e9} PLACEHOLDER", "body")).into_bytes();
    let at = invalid_utf8.windows(11).position(|w| w == b"PLACEHOLDER").expect("placeholder");
    invalid_utf8.splice(at..at + 11, [0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]);
    let utf16: Vec<u8> = {
        let text = rss_with(&item("w1", "Ünïcödé in UTF-16", "body")).replace("UTF-8", "UTF-16");
        let mut bytes = vec![0xfe, 0xff];
        bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        bytes
    };
    vec![
        ("a 1 MB title", rss_with(&item("t1", &huge_title, "body")).into_bytes()),
        ("100,000 items", rss_with(&many).into_bytes()),
        ("markup nested 100,000 deep", rss_with(&item("d1", "Deep", &escape(&deep))).into_bytes()),
        ("absurd table spans", rss_with(&item("s1", "Spans", &escape(&tables))).into_bytes()),
        ("an XML entity bomb", bomb.as_bytes().to_vec()),
        ("invalid UTF-8", invalid_utf8),
        ("UTF-16BE with a byte order mark", utf16),
        ("JSON that is not JSON Feed", br#"{"version": 3, "data": [1, 2, {"items": "no"}]}"#.to_vec()),
        (
            "an HTML page",
            b"<!doctype html><html><head><title>Moved</title></head><body><p>Hi</p></body></html>".to_vec(),
        ),
        ("nothing at all", Vec::new()),
        ("binary noise", (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()),
    ]
}

/// The process's peak resident memory in MiB (Linux), if known.
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kib| kib / 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pathological_feeds_end_bounded_and_keep_the_old_items() {
    for (name, body) in cases() {
        let started = std::time::Instant::now();
        let server = TestServer::start().await;
        server.route("/feed", Reply::ok(two_items()));
        let h = Harness::new("", &[server.url("/feed")]);
        h.poll_one().await;
        assert_eq!(h.titles(0), ["First story", "Second story"], "{name}: the good poll");

        server.route("/feed", Reply::ok(body));
        let outcome =
            tokio::time::timeout(HANG, h.poll_one()).await.unwrap_or_else(|_| panic!("{name}: the poll hung"));
        let polled = started.elapsed().as_secs_f64();
        let titles = h.titles(0);
        match &outcome {
            FeedOutcome::Failed(error) => {
                assert_eq!(titles, ["First story", "Second story"], "{name}: a failure keeps the old items");
                let row = h.row(0);
                assert_eq!(row.error.as_deref(), Some(error.to_string().as_str()), "{name}: the feed says why");
                assert!(error.to_string().chars().count() < 300, "{name}: the message is one short line: {error}");
            }
            _ => {
                assert!(titles.contains(&"First story".to_string()), "{name}: old items are kept: {outcome:?}");
                assert!(titles.len() <= 5_002, "{name}: a feed gives at most 5,000 items ({})", titles.len());
                for title in &titles {
                    assert!(
                        title.chars().count() <= 1_000,
                        "{name}: a stored title is bounded ({} chars)",
                        title.len()
                    );
                }
            }
        }
        match name {
            "UTF-16BE with a byte order mark" => {
                assert!(titles.contains(&"Ünïcödé in UTF-16".to_string()), "{titles:?}")
            }
            "invalid UTF-8" => {
                assert!(titles.iter().any(|t| t.starts_with("Café ")), "the valid part reads: {titles:?}")
            }
            _ => {}
        }
        // Whatever was kept is drawn: the article of every stored item renders.
        let store = h.store.lock().expect("store");
        let ids = store.item_ids(&tidings::store::ItemFilter::All, false).expect("ids");
        for id in ids.iter().take(50) {
            let item = store.item(*id).expect("item").expect("present");
            // As the reader pane does: the feed's HTML cleaned (hostile nesting bounded), rendered.
            let html = body_html(&item, true);
            let rendered = render_html(&html, 100, None, &Theme::default());
            assert!(rendered.lines.len() < 200_000, "{name}: the article is bounded");
        }
        println!(
            "{name}: {} items kept, {outcome:?} (poll {polled:.1} s, all {:.1} s)",
            ids.len(),
            started.elapsed().as_secs_f64()
        );
    }
    if let Some(peak) = peak_mib() {
        println!("peak memory: {peak} MiB");
        assert!(peak < 2_048, "the pathological feeds took {peak} MiB at peak");
    }
}
