//! The reader's flag changes that the writer has not committed yet. Reads through the library
//! show them at once, so a keypress never sees the cache from before the last one.

use std::collections::HashMap;

use crate::model::{FlagChange, ItemId, ItemRow, ItemSummary};

/// A change's number, to match the writer's answer with it.
pub type ChangeId = u64;

#[derive(Debug, Default)]
pub struct Pending {
    read: HashMap<ItemId, (bool, ChangeId)>,
    starred: HashMap<ItemId, (bool, ChangeId)>,
    next: ChangeId,
}

impl Pending {
    pub fn add(&mut self, change: &FlagChange) -> ChangeId {
        self.next += 1;
        let id = self.next;
        match change {
            FlagChange::Read { ids, read } => self.read.extend(ids.iter().map(|item| (*item, (*read, id)))),
            FlagChange::Starred { id: item, starred } => {
                self.starred.insert(*item, (*starred, id));
            }
        }
        id
    }

    /// The change is committed (or failed): the cache says the rest. A later change of the same
    /// item stays.
    pub fn done(&mut self, change: ChangeId) {
        self.read.retain(|_, (_, id)| *id != change);
        self.starred.retain(|_, (_, id)| *id != change);
    }

    pub fn is_empty(&self) -> bool {
        self.read.is_empty() && self.starred.is_empty()
    }

    /// The items whose read flag waits to be saved, with the flag.
    pub fn reads(&self) -> impl Iterator<Item = (ItemId, bool)> + '_ {
        self.read.iter().map(|(item, (read, _))| (*item, *read))
    }

    pub fn apply_to_row(&self, row: &mut ItemRow) {
        if let Some((read, _)) = self.read.get(&row.id) {
            row.read = *read;
        }
        if let Some((starred, _)) = self.starred.get(&row.id) {
            row.starred = *starred;
        }
    }

    pub fn apply_to_summary(&self, row: &mut ItemSummary) {
        if let Some((read, _)) = self.read.get(&row.id) {
            row.read = *read;
        }
        if let Some((starred, _)) = self.starred.get(&row.id) {
            row.starred = *starred;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_change_outlives_an_earlier_ones_commit() {
        let mut pending = Pending::default();
        let first = pending.add(&FlagChange::Read { ids: vec![ItemId(1), ItemId(2)], read: true });
        let second = pending.add(&FlagChange::Read { ids: vec![ItemId(2)], read: false });
        pending.done(first);
        assert_eq!(pending.reads().collect::<Vec<_>>(), [(ItemId(2), false)]);
        pending.done(second);
        assert!(pending.is_empty());
    }
}
