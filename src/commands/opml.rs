use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::config::edit::{Import, import_feeds};
use crate::config::{self, ConfigError, ConfigSource};
use crate::feed::fetch::{FetchOutcome, Fetcher, Validators};
use crate::opml::{OpmlFeed, parse_opml, write_opml};
use crate::session::{Options, SessionError, load_settings, settings_for_adding};

const NEW_CONFIG_HEADER: &str = "# tidings configuration: see config.example.toml for every key.\n";

/// `tidings import-opml FILE_OR_URL`: adds the OPML's feeds to the config file, keeping its
/// comments.
pub async fn import_opml(options: &Options, file: &Path) -> Result<ExitCode, SessionError> {
    let source = file.to_string_lossy();
    let remote = source.starts_with("http://") || source.starts_with("https://");
    let text = if remote {
        match fetch_text(options, &source).await? {
            Ok(text) => text,
            Err(message) => {
                eprintln!("tidings: {source}: {message}");
                return Ok(ExitCode::FAILURE);
            }
        }
    } else {
        std::fs::read_to_string(file).map_err(|source| ConfigError::Read { path: file.to_path_buf(), source })?
    };
    let mut feeds = match parse_opml(&text) {
        Ok(feeds) => feeds,
        Err(e) => {
            eprintln!("tidings: {source}: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut local = 0;
    if remote {
        // A list from the web names web feeds: a path or file: address in it is a file on this
        // machine that the list's author picked.
        feeds.retain(|feed| {
            let web = feed.url.starts_with("http://") || feed.url.starts_with("https://");
            if !web {
                let name = feed.title.as_deref().unwrap_or(&feed.url);
                eprintln!("tidings: skipping \"{name}\" ({}): a list from the web may name only web feeds", feed.url);
                local += 1;
            }
            web
        });
    }
    let Some((target, import)) = add_to_config(options, &feeds)? else { return Ok(ExitCode::FAILURE) };
    for skipped in &import.invalid {
        let name = skipped.feed.title.as_deref().unwrap_or(&skipped.feed.url);
        eprintln!("tidings: skipping \"{name}\" ({}): {}", skipped.feed.url, skipped.reason);
    }
    let invalid = match import.invalid.len() + local {
        0 => String::new(),
        n => format!(", {n} invalid and skipped"),
    };
    println!("{} feeds added to {} ({} already there{invalid})", import.added, target.display(), import.already_there);
    Ok(ExitCode::SUCCESS)
}

/// An OPML document from the web, under the poller's limits.
async fn fetch_text(options: &Options, url: &str) -> Result<Result<String, String>, SessionError> {
    let settings = settings_for_adding(options).await?;
    let fetcher = match Fetcher::new(&settings.poll) {
        Ok(f) => f,
        Err(e) => return Ok(Err(e.to_string())),
    };
    Ok(match fetcher.fetch(url, &Validators::default(), "text/x-opml, application/xml, text/xml, */*;q=0.5").await {
        Ok(FetchOutcome::Fetched(body)) => {
            let charset = body.content_type.as_deref().and_then(crate::charset::charset_from_content_type);
            Ok(crate::charset::decode_document(&body.body, charset).into_owned())
        }
        Ok(FetchOutcome::NotModified { .. }) => Err("the server sent nothing (not modified)".into()),
        Err(e) => Err(e.to_string()),
    })
}

/// Appends `feeds` to the user's config file (made if missing), keeping its comments; refuses a
/// config that is invalid before or would be after. `None` (said on stderr) when there is no
/// place for a config file.
pub(super) fn add_to_config(options: &Options, feeds: &[OpmlFeed]) -> Result<Option<(PathBuf, Import)>, SessionError> {
    let source = match &options.config {
        Some(path) => ConfigSource::Explicit(path.clone()),
        None => ConfigSource::Standard,
    };
    let Some(target) = source.file_path() else {
        eprintln!("tidings: no config directory on this system: give --config PATH");
        return Ok(None);
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
    let import = import_feeds(&existing, &origin, &base, feeds)?;
    config::parse_settings(&import.text, &origin, &base)?;
    if import.added > 0 {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|source| ConfigError::Write { path: dir.to_path_buf(), source })?;
        }
        write_atomically(&target, &import.text)?;
    }
    Ok(Some((target, import)))
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
