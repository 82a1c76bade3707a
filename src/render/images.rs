//! Where an article's images are: each `<img src>` in document order, with the address to fetch
//! (resolved against the item's link; only http and https) and the words that stand for it where
//! it is not drawn: its alt text, else its figure's caption, else its file name. All of it is
//! cleaned text: nothing of a feed reaches the terminal raw.

use html5ever::local_name;

use crate::extract::dom::{DOCUMENT, Dom, NodeId, push_collapsed};
use crate::sanitize::clean_line;

/// The longest label shown for an image, in characters (alt texts can be paragraphs).
const MAX_LABEL: usize = 200;

/// One image of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The `src` attribute as written: html2text's annotations carry it, so this is how the
    /// renderer finds the image again.
    pub src: String,
    /// The absolute http(s) address to fetch; `None` for `data:`, `file:` and what does not parse.
    pub url: Option<String>,
    /// What stands for the image: alt text, caption or file name, cleaned and cut.
    pub label: String,
}

/// The images of `html` in document order; `base` (the item's link) resolves relative sources.
pub fn find_images(html: &str, base: Option<&str>) -> Vec<ImageRef> {
    if !html.contains("<img") && !html.contains("<IMG") {
        return Vec::new();
    }
    let base = base.and_then(|b| url::Url::parse(b).ok());
    let dom = Dom::parse(html);
    dom.descendants(DOCUMENT)
        .filter(|&id| dom.is_tag(id, &local_name!("img")))
        .filter_map(|id| {
            let src = dom.attr(id, "src").map(str::trim).filter(|s| !s.is_empty())?.to_string();
            let url = fetchable(&src, base.as_ref());
            let alt = dom.attr(id, "alt").map(words).unwrap_or_default();
            let label = Some(alt)
                .filter(|a| !a.is_empty())
                .or_else(|| caption(&dom, id))
                .or_else(|| url.as_deref().and_then(crate::file_names::from_url))
                .unwrap_or_else(|| "image".to_string());
            Some(ImageRef { src, url, label: cut(&label) })
        })
        .collect()
}

/// The line that stands for an image: `[image: the pier at dawn]`.
pub fn label_line(label: &str) -> String {
    format!("[image: {label}]")
}

/// The absolute address of `src` when it is a web address.
fn fetchable(src: &str, base: Option<&url::Url>) -> Option<String> {
    let parsed = match base {
        Some(base) => base.join(src).ok()?,
        None => url::Url::parse(src).ok()?,
    };
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
}

/// The caption of the `<figure>` the image is in (its nearest one), if it has one.
fn caption(dom: &Dom, img: NodeId) -> Option<String> {
    let mut up = dom.node(img).parent;
    while up != crate::extract::dom::NONE {
        if dom.is_tag(up, &local_name!("figure")) {
            let caption = dom.find(up, &local_name!("figcaption"))?;
            return Some(words(&dom.text(caption))).filter(|c| !c.is_empty());
        }
        up = dom.node(up).parent;
    }
    None
}

/// `text` on one line, white space collapsed, control characters and escapes removed.
fn words(text: &str) -> String {
    let mut out = String::new();
    push_collapsed(&mut out, &clean_line(text));
    out.trim().to_string()
}

/// At most [`MAX_LABEL`] characters, cut at a word when there is one, with … after.
fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL {
        return text.to_string();
    }
    let head: String = text.chars().take(MAX_LABEL).collect();
    let head = match head.rfind(' ') {
        Some(at) if at > MAX_LABEL / 2 => head[..at].to_string(),
        _ => head,
    };
    format!("{}…", head.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Option<&str> = Some("https://news.example/2026/storm.html");

    #[test]
    fn images_are_found_in_order_with_absolute_addresses() {
        let html = r#"<p>Intro</p><img src="/img/pier.jpg" alt="The pier at dawn">
            <p><img src="https://cdn.example/a/harbour.png" alt=""></p>
            <img src="gulls.webp">"#;
        let found = find_images(html, BASE);
        let urls: Vec<_> = found.iter().map(|i| i.url.as_deref()).collect();
        assert_eq!(
            urls,
            vec![
                Some("https://news.example/img/pier.jpg"),
                Some("https://cdn.example/a/harbour.png"),
                Some("https://news.example/2026/gulls.webp")
            ]
        );
        let labels: Vec<_> = found.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, vec!["The pier at dawn", "harbour.png", "gulls.webp"], "alt, else the file name");
        assert_eq!(found[0].src, "/img/pier.jpg", "as written, for html2text's annotation");
    }

    #[test]
    fn a_figure_without_alt_text_is_named_by_its_caption() {
        let html = r#"<figure><a href="/big"><img src="a.jpg"></a>
            <figcaption>Boats  waiting <b>out</b> the storm</figcaption></figure>"#;
        let found = find_images(html, BASE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].label, "Boats waiting out the storm");
    }

    #[test]
    fn only_web_addresses_are_fetched_and_labels_are_clean() {
        let html = "<img src=\"data:image/png;base64,AAAA\" alt=\"inline\">\
                    <img src=\"file:///etc/passwd\" alt=\"x&#27;]0;pwn&#7;y\u{202e}z\">\
                    <img src=\"javascript:alert(1)\">\
                    <img alt=\"no source\">";
        let found = find_images(html, BASE);
        assert_eq!(found.len(), 3, "an img without src is not an image: {found:?}");
        assert!(found.iter().all(|i| i.url.is_none()), "{found:?}");
        assert_eq!(found[0].label, "inline");
        let label = &found[1].label;
        assert!(!label.contains('\u{1b}') && !label.contains('\u{7}') && !label.contains('\u{202e}'), "{label:?}");
        assert_eq!(found[2].label, "image", "nothing else to name it by");
    }

    #[test]
    fn long_alt_texts_are_cut_at_a_word() {
        let alt = "word ".repeat(100);
        let found = find_images(&format!("<img src=\"a.png\" alt=\"{alt}\">"), BASE);
        let label = &found[0].label;
        assert!(label.chars().count() <= MAX_LABEL + 1 && label.ends_with("word…"), "{label}");
        assert_eq!(label_line("a pier"), "[image: a pier]");
    }
}
