//! Issue 17, kill -9 while the reader marks items: the real reader in a pseudo-terminal, over a
//! cache of 60 items from a local feed file, marks one more item read each round and is killed
//! with SIGKILL as soon as (or a moment after, from a seeded schedule) its screen says "Marked
//! read"; on every other round another connection holds the cache's write lock meanwhile, as a
//! poll's transaction does, so the reader's own save is still waiting. Every mark the screen
//! showed is in the cache afterwards: the reader writes each change
//! down before it draws it (`store::flag_journal`), and the next start saves what the killed one
//! had not. The cache passes `integrity_check` every time.

mod common;

use std::time::Duration;

use common::pty_demo::Demo;
use common::{integrity_check, splitmix};
use tidings::store::{ItemFilter, Store};

const ITEMS: usize = 60;
const ROUNDS: usize = 8;
const SEED: u64 = 0x6d61_726b_2d6b_696c;

fn feed() -> String {
    let items: String = (0..ITEMS)
        .map(|i| {
            format!(
                "<item><guid>m{i}</guid><title>Marked story {i:02}</title><link>https://m.example/{i}</link>\
                 <description>Story {i}.</description><pubDate>Sun, 01 Mar 2026 {:02}:{:02}:00 GMT</pubDate></item>",
                23 - i / 60,
                59 - i % 60
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Marks</title><link>https://m.example/</link>\
         <description>d</description>{items}</channel></rss>"
    )
}

fn read_count(cache: &std::path::Path) -> usize {
    let store = Store::open_for_reading(cache).expect("the cache");
    let all = store.item_ids(&ItemFilter::All, false).expect("ids");
    let unread = store.item_ids(&ItemFilter::Unread, false).expect("unread");
    all.len() - unread.len()
}

#[test]
fn marks_the_screen_showed_survive_a_kill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let feed_file = dir.path().join("marks.xml");
    std::fs::write(&feed_file, feed()).expect("the feed file");
    let config = dir.path().join("tidings.toml");
    std::fs::write(
        &config,
        format!("[ui]\nunread_only = false\n\n[[feed]]\nurl = \"{}\"\nname = \"Marks\"\n", feed_file.display()),
    )
    .expect("config");
    let cache = dir.path().join("cache.db");
    let args = ["--config", config.to_str().expect("utf-8"), "--cache", cache.to_str().expect("utf-8")];
    let mut state = SEED;
    for round in 0..ROUNDS {
        let mut reader = Demo::start_args(&args, &[]);
        reader.wait_for("the headlines", |s| s.contains("Marked story 00"));
        // Down to the round's item (each round marks the next one), then mark it.
        reader.press(&"j".repeat(round));
        std::thread::sleep(Duration::from_millis(100));
        // On even rounds another process holds the cache's write lock (as a poll's transaction
        // does), so the reader's save waits and the kill comes before it: only the journal has
        // the mark. On odd rounds the save may land first.
        let mut holder = rusqlite::Connection::open(&cache).expect("another connection");
        let held = (round % 2 == 0).then(|| {
            holder.busy_timeout(Duration::from_secs(5)).expect("busy timeout");
            holder.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).expect("the write lock")
        });
        reader.press("m");
        reader.wait_for("the mark", |s| s.contains("Marked read"));
        std::thread::sleep(Duration::from_millis(splitmix(&mut state) % 20));
        reader.signal("KILL");
        let _ = reader.wait_for_exit();
        drop(reader);
        drop(held);
        assert_eq!(integrity_check(&cache), "ok", "round {round}");
        // What the killed reader had not saved, the next start of tidings saves (here `list`).
        let listed = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
            .args(args)
            .arg("list")
            .env("XDG_STATE_HOME", dir.path())
            .output()
            .expect("tidings list");
        assert!(listed.status.success(), "{listed:?}");
        assert_eq!(read_count(&cache), round + 1, "round {round}: every mark shown is kept");
    }
}
