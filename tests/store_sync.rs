//! The cache's side of sync: items from a server land in the same tables as polled ones, a
//! change made here is queued in the transaction that makes it, the server's flags never
//! overwrite a change still queued, and the outbox survives reopening the cache.

use std::collections::HashMap;

use tidings::model::{FeedId, ItemFilter, ItemId, NewItem};
use tidings::store::{PendingChange, Store, SyncFlag, SyncedFeed, SyncedItem};

const ACCOUNT: &str = "ttrss https://h.example/ me";

fn synced(remote_id: i64, read: bool, starred: bool) -> SyncedItem {
    SyncedItem {
        remote_id,
        remote_feed: 5,
        item: NewItem {
            guid: remote_id.to_string(),
            title: format!("Item {remote_id}"),
            published_at: Some(1_000 + remote_id),
            content_html: Some(format!("<p>Text of ferry item {remote_id}</p>")),
            ..NewItem::default()
        },
        read,
        starred,
    }
}

fn with_items(store: &mut Store) -> HashMap<i64, FeedId> {
    let feeds = store
        .record_synced_feeds(
            ACCOUNT,
            &[SyncedFeed {
                remote_id: 5,
                title: "Five".into(),
                url: Some("https://f.example/rss".into()),
                site_url: None,
                category: None,
            }],
        )
        .expect("feeds");
    let items = [synced(1, false, false), synced(2, true, false), synced(3, false, true)];
    let counts = store.record_synced_items(ACCOUNT, &feeds, &items, 2_000).expect("items");
    assert_eq!((counts.new, counts.updated, counts.orphans), (3, 0, 0));
    feeds
}

fn local(store: &Store, remote_id: i64) -> ItemId {
    let ids = store.item_ids(&ItemFilter::All, false).expect("ids");
    ids.into_iter()
        .find(|id| store.item(*id).expect("item").expect("row").guid == remote_id.to_string())
        .expect("found")
}

fn flags(store: &Store, remote_id: i64) -> (bool, bool) {
    let row = store.item(local(store, remote_id)).expect("item").expect("row");
    (row.read, row.starred)
}

#[test]
fn synced_items_keep_the_servers_flags_and_are_searchable() {
    let mut store = Store::open_in_memory().expect("store");
    with_items(&mut store);
    assert_eq!([flags(&store, 1), flags(&store, 2), flags(&store, 3)], [(false, false), (true, false), (false, true)]);
    assert_eq!(store.item_ids(&ItemFilter::search("ferry").expect("query"), false).expect("search").len(), 3);
    assert_eq!(store.known_remote_ids(ACCOUNT, &[1, 3, 99]).expect("known").len(), 2);
}

#[test]
fn local_changes_are_queued_and_win_over_the_servers_lists_until_confirmed() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("cache.db");
    {
        let mut store = Store::open(&path).expect("store");
        with_items(&mut store);
        store.set_read(&[local(&store, 1)], true, 3_000).expect("read");
        store.set_starred(local(&store, 2), true, 3_000).expect("star");
    }
    // Reopened, as after a restart or a kill: the queue is there.
    let mut store = Store::open(&path).expect("reopen");
    let pending = store.pending_changes(ACCOUNT).expect("pending");
    assert_eq!(
        pending,
        [
            PendingChange { remote_id: 1, flag: SyncFlag::Read, value: true },
            PendingChange { remote_id: 2, flag: SyncFlag::Starred, value: true }
        ]
    );
    // The server still says 1 is unread and 2 unstarred; 3 was read and unstarred there.
    let counts = store.apply_remote_flags(ACCOUNT, &[1], &[], 4_000).expect("apply");
    assert_eq!((counts.read, counts.starred), (1, 1), "only item 3 changes");
    assert_eq!([flags(&store, 1), flags(&store, 2), flags(&store, 3)], [(true, false), (true, true), (true, false)]);
    store.confirm_changes(ACCOUNT, &pending).expect("confirm");
    assert!(store.pending_changes(ACCOUNT).expect("pending").is_empty());
    // Confirmed, the server's state applies again.
    store.apply_remote_flags(ACCOUNT, &[1], &[], 5_000).expect("apply");
    assert_eq!(flags(&store, 1), (false, false));
}

#[test]
fn mark_all_read_queues_every_synced_item_it_marks_and_a_newer_change_survives_a_confirm() {
    let mut store = Store::open_in_memory().expect("store");
    with_items(&mut store);
    store.mark_all_read(&ItemFilter::All, 3_000).expect("mark all");
    let pending = store.pending_changes(ACCOUNT).expect("pending");
    let ids: Vec<i64> = pending.iter().map(|c| c.remote_id).collect();
    assert_eq!(ids, [1, 3], "2 was read already");
    // Marked unread again before the sync confirmed the first change: that one stays.
    store.set_read(&[local(&store, 3)], false, 3_100).expect("unread");
    store.confirm_changes(ACCOUNT, &pending).expect("confirm");
    assert_eq!(
        store.pending_changes(ACCOUNT).expect("pending"),
        [PendingChange { remote_id: 3, flag: SyncFlag::Read, value: false }]
    );
}

#[test]
fn a_feed_the_server_no_longer_lists_goes_with_its_items() {
    let mut store = Store::open_in_memory().expect("store");
    with_items(&mut store);
    let feeds = store.record_synced_feeds(ACCOUNT, &[]).expect("none");
    assert!(feeds.is_empty());
    assert!(store.item_ids(&ItemFilter::All, false).expect("ids").is_empty());
    assert!(store.item_ids(&ItemFilter::search("ferry").expect("query"), false).expect("search").is_empty());
}
