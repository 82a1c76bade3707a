//! What real subscription lists do to a poll, against local HTTP servers: a host that never
//! answers is tried once per poll, and overlapping polls of one cache (a cron poll while the
//! reader runs, two cron runs) fetch each feed once.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::http_server::{Reply, TestServer, guard, wait_until};
use common::rss;
use tidings::config;
use tidings::feed::poller::{FeedOutcome, PollReport, PollSelection, Poller};
use tidings::store::Store;
use tokio::sync::mpsc;

fn poller(text: &str, dir: &std::path::Path) -> Poller {
    let store = Arc::new(Mutex::new(Store::open(&dir.join("cache.db")).expect("open store")));
    let settings = config::parse_settings(text, "test config", dir).expect("valid test config");
    Poller::new(Arc::new(settings), store).expect("poller")
}

fn config_text(poll: &str, urls: &[String]) -> String {
    let mut text = format!("[poll]\n{poll}\n");
    for url in urls {
        text.push_str(&format!("\n[[feed]]\nurl = \"{url}\"\nfull_text = \"never\"\n"));
    }
    text
}

async fn poll_all(poller: &Poller) -> PollReport {
    let (tx, _rx) = mpsc::unbounded_channel();
    poller.poll(&PollSelection::All, &tx).await.expect("poll")
}

fn one_item() -> String {
    rss("A feed", &[(Some("1"), "A story", "text")])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_that_did_not_answer_is_skipped_for_the_rest_of_the_poll() {
    let good = TestServer::start().await;
    good.route("/ok", Reply::ok(one_item()));
    // This host reads each request and never answers.
    let silent = TestServer::start_on("127.0.0.2").await;
    for n in 0..3 {
        silent.route(&format!("/f{n}"), Reply::ok(one_item()).delay(Duration::from_secs(3600)));
    }
    let mut urls: Vec<String> = (0..3).map(|n| silent.url(&format!("/f{n}"))).collect();
    urls.push(good.url("/ok"));
    let dir = tempfile::tempdir().expect("temp dir");
    let poller = poller(&config_text("per_host = 1\ntimeout = \"1s\"", &urls), dir.path());

    let report = poll_all(&poller).await;
    assert_eq!(silent.requests().len(), 1, "one request found the host silent; the others were not sent");
    let outcomes: Vec<&FeedOutcome> = report.feeds.iter().map(|(_, o)| o).collect();
    let timed_out = FeedOutcome::Failed("timed out after 1s".into());
    let skipped = FeedOutcome::Failed("skipped: 127.0.0.2 did not answer earlier in this poll".into());
    assert_eq!(outcomes.iter().filter(|o| ***o == timed_out).count(), 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| ***o == skipped).count(), 2, "{outcomes:?}");
    assert_eq!(outcomes[3], &FeedOutcome::Updated { new_items: 1, updated_items: 0 }, "other hosts are polled");

    // The next poll tries the host again.
    poll_all(&poller).await;
    assert_eq!(silent.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_polls_of_one_cache_fetch_each_feed_once() {
    let server = TestServer::start().await;
    let paths: Vec<String> = (0..6).map(|n| format!("/feed{n}")).collect();
    for path in &paths {
        // Held until the second poll is over: the two polls overlap, however slow the machine.
        server.route(path, Reply::ok(one_item()).held());
    }
    let urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    let text = config_text("per_host = 8\nconcurrency = 8", &urls);
    let dir = tempfile::tempdir().expect("temp dir");
    // Two pollers, each with its own connection to the one cache file, as two processes have.
    let (first, second) = (poller(&text, dir.path()), poller(&text, dir.path()));

    // The second poll starts once the first is fetching every feed, and ends before it does.
    let second_meanwhile = async {
        wait_until("the first poll was fetching all six feeds", || server.in_flight() == paths.len()).await;
        let b = poll_all(&second).await;
        server.release();
        b
    };
    let (a, b) = guard(async { tokio::join!(poll_all(&first), second_meanwhile) }).await;
    for path in &paths {
        assert_eq!(server.requests_to(path).len(), 1, "{path} was fetched once: {a:?} {b:?}");
    }
    let fetched = |r: &PollReport| r.feeds.iter().filter(|(_, o)| matches!(o, FeedOutcome::Updated { .. })).count();
    assert_eq!((fetched(&a), fetched(&b)), (paths.len(), 0));
    let skipped: Vec<&FeedOutcome> =
        a.feeds.iter().chain(&b.feeds).map(|(_, o)| o).filter(|o| matches!(o, FeedOutcome::Skipped(_))).collect();
    assert_eq!(skipped.len(), paths.len(), "the later poll skips what the other has claimed and says so");
    let pid = std::process::id();
    assert!(
        skipped.iter().all(|o| **o == FeedOutcome::Skipped(format!("another tidings (process {pid}) is polling it"))),
        "{skipped:?}"
    );
    assert_eq!(a.feed_totals.skipped + b.feed_totals.skipped, paths.len());

    // Claims end with the poll: the next one fetches every feed again.
    poll_all(&second).await;
    for path in &paths {
        assert_eq!(server.requests_to(path).len(), 2, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_reader_a_reload_does_not_wait_for_the_pages_of_the_last_poll() {
    use tidings::feed::background::{self, PollerCommand};
    use tidings::feed::poller::PollerEvent;
    let server = TestServer::start().await;
    let pages = TestServer::start_on("127.0.0.2").await;
    pages.route("/page", Reply::ok("<p>never sent</p>").delay(Duration::from_secs(3600)));
    let item = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>S</title><link>http://example.com/</link>\
         <description>d</description><item><title>A summary</title><link>{}</link><guid>a</guid>\
         <description>Short.</description></item></channel></rss>",
        pages.url("/page")
    );
    server.route("/feed", Reply::ok(item));
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!("[poll]\ntimeout = \"1h\"\n\n[[feed]]\nurl = \"{}\"\n", server.url("/feed"));
    let poller = Arc::new(poller(&text, dir.path()));
    let feed = poller.feeds()[0].id;
    let (events, mut received) = mpsc::unbounded_channel();
    let commands = background::spawn(poller, &tokio::runtime::Handle::current(), events);
    while !matches!(next_event(&mut received).await, PollerEvent::PagesStarted { .. }) {}
    // The page hangs; a reload of the feed is polled all the same.
    commands.send(PollerCommand::Refresh(vec![feed])).expect("send");
    assert_eq!(next_event(&mut received).await, PollerEvent::PollStarted { feeds: vec![feed] });
    assert!(matches!(next_event(&mut received).await, PollerEvent::FeedDone { feed: f, .. } if f == feed));
    assert_eq!(server.requests_to("/feed").len(), 2);
    let _ = commands.send(PollerCommand::Shutdown);
}

/// The next poller event; a guard against a hang, not a measure of speed.
async fn next_event(
    received: &mut mpsc::UnboundedReceiver<tidings::feed::poller::PollerEvent>,
) -> tidings::feed::poller::PollerEvent {
    let event = tokio::time::timeout(Duration::from_secs(60), received.recv()).await;
    event.expect("an event before the guard ran out").expect("the poller runs")
}
