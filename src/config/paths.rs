//! Where tidings keeps its files: the platform's config, data and state directories
//! (`$XDG_CONFIG_HOME/tidings`, `$XDG_DATA_HOME/tidings`, `$XDG_STATE_HOME/tidings` on Linux).

use std::path::PathBuf;

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "tidings")
}

/// `$XDG_CONFIG_HOME/tidings/config.toml`.
pub fn default_config_file() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// `$XDG_DATA_HOME/tidings/cache.db`.
pub fn default_cache_file() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("cache.db"))
}

/// `$XDG_STATE_HOME/tidings/` (the data dir where the platform has no state dir).
pub fn state_dir() -> Option<PathBuf> {
    let dirs = project_dirs()?;
    Some(dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir()).to_path_buf())
}

/// The log file, `$XDG_STATE_HOME/tidings/tidings.log`.
pub fn log_file() -> Option<PathBuf> {
    state_dir().map(|d| d.join("tidings.log"))
}

/// Where enclosures are downloaded unless `[downloads] dir` says: `tidings` in the XDG download
/// folder (`~/Downloads/tidings`), else `downloads` in the data folder
/// (`~/.local/share/tidings/downloads`).
pub fn default_download_dir() -> PathBuf {
    if let Some(dir) = directories::UserDirs::new().and_then(|d| d.download_dir().map(|d| d.join("tidings"))) {
        return dir;
    }
    project_dirs().map_or_else(|| PathBuf::from("downloads"), |d| d.data_dir().join("downloads"))
}

/// Where fetched article images are kept: `$XDG_CACHE_HOME/tidings/images`.
pub fn image_cache_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.cache_dir().join("images"))
}
