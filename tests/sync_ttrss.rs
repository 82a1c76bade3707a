//! Sync against a real Tiny Tiny RSS (started by the harness in `common::ttrss`): `tidings sync`
//! run as cron runs it, another API session playing the other devices, and the cache read as the
//! reader reads it. Each test has a user of its own on the shared server.

mod common;

use std::collections::HashMap;
use std::process::Stdio;

use common::feed_files::numbered_feed;
use common::gate_proxy::GateProxy;
use common::sync_reader::{PASSWORD_VAR, Reader};
use common::ttrss::{self, Api, TtRss};
use tidings::model::{ItemFilter, ItemId};

/// A user of its own on `server`, with the feeds `(file, title, count)` subscribed and fetched.
fn account(server: &TtRss, name: &str, feeds: &[(&str, usize)]) -> (String, String, Api, Vec<i64>) {
    let (user, password) = server.new_user(name);
    let api = Api::login(&server.url, &user, &password);
    let ids = feeds
        .iter()
        .map(|(file, count)| {
            let file = format!("{user}-{file}.xml");
            let url = server.write_feed(&file, &numbered_feed(&format!("{name} {file}"), &file, 1, *count));
            api.subscribe(&url)
        })
        .collect();
    (user, password, api, ids)
}

fn server_flags(api: &Api) -> HashMap<i64, (bool, bool)> {
    api.headlines(-4).into_iter().map(|(id, unread, starred)| (id, (!unread, starred))).collect()
}

#[test]
fn first_sync_pages_through_more_than_a_thousand_items_and_the_next_fetches_only_new_ones() {
    let Some(server) = ttrss::shared() else { return };
    let (user, password, api, feeds) = account(server, "paging", &[("big", 1_100), ("small", 3)]);
    let reader = Reader::new("ttrss", &server.url, &user, &password);

    let line = reader.sync_ok();
    assert!(line.contains("2 feeds, 1103 new items"), "{line}");
    let flags = reader.flags();
    assert_eq!(flags.len(), 1_103);
    assert_eq!(flags, server_flags(&api), "every item, with the server's flags");
    let store = reader.store();
    assert_eq!(
        store.item_ids(&ItemFilter::search("harbour ferry").expect("query"), false).expect("search").len(),
        1_103
    );
    drop(store);
    let listing = reader.command_for("feeds").output().expect("tidings feeds");
    let listing = String::from_utf8_lossy(&listing.stdout);
    let synced: Vec<&str> = listing.lines().filter(|l| l.ends_with("now  synced (Tiny Tiny RSS)")).collect();
    assert_eq!(synced.len(), 2, "{listing}");
    assert!(synced.iter().any(|l| l.split_whitespace().filter(|w| *w == "1100").count() == 2), "{listing}");

    // The small feed gets two items on the server: the next sync fetches those alone.
    let file = format!("{user}-small.xml");
    server.write_feed(&file, &numbered_feed(&format!("paging {file}"), &file, 1, 5));
    api.update(feeds[1]);
    let line = reader.sync_ok();
    assert!(line.contains("2 new items, 0 updated"), "{line}");
    assert_eq!(reader.flags().len(), 1_105);
    assert_eq!(reader.integrity(), "ok");
}

#[test]
fn read_and_star_here_are_seen_by_another_session_and_marks_there_come_back() {
    let Some(server) = ttrss::shared() else { return };
    let (user, password, api, _) = account(server, "flags", &[("news", 30)]);
    let reader = Reader::new("ttrss", &server.url, &user, &password);
    reader.sync_ok();
    let mut ids: Vec<i64> = reader.flags().keys().copied().collect();
    ids.sort_unstable();

    // Here: read the first three, star the fourth, as the reader's writer does.
    {
        let mut store = reader.store();
        let read: Vec<ItemId> = ids[..3].iter().map(|id| reader.local(*id)).collect();
        store.set_read(&read, true, common::now()).expect("read");
        store.set_starred(reader.local(ids[3]), true, common::now()).expect("star");
    }
    assert_eq!(reader.pending(), 4);
    let line = reader.sync_ok();
    assert!(line.contains("4 changes sent"), "{line}");
    assert_eq!(reader.pending(), 0);
    let other = Api::login(&server.url, &user, &password);
    let there = server_flags(&other);
    for id in &ids[..3] {
        assert_eq!(there[id], (true, false), "item {id} is read on the server");
    }
    assert_eq!(there[&ids[3]], (false, true), "item {} is starred on the server", ids[3]);

    // Elsewhere: one read made unread, another read, one starred; tidings follows.
    api.update_article(&[ids[0]], 2, 1);
    api.update_article(&[ids[10]], 2, 0);
    api.update_article(&[ids[11]], 0, 1);
    let line = reader.sync_ok();
    assert!(line.contains("2 read and 1 starred changed by the server"), "{line}");
    let here = reader.flags();
    assert_eq!((here[&ids[0]], here[&ids[10]], here[&ids[11]]), ((false, false), (true, false), (false, true)));
    assert_eq!(here, server_flags(&api));
}

#[test]
fn changes_made_while_the_server_is_unreachable_are_sent_after_a_restart() {
    let Some(server) = ttrss::shared() else { return };
    let (user, password, api, _) = account(server, "offline", &[("news", 10)]);
    let proxy = GateProxy::start(&format!("127.0.0.1:{}", server.port));
    let reader = Reader::new("ttrss", &proxy.url, &user, &password);
    reader.sync_ok();
    let ids: Vec<i64> = {
        let mut ids: Vec<i64> = reader.flags().keys().copied().collect();
        ids.sort_unstable();
        ids
    };

    proxy.refuse();
    {
        let mut store = reader.store();
        store.set_read(&[reader.local(ids[0]), reader.local(ids[1])], true, common::now()).expect("read");
        store.set_starred(reader.local(ids[2]), true, common::now()).expect("star");
    }
    let out = reader.sync();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("cannot reach the server"), "{stderr}");
    assert_eq!(reader.pending(), 3, "the changes wait in the cache");
    assert_eq!(reader.flags()[&ids[0]], (true, false), "and stay made here");

    // Later, another process (a restart), the server back.
    proxy.open();
    let line = reader.sync_ok();
    assert!(line.contains("3 changes sent"), "{line}");
    let there = server_flags(&api);
    assert_eq!((there[&ids[0]], there[&ids[1]], there[&ids[2]]), ((true, false), (true, false), (false, true)));
    assert_eq!(reader.pending(), 0);
}

#[test]
fn kill_9_during_a_sync_loses_no_flag_and_leaves_the_cache_sound() {
    let Some(server) = ttrss::shared() else { return };
    let (user, password, api, _) = account(server, "kill", &[("news", 250)]);
    let proxy = GateProxy::start(&format!("127.0.0.1:{}", server.port));
    let reader = Reader::new("ttrss", &proxy.url, &user, &password);
    reader.sync_ok();
    let mut ids: Vec<i64> = reader.flags().keys().copied().collect();
    ids.sort_unstable();

    // 240 read (two calls of at most 200) and 5 starred wait to be sent.
    {
        let mut store = reader.store();
        let read: Vec<ItemId> = ids[..240].iter().map(|id| reader.local(*id)).collect();
        store.set_read(&read, true, common::now()).expect("read");
        for id in &ids[240..245] {
            store.set_starred(reader.local(*id), true, common::now()).expect("star");
        }
    }
    // Killed while the second call of changes is on its way: login, the first 200, then held.
    let before = proxy.seen();
    proxy.hold_from(before + 3);
    let mut child = reader.command().stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    proxy.wait_until_held();
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    proxy.release();
    assert_eq!(reader.integrity(), "ok");
    assert_eq!(reader.pending(), 40 + 5, "the first 200 were confirmed; the rest is still queued");
    let here = reader.flags();
    assert!(ids[..240].iter().all(|id| here[id].0), "every read flag is still set here");

    // Killed again in the middle of the items (a full re-read of them): login, the 40 reads, the
    // 5 stars, the categories, the feeds and the first page pass; the second page is held.
    rusqlite::Connection::open(reader.cache())
        .and_then(|c| c.execute("UPDATE sync_state SET last_remote_id = 0", []))
        .expect("rewind");
    let before = proxy.seen();
    proxy.hold_from(before + 7);
    let mut child = reader.command().stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    proxy.wait_until_held();
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    proxy.release();
    assert_eq!(reader.integrity(), "ok");
    assert_eq!(reader.pending(), 0, "the rest was sent before the items");

    // The next sync finishes; the server has every change, and so has the cache.
    reader.sync_ok();
    let there = server_flags(&api);
    assert!(ids[..240].iter().all(|id| there[id] == (true, false)), "every read reached the server");
    assert!(ids[240..245].iter().all(|id| there[id] == (false, true)), "every star reached the server");
    assert_eq!(reader.flags(), there);
    assert_eq!(reader.integrity(), "ok");
}

#[test]
fn a_wrong_password_is_one_clear_line_without_the_password() {
    let Some(server) = ttrss::shared() else { return };
    let (user, _, _, _) = account(server, "wrong", &[]);
    let reader = Reader::new("ttrss", &server.url, &user, "not-the-password-x9");
    let out = reader.sync();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr,
        format!(
            "tidings: sync with Tiny Tiny RSS at {} failed: the server refused the user name or password of \
             \"{user}\" (LOGIN_ERROR)\n",
            server.url
        )
    );
    assert!(!stderr.contains("not-the-password-x9"));
    let log = std::fs::read_to_string(reader.dir.path().join("state/tidings/tidings.log")).expect("a log");
    assert!(!log.contains("not-the-password-x9"), "the password is not in the log");
}

#[test]
fn a_server_stopped_mid_sync_gives_one_line_and_the_next_sync_finishes_the_work() {
    // This one stops its server, so it has one of its own.
    let Some(server) = tidings::shared_data::started(ttrss::WHAT, TtRss::start()) else { return };
    let (user, password, _, _) = account(&server, "stopped", &[("big", 1_000)]);
    let proxy = GateProxy::start(&format!("127.0.0.1:{}", server.port));
    let reader = Reader::new("ttrss", &proxy.url, &user, &password);

    // Login, categories, feeds, two pages of items; the third page is held while the server stops.
    reader.sync_cut_off(&proxy, 6, || server.stop());
    assert_eq!(reader.flags().len(), 400, "the two pages that came are kept");

    // The server back: the sync starts from the last finished one and gets everything.
    let again = TtRss::restart(&server).expect("restart");
    assert_eq!(again.port, server.port);
    let line = reader.sync_ok();
    assert!(line.contains("600 new items"), "{line}");
    assert_eq!(reader.flags().len(), 1_000);
    again.stop();
}

#[test]
fn the_reader_shows_the_cache_at_once_and_syncs_in_the_background() {
    use common::pty_demo::Demo;
    let Some(server) = ttrss::shared() else { return };
    let (user, password) = server.new_user("reader");
    let api = Api::login(&server.url, &user, &password);
    let tech = server.new_category(&user, "Tech desk");
    let file = format!("{user}-harbour.xml");
    let url = server.write_feed(&file, &numbered_feed("Harbour News", &file, 1, 5));
    let feed = api.subscribe_in(&url, tech);
    let proxy = GateProxy::start(&format!("127.0.0.1:{}", server.port));
    let reader = Reader::new("ttrss", &proxy.url, &user, &password);
    reader.sync_ok();

    // Elsewhere: two new items, and one read.
    server.write_feed(&file, &numbered_feed("Harbour News", &file, 1, 7));
    api.update(feed);
    let first = *reader.flags().keys().min().expect("an item");
    api.update_article(&[first], 2, 0);

    // The server does not answer yet: the cache is on screen all the same.
    proxy.hold_from(proxy.seen() + 1);
    let config = reader.dir.path().join("config.toml");
    let cache = reader.cache();
    let args = ["--config", config.to_str().expect("path"), "--cache", cache.to_str().expect("path")];
    let mut tui = Demo::start_args(&args, &[(PASSWORD_VAR, password.as_str())]);
    let screen = tui.wait_for("the cache, while the sync waits", |t| t.contains("Harbour News item 5"));
    assert!(screen.contains("Tech desk") && screen.contains("Harbour News"), "{screen}");
    assert_eq!((screen.contains("All (5)"), unread_shown(&screen)), (true, 5), "{screen}");
    proxy.wait_until_held();
    let screen = tui.wait_for("the sync running", |t| t.contains("Syncing"));
    assert_eq!((screen.contains("All (5)"), unread_shown(&screen)), (true, 5), "{screen}");

    proxy.release();
    let screen = tui.wait_for("the sync done", |t| t.contains("Synced just now"));
    assert!(screen.contains("Harbour News item 7"), "{screen}");
    assert_eq!((screen.contains("All (7)"), unread_shown(&screen)), (true, 6), "two new, one read: {screen}");
    tui.press("Q");
    assert!(tui.wait_for_exit().success());
    tui.assert_terminal_restored();
}

/// The count on the feeds pane's "Unread" line.
fn unread_shown(screen: &str) -> i64 {
    let line = screen.lines().find(|l| l.starts_with("│ Unread")).unwrap_or_default();
    let pane = line.split('│').nth(1).unwrap_or_default();
    pane.split_whitespace().last().and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[test]
fn an_address_that_is_not_tt_rss_is_one_line_saying_so() {
    let Some(server) = ttrss::shared() else { return };
    // The feed files' server answers a POST with an HTTP error, as a wrong address would.
    let reader = Reader::new("ttrss", &server.feeds.url, "someone", "pw");
    let out = reader.sync();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!((out.status.code(), stderr.lines().count()), (Some(1), 1), "{stderr}");
    assert!(stderr.contains("is this tt-rss's address?"), "{stderr}");
}
