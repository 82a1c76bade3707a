//! An article as a file keeps it or a command reads it: Markdown (a title heading, the source
//! line, the link, the body with its links as numbered references) or plain text (a title
//! underlined, the body without link references). Pure: the caller writes the result.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    #[default]
    Markdown,
    Text,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Text => "txt",
        }
    }
}

/// What goes into an exported article. Every text is already clean of control characters.
#[derive(Debug, Clone)]
pub struct ExportedArticle<'a> {
    pub title: &'a str,
    pub source: &'a str,
    pub author: Option<&'a str>,
    /// The date as the reader shows it.
    pub date: &'a str,
    pub url: Option<&'a str>,
    pub body_html: &'a str,
}

/// Lines of the body are wrapped at this width.
const WIDTH: usize = 80;

pub fn export(article: &ExportedArticle<'_>, format: ExportFormat) -> String {
    let mut meta = vec![article.source.to_string()];
    meta.extend(article.author.map(str::to_string));
    meta.push(article.date.to_string());
    let meta = meta.join(" · ");
    let body = body(article.body_html, format);
    let mut out = String::new();
    match format {
        ExportFormat::Markdown => {
            out.push_str(&format!("# {}\n\n*{}*\n\n", escape_markdown(article.title), escape_markdown(&meta)));
            if let Some(url) = article.url {
                out.push_str(&format!("<{url}>\n\n"));
            }
        }
        ExportFormat::Text => {
            let rule = "=".repeat(article.title.chars().count().clamp(3, WIDTH));
            out.push_str(&format!("{}\n{rule}\n{meta}\n", article.title));
            if let Some(url) = article.url {
                out.push_str(&format!("{url}\n"));
            }
            out.push('\n');
        }
    }
    out.push_str(body.trim_end());
    out.push('\n');
    out
}

fn body(html: &str, format: ExportFormat) -> String {
    let rendered = crate::caught::catching(|| {
        let config = match format {
            ExportFormat::Markdown => html2text::config::plain(),
            ExportFormat::Text => html2text::config::plain_no_decorate(),
        };
        config.string_from_read(html.as_bytes(), WIDTH)
    });
    match rendered {
        Ok(Ok(text)) => crate::sanitize::clean_text(&text),
        // html2text refused or panicked on this page: its text without markup, not nothing.
        _ => crate::text::html_to_index_text(html),
    }
}

/// Markdown's own marks in a title or a source line, escaped so they read as written.
fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A file name for the article: its title's words joined by hyphens, lower case, at most 60
/// characters, with the format's extension. Only letters, digits and hyphens: no path, no dot
/// file, nothing a shell or a file system reads as more.
pub fn file_name(title: &str, format: ExportFormat) -> String {
    let mut stem = String::new();
    for word in title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_lowercase();
        if stem.chars().count() + word.chars().count() + 1 > 60 {
            break;
        }
        if !stem.is_empty() {
            stem.push('-');
        }
        stem.push_str(&word);
    }
    if stem.is_empty() {
        stem.push_str("article");
    }
    format!("{stem}.{}", format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> ExportedArticle<'static> {
        ExportedArticle {
            title: "Ferry *strike* called",
            source: "Harbour News",
            author: Some("Ana Kim"),
            date: "2026-12-01 10:00",
            url: Some("https://news.example/ferry"),
            body_html: "<h2>What next</h2><p>Unions <a href=\"https://u.example/\">walk out</a> at dawn.</p><ul><li>No boats</li></ul>",
        }
    }

    #[test]
    fn markdown_has_the_title_the_source_the_link_and_the_body() {
        let md = export(&article(), ExportFormat::Markdown);
        assert!(md.starts_with("# Ferry \\*strike\\* called\n\n*Harbour News · Ana Kim · 2026-12-01 10:00*\n\n<https://news.example/ferry>\n\n"), "{md}");
        assert!(md.contains("## What next"), "{md}");
        assert!(md.contains("[walk out][1]"), "{md}");
        assert!(md.contains("[1]: https://u.example/"), "{md}");
        assert!(md.contains("* No boats"), "{md}");
    }

    #[test]
    fn text_has_no_link_references_and_no_escapes_in_the_title() {
        let text = export(&article(), ExportFormat::Text);
        assert!(text.starts_with("Ferry *strike* called\n=====================\nHarbour News · Ana Kim · 2026-12-01 10:00\nhttps://news.example/ferry\n\n"), "{text}");
        assert!(text.contains("walk out"), "{text}");
        assert!(!text.contains("[1]"), "{text}");
    }

    #[test]
    fn escapes_in_the_body_are_gone() {
        let hostile = ExportedArticle { body_html: "<p>red \u{1b}[31mtext\u{7}</p>", ..article() };
        let text = export(&hostile, ExportFormat::Text);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
    }

    #[test]
    fn file_names_are_plain_words() {
        assert_eq!(file_name("Ferry *strike* called!", ExportFormat::Markdown), "ferry-strike-called.md");
        assert_eq!(file_name("../../etc/passwd", ExportFormat::Text), "etc-passwd.txt");
        assert_eq!(file_name("…", ExportFormat::Text), "article.txt");
        assert!(file_name(&"word ".repeat(40), ExportFormat::Markdown).len() <= 63);
    }
}
