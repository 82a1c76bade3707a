use std::process::ExitCode;

use crate::session::{Session, SessionError};
use crate::timefmt::age;
use crate::timefmt::now_secs;

/// `tidings feeds`: one line per configured feed with counts, last success and last error, then
/// the `[sync]` server's feeds with the last sync's.
pub fn list_feeds(session: &Session) -> Result<ExitCode, SessionError> {
    let poller = session.poller()?;
    let store = session.store.lock().map_err(|_| crate::feed::poller::PollerError::Poisoned)?;
    let now = now_secs();
    let mut rows = vec![["FEED".to_string(), "ITEMS".into(), "UNREAD".into(), "LAST OK".into(), "STATUS".into()]];
    for feed in poller.feeds() {
        let row = store.feed(feed.id)?;
        let stats = store.feed_stats(feed.id)?;
        let last_ok = row.as_ref().and_then(|r| r.last_success_at).map_or_else(|| "never".into(), |t| age(t, now));
        let status = match row.as_ref() {
            _ if !feed.settings.enabled => "disabled in config".to_string(),
            Some(r) if r.disabled_reason.is_some() => {
                format!("stopped: {}", r.disabled_reason.as_deref().unwrap_or(""))
            }
            Some(r) if r.error.is_some() => format!("error: {}", r.error.as_deref().unwrap_or("")),
            Some(r) if r.last_polled_at.is_some() => "ok".into(),
            _ => "not polled yet".into(),
        };
        rows.push([
            feed.settings.display_name(row.as_ref().and_then(|r| r.title.as_deref())),
            stats.items.to_string(),
            stats.unread.to_string(),
            last_ok,
            status,
        ]);
    }
    if let Some(sync) = &session.settings.sync {
        let account = sync.account();
        let state = store.sync_state(&account)?;
        let last_ok = state.last_sync_at.map_or_else(|| "never".into(), |t| age(t, now));
        let status = match &state.last_error {
            Some(error) => format!("sync error: {error}"),
            None => format!("synced ({})", sync.backend.title()),
        };
        for (id, name, _) in store.synced_feed_list(&account)? {
            let stats = store.feed_stats(id)?;
            rows.push([name, stats.items.to_string(), stats.unread.to_string(), last_ok.clone(), status.clone()]);
        }
    }
    let widths: Vec<usize> = (0..4).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    for row in &rows {
        println!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        );
    }
    Ok(ExitCode::SUCCESS)
}
