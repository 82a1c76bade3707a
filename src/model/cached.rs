//! What the cache holds, as the rest of the program reads it: feed rows, headline rows, whole
//! items, the keys the headline order is built from, and which items a list shows. Plain data:
//! the store fills it in, the interface and the commands read it.

use super::{Enclosure, FeedId, ItemId, StoryId};
use crate::query::{FeedLabel, Query, QueryError};

#[derive(Debug, Clone, PartialEq)]
pub struct FeedRow {
    pub id: FeedId,
    /// The URL as written in the config: how config entries find their row.
    pub config_url: String,
    /// The URL fetched now (differs from `config_url` after a permanent redirect).
    pub url: String,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The shortest interval, in seconds, that the feed itself asks for.
    pub min_interval: Option<i64>,
    pub last_polled_at: Option<i64>,
    pub last_success_at: Option<i64>,
    pub next_poll_at: Option<i64>,
    pub error: Option<String>,
    pub error_count: i64,
    pub disabled_reason: Option<String>,
}

/// Item counts of one feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FeedStats {
    pub items: i64,
    pub unread: i64,
    pub starred: i64,
}

/// One line of a headline list.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSummary {
    pub id: ItemId,
    pub feed_id: FeedId,
    pub title: String,
    pub url: Option<String>,
    pub published_at: i64,
    pub read: bool,
    pub starred: bool,
}

/// A whole item, for the reader pane.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    pub id: ItemId,
    pub feed_id: FeedId,
    pub guid: String,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    pub published_at: i64,
    pub first_seen_at: i64,
    pub summary_html: Option<String>,
    pub content_html: Option<String>,
    pub article_html: Option<String>,
    pub article_error: Option<String>,
    pub read: bool,
    pub starred: bool,
    pub story_id: Option<StoryId>,
    /// The media files that come with it.
    pub enclosures: Vec<Enclosure>,
}

/// Which items a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemFilter {
    All,
    Unread,
    Starred,
    Feeds(Vec<FeedId>),
    /// A query ([`crate::query`]): words over title and body (FTS5), fields, flags, ages.
    Search(Search),
}

/// A search as typed and as parsed, its `feed:` and `tag:` terms resolved to feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub text: String,
    pub query: Query,
}

impl Search {
    /// Parses `text`; `feeds` are the feeds `feed:` and `tag:` terms may name.
    pub fn new(text: &str, feeds: &[FeedLabel]) -> Result<Search, QueryError> {
        Ok(Search { text: text.to_string(), query: crate::query::parse(text)?.resolve(feeds) })
    }
}

impl ItemFilter {
    /// A search filter, for callers that name no feeds (`feed:` and `tag:` then match nothing).
    pub fn search(text: &str) -> Result<ItemFilter, QueryError> {
        Search::new(text, &[]).map(ItemFilter::Search)
    }
}

/// What the headline order needs of an item: enough to list any feed, tag or "All" newest first
/// without asking SQLite to sort 100,000 rows on a keypress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadlineKey {
    pub id: ItemId,
    pub feed_id: FeedId,
    pub published_at: i64,
    pub read: bool,
    /// The story group the related-stories engine put the item in.
    pub story: Option<StoryId>,
}
