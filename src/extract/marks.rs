//! What marking records about each node, for the steps after it: the flags [`HIDDEN`] and
//! [`BOILER`], the text figures ([`Stats`]) and the document order. [`super::prune`] computes
//! them (with [`super::cards`]); segmenting and selection read them.

use super::dom::NodeId;

/// Never shown: the subtree is skipped.
pub const HIDDEN: u8 = 1;
/// Boilerplate by its markup: kept out of the article unless nothing else is left.
pub const BOILER: u8 = 2;

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
}

/// Characters of text outside links.
pub(super) fn plain(s: Stats) -> u32 {
    s.chars - s.link_chars.min(s.chars)
}
