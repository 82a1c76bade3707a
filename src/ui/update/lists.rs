//! The lists: the feeds pane (built from the config and the counts), the headline list of the
//! selected entry, search results, story lines, and the rows on screen.

use std::collections::HashSet;

use super::{Effect, reading};
use crate::model::{FeedId, ItemFilter, ItemId, Search};
use crate::ui::app::{App, EntryKind, FeedEntry, FeedInfo, Pane};
use crate::ui::layout::inner_height;
use crate::ui::library::{Library, LibraryError};

/// Rebuilds the feeds pane from the config and fresh counts, keeping the selection.
pub fn reload_entries(app: &mut App, lib: &dyn Library) -> Result<(), LibraryError> {
    let counts = lib.feed_counts()?;
    let rows = lib.feed_rows()?;
    // A feed the config does not name is called by the title its last poll stored.
    for info in app.feeds_info.iter_mut().filter(|f| !f.configured_name) {
        if let Some(title) = rows.iter().find(|r| r.id == info.id).and_then(|r| r.title.as_deref())
            && !title.trim().is_empty()
            && info.name != title
        {
            info.name = title.to_string();
        }
    }
    let selected_kind = app.selected_entry().map(|e| e.kind.clone());
    let unread_of = |id: FeedId| counts.get(&id).map_or(0, |c| c.0);
    let error_of = |id: FeedId| {
        rows.iter().find(|r| r.id == id).and_then(|r| r.disabled_reason.clone().or_else(|| r.error.clone()))
    };
    let total_unread: i64 = app.feeds_info.iter().map(|f| unread_of(f.id)).sum();
    let mut entries = vec![
        FeedEntry { kind: EntryKind::All, label: "All".into(), depth: 0, unread: total_unread, error: None },
        FeedEntry { kind: EntryKind::Unread, label: "Unread".into(), depth: 0, unread: total_unread, error: None },
        FeedEntry { kind: EntryKind::Starred, label: "Starred".into(), depth: 0, unread: 0, error: None },
    ];
    entries.extend(app.query_feeds.iter().enumerate().map(|(i, q)| FeedEntry {
        kind: EntryKind::Query(i),
        label: q.name.clone(),
        depth: 0,
        unread: 0,
        error: None,
    }));
    let mut tags: Vec<&str> = Vec::new();
    for feed in &app.feeds_info {
        for tag in &feed.tags {
            if !tags.contains(&tag.as_str()) {
                tags.push(tag);
            }
        }
    }
    let feed_entry = |f: &FeedInfo, depth| FeedEntry {
        kind: EntryKind::Feed(f.id),
        label: f.name.clone(),
        depth,
        unread: unread_of(f.id),
        error: error_of(f.id),
    };
    for tag in tags {
        let members: Vec<_> = app.feeds_info.iter().filter(|f| f.tags.iter().any(|t| t == tag)).collect();
        entries.push(FeedEntry {
            kind: EntryKind::Tag(tag.to_string()),
            label: tag.to_string(),
            depth: 0,
            unread: members.iter().map(|f| unread_of(f.id)).sum(),
            error: None,
        });
        entries.extend(members.into_iter().map(|f| feed_entry(f, 1)));
    }
    entries.extend(app.feeds_info.iter().filter(|f| f.tags.is_empty()).map(|f| feed_entry(f, 0)));
    app.entries = entries;
    recount_queries(app, lib)?;
    if let Some(kind) = selected_kind
        && let Some(i) = app.entries.iter().position(|e| e.kind == kind)
    {
        app.feeds_state.selected = i;
    }
    Ok(())
}

/// Counts the unread items of the query feeds afresh (what one marking changes in them is not
/// known without asking the cache, so they are recounted once the cache has it).
pub(super) fn recount_queries(app: &mut App, lib: &dyn Library) -> Result<(), LibraryError> {
    for i in 0..app.entries.len() {
        if matches!(app.entries[i].kind, EntryKind::Query(_)) {
            let filter = app.entries[i].filter(app);
            app.entries[i].unread = lib.count_items(&filter, true)? as i64;
        }
    }
    Ok(())
}

/// Loads the list for the selected feeds-pane entry from the top.
pub(super) fn load_headlines(app: &mut App, lib: &dyn Library) -> Result<(), LibraryError> {
    let Some(entry) = app.selected_entry().cloned() else { return Ok(()) };
    let filter = entry.filter(app);
    app.headlines.title = entry.label.clone();
    app.headlines.mixed = !matches!(entry.kind, EntryKind::Feed(_));
    app.headlines.expanded.clear();
    let list =
        lib.headline_list(&filter, app.unread_only && entry.kind != EntryKind::Starred, &app.headlines.expanded)?;
    app.headlines.ids = list.ids;
    app.headlines.stories = list.stories;
    app.headlines.filter = Some(filter);
    app.headlines.rows.clear();
    app.headlines.state = Default::default();
    Ok(())
}

/// Reloads the current list, keeping the selected item selected at the same screen row.
pub(super) fn refresh_headlines(app: &mut App, lib: &dyn Library) -> Result<(), LibraryError> {
    let Some(filter) = app.headlines.filter.clone() else { return Ok(()) };
    let starred = filter == ItemFilter::Starred;
    let old_id = app.headlines.selected_id();
    let row_on_screen = app.headlines.state.selected.saturating_sub(app.headlines.state.offset);
    let old_index = app.headlines.state.selected;
    let list = lib.headline_list(&filter, app.unread_only && !starred, &app.headlines.expanded)?;
    let mut ids = list.ids;
    app.headlines.stories = list.stories;
    // The item being read stays in an unread-only list until the user moves on.
    if let Some(id) = old_id
        && app.unread_only
        && !ids.contains(&id)
        && app.article.as_ref().is_some_and(|a| a.item.id == id)
    {
        let at = old_index.min(ids.len());
        ids.insert(at, id);
    }
    // At the top of the list, new items arrive above the selection: they stay in sight. The
    // selection stays on the top row (the newest item), as in newsboat, unless its article is
    // open: then the item being read stays selected, with the new items shown above it.
    let at_top = old_index == 0 && app.headlines.state.offset == 0;
    let reading = old_id.is_some_and(|id| app.article.as_ref().is_some_and(|a| a.item.id == id));
    let new_index = if at_top && !reading {
        0
    } else {
        old_id.and_then(|id| ids.iter().position(|i| *i == id)).unwrap_or(old_index)
    };
    app.headlines.ids = ids;
    app.headlines.rows.clear();
    app.headlines.state.selected = new_index;
    app.headlines.state.offset = if at_top {
        let height = inner_height(app.areas.headlines).max(1);
        new_index.saturating_sub(height - 1)
    } else {
        new_index.saturating_sub(row_on_screen)
    };
    Ok(())
}

/// Loads the headline rows on screen that are not loaded yet, and drops the others.
pub(super) fn sync_rows(app: &mut App, lib: &dyn Library) {
    // A screenful of rows, also when the list is not on screen (narrow layout), so actions on the
    // selected headline find its row.
    let height = usize::from(app.size.1);
    let start = app.headlines.state.offset;
    let end = (start + height).min(app.headlines.ids.len());
    let visible = &app.headlines.ids[start.min(end)..end];
    let missing: Vec<ItemId> = visible.iter().filter(|id| !app.headlines.rows.contains_key(id)).copied().collect();
    if !missing.is_empty() {
        match lib.summaries(&missing) {
            Ok(rows) => app.headlines.rows.extend(rows.into_iter().map(|r| (r.id, r))),
            Err(e) => app.status.last_error = Some(e.to_string()),
        }
    }
    if app.headlines.rows.len() > 4 * height.max(64) {
        let keep: HashSet<ItemId> = visible.iter().copied().collect();
        app.headlines.rows.retain(|id, _| keep.contains(id));
    }
}

/// Asks for a search: the loop brings the search index up to date first. A query that does not
/// parse is refused at once, with the column where it goes wrong.
pub(super) fn ask_search(app: &mut App, query: &str, effects: &mut Vec<Effect>) {
    if query.trim().is_empty() {
        return;
    }
    if let Err(e) = crate::query::parse(query) {
        app.status.message = Some(format!("Search \"{query}\": {e}"));
        return;
    }
    app.status.message = Some(format!("Searching for \"{query}\"…"));
    effects.push(Effect::Search(query.to_string()));
}

/// Lists the items that match `query` (the index has caught up).
pub(super) fn run_search(app: &mut App, query: &str, lib: &dyn Library) {
    let filter = match Search::new(query, &app.feed_labels()) {
        Ok(search) => ItemFilter::Search(search),
        Err(e) => {
            app.status.message = Some(format!("Search \"{query}\": {e}"));
            return;
        }
    };
    match lib.item_ids(&filter, false) {
        Ok(ids) => {
            app.status.message = Some(match ids.len() {
                0 => format!("No results for \"{query}\""),
                n => format!("{n} results for \"{query}\""),
            });
            app.headlines.title = format!("Search: {query}");
            app.headlines.ids = ids;
            app.headlines.stories.clear();
            app.headlines.filter = Some(filter);
            app.headlines.mixed = true;
            app.headlines.rows.clear();
            app.headlines.state = Default::default();
            app.focus = Pane::Headlines;
        }
        Err(e) => app.status.last_error = Some(e.to_string()),
    }
}

/// Regroups the list on screen and names the open article's other sources.
pub(super) fn stories_changed(app: &mut App, lib: &dyn Library, effects: &mut Vec<Effect>) {
    lib.read_afresh(None);
    let result = refresh_headlines(app, lib);
    super::report(app, result);
    reading::story_changed(app, lib, effects);
}

/// Lists the other items of the selected story under its line, or folds them back.
pub(super) fn toggle_story(app: &mut App, lib: &dyn Library) {
    let Some(line) = app.headlines.selected_id().and_then(|id| app.headlines.stories.get(&id).copied()) else {
        app.status.message = Some("No other feed in this list covers this story".into());
        return;
    };
    if !app.headlines.expanded.remove(&line.story) {
        app.headlines.expanded.insert(line.story);
    }
    // Folding from one of its items selects the story's line.
    if line.member
        && let Some(at) = app
            .headlines
            .ids
            .iter()
            .position(|id| app.headlines.stories.get(id).is_some_and(|l| l.story == line.story && !l.member))
    {
        app.headlines.state.selected = at;
    }
    let result = refresh_headlines(app, lib);
    super::report(app, result);
}
