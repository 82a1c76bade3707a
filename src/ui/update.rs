//! `update`: a message in, the state changed, effects out (the loop carries them out: opening the
//! browser, asking the poller for a reload). Reads and flag writes go through [`Library`].

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::app::{App, Article, EntryKind, FeedEntry, Mode, Pane};
use super::document::render_article;
use super::layout::{inner_height, layout, text_width};
use super::library::Library;
use crate::feed::poller::PollerEvent;
use crate::keys::Action;
use crate::keys::Key;
use crate::model::{FeedId, ItemId};
use crate::store::{ItemFilter, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Poller(PollerEvent),
    /// Something the loop wants the user to know (a browser that failed to start).
    Notice(String),
    /// The related-stories engine saved new story groups.
    StoriesChanged,
    /// Time to show what the poller changed (the loop sends it a few times a second at most).
    Refresh,
    Tick,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    OpenUrl(String),
    Reload(Vec<FeedId>),
    ReloadAll,
}

const RELATED_COUNT: usize = 10;

/// Fills the panes from the cache: called once before the first frame.
pub fn start(app: &mut App, lib: &mut dyn Library) {
    app.now = lib.now();
    app.focus = if app.wide() { Pane::Headlines } else { Pane::Feeds };
    let result = reload_entries(app, lib);
    report(app, result);
    app.feeds_state.selected = 0;
    let result = load_headlines(app, lib);
    report(app, result);
    relayout(app);
    sync_rows(app, lib);
}

pub fn update(app: &mut App, msg: Msg, lib: &mut dyn Library) -> Vec<Effect> {
    let mut effects = Vec::new();
    app.now = lib.now();
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Press => on_key(app, key, lib, &mut effects),
        Msg::Key(_) => {}
        // The related index may have become ready (the indexer sends a Tick when it is).
        Msg::Tick => fill_pending_related(app, lib),
        Msg::Mouse(mouse) => on_mouse(app, mouse, lib),
        Msg::Resize(w, h) => app.size = (w, h),
        Msg::Poller(event) => super::poll_events::on_poller(app, event, lib),
        Msg::Refresh => super::poll_events::refresh(app, lib),
        Msg::Notice(text) => app.status.message = Some(text),
        Msg::StoriesChanged => stories_changed(app, lib),
    }
    relayout(app);
    rerender_if_resized(app);
    sync_rows(app, lib);
    effects
}

pub(super) fn report(app: &mut App, result: Result<(), StoreError>) {
    if let Err(e) = result {
        app.status.last_error = Some(e.to_string());
    }
}

fn relayout(app: &mut App) {
    if !app.wide() && matches!(app.focus, Pane::Article | Pane::Related) && app.article.is_none() {
        app.focus = Pane::Headlines;
    }
    app.areas = layout(app.size.0, app.size.1, app.focus, app.article.is_some());
    let feeds_h = inner_height(app.areas.feeds);
    let len = app.entries.len();
    app.feeds_state.clamp(len, feeds_h.max(1));
    let list_h = inner_height(app.areas.headlines);
    let len = app.headlines.ids.len();
    app.headlines.state.clamp(len, list_h.max(1));
    let related_h = inner_height(app.areas.related);
    if let Some(article) = &mut app.article {
        let n = article.related.as_ref().map_or(0, Vec::len);
        article.related_state.clamp(n, related_h.max(1));
        let page = inner_height(app.areas.article);
        article.scroll = article.scroll.min(article.rendered.lines.len().saturating_sub(page.max(1)));
    }
}

fn rerender_if_resized(app: &mut App) {
    let width = text_width(app.areas.article);
    let Some(article) = &mut app.article else { return };
    if width > 0 && width != article.width {
        article.width = width;
        article.rendered = render_article(article, &app.theme);
    }
}

/// Loads the headline rows on screen that are not loaded yet, and drops the others.
fn sync_rows(app: &mut App, lib: &mut dyn Library) {
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
        let keep: std::collections::HashSet<ItemId> = visible.iter().copied().collect();
        app.headlines.rows.retain(|id, _| keep.contains(id));
    }
}

/// Rebuilds the feeds pane from the config and fresh counts, keeping the selection.
pub fn reload_entries(app: &mut App, lib: &mut dyn Library) -> Result<(), StoreError> {
    let counts = lib.feed_counts()?;
    let rows = lib.feed_rows()?;
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
    let mut tags: Vec<&str> = Vec::new();
    for feed in &app.feeds_info {
        for tag in &feed.tags {
            if !tags.contains(&tag.as_str()) {
                tags.push(tag);
            }
        }
    }
    let feed_entry = |f: &super::app::FeedInfo, depth| FeedEntry {
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
    if let Some(kind) = selected_kind
        && let Some(i) = app.entries.iter().position(|e| e.kind == kind)
    {
        app.feeds_state.selected = i;
    }
    Ok(())
}

/// Loads the list for the selected feeds-pane entry from the top.
fn load_headlines(app: &mut App, lib: &mut dyn Library) -> Result<(), StoreError> {
    let Some(entry) = app.selected_entry().cloned() else { return Ok(()) };
    let filter = entry.filter(&app.feeds_info);
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
pub(super) fn refresh_headlines(app: &mut App, lib: &mut dyn Library) -> Result<(), StoreError> {
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
    let new_index = old_id.and_then(|id| ids.iter().position(|i| *i == id)).unwrap_or(old_index);
    app.headlines.ids = ids;
    app.headlines.rows.clear();
    app.headlines.state.selected = new_index;
    app.headlines.state.offset = new_index.saturating_sub(row_on_screen);
    Ok(())
}

fn on_key(app: &mut App, key: KeyEvent, lib: &mut dyn Library, effects: &mut Vec<Effect>) {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        app.should_quit = true;
        return;
    }
    match app.mode.clone() {
        Mode::Help { scroll } => {
            let action = app.keymap.action(&Key::from_event(&key));
            app.mode = match action {
                Some(Action::Down) => Mode::Help { scroll: scroll + 1 },
                Some(Action::Up) => Mode::Help { scroll: scroll.saturating_sub(1) },
                Some(Action::Quit) => {
                    app.should_quit = true;
                    Mode::Normal
                }
                _ => Mode::Normal,
            };
        }
        Mode::Search { mut input } => match key.code {
            KeyCode::Esc => app.mode = Mode::Normal,
            KeyCode::Enter => {
                app.mode = Mode::Normal;
                run_search(app, input.trim(), lib);
            }
            KeyCode::Backspace => {
                input.pop();
                app.mode = Mode::Search { input };
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                input.push(c);
                app.mode = Mode::Search { input };
            }
            _ => {}
        },
        Mode::FollowLink { mut digits } => match key.code {
            KeyCode::Char(c) if c.is_ascii_digit() && digits.len() < 4 => {
                digits.push(c);
                app.mode = Mode::FollowLink { digits };
            }
            KeyCode::Backspace => {
                digits.pop();
                app.mode = Mode::FollowLink { digits };
            }
            KeyCode::Enter => {
                app.mode = Mode::Normal;
                if let Ok(n) = digits.parse::<usize>() {
                    open_link(app, n, effects);
                }
            }
            _ => app.mode = Mode::Normal,
        },
        Mode::Normal => {
            if let Some(action) = app.keymap.action(&Key::from_event(&key)) {
                perform(app, action, lib, effects);
            }
        }
    }
}

fn perform(app: &mut App, action: Action, lib: &mut dyn Library, effects: &mut Vec<Effect>) {
    app.status.message = None;
    match action {
        Action::Down => move_by(app, 1, lib),
        Action::Up => move_by(app, -1, lib),
        Action::Open => open(app, lib),
        Action::Back => back(app),
        Action::Quit => app.should_quit = true,
        Action::NextPane => cycle_focus(app, true),
        Action::PrevPane => cycle_focus(app, false),
        Action::Top => move_to(app, false, lib),
        Action::Bottom => move_to(app, true, lib),
        Action::PageDown => page(app, 1, lib),
        Action::PageUp => page(app, -1, lib),
        Action::NextUnread => jump_unread(app, true, lib),
        Action::PrevUnread => jump_unread(app, false, lib),
        Action::ToggleRead => toggle_read(app, lib),
        Action::MarkAllRead => mark_all_read(app, lib),
        Action::ToggleStar => toggle_star(app, lib),
        Action::ToggleFeedText => toggle_feed_text(app),
        Action::ToggleStory => toggle_story(app, lib),
        Action::OpenInBrowser => match current_item_url(app) {
            Some(url) => effects.push(Effect::OpenUrl(url)),
            None => app.status.message = Some("This item has no link".into()),
        },
        Action::FollowLink => {
            if app.article.is_some() {
                app.mode = Mode::FollowLink { digits: String::new() };
            }
        }
        Action::Reload => match reload_target(app) {
            Some(ids) => {
                effects.push(Effect::Reload(ids));
                app.status.message = Some("Reloading…".into());
            }
            None => effects.push(Effect::ReloadAll),
        },
        Action::ReloadAll => {
            effects.push(Effect::ReloadAll);
            app.status.message = Some("Reloading all feeds…".into());
        }
        Action::Search => app.mode = Mode::Search { input: String::new() },
        Action::ToggleUnreadOnly => {
            app.unread_only = !app.unread_only;
            let result = refresh_headlines(app, lib);
            report(app, result);
            app.status.message =
                Some(if app.unread_only { "Showing unread items only" } else { "Showing all items" }.into());
        }
        Action::Help => app.mode = Mode::Help { scroll: 0 },
        other => {
            if let Some(n) = other.link_number() {
                open_link(app, n, effects);
            }
        }
    }
}

fn move_by(app: &mut App, delta: isize, lib: &mut dyn Library) {
    match app.focus {
        Pane::Feeds => {
            let len = app.entries.len();
            let next = step(app.feeds_state.selected, delta, len);
            if next != app.feeds_state.selected {
                app.feeds_state.selected = next;
                let result = load_headlines(app, lib);
                report(app, result);
            }
        }
        Pane::Headlines => {
            let len = app.headlines.ids.len();
            app.headlines.state.selected = step(app.headlines.state.selected, delta, len);
        }
        Pane::Article => scroll_article(app, delta),
        Pane::Related => {
            if let Some(article) = &mut app.article {
                let len = article.related.as_ref().map_or(0, Vec::len);
                article.related_state.selected = step(article.related_state.selected, delta, len);
            }
        }
    }
}

fn step(current: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    current.saturating_add_signed(delta).min(len - 1)
}

fn scroll_article(app: &mut App, delta: isize) {
    let page = inner_height(app.areas.article).max(1);
    if let Some(article) = &mut app.article {
        let max = article.rendered.lines.len().saturating_sub(page);
        article.scroll = article.scroll.saturating_add_signed(delta).min(max);
    }
}

fn move_to(app: &mut App, bottom: bool, lib: &mut dyn Library) {
    let far = |len: usize| if bottom { len.saturating_sub(1) } else { 0 };
    match app.focus {
        Pane::Feeds => {
            app.feeds_state.selected = far(app.entries.len());
            let result = load_headlines(app, lib);
            report(app, result);
        }
        Pane::Headlines => app.headlines.state.selected = far(app.headlines.ids.len()),
        Pane::Article => scroll_article(app, if bottom { isize::MAX / 2 } else { isize::MIN / 2 }),
        Pane::Related => {
            if let Some(article) = &mut app.article {
                article.related_state.selected = far(article.related.as_ref().map_or(0, Vec::len));
            }
        }
    }
}

fn page(app: &mut App, direction: isize, lib: &mut dyn Library) {
    if app.article.is_some() && (app.wide() || matches!(app.focus, Pane::Article | Pane::Related)) {
        let page = inner_height(app.areas.article).saturating_sub(2).max(1) as isize;
        scroll_article(app, direction * page);
    } else {
        let page = inner_height(app.areas.headlines.or(app.areas.feeds)).saturating_sub(1).max(1) as isize;
        move_by(app, direction * page, lib);
    }
}

fn open(app: &mut App, lib: &mut dyn Library) {
    match app.focus {
        Pane::Feeds => {
            app.focus = Pane::Headlines;
        }
        Pane::Headlines => {
            if let Some(id) = app.headlines.selected_id() {
                open_article(app, id, lib);
            }
        }
        Pane::Related => {
            let id = app
                .article
                .as_ref()
                .and_then(|a| a.related.as_ref().and_then(|r| r.get(a.related_state.selected)).map(|r| r.id));
            if let Some(id) = id {
                open_article(app, id, lib);
            }
        }
        Pane::Article => {}
    }
}

/// Shows an article, marks it read (saved at once) and finds its related stories.
pub fn open_article(app: &mut App, id: ItemId, lib: &mut dyn Library) {
    let item = match lib.item(id) {
        Ok(Some(item)) => item,
        Ok(None) => {
            app.status.message = Some("That item is no longer in the cache".into());
            return;
        }
        Err(e) => {
            app.status.last_error = Some(e.to_string());
            return;
        }
    };
    let was_unread = !item.read;
    if was_unread {
        match lib.set_read(&[id], true) {
            Ok(()) => {
                adjust_unread(app, item.feed_id, -1);
                if let Some(row) = app.headlines.rows.get_mut(&id) {
                    row.read = true;
                }
            }
            Err(e) => app.status.last_error = Some(format!("could not save the read state: {e}")),
        }
    }
    let source = app.feed_name(item.feed_id);
    app.focus = Pane::Article;
    let width = text_width(layout(app.size.0, app.size.1, Pane::Article, true).article).max(20);
    let mut item = item;
    item.read = true;
    let related = related_entries(app, id, lib);
    let also_covered_by = other_sources(app, &item, lib);
    let mut article = Article {
        item,
        source,
        rendered: Default::default(),
        width,
        scroll: 0,
        also_covered_by,
        feed_text: false,
        related,
        related_state: Default::default(),
    };
    article.rendered = render_article(&article, &app.theme);
    app.article = Some(article);
}

/// The names of the other feeds that cover the item's story.
fn other_sources(app: &App, item: &crate::store::ItemRow, lib: &mut dyn Library) -> Vec<String> {
    let Some(story) = item.story_id else { return Vec::new() };
    let mut names: Vec<String> = Vec::new();
    for (_, feed) in lib.story_members(story).unwrap_or_default() {
        let name = app.feed_name(feed);
        if feed != item.feed_id && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Regroups the list on screen and names the open article's other sources.
fn stories_changed(app: &mut App, lib: &mut dyn Library) {
    lib.items_changed(None);
    let result = refresh_headlines(app, lib);
    report(app, result);
    let Some(id) = app.article.as_ref().map(|a| a.item.id) else { return };
    let Ok(Some(item)) = lib.item(id) else { return };
    let also_covered_by = other_sources(app, &item, lib);
    if let Some(article) = app.article.as_mut() {
        article.item.story_id = item.story_id;
        article.also_covered_by = also_covered_by;
        article.rendered = render_article(article, &app.theme);
    }
}

/// Lists the other items of the selected story under its line, or folds them back.
fn toggle_story(app: &mut App, lib: &mut dyn Library) {
    let Some(line) = app.headlines.selected_id().and_then(|id| app.headlines.stories.get(&id).copied()) else {
        app.status.message = Some("Only this feed covers this story".into());
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
    report(app, result);
}

/// Switches the open article between the text extracted from its page and the feed's own.
fn toggle_feed_text(app: &mut App) {
    let Some(article) = &mut app.article else { return };
    if article.item.article_html.is_none() {
        app.status.message = Some(match &article.item.article_error {
            Some(error) => format!("No article from the page: {error}"),
            None => "This item has only the feed's text".into(),
        });
        return;
    }
    article.feed_text = !article.feed_text;
    article.rendered = render_article(article, &app.theme);
    article.scroll = 0;
}

/// Shows the article extracted from its page when it arrives for the item on screen, keeping the
/// reading position.
pub(super) fn article_arrived(app: &mut App, id: ItemId, lib: &mut dyn Library) {
    let Some(article) = app.article.as_mut().filter(|a| a.item.id == id) else { return };
    let Ok(Some(mut item)) = lib.item(id) else { return };
    item.read = article.item.read;
    article.item = item;
    article.rendered = render_article(article, &app.theme);
    article.scroll = article.scroll.min(article.rendered.lines.len().saturating_sub(1));
}

fn related_entries(app: &App, id: ItemId, lib: &mut dyn Library) -> Option<Vec<super::app::RelatedEntry>> {
    let ids = lib.related(id, RELATED_COUNT)?;
    let rows = lib.summaries(&ids).unwrap_or_default();
    Some(
        rows.into_iter()
            .map(|r| super::app::RelatedEntry {
                id: r.id,
                source: app.feed_name(r.feed_id),
                published_at: r.published_at,
                title: r.title,
            })
            .collect(),
    )
}

/// Keeps the unread counts of the feeds pane right without re-counting the whole cache.
fn adjust_unread(app: &mut App, feed: FeedId, delta: i64) {
    let tags: Vec<String> = app.feeds_info.iter().find(|f| f.id == feed).map(|f| f.tags.clone()).unwrap_or_default();
    for entry in &mut app.entries {
        let affected = match &entry.kind {
            EntryKind::All | EntryKind::Unread => true,
            EntryKind::Starred => false,
            EntryKind::Feed(id) => *id == feed,
            EntryKind::Tag(tag) => tags.contains(tag),
        };
        if affected {
            entry.unread = (entry.unread + delta).max(0);
        }
    }
}

fn back(app: &mut App) {
    app.focus = match app.focus {
        Pane::Related => Pane::Article,
        Pane::Article => Pane::Headlines,
        Pane::Headlines => Pane::Feeds,
        Pane::Feeds => {
            app.status.message = Some("Press Q to quit".into());
            Pane::Feeds
        }
    };
}

fn cycle_focus(app: &mut App, forward: bool) {
    let mut order = vec![Pane::Feeds, Pane::Headlines];
    if app.article.is_some() {
        order.push(Pane::Article);
        if app.wide() || app.areas.related.is_some() || app.focus == Pane::Related {
            order.push(Pane::Related);
        }
    }
    let at = order.iter().position(|p| *p == app.focus).unwrap_or(0);
    let next = if forward { (at + 1) % order.len() } else { (at + order.len() - 1) % order.len() };
    app.focus = order[next];
}

fn current_item(app: &App) -> Option<ItemId> {
    match app.focus {
        Pane::Article | Pane::Related => app.article.as_ref().map(|a| a.item.id),
        _ => app.headlines.selected_id(),
    }
}

fn current_item_url(app: &App) -> Option<String> {
    match app.focus {
        Pane::Article | Pane::Related => app.article.as_ref().and_then(|a| a.item.url.clone()),
        _ => app.headlines.selected_id().and_then(|id| app.headlines.rows.get(&id)).and_then(|r| r.url.clone()),
    }
}

fn toggle_read(app: &mut App, lib: &mut dyn Library) {
    let Some(id) = current_item(app) else { return };
    let Ok(Some(item)) = lib.item(id) else { return };
    let read = !item.read;
    match lib.set_read(&[id], read) {
        Ok(()) => {
            adjust_unread(app, item.feed_id, if read { -1 } else { 1 });
            if let Some(row) = app.headlines.rows.get_mut(&id) {
                row.read = read;
            }
            if let Some(article) = app.article.as_mut().filter(|a| a.item.id == id) {
                article.item.read = read;
            }
            app.status.message = Some(if read { "Marked read" } else { "Marked unread" }.into());
        }
        Err(e) => app.status.last_error = Some(e.to_string()),
    }
}

fn toggle_star(app: &mut App, lib: &mut dyn Library) {
    let Some(id) = current_item(app) else { return };
    let Ok(Some(item)) = lib.item(id) else { return };
    let starred = !item.starred;
    match lib.set_starred(id, starred) {
        Ok(()) => {
            if let Some(row) = app.headlines.rows.get_mut(&id) {
                row.starred = starred;
            }
            if let Some(article) = app.article.as_mut().filter(|a| a.item.id == id) {
                article.item.starred = starred;
            }
            app.status.message = Some(if starred { "Starred" } else { "Unstarred" }.into());
        }
        Err(e) => app.status.last_error = Some(e.to_string()),
    }
}

fn mark_all_read(app: &mut App, lib: &mut dyn Library) {
    let Some(filter) = app.headlines.filter.clone() else { return };
    match lib.mark_all_read(&filter) {
        Ok(n) => {
            for row in app.headlines.rows.values_mut() {
                row.read = true;
            }
            let result = reload_entries(app, lib);
            report(app, result);
            app.status.message = Some(format!("Marked {n} items read"));
        }
        Err(e) => app.status.last_error = Some(e.to_string()),
    }
}

/// Next (or previous) unread item: in the current list after the selection, else in the next
/// feed that has unread items.
fn jump_unread(app: &mut App, forward: bool, lib: &mut dyn Library) {
    let start = app.headlines.state.selected;
    let ids = app.headlines.ids.clone();
    // The selected item itself, when it is unread and not the one on screen.
    if forward
        && start < ids.len()
        && app.article.as_ref().is_none_or(|a| a.item.id != ids[start])
        && let Ok(rows) = lib.summaries(&[ids[start]])
        && rows.first().is_some_and(|r| !r.read)
    {
        open_article(app, ids[start], lib);
        return;
    }
    let order: Vec<usize> = if forward { (start + 1..ids.len()).collect() } else { (0..start).rev().collect() };
    let mut found = None;
    // Read flags in batches: a long list is not loaded whole to find the next unread item.
    for chunk in order.chunks(128) {
        let wanted: Vec<ItemId> = chunk.iter().map(|&i| ids[i]).collect();
        let rows = lib.summaries(&wanted).unwrap_or_default();
        found = chunk.iter().copied().find(|&i| rows.iter().any(|r| r.id == ids[i] && !r.read));
        if found.is_some() {
            break;
        }
    }
    if let Some(index) = found {
        app.headlines.state.selected = index;
        open_article(app, ids[index], lib);
        return;
    }
    // Another feed with unread items, in the order of the feeds pane.
    let n = app.entries.len();
    let here = app.feeds_state.selected;
    let order: Vec<usize> =
        if forward { (1..n).map(|k| (here + k) % n).collect() } else { (1..n).map(|k| (here + n - k) % n).collect() };
    for index in order {
        let entry = &app.entries[index];
        if matches!(entry.kind, EntryKind::Feed(_)) && entry.unread > 0 {
            let filter = entry.filter(&app.feeds_info);
            if let Ok(Some(id)) = lib.first_unread(&filter) {
                app.feeds_state.selected = index;
                let result = load_headlines(app, lib);
                report(app, result);
                if let Some(pos) = app.headlines.ids.iter().position(|i| *i == id) {
                    app.headlines.state.selected = pos;
                }
                open_article(app, id, lib);
                return;
            }
        }
    }
    app.status.message = Some("No more unread items".into());
}

fn open_link(app: &mut App, n: usize, effects: &mut Vec<Effect>) {
    let link = app.article.as_ref().and_then(|a| a.rendered.links.get(n.wrapping_sub(1)).cloned());
    match link {
        Some(url) => effects.push(Effect::OpenUrl(url)),
        None => app.status.message = Some(format!("No link {n} in this article")),
    }
}

fn reload_target(app: &App) -> Option<Vec<FeedId>> {
    let from_entry = app.selected_entry().and_then(|e| match &e.kind {
        EntryKind::Feed(id) => Some(vec![*id]),
        EntryKind::Tag(tag) => Some(app.feeds_info.iter().filter(|f| f.tags.contains(tag)).map(|f| f.id).collect()),
        _ => None,
    });
    let from_article = || app.article.as_ref().map(|a| vec![a.item.feed_id]);
    match app.focus {
        Pane::Article | Pane::Related => from_article().or(from_entry),
        _ => from_entry,
    }
}

fn run_search(app: &mut App, query: &str, lib: &mut dyn Library) {
    if query.is_empty() {
        return;
    }
    let filter = ItemFilter::Search(query.to_string());
    match lib.item_ids(&filter, false) {
        Ok(ids) => {
            app.status.message = Some(format!("{} results for \"{query}\"", ids.len()));
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

fn on_mouse(app: &mut App, mouse: MouseEvent, lib: &mut dyn Library) {
    let delta = match mouse.kind {
        MouseEventKind::ScrollDown => 3,
        MouseEventKind::ScrollUp => -3,
        _ => return,
    };
    let at = Position::new(mouse.column, mouse.row);
    let hit = |area: Option<Rect>| area.is_some_and(|a| a.contains(at));
    let areas = app.areas;
    if hit(areas.article) {
        scroll_article(app, delta);
    } else if hit(areas.headlines) {
        let len = app.headlines.ids.len();
        let height = inner_height(areas.headlines);
        let state = &mut app.headlines.state;
        state.offset = state.offset.saturating_add_signed(delta).min(len.saturating_sub(height));
        state.selected =
            state.selected.clamp(state.offset, (state.offset + height).saturating_sub(1).max(state.offset));
    } else if hit(areas.feeds) {
        let focus = app.focus;
        app.focus = Pane::Feeds;
        move_by(app, delta.signum(), lib);
        app.focus = focus;
    } else if hit(areas.related)
        && let Some(article) = &mut app.article
    {
        let len = article.related.as_ref().map_or(0, Vec::len);
        article.related_state.selected = step(article.related_state.selected, delta.signum(), len);
    }
}

/// Looks up the related stories of the open article when they waited for the index.
pub(super) fn fill_pending_related(app: &mut App, lib: &mut dyn Library) {
    let Some(id) = app.article.as_ref().filter(|a| a.related.is_none()).map(|a| a.item.id) else { return };
    let related = related_entries(app, id, lib);
    if let Some(article) = &mut app.article {
        article.related = related;
    }
}
