//! `tidings list [--filter QUERY] [--json] [--limit N]`: the cached headlines, newest first, for
//! scripts: tab-separated lines (date, flags, feed, title, link) or JSON lines. Nothing is
//! fetched. Finding nothing is no error (exit 0); a query that does not parse is (exit 2, with
//! the column).

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use crate::model::{FeedId, ItemFilter, ItemId, ItemRow, Search};
use crate::query::FeedLabel;
use crate::sanitize::clean_line;
use crate::session::{Session, SessionError};
use crate::timefmt::TimeDisplay;

/// One item as `--json` prints it.
#[derive(Debug, Serialize)]
struct Listed<'a> {
    id: ItemId,
    feed: &'a str,
    title: &'a str,
    url: Option<&'a str>,
    author: Option<&'a str>,
    /// Unix seconds.
    published: i64,
    read: bool,
    starred: bool,
}

pub fn list(
    session: &Session,
    filter: Option<&str>,
    json: bool,
    limit: Option<usize>,
) -> Result<ExitCode, SessionError> {
    let poller = session.poller()?;
    let store = session.store.lock().map_err(|_| crate::feed::poller::PollerError::Poisoned)?;
    let names: Vec<(FeedId, String)> = poller
        .feeds()
        .iter()
        .map(|f| {
            let title = store.feed(f.id).ok().flatten().and_then(|r| r.title);
            (f.id, clean_line(&f.settings.display_name(title.as_deref())))
        })
        .collect();
    let labels: Vec<FeedLabel> = poller
        .feeds()
        .iter()
        .zip(&names)
        .map(|(f, (_, name))| FeedLabel { id: f.id.0, name: name.clone(), tags: f.settings.tags.clone() })
        .collect();
    let item_filter = match filter {
        None => ItemFilter::All,
        Some(text) => match Search::new(text, &labels) {
            Ok(search) => ItemFilter::Search(search),
            Err(e) => {
                eprintln!("tidings: --filter {text:?}: {e}");
                return Ok(ExitCode::from(2));
            }
        },
    };
    let time = TimeDisplay { offset: *chrono::Local::now().offset(), format: session.settings.ui.time_format.clone() };
    let ids = store.item_ids(&item_filter, false)?;
    let limit = limit.unwrap_or(usize::MAX);
    let out = std::io::stdout();
    let mut out = out.lock();
    let mut written = 0;
    for id in ids {
        if written == limit {
            break;
        }
        let Some(item) = store.item(id)? else { continue };
        // Only the configured feeds' items: a feed dropped from the config keeps its rows a while.
        let Some((_, feed)) = names.iter().find(|(f, _)| *f == item.feed_id) else { continue };
        if write_item(&mut out, &item, feed, json, &time).is_err() {
            // A closed pipe (`| head`) ends the listing quietly.
            return Ok(ExitCode::SUCCESS);
        }
        written += 1;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_item(out: &mut impl Write, item: &ItemRow, feed: &str, json: bool, time: &TimeDisplay) -> std::io::Result<()> {
    // Titles and links were cleaned when stored; a tab or a line break would still split a
    // line of the listing.
    let title = one_field(&item.title);
    let url = item.url.as_deref().map(one_field);
    if json {
        let listed = Listed {
            id: item.id,
            feed,
            title: &title,
            url: url.as_deref(),
            author: item.author.as_deref(),
            published: item.published_at,
            read: item.read,
            starred: item.starred,
        };
        let line = serde_json::to_string(&listed).map_err(std::io::Error::other)?;
        writeln!(out, "{line}")?;
    } else {
        let flags = format!("{}{}", if item.read { '-' } else { 'N' }, if item.starred { '*' } else { '-' });
        let date = time.date_time(item.published_at);
        writeln!(out, "{date}\t{flags}\t{feed}\t{title}\t{}", url.as_deref().unwrap_or(""))?;
    }
    Ok(())
}

fn one_field(s: &str) -> String {
    clean_line(s).replace(['\t', '\n', '\r'], " ")
}
