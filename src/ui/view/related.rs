use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, inner, pane_block};
use crate::timefmt::{AGE_WIDTH, gap};
use crate::ui::app::{App, Pane};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let related = app.article.as_ref().and_then(|a| a.related.as_ref());
    let count = related.map_or(String::new(), |r| format!(" ({})", r.len()));
    frame.render_widget(pane_block(app, Pane::Related, format!("Related stories{count}")), area);
    let inner = inner(area);
    let width = usize::from(inner.width);
    let focused = app.focus == Pane::Related;
    let message = |text: &str| vec![Line::from(Span::styled(fit(text, width), app.theme.dim()))];
    let lines = match (app.article.as_ref(), related) {
        (None, _) => message("Open an article to see other coverage of its story."),
        (Some(_), None) => message("Indexing the cache…"),
        (Some(_), Some(list)) if list.is_empty() => message("No related stories in the cache."),
        (Some(article), Some(list)) => list
            .iter()
            .enumerate()
            .skip(article.related_state.offset)
            .take(usize::from(inner.height))
            .map(|(index, entry)| {
                let selected = index == article.related_state.selected;
                let dot = if entry.read { ' ' } else { '●' };
                // How far apart from the open article it came out: "+1d", "−3h", "same".
                let head = format!(
                    "{dot}{:>AGE_WIDTH$} {} · ",
                    gap(article.item.published_at, entry.published_at),
                    fit(&entry.source, 16)
                );
                let head_width = unicode_width::UnicodeWidthStr::width(head.as_str());
                let title = fit(&entry.title, width.saturating_sub(head_width));
                let pad = width.saturating_sub(head_width + unicode_width::UnicodeWidthStr::width(title.as_str()));
                if selected {
                    Line::from(Span::styled(format!("{head}{title}{}", " ".repeat(pad)), app.theme.selected(focused)))
                } else {
                    let style = if entry.read { app.theme.read() } else { app.theme.unread() };
                    Line::from(vec![Span::styled(head, app.theme.dim()), Span::styled(title, style)])
                }
            })
            .collect(),
    };
    frame.render_widget(Paragraph::new(lines), inner);
}
