//! Full articles fetched from items' web pages: which items still want one, and storing the
//! extracted article (or why there is none) without touching the reader's flags.
//!
//! An item wants its page while it has a link and neither an article nor a reason there is none.
//! A transient failure (the host did not answer, a 5xx) stores its reason with a time to try
//! again (`page_retry_at`); a permanent one (404, not a web page, no article on it) stores its
//! reason alone, and the page is not fetched again.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, params};

use super::packed::{Html, Packed};
use super::{Store, StoreError};
use crate::model::{FeedId, ItemId};

/// An item whose web page may hold the article its feed only summarises.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleCandidate {
    pub id: ItemId,
    pub feed_id: FeedId,
    pub url: String,
    pub title: String,
    /// The feed's own text for the item (content, else summary), HTML.
    pub feed_html: Option<String>,
    /// Whether the feed's text is only a summary; `None` when not known yet (items stored by an
    /// older tidings).
    pub summary_only: Option<bool>,
    /// Failed attempts so far.
    pub attempts: i64,
}

/// An item in the page queue: enough to order and schedule it. Its details are read when its turn
/// comes ([`Store::article_candidate`]), so a queue of many thousands stays small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedPage {
    pub id: ItemId,
    pub feed_id: FeedId,
    pub url: String,
}

/// Which feeds' items get their pages fetched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageSources {
    /// Feeds whose summary-only items get their page (`full_text = "auto"`).
    pub summaries: Vec<FeedId>,
    /// Feeds whose every item gets its page (`full_text = "always"`).
    pub every_item: Vec<FeedId>,
}

const CANDIDATE: &str = "SELECT id, feed_id, url, title, coalesce(content_html, summary_html), summary_only, \
     page_attempts FROM items WHERE id = ?1";

fn candidate_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArticleCandidate> {
    Ok(ArticleCandidate {
        id: ItemId(r.get(0)?),
        feed_id: FeedId(r.get(1)?),
        url: r.get(2)?,
        title: r.get(3)?,
        feed_html: r.get::<_, Html>(4)?.0,
        summary_only: r.get(5)?,
        attempts: r.get(6)?,
    })
}

/// (published, id, feed) of an item in the queue.
type QueueKey = (i64, i64, i64, String);

impl Store {
    /// The items of `sources` that want their page now, newest first, at most `per_feed` of each
    /// feed: those never tried, and those whose time to try again has come.
    pub fn page_queue(&self, sources: &PageSources, now: i64, per_feed: usize) -> Result<Vec<QueuedPage>, StoreError> {
        let wanted: HashSet<i64> = sources.summaries.iter().chain(&sources.every_item).map(|f| f.0).collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let key =
            |r: &rusqlite::Row<'_>| -> rusqlite::Result<QueueKey> { Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)) };
        let mut keys: Vec<QueueKey> = Vec::new();
        // The queue's partial index holds the untried items whose text is (or may be) a summary.
        let mut todo = self.conn.prepare_cached(
            "SELECT published_at, id, feed_id, url FROM items WHERE article_html IS NULL AND article_error IS NULL \
             AND url IS NOT NULL AND summary_only IS NOT 0",
        )?;
        keys.extend(
            todo.query_map([], key)?
                .filter(|k| k.as_ref().map_or(true, |k| wanted.contains(&k.2)))
                .collect::<Result<Vec<_>, _>>()?,
        );
        let mut retry = self.conn.prepare_cached(
            "SELECT published_at, id, feed_id, url FROM items WHERE page_retry_at IS NOT NULL AND page_retry_at <= ?1 \
             AND article_html IS NULL AND url IS NOT NULL",
        )?;
        keys.extend(
            retry
                .query_map([now], key)?
                .filter(|k| k.as_ref().map_or(true, |k| wanted.contains(&k.2)))
                .collect::<Result<Vec<_>, _>>()?,
        );
        // Feeds that want every page: also their items with the whole article in the feed.
        let mut whole = self.conn.prepare_cached(
            "SELECT published_at, id, feed_id, url FROM items WHERE feed_id = ?1 AND summary_only = 0 \
             AND article_html IS NULL AND article_error IS NULL AND url IS NOT NULL \
             ORDER BY published_at DESC, id DESC LIMIT ?2",
        )?;
        for feed in &sources.every_item {
            keys.extend(whole.query_map(params![feed.0, per_feed as i64], key)?.collect::<Result<Vec<_>, _>>()?);
        }
        keys.sort_unstable_by(|a, b| b.cmp(a));
        keys.dedup();
        let mut per: HashMap<i64, usize> = HashMap::new();
        keys.retain(|k| {
            let n = per.entry(k.2).or_default();
            *n += 1;
            *n <= per_feed
        });
        Ok(keys
            .into_iter()
            .map(|(_, id, feed, url)| QueuedPage { id: ItemId(id), feed_id: FeedId(feed), url })
            .collect())
    }

    /// What fetching an item's page needs of it; `None` once the item is gone (purged).
    pub fn article_candidate(&self, id: ItemId) -> Result<Option<ArticleCandidate>, StoreError> {
        let mut stmt = self.conn.prepare_cached(CANDIDATE)?;
        Ok(stmt.query_row([id.0], candidate_row).optional()?)
    }

    /// Records whether items' feed texts are summaries, for items stored before that was known.
    pub fn set_summary_only(&mut self, decided: &[(ItemId, bool)]) -> Result<(), StoreError> {
        let tx = self.write()?;
        {
            let mut stmt = tx.prepare_cached("UPDATE items SET summary_only = ?2 WHERE id = ?1")?;
            for (id, summary) in decided {
                stmt.execute(params![id.0, summary])?;
            }
        }
        tx.commit()
    }

    /// Stores an item's extracted article (clean HTML); search then covers its whole text, once
    /// the search index catches up. An item purged while its page was fetched is left gone.
    pub fn store_article(&mut self, id: ItemId, article_html: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE items SET article_html = ?2, article_error = NULL, page_retry_at = NULL, \
             search_state = CASE WHEN search_state = 1 THEN 2 ELSE search_state END WHERE id = ?1",
            params![id.0, Packed::new(Some(article_html))],
        )?;
        Ok(())
    }

    /// Records why an item has no extracted article, so that the reader can say why it shows the
    /// feed's text. With `retry_at` the failure was transient: the page is tried again from then;
    /// without, it is not fetched again.
    pub fn store_article_error(&mut self, id: ItemId, error: &str, retry_at: Option<i64>) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE items SET article_error = ?2, page_retry_at = ?3, page_attempts = page_attempts + 1 \
             WHERE id = ?1",
            params![id.0, error, retry_at],
        )?;
        Ok(())
    }
}
