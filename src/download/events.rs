//! What the interface asks of the download task, and what the task tells it back. Plain data:
//! `update` reads and writes these without doing any IO.

use crate::model::{DownloadId, DownloadRow, ItemId};

/// An enclosure to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadRequest {
    pub url: String,
    /// The item it comes with.
    pub item: Option<ItemId>,
    /// The item's title, which names the download in the list.
    pub title: String,
}

/// What happened to the download list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadEvent {
    /// The list as the cache holds it, when the task starts.
    Listed(Vec<DownloadRow>),
    /// A download was added to the list, or queued again.
    Queued(DownloadRow),
    /// It was asked for, and is in the list already (queued, running or done).
    AlreadyListed(DownloadRow),
    /// Bytes are coming: `received` of `total`.
    Progress { id: DownloadId, received: u64, total: Option<u64> },
    /// Saved as `file_name` in the download folder.
    Done { id: DownloadId, file_name: String, size: u64 },
    /// It stopped, for `error`; `received` bytes wait in its `.part` file for a retry.
    Failed { id: DownloadId, error: String, received: u64 },
    /// Taken off the list (stopped first if it was running).
    Removed(DownloadId),
    /// A request could not be carried out (the cache could not be written, say).
    Error(String),
}
