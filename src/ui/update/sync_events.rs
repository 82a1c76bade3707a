//! What the reader does with the background sync's notices: the status bar says it is running,
//! then what it did or why it failed; when it is done the feeds pane lists the server's feeds as
//! they are now and everything is read afresh (new items, and flags changed on other devices),
//! keeping the selection and the scroll as a poll does.

use super::Effect;
use super::poll_events::refresh;
use super::reading::fill_pending_related;
use crate::ui::app::{App, SyncNotice};
use crate::ui::library::Library;

/// Sync errors start with this in `Status::last_error`, so a good sync can clear its own.
const SYNC_ERROR: &str = "sync: ";

pub(super) fn on_sync(app: &mut App, notice: SyncNotice, lib: &dyn Library, effects: &mut Vec<Effect>) {
    match notice {
        SyncNotice::Started => app.status.syncing = true,
        SyncNotice::Done { feeds, summary } => {
            app.status.syncing = false;
            app.status.last_sync_at = Some(lib.now());
            app.status.sync_summary = Some(summary);
            if app.status.last_error.as_deref().is_some_and(|e| e.starts_with(SYNC_ERROR)) {
                app.status.last_error = None;
            }
            app.feeds_info = feeds;
            app.stale.all = true;
            refresh(app, lib);
            fill_pending_related(app, effects);
        }
        SyncNotice::Failed(error) => {
            app.status.syncing = false;
            app.status.last_error = Some(format!("{SYNC_ERROR}{error}"));
        }
    }
}
