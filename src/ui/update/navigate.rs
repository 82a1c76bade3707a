//! Moving around: the selection in each pane, the article's scroll, pages, the focus, and the
//! mouse wheel.

use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::{Effect, lists, reading};
use crate::model::FeedId;
use crate::ui::app::{App, EntryKind, Pane};
use crate::ui::layout::inner_height;
use crate::ui::library::Library;

pub(super) fn move_by(app: &mut App, delta: isize, lib: &dyn Library) {
    match app.focus {
        Pane::Feeds => {
            let len = app.entries.len();
            let next = step(app.feeds_state.selected, delta, len);
            if next != app.feeds_state.selected {
                app.feeds_state.selected = next;
                let result = lists::load_headlines(app, lib);
                super::report(app, result);
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

pub(super) fn scroll_article(app: &mut App, delta: isize) {
    let page = inner_height(app.areas.article).max(1);
    if let Some(article) = &mut app.article {
        let max = article.rendered.lines.len().saturating_sub(page);
        article.scroll = article.scroll.saturating_add_signed(delta).min(max);
    }
}

pub(super) fn move_to(app: &mut App, bottom: bool, lib: &dyn Library) {
    let far = |len: usize| if bottom { len.saturating_sub(1) } else { 0 };
    match app.focus {
        Pane::Feeds => {
            app.feeds_state.selected = far(app.entries.len());
            let result = lists::load_headlines(app, lib);
            super::report(app, result);
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

/// A page in the pane with the focus: the article (or its related list's article) scrolls, a list
/// moves its selection.
pub(super) fn page(app: &mut App, direction: isize, lib: &dyn Library) {
    if app.article.is_some() && matches!(app.focus, Pane::Article | Pane::Related) {
        let page = inner_height(app.areas.article).saturating_sub(2).max(1) as isize;
        scroll_article(app, direction * page);
    } else {
        let page = inner_height(app.areas.headlines.or(app.areas.feeds)).saturating_sub(1).max(1) as isize;
        move_by(app, direction * page, lib);
    }
}

pub(super) fn open(app: &mut App, lib: &dyn Library, effects: &mut Vec<Effect>) {
    match app.focus {
        Pane::Feeds => {
            // The list may show something else (search results): choosing the entry lists it.
            let filter = app.selected_entry().map(|e| e.filter(&app.feeds_info));
            if filter.is_some() && filter != app.headlines.filter {
                let result = lists::load_headlines(app, lib);
                super::report(app, result);
            }
            app.focus = Pane::Headlines;
        }
        Pane::Headlines => {
            if let Some(id) = app.headlines.selected_id() {
                reading::open_article(app, id, lib, effects);
            }
        }
        Pane::Related => {
            let id = app
                .article
                .as_ref()
                .and_then(|a| a.related.as_ref().and_then(|r| r.get(a.related_state.selected)).map(|r| r.id));
            if let Some(id) = id {
                reading::open_article(app, id, lib, effects);
            }
        }
        Pane::Article => {}
    }
}

/// Opens the article after (or before) the one on screen in the list, read or not: reading on
/// from inside an article, as newsboat's J and K do.
pub(super) fn step_article(app: &mut App, delta: isize, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let ids = &app.headlines.ids;
    let here = app
        .article
        .as_ref()
        .and_then(|a| ids.iter().position(|id| *id == a.item.id))
        .unwrap_or(app.headlines.state.selected);
    let Some(next) = here.checked_add_signed(delta).filter(|&n| n < ids.len()) else {
        app.status.message =
            Some(if delta > 0 { "This is the last article" } else { "This is the first article" }.into());
        return;
    };
    let id = ids[next];
    app.headlines.state.selected = next;
    reading::open_article(app, id, lib, effects);
}

pub(super) fn back(app: &mut App) {
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

pub(super) fn cycle_focus(app: &mut App, forward: bool) {
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

/// The feeds a reload key asks for: the selected feed or tag, or the open article's feed.
pub(super) fn reload_target(app: &App) -> Option<Vec<FeedId>> {
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

pub(super) fn on_mouse(app: &mut App, mouse: MouseEvent, lib: &dyn Library) {
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
