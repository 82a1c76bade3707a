//! Issue 17, network faults: after a good poll, the feed's server misbehaves in every way a
//! stranger's server can: one byte a second, a close in the middle of the body, a reset, an
//! endless stream, a redirect loop, 500 for ever. Each poll gives up within the poller's limits
//! (a 5 s time-out here, 1 MiB size cap), says why in one line, keeps the old items, and the
//! feed backs off.

mod common;

use std::time::{Duration, Instant};

use common::http_server::{Reply, TestServer};
use common::poller_harness::{Harness, failed, two_items};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a raw server does once it has read a request's head.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// A valid head, then the body one byte a second.
    Drip,
    /// The connection is reset (RST) right after the request.
    Reset,
    /// A head without a length, then bytes for ever, as fast as they are taken.
    Endless,
    /// Half a feed with its full length announced, then the connection closes.
    CloseMidBody,
}

/// A loopback server that answers every connection with `fault`; its address.
async fn faulty_server(fault: Fault) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = format!("http://{}/feed", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, fault));
        }
    });
    address
}

async fn serve(mut stream: TcpStream, fault: Fault) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let feed = two_items();
    match fault {
        Fault::Drip => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\n\r\n",
                feed.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            for byte in feed.bytes() {
                if stream.write_all(&[byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Fault::Reset => {
            // A zero linger time makes the close a reset (and so never blocks on drop, which is
            // what the deprecation is about).
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
            drop(stream);
        }
        Fault::Endless => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n")
                .await;
            let _ = stream.write_all(b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>").await;
            let chunk = vec![b'a'; 64 * 1024];
            while stream.write_all(&chunk).await.is_ok() {}
        }
        Fault::CloseMidBody => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\n\r\n",
                feed.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&feed.as_bytes()[..feed.len() / 2]).await;
        }
    }
}

/// A poll that has not ended by then hangs (the poller's own limit is 5 s here).
const HANG: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn misbehaving_servers_are_given_up_on_within_the_limits() {
    for fault in [Fault::Drip, Fault::Reset, Fault::Endless, Fault::CloseMidBody] {
        let bad = faulty_server(fault).await;
        // The cache holds the feed's items as an earlier good poll left them.
        let h = Harness::new("max_size = \"1 MiB\"", std::slice::from_ref(&bad));
        h.store
            .lock()
            .expect("store")
            .record_success(
                h.id(0),
                common::now(),
                &tidings::store::FeedFetchState::default(),
                &tidings::feed::parse_feed(two_items().as_bytes(), None, &bad, common::now()).expect("the good feed"),
            )
            .expect("a good poll's items");
        let started = Instant::now();
        let outcome =
            tokio::time::timeout(HANG, h.poll_one()).await.unwrap_or_else(|_| panic!("{fault:?}: the poll hung"));
        let took = started.elapsed();
        let error = failed(&outcome).to_string();
        assert!(error.chars().count() < 200 && !error.contains('\n'), "{fault:?}: one short line: {error}");
        assert_eq!(h.titles(0), ["First story", "Second story"], "{fault:?}: the old items are kept");
        let row = h.row(0);
        assert_eq!(row.error.as_deref(), Some(error.as_str()), "{fault:?}");
        assert!(row.next_poll_at.unwrap_or(0) > common::now(), "{fault:?}: the feed waits before the next try");
        println!("{fault:?}: failed after {:.1} s: {error}", took.as_secs_f64());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_loops_and_500_for_ever_fail_and_back_off() {
    let server = TestServer::start().await;
    server.route("/feed", Reply::ok(two_items()));
    server.route("/loop-a", Reply::redirect(302, "/loop-b"));
    server.route("/loop-b", Reply::redirect(302, "/loop-a"));
    let h = Harness::new("", &[server.url("/feed")]);
    h.poll_one().await;

    server.route("/feed", Reply::redirect(301, "/loop-a"));
    let error = failed(&h.poll_one().await).to_string();
    assert!(error.contains("redirect"), "a redirect loop says so: {error}");
    assert_eq!(h.titles(0), ["First story", "Second story"]);
    assert!(server.requests_to("/loop-a").len() <= 10, "the loop is cut short");

    server.route("/feed", Reply::status(500));
    let mut waits = Vec::new();
    for _ in 0..4 {
        let error = failed(&h.poll_one().await).to_string();
        assert!(error.contains("500"), "{error}");
        let row = h.row(0);
        waits.push(row.next_poll_at.unwrap_or(0) - row.last_polled_at.unwrap_or(0));
    }
    assert!(waits.windows(2).all(|w| w[1] >= w[0]) && waits[3] > waits[0], "500 for ever backs off: {waits:?}");
    assert_eq!(h.titles(0), ["First story", "Second story"], "the items outlive the failures");
}
