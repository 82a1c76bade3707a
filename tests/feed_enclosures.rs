//! Enclosures as the parser keeps them, from fixture feeds with podcasts in RSS (with iTunes
//! and Media RSS tags), Atom and JSON Feed: absolute http(s) addresses, types, sizes and
//! durations, each once; images and other schemes left out.

mod common;

use common::fixture_bytes;
use tidings::feed::parse_feed;
use tidings::model::{Enclosure, NewItem};

fn enclosure(url: &str, mime: Option<&str>, size: Option<u64>, duration: Option<u64>) -> Enclosure {
    Enclosure { url: url.into(), mime_type: mime.map(str::to_string), size, duration_secs: duration }
}

fn items(fixture: &str, feed_url: &str) -> Vec<NewItem> {
    parse_feed(&fixture_bytes(fixture), None, feed_url, 1_772_366_400).expect("the fixture parses").items
}

fn by_guid<'a>(items: &'a [NewItem], guid: &str) -> &'a NewItem {
    items.iter().find(|i| i.guid == guid).unwrap_or_else(|| panic!("no item {guid}"))
}

#[test]
fn rss_enclosures_with_itunes_and_media_rss() {
    let items = items("feeds/podcast.xml", "https://harbour.example/feed.xml");
    // A relative address is made absolute; "45:12" is 45 minutes (feed-rs alone reads 45 s).
    assert_eq!(
        by_guid(&items, "ep12").enclosures,
        [enclosure("https://harbour.example/media/episode-12.mp3", Some("audio/mpeg"), Some(48_213_000), Some(2712))]
    );
    // Media RSS: its own duration wins over the item's iTunes one; the type in lower case; the
    // thumbnail is not an enclosure.
    assert_eq!(
        by_guid(&items, "ep11").enclosures,
        [enclosure("https://cdn.example/ep11.m4a", Some("audio/mp4"), Some(31_000_000), Some(1830))]
    );
    // Two formats kept in order, a length of 0 is no size, the item's duration goes to both;
    // the javascript: address and the picture are left out.
    assert_eq!(
        by_guid(&items, "ep10").enclosures,
        [
            enclosure("https://cdn.example/ep10.mp3", Some("audio/mpeg"), None, Some(3600)),
            enclosure("https://cdn.example/ep10.ogg", Some("audio/ogg"), None, Some(3600)),
        ]
    );
    assert_eq!(by_guid(&items, "news").enclosures, [], "an image without a type is still an image");
    // The item's own link is still its page.
    assert_eq!(by_guid(&items, "ep12").url.as_deref(), Some("https://harbour.example/episodes/12"));
}

#[test]
fn atom_enclosure_links() {
    let items = items("feeds/podcast_atom.xml", "https://harbour.example/video.atom");
    let pier = by_guid(&items, "urn:harbour:video:1");
    assert_eq!(
        pier.enclosures,
        [enclosure("https://video.example/pier.webm", Some("video/webm"), Some(123_456_789), Some(750))]
    );
    assert_eq!(pier.url.as_deref(), Some("https://harbour.example/videos/pier"), "the page, not the file");
    let short = by_guid(&items, "urn:harbour:video:2");
    assert_eq!(
        short.enclosures,
        [enclosure("https://harbour.example/videos/short.mp4", Some("video/mp4"), None, None)]
    );
}

#[test]
fn json_feed_attachments() {
    let items = items("feeds/podcast.json", "https://harbour.example/feed.json");
    let one = by_guid(&items, "n1");
    assert_eq!(
        one.enclosures,
        [
            enclosure("https://cdn.example/note-1.mp3", Some("audio/mpeg"), Some(2_400_000), Some(302)),
            enclosure("https://cdn.example/note-1.pdf", Some("application/pdf"), None, None),
        ]
    );
    assert_eq!(one.url.as_deref(), Some("https://harbour.example/notes/1"));
    let two = by_guid(&items, "n2");
    assert_eq!(two.enclosures, [enclosure("https://cdn.example/note-2.opus", Some("audio/opus"), None, None)]);
    assert_eq!(two.url, None, "an attachment is not the item's page");
}

#[test]
fn feeds_without_media_have_no_enclosures() {
    let items = items("feeds/small.xml", "https://example.com/feed.xml");
    assert!(!items.is_empty() && items.iter().all(|i| i.enclosures.is_empty()));
}
