use std::process::ExitCode;

use tokio::sync::mpsc;

use super::display_name;
use crate::feed::poller::{FeedOutcome, PollSelection, PollerEvent, now_secs};
use crate::session::{Session, SessionError};

/// `tidings poll`: polls once, prints a line per feed and a total. Feed failures are reported,
/// not fatal: the exit code is 0 unless the config or cache cannot be used.
pub async fn poll(session: &Session, all: bool, feed: Option<&str>) -> Result<ExitCode, SessionError> {
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
    let (events, mut received) = mpsc::unbounded_channel();
    let results = poller.poll(&selection, &events).await?;
    drop(events);
    let (mut articles, mut article_failures) = (0, 0);
    while let Some(event) = received.recv().await {
        if let PollerEvent::ArticleStored { error, .. } = event {
            match error {
                None => articles += 1,
                Some(_) => article_failures += 1,
            }
        }
    }
    let store = session.store.lock().map_err(|_| crate::feed::poller::PollerError::Poisoned)?;
    let (mut new_items, mut updated, mut not_modified, mut failed) = (0, 0, 0, 0);
    for (id, outcome) in &results {
        let settings = poller.feeds().iter().find(|f| f.id == *id).map(|f| &f.settings);
        let row = store.feed(*id)?;
        let name = settings.map_or_else(|| format!("feed {}", id.0), |s| display_name(s, row.as_ref()));
        match outcome {
            FeedOutcome::Updated { new_items: n, updated_items: u } => {
                new_items += n;
                updated += u;
                println!("{name}: {n} new");
            }
            FeedOutcome::NotModified => {
                not_modified += 1;
                println!("{name}: not modified");
            }
            FeedOutcome::Failed(error) => {
                failed += 1;
                println!("{name}: failed: {error}");
            }
        }
    }
    // next_due locks the store too.
    drop(store);
    if results.is_empty() {
        let next = poller.next_due()?.map(|at| {
            crate::config::units::format_duration(std::time::Duration::from_secs((at - now_secs()).max(0) as u64))
        });
        match next {
            Some(wait) => println!("No feed is due (next in {wait}); --all polls every feed now."),
            None => println!("No feed to poll."),
        }
    }
    println!(
        "{} feeds polled: {new_items} new items, {updated} updated, {not_modified} not modified, {failed} failed",
        results.len()
    );
    if articles + article_failures > 0 {
        println!("Full text: {articles} articles extracted from their pages, {article_failures} failed (see the log)");
    }
    Ok(ExitCode::SUCCESS)
}
