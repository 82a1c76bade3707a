//! The cache's side of podcasts: migration 8 upgrades a cache of schema 7 with everything in it
//! kept, items keep their enclosures (a change to them is an update, a poll that repeats them is
//! not), and the download list goes through its states.

use rusqlite::Connection;
use tidings::model::{DownloadState, Enclosure, FeedId, ItemFilter, ItemId, NewItem, ParsedFeed};
use tidings::store::{FeedFetchState, PendingChange, Queued, SCHEMA_VERSION, Store, SyncFlag, UpsertCounts};

const NOW: i64 = 1_772_366_400;

fn episode(guid: &str, enclosures: Vec<Enclosure>) -> NewItem {
    NewItem {
        guid: guid.into(),
        url: Some(format!("https://pod.example/{guid}")),
        title: format!("Episode {guid}"),
        summary_html: Some("<p>Show notes.</p>".into()),
        published_at: Some(NOW - 3600),
        enclosures,
        ..NewItem::default()
    }
}

fn mp3(name: &str, duration: Option<u64>) -> Enclosure {
    Enclosure {
        url: format!("https://cdn.example/{name}.mp3"),
        mime_type: Some("audio/mpeg".into()),
        size: Some(1_000_000),
        duration_secs: duration,
    }
}

fn state() -> FeedFetchState {
    FeedFetchState { next_poll_at: NOW + 1800, ..FeedFetchState::default() }
}

fn feed_of(items: Vec<NewItem>) -> ParsedFeed {
    ParsedFeed { items, ..ParsedFeed::default() }
}

fn the_item(store: &Store, guid: &str) -> tidings::model::ItemRow {
    let ids = store.item_ids(&ItemFilter::All, false).expect("ids");
    ids.into_iter()
        .map(|id| store.item(id).expect("item").expect("row"))
        .find(|row| row.guid == guid)
        .unwrap_or_else(|| panic!("no item {guid}"))
}

#[test]
fn a_cache_of_schema_7_upgrades_with_its_data_intact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cache.db");
    {
        // The cache as tidings with seven migrations left it, written with its own SQL.
        let mut conn = Connection::open(&path).expect("create");
        tidings::store::migrate_to(&mut conn, 7).expect("schema 7");
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(version, 7);
        conn.execute_batch(
            "INSERT INTO feeds (id, config_url, url, title, etag, sync_account, remote_id) VALUES \
               (1, 'https://pod.example/feed', 'https://pod.example/feed', 'Harbour Hour', '\"e1\"', NULL, NULL), \
               (2, 'https://srv.example/5', 'https://srv.example/5', 'Synced', NULL, 'ttrss https://srv.example/ me', 5); \
             INSERT INTO items (id, feed_id, guid, url, title, published_at, first_seen_at, last_seen_at, \
               summary_html, read, read_at, starred, summary_only, remote_id) VALUES \
               (10, 1, 'ep1', 'https://pod.example/ep1', 'Episode one', 100, 100, 100, '<p>one</p>', 1, 150, 0, 0, NULL), \
               (11, 1, 'ep2', 'https://pod.example/ep2', 'Episode two', 200, 200, 200, '<p>two</p>', 0, NULL, 1, 0, NULL), \
               (12, 2, '77', NULL, 'From the server', 300, 300, 300, '<p>s</p>', 1, 310, 0, 0, 77); \
             INSERT INTO sync_outbox (account, remote_id, flag, value, queued_at) VALUES \
               ('ttrss https://srv.example/ me', 77, 'read', 1, 310); \
             INSERT INTO sync_state (account, last_remote_id) VALUES ('ttrss https://srv.example/ me', 77);",
        )
        .expect("the old cache's rows");
    }
    let mut store = Store::open(&path).expect("the upgrade");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 8);
    // Every row and flag is there, the items have no enclosures, and the outbox still waits.
    let one = store.item(ItemId(10)).expect("item").expect("row");
    assert_eq!((one.title.as_str(), one.read, one.starred, one.enclosures.len()), ("Episode one", true, false, 0));
    let two = store.item(ItemId(11)).expect("item").expect("row");
    assert_eq!((two.title.as_str(), two.read, two.starred), ("Episode two", false, true));
    assert_eq!(store.count_items(&ItemFilter::All, false).expect("count"), 3);
    assert_eq!(store.feed(FeedId(1)).expect("feed").expect("row").etag.as_deref(), Some("\"e1\""));
    assert_eq!(
        store.pending_changes("ttrss https://srv.example/ me").expect("outbox"),
        [PendingChange { remote_id: 77, flag: SyncFlag::Read, value: true }]
    );
    // The next poll gives an old item its enclosure, as an update (nothing else changed), its
    // flags untouched.
    let again = NewItem {
        title: "Episode two".into(),
        summary_html: Some("<p>two</p>".into()),
        published_at: Some(200),
        ..episode("ep2", vec![mp3("ep2", Some(60))])
    };
    let counts = store.record_success(FeedId(1), NOW, &state(), &feed_of(vec![again])).expect("poll");
    assert_eq!(counts, UpsertCounts { new: 0, updated: 1 });
    let two = store.item(ItemId(11)).expect("item").expect("row");
    assert_eq!((two.starred, two.enclosures.clone()), (true, vec![mp3("ep2", Some(60))]));
    // The download list is there, empty, and takes rows.
    assert!(store.downloads().expect("list").is_empty());
    assert!(matches!(
        store.queue_download("https://cdn.example/ep2.mp3", Some(ItemId(11)), "Episode two", NOW),
        Ok(Queued::Fetch(_))
    ));
    drop(store);
    // Opening it again changes nothing.
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.downloads().expect("list").len(), 1);
    assert_eq!(store.item(ItemId(11)).expect("item").expect("row").enclosures, [mp3("ep2", Some(60))]);
}

#[test]
fn enclosures_are_kept_and_only_a_change_is_an_update() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("cache.db")).expect("open");
    let feed = store.sync_feeds(&["https://pod.example/feed"]).expect("feeds")[0];
    let both = vec![mp3("a", Some(2712)), Enclosure { mime_type: None, size: None, ..mp3("a-notes", None) }];
    let first = feed_of(vec![episode("a", both.clone()), episode("b", Vec::new())]);
    assert_eq!(store.record_success(feed, NOW, &state(), &first).expect("poll"), UpsertCounts { new: 2, updated: 0 });
    assert_eq!(the_item(&store, "a").enclosures, both);
    assert_eq!(the_item(&store, "b").enclosures, []);
    // The same again: nothing changed.
    assert_eq!(store.record_success(feed, NOW, &state(), &first).expect("poll"), UpsertCounts::default());
    // A new duration is an update; an enclosure that goes goes.
    let second = feed_of(vec![episode("a", vec![mp3("a", Some(2713))]), episode("b", Vec::new())]);
    assert_eq!(store.record_success(feed, NOW, &state(), &second).expect("poll"), UpsertCounts { new: 0, updated: 1 });
    assert_eq!(the_item(&store, "a").enclosures, [mp3("a", Some(2713))]);
}

#[test]
fn the_download_list_goes_through_its_states() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("cache.db")).expect("open");
    let feed = store.sync_feeds(&["https://pod.example/feed"]).expect("feeds")[0];
    store.record_success(feed, NOW, &state(), &feed_of(vec![episode("a", vec![mp3("a", None)])])).expect("poll");
    let item = the_item(&store, "a").id;
    let url = "https://cdn.example/a.mp3";
    let Queued::Fetch(row) = store.queue_download(url, Some(item), "Episode a", NOW).expect("queue") else {
        panic!("a new download is fetched")
    };
    assert_eq!(
        (row.state, row.item, row.title.as_str(), row.received),
        (DownloadState::Queued, Some(item), "Episode a", 0)
    );
    // Asked again while queued: already there.
    assert!(matches!(store.queue_download(url, Some(item), "Episode a", NOW), Ok(Queued::Already(_))));
    store.download_started(row.id, Some("\"v1\""), Some(1000)).expect("started");
    store.download_failed(row.id, "the connection ended after 400 of 1000 bytes", 400, NOW).expect("failed");
    let failed = store.download(row.id).expect("row").expect("there");
    assert_eq!(
        (failed.state, failed.received, failed.total, failed.validator.as_deref()),
        (DownloadState::Failed, 400, Some(1000), Some("\"v1\""))
    );
    assert!(failed.error.as_deref().is_some_and(|e| e.contains("400 of 1000")));
    // A failed one is queued again by asking for it, or by a retry.
    assert!(
        matches!(store.queue_download(url, Some(item), "Episode a", NOW), Ok(Queued::Fetch(r)) if r.state == DownloadState::Queued && r.error.is_none())
    );
    assert_eq!(store.retry_download(row.id).expect("retry"), None, "only a failed download is retried");
    store.download_failed(row.id, "HTTP 503", 400, NOW).expect("failed");
    assert_eq!(store.retry_download(row.id).expect("retry").map(|r| r.state), Some(DownloadState::Queued));
    store.download_done(row.id, "a.mp3", 1000, NOW).expect("done");
    let done = store.download(row.id).expect("row").expect("there");
    assert_eq!(
        (done.state, done.file_name.as_deref(), done.received, done.error),
        (DownloadState::Done, Some("a.mp3"), 1000, None)
    );
    assert!(
        matches!(store.queue_download(url, Some(item), "Episode a", NOW), Ok(Queued::Already(r)) if r.state == DownloadState::Done)
    );
    // The item may go (read and old): the download stays, without it.
    store.set_read(&[item], true, NOW).expect("read");
    assert_eq!(store.purge_read(NOW + 400 * 86_400, std::time::Duration::from_secs(86_400)).expect("purge"), 1);
    assert_eq!(store.download(row.id).expect("row").expect("there").item, None);
    assert!(store.remove_download(row.id).expect("remove"));
    assert!(!store.remove_download(row.id).expect("remove"));
    assert!(store.downloads().expect("list").is_empty());
}
