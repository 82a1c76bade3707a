//! The reader pane's document: a header (title, source, author, date, link), the body rendered
//! with html2text, and the numbered list of links.

use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::render::{RenderedArticle, render_html};
use crate::store::ItemRow;
use crate::timefmt::date_time;

/// The body we show: the extracted article where we have one, else the feed's content or summary.
pub fn body_html(item: &ItemRow) -> String {
    if let Some(text) = item.article_text.as_deref().filter(|t| !t.trim().is_empty()) {
        return text
            .split("\n\n")
            .map(|p| format!("<p>{}</p>", p.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")))
            .collect();
    }
    item.content_html.clone().or_else(|| item.summary_html.clone()).unwrap_or_default()
}

pub fn build_document(item: &ItemRow, source: &str, width: u16, theme: &Theme) -> RenderedArticle {
    let mut lines: Vec<Line<'static>> = Vec::new();
    for part in crate::text::wrap_words(&item.title, usize::from(width).max(10)) {
        lines.push(Line::from(Span::styled(part, theme.title())));
    }
    let mut meta = vec![source.to_string()];
    if let Some(author) = &item.author {
        meta.push(author.clone());
    }
    meta.push(date_time(item.published_at));
    lines.push(Line::from(Span::styled(meta.join(" · "), theme.dim())));
    if let Some(url) = &item.url {
        lines.push(Line::from(Span::styled(url.clone(), theme.link())));
    }
    lines.push(Line::default());
    let html = body_html(item);
    let body = render_html(&html, width, item.url.as_deref(), theme);
    if body.lines.is_empty() {
        lines
            .push(Line::from(Span::styled("(This item has no text. Press o to open it in the browser.)", theme.dim())));
    }
    lines.extend(body.lines);
    if !body.links.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("Links", theme.title())));
        for (i, link) in body.links.iter().enumerate() {
            lines.push(Line::from(vec![Span::styled(format!("[{}] ", i + 1), theme.dim()), Span::raw(link.clone())]));
        }
    }
    RenderedArticle { lines, links: body.links }
}
