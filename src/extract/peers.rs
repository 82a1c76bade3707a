//! Posts of one thread: on a question-and-answer page or a forum thread, the question and each
//! answer stand in elements of one kind (the same tag and the same class attribute, a
//! `post-body` each), and the best-weighted of them is only one post. The peers of the chosen
//! container are the other elements of its kind, outside it, that hold prose of their own; their
//! runs join the article, in page order.

use std::collections::HashMap;

use html5ever::LocalName;

use super::dom::{Dom, NodeId};
use super::marks::{BOILER, Marks};

/// The least weight a peer must have (about a sentence of plain prose): a teaser box or an empty
/// template of the same kind stays out.
const MIN_PEER_WEIGHT: f32 = 60.0;

/// The container's peers, in page order, without the container. `weight` is each node's subtree
/// total from the selection, `prose` its positive part. The kind of post is the container's own
/// (tag and class), or, when the container holds several posts (all the answers), the kind of
/// element inside it whose instances hold most of its prose. A bare `div` or `p` is of every kind
/// and has no peers.
pub fn peers(dom: &Dom, marks: &Marks, container: NodeId, weight: &[f32], prose: &[f32]) -> Vec<NodeId> {
    let Some((tag, class)) = post_kind(dom, container, prose) else { return Vec::new() };
    let mut found = Vec::new();
    // The subtree to skip: the container's, or the last peer's.
    let mut skip = 0..0;
    for (rank, &id) in marks.order.iter().enumerate() {
        if skip.contains(&(rank as u32)) {
            continue;
        }
        if id == container {
            skip = marks.subtree(dom, id);
            continue;
        }
        // Boilerplate marks are inherited: a sidebar's teasers of the same kind carry it.
        // One whose class only starts as the container's does ("field--story" beside "field--story
        // field--story--article"), a variant of the kind, must hold prose of its own (a paragraph of
        // it), not one of the site's lines set in that block.
        let least = match class_of(dom, id) {
            Some(c) if c == class => MIN_PEER_WEIGHT,
            Some(c) if first_class(c) == first_class(class) => MIN_VARIANT_WEIGHT,
            _ => continue,
        };
        if dom.tag(id) != Some(&tag) || weight[id as usize] < least || marks.flags[id as usize] & BOILER != 0 {
            continue;
        }
        let subtree = marks.subtree(dom, id);
        // An element of the kind around the container is not a peer.
        if !marks.inside(container, &subtree) {
            found.push(id);
            skip = subtree;
        }
    }
    found
}

/// The share of a container's prose that posts of one kind inside it must hold to be its posts.
const POSTS_SHARE: f32 = 0.8;

/// The kind of post the container is, or holds.
fn post_kind<'d>(dom: &'d Dom, container: NodeId, prose: &[f32]) -> Option<(LocalName, &'d str)> {
    let tag = dom.tag(container)?.clone();
    if let Some(class) = class_of(dom, container) {
        return Some((tag, class));
    }
    // Per kind: instances, their prose, and the depth of the first.
    let mut kinds: HashMap<(&LocalName, &str), (u32, f32, u32)> = HashMap::new();
    for id in dom.descendants(container).skip(1) {
        if let (Some(tag), Some(class)) = (dom.tag(id), class_of(dom, id)) {
            let entry = kinds.entry((tag, class)).or_insert((0, 0.0, dom.node(id).depth));
            entry.0 += 1;
            entry.1 += prose[id as usize];
        }
    }
    let whole = prose[container as usize];
    // Of the kinds that hold the posts (a post's cell and its body both do), the innermost: its
    // class is the post's own.
    kinds
        .into_iter()
        .filter(|&(_, (count, total, _))| count >= 2 && total >= POSTS_SHARE * whole && total <= whole * 1.001)
        .max_by_key(|&((_, class), (_, _, depth))| (depth, class))
        .map(|((tag, class), _)| (tag.clone(), class))
}

/// The least weight of a peer of a variant kind (see [`peers`]): a paragraph of prose.
const MIN_VARIANT_WEIGHT: f32 = 300.0;

/// A class attribute's first name: the kind of block, which the names after it vary.
fn first_class(class: &str) -> &str {
    class.split_ascii_whitespace().next().unwrap_or(class)
}

/// An element's class attribute, trimmed, when it has one.
fn class_of(dom: &Dom, id: NodeId) -> Option<&str> {
    dom.attr(id, "class").map(str::trim).filter(|c| !c.is_empty())
}
