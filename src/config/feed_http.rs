//! A feed's own HTTP settings validated: extra request headers, HTTP Basic auth (the password
//! from any of the sources `[sync]` knows) and the proxy, with `[poll] proxy` as the default.
//! Pure: the password is only looked up when the feed is polled.

use std::fmt;

use toml::Spanned;

use super::error::ConfigError;
use super::file::FeedEntry;
use super::password::{PasswordFields, PasswordSource, Secret, password_source};

/// What a `[[feed]]` adds to its requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedHttp {
    /// Extra request headers, names as written; the values may be keys, so they are secrets.
    /// Sent to the feed's own origin only (scheme, host and port of its configured URL).
    pub headers: Vec<(String, Secret)>,
    /// HTTP Basic auth, sent to the feed's own origin only.
    pub auth: Option<BasicAuth>,
    /// The proxy its requests (the feed's and its pages') go through: its own `proxy`, else
    /// `[poll] proxy`; `None`: straight to the server.
    pub proxy: Option<ProxyUrl>,
}

/// `user` and where its password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicAuth {
    pub user: String,
    pub password: PasswordSource,
    /// Where the password source is written ("config.toml:14:1"), for messages about it.
    pub password_at: String,
}

/// A proxy's address (`http://`, `https://`, `socks5://` or `socks5h://`). It may carry a user and
/// password, so `Debug` shows the password as `***`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ProxyUrl(String);

impl ProxyUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address with any password replaced by `***`, for messages.
    pub fn shown(&self) -> String {
        shown_proxy(&self.0)
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyUrl({})", self.shown())
    }
}

const PROXY_SCHEMES: &[&str] = &["http", "https", "socks5", "socks5h"];

/// The value that sends a feed straight to its server whatever `[poll] proxy` says.
const NO_PROXY: &str = "none";

/// Headers that belong to the connection (hop-by-hop) or to the message's framing, and the ones
/// tidings sets itself (conditional GET, compression, ranges): never taken from the config.
const REFUSED_HEADERS: &[(&str, &str)] = &[
    ("host", "it names the server of each request"),
    ("content-length", "it frames the message"),
    ("transfer-encoding", "it frames the message"),
    ("connection", "it belongs to the connection, not the request"),
    ("keep-alive", "it belongs to the connection, not the request"),
    ("proxy-connection", "it belongs to the connection, not the request"),
    ("te", "it belongs to the connection, not the request"),
    ("trailer", "it frames the message"),
    ("upgrade", "it belongs to the connection, not the request"),
    ("expect", "it belongs to the connection, not the request"),
    ("proxy-authorization", "proxy credentials go in the proxy's address, like proxy = \"http://user:pw@host:3128\""),
    ("accept-encoding", "tidings sets it to the compressions it decodes"),
    ("if-none-match", "tidings sends the feed's ETag itself (conditional GET)"),
    ("if-modified-since", "tidings sends the feed's Last-Modified itself (conditional GET)"),
    ("range", "tidings fetches whole documents"),
    ("if-range", "tidings fetches whole documents"),
];

/// `[poll] proxy`: the proxy of every feed that names none; absent or "none": straight.
pub fn poll_proxy(
    value: Option<&Spanned<String>>,
    text: &str,
    origin: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<ProxyUrl> {
    let value = value?;
    proxy_url(value, text, origin, errors).flatten()
}

/// The HTTP settings of `entry`, whose canonical URL is `url`; each mistake is added to `errors`.
pub fn feed_http(
    entry: &FeedEntry,
    url: &str,
    default_proxy: Option<&ProxyUrl>,
    text: &str,
    origin: &str,
    errors: &mut Vec<ConfigError>,
) -> FeedHttp {
    let at = |offset: usize, message: String| ConfigError::at(origin, text, offset, message);
    if !url.starts_with("http://") && !url.starts_with("https://") {
        let given = [entry.headers.as_ref().map(|h| h.span().start), entry.user.as_ref().map(|u| u.span().start)]
            .into_iter()
            .chain([entry.proxy.as_ref().map(|p| p.span().start)])
            .flatten()
            .min();
        if let Some(offset) = given {
            errors.push(at(offset, "`headers`, `user` and `proxy` are for http(s) feeds, not files".into()));
        }
        return FeedHttp::default();
    }
    let headers = entry.headers.as_ref().map(|h| headers(h.get_ref(), entry, &at, errors)).unwrap_or_default();
    let auth = basic_auth(entry, &at, text, origin, errors);
    let proxy = match &entry.proxy {
        Some(value) => proxy_url(value, text, origin, errors).flatten(),
        None => default_proxy.cloned(),
    };
    FeedHttp { headers, auth, proxy }
}

type Headers = std::collections::BTreeMap<Spanned<String>, Spanned<String>>;

fn headers(
    table: &Headers,
    entry: &FeedEntry,
    at: &impl Fn(usize, String) -> ConfigError,
    errors: &mut Vec<ConfigError>,
) -> Vec<(String, Secret)> {
    let mut out: Vec<(String, Secret)> = Vec::with_capacity(table.len());
    for (name, value) in table {
        let (written, offset) = (name.get_ref().as_str(), name.span().start);
        let lower = written.to_ascii_lowercase();
        if written.is_empty() || !written.bytes().all(is_token_byte) {
            errors.push(at(
                offset,
                format!(
                    "\"{}\" is not a header name: use letters, digits and !#$%&'*+-.^_`|~",
                    crate::sanitize::clean_line(written)
                ),
            ));
            continue;
        }
        if let Some((_, why)) = REFUSED_HEADERS.iter().find(|(refused, _)| *refused == lower) {
            errors.push(at(offset, format!("the header \"{written}\" cannot be set in the config: {why}")));
            continue;
        }
        if lower == "authorization" && entry.user.is_some() {
            errors.push(at(offset, "give either `user` or an Authorization header, not both".into()));
            continue;
        }
        if out.iter().any(|(seen, _)| seen.eq_ignore_ascii_case(written)) {
            errors.push(at(offset, format!("the header \"{written}\" is given twice (names ignore case)")));
            continue;
        }
        if value.get_ref().chars().any(char::is_control) {
            // The value is not repeated: it may be a key.
            errors.push(at(
                value.span().start,
                format!("the value of header \"{written}\" has a control character (a line break, tab or the like)"),
            ));
            continue;
        }
        out.push((written.to_string(), Secret::new(value.get_ref().trim())));
    }
    out
}

/// A token character of RFC 9110 (what a header name is made of).
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn basic_auth(
    entry: &FeedEntry,
    at: &impl Fn(usize, String) -> ConfigError,
    text: &str,
    origin: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<BasicAuth> {
    let fields = PasswordFields {
        password: entry.password.as_ref(),
        password_env: entry.password_env.as_ref(),
        password_command: entry.password_command.as_ref(),
    };
    let before = errors.len();
    let source = password_source(&fields, "[[feed]]", at, errors);
    let Some(user) = &entry.user else {
        if let Some((_, offset)) = &source {
            errors.push(at(*offset, "a password needs a `user` beside it in the [[feed]]".into()));
        }
        return None;
    };
    let name = user.get_ref().trim();
    if name.is_empty() {
        errors.push(at(user.span().start, "the feed's `user` is empty".into()));
    } else if name.contains(':') || name.chars().any(char::is_control) {
        errors.push(at(
            user.span().start,
            "the feed's `user` cannot hold \":\" or control characters (Basic auth puts a \":\" after it)".into(),
        ));
    }
    if source.is_none() && !fields.any() {
        errors.push(at(
            user.span().start,
            "`user` needs one of `password`, `password_env` or `password_command` beside it".into(),
        ));
    }
    if errors.len() > before {
        return None;
    }
    let (password, offset) = source?;
    if let PasswordSource::Literal(secret) = &password
        && secret.expose().chars().any(char::is_control)
    {
        errors.push(at(offset, "the feed's `password` has a control character".into()));
        return None;
    }
    let (line, column) = super::error::line_and_column(text, offset);
    Some(BasicAuth { user: name.to_string(), password, password_at: format!("{origin}:{line}:{column}") })
}

/// A proxy as written: `Some(None)` for "none", `None` (and an error) when it is not a proxy URL.
fn proxy_url(
    value: &Spanned<String>,
    text: &str,
    origin: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<Option<ProxyUrl>> {
    let raw = value.get_ref().trim();
    if raw.eq_ignore_ascii_case(NO_PROXY) {
        return Some(None);
    }
    let mut fail = |message: String| errors.push(ConfigError::at(origin, text, value.span().start, message));
    let expected = "expected an address like \"http://proxy.example:3128\" or \"socks5://127.0.0.1:1080\", or \"none\"";
    match url::Url::parse(raw) {
        Ok(url) if !PROXY_SCHEMES.contains(&url.scheme()) => fail(format!(
            "unsupported proxy scheme \"{}\", expected http, https, socks5 or socks5h",
            crate::sanitize::clean_line(url.scheme())
        )),
        Ok(url) if url.host_str().is_none_or(str::is_empty) => {
            fail(format!("the proxy \"{}\" has no host; {expected}", shown_proxy(raw)))
        }
        Ok(_) => return Some(Some(ProxyUrl(raw.to_string()))),
        Err(e) => fail(format!("invalid proxy \"{}\": {e}; {expected}", shown_proxy(raw))),
    }
    None
}

/// `raw` with its password, if any, as `***` (the text cleaned for one line when it does not parse).
fn shown_proxy(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) => {
            if url.password().is_some() {
                let _ = url.set_password(Some("***"));
            }
            url.to_string()
        }
        Err(_) => match raw.rsplit_once('@') {
            Some((_, host)) => format!("***@{}", crate::sanitize::clean_line(host)),
            None => crate::sanitize::clean_line(raw),
        },
    }
}
