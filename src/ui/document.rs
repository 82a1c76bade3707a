//! The reader pane's document: a header (title, source, author, date, link), the body rendered
//! with html2text, and the numbered list of links.

use ratatui::text::{Line, Span};

use super::app::Article;
use crate::model::ItemRow;
use crate::render::{Anchor, ImageSlot, RenderedArticle, render_html_with_images};
use crate::text::wrap_breaking;
use crate::theme::Theme;
use crate::timefmt::TimeDisplay;

/// The body we show: the article extracted from the page where we have one (unless the reader
/// asked for the feed's own text), else the feed's content or summary.
pub fn body_html(item: &ItemRow, feed_text: bool) -> String {
    if let Some(article) = extracted(item).filter(|_| !feed_text) {
        return article.to_string();
    }
    let feed_html = item.content_html.as_deref().or(item.summary_html.as_deref()).unwrap_or_default();
    crate::extract::feed_clean::clean_feed_html(feed_html)
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

/// What rendering an article's document takes: plain data, so that it can be done on another
/// thread while the interface goes on (html2text on a long page takes milliseconds).
#[derive(Debug, Clone, PartialEq)]
pub struct RenderRequest {
    /// Which request this is: only the answer to the latest one is shown.
    pub id: u64,
    pub item: ItemRow,
    pub source: String,
    pub width: u16,
    pub feed_text: bool,
    pub also_covered_by: Vec<String>,
    pub theme: Theme,
    /// How the article's date is shown.
    pub time: TimeDisplay,
    /// What the keys do with the item's enclosures ("P plays · d downloads"), shown with them.
    pub enclosure_hint: String,
    /// Blank rows kept under each image's label for its picture (0: images are not drawn).
    pub image_rows: u16,
}

impl RenderRequest {
    /// A request for the open article as it is now.
    pub fn for_article(
        id: u64,
        article: &Article,
        theme: &Theme,
        time: &TimeDisplay,
        enclosure_hint: String,
        image_rows: u16,
    ) -> RenderRequest {
        RenderRequest {
            id,
            item: article.item.clone(),
            source: article.source.clone(),
            width: article.width,
            feed_text: article.feed_text,
            also_covered_by: article.also_covered_by.clone(),
            theme: theme.clone(),
            time: time.clone(),
            enclosure_hint,
            image_rows,
        }
    }

    /// The document, rendered for the request's width.
    pub fn render(&self) -> RenderedArticle {
        build_document(self, &self.item)
    }
}

fn build_document(request: &RenderRequest, item: &ItemRow) -> RenderedArticle {
    let RenderRequest { source, width, theme, feed_text, also_covered_by, time, enclosure_hint, image_rows, .. } =
        request;
    let (width, feed_text) = (*width, *feed_text);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for part in crate::text::wrap_words(&item.title, usize::from(width).max(10)) {
        lines.push(Line::from(Span::styled(part, theme.title())));
    }
    let mut meta = vec![source.to_string()];
    if let Some(author) = &item.author {
        meta.push(author.clone());
    }
    meta.push(time.date_time(item.published_at));
    for part in wrap_breaking(&meta.join(" · "), usize::from(width), 2) {
        lines.push(Line::from(Span::styled(part, theme.dim())));
    }
    let mut anchors = Vec::new();
    if let Some(url) = &item.url {
        let opens = crate::render::refused_link(url).is_none();
        for part in wrap_breaking(url, usize::from(width), 2) {
            if opens {
                anchors.push(whole_line_anchor(lines.len(), &part, url));
            }
            lines.push(Line::from(Span::styled(part, theme.link())));
        }
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
    enclosure_lines(&mut lines, item, usize::from(width), enclosure_hint, theme);
    lines.push(Line::default());
    let html = body_html(item, feed_text);
    let body = render_html_with_images(&html, width, item.url.as_deref(), theme, *image_rows);
    if body.lines.is_empty() {
        lines
            .push(Line::from(Span::styled("(This item has no text. Press o to open it in the browser.)", theme.dim())));
    }
    let offset = lines.len();
    anchors.extend(body.anchors.into_iter().map(|a| Anchor { line: a.line + offset, ..a }));
    let images = body.images.into_iter().map(|i| ImageSlot { line: i.line + offset, ..i }).collect();
    lines.extend(body.lines);
    if !body.links.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("Links", theme.title())));
        for (i, link) in body.links.iter().enumerate() {
            let number = format!("[{}] ", i + 1);
            let indent = number.chars().count();
            for (j, part) in
                wrap_breaking(&format!("{number}{link}"), usize::from(width), indent).into_iter().enumerate()
            {
                match part.strip_prefix(&number).filter(|_| j == 0) {
                    Some(rest) => {
                        let anchor = whole_line_anchor(lines.len(), rest, link);
                        let start = usize::from(anchor.start) + number.chars().count();
                        anchors.push(Anchor::new(anchor.line, start, usize::from(anchor.width), anchor.target));
                        lines.push(Line::from(vec![
                            Span::styled(number.clone(), theme.dim()),
                            Span::raw(rest.to_string()),
                        ]));
                    }
                    None => {
                        anchors.push(whole_line_anchor(lines.len(), &part, link));
                        lines.push(Line::from(Span::raw(part)));
                    }
                }
            }
        }
    }
    RenderedArticle { lines, links: body.links, anchors, images }
}

/// The item's enclosures under the header: one line each (numbered when there are several, as
/// the keys then ask for the number), and what the keys do with them.
fn enclosure_lines(lines: &mut Vec<Line<'static>>, item: &ItemRow, width: usize, hint: &str, theme: &Theme) {
    let several = item.enclosures.len() > 1;
    if item.enclosures.is_empty() {
        return;
    }
    lines.push(Line::default());
    for (i, enclosure) in item.enclosures.iter().enumerate() {
        let mark = if several { format!("{}. ", i + 1) } else { "▶ ".to_string() };
        let text = format!("{mark}{}", crate::render::media::describe(enclosure));
        for (j, part) in wrap_breaking(&text, width, mark.chars().count()).into_iter().enumerate() {
            let style = if j == 0 && several { theme.title() } else { theme.link() };
            lines.push(Line::from(Span::styled(part, style)));
        }
    }
    if !hint.is_empty() {
        let hint = if several { format!("{hint} (then the number)") } else { hint.to_string() };
        for part in crate::text::wrap_words(&hint, width.max(10)) {
            lines.push(Line::from(Span::styled(part, theme.dim())));
        }
    }
}

/// An anchor over a line's text, the indent of a wrapped piece left out.
fn whole_line_anchor(line: usize, text: &str, target: &str) -> Anchor {
    let indent = text.chars().take_while(|c| *c == ' ').count();
    let width = Span::raw(text.trim_start()).width();
    Anchor::new(line, indent, width, target.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FeedId, ItemId};

    fn item(content: &str, article: Option<&str>) -> ItemRow {
        ItemRow {
            id: ItemId(1),
            feed_id: FeedId(1),
            guid: "g".into(),
            url: Some("https://gazette.example/storm".into()),
            title: "Storm warning lifted".into(),
            author: None,
            published_at: 0,
            first_seen_at: 0,
            summary_html: None,
            content_html: Some(content.into()),
            article_html: article.map(str::to_string),
            article_error: None,
            read: false,
            starred: false,
            story_id: None,
            enclosures: Vec::new(),
        }
    }

    fn texts(r: &RenderedArticle) -> Vec<String> {
        r.lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn the_meta_line_and_the_links_wrap_to_the_width() {
        let mut long = item(
            "<p>See <a href=\"https://harbour.example/reports/2026/storm-warning-lifted-at-noon.html\">the report</a>.</p>",
            None,
        );
        long.author = Some("Ada Reporter and the Harbour Desk".into());
        let width = 30;
        let request = RenderRequest {
            id: 0,
            item: long.clone(),
            source: "The Harbour Gazette".into(),
            width,
            feed_text: false,
            also_covered_by: Vec::new(),
            theme: Theme::default(),
            time: TimeDisplay::utc(),
            enclosure_hint: String::new(),
            image_rows: 0,
        };
        let r = request.render();
        let lines = texts(&r);
        let all = lines.join("\n");
        assert!(lines.iter().all(|l| l.chars().count() <= usize::from(width)), "{all}");
        // The meta line: all there, continuation lines indented.
        let meta_start = lines.iter().position(|l| l.starts_with("The Harbour Gazette")).expect(&all);
        let meta_end = lines.iter().position(|l| l.contains("1970")).expect(&all);
        assert!(meta_end > meta_start, "wrapped: {all}");
        let meta: Vec<&str> = lines[meta_start..=meta_end].iter().map(|l| l.trim()).collect();
        assert_eq!(meta.join(" "), "The Harbour Gazette · Ada Reporter and the Harbour Desk · 1970-01-01 00:00 UTC");
        assert!(lines[meta_start + 1..=meta_end].iter().all(|l| l.starts_with("  ")), "{all}");
        // The link list: the URL whole once its pieces are joined, under its number.
        let list = lines.iter().position(|l| l == "Links").expect(&all);
        assert!(lines[list + 1].starts_with("[1] https://"), "{all}");
        let joined: String = lines[list + 1..].iter().map(|l| l.trim_start()).collect();
        assert_eq!(
            joined,
            "[1]https://harbour.example/reports/2026/storm-warning-lifted-at-noon.html".replacen("]", "] ", 1)
        );
        assert!(lines[list + 2..].iter().all(|l| l.starts_with("    ")), "{all}");
        assert_eq!(all.matches("[1]").count(), 2, "the marker in the text and the list: {all}");
        // Anchors: each covers exactly text of its line, and together they lead to the header's
        // URL, the body's link and the list's URL (each piece of a wrapped one).
        let report = "https://harbour.example/reports/2026/storm-warning-lifted-at-noon.html";
        for a in &r.anchors {
            let line: String = lines[a.line].chars().skip(usize::from(a.start)).take(usize::from(a.width)).collect();
            assert_eq!(line.chars().count(), usize::from(a.width), "{a:?}");
            assert!(!line.starts_with(' ') && !line.ends_with(' '), "{a:?}: {line:?}");
            if a.target == report && a.line > list {
                assert!(report.contains(&line), "{a:?}: {line:?}");
            }
        }
        let header: Vec<_> = r.anchors.iter().filter(|a| a.target == "https://gazette.example/storm").collect();
        let header_text: String = header
            .iter()
            .map(|a| lines[a.line].chars().skip(usize::from(a.start)).take(usize::from(a.width)).collect::<String>())
            .collect();
        assert_eq!(header_text, "https://gazette.example/storm");
        let body = r.anchors.iter().find(|a| a.line < list && a.target == report).expect("the body's link");
        assert!(lines[body.line].chars().skip(usize::from(body.start)).collect::<String>().starts_with("the"));
        let in_list: String = r
            .anchors
            .iter()
            .filter(|a| a.line > list)
            .map(|a| lines[a.line].chars().skip(usize::from(a.start)).take(usize::from(a.width)).collect::<String>())
            .collect();
        assert_eq!(in_list, report);
    }

    #[test]
    fn wrapping_keeps_every_character() {
        let text = "a · bb · https://x.example/a/very/long/path/that/goes/on/and/on · end";
        for width in [1, 10, 12, 17, 40] {
            let lines = wrap_breaking(text, width, 3);
            assert!(lines.iter().all(|l| l.chars().count() <= width.max(13)), "{width}: {lines:?}");
            let joined: String = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
            assert_eq!(joined.replace(' ', ""), text.replace(' ', ""), "{width}: {lines:?}");
        }
    }

    #[test]
    fn the_feeds_clutter_is_not_shown() {
        let content = "<p>The storm warning was lifted at noon.</p>\
                       <p><a href=\"https://twitter.com/intent/tweet?u=1\">Tweet this</a></p>\
                       <p>The post Storm warning lifted appeared first on The Gazette.</p>";
        let text = body_html(&item(content, None), false);
        assert!(text.contains("lifted at noon") && !text.contains("Tweet") && !text.contains("appeared first"));
        // The extracted article comes first; the feed's version on request.
        let with_article = item(content, Some("<p>The whole story.</p>"));
        assert_eq!(body_html(&with_article, false), "<p>The whole story.</p>");
        assert!(body_html(&with_article, true).contains("lifted at noon"));
    }
}
