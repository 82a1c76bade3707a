//! A tiny proxy for the tests, on 127.0.0.1 and a free port, that records what goes through it
//! and forwards it: as an HTTP proxy (absolute-form `GET http://host:port/path`, passed on to
//! that host in origin form) or as a SOCKS5 proxy (no authentication; the CONNECT's destination).
//! One request per connection, as the test server answers.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy)]
enum Kind {
    Http,
    Socks5,
}

pub struct RecordingProxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RecordingProxy {
    /// An HTTP proxy; it records each request's target ("http://127.0.0.1:PORT/feed").
    pub async fn http() -> RecordingProxy {
        RecordingProxy::start(Kind::Http, "http").await
    }

    /// A SOCKS5 proxy; it records each connection's destination ("127.0.0.1:PORT").
    pub async fn socks5() -> RecordingProxy {
        RecordingProxy::start(Kind::Socks5, "socks5").await
    }

    async fn start(kind: Kind, scheme: &str) -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let url = format!("{scheme}://{}", listener.local_addr().expect("proxy address"));
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let record = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let record = record.clone();
                tokio::spawn(async move {
                    let _ = match kind {
                        Kind::Http => forward_http(client, &record).await,
                        Kind::Socks5 => forward_socks5(client, &record).await,
                    };
                });
            }
        });
        RecordingProxy { url, seen, task }
    }

    /// "http://127.0.0.1:PORT" or "socks5://127.0.0.1:PORT".
    pub fn url(&self) -> &str {
        &self.url
    }

    /// What went through, in order.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().expect("proxy record").clone()
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward_http(mut client: TcpStream, record: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = client.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split_whitespace();
    let (method, target) = (request_line.next().unwrap_or_default(), request_line.next().unwrap_or_default());
    record.lock().expect("proxy record").push(target.to_string());
    let url = url::Url::parse(target).map_err(|e| std::io::Error::other(e.to_string()))?;
    let host = format!("{}:{}", url.host_str().unwrap_or_default(), url.port_or_known_default().unwrap_or(80));
    let mut upstream = TcpStream::connect(host).await?;
    let mut forwarded = format!("{method} {} HTTP/1.1\r\n", &url[url::Position::BeforePath..]);
    for line in lines.take_while(|l| !l.is_empty()) {
        if !line.to_ascii_lowercase().starts_with("proxy-") {
            forwarded.push_str(line);
            forwarded.push_str("\r\n");
        }
    }
    forwarded.push_str("\r\n");
    upstream.write_all(forwarded.as_bytes()).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await.map(|_| ())
}

async fn forward_socks5(mut client: TcpStream, record: &Mutex<Vec<String>>) -> std::io::Result<()> {
    // Greeting: version 5, the methods offered; "no authentication" is chosen.
    let mut greeting = [0u8; 2];
    client.read_exact(&mut greeting).await?;
    let mut methods = vec![0u8; usize::from(greeting[1])];
    client.read_exact(&mut methods).await?;
    client.write_all(&[5, 0]).await?;
    // Request: version, CONNECT, reserved, address type, address, port.
    let mut request = [0u8; 4];
    client.read_exact(&mut request).await?;
    let host = match request[3] {
        1 => {
            let mut ip = [0u8; 4];
            client.read_exact(&mut ip).await?;
            std::net::Ipv4Addr::from(ip).to_string()
        }
        3 => {
            let mut len = [0u8; 1];
            client.read_exact(&mut len).await?;
            let mut name = vec![0u8; usize::from(len[0])];
            client.read_exact(&mut name).await?;
            String::from_utf8_lossy(&name).into_owned()
        }
        _ => return Err(std::io::Error::other("unsupported address type")),
    };
    let mut port = [0u8; 2];
    client.read_exact(&mut port).await?;
    let destination = format!("{host}:{}", u16::from_be_bytes(port));
    record.lock().expect("proxy record").push(destination.clone());
    let mut upstream = TcpStream::connect(&destination).await?;
    client.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0]).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await.map(|_| ())
}
