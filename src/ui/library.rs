//! What the interface reads and writes, behind a trait so that `update` runs the same against the
//! real cache and in tests. The store is local SQLite: reads take well under a millisecond.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::model::{FeedId, ItemId};
use crate::related::RelatedIndex;
use crate::store::{FeedRow, ItemFilter, ItemRow, ItemSummary, Store, StoreError};

pub trait Library {
    fn feed_rows(&self) -> Result<Vec<FeedRow>, StoreError>;
    /// (unread, total) per feed.
    fn feed_counts(&self) -> Result<HashMap<FeedId, (i64, i64)>, StoreError>;
    fn item_ids(&self, filter: &ItemFilter, unread_only: bool) -> Result<Vec<ItemId>, StoreError>;
    fn summaries(&self, ids: &[ItemId]) -> Result<Vec<ItemSummary>, StoreError>;
    fn item(&self, id: ItemId) -> Result<Option<ItemRow>, StoreError>;
    fn first_unread(&self, filter: &ItemFilter) -> Result<Option<ItemId>, StoreError>;
    fn set_read(&mut self, ids: &[ItemId], read: bool) -> Result<(), StoreError>;
    fn set_starred(&mut self, id: ItemId, starred: bool) -> Result<(), StoreError>;
    fn mark_all_read(&mut self, filter: &ItemFilter) -> Result<usize, StoreError>;
    /// The other cached articles closest to `id`, best first; `None` while the index is built.
    fn related(&self, id: ItemId, k: usize) -> Option<Vec<ItemId>>;
    /// Now, in unix seconds (fixed in tests, so snapshots don't age).
    fn now(&self) -> i64;
}

/// The related-stories index shared between the interface and the thread that fills it.
#[derive(Clone, Default)]
pub struct SharedIndex {
    inner: Arc<Mutex<IndexState>>,
}

#[derive(Default)]
struct IndexState {
    index: RelatedIndex,
    ready: bool,
}

impl SharedIndex {
    pub fn with<R>(&self, f: impl FnOnce(&mut RelatedIndex) -> R) -> Option<R> {
        self.inner.lock().ok().map(|mut s| f(&mut s.index))
    }
    pub fn set_ready(&self) {
        if let Ok(mut s) = self.inner.lock() {
            s.ready = true;
        }
    }
    pub fn is_ready(&self) -> bool {
        self.inner.lock().is_ok_and(|s| s.ready)
    }

    /// Indexes every item above `after` in batches (keeping the lock short); returns the last id.
    pub fn index_from(&self, store: &Store, mut after: ItemId) -> Result<ItemId, StoreError> {
        loop {
            let batch = store.items_for_index(after, 256)?;
            let Some(last) = batch.last().map(|i| i.id) else { return Ok(after) };
            let docs: Vec<(i64, String, String, i64)> = batch
                .into_iter()
                .map(|i| (i.id.0, i.title, crate::text::html_to_index_text(&i.body_html), i.published_at))
                .collect();
            self.with(|index| {
                for (id, title, body, published) in &docs {
                    index.insert(&crate::related::Document { id: *id, title, body, published_at: Some(*published) });
                }
            });
            after = last;
        }
    }
}

pub struct StoreLibrary {
    store: Store,
    index: SharedIndex,
    clock: Option<i64>,
}

impl StoreLibrary {
    pub fn new(store: Store, index: SharedIndex) -> StoreLibrary {
        StoreLibrary { store, index, clock: None }
    }

    /// A library whose clock stands still at `now` (for tests and snapshots).
    pub fn with_fixed_clock(store: Store, index: SharedIndex, now: i64) -> StoreLibrary {
        StoreLibrary { store, index, clock: Some(now) }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

impl Library for StoreLibrary {
    fn feed_rows(&self) -> Result<Vec<FeedRow>, StoreError> {
        self.store.feeds()
    }
    fn feed_counts(&self) -> Result<HashMap<FeedId, (i64, i64)>, StoreError> {
        Ok(self.store.all_feed_counts()?.into_iter().map(|(id, unread, total)| (id, (unread, total))).collect())
    }
    fn item_ids(&self, filter: &ItemFilter, unread_only: bool) -> Result<Vec<ItemId>, StoreError> {
        self.store.item_ids(filter, unread_only)
    }
    fn summaries(&self, ids: &[ItemId]) -> Result<Vec<ItemSummary>, StoreError> {
        self.store.item_summaries(ids)
    }
    fn item(&self, id: ItemId) -> Result<Option<ItemRow>, StoreError> {
        self.store.item(id)
    }
    fn first_unread(&self, filter: &ItemFilter) -> Result<Option<ItemId>, StoreError> {
        self.store.first_unread(filter)
    }
    fn set_read(&mut self, ids: &[ItemId], read: bool) -> Result<(), StoreError> {
        self.store.set_read(ids, read, crate::feed::poller::now_secs())
    }
    fn set_starred(&mut self, id: ItemId, starred: bool) -> Result<(), StoreError> {
        self.store.set_starred(id, starred)
    }
    fn mark_all_read(&mut self, filter: &ItemFilter) -> Result<usize, StoreError> {
        self.store.mark_all_read(filter, crate::feed::poller::now_secs())
    }
    fn related(&self, id: ItemId, k: usize) -> Option<Vec<ItemId>> {
        if !self.index.is_ready() && !self.index.with(|i| i.contains(id.0)).unwrap_or(false) {
            return None;
        }
        self.index.with(|index| index.related(id.0, k).into_iter().map(|(id, _)| ItemId(id)).collect())
    }
    fn now(&self) -> i64 {
        self.clock.unwrap_or_else(crate::feed::poller::now_secs)
    }
}
