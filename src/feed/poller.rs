//! The poller: one poll is two phases. First every selected feed is fetched, parsed and stored
//! (`feed_phase`), each reported as it is committed; then the web pages of summary-only items are
//! fetched in a queue of their own under a deadline (`page_phase`). A page never holds a slot a
//! feed needs, and a host that failed to answer is skipped for the rest of the poll. Feeds and
//! pages being worked on are claimed in the cache, so overlapping polls never fetch one twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use super::feed_phase::{self, FeedPhase, Target};
use super::fetch::{FetchError, Fetcher, Validators};
use super::limits::{CpuSlots, Limits, Unreachable};
use super::page_phase::PagePhase;
use super::poll_access::PollAccess;
use super::schedule;
use crate::config::{FeedSettings, FullText, Settings};
use crate::model::FeedId;
use crate::store::{LeaseOwner, PageSources, Store, StoreError, Writer};

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

/// What a poll did: each feed's outcome in config order, and the totals of both phases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollReport {
    pub feeds: Vec<(FeedId, FeedOutcome)>,
    pub feed_totals: FeedTotals,
    pub pages: PageTotals,
}

/// A configured feed and its row in the store.
#[derive(Debug, Clone)]
pub struct PolledFeed {
    pub id: FeedId,
    pub settings: FeedSettings,
}

pub struct Poller {
    store: Arc<Mutex<Store>>,
    writer: Writer,
    fetcher: Fetcher,
    settings: Arc<Settings>,
    feeds: Vec<PolledFeed>,
    /// Shared by every poll of this poller, so that overlapping polls keep within the limits.
    feed_limits: Limits,
    page_limits: Limits,
    cpu: CpuSlots,
}

/// A poll between its two phases: what the page phase needs of it.
pub struct FeedsPolled {
    selection: PollSelection,
    report: PollReport,
    unreachable: Unreachable,
    owner: LeaseOwner,
    /// The poll's clients (one per proxy) and the feeds' credentials, shared by both phases.
    access: PollAccess,
}

pub use super::events::{FeedOutcome, FeedTotals, PageTotals, PollerEvent};
pub use crate::timefmt::now_secs;

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
        let writer = Writer::spawn(store.clone());
        let feed_limits = Limits::new(settings.poll.concurrency, settings.poll.per_host);
        let page_limits = Limits::new(settings.pages.concurrency, settings.pages.per_host);
        Ok(Poller { store, writer, fetcher, settings, feeds, feed_limits, page_limits, cpu: CpuSlots::per_core() })
    }

    pub fn feeds(&self) -> &[PolledFeed] {
        &self.feeds
    }

    pub fn settings(&self) -> &Arc<Settings> {
        &self.settings
    }

    pub fn store(&self) -> &Arc<Mutex<Store>> {
        &self.store
    }

    /// The cache's one writer, which the poller's own writes go through too.
    pub fn writer(&self) -> &Writer {
        &self.writer
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

    /// Polls the selected feeds once, then fetches the pages that want fetching. Results are
    /// written to the store as each feed and page finishes and reported on `events`.
    pub async fn poll(
        &self,
        selection: &PollSelection,
        events: &mpsc::UnboundedSender<PollerEvent>,
    ) -> Result<PollReport, PollerError> {
        let polled = self.poll_feeds(selection, events).await?;
        Ok(self.poll_pages(polled, events).await)
    }

    /// The first phase of a poll: the selected feeds, each reported as it is stored, then
    /// `FeedsFinished`. Pass the result to [`Poller::poll_pages`].
    pub async fn poll_feeds(
        &self,
        selection: &PollSelection,
        events: &mpsc::UnboundedSender<PollerEvent>,
    ) -> Result<FeedsPolled, PollerError> {
        let targets = self.targets(selection, now_secs())?;
        let mut polled = FeedsPolled {
            selection: selection.clone(),
            report: PollReport::default(),
            unreachable: Unreachable::default(),
            owner: LeaseOwner::for_this_process(),
            access: self.poll_access(),
        };
        if !targets.is_empty() {
            let _ = events.send(PollerEvent::PollStarted { feeds: targets.iter().map(|t| t.id).collect() });
            let phase = FeedPhase {
                access: polled.access.clone(),
                concurrency: self.settings.poll.concurrency,
                per_host: self.settings.poll.per_host,
                writer: self.writer.clone(),
                limits: self.feed_limits.clone(),
                cpu: self.cpu.clone(),
                unreachable: polled.unreachable.clone(),
                owner: polled.owner.clone(),
                events: events.clone(),
            };
            polled.report.feeds = phase.run(targets).await;
            polled.report.feed_totals = feed_phase::totals(&polled.report.feeds);
            let _ = events.send(PollerEvent::FeedsFinished(polled.report.feed_totals));
        }
        Ok(polled)
    }

    /// The second phase: the pages that want fetching, under the deadline; then old read items
    /// are purged and `Finished` reports both phases.
    pub async fn poll_pages(&self, polled: FeedsPolled, events: &mpsc::UnboundedSender<PollerEvent>) -> PollReport {
        let mut report = polled.report;
        report.pages =
            self.fetch_pages(&polled.selection, polled.unreachable, polled.owner, polled.access, events).await;
        let (now, keep_read) = (now_secs(), self.settings.cache.keep_read);
        if let Err(e) = self.writer.run(move |s| s.purge_read(now, keep_read)).await {
            tracing::warn!("purging old read items failed: {e}");
        }
        if !report.feeds.is_empty() || report.pages != PageTotals::default() {
            let _ = events.send(PollerEvent::Finished { feeds: report.feed_totals, pages: report.pages });
        }
        report
    }

    /// The page phase: the selected feeds' items that want their page (for a scheduled or
    /// "all" poll, those of every enabled feed, so pages left by an earlier poll are reached).
    async fn fetch_pages(
        &self,
        selection: &PollSelection,
        unreachable: Unreachable,
        owner: LeaseOwner,
        access: PollAccess,
        events: &mpsc::UnboundedSender<PollerEvent>,
    ) -> PageTotals {
        let pages = &self.settings.pages;
        let deadline = tokio::time::Instant::now() + pages.deadline;
        let mut sources = PageSources::default();
        let mut modes = HashMap::new();
        for feed in &self.feeds {
            let selected = match selection {
                PollSelection::Feeds(ids) => ids.contains(&feed.id),
                _ => feed.settings.enabled,
            };
            match feed.settings.full_text {
                _ if !selected => continue,
                FullText::Never => continue,
                FullText::Auto => sources.summaries.push(feed.id),
                FullText::Always => sources.every_item.push(feed.id),
            }
            modes.insert(feed.id, feed.settings.full_text);
        }
        // The `[sync]` server's feeds, with the default mode: their items are polled items too.
        let mode = self.settings.pages.mode;
        for feed in self.synced_feeds() {
            let selected = match selection {
                PollSelection::Feeds(ids) => ids.contains(&feed),
                _ => true,
            };
            match mode {
                _ if !selected => continue,
                FullText::Never => continue,
                FullText::Auto => sources.summaries.push(feed),
                FullText::Always => sources.every_item.push(feed),
            }
            modes.insert(feed, mode);
        }
        if modes.is_empty() {
            return PageTotals::default();
        }
        let queue = match lock(&self.store).and_then(|s| Ok(s.page_queue(&sources, now_secs(), pages.per_feed)?)) {
            Ok(queue) => queue,
            Err(e) => {
                tracing::error!("listing the pages to fetch failed: {e}");
                return PageTotals::default();
            }
        };
        let phase = PagePhase {
            access,
            writer: self.writer.clone(),
            store: self.store.clone(),
            cpu: self.cpu.clone(),
            limits: self.page_limits.clone(),
            unreachable,
            owner,
            events: events.clone(),
            concurrency: pages.concurrency,
            per_host: pages.per_host,
            modes: Arc::new(modes),
        };
        phase.run(queue, deadline).await
    }

    /// The feeds of the `[sync]` server, as the cache has them.
    fn synced_feeds(&self) -> Vec<FeedId> {
        let Some(sync) = &self.settings.sync else { return Vec::new() };
        match lock(&self.store).and_then(|s| Ok(s.synced_feeds(&sync.account())?)) {
            Ok(feeds) => feeds.into_values().collect(),
            Err(e) => {
                tracing::warn!("listing the synced feeds failed: {e}");
                Vec::new()
            }
        }
    }

    /// The page phase alone, for the `[sync]` server's feeds (after `tidings sync`): the web
    /// pages of their summary-only items, as a poll fetches those of polled feeds.
    pub async fn fetch_synced_pages(&self, events: &mpsc::UnboundedSender<PollerEvent>) -> PageTotals {
        let selection = PollSelection::Feeds(self.synced_feeds());
        let (owner, access) = (LeaseOwner::for_this_process(), self.poll_access());
        self.fetch_pages(&selection, Unreachable::default(), owner, access, events).await
    }

    /// A new poll's clients and credentials: built and looked up as its feeds need them.
    fn poll_access(&self) -> PollAccess {
        PollAccess::new(&self.fetcher, &self.settings.poll, self.feeds.iter().map(|f| (f.id, &f.settings)))
    }

    fn interval_of(&self, feed: &FeedSettings) -> i64 {
        feed.interval.unwrap_or(self.settings.poll.interval).as_secs() as i64
    }

    /// The feeds a poll of `selection` fetches, as far as it can be told before it starts (a
    /// feed of `Due` may fall due meanwhile): what a reload asked for during that poll need
    /// not fetch again.
    pub fn covered(&self, selection: &PollSelection, now: i64) -> Vec<FeedId> {
        let enabled = self.feeds.iter().filter(|f| f.settings.enabled).map(|f| f.id);
        match selection {
            PollSelection::Feeds(ids) => ids.clone(),
            PollSelection::All => enabled.collect(),
            PollSelection::Due => {
                let Ok(store) = lock(&self.store) else { return Vec::new() };
                enabled
                    .filter(|id| {
                        store
                            .feed(*id)
                            .ok()
                            .flatten()
                            .is_some_and(|row| row.disabled_reason.is_none() && schedule::is_due(row.next_poll_at, now))
                    })
                    .collect()
            }
        }
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
                interval: self.interval_of(&feed.settings),
                ignore: super::ignore::rules_for_feed(
                    self.settings.ignore.iter().map(|r| &r.query),
                    feed.id,
                    &feed.settings.display_name(None),
                    &feed.settings.tags,
                ),
            });
        }
        Ok(out)
    }
}
