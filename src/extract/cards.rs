//! Teaser cards: the boxes that sell other stories (a linked headline, a blurb, a date), found by
//! their shape rather than by class names such as `teaser`, and marked as boilerplate by
//! [`super::prune`].

use html5ever::local_name;

use super::class_words::camel_spaced_lowercase;
use super::dom::{Dom, NONE, NodeId};
use super::marks::{HIDDEN, Stats, plain};

/// A teaser card holds at most this many characters: a headline, a blurb, a date.
const CARD_CHARS: u32 = 700;
/// Headline links that one container must hold for its cards to count as a list of teasers.
const CARDS_IN_LIST: u32 = 3;

/// Teasers for other stories: small boxes, each a linked headline (`<h1>`–`<h6>`, or an element
/// whose class says title or headline, that is mostly a link or sits in one) with a blurb of plain
/// text beside it, repeated in one container. Their blurbs read like prose, so without this mark
/// a column of them outweighs a short article. A box is the largest element around its headline
/// that holds no other headline and at most [`CARD_CHARS`]; a lone linked headline among an
/// article's paragraphs is no card (its box has no blurb of its own), and a box counts only beside
/// another of the same tag and class.
pub fn teaser_cards(dom: &Dom, order: &[NodeId], flags: &[u8], stats: &[Stats]) -> Vec<bool> {
    let n = dom.nodes.len();
    let mut headlines = vec![0u32; n];
    let mut linked = Vec::new();
    for &id in order.iter().rev() {
        if flags[id as usize] & HIDDEN != 0 {
            continue;
        }
        let s = stats[id as usize];
        let heading = dom.tag(id).is_some_and(|t| {
            matches!(
                *t,
                local_name!("h1")
                    | local_name!("h2")
                    | local_name!("h3")
                    | local_name!("h4")
                    | local_name!("h5")
                    | local_name!("h6")
            )
        }) || dom.attr(id, "class").is_some_and(names_a_headline);
        // The link may hold the headline (`<a href><h3>…</h3></a>`) or sit inside it.
        let in_link = || {
            let mut up = dom.node(id).parent;
            (0..2).any(|_| {
                let is_link = up != NONE && dom.is_tag(up, &local_name!("a"));
                up = if up == NONE { NONE } else { dom.node(up).parent };
                is_link
            })
        };
        let linked_text = s.link_chars as f32 >= 0.7 * s.chars as f32 || in_link();
        // An element inside a counted headline ("title" around an `<h3>`) is the same headline.
        if heading && s.chars >= 10 && headlines[id as usize] == 0 && linked_text {
            headlines[id as usize] += 1;
            linked.push(id);
        }
        let parent = dom.node(id).parent;
        if parent != NONE {
            headlines[parent as usize] += headlines[id as usize];
        }
    }
    let mut found = Vec::new();
    for heading in linked {
        // Each step goes up to a node with one headline under it: every node is passed once.
        let mut card = heading;
        loop {
            let parent = dom.node(card).parent;
            if parent == NONE || headlines[parent as usize] != 1 || stats[parent as usize].chars > CARD_CHARS {
                break;
            }
            card = parent;
        }
        let parent = dom.node(card).parent;
        let blurb = plain(stats[card as usize]).saturating_sub(plain(stats[heading as usize]));
        if parent != NONE && headlines[parent as usize] >= CARDS_IN_LIST && (20..=500).contains(&blurb) {
            found.push((parent, card));
        }
    }
    // Teasers come in sets made from one template: boxes of one tag and class in one container.
    // An article's own short section with a linked heading has no such twins.
    let shape = |card: NodeId| dom.element(card).map(|e| (&*e.name.local, e.attr("class").unwrap_or("")));
    found.sort_by(|a, b| (a.0, shape(a.1)).cmp(&(b.0, shape(b.1))));
    let mut cards = vec![false; n];
    for set in found.chunk_by(|a, b| a.0 == b.0 && shape(a.1) == shape(b.1)) {
        if set.len() >= 2 {
            set.iter().for_each(|&(_, card)| cards[card as usize] = true);
        }
    }
    cards
}

/// Whether a class value names a headline ("card__title", "storyHeadline").
fn names_a_headline(class: &str) -> bool {
    camel_spaced_lowercase(class).split(|c: char| !c.is_ascii_alphanumeric()).any(|w| matches!(w, "title" | "headline"))
}
