//! Downloads of enclosures (podcast episodes and the like): the `.part` file and the finished
//! one (`part`, named by [`crate::file_names`]), one HTTP transfer with resume (`transfer`), and
//! the task that runs the download list in the background (`task`), as the poller runs polls.
//! The interface asks with [`DownloadCommand`]s and hears [`events::DownloadEvent`]s.

pub mod events;
pub mod part;
pub mod task;
pub mod transfer;

pub use events::{DownloadEvent, DownloadRequest};
pub use task::{DownloadCommand, DownloadSetup, spawn};
pub use transfer::{DownloadError, Report, Saved, Transfer, TransferLimits};
