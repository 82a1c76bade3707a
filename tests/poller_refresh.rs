//! Issue 12, bug 14: the reader's poller task does not fetch a feed twice when `r` is pressed
//! again while it is being fetched.

mod common;

use std::sync::{Arc, Mutex};

use common::http_server::{Reply, TestServer, guard, wait_until};
use common::rss;
use tidings::config;
use tidings::feed::background::{self, PollerCommand};
use tidings::feed::poller::{Poller, PollerEvent};
use tidings::model::FeedId;
use tidings::store::Store;
use tokio::sync::mpsc;

fn feed(title: &str) -> String {
    rss(title, &[(Some("1"), "First story", "one")])
}

/// Waits for the `n`th `FeedDone` of `feed`.
async fn feed_done(events: &mut mpsc::UnboundedReceiver<PollerEvent>, seen: &mut Vec<FeedId>, feed: FeedId, n: usize) {
    while seen.iter().filter(|f| **f == feed).count() < n {
        if let PollerEvent::FeedDone { feed, .. } = events.recv().await.expect("the poller is running") {
            seen.push(feed);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_reload_of_a_feed_being_fetched_is_dropped() {
    let server = TestServer::start().await;
    server.route("/a", Reply::ok(feed("A")));
    server.route("/b", Reply::ok(feed("B")));
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!(
        "[poll]\ninterval = \"1h\"\nconnect_timeout = \"2s\"\ntimeout = \"30s\"\n\n[[feed]]\nurl = \"{}\"\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/a"),
        server.url("/b")
    );
    let settings = config::parse_settings(&text, "test config", dir.path()).expect("config");
    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("cache.db")).expect("store")));
    let poller = Arc::new(Poller::new(Arc::new(settings), store).expect("poller"));
    let (a, b) = (poller.feeds()[0].id, poller.feeds()[1].id);
    let (events_tx, mut events) = mpsc::unbounded_channel();
    let commands = background::spawn(poller, &tokio::runtime::Handle::current(), events_tx);
    let mut seen = Vec::new();
    guard(async {
        // The start-up poll fetches both.
        feed_done(&mut events, &mut seen, a, 1).await;
        feed_done(&mut events, &mut seen, b, 1).await;
        assert_eq!(server.requests_to("/a").len(), 1);

        // `r` on feed a: its fetch is held in flight, and `r` is pressed again meanwhile.
        server.route("/a", Reply::ok(feed("A")).held());
        commands.send(PollerCommand::Refresh(vec![a])).expect("send");
        wait_until("feed a is being fetched", || server.in_flight() == 1).await;
        commands.send(PollerCommand::Refresh(vec![a])).expect("send");
        commands.send(PollerCommand::Refresh(vec![a])).expect("send");
        // `r` on feed b meanwhile is not lost.
        commands.send(PollerCommand::Refresh(vec![b])).expect("send");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        server.release();
        feed_done(&mut events, &mut seen, a, 2).await;
        feed_done(&mut events, &mut seen, b, 2).await;
        // A last reload of b, asked for once everything above ran: whatever was queued before it
        // has been fetched by the time it reports.
        commands.send(PollerCommand::Refresh(vec![b])).expect("send");
        feed_done(&mut events, &mut seen, b, 3).await;
    })
    .await;
    assert_eq!(server.requests_to("/a").len(), 2, "one fetch per reload of a, not one per keypress");
    assert_eq!(server.requests_to("/b").len(), 3);
    let _ = commands.send(PollerCommand::Shutdown);
}
