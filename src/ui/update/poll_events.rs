//! What the reader does with the poller's events. Progress goes to the status bar at once; the
//! changes themselves (new items, unread counts, errors) are gathered in `App::stale` and shown
//! by [`refresh`], which the loop asks for a few times a second at most while a poll runs, and
//! at once when the feeds are done. A poll of a thousand feeds then costs a handful of refreshes.

use super::lists::{refresh_headlines, reload_entries};
use super::reading::{article_arrived, fill_pending_related};
use super::{Effect, report};
use crate::feed::events::{FeedOutcome, FeedTotals, PollerEvent};
use crate::model::ItemFilter;
use crate::ui::app::{App, EntryKind, PollProgress};
use crate::ui::library::Library;

/// Above this many changed feeds everything is read afresh (the feeds' keys, counts and rows are
/// read with one query each, the headline order spliced in one pass).
const SPLICE_AT_MOST: usize = 500;

pub(super) fn on_poller(app: &mut App, event: PollerEvent, lib: &dyn Library, effects: &mut Vec<Effect>) {
    match event {
        PollerEvent::PollStarted { feeds } => {
            app.status.polling = Some(PollProgress::Feeds { done: 0, total: feeds.len() });
            app.status.waiting = feeds;
            app.status.new_items = 0;
            app.status.new_by_feed.clear();
            app.status.failed_feeds = 0;
        }
        PollerEvent::FeedDone { feed, outcome } => {
            if let Some(PollProgress::Feeds { done, .. }) = &mut app.status.polling {
                *done += 1;
            }
            app.status.waiting.retain(|f| *f != feed);
            match &outcome {
                FeedOutcome::Updated { new_items, .. } => {
                    app.status.new_items += new_items;
                    if *new_items > 0 {
                        app.status.new_by_feed.push((feed, *new_items));
                    }
                    // New items, a new title, an error gone.
                    app.stale.feeds.insert(feed);
                }
                FeedOutcome::NotModified => {
                    if app.entries.iter().any(|e| e.kind == EntryKind::Feed(feed) && e.error.is_some()) {
                        app.stale.feeds.insert(feed);
                    }
                }
                FeedOutcome::Skipped(_) => {}
                FeedOutcome::Failed(error) => {
                    app.status.failed_feeds += 1;
                    let name = app.feed_name(feed);
                    app.status.last_error = Some(format!("{name}: {error}"));
                    app.status.error_feed = Some(name);
                    // Its row now holds the error the feeds pane shows.
                    app.stale.feeds.insert(feed);
                }
            }
        }
        PollerEvent::FeedsFinished(totals) => {
            app.status.polling = None;
            app.status.waiting.clear();
            app.status.last_poll_at = Some(lib.now());
            app.status.poll_summary = Some(summary(&totals, 0));
            refresh(app, lib);
            fill_pending_related(app, effects);
            super::notify_new::after_feeds(app, effects);
        }
        PollerEvent::PagesStarted { pages } => {
            if pages > 0 {
                app.status.polling = Some(PollProgress::Pages { done: 0, total: pages });
            }
        }
        PollerEvent::ArticleStored { item, .. } => {
            if let Some(PollProgress::Pages { done, .. }) = &mut app.status.polling {
                *done += 1;
            }
            article_arrived(app, item, lib, effects);
        }
        PollerEvent::Finished { feeds, pages } => {
            // Retention may have dropped old read items of any feed, and another process may
            // have written meanwhile: everything is read afresh.
            app.stale.all = true;
            app.status.polling = None;
            app.status.waiting.clear();
            app.status.last_poll_at = Some(lib.now());
            app.status.poll_summary = Some(summary(&feeds, pages.stored));
            refresh(app, lib);
            fill_pending_related(app, effects);
        }
    }
}

/// Another process (a cron `tidings poll`) wrote to the cache: the panes show it.
pub(super) fn changed_elsewhere(app: &mut App, lib: &dyn Library) {
    if lib.changed_elsewhere() {
        app.stale.all = true;
        refresh(app, lib);
    }
}

/// Shows what the poller changed since the last refresh, keeping the selection and the scroll.
pub(super) fn refresh(app: &mut App, lib: &dyn Library) {
    if app.stale.is_empty() {
        return;
    }
    let stale = std::mem::take(&mut app.stale);
    let everything = stale.all || stale.feeds.len() > SPLICE_AT_MOST;
    if everything {
        lib.read_afresh(None);
    } else {
        let feeds: Vec<_> = stale.feeds.iter().copied().collect();
        lib.read_afresh(Some(&feeds));
    }
    let result = reload_entries(app, lib);
    report(app, result);
    // A search's results stay as they were; a query feed's list takes new items like a feed's.
    let query_feed = app.selected_entry().filter(|e| matches!(e.kind, EntryKind::Query(_))).map(|e| e.filter(app));
    let shows_changed = match &app.headlines.filter {
        Some(ItemFilter::Search(_)) if query_feed.as_ref() == app.headlines.filter.as_ref() => !stale.is_empty(),
        Some(ItemFilter::Search(_)) | None => false,
        _ if everything => true,
        Some(ItemFilter::Feeds(ids)) => ids.iter().any(|id| stale.feeds.contains(id)),
        Some(_) => !stale.feeds.is_empty(),
    };
    if shows_changed {
        let result = refresh_headlines(app, lib);
        report(app, result);
    }
}

/// What a poll did, said once: the status bar puts it after "Updated just now · ". One failed feed
/// is not counted here: the bar shows its error, by name.
fn summary(feeds: &FeedTotals, articles: usize) -> String {
    let mut message = match feeds.failed {
        0 | 1 => format!("{} new", feeds.new_items),
        n => format!("{} new, {n} feeds failed", feeds.new_items),
    };
    if articles > 0 {
        message.push_str(&format!(", {articles} full articles"));
    }
    message
}
