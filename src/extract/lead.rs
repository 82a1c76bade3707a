//! The lead: the paragraph (or two) between the article's main heading and its body, which pages
//! set in a header or an intro box of their own, outside the element [`super::select`] chose.
//! Going back from the first kept segment over what is not the article's words (the byline, the
//! date, share buttons, a picture and its caption), the paragraphs of plain prose met are the
//! lead when the main heading (an `<h1>`, or a heading that repeats the page's title) comes
//! before them within a few segments (pictures, a gallery between, not counted), and they share
//! with the body, or with that heading (a page-wide hero box), an element below `<body>`. A paragraph that repeats the feed's summary
//! ([`super::hint`]) is the summary, shown already, and stays out. Boilerplate stays out too, but
//! for a paragraph marked only by the word "teaser": under the main heading, that is the
//! article's own teaser. A subheading right before the body's first paragraph, in its block,
//! opens the body and joins it. A deck set as a subheading (`<h2>` under the `<h1>`) stays out: the
//! article benchmark's truth leaves it out where the web benchmark's keeps it.

use super::classify::{is_junk_text, is_sign_off};
use super::dom::{Dom, NONE, NodeId};
use super::marks::{Marks, TEASER};
use super::segment::{Kind, Segment};

/// How many segments back from the body the main heading may stand (pictures not counted).
const REACH: usize = 12;

/// `kept` with the lead paragraphs put in front, when there are any.
pub fn with_lead(
    dom: &Dom,
    marks: &Marks,
    segments: &[Segment],
    kept: Vec<usize>,
    title: Option<&str>,
    hint: &dyn Fn(&Segment) -> f32,
) -> Vec<usize> {
    let Some(&first) = kept.first() else { return kept };
    let title = title.map(squash).filter(|t| t.chars().count() >= 10);
    let body = segments[first].node;
    let (kept, first) = match opening_heading(dom, segments, first, title.as_deref()) {
        Some(j) => ([j].into_iter().chain(kept).collect(), j),
        None => (kept, first),
    };
    // The lead's segments, and whether each shares an element with the body.
    let mut lead: Vec<(usize, bool)> = Vec::new();
    let mut steps = 0;
    for j in (0..first).rev() {
        let seg = &segments[j];
        // Pictures (a gallery, share icons) take no step: they are not words between the two.
        if seg.kind != Kind::Image {
            steps += 1;
            if steps > REACH {
                break;
            }
        }
        if let Kind::Heading(level) = seg.kind {
            // A boilerplate heading (a widget's, a hidden portlet's) is not the article's; one
            // marked only by the word "teaser" is (the article's own teaser box).
            if seg.boiler && marks.flags[seg.node as usize] & TEASER == 0 {
                continue;
            }
            if level == 1 || title.as_deref().is_some_and(|t| repeats(t, &squash(&seg.text))) {
                // A lead set in the heading's own box (a page-wide hero with the headline and
                // its standfirst) belongs to the article as much as one beside the body.
                lead.retain(|&(k, beside_body)| beside_body || shares_article(dom, segments[k].node, seg.node));
                let mut lead: Vec<usize> = lead.into_iter().map(|(k, _)| k).collect();
                if lead.is_empty() {
                    return kept;
                }
                lead.reverse();
                lead.extend(kept);
                return lead;
            }
            continue;
        }
        // A teaser under the main heading is this article's own ("article-teaser").
        let teaser = marks.flags[seg.node as usize] & TEASER != 0;
        if seg.boiler && !teaser
            || hint(seg) > 0.0
            || is_junk_text(seg)
            || is_sign_off(seg)
            || seg.kind != Kind::Text
            || by_picture(dom, segments, j)
        {
            continue;
        }
        let plain = seg.chars.saturating_sub(seg.link_chars);
        // The same words twice (a lead for small screens and one for large) are kept once.
        let again = |k: &usize| segments[*k].text == seg.text;
        if plain >= 50
            && seg.link_density() < 0.2
            && !lead.iter().any(|(k, _)| again(k))
            && !kept.iter().take(3).any(again)
        {
            lead.push((j, shares_article(dom, seg.node, body)));
        }
    }
    kept
}

/// The subheading that opens the body, right before its first paragraph in the same block
/// ("Leitsätze des Gerichts:", a post's first section title): not the main heading (an `<h1>`, or
/// one that repeats the title), which the page shows as the title.
fn opening_heading(dom: &Dom, segments: &[Segment], first: usize, title: Option<&str>) -> Option<usize> {
    let j = (0..first).rev().find(|&j| segments[j].kind != Kind::Image)?;
    let seg = &segments[j];
    let Kind::Heading(level) = seg.kind else { return None };
    let parent = |id: NodeId| dom.node(id).parent;
    (level >= 2
        && !seg.boiler
        && !is_junk_text(seg)
        && seg.chars >= 4
        && !title.is_some_and(|t| repeats(t, &squash(&seg.text)))
        && parent(seg.node) == parent(segments[first].node))
    .then_some(j)
}

/// Whether the `j`th segment is a picture's caption: in a `<figure>`, or next to an image.
fn by_picture(dom: &Dom, segments: &[Segment], j: usize) -> bool {
    let image = |k: Option<usize>| k.and_then(|k| segments.get(k)).is_some_and(|s| s.kind == Kind::Image);
    if image(j.checked_sub(1)) {
        return true;
    }
    let mut up = segments[j].node;
    for _ in 0..4 {
        if up == NONE {
            break;
        }
        if dom.is_tag(up, &html5ever::local_name!("figure")) {
            return true;
        }
        up = dom.node(up).parent;
    }
    false
}

/// Whether a heading's squashed text repeats the squashed title (one holds the other).
fn repeats(title: &str, heading: &str) -> bool {
    heading.chars().count() >= 10 && (title.contains(heading) || heading.contains(title))
}

/// Whether two nodes meet below `<body>`: their lowest common ancestor is no page-wide element.
fn shares_article(dom: &Dom, a: NodeId, b: NodeId) -> bool {
    let mut ancestors = Vec::new();
    let mut up = b;
    while up != NONE {
        ancestors.push(up);
        up = dom.node(up).parent;
    }
    let mut up = a;
    while up != NONE {
        if ancestors.contains(&up) {
            return dom.tag(up).is_some_and(|t| !matches!(&**t, "body" | "html"));
        }
        up = dom.node(up).parent;
    }
    false
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}
