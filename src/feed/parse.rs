//! Feed document bytes in, [`ParsedFeed`] out: charset handling, repairs feed-rs needs, and the
//! parse itself inside `catch_unwind`. Pure: no IO.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;

use regex::Regex;

use super::charset::decode_document;
use super::normalise::normalise_feed;
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
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url))
        // Leave missing ids empty: normalise makes stable ones (feed-rs would invent random ones).
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false)
        .build();
    let parsed = catch_unwind(AssertUnwindSafe(|| parser.parse(text.as_bytes()))).map_err(|_| ParseError::Panicked)?;
    let feed = parsed.map_err(|e| classify(&e, &text))?;
    let mut out = normalise_feed(feed, feed_url, now);
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
/// readers accept any. Give such roots version "2.0" (RSS 2 is a superset of the others).
fn repair_rss_version(text: &str) -> std::borrow::Cow<'_, str> {
    let head_len = text.len().min(4096);
    let head_end = (0..=head_len).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let Some(root) = RSS_ROOT.find(&text[..head_end]) else {
        return text.into();
    };
    // Only when <rss is the root: nothing but the prolog, comments and a doctype before it.
    let before = &text[..root.start()];
    if before.contains('<') && !only_prolog(before) {
        return text.into();
    }
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
            repair_rss_version("<?xml version=\"1.0\"?>\n<rss><channel/></rss>"),
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>"
        );
        assert_eq!(repair_rss_version("<rss version='2.01' xmlns:a=\"b\">"), "<rss version=\"2.0\" xmlns:a=\"b\">");
        assert_eq!(repair_rss_version("<rss version=\"2.0\">"), "<rss version=\"2.0\">");
        assert_eq!(repair_rss_version("<feed><rss>"), "<feed><rss>");
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
