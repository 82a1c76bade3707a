//! Tiny Tiny RSS's JSON API (level 15 and later): one URL, `POST {url}/api/` with a JSON body;
//! answers are `{"seq", "status": 0|1, "content"}` with HTTP 200 even for errors.
//!
//! - `login` gives a session id sent as `sid` in every later body; an expired session
//!   (`NOT_LOGGED_IN`) is opened again once.
//! - Subscriptions: `getFeeds` with `cat_id = -3` (every real feed, whatever its category), each
//!   filed under its category's title from `getCategories` (the reader shows it as a tag).
//! - New items: `getHeadlines` of feed -4 (all articles) with `since_id`, 200 at most a call (the
//!   server's cap), paged with `skip` over the same `since_id`, oldest import first
//!   (`order_by = date_reverse`) so that items imported meanwhile come at the end instead of
//!   shifting the pages already read.
//! - Flags: there is no "changed since" query, so the unread (`view_mode = unread`) and starred
//!   (feed -1) lists are read whole, ids only, 200 a call.
//! - Changes: `updateArticle` with `field` 2 (unread) or 0 (starred) and `mode` 0 or 1.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{ItemCursor, SyncBackend, SyncError};
use crate::config::Secret;
use crate::feed::fetch::{FetchError, Fetcher};
use crate::feed::normalise::item_date;
use crate::model::NewItem;
use crate::sanitize::{clean_line, clean_text};
use crate::store::{SyncFlag, SyncedFeed, SyncedItem};
use crate::text::decode_entities;

/// The server's cap on headlines per call.
pub const PAGE: usize = 200;

pub struct TtRss {
    fetcher: Fetcher,
    api: String,
    user: String,
    password: Secret,
    sid: Option<String>,
}

impl TtRss {
    /// A client for the tt-rss at `url` (its base address, or its `/api/` address).
    pub fn new(fetcher: Fetcher, url: &str, user: &str, password: Secret) -> TtRss {
        TtRss { fetcher, api: api_url(url), user: user.to_string(), password, sid: None }
    }

    /// One call; an expired session is opened again once.
    async fn call(&mut self, op: &'static str, mut body: Value) -> Result<Value, SyncError> {
        for attempt in 0..2 {
            if self.sid.is_none() {
                self.open_session().await?;
            }
            body["op"] = json!(op);
            body["sid"] = json!(self.sid);
            match self.post(&body).await? {
                Answer::Ok(content) => return Ok(content),
                Answer::Error(code) if code == "NOT_LOGGED_IN" && attempt == 0 => self.sid = None,
                Answer::Error(code) => return Err(SyncError::Api { call: op, code }),
            }
        }
        Err(SyncError::Api { call: op, code: "NOT_LOGGED_IN".into() })
    }

    async fn open_session(&mut self) -> Result<(), SyncError> {
        let body = json!({"op": "login", "user": self.user, "password": self.password.expose()});
        match self.post(&body).await? {
            Answer::Ok(content) => {
                let sid = content.get("session_id").and_then(Value::as_str).filter(|s| !s.is_empty());
                self.sid = Some(sid.ok_or_else(|| SyncError::Protocol("login gave no session_id".into()))?.to_string());
                Ok(())
            }
            Answer::Error(code) if code == "API_DISABLED" => {
                Err(SyncError::ApiDisabled { user: self.user.clone(), code })
            }
            Answer::Error(code) => Err(SyncError::LoginRefused { user: self.user.clone(), code }),
        }
    }

    async fn post(&self, body: &Value) -> Result<Answer, SyncError> {
        let bytes = serde_json::to_vec(body).map_err(|e| SyncError::Protocol(e.to_string()))?;
        let answer = self.fetcher.post(&self.api, "application/json", bytes).await.map_err(|e| match e {
            // It answered, but not as tt-rss's API does (a wrong address, a proxy in the way).
            FetchError::Status { status, .. } => {
                SyncError::Protocol(format!("HTTP {status} from {}: is this tt-rss's address?", clean_line(&self.api)))
            }
            other => SyncError::Unreachable(other),
        })?;
        parse_answer(&answer)
    }

    /// Headlines of `feed_id` (with `extra` parameters), one page from `skip`.
    async fn headlines(&mut self, feed_id: i64, skip: usize, extra: Value) -> Result<Vec<Value>, SyncError> {
        let mut body = json!({"feed_id": feed_id, "limit": PAGE, "skip": skip});
        if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
            body.extend(extra);
        }
        match self.call("getHeadlines", body).await? {
            Value::Array(list) => Ok(list),
            other => Err(SyncError::Protocol(format!("getHeadlines gave {}", kind(&other)))),
        }
    }

    /// The ids of every headline of `feed_id` in `view_mode`.
    async fn all_ids(&mut self, feed_id: i64, view_mode: &str) -> Result<Vec<i64>, SyncError> {
        let mut ids = Vec::new();
        loop {
            let page = self.headlines(feed_id, ids.len(), json!({"view_mode": view_mode})).await?;
            let n = page.len();
            ids.extend(page.iter().filter_map(|h| number(h.get("id"))));
            if n < PAGE {
                return Ok(ids);
            }
        }
    }
}

enum Answer {
    Ok(Value),
    Error(String),
}

fn parse_answer(bytes: &[u8]) -> Result<Answer, SyncError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|_| {
        let start = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]).to_string();
        SyncError::Protocol(format!("not JSON: \"{}\"", clean_line(&start)))
    })?;
    let content = value.get("content").cloned().unwrap_or(Value::Null);
    match value.get("status").and_then(Value::as_i64) {
        Some(0) => Ok(Answer::Ok(content)),
        Some(_) => {
            let code = content.get("error").and_then(Value::as_str).unwrap_or("unknown error");
            Ok(Answer::Error(clean_line(code)))
        }
        None => Err(SyncError::Protocol("an answer without a status".into())),
    }
}

/// `https://host/tt-rss` (or `.../tt-rss/`, or `.../tt-rss/api/`) -> `https://host/tt-rss/api/`.
pub fn api_url(url: &str) -> String {
    let base = url.trim().trim_end_matches('/');
    if base.ends_with("/api") { format!("{base}/") } else { format!("{base}/api/") }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A number, also when an older server sends it as a string.
fn number(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// A link worth keeping: http(s) only.
fn web_link(value: Option<&Value>) -> Option<String> {
    let link = url::Url::parse(text(value)?).ok()?;
    matches!(link.scheme(), "http" | "https").then(|| clean_line(link.as_str()))
}

/// A headline (or article) as the store takes it: text cleaned as the poller cleans a feed's.
fn synced_item(headline: &Value, now: i64) -> Option<SyncedItem> {
    let remote_id = number(headline.get("id"))?;
    let remote_feed = number(headline.get("feed_id"))?;
    let title = text(headline.get("title")).map(|t| clean_line(&decode_entities(t))).unwrap_or_default();
    let content = text(headline.get("content")).map(clean_text).filter(|c| !c.trim().is_empty());
    let published_at = number(headline.get("updated")).filter(|t| *t > 0).map(|t| item_date(t, now));
    let item = NewItem {
        guid: remote_id.to_string(),
        url: web_link(headline.get("link")),
        title: if title.is_empty() { "(untitled)".into() } else { title },
        author: text(headline.get("author")).map(|a| clean_line(&decode_entities(a))).filter(|a| !a.is_empty()),
        published_at,
        updated_at: None,
        summary_html: None,
        content_html: content,
        summary_only: None,
        // tt-rss lists attachments only when asked (`include_attachments`): not asked yet.
        enclosures: Vec::new(),
    };
    let flag = |name: &str| headline.get(name).and_then(Value::as_bool).unwrap_or(false);
    Some(SyncedItem { remote_id, remote_feed, item, read: !flag("unread"), starred: flag("marked") })
}

/// A feed of `getFeeds`, its category named from `categories` (id -> title).
fn synced_feed(feed: &Value, categories: &HashMap<i64, String>) -> Option<SyncedFeed> {
    let remote_id = number(feed.get("id")).filter(|id| *id > 0)?;
    // 0 is "Uncategorized": no folder.
    let category = number(feed.get("cat_id")).filter(|id| *id > 0).and_then(|id| categories.get(&id)).cloned();
    let title = text(feed.get("title")).map(|t| clean_line(&decode_entities(t))).unwrap_or_default();
    let url = web_link(feed.get("feed_url"));
    Some(SyncedFeed {
        remote_id,
        title: if title.is_empty() { url.clone().unwrap_or_else(|| format!("feed {remote_id}")) } else { title },
        url,
        site_url: None,
        category,
    })
}

/// `getCategories`: id -> title of the user's own categories (the special ones are left out).
fn categories(answer: &Value) -> HashMap<i64, String> {
    let Some(list) = answer.as_array() else { return HashMap::new() };
    list.iter()
        .filter_map(|c| {
            let id = number(c.get("id")).filter(|id| *id > 0)?;
            let title = clean_line(&decode_entities(text(c.get("title"))?));
            (!title.is_empty()).then_some((id, title))
        })
        .collect()
}

impl SyncBackend for TtRss {
    async fn login(&mut self) -> Result<(), SyncError> {
        self.sid = None;
        self.open_session().await
    }

    async fn feeds(&mut self) -> Result<Vec<SyncedFeed>, SyncError> {
        let categories = categories(&self.call("getCategories", json!({})).await?);
        match self.call("getFeeds", json!({"cat_id": -3})).await? {
            Value::Array(list) => Ok(list.iter().filter_map(|f| synced_feed(f, &categories)).collect()),
            other => Err(SyncError::Protocol(format!("getFeeds gave {}", kind(&other)))),
        }
    }

    async fn next_items(&mut self, cursor: &mut ItemCursor) -> Result<Option<Vec<SyncedItem>>, SyncError> {
        if cursor.done {
            return Ok(None);
        }
        let extra = json!({"since_id": cursor.since, "show_content": true, "order_by": "date_reverse"});
        let page = self.headlines(-4, cursor.received, extra).await?;
        cursor.received += page.len();
        cursor.done = page.len() < PAGE;
        if page.is_empty() {
            return Ok(None);
        }
        let now = crate::timefmt::now_secs();
        let items: Vec<SyncedItem> = page.iter().filter_map(|h| synced_item(h, now)).collect();
        cursor.highest = items.iter().map(|i| i.remote_id).fold(cursor.highest, i64::max);
        Ok(Some(items))
    }

    async fn items_by_id(&mut self, ids: &[i64]) -> Result<Vec<SyncedItem>, SyncError> {
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let now = crate::timefmt::now_secs();
        match self.call("getArticle", json!({"article_id": list})).await? {
            Value::Array(articles) => Ok(articles.iter().filter_map(|a| synced_item(a, now)).collect()),
            other => Err(SyncError::Protocol(format!("getArticle gave {}", kind(&other)))),
        }
    }

    async fn unread_ids(&mut self) -> Result<Vec<i64>, SyncError> {
        self.all_ids(-4, "unread").await
    }

    async fn starred_ids(&mut self) -> Result<Vec<i64>, SyncError> {
        self.all_ids(-1, "all_articles").await
    }

    async fn set_flag(&mut self, ids: &[i64], flag: SyncFlag, value: bool) -> Result<(), SyncError> {
        let (field, mode) = match flag {
            SyncFlag::Read => (2, !value),
            SyncFlag::Starred => (0, value),
        };
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        self.call("updateArticle", json!({"article_ids": list, "field": field, "mode": i32::from(mode)})).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_address_is_found_from_the_base_or_the_api_address() {
        assert_eq!(api_url("https://h.example/tt-rss"), "https://h.example/tt-rss/api/");
        assert_eq!(api_url("https://h.example/tt-rss/"), "https://h.example/tt-rss/api/");
        assert_eq!(api_url("http://127.0.0.1:8080/api/"), "http://127.0.0.1:8080/api/");
    }

    #[test]
    fn a_headline_becomes_an_item_with_clean_text_and_its_flags() {
        let headline = json!({"id": 7, "feed_id": "3", "title": "A &amp; B\u{1b}[31m", "link": "javascript:x",
            "unread": false, "marked": true, "updated": 1_700_000_000, "content": "<p>x</p>", "author": ""});
        let item = synced_item(&headline, 1_800_000_000).expect("item");
        assert_eq!((item.remote_id, item.remote_feed, item.read, item.starred), (7, 3, true, true));
        assert_eq!(item.item.guid, "7");
        assert_eq!(item.item.title, "A & B", "the escape sequence is gone");
        assert_eq!((item.item.url, item.item.author), (None, None));
        assert_eq!(item.item.published_at, Some(1_700_000_000));
    }

    #[test]
    fn errors_are_read_from_the_answer() {
        let answer = parse_answer(br#"{"seq":0,"status":1,"content":{"error":"LOGIN_ERROR"}}"#).expect("parsed");
        assert!(matches!(answer, Answer::Error(code) if code == "LOGIN_ERROR"));
        assert!(matches!(parse_answer(b"<html>"), Err(SyncError::Protocol(_))));
    }
}
