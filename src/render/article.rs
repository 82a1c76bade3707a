//! html2text renders the article to the pane's width; its annotations become ratatui styles.
//! Links are numbered (`[3]`) in the text and listed at the end, so a key can open link N.
//! Everything html2text outputs is cleaned again: an `&#27;` in the HTML must not reach the
//! terminal as an escape. Where each link's text sits is kept ([`Anchor`]), so that the view can
//! make it a terminal hyperlink and a click can open it. Each image becomes a line of its own,
//! `[image: alt]` ([`super::images`]), followed, when images are shown, by blank rows the view
//! draws the picture over ([`ImageSlot`]).

use html2text::config::ImageRenderMode;
use html2text::render::RichAnnotation;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::images::{ImageRef, find_images, label_line};
use crate::sanitize::clean_text;
use crate::theme::Theme;

/// What html2text writes for an image without alt text (so that every image with a source
/// leaves a mark where it is); never shown, the label from [`find_images`] is.
const NO_ALT: &str = "\u{FFFC}";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderedArticle {
    pub lines: Vec<Line<'static>>,
    /// Absolute link targets, link N at index N-1.
    pub links: Vec<String>,
    /// Where the text of links (and of URLs shown whole) is on the lines.
    pub anchors: Vec<Anchor>,
    /// The images, in order: where each one's label line is, and the rows kept for it.
    pub images: Vec<ImageSlot>,
}

/// An image in the rendered lines: its label on line `line`, then `rows` blank lines (none when
/// images are off or it cannot be fetched) where the picture is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSlot {
    pub line: usize,
    pub rows: u16,
    /// The absolute http(s) address, if it has one.
    pub url: Option<String>,
    pub label: String,
}

/// A stretch of a rendered line that stands for a link: `width` columns from column `start` of
/// line `line`, leading to `target` (an absolute address the reader would open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub line: usize,
    pub start: u16,
    pub width: u16,
    pub target: String,
}

impl Anchor {
    /// An anchor `width` columns from column `start` (both saturated to the column type).
    pub fn new(line: usize, start: usize, width: usize, target: String) -> Anchor {
        let col = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        Anchor { line, start: col(start), width: col(width), target }
    }
}

impl RenderedArticle {
    /// The link target at `column` of line `line`, if a link's text is there.
    pub fn target_at(&self, line: usize, column: usize) -> Option<&str> {
        self.anchors
            .iter()
            .find(|a| {
                a.line == line && column >= usize::from(a.start) && column < usize::from(a.start) + usize::from(a.width)
            })
            .map(|a| a.target.as_str())
    }
}

/// Why a link is not handed to the browser, or `None` when it may be: only web addresses
/// (http, https), as newsboat does, and `mailto:`, which the browser gives to the mail program.
/// `javascript:`, `data:`, `file:` and the rest could run code or reach local files.
pub fn refused_link(url: &str) -> Option<String> {
    match url::Url::parse(url.trim()) {
        Ok(parsed) => match parsed.scheme() {
            "http" | "https" | "mailto" => None,
            scheme => Some(format!("Not opening {scheme}: links")),
        },
        Err(_) => Some(format!("Not opening \"{}\": not a web address", clean_text(url.trim()))),
    }
}

/// Renders `html` for a pane `width` columns wide. `base` resolves relative links. Images show
/// as their label lines only.
pub fn render_html(html: &str, width: u16, base: Option<&str>, theme: &Theme) -> RenderedArticle {
    render_html_with_images(html, width, base, theme, 0)
}

/// [`render_html`], keeping `image_rows` blank rows after the label of each image that can be
/// fetched (0: none, images are not drawn).
pub fn render_html_with_images(
    html: &str,
    width: u16,
    base: Option<&str>,
    theme: &Theme,
    image_rows: u16,
) -> RenderedArticle {
    // Room for the "[n]" markers added after links.
    let wrap = usize::from(width.saturating_sub(4)).max(10);
    let rendered = crate::caught::catching(|| {
        html2text::config::rich()
            .link_footnotes(false)
            .empty_img_mode(ImageRenderMode::Replace(NO_ALT))
            .lines_from_read(super::spans::clamp_spans(html).as_bytes(), wrap)
    });
    match rendered {
        Ok(Ok(lines)) => {
            let images = Images { found: find_images(html, base), rows: image_rows, width: usize::from(width) };
            styled(lines, base, theme, &images)
        }
        _ => plain_fallback(html, wrap),
    }
}

/// The article's images and how they are laid out.
struct Images {
    found: Vec<ImageRef>,
    rows: u16,
    width: usize,
}

impl Images {
    /// The image html2text marked with `src`, or one made from the mark when the two parsers
    /// disagree (then it is not fetched).
    fn by_src(&self, src: &str, text: &str) -> ImageRef {
        let src = src.trim();
        self.found.iter().find(|i| i.src == src).cloned().unwrap_or_else(|| {
            let text = crate::sanitize::clean_line(&text.replace(NO_ALT, ""));
            let label = if text.is_empty() { "image".to_string() } else { text };
            ImageRef { src: src.to_string(), url: None, label }
        })
    }
}

/// The source of the image a piece of html2text's output stands for.
fn image_src(piece: &Piece) -> Option<&str> {
    piece.tag.iter().find_map(|a| match a {
        RichAnnotation::Image(src) => Some(src.as_str()),
        _ => None,
    })
}

fn styled(
    lines: Vec<html2text::render::TaggedLine<Vec<RichAnnotation>>>,
    base: Option<&str>,
    theme: &Theme,
    images: &Images,
) -> RenderedArticle {
    let base = base.and_then(|b| url::Url::parse(b).ok());
    let lines: Vec<Vec<Piece>> = lines
        .iter()
        .map(|line| {
            line.tagged_strings()
                .map(|piece| {
                    let link = piece.tag.iter().find_map(|a| match a {
                        RichAnnotation::Link(target) => Some(target.clone()),
                        _ => None,
                    });
                    Piece { text: piece.s.clone(), link, tag: piece.tag.clone() }
                })
                .collect()
        })
        .collect();
    let mut links: Vec<String> = Vec::new();
    let mut anchors = Vec::new();
    let mut slots = Vec::new();
    let mut out: Vec<Line<'static>> = Vec::with_capacity(lines.len());
    // The source of the image the last piece with text belonged to: an alt text that wraps
    // goes on in the next pieces, and is one image.
    let mut in_image: Option<&str> = None;
    // Lines before this one are kept, blank or not (the rows of an image at the end).
    let mut kept = 0;
    for (l, line) in lines.iter().enumerate() {
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut column = 0usize;
        let mut had_image = false;
        for (i, piece) in line.iter().enumerate() {
            if let Some(src) = image_src(piece) {
                if in_image != Some(src) {
                    // The text before the image stays above its label, the rest goes below.
                    let before = Line::from(std::mem::take(&mut spans));
                    if !is_blank(&before) {
                        out.push(before);
                    }
                    column = 0;
                    push_image(&mut out, &mut slots, images.by_src(src, &piece.text), images, theme);
                    kept = out.len();
                }
                had_image = true;
                in_image = Some(src);
                continue;
            }
            if !piece.text.trim().is_empty() {
                in_image = None;
            }
            let text = clean_text(&piece.text).replace(['\n', '\t'], " ");
            // A link the reader will not open is shown as plain text, without a number.
            let link = piece.link.as_ref().filter(|target| refused_link(&absolute(target, base.as_ref())).is_none());
            let style = piece
                .tag
                .iter()
                .filter(|a| link.is_some() || !matches!(a, RichAnnotation::Link(_)))
                .fold(Style::new(), |style, a| apply(style, a, theme));
            let span = Span::styled(text, style);
            let width = span.width();
            if let Some(target) = link
                && span.content.trim() != ""
            {
                anchors.push(Anchor::new(out.len(), column, width, absolute(target, base.as_ref())));
            }
            column += width;
            spans.push(span);
            // The number goes once, after the link's last piece, however many lines it wraps over.
            if let Some(target) = link
                && !link_goes_on(&lines, l, i + 1, target)
            {
                let absolute = absolute(target, base.as_ref());
                let number = match links.iter().position(|l| *l == absolute) {
                    Some(p) => p + 1,
                    None => {
                        links.push(absolute);
                        links.len()
                    }
                };
                let marker = Span::styled(format!("[{number}]"), theme.dim());
                column += marker.width();
                spans.push(marker);
            }
        }
        let line = Line::from(spans);
        // What is left of a line that held an image is shown only when it has text.
        if !had_image || !is_blank(&line) {
            out.push(line);
        }
    }
    while out.len() > kept && out.last().is_some_and(|l| l.width() == 0) {
        out.pop();
    }
    RenderedArticle { lines: out, links, anchors, images: slots }
}

fn is_blank(line: &Line) -> bool {
    line.spans.iter().all(|s| s.content.trim().is_empty())
}

/// An image's label line, and the blank rows kept for its picture when it can be fetched.
fn push_image(
    out: &mut Vec<Line<'static>>,
    slots: &mut Vec<ImageSlot>,
    image: ImageRef,
    images: &Images,
    theme: &Theme,
) {
    let rows = if image.url.is_some() { images.rows } else { 0 };
    let label = crate::text::fit_width(&label_line(&image.label), images.width);
    slots.push(ImageSlot { line: out.len(), rows, url: image.url, label: image.label });
    out.push(Line::from(Span::styled(label, theme.dim().add_modifier(Modifier::ITALIC))));
    out.extend((0..rows).map(|_| Line::default()));
}

/// One string of html2text's output with its annotations.
struct Piece {
    text: String,
    link: Option<String>,
    tag: Vec<RichAnnotation>,
}

/// Whether the link to `target` goes on from piece `from` of line `line`: the next piece with
/// text is part of it, on this line (after blanks) or at the start of the next one (after the
/// indent and the quote or list marks html2text puts before a wrapped line).
fn link_goes_on(lines: &[Vec<Piece>], line: usize, from: usize, target: &str) -> bool {
    let same = |p: &Piece| p.link.as_deref() == Some(target);
    let rest = lines[line].get(from..).unwrap_or_default();
    if let Some(next) = rest.iter().find(|p| same(p) || !p.text.trim().is_empty()) {
        return same(next);
    }
    let Some(next_line) = lines.get(line + 1) else { return false };
    next_line.iter().find(|p| p.link.is_some() || p.text.chars().any(char::is_alphanumeric)).is_some_and(same)
}

fn apply(style: Style, annotation: &RichAnnotation, theme: &Theme) -> Style {
    match annotation {
        RichAnnotation::Link(_) => style.patch(theme.link()),
        RichAnnotation::Emphasis => style.add_modifier(Modifier::ITALIC),
        RichAnnotation::Strong => style.add_modifier(Modifier::BOLD),
        RichAnnotation::Strikeout => style.add_modifier(Modifier::CROSSED_OUT),
        RichAnnotation::Code | RichAnnotation::Preformat(_) => style.patch(theme.dim()),
        RichAnnotation::Image(_) => style.add_modifier(Modifier::ITALIC),
        _ => style,
    }
}

fn absolute(target: &str, base: Option<&url::Url>) -> String {
    let target = clean_text(target);
    match base.and_then(|b| b.join(&target).ok()) {
        Some(url) => url.to_string(),
        None => target,
    }
}

/// When html2text fails or panics: the text with tags stripped, wrapped naively.
fn plain_fallback(html: &str, width: usize) -> RenderedArticle {
    let text = crate::text::html_to_index_text(html);
    let lines = crate::text::wrap_words(&text, width).into_iter().map(Line::from).collect();
    RenderedArticle { lines, links: Vec::new(), anchors: Vec::new(), images: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(r: &RenderedArticle) -> Vec<String> {
        r.lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn numbers_links_and_resolves_them() {
        let html = r#"<p>See <a href="/a">the report</a> and <a href="https://x.test/b">this</a>.</p>"#;
        let r = render_html(html, 80, Some("https://news.test/story/1"), &Theme::default());
        assert_eq!(r.links, vec!["https://news.test/a".to_string(), "https://x.test/b".to_string()]);
        assert_eq!(text_of(&r), vec!["See the report[1] and this[2]."]);
        // Each link's text is an anchor: "the report" from column 4, "this" after "[1] and ".
        let spots: Vec<(usize, u16, u16, &str)> =
            r.anchors.iter().map(|a| (a.line, a.start, a.width, a.target.as_str())).collect();
        assert_eq!(spots, vec![(0, 4, 10, "https://news.test/a"), (0, 22, 4, "https://x.test/b")]);
        assert_eq!(r.target_at(0, 13), Some("https://news.test/a"));
        assert_eq!(r.target_at(0, 14), None, "the marker is not the link's text");
    }

    #[test]
    fn links_that_will_not_be_opened_get_no_number() {
        let html = r#"<p><a href="javascript:alert(1)">Click</a>, <a href="mailto:desk@x.test">write</a>,
            <a href="data:text/html,hi">data</a> or <a href="https://x.test/b">read</a>.</p>"#;
        let r = render_html(html, 80, Some("https://news.test/story/1"), &Theme::default());
        assert_eq!(r.links, vec!["mailto:desk@x.test".to_string(), "https://x.test/b".to_string()]);
        assert_eq!(text_of(&r), vec!["Click, write[1], data or read[2]."]);
        assert_eq!(r.lines[0].spans[0].style, Style::new(), "not styled as a link");
        assert_eq!(refused_link("javascript:alert(1)").as_deref(), Some("Not opening javascript: links"));
        assert_eq!(refused_link("https://x.test/"), None);
    }

    #[test]
    fn a_wrapped_link_gets_its_number_once_at_its_end() {
        let html = r#"<p>Coverage – <a href="https://x.test/live">the storm and the harbour, live!</a> and more text after it.</p>
            <blockquote><p>Quoted: <a href="https://x.test/q">a long quoted link that wraps over lines</a> end.</p></blockquote>"#;
        let width = 24;
        let r = render_html(html, width, None, &Theme::default());
        let lines = text_of(&r);
        let text = lines.join("\n");
        assert_eq!(text.matches("[1]").count(), 1, "{text}");
        assert_eq!(text.matches("[2]").count(), 1, "{text}");
        assert!(text.contains("live![1]") && text.contains("lines[2]"), "{text}");
        assert!(lines.iter().all(|l| l.chars().count() <= usize::from(width)), "{text}");
        assert_eq!(r.links, vec!["https://x.test/live".to_string(), "https://x.test/q".to_string()]);
    }

    #[test]
    fn escape_sequences_hidden_in_entities_are_removed() {
        let r = render_html("<p>a&#27;[31mred&#27;]0;title&#7;b</p>", 80, None, &Theme::default());
        let text = text_of(&r).join("\n");
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
        // The text around the sequences stays (their parameters, "[31m" and "]0;title", show as
        // text: html2text drops the ESC before clean_text could take the sequence whole).
        assert!(text.starts_with('a') && text.contains("red") && text.ends_with('b'), "{text:?}");
    }

    #[test]
    fn images_become_label_lines_in_place_with_rows_kept_when_shown() {
        let html = r#"<p>Before <img src="/p.png" alt="A pier at dawn, a very long alt text that wraps over lines"> after <a href="/x">link</a>.</p>
            <p><img src="data:image/png;base64,AAAA"></p><p>End.</p>"#;
        let base = Some("https://news.test/story/1");
        let r = render_html(html, 30, base, &Theme::default());
        let lines = text_of(&r);
        assert_eq!(lines[0].trim(), "Before");
        assert_eq!(lines[1], "[image: A pier at dawn, a ver…", "one label, cut to the width: {lines:?}");
        // (html2text wrapped the rest after the whole alt text: "after" is alone.)
        assert_eq!(lines[2].trim(), "after", "{lines:?}");
        assert_eq!(lines[3], "link[1].", "{lines:?}");
        assert_eq!(r.anchors[0].line, 3, "the link's anchor is where its text is now");
        assert_eq!(r.images.len(), 2, "{lines:?}");
        assert_eq!(r.images[0].url.as_deref(), Some("https://news.test/p.png"));
        assert_eq!((r.images[0].line, r.images[0].rows), (1, 0));
        assert_eq!(r.images[1].label, "image");
        // Shown: rows kept under the label of each image that can be fetched (not data: ones).
        let shown = render_html_with_images(html, 30, base, &Theme::default(), 5);
        let shown_lines = text_of(&shown);
        assert_eq!((shown.images[0].line, shown.images[0].rows), (1, 5));
        assert!(shown_lines[2..7].iter().all(String::is_empty), "{shown_lines:?}");
        assert_eq!(shown_lines[7].trim(), "after", "{shown_lines:?}");
        assert_eq!(shown.images[1].rows, 0);
        assert_eq!(shown_lines.last().map(String::as_str), Some("End."));
    }

    #[test]
    fn lists_headings_and_quotes_render() {
        let html = "<h2>Heading</h2><ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote>";
        let text = text_of(&render_html(html, 40, None, &Theme::default())).join("\n");
        assert!(text.contains("Heading") && text.contains("* one") && text.contains("> quoted"), "{text}");
    }
}
