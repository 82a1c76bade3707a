//! Cleans the HTML that feeds carry in their items: tracking pixels, share links, social embeds,
//! "The post ... appeared first on ..." and "Continue reading" lines go; the rest becomes the
//! same clean HTML as an extracted article (see [`super::Article::to_html`]).

use super::blocks;
use super::dom::Dom;
use super::prune;
use super::segment::{self, Kind, Segment};

/// The cleaned HTML of a feed item's content or summary.
pub fn clean_feed_html(html: &str) -> String {
    let dom = Dom::parse(html);
    let marks = prune::mark(&dom);
    let segments = segment::linearise(&dom, &marks);
    let kept: Vec<usize> = (0..segments.len()).filter(|&i| keep(&segments[i])).collect();
    let blocks = blocks::build(&segments, &kept, None);
    blocks::to_html(&blocks)
}

fn keep(seg: &Segment) -> bool {
    if seg.boiler || seg.kind == Kind::Image && is_pixel_alt(&seg.text) {
        return false;
    }
    let lower = seg.text.to_lowercase();
    let trimmed = lower.trim_end_matches(['.', '…', '»', '→', ' ', '>']);
    if lower.starts_with("the post ") && lower.contains(" appeared first on ") {
        return false;
    }
    const DROP: &[&str] = &[
        "continue reading",
        "read more",
        "read the full story",
        "read full article",
        "share this",
        "share on facebook",
        "share on twitter",
        "tweet",
        "pin it",
        "email",
        "comments",
    ];
    if DROP.iter().any(|d| trimmed == *d || trimmed.starts_with(&format!("{d} ")) && seg.chars < 60) {
        return false;
    }
    // A paragraph of nothing but links to share or follow.
    if seg.link_density() > 0.9 && seg.chars < 80 && SOCIAL.iter().any(|s| lower.contains(s)) {
        return false;
    }
    // Social embeds (a tweet's text is kept when it is in a blockquote; its "pic.twitter.com"
    // line and date link are not).
    !(lower.starts_with("pic.twitter.com") || lower.contains("view this post on instagram"))
}

const SOCIAL: &[&str] = &["facebook", "twitter", "linkedin", "pinterest", "whatsapp", "reddit", "email", "share"];

fn is_pixel_alt(alt: &str) -> bool {
    alt.is_empty() || alt.len() <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_feed_boilerplate() {
        let html = r#"<p>The council approved the budget on Tuesday after a long debate.</p>
            <img src="https://pixel.example/t.gif" width="1" height="1" alt="">
            <div class="share-links"><a href="https://facebook.com/x">Facebook</a> <a href="https://twitter.com/x">Twitter</a></div>
            <p><a href="https://example.com/a">Continue reading…</a></p>
            <p>The post <a href="https://example.com/a">Budget passes</a> appeared first on <a href="https://example.com">Example News</a>.</p>"#;
        assert_eq!(clean_feed_html(html), "<p>The council approved the budget on Tuesday after a long debate.</p>\n");
    }

    #[test]
    fn keeps_structure() {
        let html = "<h2>Key points</h2><ul><li>One</li><li>Two</li></ul><blockquote>Said.</blockquote>";
        assert_eq!(
            clean_feed_html(html),
            "<h2>Key points</h2>\n<ul><li>One</li><li>Two</li></ul>\n<blockquote><p>Said.</p></blockquote>\n"
        );
    }
}
