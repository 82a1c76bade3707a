//! Items: storing what the poller parsed without ever touching the reader's flags, and reading
//! them back for the interface and the commands.

use std::time::Duration;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::packed::{Html, Packed};

use super::feeds::FeedFetchState;
use super::outbox::SyncFlag;
use super::{Store, StoreError};
use crate::model::{
    Enclosure, FeedId, FlagChange, ItemFilter, ItemId, ItemRow, ItemSummary, NewItem, ParsedFeed, StoryId,
};
use crate::text::is_summary_html;

/// How many items a poll added and changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UpsertCounts {
    pub new: usize,
    pub updated: usize,
}

const SUMMARY_COLUMNS: &str = "i.id, i.feed_id, i.title, i.url, i.published_at, i.read, i.starred";

fn summary_row(row: &Row<'_>) -> rusqlite::Result<ItemSummary> {
    Ok(ItemSummary {
        id: ItemId(row.get(0)?),
        feed_id: FeedId(row.get(1)?),
        title: row.get(2)?,
        url: row.get(3)?,
        published_at: row.get(4)?,
        read: row.get(5)?,
        starred: row.get(6)?,
    })
}

impl ItemFilter {
    /// The WHERE clause (over `items i`) and its parameters.
    fn clause(&self, unread_only: bool) -> (String, Vec<rusqlite::types::Value>) {
        use rusqlite::types::Value;
        let (mut sql, params) = match self {
            ItemFilter::All => ("1".to_string(), vec![]),
            ItemFilter::Unread => ("i.read = 0".to_string(), vec![]),
            ItemFilter::Starred => ("i.starred = 1".to_string(), vec![]),
            ItemFilter::Feeds(ids) => {
                let marks = vec!["?"; ids.len()].join(",");
                (format!("i.feed_id IN ({marks})"), ids.iter().map(|id| Value::Integer(id.0)).collect())
            }
            // The caller brings the search index up to date first (`Store::index_for_search`).
            ItemFilter::Search(search) => super::query_sql::condition(&search.query),
        };
        if unread_only {
            sql.push_str(" AND i.read = 0");
        }
        (sql, params)
    }
}

impl Store {
    /// The WHERE clause of `filter`; a search first brings the search index up to date.
    fn clause_for(
        &self,
        filter: &ItemFilter,
        unread_only: bool,
    ) -> Result<(String, Vec<rusqlite::types::Value>), StoreError> {
        // A connection that may write brings the index up to date first; a reader's searches
        // what is indexed (the indexer keeps it current).
        if filter.is_search() && !self.conn.is_readonly(rusqlite::MAIN_DB)? {
            self.index_for_search(usize::MAX)?;
        }
        Ok(filter.clause(unread_only))
    }

    /// Stores a successful fetch in one transaction: the feed's new state and its items. Items
    /// already cached keep their read and starred flags and their first-seen time.
    pub fn record_success(
        &mut self,
        feed: FeedId,
        now: i64,
        state: &FeedFetchState,
        parsed: &ParsedFeed,
    ) -> Result<UpsertCounts, StoreError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE feeds SET title = coalesce(?2, title), site_url = coalesce(?3, site_url), \
             description = coalesce(?4, description), etag = ?5, last_modified = ?6, min_interval = ?7, \
             last_polled_at = ?8, last_success_at = ?8, next_poll_at = ?9, error = NULL, error_count = 0, \
             disabled_reason = NULL, url = coalesce(?10, url) WHERE id = ?1",
            params![
                feed.0,
                parsed.meta.title,
                parsed.meta.site_url,
                parsed.meta.description,
                state.etag,
                state.last_modified,
                parsed.meta.min_interval_secs,
                now,
                state.next_poll_at,
                state.moved_to,
            ],
        )?;
        let counts = upsert_items(&tx, feed, &parsed.items, now)?;
        tx.commit()?;
        Ok(counts)
    }

    pub fn item(&self, id: ItemId) -> Result<Option<ItemRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, feed_id, guid, url, title, author, published_at, first_seen_at, summary_html, \
                 content_html, article_html, article_error, read, starred, story_id, enclosures FROM items \
                 WHERE id = ?1",
                [id.0],
                |r| {
                    Ok(ItemRow {
                        id: ItemId(r.get(0)?),
                        feed_id: FeedId(r.get(1)?),
                        guid: r.get(2)?,
                        url: r.get(3)?,
                        title: r.get(4)?,
                        author: r.get(5)?,
                        published_at: r.get(6)?,
                        first_seen_at: r.get(7)?,
                        summary_html: r.get::<_, Html>(8)?.0,
                        content_html: r.get::<_, Html>(9)?.0,
                        article_html: r.get::<_, Html>(10)?.0,
                        article_error: r.get(11)?,
                        read: r.get(12)?,
                        starred: r.get(13)?,
                        story_id: r.get::<_, Option<i64>>(14)?.map(StoryId),
                        enclosures: enclosures_from(r.get::<_, Option<String>>(15)?.as_deref()),
                    })
                },
            )
            .optional()?)
    }

    /// Items matching `filter`, newest first, `limit` of them from `offset`.
    pub fn list_items(
        &self,
        filter: &ItemFilter,
        unread_only: bool,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ItemSummary>, StoreError> {
        let (clause, mut values) = self.clause_for(filter, unread_only)?;
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM items i WHERE {clause} ORDER BY i.published_at DESC, i.id DESC \
             LIMIT ? OFFSET ?"
        );
        values.push((limit as i64).into());
        values.push((offset as i64).into());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(values), summary_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The ids of every item matching `filter`, newest first: cheap to hold even for 100,000
    /// items, so a list can scroll anywhere and load only the rows it shows.
    pub fn item_ids(&self, filter: &ItemFilter, unread_only: bool) -> Result<Vec<ItemId>, StoreError> {
        let (clause, values) = self.clause_for(filter, unread_only)?;
        let sql = format!("SELECT i.id FROM items i WHERE {clause} ORDER BY i.published_at DESC, i.id DESC");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(values), |r| Ok(ItemId(r.get(0)?)))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Headline rows for the given ids, in the order given.
    pub fn item_summaries(&self, ids: &[ItemId]) -> Result<Vec<ItemSummary>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {SUMMARY_COLUMNS} FROM items i WHERE i.id = ?1"))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(row) = stmt.query_row([id.0], summary_row).optional()? {
                out.push(row);
            }
        }
        Ok(out)
    }

    pub fn count_items(&self, filter: &ItemFilter, unread_only: bool) -> Result<usize, StoreError> {
        let (clause, values) = self.clause_for(filter, unread_only)?;
        let sql = format!("SELECT count(*) FROM items i WHERE {clause}");
        let n: i64 = self.conn.query_row(&sql, params_from_iter(values), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Marks items read or unread; saved at once (with the change queued for the server when an
    /// item came from one).
    pub fn set_read(&mut self, ids: &[ItemId], read: bool, now: i64) -> Result<(), StoreError> {
        let tx = self.write()?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE items SET read = ?2, read_at = CASE WHEN ?2 THEN coalesce(read_at, ?3) ELSE NULL END \
                 WHERE id = ?1",
            )?;
            for id in ids {
                stmt.execute(params![id.0, read, now])?;
            }
        }
        super::outbox::queue_flags(&tx, ids, SyncFlag::Read, read, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Marks every item matching `filter` read.
    pub fn mark_all_read(&mut self, filter: &ItemFilter, now: i64) -> Result<usize, StoreError> {
        let (clause, clause_values) = self.clause_for(filter, true)?;
        let tx = self.write()?;
        super::outbox::queue_read_where(&tx, &clause, &clause_values, now)?;
        let sql = format!("UPDATE items AS i SET read = 1, read_at = ? WHERE {clause}");
        let mut values: Vec<rusqlite::types::Value> = vec![now.into()];
        values.extend(clause_values);
        let n = tx.execute(&sql, params_from_iter(values))?;
        tx.commit()?;
        Ok(n)
    }

    /// Saves a change the reader made to its flags.
    pub fn apply_flags(&mut self, change: &FlagChange, now: i64) -> Result<(), StoreError> {
        match change {
            FlagChange::Read { ids, read } => self.set_read(ids, *read, now),
            FlagChange::Starred { id, starred } => self.set_starred(*id, *starred, now),
        }
    }

    /// Stars or unstars an item; saved at once (with the change queued for the server when the
    /// item came from one).
    pub fn set_starred(&mut self, id: ItemId, starred: bool, now: i64) -> Result<(), StoreError> {
        let tx = self.write()?;
        tx.execute("UPDATE items SET starred = ?2 WHERE id = ?1", params![id.0, starred])?;
        super::outbox::queue_flags(&tx, &[id], SyncFlag::Starred, starred, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Drops read, unstarred items older than `keep_read` whose feed has not listed them for as
    /// long (so they cannot come back as unread). Unread and starred items are never dropped.
    pub fn purge_read(&mut self, now: i64, keep_read: Duration) -> Result<usize, StoreError> {
        let cutoff = now - keep_read.as_secs() as i64;
        let tx = self.write()?;
        tx.execute(
            "DELETE FROM items_fts WHERE rowid IN (SELECT id FROM items WHERE read = 1 AND starred = 0 \
             AND published_at < ?1 AND last_seen_at < ?1 AND search_state != 0)",
            [cutoff],
        )?;
        let n = tx.execute(
            "DELETE FROM items WHERE read = 1 AND starred = 0 AND published_at < ?1 AND last_seen_at < ?1",
            [cutoff],
        )?;
        tx.commit()?;
        Ok(n)
    }
}

pub(super) fn upsert_items(
    tx: &Connection,
    feed: FeedId,
    items: &[NewItem],
    now: i64,
) -> Result<UpsertCounts, StoreError> {
    let mut counts = UpsertCounts::default();
    let mut find = tx.prepare_cached(
        "SELECT id, url, title, author, summary_html, content_html, published_at, enclosures FROM items \
         WHERE feed_id = ?1 AND guid = ?2",
    )?;
    // New items wait for the search index (`search_state` 0); see `search`.
    let mut insert = tx.prepare_cached(
        "INSERT INTO items (feed_id, guid, url, title, author, published_at, updated_at, first_seen_at, \
         last_seen_at, summary_html, content_html, summary_only, enclosures) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE items SET url = ?2, title = ?3, author = ?4, published_at = ?5, updated_at = ?6, \
         summary_html = ?7, content_html = ?8, last_seen_at = ?9, summary_only = ?10, enclosures = ?12, \
         search_state = CASE WHEN ?11 AND search_state = 1 THEN 2 ELSE search_state END WHERE id = ?1",
    )?;
    let mut seen = tx.prepare_cached("UPDATE items SET last_seen_at = ?2 WHERE id = ?1")?;
    for item in items {
        type Existing = (i64, Option<String>, String, Option<String>, Value, Value, i64, Option<String>);
        let existing: Option<Existing> = find
            .query_row(params![feed.0, item.guid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
            })
            .optional()?;
        let enclosures = enclosures_json(&item.enclosures);
        // Only the content is read where there is content: the summary is kept for items without.
        let summary = Packed::new(item.content_html.is_none().then_some(item.summary_html.as_deref()).flatten());
        let content = Packed::new(item.content_html.as_deref());
        match existing {
            None => {
                insert.execute(params![
                    feed.0,
                    item.guid,
                    item.url,
                    item.title,
                    item.author,
                    item.published_at.unwrap_or(now),
                    item.updated_at,
                    now,
                    summary,
                    content,
                    summary_only(item),
                    enclosures,
                ])?;
                counts.new += 1;
            }
            Some((id, url, title, author, old_summary, old_content, published, old_enclosures)) => {
                let published_at = item.published_at.unwrap_or(published);
                let text_changed =
                    title != item.title || !summary.matches(&old_summary) || !content.matches(&old_content);
                let changed = text_changed
                    || url != item.url
                    || author != item.author
                    || published != published_at
                    || old_enclosures != enclosures;
                if changed {
                    update.execute(params![
                        id,
                        item.url,
                        item.title,
                        item.author,
                        published_at,
                        item.updated_at,
                        summary,
                        content,
                        now,
                        summary_only(item),
                        text_changed,
                        enclosures,
                    ])?;
                    counts.updated += 1;
                } else {
                    seen.execute(params![id, now])?;
                }
            }
        }
    }
    Ok(counts)
}

/// An item's enclosures as the `enclosures` column keeps them: a JSON list, NULL for none.
fn enclosures_json(enclosures: &[Enclosure]) -> Option<String> {
    if enclosures.is_empty() {
        return None;
    }
    serde_json::to_string(enclosures).ok()
}

/// The `enclosures` column read back; a value this build cannot read is taken as none.
fn enclosures_from(column: Option<&str>) -> Vec<Enclosure> {
    column.and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default()
}

/// Whether the item's feed text is only a summary: from the parser when it knows, else from the HTML.
fn summary_only(item: &NewItem) -> bool {
    item.summary_only.unwrap_or_else(|| {
        let html = item.content_html.as_deref().or(item.summary_html.as_deref()).unwrap_or("");
        is_summary_html(html)
    })
}
