//! Moving around: the selection in each pane, the article's scroll, pages, the focus, and the
//! mouse (the wheel scrolls; a left click focuses a pane, selects a row, opens the selected row
//! or the link on an article line).

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
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
            let filter = app.selected_entry().map(|e| e.filter(app));
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
            // Nothing to go back to: say how to quit, with the key the keymap binds.
            let quit = app.keymap.keys_for(crate::keys::Action::Quit).first().map(ToString::to_string);
            app.status.message = Some(match quit {
                Some(key) => format!("This is the first pane: press {key} to quit"),
                None => "This is the first pane (no key quits: bind one to quit in [keys])".into(),
            });
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

pub(super) fn on_mouse(app: &mut App, mouse: MouseEvent, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let delta = match mouse.kind {
        MouseEventKind::ScrollDown => 3,
        MouseEventKind::ScrollUp => -3,
        MouseEventKind::Down(MouseButton::Left) => return on_click(app, mouse.column, mouse.row, lib, effects),
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

/// Where a click fell inside a bordered pane: the row and column counted from the pane's first
/// inner cell, or `None` on the border or outside.
fn inside(area: Option<Rect>, column: u16, row: u16) -> Option<(usize, usize)> {
    let a = area?;
    let inner = Rect::new(a.x + 1, a.y + 1, a.width.saturating_sub(2), a.height.saturating_sub(2));
    inner.contains(Position::new(column, row)).then(|| (usize::from(row - inner.y), usize::from(column - inner.x)))
}

/// A left click: a row of a list is selected (and its pane focused); a click on the row that was
/// already selected in the focused pane opens it, as Enter does. A click on a link's text opens
/// it; elsewhere on an article line that holds a link's `[n]`, link n, as `f n Enter` does. Borders and the space below the last
/// row do nothing.
fn on_click(app: &mut App, column: u16, row: u16, lib: &dyn Library, effects: &mut Vec<Effect>) {
    if app.mode != crate::ui::app::Mode::Normal {
        return;
    }
    let areas = app.areas;
    if let Some((y, x)) = inside(areas.article, column, row) {
        app.status.message = None;
        app.focus = Pane::Article;
        // The text has one column of padding each side inside the border.
        let at = app.article.as_ref().zip(x.checked_sub(1)).map(|(a, x)| (a, a.scroll + y, x));
        // A click on a link's text (or on the article's URL) opens it; elsewhere on a line, the
        // link whose number follows.
        let target = at.and_then(|(a, line, x)| a.rendered.target_at(line, x).map(str::to_string));
        let number = at.and_then(|(a, line, x)| link_on_line(a.rendered.lines.get(line)?, x));
        if let Some(url) = target {
            reading::open_url(app, url, effects);
        } else if let Some(n) = number {
            reading::open_link(app, n, effects);
        }
    } else if let Some((y, _)) = inside(areas.headlines, column, row) {
        let index = app.headlines.state.offset + y;
        if index < app.headlines.ids.len() {
            click_row(app, Pane::Headlines, index, lib, effects);
        }
    } else if let Some((y, _)) = inside(areas.feeds, column, row) {
        // The selected feed's error takes the last rows of the pane (see `view::feeds`).
        let height = inner_height(areas.feeds);
        let error_rows = if app.selected_entry().is_some_and(|e| e.error.is_some()) && height >= 6 { 3 } else { 0 };
        let index = app.feeds_state.offset + y;
        if y < height - error_rows && index < app.entries.len() {
            click_row(app, Pane::Feeds, index, lib, effects);
        }
    } else if let Some((y, _)) = inside(areas.related, column, row) {
        let index = app.article.as_ref().map(|a| a.related_state.offset + y);
        let len = app.article.as_ref().and_then(|a| a.related.as_ref()).map_or(0, Vec::len);
        if let Some(index) = index.filter(|&i| i < len) {
            click_row(app, Pane::Related, index, lib, effects);
        }
    }
}

fn click_row(app: &mut App, pane: Pane, index: usize, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let selected = match pane {
        Pane::Feeds => &mut app.feeds_state.selected,
        Pane::Headlines => &mut app.headlines.state.selected,
        Pane::Related => match &mut app.article {
            Some(article) => &mut article.related_state.selected,
            None => return,
        },
        Pane::Article => return,
    };
    app.status.message = None;
    let again = app.focus == pane && *selected == index;
    let moved = *selected != index;
    *selected = index;
    app.focus = pane;
    if again {
        open(app, lib, effects);
    } else if moved && pane == Pane::Feeds {
        let result = lists::load_headlines(app, lib);
        super::report(app, result);
    }
}

/// The link a click at `column` (of the text) on `line` means: the first `[n]` marker at or after
/// the column (a link's text comes before its number), else the line's last one.
fn link_on_line(line: &ratatui::text::Line<'_>, column: usize) -> Option<usize> {
    let mut at = 0;
    let mut last = None;
    for span in &line.spans {
        let width = span.width();
        let number = span
            .content
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<usize>().ok());
        if let Some(n) = number {
            if at + width > column {
                return Some(n);
            }
            last = Some(n);
        }
        at += width;
    }
    last
}
