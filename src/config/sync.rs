//! `[sync]` validated: which server, where, who, and where the password comes from. Pure: the
//! password is only looked up (environment, command) when a sync runs.

use std::fmt;
use std::time::Duration;

use toml::Spanned;

use super::error::ConfigError;
use super::file::SyncTable;

/// The protocols tidings speaks to a feed server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncBackendKind {
    /// Tiny Tiny RSS's JSON API.
    TtRss,
    /// The Fever API (Miniflux, FreshRSS, coldsweat, tt-rss's plugin...).
    Fever,
}

impl SyncBackendKind {
    pub const NAMES: &str = "\"ttrss\" or \"fever\"";

    fn from_name(name: &str) -> Option<SyncBackendKind> {
        match name {
            "ttrss" => Some(SyncBackendKind::TtRss),
            "fever" => Some(SyncBackendKind::Fever),
            _ => None,
        }
    }

    /// The name written in the config ("ttrss").
    pub fn name(self) -> &'static str {
        match self {
            SyncBackendKind::TtRss => "ttrss",
            SyncBackendKind::Fever => "fever",
        }
    }

    /// The name shown to people ("Tiny Tiny RSS").
    pub fn title(self) -> &'static str {
        match self {
            SyncBackendKind::TtRss => "Tiny Tiny RSS",
            SyncBackendKind::Fever => "the Fever API",
        }
    }
}

/// A password as written in the config; never shown in `Debug` output or messages.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: impl Into<String>) -> Secret {
        Secret(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Where the password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// `password = "..."` in the config.
    Literal(Secret),
    /// `password_env = "NAME"`: the environment variable NAME.
    Env(String),
    /// `password_command = ["pass", "show", "feeds"]`: the first line the command prints. Run as
    /// argv, never through a shell.
    Command(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSettings {
    pub backend: SyncBackendKind,
    /// The server's address as written: for tt-rss its base ("https://rss.example.org/tt-rss/",
    /// the backend adds "api/"), for Fever the API's own ("https://rss.example.org/fever/").
    pub url: String,
    pub user: String,
    pub password: PasswordSource,
    /// Where the password source is written ("config.toml:14:1"), for messages about it.
    pub password_at: String,
    /// How often the reader syncs while it runs (and once at its start).
    pub interval: Duration,
}

/// The reader's sync interval unless `[sync] interval` says otherwise.
pub const DEFAULT_SYNC_INTERVAL: Duration = Duration::from_secs(15 * 60);
/// The shortest `[sync] interval`: each sync reads the server's whole unread list.
pub const MIN_SYNC_INTERVAL: Duration = Duration::from_secs(60);

impl SyncSettings {
    /// The key the cache keeps this account's feeds, items and queued changes under: another
    /// server or user starts afresh rather than mixing ids that mean other articles there.
    pub fn account(&self) -> String {
        format!("{} {} {}", self.backend.name(), self.url.trim_end_matches('/'), self.user)
    }
}

/// Validates `[sync]`; each problem is added to `errors` with its line and column.
pub fn sync_settings(
    table: &Spanned<SyncTable>,
    text: &str,
    origin: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<SyncSettings> {
    let before = errors.len();
    let sync = table.get_ref();
    let at = |offset: usize, message: String| ConfigError::at(origin, text, offset, message);
    let backend = SyncBackendKind::from_name(sync.backend.get_ref().trim());
    if backend.is_none() {
        errors.push(at(
            sync.backend.span().start,
            format!(
                "unknown sync backend \"{}\", expected {}",
                crate::sanitize::clean_line(sync.backend.get_ref()),
                SyncBackendKind::NAMES
            ),
        ));
    }
    let url = sync.url.get_ref().trim();
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_some() => {}
        Ok(parsed) => errors.push(at(
            sync.url.span().start,
            format!("the sync url must be an http(s) address, not \"{}:\"", parsed.scheme()),
        )),
        Err(e) => errors.push(at(sync.url.span().start, format!("invalid sync url \"{url}\": {e}"))),
    }
    let user = sync.user.get_ref().trim();
    if user.is_empty() {
        errors.push(at(sync.user.span().start, "the sync user is empty".into()));
    }
    let interval = sync.interval.as_ref().map_or(DEFAULT_SYNC_INTERVAL, |i| i.get_ref().0);
    if let Some(written) = &sync.interval
        && interval < MIN_SYNC_INTERVAL
    {
        errors.push(at(written.span().start, "the sync interval must be at least \"1m\"".into()));
    }
    let password = password_source(sync, table.span().start, &at, errors);
    if errors.len() > before {
        return None;
    }
    let (password, offset) = password?;
    let (line, column) = super::error::line_and_column(text, offset);
    Some(SyncSettings {
        backend: backend?,
        url: url.to_string(),
        user: user.to_string(),
        password,
        password_at: format!("{origin}:{line}:{column}"),
        interval,
    })
}

/// Exactly one of `password`, `password_env` and `password_command`, and where it is written.
fn password_source(
    sync: &SyncTable,
    table_at: usize,
    at: &impl Fn(usize, String) -> ConfigError,
    errors: &mut Vec<ConfigError>,
) -> Option<(PasswordSource, usize)> {
    let mut given: Vec<(PasswordSource, usize)> = Vec::new();
    if let Some(p) = &sync.password {
        given.push((PasswordSource::Literal(Secret::new(p.get_ref().clone())), p.span().start));
    }
    if let Some(name) = &sync.password_env {
        let var = name.get_ref().trim();
        if var.is_empty() || var.contains('=') || var.contains('\0') {
            errors.push(at(
                name.span().start,
                format!("`password_env` must name an environment variable, not \"{var}\""),
            ));
        }
        given.push((PasswordSource::Env(var.to_string()), name.span().start));
    }
    if let Some(argv) = &sync.password_command {
        if argv.get_ref().first().is_none_or(|program| program.trim().is_empty()) {
            errors.push(at(
                argv.span().start,
                "`password_command` must name a program, like password_command = [\"pass\", \"show\", \"feeds\"]"
                    .into(),
            ));
        }
        given.push((PasswordSource::Command(argv.get_ref().clone()), argv.span().start));
    }
    match given.len() {
        1 => given.pop(),
        0 => {
            errors.push(at(table_at, "[sync] needs one of `password`, `password_env` or `password_command`".into()));
            None
        }
        _ => {
            errors.push(at(
                given[1].1,
                "give only one of `password`, `password_env` and `password_command` in [sync]".into(),
            ));
            None
        }
    }
}
