//! Helpers shared by the integration tests. Each test file compiles its own copy, and not every
//! file uses every helper.
#![allow(dead_code)]

pub mod coldsweat;
pub mod feed_files;
pub mod gate_proxy;
pub mod home;
pub mod hostile;
pub mod http_server;
pub mod loopback_post;
pub mod poller_harness;
pub mod pty_demo;
pub mod recording_proxy;
pub mod servers;
pub mod sync_reader;
pub mod ttrss;

use std::path::{Path, PathBuf};

/// `tests/fixtures/<relative>` as an absolute path.
pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(relative)
}

/// The bytes of a fixture file; panics naming the file when it is missing.
pub fn fixture_bytes(relative: &str) -> Vec<u8> {
    let path = fixture(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}

/// The text of a fixture file.
pub fn fixture_text(relative: &str) -> String {
    let path = fixture(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}

/// The current time in unix seconds.
pub fn now() -> i64 {
    tidings::feed::poller::now_secs()
}

/// A small RSS 2.0 document with the given `(guid, title, description)` items. A `None` guid
/// leaves `<guid>` out; items have no `<link>`, and all share one `<pubDate>`.
pub fn rss(title: &str, items: &[(Option<&str>, &str, &str)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>http://example.com/</link><description>test feed</description>\n"
    );
    for (guid, item_title, body) in items {
        out.push_str("<item>");
        out.push_str(&format!("<title>{item_title}</title><description>{body}</description>"));
        if let Some(guid) = guid {
            out.push_str(&format!("<guid isPermaLink=\"false\">{guid}</guid>"));
        }
        out.push_str("<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>\n");
    }
    out.push_str("</channel></rss>\n");
    out
}

/// `PRAGMA integrity_check` of the cache at `path` ("ok" when it is whole).
pub fn integrity_check(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).expect("open the cache");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check")
}

/// The next number of a seeded schedule (splitmix64): the same moments on every run.
pub fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
