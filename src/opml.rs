//! OPML: reading subscription lists (folders become tags, a feed in several folders gets each
//! as a tag) and writing ours (a folder per tag, a feed in each of its tags' folders). Pure: text in, text out.

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
    Ok(merge_duplicates(feeds))
}

/// A feed listed in several folders (as readers write a feed with several tags) is one feed with
/// the tags of each place, in order of appearance; its first title wins.
fn merge_duplicates(feeds: Vec<OpmlFeed>) -> Vec<OpmlFeed> {
    let mut merged: Vec<OpmlFeed> = Vec::with_capacity(feeds.len());
    for feed in feeds {
        match merged.iter_mut().find(|m| m.url == feed.url) {
            Some(first) => {
                if first.title.is_none() {
                    first.title = feed.title;
                }
                for tag in feed.tags {
                    if !first.tags.contains(&tag) {
                        first.tags.push(tag);
                    }
                }
            }
            None => merged.push(feed),
        }
    }
    merged
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

/// Writes an OPML 2.0 document the way other readers (newsboat, feedly) do: one level of
/// folders, one per tag in order of first appearance, and a feed in each folder of its tags
/// (feeds without tags at the top level). Importing the file, where a feed found in several
/// folders becomes one feed with each of them as a tag, gives back the same feeds and tags.
pub fn write_opml(feeds: &[OpmlFeed]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str("  <head>\n    <title>tidings subscriptions</title>\n  </head>\n  <body>\n");
    for feed in feeds.iter().filter(|f| f.tags.is_empty()) {
        write_outline(&mut out, feed, "    ");
    }
    let mut folders: Vec<&str> = Vec::new();
    for tag in feeds.iter().flat_map(|f| &f.tags) {
        if !folders.contains(&tag.as_str()) {
            folders.push(tag);
        }
    }
    for folder in folders {
        out.push_str(&format!("    <outline text=\"{0}\" title=\"{0}\">\n", escape(folder)));
        for feed in feeds.iter().filter(|f| f.tags.iter().any(|t| t == folder)) {
            write_outline(&mut out, feed, "      ");
        }
        out.push_str("    </outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
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
