use std::path::Path;
use std::process::ExitCode;

use crate::config::{self, ConfigError, ConfigSource, edit::import_feeds};
use crate::opml::{OpmlFeed, parse_opml, write_opml};
use crate::session::{Options, SessionError, load_settings};

const NEW_CONFIG_HEADER: &str = "# tidings configuration: see config.example.toml for every key.\n";

/// `tidings import-opml FILE`: adds the OPML's feeds to the config file, keeping its comments.
pub fn import_opml(options: &Options, file: &Path) -> Result<ExitCode, SessionError> {
    let text =
        std::fs::read_to_string(file).map_err(|source| ConfigError::Read { path: file.to_path_buf(), source })?;
    let feeds = match parse_opml(&text) {
        Ok(feeds) => feeds,
        Err(e) => {
            eprintln!("tidings: {}: {e}", file.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let source = match &options.config {
        Some(path) => ConfigSource::Explicit(path.clone()),
        None => ConfigSource::Standard,
    };
    let Some(target) = source.file_path() else {
        eprintln!("tidings: no config directory on this system: give --config PATH");
        return Ok(ExitCode::FAILURE);
    };
    let existing = match std::fs::read_to_string(&target) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => NEW_CONFIG_HEADER.to_string(),
        Err(source) => return Err(ConfigError::Read { path: target, source }.into()),
    };
    let base = target.parent().map(Path::to_path_buf).unwrap_or_default();
    let origin = target.display().to_string();
    // Refuse to add to a config that is already invalid: the user would not see the problem.
    config::parse_settings(&existing, &origin, &base)?;
    let import = import_feeds(&existing, &origin, &base, &feeds)?;
    let (updated, added) = (&import.text, import.added);
    config::parse_settings(updated, &origin, &base)?;
    for skipped in &import.invalid {
        let name = skipped.feed.title.as_deref().unwrap_or(&skipped.feed.url);
        eprintln!("tidings: skipping \"{name}\" ({}): {}", skipped.feed.url, skipped.reason);
    }
    if added > 0 {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|source| ConfigError::Write { path: dir.to_path_buf(), source })?;
        }
        write_atomically(&target, updated)?;
    }
    let invalid = match import.invalid.len() {
        0 => String::new(),
        n => format!(", {n} invalid and skipped"),
    };
    println!("{added} feeds added to {} ({} already there{invalid})", target.display(), import.already_there);
    Ok(ExitCode::SUCCESS)
}

fn write_atomically(path: &Path, text: &str) -> Result<(), ConfigError> {
    let tmp = path.with_extension("toml.tmp");
    let write_error = |source| ConfigError::Write { path: path.to_path_buf(), source };
    std::fs::write(&tmp, text).map_err(write_error)?;
    std::fs::rename(&tmp, path).map_err(write_error)
}

/// `tidings export-opml`: prints the configured feeds as OPML.
pub async fn export_opml(options: &Options) -> Result<ExitCode, SessionError> {
    let (settings, _demo) = load_settings(options).await?;
    let feeds: Vec<OpmlFeed> = settings
        .feeds
        .iter()
        .map(|f| OpmlFeed { url: f.url.clone(), title: f.name.clone(), tags: f.tags.clone() })
        .collect();
    print!("{}", write_opml(&feeds));
    Ok(ExitCode::SUCCESS)
}
