//! The first phase of a poll: every selected feed fetched (within the request limits), parsed
//! (one per core, off the async threads) and stored through the one writer, each reported as it
//! is committed. Nothing here waits on a web page.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::events::{FeedOutcome, FeedTotals, PollerEvent};
use super::fetch::{FEED_ACCEPT, FetchError, FetchOutcome, Validators};
use super::host_queue::HostQueue;
use super::limits::{CpuSlots, Limits, Unreachable, host_key};
use super::parse::parse_feed;
use super::poll_access::PollAccess;
use super::schedule::{self, ServerHints};
use crate::model::{FeedId, ParsedFeed};
use crate::query::Query;
use crate::store::{Claim, FeedFetchState, LeaseKind, LeaseOwner, Store, StoreError, WriteError, Writer};
use crate::timefmt::now_secs;

/// A feed to fetch in this poll, as the store has it.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: FeedId,
    pub url: String,
    pub validators: Validators,
    /// Seconds between polls (the feed's interval, else the default).
    pub interval: i64,
    /// The ignore rules, resolved for this feed ([`super::ignore::rules_for_feed`]).
    pub ignore: Vec<Query>,
}

/// What a feed phase shares among its feeds.
#[derive(Clone)]
pub struct FeedPhase {
    /// Each feed's client (by proxy) and its own headers and credentials.
    pub access: PollAccess,
    /// How many feeds are worked on at once, and how many of one host.
    pub concurrency: usize,
    pub per_host: usize,
    pub writer: Writer,
    pub limits: Limits,
    pub cpu: CpuSlots,
    pub unreachable: Unreachable,
    pub owner: LeaseOwner,
    pub events: mpsc::UnboundedSender<PollerEvent>,
}

/// How long a claim on a feed lasts at most; it is given back as soon as the feed is stored.
const FEED_LEASE_SECS: i64 = 3600;

impl FeedPhase {
    /// Polls `targets`; returns each feed's outcome in the order given.
    pub async fn run(&self, targets: Vec<Target>) -> Vec<(FeedId, FeedOutcome)> {
        let ids: Vec<i64> = targets.iter().map(|t| t.id.0).collect();
        let (owner, now) = (self.owner.clone(), now_secs());
        let claims = self.writer.run(move |s| s.claim(LeaseKind::Feed, &ids, &owner, now, now + FEED_LEASE_SECS)).await;
        let claims = match claims {
            Ok(claims) => claims,
            Err(e) => {
                let outcome = FeedOutcome::Failed(format!("cannot use the cache: {e}"));
                for t in &targets {
                    let _ = self.events.send(PollerEvent::FeedDone { feed: t.id, outcome: outcome.clone() });
                }
                return targets.iter().map(|t| (t.id, outcome.clone())).collect();
            }
        };
        let mut results: Vec<Option<(FeedId, FeedOutcome)>> = vec![None; targets.len()];
        let mut queued = Vec::with_capacity(targets.len());
        for (order, (target, claim)) in targets.into_iter().zip(claims).enumerate() {
            if let Claim::Held { pid } = claim {
                let outcome = FeedOutcome::Skipped(format!("another tidings (process {pid}) is polling it"));
                let _ = self.events.send(PollerEvent::FeedDone { feed: target.id, outcome: outcome.clone() });
                results[order] = Some((target.id, outcome));
                continue;
            }
            queued.push((host_key(&target.url), (order, target)));
        }
        // `concurrency` workers, each taking the next feed whose host has a free slot: a poll of
        // any size holds only as many feeds in memory as are being worked on.
        let queue = Arc::new(HostQueue::new(queued, self.per_host));
        let mut workers = JoinSet::new();
        for _ in 0..self.concurrency.max(1) {
            let (phase, queue) = (self.clone(), queue.clone());
            workers.spawn(async move {
                let mut done = Vec::new();
                while let Some((host, (order, target))) = queue.next().await {
                    let feed = target.id;
                    let outcome = phase.poll_feed(target).await;
                    queue.done(&host);
                    let _ = phase.events.send(PollerEvent::FeedDone { feed, outcome: outcome.clone() });
                    done.push((order, feed, outcome));
                }
                done
            });
        }
        while let Some(joined) = workers.join_next().await {
            match joined {
                Ok(done) => done.into_iter().for_each(|(order, feed, outcome)| results[order] = Some((feed, outcome))),
                Err(e) => tracing::error!("a feed worker failed: {e}"),
            }
        }
        let owner = self.owner.clone();
        if let Err(e) = self.writer.run(move |s| s.release_all(LeaseKind::Feed, &owner)).await {
            tracing::warn!("giving back the claims on feeds failed: {e}");
        }
        results.into_iter().flatten().collect()
    }

    async fn poll_feed(&self, target: Target) -> FeedOutcome {
        let host = host_key(&target.url);
        let mut slot = None;
        let mut reach = host.clone();
        // The password is looked up before a slot is taken: a slow command holds no request slot.
        let fetched = match self.access.for_feed(target.id).await {
            Err(e) => Err(e),
            Ok(client) => {
                reach = client.reach_key(&host);
                let skipped = || Err(FetchError::HostSkipped { host: host.clone() });
                if self.unreachable.contains(&reach) {
                    skipped()
                } else {
                    let mut held = self.limits.acquire(&host).await;
                    // Another feed of this host may have found it unreachable while this one waited.
                    let fetched = if self.unreachable.contains(&reach) {
                        skipped()
                    } else {
                        client.fetcher.fetch_as(&target.url, &target.validators, FEED_ACCEPT, &client.access).await
                    };
                    held.release_host();
                    // The global slot is held until the feed is stored: at most `concurrency`
                    // documents are in memory at once.
                    slot = Some(held);
                    fetched
                }
            }
        };
        if fetched.as_ref().is_err_and(FetchError::host_unreachable) && !host.is_empty() {
            self.unreachable.insert(&reach);
        }
        let write = match fetched {
            Ok(FetchOutcome::Fetched(_)) => {
                let _cpu = self.cpu.acquire().await;
                let (url, ignore, feed) = (target.url.clone(), target.ignore.clone(), target.id);
                let prepared = move || prepare(fetched, &url, now_secs(), (feed, &ignore));
                tokio::task::spawn_blocking(prepared).await.unwrap_or_else(|_| FeedWrite::Failed {
                    error: "the feed parser stopped unexpectedly".into(),
                    retry_after: None,
                })
            }
            other => prepare(other, &target.url, now_secs(), (target.id, &target.ignore)),
        };
        let outcome = self.store(target, write).await;
        drop(slot);
        outcome
    }

    async fn store(&self, target: Target, write: FeedWrite) -> FeedOutcome {
        let owner = self.owner.clone();
        let (id, interval) = (target.id, target.interval);
        let result = self
            .writer
            .run(move |s| {
                let outcome = write_feed(s, id, interval, &write)?;
                s.release(LeaseKind::Feed, id.0, &owner)?;
                Ok(outcome)
            })
            .await;
        result.unwrap_or_else(|e: WriteError| {
            tracing::error!("storing feed {} failed: {e}", target.url);
            FeedOutcome::Failed(format!("cannot store the result: {e}"))
        })
    }
}

/// A fetch result, parsed and ready to be written.
enum FeedWrite {
    Parsed { parsed: ParsedFeed, state: FeedFetchState, hints: ServerHints, now: i64 },
    NotModified { moved_to: Option<String>, hints: ServerHints, now: i64 },
    Gone { reason: String, now: i64 },
    Failed { error: String, retry_after: Option<i64> },
}

/// Parses a fetch result and drops the items the feed's ignore rules match. CPU work: runs on a
/// blocking thread.
fn prepare(fetched: Result<FetchOutcome, FetchError>, url: &str, now: i64, ignore: (FeedId, &[Query])) -> FeedWrite {
    match fetched {
        Ok(FetchOutcome::Fetched(body)) => {
            let charset = body.content_type.as_deref().and_then(crate::charset::charset_from_content_type);
            let base = body.moved_to.as_deref().unwrap_or(&body.final_url);
            match parse_feed(&body.body, charset, base, now) {
                Ok(mut parsed) => {
                    let ignored = super::ignore::drop_ignored(&mut parsed.items, ignore.0, ignore.1, now);
                    if ignored > 0 {
                        tracing::debug!("feed {url}: {ignored} items ignored by [[ignore]] rules");
                    }
                    let hints = ServerHints { min_interval: parsed.meta.min_interval_secs, max_age: body.max_age };
                    let state = FeedFetchState {
                        etag: body.validators.etag,
                        last_modified: body.validators.last_modified,
                        next_poll_at: 0,
                        moved_to: body.moved_to,
                    };
                    FeedWrite::Parsed { parsed, state, hints, now }
                }
                Err(e) => {
                    tracing::info!("feed {url} does not parse: {e}");
                    FeedWrite::Failed { error: e.to_string(), retry_after: None }
                }
            }
        }
        Ok(FetchOutcome::NotModified { moved_to, max_age }) => {
            FeedWrite::NotModified { moved_to, hints: ServerHints { min_interval: None, max_age }, now }
        }
        Err(FetchError::Gone) => FeedWrite::Gone { reason: FetchError::Gone.to_string(), now },
        Err(e) => FeedWrite::Failed { retry_after: e.retry_after(), error: e.to_string() },
    }
}

/// Writes one feed's result. Runs on the writer, inside its transaction.
fn write_feed(store: &mut Store, feed: FeedId, interval: i64, write: &FeedWrite) -> Result<FeedOutcome, StoreError> {
    match write {
        FeedWrite::Parsed { parsed, state, hints, now } => {
            let state =
                FeedFetchState { next_poll_at: schedule::next_after_success(*now, interval, *hints), ..state.clone() };
            let counts = store.record_success(feed, *now, &state, parsed)?;
            Ok(FeedOutcome::Updated { new_items: counts.new, updated_items: counts.updated })
        }
        FeedWrite::NotModified { moved_to, hints, now } => {
            let next = schedule::next_after_success(*now, interval, *hints);
            store.record_not_modified(feed, *now, next, moved_to.as_deref())?;
            Ok(FeedOutcome::NotModified)
        }
        FeedWrite::Gone { reason, now } => {
            store.record_gone(feed, *now, reason)?;
            Ok(FeedOutcome::Failed(reason.clone()))
        }
        FeedWrite::Failed { error, retry_after } => {
            let now = now_secs();
            let failures = store.error_count(feed)? + 1;
            let next = schedule::next_after_failure(now, interval, failures, *retry_after);
            store.record_failure(feed, now, error, next)?;
            tracing::info!("feed {feed:?} failed ({failures} in a row): {error}");
            Ok(FeedOutcome::Failed(error.clone()))
        }
    }
}

/// Totals of a feed phase's outcomes.
pub fn totals(results: &[(FeedId, FeedOutcome)]) -> FeedTotals {
    let mut totals = FeedTotals::default();
    for (_, outcome) in results {
        match outcome {
            FeedOutcome::Updated { new_items, updated_items } => {
                totals.updated += 1;
                totals.new_items += new_items;
                totals.updated_items += updated_items;
            }
            FeedOutcome::NotModified => totals.not_modified += 1,
            FeedOutcome::Failed(_) => totals.failed += 1,
            FeedOutcome::Skipped(_) => totals.skipped += 1,
        }
    }
    totals
}
