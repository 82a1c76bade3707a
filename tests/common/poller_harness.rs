//! The poller over a temp cache, for the tests that poll a local server.

use std::sync::{Arc, Mutex};

use tidings::config;
use tidings::feed::poller::{FeedOutcome, PollSelection, Poller};
use tidings::model::FeedId;
use tidings::store::{FeedRow, ItemFilter, Store};
use tokio::sync::mpsc;

use super::rss;

/// A store in a temp dir and a poller over `feeds` with the extra `[poll]` lines given.
pub struct Harness {
    pub _dir: tempfile::TempDir,
    pub store: Arc<Mutex<Store>>,
    pub poller: Poller,
}

pub fn config_text(poll: &str, feeds: &[String]) -> String {
    let mut text = format!("[poll]\ninterval = \"1m\"\nconnect_timeout = \"2s\"\ntimeout = \"5s\"\n{poll}\n");
    for url in feeds {
        text.push_str(&format!("\n[[feed]]\nurl = \"{url}\"\n"));
    }
    text
}

impl Harness {
    pub fn new(poll: &str, feeds: &[String]) -> Harness {
        Harness::from_text(&config_text(poll, feeds))
    }

    /// A poller over the whole config `text` (its `[[feed]]`s with their own keys).
    pub fn from_text(text: &str) -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("cache.db")).expect("open store");
        let store = Arc::new(Mutex::new(store));
        let poller = make_poller(text, dir.path(), &store);
        Harness { _dir: dir, store, poller }
    }

    pub fn id(&self, index: usize) -> FeedId {
        self.poller.feeds()[index].id
    }

    pub async fn poll(&self, selection: &PollSelection) -> Vec<(FeedId, FeedOutcome)> {
        let (tx, _rx) = mpsc::unbounded_channel();
        self.poller.poll(selection, &tx).await.expect("poll").feeds
    }

    /// Polls every feed and returns the outcome of the only one.
    pub async fn poll_one(&self) -> FeedOutcome {
        let results = self.poll(&PollSelection::All).await;
        assert_eq!(results.len(), 1, "{results:?}");
        results.into_iter().next().map(|(_, o)| o).expect("one result")
    }

    pub fn row(&self, index: usize) -> FeedRow {
        self.store.lock().expect("store").feed(self.id(index)).expect("feed row").expect("feed exists")
    }

    pub fn titles(&self, index: usize) -> Vec<String> {
        let store = self.store.lock().expect("store");
        let ids = store.item_ids(&ItemFilter::Feeds(vec![self.id(index)]), false).expect("ids");
        let mut titles: Vec<String> =
            store.item_summaries(&ids).expect("summaries").into_iter().map(|s| s.title).collect();
        titles.sort();
        titles
    }
}

pub fn make_poller(text: &str, base: &std::path::Path, store: &Arc<Mutex<Store>>) -> Poller {
    let settings = config::parse_settings(text, "test config", base).expect("valid test config");
    Poller::new(Arc::new(settings), store.clone()).expect("poller")
}

pub fn two_items() -> String {
    rss("Test Feed", &[(Some("1"), "First story", "one"), (Some("2"), "Second story", "two")])
}

pub fn failed(outcome: &FeedOutcome) -> &str {
    match outcome {
        FeedOutcome::Failed(error) => error,
        other => panic!("expected a failure, got {other:?}"),
    }
}
