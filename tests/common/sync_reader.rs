//! A device running tidings against a sync server, for the sync tests: its config (with
//! `[sync]`) and cache in a directory of its own, `tidings sync` run as cron runs it, and the
//! cache read as the reader reads it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use tidings::model::ItemId;
use tidings::store::Store;

/// The environment variable the config names for the password.
pub const PASSWORD_VAR: &str = "TIDINGS_TEST_SYNC_PASSWORD";

/// A device running tidings: its config (with `[sync]`) and cache, in a directory of its own.
pub struct Reader {
    pub dir: tempfile::TempDir,
    password: String,
}

impl Reader {
    /// With `backend = "{backend}"` (the config's name for the protocol).
    pub fn new(backend: &str, url: &str, user: &str, password: &str) -> Reader {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = format!(
            "[sync]\nbackend = \"{backend}\"\nurl = \"{url}\"\nuser = \"{user}\"\npassword_env = \"{PASSWORD_VAR}\"\n"
        );
        std::fs::write(dir.path().join("config.toml"), config).expect("config");
        Reader { dir, password: password.to_string() }
    }

    pub fn cache(&self) -> PathBuf {
        self.dir.path().join("cache.db")
    }

    pub fn command(&self) -> Command {
        self.command_for("sync")
    }

    /// `tidings SUBCOMMAND` on this config and cache.
    pub fn command_for(&self, subcommand: &str) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tidings"));
        let home = self.dir.path();
        command
            .arg("--config")
            .arg(home.join("config.toml"))
            .arg("--cache")
            .arg(self.cache())
            .arg(subcommand)
            .env(PASSWORD_VAR, &self.password)
            .env("HOME", home)
            .env("XDG_STATE_HOME", home.join("state"))
            .env_remove("TIDINGS_LOG")
            .stdin(Stdio::null());
        command
    }

    /// `tidings sync`, to its end.
    pub fn sync(&self) -> Output {
        self.command().output().expect("run tidings sync")
    }

    /// `tidings sync` that must succeed; returns its line.
    pub fn sync_ok(&self) -> String {
        let out = self.sync();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "tidings sync failed: {stderr}{stdout}");
        println!("{stdout}");
        stdout.trim().to_string()
    }

    pub fn store(&self) -> Store {
        Store::open(&self.cache()).expect("open the cache")
    }

    /// Remote id -> (read, starred) of every cached item.
    pub fn flags(&self) -> HashMap<i64, (bool, bool)> {
        let conn = rusqlite::Connection::open(self.cache()).expect("open");
        let mut stmt = conn.prepare("SELECT remote_id, read, starred FROM items").expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    /// The local id of the item with this remote id.
    pub fn local(&self, remote_id: i64) -> ItemId {
        let conn = rusqlite::Connection::open(self.cache()).expect("open");
        ItemId(conn.query_row("SELECT id FROM items WHERE remote_id = ?1", [remote_id], |r| r.get(0)).expect("item"))
    }

    pub fn pending(&self) -> i64 {
        let conn = rusqlite::Connection::open(self.cache()).expect("open");
        conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0)).expect("count")
    }

    pub fn integrity(&self) -> String {
        let conn = rusqlite::Connection::open(self.cache()).expect("open");
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check")
    }
}

impl Reader {
    /// A sync through `proxy` that is held from request `hold_from` on while `stop` stops the
    /// server, then let go: it must end with exit status 1, one line saying the server cannot be
    /// reached, and the cache whole.
    pub fn sync_cut_off(&self, proxy: &super::gate_proxy::GateProxy, hold_from: usize, stop: impl FnOnce()) {
        proxy.hold_from(hold_from);
        let child = self.command().stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
        proxy.wait_until_held();
        stop();
        proxy.release();
        let out = child.wait_with_output().expect("finished");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains("cannot reach the server"), "{stderr}");
        assert_eq!(self.integrity(), "ok");
    }
}
