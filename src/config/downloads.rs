//! `[downloads]` and the `[ui]` player validated: where enclosures are downloaded to, how large
//! one may be, how many at once, and the command that plays one. Pure: the folder is only made
//! when a download starts.

use std::path::{Path, PathBuf};

use toml::Spanned;

use super::error::ConfigError;
use super::file::DownloadsTable;

#[derive(Debug, Clone, PartialEq)]
pub struct DownloadSettings {
    /// The download folder; `None`: [`super::paths::default_download_dir`].
    pub dir: Option<PathBuf>,
    /// The largest file accepted.
    pub max_size: u64,
    /// Downloads running at once.
    pub concurrency: usize,
}

impl Default for DownloadSettings {
    fn default() -> Self {
        let table = DownloadsTable::default();
        DownloadSettings { dir: None, max_size: table.max_size.0, concurrency: table.concurrency }
    }
}

/// The `[downloads]` table; a relative `dir` is relative to the config file's folder, `~/` is
/// the home folder.
pub fn download_settings(table: &DownloadsTable, base_dir: &Path) -> DownloadSettings {
    let dir = table.dir.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(|d| folder(d, base_dir));
    DownloadSettings { dir, max_size: table.max_size.0, concurrency: table.concurrency }
}

fn folder(raw: &str, base_dir: &Path) -> PathBuf {
    if let Some(rest) = raw.strip_prefix("~/")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    let path = Path::new(raw);
    if path.is_absolute() { path.to_path_buf() } else { base_dir.join(path) }
}

/// `[ui] player`: the program and its first arguments, each a word of its own (never run
/// through a shell). An empty list, or an empty program, is an error at its place.
pub fn player(
    value: Option<&Spanned<Vec<String>>>,
    text: &str,
    origin: &str,
    errors: &mut Vec<ConfigError>,
) -> Option<Vec<String>> {
    let value = value?;
    let words = value.get_ref();
    if words.first().is_none_or(|program| program.trim().is_empty()) {
        errors.push(ConfigError::at(
            origin,
            text,
            value.span().start,
            "`player` needs the program first, like player = [\"mpv\", \"--no-video\"]",
        ));
        return None;
    }
    Some(words.clone())
}
