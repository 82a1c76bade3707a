//! One sync, the same for every protocol:
//!
//! 1. log in;
//! 2. send the changes queued in the outbox (each dropped from it once the server took it), so
//!    that what was done here, offline or not, reaches the server before its state is read;
//! 3. make the account's feeds the server's subscriptions;
//! 4. page through the items with ids above the last sync's highest, each page stored as it
//!    comes (the highest id is recorded only at the end: a sync cut short pages again from the
//!    same place, and storing an item twice changes nothing);
//! 5. read the server's complete unread and starred lists, fetch the listed items never seen
//!    (items a concurrent update on the server slipped under the cursor), and make every synced
//!    item's flags match the lists, except those with a change of ours still queued: ours win.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};

use super::{ItemCursor, SyncBackend, SyncError};
use crate::feed::poller::now_secs;
use crate::store::{FlagCounts, PendingChange, Store, SyncFlag, SyncedItem, Writer};

/// The most ids sent in one change or asked for in one fetch by id.
const CHUNK: usize = 200;

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub feeds: usize,
    pub new_items: usize,
    pub updated_items: usize,
    /// Queued changes the server took.
    pub sent: usize,
    /// Flags here that the server's lists changed.
    pub from_server: FlagCounts,
    /// The highest item id fetched so far (the next sync starts above it).
    pub last_remote_id: i64,
}

/// Steps of a sync as they finish, for a progress line or the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    LoggedIn,
    Sent { changes: usize },
    Feeds { feeds: usize },
    Items { received: usize, new: usize },
    Flags(FlagCounts),
}

fn lock(store: &Mutex<Store>) -> Result<std::sync::MutexGuard<'_, Store>, SyncError> {
    store.lock().map_err(|_| SyncError::Poisoned)
}

/// Runs one sync of `account` with `backend`; every write goes through `writer`. On failure
/// the error is also recorded in the cache (`sync_state`), and what was stored stays.
pub async fn sync_once<B: SyncBackend>(
    backend: &mut B,
    account: &str,
    store: &Arc<Mutex<Store>>,
    writer: &Writer,
    progress: &mut (dyn FnMut(SyncEvent) + Send),
) -> Result<SyncReport, SyncError> {
    let result = steps(backend, account, store, writer, progress).await;
    if let Err(error) = &result {
        let (account, line) = (account.to_string(), error.to_string());
        if let Err(e) = writer.run(move |s| s.record_sync_failed(&account, &line)).await {
            tracing::warn!("recording the failed sync failed: {e}");
        }
    }
    result
}

async fn steps<B: SyncBackend>(
    backend: &mut B,
    account: &str,
    store: &Arc<Mutex<Store>>,
    writer: &Writer,
    progress: &mut (dyn FnMut(SyncEvent) + Send),
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    backend.login().await?;
    progress(SyncEvent::LoggedIn);

    report.sent = send_changes(backend, account, store, writer).await?;
    progress(SyncEvent::Sent { changes: report.sent });

    let feeds = backend.feeds().await?;
    report.feeds = feeds.len();
    let owned = account.to_string();
    let feed_ids = Arc::new(writer.run(move |s| s.record_synced_feeds(&owned, &feeds)).await?);
    progress(SyncEvent::Feeds { feeds: report.feeds });

    let since = lock(store)?.sync_state(account)?.last_remote_id;
    let mut cursor = ItemCursor { since, highest: since, ..ItemCursor::default() };
    while let Some(page) = backend.next_items(&mut cursor).await? {
        let counts = store_items(writer, account, &feed_ids, page).await?;
        report.new_items += counts.0;
        report.updated_items += counts.1;
        progress(SyncEvent::Items { received: cursor.received, new: report.new_items });
    }

    let unread = backend.unread_ids().await?;
    let starred = backend.starred_ids().await?;
    let listed: Vec<i64> = unread.iter().chain(&starred).copied().collect::<HashSet<_>>().into_iter().collect();
    let known: HashSet<i64> = lock(store)?.known_remote_ids(account, &listed)?.into_iter().collect();
    let mut missing: Vec<i64> = listed.into_iter().filter(|id| !known.contains(id)).collect();
    missing.sort_unstable();
    for chunk in missing.chunks(CHUNK) {
        let items = backend.items_by_id(chunk).await?;
        let counts = store_items(writer, account, &feed_ids, items).await?;
        report.new_items += counts.0;
        report.updated_items += counts.1;
    }
    let owned = account.to_string();
    let now = now_secs();
    report.from_server = writer.run(move |s| s.apply_remote_flags(&owned, &unread, &starred, now)).await?;
    progress(SyncEvent::Flags(report.from_server));

    let (owned, highest) = (account.to_string(), cursor.highest);
    writer.run(move |s| s.record_sync_done(&owned, highest, now_secs())).await?;
    report.last_remote_id = lock(store)?.sync_state(account)?.last_remote_id;
    Ok(report)
}

/// Stores a page of items; returns (new, updated).
async fn store_items(
    writer: &Writer,
    account: &str,
    feeds: &Arc<std::collections::HashMap<i64, crate::model::FeedId>>,
    items: Vec<SyncedItem>,
) -> Result<(usize, usize), SyncError> {
    if items.is_empty() {
        return Ok((0, 0));
    }
    let (owned, feeds, now) = (account.to_string(), feeds.clone(), now_secs());
    let counts = writer.run(move |s| s.record_synced_items(&owned, &feeds, &items, now)).await?;
    if counts.orphans > 0 {
        tracing::info!("sync: {} items of feeds the server did not list were left out", counts.orphans);
    }
    Ok((counts.new, counts.updated))
}

/// Sends the queued changes, grouped by flag and value, `CHUNK` ids a call; each group leaves
/// the outbox once the server took it. Returns how many were sent.
async fn send_changes<B: SyncBackend>(
    backend: &mut B,
    account: &str,
    store: &Arc<Mutex<Store>>,
    writer: &Writer,
) -> Result<usize, SyncError> {
    let pending = lock(store)?.pending_changes(account)?;
    let mut groups: BTreeMap<(u8, bool), Vec<PendingChange>> = BTreeMap::new();
    for change in pending {
        let flag = match change.flag {
            SyncFlag::Read => 0,
            SyncFlag::Starred => 1,
        };
        groups.entry((flag, change.value)).or_default().push(change);
    }
    let mut sent = 0;
    for changes in groups.into_values() {
        for chunk in changes.chunks(CHUNK) {
            let ids: Vec<i64> = chunk.iter().map(|c| c.remote_id).collect();
            backend.set_flag(&ids, chunk[0].flag, chunk[0].value).await?;
            let (owned, done) = (account.to_string(), chunk.to_vec());
            writer.run(move |s| s.confirm_changes(&owned, &done)).await?;
            sent += chunk.len();
        }
    }
    Ok(sent)
}
