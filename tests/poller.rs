//! The poller end to end against a local HTTP server started by each test: status codes,
//! conditional GET, redirects, limits, encodings, scheduling and the per-host limit.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::http_server::{Reply, TestServer, guard, wait_until};
use common::poller_harness::{Harness, failed, make_poller, two_items};
use common::{fixture, fixture_bytes, now, rss};
use tidings::feed::poller::{FeedOutcome, FeedTotals, PageTotals, PollSelection, PollerEvent};
use tidings::store::{ItemFilter, Store};
use tokio::sync::mpsc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ok_response_stores_items_and_reports_events() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::ok(two_items()));
    let h = Harness::new("user_agent = \"tidings-test/9\"", &[server.url("/feed")]);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let results = h.poller.poll(&PollSelection::All, &tx).await.expect("poll").feeds;
    assert_eq!(results, [(h.id(0), FeedOutcome::Updated { new_items: 2, updated_items: 0 })]);
    drop(tx);
    let mut events = Vec::new();
    while let Some(event) = rx.recv().await {
        events.push(event);
    }
    let totals = FeedTotals { updated: 1, new_items: 2, ..FeedTotals::default() };
    assert_eq!(
        events,
        [
            PollerEvent::PollStarted { feeds: vec![h.id(0)] },
            PollerEvent::FeedDone { feed: h.id(0), outcome: FeedOutcome::Updated { new_items: 2, updated_items: 0 } },
            PollerEvent::FeedsFinished(totals),
            PollerEvent::Finished { feeds: totals, pages: PageTotals::default() },
        ]
    );
    assert_eq!(h.titles(0), ["First story", "Second story"]);
    let row = h.row(0);
    assert_eq!(row.title.as_deref(), Some("Test Feed"));
    assert_eq!((row.error.as_deref(), row.error_count), (None, 0));
    let polled = row.last_success_at.expect("success recorded");
    assert_eq!(row.next_poll_at, Some(polled + 60), "the configured interval");

    let request = server.last_request_to("/feed");
    assert_eq!(request.method, "GET");
    assert_eq!(request.header("user-agent"), Some("tidings-test/9"));
    assert!(request.header("accept").is_some_and(|a| a.starts_with("application/rss+xml")), "{request:?}");
    assert_eq!(request.header("if-none-match"), None);
    assert_eq!(request.header("if-modified-since"), None);

    // The same document again: nothing new, nothing updated.
    assert_eq!(h.poll_one().await, FeedOutcome::Updated { new_items: 0, updated_items: 0 });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etag_is_sent_back_verbatim_and_304_keeps_the_items() {
    let server = TestServer::start().await;
    let etag = "W/\"5f2b-17a;gzip\"";
    server.route("/feed", Reply::ok(two_items()).header("ETag", etag));
    let h = Harness::new("", &[server.url("/feed")]);
    assert!(matches!(h.poll_one().await, FeedOutcome::Updated { new_items: 2, .. }));
    assert_eq!(h.row(0).etag.as_deref(), Some(etag));

    server.route("/feed", Reply::status(304).header("ETag", etag));
    assert_eq!(h.poll_one().await, FeedOutcome::NotModified);
    let request = server.last_request_to("/feed");
    assert_eq!(request.header("if-none-match"), Some(etag));
    assert_eq!(request.header("if-modified-since"), None);
    assert_eq!(h.titles(0), ["First story", "Second story"]);
    let row = h.row(0);
    assert_eq!(row.etag.as_deref(), Some(etag), "a 304 keeps the validators");
    assert_eq!((row.error, row.error_count), (None, 0));
    // And keeps sending them.
    assert_eq!(h.poll_one().await, FeedOutcome::NotModified);
    assert_eq!(server.last_request_to("/feed").header("if-none-match"), Some(etag));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_modified_is_sent_back_verbatim() {
    let server = TestServer::start().await;
    let stamp = "Mon, 05 Jan 2026 10:00:00 GMT";
    server.route("/feed", Reply::ok(two_items()).header("Last-Modified", stamp));
    let h = Harness::new("", &[server.url("/feed")]);
    assert!(matches!(h.poll_one().await, FeedOutcome::Updated { new_items: 2, .. }));
    assert_eq!(h.row(0).last_modified.as_deref(), Some(stamp));

    server.route("/feed", Reply::status(304));
    assert_eq!(h.poll_one().await, FeedOutcome::NotModified);
    let request = server.last_request_to("/feed");
    assert_eq!(request.header("if-modified-since"), Some(stamp));
    assert_eq!(request.header("if-none-match"), None);
    assert_eq!(h.titles(0).len(), 2);

    // A new version without validators: they are forgotten and no longer sent.
    server.route("/feed", Reply::ok(two_items()));
    assert!(matches!(h.poll_one().await, FeedOutcome::Updated { .. }));
    assert_eq!(h.row(0).last_modified, None);
    h.poll_one().await;
    assert_eq!(server.last_request_to("/feed").header("if-modified-since"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permanent_redirect_updates_the_stored_url() {
    for status in [301, 308] {
        let server = TestServer::start().await;
        server.route("/old", Reply::redirect(status, "/new"));
        server.route("/new", Reply::ok(two_items()));
        let h = Harness::new("", &[server.url("/old")]);
        assert!(matches!(h.poll_one().await, FeedOutcome::Updated { new_items: 2, .. }), "HTTP {status}");
        let row = h.row(0);
        assert_eq!(row.url, server.url("/new"), "HTTP {status}");
        assert_eq!(row.config_url, server.url("/old"));

        server.clear_requests();
        assert!(matches!(h.poll_one().await, FeedOutcome::Updated { new_items: 0, .. }));
        let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/new"], "after a {status} the old address is not asked again");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_of_permanent_redirects_moves_to_the_end() {
    let server = TestServer::start().await;
    server.route("/a", Reply::redirect(301, "/b"));
    server.route("/b", Reply::redirect(301, &server.url("/c")));
    server.route("/c", Reply::ok(two_items()));
    let h = Harness::new("", &[server.url("/a")]);
    assert!(matches!(h.poll_one().await, FeedOutcome::Updated { new_items: 2, .. }));
    assert_eq!(h.row(0).url, server.url("/c"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn temporary_redirects_keep_the_stored_url() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::redirect(302, "/today"));
    server.route("/today", Reply::ok(two_items()));
    // A permanent hop followed by a temporary one is not a permanent move either.
    server.route("/mixed", Reply::redirect(301, "/mixed-2"));
    server.route("/mixed-2", Reply::redirect(307, "/today"));
    let h = Harness::new("", &[server.url("/feed"), server.url("/mixed")]);
    let results = h.poll(&PollSelection::All).await;
    assert!(results.iter().all(|(_, o)| matches!(o, FeedOutcome::Updated { new_items: 2, .. })), "{results:?}");
    assert_eq!(h.row(0).url, server.url("/feed"));
    assert_eq!(h.row(1).url, server.url("/mixed"));
    server.clear_requests();
    h.poll(&PollSelection::All).await;
    assert_eq!(server.requests_to("/feed").len(), 1);
    assert_eq!(server.requests_to("/mixed").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permanent_redirect_answered_by_304_still_moves_the_feed() {
    let server = TestServer::start().await;
    let etag = "\"v1\"";
    server.route("/old", Reply::ok(two_items()).header("ETag", etag));
    let h = Harness::new("", &[server.url("/old")]);
    assert!(matches!(h.poll_one().await, FeedOutcome::Updated { .. }));
    // The feed moves; the new address has the same version and says so.
    server.route("/old", Reply::redirect(301, "/new"));
    server.route("/new", Reply::status(304).header("ETag", etag));
    assert_eq!(h.poll_one().await, FeedOutcome::NotModified);
    assert_eq!(server.last_request_to("/new").header("if-none-match"), Some(etag));
    assert_eq!(h.row(0).url, server.url("/new"));
    server.clear_requests();
    assert_eq!(h.poll_one().await, FeedOutcome::NotModified);
    assert!(server.requests_to("/old").is_empty(), "the old address is not asked again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_found_keeps_old_items_and_records_the_error() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::ok(two_items()));
    let h = Harness::new("", &[server.url("/feed")]);
    h.poll_one().await;
    let success = h.row(0).last_success_at;

    server.route("/feed", Reply::status(404));
    assert_eq!(failed(&h.poll_one().await), "HTTP 404 Not Found");
    assert_eq!(h.titles(0), ["First story", "Second story"]);
    let row = h.row(0);
    assert_eq!(row.error.as_deref(), Some("HTTP 404 Not Found"));
    assert_eq!(row.error_count, 1);
    assert_eq!(row.last_success_at, success);
    assert_eq!(row.disabled_reason, None, "a 404 may be temporary: the feed stays enabled");

    // The next success clears the error.
    server.route("/feed", Reply::ok(two_items()));
    h.poll_one().await;
    let row = h.row(0);
    assert_eq!((row.error, row.error_count), (None, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gone_disables_the_feed_until_it_is_asked_for_by_name() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::ok(two_items()));
    server.route("/other", Reply::ok(rss("Other", &[(Some("o"), "Other story", "x")])));
    let h = Harness::new("", &[server.url("/feed"), server.url("/other")]);
    h.poll(&PollSelection::All).await;

    server.route("/feed", Reply::status(410));
    let results = h.poll(&PollSelection::All).await;
    let error = failed(&results[0].1);
    assert_eq!(error, "gone (HTTP 410): the server says this feed was removed for good");
    let row = h.row(0);
    assert_eq!(row.disabled_reason.as_deref(), Some(error));
    assert_eq!(h.titles(0).len(), 2, "the items stay");

    // Not polled by All or Due any more; the other feed still is.
    server.clear_requests();
    let results = h.poll(&PollSelection::All).await;
    assert_eq!(results.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [h.id(1)]);
    assert!(server.requests_to("/feed").is_empty());
    assert!(h.poll(&PollSelection::Due).await.is_empty());
    assert_eq!(h.poller.next_due().expect("next due"), h.row(1).next_poll_at, "a gone feed is never due");

    // An explicit refresh asks again; when the feed is back it is enabled again.
    server.route("/feed", Reply::ok(two_items()));
    let results = h.poll(&PollSelection::Feeds(vec![h.id(0)])).await;
    assert_eq!(results.len(), 1);
    assert!(matches!(results[0].1, FeedOutcome::Updated { .. }), "{results:?}");
    assert_eq!(server.requests_to("/feed").len(), 1);
    assert_eq!(h.row(0).disabled_reason, None);
    assert_eq!(h.poll(&PollSelection::All).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_requests_waits_as_long_as_retry_after_says() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::status(429).header("Retry-After", "3600"));
    let h = Harness::new("", &[server.url("/feed")]);
    let before = now();
    assert_eq!(failed(&h.poll_one().await), "HTTP 429 Too Many Requests");
    let row = h.row(0);
    assert!(row.next_poll_at.expect("scheduled") >= before + 3600, "{row:?}");
    // Due does not ask before then.
    server.clear_requests();
    assert!(h.poll(&PollSelection::Due).await.is_empty());
    assert!(server.requests().is_empty());

    // 503 with Retry-After as an HTTP date, two hours out.
    let when = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(7200));
    server.route("/feed", Reply::status(503).header("Retry-After", &when));
    let before = now();
    assert_eq!(failed(&h.poll_one().await), "HTTP 503 Service Unavailable");
    let next = h.row(0).next_poll_at.expect("scheduled");
    assert!(next >= before + 7200 - 2 && next <= before + 7200 + 2, "next poll in {}s", next - before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_does_not_answer_times_out() {
    let server = TestServer::start().await;
    // Held until released: only the client's time-out can end this request.
    server.route("/slow", Reply::ok(two_items()).held());
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("c.db")).expect("store")));
    let text = format!("[poll]\ntimeout = \"1s\"\n\n[[feed]]\nurl = \"{}\"\n", server.url("/slow"));
    let poller = make_poller(&text, dir.path(), &store);
    let (tx, _rx) = mpsc::unbounded_channel();
    let started = Instant::now();
    let results = guard(poller.poll(&PollSelection::All, &tx)).await.expect("poll").feeds;
    let elapsed = started.elapsed();
    assert_eq!(failed(&results[0].1), "timed out after 1s");
    // The poll ended with the request still unanswered: the time-out ended it, not the server.
    assert_eq!((server.requests().len(), server.answered()), (1, 0));
    // Not before the time-out either (a lower bound: a busy machine only makes it later).
    assert!(elapsed >= Duration::from_millis(900), "gave up after {elapsed:?}");
    server.release();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_the_size_limit_are_refused_compressed_or_not() {
    let server = TestServer::start().await;
    let big = rss("Big", &[(Some("1"), "Long", &"x".repeat(3000))]);
    server.route("/plain", Reply::ok(big));
    let bomb = fixture_bytes("feeds/inflates_to_64k.xml.gz");
    assert!(bomb.len() < 1024, "the fixture must be small on the wire");
    server.route("/gzip", Reply::ok(bomb).gzipped());
    let small = fixture_bytes("feeds/small.xml.gz");
    server.route("/small", Reply::ok(small).gzipped());
    let h = Harness::new("max_size = \"1 KiB\"", &[server.url("/plain"), server.url("/gzip"), server.url("/small")]);
    let results = h.poll(&PollSelection::All).await;
    assert_eq!(failed(&results[0].1), "response larger than the 1024-byte limit");
    assert_eq!(failed(&results[1].1), "response larger than the 1024-byte limit");
    assert!(matches!(results[2].1, FeedOutcome::Updated { new_items: 2, .. }), "{results:?}");
    assert_eq!(h.row(1).error.as_deref(), Some("response larger than the 1024-byte limit"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_bodies_are_decompressed_and_parsed() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::ok(fixture_bytes("feeds/small.xml.gz")).gzipped());
    let h = Harness::new("", &[server.url("/feed")]);
    assert_eq!(h.poll_one().await, FeedOutcome::Updated { new_items: 2, updated_items: 0 });
    assert_eq!(h.titles(0), ["Squeezed story one", "Squeezed story two"]);
    assert_eq!(h.row(0).title.as_deref(), Some("Compressed Gazette"));
    let accept_encoding = server.last_request_to("/feed").header("accept-encoding").map(str::to_string);
    assert!(accept_encoding.as_deref().is_some_and(|e| e.contains("gzip")), "{accept_encoding:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn windows_1251_declared_only_in_the_header_is_decoded() {
    let server = TestServer::start().await;
    let body = fixture_bytes("feeds/cyrillic-windows-1251.xml");
    assert!(std::str::from_utf8(&body).is_err(), "the fixture is not UTF-8");
    server.route("/ru", Reply::ok(body.clone()).header("Content-Type", "application/rss+xml; charset=windows-1251"));
    // The same bytes without the charset: nothing says how to decode them.
    server.route("/unlabelled", Reply::ok(body).header("Content-Type", "application/rss+xml"));
    let h = Harness::new("", &[server.url("/ru"), server.url("/unlabelled")]);
    h.poll(&PollSelection::All).await;
    assert_eq!(h.titles(0), ["Ёлка на площади — «главное событие»", "Погода в Москве: снег и ветер"]);
    assert_eq!(h.row(0).title.as_deref(), Some("Новости дня"));
    let guessed = h.titles(1);
    assert!(!guessed.iter().any(|t| t.contains("Погода")), "without the header: {guessed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_xml_after_a_good_poll_keeps_the_old_items() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::ok(two_items()));
    let h = Harness::new("", &[server.url("/feed")]);
    h.poll_one().await;

    let broken = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
                  <item><title>Half</title></channel></rss>";
    server.route("/feed", Reply::ok(broken));
    let error = failed(&h.poll_one().await).to_string();
    assert!(error.starts_with("malformed feed: "), "{error}");
    assert_eq!(h.titles(0), ["First story", "Second story"]);
    let row = h.row(0);
    assert_eq!(row.error.as_deref(), Some(error.as_str()));
    assert_eq!(row.error_count, 1);

    // An HTML page instead of the feed.
    server.route("/feed", Reply::ok("<!DOCTYPE html><html><head><title>Moved</title></head><body/></html>"));
    assert_eq!(failed(&h.poll_one().await), "not a feed: got an HTML page, not RSS, Atom or JSON Feed");
    assert_eq!(h.titles(0).len(), 2);
    assert_eq!(h.row(0).error_count, 2);
}

/// Polls `count` slow feeds on one server with the given limits; returns the most requests the
/// server saw at once and how long the poll took.
async fn concurrency_seen(poll: &str, count: usize, delay_ms: u64) -> (usize, Duration) {
    let server = TestServer::start().await;
    let mut urls = Vec::new();
    for i in 0..count {
        let path = format!("/feed{i}");
        server.route(&path, Reply::ok(two_items()).delay(Duration::from_millis(delay_ms)));
        urls.push(server.url(&path));
    }
    let h = Harness::new(poll, &urls);
    let started = Instant::now();
    let results = h.poll(&PollSelection::All).await;
    let elapsed = started.elapsed();
    assert_eq!(results.len(), count);
    assert!(results.iter().all(|(_, o)| matches!(o, FeedOutcome::Updated { .. })), "{results:?}");
    assert_eq!(server.requests().len(), count);
    (server.max_in_flight(), elapsed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_host_limit_of_one_is_respected() {
    let (max, elapsed) = concurrency_seen("per_host = 1\nconcurrency = 8", 3, 250).await;
    assert_eq!(max, 1);
    assert!(elapsed >= Duration::from_millis(750), "three requests one after another took {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_host_limit_of_two_is_respected_and_used() {
    let (max, _) = concurrency_seen("per_host = 2\nconcurrency = 8", 5, 250).await;
    assert_eq!(max, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_limit_applies_across_hosts() {
    let (max, _) = concurrency_seen("per_host = 4\nconcurrency = 1", 3, 150).await;
    assert_eq!(max, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn different_hosts_are_polled_in_parallel() {
    // Two loopback addresses are two hosts: with per_host = 1 each sees one request at a time,
    // but both are asked at once. Every reply is held until both hosts have a request in flight,
    // which a poller that went host by host would never reach.
    let first = TestServer::start_on("127.0.0.1").await;
    let second = TestServer::start_on("127.0.0.2").await;
    let mut urls = Vec::new();
    for server in [&first, &second] {
        for path in ["/a", "/b"] {
            server.route(path, Reply::ok(two_items()).held());
            urls.push(server.url(path));
        }
    }
    let h = Harness::new("per_host = 1\nconcurrency = 8", &urls);
    let both_asked = async {
        wait_until("both hosts had a request in flight", || first.in_flight() == 1 && second.in_flight() == 1).await;
        first.release();
        second.release();
    };
    let (results, ()) = tokio::join!(h.poll(&PollSelection::All), both_asked);
    assert!(results.iter().all(|(_, o)| matches!(o, FeedOutcome::Updated { .. })), "{results:?}");
    assert_eq!((first.max_in_flight(), second.max_in_flight()), (1, 1));
    assert_eq!((first.answered(), second.answered()), (2, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_back_off_exponentially() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::status(500));
    let h = Harness::new("", &[server.url("/feed")]);
    let mut waits = Vec::new();
    for expected_count in 1..=4 {
        assert_eq!(failed(&h.poll_one().await), "HTTP 500 Internal Server Error");
        let row = h.row(0);
        assert_eq!(row.error_count, expected_count);
        waits.push(row.next_poll_at.expect("scheduled") - row.last_polled_at.expect("polled"));
    }
    assert_eq!(waits, [60, 120, 240, 480], "the 1m interval doubled per failure in a row");
    // A success resets the schedule.
    server.route("/feed", Reply::ok(two_items()));
    h.poll_one().await;
    let row = h.row(0);
    assert_eq!(row.error_count, 0);
    assert_eq!(row.next_poll_at.expect("scheduled") - row.last_polled_at.expect("polled"), 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn due_skips_feeds_polled_recently_and_a_manual_refresh_does_not() {
    let server = TestServer::start().await;
    server.route("/a", Reply::ok(two_items()));
    server.route("/b", Reply::ok(two_items()));
    let h = Harness::new("", &[server.url("/a"), server.url("/b")]);
    // Never polled: both are due.
    assert_eq!(h.poll(&PollSelection::Due).await.len(), 2);
    server.clear_requests();
    assert!(h.poll(&PollSelection::Due).await.is_empty(), "polled a moment ago");
    assert!(server.requests().is_empty());
    let next = h.poller.next_due().expect("next due").expect("scheduled");
    assert!(next > now() && next <= now() + 60, "{next}");
    // A manual refresh of one feed, then of all.
    let results = h.poll(&PollSelection::Feeds(vec![h.id(1)])).await;
    assert_eq!(results.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [h.id(1)]);
    assert_eq!(h.poll(&PollSelection::All).await.len(), 2);
    assert_eq!(server.requests_to("/a").len(), 1);
    assert_eq!(server.requests_to("/b").len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disabled_feeds_are_not_polled() {
    let server = TestServer::start().await;
    server.route("/a", Reply::ok(two_items()));
    server.route("/b", Reply::ok(two_items()));
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("c.db")).expect("store")));
    let text = format!(
        "[[feed]]\nurl = \"{}\"\nenabled = false\n\n[[feed]]\nurl = \"{}\"\n",
        server.url("/a"),
        server.url("/b")
    );
    let poller = make_poller(&text, dir.path(), &store);
    let (tx, _rx) = mpsc::unbounded_channel();
    assert_eq!(poller.poll(&PollSelection::All, &tx).await.expect("poll").feeds.len(), 1);
    assert!(server.requests_to("/a").is_empty());
    // Asking for it by id still polls it.
    let disabled = poller.feeds()[0].id;
    assert_eq!(poller.poll(&PollSelection::Feeds(vec![disabled]), &tx).await.expect("poll").feeds.len(), 1);
    assert_eq!(server.requests_to("/a").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_and_the_server_can_ask_for_longer_intervals() {
    let server = TestServer::start().await;
    let with_ttl = two_items().replace("<description>test feed</description>", "<ttl>120</ttl>");
    server.route("/ttl", Reply::ok(with_ttl));
    server.route("/max-age", Reply::ok(two_items()).header("Cache-Control", "public, max-age=5400"));
    let sy = two_items()
        .replace(
            "<rss version=\"2.0\">",
            "<rss version=\"2.0\" xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">",
        )
        .replace(
            "<description>test feed</description>",
            "<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>",
        );
    server.route("/sy", Reply::ok(sy));
    server.route("/plain", Reply::ok(two_items()));
    let h = Harness::new("", &[server.url("/ttl"), server.url("/max-age"), server.url("/sy"), server.url("/plain")]);
    h.poll(&PollSelection::All).await;
    let wait = |i| {
        let row = h.row(i);
        row.next_poll_at.expect("scheduled") - row.last_polled_at.expect("polled")
    };
    assert_eq!(wait(0), 7200, "<ttl>120</ttl> is two hours");
    assert_eq!(h.row(0).min_interval, Some(7200));
    assert_eq!(wait(1), 5400, "Cache-Control: max-age");
    assert_eq!(wait(2), 21_600, "daily, four times");
    assert_eq!(wait(3), 60, "the configured interval");
    // A 304 with max-age is honoured too.
    server.route("/plain", Reply::status(304).header("Cache-Control", "max-age=900"));
    h.poll(&PollSelection::Feeds(vec![h.id(3)])).await;
    assert_eq!(wait(3), 900);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_feeds_are_read_and_unchanged_files_are_not_modified() {
    let dir = tempfile::tempdir().expect("temp dir");
    let feeds_dir = dir.path().join("feeds");
    std::fs::create_dir_all(&feeds_dir).expect("mkdir");
    let local = feeds_dir.join("local.xml");
    std::fs::write(&local, two_items()).expect("write feed");
    std::fs::copy(fixture("feeds/small.xml"), feeds_dir.join("small.xml")).expect("copy fixture");
    let file_url = url::Url::from_file_path(feeds_dir.join("small.xml")).expect("absolute").to_string();
    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("c.db")).expect("store")));
    // A relative path, a file:// URL and a missing file.
    let text = format!(
        "[[feed]]\nurl = \"./feeds/local.xml\"\n\n[[feed]]\nurl = \"{file_url}\"\n\n\
         [[feed]]\nurl = \"./feeds/missing.xml\"\n"
    );
    let poller = make_poller(&text, dir.path(), &store);
    let (tx, _rx) = mpsc::unbounded_channel();
    let results = poller.poll(&PollSelection::All, &tx).await.expect("poll").feeds;
    assert_eq!(results[0].1, FeedOutcome::Updated { new_items: 2, updated_items: 0 });
    assert_eq!(results[1].1, FeedOutcome::Updated { new_items: 2, updated_items: 0 });
    let missing = failed(&results[2].1);
    assert_eq!(
        missing,
        format!("cannot read {}: No such file or directory (os error 2)", feeds_dir.join("missing.xml").display())
    );

    let results = poller.poll(&PollSelection::All, &tx).await.expect("poll").feeds;
    assert_eq!(results[0].1, FeedOutcome::NotModified);
    assert_eq!(results[1].1, FeedOutcome::NotModified);

    // A file rewritten right away (within the same second) is read again.
    let changed = rss("Local", &[(Some("1"), "First story", "one"), (Some("3"), "Third story", "three")]);
    std::fs::write(&local, changed).expect("rewrite feed");
    let results = poller.poll(&PollSelection::All, &tx).await.expect("poll").feeds;
    assert_eq!(results[0].1, FeedOutcome::Updated { new_items: 1, updated_items: 0 });
    assert_eq!(results[1].1, FeedOutcome::NotModified);

    // Touched with the same size and a new modification time: read again, nothing new.
    let file = std::fs::File::options().write(true).open(&local).expect("open");
    file.set_modified(std::time::SystemTime::now() + Duration::from_secs(5)).expect("set mtime");
    drop(file);
    let results = poller.poll(&PollSelection::All, &tx).await.expect("poll").feeds;
    assert_eq!(results[0].1, FeedOutcome::Updated { new_items: 0, updated_items: 0 });
    let results = poller.poll(&PollSelection::All, &tx).await.expect("poll").feeds;
    assert_eq!(results[0].1, FeedOutcome::NotModified);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignore_rules_keep_matching_items_out_of_the_cache() {
    let server = TestServer::start().await;
    let items = [
        (Some("1"), "Sponsored: the new phone", "Buy it now"),
        (Some("2"), "Council meets", "The budget vote"),
        (Some("3"), "Transfer window", "The latest transfer rumour mill"),
    ];
    server.route("/news", Reply::ok(rss("News", &items)));
    server.route("/sport", Reply::ok(rss("Sport", &items)));
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("cache.db")).expect("open store")));
    let text = format!(
        "[[feed]]\nurl = \"{}\"\nname = \"Daily News\"\n\n[[feed]]\nurl = \"{}\"\ntags = [\"sport\"]\n\n\
         [[ignore]]\nfilter = \"title:sponsored\"\n\n[[ignore]]\nfilter = 'tag:sport and \"transfer rumour\"'\n",
        server.url("/news"),
        server.url("/sport")
    );
    let poller = make_poller(&text, dir.path(), &store);
    let (tx, _rx) = mpsc::unbounded_channel();
    let results = poller.poll(&PollSelection::All, &tx).await.expect("poll").feeds;
    let news = poller.feeds()[0].id;
    let sport = poller.feeds()[1].id;
    assert!(results.contains(&(news, FeedOutcome::Updated { new_items: 2, updated_items: 0 })), "{results:?}");
    assert!(results.contains(&(sport, FeedOutcome::Updated { new_items: 1, updated_items: 0 })), "{results:?}");
    let titles = |feed| {
        let store = store.lock().expect("store");
        let ids = store.item_ids(&ItemFilter::Feeds(vec![feed]), false).expect("ids");
        let mut t: Vec<String> = store.item_summaries(&ids).expect("rows").into_iter().map(|s| s.title).collect();
        t.sort();
        t
    };
    assert_eq!(titles(news), ["Council meets", "Transfer window"], "the tag rule is the sport feed's only");
    assert_eq!(titles(sport), ["Council meets"]);
    // The next poll of the same document ignores them again: nothing comes back.
    let again = poller.poll(&PollSelection::All, &tx).await.expect("poll").feeds;
    assert!(again.iter().all(|(_, o)| *o == FeedOutcome::Updated { new_items: 0, updated_items: 0 }), "{again:?}");
}
