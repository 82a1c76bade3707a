//! Keys: the modes that read keys themselves (help, the search prompt, link numbers) and the
//! table from actions to what they do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Effect, enclosures, lists, marks, navigate, reading, unread};
use crate::keys::{Action, Key};
use crate::render::export::{ExportFormat, ExportedArticle, export, file_name};
use crate::ui::app::{App, EntryKind, Mode, Pane};
use crate::ui::library::Library;
use crate::ui::view::{feed_info_max_scroll, help_max_scroll};

pub(super) fn on_key(app: &mut App, key: KeyEvent, lib: &dyn Library, effects: &mut Vec<Effect>) {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        app.should_quit = true;
        return;
    }
    match app.mode.clone() {
        Mode::Help { scroll } => {
            let action = app.keymap.action(&Key::from_event(&key));
            // Down and up scroll, no further than the last row; quit quits; other keys close.
            let last = help_max_scroll(app);
            app.mode = match action {
                Some(Action::Down) => Mode::Help { scroll: (scroll + 1).min(last) },
                Some(Action::Up) => Mode::Help { scroll: scroll.min(last).saturating_sub(1) },
                Some(Action::Quit) => {
                    app.should_quit = true;
                    Mode::Normal
                }
                _ => Mode::Normal,
            };
        }
        Mode::FeedInfo { feed, scroll } => {
            let action = app.keymap.action(&Key::from_event(&key));
            // Down and up scroll, no further than the last line; quit quits; other keys close.
            let last = feed_info_max_scroll(app, &feed);
            app.mode = match action {
                Some(Action::Down) => Mode::FeedInfo { feed, scroll: (scroll + 1).min(last) },
                Some(Action::Up) => Mode::FeedInfo { feed, scroll: scroll.min(last).saturating_sub(1) },
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
                lists::ask_search(app, input.trim(), effects);
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
                    reading::open_link(app, n, effects);
                }
            }
            _ => app.mode = Mode::Normal,
        },
        Mode::PickEnclosure { item, play } => enclosures::pick_key(app, key, item, play, lib, effects),
        Mode::Downloads { selected } => enclosures::list_key(app, key, selected, effects),
        Mode::Normal => {
            if let Some(action) = app.keymap.action(&Key::from_event(&key)) {
                perform(app, action, lib, effects);
            }
        }
    }
}

fn perform(app: &mut App, action: Action, lib: &dyn Library, effects: &mut Vec<Effect>) {
    app.status.message = None;
    // The poll that a reload starts is not notified: the user is looking.
    app.status.reload_asked |= matches!(action, Action::Reload | Action::ReloadAll);
    match action {
        Action::Down => navigate::move_by(app, 1, lib),
        Action::Up => navigate::move_by(app, -1, lib),
        Action::Open => navigate::open(app, lib, effects),
        Action::Back => navigate::back(app),
        Action::Quit => app.should_quit = true,
        Action::NextPane => navigate::cycle_focus(app, true),
        Action::PrevPane => navigate::cycle_focus(app, false),
        Action::Top => navigate::move_to(app, false, lib),
        Action::Bottom => navigate::move_to(app, true, lib),
        Action::PageDown => navigate::page(app, 1, lib),
        Action::PageUp => navigate::page(app, -1, lib),
        Action::NextUnread => unread::jump_unread(app, true, lib, effects),
        Action::PrevUnread => unread::jump_unread(app, false, lib, effects),
        Action::NextArticle => navigate::step_article(app, 1, lib, effects),
        Action::PrevArticle => navigate::step_article(app, -1, lib, effects),
        Action::ToggleRead => marks::toggle_read(app, lib, effects),
        Action::MarkAllRead => marks::mark_all_read(app, lib, effects),
        Action::ToggleStar => marks::toggle_star(app, lib, effects),
        Action::Undo => marks::undo(app, effects),
        Action::ToggleFeedText => reading::toggle_feed_text(app, effects),
        Action::ToggleImages => super::images::toggle(app, effects),
        Action::ToggleStory => lists::toggle_story(app, lib),
        Action::OpenInBrowser => match current_item_url(app) {
            Some(url) => reading::open_url(app, url, effects),
            None => app.status.message = Some("This item has no link".into()),
        },
        Action::CopyUrl => match current_item_url(app) {
            Some(url) => {
                app.status.message = Some(format!("Copied {url}"));
                effects.push(Effect::Copy(url));
            }
            None => app.status.message = Some("This item has no link".into()),
        },
        Action::SaveArticle => match exported(app, app.keep_format) {
            Some((file_name, text)) => effects.push(Effect::SaveArticle { file_name, text }),
            None => app.status.message = Some("Open an article to save it".into()),
        },
        Action::PipeArticle => match exported(app, ExportFormat::Text) {
            Some((_, text)) => effects.push(Effect::Pipe(text)),
            None => app.status.message = Some("Open an article to pipe it".into()),
        },
        Action::PlayEnclosure => enclosures::act(app, true, lib, effects),
        Action::DownloadEnclosure => enclosures::act(app, false, lib, effects),
        Action::Downloads => enclosures::open_list(app),
        Action::FollowLink => {
            if app.article.is_some() {
                app.mode = Mode::FollowLink { digits: String::new() };
            }
        }
        Action::Reload => match navigate::reload_target(app) {
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
            let result = lists::refresh_headlines(app, lib);
            super::report(app, result);
            app.status.message =
                Some(if app.unread_only { "Showing unread items only" } else { "Showing all items" }.into());
        }
        Action::FeedInfo => open_feed_info(app, lib),
        Action::Help => app.mode = Mode::Help { scroll: 0 },
        other => {
            if let Some(n) = other.link_number() {
                reading::open_link(app, n, effects);
            }
        }
    }
}

/// Opens the feed-info view of the feed in focus: the one selected in the feeds pane, or the feed
/// of the selected headline or of the article.
fn open_feed_info(app: &mut App, lib: &dyn Library) {
    let feed = match app.focus {
        Pane::Feeds => match app.selected_entry().map(|e| &e.kind) {
            Some(EntryKind::Feed(id)) => Some(*id),
            _ => None,
        },
        Pane::Headlines => app.headlines.selected_id().and_then(|id| app.headlines.rows.get(&id)).map(|r| r.feed_id),
        Pane::Article | Pane::Related => app.article.as_ref().map(|a| a.item.feed_id),
    };
    let Some(feed) = feed else {
        app.status.message = Some("Select a feed, a headline or an article to see its feed".into());
        return;
    };
    match lib.feed_rows() {
        Ok(rows) => match rows.into_iter().find(|r| r.id == feed) {
            Some(row) => app.mode = Mode::FeedInfo { feed: Box::new(row), scroll: 0 },
            None => app.status.message = Some(format!("{} is not in the cache", app.feed_name(feed))),
        },
        Err(e) => super::report(app, Err(e)),
    }
}

/// The open article as `format` would keep it, and the file name it would get.
fn exported(app: &App, format: ExportFormat) -> Option<(String, String)> {
    let article = app.article.as_ref()?;
    let item = &article.item;
    let date = app.time.date_time(item.published_at);
    let body_html = crate::ui::document::body_html(item, article.feed_text);
    let text = export(
        &ExportedArticle {
            title: &item.title,
            source: &article.source,
            author: item.author.as_deref(),
            date: &date,
            url: item.url.as_deref(),
            body_html: &body_html,
        },
        format,
    );
    Some((file_name(&item.title, format), text))
}

fn current_item_url(app: &App) -> Option<String> {
    match app.focus {
        Pane::Article | Pane::Related => app.article.as_ref().and_then(|a| a.item.url.clone()),
        _ => app.headlines.selected_id().and_then(|id| app.headlines.rows.get(&id)).and_then(|r| r.url.clone()),
    }
}
