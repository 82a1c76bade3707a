//! The read state on screen: an item's new flag shown in its row and the open article, and the
//! feeds pane's unread counts kept right without re-counting the cache.

use crate::model::{FeedId, ItemId};
use crate::ui::app::{App, EntryKind};

/// Shows an item's new read flag (a change) everywhere it is on screen.
pub(super) fn show_read(app: &mut App, id: ItemId, feed: FeedId, read: bool) {
    adjust_unread(app, feed, if read { -1 } else { 1 });
    if let Some(row) = app.headlines.rows.get_mut(&id) {
        row.read = read;
    }
    if let Some(article) = app.article.as_mut().filter(|a| a.item.id == id) {
        article.item.read = read;
    }
}

/// Keeps the unread counts of the feeds pane right without re-counting the whole cache.
pub(super) fn adjust_unread(app: &mut App, feed: FeedId, delta: i64) {
    let tags: Vec<String> = app.feeds_info.iter().find(|f| f.id == feed).map(|f| f.tags.clone()).unwrap_or_default();
    for entry in &mut app.entries {
        let affected = match &entry.kind {
            EntryKind::All | EntryKind::Unread => true,
            // Recounted once the cache has the change (`lists::recount_queries`).
            EntryKind::Starred | EntryKind::Query(_) => false,
            EntryKind::Feed(id) => *id == feed,
            EntryKind::Tag(tag) => tags.contains(tag),
        };
        if affected {
            entry.unread = (entry.unread + delta).max(0);
        }
    }
}
