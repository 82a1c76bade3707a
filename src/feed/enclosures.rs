//! An entry's enclosures, from feed-rs's model: RSS `<enclosure>` and Media RSS
//! `<media:content>` (feed-rs's media objects, with the iTunes and Podcast namespaces' durations),
//! Atom `<link rel="enclosure">` and JSON Feed attachments (links with a type). Only http(s)
//! addresses are kept, each once; images are left out (a news item's picture is not something
//! to play or keep). Pure.

use feed_rs::model::{Entry, Link, MediaContent};
use url::Url;

use super::media_scan::EntryMedia;
use crate::model::Enclosure;
use crate::sanitize::clean_line;

/// At most this many enclosures are kept of one item.
const MAX_PER_ITEM: usize = 16;
/// A MIME type longer than this is not one.
const MAX_TYPE_LEN: usize = 100;

/// Extensions of image files, for enclosures that give no type.
const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp", "heic"];

/// The enclosures of `entry`; `extra` is what the document scan found ([`super::media_scan`]).
pub fn entry_enclosures(entry: &Entry, base: Option<&Url>, extra: &EntryMedia) -> Vec<Enclosure> {
    let mut out: Vec<Enclosure> = Vec::new();
    // A duration the entry gives as a whole (iTunes, Podcast namespace): the scan's reading of
    // `<itunes:duration>` first, feed-rs's is wrong for "45:12".
    let entry_duration = extra.duration_secs.or_else(|| entry.media.iter().find_map(|m| m.duration).map(secs));
    for object in &entry.media {
        for content in &object.content {
            let duration =
                content.duration.map(secs).or(extra.duration_secs).or(object.duration.map(secs)).or(entry_duration);
            push(&mut out, from_content(content, duration));
        }
    }
    for link in entry.links.iter().filter(|l| is_enclosure_link(l)) {
        push(&mut out, from_link(link, base, entry_duration, extra));
    }
    out
}

fn push(out: &mut Vec<Enclosure>, enclosure: Option<Enclosure>) {
    let Some(enclosure) = enclosure else { return };
    if out.len() < MAX_PER_ITEM && !out.iter().any(|e| e.url == enclosure.url) && !is_image(&enclosure) {
        out.push(enclosure);
    }
}

fn from_content(content: &MediaContent, duration_secs: Option<u64>) -> Option<Enclosure> {
    let url = web_url(content.url.as_ref()?.as_str(), None)?;
    let mime_type = content.content_type.as_ref().and_then(|t| mime(&t.essence().to_string()));
    Some(Enclosure { url, mime_type, size: content.size.filter(|s| *s > 0), duration_secs })
}

/// Atom's `rel="enclosure"`; JSON Feed's attachments are the links with a type and no `rel`.
pub(super) fn is_enclosure_link(link: &Link) -> bool {
    match link.rel.as_deref() {
        Some(rel) => rel.eq_ignore_ascii_case("enclosure"),
        None => link.media_type.is_some(),
    }
}

fn from_link(link: &Link, base: Option<&Url>, entry_duration: Option<u64>, extra: &EntryMedia) -> Option<Enclosure> {
    let href = link.href.trim();
    let url = web_url(href, base)?;
    let attachment = extra.attachment_durations.iter().find(|(u, _)| u == href || *u == url).map(|(_, d)| *d);
    Some(Enclosure {
        url,
        mime_type: link.media_type.as_deref().and_then(mime),
        size: link.length.filter(|s| *s > 0),
        duration_secs: attachment.or(entry_duration),
    })
}

/// `href` made absolute, when it is an http(s) address.
fn web_url(href: &str, base: Option<&Url>) -> Option<String> {
    let href = clean_line(href);
    let url = match base {
        Some(base) => base.join(&href).ok()?,
        None => Url::parse(&href).ok()?,
    };
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty())).then(|| url.into())
}

/// A MIME type as feeds write it ("Audio/MPEG; charset=x") as kept: its essence, in lower case,
/// when it looks like one.
fn mime(raw: &str) -> Option<String> {
    let essence = clean_line(raw.split(';').next().unwrap_or_default()).to_ascii_lowercase();
    let (kind, sub) = essence.split_once('/')?;
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b));
    (essence.len() <= MAX_TYPE_LEN && token(kind) && token(sub)).then_some(essence)
}

fn is_image(enclosure: &Enclosure) -> bool {
    match &enclosure.mime_type {
        Some(mime) => mime.starts_with("image/"),
        None => Url::parse(&enclosure.url).ok().is_some_and(|u| {
            let last = u.path_segments().and_then(|mut s| s.next_back()).unwrap_or_default().to_ascii_lowercase();
            last.rsplit_once('.').is_some_and(|(_, ext)| IMAGE_EXTENSIONS.contains(&ext))
        }),
    }
}

fn secs(duration: std::time::Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_millis() >= 500)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_types_are_kept_as_their_essence() {
        assert_eq!(mime("Audio/MPEG; charset=x").as_deref(), Some("audio/mpeg"));
        assert_eq!(mime("application/x-bittorrent").as_deref(), Some("application/x-bittorrent"));
        assert_eq!(mime("audio/\u{1b}[31mmpeg").as_deref(), Some("audio/mpeg"));
        for bad in ["", "audio", "audio/", "/mpeg", "audio/mp eg", "a/b/c"] {
            assert_eq!(mime(bad), None, "{bad:?}");
        }
        assert_eq!(mime(&format!("audio/{}", "x".repeat(200))), None);
    }

    #[test]
    fn only_web_addresses_are_kept() {
        let base = Url::parse("https://pod.example/feed.xml").ok();
        assert_eq!(web_url("/e/1.mp3", base.as_ref()).as_deref(), Some("https://pod.example/e/1.mp3"));
        for bad in ["javascript:alert(1)", "file:///etc/passwd", "data:audio/mpeg;base64,AA==", "ftp://x.example/a"] {
            assert_eq!(web_url(bad, base.as_ref()), None, "{bad}");
        }
    }
}
