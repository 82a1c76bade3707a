//! Marks what is never article text (the head, scripts and styles, forms' controls, embedded
//! media, SVG and MathML, elements hidden by an attribute or a style) and what is most likely
//! boilerplate by its own account: navigation, asides, headers and footers, ARIA roles, class or
//! id tokens such as `share`, `related` or `comments`, and teaser cards for other stories (found
//! by [`super::cards`]). Marks are per node and inherited. A boilerplate mark is not set on an
//! element that holds 60 % or more of the page's plain text (a `<div class="has-comments">` around
//! the whole page is still the page), nor for its markup on a box that is mostly an embedded
//! social post. What the marks hold is in [`super::marks`].

use html5ever::local_name;

use super::cards::teaser_cards;
use super::class_words::camel_spaced_lowercase;
use super::dom::{DOCUMENT, Dom, NONE, NodeData, NodeId};
use super::marks::{BOILER, HIDDEN, Marks, Stats, TEASER, plain};

/// The marks of every node: hidden subtrees, then text figures, then boilerplate.
pub fn mark(dom: &Dom) -> Marks {
    let n = dom.nodes.len();
    let mut flags = vec![0u8; n];
    let mut order = Vec::with_capacity(n);
    // Pass 1, top-down: hidden subtrees.
    for id in dom.descendants(DOCUMENT) {
        order.push(id);
        let parent = dom.node(id).parent;
        if parent != NONE && flags[parent as usize] & HIDDEN != 0 || is_hidden(dom, id) {
            flags[id as usize] |= HIDDEN;
        }
    }
    // Pass 2, bottom-up: text figures.
    let mut stats = vec![Stats::default(); n];
    for &id in order.iter().rev() {
        if flags[id as usize] & HIDDEN != 0 {
            continue;
        }
        if let NodeData::Text(t) = &dom.node(id).data {
            stats[id as usize].chars = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
        }
        if dom.is_tag(id, &local_name!("a")) {
            stats[id as usize].link_chars = stats[id as usize].chars;
        }
        let parent = dom.node(id).parent;
        if parent != NONE {
            let s = stats[id as usize];
            let p = &mut stats[parent as usize];
            p.chars += s.chars;
            p.link_chars += s.link_chars;
        }
    }
    let longest_paragraph = longest_paragraphs(dom, &order, &flags, &stats);
    let wraps_main = wraps_main(dom, &order);
    let cards = teaser_cards(dom, &order, &flags, &stats);
    let posts = embedded_post_chars(dom, &order, &flags, &stats);
    // Pass 3, top-down: boilerplate by markup.
    let page_plain = plain(stats[DOCUMENT as usize]);
    for &id in &order {
        let parent = dom.node(id).parent;
        if parent != NONE && flags[parent as usize] & BOILER != 0 {
            flags[id as usize] |= flags[parent as usize] & (BOILER | TEASER);
            continue;
        }
        // A box around a social post quoted in the article ("article-widget article-tweet") is
        // the post, whatever its class says.
        let holds_post = posts[id as usize] > 0 && posts[id as usize] as f32 >= 0.8 * stats[id as usize].chars as f32;
        // Most of the page is not boilerplate, whatever its markup says, unless it is a form to
        // fill in: its notices can outweigh a short article.
        let form = is_entry_form(dom, id);
        if flags[id as usize] & HIDDEN == 0
            && (form
                || cards[id as usize]
                || !holds_post && !wraps_main[id as usize] && is_boilerplate(dom, &longest_paragraph, id))
            && (form || (plain(stats[id as usize]) as f32) < 0.6 * page_plain as f32)
        {
            flags[id as usize] |= BOILER;
            if !form && !cards[id as usize] && only_teaser_words(dom, id) {
                flags[id as usize] |= TEASER;
            }
        }
    }
    let mut rank = vec![0u32; n];
    for (i, &id) in order.iter().enumerate() {
        rank[id as usize] = i as u32;
    }
    Marks { flags, stats, order, rank }
}

/// Plain characters of a paragraph that make it prose rather than a teaser's line.
const PROSE_PARAGRAPH: u32 = 200;

/// The plain characters of the longest `<p>` under each node.
fn longest_paragraphs(dom: &Dom, order: &[NodeId], flags: &[u8], stats: &[Stats]) -> Vec<u32> {
    let mut longest = vec![0u32; dom.nodes.len()];
    for &id in order.iter().rev() {
        if flags[id as usize] & HIDDEN != 0 {
            continue;
        }
        if dom.is_tag(id, &local_name!("p")) {
            longest[id as usize] = longest[id as usize].max(plain(stats[id as usize]));
        }
        let parent = dom.node(id).parent;
        if parent != NONE {
            longest[parent as usize] = longest[parent as usize].max(longest[id as usize]);
        }
    }
    longest
}

/// Characters of embedded social posts (Twitter's, Instagram's, TikTok's blockquotes) under each
/// node.
fn embedded_post_chars(dom: &Dom, order: &[NodeId], flags: &[u8], stats: &[Stats]) -> Vec<u32> {
    let mut posts = vec![0u32; dom.nodes.len()];
    for &id in order.iter().rev() {
        if flags[id as usize] & HIDDEN != 0 {
            continue;
        }
        if dom.is_tag(id, &local_name!("blockquote"))
            && dom.attr(id, "class").is_some_and(|c| {
                let c = c.to_ascii_lowercase();
                c.contains("twitter-tweet") || c.contains("instagram-media") || c.contains("tiktok-embed")
            })
        {
            posts[id as usize] = stats[id as usize].chars;
        }
        let parent = dom.node(id).parent;
        if parent != NONE {
            posts[parent as usize] += posts[id as usize];
        }
    }
    posts
}

fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else { return false };
    let Some(name) = e.html_name() else {
        // SVG and MathML.
        return true;
    };
    let hidden_tag = matches!(
        *name,
        local_name!("head")
            | local_name!("script")
            | local_name!("style")
            | local_name!("noscript")
            | local_name!("template")
            | local_name!("iframe")
            | local_name!("object")
            | local_name!("embed")
            | local_name!("canvas")
            | local_name!("video")
            | local_name!("audio")
            | local_name!("select")
            | local_name!("option")
            | local_name!("button")
            | local_name!("input")
            | local_name!("textarea")
            | local_name!("dialog")
            // Ruby annotations (furigana, pinyin) read the base text aloud; they are not text.
            | local_name!("rt")
            | local_name!("rp")
    );
    if hidden_tag {
        return true;
    }
    if e.attr("hidden").is_some() || e.attr("aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let style = style.to_ascii_lowercase();
        let squeezed: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        if squeezed.contains("display:none") || squeezed.contains("visibility:hidden") {
            return true;
        }
    }
    is_inactive_tab(dom, id)
}

/// A tab panel that is not shown: a panel (`role="tabpanel"`, or a `tab-pane` / `tab-panel`
/// class) that is not marked active while a panel beside it is. Pages keep every tab in the
/// markup and show one; the others are what a reader would have to click for.
fn is_inactive_tab(dom: &Dom, id: NodeId) -> bool {
    if !is_tab_panel(dom, id) || is_active_panel(dom, id) {
        return false;
    }
    let parent = dom.node(id).parent;
    parent != NONE && dom.children(parent).any(|sibling| is_tab_panel(dom, sibling) && is_active_panel(dom, sibling))
}

fn is_tab_panel(dom: &Dom, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else { return false };
    e.attr("role").is_some_and(|r| r.trim().eq_ignore_ascii_case("tabpanel"))
        || e.attr("class").is_some_and(|c| {
            c.split_ascii_whitespace().any(|w| {
                ["tab-pane", "tab-panel", "tabpanel", "tab_pane", "tab-content-item"]
                    .iter()
                    .any(|p| w.eq_ignore_ascii_case(p))
            })
        })
}

fn is_active_panel(dom: &Dom, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else { return false };
    e.attr("aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
        || e.attr("aria-expanded").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || e.attr("class").is_some_and(|c| {
            c.split_ascii_whitespace().any(|w| {
                ["active", "show", "current", "selected", "open", "is-active", "in"]
                    .iter()
                    .any(|p| w.eq_ignore_ascii_case(p))
            })
        })
}

fn is_boilerplate(dom: &Dom, longest_paragraph: &[u32], id: NodeId) -> bool {
    let Some(e) = dom.element(id) else { return false };
    let Some(name) = e.html_name() else { return false };
    match *name {
        local_name!("nav") | local_name!("aside") | local_name!("footer") | local_name!("menu") => return true,
        // The page's banner is boilerplate; an article's own header holds its heading and lead.
        local_name!("header") => return !in_article(dom, id),
        local_name!("html") | local_name!("body") | local_name!("main") | local_name!("article") => return false,
        _ => {}
    }
    if let Some(role) = e.attr("role") {
        let role = role.trim().to_ascii_lowercase();
        if matches!(
            role.as_str(),
            "navigation" | "complementary" | "contentinfo" | "banner" | "search" | "dialog" | "alertdialog" | "menu"
        ) {
            return true;
        }
    }
    if e.attr("itemprop").is_some_and(|v| v.contains("articleBody")) {
        return false;
    }
    let class = e.attr("class").unwrap_or("");
    // A heading's anchor id spells its own words ("nav_nur_die_folie__1" on "Nur die Folie
    // bleibt zurück"): a link target, not a role.
    let idv = e.attr("id").filter(|v| !is_heading_anchor(dom, id, v)).unwrap_or("");
    if !tokens_say_boilerplate(idv) && only_modifiers_say_boilerplate(class) {
        // A variant of a plain element ("section--ads": a section with ad slots in it, "rail--
        // trending"): boilerplate unless it holds a paragraph of prose (teasers are a line each).
        return longest_paragraph[id as usize] < PROSE_PARAGRAPH;
    }
    tokens_say_boilerplate(class) || tokens_say_boilerplate(idv)
}

/// Whether `value`, the id of element `id`, is a heading's anchor made from its text: the
/// heading's first two words stand one after the other among the id's words.
fn is_heading_anchor(dom: &Dom, id: NodeId, value: &str) -> bool {
    if !dom.tag(id).is_some_and(|t| matches!(&**t, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")) {
        return false;
    }
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let text = words(&dom.text(id));
    let anchor = words(value);
    text.len() >= 2 && anchor.windows(2).any(|pair| pair == &text[..2])
}

/// Whether an element that [`is_boilerplate`] is so only by the word "teaser" in its class or
/// id ("teaser-text", "article-teaser"): without that word its markup would say nothing.
fn only_teaser_words(dom: &Dom, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else { return false };
    if e.html_name().is_some_and(|n| {
        matches!(
            *n,
            local_name!("nav")
                | local_name!("aside")
                | local_name!("footer")
                | local_name!("menu")
                | local_name!("header")
        )
    }) || e.attr("role").is_some()
    {
        return false;
    }
    let strip = |v: &str| {
        let lower = camel_spaced_lowercase(v);
        let (teaser, rest): (Vec<&str>, Vec<&str>) =
            lower.split(|c: char| !c.is_ascii_alphanumeric()).partition(|t| matches!(*t, "teaser" | "teasers"));
        (!teaser.is_empty(), rest.join(" "))
    };
    let (class_teaser, class_rest) = strip(e.attr("class").unwrap_or(""));
    let (id_teaser, id_rest) = strip(e.attr("id").unwrap_or(""));
    (class_teaser || id_teaser) && !tokens_say_boilerplate(&class_rest) && !tokens_say_boilerplate(&id_rest)
}

/// Which elements hold the page's `<main>` (or a `role="main"`): a wrapper around it is the page,
/// whatever its class or id says ("left-navigation_page-wrapper"). Not `<article>`: a box of
/// related stories holds articles of its own.
fn wraps_main(dom: &Dom, order: &[NodeId]) -> Vec<bool> {
    let mut wraps = vec![false; dom.nodes.len()];
    for &id in order.iter().rev() {
        let parent = dom.node(id).parent;
        if parent == NONE {
            continue;
        }
        let main = dom.is_tag(id, &local_name!("main"))
            || dom.attr(id, "role").is_some_and(|r| r.trim().eq_ignore_ascii_case("main"));
        if main || wraps[id as usize] {
            wraps[parent as usize] = true;
        }
    }
    wraps
}

/// A form to fill in (a contact, comment, log-in or sign-up form, with the notices it carries):
/// one with a text area, an e-mail or password field, or two text fields, and no page heading,
/// main or article. A single text field is a quantity or a search box (a shop's product form
/// wraps the description); a form that wraps the whole page (ASP.NET's) holds the heading.
fn is_entry_form(dom: &Dom, id: NodeId) -> bool {
    if !dom.is_tag(id, &local_name!("form")) {
        return false;
    }
    let (mut writes, mut text_fields) = (false, 0);
    for d in dom.descendants(id) {
        match dom.tag(d).map(|t| &**t) {
            Some("h1" | "main" | "article") => return false,
            Some("textarea") => writes = true,
            Some("input") => {
                let kind = dom.attr(d, "type").unwrap_or("text").trim();
                if kind.eq_ignore_ascii_case("email") || kind.eq_ignore_ascii_case("password") {
                    writes = true;
                } else if kind.is_empty() || kind.eq_ignore_ascii_case("text") {
                    text_fields += 1;
                }
            }
            _ => {}
        }
    }
    writes || text_fields >= 2
}

/// Whether an element stands inside an `<article>` or the page's `<main>` (element or role).
fn in_article(dom: &Dom, id: NodeId) -> bool {
    let mut up = dom.node(id).parent;
    while up != NONE {
        if dom.is_tag(up, &local_name!("article"))
            || dom.is_tag(up, &local_name!("main"))
            || dom.attr(up, "role").is_some_and(|r| r.trim().eq_ignore_ascii_case("main"))
        {
            return true;
        }
        up = dom.node(up).parent;
    }
    false
}

/// Class and id words that name boilerplate: matched as whole tokens (split at anything that is
/// not a letter or digit), or as the start of a token for the longer stems. Each class name is
/// read on its own: one that is only a content word ("post", "entry-content") names the content,
/// and the boilerplate words of the others are then its modifiers ("entry share", "post
/// tag-travel"); a generated name ("tagStyle_z4kqwb") says nothing.
pub fn tokens_say_boilerplate(value: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    tokens_of_say_boilerplate(&camel_spaced_lowercase(value))
}

/// Whether the boilerplate words of a class or id value are only BEM modifiers
/// ("report__section--ads", "rail--trending"): the name before `--` says nothing by itself.
fn only_modifiers_say_boilerplate(value: &str) -> bool {
    let lower = camel_spaced_lowercase(value);
    let names: Vec<&str> =
        lower.split_ascii_whitespace().map(|n| n.find("--").filter(|&at| at > 0).map_or(n, |at| &n[..at])).collect();
    tokens_of_say_boilerplate(&lower) && !tokens_of_say_boilerplate(&names.join(" "))
}

fn tokens_of_say_boilerplate(lower: &str) -> bool {
    if lower.contains("visually-hidden") || lower.contains("screen-reader") || lower.contains("sr-only") {
        return true;
    }
    let mut positive = false;
    let mut only_positive = false;
    let mut negative = false;
    // A post embedded in the article ("social-media-embed") is quoted, not a share bar.
    let mut embed = false;
    let mut only_social = true;
    for name in lower.split_ascii_whitespace() {
        let tokens = || name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty());
        if tokens().any(is_generated) {
            continue;
        }
        let (mut pos, mut neg) = (false, false);
        for token in tokens() {
            embed |= matches!(token, "embed" | "embedded");
            pos |= matches!(
                token,
                "articlebody" | "article" | "story" | "content" | "entry" | "post" | "body" | "main" | "text" | "prose"
            );
            if is_boiler_token(token) {
                neg = true;
                only_social &= token.starts_with("social");
            }
        }
        positive |= pos;
        negative |= neg;
        only_positive |= pos && !neg;
    }
    if embed && only_social {
        return false;
    }
    // "article-share", "post-comments": the boilerplate word wins unless it is only a modifier of
    // the main content ("content has-sidebar", "entry share").
    negative && !only_positive && !(positive && lower.contains("has-"))
}

/// A token made by a tool rather than a person: letters and digits mixed, five or more long
/// ("z4kqwb", "1tcxgp3").
fn is_generated(token: &str) -> bool {
    token.len() >= 5 && token.bytes().any(|b| b.is_ascii_digit()) && token.bytes().any(|b| b.is_ascii_alphabetic())
}

fn is_boiler_token(t: &str) -> bool {
    const EXACT: &[&str] = &[
        "nav",
        "navbar",
        "menu",
        "menus",
        "footer",
        "sidebar",
        "ad",
        "ads",
        "advert",
        "advertisement",
        "adv",
        "banner",
        "breadcrumb",
        "breadcrumbs",
        "comment",
        "comments",
        "share",
        "sharing",
        "social",
        "related",
        "newsletter",
        "promo",
        "promos",
        "popup",
        "modal",
        "cookie",
        "cookies",
        "subscribe",
        "subscription",
        "signup",
        "widget",
        "widgets",
        "tags",
        "tag",
        "byline",
        "masthead",
        "toolbar",
        "outbrain",
        "taboola",
        "disqus",
        "recommended",
        "recommendations",
        "trending",
        "popular",
        "sponsored",
        "sponsor",
        "sronly",
        "overlay",
        "offcanvas",
        "dropdown",
        "pagination",
        "pager",
        "author",
        "teaser",
        "teasers",
        "skip",
        "login",
        "gdpr",
        "consent",
        "follow",
        "dfp",
        "gpt",
        "adsense",
        "caption",
        "credit",
        "credits",
        "timestamp",
        "dateline",
        "meta",
        "metadata",
        "tooltip",
        "noscript",
    ];
    const PREFIX: &[&str] = &[
        "navigation",
        "sharebar",
        "sharing",
        "socialmedia",
        "social",
        "relatedarticle",
        "relatedpost",
        "relatedstor",
        "relatedlink",
        "relatedcontent",
        "newsletter",
        "advert",
        "sidebar",
        "breadcrumb",
        "comment",
        "cookie",
        "subscri",
        "recommend",
        "sponsor",
        "promo",
        "outbrain",
        "taboola",
        "disqus",
        "footer",
        "mainmenu",
        "submenu",
        "megamenu",
        "globalnav",
        "sitenav",
        "subnav",
        "topnav",
        "navbar",
    ];
    EXACT.contains(&t) || PREFIX.iter().any(|p| t.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(tokens_say_boilerplate("social-share-bar"));
        assert!(tokens_say_boilerplate("post-comments"));
        assert!(tokens_say_boilerplate("relatedArticles"));
        assert!(!tokens_say_boilerplate("article-body"));
        assert!(!tokens_say_boilerplate("content has-sidebar"));
        assert!(!tokens_say_boilerplate("shadow headline"));
        assert!(!tokens_say_boilerplate("social-media-embed"));
        assert!(tokens_say_boilerplate("sharebar-video-embed-container social"));
        assert!(!tokens_say_boilerplate("post type-post tag-travel"));
        assert!(!tokens_say_boilerplate("entry themeform share"));
        assert!(!tokens_say_boilerplate("tagStyle_z4kqwb-o_O-style_1tcxgp3"));
        assert!(tokens_say_boilerplate("widget widget_text"));
    }

    /// The paragraphs marked as boilerplate (teaser cards among them).
    fn boiler_texts(html: &str) -> Vec<String> {
        let dom = Dom::parse(html);
        let marks = mark(&dom);
        dom.descendants(DOCUMENT)
            .filter(|&id| dom.is_tag(id, &local_name!("p")) && marks.flags[id as usize] & BOILER != 0)
            .map(|id| dom.text(id))
            .collect()
    }

    #[test]
    fn cards_from_one_template_are_teasers() {
        let card = |i: u32| {
            format!(
                "<div class=card><h3><a href=/s{i}>Headline number {i} here</a></h3><p>Blurb {i} of a teaser for another story on the site.</p></div>"
            )
        };
        let html = format!(
            "<main><p>{}</p><section>{}</section></main>",
            "Article text. ".repeat(40),
            (0..4).map(card).collect::<String>()
        );
        assert_eq!(boiler_texts(&html).len(), 4);
    }

    #[test]
    fn a_short_section_with_a_linked_heading_is_not_a_teaser() {
        let html = "<main><section><h2><a href=/t>Tickets and times</a></h2><p>Trains leave every evening at ten.</p></section>\
                    <div><h3><a href=/a>Another story entirely</a></h3></div><div><h3><a href=/b>And one more story</a></h3></div></main>";
        assert!(boiler_texts(html).is_empty());
    }

    #[test]
    fn a_boilerplate_modifier_marks_teaser_lines_but_not_prose() {
        let prose = "The grill heats the steak from above, and the thermometer says when it is done. ".repeat(4);
        let html = format!(
            "<main><section class='report__section report__section--ads'><p>{prose}</p></section>\
             <div class='rail rail--trending'><p>Another headline</p><p>And one more headline</p></div></main>"
        );
        assert_eq!(boiler_texts(&html), ["Another headline", "And one more headline"]);
        assert!(only_modifiers_say_boilerplate("TestReport__Section--Ads"));
        assert!(!only_modifiers_say_boilerplate("ads--wide"));
    }

    #[test]
    fn a_heading_anchor_id_made_of_its_words_is_not_a_role() {
        let html = "<main><h3 id='nav_nur_die_folie__1'>Nur die Folie bleibt zurück</h3><h3 id='nav-main'>Rubriken</h3></main>";
        let dom = Dom::parse(html);
        let marks = mark(&dom);
        let boiler: Vec<String> = dom
            .descendants(DOCUMENT)
            .filter(|&id| dom.is_tag(id, &local_name!("h3")) && marks.flags[id as usize] & BOILER != 0)
            .map(|id| dom.text(id))
            .collect();
        assert_eq!(boiler, ["Rubriken"]);
    }
}
