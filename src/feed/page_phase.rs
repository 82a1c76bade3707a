//! The second phase of a poll: the web pages of summary-only items, newest first, in a queue of
//! their own (its own request limits, never a feed's slot), under a deadline. Pages not reached by
//! the deadline are left as they were, for the next poll. A transient failure is stored with a
//! time to try again; a lasting one with its reason alone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::events::{PageTotals, PollerEvent};
use super::fetch::FetchError;
use super::full_text::{FullTextError, extract_article, fetch_page_as, wants_page};
use super::host_queue::HostQueue;
use super::limits::{CpuSlots, Limits, Unreachable, host_key};
use super::poll_access::PollAccess;
use super::schedule;
use crate::config::FullText;
use crate::model::{FeedId, ItemId};
use crate::store::{Claim, LeaseKind, LeaseOwner, QueuedPage, Store, Writer};
use crate::timefmt::now_secs;

/// What a page phase shares among its workers.
#[derive(Clone)]
pub struct PagePhase {
    /// Each page's client and headers: its feed's (the credentials only on the feed's own site).
    pub access: PollAccess,
    pub writer: Writer,
    /// For reading each page's details when its turn comes.
    pub store: Arc<Mutex<Store>>,
    pub cpu: CpuSlots,
    /// The poller's page limits, shared with any other poll running.
    pub limits: Limits,
    pub unreachable: Unreachable,
    pub owner: LeaseOwner,
    pub events: mpsc::UnboundedSender<PollerEvent>,
    pub concurrency: usize,
    pub per_host: usize,
    /// The `full_text` mode of each feed in the queue.
    pub modes: Arc<HashMap<FeedId, FullText>>,
}

/// How one page ended.
enum PageEnd {
    Stored,
    Failed,
    RetryLater,
    /// Not wanted after all (the feed carries the whole article), or gone from the cache.
    NotWanted,
}

impl PagePhase {
    /// Fetches the pages of `queue` until it is empty or `deadline` comes.
    pub async fn run(&self, queue: Vec<QueuedPage>, deadline: Instant) -> PageTotals {
        let mut totals = PageTotals::default();
        if queue.is_empty() {
            return totals;
        }
        let ids: Vec<i64> = queue.iter().map(|p| p.id.0).collect();
        let (owner, now) = (self.owner.clone(), now_secs());
        let lease_end = now + (deadline.saturating_duration_since(Instant::now()).as_secs() as i64) + 120;
        let claims = match self.writer.run(move |s| s.claim(LeaseKind::Page, &ids, &owner, now, lease_end)).await {
            Ok(claims) => claims,
            Err(e) => {
                tracing::error!("cannot claim pages: {e}");
                totals.left = queue.len();
                return totals;
            }
        };
        let granted: Vec<(String, QueuedPage)> = queue
            .into_iter()
            .zip(claims)
            .filter(|(_, c)| *c == Claim::Granted)
            .map(|(p, _)| (host_key(&p.url), p))
            .collect();
        let _ = self.events.send(PollerEvent::PagesStarted { pages: granted.len() });
        let shared = Arc::new(HostQueue::new(granted, self.per_host));
        let ends: Arc<Mutex<PageTotals>> = Arc::default();
        let mut workers = JoinSet::new();
        for _ in 0..self.concurrency.max(1) {
            let (phase, queue, ends) = (self.clone(), shared.clone(), ends.clone());
            workers.spawn(async move {
                while let Some((host, page)) = queue.next().await {
                    let end = phase.fetch(&page, &host).await;
                    queue.done(&host);
                    if let Ok(mut totals) = ends.lock() {
                        match end {
                            PageEnd::Stored => totals.stored += 1,
                            PageEnd::Failed => totals.failed += 1,
                            PageEnd::RetryLater => totals.retry_later += 1,
                            PageEnd::NotWanted => {}
                        }
                    }
                }
            });
        }
        let finished = tokio::time::timeout_at(deadline, async { while workers.join_next().await.is_some() {} }).await;
        let in_flight = if finished.is_err() {
            // The deadline: pages being fetched are dropped and, like the rest, wait for the next poll.
            let running = workers.len();
            workers.shutdown().await;
            running
        } else {
            0
        };
        if let Ok(ends) = ends.lock() {
            totals = *ends;
        }
        totals.left = shared.waiting() + in_flight.min(shared.in_flight());
        let owner = self.owner.clone();
        if let Err(e) = self.writer.run(move |s| s.release_all(LeaseKind::Page, &owner)).await {
            tracing::warn!("giving back the claims on pages failed: {e}");
        }
        totals
    }

    async fn fetch(&self, page: &QueuedPage, host: &str) -> PageEnd {
        let candidate = match self.store.lock().map(|s| s.article_candidate(page.id)) {
            Ok(Ok(Some(candidate))) => candidate,
            Ok(Ok(None)) => return PageEnd::NotWanted,
            Ok(Err(e)) => {
                tracing::warn!("reading item {:?} for its page failed: {e}", page.id);
                return PageEnd::NotWanted;
            }
            Err(_) => return PageEnd::NotWanted,
        };
        let mode = self.modes.get(&page.feed_id).copied().unwrap_or(FullText::Never);
        if !wants_page(mode, candidate.summary_only, candidate.feed_html.as_deref()) {
            if candidate.summary_only.is_none() {
                let id = page.id;
                let _ = self.writer.run(move |s| s.set_summary_only(&[(id, false)])).await;
            }
            return PageEnd::NotWanted;
        }
        let skipped = || Err(FullTextError::Fetch(FetchError::HostSkipped { host: host.to_string() }));
        let mut reach = host.to_string();
        let result = match self.access.for_feed(page.feed_id).await {
            Err(e) => Err(FullTextError::Fetch(e)),
            Ok(client) => {
                reach = client.reach_key(host);
                if self.unreachable.contains(&reach) {
                    skipped()
                } else {
                    let _slot = self.limits.acquire(host).await;
                    if self.unreachable.contains(&reach) {
                        skipped()
                    } else {
                        fetch_page_as(&client.fetcher, &candidate.url, &client.access).await
                    }
                }
            }
        };
        if let Err(FullTextError::Fetch(e)) = &result
            && e.host_unreachable()
            && !host.is_empty()
        {
            self.unreachable.insert(&reach);
        }
        let result = match result {
            Ok(fetched) => {
                let _cpu = self.cpu.acquire().await;
                let (title, feed_html) = (candidate.title.clone(), candidate.feed_html.clone());
                tokio::task::spawn_blocking(move || extract_article(fetched, &title, feed_html.as_deref()))
                    .await
                    .unwrap_or(Err(FullTextError::Crashed))
            }
            Err(e) => Err(e),
        };
        self.store_result(page.feed_id, page.id, candidate.attempts, result).await
    }

    async fn store_result(
        &self,
        feed: FeedId,
        item: ItemId,
        attempts: i64,
        result: Result<String, FullTextError>,
    ) -> PageEnd {
        let (end, error, retry_at) = match &result {
            Ok(_) => (PageEnd::Stored, None, None),
            Err(e) if e.is_transient() => match schedule::next_page_retry(now_secs(), attempts + 1, e.retry_after()) {
                Some(at) => (PageEnd::RetryLater, Some(e.to_string()), Some(at)),
                None => (PageEnd::Failed, Some(format!("{e} (gave up after {} tries)", attempts + 1)), None),
            },
            Err(e) => (PageEnd::Failed, Some(e.to_string()), None),
        };
        let owner = self.owner.clone();
        let article = result.ok();
        let stored_error = error.clone();
        let written = self
            .writer
            .run(move |s| {
                match (&article, &stored_error) {
                    (Some(html), _) => s.store_article(item, html)?,
                    (None, Some(error)) => s.store_article_error(item, error, retry_at)?,
                    (None, None) => {}
                }
                s.release(LeaseKind::Page, item.0, &owner)
            })
            .await;
        if let Err(e) = written {
            tracing::warn!("storing the article of item {item:?} failed: {e}");
            return PageEnd::RetryLater;
        }
        if let Some(error) = &error {
            tracing::info!("no full text for item {item:?}: {error}");
        }
        let _ = self.events.send(PollerEvent::ArticleStored { feed, item, error });
        end
    }
}
