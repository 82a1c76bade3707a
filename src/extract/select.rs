//! Chooses the article among the segments. Each segment gets a weight: prose (a sentence, or 80
//! characters of plain text) counts for its plain text less its link text; list items, table
//! cells and short fragments count for less, and their links against; boilerplate-marked markup
//! counts against (a quarter of its length), and a segment that repeats the feed's summary
//! ([`super::hint`]) for more. The article's container is the element whose subtree has the highest total (a
//! maximum-sum subtree, found in one bottom-up pass), then its child for as long as one child holds
//! 80 % of the prose, or 60 % of it and 95 % of the paragraphs with next to no links; inside it,
//! [`keep`] decides segment by segment, the run it keeps seeded inside the container and widened
//! into the container's parent where neighbours join it.

use super::classify::is_sentence;
use super::dom::{Dom, NONE, NodeId};
use super::keep::keep;
use super::marks::Marks;
use super::peers::peers;
use super::segment::{Kind, Segment};

/// The share of a container's prose that one child must hold for the article to be that child.
const CORE_SHARE: f32 = 0.8;
/// How much of a boilerplate-marked segment's length counts against its container. Not all of
/// it: a gallery, a share bar or a box of links inside the article would outweigh its prose and
/// send the choice down to one paragraph; the marked parts are dropped inside the container
/// anyway. Enough of it that a page-wide container full of menus loses to the article.
const BOILER_WEIGHT: f32 = 0.25;

/// What the selection found: the container and the kept segments, in order.
pub struct Selection {
    pub container: NodeId,
    pub kept: Vec<usize>,
}

/// Per-segment weight towards its container.
pub fn weight(seg: &Segment, hint: &dyn Fn(&Segment) -> f32) -> f32 {
    if seg.kind == Kind::Image {
        return 0.0;
    }
    let chars = seg.chars as f32;
    if seg.boiler {
        return -BOILER_WEIGHT * chars;
    }
    let links = seg.link_chars as f32;
    let plain = chars - links;
    let base = match seg.kind {
        Kind::Cell => 0.5 * plain - 2.0 * links,
        // Lists hold articles' enumerations, but more often teasers: half weight.
        Kind::ListItem => 0.5 * (plain - links) - 5.0,
        _ if is_sentence(seg) || plain >= 80.0 => plain - links,
        _ => 0.5 * (plain - 2.0 * links) - 5.0,
    };
    base + hint(seg)
}

pub fn select(dom: &Dom, marks: &Marks, segments: &[Segment], hint: &dyn Fn(&Segment) -> f32) -> Selection {
    let n = dom.nodes.len();
    let mut sum = vec![0f32; n];
    // The positive part alone: how much prose a subtree holds.
    let mut prose = vec![0f32; n];
    // Of which paragraphs with (nearly) no links: teasers and link lists are not in it.
    let mut clean = vec![0f32; n];
    for seg in segments {
        let w = weight(seg, hint);
        sum[seg.node as usize] += w;
        prose[seg.node as usize] += w.max(0.0);
        if seg.kind == Kind::Text && seg.link_density() < 0.1 {
            clean[seg.node as usize] += w.max(0.0);
        }
    }
    let mut best = (f32::MIN, NONE);
    for &id in marks.order.iter().rev() {
        let s = sum[id as usize];
        if dom.element(id).is_some() && s > best.0 {
            best = (s, id);
        }
        let parent = dom.node(id).parent;
        if parent != NONE {
            sum[parent as usize] += s;
            prose[parent as usize] += prose[id as usize];
            clean[parent as usize] += clean[id as usize];
        }
    }
    let mut container = best.1;
    // Teasers beside the article (a description each) can tip the sum towards a page-wide
    // container: go down while one child holds nearly all of the prose, or most of it and all
    // of the plain paragraphs; never into a quote.
    'down: while container != NONE {
        for child in dom.children(container) {
            let (c, p) = (child as usize, container as usize);
            let dominant =
                prose[c] >= CORE_SHARE * prose[p] || (prose[c] >= 0.6 * prose[p] && clean[c] >= 0.95 * clean[p]);
            // A quote is framed by the author's words around it: the article holds it.
            let quote = dom.is_tag(child, &html5ever::local_name!("blockquote"));
            // An item of a list (an agenda, steps) is part of the list, and the list of the text
            // around it.
            let item = dom.is_tag(container, &html5ever::local_name!("ol"))
                || dom.is_tag(container, &html5ever::local_name!("ul"))
                || dom.is_tag(container, &html5ever::local_name!("li"));
            if dominant && prose[c] > 0.0 && !quote && !item {
                container = child;
                continue 'down;
            }
        }
        break;
    }
    if container == NONE {
        return Selection { container, kept: Vec::new() };
    }
    let inside = marks.subtree(dom, container);
    let around = marks.subtree(dom, outer_of(dom, container));
    let candidates: Vec<usize> = (0..segments.len()).filter(|&i| marks.inside(segments[i].node, &around)).collect();
    let core: Vec<bool> = candidates.iter().map(|&i| marks.inside(segments[i].node, &inside)).collect();
    let mut kept = keep(dom, segments, &candidates, &core, hint);
    // The other posts of a thread (the question beside its answers) join the article.
    let peers = peers(dom, marks, container, &sum, &prose);
    for &peer in &peers {
        let post = marks.subtree(dom, peer);
        let candidates: Vec<usize> = (0..segments.len()).filter(|&i| marks.inside(segments[i].node, &post)).collect();
        kept.extend(keep(dom, segments, &candidates, &vec![true; candidates.len()], hint));
    }
    if !peers.is_empty() {
        kept.sort_unstable();
        kept.dedup();
    }
    Selection { container, kept }
}

/// The element the article's run may widen into: the container's parent (unless that is the
/// page's body). A lead above the box that holds most of the prose, or a last paragraph below it,
/// often stands outside that box (a paywall wrapper, an intro div); the run is seeded only inside
/// the container, and only segments that join it at its edges are taken from around it.
fn outer_of(dom: &Dom, container: NodeId) -> NodeId {
    let parent = dom.node(container).parent;
    if parent == NONE || dom.tag(parent).is_some_and(|t| matches!(&**t, "body" | "html")) { container } else { parent }
}
