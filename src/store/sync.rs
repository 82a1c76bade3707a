//! The cache's side of sync: feeds and items that came from a feed server (with the server's
//! ids), the outbox of read/star changes the server has not confirmed yet, and how far the
//! fetching got. Items from a server go through the same upsert as polled ones, so full text,
//! related stories and search work on them alike.
//!
//! The changes made here wait in the outbox ([`super::outbox`]).

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::outbox::json_ids;
use super::{Store, StoreError};
use crate::model::{FeedId, NewItem};

/// A subscription as the server lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedFeed {
    pub remote_id: i64,
    pub title: String,
    /// The feed's own address (the server fetches it), when the server says.
    pub url: Option<String>,
    pub site_url: Option<String>,
    /// The category (folder) it is filed under there, if any.
    pub category: Option<String>,
}

/// An item as the server gave it, with its flags there.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncedItem {
    pub remote_id: i64,
    pub remote_feed: i64,
    /// Its guid is the remote id, so an item is stored once however often it comes.
    pub item: NewItem,
    pub read: bool,
    pub starred: bool,
}

/// How far an account's sync got.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncState {
    /// The highest item id fetched: the next sync asks for ids above it.
    pub last_remote_id: i64,
    pub last_sync_at: Option<i64>,
    pub last_error: Option<String>,
}

/// What storing a page of items did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncedCounts {
    pub new: usize,
    pub updated: usize,
    /// Items of a feed the server no longer lists (left out).
    pub orphans: usize,
}

/// How many flags the server's state changed here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlagCounts {
    pub read: usize,
    pub starred: usize,
}

impl Store {
    /// Makes the account's feeds those the server lists: new ones are added, the others get the
    /// server's title and address, and feeds the server no longer lists are removed with their
    /// items (the server is the source of subscriptions). Returns remote feed id -> feed.
    pub fn record_synced_feeds(
        &mut self,
        account: &str,
        feeds: &[SyncedFeed],
    ) -> Result<HashMap<i64, FeedId>, StoreError> {
        let tx = self.write()?;
        let mut ids = HashMap::with_capacity(feeds.len());
        for feed in feeds {
            let url = feed.url.clone().unwrap_or_else(|| format!("{account} feed {}", feed.remote_id));
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM feeds WHERE sync_account = ?1 AND remote_id = ?2",
                    params![account, feed.remote_id],
                    |r| r.get(0),
                )
                .optional()?;
            let id = match existing {
                Some(id) => {
                    tx.execute(
                        "UPDATE feeds SET title = ?2, url = ?3, site_url = coalesce(?4, site_url), \
                         sync_category = ?5 WHERE id = ?1",
                        params![id, feed.title, url, feed.site_url, feed.category],
                    )?;
                    id
                }
                None => {
                    // `config_url` is unique and means "how the config finds the row": a synced
                    // feed is found by account and remote id instead, so it gets a key of its own.
                    tx.execute(
                        "INSERT INTO feeds (config_url, url, title, site_url, sync_account, remote_id, \
                         sync_category) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![
                            format!("{account} feed {}", feed.remote_id),
                            url,
                            feed.title,
                            feed.site_url,
                            account,
                            feed.remote_id,
                            feed.category
                        ],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            ids.insert(feed.remote_id, FeedId(id));
        }
        let listed = json_ids(&feeds.iter().map(|f| f.remote_id).collect::<Vec<_>>());
        let gone =
            "SELECT id FROM feeds WHERE sync_account = ?1 AND remote_id NOT IN (SELECT value FROM json_each(?2))";
        tx.execute(
            &format!(
                "DELETE FROM items_fts WHERE rowid IN (SELECT id FROM items WHERE search_state != 0 AND feed_id IN ({gone}))"
            ),
            params![account, listed],
        )?;
        tx.execute(&format!("DELETE FROM feeds WHERE id IN ({gone})"), params![account, listed])?;
        tx.commit()?;
        Ok(ids)
    }

    /// The account's feeds for the interface: (feed, title, category), by title.
    pub fn synced_feed_list(&self, account: &str) -> Result<Vec<(FeedId, String, Option<String>)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, coalesce(title, url), sync_category FROM feeds WHERE sync_account = ?1 \
             ORDER BY coalesce(title, url) COLLATE NOCASE, id",
        )?;
        let rows =
            stmt.query_map([account], |r| Ok((FeedId(r.get(0)?), r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The account's feeds: remote feed id -> feed.
    pub fn synced_feeds(&self, account: &str) -> Result<HashMap<i64, FeedId>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT remote_id, id FROM feeds WHERE sync_account = ?1")?;
        let rows = stmt.query_map([account], |r| Ok((r.get(0)?, FeedId(r.get(1)?))))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Stores items from the server in one transaction, through the poller's upsert (items
    /// already cached keep their first-seen time and extracted article), and takes the server's
    /// flags for each item that has no change of ours waiting to be sent (ours win: see the
    /// README's "Sync").
    pub fn record_synced_items(
        &mut self,
        account: &str,
        feeds: &HashMap<i64, FeedId>,
        items: &[SyncedItem],
        now: i64,
    ) -> Result<SyncedCounts, StoreError> {
        let tx = self.write()?;
        let mut counts = SyncedCounts::default();
        let mut by_feed: HashMap<FeedId, Vec<NewItem>> = HashMap::new();
        for synced in items {
            match feeds.get(&synced.remote_feed) {
                Some(feed) => by_feed.entry(*feed).or_default().push(synced.item.clone()),
                None => counts.orphans += 1,
            }
        }
        for (feed, new_items) in &by_feed {
            let upserted = super::items::upsert_items(&tx, *feed, new_items, now)?;
            counts.new += upserted.new;
            counts.updated += upserted.updated;
        }
        {
            let mut keep_id = tx.prepare_cached(
                "UPDATE items SET remote_id = ?3 WHERE feed_id = ?1 AND guid = ?2 AND remote_id IS NULL",
            )?;
            let mut flags = tx.prepare_cached(
                "UPDATE items SET read = ?4, read_at = CASE WHEN ?4 THEN coalesce(read_at, ?5) ELSE NULL END, \
                 starred = CASE WHEN EXISTS (SELECT 1 FROM sync_outbox o WHERE o.account = ?3 \
                 AND o.remote_id = ?2 AND o.flag = 'starred') THEN starred ELSE ?6 END \
                 WHERE feed_id = ?1 AND remote_id = ?2 AND NOT EXISTS (SELECT 1 FROM sync_outbox o \
                 WHERE o.account = ?3 AND o.remote_id = ?2 AND o.flag = 'read')",
            )?;
            let mut star_only = tx.prepare_cached(
                "UPDATE items SET starred = ?4 WHERE feed_id = ?1 AND remote_id = ?2 AND NOT EXISTS \
                 (SELECT 1 FROM sync_outbox o WHERE o.account = ?3 AND o.remote_id = ?2 AND o.flag = 'starred')",
            )?;
            for synced in items {
                let Some(feed) = feeds.get(&synced.remote_feed) else { continue };
                keep_id.execute(params![feed.0, synced.item.guid, synced.remote_id])?;
                let n = flags.execute(params![feed.0, synced.remote_id, account, synced.read, now, synced.starred])?;
                if n == 0 {
                    star_only.execute(params![feed.0, synced.remote_id, account, synced.starred])?;
                }
            }
        }
        tx.commit()?;
        Ok(counts)
    }

    /// Of `ids`, those the account's items already have.
    pub fn known_remote_ids(&self, account: &str, ids: &[i64]) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.remote_id FROM items i JOIN feeds f ON f.id = i.feed_id WHERE f.sync_account = ?1 \
             AND i.remote_id IN (SELECT value FROM json_each(?2))",
        )?;
        let rows = stmt.query_map(params![account, json_ids(ids)], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Makes the account's items read unless listed in `unread`, and starred exactly when listed
    /// in `starred` (both complete lists from the server), except the flags with a change of ours
    /// waiting to be sent.
    pub fn apply_remote_flags(
        &mut self,
        account: &str,
        unread: &[i64],
        starred: &[i64],
        now: i64,
    ) -> Result<FlagCounts, StoreError> {
        let tx = self.write()?;
        let synced = "feed_id IN (SELECT id FROM feeds WHERE sync_account = ?1) AND remote_id IS NOT NULL";
        let pending = |flag: &str| {
            format!(
                "NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.account = ?1 AND o.remote_id = items.remote_id \
                 AND o.flag = '{flag}')"
            )
        };
        let read = tx.execute(
            &format!(
                "UPDATE items SET read = (remote_id NOT IN (SELECT value FROM json_each(?2))), \
                 read_at = CASE WHEN remote_id NOT IN (SELECT value FROM json_each(?2)) THEN coalesce(read_at, ?3) \
                 ELSE NULL END \
                 WHERE {synced} AND {} AND read != (remote_id NOT IN (SELECT value FROM json_each(?2)))",
                pending("read")
            ),
            params![account, json_ids(unread), now],
        )?;
        let starred = tx.execute(
            &format!(
                "UPDATE items SET starred = (remote_id IN (SELECT value FROM json_each(?2))) \
                 WHERE {synced} AND {} AND starred != (remote_id IN (SELECT value FROM json_each(?2)))",
                pending("starred")
            ),
            params![account, json_ids(starred)],
        )?;
        tx.commit()?;
        Ok(FlagCounts { read, starred })
    }

    pub fn sync_state(&self, account: &str) -> Result<SyncState, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_remote_id, last_sync_at, last_error FROM sync_state WHERE account = ?1",
                [account],
                |r| Ok(SyncState { last_remote_id: r.get(0)?, last_sync_at: r.get(1)?, last_error: r.get(2)? }),
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Records a finished sync: items up to `last_remote_id` are fetched.
    pub fn record_sync_done(&mut self, account: &str, last_remote_id: i64, now: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO sync_state (account, last_remote_id, last_sync_at, last_error) VALUES (?1, ?2, ?3, NULL) \
             ON CONFLICT DO UPDATE SET last_remote_id = max(last_remote_id, excluded.last_remote_id), \
             last_sync_at = excluded.last_sync_at, last_error = NULL",
            params![account, last_remote_id, now],
        )?;
        Ok(())
    }

    /// Records a failed sync; what it fetched stays, and the next one starts where the last
    /// finished one ended.
    pub fn record_sync_failed(&mut self, account: &str, error: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO sync_state (account, last_error) VALUES (?1, ?2) \
             ON CONFLICT DO UPDATE SET last_error = excluded.last_error",
            params![account, error],
        )?;
        Ok(())
    }
}
