//! Turns the kept segments into the article's blocks: list items gathered into lists, cells into
//! table rows, a quote's paragraphs into one quote, a heading that repeats the title left out; and
//! renders blocks as plain text or clean HTML.

use super::segment::{Kind, Segment};

/// A piece of the article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
    List {
        ordered: bool,
        items: Vec<String>,
    },
    /// A quotation; its paragraphs separated by blank lines.
    Quote(String),
    Code(String),
    Table {
        rows: Vec<Vec<String>>,
    },
    /// An image, by its alt text, and its address when the page gave one.
    Image {
        alt: String,
        src: Option<String>,
    },
}

/// The blocks of the `kept` segments, in order; a heading that repeats `title` is left out.
pub fn build(segments: &[Segment], kept: &[usize], title: Option<&str>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    // What the previous segment belonged to, to know when a list, table or quote continues.
    let mut prev: Option<&Segment> = None;
    let title_key = title.map(squash);
    for &i in kept {
        let seg = &segments[i];
        if matches!(seg.kind, Kind::Heading(_)) && title_key.as_deref() == Some(squash(&seg.text).as_str()) {
            continue;
        }
        let text = seg.text.clone();
        let same = |f: fn(&Segment) -> Option<u32>| prev.is_some_and(|p| f(p).is_some() && f(p) == f(seg));
        match seg.kind {
            Kind::Cell => {
                let same_table = same(|s| s.row.map(|_| 0)) && prev.is_some_and(|p| p.kind == Kind::Cell);
                if !same_table || !matches!(blocks.last(), Some(Block::Table { .. })) {
                    blocks.push(Block::Table { rows: Vec::new() });
                }
                if let Some(Block::Table { rows }) = blocks.last_mut() {
                    let new_row = !same(|s| s.row) || rows.is_empty();
                    if new_row {
                        rows.push(Vec::new());
                    }
                    if let Some(row) = rows.last_mut() {
                        if same(|s| s.cell) && !new_row {
                            if let Some(cell) = row.last_mut() {
                                cell.push(' ');
                                cell.push_str(&text);
                            }
                        } else {
                            row.push(text);
                        }
                    }
                }
            }
            Kind::ListItem if seg.list.is_some() => {
                let same_list = same(|s| s.list.map(|l| l.0)) && prev.is_some_and(|p| p.kind == Kind::ListItem);
                match blocks.last_mut() {
                    Some(Block::List { items, .. }) if same_list => items.push(text),
                    _ => blocks.push(Block::List { ordered: seg.list.is_some_and(|l| l.1), items: vec![text] }),
                }
            }
            _ if seg.quote.is_some() && seg.kind != Kind::Image => match blocks.last_mut() {
                Some(Block::Quote(q)) if same(|s| s.quote) => {
                    q.push_str("\n\n");
                    q.push_str(&text);
                }
                _ => blocks.push(Block::Quote(text)),
            },
            Kind::Heading(level) => blocks.push(Block::Heading { level, text }),
            Kind::Code => blocks.push(Block::Code(text)),
            Kind::Image => blocks.push(Block::Image { alt: text, src: seg.src.clone() }),
            _ => blocks.push(Block::Paragraph(text)),
        }
        prev = Some(seg);
    }
    blocks
}

/// Lower-case letters and digits only, to compare a heading with the title.
fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

pub fn plain_text(blocks: &[Block]) -> String {
    let mut parts: Vec<String> = Vec::with_capacity(blocks.len());
    for block in blocks {
        match block {
            Block::Heading { text, .. } | Block::Paragraph(text) | Block::Quote(text) | Block::Code(text) => {
                parts.push(text.clone())
            }
            Block::List { items, .. } => parts.push(items.join("\n")),
            Block::Table { rows } => {
                parts.push(rows.iter().map(|r| r.join(" | ")).collect::<Vec<_>>().join("\n"));
            }
            // Alt text is a description of a picture, not the article's text.
            Block::Image { .. } => {}
        }
    }
    parts.join("\n\n")
}

pub fn to_html(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Heading { level, text } => {
                let level = (*level).clamp(1, 6);
                out.push_str(&format!("<h{level}>{}</h{level}>\n", escape(text)));
            }
            Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", escape(text))),
            Block::Quote(text) => {
                out.push_str("<blockquote>");
                for para in text.split("\n\n") {
                    out.push_str(&format!("<p>{}</p>", escape(para)));
                }
                out.push_str("</blockquote>\n");
            }
            Block::Code(text) => out.push_str(&format!("<pre><code>{}</code></pre>\n", escape(text))),
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>"));
                for item in items {
                    out.push_str(&format!("<li>{}</li>", escape(item)));
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            Block::Table { rows } => {
                out.push_str("<table>");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        out.push_str(&format!("<td>{}</td>", escape(cell)));
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</table>\n");
            }
            Block::Image { alt, src: Some(src) } => {
                out.push_str(&format!("<p><img src=\"{}\" alt=\"{}\"></p>\n", escape(src), escape(alt)))
            }
            Block::Image { alt, src: None } => out.push_str(&format!("<p><em>[{}]</em></p>\n", escape(alt))),
        }
    }
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::extract;

    /// An extracted article keeps its pictures' addresses (the reader draws them): `src`, or the
    /// lazy-loading attribute when `src` is a placeholder; the plain text leaves images out.
    #[test]
    fn images_keep_their_address() {
        let para = "<p>The harbour works went on through the night, crews replacing the old pilings one by one \
                    while divers checked the sea wall below the waterline.</p>";
        let html = format!(
            "<html><body><article><h1>Harbour works</h1>{para}<img src=\"/img/dawn.jpg\" alt=\"The harbour at dawn\">\
             {para}<img src=\"data:image/gif;base64,R0lGOD\" data-src=\"https://cdn.example/lazy.jpg\" alt=\"Divers &amp; crew\">\
             {para}</article></body></html>"
        );
        let article = extract(&html, None, None);
        let out = article.to_html();
        assert!(out.contains(r#"<img src="/img/dawn.jpg" alt="The harbour at dawn">"#), "{out}");
        assert!(out.contains(r#"<img src="https://cdn.example/lazy.jpg" alt="Divers &amp; crew">"#), "{out}");
        assert!(!out.contains("data:image"), "{out}");
        let text = article.plain_text();
        assert!(!text.contains("dawn.jpg") && !text.contains("lazy.jpg"), "the text has no addresses: {text}");
    }
}
