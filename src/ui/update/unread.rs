//! Jumps to the next (or previous) unread item: in the current list after (before) the
//! selection, else in the next feed of the feeds pane that has unread items (its first), or,
//! going back, the previous one above it (its last unread item), as newsboat does: backwards
//! never wraps around to the bottom of the feeds pane.

use super::{Effect, lists, reading};
use crate::model::ItemId;
use crate::ui::app::{App, EntryKind};
use crate::ui::library::Library;

pub(super) fn jump_unread(app: &mut App, forward: bool, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let start = app.headlines.state.selected;
    let ids = app.headlines.ids.clone();
    // The selected item itself, when it is unread and not the one on screen.
    if forward
        && start < ids.len()
        && app.article.as_ref().is_none_or(|a| a.item.id != ids[start])
        && let Ok(rows) = lib.summaries(&[ids[start]])
        && rows.first().is_some_and(|r| !r.read)
    {
        reading::open_article(app, ids[start], lib, effects);
        return;
    }
    let order: Vec<usize> = if forward { (start + 1..ids.len()).collect() } else { (0..start).rev().collect() };
    let found = first_unread_of(&ids, &order, lib);
    if let Some(index) = found {
        app.headlines.state.selected = index;
        reading::open_article(app, ids[index], lib, effects);
        return;
    }
    // Another feed with unread items, in the order of the feeds pane.
    let n = app.entries.len();
    let here = app.feeds_state.selected;
    let order: Vec<usize> = if forward { (1..n).map(|k| (here + k) % n).collect() } else { (0..here).rev().collect() };
    for index in order {
        let entry = &app.entries[index];
        if matches!(entry.kind, EntryKind::Feed(_)) && entry.unread > 0 {
            if !forward {
                // The previous feed's last unread item.
                app.feeds_state.selected = index;
                let result = lists::load_headlines(app, lib);
                super::report(app, result);
                let ids = app.headlines.ids.clone();
                let order: Vec<usize> = (0..ids.len()).rev().collect();
                if let Some(pos) = first_unread_of(&ids, &order, lib) {
                    app.headlines.state.selected = pos;
                    reading::open_article(app, ids[pos], lib, effects);
                    return;
                }
                continue;
            }
            let filter = entry.filter(app);
            if let Ok(Some(id)) = lib.first_unread(&filter) {
                app.feeds_state.selected = index;
                let result = lists::load_headlines(app, lib);
                super::report(app, result);
                if let Some(pos) = app.headlines.ids.iter().position(|i| *i == id) {
                    app.headlines.state.selected = pos;
                }
                reading::open_article(app, id, lib, effects);
                return;
            }
        }
    }
    app.status.message = Some("No more unread items".into());
}

/// The first of the positions `order` in `ids` whose item is unread, reading the flags in
/// batches: a long list is not loaded whole to find the next unread item.
fn first_unread_of(ids: &[ItemId], order: &[usize], lib: &dyn Library) -> Option<usize> {
    for chunk in order.chunks(128) {
        let wanted: Vec<ItemId> = chunk.iter().map(|&i| ids[i]).collect();
        let rows = lib.summaries(&wanted).unwrap_or_default();
        let found = chunk.iter().copied().find(|&i| rows.iter().any(|r| r.id == ids[i] && !r.read));
        if found.is_some() {
            return found;
        }
    }
    None
}
