//! The library over the real cache: a read-only connection, with what is costly to read again
//! (the headline order, the feeds pane's counts and rows) kept between keypresses. The store is
//! local SQLite in WAL mode, so reads never wait on the writer and take well under a millisecond.
//!
//! What is kept is dropped when another connection commits (`PRAGMA data_version`), except for
//! the commits the loop reports: a poll of ours (its events say what changed) and the reader's
//! own flag changes, which [`StoreLibrary::note`] applies at once and [`StoreLibrary::saved`]
//! confirms. A commit of another process that lands in between is seen on the next one.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::pending::{ChangeId, Pending};
use super::{Library, LibraryError};
use crate::model::{FeedId, FeedRow, FlagChange, ItemFilter, ItemId, ItemRow, ItemSummary, StoryId};
use crate::store::{Store, StoreError};
use crate::ui::headline_order::{HeadlineList, HeadlineOrder};

impl From<StoreError> for LibraryError {
    fn from(e: StoreError) -> Self {
        LibraryError(e.to_string())
    }
}

pub struct StoreLibrary {
    store: Store,
    clock: Option<i64>,
    /// A poll of ours is running: its commits are reported as events, which keep what is kept
    /// in step, so a commit alone does not throw it away.
    polling: bool,
    kept: RefCell<Kept>,
    pending: Pending,
}

/// What is kept from the store between reads.
#[derive(Default)]
struct Kept {
    /// The headline order, built on first use and kept in step with every change we know of.
    order: Option<HeadlineOrder>,
    /// `Store::data_version` when `order` was last known to be current.
    seen_version: i64,
    /// The feeds pane's unread and total counts and feed rows; `None` when to be read afresh.
    counts: Option<HashMap<FeedId, (i64, i64)>>,
    rows: Option<Vec<FeedRow>>,
    /// `Store::data_version` when `counts` and `rows` were last known to be current.
    counts_version: i64,
}

impl Kept {
    fn forget(&mut self) {
        self.order = None;
        self.counts = None;
        self.rows = None;
    }
}

impl StoreLibrary {
    /// A library over `store`, which should be opened with [`Store::open_for_reading`].
    pub fn new(store: Store) -> StoreLibrary {
        StoreLibrary::with_clock(store, None)
    }

    /// A library whose clock stands still at `now` (for tests and snapshots).
    pub fn with_fixed_clock(store: Store, now: i64) -> StoreLibrary {
        StoreLibrary::with_clock(store, Some(now))
    }

    fn with_clock(store: Store, clock: Option<i64>) -> StoreLibrary {
        StoreLibrary { store, clock, polling: false, kept: RefCell::default(), pending: Pending::default() }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A poll of this process starts (`true`) or ends: while it runs, its events say what changed.
    pub fn poll_running(&mut self, running: bool) {
        if running && !self.polling {
            // What another process committed before our poll began is not in its events: it is
            // read afresh, not taken for the poll's own commits.
            let kept = self.kept.get_mut();
            match self.store.data_version() {
                Ok(version) => {
                    if version != kept.counts_version {
                        kept.counts = None;
                        kept.rows = None;
                        kept.counts_version = version;
                    }
                    if version != kept.seen_version {
                        kept.order = None;
                        kept.seen_version = version;
                    }
                }
                Err(_) => kept.forget(),
            }
        }
        self.polling = running;
    }

    /// The loop hands `change` to the writer: reads show it from now on. Returns its number for
    /// [`StoreLibrary::saved`].
    pub fn note(&mut self, change: &FlagChange) -> ChangeId {
        let id = self.pending.add(change);
        if let FlagChange::Read { ids, read } = change {
            let kept = self.kept.get_mut();
            match kept.order.as_mut() {
                Some(order) => {
                    let deltas = order.set_read(ids, *read);
                    if let Some(counts) = kept.counts.as_mut() {
                        for (feed, delta) in deltas {
                            if let Some(count) = counts.get_mut(&feed) {
                                count.0 = (count.0 + delta).max(0);
                            }
                        }
                    }
                }
                None => kept.counts = None,
            }
        }
        id
    }

    /// The writer answered for `change`: committed (`ok`), so its commit is one we know of, or
    /// failed, so everything is read afresh from what the cache holds.
    pub fn saved(&mut self, change: ChangeId, ok: bool) {
        self.pending.done(change);
        let kept = self.kept.get_mut();
        if !ok {
            kept.forget();
            return;
        }
        if let Ok(version) = self.store.data_version() {
            kept.seen_version = version;
            kept.counts_version = version;
        }
    }

    /// Drops the counts and rows when another connection committed since (not during a poll of
    /// ours, whose events keep them in step).
    fn check_counts(&self, kept: &mut Kept) -> Result<(), StoreError> {
        let version = self.store.data_version()?;
        if version != kept.counts_version && !self.polling {
            kept.counts = None;
            kept.rows = None;
        }
        kept.counts_version = version;
        Ok(())
    }

    /// Per feed, how the unread counts the cache gives differ from what the reader's unsaved
    /// changes make them (only `feeds`, when given).
    fn pending_deltas(&self, feeds: Option<&HashSet<FeedId>>) -> Result<HashMap<FeedId, i64>, StoreError> {
        let mut deltas = HashMap::new();
        if self.pending.is_empty() {
            return Ok(deltas);
        }
        let wanted: HashMap<ItemId, bool> = self.pending.reads().collect();
        let ids: Vec<ItemId> = wanted.keys().copied().collect();
        for row in self.store.item_summaries(&ids)? {
            if feeds.is_some_and(|f| !f.contains(&row.feed_id)) {
                continue;
            }
            match wanted.get(&row.id) {
                Some(true) if !row.read => *deltas.entry(row.feed_id).or_default() -= 1,
                Some(false) if row.read => *deltas.entry(row.feed_id).or_default() += 1,
                _ => {}
            }
        }
        Ok(deltas)
    }

    fn add_deltas(counts: &mut HashMap<FeedId, (i64, i64)>, deltas: HashMap<FeedId, i64>) {
        for (feed, delta) in deltas {
            if let Some(count) = counts.get_mut(&feed) {
                count.0 = (count.0 + delta).max(0);
            }
        }
    }

    /// The reader's unsaved read flags, put on an order read from the cache.
    fn apply_pending(&self, order: &mut HeadlineOrder) {
        for (id, read) in self.pending.reads() {
            order.set_read(&[id], read);
        }
    }

    /// Reads these feeds' counts and rows again into what is kept.
    fn refresh_feeds(&self, kept: &mut Kept, feeds: &[FeedId]) -> Result<(), StoreError> {
        if let Some(counts) = kept.counts.as_mut() {
            for feed in feeds {
                counts.remove(feed);
            }
            counts.extend(self.store.feed_counts_of(feeds)?.into_iter().map(|(id, u, t)| (id, (u, t))));
            let only: HashSet<FeedId> = feeds.iter().copied().collect();
            Self::add_deltas(counts, self.pending_deltas(Some(&only))?);
        }
        if let Some(rows) = kept.rows.as_mut() {
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

    /// Runs `f` on the headline order, rebuilt first when it was dropped or another connection
    /// committed since.
    fn with_order<R>(&self, f: impl FnOnce(&HeadlineOrder) -> R) -> Result<R, StoreError> {
        let mut kept = self.kept.borrow_mut();
        let version = self.store.data_version()?;
        if version != kept.seen_version && !self.polling {
            kept.order = None;
        }
        if kept.order.is_none() {
            let mut order = HeadlineOrder::new(self.store.headline_keys(None)?);
            self.apply_pending(&mut order);
            kept.order = Some(order);
        }
        kept.seen_version = version;
        Ok(f(kept.order.as_ref().expect("built above")))
    }

    fn rows_with_pending(&self, mut rows: Vec<ItemSummary>) -> Vec<ItemSummary> {
        if !self.pending.is_empty() {
            rows.iter_mut().for_each(|r| self.pending.apply_to_summary(r));
        }
        rows
    }
}

impl Library for StoreLibrary {
    fn feed_rows(&self) -> Result<Vec<FeedRow>, LibraryError> {
        let mut kept = self.kept.borrow_mut();
        self.check_counts(&mut kept)?;
        if kept.rows.is_none() {
            kept.rows = Some(self.store.feeds()?);
        }
        Ok(kept.rows.clone().unwrap_or_default())
    }

    fn feed_counts(&self) -> Result<HashMap<FeedId, (i64, i64)>, LibraryError> {
        let mut kept = self.kept.borrow_mut();
        self.check_counts(&mut kept)?;
        if kept.counts.is_none() {
            let all = self.store.all_feed_counts()?;
            let mut counts: HashMap<FeedId, (i64, i64)> =
                all.into_iter().map(|(id, unread, total)| (id, (unread, total))).collect();
            Self::add_deltas(&mut counts, self.pending_deltas(None)?);
            kept.counts = Some(counts);
        }
        Ok(kept.counts.clone().unwrap_or_default())
    }

    fn item_ids(&self, filter: &ItemFilter, unread_only: bool) -> Result<Vec<ItemId>, LibraryError> {
        match self.with_order(|order| order.ids(filter, unread_only))? {
            Some(ids) => Ok(ids),
            None => Ok(self.store.item_ids(filter, unread_only)?),
        }
    }

    fn count_items(&self, filter: &ItemFilter, unread_only: bool) -> Result<usize, LibraryError> {
        match self.with_order(|order| order.ids(filter, unread_only))? {
            Some(ids) => Ok(ids.len()),
            None => Ok(self.store.count_items(filter, unread_only)?),
        }
    }

    fn headline_list(
        &self,
        filter: &ItemFilter,
        unread_only: bool,
        expanded: &HashSet<StoryId>,
    ) -> Result<HeadlineList, LibraryError> {
        match self.with_order(|order| order.lines(filter, unread_only, expanded))? {
            Some(list) => Ok(list),
            None => Ok(HeadlineList { ids: self.store.item_ids(filter, unread_only)?, stories: Default::default() }),
        }
    }

    fn story_members(&self, story: StoryId) -> Result<Vec<(ItemId, FeedId)>, LibraryError> {
        Ok(self.store.story_members(story)?)
    }

    fn read_afresh(&self, feeds: Option<&[FeedId]>) {
        let Some(feeds) = feeds else {
            // Rebuilt now, while a poll event is handled, rather than on the next keypress.
            self.kept.borrow_mut().forget();
            if self.with_order(|_| ()).is_err() {
                self.kept.borrow_mut().order = None;
            }
            return;
        };
        let mut kept = self.kept.borrow_mut();
        if self.refresh_feeds(&mut kept, feeds).is_err() {
            kept.counts = None;
            kept.rows = None;
        }
        let fresh = self.store.headline_keys_of(feeds);
        let version = self.store.data_version();
        match (kept.order.take(), fresh, version) {
            (Some(mut order), Ok(fresh), Ok(version)) => {
                order.replace_feeds(&feeds.iter().copied().collect(), fresh);
                self.apply_pending(&mut order);
                kept.order = Some(order);
                kept.seen_version = version;
            }
            _ => kept.order = None,
        }
    }

    fn summaries(&self, ids: &[ItemId]) -> Result<Vec<ItemSummary>, LibraryError> {
        Ok(self.rows_with_pending(self.store.item_summaries(ids)?))
    }

    fn item(&self, id: ItemId) -> Result<Option<ItemRow>, LibraryError> {
        let mut item = self.store.item(id)?;
        if let Some(row) = item.as_mut() {
            self.pending.apply_to_row(row);
        }
        Ok(item)
    }

    fn first_unread(&self, filter: &ItemFilter) -> Result<Option<ItemId>, LibraryError> {
        // While changes wait to be saved the cache is behind: the order has them.
        if !self.pending.is_empty()
            && let Some(first) = self.with_order(|order| order.first_id(filter, true))?
        {
            return Ok(first);
        }
        Ok(self.store.first_unread(filter)?)
    }

    fn changed_elsewhere(&self) -> bool {
        if self.polling {
            return false;
        }
        let kept = self.kept.borrow();
        self.store.data_version().is_ok_and(|v| v != kept.counts_version || v != kept.seen_version)
    }

    fn now(&self) -> i64 {
        self.clock.unwrap_or_else(crate::timefmt::now_secs)
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
        let lib = StoreLibrary::new(Store::open_for_reading(&path).expect("reader's connection"));
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
        lib.read_afresh(Some(&[b]));
        assert_eq!(titles(&mut lib, &ItemFilter::All, false), ["b2", "a2", "b1", "a1"]);
        assert_eq!(titles(&mut lib, &ItemFilter::Feeds(vec![b]), false), ["b2", "b1"]);

        // Another process writes without telling us: the commit is noticed.
        poller.record_success(a, 100, &state, &items(&[("a1", 10), ("a2", 30), ("a3", 50)])).expect("store a");
        assert_eq!(titles(&mut lib, &ItemFilter::All, false), ["a3", "b2", "a2", "b1", "a1"]);

        // The reader's own marks show at once, in every list, before the writer saved them.
        let a3 = lib.item_ids(&ItemFilter::All, false).expect("ids")[0];
        let read_a3 = FlagChange::Read { ids: vec![a3], read: true };
        let first = lib.note(&read_a3);
        assert_eq!(titles(&mut lib, &ItemFilter::Unread, false), ["b2", "a2", "b1", "a1"]);
        assert!(lib.item(a3).expect("item").expect("a3").read);
        let b2 = lib.item_ids(&ItemFilter::All, false).expect("ids")[1];
        assert_eq!(lib.first_unread(&ItemFilter::All).expect("first"), Some(b2), "not the item just read");
        let a_unread = lib.item_ids(&ItemFilter::Feeds(vec![a]), true).expect("ids");
        let mark_a = FlagChange::Read { ids: a_unread, read: true };
        let second = lib.note(&mark_a);
        assert_eq!(titles(&mut lib, &ItemFilter::All, true), ["b2", "b1"]);
        // Saved, as the writer would: nothing is read afresh, and the cache agrees.
        for (change, id) in [(&read_a3, first), (&mark_a, second)] {
            poller.apply_flags(change, 500).expect("save");
            lib.saved(id, true);
        }
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
        lib.read_afresh(Some(&[b]));
        assert_eq!(counts(&mut lib), (Some((1, 1)), Some((2, 2))));
        assert_eq!(error(&mut lib), None, "feed a has not been reported yet");
        lib.read_afresh(Some(&[a]));
        assert_eq!(error(&mut lib).as_deref(), Some("HTTP 500"));
        lib.poll_running(false);

        // The reader's own marks.
        let b2 = lib.item_ids(&ItemFilter::Feeds(vec![b]), false).expect("ids")[0];
        let change = FlagChange::Read { ids: vec![b2], read: true };
        let id = lib.note(&change);
        assert_eq!(counts(&mut lib), (Some((1, 1)), Some((1, 2))), "shown before it is saved");
        poller.apply_flags(&change, 300).expect("save");
        lib.saved(id, true);
        assert_eq!(counts(&mut lib), (Some((1, 1)), Some((1, 2))));

        // A change that fails to save: the counts come back to what the cache holds.
        let id = lib.note(&FlagChange::Read { ids: vec![b2], read: false });
        assert_eq!(counts(&mut lib), (Some((1, 1)), Some((2, 2))));
        lib.saved(id, false);
        assert_eq!(counts(&mut lib), (Some((1, 1)), Some((1, 2))));

        // Another process (a cron poll) commits without telling us: noticed.
        poller.record_success(a, 400, &state, &items(&[("a1", 10), ("a2", 40)])).expect("store a");
        assert_eq!(counts(&mut lib), (Some((2, 2)), Some((1, 2))));
        assert_eq!(error(&mut lib), None);
    }
}
