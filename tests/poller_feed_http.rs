//! Per-feed HTTP settings end to end, against local servers and proxies started by each test:
//! a feed's headers and Basic auth reach its server and no other feed's, and never another
//! origin after a redirect; a 401 says what is missing; the password can come from a command,
//! whose failure fails that feed alone; a feed's proxy (HTTP or SOCKS5, or `[poll] proxy`)
//! carries its requests and no one else's.

mod common;

use common::http_server::{Reply, TestServer};
use common::poller_harness::{Harness, config_text, failed, two_items};
use common::recording_proxy::RecordingProxy;
use tidings::feed::poller::{FeedOutcome, PollSelection};

/// The harness's `[poll]` lines with `poll` added, then `feeds` (whole `[[feed]]` tables).
fn harness(poll: &str, feeds: &[String]) -> Harness {
    let mut text = config_text(poll, &[]);
    for feed in feeds {
        text.push_str(&format!("\n[[feed]]\n{feed}\n"));
    }
    Harness::from_text(&text)
}

/// `Basic base64(user:password)`.
fn basic(user: &str, password: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    format!("Basic {out}")
}

fn updated(outcome: &FeedOutcome) -> bool {
    matches!(outcome, FeedOutcome::Updated { .. })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_and_basic_auth_reach_that_feed_only() {
    let server = TestServer::start().await;
    server.route("/private", Reply::ok(two_items()).header("ETag", "\"v1\""));
    server.route("/public", Reply::ok(two_items()));
    let h = harness(
        "",
        &[
            format!(
                "url = \"{}\"\nheaders = {{ \"X-Api-Key\" = \"k-123\", \"User-Agent\" = \"custom/1\", Accept = \
                 \"application/atom+xml\" }}\nuser = \"ann\"\npassword = \"hunter2\"",
                server.url("/private")
            ),
            format!("url = \"{}\"", server.url("/public")),
        ],
    );
    let results = h.poll(&PollSelection::All).await;
    assert!(results.iter().all(|(_, o)| updated(o)), "{results:?}");
    let private = server.last_request_to("/private");
    assert_eq!(private.header("x-api-key"), Some("k-123"));
    assert_eq!(private.header("authorization"), Some(basic("ann", "hunter2").as_str()));
    // User-Agent and Accept replace tidings' own, once each.
    let count = |name: &str| private.headers.iter().filter(|(n, _)| n == name).count();
    assert_eq!((private.header("user-agent"), count("user-agent")), (Some("custom/1"), 1));
    assert_eq!((private.header("accept"), count("accept")), (Some("application/atom+xml"), 1));
    let public = server.last_request_to("/public");
    assert_eq!((public.header("x-api-key"), public.header("authorization")), (None, None));

    // Conditional GET goes on beside them.
    server.route("/private", Reply::status(304));
    let results = h.poll(&PollSelection::Feeds(vec![h.id(0)])).await;
    assert_eq!(results, [(h.id(0), FeedOutcome::NotModified)]);
    let again = server.last_request_to("/private");
    assert_eq!(again.header("if-none-match"), Some("\"v1\""));
    assert_eq!(again.header("x-api-key"), Some("k-123"));
    assert!(again.header("authorization").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_says_whether_credentials_are_missing_or_refused() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::status(401).header("WWW-Authenticate", "Basic realm=\"feeds\""));
    let without = harness("", &[format!("url = \"{}\"", server.url("/feed"))]);
    let outcome = without.poll_one().await;
    assert_eq!(
        failed(&outcome),
        "HTTP 401 Unauthorized: 127.0.0.1 wants a user and password; set `user` and `password` for this feed"
    );
    assert_eq!(without.row(0).error_count, 1, "a failure like any other: it backs off");

    let with = harness("", &[format!("url = \"{}\"\nuser = \"ann\"\npassword = \"wrong\"", server.url("/feed"))]);
    let outcome = with.poll_one().await;
    assert_eq!(failed(&outcome), "HTTP 401 Unauthorized: 127.0.0.1 refused this feed's user and password (or headers)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_are_not_sent_after_a_redirect_to_another_origin() {
    let home = TestServer::start().await;
    let elsewhere = TestServer::start_on("127.0.0.2").await;
    home.route("/old", Reply::redirect(302, "/feed"));
    home.route("/feed", Reply::redirect(302, &elsewhere.url("/feed")));
    elsewhere.route("/feed", Reply::ok(two_items()));
    let h = harness(
        "",
        &[format!(
            "url = \"{}\"\nheaders = {{ \"X-Api-Key\" = \"k-123\" }}\nuser = \"ann\"\npassword = \"hunter2\"",
            home.url("/old")
        )],
    );
    assert!(updated(&h.poll_one().await));
    // The same origin keeps them through a redirect ...
    for path in ["/old", "/feed"] {
        let request = home.last_request_to(path);
        assert!(request.header("authorization").is_some() && request.header("x-api-key").is_some(), "{path}");
    }
    // ... another never gets them.
    let away = elsewhere.last_request_to("/feed");
    assert_eq!((away.header("authorization"), away.header("x-api-key")), (None, None));

    // Nor when the feed moved there for good, and that site asks for them.
    home.route("/old", Reply::redirect(301, &elsewhere.url("/moved")));
    elsewhere.route("/moved", Reply::ok(two_items()));
    assert!(updated(&h.poll_one().await));
    elsewhere.route("/moved", Reply::status(401));
    let outcome = h.poll_one().await;
    assert!(
        failed(&outcome).contains("sent only to the site of its configured URL, not after a redirect"),
        "{outcome:?}"
    );
    for request in elsewhere.requests() {
        assert_eq!((request.header("authorization"), request.header("x-api-key")), (None, None), "{request:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_comes_from_a_command_and_its_failure_fails_that_feed_alone() {
    let server = TestServer::start().await;
    for path in ["/a", "/b", "/c"] {
        server.route(path, Reply::ok(two_items()));
    }
    let h = harness(
        "",
        &[
            format!(
                "url = \"{}\"\nuser = \"ann\"\npassword_command = [\"printf\", \"%s\\\\n\", \"s3cret\"]",
                server.url("/a")
            ),
            format!(
                "url = \"{}\"\nuser = \"bob\"\npassword_command = [\"sh\", \"-c\", \"echo 'gpg: decryption failed' >&2; \
                 exit 2\"]",
                server.url("/b")
            ),
            format!("url = \"{}\"", server.url("/c")),
        ],
    );
    let results = h.poll(&PollSelection::All).await;
    assert!(updated(&results[0].1) && updated(&results[2].1), "{results:?}");
    assert_eq!(
        failed(&results[1].1),
        "no password: password_command \"sh\" (test config:15:20) failed: exit status: 2: gpg: decryption failed"
    );
    assert_eq!(server.last_request_to("/a").header("authorization"), Some(basic("ann", "s3cret").as_str()));
    assert!(server.requests_to("/b").is_empty(), "no request goes without its password");
    let row = h.row(1);
    assert_eq!((row.error.as_deref(), row.error_count), (Some(failed(&results[1].1)), 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feeds_http_proxy_carries_its_requests_and_no_one_elses() {
    let server = TestServer::start().await;
    server.route("/via", Reply::ok(two_items()));
    server.route("/direct", Reply::ok(two_items()));
    let proxy = RecordingProxy::http().await;
    let h = harness(
        "",
        &[
            format!(
                "url = \"{}\"\nproxy = \"{}\"\nheaders = {{ \"X-Api-Key\" = \"k\" }}",
                server.url("/via"),
                proxy.url()
            ),
            format!("url = \"{}\"", server.url("/direct")),
        ],
    );
    let results = h.poll(&PollSelection::All).await;
    assert!(results.iter().all(|(_, o)| updated(o)), "{results:?}");
    assert_eq!(proxy.seen(), [server.url("/via")]);
    assert_eq!(server.last_request_to("/via").header("x-api-key"), Some("k"), "the headers go through the proxy");
    assert_eq!(server.requests_to("/direct").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_proxy_is_the_default_and_a_feed_may_go_straight_or_by_socks5() {
    let server = TestServer::start().await;
    for path in ["/default", "/none", "/socks"] {
        server.route(path, Reply::ok(two_items()));
    }
    let (http, socks) = (RecordingProxy::http().await, RecordingProxy::socks5().await);
    let h = harness(
        &format!("proxy = \"{}\"", http.url()),
        &[
            format!("url = \"{}\"", server.url("/default")),
            format!("url = \"{}\"\nproxy = \"none\"", server.url("/none")),
            format!("url = \"{}\"\nproxy = \"{}\"", server.url("/socks"), socks.url()),
        ],
    );
    let results = h.poll(&PollSelection::All).await;
    assert!(results.iter().all(|(_, o)| updated(o)), "{results:?}");
    assert_eq!(http.seen(), [server.url("/default")]);
    assert_eq!(socks.seen(), [server.base().trim_start_matches("http://").to_string()]);
    assert_eq!(server.requests_to("/none").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_that_does_not_answer_fails_its_feed_with_the_reason() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::ok(two_items()));
    // A port nothing listens on: bound, then closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr");
    // One feed at a time, the proxied one first: the host is not taken for unreachable after it.
    let h = harness(
        "concurrency = 1",
        &[
            format!("url = \"{}\"\nproxy = \"http://{closed}\"", server.url("/feed")),
            format!("url = \"{}\"\nname = \"other\"", server.url("/feed").replace("/feed", "/feed?b")),
        ],
    );
    let results = h.poll(&PollSelection::All).await;
    assert!(failed(&results[0].1).starts_with("cannot connect"), "{results:?}");
    assert!(updated(&results[1].1), "{results:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_text_pages_get_the_credentials_on_the_feeds_own_site_only() {
    let home = TestServer::start().await;
    let elsewhere = TestServer::start_on("127.0.0.2").await;
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><link>{home}/</link>\
         <description>d</description>\
         <item><title>Here</title><link>{home}/story</link><guid>1</guid><description>short</description></item>\
         <item><title>There</title><link>{away}/story</link><guid>2</guid><description>short</description></item>\
         </channel></rss>",
        home = home.base(),
        away = elsewhere.base()
    );
    let page = "<html><body><article><h1>Story</h1><p>Enough words in a paragraph to be an article.</p></article>\
                </body></html>";
    home.route("/feed", Reply::ok(feed));
    for server in [&home, &elsewhere] {
        server.route("/story", Reply::status(200).header("Content-Type", "text/html").body(page));
    }
    let h = harness(
        "",
        &[format!(
            "url = \"{}\"\nfull_text = \"always\"\nuser = \"ann\"\npassword = \"pw\"\nheaders = {{ \"X-Api-Key\" = \"k\" }}",
            home.url("/feed")
        )],
    );
    h.poll(&PollSelection::All).await;
    let own = home.last_request_to("/story");
    assert_eq!(own.header("authorization"), Some(basic("ann", "pw").as_str()));
    assert_eq!(own.header("x-api-key"), Some("k"));
    let away = elsewhere.last_request_to("/story");
    assert_eq!((away.header("authorization"), away.header("x-api-key")), (None, None));
}
