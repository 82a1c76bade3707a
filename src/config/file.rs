//! The config file as written: serde structs that reject unknown keys. [`super::settings`] turns
//! them into validated settings.

use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use super::units::{ByteSize, HumanDuration};

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub poll: PollTable,
    #[serde(default)]
    pub full_text: FullTextTable,
    #[serde(default)]
    pub cache: CacheTable,
    #[serde(default)]
    pub ui: UiTable,
    #[serde(default)]
    pub downloads: DownloadsTable,
    #[serde(default)]
    pub notify: NotifyTable,
    #[serde(default)]
    pub images: ImagesTable,
    #[serde(default)]
    pub theme: ThemeTable,
    /// A feed server to sync with; absent: no sync.
    pub sync: Option<Spanned<SyncTable>>,
    /// Action name to one key or a list of keys; `preset` names the keymap preset instead.
    #[serde(default)]
    pub keys: std::collections::BTreeMap<Spanned<String>, Spanned<KeyList>>,
    #[serde(default, rename = "feed")]
    pub feeds: Vec<FeedEntry>,
    /// Query feeds: saved searches shown in the feeds pane.
    #[serde(default, rename = "query")]
    pub queries: Vec<QueryEntry>,
    /// Ignore rules: items that match are not stored when they arrive (newsboat's killfile).
    #[serde(default, rename = "ignore")]
    pub ignores: Vec<IgnoreEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryEntry {
    pub name: Spanned<String>,
    pub filter: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    pub filter: Spanned<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct UiTable {
    /// The command that opens links; the URL is passed as its last argument.
    pub browser: Option<String>,
    /// Start with only unread items in the headline list.
    pub unread_only: bool,
    /// How absolute times are shown (strftime), in the local time zone.
    pub time_format: Option<Spanned<String>>,
    /// Links in the article as terminal hyperlinks (OSC 8).
    pub hyperlinks: Option<bool>,
    /// Whether the browser runs in this terminal (the interface steps aside until it exits);
    /// unset: known text-mode browsers do.
    pub terminal_browser: Option<bool>,
    /// Where `save_article` writes (default: the XDG download folder, else home).
    pub save_dir: Option<String>,
    /// What `save_article` writes: markdown or text.
    #[serde(default)]
    pub save_format: crate::render::export::ExportFormat,
    /// The command `pipe_article` hands the article to, on its standard input (never a shell).
    pub pipe: Option<String>,
    /// The command `play_enclosure` plays an enclosure with, as words (the URL is added).
    pub player: Option<Spanned<Vec<String>>>,
    /// Whether the player runs in this terminal (the interface steps aside until it exits).
    pub terminal_player: Option<bool>,
}

/// `[notify]`: telling of new items after a background poll.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct NotifyTable {
    /// off, osc9, osc777 or command.
    pub method: Option<Spanned<NotifyKind>>,
    /// For `method = "command"`: the program and its arguments.
    pub command: Option<Spanned<Vec<String>>>,
}

/// The ways `[notify] method` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NotifyKind {
    #[default]
    Off,
    Osc9,
    Osc777,
    Command,
}

/// `[downloads]`: where `download_enclosure` saves enclosures, and its limits.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DownloadsTable {
    /// The download folder (default: the XDG download folder's `tidings`, else the data
    /// folder's `downloads`).
    pub dir: Option<String>,
    /// The largest file accepted.
    pub max_size: ByteSize,
    /// Downloads running at once.
    #[serde(deserialize_with = "at_least_one")]
    pub concurrency: usize,
}

impl Default for DownloadsTable {
    fn default() -> Self {
        DownloadsTable { dir: None, max_size: ByteSize(2 << 30), concurrency: 2 }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeTable {
    pub color: Option<bool>,
    pub accent: Option<Spanned<Colour>>,
    pub unread: Option<Spanned<Colour>>,
    pub read: Option<Spanned<Colour>>,
    pub star: Option<Spanned<Colour>>,
    pub error: Option<Spanned<Colour>>,
    pub selection: Option<Spanned<Colour>>,
    pub dim: Option<Spanned<Colour>>,
    pub link: Option<Spanned<Colour>>,
}

/// A colour as written: a name or "#rrggbb" (or a number in quotes), or a bare number (a
/// 256-colour index; its range is checked in [`super::settings`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Colour {
    Text(String),
    Number(i64),
}

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ColourVisitor;
        impl serde::de::Visitor<'_> for ColourVisitor {
            type Value = Colour;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a colour: a name, \"#rrggbb\" or a number 0-255, like \"cyan\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Colour, E> {
                Ok(Colour::Text(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Colour, E> {
                Ok(Colour::Number(v))
            }
        }
        deserializer.deserialize_any(ColourVisitor)
    }
}

#[derive(Debug)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = KeyList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key or a list of keys, like [\"j\", \"down\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyList, E> {
                Ok(KeyList::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<KeyList, A::Error> {
                Deserialize::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(KeyList::Many)
            }
        }
        deserializer.deserialize_any(Keys)
    }
}

impl KeyList {
    pub fn keys(&self) -> Vec<&str> {
        match self {
            KeyList::One(k) => vec![k.as_str()],
            KeyList::Many(ks) => ks.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PollTable {
    pub interval: HumanDuration,
    #[serde(deserialize_with = "at_least_one")]
    pub concurrency: usize,
    #[serde(deserialize_with = "at_least_one")]
    pub per_host: usize,
    pub connect_timeout: HumanDuration,
    pub timeout: HumanDuration,
    pub max_size: ByteSize,
    pub user_agent: String,
    /// The proxy every request goes through unless a feed names its own (or "none").
    pub proxy: Option<Spanned<String>>,
}

impl Default for PollTable {
    fn default() -> Self {
        PollTable {
            interval: HumanDuration(std::time::Duration::from_secs(30 * 60)),
            concurrency: 8,
            per_host: 2,
            connect_timeout: HumanDuration(std::time::Duration::from_secs(10)),
            timeout: HumanDuration(std::time::Duration::from_secs(30)),
            max_size: ByteSize(10 << 20),
            user_agent: default_user_agent(),
            proxy: None,
        }
    }
}

pub fn default_user_agent() -> String {
    format!("tidings/{} (terminal news reader)", env!("CARGO_PKG_VERSION"))
}

/// The page queue: full articles fetched from items' web pages after the feeds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FullTextTable {
    /// The mode of feeds that do not set `full_text` themselves.
    pub mode: FullText,
    #[serde(deserialize_with = "at_least_one")]
    pub concurrency: usize,
    #[serde(deserialize_with = "at_least_one")]
    pub per_host: usize,
    pub deadline: HumanDuration,
    #[serde(deserialize_with = "at_least_one")]
    pub per_feed: usize,
}

impl Default for FullTextTable {
    fn default() -> Self {
        FullTextTable {
            mode: FullText::Auto,
            concurrency: 4,
            per_host: 2,
            deadline: HumanDuration(std::time::Duration::from_secs(60)),
            per_feed: 20,
        }
    }
}

/// `[images]`: pictures in the article.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImagesTable {
    /// Whether pictures are drawn at the start; unset: where the terminal has a graphics
    /// protocol (kitty, sixel, iTerm2), not where only half-blocks would be.
    pub enabled: Option<bool>,
    /// How pictures are drawn.
    pub protocol: ImageProtocol,
    /// The largest image file fetched.
    pub max_size: ByteSize,
    /// The most the image cache on disk holds; the oldest files go first.
    pub cache_size: ByteSize,
}

impl Default for ImagesTable {
    fn default() -> Self {
        ImagesTable {
            enabled: None,
            protocol: ImageProtocol::Auto,
            max_size: ByteSize(5 << 20),
            cache_size: ByteSize(100 << 20),
        }
    }
}

/// The ways `[images] protocol` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ImageProtocol {
    /// Asked of the terminal when the reader starts; half-blocks where it answers none.
    #[default]
    Auto,
    Kitty,
    Sixel,
    Iterm2,
    /// Unicode half-block characters in colour: works in every colour terminal, coarsely.
    Halfblocks,
    /// Never drawn: alt text only, and the key says so.
    Off,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CacheTable {
    pub path: Option<PathBuf>,
    pub keep_read: HumanDuration,
}

impl Default for CacheTable {
    fn default() -> Self {
        CacheTable { path: None, keep_read: HumanDuration(std::time::Duration::from_secs(30 * 86_400)) }
    }
}

/// `[sync]`: the feed server that holds the subscriptions and the read state.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncTable {
    pub backend: Spanned<String>,
    pub url: Spanned<String>,
    pub user: Spanned<String>,
    pub password: Option<Spanned<String>>,
    pub password_env: Option<Spanned<String>>,
    pub password_command: Option<Spanned<Vec<String>>>,
    /// How often the reader syncs in the background.
    pub interval: Option<Spanned<HumanDuration>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedEntry {
    pub url: Spanned<String>,
    pub name: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "string_list")]
    pub tags: Vec<String>,
    pub interval: Option<HumanDuration>,
    /// Else `[full_text] mode`.
    pub full_text: Option<FullText>,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Extra request headers, sent to the feed's own site only.
    pub headers: Option<Spanned<std::collections::BTreeMap<Spanned<String>, Spanned<String>>>>,
    /// HTTP Basic auth: the user, and the password from one of the three keys after it.
    pub user: Option<Spanned<String>>,
    pub password: Option<Spanned<String>>,
    pub password_env: Option<Spanned<String>>,
    pub password_command: Option<Spanned<Vec<String>>>,
    /// The proxy this feed's requests go through ("none": straight, whatever `[poll] proxy` says).
    pub proxy: Option<Spanned<String>>,
}

/// When the poller fetches an item's web page to show the whole article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FullText {
    /// Only when the feed carries a short summary instead of the article.
    #[default]
    Auto,
    Always,
    Never,
}

fn yes() -> bool {
    true
}

/// A list of strings; a single string is refused with the expected shape.
fn string_list<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct Strings;
    impl<'de> serde::de::Visitor<'de> for Strings {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of strings, like [\"news\"]")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_seq(Strings)
}

fn at_least_one<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    struct Count;
    impl serde::de::Visitor<'_> for Count {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number of at least 1")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<usize, E> {
            usize::try_from(v)
                .ok()
                .filter(|v| *v >= 1)
                .ok_or_else(|| E::custom(format!("invalid value {v}, expected a whole number of at least 1")))
        }
    }
    deserializer.deserialize_i64(Count)
}
