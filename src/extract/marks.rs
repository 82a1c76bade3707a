//! What marking records about each node, for the steps after it: the flags [`HIDDEN`] and
//! [`BOILER`], the text figures ([`Stats`]) and the document order. [`super::prune`] computes
//! them (with [`super::cards`]); segmenting and selection read them.

use std::ops::Range;

use super::dom::{Dom, NodeId};

/// Never shown: the subtree is skipped.
pub const HIDDEN: u8 = 1;
/// Boilerplate by its markup: kept out of the article unless nothing else is left.
pub const BOILER: u8 = 2;
/// Boilerplate only because a class or id calls it a teaser: a list's card for another story,
/// or this article's own teaser (its lead) under the heading. [`super::lead`] tells them apart.
pub const TEASER: u8 = 4;

/// Per-node figures, computed bottom-up over the nodes that are not hidden.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    /// Non-white-space characters of text.
    pub chars: u32,
    /// Of which inside links.
    pub link_chars: u32,
}

/// The flags and figures of every node (indexed by [`NodeId`]).
pub struct Marks {
    pub flags: Vec<u8>,
    pub stats: Vec<Stats>,
    /// Nodes in document order.
    pub order: Vec<NodeId>,
    /// Each node's place in `order`.
    pub rank: Vec<u32>,
}

impl Marks {
    /// The ranks of a subtree's nodes: a node is inside when its rank falls in the range.
    pub fn subtree(&self, dom: &Dom, root: NodeId) -> Range<u32> {
        let start = self.rank[root as usize];
        start..start + dom.descendants(root).count() as u32
    }

    /// Whether `id` is in the subtree whose ranks are `within`.
    pub fn inside(&self, id: NodeId, within: &Range<u32>) -> bool {
        within.contains(&self.rank[id as usize])
    }
}

/// Characters of text outside links.
pub(super) fn plain(s: Stats) -> u32 {
    s.chars - s.link_chars.min(s.chars)
}
