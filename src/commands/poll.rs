//! `tidings poll`: one poll, for cron or by hand. Each feed's line is printed as that feed is
//! stored, then the feed totals; then the page phase runs and its totals follow.

use std::collections::HashMap;
use std::process::ExitCode;

use tokio::sync::mpsc;

use crate::config::FeedSettings;
use crate::feed::poller::{FeedOutcome, FeedTotals, PageTotals, PollSelection, PollerEvent, now_secs};
use crate::model::FeedId;
use crate::session::{Session, SessionError};

/// Polls once. Feed failures are reported, not fatal: the exit code is 0 unless the config or
/// cache cannot be used, or every feed polled failed. With `quiet` only failures are printed.
pub async fn poll(session: &Session, all: bool, feed: Option<&str>, quiet: bool) -> Result<ExitCode, SessionError> {
    let poller = session.poller()?;
    let selection = match feed {
        Some(name) => {
            let Some(settings) = session.settings.feed_by_name(name) else {
                eprintln!("tidings: no feed named \"{name}\" in {}", session.settings.origin);
                return Ok(ExitCode::FAILURE);
            };
            let id = poller.feeds().iter().find(|f| f.settings.url == settings.url).map(|f| f.id);
            PollSelection::Feeds(id.into_iter().collect())
        }
        None if all => PollSelection::All,
        None => PollSelection::Due,
    };
    let settings: HashMap<FeedId, &FeedSettings> = poller.feeds().iter().map(|f| (f.id, &f.settings)).collect();
    let printer = Printer { session, settings, quiet };
    let (events, mut received) = mpsc::unbounded_channel();
    let polling = async {
        let report = poller.poll(&selection, &events).await;
        // The printer stops when the last sender is gone.
        drop(events);
        report
    };
    let printing = async {
        while let Some(event) = received.recv().await {
            printer.event(&event);
        }
    };
    let (report, ()) = tokio::join!(polling, printing);
    let report = report?;
    if report.feeds.is_empty() && !quiet {
        let next = poller.next_due()?.map(|at| {
            crate::config::units::format_duration(std::time::Duration::from_secs((at - now_secs()).max(0) as u64))
        });
        match next {
            Some(wait) => println!("No feed is due (next in {wait}); --all polls every feed now."),
            None => println!("No feed to poll."),
        }
    }
    let totals = report.feed_totals;
    if totals.failed > 0 && totals.ok() == 0 {
        eprintln!("tidings: every feed polled failed ({})", totals.failed);
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

struct Printer<'a> {
    session: &'a Session,
    settings: HashMap<FeedId, &'a FeedSettings>,
    quiet: bool,
}

impl Printer<'_> {
    fn event(&self, event: &PollerEvent) {
        match event {
            PollerEvent::FeedDone { feed, outcome } => {
                let line = match outcome {
                    FeedOutcome::Failed(error) => format!("failed: {error}"),
                    _ if self.quiet => return,
                    FeedOutcome::Updated { new_items, .. } => format!("{new_items} new"),
                    FeedOutcome::NotModified => "not modified".to_string(),
                    FeedOutcome::Skipped(why) => format!("skipped: {why}"),
                };
                println!("{}: {line}", self.name(*feed));
            }
            PollerEvent::FeedsFinished(totals) if !self.quiet => println!("{}", feed_summary(totals)),
            PollerEvent::PagesStarted { pages } if !self.quiet && *pages > 0 => {
                let deadline = crate::config::units::format_duration(self.session.settings.pages.deadline);
                println!("Full text: fetching {pages} pages (for at most {deadline})");
            }
            PollerEvent::Finished { pages, .. } if !self.quiet && *pages != PageTotals::default() => {
                println!("{}", page_summary(pages));
            }
            _ => {}
        }
    }

    fn name(&self, feed: FeedId) -> String {
        let Some(settings) = self.settings.get(&feed) else { return format!("feed {}", feed.0) };
        if settings.name.is_some() {
            return settings.display_name(None);
        }
        let row = self.session.store.lock().ok().and_then(|s| s.feed(feed).ok().flatten());
        settings.display_name(row.as_ref().and_then(|r| r.title.as_deref()))
    }
}

/// "12 feeds polled: 30 new items, 2 updated, 9 not modified, 1 failed".
pub fn feed_summary(t: &FeedTotals) -> String {
    let mut line = format!(
        "{} feeds polled: {} new items, {} updated, {} not modified, {} failed",
        t.polled(),
        t.new_items,
        t.updated_items,
        t.not_modified,
        t.failed
    );
    if t.skipped > 0 {
        line.push_str(&format!(", {} skipped (another poll has them)", t.skipped));
    }
    line
}

/// "Full text: 40 articles from their pages, 2 without one, 3 to try again later, 5 left for the next poll".
pub fn page_summary(p: &PageTotals) -> String {
    let mut line = format!("Full text: {} articles from their pages, {} without one", p.stored, p.failed);
    if p.retry_later > 0 {
        line.push_str(&format!(", {} to try again later", p.retry_later));
    }
    if p.left > 0 {
        line.push_str(&format!(", {} left for the next poll", p.left));
    }
    line
}
