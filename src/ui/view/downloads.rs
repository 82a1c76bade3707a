//! The download list: a box over the panes with a line per download (where it stands, the
//! item's title, the file's name), the selected one highlighted, scrolled to keep it in sight.

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::{fit, overlay};
use crate::keys::Action;
use crate::render::media::size_text;
use crate::ui::app::{App, DownloadLine, DownloadStatus};

/// The box is at most this wide.
const MAX_WIDTH: u16 = 100;
/// The width of the column that says where each download stands.
const STATUS_WIDTH: usize = 20;

/// Where a download stands, in a few words: "queued", "45% of 48.2 MB", "12.1 MB", "done",
/// "failed: HTTP 404".
pub fn status_text(line: &DownloadLine) -> String {
    match &line.status {
        DownloadStatus::Queued if line.received > 0 => format!("queued, {} in", size_text(line.received)),
        DownloadStatus::Queued => "queued".into(),
        DownloadStatus::Running => match line.total.filter(|t| *t > 0) {
            Some(total) => format!("{}% of {}", line.received.min(total) * 100 / total, size_text(total)),
            None => size_text(line.received),
        },
        DownloadStatus::Done(_) => "done".into(),
        DownloadStatus::Failed(error) => format!("failed: {error}"),
    }
}

pub fn draw(frame: &mut Frame, app: &App, selected: usize) {
    let width = overlay::inner_width(frame.area().width, MAX_WIDTH);
    let mut lines: Vec<Line> = Vec::new();
    if app.downloads.is_empty() {
        let key = overlay::first_key(app, Action::DownloadEnclosure);
        lines.push(Line::from(Span::styled(
            fit(&format!(" Nothing downloaded yet: {key} on an item with an enclosure queues it."), width),
            app.theme.dim(),
        )));
    }
    for (i, line) in app.downloads.iter().enumerate() {
        let status = fit(&status_text(line), STATUS_WIDTH);
        let name = match &line.status {
            DownloadStatus::Done(file) => file.as_str(),
            _ => line.name.as_str(),
        };
        let rest = fit(&format!("{} · {name}", line.title), width.saturating_sub(STATUS_WIDTH + 3));
        let style = match &line.status {
            _ if i == selected => app.theme.selected(true),
            DownloadStatus::Failed(_) => app.theme.error(),
            DownloadStatus::Done(_) => app.theme.read(),
            _ => app.theme.unread(),
        };
        let text = format!(" {status:<STATUS_WIDTH$} {rest}");
        let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(text.as_str()));
        lines.push(Line::from(Span::styled(format!("{text}{}", " ".repeat(pad)), style)));
    }
    let title = format!(
        " Downloads: {}/{} move, Enter retries, x removes, any other key closes ",
        overlay::first_key(app, Action::Down),
        overlay::first_key(app, Action::Up)
    );
    // The box shows as many lines as fit; the selected one stays on screen.
    let screen = frame.area();
    let visible =
        usize::from(overlay::area(screen.width, screen.height, MAX_WIDTH, lines.len()).height).saturating_sub(2).max(1);
    let scroll = selected.saturating_sub(visible - 1);
    overlay::draw_titled(frame, app, &title, MAX_WIDTH, lines, scroll);
}
