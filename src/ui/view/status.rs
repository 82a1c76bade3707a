use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fit;
use crate::timefmt::age;
use crate::ui::app::{App, DownloadStatus, Mode, PollProgress};

/// At most this many feeds still polled are named in the bar ("waiting for Tech Wire").
const WAITING_NAMED: usize = 3;
/// Each of their names is cut to this many columns.
const WAITING_NAME_WIDTH: usize = 24;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let width = usize::from(area.width);
    let line = match &app.mode {
        Mode::Search { input } => Line::from(vec![
            Span::styled("Search: ", app.theme.title()),
            Span::raw(format!("{input}▏")),
            Span::styled("  (Enter runs, Esc cancels)", app.theme.dim()),
        ]),
        Mode::FollowLink { digits } => Line::from(vec![
            Span::styled("Open link number: ", app.theme.title()),
            Span::raw(format!("{digits}▏")),
            Span::styled("  (Enter opens, Esc cancels)", app.theme.dim()),
        ]),
        Mode::PickEnclosure { play, .. } => Line::from(vec![
            Span::styled(
                if *play { "Play enclosure number: " } else { "Download enclosure number: " },
                app.theme.title(),
            ),
            Span::raw("▏"),
            Span::styled("  (1-9, any other key cancels)", app.theme.dim()),
        ]),
        _ => {
            let status = &app.status;
            let progress = match status.polling {
                Some(PollProgress::Feeds { done, total }) => {
                    let mut progress = format!("Polling {done}/{total} · {} new", status.new_items);
                    if (1..=WAITING_NAMED).contains(&status.waiting.len()) {
                        let names: Vec<String> =
                            status.waiting.iter().map(|id| fit(&app.feed_name(*id), WAITING_NAME_WIDTH)).collect();
                        progress.push_str(&format!(" · waiting for {}", names.join(", ")));
                    }
                    progress
                }
                Some(PollProgress::Pages { done, total }) => format!("Full text {done}/{total}"),
                None => {
                    let when = match status.last_poll_at {
                        Some(at) if app.now - at < 60 => "Updated just now".to_string(),
                        Some(at) => format!("Updated {} ago", age(at, app.now)),
                        None => String::new(),
                    };
                    match &status.poll_summary {
                        Some(summary) if !when.is_empty() => format!("{when} · {summary}"),
                        _ => when,
                    }
                }
            };
            let mut progress = progress;
            for more in [sync_status(app), download_status(app)].into_iter().flatten() {
                progress = if progress.is_empty() { more } else { format!("{progress} · {more}") };
            }
            let hint = "? help";
            let middle_width = width.saturating_sub(progress.chars().count() + hint.len() + 4);
            let (middle, style) = match (&status.message, &status.last_error) {
                (Some(message), _) => (message.clone(), app.theme.read()),
                (None, Some(error)) => {
                    (format!("! {}", short_error(error, status.error_feed.as_deref())), app.theme.error())
                }
                (None, None) => (String::new(), app.theme.read()),
            };
            let middle = fit(&middle, middle_width);
            let pad = middle_width.saturating_sub(unicode_width::UnicodeWidthStr::width(middle.as_str()));
            Line::from(vec![
                Span::styled(format!(" {progress}"), app.theme.dim()),
                Span::raw(if progress.is_empty() { "" } else { "  " }),
                Span::styled(middle, style),
                Span::raw(" ".repeat(pad)),
                Span::styled(format!(" {hint} "), app.theme.dim()),
            ])
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The background sync: running, or when it last finished and what it did.
fn sync_status(app: &App) -> Option<String> {
    let status = &app.status;
    if status.syncing {
        return Some("Syncing…".into());
    }
    let at = status.last_sync_at?;
    let when = if app.now - at < 60 { "just now".to_string() } else { format!("{} ago", age(at, app.now)) };
    Some(match &status.sync_summary {
        Some(summary) => format!("Synced {when}: {summary}"),
        None => format!("Synced {when}"),
    })
}

/// Downloads under way: "Downloading 2, 1 queued · 45%" (the share of the bytes whose total
/// is known).
fn download_status(app: &App) -> Option<String> {
    let running: Vec<_> = app.downloads.iter().filter(|d| d.status == DownloadStatus::Running).collect();
    let queued = app.downloads.iter().filter(|d| d.status == DownloadStatus::Queued).count();
    if running.is_empty() && queued == 0 {
        return None;
    }
    let mut out = if running.is_empty() {
        format!("{queued} queued for download")
    } else {
        format!("Downloading {}", running.len())
    };
    if !running.is_empty() && queued > 0 {
        out.push_str(&format!(", {queued} queued"));
    }
    let (done, total) = running
        .iter()
        .filter_map(|d| d.total.filter(|t| *t > 0).map(|t| (d.received.min(t), t)))
        .fold((0u64, 0u64), |(a, b), (r, t)| (a + r, b + t));
    if let Some(percent) = (done * 100).checked_div(total) {
        out.push_str(&format!(" · {percent}%"));
    }
    Some(out)
}

/// An error on one short line: its first line, and of a chain of causes ("cannot connect: error
/// sending request for url (…): client error (Connect): … refused") the first (what failed) and
/// the last (why). `feed` names the feed the error begins with, which stays in front.
fn short_error(error: &str, feed: Option<&str>) -> String {
    let (name, text) = match feed.and_then(|name| Some((name, error.strip_prefix(name)?.strip_prefix(": ")?))) {
        Some((name, rest)) => (Some(name), rest),
        None => (None, error),
    };
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    let parts: Vec<&str> = line.split(": ").collect();
    let short = match parts.as_slice() {
        [first, .., last] if parts.len() > 2 => format!("{first}: {last}"),
        _ => line.to_string(),
    };
    match name {
        Some(name) => format!("{name}: {short}"),
        None => short,
    }
}

#[cfg(test)]
mod tests {
    use super::short_error;

    #[test]
    fn errors_are_shortened_to_what_failed_and_why() {
        let chain = "Tech Wire: cannot connect: error sending request for url (https://t.example/): client error \
                     (Connect): dns error: failed to lookup address information: Name or service not known";
        assert_eq!(short_error(chain, Some("Tech Wire")), "Tech Wire: cannot connect: Name or service not known");
        assert_eq!(short_error("Tech Wire: HTTP 404", Some("Tech Wire")), "Tech Wire: HTTP 404");
        assert_eq!(short_error("could not save: disk full", None), "could not save: disk full");
        assert_eq!(short_error("first line: a: b\nsecond line", None), "first line: b");
        assert_eq!(short_error("a: b: c", Some("Other")), "a: c");
        assert_eq!(short_error("", None), "");
    }
}
