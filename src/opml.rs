//! OPML: reading subscription lists (folders become tags) and writing ours. Pure: text in, text out.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpmlError {
    #[error("malformed OPML at byte {position}: {message}")]
    Malformed { position: u64, message: String },
    #[error("not an OPML document (no <opml> root)")]
    NotOpml,
}

/// One subscription of an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    pub url: String,
    pub title: Option<String>,
    /// The folders (outlines without a URL) it sits in, outermost first.
    pub tags: Vec<String>,
}

/// Reads the subscriptions of an OPML document, in document order.
pub fn parse_opml(text: &str) -> Result<Vec<OpmlFeed>, OpmlError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut feeds = Vec::new();
    let mut saw_root = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| OpmlError::Malformed { position: reader.buffer_position(), message: e.to_string() })?;
        match event {
            Event::Start(e) | Event::Empty(e) if is(e.local_name().into_inner(), "opml") => saw_root = true,
            Event::Start(e) if is(e.local_name().into_inner(), "outline") => {
                let outline = read_outline(&e);
                match outline.url {
                    Some(url) => {
                        feeds.push(OpmlFeed { url, title: outline.title, tags: folder_tags(&folders) });
                        folders.push(None);
                    }
                    None => folders.push(outline.title),
                }
            }
            Event::Empty(e) if is(e.local_name().into_inner(), "outline") => {
                let outline = read_outline(&e);
                if let Some(url) = outline.url {
                    feeds.push(OpmlFeed { url, title: outline.title, tags: folder_tags(&folders) });
                }
            }
            Event::End(e) if is(e.local_name().into_inner(), "outline") => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(OpmlError::NotOpml);
    }
    Ok(feeds)
}

fn is(name: &str, expected: &str) -> bool {
    name == expected
}

struct Outline {
    url: Option<String>,
    title: Option<String>,
}

fn read_outline(e: &BytesStart<'_>) -> Outline {
    let mut url = None;
    let mut text = None;
    let mut title = None;
    for attr in e.attributes().flatten() {
        let Ok(value) = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0) else { continue };
        let value = crate::sanitize::clean_line(&value);
        if value.is_empty() {
            continue;
        }
        match attr.key.local_name().into_inner() {
            "xmlUrl" | "xmlurl" => url = Some(value),
            "text" => text = Some(value),
            "title" => title = Some(value),
            _ => {}
        }
    }
    // Writers put the URL in `text` when a feed has no name (OPML requires `text`): not a title.
    let title = title.or(text).filter(|t| url.as_ref() != Some(t));
    Outline { url, title }
}

fn folder_tags(folders: &[Option<String>]) -> Vec<String> {
    folders.iter().flatten().cloned().collect()
}

/// Writes an OPML 2.0 document. A feed sits in nested folders following its tags (tags
/// `["world", "us"]`: folder "us" inside folder "world"), so that importing the file, where
/// folders become tags outermost first, gives back the same tags in the same order.
pub fn write_opml(feeds: &[OpmlFeed]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str("  <head>\n    <title>tidings subscriptions</title>\n  </head>\n  <body>\n");
    let all: Vec<&OpmlFeed> = feeds.iter().collect();
    write_level(&mut out, &all, 0);
    out.push_str("  </body>\n</opml>\n");
    out
}

/// Writes the feeds whose first `depth` tags are the enclosing folders: those with no more tags
/// as outlines, the others grouped in folders by their next tag, in order of first appearance.
fn write_level(out: &mut String, feeds: &[&OpmlFeed], depth: usize) {
    let indent = "  ".repeat(depth + 2);
    for feed in feeds.iter().filter(|f| f.tags.len() == depth) {
        write_outline(out, feed, &indent);
    }
    let mut folders: Vec<&str> = Vec::new();
    for feed in feeds {
        if let Some(tag) = feed.tags.get(depth)
            && !folders.contains(&tag.as_str())
        {
            folders.push(tag);
        }
    }
    for folder in folders {
        out.push_str(&format!("{indent}<outline text=\"{0}\" title=\"{0}\">\n", escape(folder)));
        let inside: Vec<&OpmlFeed> =
            feeds.iter().copied().filter(|f| f.tags.get(depth).map(String::as_str) == Some(folder)).collect();
        write_level(out, &inside, depth + 1);
        out.push_str(&format!("{indent}</outline>\n"));
    }
}

fn write_outline(out: &mut String, feed: &OpmlFeed, indent: &str) {
    let title = escape(feed.title.as_deref().unwrap_or(&feed.url));
    out.push_str(&format!(
        "{indent}<outline type=\"rss\" text=\"{title}\" title=\"{title}\" xmlUrl=\"{}\"/>\n",
        escape(&feed.url)
    ));
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
