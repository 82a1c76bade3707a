//! Configuration: the TOML file, its defaults and its validation.

mod downloads;
pub mod edit;
mod error;
mod feed_http;
pub mod file;
mod images;
mod notify;
mod password;
pub mod paths;
pub mod queries;
mod settings;
mod sync;
pub mod units;

use std::path::{Path, PathBuf};

pub use error::{ConfigError, line_and_column, type_error_message};
pub use feed_http::{BasicAuth, FeedHttp, ProxyUrl};
pub use file::ImageProtocol;
pub use password::{PasswordSource, Secret};
pub use settings::{
    CacheSettings, DownloadSettings, FeedSettings, FullText, IgnoreRule, ImageSettings, NotifyMethod, PageSettings,
    PollSettings, QueryFeed, Settings, canonical_feed_url, parse_settings,
};
pub use sync::{SyncBackendKind, SyncSettings};

/// The default configuration, used when there is no config file. Same text as
/// `config.example.toml`.
pub const DEFAULT_CONFIG: &str = include_str!("../../config.example.toml");
pub const DEFAULT_ORIGIN: &str = "built-in default config";

/// Where the config comes from.
#[derive(Debug, Clone)]
pub enum ConfigSource {
    /// A file the user named; it must exist.
    Explicit(PathBuf),
    /// The platform's config file if it exists, else the embedded default.
    Standard,
}

impl ConfigSource {
    /// The file that import-opml writes to.
    pub fn file_path(&self) -> Option<PathBuf> {
        match self {
            ConfigSource::Explicit(p) => Some(p.clone()),
            ConfigSource::Standard => paths::default_config_file(),
        }
    }
}

/// Reads and validates the configuration.
pub fn load(source: &ConfigSource) -> Result<Settings, ConfigError> {
    match source {
        ConfigSource::Explicit(path) => load_file(path),
        ConfigSource::Standard => match paths::default_config_file() {
            Some(path) if path.exists() => load_file(&path),
            _ => parse_default(),
        },
    }
}

pub fn parse_default() -> Result<Settings, ConfigError> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    parse_settings(DEFAULT_CONFIG, DEFAULT_ORIGIN, &cwd)
}

pub fn load_file(path: &Path) -> Result<Settings, ConfigError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse_settings(&text, &path.display().to_string(), &base)
}
