//! The indexer thread: fills the related-stories index and the story groups from a read-only
//! connection, and keeps the search index up to date through the cache's one writer (in chunks,
//! so that the poller's writes never wait long behind it). It tops both up after every poll.

use std::path::PathBuf;
use std::sync::mpsc;

use super::library::SharedIndex;
use super::update::Msg;
use crate::model::ItemId;
use crate::store::{Store, Writer};
use crate::timefmt::now_secs;

/// Items indexed for search per write.
const SEARCH_CHUNK: usize = 2_000;

/// What the indexer thread is woken for.
pub enum IndexerWork {
    /// Index the items stored since it last looked.
    NewItems,
    /// Index this item again: its article was extracted.
    Reindex(ItemId),
}

/// Starts the indexer on `cache`; it says `Msg::IndexReady` once the first pass is done, and
/// `Msg::StoriesChanged` whenever it saved story groups.
pub fn spawn_indexer(
    cache: PathBuf,
    index: SharedIndex,
    writer: Writer,
    tx: mpsc::Sender<Msg>,
) -> mpsc::Sender<IndexerWork> {
    let (wake, woken) = mpsc::channel::<IndexerWork>();
    let started = std::thread::Builder::new().name("tidings-indexer".into()).spawn(move || {
        crate::priority::lower_this_thread();
        let store = match Store::open_for_reading(&cache) {
            Ok(store) => store,
            Err(e) => {
                tracing::error!("related index: cannot open the cache: {e}");
                return;
            }
        };
        if let Err(e) = index.seed_stories(&store) {
            tracing::error!("story groups: {e}");
        }
        let mut last = ItemId(0);
        let mut work = IndexerWork::NewItems;
        loop {
            // The search index first: it is quick, and a search would otherwise wait for it.
            catch_up_search(&writer);
            let result = match work {
                IndexerWork::NewItems => index.index_from(&store, last, now_secs()).map(|batch| {
                    last = batch.last;
                    if !batch.stories.is_empty() {
                        let stories = batch.stories;
                        match writer.run_blocking(move |store| store.set_stories(&stories)) {
                            Ok(changed) if changed > 0 => {
                                let _ = tx.send(Msg::StoriesChanged);
                            }
                            Ok(_) => {}
                            Err(e) => tracing::error!("story groups: {e}"),
                        }
                    }
                }),
                // An item above `last` is indexed with its article when new items are.
                IndexerWork::Reindex(id) if id.0 <= last.0 => index.reindex(&store, id),
                IndexerWork::Reindex(_) => Ok(()),
            };
            if let Err(e) = result {
                tracing::error!("related index: {e}");
            }
            if !index.is_ready() {
                index.set_ready();
                let _ = tx.send(Msg::IndexReady);
            }
            match woken.recv() {
                Ok(next) => work = next,
                Err(_) => break,
            }
        }
    });
    if let Err(e) = started {
        tracing::error!("cannot start the indexer: {e}");
    }
    wake
}

fn catch_up_search(writer: &Writer) {
    loop {
        match writer.run_blocking(|store| store.index_for_search(SEARCH_CHUNK)) {
            Ok(n) if n == SEARCH_CHUNK => continue,
            Ok(_) => break,
            Err(e) => {
                tracing::error!("search index: {e}");
                break;
            }
        }
    }
}
