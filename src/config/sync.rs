//! `[sync]` validated: which server, where, who, and where the password comes from. Pure: the
//! password is only looked up (environment, command) when a sync runs.

use std::time::Duration;

use toml::Spanned;

use super::error::ConfigError;
use super::file::SyncTable;
use super::password::{PasswordFields, PasswordSource, password_source};

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
    let fields = PasswordFields {
        password: sync.password.as_ref(),
        password_env: sync.password_env.as_ref(),
        password_command: sync.password_command.as_ref(),
    };
    let password = password_source(&fields, "[sync]", &at, errors);
    if password.is_none() && !fields.any() {
        errors.push(at(
            table.span().start,
            "[sync] needs one of `password`, `password_env` or `password_command`".into(),
        ));
    }
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
