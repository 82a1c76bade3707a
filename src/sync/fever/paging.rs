//! Paging through a Fever server's new items, pure: which request comes next, from the ids the
//! pages so far brought.
//!
//! The API's way is `items&since_id=N` with the highest id the client has, answered with 50
//! items above it. That finds every item only if the server sends the 50 lowest ids above N, in
//! order, and not every server does: coldsweat sends them feed by feed in no id order (its query
//! has no `ORDER BY`), so a page can hold the newest items of one feed and miss older ones of
//! the next, which the following `since_id` (above the page's highest) skips for good.
//!
//! So: pages come by `since_id` (each from the highest id received so far) until one has fewer
//! than 50, which means it held every item above its `since_id`. If a full page came out of id
//! order, the ids between the sync's start and its highest that no page brought are then asked
//! for by id (`with_ids`, 50 a request): on a server with one user those are exactly the skipped
//! items; other users' ids come back empty. When there would be more than [`MAX_HOLE_IDS`] of
//! them (sparse ids, many users), they are not asked for: the unread and saved lists still
//! bring every unread and saved item.

use std::collections::BTreeSet;

/// Items a Fever server sends per `items` request (the API's figure), and the most ids one
/// `with_ids` request may name.
pub const PAGE: usize = 50;

/// The most ids asked for by id after out-of-order pages (100 requests).
pub const MAX_HOLE_IDS: i64 = 100 * PAGE as i64;

/// The next request of a sync's paging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `items&since_id=N`.
    Since(i64),
    /// `items&with_ids=...`, at most [`PAGE`] ids.
    WithIds(Vec<i64>),
    /// Nothing more.
    Done,
}

/// One sync's paging, from the highest id of the last finished sync.
#[derive(Debug, Clone, Default)]
pub struct Paging {
    start: i64,
    /// Where the next `since_id` page starts: the highest id received so far.
    since: i64,
    /// The ids above `start` received so far.
    received: BTreeSet<i64>,
    /// A full page came out of id order.
    unordered: bool,
    /// The `since_id` pages are over.
    pages_done: bool,
    /// Once the pages are over: the ids still to ask for by id, highest first (popped).
    holes: Option<Vec<i64>>,
    /// Holes left unasked because there were too many.
    pub skipped_holes: i64,
}

impl Paging {
    pub fn new(start: i64) -> Paging {
        Paging { start, since: start, ..Paging::default() }
    }

    pub fn start(&self) -> i64 {
        self.start
    }

    /// The request to make now.
    pub fn next(&mut self) -> Request {
        if !self.pages_done {
            return Request::Since(self.since);
        }
        let holes = self.holes.get_or_insert_with(|| {
            let mut holes = Vec::new();
            let top = self.received.last().copied().unwrap_or(self.start);
            let count = (top - self.start) - self.received.len() as i64;
            if self.unordered && count > MAX_HOLE_IDS {
                self.skipped_holes = count;
            } else if self.unordered {
                holes = (self.start + 1..top).rev().filter(|id| !self.received.contains(id)).collect();
            }
            holes
        });
        if holes.is_empty() {
            return Request::Done;
        }
        let cut = holes.len().saturating_sub(PAGE);
        let mut chunk = holes.split_off(cut);
        chunk.reverse();
        Request::WithIds(chunk)
    }

    /// Takes the ids of the page that answered `Request::Since(since)`, in the order they came.
    pub fn took_page(&mut self, since: i64, ids: &[i64]) {
        let above: Vec<i64> = ids.iter().copied().filter(|id| *id > since).collect();
        let full = ids.len() >= PAGE;
        if full && ids.windows(2).any(|w| w[0] >= w[1]) {
            self.unordered = true;
        }
        self.received.extend(above.iter().copied().filter(|id| *id > self.start));
        let highest = above.iter().copied().max();
        // A short page held every item above `since`; a page with nothing new would come
        // again for ever (a server that ignores since_id).
        match highest {
            Some(highest) if full => self.since = highest,
            _ => self.pages_done = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(server: &[i64], page_order: impl Fn(&[i64]) -> Vec<i64>, start: i64) -> (BTreeSet<i64>, usize) {
        let mut paging = Paging::new(start);
        let mut got = BTreeSet::new();
        let mut requests = 0;
        loop {
            requests += 1;
            assert!(requests < 1_000, "paging ends");
            match paging.next() {
                Request::Since(since) => {
                    let above: Vec<i64> = server.iter().copied().filter(|id| *id > since).collect();
                    let page: Vec<i64> = page_order(&above).into_iter().take(PAGE).collect();
                    got.extend(&page);
                    paging.took_page(since, &page);
                }
                Request::WithIds(ids) => {
                    assert!(ids.len() <= PAGE && ids.iter().all(|id| *id > start));
                    got.extend(ids.iter().filter(|id| server.contains(id)));
                }
                Request::Done => return (got, requests),
            }
        }
    }

    #[test]
    fn an_ordered_server_is_paged_by_since_id_alone() {
        let server: Vec<i64> = (1..=120).chain(500..=530).collect();
        let (got, requests) = run(&server, |ids| ids.to_vec(), 0);
        assert_eq!(got, server.iter().copied().collect());
        assert_eq!(requests, 4 + 1, "151 items: three full pages, one short, then done");
        let (got, _) = run(&server, |ids| ids.to_vec(), 100);
        assert_eq!(got.len(), 20 + 31, "only the ids above the start");
    }

    #[test]
    fn pages_out_of_order_are_completed_by_id() {
        // As coldsweat sends them: feed by feed. Feed A has 1..=100 and 181..=190 (fetched
        // again later); feed B has 101..=180.
        let a: Vec<i64> = (1..=100).chain(181..=190).collect();
        let b: Vec<i64> = (101..=180).collect();
        let server: Vec<i64> = a.iter().chain(&b).copied().collect();
        let by_feed = |above: &[i64]| {
            let mut out: Vec<i64> = above.iter().copied().filter(|id| a.contains(id)).collect();
            out.extend(above.iter().copied().filter(|id| b.contains(id)));
            out
        };
        // Without the holes asked for by id, 141..=180 would be skipped: the third page is
        // 181..=190 then 101..=140, and the next since_id (190) finds nothing.
        let (got, _) = run(&server, by_feed, 0);
        assert_eq!(got, server.iter().copied().collect::<BTreeSet<_>>());
    }

    #[test]
    fn too_many_holes_are_left_to_the_unread_and_saved_lists() {
        let mut paging = Paging::new(0);
        let page: Vec<i64> = (0..PAGE as i64).map(|n| 1_000_000 - n).collect();
        paging.took_page(0, &page);
        paging.took_page(1_000_000, &[]);
        assert_eq!(paging.next(), Request::Done);
        assert!(paging.skipped_holes > MAX_HOLE_IDS);
    }

    #[test]
    fn a_server_that_ignores_since_id_does_not_page_for_ever() {
        let mut paging = Paging::new(500);
        let old: Vec<i64> = (1..=PAGE as i64).collect();
        paging.took_page(500, &old);
        assert_eq!(paging.next(), Request::Done);
    }
}
