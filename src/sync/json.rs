//! Reading the JSON of a feed server's answers, the same for every protocol: numbers that some
//! servers send as strings, text that may be missing or blank, links kept only when they are
//! http(s), what to call a value that is not what was expected, and an item's fields made into
//! what the store takes, cleaned as the poller cleans a feed's.

use serde_json::Value;

use super::SyncError;
use crate::feed::normalise::item_date;
use crate::model::NewItem;
use crate::sanitize::{clean_line, clean_text};
use crate::text::decode_entities;

/// The answer as JSON, or a protocol error quoting its start (an HTML page, a proxy's error).
pub fn parse(bytes: &[u8]) -> Result<Value, SyncError> {
    serde_json::from_slice(bytes).map_err(|_| {
        let start = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]).to_string();
        SyncError::Protocol(format!("not JSON: \"{}\"", clean_line(&start)))
    })
}

/// What kind of value this is, for a message.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A number, also when the server sends it as a string.
pub fn number(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A flag sent as true/false, 1/0 or "1"/"0".
pub fn flag(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        other => number(other).is_some_and(|n| n != 0),
    }
}

/// Text that is there and not blank, trimmed.
pub fn text(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// A link worth keeping: http(s) only.
pub fn web_link(value: Option<&Value>) -> Option<String> {
    let link = url::Url::parse(text(value)?).ok()?;
    matches!(link.scheme(), "http" | "https").then(|| clean_line(link.as_str()))
}

/// A title or a name: entities decoded, control characters gone; `None` when blank.
pub fn line(value: Option<&Value>) -> Option<String> {
    text(value).map(|t| clean_line(&decode_entities(t))).filter(|t| !t.is_empty())
}

/// An item's fields as the server's answer holds them.
#[derive(Default)]
pub struct ItemFields<'a> {
    pub title: Option<&'a Value>,
    pub link: Option<&'a Value>,
    pub author: Option<&'a Value>,
    /// Its HTML.
    pub content: Option<&'a Value>,
    /// When it was published, in unix seconds.
    pub date: Option<&'a Value>,
}

/// The item as the store takes it; its guid is the server's id.
pub fn new_item(remote_id: i64, fields: ItemFields<'_>, now: i64) -> NewItem {
    NewItem {
        guid: remote_id.to_string(),
        url: web_link(fields.link),
        title: line(fields.title).unwrap_or_else(|| "(untitled)".into()),
        author: line(fields.author),
        published_at: number(fields.date).filter(|t| *t > 0).map(|t| item_date(t, now)),
        updated_at: None,
        summary_html: None,
        content_html: text(fields.content).map(clean_text).filter(|c| !c.trim().is_empty()),
        summary_only: None,
        // tt-rss lists attachments only when asked (`include_attachments`), Fever never: none yet.
        enclosures: Vec::new(),
    }
}

/// A feed's title: its own, else its address, else "feed N".
pub fn feed_title(title: Option<&Value>, url: Option<&str>, remote_id: i64) -> String {
    line(title).or_else(|| url.map(str::to_string)).unwrap_or_else(|| format!("feed {remote_id}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_flags_come_as_numbers_strings_or_booleans() {
        assert_eq!(
            (number(Some(&json!(7))), number(Some(&json!(" 8 "))), number(Some(&json!("x")))),
            (Some(7), Some(8), None)
        );
        assert!(flag(Some(&json!(1))) && flag(Some(&json!("1"))) && flag(Some(&json!(true))));
        assert!(!flag(Some(&json!(0))) && !flag(Some(&json!("0"))) && !flag(None));
    }

    #[test]
    fn only_web_links_are_kept_and_html_is_not_json() {
        assert_eq!(web_link(Some(&json!("javascript:alert(1)"))), None);
        assert_eq!(web_link(Some(&json!(" https://a.example/x "))).as_deref(), Some("https://a.example/x"));
        assert!(matches!(parse(b"<!DOCTYPE html><html>"), Err(SyncError::Protocol(m)) if m.contains("not JSON")));
    }
}
