//! The download list: one row per enclosure address, queued, done or failed. The download task
//! changes it through the one writer; the interface reads it once at start and then hears of
//! each change from the task.

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError};
use crate::model::{DownloadId, DownloadRow, DownloadState, ItemId};

const COLUMNS: &str = "id, url, item_id, title, state, file_name, received, total, error, validator";

fn download_row(row: &Row<'_>) -> rusqlite::Result<DownloadRow> {
    let state: String = row.get(4)?;
    Ok(DownloadRow {
        id: DownloadId(row.get(0)?),
        url: row.get(1)?,
        item: row.get::<_, Option<i64>>(2)?.map(ItemId),
        title: row.get(3)?,
        // The table's CHECK allows only these three.
        state: DownloadState::from_name(&state).unwrap_or(DownloadState::Failed),
        file_name: row.get(5)?,
        received: u64::try_from(row.get::<_, i64>(6)?).unwrap_or(0),
        total: row.get::<_, Option<i64>>(7)?.and_then(|t| u64::try_from(t).ok()),
        error: row.get(8)?,
        validator: row.get(9)?,
    })
}

/// What queueing an address did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Queued {
    /// It is new to the list, or had failed and is queued again: it is to be fetched.
    Fetch(DownloadRow),
    /// It is in the list already, queued or done: nothing changes.
    Already(DownloadRow),
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// Adds `url` to the download list (or queues it again when it had failed).
    pub fn queue_download(
        &mut self,
        url: &str,
        item: Option<ItemId>,
        title: &str,
        now: i64,
    ) -> Result<Queued, StoreError> {
        let tx = self.write()?;
        let existing =
            tx.query_row(&format!("SELECT {COLUMNS} FROM downloads WHERE url = ?1"), [url], download_row).optional()?;
        let queued = match existing {
            Some(row) if row.state != DownloadState::Failed => Queued::Already(row),
            Some(row) => {
                tx.execute("UPDATE downloads SET state = 'queued', error = NULL WHERE id = ?1", [row.id.0])?;
                Queued::Fetch(DownloadRow { state: DownloadState::Queued, error: None, ..row })
            }
            None => {
                tx.execute(
                    "INSERT INTO downloads (url, item_id, title, state, queued_at) VALUES (?1, ?2, ?3, 'queued', ?4)",
                    params![url, item.map(|i| i.0), title, now],
                )?;
                let id = DownloadId(tx.last_insert_rowid());
                Queued::Fetch(DownloadRow {
                    id,
                    url: url.to_string(),
                    item,
                    title: title.to_string(),
                    state: DownloadState::Queued,
                    file_name: None,
                    received: 0,
                    total: None,
                    error: None,
                    validator: None,
                })
            }
        };
        tx.commit()?;
        Ok(queued)
    }

    /// Every download of the list, oldest first.
    pub fn downloads(&self) -> Result<Vec<DownloadRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {COLUMNS} FROM downloads ORDER BY id"))?;
        let rows = stmt.query_map([], download_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn download(&self, id: DownloadId) -> Result<Option<DownloadRow>, StoreError> {
        Ok(self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM downloads WHERE id = ?1"), [id.0], download_row)
            .optional()?)
    }

    /// Keeps the validator and the size the server gave for the bytes the `.part` file holds.
    pub fn download_started(
        &mut self,
        id: DownloadId,
        validator: Option<&str>,
        total: Option<u64>,
    ) -> Result<(), StoreError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE downloads SET validator = ?2, total = ?3 WHERE id = ?1",
            params![id.0, validator, total.map(as_i64)],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The download is saved as `file_name` in the download folder.
    pub fn download_done(&mut self, id: DownloadId, file_name: &str, size: u64, now: i64) -> Result<(), StoreError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE downloads SET state = 'done', file_name = ?2, received = ?3, total = ?3, error = NULL, \
             finished_at = ?4 WHERE id = ?1",
            params![id.0, file_name, as_i64(size), now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The download failed with `error`, `received` bytes in its `.part` file.
    pub fn download_failed(&mut self, id: DownloadId, error: &str, received: u64, now: i64) -> Result<(), StoreError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE downloads SET state = 'failed', error = ?2, received = ?3, finished_at = ?4 WHERE id = ?1",
            params![id.0, error, as_i64(received), now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Queues a failed download again; its row, or `None` when it is not a failed one.
    pub fn retry_download(&mut self, id: DownloadId) -> Result<Option<DownloadRow>, StoreError> {
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE downloads SET state = 'queued', error = NULL WHERE id = ?1 AND state = 'failed'",
            [id.0],
        )?;
        let row = if n == 1 {
            tx.query_row(&format!("SELECT {COLUMNS} FROM downloads WHERE id = ?1"), [id.0], download_row).optional()?
        } else {
            None
        };
        tx.commit()?;
        Ok(row)
    }

    /// Takes a download off the list (the file it saved stays); whether it was there.
    pub fn remove_download(&mut self, id: DownloadId) -> Result<bool, StoreError> {
        let tx = self.write()?;
        let n = tx.execute("DELETE FROM downloads WHERE id = ?1", [id.0])?;
        tx.commit()?;
        Ok(n == 1)
    }
}
