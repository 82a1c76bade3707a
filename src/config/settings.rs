//! Validated settings: what the rest of the program reads. Built from the config text by
//! [`parse_settings`], which is pure: the caller reads the file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

pub use super::downloads::DownloadSettings;
use super::downloads::{download_settings, player};
use super::error::{ConfigError, type_error_message};
use super::feed_http::{FeedHttp, ProxyUrl, feed_http, poll_proxy};
pub use super::file::FullText;
use super::file::{Colour, ConfigFile, FeedEntry, KeyList};
pub use super::images::ImageSettings;
pub use super::notify::NotifyMethod;
pub use super::queries::{IgnoreRule, QueryFeed};
use super::sync::{SyncSettings, sync_settings};
use crate::keys::action::Action;
use crate::keys::keymap::{Key, Keymap, parse_key};
use crate::keys::preset::{PRESETS, Preset};
use crate::theme::Theme;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the settings came from, as shown in messages ("/home/a/.config/tidings/config.toml",
    /// "built-in default config").
    pub origin: String,
    pub poll: PollSettings,
    pub pages: PageSettings,
    pub cache: CacheSettings,
    pub feeds: Vec<FeedSettings>,
    /// `[[query]]`: saved searches listed in the feeds pane.
    pub queries: Vec<QueryFeed>,
    /// `[[ignore]]`: items matching one of these are not stored when they arrive.
    pub ignore: Vec<IgnoreRule>,
    pub ui: UiSettings,
    /// `[downloads]`: where enclosures are downloaded to.
    pub downloads: DownloadSettings,
    /// `[notify]`: how new items are told after a background poll.
    pub notify: NotifyMethod,
    /// `[images]`: pictures in the article.
    pub images: ImageSettings,
    /// The feed server to sync with (`[sync]`), if any.
    pub sync: Option<SyncSettings>,
    /// What is allowed but probably a mistake, each as `ORIGIN:LINE:COL: warning: ...`; the
    /// commands print them and the reader logs them.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct UiSettings {
    pub browser: Option<String>,
    pub unread_only: bool,
    pub keymap: Keymap,
    pub theme: Theme,
    /// The strftime format of absolute times (shown in the local time zone).
    pub time_format: String,
    /// Links in the article as terminal hyperlinks (OSC 8).
    pub hyperlinks: bool,
    /// Whether the browser runs in this terminal; `None`: decided by its name.
    pub terminal_browser: Option<bool>,
    /// Where articles are saved; `None`: the download folder, else home.
    pub save_dir: Option<String>,
    pub save_format: crate::render::export::ExportFormat,
    /// The command articles are piped to (words as for `browser`).
    pub pipe: Option<String>,
    /// The command enclosures are played with: the program and its first arguments.
    pub player: Option<Vec<String>>,
    /// Whether the player runs in this terminal (default: yes).
    pub terminal_player: bool,
}

#[derive(Debug, Clone)]
pub struct PollSettings {
    pub interval: Duration,
    pub concurrency: usize,
    pub per_host: usize,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_size: u64,
    pub user_agent: String,
    /// `[poll] proxy`: the proxy of every request that no feed sends elsewhere; `None`: straight.
    pub proxy: Option<ProxyUrl>,
}

/// The page queue of a poll: items' web pages, fetched after the feeds.
#[derive(Debug, Clone)]
pub struct PageSettings {
    /// `[full_text] mode`: that of every feed that does not set its own (the `[sync]` server's
    /// feeds among them).
    pub mode: FullText,
    pub concurrency: usize,
    pub per_host: usize,
    /// The longest a poll spends on pages; those not reached wait for the next poll.
    pub deadline: Duration,
    /// How many of a feed's newest items get their page; older ones keep the feed's text.
    pub per_feed: usize,
}

#[derive(Debug, Clone)]
pub struct CacheSettings {
    pub path: Option<PathBuf>,
    /// Read items (not starred) older than this are dropped once the feed no longer lists them.
    pub keep_read: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedSettings {
    /// The canonical URL: `http(s)://…` or `file://…` (plain paths are turned into file URLs).
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
    pub interval: Option<Duration>,
    pub full_text: FullText,
    pub enabled: bool,
    /// Extra headers, Basic auth and proxy for this feed's requests.
    pub http: FeedHttp,
}

impl FeedSettings {
    /// The name shown for the feed: the configured name, else the feed's own title (`own_title`,
    /// from the cache), else its URL.
    pub fn display_name(&self, own_title: Option<&str>) -> String {
        self.name.clone().or_else(|| own_title.map(str::to_string)).unwrap_or_else(|| self.url.clone())
    }

    pub fn new(url: impl Into<String>) -> Self {
        FeedSettings {
            url: url.into(),
            name: None,
            tags: Vec::new(),
            interval: None,
            full_text: FullText::Auto,
            enabled: true,
            http: FeedHttp::default(),
        }
    }
}

impl Settings {
    pub fn feed_by_name(&self, name: &str) -> Option<&FeedSettings> {
        self.feeds
            .iter()
            .find(|f| f.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .or_else(|| self.feeds.iter().find(|f| f.url == name))
    }
}

/// Parses and validates config text. `origin` names it in messages; relative feed paths are
/// resolved against `base_dir`.
pub fn parse_settings(text: &str, origin: &str, base_dir: &Path) -> Result<Settings, ConfigError> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| toml_error(&e, text, origin))?;
    // Validation goes on past an error so that one run reports them all.
    let mut errors = Vec::new();
    let mut feeds = Vec::with_capacity(file.feeds.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let proxy = poll_proxy(file.poll.proxy.as_ref(), text, origin, &mut errors);
    for entry in &file.feeds {
        let span = entry.url.span();
        let url = match canonical_feed_url(entry.url.get_ref(), base_dir) {
            Ok(url) => url,
            Err(message) => {
                errors.push(ConfigError::at(origin, text, span.start, message));
                continue;
            }
        };
        if let Some(first) = seen.get(&url) {
            let (line, _) = super::error::line_and_column(text, *first);
            errors.push(ConfigError::at(
                origin,
                text,
                span.start,
                format!("duplicate feed \"{url}\", already listed on line {line}"),
            ));
            continue;
        }
        seen.insert(url.clone(), span.start);
        let http = feed_http(entry, &url, proxy.as_ref(), text, origin, &mut errors);
        feeds.push(FeedSettings { http, ..feed_settings(entry, url, file.full_text.mode) });
    }
    let warnings = duplicate_name_warnings(&file.feeds, text, origin);
    let queries = super::queries::query_feeds(&file.queries, text, origin, &mut errors);
    let ignore = super::queries::ignore_rules(&file.ignores, text, origin, &mut errors);
    let ui = UiSettings {
        browser: file.ui.browser.as_deref().map(str::trim).filter(|b| !b.is_empty()).map(str::to_string),
        unread_only: file.ui.unread_only,
        keymap: keymap(&file, text, origin, &mut errors),
        theme: theme(&file.theme, text, origin, &mut errors),
        time_format: time_format(file.ui.time_format.as_ref(), text, origin).unwrap_or_else(|e| {
            errors.push(e);
            crate::timefmt::DEFAULT_TIME_FORMAT.to_string()
        }),
        hyperlinks: file.ui.hyperlinks.unwrap_or(true),
        terminal_browser: file.ui.terminal_browser,
        save_dir: file.ui.save_dir.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_string),
        save_format: file.ui.save_format,
        pipe: file.ui.pipe.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string),
        player: player(file.ui.player.as_ref(), text, origin, &mut errors),
        terminal_player: file.ui.terminal_player.unwrap_or(true),
    };
    let sync = file.sync.as_ref().and_then(|table| sync_settings(table, text, origin, &mut errors));
    let notify = super::notify::notify_method(&file.notify, text, origin, &mut errors);
    ConfigError::collect(errors)?;
    let poll = file.poll;
    Ok(Settings {
        origin: origin.to_string(),
        poll: PollSettings {
            interval: poll.interval.0,
            concurrency: poll.concurrency,
            per_host: poll.per_host,
            connect_timeout: poll.connect_timeout.0,
            timeout: poll.timeout.0,
            max_size: poll.max_size.0,
            user_agent: crate::sanitize::clean_line(&poll.user_agent),
            proxy,
        },
        pages: PageSettings {
            mode: file.full_text.mode,
            concurrency: file.full_text.concurrency,
            per_host: file.full_text.per_host,
            deadline: file.full_text.deadline.0,
            per_feed: file.full_text.per_feed,
        },
        cache: CacheSettings { path: file.cache.path, keep_read: file.cache.keep_read.0 },
        feeds,
        queries,
        ignore,
        ui,
        downloads: download_settings(&file.downloads, base_dir),
        notify,
        images: super::images::image_settings(&file.images),
        sync,
        warnings,
    })
}

/// A warning for each feed whose name (compared as `--feed` compares it: cleaned, ignoring ASCII
/// case) an earlier feed already has, with both places.
fn duplicate_name_warnings(entries: &[FeedEntry], text: &str, origin: &str) -> Vec<String> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut warnings = Vec::new();
    for entry in entries {
        let Some(name) = &entry.name else { continue };
        let cleaned = crate::sanitize::clean_line(name.get_ref());
        if cleaned.is_empty() {
            continue;
        }
        let offset = name.span().start;
        match first.get(&cleaned.to_ascii_lowercase()) {
            Some(&earlier) => {
                let (line, column) = super::error::line_and_column(text, earlier);
                let here = ConfigError::at(
                    origin,
                    text,
                    offset,
                    format!(
                        "warning: feed name \"{cleaned}\" is also the name of the feed on line {line}, column \
                         {column}; --feed {cleaned} picks that one"
                    ),
                );
                warnings.push(here.to_string());
            }
            None => {
                first.insert(cleaned.to_ascii_lowercase(), offset);
            }
        }
    }
    warnings
}

/// The parser's or serde's error at its place; invalid-type errors are reworded to name the field
/// and the shape it must have.
fn toml_error(error: &toml::de::Error, text: &str, origin: &str) -> ConfigError {
    let offset = error.span().map_or(0, |s| s.start);
    let message = error.message().trim_end();
    let reworded =
        error_key_path(error).and_then(|path| type_error_message(path.rsplit('.').next().unwrap_or(&path), message));
    ConfigError::at(origin, text, offset, reworded.unwrap_or_else(|| message.to_string()))
}

/// The dotted key path of a deserialisation error ("feed.tags"). toml shows it only in the
/// Display of an error without its input, as a last line "in `feed.tags`".
fn error_key_path(error: &toml::de::Error) -> Option<String> {
    let mut bare = error.clone();
    bare.set_input(None);
    let shown = bare.to_string();
    let last = shown.trim_end().lines().last()?;
    last.strip_prefix("in `")?.strip_suffix('`').map(str::to_string)
}

/// The name of the `[keys]` entry that picks the preset rather than binding an action.
const PRESET_KEY: &str = "preset";

/// The `[keys] preset` (default "tidings") with the other `[keys]` entries on top; each bad entry
/// is added to `errors` and left out (an unknown preset leaves the default one).
fn keymap(file: &ConfigFile, text: &str, origin: &str, errors: &mut Vec<ConfigError>) -> Keymap {
    let mut preset = &PRESETS[0];
    if let Some((_, value)) = file.keys.iter().find(|(name, _)| name.get_ref() == PRESET_KEY) {
        let at = |message: String| ConfigError::at(origin, text, value.span().start, message);
        match value.get_ref() {
            KeyList::One(name) => match Preset::by_name(name) {
                Some(known) => preset = known,
                None => errors.push(at(format!(
                    "unknown keymap preset \"{name}\" in [keys], expected one of {}",
                    Preset::known_names()
                ))),
            },
            KeyList::Many(_) => errors.push(at(format!(
                "`preset` must be one name, like preset = \"newsboat\" (known: {})",
                Preset::known_names()
            ))),
        }
    }
    let mut overrides: Vec<(Action, Vec<Key>)> = Vec::new();
    let mut owner: HashMap<Key, &str> = HashMap::new();
    for (name, keys) in file.keys.iter().filter(|(name, _)| name.get_ref() != PRESET_KEY) {
        let Some(action) = Action::from_name(name.get_ref()) else {
            let message = format!("unknown action \"{}\" in [keys]", name.get_ref());
            errors.push(ConfigError::at(origin, text, name.span().start, message));
            continue;
        };
        let mut parsed = Vec::new();
        for key_text in keys.get_ref().keys() {
            let key = match parse_key(key_text) {
                Ok(key) => key,
                Err(m) => {
                    errors.push(ConfigError::at(origin, text, keys.span().start, m));
                    continue;
                }
            };
            if let Some(other) = owner.insert(key, name.get_ref())
                && other != name.get_ref().as_str()
            {
                errors.push(ConfigError::at(
                    origin,
                    text,
                    keys.span().start,
                    format!("key \"{key_text}\" is bound to both {other} and {}", name.get_ref()),
                ));
                continue;
            }
            parsed.push(key);
        }
        overrides.push((action, parsed));
    }
    Keymap::from_preset(preset).overridden(&overrides)
}

fn time_format(value: Option<&toml::Spanned<String>>, text: &str, origin: &str) -> Result<String, ConfigError> {
    let Some(value) = value else { return Ok(crate::timefmt::DEFAULT_TIME_FORMAT.to_string()) };
    crate::timefmt::check_time_format(value.get_ref()).map_err(|(at, message)| {
        // The span covers the quoted string: its text starts after the quotes (exact unless
        // escapes come before the bad specifier).
        let start = value.span().start;
        let quotes =
            if text.get(start..).is_some_and(|t| t.starts_with("\"\"\"") || t.starts_with("'''")) { 3 } else { 1 };
        ConfigError::at(origin, text, start + quotes + at, message)
    })?;
    Ok(value.get_ref().clone())
}

/// The theme with the `[theme]` colours; each bad colour is added to `errors` and left at its default.
fn theme(table: &super::file::ThemeTable, text: &str, origin: &str, errors: &mut Vec<ConfigError>) -> Theme {
    let mut theme = Theme::default();
    let slots: [(&Option<toml::Spanned<Colour>>, &mut ratatui::style::Color); 8] = [
        (&table.accent, &mut theme.accent),
        (&table.unread, &mut theme.unread),
        (&table.read, &mut theme.read),
        (&table.star, &mut theme.star),
        (&table.error, &mut theme.error),
        (&table.selection, &mut theme.selection),
        (&table.dim, &mut theme.dim),
        (&table.link, &mut theme.link),
    ];
    for (value, slot) in slots {
        if let Some(value) = value {
            let at = |message: String| ConfigError::at(origin, text, value.span().start, message);
            let colour = match value.get_ref() {
                Colour::Text(name) => name.parse().map_err(|_| {
                    at(format!(
                        "unknown colour \"{name}\", expected a name (red, lightblue, darkgray, ...), \"#rrggbb\" or 0-255"
                    ))
                }),
                Colour::Number(n) => u8::try_from(*n)
                    .map(ratatui::style::Color::Indexed)
                    .map_err(|_| at(format!("colour number {n} is out of range, expected 0-255"))),
            };
            match colour {
                Ok(colour) => *slot = colour,
                Err(error) => errors.push(error),
            }
        }
    }
    if table.color == Some(false) {
        theme.color = false;
    }
    theme
}

fn feed_settings(entry: &FeedEntry, url: String, default_full_text: FullText) -> FeedSettings {
    let name = entry.name.as_ref().map(|n| crate::sanitize::clean_line(n.get_ref())).filter(|n| !n.is_empty());
    let tags = entry.tags.iter().map(|t| crate::sanitize::clean_line(t)).filter(|t| !t.is_empty()).collect();
    FeedSettings {
        url,
        name,
        tags,
        interval: entry.interval.map(|d| d.0),
        full_text: entry.full_text.unwrap_or(default_full_text),
        enabled: entry.enabled,
        http: FeedHttp::default(),
    }
}

/// Turns what the user wrote as a feed's location into the canonical URL, or says why it can't.
pub fn canonical_feed_url(raw: &str, base_dir: &Path) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("empty feed url, expected an http(s) or file URL, or a path".into());
    }
    if let Some(path) = plain_path(raw, base_dir) {
        return Url::from_file_path(&path).map(String::from).map_err(|()| format!("invalid feed path \"{raw}\""));
    }
    let url = Url::parse(raw).map_err(|e| {
        format!(
            "invalid feed url \"{raw}\": {e}; expected an http(s) or file URL, or a path starting with /, ./, ../ or ~/"
        )
    })?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(url.into()),
        "http" | "https" => Err(format!("invalid feed url \"{raw}\": no host")),
        "file" => Ok(url.into()),
        other => Err(format!("unsupported scheme \"{other}\" in feed url \"{raw}\", expected http, https or file")),
    }
}

fn plain_path(raw: &str, base_dir: &Path) -> Option<PathBuf> {
    if let Some(rest) = raw.strip_prefix("~/") {
        let home = directories::BaseDirs::new()?.home_dir().to_path_buf();
        return Some(home.join(rest));
    }
    if raw.starts_with('/') {
        return Some(PathBuf::from(raw));
    }
    if raw.starts_with("./") || raw.starts_with("../") {
        return Some(normalise_path(&base_dir.join(raw)));
    }
    None
}

fn normalise_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
