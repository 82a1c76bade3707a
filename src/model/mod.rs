//! Plain data shared by the parser, the store, the poller and the interface.

mod cached;
mod enclosure;

pub use cached::{FeedRow, FeedStats, HeadlineKey, ItemFilter, ItemRow, ItemSummary, Search};
pub use enclosure::{DownloadId, DownloadRow, DownloadState, Enclosure};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FeedId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ItemId(pub i64);

/// A story: the items of several feeds about one event, as the related-stories engine groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct StoryId(pub i64);

/// A change the reader makes to its own flags, saved by the cache's one writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagChange {
    Read { ids: Vec<ItemId>, read: bool },
    Starred { id: ItemId, starred: bool },
}

/// An item as parsed and normalised from a feed, ready to be stored. Every text field is
/// already cleaned of control characters and escape sequences.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewItem {
    /// The feed's own id for the item, or a stable one made from its link or title and date.
    pub guid: String,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    /// Unix seconds; `None` when the feed gives no date (the store then uses the time first seen).
    pub published_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub summary_html: Option<String>,
    pub content_html: Option<String>,
    /// Whether the feed's text (content, else summary) is only a summary of the article. `None`:
    /// the store works it out from the HTML.
    pub summary_only: Option<bool>,
    /// The media files that come with it (a podcast's episode), in the feed's order.
    pub enclosures: Vec<Enclosure>,
}

/// What a feed document says about itself, besides its items.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedMeta {
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub description: Option<String>,
    /// The shortest interval the feed asks to be polled at (RSS `<ttl>`, `sy:updatePeriod`).
    pub min_interval_secs: Option<i64>,
}

/// A parsed feed document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedFeed {
    pub meta: FeedMeta,
    pub items: Vec<NewItem>,
}
