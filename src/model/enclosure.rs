//! Media files that come with an item (a podcast's episode, a video, a PDF) and the download
//! list that keeps them. Plain data: the parser fills in enclosures, the store keeps both, the
//! interface shows them.

use serde::{Deserialize, Serialize};

use super::ItemId;

/// A media file attached to an item, as its feed describes it: RSS `<enclosure>`, Media RSS
/// `<media:content>`, Atom `<link rel="enclosure">` or a JSON Feed attachment. The URL is an
/// absolute http(s) address; the type is cleaned of control characters and escape sequences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enclosure {
    pub url: String,
    /// The MIME type the feed gives ("audio/mpeg"), without parameters, in lower case.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The size in bytes the feed gives (it may well be wrong: it is only shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// How long it plays, in seconds.
    #[serde(rename = "duration", default, skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<u64>,
}

/// A download of the list, by its row in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DownloadId(pub i64);

/// Where a download stands, as the cache keeps it. Running is not kept: a download that was
/// running when the reader stopped is queued again, and goes on from its `.part` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadState {
    Queued,
    Done,
    Failed,
}

impl DownloadState {
    pub fn name(self) -> &'static str {
        match self {
            DownloadState::Queued => "queued",
            DownloadState::Done => "done",
            DownloadState::Failed => "failed",
        }
    }

    pub fn from_name(name: &str) -> Option<DownloadState> {
        match name {
            "queued" => Some(DownloadState::Queued),
            "done" => Some(DownloadState::Done),
            "failed" => Some(DownloadState::Failed),
            _ => None,
        }
    }
}

/// One download of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadRow {
    pub id: DownloadId,
    /// The enclosure's address (one download per address).
    pub url: String,
    /// The item it came with, while that item is cached.
    pub item: Option<ItemId>,
    /// The item's title, to name the download in the list.
    pub title: String,
    pub state: DownloadState,
    /// The file it was saved as, in the download folder, once done.
    pub file_name: Option<String>,
    /// Bytes received so far (as of the last change of state).
    pub received: u64,
    /// The whole size, once the server said it.
    pub total: Option<u64>,
    /// Why it failed, in one line.
    pub error: Option<String>,
    /// The server's validator (ETag or Last-Modified) of the bytes in the `.part` file: a resume
    /// asks for the rest only if the file is still the same (If-Range).
    pub validator: Option<String>,
}
