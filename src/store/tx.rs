//! Write transactions that nest: on their own a write takes an immediate transaction (so two
//! connections never deadlock upgrading a read lock); inside [`Store::batch`] it joins the batch's
//! transaction, so the writer can commit many writes at once.
//!
//! Inside a batch a write takes no savepoint: SQLite's full-text index writes out everything
//! pending at every savepoint, which made a batch cost as much as its writes one by one. A write
//! that fails inside a batch fails the whole batch instead ([`super::Writer`] then runs each write
//! again on its own).

use std::ops::Deref;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::{Store, StoreError};

/// A write in progress: commit it, or drop it to undo it.
pub enum Tx<'a> {
    Own(Transaction<'a>),
    /// Part of a batch: committed (or rolled back) with it.
    InBatch(&'a Connection),
}

impl Tx<'_> {
    pub fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Own(tx) => tx.commit()?,
            Tx::InBatch(_) => {}
        }
        Ok(())
    }
}

impl Deref for Tx<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            Tx::Own(tx) => tx,
            Tx::InBatch(conn) => conn,
        }
    }
}

impl Store {
    /// Starts a write: a transaction of its own, or a part of the batch in progress.
    pub(super) fn write(&mut self) -> Result<Tx<'_>, StoreError> {
        if self.conn.is_autocommit() {
            Ok(Tx::Own(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?))
        } else {
            Ok(Tx::InBatch(&self.conn))
        }
    }

    /// Runs `writes` in one transaction, committed when they all succeed and rolled back, as a
    /// whole, when one fails (its error is returned) or the commit does.
    pub fn batch<R>(&mut self, writes: impl FnOnce(&mut Store) -> Result<R, StoreError>) -> Result<R, StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = writes(self).and_then(|r| Ok(self.conn.execute_batch("COMMIT").map(|()| r)?));
        if result.is_err() && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        result
    }
}
