//! The related-stories index and story groups, shared between the interface (which reads them)
//! and the indexer thread (which fills them from its own read-only connection).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::model::{ItemId, StoryId};
use crate::related::{Document, Prepared, RelatedIndex, Stories};
use crate::store::{IndexableItem, Store, StoreError};

/// The related-stories index shared between the interface and the thread that fills it.
#[derive(Clone, Default)]
pub struct SharedIndex {
    inner: Arc<Mutex<IndexState>>,
    /// The first pass over the cache is done (read without the lock).
    ready: Arc<AtomicBool>,
}

#[derive(Default)]
struct IndexState {
    index: RelatedIndex,
    stories: Stories,
}

/// Items published this long before the newest are indexed for the related pane but not placed
/// in stories: grouping is about the news of the day, and placing costs a search per item.
const STORY_WINDOW_SECS: i64 = 14 * 86_400;

impl SharedIndex {
    pub fn with<R>(&self, f: impl FnOnce(&mut RelatedIndex) -> R) -> Option<R> {
        self.inner.lock().ok().map(|mut s| f(&mut s.index))
    }
    /// Like [`SharedIndex::with`], but `None` at once when the indexer holds the index.
    pub fn try_with<R>(&self, f: impl FnOnce(&mut RelatedIndex) -> R) -> Option<R> {
        self.inner.try_lock().ok().map(|mut s| f(&mut s.index))
    }

    pub fn set_ready(&self) {
        self.ready.store(true, Ordering::Release);
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// Restores the story groups saved with the items, so that they stay the same across restarts.
    pub fn seed_stories(&self, store: &Store) -> Result<(), StoreError> {
        let pairs = store.story_assignments()?;
        if let Ok(mut state) = self.inner.lock() {
            state.stories.seed(pairs.into_iter().map(|(id, story)| (id.0, story)));
        }
        Ok(())
    }

    /// Indexes every item above `after` in batches (keeping the lock short) and places the recent
    /// ones in stories. Returns the last id and the story of every item whose story was set or
    /// changed (merges move earlier items), for the caller to save. Tokenising runs outside the
    /// lock, on every core.
    pub fn index_from(&self, store: &Store, mut after: ItemId, now: i64) -> Result<IndexedBatch, StoreError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_THREADS);
        let mut stories: HashMap<ItemId, StoryId> = HashMap::new();
        loop {
            let batch = store.items_for_index(after, BATCH)?;
            let Some(last) = batch.last().map(|i| i.id) else { break };
            let recent: Vec<i64> =
                batch.iter().filter(|i| evidence_time(i) >= now - STORY_WINDOW_SECS).map(|i| i.id.0).collect();
            let prepared = self.prepare(batch, threads);
            if let Ok(mut state) = self.inner.lock() {
                let IndexState { index, stories: groups, .. } = &mut *state;
                for p in &prepared {
                    index.insert_prepared(p);
                }
                for id in recent {
                    let story = groups.assign(index, id);
                    stories.insert(ItemId(id), story);
                    stories.extend(groups.take_moved().into_iter().map(|(m, s)| (ItemId(m), s)));
                }
            }
            after = last;
        }
        let mut stories: Vec<(ItemId, StoryId)> = stories.into_iter().collect();
        stories.sort_unstable();
        Ok(IndexedBatch { last: after, stories })
    }

    /// Indexes an item again with its current text (its article was just extracted).
    pub fn reindex(&self, store: &Store, id: ItemId) -> Result<(), StoreError> {
        let Some(item) = store.indexable_item(id)? else { return Ok(()) };
        let prepared = self.prepare(vec![item], 1);
        self.with(|index| prepared.iter().for_each(|p| index.insert_prepared(p)));
        Ok(())
    }

    /// The items' texts tokenised for the index, on `threads` threads, in the items' order.
    fn prepare(&self, items: Vec<IndexableItem>, threads: usize) -> Vec<Prepared> {
        let Some(params) = self.with(|index| index.params().clone()) else { return Vec::new() };
        let one = |i: &IndexableItem| {
            let body = crate::text::html_to_index_text(&i.body_html);
            let doc = Document { id: i.id.0, title: &i.title, body: &body, published_at: Some(evidence_time(i)) };
            Prepared::new(&params, &doc)
        };
        if threads <= 1 || items.len() < 2 * threads {
            return items.iter().map(one).collect();
        }
        let part = items.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = items
                .chunks(part)
                .map(|chunk| scope.spawn(move || chunk.iter().map(one).collect::<Vec<_>>()))
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        })
    }
}

/// Items read from the cache per batch (the lock is held while a batch is inserted).
const BATCH: usize = 256;
/// Threads used for tokenising at most.
const MAX_THREADS: usize = 4;

/// When an item counts as published for relatedness: its date, or when it was first seen if that
/// is earlier (a feed that dates everything "now", or in the future). See [`crate::related::time`].
fn evidence_time(item: &IndexableItem) -> i64 {
    crate::related::evidence_time(Some(item.published_at), item.first_seen_at)
}

/// What one indexing pass did.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedBatch {
    /// The highest item id indexed.
    pub last: ItemId,
    /// Items placed in a story, or moved to another by a merge.
    pub stories: Vec<(ItemId, StoryId)>,
}
