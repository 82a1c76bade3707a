//! Every cached item's place in the headline lists, held in memory so that moving between "All",
//! "Unread", a tag or a feed filters a vector instead of asking SQLite to sort the whole cache on a
//! keypress. Searches and "Starred" (small, or ordered by the search) still go to the store.

use std::collections::HashSet;

use crate::model::{FeedId, ItemId};
use crate::store::{HeadlineKey, ItemFilter};

#[derive(Debug, Default, Clone)]
pub struct HeadlineOrder {
    /// Newest first: published time, then id, both descending (the store's order).
    keys: Vec<HeadlineKey>,
}

fn newest_first(a: &HeadlineKey, b: &HeadlineKey) -> std::cmp::Ordering {
    (b.published_at, b.id.0).cmp(&(a.published_at, a.id.0))
}

impl HeadlineOrder {
    pub fn new(mut keys: Vec<HeadlineKey>) -> HeadlineOrder {
        keys.sort_by(newest_first);
        HeadlineOrder { keys }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The ids `filter` lists, newest first; `None` for the filters this order cannot answer
    /// (search, starred).
    pub fn ids(&self, filter: &ItemFilter, unread_only: bool) -> Option<Vec<ItemId>> {
        let keep_read = !unread_only;
        let ids = match filter {
            ItemFilter::All => self.collect(|k| keep_read || !k.read),
            ItemFilter::Unread => self.collect(|k| !k.read),
            ItemFilter::Feeds(feeds) if feeds.len() <= 8 => {
                self.collect(|k| (keep_read || !k.read) && feeds.contains(&k.feed_id))
            }
            ItemFilter::Feeds(feeds) => {
                let feeds: HashSet<FeedId> = feeds.iter().copied().collect();
                self.collect(|k| (keep_read || !k.read) && feeds.contains(&k.feed_id))
            }
            ItemFilter::Starred | ItemFilter::Search(_) => return None,
        };
        Some(ids)
    }

    fn collect(&self, keep: impl Fn(&HeadlineKey) -> bool) -> Vec<ItemId> {
        self.keys.iter().filter(|k| keep(k)).map(|k| k.id).collect()
    }

    /// Puts one feed's fresh keys in place of its old ones (after a poll stored it).
    pub fn replace_feed(&mut self, feed: FeedId, mut fresh: Vec<HeadlineKey>) {
        fresh.retain(|k| k.feed_id == feed);
        fresh.sort_by(newest_first);
        let old = std::mem::take(&mut self.keys);
        let mut merged = Vec::with_capacity(old.len() + fresh.len());
        let mut fresh = fresh.into_iter().peekable();
        for key in old.into_iter().filter(|k| k.feed_id != feed) {
            while let Some(next) = fresh.next_if(|f| newest_first(f, &key).is_lt()) {
                merged.push(next);
            }
            merged.push(key);
        }
        merged.extend(fresh);
        self.keys = merged;
    }

    /// Records read flags the reader just saved.
    pub fn set_read(&mut self, ids: &[ItemId], read: bool) {
        if ids.len() <= 8 {
            self.keys.iter_mut().filter(|k| ids.contains(&k.id)).for_each(|k| k.read = read);
        } else {
            let ids: HashSet<ItemId> = ids.iter().copied().collect();
            self.keys.iter_mut().filter(|k| ids.contains(&k.id)).for_each(|k| k.read = read);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64, feed: i64, published_at: i64, read: bool) -> HeadlineKey {
        HeadlineKey { id: ItemId(id), feed_id: FeedId(feed), published_at, read }
    }

    fn ids(v: &[i64]) -> Vec<ItemId> {
        v.iter().map(|i| ItemId(*i)).collect()
    }

    fn sample() -> HeadlineOrder {
        HeadlineOrder::new(vec![
            key(1, 1, 100, false),
            key(2, 2, 300, true),
            key(3, 1, 200, false),
            key(4, 3, 200, true),
        ])
    }

    #[test]
    fn lists_newest_first_with_ties_broken_by_id() {
        let order = sample();
        assert_eq!(order.ids(&ItemFilter::All, false), Some(ids(&[2, 4, 3, 1])));
        assert_eq!(order.ids(&ItemFilter::All, true), Some(ids(&[3, 1])));
        assert_eq!(order.ids(&ItemFilter::Unread, false), Some(ids(&[3, 1])));
        assert_eq!(order.ids(&ItemFilter::Feeds(vec![FeedId(1), FeedId(3)]), false), Some(ids(&[4, 3, 1])));
        assert_eq!(order.ids(&ItemFilter::Starred, false), None);
        assert_eq!(order.ids(&ItemFilter::Search("x".into()), false), None);
    }

    #[test]
    fn many_feeds_filter_the_same_as_few() {
        let order = sample();
        let many: Vec<FeedId> = (1..=20).map(FeedId).collect();
        assert_eq!(order.ids(&ItemFilter::Feeds(many), true), Some(ids(&[3, 1])));
    }

    #[test]
    fn replacing_a_feed_merges_its_new_keys_in_order() {
        let mut order = sample();
        // Feed 1 now lists item 3 (read) and a new item 5 between 2 and 4; item 1 is gone.
        order.replace_feed(FeedId(1), vec![key(5, 1, 250, false), key(3, 1, 200, true), key(9, 2, 999, false)]);
        assert_eq!(order.ids(&ItemFilter::All, false), Some(ids(&[2, 5, 4, 3])));
        assert_eq!(order.ids(&ItemFilter::Unread, false), Some(ids(&[5])));
        assert_eq!(order.len(), 4);
    }

    #[test]
    fn read_flags_follow_the_reader() {
        let mut order = sample();
        order.set_read(&ids(&[1]), true);
        assert_eq!(order.ids(&ItemFilter::Unread, false), Some(ids(&[3])));
        order.set_read(&ids(&[2, 4]), false);
        assert_eq!(order.ids(&ItemFilter::Unread, false), Some(ids(&[2, 4, 3])));
    }
}
