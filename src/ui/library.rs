//! What the interface reads and writes, behind a trait so that `update` runs the same against the
//! real cache and in tests. The store is local SQLite: reads take well under a millisecond.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::headline_order::{HeadlineList, HeadlineOrder};
use crate::model::{FeedId, ItemId, StoryId};
use crate::related::{RelatedIndex, Stories};
use crate::store::{FeedRow, ItemFilter, ItemRow, ItemSummary, Store, StoreError};

pub trait Library {
    fn feed_rows(&mut self) -> Result<Vec<FeedRow>, StoreError>;
    /// (unread, total) per feed.
    fn feed_counts(&mut self) -> Result<HashMap<FeedId, (i64, i64)>, StoreError>;
    fn item_ids(&mut self, filter: &ItemFilter, unread_only: bool) -> Result<Vec<ItemId>, StoreError>;
    /// The headline list of `filter`, one line per story covered by several feeds, the items of
    /// the `expanded` stories under their line.
    fn headline_list(
        &mut self,
        filter: &ItemFilter,
        unread_only: bool,
        expanded: &HashSet<StoryId>,
    ) -> Result<HeadlineList, StoreError>;
    /// The items of a story and their feeds, newest first.
    fn story_members(&self, story: StoryId) -> Result<Vec<(ItemId, FeedId)>, StoreError>;
    /// Another writer (the poller) changed these feeds (their items, counts or errors), or
    /// anything when `None`.
    fn items_changed(&mut self, feeds: Option<&[FeedId]>);
    /// A poll of this process starts (`true`) or ends: while it runs, its events say what changed.
    fn poll_running(&mut self, running: bool);
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
    stories: Stories,
    ready: bool,
}

/// Items published this long before the newest are indexed for the related pane but not placed
/// in stories: grouping is about the news of the day, and placing costs a search per item.
const STORY_WINDOW_SECS: i64 = 14 * 86_400;

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
    /// changed (merges move earlier items), for the caller to save.
    pub fn index_from(&self, store: &Store, mut after: ItemId, now: i64) -> Result<IndexedBatch, StoreError> {
        let mut stories: HashMap<ItemId, StoryId> = HashMap::new();
        loop {
            let batch = store.items_for_index(after, 256)?;
            let Some(last) = batch.last().map(|i| i.id) else { break };
            let recent: Vec<i64> =
                batch.iter().filter(|i| i.published_at >= now - STORY_WINDOW_SECS).map(|i| i.id.0).collect();
            self.insert_all(batch);
            if let Ok(mut state) = self.inner.lock() {
                let IndexState { index, stories: groups, .. } = &mut *state;
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
        self.with(|index| index.remove(id.0));
        self.insert_all(vec![item]);
        Ok(())
    }

    fn insert_all(&self, items: Vec<crate::store::IndexableItem>) {
        let docs: Vec<(i64, String, String, i64)> = items
            .into_iter()
            .map(|i| (i.id.0, i.title, crate::text::html_to_index_text(&i.body_html), i.published_at))
            .collect();
        self.with(|index| {
            for (id, title, body, published) in &docs {
                index.insert(&crate::related::Document { id: *id, title, body, published_at: Some(*published) });
            }
        });
    }
}

/// What one indexing pass did.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedBatch {
    /// The highest item id indexed.
    pub last: ItemId,
    /// Items placed in a story, or moved to another by a merge.
    pub stories: Vec<(ItemId, StoryId)>,
}

pub struct StoreLibrary {
    store: Store,
    index: SharedIndex,
    clock: Option<i64>,
    /// The headline order, built on first use and kept in step with every write.
    order: Option<HeadlineOrder>,
    /// `Store::data_version` when `order` was last known to be current.
    seen_version: i64,
    /// A poll of ours is running: its commits are reported as events, which keep `order` in step,
    /// so a commit alone does not throw it away.
    polling: bool,
    /// The feeds pane's unread and total counts and feed rows, kept like `order`; `None` when
    /// they are to be read afresh.
    counts: Option<HashMap<FeedId, (i64, i64)>>,
    rows: Option<Vec<FeedRow>>,
    /// `Store::data_version` when `counts` and `rows` were last known to be current.
    counts_version: i64,
}

impl StoreLibrary {
    pub fn new(store: Store, index: SharedIndex) -> StoreLibrary {
        StoreLibrary::with_clock(store, index, None)
    }

    /// A library whose clock stands still at `now` (for tests and snapshots).
    pub fn with_fixed_clock(store: Store, index: SharedIndex, now: i64) -> StoreLibrary {
        StoreLibrary::with_clock(store, index, Some(now))
    }

    fn with_clock(store: Store, index: SharedIndex, clock: Option<i64>) -> StoreLibrary {
        StoreLibrary {
            store,
            index,
            clock,
            order: None,
            seen_version: 0,
            polling: false,
            counts: None,
            rows: None,
            counts_version: 0,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, for writes the library does not see: what it keeps is read afresh afterwards.
    pub fn store_mut(&mut self) -> &mut Store {
        self.forget();
        &mut self.store
    }

    /// Drops everything kept from the store.
    fn forget(&mut self) {
        self.order = None;
        self.counts = None;
        self.rows = None;
    }

    /// Drops the counts and rows when another connection committed since (not during a poll of
    /// ours, whose events keep them in step).
    fn check_counts(&mut self) -> Result<(), StoreError> {
        let version = self.store.data_version()?;
        if version != self.counts_version && !self.polling {
            self.counts = None;
            self.rows = None;
        }
        self.counts_version = version;
        Ok(())
    }

    /// Reads these feeds' counts and rows again into what is kept.
    fn refresh_feeds(&mut self, feeds: &[FeedId]) -> Result<(), StoreError> {
        if let Some(counts) = self.counts.as_mut() {
            for feed in feeds {
                counts.remove(feed);
            }
            counts.extend(self.store.feed_counts_of(feeds)?.into_iter().map(|(id, u, t)| (id, (u, t))));
        }
        if let Some(rows) = self.rows.as_mut() {
            for feed in feeds {
                let fresh = self.store.feed(*feed)?;
                match (rows.iter_mut().find(|r| r.id == *feed), fresh) {
                    (Some(row), Some(fresh)) => *row = fresh,
                    (None, Some(fresh)) => rows.push(fresh),
                    (Some(_), None) => rows.retain(|r| r.id != *feed),
                    (None, None) => {}
                }
            }
        }
        Ok(())
    }

    /// The headline order, rebuilt when it was dropped or another connection committed since.
    fn order(&mut self) -> Result<&mut HeadlineOrder, StoreError> {
        let version = self.store.data_version()?;
        if version != self.seen_version && !self.polling {
            self.order = None;
        }
        let order = match self.order.take() {
            Some(order) => order,
            None => HeadlineOrder::new(self.store.headline_keys(None)?),
        };
        self.seen_version = version;
        Ok(self.order.insert(order))
    }
}

impl Library for StoreLibrary {
    fn feed_rows(&mut self) -> Result<Vec<FeedRow>, StoreError> {
        self.check_counts()?;
        if self.rows.is_none() {
            self.rows = Some(self.store.feeds()?);
        }
        Ok(self.rows.clone().unwrap_or_default())
    }
    fn feed_counts(&mut self) -> Result<HashMap<FeedId, (i64, i64)>, StoreError> {
        self.check_counts()?;
        if self.counts.is_none() {
            let all = self.store.all_feed_counts()?;
            self.counts = Some(all.into_iter().map(|(id, unread, total)| (id, (unread, total))).collect());
        }
        Ok(self.counts.clone().unwrap_or_default())
    }
    fn item_ids(&mut self, filter: &ItemFilter, unread_only: bool) -> Result<Vec<ItemId>, StoreError> {
        match self.order()?.ids(filter, unread_only) {
            Some(ids) => Ok(ids),
            None => self.store.item_ids(filter, unread_only),
        }
    }
    fn headline_list(
        &mut self,
        filter: &ItemFilter,
        unread_only: bool,
        expanded: &HashSet<StoryId>,
    ) -> Result<HeadlineList, StoreError> {
        match self.order()?.lines(filter, unread_only, expanded) {
            Some(list) => Ok(list),
            None => Ok(HeadlineList { ids: self.store.item_ids(filter, unread_only)?, stories: Default::default() }),
        }
    }
    fn story_members(&self, story: StoryId) -> Result<Vec<(ItemId, FeedId)>, StoreError> {
        self.store.story_members(story)
    }
    fn items_changed(&mut self, feeds: Option<&[FeedId]>) {
        let Some(feeds) = feeds else {
            // Rebuilt now, while a poll event is handled, rather than on the next keypress.
            self.forget();
            if self.order().is_err() {
                self.order = None;
            }
            return;
        };
        if self.refresh_feeds(feeds).is_err() {
            self.counts = None;
            self.rows = None;
        }
        let fresh = self.store.headline_keys_of(feeds);
        let version = self.store.data_version();
        match (self.order.as_mut(), fresh, version) {
            (Some(order), Ok(fresh), Ok(version)) => {
                order.replace_feeds(&feeds.iter().copied().collect(), fresh);
                self.seen_version = version;
            }
            _ => self.order = None,
        }
    }
    fn poll_running(&mut self, running: bool) {
        self.polling = running;
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
        self.store.set_read(ids, read, crate::feed::poller::now_secs())?;
        self.counts = None;
        if let Some(order) = self.order.as_mut() {
            order.set_read(ids, read);
        }
        Ok(())
    }
    fn set_starred(&mut self, id: ItemId, starred: bool) -> Result<(), StoreError> {
        self.store.set_starred(id, starred)
    }
    fn mark_all_read(&mut self, filter: &ItemFilter) -> Result<usize, StoreError> {
        let ids = self.item_ids(filter, true)?;
        let marked = self.store.mark_all_read(filter, crate::feed::poller::now_secs())?;
        self.counts = None;
        if let Some(order) = self.order.as_mut() {
            order.set_read(&ids, true);
        }
        Ok(marked)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewItem, ParsedFeed};
    use crate::store::FeedFetchState;

    fn items(names: &[(&str, i64)]) -> ParsedFeed {
        let items = names
            .iter()
            .map(|(guid, published)| NewItem {
                guid: guid.to_string(),
                title: guid.to_string(),
                published_at: Some(*published),
                ..Default::default()
            })
            .collect();
        ParsedFeed { items, ..Default::default() }
    }

    /// A cache with feeds a and b (a with `a_items`), the poller's connection to it and a library
    /// on a connection of its own, as the reader has.
    fn two_feeds(dir: &std::path::Path, a_items: &[(&str, i64)]) -> (Store, FeedId, FeedId, StoreLibrary) {
        let path = dir.join("cache.db");
        let mut poller = Store::open(&path).expect("poller's connection");
        let feeds = poller.sync_feeds(&["https://a.example/rss", "https://b.example/rss"]).expect("feeds");
        poller.record_success(feeds[0], 100, &FeedFetchState::default(), &items(a_items)).expect("store a");
        let lib = StoreLibrary::new(Store::open(&path).expect("reader's connection"), SharedIndex::default());
        (poller, feeds[0], feeds[1], lib)
    }

    fn titles(lib: &mut StoreLibrary, filter: &ItemFilter, unread_only: bool) -> Vec<String> {
        let ids = lib.item_ids(filter, unread_only).expect("ids");
        lib.summaries(&ids).expect("rows").into_iter().map(|r| r.title).collect()
    }

    #[test]
    fn headline_lists_follow_the_poller_and_the_reader() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut poller, a, b, mut lib) = two_feeds(dir.path(), &[("a1", 10), ("a2", 30)]);
        let state = FeedFetchState::default();
        assert_eq!(titles(&mut lib, &ItemFilter::All, false), ["a2", "a1"]);

        // The poller stores feed b and says so.
        poller.record_success(b, 100, &state, &items(&[("b1", 20), ("b2", 40)])).expect("store b");
        lib.items_changed(Some(&[b]));
        assert_eq!(titles(&mut lib, &ItemFilter::All, false), ["b2", "a2", "b1", "a1"]);
        assert_eq!(titles(&mut lib, &ItemFilter::Feeds(vec![b]), false), ["b2", "b1"]);

        // Another process writes without telling us: the commit is noticed.
        poller.record_success(a, 100, &state, &items(&[("a1", 10), ("a2", 30), ("a3", 50)])).expect("store a");
        assert_eq!(titles(&mut lib, &ItemFilter::All, false), ["a3", "b2", "a2", "b1", "a1"]);

        // The reader's own marks show at once, in every list.
        let a3 = lib.item_ids(&ItemFilter::All, false).expect("ids")[0];
        lib.set_read(&[a3], true).expect("read");
        assert_eq!(titles(&mut lib, &ItemFilter::Unread, false), ["b2", "a2", "b1", "a1"]);
        lib.mark_all_read(&ItemFilter::Feeds(vec![a])).expect("mark a");
        assert_eq!(titles(&mut lib, &ItemFilter::All, true), ["b2", "b1"]);
        assert_eq!(
            lib.store().item_ids(&ItemFilter::All, true).expect("store's view"),
            lib.item_ids(&ItemFilter::All, true).expect("ids")
        );
    }

    #[test]
    fn feed_counts_and_errors_follow_the_poller_the_reader_and_other_processes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut poller, a, b, mut lib) = two_feeds(dir.path(), &[("a1", 10)]);
        let state = FeedFetchState::default();
        let counts = |lib: &mut StoreLibrary| {
            let counts = lib.feed_counts().expect("counts");
            (counts.get(&a).copied(), counts.get(&b).copied())
        };
        assert_eq!(counts(&mut lib), (Some((1, 1)), None));
        let error =
            |lib: &mut StoreLibrary| lib.feed_rows().expect("rows").into_iter().find(|r| r.id == a).unwrap().error;
        assert_eq!(error(&mut lib), None);

        // During a poll of ours the counts and errors follow its events, one feed at a time.
        lib.poll_running(true);
        poller.record_success(b, 100, &state, &items(&[("b1", 20), ("b2", 30)])).expect("store b");
        poller.record_failure(a, 200, "HTTP 500", 300).expect("a fails");
        lib.items_changed(Some(&[b]));
        assert_eq!(counts(&mut lib), (Some((1, 1)), Some((2, 2))));
        assert_eq!(error(&mut lib), None, "feed a has not been reported yet");
        lib.items_changed(Some(&[a]));
        assert_eq!(error(&mut lib).as_deref(), Some("HTTP 500"));
        lib.poll_running(false);

        // The reader's own marks.
        let b2 = lib.item_ids(&ItemFilter::Feeds(vec![b]), false).expect("ids")[0];
        lib.set_read(&[b2], true).expect("read");
        assert_eq!(counts(&mut lib), (Some((1, 1)), Some((1, 2))));

        // Another process (a cron poll) commits without telling us: noticed.
        poller.record_success(a, 400, &state, &items(&[("a1", 10), ("a2", 40)])).expect("store a");
        assert_eq!(counts(&mut lib), (Some((2, 2)), Some((1, 2))));
        assert_eq!(error(&mut lib), None);
    }
}
