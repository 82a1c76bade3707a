//! Feed discovery: the feeds a web page names in its `<link rel="alternate">` tags, and the paths
//! where sites usually put a feed when the page names none. Pure: the page in, addresses out.

use url::Url;

use crate::extract::dom::Dom;

/// A feed a page links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    pub url: String,
    /// The link's `title`, cleaned, when it has one.
    pub title: Option<String>,
}

/// Where sites put their feed, tried in this order when the page names none.
pub const COMMON_PATHS: &[&str] =
    &["/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json", "/feeds/posts/default"];

/// The types of `<link rel="alternate">` that are feeds.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
];

/// The feeds `html` (a page from `base`) names in `<link rel="alternate" type="…">`, in page
/// order, each once; addresses resolved against `base`, http(s) only.
pub fn feed_links(html: &str, base: &Url) -> Vec<FeedLink> {
    let dom = Dom::parse(html);
    let mut out: Vec<FeedLink> = Vec::new();
    for id in dom.descendants(0) {
        if !dom.is_tag(id, &html5ever::local_name!("link")) {
            continue;
        }
        let rel = dom.attr(id, "rel").unwrap_or("").to_ascii_lowercase();
        if !rel.split_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let kind = dom.attr(id, "type").unwrap_or("").trim().to_ascii_lowercase();
        let kind = kind.split(';').next().unwrap_or("").trim();
        if !FEED_TYPES.contains(&kind) {
            continue;
        }
        let Some(url) = dom.attr(id, "href").and_then(|h| base.join(h.trim()).ok()) else { continue };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        let url = url.to_string();
        if out.iter().any(|l| l.url == url) {
            continue;
        }
        let title = dom.attr(id, "title").map(crate::sanitize::clean_line).filter(|t| !t.is_empty());
        out.push(FeedLink { url, title });
    }
    out
}

/// The common feed addresses of the site `base` is on.
pub fn common_paths(base: &Url) -> Vec<String> {
    COMMON_PATHS.iter().filter_map(|p| base.join(p).ok()).map(|u| u.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternate_links_of_feed_types_are_found_resolved_and_once() {
        let base = Url::parse("https://blog.example/posts/hello").expect("url");
        let html = r#"<html><head>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="Posts &amp; notes" href="/feed.xml">
            <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">
            <link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
            <link rel="alternate" type="application/rss+xml" href="https://blog.example/feed.xml">
            <link rel="alternate" type="application/feed+json" href="javascript:alert(1)">
            <link rel="alternate" type="application/rss+xml" title="Comments&#x1b;[31m" href="//cdn.example/c.rss">
            </head><body><link rel="alternate" type="application/json" href="/feed.json"></body></html>"#;
        let links = feed_links(html, &base);
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://blog.example/feed.xml",
                "https://blog.example/posts/atom.xml",
                "https://cdn.example/c.rss",
                "https://blog.example/feed.json"
            ]
        );
        assert_eq!(links[0].title.as_deref(), Some("Posts & notes"));
        assert_eq!(links[1].title, None);
        assert_eq!(links[2].title.as_deref(), Some("Comments"), "escapes are cleaned from titles");
    }

    #[test]
    fn common_paths_are_on_the_site_root() {
        let base = Url::parse("https://news.example/a/b?c").expect("url");
        assert_eq!(common_paths(&base)[0], "https://news.example/feed");
        assert_eq!(common_paths(&base).len(), COMMON_PATHS.len());
    }
}
