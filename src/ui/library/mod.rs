//! What `update` reads, behind a trait so that it runs the same against the real cache and
//! against a fake in tests. The trait only reads: writes are effects that the loop hands to the
//! cache's one writer, and the loop tells the library about them (see [`StoreLibrary::note`]).

mod pending;
mod shared_index;
mod store_library;

use std::collections::{HashMap, HashSet};

pub use shared_index::{IndexedBatch, SharedIndex};
pub use store_library::StoreLibrary;

use super::headline_order::HeadlineList;
use crate::model::{FeedId, FeedRow, ItemFilter, ItemId, ItemRow, ItemSummary, StoryId};

/// A read the library could not answer, said in words for the status bar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LibraryError(pub String);

pub trait Library {
    fn feed_rows(&self) -> Result<Vec<FeedRow>, LibraryError>;
    /// (unread, total) per feed.
    fn feed_counts(&self) -> Result<HashMap<FeedId, (i64, i64)>, LibraryError>;
    fn item_ids(&self, filter: &ItemFilter, unread_only: bool) -> Result<Vec<ItemId>, LibraryError>;
    /// How many items `filter` lists (the query feeds' counts).
    fn count_items(&self, filter: &ItemFilter, unread_only: bool) -> Result<usize, LibraryError> {
        self.item_ids(filter, unread_only).map(|ids| ids.len())
    }
    /// The headline list of `filter`, one line per story covered by several feeds, the items of
    /// the `expanded` stories under their line.
    fn headline_list(
        &self,
        filter: &ItemFilter,
        unread_only: bool,
        expanded: &HashSet<StoryId>,
    ) -> Result<HeadlineList, LibraryError>;
    /// The items of a story and their feeds, newest first.
    fn story_members(&self, story: StoryId) -> Result<Vec<(ItemId, FeedId)>, LibraryError>;
    /// Another writer (the poller) changed these feeds (their items, counts or errors), or
    /// anything when `None`: what the library keeps of them is read afresh now.
    fn read_afresh(&self, feeds: Option<&[FeedId]>);
    fn summaries(&self, ids: &[ItemId]) -> Result<Vec<ItemSummary>, LibraryError>;
    fn item(&self, id: ItemId) -> Result<Option<ItemRow>, LibraryError>;
    fn first_unread(&self, filter: &ItemFilter) -> Result<Option<ItemId>, LibraryError>;
    /// Another process (a cron `tidings poll`) committed since the panes were last read, outside
    /// a poll of ours: what they show is to be read afresh.
    fn changed_elsewhere(&self) -> bool {
        false
    }
    /// Now, in unix seconds (fixed in tests, so snapshots don't age).
    fn now(&self) -> i64;
}
