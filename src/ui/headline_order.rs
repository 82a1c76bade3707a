//! Every cached item's place in the headline lists, held in memory so that moving between "All",
//! "Unread", a tag or a feed filters a vector instead of asking SQLite to sort the whole cache on a
//! keypress. Searches and "Starred" (small, or ordered by the search) still go to the store.
//!
//! Lists can also be grouped by story: one line per story (its newest item in the list) that
//! says how many feeds cover it, with the story's other items hidden unless it is expanded.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::{FeedId, HeadlineKey, ItemFilter, ItemId, StoryId};

#[derive(Debug, Default, Clone)]
pub struct HeadlineOrder {
    /// Newest first: published time, then id, both descending (the store's order).
    keys: Vec<HeadlineKey>,
    /// Beside each key: the slot of its story when two or more feeds cover it, else `NO_SLOT`.
    slots: Vec<u32>,
    /// Per slot: the story and how many feeds cover it.
    slot_stories: Vec<(StoryId, usize)>,
}

const NO_SLOT: u32 = u32::MAX;

/// A hasher for ids (already well spread integers): hashing 30,000 of them on a keypress with
/// SipHash costs more than the rest of the list.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_i64(&mut self, n: i64) {
        self.0 = (n as u64 ^ self.0).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    }
}

/// Story lines by item id.
pub type StoryLines = HashMap<ItemId, StoryLine, BuildHasherDefault<IdHasher>>;

/// A headline list: the ids in order, and the story lines among them.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct HeadlineList {
    pub ids: Vec<ItemId>,
    pub stories: StoryLines,
}

/// What a headline row shows about its story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryLine {
    pub story: StoryId,
    /// Feeds whose items of the story are in this list (the line's and the hidden ones'): what
    /// expanding shows. Always two or more: a story is folded only across feeds.
    pub sources: usize,
    /// Items of the story in this list besides this one (hidden unless expanded).
    pub others: usize,
    /// Of those, the unread ones (a folded line says so).
    pub unread_others: usize,
    pub expanded: bool,
    /// An item listed under its story's line (expanded), rather than the line itself.
    pub member: bool,
}

fn newest_first(a: &HeadlineKey, b: &HeadlineKey) -> std::cmp::Ordering {
    (b.published_at, b.id.0).cmp(&(a.published_at, a.id.0))
}

impl HeadlineOrder {
    pub fn new(mut keys: Vec<HeadlineKey>) -> HeadlineOrder {
        keys.sort_by(newest_first);
        let mut order = HeadlineOrder { keys, slots: Vec::new(), slot_stories: Vec::new() };
        order.place_stories();
        order
    }

    /// Gives each story that two or more feeds cover a slot, and each key its story's slot.
    fn place_stories(&mut self) {
        // (story, feed) pairs sorted: each story's distinct feeds are then one run.
        let mut pairs: Vec<(StoryId, i64)> =
            self.keys.iter().filter_map(|k| k.story.map(|s| (s, k.feed_id.0))).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut slot_of: HashMap<StoryId, u32, BuildHasherDefault<IdHasher>> = HashMap::default();
        self.slot_stories.clear();
        for run in pairs.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
            slot_of.insert(run[0].0, self.slot_stories.len() as u32);
            self.slot_stories.push((run[0].0, run.len()));
        }
        self.slots =
            self.keys.iter().map(|k| k.story.and_then(|s| slot_of.get(&s).copied()).unwrap_or(NO_SLOT)).collect();
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
        let keep = keeper(filter, unread_only)?;
        Some(self.keys.iter().filter(|k| keep(k)).map(|k| k.id).collect())
    }

    /// The first id `filter` lists (see [`HeadlineOrder::ids`]).
    pub fn first_id(&self, filter: &ItemFilter, unread_only: bool) -> Option<Option<ItemId>> {
        let keep = keeper(filter, unread_only)?;
        Some(self.keys.iter().find(|k| keep(k)).map(|k| k.id))
    }

    /// Puts these feeds' fresh keys in place of their old ones, in one pass however many feeds.
    pub fn replace_feeds(&mut self, feeds: &HashSet<FeedId>, mut fresh: Vec<HeadlineKey>) {
        fresh.retain(|k| feeds.contains(&k.feed_id));
        fresh.sort_by(newest_first);
        let old = std::mem::take(&mut self.keys);
        let mut merged = Vec::with_capacity(old.len() + fresh.len());
        let mut fresh = fresh.into_iter().peekable();
        for key in old.into_iter().filter(|k| !feeds.contains(&k.feed_id)) {
            while let Some(next) = fresh.next_if(|f| newest_first(f, &key).is_lt()) {
                merged.push(next);
            }
            merged.push(key);
        }
        merged.extend(fresh);
        self.keys = merged;
        self.place_stories();
    }

    /// Like [`HeadlineOrder::ids`], with each story that two or more feeds cover in this list on
    /// one line (its newest item here); the items of the `expanded` stories follow their line.
    /// A list of one feed is never folded: its own items stay in sight.
    pub fn lines(&self, filter: &ItemFilter, unread_only: bool, expanded: &HashSet<StoryId>) -> Option<HeadlineList> {
        let keep = keeper(filter, unread_only)?;
        // The feeds of each story among the items listed: a story folds when there are two.
        let mut feeds_of: Vec<Vec<FeedId>> = vec![Vec::new(); self.slot_stories.len()];
        for (key, &slot) in self.keys.iter().zip(&self.slots).filter(|(k, s)| **s != NO_SLOT && keep(k)) {
            let feeds = &mut feeds_of[slot as usize];
            if !feeds.contains(&key.feed_id) {
                feeds.push(key.feed_id);
            }
        }
        let slot_here = |slot: u32| if slot != NO_SLOT && feeds_of[slot as usize].len() > 1 { slot } else { NO_SLOT };
        // The line of each story (its first item here) and how many others it stands for; the
        // items of expanded stories are gathered to follow their line.
        let mut others = vec![0usize; self.slot_stories.len()];
        let mut unread_others = vec![0usize; self.slot_stories.len()];
        let mut listed = vec![false; self.slot_stories.len()];
        let mut open: HashMap<u32, Vec<ItemId>> = HashMap::new();
        for (slot, (story, _)) in self.slot_stories.iter().enumerate() {
            if expanded.contains(story) {
                open.insert(slot as u32, Vec::new());
            }
        }
        let mut lines: Vec<(ItemId, u32)> = Vec::new();
        for (key, slot) in self.keys.iter().zip(&self.slots).filter(|(k, _)| keep(k)) {
            let slot = slot_here(*slot);
            if slot == NO_SLOT || !listed[slot as usize] {
                if slot != NO_SLOT {
                    listed[slot as usize] = true;
                }
                lines.push((key.id, slot));
            } else {
                others[slot as usize] += 1;
                unread_others[slot as usize] += usize::from(!key.read);
                if let Some(members) = open.get_mut(&slot) {
                    members.push(key.id);
                }
            }
        }
        let mut list = HeadlineList { ids: Vec::with_capacity(lines.len()), stories: StoryLines::default() };
        for (id, slot) in lines {
            list.ids.push(id);
            if slot == NO_SLOT {
                continue;
            }
            let (story, _) = self.slot_stories[slot as usize];
            let sources = feeds_of[slot as usize].len();
            let members = open.remove(&slot);
            let expanded = members.is_some();
            let line = StoryLine {
                story,
                sources,
                others: others[slot as usize],
                unread_others: unread_others[slot as usize],
                expanded,
                member: false,
            };
            list.stories.insert(id, line);
            for member in members.into_iter().flatten() {
                list.ids.push(member);
                list.stories.insert(member, StoryLine { member: true, ..line });
            }
        }
        Some(list)
    }

    /// Records read flags the reader set; returns how each feed's unread count changed.
    pub fn set_read(&mut self, ids: &[ItemId], read: bool) -> HashMap<FeedId, i64> {
        let delta = if read { -1 } else { 1 };
        let mut deltas: HashMap<FeedId, i64> = HashMap::new();
        let mut mark = |k: &mut HeadlineKey| {
            if k.read != read {
                k.read = read;
                *deltas.entry(k.feed_id).or_default() += delta;
            }
        };
        if ids.len() <= 8 {
            self.keys.iter_mut().filter(|k| ids.contains(&k.id)).for_each(&mut mark);
        } else {
            let ids: HashSet<ItemId> = ids.iter().copied().collect();
            self.keys.iter_mut().filter(|k| ids.contains(&k.id)).for_each(&mut mark);
        }
        deltas
    }
}

/// Which keys a filter lists; `None` for the filters the order cannot answer (search, starred).
type Keep<'a> = Box<dyn Fn(&HeadlineKey) -> bool + 'a>;

fn keeper(filter: &ItemFilter, unread_only: bool) -> Option<Keep<'_>> {
    let keep_read = !unread_only;
    Some(match filter {
        ItemFilter::All => Box::new(move |k| keep_read || !k.read),
        ItemFilter::Unread => Box::new(|k| !k.read),
        ItemFilter::Feeds(feeds) if feeds.len() <= 8 => {
            Box::new(move |k| (keep_read || !k.read) && feeds.contains(&k.feed_id))
        }
        ItemFilter::Feeds(feeds) => {
            let feeds: HashSet<FeedId> = feeds.iter().copied().collect();
            Box::new(move |k| (keep_read || !k.read) && feeds.contains(&k.feed_id))
        }
        ItemFilter::Starred | ItemFilter::Search(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64, feed: i64, published_at: i64, read: bool) -> HeadlineKey {
        HeadlineKey { id: ItemId(id), feed_id: FeedId(feed), published_at, read, story: None }
    }

    fn in_story(story: i64, key: HeadlineKey) -> HeadlineKey {
        HeadlineKey { story: Some(StoryId(story)), ..key }
    }

    #[test]
    fn stories_from_several_feeds_take_one_line() {
        let order = HeadlineOrder::new(vec![
            in_story(7, key(1, 1, 100, false)),
            in_story(7, key(2, 2, 300, true)),
            key(3, 1, 200, false),
            in_story(7, key(4, 3, 150, false)),
            // A story of one feed only is not grouped.
            in_story(8, key(5, 1, 50, false)),
            in_story(8, key(6, 1, 40, false)),
        ]);
        let list = order.lines(&ItemFilter::All, false, &HashSet::new()).expect("list");
        assert_eq!(list.ids, ids(&[2, 3, 5, 6]));
        let line =
            StoryLine { story: StoryId(7), sources: 3, others: 2, unread_others: 2, expanded: false, member: false };
        assert_eq!(list.stories.get(&ItemId(2)), Some(&line));
        assert_eq!(list.stories.len(), 1);
        // The folded line counts its hidden unread items.
        let mut read_one = order.clone();
        read_one.set_read(&[ItemId(1)], true);
        let list = read_one.lines(&ItemFilter::All, false, &HashSet::new()).expect("list");
        assert_eq!(list.stories[&ItemId(2)].unread_others, 1);

        // Expanded, the story's other items follow its line.
        let list = order.lines(&ItemFilter::All, false, &HashSet::from([StoryId(7)])).expect("list");
        assert_eq!(list.ids, ids(&[2, 4, 1, 3, 5, 6]));
        assert!(list.stories[&ItemId(4)].member && list.stories[&ItemId(1)].member);
        assert!(!list.stories[&ItemId(2)].member);

        // Unread only: the newest unread item carries the line; sources count the feeds listed.
        let list = order.lines(&ItemFilter::All, true, &HashSet::new()).expect("list");
        assert_eq!(list.ids, ids(&[3, 4, 5, 6]));
        assert_eq!(list.stories[&ItemId(4)].others, 1);
        assert_eq!(list.stories[&ItemId(4)].sources, 2);
    }

    #[test]
    fn a_list_of_one_feed_is_not_folded() {
        let order = HeadlineOrder::new(vec![
            in_story(7, key(1, 1, 300, false)),
            in_story(7, key(2, 1, 200, false)),
            in_story(7, key(3, 1, 100, false)),
            in_story(7, key(4, 2, 50, false)),
        ]);
        let list = order.lines(&ItemFilter::Feeds(vec![FeedId(1)]), false, &HashSet::new()).expect("list");
        assert_eq!(list.ids, ids(&[1, 2, 3]), "the feed's own items stay in sight");
        assert!(list.stories.is_empty());
        // Across feeds it folds: the line says how many feeds expanding shows.
        let list = order.lines(&ItemFilter::All, false, &HashSet::new()).expect("list");
        assert_eq!(list.ids, ids(&[1]));
        assert_eq!((list.stories[&ItemId(1)].sources, list.stories[&ItemId(1)].others), (2, 3));
    }

    #[test]
    fn a_story_line_counts_what_expanding_shows() {
        let order = HeadlineOrder::new(vec![
            in_story(7, key(1, 1, 300, false)),
            in_story(7, key(2, 2, 200, true)),
            in_story(7, key(3, 3, 100, true)),
            key(4, 1, 50, false),
        ]);
        // Unread only, one item of the story is listed: no line that would expand to nothing.
        let list = order.lines(&ItemFilter::All, true, &HashSet::from([StoryId(7)])).expect("list");
        assert_eq!(list.ids, ids(&[1, 4]));
        assert!(list.stories.is_empty());
        // Everything: three feeds, and expanding shows the items of those three.
        let list = order.lines(&ItemFilter::All, false, &HashSet::from([StoryId(7)])).expect("list");
        assert_eq!(list.ids, ids(&[1, 2, 3, 4]));
        let line = list.stories[&ItemId(1)];
        assert_eq!((line.sources, line.others), (3, 2));
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
        assert_eq!(order.first_id(&ItemFilter::Unread, false), Some(Some(ItemId(3))));
        assert_eq!(order.first_id(&ItemFilter::Feeds(vec![FeedId(9)]), true), Some(None));
        assert_eq!(order.first_id(&ItemFilter::Starred, true), None);
        assert_eq!(order.ids(&ItemFilter::Feeds(vec![FeedId(1), FeedId(3)]), false), Some(ids(&[4, 3, 1])));
        assert_eq!(order.ids(&ItemFilter::Starred, false), None);
        assert_eq!(order.ids(&ItemFilter::search("x").expect("query"), false), None);
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
        order.replace_feeds(
            &HashSet::from([FeedId(1)]),
            vec![key(5, 1, 250, false), key(3, 1, 200, true), key(9, 2, 999, false)],
        );
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
