//! Full articles fetched from items' web pages: which items still want one, and storing the
//! extracted article (or why there is none) without touching the reader's flags.

use rusqlite::params;

use super::{Store, StoreError};
use crate::model::{FeedId, ItemId};
use crate::text::html_to_index_text;

/// An item whose web page may hold the article its feed only summarises.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleCandidate {
    pub id: ItemId,
    pub url: String,
    pub title: String,
    /// The feed's own text for the item (content, else summary), HTML.
    pub feed_html: Option<String>,
}

impl Store {
    /// The newest items of `feed` with a link and neither an article nor a failed attempt yet.
    pub fn article_candidates(&self, feed: FeedId, limit: usize) -> Result<Vec<ArticleCandidate>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, url, title, coalesce(content_html, summary_html) FROM items \
             WHERE feed_id = ?1 AND url IS NOT NULL AND article_html IS NULL AND article_error IS NULL \
             ORDER BY published_at DESC, id DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![feed.0, limit as i64], |r| {
                Ok(ArticleCandidate { id: ItemId(r.get(0)?), url: r.get(1)?, title: r.get(2)?, feed_html: r.get(3)? })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Stores an item's extracted article (clean HTML); search then covers its whole text.
    pub fn store_article(&mut self, id: ItemId, article_html: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let title: Option<String> = tx
            .query_row("SELECT title FROM items WHERE id = ?1", [id.0], |r| r.get(0))
            .map(Some)
            .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
        // The item may have been purged while its page was fetched.
        let Some(title) = title else { return Ok(()) };
        tx.execute(
            "UPDATE items SET article_html = ?2, article_error = NULL WHERE id = ?1",
            params![id.0, article_html],
        )?;
        tx.execute("DELETE FROM items_fts WHERE rowid = ?1", [id.0])?;
        tx.execute(
            "INSERT INTO items_fts (rowid, title, body) VALUES (?1, ?2, ?3)",
            params![id.0, title, html_to_index_text(article_html)],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records why an item has no extracted article, so it is not fetched again on every poll
    /// and the reader can say why it shows the feed's text.
    pub fn store_article_error(&mut self, id: ItemId, error: &str) -> Result<(), StoreError> {
        self.conn.execute("UPDATE items SET article_error = ?2 WHERE id = ?1", params![id.0, error])?;
        Ok(())
    }
}
