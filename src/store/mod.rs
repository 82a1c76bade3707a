//! The cache: SQLite in WAL mode, the single source of truth. The poller writes; the interface
//! reads. Every write is one transaction, so a kill at any moment leaves the last good state.

mod articles;
mod downloads;
mod feeds;
pub mod flag_journal;
mod items;
mod leases;
mod outbox;
mod packed;
mod query_sql;
mod reading;
mod schema;
mod search;
mod stories;
mod sync;
mod tx;
mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use articles::{ArticleCandidate, PageSources, QueuedPage};
pub use downloads::Queued;
pub use feeds::FeedFetchState;
pub use items::UpsertCounts;
pub use leases::{Claim, LeaseKind, LeaseOwner};
pub use query_sql::fts_query;
pub use reading::IndexableItem;
// The rows the store reads are plain data of the model's; named here too for its callers.
pub use crate::model::{FeedRow, FeedStats, HeadlineKey, ItemFilter, ItemRow, ItemSummary};
pub use outbox::{PendingChange, SyncFlag};
pub use schema::{SCHEMA_VERSION, migrate_to};
pub use sync::{FlagCounts, SyncState, SyncedCounts, SyncedFeed, SyncedItem};
pub use writer::{WriteError, Writer};

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
    #[error("the cache is at schema version {found}, not {expected}: it must be opened for writing first")]
    NotMigrated { found: i64, expected: i64 },
    #[error(
        "{} is not a tidings cache ({what}); it was left as it is: move it away, or give another --cache",
        path.display()
    )]
    NotACache { path: PathBuf, what: String },
    #[error("cannot write the cache {}: {why}; nothing was written, free some space and try again", path.display())]
    NoRoom { path: PathBuf, why: String },
    #[error("cache error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// A failure to open the file at `path` told as what the file is, when SQLite found it is
    /// not a database or is damaged; other failures as they are.
    fn naming(self, path: &Path) -> StoreError {
        use rusqlite::ErrorCode::{DatabaseCorrupt, DiskFull, NotADatabase, SystemIoFailure};
        let sqlite = match &self {
            StoreError::Sqlite(e) | StoreError::Open { source: e, .. } => e,
            _ => return self,
        };
        match sqlite.sqlite_error_code() {
            Some(NotADatabase) => StoreError::NotACache { path: path.to_path_buf(), what: "not a database".into() },
            Some(DatabaseCorrupt) => {
                StoreError::NotACache { path: path.to_path_buf(), what: "the database is damaged".into() }
            }
            Some(DiskFull) => StoreError::NoRoom { path: path.to_path_buf(), why: "its disk is full".into() },
            // Opening makes the cache's -wal and -shm files: on a full disk that is an I/O error.
            Some(SystemIoFailure) => {
                StoreError::NoRoom { path: path.to_path_buf(), why: "disk I/O error (is its disk full?)".into() }
            }
            _ => self,
        }
    }
}

/// How long a connection waits for another's write before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

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
        Self::setup(conn, path).map_err(|e| e.naming(path))
    }

    /// Opens an existing cache for reading only (the interface's connection: every write goes
    /// through the one [`Writer`]). The cache must be at this build's schema version, which
    /// opening it with [`Store::open`] first makes sure of.
    pub fn open_for_reading(path: &Path) -> Result<Store, StoreError> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
        let check = || -> Result<(), StoreError> {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            packed::register_unpacked(&conn)?;
            let found = refuse_foreign(&conn, path)?;
            if found != SCHEMA_VERSION {
                return Err(StoreError::NotMigrated { found, expected: SCHEMA_VERSION });
            }
            Ok(())
        };
        check().map_err(|e| e.naming(path))?;
        Ok(Store { conn })
    }

    /// A private cache in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::setup(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    fn setup(mut conn: Connection, path: &Path) -> Result<Store, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        packed::register_unpacked(&conn)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // A cache from a newer tidings, or another program's database, is refused before
        // anything below writes to the file.
        refuse_foreign(&conn, path)?;
        // WAL lets the interface read while the poller writes; NORMAL sync is durable across
        // process crashes (only an OS crash may lose the last transaction, never corrupt).
        use_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        schema::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

/// The cache's schema version, after refusing a newer tidings' cache and another program's
/// database (tables but no tidings schema), before anything writes to the file.
fn refuse_foreign(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    schema::check_version(conn)?;
    // Reading the schema also finds a damaged first page (the header alone may still read).
    let (found, tables) = schema::version_and_tables(conn)?;
    if found == 0 && tables {
        return Err(StoreError::NotACache {
            path: path.to_path_buf(),
            what: "a database of another program: it has tables and no tidings schema".into(),
        });
    }
    Ok(found)
}

/// Switches the cache to WAL. SQLite answers "busy" at once, without waiting, when another
/// connection holds the file while it switches (two processes opening a new cache together), so
/// this waits and tries again, for as long as the busy time-out allows.
fn use_wal(conn: &Connection) -> Result<(), StoreError> {
    const PAUSE: Duration = Duration::from_millis(20);
    let mut waited = Duration::ZERO;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && waited < BUSY_TIMEOUT =>
            {
                std::thread::sleep(PAUSE);
                waited += PAUSE;
            }
            Err(e) => return Err(e.into()),
        }
    }
}
