//! Read and star flags: each change is shown at once (rows, the article, the feeds pane's
//! counts) and handed to the loop as an [`Effect::Save`]; the writer's answer comes back as
//! [`super::Msg::Saved`], and a failed save is said and the panes read afresh.

use std::collections::HashMap;

use super::counts::{adjust_unread, show_read};
use super::{Effect, current_item, lists};
use crate::model::{FeedId, FlagChange, ItemFilter, ItemId};
use crate::ui::app::{App, EntryKind, Undo};
use crate::ui::library::Library;

pub(super) fn toggle_read(app: &mut App, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let Some(id) = current_item(app) else { return };
    let Ok(Some(item)) = lib.item(id) else { return };
    let read = !item.read;
    effects.push(Effect::Save(FlagChange::Read { ids: vec![id], read }));
    show_read(app, id, item.feed_id, read);
    let what = if read { "marked read" } else { "marked unread" };
    app.status.message = Some(format!("{} (U undoes)", capitalised(what)));
    app.undo = Some(Undo {
        what: what.into(),
        change: FlagChange::Read { ids: vec![id], read: !read },
        unread: vec![(item.feed_id, if read { 1 } else { -1 })],
    });
}

pub(super) fn toggle_star(app: &mut App, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let Some(id) = current_item(app) else { return };
    let Ok(Some(item)) = lib.item(id) else { return };
    let starred = !item.starred;
    effects.push(Effect::Save(FlagChange::Starred { id, starred }));
    if let Some(row) = app.headlines.rows.get_mut(&id) {
        row.starred = starred;
    }
    if let Some(article) = app.article.as_mut().filter(|a| a.item.id == id) {
        article.item.starred = starred;
    }
    let what = if starred { "starred" } else { "unstarred" };
    app.status.message = Some(format!("{} (U undoes)", capitalised(what)));
    app.undo =
        Some(Undo { what: what.into(), change: FlagChange::Starred { id, starred: !starred }, unread: Vec::new() });
}

/// Undoes the last marking: the flags as they were, saved like any change.
pub(super) fn undo(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(undo) = app.undo.take() else {
        app.status.message = Some("Nothing to undo".into());
        return;
    };
    for (feed, delta) in &undo.unread {
        adjust_unread(app, *feed, *delta);
    }
    match &undo.change {
        FlagChange::Read { ids, read } => {
            for id in ids {
                if let Some(row) = app.headlines.rows.get_mut(id) {
                    row.read = *read;
                }
            }
            if let Some(article) = app.article.as_mut().filter(|a| ids.contains(&a.item.id)) {
                article.item.read = *read;
            }
        }
        FlagChange::Starred { id, starred } => {
            if let Some(row) = app.headlines.rows.get_mut(id) {
                row.starred = *starred;
            }
            if let Some(article) = app.article.as_mut().filter(|a| a.item.id == *id) {
                article.item.starred = *starred;
            }
        }
    }
    app.status.message = Some(format!("Undone: {}", undo.what));
    effects.push(Effect::Save(undo.change));
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// Marks read every unread item the current list holds.
pub(super) fn mark_all_read(app: &mut App, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let Some(filter) = app.headlines.filter.clone() else { return };
    let ids = match lib.item_ids(&filter, true) {
        Ok(ids) => ids,
        Err(e) => {
            app.status.last_error = Some(e.to_string());
            return;
        }
    };
    let per_feed = match unread_per_feed(app, &filter, &ids, lib) {
        Ok(per_feed) => per_feed,
        Err(e) => {
            app.status.last_error = Some(e);
            return;
        }
    };
    for (feed, n) in &per_feed {
        adjust_unread(app, *feed, -n);
    }
    for row in app.headlines.rows.values_mut() {
        row.read = true;
    }
    if let Some(article) = app.article.as_mut().filter(|a| ids.contains(&a.item.id)) {
        article.item.read = true;
    }
    if ids.is_empty() {
        app.status.message = Some("Nothing unread here".into());
    } else {
        app.status.message = Some(format!("Marked {} items read (U undoes)", ids.len()));
        // Undone, only the items that were unread come back unread.
        app.undo = Some(Undo {
            what: format!("marked {} items read", ids.len()),
            change: FlagChange::Read { ids: ids.clone(), read: false },
            unread: per_feed.into_iter().collect(),
        });
        effects.push(Effect::Save(FlagChange::Read { ids, read: true }));
    }
}

/// How many of `ids` (unread items of `filter`) each feed has.
fn unread_per_feed(
    app: &App,
    filter: &ItemFilter,
    ids: &[ItemId],
    lib: &dyn Library,
) -> Result<HashMap<FeedId, i64>, String> {
    // A list of whole feeds: every unread item of each, as the feeds pane counts them.
    let whole_feeds: Option<Vec<FeedId>> = match filter {
        ItemFilter::All | ItemFilter::Unread => Some(app.feeds_info.iter().map(|f| f.id).collect()),
        ItemFilter::Feeds(feeds) => Some(feeds.clone()),
        ItemFilter::Starred | ItemFilter::Search(_) => None,
    };
    if let Some(feeds) = whole_feeds {
        let unread_of =
            |feed: FeedId| app.entries.iter().find(|e| e.kind == EntryKind::Feed(feed)).map_or(0, |e| e.unread);
        return Ok(feeds.into_iter().map(|f| (f, unread_of(f))).collect());
    }
    let mut per_feed = HashMap::new();
    for row in lib.summaries(ids).map_err(|e| e.to_string())? {
        *per_feed.entry(row.feed_id).or_default() += 1;
    }
    Ok(per_feed)
}

/// The writer's answer: a failure is said, and the panes show what the cache holds.
pub(super) fn saved(app: &mut App, error: Option<String>, lib: &dyn Library) {
    let Some(error) = error else {
        // The cache has the change now: the query feeds' counts can take it.
        let result = lists::recount_queries(app, lib);
        super::report(app, result);
        return;
    };
    app.status.last_error = Some(format!("could not save the read or star flag: {error}"));
    let result = lists::reload_entries(app, lib);
    super::report(app, result);
    let result = lists::refresh_headlines(app, lib);
    super::report(app, result);
}
