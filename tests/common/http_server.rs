//! A small HTTP/1.1 server for the tests, on 127.0.0.1 and a free port. It answers from a route
//! table the test programs (status, headers, body, an optional delay before answering, or a hold
//! until the test releases the server) and records every request it gets (path and headers), how
//! many are and were in flight at once, and how many it answered. Holding and counting let a test
//! check an order of events rather than time them.
//!
//! One request per connection (`Connection: close`), GET only: all the poller needs. For
//! downloads a route can honour `Range` (with `If-Range` against its ETag), end the connection
//! part-way through the body, or send a body without a length (until the connection closes).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What the server answers on a path.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Waited before the response head is written.
    pub delay: Duration,
    /// Not answered until [`TestServer::release`] (then after `delay`).
    pub held: bool,
    /// `Range: bytes=N-` is honoured (206 with the rest, 416 past the end), unless an
    /// `If-Range` differs from the reply's ETag.
    pub ranges: bool,
    /// The connection ends after this many bytes of the body (its full length announced).
    pub cut_after: Option<usize>,
    /// No Content-Length: the body ends when the connection closes.
    pub no_length: bool,
}

impl Reply {
    /// `200 OK` with an RSS content type and the given body.
    pub fn ok(body: impl Into<Vec<u8>>) -> Reply {
        Reply::status(200).header("Content-Type", "application/rss+xml").body(body)
    }

    /// An empty response with this status.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            held: false,
            ranges: false,
            cut_after: None,
            no_length: false,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = body.into();
        self
    }

    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// Holds the response until the test calls [`TestServer::release`]: the request stays in
    /// flight, and a client that gives up first never gets an answer.
    pub fn held(mut self) -> Reply {
        self.held = true;
        self
    }

    /// Honours `Range` requests (see [`Reply::ranges`]).
    pub fn ranges(mut self) -> Reply {
        self.ranges = true;
        self
    }

    /// Ends the connection after `bytes` bytes of the body.
    pub fn cut_after(mut self, bytes: usize) -> Reply {
        self.cut_after = Some(bytes);
        self
    }

    /// Sends no Content-Length: the body ends when the connection closes.
    pub fn no_length(mut self) -> Reply {
        self.no_length = true;
        self
    }

    /// Marks the body, which must already be gzip-compressed, with `Content-Encoding: gzip`.
    pub fn gzipped(self) -> Reply {
        self.header("Content-Encoding", "gzip")
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::status(status).header("Location", location)
    }
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target without the query string.
    pub path: String,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

struct State {
    routes: Mutex<HashMap<String, Reply>>,
    requests: Mutex<Vec<Request>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// Responses begun.
    answered: AtomicUsize,
    /// Whether held replies may go.
    released: watch::Sender<bool>,
}

impl Default for State {
    fn default() -> State {
        State {
            routes: Mutex::default(),
            requests: Mutex::default(),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            answered: AtomicUsize::new(0),
            released: watch::channel(false).0,
        }
    }
}

pub struct TestServer {
    base: String,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1 with an empty route table (every path answers 404).
    pub async fn start() -> TestServer {
        TestServer::start_on("127.0.0.1").await
    }

    /// Starts a server on another loopback address (such as 127.0.0.2), to be a second host.
    pub async fn start_on(ip: &str) -> TestServer {
        let listener = TcpListener::bind((ip, 0)).await.expect("bind the test server");
        let addr = listener.local_addr().expect("test server address");
        let state = Arc::new(State::default());
        let accept_state = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = accept_state.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, &state).await;
                });
            }
        });
        TestServer { base: format!("http://{addr}"), state, task }
    }

    /// `http://127.0.0.1:PORT`
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sets (or replaces) what `path` answers.
    pub fn route(&self, path: &str, reply: Reply) {
        self.state.routes.lock().expect("routes lock").insert(path.to_string(), reply);
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Request> {
        self.state.requests.lock().expect("requests lock").clone()
    }

    /// The requests received for `path`.
    pub fn requests_to(&self, path: &str) -> Vec<Request> {
        self.requests().into_iter().filter(|r| r.path == path).collect()
    }

    /// The last request received for `path`; panics when there was none.
    pub fn last_request_to(&self, path: &str) -> Request {
        self.requests_to(path).pop().unwrap_or_else(|| panic!("the server got no request for {path}"))
    }

    pub fn clear_requests(&self) {
        self.state.requests.lock().expect("requests lock").clear();
    }

    /// The most requests that were being answered at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }

    /// The requests received and not answered yet (held, delayed, or being written).
    pub fn in_flight(&self) -> usize {
        self.state.in_flight.load(Ordering::SeqCst)
    }

    /// The responses the server has begun to write (whether or not the client was still there).
    pub fn answered(&self) -> usize {
        self.state.answered.load(Ordering::SeqCst)
    }

    /// Lets every held reply go, now and from now on.
    pub fn release(&self) {
        self.state.released.send_replace(true);
    }
}

/// `future`'s output; panics if it takes over 60 s, a guard against a hang, not a measure of speed.
pub async fn guard<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(60), future).await.expect("finished within the 60 s guard against a hang")
}

/// Waits until `condition` holds, checking every few milliseconds. The 60 s limit is a guard
/// against a hang (a test waiting for what will never happen fails, naming it), not a measure
/// of speed.
pub async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !condition() {
        assert!(tokio::time::Instant::now() < deadline, "gave up waiting (60 s) until {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Decrements the in-flight count however `serve` ends.
struct InFlight<'a>(&'a State);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn serve(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > 64 * 1024 {
            return Ok(());
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split_whitespace();
    let method = request_line.next().unwrap_or_default().to_string();
    let target = request_line.next().unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/").to_string();
    let headers: Vec<(String, String)> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _in_flight = InFlight(state);
    state.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let request_headers = headers.clone();
    state.requests.lock().expect("requests lock").push(Request { method, path: path.clone(), headers });
    let reply = state.routes.lock().expect("routes lock").get(&path).cloned().unwrap_or_else(|| Reply::status(404));
    if reply.held {
        // The sender lives in `state`, as long as this task: wait_for cannot see it closed.
        let _ = state.released.subscribe().wait_for(|released| *released).await;
    }
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    state.answered.fetch_add(1, Ordering::SeqCst);
    let reply = if reply.ranges { ranged(reply, &request_headers) } else { reply };
    let mut response = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    if reply.status != 304 && !reply.no_length {
        response.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    response.push_str("Connection: close\r\n\r\n");
    let mut bytes = response.into_bytes();
    if reply.status != 304 {
        let sent = reply.cut_after.unwrap_or(reply.body.len()).min(reply.body.len());
        bytes.extend_from_slice(&reply.body[..sent]);
    }
    stream.write_all(&bytes).await?;
    stream.shutdown().await
}

/// `reply` as an answer to the request's `Range: bytes=N-`, when it has one (and its If-Range,
/// if any, is the reply's ETag): 206 with the bytes from N on, or 416 when N is past the end.
fn ranged(mut reply: Reply, headers: &[(String, String)]) -> Reply {
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let etag = reply.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("etag")).map(|(_, v)| v.clone());
    if header("if-range").is_some_and(|v| Some(v) != etag.as_deref()) {
        return reply;
    }
    let Some(start) = header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return reply;
    };
    let len = reply.body.len();
    if start >= len {
        reply.status = 416;
        reply.body = Vec::new();
        reply.cut_after = None;
        return reply.header("Content-Range", &format!("bytes */{len}"));
    }
    reply.status = 206;
    reply.body = reply.body[start..].to_vec();
    reply.cut_after = reply.cut_after.map(|c| c.saturating_sub(start));
    reply.header("Content-Range", &format!("bytes {start}-{}/{len}", len - 1))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        206 => "Partial Content",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        404 => "Not Found",
        410 => "Gone",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
