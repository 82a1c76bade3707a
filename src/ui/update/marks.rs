//! Read and star flags: each change is shown at once (rows, the article, the feeds pane's
//! counts) and handed to the loop as an [`Effect::Save`]; the writer's answer comes back as
//! [`super::Msg::Saved`], and a failed save is said and the panes read afresh.

use std::collections::HashMap;

use super::counts::{adjust_unread, show_read};
use super::{Effect, current_item, lists};
use crate::model::{FeedId, FlagChange, ItemFilter, ItemId};
use crate::ui::app::{App, EntryKind};
use crate::ui::library::Library;

pub(super) fn toggle_read(app: &mut App, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let Some(id) = current_item(app) else { return };
    let Ok(Some(item)) = lib.item(id) else { return };
    let read = !item.read;
    effects.push(Effect::Save(FlagChange::Read { ids: vec![id], read }));
    show_read(app, id, item.feed_id, read);
    app.status.message = Some(if read { "Marked read" } else { "Marked unread" }.into());
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
    app.status.message = Some(if starred { "Starred" } else { "Unstarred" }.into());
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
    for (feed, n) in per_feed {
        adjust_unread(app, feed, -n);
    }
    for row in app.headlines.rows.values_mut() {
        row.read = true;
    }
    if let Some(article) = app.article.as_mut().filter(|a| ids.contains(&a.item.id)) {
        article.item.read = true;
    }
    app.status.message = Some(format!("Marked {} items read", ids.len()));
    if !ids.is_empty() {
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
    let Some(error) = error else { return };
    app.status.last_error = Some(format!("could not save the read state: {error}"));
    let result = lists::reload_entries(app, lib);
    super::report(app, result);
    let result = lists::refresh_headlines(app, lib);
    super::report(app, result);
}
