//! The poller as a background task for the interface: polls due feeds at start-up and whenever
//! the next one falls due, and on request; stops when told or when the command channel closes.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::poller::{PollSelection, Poller, PollerEvent, now_secs};
use crate::model::FeedId;

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
        run_poll(&poller, &PollSelection::Due, &events).await;
        loop {
            let wait = match poller.next_due() {
                Ok(Some(at)) => Duration::from_secs((at - now_secs()).max(0) as u64).clamp(MIN_WAIT, MAX_WAIT),
                _ => MAX_WAIT,
            };
            tokio::select! {
                command = inbox.recv() => match command {
                    Some(PollerCommand::RefreshAll) => run_poll(&poller, &PollSelection::All, &events).await,
                    Some(PollerCommand::Refresh(ids)) => run_poll(&poller, &PollSelection::Feeds(ids), &events).await,
                    Some(PollerCommand::Shutdown) | None => break,
                },
                () = tokio::time::sleep(wait) => run_poll(&poller, &PollSelection::Due, &events).await,
            }
        }
    });
    commands
}

async fn run_poll(poller: &Poller, selection: &PollSelection, events: &mpsc::UnboundedSender<PollerEvent>) {
    if let Err(e) = poller.poll(selection, events).await {
        tracing::error!("poll failed: {e}");
    }
}
