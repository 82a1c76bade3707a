//! The poller: fetches feeds with a global and a per-host concurrency limit, parses them off the
//! async threads, writes each result to the store in one transaction, and reports small events.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::task::JoinSet;

use super::fetch::{FEED_ACCEPT, FetchError, FetchOutcome, Fetcher, Validators};
use super::full_text;
use super::parse::parse_feed;
use super::schedule::{self, ServerHints};
use crate::config::{FeedSettings, FullText, Settings};
use crate::model::{FeedId, ItemId};
use crate::store::{FeedFetchState, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum PollerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("the cache is unavailable: a previous writer panicked")]
    Poisoned,
}

/// Which feeds a poll covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollSelection {
    /// Feeds whose next poll time has come.
    Due,
    /// Every enabled feed, ignoring the schedule (a manual "reload all").
    All,
    /// These feeds, ignoring the schedule and a previous 410 (a manual reload).
    Feeds(Vec<FeedId>),
}

/// What happened to one feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedOutcome {
    Updated { new_items: usize, updated_items: usize },
    NotModified,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollerEvent {
    /// A poll began; `feeds` will report.
    PollStarted {
        feeds: usize,
    },
    FeedDone {
        feed: FeedId,
        outcome: FeedOutcome,
    },
    /// An item's web page was fetched for its full article (or why not: `error`).
    ArticleStored {
        feed: FeedId,
        item: ItemId,
        error: Option<String>,
    },
    Finished {
        ok: usize,
        failed: usize,
        new_items: usize,
    },
}

/// A configured feed and its row in the store.
#[derive(Debug, Clone)]
pub struct PolledFeed {
    pub id: FeedId,
    pub settings: FeedSettings,
}

pub struct Poller {
    store: Arc<Mutex<Store>>,
    fetcher: Fetcher,
    settings: Arc<Settings>,
    feeds: Vec<PolledFeed>,
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn lock(store: &Mutex<Store>) -> Result<std::sync::MutexGuard<'_, Store>, PollerError> {
    store.lock().map_err(|_| PollerError::Poisoned)
}

impl Poller {
    /// Makes sure every configured feed has a row in the store.
    pub fn new(settings: Arc<Settings>, store: Arc<Mutex<Store>>) -> Result<Poller, PollerError> {
        let urls: Vec<&str> = settings.feeds.iter().map(|f| f.url.as_str()).collect();
        let ids = lock(&store)?.sync_feeds(&urls)?;
        let feeds =
            ids.into_iter().zip(&settings.feeds).map(|(id, s)| PolledFeed { id, settings: s.clone() }).collect();
        let fetcher = Fetcher::new(&settings.poll)?;
        Ok(Poller { store, fetcher, settings, feeds })
    }

    pub fn feeds(&self) -> &[PolledFeed] {
        &self.feeds
    }

    pub fn store(&self) -> &Arc<Mutex<Store>> {
        &self.store
    }

    /// The earliest next poll time among enabled feeds (unix seconds), if any is scheduled.
    pub fn next_due(&self) -> Result<Option<i64>, PollerError> {
        let store = lock(&self.store)?;
        let mut earliest: Option<i64> = None;
        for feed in self.feeds.iter().filter(|f| f.settings.enabled) {
            if let Some(row) = store.feed(feed.id)?.filter(|r| r.disabled_reason.is_none()) {
                let at = row.next_poll_at.unwrap_or(0);
                earliest = Some(earliest.map_or(at, |e| e.min(at)));
            }
        }
        Ok(earliest)
    }

    /// Polls the selected feeds once. Results are written to the store as each feed finishes
    /// and reported on `events`; the outcomes are also returned, in config order.
    pub async fn poll(
        &self,
        selection: &PollSelection,
        events: &mpsc::UnboundedSender<PollerEvent>,
    ) -> Result<Vec<(FeedId, FeedOutcome)>, PollerError> {
        let now = now_secs();
        let targets = self.targets(selection, now)?;
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        let _ = events.send(PollerEvent::PollStarted { feeds: targets.len() });
        let limits = Limits::new(self.settings.poll.concurrency, self.settings.poll.per_host);
        let mut tasks = JoinSet::new();
        for (order, target) in targets.into_iter().enumerate() {
            let limits = limits.clone();
            let fetcher = self.fetcher.clone();
            let store = self.store.clone();
            let interval = self.interval_of(&target.settings);
            let events = events.clone();
            tasks.spawn(async move {
                let fetched = {
                    let _permits = limits.acquire(&target.url).await;
                    fetcher.fetch(&target.url, &target.validators, FEED_ACCEPT).await
                };
                let feed = target.id;
                let full_text = target.settings.full_text;
                let store_for_apply = store.clone();
                let outcome = tokio::task::spawn_blocking(move || apply(&store_for_apply, &target, interval, fetched))
                    .await
                    .unwrap_or_else(|_| FeedOutcome::Failed("internal error while storing the feed".into()));
                let _ = events.send(PollerEvent::FeedDone { feed, outcome: outcome.clone() });
                if !matches!(outcome, FeedOutcome::Failed(_)) && full_text != FullText::Never {
                    fetch_articles(&fetcher, &store, &limits, feed, full_text, &events).await;
                }
                (order, feed, outcome)
            });
        }
        let mut results = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            if let Ok(result) = joined {
                results.push(result);
            }
        }
        results.sort_by_key(|(order, _, _)| *order);
        let results: Vec<(FeedId, FeedOutcome)> = results.into_iter().map(|(_, f, o)| (f, o)).collect();
        let failed = results.iter().filter(|(_, o)| matches!(o, FeedOutcome::Failed(_))).count();
        let new_items = results
            .iter()
            .map(|(_, o)| if let FeedOutcome::Updated { new_items, .. } = o { *new_items } else { 0 })
            .sum();
        {
            let mut store = lock(&self.store)?;
            if let Err(e) = store.purge_read(now_secs(), self.settings.cache.keep_read) {
                tracing::warn!("purging old read items failed: {e}");
            }
        }
        let _ = events.send(PollerEvent::Finished { ok: results.len() - failed, failed, new_items });
        Ok(results)
    }

    fn interval_of(&self, feed: &FeedSettings) -> i64 {
        feed.interval.unwrap_or(self.settings.poll.interval).as_secs() as i64
    }

    fn targets(&self, selection: &PollSelection, now: i64) -> Result<Vec<Target>, PollerError> {
        let mut store = lock(&self.store)?;
        let mut out = Vec::new();
        for feed in &self.feeds {
            let explicit = matches!(selection, PollSelection::Feeds(ids) if ids.contains(&feed.id));
            let selected = match selection {
                PollSelection::Due | PollSelection::All => feed.settings.enabled,
                PollSelection::Feeds(_) => explicit,
            };
            if !selected {
                continue;
            }
            let Some(row) = store.feed(feed.id)? else { continue };
            if row.disabled_reason.is_some() {
                if !explicit {
                    continue;
                }
                store.clear_disabled(feed.id)?;
            }
            if *selection == PollSelection::Due && !schedule::is_due(row.next_poll_at, now) {
                continue;
            }
            out.push(Target {
                id: feed.id,
                url: row.url,
                validators: Validators { etag: row.etag, last_modified: row.last_modified },
                settings: feed.settings.clone(),
            });
        }
        Ok(out)
    }
}

struct Target {
    id: FeedId,
    url: String,
    validators: Validators,
    settings: FeedSettings,
}

/// The global and per-host limits on requests in flight, shared by feeds and article pages.
#[derive(Clone)]
struct Limits {
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
}

impl Limits {
    fn new(global: usize, per_host: usize) -> Limits {
        Limits { global: Arc::new(Semaphore::new(global.max(1))), per_host: per_host.max(1), hosts: Default::default() }
    }

    /// Waits for a slot on `url`'s host, then for a global one (in that order, so a busy host
    /// does not hold global slots while it waits).
    async fn acquire(&self, url: &str) -> Option<(OwnedSemaphorePermit, OwnedSemaphorePermit)> {
        let host = {
            let mut hosts = self.hosts.lock().ok()?;
            hosts.entry(host_key(url)).or_insert_with(|| Arc::new(Semaphore::new(self.per_host))).clone()
        };
        let host = host.acquire_owned().await.ok()?;
        let global = self.global.clone().acquire_owned().await.ok()?;
        Some((host, global))
    }
}

/// Fetches the pages of `feed`'s newest items that need their full article, one at a time, and
/// stores each article or the reason there is none.
async fn fetch_articles(
    fetcher: &Fetcher,
    store: &Arc<Mutex<Store>>,
    limits: &Limits,
    feed: FeedId,
    mode: FullText,
    events: &mpsc::UnboundedSender<PollerEvent>,
) {
    let candidates = match lock(store).and_then(|s| Ok(s.article_candidates(feed, full_text::PAGES_PER_FEED)?)) {
        Ok(candidates) => candidates,
        Err(e) => {
            tracing::warn!("listing items for full text failed: {e}");
            return;
        }
    };
    for item in candidates.into_iter().filter(|c| full_text::wants_page(mode, c.feed_html.as_deref())) {
        let result = {
            let _permits = limits.acquire(&item.url).await;
            full_text::fetch_article(fetcher, &item).await
        };
        let result = result.map_err(|e| e.to_string());
        let error = result.as_ref().err().cloned();
        // Writes wait for the cache's lock and disk: off the async threads, as feeds are stored.
        let (writer, id) = (store.clone(), item.id);
        let stored = tokio::task::spawn_blocking(move || {
            lock(&writer).and_then(|mut s| {
                match result {
                    Ok(html) => s.store_article(id, &html)?,
                    Err(e) => s.store_article_error(id, &e)?,
                }
                Ok(())
            })
        })
        .await
        .unwrap_or(Err(PollerError::Poisoned));
        if let Err(e) = stored {
            tracing::warn!("storing the article of {} failed: {e}", item.url);
            continue;
        }
        if let Some(error) = &error {
            tracing::info!("no full text for {}: {error}", item.url);
        }
        let _ = events.send(PollerEvent::ArticleStored { feed, item: item.id, error });
    }
}

fn host_key(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase)).unwrap_or_default()
}

/// Parses and stores one fetch result. Runs on a blocking thread.
fn apply(
    store: &Mutex<Store>,
    target: &Target,
    interval: i64,
    fetched: Result<FetchOutcome, FetchError>,
) -> FeedOutcome {
    let now = now_secs();
    let result = match fetched {
        Ok(FetchOutcome::Fetched(body)) => {
            let charset = body.content_type.as_deref().and_then(super::charset::charset_from_content_type);
            let base = body.moved_to.as_deref().unwrap_or(&body.final_url);
            match parse_feed(&body.body, charset, base, now) {
                Ok(parsed) => {
                    let hints = ServerHints { min_interval: parsed.meta.min_interval_secs, max_age: body.max_age };
                    let state = FeedFetchState {
                        etag: body.validators.etag,
                        last_modified: body.validators.last_modified,
                        next_poll_at: schedule::next_after_success(now, interval, hints),
                        moved_to: body.moved_to,
                    };
                    lock(store)
                        .and_then(|mut s| Ok(s.record_success(target.id, now, &state, &parsed)?))
                        .map(|c| FeedOutcome::Updated { new_items: c.new, updated_items: c.updated })
                }
                Err(e) => record_failure(store, target.id, now, interval, &e.to_string(), None),
            }
        }
        Ok(FetchOutcome::NotModified { moved_to, max_age }) => {
            let hints = ServerHints { min_interval: None, max_age };
            let next = schedule::next_after_success(now, interval, hints);
            lock(store)
                .and_then(|mut s| Ok(s.record_not_modified(target.id, now, next, moved_to.as_deref())?))
                .map(|()| FeedOutcome::NotModified)
        }
        Err(FetchError::Gone) => {
            let reason = FetchError::Gone.to_string();
            lock(store)
                .and_then(|mut s| Ok(s.record_gone(target.id, now, &reason)?))
                .map(|()| FeedOutcome::Failed(reason))
        }
        Err(e) => record_failure(store, target.id, now, interval, &e.to_string(), e.retry_after()),
    };
    result.unwrap_or_else(|e| {
        tracing::error!("storing feed {} failed: {e}", target.url);
        FeedOutcome::Failed(format!("cannot store the result: {e}"))
    })
}

fn record_failure(
    store: &Mutex<Store>,
    feed: FeedId,
    now: i64,
    interval: i64,
    error: &str,
    retry_after: Option<i64>,
) -> Result<FeedOutcome, PollerError> {
    let mut store = lock(store)?;
    let failures = store.error_count(feed)? + 1;
    let next = schedule::next_after_failure(now, interval, failures, retry_after);
    store.record_failure(feed, now, error, next)?;
    tracing::info!("feed {feed:?} failed ({failures} in a row): {error}");
    Ok(FeedOutcome::Failed(error.to_string()))
}
