//! Cleans the HTML that feeds carry before the reader shows it: tracking pixels, share links,
//! "The post … appeared first on …", "Continue reading" links, scripts, forms and embeds (an
//! embedded frame becomes a link to what it showed). Parses with the extractor's DOM (so hostile
//! nesting is bounded) and writes the rest back as HTML, keeping only harmless attributes.

use html5ever::{LocalName, local_name};

use super::dom::{DOCUMENT, Dom, NodeData, NodeId};

/// Attributes worth keeping for rendering; everything else (styles, handlers, tracking data) goes.
const KEPT_ATTRIBUTES: [&str; 8] = ["href", "src", "alt", "title", "colspan", "rowspan", "start", "lang"];

/// Link targets that share the page elsewhere rather than say anything.
const SHARE_TARGETS: [&str; 14] = [
    "facebook.com/sharer",
    "facebook.com/share.php",
    "twitter.com/intent",
    "twitter.com/share",
    "x.com/intent",
    "linkedin.com/sharearticle",
    "linkedin.com/shareArticle",
    "reddit.com/submit",
    "pinterest.com/pin/create",
    "api.whatsapp.com/send",
    "whatsapp://send",
    "t.me/share",
    "feeds.feedburner.com/~ff",
    "mailto:?",
];

/// Image addresses of counters and pixels.
const TRACKER_MARKS: [&str; 7] =
    ["/~r/", "pixel", "stats.wordpress.com", "beacon", "doubleclick", "/b.gif", "/tracking"];

enum Verdict {
    Keep,
    Drop,
    /// Written instead of the element.
    Replace(String),
}

/// The feed's HTML without the clutter listed in the module documentation.
pub fn clean_feed_html(html: &str) -> String {
    let dom = Dom::parse(html);
    let Some(body) = dom.find(DOCUMENT, &local_name!("body")) else { return String::new() };
    let mut out = String::with_capacity(html.len());
    enum Step {
        Open(NodeId),
        Close(LocalName),
    }
    let mut steps: Vec<Step> = dom.children(body).collect::<Vec<_>>().into_iter().rev().map(Step::Open).collect();
    while let Some(step) = steps.pop() {
        let id = match step {
            Step::Close(name) => {
                out.push_str(&format!("</{}>", &*name));
                continue;
            }
            Step::Open(id) => id,
        };
        match &dom.node(id).data {
            // The parser has decoded the entities: an escape sequence written as `&#27;[31m` is
            // whole again here, and goes whole (html2text would drop only its ESC).
            NodeData::Text(text) => escape_into(&mut out, &crate::sanitize::clean_text(text), false),
            NodeData::Element(element) => {
                match verdict(&dom, id) {
                    Verdict::Drop => continue,
                    Verdict::Replace(html) => {
                        out.push_str(&html);
                        continue;
                    }
                    Verdict::Keep => {}
                }
                let name = element.name.local.clone();
                out.push('<');
                out.push_str(&name);
                for attr in element.attrs.iter().filter(|a| KEPT_ATTRIBUTES.contains(&&*a.name.local)) {
                    out.push_str(&format!(" {}=\"", &*attr.name.local));
                    escape_into(&mut out, &attr.value, true);
                    out.push('"');
                }
                out.push('>');
                if !is_void(&name) {
                    steps.push(Step::Close(name));
                    let children: Vec<NodeId> = dom.children(id).collect();
                    steps.extend(children.into_iter().rev().map(Step::Open));
                }
            }
            NodeData::Document | NodeData::Other => {}
        }
    }
    out
}

/// Class or id words of share bars, follow buttons and "related posts" boxes that blog engines add
/// to feed items.
const CLUTTER_CLASSES: [&str; 6] =
    ["share", "social", "sharedaddy", "feedflare", "jp-relatedposts", "wp-block-buttons"];

fn verdict(dom: &Dom, id: NodeId) -> Verdict {
    let Some(tag) = dom.tag(id) else { return Verdict::Keep };
    let marked = |name| {
        dom.attr(id, name).is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.split(|c: char| c.is_whitespace() || c == '-' || c == '_').any(|w| CLUTTER_CLASSES.contains(&w))
                || CLUTTER_CLASSES.iter().any(|c| c.contains('-') && v.contains(c))
        })
    };
    if marked("class") || marked("id") {
        return Verdict::Drop;
    }
    match tag {
        &local_name!("script")
        | &local_name!("style")
        | &local_name!("noscript")
        | &local_name!("form")
        | &local_name!("button")
        | &local_name!("input")
        | &local_name!("select")
        | &local_name!("textarea")
        | &local_name!("object")
        | &local_name!("embed") => Verdict::Drop,
        &local_name!("iframe") => match dom.attr(id, "src").filter(|s| s.starts_with("http")) {
            Some(src) => {
                let mut html = String::from("<p><a href=\"");
                escape_into(&mut html, src, true);
                html.push_str("\">Embedded content</a></p>");
                Verdict::Replace(html)
            }
            None => Verdict::Drop,
        },
        &local_name!("img") => {
            let tiny = |a| dom.attr(id, a).is_some_and(|v| matches!(v.trim().trim_end_matches("px"), "0" | "1"));
            let src = dom.attr(id, "src").unwrap_or("").to_ascii_lowercase();
            if (tiny("width") && tiny("height")) || TRACKER_MARKS.iter().any(|m| src.contains(m)) {
                Verdict::Drop
            } else {
                Verdict::Keep
            }
        }
        &local_name!("a") => {
            let href = dom.attr(id, "href").unwrap_or("");
            let lower = href.to_ascii_lowercase();
            if SHARE_TARGETS.iter().any(|t| lower.contains(&t.to_ascii_lowercase())) || is_read_more(&dom.text(id)) {
                Verdict::Drop
            } else {
                Verdict::Keep
            }
        }
        &local_name!("p") | &local_name!("div") => {
            let text = dom.text(id);
            if is_appeared_first(&text) || is_read_more(&text) { Verdict::Drop } else { Verdict::Keep }
        }
        _ => Verdict::Keep,
    }
}

/// "Continue reading…", "Read more »", "Read the full story": a link to the rest, not content.
fn is_read_more(text: &str) -> bool {
    let text = text.trim().trim_end_matches(['…', '.', '»', '→', '›', '>', ' ']).trim_start_matches(['[', '(']);
    let text = text.trim_end_matches([']', ')']).trim().to_lowercase();
    let text = text.trim_end_matches(['…', '.', ' ']);
    matches!(text, "continue reading" | "read more" | "keep reading" | "read the full story" | "read the full article")
        || (text.starts_with("continue reading ") && text.len() < 120)
}

/// WordPress's "The post X appeared first on Y." (and its "first appeared on" variant).
fn is_appeared_first(text: &str) -> bool {
    let text = text.trim();
    let embed_tail = text.starts_with("pic.twitter.com") || text.eq_ignore_ascii_case("view this post on instagram");
    embed_tail
        || (text.starts_with("The post ")
            && (text.contains(" appeared first on ") || text.contains(" first appeared on "))
            && text.len() < 400)
}

fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("br")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("wbr")
            | local_name!("col")
            | local_name!("area")
            | local_name!("source")
            | local_name!("track")
            | local_name!("meta")
            | local_name!("link")
            | local_name!("base")
    )
}

fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_content_and_its_structure() {
        let html = "<p>The <b>council</b> met <a href=\"https://x.example/a?b=1&amp;c=2\" style=\"color:red\">here</a>.</p>\
                    <ul><li>One</li><li>Two</li></ul><img src=\"https://x.example/photo.jpg\" alt=\"The pier\">";
        assert_eq!(
            clean_feed_html(html),
            "<p>The <b>council</b> met <a href=\"https://x.example/a?b=1&amp;c=2\">here</a>.</p>\
             <ul><li>One</li><li>Two</li></ul><img src=\"https://x.example/photo.jpg\" alt=\"The pier\">"
        );
    }

    #[test]
    fn drops_pixels_share_links_and_read_more() {
        let html = "<p>Storm warning lifted.</p>\
                    <img src=\"https://feeds.feedburner.com/~r/gazette/~4/abc\" height=\"1\" width=\"1\" alt=\"\">\
                    <img src=\"https://cdn.example/p.gif\" width=\"1\" height=\"1\">\
                    <p><a href=\"https://www.facebook.com/sharer/sharer.php?u=x\">Share</a> \
                    <a href=\"https://twitter.com/intent/tweet?url=x\">Tweet</a></p>\
                    <p><a href=\"https://gazette.example/storm\">Continue reading…</a></p>\
                    <p>The post <a href=\"https://gazette.example/storm\">Storm warning lifted</a> appeared first on \
                    <a href=\"https://gazette.example\">The Gazette</a>.</p>\
                    <script>track()</script><form><input name=q></form>";
        let cleaned = clean_feed_html(html);
        assert_eq!(cleaned, "<p>Storm warning lifted.</p><p> </p>");
    }

    #[test]
    fn share_boxes_and_embed_tails_go_with_their_links() {
        let html = "<p>The council approved the budget.</p>\
                    <div class=\"share-links\"><a href=\"https://facebook.com/x\">Facebook</a></div>\
                    <div id=\"jp-relatedposts\"><h3>Related</h3><p><a href=\"/b\">Budget row</a></p></div>\
                    <blockquote class=\"twitter-tweet\"><p>Budget passed!</p><p>pic.twitter.com/abc</p></blockquote>";
        assert_eq!(
            clean_feed_html(html),
            "<p>The council approved the budget.</p><blockquote><p>Budget passed!</p></blockquote>"
        );
    }

    #[test]
    fn embedded_frames_become_links_and_text_is_escaped() {
        let html = "<p>Watch:</p><iframe src=\"https://video.example/embed/1\"></iframe><p>a &lt;b&gt; &amp; c</p>";
        assert_eq!(
            clean_feed_html(html),
            "<p>Watch:</p><p><a href=\"https://video.example/embed/1\">Embedded content</a></p><p>a &lt;b&gt; &amp; c</p>"
        );
        assert!(is_read_more("[Read more]") && is_read_more("Read More »") && !is_read_more("Read more books"));
    }

    #[test]
    fn hostile_nesting_is_bounded() {
        let html = "<div>".repeat(50_000) + "deep" + &"</div>".repeat(50_000);
        assert!(clean_feed_html(&html).contains("deep"));
    }

    #[test]
    fn escape_sequences_written_as_entities_go_whole() {
        let cleaned = clean_feed_html("<p>a&#27;[31mred&#27;[0m &#27;]0;pwned&#7;b</p>");
        assert_eq!(cleaned, "<p>ared b</p>");
        // HTML reads a C1 reference as the windows-1252 character, never as the control.
        assert_eq!(clean_feed_html("<p>&#x9b;2J</p>"), "<p>\u{203a}2J</p>");
    }
}
