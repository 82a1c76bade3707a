//! Full articles fetched from items' web pages: which items still want one, and storing the
//! extracted article (or why there is none) without touching the reader's flags.
//!
//! An item wants its page while it has a link and neither an article nor a reason there is none.
//! A transient failure (the host did not answer, a 5xx) stores its reason with a time to try
//! again (`page_retry_at`); a permanent one (404, not a web page, no article on it) stores its
//! reason alone, and the page is not fetched again.

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

impl Store {
    /// The items of `sources` that want their page now, newest first: of each feed's newest
    /// `per_feed` items, those never tried and those whose time to try again has come. Older items
    /// keep the feed's text (a feed first polled with a hundred summaries costs twenty pages).
    pub fn page_queue(&self, sources: &PageSources, now: i64, per_feed: usize) -> Result<Vec<QueuedPage>, StoreError> {
        let mut newest = self.conn.prepare_cached(
            "SELECT published_at, id, url, summary_only, article_html IS NULL AND article_error IS NULL, \
             article_html IS NULL AND page_retry_at <= ?3 FROM items \
             WHERE feed_id = ?1 ORDER BY published_at DESC, id DESC LIMIT ?2",
        )?;
        let mut keys: Vec<(i64, i64, i64, String)> = Vec::new();
        let feeds = sources.summaries.iter().map(|f| (f, false)).chain(sources.every_item.iter().map(|f| (f, true)));
        for (feed, every_item) in feeds {
            let rows = newest.query_map(params![feed.0, per_feed as i64, now], |r| {
                let published: i64 = r.get(0)?;
                let (id, url): (i64, Option<String>) = (r.get(1)?, r.get(2)?);
                let (summary_only, untried, retry_due): (Option<bool>, bool, Option<bool>) =
                    (r.get(3)?, r.get(4)?, r.get(5)?);
                let due = untried || retry_due == Some(true);
                let wanted = every_item || summary_only != Some(false);
                Ok(url.filter(|_| due && wanted).map(|url| (published, id, feed.0, url)))
            })?;
            for row in rows {
                keys.extend(row?);
            }
        }
        keys.sort_unstable_by(|a, b| b.cmp(a));
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
