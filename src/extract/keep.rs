//! Which segments of the chosen container are the article: prose seeds a run, short lines next to
//! it join, and the run's edges are trimmed of bylines, share bars, "read more" lines, sign-up
//! pitches, wire credits and appendices after a closing rule. Inside the run, junk (link lists,
//! captions, ad labels) is dropped, with exceptions for what authors write as links: bare URLs,
//! items of a list that holds prose, linked sentences and linked subheadings over prose.

use super::dom::{Dom, NodeId};
use super::segment::{Kind, Segment};

/// Whether a segment reads as prose: long enough, or a sentence; few links.
fn is_good(seg: &Segment) -> bool {
    let plain = seg.chars.saturating_sub(seg.link_chars);
    !seg.boiler
        && seg.link_density() < 0.4
        && matches!(seg.kind, Kind::Text | Kind::ListItem | Kind::Code | Kind::Cell)
        && (plain >= 80 || (plain >= 30 && is_sentence(seg)))
}

/// A short segment that still reads as a sentence.
pub fn is_sentence(seg: &Segment) -> bool {
    let words = seg.text.split_whitespace().count();
    // Scripts written without spaces between words (Chinese, Japanese) count by characters.
    let wordy = words >= 4 || (seg.chars >= 12 && seg.text.chars().any(|c| c as u32 >= 0x3000));
    wordy && matches!(last_mark(&seg.text), Some('.' | '!' | '?' | '…' | ':' | '。')) && seg.link_density() < 0.5
}

/// The text's last character once closing quotes and brackets are set aside.
fn last_mark(text: &str) -> Option<char> {
    text.trim_end_matches(['"', '\'', '”', '’', ')', ' ']).chars().next_back()
}

fn is_junk(seg: &Segment) -> bool {
    if seg.boiler || seg.link_density() > 0.5 {
        return true;
    }
    // Markup that a page escaped into text ("&lt;img src=...&gt;").
    if seg.text.starts_with('<') && seg.text.ends_with('>') {
        return true;
    }
    // Every phrase and line below is shorter than this.
    if seg.chars >= 60 {
        return false;
    }
    let lower = seg.text.to_lowercase();
    BOILER_PHRASES.iter().any(|p| lower.starts_with(p))
        || BOILER_LINES.contains(&lower.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// A short paragraph at the article's edge that is not its story: a pitch to sign up, subscribe,
/// follow or send a tip; the wire credits ("Reporting by …; Editing by …", "… contributed
/// reporting"); an update stamp.
fn is_sign_off(seg: &Segment) -> bool {
    if seg.chars >= 300 {
        return false;
    }
    let lower = seg.text.to_lowercase();
    [
        "sign up for",
        "subscribe to our",
        "subscribe to the",
        "our newsletter",
        "newsletters",
        "in your inbox",
        "to your inbox",
        "have a tip",
        "got a tip",
    ]
    .iter()
    .any(|p| lower.contains(p))
        || names_social_networks(seg)
        || ["reporting by", "(reporting by", "additional reporting", "updated at", "updated on", "last updated"]
            .iter()
            .any(|p| lower.starts_with(p))
        || ["contributed reporting", "contributed to this report", "editing by"].iter().any(|p| lower.contains(p))
}

/// "Follow us on Instagram, Facebook and Twitter": a line that lists social networks.
fn names_social_networks(seg: &Segment) -> bool {
    let lower = seg.text.to_lowercase();
    ["facebook", "twitter", "instagram", "youtube", "tiktok", "linkedin"].iter().filter(|n| lower.contains(*n)).count()
        >= 2
}

/// Whole lines that label an ad slot or a widget, never the article's words.
const BOILER_LINES: &[&str] =
    &["ad", "advert", "ads", "sponsored", "sponsored content", "promoted", "anzeige", "publicité"];

const BOILER_PHRASES: &[&str] = &[
    "advertisement",
    "share this",
    "share on",
    "share:",
    "read more",
    "continue reading",
    "sign up",
    "subscribe",
    "follow us",
    "related:",
    "see also",
    "click here",
    "image:",
    "photo:",
    "image source",
    "getty images",
    "©",
    "copyright",
    "all rights reserved",
    "story continues below",
    "don't miss",
    "most read",
    "most popular",
    "more from",
    "related articles",
    "related stories",
    "recommended",
    "you may also like",
    "you might also like",
];

/// The kept segments (indices into `segments`), in order, from the container's `candidates`.
pub fn keep(dom: &Dom, segments: &[Segment], candidates: &[usize], hint: &dyn Fn(&Segment) -> f32) -> Vec<usize> {
    let mut good: Vec<bool> = candidates.iter().map(|&i| is_good(&segments[i])).collect();
    // A page with next to no prose (a calendar, a list of codes): the lines that repeat the feed's
    // summary are the article, and the stray sentence elsewhere (a notice to commenters) is not.
    // With prose, the hint has already done its work in the weights; a standfirst that repeats
    // the summary stays out.
    let prose: u32 = (0..candidates.len()).filter(|&k| good[k]).map(|k| segments[candidates[k]].chars).sum();
    if prose < 200 {
        let hinted: Vec<bool> = candidates.iter().map(|&i| !segments[i].boiler && hint(&segments[i]) > 0.0).collect();
        if hinted.contains(&true) {
            good = hinted;
        }
    }
    let Some(mut first) = good.iter().position(|&g| g) else {
        // No prose at all: keep whatever is not junk.
        return candidates.iter().copied().filter(|&i| !is_junk(&segments[i])).collect();
    };
    let mut last = good.iter().rposition(|&g| g).unwrap_or(first);
    // Edges: sentences next to the prose join it (junk in between is passed over); the first
    // other segment stops the run.
    // A line among the article's own paragraphs (same parent element) joins too: tour dates,
    // a closing one-liner.
    // A list item's place among the paragraphs is its list's.
    let unit = |seg: &Segment| match (seg.kind, seg.list) {
        (Kind::ListItem, Some((list, _))) => list,
        _ => seg.node,
    };
    let same_parent = |seg: &Segment, near: &Segment| dom.node(unit(seg)).parent == dom.node(unit(near)).parent;
    let edge = |seg: &Segment, near: &Segment| {
        if (is_bare_url(seg) || is_linked_sentence(seg) && seg.kind == near.kind) && same_parent(seg, near) {
            Some(true)
        } else if is_junk(seg) {
            Some(false)
        } else if matches!(seg.kind, Kind::Caption | Kind::Image) {
            None
        } else if is_sentence(seg)
            || (seg.link_density() < 0.3 && matches!(seg.kind, Kind::Text | Kind::ListItem) && same_parent(seg, near))
            || (seg.quote.is_some() && seg.quote == near.quote && seg.link_density() < 0.5)
        {
            Some(true)
        } else {
            None
        }
    };
    let mut k = first;
    while k > 0 {
        match edge(&segments[candidates[k - 1]], &segments[candidates[first]]) {
            Some(true) => first = k - 1,
            Some(false) => {}
            None => break,
        }
        k -= 1;
    }
    let mut k = last;
    while k + 1 < candidates.len() {
        match edge(&segments[candidates[k + 1]], &segments[candidates[last]]) {
            Some(true) => last = k + 1,
            Some(false) => {}
            None => break,
        }
        k += 1;
    }
    // The first and last paragraphs may be the site's pitch: "Sign up for our newsletter".
    while first < last && is_sign_off(&segments[candidates[first]]) {
        first += 1;
    }
    while last > first && is_sign_off(&segments[candidates[last]]) {
        last -= 1;
    }
    // A rule near the end of the article sets off an appendix: "About the company", a note on
    // the author. Cut there when what follows is a small part of the text.
    let total: u32 = (first..=last).map(|k| segments[candidates[k]].chars).sum();
    let mut tail = 0;
    for k in (first + 1..=last).rev() {
        let seg = &segments[candidates[k]];
        tail += seg.chars;
        if tail * 4 > total {
            break;
        }
        if seg.after_rule {
            last = k - 1;
            break;
        }
    }
    // Lists that hold prose: their link-heavy items are the same enumeration, not a menu.
    let mut prose_lists: Vec<NodeId> = (first..=last)
        .map(|k| &segments[candidates[k]])
        .filter(|seg| seg.kind == Kind::ListItem && !is_junk(seg))
        .filter_map(|seg| seg.list.map(|(l, _)| l))
        .collect();
    prose_lists.sort_unstable();
    prose_lists.dedup();
    let item_of_prose_list = |seg: &Segment| {
        seg.kind == Kind::ListItem
            && !seg.boiler
            && seg.link_density() < 0.8
            && seg.chars - seg.link_chars >= 20
            && seg.list.is_some_and(|(l, _)| prose_lists.binary_search(&l).is_ok())
    };
    (first..=last)
        .filter(|&k| {
            let seg = &segments[candidates[k]];
            let linked = |seg: &Segment| is_heading(seg) && seg.link_density() > 0.5;
            let heads_prose = || {
                let after = candidates.get(k + 1).map(|&next| &segments[next]);
                let before = k.checked_sub(1).map(|prev| &segments[candidates[prev]]);
                after.is_some_and(|next| !is_junk(next) && !matches!(next.kind, Kind::Heading(_)))
                    && !before.is_some_and(linked)
            };
            // "More:" over a list of links introduces the links, which are gone.
            let labels_links = || {
                seg.text.split_whitespace().count() <= 3
                    && seg.text.ends_with(':')
                    && candidates
                        .get(k + 1)
                        .is_some_and(|&next| is_junk(&segments[next]) && !is_bare_url(&segments[next]))
            };
            // A linked sentence between paragraphs of one block is the author's prose.
            // (Links between them, such as a box of related links, are passed over.)
            let linked_sentence_in_prose = || {
                let prose = |other: Option<&Segment>| {
                    other.is_some_and(|o| matches!(o.kind, Kind::Text | Kind::ListItem) && same_parent(o, seg))
                };
                // At the run's edge, it joined as a neighbour of prose already.
                is_linked_sentence(seg)
                    && (k == first || prose(nearest_not_junk(segments, candidates, (0..k).rev())))
                    && (k == last || prose(nearest_not_junk(segments, candidates, k + 1..candidates.len())))
            };
            !is_junk(seg) && !is_caption(seg) && !labels_links()
                || is_bare_url(seg)
                || item_of_prose_list(seg)
                || linked_sentence_in_prose()
                || is_heading(seg) && heads_prose()
        })
        .map(|k| candidates[k])
        .collect()
}

/// A sentence of the author's with links in it: "X has been eliminated from [the show]."
fn is_linked_sentence(seg: &Segment) -> bool {
    seg.kind == Kind::Text
        && !seg.boiler
        && seg.link_density() < 0.7
        && !names_social_networks(seg)
        && seg.text.split_whitespace().count() >= 6
        && matches!(last_mark(&seg.text), Some('.' | '!' | '?'))
}

/// The first of the next three candidates (in `order`) that is not junk.
fn nearest_not_junk<'a>(
    segments: &'a [Segment],
    candidates: &[usize],
    order: impl Iterator<Item = usize>,
) -> Option<&'a Segment> {
    order.take(3).map(|j| &segments[candidates[j]]).find(|o| !is_junk(o))
}

/// A heading of the article's own: kept even when it is a link, if prose follows it (a run of
/// linked headings is a list of other stories).
fn is_heading(seg: &Segment) -> bool {
    matches!(seg.kind, Kind::Heading(_)) && !seg.boiler && seg.chars >= 4
}

/// A paragraph that is one address, shown as itself ("http://example.com/x"): the author's
/// reference, not a menu (menus name their links).
fn is_bare_url(seg: &Segment) -> bool {
    let text = seg.text.as_str();
    seg.kind == Kind::Text
        && !seg.boiler
        && !text.contains(char::is_whitespace)
        && (text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www."))
}

fn is_caption(seg: &Segment) -> bool {
    matches!(seg.kind, Kind::Caption)
}
