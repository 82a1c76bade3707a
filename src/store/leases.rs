//! Leases: which process is working on a feed or a page right now, so that overlapping polls (a
//! cron `tidings poll` while the reader runs, two cron runs, two readers) never fetch one twice.
//!
//! A lease names its owner (a token unique to one poller), the owner's process id and a time it
//! runs out. A lease whose time has passed, or whose process is gone, can be taken over; the owner
//! releases its leases when it is done.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// Who holds leases: one per poller, unique across processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseOwner {
    pub token: String,
    pub pid: u32,
}

impl LeaseOwner {
    /// An owner for this process, distinct from every other poller in it.
    pub fn for_this_process() -> LeaseOwner {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let pid = std::process::id();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        LeaseOwner { token: format!("{pid}-{nanos:x}-{}", NEXT.fetch_add(1, Ordering::Relaxed)), pid }
    }
}

/// The answer to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Ours until released or until it runs out.
    Granted,
    /// Another live poller has it; `pid` is its process.
    Held { pid: u32 },
}

/// What a lease is on.
#[derive(Debug, Clone, Copy)]
pub enum LeaseKind {
    Feed,
    Page,
}

impl LeaseKind {
    fn name(self) -> &'static str {
        match self {
            LeaseKind::Feed => "feed",
            LeaseKind::Page => "page",
        }
    }
}

impl Store {
    /// Claims `keys` for `owner` until `until` (unix seconds), in one transaction; the answers come
    /// in the order of `keys`.
    pub fn claim(
        &mut self,
        kind: LeaseKind,
        keys: &[i64],
        owner: &LeaseOwner,
        now: i64,
        until: i64,
    ) -> Result<Vec<Claim>, StoreError> {
        let tx = self.write()?;
        let mut answers = Vec::with_capacity(keys.len());
        {
            let mut current = tx.prepare_cached("SELECT owner, pid, until FROM leases WHERE kind = ?1 AND key = ?2")?;
            let mut take = tx.prepare_cached(
                "INSERT OR REPLACE INTO leases (kind, key, owner, pid, until) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for key in keys {
                let held: Option<(String, u32, i64)> = current
                    .query_row(params![kind.name(), key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?;
                let answer = match held {
                    Some((token, pid, ends)) if token != owner.token && ends > now && process_alive(pid) => {
                        Claim::Held { pid }
                    }
                    _ => {
                        take.execute(params![kind.name(), key, owner.token, owner.pid, until])?;
                        Claim::Granted
                    }
                };
                answers.push(answer);
            }
        }
        tx.commit()?;
        Ok(answers)
    }

    /// Gives back one lease of `owner`'s.
    pub fn release(&mut self, kind: LeaseKind, key: i64, owner: &LeaseOwner) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM leases WHERE kind = ?1 AND key = ?2 AND owner = ?3",
            params![kind.name(), key, owner.token],
        )?;
        Ok(())
    }

    /// Gives back every lease `owner` holds (the end of a poll, or of a phase).
    pub fn release_all(&mut self, kind: LeaseKind, owner: &LeaseOwner) -> Result<usize, StoreError> {
        Ok(self.conn.execute("DELETE FROM leases WHERE kind = ?1 AND owner = ?2", params![kind.name(), owner.token])?)
    }
}

/// Whether a process with this id runs on this machine. Where that cannot be told (no `/proc`),
/// every process counts as alive and only the lease's time decides.
fn process_alive(pid: u32) -> bool {
    let proc = std::path::Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}
