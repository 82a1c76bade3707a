//! A proxy between tidings and a real server that lets a test pick the moment things happen:
//! it forwards each HTTP request (one per connection) to the server, numbering them, and can
//! hold the requests from number N until the test releases them (so a test knows a sync is at
//! that very step when it kills tidings or stops the server), or refuse every connection (the
//! server is unreachable) until it is opened again.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Gate {
    /// Requests seen so far.
    seen: usize,
    /// Requests numbered this or higher (from 1) wait while `holding`.
    hold_from: Option<usize>,
    /// How many requests are waiting now.
    waiting: usize,
    refusing: bool,
}

pub struct GateProxy {
    pub url: String,
    gate: Arc<(Mutex<Gate>, Condvar)>,
}

impl GateProxy {
    /// A proxy on a free port in front of `upstream` ("127.0.0.1:PORT").
    pub fn start(upstream: &str) -> GateProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/", listener.local_addr().expect("addr"));
        let gate: Arc<(Mutex<Gate>, Condvar)> = Arc::default();
        let (shared, upstream) = (gate.clone(), upstream.to_string());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (gate, upstream) = (shared.clone(), upstream.clone());
                std::thread::spawn(move || serve(client, &upstream, &gate));
            }
        });
        GateProxy { url, gate }
    }

    /// Requests from number `n` on (counting from 1, all so far included) wait.
    pub fn hold_from(&self, n: usize) {
        self.gate.0.lock().expect("gate").hold_from = Some(n);
    }

    /// Lets the held requests (and all later ones) through.
    pub fn release(&self) {
        self.gate.0.lock().expect("gate").hold_from = None;
        self.gate.1.notify_all();
    }

    /// Every connection is closed at once, unanswered, until [`GateProxy::open`].
    pub fn refuse(&self) {
        self.gate.0.lock().expect("gate").refusing = true;
    }

    pub fn open(&self) {
        self.gate.0.lock().expect("gate").refusing = false;
    }

    pub fn seen(&self) -> usize {
        self.gate.0.lock().expect("gate").seen
    }

    /// Waits until a request is held; panics after a minute.
    pub fn wait_until_held(&self) {
        let mut gate = self.gate.0.lock().expect("gate");
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while gate.waiting == 0 {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            assert!(!left.is_zero(), "no request reached the hold (seen {})", gate.seen);
            gate = self.gate.1.wait_timeout(gate, left).expect("gate").0;
        }
    }
}

fn serve(mut client: TcpStream, upstream: &str, gate: &(Mutex<Gate>, Condvar)) {
    let Some(request) = read_request(&mut client) else { return };
    {
        let mut state = gate.0.lock().expect("gate");
        if state.refusing {
            return;
        }
        state.seen += 1;
        let number = state.seen;
        if state.hold_from.is_some_and(|n| number >= n) {
            state.waiting += 1;
            gate.1.notify_all();
            while state.hold_from.is_some_and(|n| number >= n) {
                state = gate.1.wait(state).expect("gate");
            }
            state.waiting -= 1;
        }
    }
    let Ok(mut server) = TcpStream::connect(upstream) else { return };
    if server.write_all(&request).is_err() {
        return;
    }
    let mut answer = Vec::new();
    if server.read_to_end(&mut answer).is_ok() {
        let _ = client.write_all(&answer);
    }
}

/// The request's head (with `Connection: close`) and body.
fn read_request(client: &mut TcpStream) -> Option<Vec<u8>> {
    client.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let mut data = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let head_end = loop {
        let n = client.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = client.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let mut out: Vec<u8> = Vec::new();
    for line in head.split("\r\n").filter(|l| !l.is_empty()) {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(b"Connection: close\r\n\r\n");
    out.extend_from_slice(&data[head_end..]);
    Some(out)
}
