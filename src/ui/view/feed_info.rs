//! The feed-info view: a feed's details and the full text of its error (the status bar shows it
//! shortened to one line), in a box over the panes, scrolled like the help.

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::overlay;
use crate::model::FeedRow;
use crate::ui::app::{App, Mode};

/// The width of the labels' column.
const LABEL_WIDTH: usize = 11;

/// `text` wrapped to `width` columns: at its line breaks, between words, and inside a word
/// longer than the width, so that nothing is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let lines = crate::text::wrap_breaking(paragraph, width, 0);
        if lines.is_empty() {
            out.push(String::new());
        }
        out.extend(lines);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// The view's lines for a box `width` columns wide inside.
fn lines(app: &App, row: &FeedRow, width: usize) -> Vec<Line<'static>> {
    let date = |at: Option<i64>| at.map_or_else(|| "never".to_string(), |at| app.time.date_time(at));
    let tags = app.feeds_info.iter().find(|f| f.id == row.id).map(|f| f.tags.join(", ")).unwrap_or_default();
    let mut fields: Vec<(&str, String)> = vec![("Name", app.feed_name(row.id))];
    if let Some(title) = row.title.as_deref().filter(|t| *t != app.feed_name(row.id)) {
        fields.push(("Title", title.to_string()));
    }
    fields.push(("URL", row.url.clone()));
    if row.config_url != row.url {
        fields.push(("Configured", row.config_url.clone()));
    }
    fields.extend([
        ("Site", row.site_url.clone().unwrap_or_else(|| "-".into())),
        ("Tags", if tags.is_empty() { "-".into() } else { tags }),
        ("Polled", date(row.last_polled_at)),
        ("Success", date(row.last_success_at)),
        ("Next poll", if row.disabled_reason.is_some() { "not polled".into() } else { date(row.next_poll_at) }),
        ("Errors", if row.error_count == 0 { "none".into() } else { format!("{} in a row", row.error_count) }),
    ]);
    if let Some(reason) = &row.disabled_reason {
        fields.push(("Disabled", reason.clone()));
    }
    let value_width = width.saturating_sub(LABEL_WIDTH + 2);
    let mut out = Vec::new();
    for (label, value) in fields {
        for (i, part) in wrap(&value, value_width).into_iter().enumerate() {
            let label = if i == 0 { label } else { "" };
            out.push(Line::from(vec![
                Span::styled(format!(" {label:<LABEL_WIDTH$} "), app.theme.title()),
                Span::raw(part),
            ]));
        }
    }
    if let Some(error) = &row.error {
        out.push(Line::raw(""));
        out.push(Line::from(Span::styled(" Last error:", app.theme.title())));
        for part in wrap(error, width.saturating_sub(2)) {
            out.push(Line::raw(format!(" {part}")));
        }
    }
    out
}

/// The view's box is at most this wide.
const MAX_WIDTH: u16 = 96;

/// How far the view of `row` scrolls at the app's size: until its last line is on the bottom.
pub fn max_scroll(app: &App, row: &FeedRow) -> usize {
    let lines = lines(app, row, overlay::inner_width(app.size.0, MAX_WIDTH)).len();
    overlay::max_scroll(app, MAX_WIDTH, lines)
}

pub fn draw(frame: &mut Frame, app: &App) {
    let Mode::FeedInfo { feed: row, scroll } = &app.mode else { return };
    let lines = lines(app, row, overlay::inner_width(frame.area().width, MAX_WIDTH));
    overlay::draw(frame, app, "Feed", MAX_WIDTH, lines, *scroll);
}
#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_cuts_nothing() {
        let text = "first line\n\naverylongwordthatdoesnotfit and more";
        let lines = wrap(text, 10);
        assert!(lines.iter().all(|l| l.chars().count() <= 10), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), text.replace(['\n', ' '], ""));
        assert_eq!(lines[1], "");
    }
}
