//! Reads the interface and the related-stories index need beyond the headline lists.

use rusqlite::{OptionalExtension, params};

use super::packed::Html;
use super::{Store, StoreError};
use crate::model::{FeedId, HeadlineKey, ItemFilter, ItemId, StoryId};

/// An item's text for the related-stories index.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexableItem {
    pub id: ItemId,
    pub feed_id: FeedId,
    pub title: String,
    /// The extracted article where we have one, else the feed's content or summary (HTML).
    pub body_html: String,
    pub published_at: i64,
    /// When the reader first saw it.
    pub first_seen_at: i64,
}

const INDEXABLE: &str = "SELECT id, feed_id, title, coalesce(article_html, content_html, summary_html, ''), published_at, \
     first_seen_at FROM items";

fn indexable_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<IndexableItem> {
    Ok(IndexableItem {
        id: ItemId(r.get(0)?),
        feed_id: FeedId(r.get(1)?),
        title: r.get(2)?,
        body_html: r.get::<_, Html>(3)?.0.unwrap_or_default(),
        published_at: r.get(4)?,
        first_seen_at: r.get(5)?,
    })
}

impl Store {
    /// Items with an id above `after`, oldest id first, at most `limit`.
    pub fn items_for_index(&self, after: ItemId, limit: usize) -> Result<Vec<IndexableItem>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!("{INDEXABLE} WHERE id > ?1 ORDER BY id LIMIT ?2"))?;
        let rows = stmt.query_map(params![after.0, limit as i64], indexable_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// One item's text for the related-stories index (after its article was extracted).
    pub fn indexable_item(&self, id: ItemId) -> Result<Option<IndexableItem>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!("{INDEXABLE} WHERE id = ?1"))?;
        Ok(stmt.query_row([id.0], indexable_row).optional()?)
    }

    /// The newest unread item matching `filter`.
    pub fn first_unread(&self, filter: &ItemFilter) -> Result<Option<ItemId>, StoreError> {
        Ok(self.list_items(filter, true, 0, 1)?.first().map(|s| s.id))
    }

    /// Unread and total counts of these feeds (a feed without items is left out).
    pub fn feed_counts_of(&self, feeds: &[FeedId]) -> Result<Vec<(FeedId, i64, i64)>, StoreError> {
        let marks = vec!["?"; feeds.len()].join(",");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT feed_id, coalesce(sum(read = 0), 0), count(*) FROM items WHERE feed_id IN ({marks}) GROUP BY feed_id"
        ))?;
        let ids = feeds.iter().map(|f| f.0);
        let rows = stmt
            .query_map(rusqlite::params_from_iter(ids), |r| Ok((FeedId(r.get(0)?), r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Unread and total counts of every feed, in one pass.
    pub fn all_feed_counts(&self) -> Result<Vec<(FeedId, i64, i64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT feed_id, coalesce(sum(read = 0), 0), count(*) FROM items GROUP BY feed_id")?;
        let rows = stmt.query_map([], |r| Ok((FeedId(r.get(0)?), r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The feed an item belongs to.
    pub fn item_feed(&self, id: ItemId) -> Result<Option<FeedId>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT feed_id FROM items WHERE id = ?1", [id.0], |r| Ok(FeedId(r.get(0)?)))
            .optional()?)
    }
}

/// A headline key from `SELECT id, feed_id, published_at, read, story_id`.
fn headline_key(r: &rusqlite::Row<'_>) -> rusqlite::Result<HeadlineKey> {
    Ok(HeadlineKey {
        id: ItemId(r.get(0)?),
        feed_id: FeedId(r.get(1)?),
        published_at: r.get(2)?,
        read: r.get(3)?,
        story: r.get::<_, Option<i64>>(4)?.map(StoryId),
    })
}

impl Store {
    /// The headline keys of these feeds' items, in no particular order.
    pub fn headline_keys_of(&self, feeds: &[FeedId]) -> Result<Vec<HeadlineKey>, StoreError> {
        let marks = vec!["?"; feeds.len()].join(",");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, feed_id, published_at, read, story_id FROM items WHERE feed_id IN ({marks})"
        ))?;
        let ids = rusqlite::params_from_iter(feeds.iter().map(|f| f.0));
        let rows = stmt.query_map(ids, headline_key)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Every item's headline key, newest first; only one feed's when `feed` is given.
    pub fn headline_keys(&self, feed: Option<FeedId>) -> Result<Vec<HeadlineKey>, StoreError> {
        let row = headline_key;
        let rows = match feed {
            Some(feed) => self
                .conn
                .prepare_cached(
                    "SELECT id, feed_id, published_at, read, story_id FROM items WHERE feed_id = ?1 \
                     ORDER BY published_at DESC, id DESC",
                )?
                .query_map([feed.0], row)?
                .collect::<Result<_, _>>()?,
            None => self
                .conn
                .prepare_cached(
                    "SELECT id, feed_id, published_at, read, story_id FROM items ORDER BY published_at DESC, id DESC",
                )?
                .query_map([], row)?
                .collect::<Result<_, _>>()?,
        };
        Ok(rows)
    }

    /// SQLite's count of commits made by *other* connections (the poller, another process): when it
    /// moves, what this connection cached may be stale.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}
