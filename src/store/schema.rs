//! Numbered migrations. `PRAGMA user_version` records how many have run; a cache written by a
//! newer tidings (a higher number than we know) is refused rather than touched.

use rusqlite::Connection;

use super::StoreError;

/// Each entry moves the schema one version up. Never edit a released entry: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: feeds, items, the search index.
    r#"
    CREATE TABLE feeds (
        id               INTEGER PRIMARY KEY,
        config_url       TEXT NOT NULL UNIQUE,
        url              TEXT NOT NULL,
        title            TEXT,
        site_url         TEXT,
        description      TEXT,
        etag             TEXT,
        last_modified    TEXT,
        min_interval     INTEGER,
        last_polled_at   INTEGER,
        last_success_at  INTEGER,
        next_poll_at     INTEGER,
        error            TEXT,
        error_count      INTEGER NOT NULL DEFAULT 0,
        disabled_reason  TEXT
    );
    CREATE TABLE items (
        id             INTEGER PRIMARY KEY,
        feed_id        INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid           TEXT NOT NULL,
        url            TEXT,
        title          TEXT NOT NULL,
        author         TEXT,
        published_at   INTEGER NOT NULL,
        updated_at     INTEGER,
        first_seen_at  INTEGER NOT NULL,
        last_seen_at   INTEGER NOT NULL,
        summary_html   TEXT,
        content_html   TEXT,
        article_text   TEXT,
        article_error  TEXT,
        read           INTEGER NOT NULL DEFAULT 0,
        read_at        INTEGER,
        starred        INTEGER NOT NULL DEFAULT 0,
        story_id       INTEGER,
        UNIQUE (feed_id, guid)
    );
    CREATE INDEX items_by_date ON items (published_at DESC, id DESC);
    CREATE INDEX items_by_feed_date ON items (feed_id, published_at DESC, id DESC);
    CREATE INDEX items_unread ON items (read, published_at DESC) WHERE read = 0;
    CREATE INDEX items_starred ON items (starred) WHERE starred = 1;
    CREATE VIRTUAL TABLE items_fts USING fts5 (
        title, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
    );
    "#,
    // 2: per-feed unread counts from an index alone (the feeds pane counts on every start).
    r#"
    CREATE INDEX items_feed_read ON items (feed_id, read);
    "#,
    // 3: the in-memory headline order is read from an index alone (every start, after each poll).
    r#"
    DROP INDEX items_by_date;
    CREATE INDEX items_by_date ON items (published_at DESC, id DESC, feed_id, read);
    "#,
    // 4: the extracted article is kept as clean HTML (headings, lists and quotes survive).
    r#"
    ALTER TABLE items RENAME COLUMN article_text TO article_html;
    "#,
    // 5: story groups: the headline order reads them from its index; a story's members by id.
    r#"
    DROP INDEX items_by_date;
    CREATE INDEX items_by_date ON items (published_at DESC, id DESC, feed_id, read, story_id);
    CREATE INDEX items_by_story ON items (story_id) WHERE story_id IS NOT NULL;
    "#,
    // 6: the page queue, leases and a search index kept off the poll. `summary_only` is whether
    // the feed's text is only a summary (NULL: not known yet); transient page failures wait for
    // `page_retry_at`; a poll claims the feeds and pages it works on in `leases`, so overlapping
    // polls never fetch one twice. The search index is filled after polls rather than during
    // them (`search_state`: 0 not indexed, 1 indexed, 2 indexed but changed since) and keeps
    // columns, not positions, which halves its size; it is rebuilt from the items.
    r#"
    DROP TABLE items_fts;
    CREATE VIRTUAL TABLE items_fts USING fts5 (
        title, body, content = '', contentless_delete = 1, detail = column,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    ALTER TABLE items ADD COLUMN search_state INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX items_search_pending ON items (id) WHERE search_state != 1;
    ALTER TABLE items ADD COLUMN summary_only INTEGER;
    ALTER TABLE items ADD COLUMN page_attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE items ADD COLUMN page_retry_at INTEGER;
    CREATE TABLE leases (
        kind   TEXT NOT NULL,
        key    INTEGER NOT NULL,
        owner  TEXT NOT NULL,
        pid    INTEGER NOT NULL,
        until  INTEGER NOT NULL,
        PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;
    "#,
    // 7: sync with a feed server. A synced feed belongs to an account (`sync_account`, see
    // `SyncSettings::account`) and has the server's id and category (the reader files it under
    // it); its items keep their ids (`remote_id`).
    // `sync_outbox` holds the read/star changes made here that the server has not confirmed,
    // one row per item and flag with the value wanted, written in the transaction that changed
    // the flag; `sync_state` the highest item id fetched so far and the last sync's outcome.
    r#"
    ALTER TABLE feeds ADD COLUMN sync_account TEXT;
    ALTER TABLE feeds ADD COLUMN remote_id INTEGER;
    ALTER TABLE feeds ADD COLUMN sync_category TEXT;
    CREATE UNIQUE INDEX feeds_by_remote ON feeds (sync_account, remote_id) WHERE sync_account IS NOT NULL;
    ALTER TABLE items ADD COLUMN remote_id INTEGER;
    CREATE INDEX items_by_remote ON items (remote_id) WHERE remote_id IS NOT NULL;
    CREATE TABLE sync_outbox (
        account    TEXT NOT NULL,
        remote_id  INTEGER NOT NULL,
        flag       TEXT NOT NULL CHECK (flag IN ('read', 'starred')),
        value      INTEGER NOT NULL,
        queued_at  INTEGER NOT NULL,
        PRIMARY KEY (account, remote_id, flag)
    ) WITHOUT ROWID;
    CREATE TABLE sync_state (
        account         TEXT PRIMARY KEY,
        last_remote_id  INTEGER NOT NULL DEFAULT 0,
        last_sync_at    INTEGER,
        last_error      TEXT
    ) WITHOUT ROWID;
    "#,
    // 8: podcasts. `enclosures` holds an item's media files as a JSON list of objects (`url`,
    // `type`, `size`, `duration`; NULL when it has none). `downloads` is the download list, one
    // row per address: queued (a row that was being fetched when the reader stopped is queued
    // still, and goes on from its `.part` file), done (saved as `file_name` in the download
    // folder) or failed (`error`); `validator` is the ETag or Last-Modified of the bytes received
    // so far, sent back as If-Range when the rest is asked for.
    r#"
    ALTER TABLE items ADD COLUMN enclosures TEXT;
    CREATE TABLE downloads (
        id           INTEGER PRIMARY KEY,
        url          TEXT NOT NULL UNIQUE,
        item_id      INTEGER REFERENCES items(id) ON DELETE SET NULL,
        title        TEXT NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('queued', 'done', 'failed')),
        file_name    TEXT,
        received     INTEGER NOT NULL DEFAULT 0,
        total        INTEGER,
        error        TEXT,
        validator    TEXT,
        queued_at    INTEGER NOT NULL,
        finished_at  INTEGER
    );
    CREATE INDEX downloads_by_item ON downloads (item_id);
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The schema version of the cache, refused when it is newer than this build knows. Reads only:
/// call it before anything that writes (switching to WAL rewrites the file header).
pub fn check_version(conn: &Connection) -> Result<i64, StoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew { found, supported: SCHEMA_VERSION });
    }
    Ok(found)
}

/// The schema version and whether the database holds any table (a new cache holds none before
/// its first migration), read together: another process's first migration may land between two
/// reads.
pub fn version_and_tables(conn: &Connection) -> Result<(i64, bool), StoreError> {
    Ok(conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version), \
                EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Runs the migrations the cache lacks. Each runs in an immediate transaction that reads the
/// version again first, so two processes opening a new cache at the same moment take turns: the
/// second finds the work done instead of failing on "table feeds already exists".
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Runs the migrations up to schema `version` (tests build the cache of an older tidings with
/// it, to upgrade it).
#[doc(hidden)]
pub fn migrate_to(conn: &mut Connection, version: i64) -> Result<(), StoreError> {
    if check_version(conn)? >= version {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let found = check_version(&tx)?;
        let Some(sql) = MIGRATIONS.get(found as usize).filter(|_| found < version) else { return Ok(()) };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
    }
}
