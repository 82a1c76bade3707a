//! A tiny HTTP/1.1 server on 127.0.0.1 for the demo files: GET only, ETag and 304 supported,
//! one request per connection.

use std::sync::Arc;

use chrono::Utc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::{DEMO_FILES, fill_placeholders};

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot start the demo server: {0}")]
    Bind(std::io::Error),
    #[error("the demo files are missing from this build")]
    Missing,
}

struct Page {
    path: String,
    body: Vec<u8>,
    content_type: &'static str,
    etag: String,
}

pub struct DemoServer {
    base: String,
    task: tokio::task::JoinHandle<()>,
}

impl DemoServer {
    /// Binds a free port on the loopback interface and serves the demo files from it.
    pub async fn start() -> Result<DemoServer, DemoError> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(DemoError::Bind)?;
        let port = listener.local_addr().map_err(DemoError::Bind)?.port();
        let base = format!("http://127.0.0.1:{port}");
        let now = Utc::now();
        let pages: Vec<Page> = DEMO_FILES
            .iter()
            .map(|(path, bytes)| {
                let body = match std::str::from_utf8(bytes) {
                    Ok(text) => fill_placeholders(text, &base, now).into_bytes(),
                    Err(_) => bytes.to_vec(),
                };
                let etag = format!("\"{:016x}\"", crate::text::stable_hash(&String::from_utf8_lossy(&body)));
                Page { path: format!("/{path}"), body, content_type: content_type(path), etag }
            })
            .collect();
        if pages.is_empty() {
            return Err(DemoError::Missing);
        }
        let pages = Arc::new(pages);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let pages = pages.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, &pages).await;
                });
            }
        });
        Ok(DemoServer { base, task })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base(&self) -> &str {
        &self.base
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("xml") => "application/xml; charset=utf-8",
        Some("json") => "application/feed+json; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        Some("toml") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

async fn serve(mut stream: TcpStream, pages: &[Page]) -> std::io::Result<()> {
    let mut request = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&request);
    let mut lines = text.lines();
    let target = lines.next().and_then(|l| l.split_whitespace().nth(1)).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let if_none_match = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("if-none-match"))
        .map(|(_, v)| v.trim().to_string());
    let response = match pages.iter().find(|p| p.path == path) {
        Some(page) if if_none_match.as_deref() == Some(page.etag.as_str()) => {
            format!("HTTP/1.1 304 Not Modified\r\nETag: {}\r\nConnection: close\r\n\r\n", page.etag).into_bytes()
        }
        Some(page) => {
            let mut head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nETag: {}\r\nConnection: close\r\n\r\n",
                page.content_type,
                page.body.len(),
                page.etag
            )
            .into_bytes();
            head.extend_from_slice(&page.body);
            head
        }
        None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    };
    stream.write_all(&response).await?;
    stream.shutdown().await
}
