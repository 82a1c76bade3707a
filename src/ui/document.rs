//! The reader pane's document: a header (title, source, author, date, link), the body rendered
//! with html2text, and the numbered list of links.

use ratatui::text::{Line, Span};

use super::app::Article;
use super::theme::Theme;
use crate::render::{RenderedArticle, render_html};
use crate::store::ItemRow;
use crate::timefmt::date_time;

/// The body we show: the article extracted from the page where we have one (unless the reader
/// asked for the feed's own text), else the feed's content or summary.
pub fn body_html(item: &ItemRow, feed_text: bool) -> String {
    if let Some(article) = extracted(item).filter(|_| !feed_text) {
        return article.to_string();
    }
    item.content_html.clone().or_else(|| item.summary_html.clone()).unwrap_or_default()
}

fn extracted(item: &ItemRow) -> Option<&str> {
    item.article_html.as_deref().filter(|t| !t.trim().is_empty())
}

/// One line saying where the body comes from, when there is a choice or a failure to explain.
fn provenance(item: &ItemRow, feed_text: bool) -> Option<String> {
    match (extracted(item), &item.article_error) {
        (Some(_), _) if feed_text => Some("The feed's text · v shows the article from the page".into()),
        (Some(_), _) => Some("Article from the page · v shows the feed's text".into()),
        (None, Some(error)) => Some(format!("No article from the page ({error}): showing the feed's text")),
        (None, None) => None,
    }
}

/// The open article's document, rendered for its width.
pub fn render_article(article: &Article, theme: &Theme) -> RenderedArticle {
    let Article { item, source, width, feed_text, also_covered_by, .. } = article;
    build_document(item, source, *width, theme, *feed_text, also_covered_by)
}

pub fn build_document(
    item: &ItemRow,
    source: &str,
    width: u16,
    theme: &Theme,
    feed_text: bool,
    also_covered_by: &[String],
) -> RenderedArticle {
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
    if !also_covered_by.is_empty() {
        let note = format!("Also covered by {}", also_covered_by.join(", "));
        for part in crate::text::wrap_words(&note, usize::from(width).max(10)) {
            lines.push(Line::from(Span::styled(part, theme.dim())));
        }
    }
    if let Some(note) = provenance(item, feed_text) {
        for part in crate::text::wrap_words(&note, usize::from(width).max(10)) {
            lines.push(Line::from(Span::styled(part, theme.dim())));
        }
    }
    lines.push(Line::default());
    let html = body_html(item, feed_text);
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
