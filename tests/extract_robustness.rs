//! Arbitrary and hostile HTML: no panic, and the work stays bounded (deep nesting and huge flat
//! pages complete; the parser's depth cap keeps its stack small). No wall-clock timing: the sizes
//! are chosen so that anything quadratic would not finish in the suite's time.

use tidings::extract::{clean_feed_html, extract};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TAGS: &[&str] = &[
    "div",
    "p",
    "span",
    "a",
    "table",
    "tr",
    "td",
    "th",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "pre",
    "code",
    "blockquote",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "form",
    "select",
    "option",
    "b",
    "i",
    "nav",
    "footer",
    "article",
    "main",
    "aside",
    "figure",
    "figcaption",
    "img",
    "br",
    "iframe",
    "textarea",
    "title",
    "frameset",
];
const ATTRS: &[&str] = &[
    "class=\"share\"",
    "class=\"article-body\"",
    "hidden",
    "aria-hidden=\"true\"",
    "style=\"display:none\"",
    "role=\"navigation\"",
    "href=\"https://x.example/\"",
    "alt=\"a picture\"",
    "type=\"application/ld+json\"",
    "id=\"comments\"",
    "itemprop=\"articleBody\"",
];
const TEXT: &[&str] = &[
    "Lorem ipsum dolor sit amet.",
    "&amp;",
    "&#x1b;[31m",
    "\u{202e}evil",
    "<",
    ">",
    "\"",
    "{\"@type\":\"NewsArticle\"",
    "日本語の文章です。",
    "  \n\t ",
    "Share this",
    "The post x appeared first on y.",
];

fn random_html(rng: &mut Rng, len: usize) -> String {
    let mut out = String::new();
    for _ in 0..len {
        match rng.below(6) {
            0 | 1 => {
                out.push('<');
                out.push_str(TAGS[rng.below(TAGS.len())]);
                for _ in 0..rng.below(3) {
                    out.push(' ');
                    out.push_str(ATTRS[rng.below(ATTRS.len())]);
                }
                out.push('>');
            }
            2 => {
                out.push_str("</");
                out.push_str(TAGS[rng.below(TAGS.len())]);
                out.push('>');
            }
            3 => out.push_str(["<!--", "-->", "<!DOCTYPE html>", "<![CDATA[", "</", "<a href='"][rng.below(6)]),
            _ => out.push_str(TEXT[rng.below(TEXT.len())]),
        }
    }
    out
}

#[test]
fn random_tag_soup_never_panics() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..400 {
        let html = random_html(&mut rng, 1 + round * 3);
        let article = extract(&html, None, None);
        let text = article.plain_text();
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "control characters leaked: {text:?}");
        let _ = article.to_html();
        let _ = clean_feed_html(&html);
    }
}

#[test]
fn deep_nesting_completes() {
    for tag in ["div", "span", "table", "ul", "blockquote", "a", "b"] {
        let html = format!("<{tag}>").repeat(100_000)
            + "deep text that is long enough to be an article."
            + &format!("</{tag}>").repeat(100_000);
        let _ = extract(&html, None, None);
    }
    // Misnested formatting elements, the adoption agency's worst case, nested deep.
    let html = "<b><i><a href=x><p>text".repeat(20_000);
    let _ = extract(&html, None, None);
}

#[test]
fn huge_flat_pages_complete() {
    let para = "<p>A sentence of an ordinary paragraph, long enough to count as prose for the extractor.</p>";
    let html = para.repeat(100_000);
    let article = extract(&html, None, None);
    assert_eq!(article.blocks.len(), 100_000);
    let cells = "<tr><td>1</td><td>2</td>".repeat(100_000);
    let _ = extract(&format!("<table>{cells}"), None, None);
    let links = "<a href=/x>link</a> ".repeat(200_000);
    let _ = extract(&links, None, None);
}

#[test]
fn broken_tables_complete() {
    let html = "<table><tr><td><table><td><tr><th>x</table>".repeat(5_000) + "<td>after</td>";
    let _ = extract(&html, None, None);
    let html = "<table>text<form><tr>more<select><option>o</table>".repeat(5_000);
    let _ = extract(&html, None, None);
}

#[test]
fn repeated_cards_scripts_posts_and_rules_complete() {
    // Teaser cards from one template: every card is found, and the grouping is not quadratic.
    let card =
        "<div class=card><h3><a href=/x>A headline for a teaser card</a></h3><p>The blurb of the card.</p></div>";
    let _ = extract(&format!("<main>{}</main>", card.repeat(20_000)), None, None);
    // Script, style and comment bodies are skipped by the pre-parse scan, terminated or not.
    let raw = "<script>var a = '</div>' < 1;</script><!-- c --><style>p { }</style><p>Some text here.</p>";
    let _ = extract(&raw.repeat(50_000), None, None);
    let _ = extract(&"<script>".repeat(100_000), None, None);
    let _ = extract(&"<!--".repeat(100_000), None, None);
    // Quoted social posts in widget boxes, and a rule after every paragraph.
    let post = "<div class=widget><blockquote class=twitter-tweet><p>A post.</p></blockquote></div>";
    let _ = extract(&post.repeat(20_000), None, None);
    let ruled = "<p>A sentence of an ordinary paragraph, long enough to count as prose.</p><hr>";
    let article = extract(&ruled.repeat(50_000), None, None);
    assert!(article.blocks.len() >= 37_500, "{} blocks", article.blocks.len());
}
