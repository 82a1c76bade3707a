//! One download over HTTP into the download folder, with the limits every request gets: a
//! time-out on the host lookup and on connecting, one on waiting for the response and for each
//! piece of the body (a file of a gigabyte cannot arrive within the poll's time-out, but a
//! server that stops sending is given up on as quickly), and a size cap. The body is received
//! into a `.part` file; when one is there already, only the rest is asked for (`Range`, with
//! `If-Range` so that a file changed meanwhile comes whole), and a server that ignores the
//! range, or answers for other bytes, sends the file again from the start. The finished file
//! gets its name from the Content-Disposition header or the address, made safe (see
//! [`crate::file_names`]), and never replaces a file (see [`super::part`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap};
use reqwest::{Response, StatusCode};
use tokio::io::AsyncWriteExt;
use url::Url;

use super::part::{self, PartError};
use crate::feed::resolve::BoundedResolver;
use crate::file_names as name;

/// Redirects followed at most (podcast addresses often go through a counter or two).
const MAX_REDIRECTS: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("not a web address: {0}")]
    BadUrl(String),
    #[error("no answer for {}s", .0.as_secs())]
    Timeout(Duration),
    #[error("larger than the {limit}-byte limit ([downloads] max_size)")]
    TooLarge { limit: u64 },
    #[error("HTTP {0}")]
    Status(StatusCode),
    #[error("the server answered for other bytes than those asked for")]
    BadRange,
    #[error("the connection ended after {received} of {expected} bytes")]
    Incomplete { received: u64, expected: u64 },
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("network error: {0}")]
    Network(String),
    #[error("cannot make the download folder {}: {source}", path.display())]
    Folder { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    File(#[from] PartError),
    #[error("cannot set up HTTP: {0}")]
    Client(String),
}

/// What a transfer tells as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// The server answered: the validator of its bytes, the whole size when it said, and how
    /// many bytes the `.part` file holds (those before the range asked for, on a resume).
    Started { validator: Option<String>, total: Option<u64>, received: u64 },
    /// Bytes received so far, of `total`.
    Received { received: u64, total: Option<u64> },
}

/// A finished download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The file's name in the download folder.
    pub file_name: String,
    pub size: u64,
}

/// What a download may take.
#[derive(Debug, Clone)]
pub struct TransferLimits {
    pub connect_timeout: Duration,
    /// For the response head, and for each piece of the body.
    pub timeout: Duration,
    pub max_size: u64,
    pub user_agent: String,
}

#[derive(Clone)]
pub struct Transfer {
    client: reqwest::Client,
    limits: TransferLimits,
}

/// How the server answered a request.
enum Answer {
    /// The body is the file from `from` on (0: the whole file).
    Body { from: u64, total: Option<u64> },
    /// The `.part` file holds the whole file already.
    Complete,
    /// It cannot go on from the `.part` file: ask for the whole file.
    Restart,
}

impl Transfer {
    pub fn new(limits: TransferLimits) -> Result<Transfer, DownloadError> {
        // reqwest is built without a default TLS crypto provider; ring is ours.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let redirects = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
            } else if !matches!(attempt.url().scheme(), "http" | "https") {
                attempt.error("a redirect to an address that is not a web address")
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(limits.user_agent.clone())
            .dns_resolver(Arc::new(BoundedResolver { timeout: limits.connect_timeout }))
            .connect_timeout(limits.connect_timeout)
            .read_timeout(limits.timeout)
            // Bytes as they are on the server: ranges count them, and the size cap is on disk.
            .no_gzip()
            .no_brotli()
            .no_deflate()
            .redirect(redirects)
            .build()
            .map_err(|e| DownloadError::Client(e.to_string()))?;
        Ok(Transfer { client, limits })
    }

    /// Downloads `url` into `dir`, going on from its `.part` file when there is one (`validator`
    /// is the one [`Report::Started`] gave for its bytes). `report` hears how it goes.
    pub async fn run(
        &self,
        url: &str,
        dir: &Path,
        validator: Option<&str>,
        report: &mut (dyn FnMut(Report) + Send),
    ) -> Result<Saved, DownloadError> {
        let parsed = Url::parse(url).map_err(|_| DownloadError::BadUrl(url.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(DownloadError::BadUrl(url.to_string()));
        }
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|source| DownloadError::Folder { path: dir.to_path_buf(), source })?;
        let part_path = part::inside(dir, &name::part_name(url))?;
        let mut have = part::received(&part_path).await;
        if have > self.limits.max_size {
            let _ = tokio::fs::remove_file(&part_path).await;
            return Err(DownloadError::TooLarge { limit: self.limits.max_size });
        }
        let mut validator = validator.map(str::to_string);
        for _ in 0..2 {
            let response = self.send(&parsed, have, validator.as_deref()).await?;
            match answer(&response, have)? {
                Answer::Restart => {
                    have = 0;
                    validator = None;
                }
                Answer::Complete => {
                    report(Report::Started { validator, total: Some(have), received: have });
                    return self.save(dir, part_path, &response, url, have).await;
                }
                Answer::Body { from, total } => {
                    return self.receive(response, dir, part_path, url, from, total, report).await;
                }
            }
        }
        Err(DownloadError::BadRange)
    }

    /// GET `url`, for the bytes from `from` on when `from` is not 0.
    async fn send(&self, url: &Url, from: u64, validator: Option<&str>) -> Result<Response, DownloadError> {
        let mut request = self.client.get(url.clone()).header(header::ACCEPT_ENCODING, "identity");
        if from > 0 {
            request = request.header(header::RANGE, format!("bytes={from}-"));
            if let Some(validator) = validator {
                request = request.header(header::IF_RANGE, validator);
            }
        }
        let timeout = self.limits.timeout;
        match tokio::time::timeout(timeout, request.send()).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(e)) => Err(request_error(&e, timeout)),
            Err(_) => Err(DownloadError::Timeout(timeout)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn receive(
        &self,
        mut response: Response,
        dir: &Path,
        part_path: PathBuf,
        url: &str,
        from: u64,
        total: Option<u64>,
        report: &mut (dyn FnMut(Report) + Send),
    ) -> Result<Saved, DownloadError> {
        let limit = self.limits.max_size;
        if total.is_some_and(|t| t > limit) {
            let _ = tokio::fs::remove_file(&part_path).await;
            return Err(DownloadError::TooLarge { limit });
        }
        report(Report::Started { validator: validator_of(response.headers()), total, received: from });
        let mut file = part::open(&part_path, from == 0).await?;
        let write_error = |source| DownloadError::File(PartError::Io { path: part_path.clone(), source });
        let mut received = from;
        let timeout = self.limits.timeout;
        loop {
            let chunk = match tokio::time::timeout(timeout, response.chunk()).await {
                Ok(Ok(Some(chunk))) => chunk,
                Ok(Ok(None)) => break,
                Ok(Err(e)) => {
                    file.flush().await.map_err(write_error)?;
                    return Err(request_error(&e, timeout));
                }
                Err(_) => {
                    file.flush().await.map_err(write_error)?;
                    return Err(DownloadError::Timeout(timeout));
                }
            };
            if received + chunk.len() as u64 > limit {
                drop(file);
                let _ = tokio::fs::remove_file(&part_path).await;
                return Err(DownloadError::TooLarge { limit });
            }
            file.write_all(&chunk).await.map_err(write_error)?;
            received += chunk.len() as u64;
            report(Report::Received { received, total });
        }
        file.flush().await.map_err(write_error)?;
        file.sync_all().await.map_err(write_error)?;
        drop(file);
        if let Some(expected) = total.filter(|t| *t != received) {
            return Err(DownloadError::Incomplete { received, expected });
        }
        self.save(dir, part_path, &response, url, received).await
    }

    /// Names the finished file and makes it from the `.part` file.
    async fn save(
        &self,
        dir: &Path,
        part_path: PathBuf,
        response: &Response,
        url: &str,
        size: u64,
    ) -> Result<Saved, DownloadError> {
        let text = |name: header::HeaderName| {
            response.headers().get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let file_name = name::choose(
            text(header::CONTENT_DISPOSITION).as_deref(),
            response.url().as_str(),
            url,
            text(header::CONTENT_TYPE).as_deref(),
        );
        let file_name = part::finish(dir.to_path_buf(), part_path, file_name).await?;
        Ok(Saved { file_name, size })
    }
}

/// What `response` (to a request for the bytes from `have` on, when not 0) means for the
/// `.part` file.
fn answer(response: &Response, have: u64) -> Result<Answer, DownloadError> {
    let status = response.status();
    let headers = response.headers();
    match status {
        // A server that ignores Range, or whose file changed (If-Range): the whole file.
        StatusCode::OK => Ok(Answer::Body { from: 0, total: response.content_length() }),
        StatusCode::PARTIAL_CONTENT if have > 0 => match content_range(headers) {
            Some((start, total)) if start == have => Ok(Answer::Body { from: have, total }),
            _ => Ok(Answer::Restart),
        },
        StatusCode::PARTIAL_CONTENT => Err(DownloadError::BadRange),
        StatusCode::RANGE_NOT_SATISFIABLE if have > 0 => match unsatisfied_total(headers) {
            Some(total) if total == have => Ok(Answer::Complete),
            _ => Ok(Answer::Restart),
        },
        status => Err(DownloadError::Status(status)),
    }
}

/// `Content-Range: bytes START-END/TOTAL` (TOTAL may be `*`): the start, and the total.
fn content_range(headers: &HeaderMap) -> Option<(u64, Option<u64>)> {
    let value = headers.get(header::CONTENT_RANGE)?.to_str().ok()?;
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let (start, end): (u64, u64) = (start.trim().parse().ok()?, end.trim().parse().ok()?);
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse::<u64>().ok()?),
    };
    (end >= start && total.is_none_or(|t| end < t)).then_some((start, total))
}

/// `Content-Range: bytes */TOTAL` of a 416: the file's size.
fn unsatisfied_total(headers: &HeaderMap) -> Option<u64> {
    let value = headers.get(header::CONTENT_RANGE)?.to_str().ok()?;
    value.trim().strip_prefix("bytes")?.trim_start().strip_prefix("*/")?.trim().parse().ok()
}

/// What If-Range may send back: a strong ETag, else Last-Modified.
fn validator_of(headers: &HeaderMap) -> Option<String> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    text(header::ETAG)
        .filter(|etag| !etag.starts_with("W/") && !etag.is_empty())
        .or_else(|| text(header::LAST_MODIFIED).filter(|m| !m.is_empty()))
        .map(str::to_string)
}

/// As the fetcher tells a failed request: the innermost cause, the whole chain to the log.
fn request_error(error: &reqwest::Error, timeout: Duration) -> DownloadError {
    if error.is_timeout() {
        return DownloadError::Timeout(timeout);
    }
    tracing::debug!("download request failed: {}", crate::sanitize::error_chain(error));
    let why = crate::sanitize::root_cause(error);
    if error.is_connect() { DownloadError::Connect(why) } else { DownloadError::Network(why) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).expect("header value"));
        }
        map
    }

    #[test]
    fn content_ranges() {
        let range = |v: &str| content_range(&headers(&[(header::CONTENT_RANGE, v)]));
        assert_eq!(range("bytes 100-999/1000"), Some((100, Some(1000))));
        assert_eq!(range("bytes 100-999/*"), Some((100, None)));
        assert_eq!(range("bytes 100-99/1000"), None);
        assert_eq!(range("bytes 100-1000/1000"), None);
        assert_eq!(range("items 1-2/3"), None);
        assert_eq!(unsatisfied_total(&headers(&[(header::CONTENT_RANGE, "bytes */1000")])), Some(1000));
    }

    #[test]
    fn if_range_takes_a_strong_etag_else_the_date() {
        let date = "Wed, 21 Oct 2025 07:28:00 GMT";
        assert_eq!(validator_of(&headers(&[(header::ETAG, "\"abc\"")])).as_deref(), Some("\"abc\""));
        assert_eq!(
            validator_of(&headers(&[(header::ETAG, "W/\"abc\""), (header::LAST_MODIFIED, date)])).as_deref(),
            Some(date)
        );
        assert_eq!(validator_of(&headers(&[(header::ETAG, "W/\"abc\"")])), None);
    }
}
