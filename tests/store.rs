//! The SQLite cache on a real file: migrations, refusing a newer cache untouched, upserts that
//! never duplicate and never touch the reader's flags, URL changes, retention and search.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::{now, rss};
use tidings::feed::parse_feed;
use tidings::model::{FeedId, ItemId, NewItem, ParsedFeed};
use tidings::store::{FeedFetchState, ItemFilter, SCHEMA_VERSION, Store, StoreError, UpsertCounts};

const DAY: i64 = 86_400;

fn item(guid: &str, title: &str, body: &str, published_at: i64) -> NewItem {
    NewItem {
        guid: guid.to_string(),
        url: Some(format!("http://example.com/{guid}")),
        title: title.to_string(),
        summary_html: Some(body.to_string()),
        published_at: Some(published_at),
        ..NewItem::default()
    }
}

fn feed_of(items: Vec<NewItem>) -> ParsedFeed {
    let mut parsed = ParsedFeed { items, ..ParsedFeed::default() };
    parsed.meta.title = Some("Test feed".into());
    parsed
}

fn state(now: i64) -> FeedFetchState {
    FeedFetchState { next_poll_at: now + 1800, ..FeedFetchState::default() }
}

/// A store on `path` with one feed; returns both.
fn store_with_feed(path: &Path, url: &str) -> (Store, FeedId) {
    let mut store = Store::open(path).expect("open the cache");
    let ids = store.sync_feeds(&[url]).expect("sync feeds");
    (store, ids[0])
}

/// The guids of every item of `feed`, sorted.
fn guids(store: &Store, feed: FeedId) -> Vec<String> {
    let ids = store.item_ids(&ItemFilter::Feeds(vec![feed]), false).expect("item ids");
    let mut out: Vec<String> = ids.iter().map(|id| store.item(*id).expect("item").expect("item exists").guid).collect();
    out.sort();
    out
}

fn item_by_guid(store: &Store, feed: FeedId, guid: &str) -> tidings::store::ItemRow {
    let ids = store.item_ids(&ItemFilter::Feeds(vec![feed]), false).expect("item ids");
    ids.iter()
        .map(|id| store.item(*id).expect("item").expect("item exists"))
        .find(|i| i.guid == guid)
        .unwrap_or_else(|| panic!("no item with guid {guid}"))
}

/// The titles a search lists; nothing when the query does not parse.
fn search(store: &Store, query: &str) -> Vec<String> {
    let Ok(filter) = ItemFilter::search(query) else { return Vec::new() };
    let ids = store.item_ids(&filter, false).expect("search must not error");
    store.item_summaries(&ids).expect("summaries").into_iter().map(|s| s.title).collect()
}

#[test]
fn migrations_run_once_and_reopening_is_idempotent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested").join("cache.db");
    {
        let (mut store, feed) = store_with_feed(&path, "http://example.com/feed");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
        store.record_success(feed, now(), &state(now()), &feed_of(vec![item("a", "A", "x", now())])).expect("store");
    }
    for _ in 0..2 {
        let mut store = Store::open(&path).expect("reopen");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
        assert_eq!(store.sync_feeds(&["http://example.com/feed"]).expect("sync"), [FeedId(1)]);
        assert_eq!(store.count_items(&ItemFilter::All, false).expect("count"), 1);
    }
    // The cache is in WAL mode.
    let conn = rusqlite::Connection::open(&path).expect("open with rusqlite");
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("journal mode");
    assert_eq!(mode, "wal");
}

#[test]
fn a_cache_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cache.db");
    let newer = SCHEMA_VERSION + 3;
    {
        let conn = rusqlite::Connection::open(&path).expect("create");
        conn.execute_batch("CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('from the future');")
            .expect("create table");
        conn.pragma_update(None, "user_version", newer).expect("set user_version");
    }
    let before = std::fs::read(&path).expect("read db");
    let error = Store::open(&path).err().expect("a newer cache must be refused");
    assert!(
        matches!(error, StoreError::TooNew { found, supported } if found == newer && supported == SCHEMA_VERSION),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "the cache was written by a newer tidings (schema version {newer}, this build knows up to \
             {SCHEMA_VERSION}); it was left untouched: upgrade tidings or use another --cache"
        )
    );
    let after = std::fs::read(&path).expect("read db again");
    assert!(before == after, "the refused cache file was modified");
    assert!(!dir.path().join("cache.db-wal").exists(), "a WAL file was left beside the refused cache");
    // And it still opens as it was.
    let conn = rusqlite::Connection::open(&path).expect("open");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, newer);
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("journal mode");
    assert_eq!(mode, "delete");
}

#[test]
fn upsert_counts_new_and_updated_items() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, feed) = store_with_feed(&dir.path().join("c.db"), "http://example.com/feed");
    let t = now() - DAY;
    let first = feed_of(vec![item("a", "Alpha", "one", t), item("b", "Beta", "two", t), item("c", "Gamma", "3", t)]);
    assert_eq!(
        store.record_success(feed, now(), &state(now()), &first).expect("store"),
        UpsertCounts { new: 3, updated: 0 }
    );
    assert_eq!(store.record_success(feed, now(), &state(now()), &first).expect("store"), UpsertCounts::default());

    let second = feed_of(vec![
        item("a", "Alpha", "one", t),
        item("b", "Beta (corrected)", "two", t),
        item("c", "Gamma", "3", t),
        item("d", "Delta", "4", t),
    ]);
    assert_eq!(
        store.record_success(feed, now(), &state(now()), &second).expect("store"),
        UpsertCounts { new: 1, updated: 1 }
    );
    assert_eq!(item_by_guid(&store, feed, "b").title, "Beta (corrected)");
    assert_eq!(store.count_items(&ItemFilter::All, false).expect("count"), 4);
    let row = store.feed(feed).expect("feed").expect("feed exists");
    assert_eq!(row.title.as_deref(), Some("Test feed"));
    assert!(row.last_success_at.is_some());
    let stats = store.feed_stats(feed).expect("stats");
    assert_eq!((stats.items, stats.unread, stats.starred), (4, 4, 0));
}

#[test]
fn items_without_guid_are_not_duplicated_across_parses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, feed) = store_with_feed(&dir.path().join("c.db"), "http://example.com/feed");
    // Two items with a link and no guid, two with neither (one of them without a date).
    let doc = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>No ids</title>\
        <item><title>Linked one</title><link>http://example.com/one</link></item>\
        <item><title>Linked two</title><link>/two</link><pubDate>Tue, 06 Jan 2026 10:00:00 GMT</pubDate></item>\
        <item><title>Bare dated</title><description>x</description>\
        <pubDate>Wed, 07 Jan 2026 10:00:00 GMT</pubDate></item>\
        <item><title>Bare undated</title><description>y</description></item>\
        </channel></rss>";
    let first = parse_feed(doc.as_bytes(), None, "http://example.com/feed", now()).expect("parses");
    let second = parse_feed(doc.as_bytes(), None, "http://example.com/feed", now() + 3600).expect("parses");
    let first_guids: Vec<&str> = first.items.iter().map(|i| i.guid.as_str()).collect();
    let second_guids: Vec<&str> = second.items.iter().map(|i| i.guid.as_str()).collect();
    assert_eq!(first_guids, second_guids, "ids must be stable across parses");
    assert_eq!(first_guids[0], "http://example.com/one");
    assert_eq!(first_guids[1], "http://example.com/two");
    assert!(first_guids.iter().all(|g| !g.is_empty()));
    let mut unique = first_guids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "{first_guids:?}");

    assert_eq!(store.record_success(feed, now(), &state(now()), &first).expect("store").new, 4);
    let again = store.record_success(feed, now() + 3600, &state(now()), &second).expect("store");
    assert_eq!(again, UpsertCounts::default(), "a re-parse of the same document changes nothing");
    assert_eq!(store.count_items(&ItemFilter::All, false).expect("count"), 4);

    // The undated item keeps the time it was first seen.
    let bare = store
        .item_summaries(&store.item_ids(&ItemFilter::All, false).expect("ids"))
        .expect("summaries")
        .into_iter()
        .find(|s| s.title == "Bare undated")
        .expect("undated item stored");
    assert!((bare.published_at - now()).abs() < 60, "undated item dated {}", bare.published_at);
}

#[test]
fn items_of_the_common_helper_feed_without_guid_do_not_duplicate() {
    // The same check through the shared RSS builder: no guid, no link, one shared date.
    let doc = rss("T", &[(None, "First story", "a"), (None, "Second story", "b")]);
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, feed) = store_with_feed(&dir.path().join("c.db"), "http://example.com/feed");
    for round in 0..3 {
        let parsed = parse_feed(doc.as_bytes(), None, "http://example.com/feed", now() + round).expect("parses");
        store.record_success(feed, now(), &state(now()), &parsed).expect("store");
    }
    assert_eq!(store.count_items(&ItemFilter::All, false).expect("count"), 2);
}

#[test]
fn read_and_starred_flags_survive_repolls_and_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("c.db");
    let t = now() - DAY;
    let (a, b, c);
    {
        let (mut store, feed) = store_with_feed(&path, "http://example.com/feed");
        let parsed = feed_of(vec![item("a", "A", "one", t), item("b", "B", "two", t), item("c", "C", "three", t)]);
        store.record_success(feed, now(), &state(now()), &parsed).expect("store");
        a = item_by_guid(&store, feed, "a").id;
        b = item_by_guid(&store, feed, "b").id;
        c = item_by_guid(&store, feed, "c").id;
        store.set_read(&[a, b], true, now()).expect("set read");
        store.set_starred(b, true, 0).expect("star");
        store.set_starred(c, true, 0).expect("star");
        // A re-poll where every item changed.
        let changed = feed_of(vec![
            item("a", "A, updated", "one more", t + 10),
            item("b", "B, updated", "two more", t + 10),
            item("c", "C, updated", "three more", t + 10),
        ]);
        assert_eq!(store.record_success(feed, now(), &state(now()), &changed).expect("store").updated, 3);
        // And one where the items are gone from the feed.
        store.record_success(feed, now(), &state(now()), &feed_of(vec![])).expect("store");
    }
    let store = Store::open(&path).expect("reopen");
    let rows: Vec<_> = [a, b, c].iter().map(|id| store.item(*id).expect("item").expect("exists")).collect();
    assert_eq!(rows[0].title, "A, updated");
    assert_eq!(
        rows.iter().map(|r| (r.read, r.starred)).collect::<Vec<_>>(),
        [(true, false), (true, true), (false, true)]
    );
    assert_eq!(store.count_items(&ItemFilter::Unread, false).expect("count"), 1);
    assert_eq!(store.count_items(&ItemFilter::Starred, false).expect("count"), 2);
    assert_eq!(store.count_items(&ItemFilter::Starred, true).expect("count"), 1);
}

#[test]
fn a_feed_whose_config_url_changes_to_where_it_moved_keeps_its_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, feed) = store_with_feed(&dir.path().join("c.db"), "http://old.example.com/feed");
    let moved = FeedFetchState {
        moved_to: Some("https://new.example.com/feed".into()),
        etag: Some("\"v1\"".into()),
        ..state(now())
    };
    store.record_success(feed, now(), &moved, &feed_of(vec![item("a", "A", "x", now() - DAY)])).expect("store");
    let a = item_by_guid(&store, feed, "a").id;
    store.set_read(&[a], true, now()).expect("read");
    let row = store.feed(feed).expect("feed").expect("exists");
    assert_eq!(row.config_url, "http://old.example.com/feed");
    assert_eq!(row.url, "https://new.example.com/feed");
    assert_eq!(row.etag.as_deref(), Some("\"v1\""));

    // The user edits the config to the new address: same row, items and read state kept.
    let ids = store.sync_feeds(&["https://new.example.com/feed", "http://other.example.com/"]).expect("sync");
    assert_eq!(ids[0], feed);
    assert_ne!(ids[1], feed);
    let row = store.feed(feed).expect("feed").expect("exists");
    assert_eq!(row.config_url, "https://new.example.com/feed");
    assert!(store.item(a).expect("item").expect("kept").read);
    assert_eq!(store.feeds().expect("feeds").len(), 2);

    // The same configuration again changes nothing.
    assert_eq!(store.sync_feeds(&["https://new.example.com/feed", "http://other.example.com/"]).expect("sync"), ids);
}

#[test]
fn retention_drops_only_old_read_unstarred_items_not_seen_recently() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, feed) = store_with_feed(&dir.path().join("c.db"), "http://example.com/feed");
    let now = now();
    let long_ago = now - 90 * DAY;
    let old = now - 60 * DAY;
    let recent = now - 2 * DAY;
    // Everything first seen long ago.
    let all = feed_of(vec![
        item("old-read", "old read", "x", old),
        item("old-unread", "old unread", "x", old),
        item("old-read-starred", "old read starred", "x", old),
        item("old-read-still-listed", "old read still listed", "x", old),
        item("recent-read", "recent read", "x", recent),
    ]);
    store.record_success(feed, long_ago, &state(long_ago), &all).expect("store");
    let ids = store.item_ids(&ItemFilter::All, false).expect("ids");
    let by_guid = |store: &Store, guid: &str| item_by_guid(store, feed, guid).id;
    let unread = by_guid(&store, "old-unread");
    let read: Vec<ItemId> = ids.iter().copied().filter(|id| *id != unread).collect();
    store.set_read(&read, true, long_ago).expect("read");
    store.set_starred(by_guid(&store, "old-read-starred"), true, 0).expect("star");
    // The feed still lists one of the old items today.
    let still = feed_of(vec![item("old-read-still-listed", "old read still listed", "x", old)]);
    store.record_success(feed, now, &state(now), &still).expect("store");

    let purged = store.purge_read(now, Duration::from_secs(30 * DAY as u64)).expect("purge");
    assert_eq!(purged, 1);
    assert_eq!(guids(&store, feed), ["old-read-starred", "old-read-still-listed", "old-unread", "recent-read"]);
    assert!(search(&store, "old read").iter().all(|t| t != "old read"), "the purged item is gone from search too");
    // Nothing more to drop.
    assert_eq!(store.purge_read(now, Duration::from_secs(30 * DAY as u64)).expect("purge"), 0);
    // With a shorter retention the recent read item goes too, but never unread or starred ones.
    assert_eq!(store.purge_read(now, Duration::from_secs(DAY as u64)).expect("purge"), 1);
    assert_eq!(guids(&store, feed), ["old-read-starred", "old-read-still-listed", "old-unread"]);
}

#[test]
fn search_finds_title_and_body_words_and_ignores_query_syntax() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, feed) = store_with_feed(&dir.path().join("c.db"), "http://example.com/feed");
    let t = now() - DAY;
    let parsed = feed_of(vec![
        item("1", "Harbour flood warning", "<p>Sandbags handed out at the quay.</p>", t),
        item("2", "Council budget", "<p>The <b>lighthouse</b> keeper&#8217;s cottage gets a new roof.</p>", t + 1),
        item("3", "Café opens on Main Street", "<script>flood()</script><p>Coffee and cake.</p>", t + 2),
    ]);
    store.record_success(feed, now(), &state(now()), &parsed).expect("store");

    assert_eq!(search(&store, "flood"), ["Harbour flood warning"], "script text is not indexed");
    assert_eq!(search(&store, "lighthouse"), ["Council budget"]);
    assert_eq!(search(&store, "LIGHT"), ["Council budget"], "words match as prefixes, any case");
    assert_eq!(search(&store, "keeper's cottage"), ["Council budget"]);
    assert_eq!(search(&store, "harbour quay"), ["Harbour flood warning"], "every word must match");
    assert!(search(&store, "harbour lighthouse").is_empty());
    assert_eq!(search(&store, "cafe"), ["Café opens on Main Street"], "diacritics are folded");

    // What the query language refuses is refused with a column; the rest runs, and nothing
    // typed is read as SQL or as FTS syntax.
    for hostile in [
        "\"flood",
        "flood\"",
        "\"\"",
        "flood OR",
        "AND",
        "NEAR(flood budget)",
        "title:flood",
        "-flood",
        "flood*",
        "(*)",
        "^flood",
        "{title body}: flood",
        "'; DROP TABLE items; --",
        "title:\"a\\\" OR 1=1 --\"",
        "feed:%",
        "author:_",
    ] {
        match ItemFilter::search(hostile) {
            Ok(filter) => {
                let ids = store.item_ids(&filter, false);
                assert!(ids.is_ok(), "query {hostile:?} errored: {ids:?}");
                assert!(store.count_items(&filter, false).is_ok());
            }
            Err(e) => assert!(e.column >= 1 && e.column <= hostile.chars().count() + 1, "{hostile:?}: {e}"),
        }
    }
    assert!(ItemFilter::search("\"flood").is_err(), "an open quote is an error, not a phrase");
    assert_eq!(search(&store, "flood\""), Vec::<String>::new(), "flood, then an open quote: an error");
    assert_eq!(search(&store, "flood*"), ["Harbour flood warning"]);
    assert_eq!(search(&store, "title:flood"), ["Harbour flood warning"]);
    assert!(ItemFilter::search("flood OR").is_err(), "OR needs a second side");
    assert!(search(&store, "").is_empty());
    assert!(search(&store, "  -- ").is_empty());
    assert_eq!(store.count_items(&ItemFilter::All, false).expect("count"), 3, "no query dropped anything");

    // An updated item is indexed again: the old words go, the new ones come.
    let updated = feed_of(vec![item("1", "Harbour storm warning", "<p>Sandbags handed out at the quay.</p>", t)]);
    store.record_success(feed, now(), &state(now()), &updated).expect("store");
    assert!(search(&store, "flood").is_empty());
    assert_eq!(search(&store, "storm"), ["Harbour storm warning"]);

    // Search combines with unread_only.
    let id = store.item_ids(&ItemFilter::search("storm").expect("query"), false).expect("ids");
    store.set_read(&id, true, now()).expect("read");
    assert_eq!(store.count_items(&ItemFilter::search("storm").expect("query"), true).expect("count"), 0);
    assert_eq!(store.count_items(&ItemFilter::search("storm").expect("query"), false).expect("count"), 1);
}

#[test]
fn listing_marking_and_counting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("c.db")).expect("open");
    let ids = store.sync_feeds(&["http://a.example/feed", "http://b.example/feed"]).expect("sync");
    let (fa, fb) = (ids[0], ids[1]);
    let t = now() - 10 * DAY;
    let a_items = feed_of((0..5).map(|i| item(&format!("a{i}"), &format!("A{i}"), "x", t + i * 100)).collect());
    let b_items = feed_of((0..3).map(|i| item(&format!("b{i}"), &format!("B{i}"), "x", t + i * 100 + 50)).collect());
    store.record_success(fa, now(), &state(now()), &a_items).expect("store");
    store.record_success(fb, now(), &state(now()), &b_items).expect("store");

    // Newest first across feeds.
    let all = store.item_ids(&ItemFilter::All, false).expect("ids");
    let titles: Vec<String> = store.item_summaries(&all).expect("summaries").into_iter().map(|s| s.title).collect();
    assert_eq!(titles, ["A4", "A3", "B2", "A2", "B1", "A1", "B0", "A0"]);
    let page: Vec<String> =
        store.list_items(&ItemFilter::All, false, 2, 3).expect("list").into_iter().map(|s| s.title).collect();
    assert_eq!(page, ["B2", "A2", "B1"]);

    // Summaries come back in the order asked, unknown ids skipped.
    let picked = store.item_summaries(&[all[3], ItemId(9_999), all[0]]).expect("summaries");
    assert_eq!(picked.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(), ["A2", "A4"]);
    assert!(picked.iter().all(|s| !s.read && !s.starred));

    assert_eq!(store.count_items(&ItemFilter::Feeds(vec![fa]), false).expect("count"), 5);
    assert_eq!(store.count_items(&ItemFilter::Feeds(vec![fa, fb]), false).expect("count"), 8);
    assert_eq!(store.count_items(&ItemFilter::Feeds(vec![]), false).expect("count"), 0);

    // set_read both ways.
    store.set_read(&all[..2], true, now()).expect("read");
    assert_eq!(store.count_items(&ItemFilter::Unread, false).expect("count"), 6);
    assert_eq!(store.item_ids(&ItemFilter::All, true).expect("ids"), all[2..]);
    store.set_read(&all[..1], false, now()).expect("unread");
    assert_eq!(store.count_items(&ItemFilter::Unread, false).expect("count"), 7);

    // mark_all_read covers only its filter and reports what it changed.
    assert_eq!(store.mark_all_read(&ItemFilter::Feeds(vec![fb]), now()).expect("mark"), 3);
    assert_eq!(store.mark_all_read(&ItemFilter::Feeds(vec![fb]), now()).expect("mark"), 0);
    assert_eq!(store.feed_stats(fa).expect("stats").unread, 4);
    assert_eq!(store.feed_stats(fb).expect("stats").unread, 0);
    assert_eq!(store.mark_all_read(&ItemFilter::search("A2").expect("query"), now()).expect("mark"), 1);
    assert_eq!(store.mark_all_read(&ItemFilter::All, now()).expect("mark"), 3);
    assert_eq!(store.count_items(&ItemFilter::Unread, false).expect("count"), 0);
    assert!(store.item_ids(&ItemFilter::All, true).expect("ids").is_empty());
}

#[test]
fn failures_and_gone_feeds_are_recorded_without_touching_items() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, feed) = store_with_feed(&dir.path().join("c.db"), "http://example.com/feed");
    let t = now();
    store.record_success(feed, t, &state(t), &feed_of(vec![item("a", "A", "x", t)])).expect("store");
    assert_eq!(store.record_failure(feed, t, "HTTP 500", t + 60).expect("failure"), 1);
    assert_eq!(store.record_failure(feed, t, "HTTP 502", t + 120).expect("failure"), 2);
    assert_eq!(store.error_count(feed).expect("count"), 2);
    let row = store.feed(feed).expect("feed").expect("exists");
    assert_eq!(row.error.as_deref(), Some("HTTP 502"));
    assert_eq!(row.next_poll_at, Some(t + 120));
    assert_eq!(row.last_success_at, Some(t));
    store.record_gone(feed, t, "gone").expect("gone");
    assert_eq!(store.feed(feed).expect("feed").expect("exists").disabled_reason.as_deref(), Some("gone"));
    store.clear_disabled(feed).expect("clear");
    assert_eq!(store.feed(feed).expect("feed").expect("exists").disabled_reason, None);
    store.record_not_modified(feed, t, t + 1800, None).expect("not modified");
    let row = store.feed(feed).expect("feed").expect("exists");
    assert_eq!((row.error, row.error_count, row.next_poll_at), (None, 0, Some(t + 1800)));
    assert_eq!(store.count_items(&ItemFilter::All, false).expect("count"), 1);
}

#[test]
fn simultaneous_first_opens_of_a_new_cache_all_succeed() {
    for round in 0..10 {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(format!("cache-{round}.db"));
        let start = Arc::new(std::sync::Barrier::new(4));
        let openers: Vec<_> = (0..4)
            .map(|_| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&path).map(|s| s.schema_version().expect("version"))
                })
            })
            .collect();
        for opener in openers {
            let opened = opener.join().expect("the opener thread");
            assert_eq!(opened.expect("every first open works"), SCHEMA_VERSION, "round {round}");
        }
    }
}

#[test]
fn the_search_index_catches_up_after_polls_articles_and_purges() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, feed) = store_with_feed(&dir.path().join("c.db"), "http://example.com/feed");
    let old = now() - 90 * DAY;
    let parsed =
        feed_of(vec![item("1", "Ferry timetable", "<p>Summer sailings.</p>", old), item("2", "Quay", "<p>x</p>", old)]);
    store.record_success(feed, now(), &state(now()), &parsed).expect("store");
    // A poll only marks items for the index.
    assert_eq!(store.search_backlog().expect("backlog"), 2);
    assert_eq!(store.index_for_search(usize::MAX).expect("index"), 2);
    assert_eq!(store.search_backlog().expect("backlog"), 0);
    assert_eq!(store.index_for_search(usize::MAX).expect("index"), 0, "nothing twice");

    // An extracted article replaces the feed's text in the index.
    let ferry = store.item_ids(&ItemFilter::search("ferry").expect("query"), false).expect("ids");
    store.store_article(ferry[0], "<p>Cranes on the pier all winter.</p>").expect("article");
    assert_eq!(store.search_backlog().expect("backlog"), 1);
    assert_eq!(search(&store, "cranes"), ["Ferry timetable"], "a search brings the index up to date first");
    assert!(search(&store, "summer").is_empty());

    // Purged items leave the index with their rows.
    store.set_read(&ferry, true, now()).expect("read");
    let gone = store.purge_read(now() + 90 * DAY, Duration::from_secs(30 * 86_400)).expect("purge");
    assert_eq!(gone, 1);
    assert!(search(&store, "cranes").is_empty());
    assert_eq!(search(&store, "quay"), ["Quay"]);
}

#[test]
fn a_number_with_a_point_is_found_in_a_long_body_as_stored() {
    // Bodies of 200 bytes and more are stored compressed: the search reads them unpacked.
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, feed) = store_with_feed(&dir.path().join("c.db"), "http://example.com/feed");
    let t = now() - DAY;
    let long = |figure: &str| {
        format!(
            "<p>{}</p><p>Inflation rose to {figure} in March, the statistics office said.</p>",
            "Prices. ".repeat(40)
        )
    };
    let parsed = feed_of(vec![
        item("1", "March figures", &long("3.9%"), t),
        item("2", "April figures", &long("3 and then 9%"), t + 1),
    ]);
    store.record_success(feed, now(), &state(now()), &parsed).expect("store");
    assert_eq!(search(&store, "3.9%"), ["March figures"]);
}

/// Issue 17: a file that is not a cache is named in the error and left byte for byte as it was:
/// text, another program's SQLite database, a cache whose first page is damaged, a truncated one.
#[test]
fn files_that_are_not_caches_are_refused_by_name_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "my notes, not a database\n".repeat(300)).expect("write");
    let other = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&other).expect("another program's database");
        conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada');").expect("fill");
    }
    let damaged = dir.path().join("damaged.db");
    {
        let mut store = Store::open(&damaged).expect("a real cache");
        store.sync_feeds(&["https://a.example/feed"]).expect("a feed");
    }
    let mut bytes = std::fs::read(&damaged).expect("read the cache");
    let end = bytes.len().min(4096);
    for b in &mut bytes[100..end] {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &bytes).expect("damage it");
    // A cache of 400 items cut at 60 % of its length (a copy that did not finish).
    let truncated = dir.path().join("truncated.db");
    {
        let mut store = Store::open(&truncated).expect("a real cache");
        let feed = store.sync_feeds(&["https://b.example/feed"]).expect("a feed")[0];
        let items = (0..400)
            .map(|i| NewItem {
                guid: format!("g{i}"),
                title: format!("Story {i}"),
                content_html: Some("<p>Text of the story. </p>".repeat(30)),
                ..Default::default()
            })
            .collect();
        let parsed = ParsedFeed { items, ..Default::default() };
        store.record_success(feed, now(), &FeedFetchState::default(), &parsed).expect("items");
    }
    let whole = std::fs::read(&truncated).expect("read the cache");
    std::fs::write(&truncated, &whole[..whole.len() * 6 / 10]).expect("cut it");
    for (path, what) in [
        (&text, "not a database"),
        (&other, "a database of another program"),
        (&damaged, "the database is damaged"),
        (&truncated, "the database is damaged"),
    ] {
        let before = std::fs::read(path).expect("read");
        for opened in [Store::open(path).err(), Store::open_for_reading(path).err()] {
            let message = opened.expect("refused").to_string();
            assert!(message.starts_with(&format!("{} is not a tidings cache", path.display())), "{message}");
            assert!(message.contains(what), "{message}");
            assert!(message.contains("left as it is"), "{message}");
        }
        assert_eq!(std::fs::read(path).expect("read"), before, "{} is unchanged", path.display());
    }
}
