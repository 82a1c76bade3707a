//! HTTP and file fetching with the limits every request gets: a time-out on the host lookup and
//! on connecting, one on the whole fetch (redirects and body included), a size cap counted after
//! decompression, redirects followed by hand (so a permanent move is noticed), and conditional
//! GET with the validators sent back verbatim.

use crate::sanitize::{error_chain, root_cause};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use url::Url;

use super::access::Access;
use super::resolve::BoundedResolver;
use crate::config::{PollSettings, ProxyUrl};

const MAX_REDIRECTS: usize = 10;
pub const FEED_ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";
pub const PAGE_ACCEPT: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("timed out after {}s", .0.as_secs())]
    Timeout(Duration),
    #[error("response larger than the {limit}-byte limit")]
    TooLarge { limit: u64 },
    #[error("{}", unauthorized_message(.host, *.sent, *.withheld))]
    Unauthorized {
        host: String,
        /// This feed's credentials went with the request that was refused.
        sent: bool,
        /// The feed has credentials, but the request went to another origin (after a redirect),
        /// so they were kept back.
        withheld: bool,
    },
    #[error("HTTP {status}")]
    Status { status: StatusCode, retry_after: Option<i64> },
    #[error("gone (HTTP 410): the server says this feed was removed for good")]
    Gone,
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("redirect (HTTP {0}) without a usable Location")]
    BadRedirect(StatusCode),
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("network error: {0}")]
    Network(String),
    #[error("cannot read {}: {source}", path.display())]
    File { path: PathBuf, source: std::io::Error },
    #[error("unsupported URL: {0}")]
    BadUrl(String),
    #[error("cannot set up HTTP: {0}")]
    Client(String),
    /// The feed's own settings could not be made ready (its password, its proxy).
    #[error("{0}")]
    Setup(String),
    #[error("skipped: {host} did not answer earlier in this poll")]
    HostSkipped { host: String },
}

fn unauthorized_message(host: &str, sent: bool, withheld: bool) -> String {
    if sent {
        format!("HTTP 401 Unauthorized: {host} refused this feed's user and password (or headers)")
    } else if withheld {
        format!(
            "HTTP 401 Unauthorized: {host} wants credentials, and this feed's are sent only to the site of its \
             configured URL, not after a redirect to another"
        )
    } else {
        format!("HTTP 401 Unauthorized: {host} wants a user and password; set `user` and `password` for this feed")
    }
}

impl FetchError {
    /// Seconds the server asked us to wait (Retry-After on 429 and 503).
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the same request may well work later: the host did not answer, or said it was
    /// busy or broken for now (5xx, 408, 429).
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout(_)
            | FetchError::Connect(_)
            | FetchError::Network(_)
            | FetchError::HostSkipped { .. }
            // A password command or proxy that failed may work at the next poll.
            | FetchError::Setup(_) => true,
            FetchError::Status { status, .. } => {
                status.is_server_error()
                    || *status == StatusCode::TOO_MANY_REQUESTS
                    || *status == StatusCode::REQUEST_TIMEOUT
            }
            _ => false,
        }
    }

    /// Whether the host itself is out of reach (no address, no connection, no answer in time):
    /// its other URLs are skipped for the rest of the poll.
    pub fn host_unreachable(&self) -> bool {
        matches!(self, FetchError::Timeout(_) | FetchError::Connect(_))
    }
}

/// Validators from the last fetch, sent back verbatim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub validators: Validators,
    /// The URL the body came from (after redirects).
    pub final_url: String,
    /// Set when every redirect on the way was permanent (301, 308): fetch this from now on.
    pub moved_to: Option<String>,
    /// `Cache-Control: max-age`, in seconds.
    pub max_age: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FetchOutcome {
    Fetched(Fetched),
    NotModified { moved_to: Option<String>, max_age: Option<i64> },
}

#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    max_size: u64,
    timeout: Duration,
}

impl Fetcher {
    /// A fetcher through `[poll] proxy`, if set.
    pub fn new(settings: &PollSettings) -> Result<Fetcher, FetchError> {
        Fetcher::with_proxy(settings, settings.proxy.as_ref())
    }

    /// A fetcher with the limits of `settings` through `proxy` (`None`: straight to each server,
    /// whatever the environment's proxy variables say when `[poll] proxy` is set).
    pub fn with_proxy(settings: &PollSettings, proxy: Option<&ProxyUrl>) -> Result<Fetcher, FetchError> {
        // reqwest is built without a default TLS crypto provider; ring is ours.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder();
        match proxy {
            Some(proxy) => {
                let proxy = reqwest::Proxy::all(proxy.as_str())
                    .map_err(|e| FetchError::Client(format!("the proxy {}: {}", proxy.shown(), error_chain(&e))))?;
                builder = builder.proxy(proxy);
            }
            None if settings.proxy.is_some() => builder = builder.no_proxy(),
            None => {}
        }
        let client = builder
            .user_agent(settings.user_agent.clone())
            .dns_resolver(Arc::new(BoundedResolver { timeout: settings.connect_timeout }))
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        Ok(Fetcher { client, max_size: settings.max_size, timeout: settings.timeout })
    }

    /// Fetches `url` (http, https or file). `accept` is the Accept header. The whole fetch,
    /// redirects and body included, ends within the time-out.
    pub async fn fetch(&self, url: &str, validators: &Validators, accept: &str) -> Result<FetchOutcome, FetchError> {
        self.fetch_as(url, validators, accept, &Access::none()).await
    }

    /// [`Fetcher::fetch`] with a feed's own headers and credentials, added to each request that
    /// goes to the feed's origin (never to another after a redirect).
    pub async fn fetch_as(
        &self,
        url: &str,
        validators: &Validators,
        accept: &str,
        access: &Access,
    ) -> Result<FetchOutcome, FetchError> {
        let parsed = Url::parse(url).map_err(|_| FetchError::BadUrl(url.to_string()))?;
        let fetch = async {
            match parsed.scheme() {
                "file" => self.fetch_file(&parsed, validators).await,
                "http" | "https" => self.fetch_http(parsed.clone(), validators, accept, access).await,
                _ => Err(FetchError::BadUrl(url.to_string())),
            }
        };
        tokio::time::timeout(self.timeout, fetch).await.unwrap_or(Err(FetchError::Timeout(self.timeout)))
    }

    async fn fetch_http(
        &self,
        mut url: Url,
        validators: &Validators,
        accept: &str,
        access: &Access,
    ) -> Result<FetchOutcome, FetchError> {
        let mut all_permanent = true;
        let mut redirected = false;
        for _ in 0..=MAX_REDIRECTS {
            let mut request = self.client.get(url.clone()).header(header::ACCEPT, accept);
            if let Some(etag) = &validators.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(modified) = &validators.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, modified);
            }
            let (request, sent) = access.apply(request, &url);
            let response = request.send().await.map_err(|e| self.request_error(e))?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED {
                let host = url.host_str().unwrap_or_default().to_string();
                return Err(FetchError::Unauthorized { host, sent, withheld: !sent && access.has_credentials() });
            }
            let moved_to = || (redirected && all_permanent).then(|| url.to_string());
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let next = response
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|loc| url.join(loc).ok())
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or(FetchError::BadRedirect(status))?;
                all_permanent &= matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT);
                redirected = true;
                url = next;
                continue;
            }
            let max_age = max_age(response.headers());
            if status == StatusCode::NOT_MODIFIED {
                return Ok(FetchOutcome::NotModified { moved_to: moved_to(), max_age });
            }
            if status == StatusCode::GONE {
                return Err(FetchError::Gone);
            }
            if !status.is_success() {
                let retry_after = retry_after(response.headers());
                return Err(FetchError::Status { status, retry_after });
            }
            let header_text = |name: header::HeaderName| {
                response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
            };
            let content_type = header_text(header::CONTENT_TYPE);
            let new_validators =
                Validators { etag: header_text(header::ETAG), last_modified: header_text(header::LAST_MODIFIED) };
            let moved = moved_to();
            let body = self.read_body(response).await?;
            return Ok(FetchOutcome::Fetched(Fetched {
                body,
                content_type,
                validators: new_validators,
                final_url: url.to_string(),
                moved_to: moved,
                max_age,
            }));
        }
        Err(FetchError::TooManyRedirects)
    }

    /// POSTs `body` to `url` (an API call), within the same time-out and size limit as a fetch;
    /// returns the body of a 2xx answer. Redirects are not followed: an API that moved says so.
    pub async fn post(&self, url: &str, content_type: &str, body: Vec<u8>) -> Result<Vec<u8>, FetchError> {
        let parsed = Url::parse(url).map_err(|_| FetchError::BadUrl(url.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FetchError::BadUrl(url.to_string()));
        }
        let post = async {
            let response = self
                .client
                .post(parsed)
                .header(header::CONTENT_TYPE, content_type)
                .header(header::ACCEPT, "application/json, text/json;q=0.9, */*;q=0.5")
                .body(body)
                .send()
                .await
                .map_err(|e| self.request_error(e))?;
            let status = response.status();
            if !status.is_success() {
                return Err(FetchError::Status { status, retry_after: retry_after(response.headers()) });
            }
            self.read_body(response).await
        };
        tokio::time::timeout(self.timeout, post).await.unwrap_or(Err(FetchError::Timeout(self.timeout)))
    }

    async fn read_body(&self, mut response: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        let limit = self.max_size;
        // Content-Length is the compressed size when the body is encoded: only a hint.
        let capacity = response.content_length().unwrap_or(0).min(limit) as usize;
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(|e| self.request_error(e))? {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(FetchError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// A request's failure in a line a reader can use: the innermost cause says why ("Connection
    /// refused", "end of file before message length reached"); the whole chain goes to the log.
    fn request_error(&self, error: reqwest::Error) -> FetchError {
        if error.is_timeout() {
            return FetchError::Timeout(self.timeout);
        }
        tracing::debug!("request failed: {}", error_chain(&error));
        if error.is_connect() {
            FetchError::Connect(root_cause(&error))
        } else {
            FetchError::Network(root_cause(&error))
        }
    }

    async fn fetch_file(&self, url: &Url, validators: &Validators) -> Result<FetchOutcome, FetchError> {
        let path = url.to_file_path().map_err(|()| FetchError::BadUrl(url.to_string()))?;
        let file_error = |source| FetchError::File { path: path.clone(), source };
        let meta = tokio::fs::metadata(&path).await.map_err(file_error)?;
        if meta.len() > self.max_size {
            return Err(FetchError::TooLarge { limit: self.max_size });
        }
        // The modification time (to the nanosecond, with the size) plays the part of an ETag: an
        // unchanged file is not parsed. Whole seconds are not enough: a generated feed can be
        // rewritten within the second it was read.
        let stamp = meta.modified().ok().map(|t| {
            let since = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
            format!("\"file-{}.{:09}-{}\"", since.as_secs(), since.subsec_nanos(), meta.len())
        });
        if stamp.is_some() && stamp == validators.etag {
            return Ok(FetchOutcome::NotModified { moved_to: None, max_age: None });
        }
        let body = tokio::fs::read(&path).await.map_err(file_error)?;
        if body.len() as u64 > self.max_size {
            return Err(FetchError::TooLarge { limit: self.max_size });
        }
        Ok(FetchOutcome::Fetched(Fetched {
            body,
            content_type: None,
            validators: Validators { etag: stamp, last_modified: None },
            final_url: url.to_string(),
            moved_to: None,
            max_age: None,
        }))
    }
}

fn max_age(headers: &HeaderMap) -> Option<i64> {
    let value = headers.get(header::CACHE_CONTROL)?.to_str().ok()?;
    value.split(',').find_map(|d| {
        let (name, secs) = d.trim().split_once('=')?;
        name.trim().eq_ignore_ascii_case("max-age").then(|| secs.trim().trim_matches('"').parse().ok())?
    })
}

/// Retry-After as seconds from now: a number of seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<i64> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<i64>() {
        return Some(secs.max(0));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    let secs = when.duration_since(SystemTime::now()).map(|d| d.as_secs() as i64).unwrap_or(0);
    Some(secs)
}
