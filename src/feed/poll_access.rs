//! How one poll sends each feed's requests its own way: a client per distinct proxy, built when
//! a feed first needs it and then shared for the rest of the poll (never one per request), and
//! each feed's headers and credentials, its password looked up at most once per poll. A feed
//! whose password or proxy cannot be had fails with that reason; the others go on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::access::Access;
use super::fetch::{FetchError, Fetcher};
use crate::config::{FeedHttp, FeedSettings, PollSettings, ProxyUrl};
use crate::model::FeedId;

/// How one feed's requests go.
pub struct FeedClient {
    pub fetcher: Fetcher,
    pub access: Access,
    proxy: Option<ProxyUrl>,
}

impl FeedClient {
    /// The key under which `host` is remembered as unreachable in this poll: the host itself
    /// when the feed goes straight, else the host by way of the proxy (a proxy that does not
    /// answer says nothing of the host, and the other feeds of that host still try it).
    pub fn reach_key(&self, host: &str) -> String {
        match &self.proxy {
            None => host.to_string(),
            Some(proxy) => format!("{host} via {}", proxy.as_str()),
        }
    }
}

/// Shared by the two phases of a poll (clones share everything).
#[derive(Clone)]
pub struct PollAccess {
    inner: Arc<Inner>,
}

struct Inner {
    settings: PollSettings,
    /// Built on first use, by proxy (`None`: straight); `[poll] proxy`'s is the poller's own.
    clients: Mutex<HashMap<Option<ProxyUrl>, Result<Fetcher, String>>>,
    feeds: HashMap<FeedId, FeedSlot>,
}

struct FeedSlot {
    url: String,
    http: FeedHttp,
    ready: OnceCell<Result<Access, String>>,
}

impl PollAccess {
    /// For a poll of `feeds`; `fetcher` is the poller's client (through `[poll] proxy`).
    pub fn new<'a>(
        fetcher: &Fetcher,
        settings: &PollSettings,
        feeds: impl IntoIterator<Item = (FeedId, &'a FeedSettings)>,
    ) -> PollAccess {
        let clients = HashMap::from([(settings.proxy.clone(), Ok(fetcher.clone()))]);
        let feeds = feeds
            .into_iter()
            .map(|(id, feed)| (id, FeedSlot { url: feed.url.clone(), http: feed.http.clone(), ready: OnceCell::new() }))
            .collect();
        PollAccess { inner: Arc::new(Inner { settings: settings.clone(), clients: Mutex::new(clients), feeds }) }
    }

    /// The client and the headers and credentials for `feed`'s requests. A feed the poll does not
    /// know (a `[sync]` server's) gets the poller's client and nothing added.
    pub async fn for_feed(&self, feed: FeedId) -> Result<FeedClient, FetchError> {
        let Some(slot) = self.inner.feeds.get(&feed) else {
            let proxy = self.inner.settings.proxy.clone();
            return Ok(FeedClient { fetcher: self.client(proxy.as_ref())?, access: Access::none(), proxy });
        };
        let fetcher = self.client(slot.http.proxy.as_ref())?;
        let access = slot.ready.get_or_init(|| ready(&slot.url, &slot.http)).await.clone();
        Ok(FeedClient { fetcher, access: access.map_err(FetchError::Setup)?, proxy: slot.http.proxy.clone() })
    }

    /// The client through `proxy`, built now if this poll has none yet.
    fn client(&self, proxy: Option<&ProxyUrl>) -> Result<Fetcher, FetchError> {
        let mut clients = self.inner.clients.lock().map_err(|_| FetchError::Setup("a poll worker panicked".into()))?;
        let built = clients
            .entry(proxy.cloned())
            .or_insert_with(|| Fetcher::with_proxy(&self.inner.settings, proxy).map_err(|e| e.to_string()));
        built.clone().map_err(FetchError::Setup)
    }

    /// How many clients this poll has built or been given (for tests of the sharing).
    pub fn clients(&self) -> usize {
        self.inner.clients.lock().map_or(0, |c| c.len())
    }
}

/// The feed's headers and credentials, its password looked up.
async fn ready(url: &str, http: &FeedHttp) -> Result<Access, String> {
    let password = match &http.auth {
        Some(auth) => Some(
            crate::password::resolve(&auth.password, &auth.password_at)
                .await
                .map_err(|e| format!("no password: {e}"))?,
        ),
        None => None,
    };
    Access::new(url, http, password).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_client_per_distinct_proxy_for_the_whole_poll() {
        let text = "[[feed]]\nurl = \"http://a.example/\"\nproxy = \"http://p.example:3128\"\n\
                    [[feed]]\nurl = \"http://b.example/\"\nproxy = \"http://p.example:3128\"\n\
                    [[feed]]\nurl = \"http://c.example/\"\nproxy = \"socks5://127.0.0.1:1080\"\n\
                    [[feed]]\nurl = \"http://d.example/\"\n";
        let settings = crate::config::parse_settings(text, "t", std::path::Path::new("/")).expect("valid");
        let fetcher = Fetcher::new(&settings.poll).expect("client");
        let ids: Vec<FeedId> = (1..=4).map(FeedId).collect();
        let access = PollAccess::new(&fetcher, &settings.poll, ids.iter().copied().zip(&settings.feeds));
        assert_eq!(access.clients(), 1, "the poller's own client, nothing built yet");
        for _ in 0..3 {
            for id in &ids {
                access.for_feed(*id).await.expect("ready");
            }
        }
        assert_eq!(access.clients(), 3, "straight, p.example and the socks proxy: each built once");
        // A feed the poll does not know (a synced one) goes the default way, building nothing.
        let synced = access.for_feed(FeedId(99)).await.expect("ready");
        assert!(!synced.access.has_credentials());
        assert_eq!((access.clients(), synced.reach_key("h")), (3, "h".to_string()));
    }
}
