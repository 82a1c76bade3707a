//! What feed-rs leaves out or misreads about media, read from the document itself: iTunes
//! durations written as minutes and seconds (`<itunes:duration>45:12</itunes:duration>`, which
//! feed-rs takes for 45 seconds) and JSON Feed attachments' `duration_in_seconds` (which it
//! drops). One record per entry, in document order; nothing when the document's entries cannot
//! be matched to feed-rs's one for one. Pure: text in, values out.

use quick_xml::Reader;
use quick_xml::events::Event;

/// What the document says of one entry's media beyond what feed-rs gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryMedia {
    /// The entry's `<itunes:duration>`, in seconds.
    pub duration_secs: Option<u64>,
    /// JSON Feed attachments' durations, by their `url` as written.
    pub attachment_durations: Vec<(String, u64)>,
}

/// One record per entry of `text`, or an empty list when there is nothing to add or the
/// entries found are not `entries` in number (feed-rs's entries are then left as they are).
pub fn scan(text: &str, entries: usize) -> Vec<EntryMedia> {
    let found = if text.trim_start().starts_with('{') {
        json_attachments(text)
    } else if text.contains("itunes:duration") {
        itunes_durations(text)
    } else {
        None
    };
    found.filter(|records| records.len() == entries).unwrap_or_default()
}

/// `<itunes:duration>` of each `<item>` (or `<entry>`), in document order; `None` when the
/// document does not read as XML.
fn itunes_durations(text: &str) -> Option<Vec<EntryMedia>> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut records = Vec::new();
    // Inside an entry, and inside its duration element.
    let (mut in_entry, mut in_duration) = (false, false);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                let name = e.name().into_inner();
                if is_entry(e.local_name().into_inner()) && !in_entry {
                    in_entry = true;
                    records.push(EntryMedia::default());
                } else if in_entry && name == "itunes:duration" {
                    in_duration = true;
                }
            }
            Event::Empty(e) if is_entry(e.local_name().into_inner()) && !in_entry => {
                records.push(EntryMedia::default());
            }
            Event::Text(t) if in_duration => {
                if let Some(record) = records.last_mut() {
                    record.duration_secs = parse_clock(&t.into_inner());
                }
            }
            Event::CData(t) if in_duration => {
                if let Some(record) = records.last_mut() {
                    record.duration_secs = parse_clock(&t.into_inner());
                }
            }
            Event::End(e) => {
                if e.name().into_inner() == "itunes:duration" {
                    in_duration = false;
                } else if is_entry(e.local_name().into_inner()) {
                    in_entry = false;
                }
            }
            Event::Eof => return Some(records),
            _ => {}
        }
    }
}

fn is_entry(local_name: &str) -> bool {
    matches!(local_name, "item" | "entry")
}

/// JSON Feed items' attachments with a `duration_in_seconds`; `None` when it is not a JSON Feed.
fn json_attachments(text: &str) -> Option<Vec<EntryMedia>> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let items = doc.get("items")?.as_array()?;
    let records = items
        .iter()
        .filter(|item| item.is_object())
        .map(|item| {
            let attachments = item.get("attachments").and_then(serde_json::Value::as_array);
            let attachment_durations = attachments
                .into_iter()
                .flatten()
                .filter_map(|a| {
                    let url = a.get("url")?.as_str()?;
                    let secs = a.get("duration_in_seconds")?.as_f64().filter(|s| s.is_finite() && *s >= 1.0)?;
                    Some((url.trim().to_string(), secs.round() as u64))
                })
                .collect();
            EntryMedia { duration_secs: None, attachment_durations }
        })
        .collect();
    Some(records)
}

/// A playing time as podcasts write it: seconds ("2712"), minutes and seconds ("45:12") or
/// hours, minutes and seconds ("1:02:03"), with an optional fraction of a second. `None` for
/// anything else, and for zero.
pub fn parse_clock(text: &str) -> Option<u64> {
    let text = text.trim();
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) => {
            (whole, Some(fraction))
        }
        Some(_) => return None,
        None => (text, None),
    };
    let parts: Vec<&str> = whole.split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut secs: u64 = 0;
    for (i, part) in parts.iter().enumerate() {
        let n: u64 = part.parse().ok()?;
        // After the first field, minutes and seconds stay under 60.
        if i > 0 && n >= 60 {
            return None;
        }
        secs = secs.checked_mul(60)?.checked_add(n)?;
    }
    if fraction.is_some_and(|f| f.starts_with(['5', '6', '7', '8', '9'])) {
        secs += 1;
    }
    (secs > 0).then_some(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_durations_as_podcasts_write_them() {
        assert_eq!(parse_clock("2712"), Some(2712));
        assert_eq!(parse_clock(" 45:12 "), Some(45 * 60 + 12));
        assert_eq!(parse_clock("1:02:03"), Some(3723));
        assert_eq!(parse_clock("01:02:03.6"), Some(3724));
        assert_eq!(parse_clock("12.25"), Some(12));
        for bad in ["", "0", "0:00", "1:60", "1:2:3:4", "45 min", "-5", "1::2", "9999999999999:00", "1.x"] {
            assert_eq!(parse_clock(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn itunes_durations_are_read_per_item_in_order() {
        let doc = r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
            <itunes:duration>9:99</itunes:duration>
            <item><title>One</title><itunes:duration>45:12</itunes:duration></item>
            <item><title>Two &amp; more</title></item>
            <item><itunes:duration><![CDATA[1:00:00]]></itunes:duration></item>
            </channel></rss>"#;
        let found = scan(doc, 3);
        let durations: Vec<Option<u64>> = found.iter().map(|m| m.duration_secs).collect();
        assert_eq!(durations, [Some(2712), None, Some(3600)]);
        assert!(scan(doc, 2).is_empty(), "entries that do not match one for one are left alone");
        assert!(scan("<rss version=\"2.0\"><channel><item/></channel></rss>", 1).is_empty(), "nothing to add");
    }

    #[test]
    fn json_feed_attachment_durations() {
        let doc = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [
            {"id": "1", "attachments": [{"url": "https://x.example/1.mp3", "mime_type": "audio/mpeg",
              "duration_in_seconds": 1800.4}, {"url": "https://x.example/1.ogg", "mime_type": "audio/ogg"}]},
            {"id": "2"}]}"#;
        let found = scan(doc, 2);
        assert_eq!(found[0].attachment_durations, [("https://x.example/1.mp3".to_string(), 1800)]);
        assert_eq!(found[1], EntryMedia::default());
    }
}
