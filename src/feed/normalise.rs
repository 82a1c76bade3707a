//! feed-rs's model to ours: stable ids, absolute links, dates, and text cleaned of entities,
//! control characters and escape sequences.

use feed_rs::model::{Entry, Feed, Link, Text};
use url::Url;

use super::enclosures::{entry_enclosures, is_enclosure_link};
use super::media_scan::EntryMedia;
use crate::model::{FeedMeta, NewItem, ParsedFeed};
use crate::sanitize::{clean_line, clean_text};
use crate::text::{decode_entities, html_to_index_text, is_summary_html, stable_hash};

/// Dates further in the future than this are taken as "now": a wrong clock in a feed must not
/// pin an item to the top of every list.
const FUTURE_SLACK_SECS: i64 = 86_400;

/// An item's date as kept: one too far in the future (a wrong clock) is taken as `now`.
pub fn item_date(date: i64, now: i64) -> i64 {
    if date > now + FUTURE_SLACK_SECS { now } else { date }
}

/// The most items one document gives: real feeds list tens, archives a few thousand; a feed of a
/// hundred thousand is broken or hostile, and storing it all would hold a poll for minutes.
pub const MAX_ITEMS: usize = 5_000;

/// `media` holds what the document scan found of each entry's media, one record per entry (or
/// none at all).
pub fn normalise_feed(feed: Feed, feed_url: &str, now: i64, media: &[EntryMedia]) -> ParsedFeed {
    let base = Url::parse(feed_url).ok();
    let meta = FeedMeta {
        title: feed.title.as_ref().map(text_line).filter(|t| !t.is_empty()),
        site_url: pick_link(&feed.links, base.as_ref()),
        description: feed.description.as_ref().map(text_line).filter(|t| !t.is_empty()),
        min_interval_secs: feed.ttl.filter(|t| *t > 0).map(|minutes| i64::from(minutes) * 60),
    };
    let none = EntryMedia::default();
    // Each entry with its media record, before any are left out.
    let mut entries: Vec<_> =
        feed.entries.into_iter().enumerate().map(|(i, e)| (e, media.get(i).unwrap_or(&none))).collect();
    if entries.len() > MAX_ITEMS {
        // The newest are kept (undated ones last): what the feed is read for.
        entries.sort_by_key(|(e, _)| std::cmp::Reverse(e.published.or(e.updated)));
        entries.truncate(MAX_ITEMS);
    }
    let items = entries.into_iter().map(|(e, m)| normalise_entry(e, base.as_ref(), now, m)).collect();
    ParsedFeed { meta, items }
}

fn normalise_entry(entry: Entry, base: Option<&Url>, now: i64, media: &EntryMedia) -> NewItem {
    let url = pick_link(&entry.links, base);
    let enclosures = entry_enclosures(&entry, base, media);
    let summary_html = entry.summary.as_ref().map(text_html).filter(|s| !s.trim().is_empty());
    let content_html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .map(|body| {
            if c_is_plain(entry.content.as_ref().map(|c| c.content_type.essence().to_string())) {
                escape_html(body)
            } else {
                clean_text(body)
            }
        })
        .filter(|s| !s.trim().is_empty());
    let mut title = entry.title.as_ref().map(text_line).unwrap_or_default();
    if title.is_empty() {
        title = fallback_title(summary_html.as_deref().or(content_html.as_deref()));
    }
    let published_at = entry.published.or(entry.updated).map(|d| item_date(d.timestamp(), now));
    let author = {
        let names: Vec<String> = entry
            .authors
            .iter()
            .filter_map(|p| p.name.as_deref())
            .map(|n| {
                bounded_line(clean_line(&decode_entities(n)).trim_matches(|c| c == '(' || c == ')').trim().to_string())
            })
            .filter(|n| !n.is_empty())
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    };
    let guid = {
        let id = clean_line(&entry.id);
        if id.len() > MAX_LINE_CHARS {
            // Still unique, and small enough to be a key.
            format!("hash:{:016x}", stable_hash(&id))
        } else if !id.is_empty() {
            id
        } else if let Some(url) = &url {
            url.clone()
        } else {
            format!("hash:{:016x}", stable_hash(&format!("{title}\u{0}{}", published_at.unwrap_or_default())))
        }
    };
    let summary_only = Some(is_summary_html(content_html.as_deref().or(summary_html.as_deref()).unwrap_or("")));
    NewItem {
        guid,
        url,
        title,
        author,
        published_at,
        updated_at: entry.updated.map(|d| d.timestamp()),
        summary_html,
        content_html,
        summary_only,
        enclosures,
    }
}

fn c_is_plain(essence: Option<String>) -> bool {
    essence.as_deref() == Some("text/plain")
}

/// A one-line, entity-free, control-free rendering of a feed text construct.
fn text_line(text: &Text) -> String {
    let raw = if text.content_type.essence().to_string() == "text/plain" {
        // feed-rs has decoded the XML entities; what is left are HTML ones such as &nbsp;.
        decode_entities(&text.content)
    } else {
        html_to_index_text(&text.content)
    };
    bounded_line(clean_line(&raw.replace('\u{a0}', " ")))
}

/// The most characters a one-line field (a title, an author, a feed's name) keeps: a title a
/// megabyte long is a broken or hostile feed, and every list would carry it.
pub const MAX_LINE_CHARS: usize = 500;

/// `line` cut to [`MAX_LINE_CHARS`] at the last space before the limit (mid-word when there is
/// none), with an ellipsis.
fn bounded_line(line: String) -> String {
    let Some((cut, _)) = line.char_indices().nth(MAX_LINE_CHARS) else { return line };
    let head = &line[..cut];
    let head = match head.rfind(' ') {
        Some(space) if space > cut / 2 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end())
}

/// A text construct as HTML (plain text is escaped so it renders as written).
fn text_html(text: &Text) -> String {
    if text.content_type.essence().to_string() == "text/plain" {
        escape_html(&text.content)
    } else {
        clean_text(&text.content)
    }
}

fn escape_html(text: &str) -> String {
    clean_text(text).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn fallback_title(body_html: Option<&str>) -> String {
    let text = body_html.map(html_to_index_text).unwrap_or_default();
    if text.is_empty() {
        return "(untitled)".to_string();
    }
    let mut title: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        title.push('…');
    }
    title
}

/// The entry's web page: the alternate link (or the first without a rel), made absolute; an
/// enclosure (a JSON Feed attachment) is not one. Only http(s) links are kept: a `javascript:`
/// or `data:` link is never opened, and a `file:` link only in a feed that is itself a local file
/// (a web feed has no business naming files on this machine).
fn pick_link(links: &[Link], base: Option<&Url>) -> Option<String> {
    let mut pages = links.iter().filter(|l| !is_enclosure_link(l));
    let preferred =
        pages.clone().find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate")).or_else(|| pages.next())?;
    let href = clean_line(&preferred.href);
    let url = match base {
        Some(base) => base.join(&href).ok()?,
        None => Url::parse(&href).ok()?,
    };
    let local_feed = base.is_some_and(|b| b.scheme() == "file");
    match url.scheme() {
        "http" | "https" => Some(url.to_string()),
        "file" if local_feed => Some(url.to_string()),
        _ => None,
    }
}
