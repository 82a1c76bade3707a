//! The interface's state. `update` (in `ui/update/`) changes it; the views draw it.

use std::collections::{HashMap, HashSet};

use ratatui::layout::Rect;

use super::headline_order::StoryLines;
use crate::config::queries::QueryFeed;
use crate::keys::Keymap;
use crate::model::{DownloadId, FeedId, FeedRow, FlagChange, ItemId, StoryId};
use crate::model::{ItemFilter, ItemRow, ItemSummary, Search};
use crate::query::FeedLabel;
use crate::render::RenderedArticle;
use crate::render::export::ExportFormat;
use crate::render::picture::Picture;
use crate::theme::Theme;
use crate::timefmt::TimeDisplay;

/// Terminals at least this wide show the three panes side by side.
pub const WIDE_MIN_WIDTH: u16 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Feeds,
    Headlines,
    Article,
    Related,
}

/// A configured feed as the interface names and files it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedInfo {
    pub id: FeedId,
    pub name: String,
    pub tags: Vec<String>,
    /// The name is the config's: a title the feed stores later does not replace it.
    pub configured_name: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EntryKind {
    All,
    Unread,
    Starred,
    Tag(String),
    Feed(FeedId),
    /// A query feed: the `[[query]]` of this index in [`App::query_feeds`].
    Query(usize),
}

/// One line of the feeds pane.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    pub kind: EntryKind,
    pub label: String,
    /// 1 for feeds listed under a tag.
    pub depth: u8,
    pub unread: i64,
    pub error: Option<String>,
}

impl FeedEntry {
    pub fn filter(&self, app: &App) -> ItemFilter {
        let feeds = &app.feeds_info;
        match &self.kind {
            EntryKind::All => ItemFilter::All,
            EntryKind::Unread => ItemFilter::Unread,
            EntryKind::Starred => ItemFilter::Starred,
            EntryKind::Feed(id) => ItemFilter::Feeds(vec![*id]),
            EntryKind::Tag(tag) => {
                ItemFilter::Feeds(feeds.iter().filter(|f| f.tags.contains(tag)).map(|f| f.id).collect())
            }
            EntryKind::Query(i) => match app.query_feeds.get(*i) {
                Some(q) => ItemFilter::Search(Search {
                    text: q.text.clone(),
                    query: q.query.clone().resolve(&app.feed_labels()),
                }),
                None => ItemFilter::Feeds(Vec::new()),
            },
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
}

impl ListState {
    /// Keeps the selection inside `len` rows and visible in a window of `height` rows.
    pub fn clamp(&mut self, len: usize, height: usize) {
        if len == 0 {
            self.selected = 0;
            self.offset = 0;
            return;
        }
        self.selected = self.selected.min(len - 1);
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

/// The headline list: every id of the list is held, rows only for what is on screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headlines {
    pub title: String,
    pub filter: Option<ItemFilter>,
    pub ids: Vec<ItemId>,
    pub rows: HashMap<ItemId, ItemSummary>,
    /// The story lines among `ids` (stories that two or more feeds cover).
    pub stories: StoryLines,
    /// Stories whose other items are listed under their line.
    pub expanded: HashSet<StoryId>,
    pub state: ListState,
    /// Whether the list mixes feeds (then each row names its source).
    pub mixed: bool,
}

impl Headlines {
    pub fn selected_id(&self) -> Option<ItemId> {
        self.ids.get(self.state.selected).copied()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RelatedEntry {
    pub id: ItemId,
    pub source: String,
    pub published_at: i64,
    pub title: String,
    pub read: bool,
}

/// The article on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub item: ItemRow,
    pub source: String,
    pub rendered: RenderedArticle,
    /// The width it was rendered for.
    pub width: u16,
    pub scroll: usize,
    /// The other feeds that cover the same story.
    pub also_covered_by: Vec<String>,
    /// Showing the feed's own text instead of the article extracted from the page.
    pub feed_text: bool,
    /// `None` while the related index is being built.
    pub related: Option<Vec<RelatedEntry>>,
    pub related_state: ListState,
    /// The render request whose document is to be shown (see `update::reading`).
    pub render_id: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    Help {
        scroll: usize,
    },
    Search {
        input: String,
    },
    /// The details of a feed (its full error among them), scrolled by `scroll` lines. The row is
    /// the one read when the view was opened.
    FeedInfo {
        feed: Box<FeedRow>,
        scroll: usize,
    },
    /// `f` was pressed: digits of a link number follow.
    FollowLink {
        digits: String,
    },
    /// The item has several enclosures: the number of the one to play (or download) follows.
    PickEnclosure {
        item: ItemId,
        play: bool,
    },
    /// The download list, with the selected line.
    Downloads {
        selected: usize,
    },
}

/// Where a download of the list stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadStatus {
    Queued,
    /// Bytes are coming.
    Running,
    /// Saved as this file in the download folder.
    Done(String),
    /// It stopped, for this reason (a retry goes on from what was received).
    Failed(String),
}

/// One line of the download list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadLine {
    pub id: DownloadId,
    /// The item's title.
    pub title: String,
    /// The name it would be saved as (the server may give another).
    pub name: String,
    pub status: DownloadStatus,
    pub received: u64,
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    /// How far the poll running now has come.
    pub polling: Option<PollProgress>,
    /// The feeds of the running poll that have not reported yet.
    pub waiting: Vec<FeedId>,
    pub new_items: usize,
    pub last_poll_at: Option<i64>,
    pub failed_feeds: usize,
    /// What the last poll did ("48 new, 2 feeds failed"), shown beside when it was.
    pub poll_summary: Option<String>,
    /// The full text of the last error (the status bar shows it shortened).
    pub last_error: Option<String>,
    /// The feed `last_error` is about, by name, when it is a feed's: it begins `last_error`.
    pub error_feed: Option<String>,
    /// A message for the user (what just happened), replaced by the next one.
    pub message: Option<String>,
    /// A sync with the `[sync]` server is running.
    pub syncing: bool,
    /// When the last sync finished well, and what it did ("3 new, 2 flags").
    pub last_sync_at: Option<i64>,
    pub sync_summary: Option<String>,
    /// The new items of the running poll, per feed (for the notification).
    pub new_by_feed: Vec<(FeedId, usize)>,
    /// The user asked for a reload since the last poll's feeds were done: that poll is not
    /// notified (the user is looking).
    pub reload_asked: bool,
}

/// What the background sync with the `[sync]` server reports.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncNotice {
    Started,
    /// It finished: the feeds the reader lists now (the configured ones and the server's), and
    /// what it did, in a few words.
    Done {
        feeds: Vec<FeedInfo>,
        summary: String,
    },
    /// It failed: why, in one line. The reader goes on from the cache.
    Failed(String),
}

/// The phase of a running poll, with its items done and in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollProgress {
    Feeds { done: usize, total: usize },
    Pages { done: usize, total: usize },
}

/// Where an image of the open article stands.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageStatus {
    /// Asked for ([`crate::ui::update::Effect::LoadImage`]); not here yet.
    Loading,
    Ready(Picture),
    /// It could not be fetched or decoded: why, in a few words (cleaned).
    Failed(String),
}

/// Pictures in the article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Images {
    /// Pictures are drawn (the `toggle_images` key flips it); else each image is its label.
    pub shown: bool,
    /// The terminal can draw them (`[images] protocol` is not "off"; the loop says so).
    pub drawable: bool,
    /// The open article's images by address, as far as they have come.
    pub loaded: HashMap<String, ImageStatus>,
}

/// The rows kept for a picture under its label (fewer in a narrow pane).
pub const IMAGE_ROWS: u16 = 12;

impl Images {
    /// The rows kept for each picture in a document `width` columns wide: none while pictures
    /// are not drawn.
    pub fn rows_for(&self, width: u16) -> u16 {
        if self.shown && self.drawable { IMAGE_ROWS.min(width / 3).max(3) } else { 0 }
    }
}

/// Where each pane is on screen, from the last layout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub feeds: Option<Rect>,
    pub headlines: Option<Rect>,
    pub article: Option<Rect>,
    pub related: Option<Rect>,
    pub status: Rect,
}

pub struct App {
    pub feeds_info: Vec<FeedInfo>,
    /// The config's `[[query]]` feeds, listed after Starred.
    pub query_feeds: Vec<QueryFeed>,
    /// What S (save_article) writes.
    pub keep_format: ExportFormat,
    pub entries: Vec<FeedEntry>,
    pub feeds_state: ListState,
    pub headlines: Headlines,
    pub article: Option<Article>,
    pub focus: Pane,
    pub mode: Mode,
    pub unread_only: bool,
    pub status: Status,
    pub keymap: Keymap,
    pub theme: Theme,
    /// How absolute times are shown: the zone (given by the loop, UTC until then) and format.
    pub time: TimeDisplay,
    /// Whether links in the article are drawn as terminal hyperlinks (OSC 8); off on test
    /// backends unless a test asks for them.
    pub hyperlinks: bool,
    pub size: (u16, u16),
    pub areas: Areas,
    pub should_quit: bool,
    /// Now, in unix seconds, as of the last update (ages are drawn relative to it).
    pub now: i64,
    /// What the poller changed since the panes were last refreshed.
    pub stale: Stale,
    /// Render requests made so far: the next one's number.
    pub renders: u64,
    /// What undoes the last marking (m, A, s), if anything.
    pub undo: Option<Undo>,
    /// The download list, oldest first, as the download task last told it.
    pub downloads: Vec<DownloadLine>,
    /// Whether new items are notified after a background poll (`[notify]` is not off).
    pub notify: bool,
    /// Pictures in the article: off until the loop says the terminal can draw them.
    pub images: Images,
}

/// The way back from a marking: the flag changes that restore what was, and how they move the
/// unread counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    /// What the marking did, for the message ("marked 12 items read").
    pub what: String,
    pub change: FlagChange,
    /// Per feed, the unread count's change when undone.
    pub unread: Vec<(FeedId, i64)>,
}

/// Changes the poller reported that the panes do not show yet. During a poll they are gathered
/// and shown a few times a second, not once per feed, so a thousand feeds never slow a keypress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stale {
    /// Feeds whose items changed.
    pub feeds: std::collections::BTreeSet<FeedId>,
    /// Any item may have changed (retention, another process): everything is read afresh.
    pub all: bool,
}

impl Stale {
    pub fn is_empty(&self) -> bool {
        self.feeds.is_empty() && !self.all
    }
}

impl App {
    pub fn new(feeds_info: Vec<FeedInfo>, keymap: Keymap, theme: Theme, unread_only: bool) -> App {
        App {
            feeds_info,
            query_feeds: Vec::new(),
            keep_format: ExportFormat::default(),
            entries: Vec::new(),
            feeds_state: ListState::default(),
            headlines: Headlines::default(),
            article: None,
            focus: Pane::Feeds,
            mode: Mode::Normal,
            unread_only,
            status: Status::default(),
            keymap,
            theme,
            time: TimeDisplay::utc(),
            hyperlinks: false,
            size: (80, 24),
            areas: Areas::default(),
            should_quit: false,
            now: 0,
            stale: Stale::default(),
            renders: 0,
            undo: None,
            downloads: Vec::new(),
            notify: false,
            images: Images::default(),
        }
    }

    /// The configured feeds as `feed:` and `tag:` terms name them.
    pub fn feed_labels(&self) -> Vec<FeedLabel> {
        self.feeds_info.iter().map(|f| FeedLabel { id: f.id.0, name: f.name.clone(), tags: f.tags.clone() }).collect()
    }

    pub fn wide(&self) -> bool {
        self.size.0 >= WIDE_MIN_WIDTH
    }

    pub fn feed_name(&self, id: FeedId) -> String {
        self.feeds_info.iter().find(|f| f.id == id).map_or_else(|| format!("feed {}", id.0), |f| f.name.clone())
    }

    pub fn selected_entry(&self) -> Option<&FeedEntry> {
        self.entries.get(self.feeds_state.selected)
    }
}
