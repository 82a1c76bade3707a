//! Issue 17, faults to the process: `tidings poll` killed with SIGKILL at moments drawn from a
//! seeded random schedule, again and again, while it fetches, parses and stores 40 feeds (some
//! slow) into one cache. After every kill the cache passes `PRAGMA integrity_check`, the read and
//! starred flags set before stay set, no item is stored twice, and a last poll left to finish
//! brings every item.

mod common;

use std::time::Duration;

use common::home::{Home, path_str};
use common::http_server::{Reply, TestServer};
use common::{integrity_check, splitmix};
use tidings::model::ItemId;
use tidings::store::{ItemFilter, Store};

const FEEDS: usize = 40;
const ITEMS: usize = 60;
const KILLS: usize = 16;
/// The schedule's seed: the same moments on every run.
const SEED: u64 = 0x6b69_6c6c_2d39_0017;

fn feed(f: usize) -> String {
    let items: String = (0..ITEMS)
        .map(|i| {
            format!(
                "<item><guid>f{f}-i{i}</guid><title>Feed {f} story {i}</title><link>https://feed{f}.example/{i}</link>\
                 <description>&lt;p&gt;Story {i} of feed {f}, with a paragraph of text to store and index.&lt;/p&gt;</description>\
                 <pubDate>Sun, 01 Mar 2026 {:02}:{:02}:00 GMT</pubDate></item>",
                i % 24,
                f % 60
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {f}</title>\
         <link>https://feed{f}.example/</link><description>d</description>{items}</channel></rss>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_killed_at_random_moments_lose_nothing() {
    let server = TestServer::start().await;
    for f in 0..FEEDS {
        // Every fourth feed is slow, so that kills land while requests are in flight too.
        let reply = Reply::ok(feed(f));
        let reply = if f % 4 == 3 { reply.delay(Duration::from_millis(150)) } else { reply };
        server.route(&format!("/feed{f}"), reply);
    }
    let home = Home::new();
    let config = home.path("tidings.toml");
    let cache = home.path("cache.db");
    let feeds: String = (0..FEEDS)
        .map(|f| format!("[[feed]]\nurl = \"{}\"\nname = \"Feed {f}\"\n\n", server.url(&format!("/feed{f}"))))
        .collect();
    std::fs::write(&config, format!("[poll]\nper_host = 4\n\n{feeds}")).expect("write the config");
    let args = ["--config", path_str(&config), "--cache", path_str(&cache), "poll", "--all"];

    // A first poll of a few feeds, to have flags to keep: the first item of each stored feed
    // read, the second starred.
    let first =
        home.run_async(&["--config", path_str(&config), "--cache", path_str(&cache), "poll", "--feed", "Feed 0"]).await;
    let flagged: Vec<ItemId> = {
        let mut store = Store::open(&cache).expect("the cache");
        let ids = store.item_ids(&ItemFilter::All, false).expect("ids");
        assert!(!ids.is_empty(), "the first poll stored items: {first:#?}");
        let read: Vec<ItemId> = ids.iter().copied().step_by(3).collect();
        store.set_read(&read, true, 0).expect("mark read");
        for &id in ids.iter().step_by(5) {
            store.set_starred(id, true, 0).expect("star");
        }
        read
    };

    let mut state = SEED;
    let mut killed_running = 0;
    for round in 0..KILLS {
        let delay = Duration::from_millis(20 + splitmix(&mut state) % 900);
        let mut child = home.command(&args).stdout(std::process::Stdio::null()).spawn().expect("start tidings poll");
        tokio::time::sleep(delay).await;
        if child.try_wait().expect("wait").is_none() {
            killed_running += 1;
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        assert_eq!(integrity_check(&cache), "ok", "round {round}: the cache after a kill at {delay:?}");
        let store = Store::open_for_reading(&cache).expect("the cache opens after the kill");
        for &id in &flagged {
            let item = store.item(id).expect("item").expect("kept");
            assert!(item.read, "round {round}: item {id:?} is still read");
        }
    }
    assert!(killed_running >= KILLS / 2, "most kills hit a running poll ({killed_running} of {KILLS})");

    // Left to finish, a poll brings everything, once.
    let last = home.run_async(&args).await;
    last.assert_ok();
    assert_eq!(integrity_check(&cache), "ok");
    let store = Store::open_for_reading(&cache).expect("the cache");
    let ids = store.item_ids(&ItemFilter::All, false).expect("ids");
    assert_eq!(ids.len(), FEEDS * ITEMS, "every item, none twice");
    let starred = store.item_ids(&ItemFilter::Starred, false).expect("starred");
    assert!(!starred.is_empty() && starred.len() == ITEMS.div_ceil(5), "the stars stay: {}", starred.len());
    println!("{KILLS} kills ({killed_running} of a running poll), cache ok, {} items", ids.len());
}
