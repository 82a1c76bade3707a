//! The reader's read and star changes, written down before they are shown. The reader shows a
//! marking at once and the cache's one writer saves it a moment later (longer while a poll holds
//! the cache): a process killed in between would lose a flag the screen already showed. So each
//! change is first appended to a small journal beside the cache (one `write`, which outlives
//! the process once it returns), the journal is emptied whenever every change in it is saved,
//! and the next opening of the cache applies what a killed reader left there.
//!
//! The running reader holds a lock on its journal, so that another process opening the cache
//! (`tidings poll` from cron) leaves a live reader's journal alone.
//!
//! One line per change: `r 1 12,13` (items 12 and 13 read), `r 0 12` (unread), `s 1 7`
//! (starred), `s 0 7`. A line that does not read is skipped (a kill mid-line).

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Store, StoreError};
use crate::model::{FlagChange, ItemId};

/// The journal of the cache at `cache`: `<cache>-flags` beside it.
pub fn journal_path(cache: &Path) -> PathBuf {
    let mut name = cache.as_os_str().to_owned();
    name.push("-flags");
    PathBuf::from(name)
}

/// The open journal, shared by the interface (which records) and the writer (which says when a
/// change is saved).
pub struct FlagJournal {
    path: PathBuf,
    state: Mutex<State>,
}

struct State {
    file: Option<File>,
    /// Changes recorded and not yet saved.
    pending: usize,
}

impl FlagJournal {
    /// The journal of the cache at `cache`, opened and locked for this reader (when it cannot
    /// be made, changes are only saved, as before journals).
    pub fn beside(cache: &Path) -> FlagJournal {
        let path = journal_path(cache);
        let file = match OpenOptions::new().create(true).append(true).open(&path) {
            Ok(file) => {
                if let Err(e) = file.try_lock() {
                    tracing::warn!("another reader holds the flag journal {}: {e}", path.display());
                }
                Some(file)
            }
            Err(e) => {
                tracing::warn!("cannot open the flag journal {}: {e}", path.display());
                None
            }
        };
        FlagJournal { path, state: Mutex::new(State { file, pending: 0 }) }
    }

    /// Appends `change`, before it is shown.
    pub fn record(&self, change: &FlagChange) -> std::io::Result<()> {
        let mut state = self.state.lock().map_err(|_| std::io::Error::other("the flag journal is poisoned"))?;
        if state.file.is_none() {
            return Err(std::io::Error::other("the flag journal could not be opened"));
        }
        let line = format!("{}\n", encode(change));
        if let Some(file) = state.file.as_mut() {
            file.write_all(line.as_bytes())?;
        }
        state.pending += 1;
        Ok(())
    }

    /// One recorded change is in the cache (or failed and was said): when none is left
    /// pending, the journal is emptied.
    pub fn saved(&self) {
        let Ok(mut state) = self.state.lock() else { return };
        state.pending = state.pending.saturating_sub(1);
        if state.pending == 0
            && let Some(file) = state.file.as_mut()
            && let Err(e) = file.set_len(0).and_then(|()| file.seek(SeekFrom::Start(0)).map(drop))
        {
            tracing::warn!("cannot empty the flag journal {}: {e}", self.path.display());
        }
    }
}

/// Applies what a reader that was killed left in the journal of the cache at `cache`, in order,
/// then empties the journal; the number of changes applied. A journal a running reader holds is
/// left alone.
pub fn replay(store: &mut Store, cache: &Path, now: i64) -> Result<usize, StoreError> {
    let path = journal_path(cache);
    let Ok(mut file) = OpenOptions::new().read(true).write(true).open(&path) else { return Ok(0) };
    if file.try_lock().is_err() {
        return Ok(0);
    }
    let mut text = String::new();
    if let Err(e) = std::io::Read::read_to_string(&mut file, &mut text) {
        tracing::warn!("cannot read the flag journal {}: {e}", path.display());
        return Ok(0);
    }
    let changes: Vec<FlagChange> = text.lines().filter_map(decode).collect();
    for change in &changes {
        store.apply_flags(change, now)?;
    }
    if let Err(e) = file.set_len(0) {
        tracing::warn!("cannot empty the flag journal {}: {e}", path.display());
    }
    if !changes.is_empty() {
        tracing::info!("{} read/star changes of a reader that stopped were saved", changes.len());
    }
    Ok(changes.len())
}

fn encode(change: &FlagChange) -> String {
    match change {
        FlagChange::Read { ids, read } => {
            let ids: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
            format!("r {} {}", u8::from(*read), ids.join(","))
        }
        FlagChange::Starred { id, starred } => format!("s {} {}", u8::from(*starred), id.0),
    }
}

fn decode(line: &str) -> Option<FlagChange> {
    let mut parts = line.split(' ');
    let (kind, value, ids) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let value = match value {
        "1" => true,
        "0" => false,
        _ => return None,
    };
    let ids: Vec<ItemId> = ids.split(',').map(|id| id.parse().ok().map(ItemId)).collect::<Option<_>>()?;
    match kind {
        "r" if !ids.is_empty() => Some(FlagChange::Read { ids, read: value }),
        "s" if ids.len() == 1 => Some(FlagChange::Starred { id: ids[0], starred: value }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_broken_ones_are_skipped() {
        let changes = [
            FlagChange::Read { ids: vec![ItemId(12), ItemId(13)], read: true },
            FlagChange::Read { ids: vec![ItemId(4)], read: false },
            FlagChange::Starred { id: ItemId(7), starred: true },
            FlagChange::Starred { id: ItemId(7), starred: false },
        ];
        for change in &changes {
            assert_eq!(decode(&encode(change)).as_ref(), Some(change));
        }
        for broken in ["", "r", "r 1", "r 1 ", "r 2 5", "s 1 5,6", "x 1 5", "r 1 5,", "r 1 5 6"] {
            assert_eq!(decode(broken), None, "{broken:?}");
        }
    }

    #[test]
    fn the_journal_empties_when_every_change_is_saved_and_replays_what_was_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = dir.path().join("cache.db");
        let journal = FlagJournal::beside(&cache);
        journal.record(&FlagChange::Read { ids: vec![ItemId(1)], read: true }).expect("record");
        journal.record(&FlagChange::Starred { id: ItemId(2), starred: true }).expect("record");
        journal.saved();
        assert!(!std::fs::read_to_string(journal_path(&cache)).expect("journal").is_empty(), "one is pending");
        journal.saved();
        assert_eq!(std::fs::read_to_string(journal_path(&cache)).expect("journal"), "", "all saved: emptied");
        journal.record(&FlagChange::Read { ids: vec![ItemId(3)], read: true }).expect("record after emptying");
        assert_eq!(std::fs::read_to_string(journal_path(&cache)).expect("journal"), "r 1 3\n");
        // While this reader runs, another process leaves its journal alone.
        let mut store = Store::open(&cache).expect("cache");
        assert_eq!(replay(&mut store, &cache, 0).expect("replay"), 0);
        drop(journal);
        // Once it is gone (killed), the change it had not saved is applied.
        let feed = store.sync_feeds(&["https://a.example/feed"]).expect("feed")[0];
        let item = crate::model::NewItem { guid: "g".into(), title: "T".into(), ..Default::default() };
        let parsed = crate::model::ParsedFeed { items: vec![item], ..Default::default() };
        store.record_success(feed, 0, &super::super::FeedFetchState::default(), &parsed).expect("an item");
        let id = store.item_ids(&crate::model::ItemFilter::All, false).expect("ids")[0];
        std::fs::write(journal_path(&cache), format!("r 1 {}\ngarbage\ns 1 {}", id.0, id.0)).expect("journal");
        assert_eq!(replay(&mut store, &cache, 0).expect("replay"), 2);
        let row = store.item(id).expect("item").expect("present");
        assert!(row.read && row.starred, "{row:?}");
        assert_eq!(std::fs::read_to_string(journal_path(&cache)).expect("journal"), "", "emptied");
    }
}
