//! Feed rows: which feeds exist, and what the poller learnt the last time it fetched each.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError};
use crate::model::{FeedId, FeedRow, FeedStats};

/// What a successful fetch tells us about the feed, to be stored with its items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedFetchState {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll_at: i64,
    /// Set after a permanent redirect: the URL to fetch from now on.
    pub moved_to: Option<String>,
}

const FEED_COLUMNS: &str = "id, config_url, url, title, site_url, etag, last_modified, min_interval, \
     last_polled_at, last_success_at, next_poll_at, error, error_count, disabled_reason";

fn feed_row(row: &Row<'_>) -> rusqlite::Result<FeedRow> {
    Ok(FeedRow {
        id: FeedId(row.get(0)?),
        config_url: row.get(1)?,
        url: row.get(2)?,
        title: row.get(3)?,
        site_url: row.get(4)?,
        etag: row.get(5)?,
        last_modified: row.get(6)?,
        min_interval: row.get(7)?,
        last_polled_at: row.get(8)?,
        last_success_at: row.get(9)?,
        next_poll_at: row.get(10)?,
        error: row.get(11)?,
        error_count: row.get(12)?,
        disabled_reason: row.get(13)?,
    })
}

impl Store {
    /// Makes sure each configured URL has a feed row and returns their ids in the same order.
    /// A URL matches a row by the URL it was configured with or by the URL it moved to, so
    /// editing the config to the new address keeps the feed's items and their read state.
    pub fn sync_feeds(&mut self, urls: &[&str]) -> Result<Vec<FeedId>, StoreError> {
        let tx = self.write()?;
        let mut ids = Vec::with_capacity(urls.len());
        for url in urls {
            let by_config: Option<i64> =
                tx.query_row("SELECT id FROM feeds WHERE config_url = ?1", [url], |r| r.get(0)).optional()?;
            let id = match by_config {
                Some(id) => id,
                None => {
                    let moved: Option<i64> = tx
                        .query_row("SELECT id FROM feeds WHERE url = ?1 ORDER BY id LIMIT 1", [url], |r| r.get(0))
                        .optional()?;
                    match moved {
                        Some(id) => {
                            tx.execute("UPDATE feeds SET config_url = ?2 WHERE id = ?1", params![id, url])?;
                            id
                        }
                        None => {
                            tx.execute("INSERT INTO feeds (config_url, url) VALUES (?1, ?1)", [url])?;
                            tx.last_insert_rowid()
                        }
                    }
                }
            };
            ids.push(FeedId(id));
        }
        tx.commit()?;
        Ok(ids)
    }

    pub fn feed(&self, id: FeedId) -> Result<Option<FeedRow>, StoreError> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE id = ?1");
        Ok(self.conn.query_row(&sql, [id.0], feed_row).optional()?)
    }

    pub fn feeds(&self) -> Result<Vec<FeedRow>, StoreError> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], feed_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn feed_stats(&self, id: FeedId) -> Result<FeedStats, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(read = 0), 0), coalesce(sum(starred), 0) FROM items WHERE feed_id = ?1",
            [id.0],
            |r| Ok(FeedStats { items: r.get(0)?, unread: r.get(1)?, starred: r.get(2)? }),
        )?)
    }

    /// Records a 304 (or an unchanged file). `moved_to` is set when the answer came after a
    /// permanent redirect: the URL to fetch from now on.
    pub fn record_not_modified(
        &mut self,
        id: FeedId,
        now: i64,
        next_poll_at: i64,
        moved_to: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE feeds SET last_polled_at = ?2, last_success_at = ?2, next_poll_at = ?3, error = NULL, \
             error_count = 0, url = coalesce(?4, url) WHERE id = ?1",
            params![id.0, now, next_poll_at, moved_to],
        )?;
        Ok(())
    }

    /// Records a failed poll; the feed keeps its items. Returns the number of failures in a row.
    pub fn record_failure(&mut self, id: FeedId, now: i64, error: &str, next_poll_at: i64) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "UPDATE feeds SET last_polled_at = ?2, error = ?3, error_count = error_count + 1, next_poll_at = ?4 \
             WHERE id = ?1 RETURNING error_count",
            params![id.0, now, error, next_poll_at],
            |r| r.get(0),
        )?)
    }

    /// Stops polling a feed whose server says it is gone for good.
    pub fn record_gone(&mut self, id: FeedId, now: i64, reason: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE feeds SET last_polled_at = ?2, error = ?3, disabled_reason = ?3, error_count = error_count + 1 \
             WHERE id = ?1",
            params![id.0, now, reason],
        )?;
        Ok(())
    }

    /// Lets a feed that was disabled (410 Gone) be polled again: used by a manual refresh.
    pub fn clear_disabled(&mut self, id: FeedId) -> Result<(), StoreError> {
        self.conn.execute("UPDATE feeds SET disabled_reason = NULL WHERE id = ?1", [id.0])?;
        Ok(())
    }

    /// The failure count of a feed, for backoff.
    pub fn error_count(&self, id: FeedId) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT error_count FROM feeds WHERE id = ?1", [id.0], |r| r.get(0))?)
    }
}
