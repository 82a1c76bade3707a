use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, inner, pane_block};
use crate::ui::app::{App, EntryKind, Pane};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let block = pane_block(app, Pane::Feeds, "Feeds".into());
    frame.render_widget(block, area);
    let inner = inner(area);
    let width = usize::from(inner.width);
    let error = app.selected_entry().and_then(|e| e.error.clone());
    let error_rows = if error.is_some() && inner.height >= 6 { 3 } else { 0 };
    let list_height = usize::from(inner.height.saturating_sub(error_rows));
    let focused = app.focus == Pane::Feeds;
    let mut lines = Vec::new();
    for (index, entry) in app.entries.iter().enumerate().skip(app.feeds_state.offset).take(list_height) {
        let count = match entry.kind {
            EntryKind::Starred => String::new(),
            _ if entry.unread > 0 => entry.unread.to_string(),
            _ => String::new(),
        };
        let marker = if entry.error.is_some() { "!" } else { " " };
        let indent = "  ".repeat(usize::from(entry.depth));
        let label_width = width.saturating_sub(count.len() + 3 + indent.len());
        let label = fit(&entry.label, label_width);
        let pad = width
            .saturating_sub(indent.len() + 1 + unicode_width::UnicodeWidthStr::width(label.as_str()) + count.len() + 1);
        let base = if matches!(entry.kind, EntryKind::Tag(_)) {
            app.theme.title()
        } else if entry.unread > 0 {
            app.theme.unread()
        } else {
            app.theme.read()
        };
        let style = if index == app.feeds_state.selected { app.theme.selected(focused) } else { base };
        lines.push(Line::from(vec![
            Span::styled(marker.to_string(), app.theme.error()),
            Span::styled(format!("{indent}{label}{}{count} ", " ".repeat(pad)), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), Rect::new(inner.x, inner.y, inner.width, list_height as u16));
    if let Some(error) = error.filter(|_| error_rows > 0) {
        let area = Rect::new(inner.x, inner.y + inner.height - error_rows, inner.width, error_rows);
        let text = Paragraph::new(Line::from(Span::styled(error, app.theme.error())))
            .wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(text, area);
    }
}
