//! The Fever API, as Miniflux, FreshRSS, coldsweat and tt-rss's plugin serve it: one address
//! (the `url` of `[sync]`, such as `https://host/fever/`), every call `POST {url}?api&WHAT` with
//! `api_key = md5("user:password")` in the form body; answers are JSON objects with `auth`
//! (1, or 0 for a key the server does not know) beside what was asked for.
//!
//! - There is no session: `login` is a call that only checks `auth`.
//! - Subscriptions: `feeds`, each filed under the first group `groups` lists it in (a tag here).
//! - New items: `items&since_id=N`, 50 a call; see [`paging`] for servers that send them out of
//!   id order. Items by id: `items&with_ids=a,b,c`, 50 ids a call.
//! - Flags: `unread_item_ids` and `saved_item_ids`, each one comma-separated list.
//! - Changes: `mark=item&as=read|unread|saved|unsaved&id=N`, one item a call (the API has no
//!   list form); an item the server no longer has (HTTP 404) is passed over.

mod paging;

use md5::{Digest, Md5};
use serde_json::Value;

use self::paging::{PAGE, Paging, Request};
use super::json::{self, ItemFields, kind, number, web_link};
use super::{ItemCursor, SyncBackend, SyncError};
use crate::config::Secret;
use crate::feed::fetch::{FetchError, Fetcher};
use crate::sanitize::clean_line;
use crate::store::{SyncFlag, SyncedFeed, SyncedItem};

pub struct Fever {
    fetcher: Fetcher,
    endpoint: String,
    user: String,
    api_key: Secret,
    /// The paging of the sync under way (the items it received so far), started afresh by the
    /// first `next_items` of each sync.
    paging: Paging,
}

/// The api_key of `user` with `password`: the hex md5 of "user:password".
pub fn api_key(user: &str, password: &str) -> String {
    let digest = Md5::digest(format!("{user}:{password}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a call's answer cannot be used.
enum Failure {
    Sync(SyncError),
    /// HTTP 404: for a mark, the item is gone.
    NotFound,
}

impl From<SyncError> for Failure {
    fn from(error: SyncError) -> Failure {
        Failure::Sync(error)
    }
}

impl Fever {
    /// A client for the Fever API at `url` (its own address, as the server documents it).
    pub fn new(fetcher: Fetcher, url: &str, user: &str, password: Secret) -> Fever {
        let api_key = Secret::new(api_key(user, password.expose()));
        Fever { fetcher, endpoint: url.trim().to_string(), user: user.to_string(), api_key, paging: Paging::default() }
    }

    /// `{url}?api&{what}` with the key and `form` in the body; the answer, `auth` checked.
    async fn call(&self, what: &str, form: &[(&str, &str)]) -> Result<Value, SyncError> {
        self.try_call(what, form).await.map_err(|failure| match failure {
            Failure::Sync(error) => error,
            Failure::NotFound => self.not_fever("HTTP 404 Not Found"),
        })
    }

    async fn try_call(&self, what: &str, form: &[(&str, &str)]) -> Result<Value, Failure> {
        let separator = if self.endpoint.contains('?') { '&' } else { '?' };
        let address = if what.is_empty() {
            format!("{}{separator}api", self.endpoint)
        } else {
            format!("{}{separator}api&{what}", self.endpoint)
        };
        let body = form_body(self.api_key.expose(), form);
        let answer = self.fetcher.post(&address, "application/x-www-form-urlencoded", body).await;
        let bytes = answer.map_err(|e| match e {
            FetchError::Status { status, .. } if status.as_u16() == 404 => Failure::NotFound,
            // It answered, but not as the Fever API does (a wrong address, a proxy in the way).
            FetchError::Status { status, .. } => Failure::Sync(self.not_fever(&format!("HTTP {status}"))),
            other => Failure::Sync(SyncError::Unreachable(other)),
        })?;
        Ok(checked(json::parse(&bytes)?, &self.user, &self.endpoint)?)
    }

    fn not_fever(&self, what: &str) -> SyncError {
        not_fever(what, &self.endpoint)
    }

    /// The items of an `items` call.
    async fn items(&self, what: &str) -> Result<Vec<SyncedItem>, SyncError> {
        let answer = self.call(what, &[]).await?;
        let now = crate::timefmt::now_secs();
        match answer.get("items") {
            Some(Value::Array(list)) => Ok(list.iter().filter_map(|i| synced_item(i, now)).collect()),
            // A server with no items may leave the list out.
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(other) => Err(SyncError::Protocol(format!("items gave {}", kind(other)))),
        }
    }

    /// The ids of a `name` call (`unread_item_ids`, `saved_item_ids`).
    async fn id_list(&self, name: &'static str) -> Result<Vec<i64>, SyncError> {
        let answer = self.call(name, &[]).await?;
        id_list(answer.get(name), name)
    }
}

/// The form body: the key, then `form`.
fn form_body(api_key: &str, form: &[(&str, &str)]) -> Vec<u8> {
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    body.append_pair("api_key", api_key);
    for (name, value) in form {
        body.append_pair(name, value);
    }
    body.finish().into_bytes()
}

fn not_fever(what: &str, endpoint: &str) -> SyncError {
    SyncError::Protocol(format!("{what} from {}: is this the Fever API's address?", clean_line(endpoint)))
}

/// The answer if its `auth` is 1.
fn checked(answer: Value, user: &str, endpoint: &str) -> Result<Value, SyncError> {
    if !answer.is_object() {
        return Err(SyncError::Protocol(format!("the answer is {}, not an object", kind(&answer))));
    }
    match number(answer.get("auth")) {
        Some(1) => Ok(answer),
        Some(code) => Err(SyncError::LoginRefused { user: user.to_string(), code: format!("auth: {code}") }),
        None => Err(not_fever("an answer without \"auth\"", endpoint)),
    }
}

/// "1,2,3" (or a list of numbers, as some servers send) as ids.
fn id_list(value: Option<&Value>, name: &str) -> Result<Vec<i64>, SyncError> {
    let bad = |what: &str| SyncError::Protocol(format!("{name} gave {what}"));
    match value {
        Some(Value::String(list)) => list
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(|id| id.parse::<i64>().map_err(|_| bad(&format!("\"{}\"", clean_line(id)))))
            .collect(),
        Some(Value::Array(list)) => list.iter().map(|id| number(Some(id)).ok_or_else(|| bad(kind(id)))).collect(),
        None | Some(Value::Null) => Err(bad("nothing")),
        Some(other) => Err(bad(kind(other))),
    }
}

/// An item of `items` as the store takes it.
fn synced_item(item: &Value, now: i64) -> Option<SyncedItem> {
    let remote_id = number(item.get("id"))?;
    let remote_feed = number(item.get("feed_id"))?;
    let field = |name: &str| item.get(name);
    let fields = ItemFields {
        title: field("title"),
        link: field("url"),
        author: field("author"),
        content: field("html"),
        date: field("created_on_time"),
    };
    let new = json::new_item(remote_id, fields, now);
    let (read, starred) = (json::flag(field("is_read")), json::flag(field("is_saved")));
    Some(SyncedItem { remote_id, remote_feed, item: new, read, starred })
}

/// The feeds of `feeds`, each under the first group of `groups` that lists it.
fn synced_feeds(feeds: &Value, groups: &Value) -> Result<Vec<SyncedFeed>, SyncError> {
    let Some(Value::Array(list)) = feeds.get("feeds") else {
        return Err(SyncError::Protocol(format!("feeds gave {}", feeds.get("feeds").map_or("nothing", kind))));
    };
    let titles: std::collections::HashMap<i64, String> = match groups.get("groups") {
        Some(Value::Array(groups)) => {
            groups.iter().filter_map(|g| Some((number(g.get("id"))?, json::line(g.get("title"))?))).collect()
        }
        _ => Default::default(),
    };
    let mut category_of: std::collections::HashMap<i64, String> = Default::default();
    if let Some(Value::Array(links)) = groups.get("feeds_groups") {
        for link in links {
            let (Some(group), Some(feed_ids)) = (number(link.get("group_id")), link.get("feed_ids")) else { continue };
            let Some(title) = titles.get(&group) else { continue };
            for feed in id_list(Some(feed_ids), "feeds_groups").unwrap_or_default() {
                category_of.entry(feed).or_insert_with(|| title.clone());
            }
        }
    }
    Ok(list
        .iter()
        .filter_map(|feed| {
            let remote_id = number(feed.get("id"))?;
            let url = web_link(feed.get("url"));
            Some(SyncedFeed {
                remote_id,
                title: json::feed_title(feed.get("title"), url.as_deref(), remote_id),
                url,
                site_url: web_link(feed.get("site_url")),
                category: category_of.get(&remote_id).cloned(),
            })
        })
        .collect())
}

impl SyncBackend for Fever {
    async fn login(&mut self) -> Result<(), SyncError> {
        self.call("", &[]).await.map(|_| ())
    }

    async fn feeds(&mut self) -> Result<Vec<SyncedFeed>, SyncError> {
        let groups = self.call("groups", &[]).await?;
        let feeds = self.call("feeds", &[]).await?;
        synced_feeds(&feeds, &groups)
    }

    async fn next_items(&mut self, cursor: &mut ItemCursor) -> Result<Option<Vec<SyncedItem>>, SyncError> {
        if cursor.done {
            return Ok(None);
        }
        // Each page given back holds an item, so `received` is 0 only at a sync's start.
        if cursor.received == 0 || self.paging.start() != cursor.since {
            self.paging = Paging::new(cursor.since);
        }
        loop {
            let items = match self.paging.next() {
                Request::Since(since) => {
                    let items = self.items(&format!("items&since_id={since}")).await?;
                    let ids: Vec<i64> = items.iter().map(|i| i.remote_id).collect();
                    self.paging.took_page(since, &ids);
                    items
                }
                Request::WithIds(ids) => self.items_by_id(&ids).await?,
                Request::Done => {
                    if self.paging.skipped_holes > 0 {
                        tracing::info!(
                            "sync: the server sent items out of order; {} ids below the highest were not asked for",
                            self.paging.skipped_holes
                        );
                    }
                    cursor.done = true;
                    return Ok(None);
                }
            };
            if !items.is_empty() {
                cursor.received += items.len();
                cursor.highest = items.iter().map(|i| i.remote_id).fold(cursor.highest, i64::max);
                return Ok(Some(items));
            }
        }
    }

    async fn items_by_id(&mut self, ids: &[i64]) -> Result<Vec<SyncedItem>, SyncError> {
        let mut items = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(PAGE) {
            let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            items.extend(self.items(&format!("items&with_ids={list}")).await?);
        }
        Ok(items)
    }

    async fn unread_ids(&mut self) -> Result<Vec<i64>, SyncError> {
        self.id_list("unread_item_ids").await
    }

    async fn starred_ids(&mut self) -> Result<Vec<i64>, SyncError> {
        self.id_list("saved_item_ids").await
    }

    async fn set_flag(&mut self, ids: &[i64], flag: SyncFlag, value: bool) -> Result<(), SyncError> {
        let mark = match (flag, value) {
            (SyncFlag::Read, true) => "read",
            (SyncFlag::Read, false) => "unread",
            (SyncFlag::Starred, true) => "saved",
            (SyncFlag::Starred, false) => "unsaved",
        };
        for id in ids {
            let id = id.to_string();
            match self.try_call("", &[("mark", "item"), ("as", mark), ("id", &id)]).await {
                Ok(_) => {}
                Err(Failure::NotFound) => tracing::info!("sync: item {id} is gone from the server; not marked {mark}"),
                Err(Failure::Sync(error)) => return Err(error),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_api_key_is_the_md5_of_user_and_password() {
        // As coldsweat makes it (python3: hashlib.md5(b"t@example.org:secret123456")).
        assert_eq!(api_key("t@example.org", "secret123456"), "529506dd32a6585a75194e934123e357");
    }

    #[test]
    fn an_answer_counts_only_with_auth_1() {
        let url = "http://h.example/fever/";
        assert!(checked(json!({"api_version": 3, "auth": 1}), "ann", url).is_ok());
        let refused = checked(json!({"api_version": 3, "auth": 0}), "ann", url).expect_err("refused");
        assert_eq!(refused.to_string(), "the server refused the user name or password of \"ann\" (auth: 0)");
        let other = checked(json!({"status": "ok"}), "ann", url).expect_err("not fever");
        assert_eq!(
            other.to_string(),
            "the server gave an answer tidings cannot use (an answer without \"auth\" from http://h.example/fever/: \
             is this the Fever API's address?)"
        );
        assert!(checked(json!([1]), "ann", url).is_err());
    }

    #[test]
    fn an_item_becomes_a_synced_item_with_its_flags() {
        let item = json!({"id": 9, "feed_id": "2", "title": "A &amp; B", "author": "", "html": "<p>x</p>",
            "url": "https://n.example/9", "is_saved": 1, "is_read": "0", "created_on_time": 1_700_000_000});
        let synced = synced_item(&item, 1_800_000_000).expect("item");
        assert_eq!((synced.remote_id, synced.remote_feed, synced.read, synced.starred), (9, 2, false, true));
        assert_eq!((synced.item.title.as_str(), synced.item.author.as_deref()), ("A & B", None));
        assert_eq!(synced.item.url.as_deref(), Some("https://n.example/9"));
        assert_eq!(synced.item.published_at, Some(1_700_000_000));
    }

    #[test]
    fn feeds_take_their_first_group() {
        let groups = json!({"auth": 1, "groups": [{"id": 1, "title": "Default"}, {"id": 10, "title": "Tech desk"}],
            "feeds_groups": [{"group_id": 10, "feed_ids": "1"}, {"group_id": 1, "feed_ids": "1,2"}]});
        let feeds = json!({"auth": 1, "feeds": [{"id": 1, "title": "FA", "url": "http://127.0.0.1:1/a.xml",
            "site_url": "http://127.0.0.1/a/"}, {"id": 2, "title": "", "url": "http://127.0.0.1:1/b.xml"},
            {"id": 3, "title": "Alone"}]});
        let feeds = synced_feeds(&feeds, &groups).expect("feeds");
        let shown: Vec<(i64, &str, Option<&str>)> =
            feeds.iter().map(|f| (f.remote_id, f.title.as_str(), f.category.as_deref())).collect();
        assert_eq!(
            shown,
            [(1, "FA", Some("Tech desk")), (2, "http://127.0.0.1:1/b.xml", Some("Default")), (3, "Alone", None)]
        );
        assert_eq!(feeds[0].site_url.as_deref(), Some("http://127.0.0.1/a/"));
    }

    #[test]
    fn id_lists_are_read_strictly() {
        assert_eq!(id_list(Some(&json!("3,1, 2")), "unread_item_ids").expect("ids"), [3, 1, 2]);
        assert_eq!(id_list(Some(&json!("")), "unread_item_ids").expect("none"), Vec::<i64>::new());
        assert_eq!(id_list(Some(&json!([4, "5"])), "saved_item_ids").expect("a list"), [4, 5]);
        assert!(
            matches!(id_list(Some(&json!("1,x")), "unread_item_ids"), Err(SyncError::Protocol(m)) if m.contains("\"x\""))
        );
        assert!(
            matches!(id_list(None, "saved_item_ids"), Err(SyncError::Protocol(m)) if m == "saved_item_ids gave nothing")
        );
    }
}
