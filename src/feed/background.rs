//! The poller as a background task for the interface: polls due feeds at start-up and whenever
//! the next one falls due, and on request; stops when told or when the command channel closes.
//!
//! A poll's feed phase runs in this task; its page phase is handed to a task of its own, so that
//! a reload asked for while pages are still being fetched starts at once instead of waiting up to
//! the page deadline. Overlapping polls share the poller's limits and claim what they work on.

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
        run_poll(&poller, PollSelection::Due, &events, &mut pages).await;
        loop {
            let wait = match poller.next_due() {
                Ok(Some(at)) => Duration::from_secs((at - now_secs()).max(0) as u64).clamp(MIN_WAIT, MAX_WAIT),
                _ => MAX_WAIT,
            };
            let selection = tokio::select! {
                command = inbox.recv() => match command {
                    Some(PollerCommand::RefreshAll) => PollSelection::All,
                    Some(PollerCommand::Refresh(ids)) => PollSelection::Feeds(ids),
                    Some(PollerCommand::Shutdown) | None => break,
                },
                () = tokio::time::sleep(wait) => PollSelection::Due,
                // Reap page phases that ended.
                Some(_) = pages.join_next(), if !pages.is_empty() => continue,
            };
            run_poll(&poller, selection, &events, &mut pages).await;
        }
        pages.abort_all();
    });
    commands
}

async fn run_poll(
    poller: &Arc<Poller>,
    selection: PollSelection,
    events: &mpsc::UnboundedSender<PollerEvent>,
    pages: &mut JoinSet<()>,
) {
    match poller.poll_feeds(&selection, events).await {
        Ok(polled) => {
            let (poller, events) = (poller.clone(), events.clone());
            pages.spawn(async move {
                poller.poll_pages(polled, &events).await;
            });
        }
        Err(e) => tracing::error!("poll failed: {e}"),
    }
}
