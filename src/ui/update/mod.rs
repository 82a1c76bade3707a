//! `update`: a message in, the state changed, effects out. It decides and the loop acts: it reads
//! the cache through [`Library`] (read-only) and asks for every write, render, related-stories
//! look-up, search and browser start as an [`Effect`], whose answer comes back as a message.
//!
//! By job: `keys` (key modes and the action table), `navigate` (moving, scrolling, focus, the
//! mouse), `lists` (the feeds pane and the headline lists), `reading` (the open article, its
//! render and its related stories), `marks` (read and star flags), `unread` (jumps to the next
//! unread item), `counts` (the read state on screen), `poll_events` (what the poller reports),
//! `sync_events` (what the background sync reports), `enclosures` (playing and downloading
//! enclosures, the download list), `notify_new` (the notification of new items), `images` (the
//! article's pictures: the toggle, loading those near the view, their answers).

mod counts;
mod enclosures;
pub mod images;
mod keys;
mod lists;
mod marks;
mod navigate;
mod notify_new;
mod poll_events;
mod reading;
mod sync_events;
mod unread;

use crossterm::event::{KeyEvent, KeyEventKind, MouseEvent};

use super::app::{App, Pane, SyncNotice};
use super::document::RenderRequest;
use super::layout::{inner_height, layout};
use super::library::{Library, LibraryError};
use crate::download::events::{DownloadEvent, DownloadRequest};
use crate::feed::events::PollerEvent;
use crate::model::{DownloadId, FeedId, FlagChange, ItemId};
use crate::notify::Notification;
use crate::render::RenderedArticle;
use crate::render::picture::Picture;

pub use lists::reload_entries;
pub use reading::open_article;

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
    /// The related-stories index is built: the pane of an open article can be filled.
    IndexReady,
    /// Time to show what the poller changed (the loop sends it a few times a second at most).
    Refresh,
    /// The writer answered for a flag change (`error` when it was not saved).
    Saved {
        change: u64,
        error: Option<String>,
    },
    /// A document asked for with [`Effect::Render`] is ready.
    Rendered {
        id: u64,
        article: RenderedArticle,
    },
    /// The related stories of `item` ([`Effect::FindRelated`]); `None` while the index is built.
    Related {
        item: ItemId,
        ids: Option<Vec<ItemId>>,
    },
    /// The search index has caught up: the search can run.
    SearchReady(String),
    /// Nothing happened for a while (the clock moves on).
    Tick,
    /// The reader is asked to end (SIGTERM, SIGHUP, SIGINT): as `q` does, every change saved.
    Quit,
    /// The background sync started, finished or failed.
    Sync(SyncNotice),
    /// The download task changed the download list.
    Download(DownloadEvent),
    /// An image asked for with [`Effect::LoadImage`]: its picture, or why there is none.
    Image {
        url: String,
        result: Result<Picture, String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    OpenUrl(String),
    Reload(Vec<FeedId>),
    ReloadAll,
    /// Save a flag change (the library shows it at once; [`Msg::Saved`] says how it went).
    Save(FlagChange),
    /// Render an article's document off the interface's thread ([`Msg::Rendered`]).
    Render(Box<RenderRequest>),
    /// Bring the search index up to date, then search ([`Msg::SearchReady`]).
    Search(String),
    /// Write an article to a new file of this name in the save folder (never over another).
    SaveArticle {
        file_name: String,
        text: String,
    },
    /// Hand an article's text to the pipe command on its standard input.
    Pipe(String),
    /// Look up the stories related to an item off the interface's thread ([`Msg::Related`]).
    FindRelated(ItemId),
    /// Put this text on the clipboard, through the terminal (OSC 52).
    Copy(String),
    /// Play this enclosure (an http(s) address) with the `[ui] player`.
    Play(String),
    /// Add an enclosure to the download list ([`Msg::Download`] tells how it goes).
    Download(DownloadRequest),
    /// Queue a failed download again.
    RetryDownload(DownloadId),
    /// Take a download off the list (stopped if it runs).
    RemoveDownload(DownloadId),
    /// Tell of new items as `[notify]` says (the text is made safe already).
    Notify(Notification),
    /// Fetch (or read from the image cache) and decode the image at `url`, and make its picture
    /// for a box `cols` by `rows` cells ([`Msg::Image`]). Nothing waits for the answer.
    LoadImage {
        url: String,
        cols: u16,
        rows: u16,
    },
}

/// Fills the panes from the cache: called once before the first frame.
pub fn start(app: &mut App, lib: &dyn Library) {
    app.now = lib.now();
    app.focus = if app.wide() { Pane::Headlines } else { Pane::Feeds };
    let result = lists::reload_entries(app, lib);
    report(app, result);
    app.feeds_state.selected = 0;
    let result = lists::load_headlines(app, lib);
    report(app, result);
    relayout(app);
    lists::sync_rows(app, lib);
}

pub fn update(app: &mut App, msg: Msg, lib: &dyn Library) -> Vec<Effect> {
    let mut effects = Vec::new();
    app.now = lib.now();
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Press => keys::on_key(app, key, lib, &mut effects),
        Msg::Key(_) => {}
        Msg::Tick => poll_events::changed_elsewhere(app, lib),
        Msg::Quit => app.should_quit = true,
        Msg::IndexReady => reading::fill_pending_related(app, &mut effects),
        Msg::Related { item, ids } => reading::related_found(app, item, ids, lib),
        Msg::Mouse(mouse) => navigate::on_mouse(app, mouse, lib, &mut effects),
        Msg::Resize(w, h) => app.size = (w, h),
        Msg::Poller(event) => poll_events::on_poller(app, event, lib, &mut effects),
        Msg::Sync(notice) => sync_events::on_sync(app, notice, lib, &mut effects),
        Msg::Refresh => poll_events::refresh(app, lib),
        Msg::Notice(text) => app.status.message = Some(text),
        Msg::StoriesChanged => lists::stories_changed(app, lib, &mut effects),
        Msg::Saved { error, .. } => marks::saved(app, error, lib),
        Msg::Rendered { id, article } => reading::rendered(app, id, article),
        Msg::SearchReady(query) => lists::run_search(app, &query, lib),
        Msg::Download(event) => enclosures::on_event(app, event),
        Msg::Image { url, result } => images::arrived(app, url, result),
    }
    relayout(app);
    reading::rerender_if_resized(app, &mut effects);
    images::load_near_view(app, &mut effects);
    lists::sync_rows(app, lib);
    effects
}

fn report(app: &mut App, result: Result<(), LibraryError>) {
    if let Err(e) = result {
        app.status.last_error = Some(e.to_string());
    }
}

fn relayout(app: &mut App) {
    if !app.wide() && matches!(app.focus, Pane::Article | Pane::Related) && app.article.is_none() {
        app.focus = Pane::Headlines;
    }
    let related = app.article.as_ref().and_then(|a| a.related.as_ref().map(Vec::len));
    app.areas = layout(app.size.0, app.size.1, app.focus, app.article.is_some(), related);
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

/// The item the keys act on: the open article's when it has the focus, else the selected one.
fn current_item(app: &App) -> Option<ItemId> {
    match app.focus {
        Pane::Article | Pane::Related => app.article.as_ref().map(|a| a.item.id),
        _ => app.headlines.selected_id(),
    }
}
