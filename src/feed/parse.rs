//! Feed document bytes in, [`ParsedFeed`] out: charset handling, repairs feed-rs needs, and the
//! parse itself inside [`crate::caught::catching`]. Pure: no IO.

use std::sync::LazyLock;

use regex::Regex;

use super::normalise::normalise_feed;
use crate::charset::decode_document;
use crate::model::ParsedFeed;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("malformed feed: {0}")]
    Malformed(String),
    #[error("the feed parser crashed on this document")]
    Panicked,
}

/// Parses a feed document. `header_charset` is the HTTP Content-Type charset, `feed_url` the
/// address it came from (for relative links), `now` the time in unix seconds (for missing dates).
pub fn parse_feed(
    bytes: &[u8],
    header_charset: Option<&str>,
    feed_url: &str,
    now: i64,
) -> Result<ParsedFeed, ParseError> {
    let text = decode_document(bytes, header_charset);
    let text = repair_rss_version(&text);
    // A fresh parser per attempt: feed-rs keeps per-entry state that a failed parse leaves behind
    // (and then asserts on).
    let parse = |text: &str| {
        let parser = feed_rs::parser::Builder::new()
            .base_uri(Some(feed_url))
            // Leave missing ids empty: normalise makes stable ones (feed-rs would invent random ones).
            .id_generator(|_, _, _| String::new())
            .sanitize_content(false)
            .build();
        crate::caught::catching(|| parser.parse(text.as_bytes())).map_err(|_| ParseError::Panicked)
    };
    let (feed, parsed_text) = match parse(&text)? {
        Ok(feed) => (feed, std::borrow::Cow::Borrowed(text.as_ref())),
        // Documents that feed-rs refuses but other readers accept get one repaired retry; the
        // repairs only touch what is an error as it stands, so a valid document never sees them.
        Err(error) => match repair_after_error(&text) {
            Some(repaired) => match parse(&repaired)? {
                Ok(feed) => (feed, std::borrow::Cow::Owned(repaired)),
                Err(_) => return Err(classify(&error, &text)),
            },
            None => return Err(classify(&error, &text)),
        },
    };
    let media = super::media_scan::scan(&parsed_text, feed.entries.len());
    let mut out = normalise_feed(feed, feed_url, now, &media);
    out.meta.min_interval_secs = [out.meta.min_interval_secs, syndication_period(&text)].into_iter().flatten().max();
    Ok(out)
}

fn classify(error: &feed_rs::parser::ParseFeedError, text: &str) -> ParseError {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError};
    match error {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            let head: String = text.trim_start().chars().take(200).collect::<String>().to_ascii_lowercase();
            if head.contains("<html") || head.starts_with("<!doctype html") {
                ParseError::NotAFeed("got an HTML page, not RSS, Atom or JSON Feed".into())
            } else {
                ParseError::NotAFeed("no RSS, Atom or JSON Feed root element".into())
            }
        }
        other => ParseError::Malformed(crate::sanitize::clean_line(&other.to_string())),
    }
}

static RSS_ROOT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<rss(\s[^>]*)?>").expect("valid regex"));
static VERSION_ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\sversion\s*=\s*("[^"]*"|'[^']*')"#).expect("valid regex"));

/// feed-rs only accepts `<rss>` with version "2.0", "0.91", "0.92" or empty; browsers and other
/// readers accept any. Give such roots version "2.0" (RSS 2 is a superset of the others). An
/// `<rss>` without a `<channel>` is an empty feed (feed-rs says there is no feed root): give it an
/// empty channel.
fn repair_rss_version(text: &str) -> std::borrow::Cow<'_, str> {
    let versioned = repair_rss_root_version(text);
    let Some(root) = rss_root(&versioned) else { return versioned };
    if versioned[root.end()..].contains("<channel") || versioned[root.start()..root.end()].ends_with("/>") {
        return versioned;
    }
    let mut out = String::with_capacity(versioned.len() + 20);
    out.push_str(&versioned[..root.end()]);
    out.push_str("<channel></channel>");
    out.push_str(&versioned[root.end()..]);
    out.into()
}

/// The `<rss …>` start tag when it is the document's root: nothing but the prolog, comments and
/// a doctype before it.
fn rss_root(text: &str) -> Option<regex::Match<'_>> {
    let head_len = text.len().min(4096);
    let head_end = (0..=head_len).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let root = RSS_ROOT.find(&text[..head_end])?;
    let before = &text[..root.start()];
    (!before.contains('<') || only_prolog(before)).then_some(root)
}

fn repair_rss_root_version(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(root) = rss_root(text) else {
        return text.into();
    };
    let tag = root.as_str();
    let version = VERSION_ATTR.captures(tag).map(|c| c[1].trim_matches(|q| q == '"' || q == '\'').trim().to_string());
    if matches!(version.as_deref(), Some("2.0" | "0.91" | "0.92" | "")) {
        return text.into();
    }
    let without = VERSION_ATTR.replace(tag, "");
    let fixed = format!("<rss version=\"2.0\"{}", &without[4..]);
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..root.start()]);
    out.push_str(&fixed);
    out.push_str(&text[root.end()..]);
    out.into()
}

fn only_prolog(before: &str) -> bool {
    let mut rest = before.trim_start();
    while !rest.is_empty() {
        let end = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<!") {
            rest.find('>').map(|i| i + 1)
        } else {
            None
        };
        match end {
            Some(e) => rest = rest[e..].trim_start(),
            None => return false,
        }
    }
    true
}

/// Repairs for a document feed-rs refused, or `None` when none applies. XML: bare `&` (as in
/// `?a=1&b=2`) escaped, `&#X41;` written `&#x41;`, Atom and Media RSS text types feed-rs does not
/// know mapped to plain text. JSON: the variations of JSON Feed seen in the wild.
fn repair_after_error(text: &str) -> Option<String> {
    let repaired = if text.trim_start().starts_with('{') {
        repair_json_feed(text)?
    } else {
        let escaped = escape_bare_ampersands(text);
        ATOM_TEXT_TYPE
            .replace_all(&escaped, |c: &regex::Captures<'_>| {
                let value = c.get(4).or(c.get(5)).map_or("", |m| m.as_str()).trim();
                let media = c[1].starts_with("media:");
                let fixed = match value {
                    "text" | "html" | "xhtml" | "text/html" if !media => value,
                    "plain" | "html" if media => value,
                    _ if media => "plain",
                    "application/xhtml+xml" => "xhtml",
                    _ => "text",
                };
                format!("<{}{}type=\"{fixed}\"", &c[1], c.get(2).map_or("", |m| m.as_str()))
            })
            .into_owned()
    };
    (repaired != text).then_some(repaired)
}

/// Start tags of text constructs with a `type`: Atom's (unprefixed or `atom:`) and Media RSS's.
static ATOM_TEXT_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"<((?:atom:)?(?:title|subtitle|rights|summary|tagline|copyright|info)|media:(?:title|description|text))(\s[^>]*?)?\btype\s*=\s*("([^"]*)"|'([^']*)')"#,
    )
    .expect("valid regex")
});

static REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^&(?:[A-Za-z_][A-Za-z0-9._:-]*|#[0-9]+|#[xX][0-9A-Fa-f]+);").expect("valid regex"));

/// Escapes every `&` that does not start a character or entity reference, outside CDATA sections
/// and comments (where `&` is literal).
fn escape_bare_ampersands(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let literal_end = if rest.starts_with("<![CDATA[") {
            Some(rest.find("]]>").map_or(rest.len(), |e| e + 3))
        } else if rest.starts_with("<!--") {
            Some(rest.find("-->").map_or(rest.len(), |e| e + 3))
        } else {
            None
        };
        if let Some(end) = literal_end {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if rest.starts_with('<') {
            out.push('<');
            rest = &rest[1..];
        } else if let Some(reference) = REFERENCE.find(rest) {
            out.push_str(&reference.as_str().replacen("&#X", "&#x", 1));
            rest = &rest[reference.end()..];
        } else {
            out.push_str("&amp;");
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// JSON Feed as written in the wild: `http://` or bare ("1.1") versions, or none; no title;
/// numeric ids; `tags` as one string. Only for an object with an `items` array.
fn repair_json_feed(text: &str) -> Option<String> {
    use serde_json::Value;
    let mut doc: Value = serde_json::from_str(text).ok()?;
    let feed = doc.as_object_mut()?;
    if !feed.get("items").is_some_and(Value::is_array) {
        return None;
    }
    let version = feed.get("version").and_then(Value::as_str).unwrap_or("");
    let known = version.is_empty()
        || version.contains("jsonfeed.org/version/1")
        || version.trim_start_matches(['v', 'V']).starts_with('1');
    if !known {
        return None;
    }
    feed.insert("version".into(), Value::String("https://jsonfeed.org/version/1.1".into()));
    if !feed.get("title").is_some_and(Value::is_string) {
        feed.insert("title".into(), Value::String(String::new()));
    }
    if let Some(Value::Array(items)) = feed.get_mut("items") {
        items.retain(Value::is_object);
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            for key in ["id", "url", "external_url", "title"] {
                match item.get(key) {
                    Some(Value::Number(n)) => {
                        let text = n.to_string();
                        item.insert(key.into(), Value::String(text));
                    }
                    Some(Value::String(_) | Value::Null) | None => {}
                    Some(_) => {
                        item.remove(key);
                    }
                }
            }
            match item.get("tags") {
                Some(Value::String(tag)) => {
                    let tags = vec![Value::String(tag.clone())];
                    item.insert("tags".into(), Value::Array(tags));
                }
                Some(Value::Array(tags)) if !tags.iter().all(Value::is_string) => {
                    let tags: Vec<Value> = tags.iter().filter(|t| t.is_string()).cloned().collect();
                    item.insert("tags".into(), Value::Array(tags));
                }
                _ => {}
            }
        }
    }
    serde_json::to_string(&doc).ok()
}

static UPDATE_PERIOD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(?:\w+:)?updatePeriod>\s*(\w+)\s*<").expect("valid regex"));
static UPDATE_FREQUENCY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(?:\w+:)?updateFrequency>\s*(\d+)\s*<").expect("valid regex"));

/// The interval the RSS syndication module (`sy:updatePeriod` / `sy:updateFrequency`) asks for.
fn syndication_period(text: &str) -> Option<i64> {
    let head = &text[..(0..=text.len().min(16_384)).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0)];
    let period = match UPDATE_PERIOD.captures(head)?[1].to_ascii_lowercase().as_str() {
        "hourly" => 3600,
        "daily" => 86_400,
        "weekly" => 604_800,
        "monthly" => 2_592_000,
        "yearly" => 31_536_000,
        _ => return None,
    };
    let frequency: i64 =
        UPDATE_FREQUENCY.captures(head).and_then(|c| c[1].parse().ok()).filter(|f| *f > 0).unwrap_or(1);
    Some(period / frequency)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_without_version_is_repaired() {
        assert_eq!(
            repair_rss_root_version("<?xml version=\"1.0\"?>\n<rss><channel/></rss>"),
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>"
        );
        assert_eq!(
            repair_rss_root_version("<rss version='2.01' xmlns:a=\"b\">"),
            "<rss version=\"2.0\" xmlns:a=\"b\">"
        );
        assert_eq!(repair_rss_root_version("<rss version=\"2.0\">"), "<rss version=\"2.0\">");
        assert_eq!(repair_rss_root_version("<feed><rss>"), "<feed><rss>");
    }

    #[test]
    fn rss_without_channel_is_an_empty_feed() {
        assert_eq!(
            repair_rss_version("<rss version=\"0.94\">\n</rss>"),
            "<rss version=\"2.0\"><channel></channel>\n</rss>"
        );
        assert_eq!(
            repair_rss_version("<rss version=\"2.0\"><channel/></rss>"),
            "<rss version=\"2.0\"><channel/></rss>"
        );
        let parsed = parse_feed(b"<!-- x --><rss>\n</rss>", None, "http://x/", 0).expect("an empty feed");
        assert!(parsed.items.is_empty());
    }

    #[test]
    fn bare_ampersands_are_escaped_outside_cdata_and_comments() {
        assert_eq!(
            escape_bare_ampersands("<a href=\"?a=1&b=2\">Fish & Chips &amp; &#38; &#X41; &nbsp;</a>"),
            "<a href=\"?a=1&amp;b=2\">Fish &amp; Chips &amp; &#38; &#x41; &nbsp;</a>"
        );
        let literal = "<![CDATA[a & b]]><!-- c & d -->";
        assert_eq!(escape_bare_ampersands(literal), literal);
        let doc = "<rss version=\"2.0\"><channel><title>A & B</title><item><link>http://x/?a=1&b=2</link>\
                   <description><![CDATA[x &amp; y]]></description></item></channel></rss>";
        let parsed = parse_feed(doc.as_bytes(), None, "http://x/", 0).expect("repaired");
        assert_eq!(parsed.meta.title.as_deref(), Some("A & B"));
        assert_eq!(parsed.items[0].url.as_deref(), Some("http://x/?a=1&b=2"));
        assert_eq!(parsed.items[0].summary_html.as_deref(), Some("x &amp; y"));
    }

    #[test]
    fn unknown_text_types_become_plain_text() {
        let doc = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"text/plain\">A &amp; B</title>\
                   <entry><title type=\"\">Evil</title><summary type='application/octet-stream'>QQ==</summary></entry></feed>";
        let parsed = parse_feed(doc.as_bytes(), None, "http://x/", 0).expect("repaired");
        assert_eq!(parsed.meta.title.as_deref(), Some("A & B"));
        assert_eq!(parsed.items[0].title, "Evil");
    }

    #[test]
    fn json_feed_variants_are_accepted() {
        let doc = r#"{"version": "http://jsonfeed.org/version/1", "items": [
            {"id": 42, "title": "Numbered", "content_text": "x", "tags": "one,two"}, "junk"]}"#;
        let parsed = parse_feed(doc.as_bytes(), None, "http://x/", 0).expect("repaired");
        assert_eq!(parsed.items.len(), 1);
        assert_eq!(parsed.items[0].guid, "42");
        assert_eq!(parsed.items[0].title, "Numbered");
        let other = r#"{"version": "https://example.com/not-json-feed/9", "items": []}"#;
        assert!(parse_feed(other.as_bytes(), None, "http://x/", 0).is_err());
    }

    #[test]
    fn a_document_that_cannot_be_repaired_keeps_its_first_error() {
        let err = parse_feed(b"<rss version=\"2.0\"><channel><title>x &</channel></rss>", None, "http://x/", 0)
            .expect_err("mismatched tags");
        assert!(matches!(err, ParseError::Malformed(_)), "{err:?}");
    }

    #[test]
    fn syndication_module_period() {
        let text = "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>";
        assert_eq!(syndication_period(text), Some(1800));
        assert_eq!(syndication_period("<x/>"), None);
    }

    #[test]
    fn html_page_is_not_a_feed() {
        let err = parse_feed(b"<!DOCTYPE html><html><body>hi</body></html>", None, "http://x/", 0).unwrap_err();
        assert_eq!(err, ParseError::NotAFeed("got an HTML page, not RSS, Atom or JSON Feed".into()));
    }
}
