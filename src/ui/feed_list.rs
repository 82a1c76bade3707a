//! The feeds the reader lists, read from the cache: at start, and after each sync (the server's
//! subscriptions may have changed).

use super::app::FeedInfo;
use crate::feed::poller::Poller;
use crate::store::{Store, StoreError};

/// The feeds the reader lists: the configured ones, then those of the `[sync]` server (filed
/// under their category there).
pub fn feed_infos(poller: &Poller, store: &Store) -> Result<Vec<FeedInfo>, StoreError> {
    let mut infos: Vec<FeedInfo> = poller
        .feeds()
        .iter()
        .map(|f| {
            let row = store.feed(f.id)?;
            Ok(FeedInfo {
                id: f.id,
                name: f.settings.display_name(row.as_ref().and_then(|r| r.title.as_deref())),
                tags: f.settings.tags.clone(),
                configured_name: f.settings.name.is_some(),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    if let Some(sync) = &poller.settings().sync {
        for (id, name, category) in store.synced_feed_list(&sync.account())? {
            infos.push(FeedInfo { id, name, tags: category.into_iter().collect(), configured_name: false });
        }
    }
    Ok(infos)
}
