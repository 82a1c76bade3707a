//! What a poll reports as it goes: plain data, free of tokio and of the cache, so that the
//! interface's `update` and the commands can read it without pulling in the poller.

use crate::model::{FeedId, ItemId};

/// What happened to one feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedOutcome {
    Updated {
        new_items: usize,
        updated_items: usize,
    },
    NotModified,
    Failed(String),
    /// Not fetched, and not a failure: another poll is fetching it right now.
    Skipped(String),
}

/// Totals of a poll's feed phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedTotals {
    /// Feeds fetched with a new document.
    pub updated: usize,
    pub not_modified: usize,
    pub failed: usize,
    pub skipped: usize,
    pub new_items: usize,
    pub updated_items: usize,
}

impl FeedTotals {
    pub fn polled(&self) -> usize {
        self.updated + self.not_modified + self.failed + self.skipped
    }

    pub fn ok(&self) -> usize {
        self.updated + self.not_modified
    }
}

/// Totals of a poll's page phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageTotals {
    /// Articles extracted and stored.
    pub stored: usize,
    /// Pages that cannot give an article (404, not a web page, none on it): not tried again.
    pub failed: usize,
    /// Pages that failed for now (no answer, 5xx): tried again in a later poll.
    pub retry_later: usize,
    /// Pages not reached before the deadline: left for the next poll.
    pub left: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollerEvent {
    /// A poll began; these `feeds` will report.
    PollStarted {
        feeds: Vec<FeedId>,
    },
    FeedDone {
        feed: FeedId,
        outcome: FeedOutcome,
    },
    /// Every feed of the poll is stored; pages come next.
    FeedsFinished(FeedTotals),
    /// The page phase began with this many pages to fetch.
    PagesStarted {
        pages: usize,
    },
    /// An item's web page was fetched for its full article (or why not: `error`).
    ArticleStored {
        feed: FeedId,
        item: ItemId,
        error: Option<String>,
    },
    Finished {
        feeds: FeedTotals,
        pages: PageTotals,
    },
}
