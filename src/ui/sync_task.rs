//! The background sync of the reader: a task on the runtime that syncs with the `[sync]` server
//! once at start (after the cache is on screen: the interface never waits for it), then every
//! `[sync] interval` and whenever asked (reload all), and tells the loop how each went. Its
//! writes go through the cache's one writer, as the poller's do.

use std::sync::{Arc, mpsc};

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use super::app::SyncNotice;
use super::feed_list::feed_infos;
use super::indexer::IndexerWork;
use super::update::Msg;
use crate::config::Settings;
use crate::feed::poller::Poller;
use crate::sync::SyncReport;

/// Starts the task; returns the sender that asks for a sync now. It stops when that sender is
/// dropped or the loop is gone.
pub fn spawn_sync(
    poller: Arc<Poller>,
    settings: Arc<Settings>,
    runtime: &tokio::runtime::Handle,
    tx: mpsc::Sender<Msg>,
    indexer: mpsc::Sender<IndexerWork>,
) -> Option<UnboundedSender<()>> {
    let sync = settings.sync.clone()?;
    let (now, mut asked) = unbounded_channel::<()>();
    runtime.spawn(async move {
        loop {
            if tx.send(Msg::Sync(SyncNotice::Started)).is_err() {
                break;
            }
            let store = poller.store().clone();
            let result = crate::sync::run(&sync, &settings.poll, store, poller.writer(), &mut |_| {}).await;
            let notice = match result {
                Ok(report) => {
                    let _ = indexer.send(IndexerWork::NewItems);
                    let feeds = poller.store().lock().ok().and_then(|s| feed_infos(&poller, &s).ok());
                    match feeds {
                        Some(feeds) => SyncNotice::Done { feeds, summary: summary(&report) },
                        None => SyncNotice::Failed("cannot read the feeds from the cache".into()),
                    }
                }
                Err(error) => {
                    tracing::warn!("sync failed: {error}");
                    SyncNotice::Failed(error.to_string())
                }
            };
            if tx.send(Msg::Sync(notice)).is_err() {
                break;
            }
            tokio::select! {
                () = tokio::time::sleep(sync.interval) => {}
                asked = asked.recv() => if asked.is_none() { break },
            }
            // Requests made while it ran are answered by the sync that follows.
            while asked.try_recv().is_ok() {}
        }
    });
    Some(now)
}

/// "12 new, 3 flags from the server, 2 sent".
fn summary(report: &SyncReport) -> String {
    let mut out = format!("{} new", report.new_items);
    let flags = report.from_server.read + report.from_server.starred;
    if flags > 0 {
        out.push_str(&format!(", {flags} flags from the server"));
    }
    if report.sent > 0 {
        out.push_str(&format!(", {} sent", report.sent));
    }
    out
}
