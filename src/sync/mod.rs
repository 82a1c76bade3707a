//! Sync with a feed server: a source like polling. A backend (one module per protocol) logs in,
//! lists the subscriptions, pages through the items added since the last sync, lists which
//! items are unread and starred there, and takes the read/star changes made here; the engine
//! ([`engine`]) stores what it brings through the cache's one writer, in the same tables as
//! polled items, and sends the changes queued in the cache's outbox.
//!
//! The protocols: Tiny Tiny RSS's API ([`ttrss`]) and the Fever API ([`fever`]). Adding one (the
//! Google Reader API, Miniflux's own) is one module implementing [`SyncBackend`] and a line in
//! [`run`].

pub mod engine;
pub mod fever;
mod json;
pub mod ttrss;

use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::config::{PollSettings, SyncBackendKind, SyncSettings};
use crate::feed::fetch::{FetchError, Fetcher};
use crate::store::{Store, StoreError, SyncFlag, SyncedFeed, SyncedItem, WriteError, Writer};

pub use engine::{SyncEvent, SyncReport};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("cannot reach the server: {0}")]
    Unreachable(FetchError),
    #[error("the server refused the user name or password of \"{user}\" ({code})")]
    LoginRefused { user: String, code: String },
    #[error("the server does not allow API access for \"{user}\" ({code}): enable it in the user's preferences")]
    ApiDisabled { user: String, code: String },
    #[error("the server gave an answer tidings cannot use ({0})")]
    Protocol(String),
    #[error("the server answered {call} with an error: {code}")]
    Api { call: &'static str, code: String },
    #[error("no password: {0}")]
    Password(#[from] crate::password::PasswordError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("the cache is unavailable: a previous writer panicked")]
    Poisoned,
}

/// Where a sync resumes paging through the items added since the last one; each backend keeps
/// its own place in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemCursor {
    /// Items with ids above this are wanted (the highest id of the last finished sync).
    pub since: i64,
    /// Items received so far in this sync.
    pub received: usize,
    /// The highest id received so far in this sync.
    pub highest: i64,
    /// The last page came: there is no more.
    pub done: bool,
}

/// One protocol. Each call is one or a few requests; none keeps state the cache does not have,
/// beyond the session (which `login` opens again when needed).
pub trait SyncBackend {
    /// Checks the credentials and opens a session.
    fn login(&mut self) -> impl Future<Output = Result<(), SyncError>> + Send;
    /// Every subscription.
    fn feeds(&mut self) -> impl Future<Output = Result<Vec<SyncedFeed>, SyncError>> + Send;
    /// The next page of the items with ids above `cursor.since`, `None` after the last; the
    /// backend moves `cursor` on.
    fn next_items(
        &mut self,
        cursor: &mut ItemCursor,
    ) -> impl Future<Output = Result<Option<Vec<SyncedItem>>, SyncError>> + Send;
    /// These items, whatever their age (those listed unread or starred that were never fetched).
    fn items_by_id(&mut self, ids: &[i64]) -> impl Future<Output = Result<Vec<SyncedItem>, SyncError>> + Send;
    /// The ids of every unread item: the server has no "changed since" for flags, so the whole
    /// list is how its read state comes here.
    fn unread_ids(&mut self) -> impl Future<Output = Result<Vec<i64>, SyncError>> + Send;
    /// The ids of every starred item.
    fn starred_ids(&mut self) -> impl Future<Output = Result<Vec<i64>, SyncError>> + Send;
    /// Sets `flag` to `value` on these items.
    fn set_flag(
        &mut self,
        ids: &[i64],
        flag: SyncFlag,
        value: bool,
    ) -> impl Future<Output = Result<(), SyncError>> + Send;
}

/// One sync with the server of `sync`: the password is looked up, the backend of its protocol
/// logs in, and [`engine::sync_once`] does the rest. `progress` hears of each step.
pub async fn run(
    sync: &SyncSettings,
    poll: &PollSettings,
    store: Arc<Mutex<Store>>,
    writer: &Writer,
    progress: &mut (dyn FnMut(SyncEvent) + Send),
) -> Result<SyncReport, SyncError> {
    let password = crate::password::resolve(&sync.password, &sync.password_at).await?;
    let fetcher = Fetcher::new(poll).map_err(SyncError::Unreachable)?;
    let account = sync.account();
    match sync.backend {
        SyncBackendKind::TtRss => {
            let mut backend = ttrss::TtRss::new(fetcher, &sync.url, &sync.user, password);
            engine::sync_once(&mut backend, &account, &store, writer, progress).await
        }
        SyncBackendKind::Fever => {
            let mut backend = fever::Fever::new(fetcher, &sync.url, &sync.user, password);
            engine::sync_once(&mut backend, &account, &store, writer, progress).await
        }
    }
}
