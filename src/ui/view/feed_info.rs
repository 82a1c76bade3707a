//! The feed-info view: a feed's details and the full text of its error (the status bar shows it
//! shortened to one line), in a box over the panes, scrolled like the help.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthChar;

use super::{fit, inner};
use crate::keys::Action;
use crate::model::FeedRow;
use crate::ui::app::{App, Mode};

/// The width of the labels' column.
const LABEL_WIDTH: usize = 11;

/// `text` wrapped to `width` columns: at its line breaks, between words, and inside a word
/// longer than the width, so that nothing is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let lines = crate::text::wrap_words(paragraph, width);
        if lines.is_empty() {
            out.push(String::new());
        }
        for line in lines {
            let mut current = String::new();
            let mut used = 0;
            for c in line.chars() {
                let w = c.width().unwrap_or(0);
                if used + w > width && !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                    used = 0;
                }
                current.push(c);
                used += w;
            }
            out.push(current);
        }
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

/// The view's box on a `width` x `height` screen, before its height is known.
fn box_width(width: u16) -> u16 {
    width.saturating_sub(4).min(96)
}

fn area(width: u16, height: u16, rows: usize) -> Rect {
    let w = box_width(width);
    let h = height.saturating_sub(2).min(u16::try_from(rows + 2).unwrap_or(u16::MAX));
    Rect::new((width - w) / 2, (height.saturating_sub(h)) / 2, w, h)
}

/// How far the view of `row` scrolls at the app's size: until its last line is on the bottom.
pub fn max_scroll(app: &App, row: &FeedRow) -> usize {
    let inner_width = usize::from(box_width(app.size.0).saturating_sub(2));
    let rows = lines(app, row, inner_width).len();
    let area = area(app.size.0, app.size.1, rows);
    rows.saturating_sub(usize::from(inner(area).height))
}

/// The first key bound to `action`, for the title.
fn first_key(app: &App, action: Action) -> String {
    app.keymap.keys_for(action).first().map_or_else(|| "?".into(), ToString::to_string)
}

pub fn draw(frame: &mut Frame, app: &App) {
    let Mode::FeedInfo { feed: row, scroll } = &app.mode else { return };
    let screen = frame.area();
    let inner_width = usize::from(box_width(screen.width).saturating_sub(2));
    let lines = lines(app, row, inner_width);
    let area = area(screen.width, screen.height, lines.len());
    let inner = inner(area);
    let visible = usize::from(inner.height);
    let scroll = (*scroll).min(lines.len().saturating_sub(visible));
    frame.render_widget(Clear, area);
    let title =
        format!(" Feed: {}/{} scroll, any other key closes ", first_key(app, Action::Down), first_key(app, Action::Up));
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(app.theme.border(true))
        .title(Span::styled(fit(&title, usize::from(area.width.saturating_sub(2))), app.theme.title()));
    if lines.len() > visible {
        let shown = format!(" {}-{} of {} ", scroll + 1, scroll + visible, lines.len());
        let more = if scroll + visible < lines.len() { "↓ more" } else { "end" };
        block = block.title_bottom(Span::styled(format!("{shown}· {more} "), app.theme.dim()));
    }
    frame.render_widget(block, area);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(visible).collect();
    frame.render_widget(Paragraph::new(shown), inner);
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
