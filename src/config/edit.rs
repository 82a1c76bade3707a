//! Adding feeds to the user's config file while keeping its comments and layout (toml_edit).

use std::path::Path;

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use super::{ConfigError, canonical_feed_url};
use crate::opml::OpmlFeed;

/// What importing a list of feeds did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The config's new text.
    pub text: String,
    pub added: usize,
    /// Feeds whose URL was already in the config (or earlier in the list).
    pub already_there: usize,
    /// Entries skipped because their URL cannot be used, with the reason.
    pub invalid: Vec<InvalidFeed>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidFeed {
    pub feed: OpmlFeed,
    pub reason: String,
}

/// Appends the feeds not yet in `text` as `[[feed]]` tables. Returns the new text and how many
/// feeds were added; URLs are compared in canonical form, so importing twice adds nothing.
/// Entries with unusable URLs are skipped: [`import_feeds`] says which and why.
pub fn add_feeds(
    text: &str,
    origin: &str,
    base_dir: &Path,
    feeds: &[OpmlFeed],
) -> Result<(String, usize), ConfigError> {
    import_feeds(text, origin, base_dir, feeds).map(|import| (import.text, import.added))
}

/// [`add_feeds`], telling apart the feeds added, those already there and the invalid ones.
pub fn import_feeds(text: &str, origin: &str, base_dir: &Path, feeds: &[OpmlFeed]) -> Result<Import, ConfigError> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let offset = e.span().map_or(0, |s| s.start);
        ConfigError::at(origin, text, offset, e.message().trim_end())
    })?;
    let mut known: Vec<String> = Vec::new();
    if let Some(existing) = doc.get("feed").and_then(Item::as_array_of_tables) {
        for table in existing.iter() {
            if let Some(url) = table.get("url").and_then(Item::as_str) {
                known.push(canonical_feed_url(url, base_dir).unwrap_or_else(|_| url.to_string()));
            }
        }
    }
    if doc.get("feed").is_some() && doc.get("feed").and_then(Item::as_array_of_tables).is_none() {
        return Err(ConfigError::Invalid {
            origin: origin.to_string(),
            line: 1,
            column: 1,
            message: "`feed` must be an array of tables ([[feed]])".into(),
        });
    }
    // In a file with nothing but comments, toml_edit keeps them as the document's trailer, which
    // would print them after the tables added: move them in front of the first one instead.
    let mut leading = String::new();
    if doc.as_table().is_empty() {
        leading = doc.trailing().as_str().unwrap_or_default().to_string();
        if !leading.trim().is_empty() && !leading.ends_with("\n\n") {
            leading.push('\n');
        }
    }
    let mut added = 0;
    let mut already_there = 0;
    let mut invalid = Vec::new();
    for feed in feeds {
        let url = match canonical_feed_url(&feed.url, base_dir) {
            Ok(url) => url,
            Err(reason) => {
                tracing::warn!("skipping OPML entry with unusable URL {}: {reason}", feed.url);
                invalid.push(InvalidFeed { feed: feed.clone(), reason });
                continue;
            }
        };
        if known.contains(&url) {
            already_there += 1;
            continue;
        }
        let mut table = Table::new();
        table.insert("url", value(url.clone()));
        if let Some(title) = &feed.title {
            table.insert("name", value(title.clone()));
        }
        if !feed.tags.is_empty() {
            let tags: Array = feed.tags.iter().map(String::as_str).collect();
            table.insert("tags", value(tags));
        }
        if added == 0 && !leading.trim().is_empty() {
            table.decor_mut().set_prefix(std::mem::take(&mut leading));
            doc.set_trailing("");
        }
        match doc.get_mut("feed").and_then(Item::as_array_of_tables_mut) {
            Some(array) => array.push(table),
            None => {
                let mut array = ArrayOfTables::new();
                array.push(table);
                doc.insert("feed", Item::ArrayOfTables(array));
            }
        }
        known.push(url);
        added += 1;
    }
    Ok(Import { text: doc.to_string(), added, already_there, invalid })
}
