//! What every command needs: validated settings and the cache, from the command line's
//! `--config`, `--cache` and `--demo`. For the demo it also starts the local server and makes a
//! throw-away cache.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::config::{self, ConfigError, ConfigSource, Settings};
use crate::demo::{DemoError, DemoServer};
use crate::feed::poller::{Poller, PollerError};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Demo(#[from] DemoError),
    #[error(transparent)]
    Poller(#[from] PollerError),
    #[error("cannot make a temporary cache for the demo: {0}")]
    TempDir(std::io::Error),
    #[error("no place for the cache: give --cache PATH")]
    NoCachePath,
}

pub struct Options {
    pub config: Option<PathBuf>,
    pub cache: Option<PathBuf>,
    pub demo: bool,
}

pub struct Session {
    pub settings: Arc<Settings>,
    pub cache_path: PathBuf,
    pub store: Arc<Mutex<Store>>,
    pub demo: Option<DemoServer>,
    _demo_dir: Option<TempDir>,
}

/// A directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("tidings-demo-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads the settings the options point at (the demo's when `demo` is set).
pub async fn load_settings(options: &Options) -> Result<(Settings, Option<DemoServer>), SessionError> {
    if options.demo {
        let server = DemoServer::start().await?;
        let template = crate::demo::config_template().ok_or(DemoError::Missing)?;
        let text = crate::demo::fill_placeholders(template, server.base(), chrono::Utc::now());
        let cwd = std::env::current_dir().unwrap_or_default();
        let settings = config::parse_settings(&text, "demo config", &cwd)?;
        return Ok((settings, Some(server)));
    }
    let source = match &options.config {
        Some(path) => ConfigSource::Explicit(path.clone()),
        None => ConfigSource::Standard,
    };
    Ok((config::load(&source)?, None))
}

/// The settings for a command that adds feeds to the config (`add`, `import-opml`): the config
/// file's, or the built-in default's when `--config` names a file not made yet (the command
/// makes it).
pub async fn settings_for_adding(options: &Options) -> Result<Settings, SessionError> {
    match &options.config {
        Some(path) if !options.demo && !path.exists() => Ok(config::parse_default()?),
        _ => Ok(load_settings(options).await?.0),
    }
}

impl Session {
    pub async fn open(options: &Options) -> Result<Session, SessionError> {
        let (settings, demo) = load_settings(options).await?;
        for warning in &settings.warnings {
            tracing::warn!("{warning}");
        }
        let mut demo_dir = None;
        let cache_path = match (&options.cache, options.demo) {
            (Some(path), _) => path.clone(),
            (None, true) => {
                let dir = TempDir::new().map_err(SessionError::TempDir)?;
                let path = dir.0.join("cache.db");
                demo_dir = Some(dir);
                path
            }
            (None, false) => match &settings.cache.path {
                Some(path) => expand_home(path),
                None => config::paths::default_cache_file().ok_or(SessionError::NoCachePath)?,
            },
        };
        let mut store = Store::open(&cache_path)?;
        // A reader killed with changes not yet saved left them in its journal.
        if let Err(e) = crate::store::flag_journal::replay(&mut store, &cache_path, crate::timefmt::now_secs()) {
            tracing::warn!("the read/star changes a stopped reader left could not be saved yet: {e}");
        }
        Ok(Session {
            settings: Arc::new(settings),
            cache_path,
            store: Arc::new(Mutex::new(store)),
            demo,
            _demo_dir: demo_dir,
        })
    }

    pub fn poller(&self) -> Result<Poller, SessionError> {
        Ok(Poller::new(self.settings.clone(), self.store.clone())?)
    }
}

fn expand_home(path: &std::path::Path) -> PathBuf {
    match path.strip_prefix("~") {
        Ok(rest) => directories::BaseDirs::new().map_or_else(|| path.to_path_buf(), |b| b.home_dir().join(rest)),
        Err(_) => path.to_path_buf(),
    }
}
