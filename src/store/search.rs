//! The search index (FTS5 over title and text), kept apart from the poll: the poller stores
//! items and marks them for the index (`search_state`), and the index catches up afterwards, in
//! large batches, from the reader's background indexer or right before a search. A poll of a
//! thousand feeds then spends nothing on tokenising, and the index gets a few large segments
//! instead of one per feed.
//!
//! An item's indexed text is its extracted article when it has one, else the feed's content or
//! summary.

use rusqlite::params;

use super::packed::Html;
use super::{Store, StoreError};
use crate::model::ItemFilter;
use crate::text::html_to_index_text;

/// How many items one indexing transaction takes at most.
const BATCH: usize = 2_000;

impl Store {
    /// Indexes up to `limit` items that are new or changed since they were indexed; returns how
    /// many it indexed.
    pub fn index_for_search(&self, limit: usize) -> Result<usize, StoreError> {
        let mut done = 0;
        while done < limit {
            let n = self.index_batch(BATCH.min(limit - done))?;
            done += n;
            if n == 0 {
                break;
            }
        }
        Ok(done)
    }

    /// How many items wait for the search index.
    pub fn search_backlog(&self) -> Result<usize, StoreError> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM items WHERE search_state != 1", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    fn index_batch(&self, limit: usize) -> Result<usize, StoreError> {
        // `&self`: a connection that may write calls this before a search. Inside a batch of the
        // writer's the work joins the batch; alone it is a transaction of its own.
        let own = if self.conn.is_autocommit() { Some(self.conn.unchecked_transaction()?) } else { None };
        let tx = &self.conn;
        let pending: Vec<(i64, i64, String, Html)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id, search_state, title, coalesce(article_html, content_html, summary_html, '') FROM items \
                 WHERE search_state != 1 ORDER BY id LIMIT ?1",
            )?;
            stmt.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<_, _>>()?
        };
        {
            let mut delete = tx.prepare_cached("DELETE FROM items_fts WHERE rowid = ?1")?;
            let mut insert = tx.prepare_cached("INSERT INTO items_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?;
            let mut indexed = tx.prepare_cached("UPDATE items SET search_state = 1 WHERE id = ?1")?;
            for (id, state, title, html) in &pending {
                if *state == 2 {
                    delete.execute([id])?;
                }
                insert.execute(params![id, title, html_to_index_text(html.0.as_deref().unwrap_or(""))])?;
                indexed.execute([id])?;
            }
        }
        if let Some(own) = own {
            own.commit()?;
        }
        Ok(pending.len())
    }
}

impl ItemFilter {
    pub(crate) fn is_search(&self) -> bool {
        matches!(self, ItemFilter::Search(_))
    }
}
