//! The outbox: read/star changes made here to items that came from a feed server, which the
//! server has not confirmed yet. One row per item and flag holds the value wanted; it is written
//! in the transaction that changes the flag, so a kill at any moment leaves both or neither, and
//! it leaves the outbox only once the server took that value.

use rusqlite::{Connection, params};

use super::{Store, StoreError};
use crate::model::ItemId;

/// A flag that syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncFlag {
    Read,
    Starred,
}

impl SyncFlag {
    fn column(self) -> &'static str {
        match self {
            SyncFlag::Read => "read",
            SyncFlag::Starred => "starred",
        }
    }

    fn from_column(name: &str) -> Option<SyncFlag> {
        match name {
            "read" => Some(SyncFlag::Read),
            "starred" => Some(SyncFlag::Starred),
            _ => None,
        }
    }
}

/// A change made here that the server has not confirmed: `flag` of item `remote_id` should be
/// `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingChange {
    pub remote_id: i64,
    pub flag: SyncFlag,
    pub value: bool,
}

/// Queues, for those of `ids` that came from a server, `flag = value` in the outbox. Called in
/// the transaction that changes the flag.
pub(super) fn queue_flags(
    tx: &Connection,
    ids: &[ItemId],
    flag: SyncFlag,
    value: bool,
    now: i64,
) -> Result<(), StoreError> {
    let mut queue = tx.prepare_cached(
        "INSERT INTO sync_outbox (account, remote_id, flag, value, queued_at) \
         SELECT f.sync_account, i.remote_id, ?2, ?3, ?4 FROM items i JOIN feeds f ON f.id = i.feed_id \
         WHERE i.id = ?1 AND i.remote_id IS NOT NULL AND f.sync_account IS NOT NULL \
         ON CONFLICT DO UPDATE SET value = excluded.value, queued_at = excluded.queued_at",
    )?;
    for id in ids {
        queue.execute(params![id.0, flag.column(), value, now])?;
    }
    Ok(())
}

/// Queues `read = 1` for the synced items among `items i WHERE clause` (the items a "mark all
/// read" is about to change), in its transaction.
pub(super) fn queue_read_where(
    tx: &Connection,
    clause: &str,
    values: &[rusqlite::types::Value],
    now: i64,
) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO sync_outbox (account, remote_id, flag, value, queued_at) \
         SELECT f.sync_account, i.remote_id, 'read', 1, ? FROM items i JOIN feeds f ON f.id = i.feed_id \
         WHERE i.remote_id IS NOT NULL AND f.sync_account IS NOT NULL AND {clause} \
         ON CONFLICT DO UPDATE SET value = excluded.value, queued_at = excluded.queued_at"
    );
    let mut all: Vec<rusqlite::types::Value> = vec![now.into()];
    all.extend(values.iter().cloned());
    tx.execute(&sql, rusqlite::params_from_iter(all))?;
    Ok(())
}

/// The ids as a JSON array, for `json_each`: one parameter however many ids.
pub(super) fn json_ids(ids: &[i64]) -> String {
    let mut out = String::with_capacity(ids.len() * 8 + 2);
    out.push('[');
    for (n, id) in ids.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&id.to_string());
    }
    out.push(']');
    out
}

impl Store {
    /// The changes of this account waiting to be sent, oldest first.
    pub fn pending_changes(&self, account: &str) -> Result<Vec<PendingChange>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT remote_id, flag, value FROM sync_outbox WHERE account = ?1 ORDER BY queued_at, remote_id",
        )?;
        let rows = stmt
            .query_map([account], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(remote_id, flag, value)| {
                SyncFlag::from_column(&flag).map(|flag| PendingChange { remote_id, flag, value })
            })
            .collect())
    }

    /// Drops the changes the server confirmed; a change made again since (another value) stays.
    pub fn confirm_changes(&mut self, account: &str, sent: &[PendingChange]) -> Result<(), StoreError> {
        let tx = self.write()?;
        {
            let mut delete = tx.prepare_cached(
                "DELETE FROM sync_outbox WHERE account = ?1 AND remote_id = ?2 AND flag = ?3 AND value = ?4",
            )?;
            for change in sent {
                delete.execute(params![account, change.remote_id, change.flag.column(), change.value])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
