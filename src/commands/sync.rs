//! `tidings sync`: one sync with the `[sync]` server, for cron or by hand. Prints what it did in
//! one line; a failure is one line on stderr and exit code 1, and the cache keeps what it had
//! (changes made here stay queued for the next sync). After a sync the web pages of the new
//! summary-only items are fetched, as after a poll.

use std::process::ExitCode;
use std::time::Instant;

use crate::feed::poller::PageTotals;
use crate::session::{Session, SessionError};
use crate::sync::{SyncEvent, SyncReport};

pub async fn sync(session: &Session, quiet: bool) -> Result<ExitCode, SessionError> {
    let Some(settings) = &session.settings.sync else {
        eprintln!("tidings: no [sync] section in {}: nothing to sync with", session.settings.origin);
        return Ok(ExitCode::FAILURE);
    };
    let server = format!("{} at {}", settings.backend.title(), crate::sanitize::clean_line(&settings.url));
    // The poller's writer is the cache's one writer; its page phase fetches the full texts.
    let poller = session.poller()?;
    let started = Instant::now();
    let mut progress = |event: SyncEvent| tracing::info!("sync: {event:?}");
    let result =
        crate::sync::run(settings, &session.settings.poll, poller.store().clone(), poller.writer(), &mut progress)
            .await;
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(report) => {
            if !quiet {
                println!("{}", summary(&server, &report, seconds));
            }
            let (events, _unheard) = tokio::sync::mpsc::unbounded_channel();
            let pages = poller.fetch_synced_pages(&events).await;
            if !quiet && pages != PageTotals::default() {
                println!("{}", super::poll::page_summary(&pages));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            tracing::warn!("sync with {server} failed: {error}");
            eprintln!("tidings: sync with {server} failed: {error}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// "Synced with Tiny Tiny RSS at https://…: 12 feeds, 1,200 new items, 3 updated, 4 changes sent,
/// 10 read and 1 starred changed by the server, in 2.3 s".
fn summary(server: &str, r: &SyncReport, seconds: f64) -> String {
    format!(
        "Synced with {server}: {} feeds, {} new items, {} updated, {} changes sent, {} read and {} starred \
         changed by the server, in {seconds:.1} s",
        r.feeds, r.new_items, r.updated_items, r.sent, r.from_server.read, r.from_server.starred
    )
}
