//! What a key can be bound to. One table ([`ACTIONS`]) gives every action its config name, its
//! help text and its default keys, so the config, the defaults and the help screen agree.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Down,
    Up,
    Open,
    Back,
    Quit,
    NextPane,
    PrevPane,
    Top,
    Bottom,
    PageDown,
    PageUp,
    NextUnread,
    PrevUnread,
    NextArticle,
    PrevArticle,
    ToggleRead,
    MarkAllRead,
    ToggleStar,
    Undo,
    OpenInBrowser,
    CopyUrl,
    SaveArticle,
    PipeArticle,
    PlayEnclosure,
    DownloadEnclosure,
    Downloads,
    FollowLink,
    OpenLink1,
    OpenLink2,
    OpenLink3,
    OpenLink4,
    OpenLink5,
    OpenLink6,
    OpenLink7,
    OpenLink8,
    OpenLink9,
    Reload,
    ReloadAll,
    Search,
    ToggleUnreadOnly,
    ToggleFeedText,
    ToggleImages,
    ToggleStory,
    FeedInfo,
    Help,
}

pub struct ActionInfo {
    pub action: Action,
    pub name: &'static str,
    pub description: &'static str,
    pub default_keys: &'static [&'static str],
}

const fn info(
    action: Action,
    name: &'static str,
    description: &'static str,
    default_keys: &'static [&'static str],
) -> ActionInfo {
    ActionInfo { action, name, description, default_keys }
}

pub static ACTIONS: &[ActionInfo] = &[
    info(Action::Down, "down", "Move down / scroll the article", &["j", "down"]),
    info(Action::Up, "up", "Move up / scroll the article", &["k", "up"]),
    info(Action::Open, "open", "Open the selection", &["enter", "right", "l"]),
    info(Action::Back, "back", "Go back (narrow layout) / close", &["esc", "q", "left", "h"]),
    info(Action::Quit, "quit", "Quit from anywhere", &["Q", "ctrl-c"]),
    info(Action::NextPane, "next_pane", "Next pane", &["tab"]),
    info(Action::PrevPane, "prev_pane", "Previous pane", &["shift-tab"]),
    info(Action::Top, "top", "Go to the top", &["g", "home"]),
    info(Action::Bottom, "bottom", "Go to the bottom", &["G", "end"]),
    info(Action::PageDown, "page_down", "A page down in the pane with the focus", &["space", "pagedown"]),
    info(Action::PageUp, "page_up", "A page up in the pane with the focus", &["b", "pageup"]),
    info(Action::NextUnread, "next_unread", "Next unread article (across feeds)", &["n"]),
    info(Action::PrevUnread, "prev_unread", "Previous unread article", &["N"]),
    info(Action::NextArticle, "next_article", "Open the next article in the list", &["J"]),
    info(Action::PrevArticle, "prev_article", "Open the previous article in the list", &["K"]),
    info(Action::ToggleRead, "toggle_read", "Toggle read", &["m"]),
    info(Action::MarkAllRead, "mark_all_read", "Mark everything in the list read", &["A"]),
    info(Action::ToggleStar, "toggle_star", "Star / unstar", &["s"]),
    info(Action::Undo, "undo", "Undo the last marking (m, A, s)", &["U"]),
    info(Action::OpenInBrowser, "open_in_browser", "Open the article in the browser", &["o"]),
    info(Action::CopyUrl, "copy_url", "Copy the article's link (to the terminal's clipboard)", &["y"]),
    info(Action::SaveArticle, "save_article", "Save the article to a file in [ui] save_dir", &["S"]),
    info(Action::PipeArticle, "pipe_article", "Pipe the article's text to the [ui] pipe command", &["|"]),
    info(Action::PlayEnclosure, "play_enclosure", "Play the enclosure (podcast) with [ui] player", &["P"]),
    info(Action::DownloadEnclosure, "download_enclosure", "Download the enclosure to [downloads] dir", &["d"]),
    info(Action::Downloads, "downloads", "The download list: progress, retry, remove", &["D"]),
    info(Action::FollowLink, "follow_link", "Open link by number (type it, then Enter)", &["f"]),
    info(Action::OpenLink1, "open_link_1", "Open link 1", &["1"]),
    info(Action::OpenLink2, "open_link_2", "Open link 2", &["2"]),
    info(Action::OpenLink3, "open_link_3", "Open link 3", &["3"]),
    info(Action::OpenLink4, "open_link_4", "Open link 4", &["4"]),
    info(Action::OpenLink5, "open_link_5", "Open link 5", &["5"]),
    info(Action::OpenLink6, "open_link_6", "Open link 6", &["6"]),
    info(Action::OpenLink7, "open_link_7", "Open link 7", &["7"]),
    info(Action::OpenLink8, "open_link_8", "Open link 8", &["8"]),
    info(Action::OpenLink9, "open_link_9", "Open link 9", &["9"]),
    info(Action::Reload, "reload", "Reload the selected feed", &["r"]),
    info(Action::ReloadAll, "reload_all", "Reload all feeds", &["R"]),
    info(Action::Search, "search", "Search titles and text", &["/"]),
    info(Action::ToggleUnreadOnly, "toggle_unread_only", "Show unread only / everything", &["u"]),
    info(Action::ToggleFeedText, "toggle_feed_text", "Show the feed's text / the article from the page", &["v"]),
    info(Action::ToggleImages, "toggle_images", "Show the article's pictures / their alt text", &["I"]),
    info(Action::ToggleStory, "toggle_story", "List a story's other sources / fold them", &["e"]),
    info(Action::FeedInfo, "feed_info", "The feed's details and its full error", &["i"]),
    info(Action::Help, "help", "Show this help", &["?"]),
];

impl Action {
    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|a| a.name == name).map(|a| a.action)
    }

    pub fn info(self) -> &'static ActionInfo {
        ACTIONS.iter().find(|a| a.action == self).unwrap_or(&ACTIONS[0])
    }

    /// For OpenLinkN, N.
    pub fn link_number(self) -> Option<usize> {
        let n = match self {
            Action::OpenLink1 => 1,
            Action::OpenLink2 => 2,
            Action::OpenLink3 => 3,
            Action::OpenLink4 => 4,
            Action::OpenLink5 => 5,
            Action::OpenLink6 => 6,
            Action::OpenLink7 => 7,
            Action::OpenLink8 => 8,
            Action::OpenLink9 => 9,
            _ => return None,
        };
        Some(n)
    }
}
