//! The cache: SQLite in WAL mode, the single source of truth. The poller writes; the interface
//! reads. Every write is one transaction, so a kill at any moment leaves the last good state.

mod articles;
mod feeds;
mod items;
mod reading;
mod schema;
mod stories;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use articles::ArticleCandidate;
pub use feeds::{FeedFetchState, FeedRow, FeedStats};
pub use items::{ItemFilter, ItemRow, ItemSummary, UpsertCounts};
pub use reading::{HeadlineKey, IndexableItem};
pub use schema::SCHEMA_VERSION;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the cache directory {}: {source}", path.display())]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("cannot open the cache {}: {source}", path.display())]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error(
        "the cache was written by a newer tidings (schema version {found}, this build knows up to {supported}); \
         it was left untouched: upgrade tidings or use another --cache"
    )]
    TooNew { found: i64, supported: i64 },
    #[error("cache error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the cache at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir { path: dir.to_path_buf(), source })?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
        Self::setup(conn)
    }

    /// A private cache in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // A cache from a newer tidings is refused before anything below writes to the file.
        schema::check_version(&conn)?;
        // WAL lets the interface read while the poller writes; NORMAL sync is durable across
        // process crashes (only an OS crash may lose the last transaction, never corrupt).
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        schema::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}
