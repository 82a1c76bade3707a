//! The poller as a background task for the interface: polls due feeds at start-up and whenever
//! the next one falls due, and on request; stops when told or when the command channel closes.
//!
//! A poll's feed phase runs in this task; its page phase is handed to a task of its own, so that
//! a reload asked for while pages are still being fetched starts at once instead of waiting up to
//! the page deadline. Overlapping polls share the poller's limits and claim what they work on.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::events::PollerEvent;
use super::poller::{PollSelection, Poller};
use crate::model::FeedId;
use crate::timefmt::now_secs;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollerCommand {
    RefreshAll,
    Refresh(Vec<FeedId>),
    Shutdown,
}

/// Longest sleep between schedule checks (feeds can be added by another process's poll).
const MAX_WAIT: Duration = Duration::from_secs(300);
const MIN_WAIT: Duration = Duration::from_secs(5);

pub fn spawn(
    poller: Arc<Poller>,
    runtime: &tokio::runtime::Handle,
    events: mpsc::UnboundedSender<PollerEvent>,
) -> mpsc::UnboundedSender<PollerCommand> {
    let (commands, mut inbox) = mpsc::unbounded_channel();
    runtime.spawn(async move {
        let mut pages = JoinSet::new();
        // The next poll to run: the due feeds at start-up, then what was asked for meanwhile.
        let mut queued = Some(PollSelection::Due);
        loop {
            let selection = match queued.take() {
                Some(selection) => selection,
                None => {
                    let wait = match poller.next_due() {
                        Ok(Some(at)) => Duration::from_secs((at - now_secs()).max(0) as u64).clamp(MIN_WAIT, MAX_WAIT),
                        _ => MAX_WAIT,
                    };
                    tokio::select! {
                        command = inbox.recv() => match command {
                            Some(PollerCommand::RefreshAll) => PollSelection::All,
                            Some(PollerCommand::Refresh(ids)) => PollSelection::Feeds(ids),
                            Some(PollerCommand::Shutdown) | None => break,
                        },
                        () = tokio::time::sleep(wait) => PollSelection::Due,
                        // Reap page phases that ended.
                        Some(_) = pages.join_next(), if !pages.is_empty() => continue,
                    }
                }
            };
            if run_poll(&poller, selection, &events, &mut pages, &mut inbox, &mut queued).await == Flow::Stop {
                break;
            }
        }
        pages.abort_all();
    });
    commands
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Go,
    Stop,
}

/// Runs a poll's feed phase, then hands its page phase to a task of its own. Commands that come
/// meanwhile are merged into `queued`, less the feeds this poll has still to fetch: a reload of
/// a feed being fetched (`r` pressed twice) does not fetch it again.
async fn run_poll(
    poller: &Arc<Poller>,
    selection: PollSelection,
    events: &mpsc::UnboundedSender<PollerEvent>,
    pages: &mut JoinSet<()>,
    inbox: &mut mpsc::UnboundedReceiver<PollerCommand>,
    queued: &mut Option<PollSelection>,
) -> Flow {
    // The feeds this poll is still to fetch: each leaves the set when it reports.
    let mut running: HashSet<FeedId> = poller.covered(&selection, now_secs()).into_iter().collect();
    let mut all = selection == PollSelection::All;
    let mut flow = Flow::Go;
    let (feed_events, mut reported) = mpsc::unbounded_channel();
    let feeds = poller.poll_feeds(&selection, &feed_events);
    tokio::pin!(feeds);
    let pass_on = |event: PollerEvent, running: &mut HashSet<FeedId>, all: &mut bool| {
        if let PollerEvent::FeedDone { feed, .. } = &event {
            running.remove(feed);
            *all = false;
        }
        let _ = events.send(event);
    };
    let result = loop {
        tokio::select! {
            biased;
            Some(event) = reported.recv() => pass_on(event, &mut running, &mut all),
            result = &mut feeds => break result,
            command = inbox.recv(), if flow == Flow::Go => match command {
                Some(PollerCommand::RefreshAll) if all => {}
                Some(PollerCommand::RefreshAll) => *queued = Some(PollSelection::All),
                Some(PollerCommand::Refresh(ids)) => {
                    let ids: Vec<FeedId> = ids.into_iter().filter(|id| !running.contains(id)).collect();
                    queue_feeds(queued, ids);
                }
                // The feed phase ends first (as it did before a command was read during it).
                Some(PollerCommand::Shutdown) | None => flow = Flow::Stop,
            },
        }
    };
    while let Ok(event) = reported.try_recv() {
        pass_on(event, &mut running, &mut all);
    }
    match result {
        Ok(polled) if flow == Flow::Go => {
            let (poller, events) = (poller.clone(), events.clone());
            pages.spawn(async move {
                poller.poll_pages(polled, &events).await;
            });
        }
        Ok(_) => {}
        Err(e) => tracing::error!("poll failed: {e}"),
    }
    flow
}

/// Adds a reload of `ids` to the poll queued next.
fn queue_feeds(queued: &mut Option<PollSelection>, ids: Vec<FeedId>) {
    if ids.is_empty() {
        return;
    }
    *queued = match queued.take() {
        Some(PollSelection::All) => Some(PollSelection::All),
        Some(PollSelection::Feeds(mut queued)) => {
            for id in ids {
                if !queued.contains(&id) {
                    queued.push(id);
                }
            }
            Some(PollSelection::Feeds(queued))
        }
        Some(PollSelection::Due) | None => Some(PollSelection::Feeds(ids)),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reloads_asked_for_meanwhile_are_merged() {
        let mut queued = None;
        queue_feeds(&mut queued, vec![]);
        assert_eq!(queued, None);
        queue_feeds(&mut queued, vec![FeedId(1), FeedId(2)]);
        queue_feeds(&mut queued, vec![FeedId(2), FeedId(3)]);
        assert_eq!(queued, Some(PollSelection::Feeds(vec![FeedId(1), FeedId(2), FeedId(3)])));
        queued = Some(PollSelection::All);
        queue_feeds(&mut queued, vec![FeedId(4)]);
        assert_eq!(queued, Some(PollSelection::All));
    }
}
