//! Which segments of the chosen container are the article. Prose seeds a run (on a page with next
//! to no prose, the lines that repeat the feed's summary do); beside it, sentences, short lines
//! among the article's own paragraphs and the rest of a quote join it, junk in between is passed
//! over. Sign-up pitches, wire credits and update stamps are trimmed from the run's ends, and an
//! appendix after a rule near its end is cut. Inside the run, junk (boilerplate-marked markup,
//! link lists, "read more" lines, ad labels) and captions are dropped, with exceptions for what
//! authors write as links: bare URLs, items of a list that holds prose, linked sentences between
//! paragraphs, and headings (linked or not) over prose. What one segment reads as on its own is
//! decided in [`super::classify`].

use super::classify::{
    is_bare_url, is_caption, is_good, is_heading, is_junk, is_linked_sentence, is_sentence, is_sign_off,
};
use super::dom::{Dom, NONE, NodeId};
use super::segment::{Kind, Segment};

/// The kept segments (indices into `segments`), in order, from the `candidates` around the
/// container; `core` says which of them are inside it: only those seed the run, the others can
/// join it at its edges.
pub fn keep(
    dom: &Dom,
    segments: &[Segment],
    candidates: &[usize],
    core: &[bool],
    hint: &dyn Fn(&Segment) -> f32,
) -> Vec<usize> {
    let c = Candidates { dom, segments, candidates };
    let mut seeds = c.seeds(hint);
    for (seed, &inside) in seeds.iter_mut().zip(core) {
        *seed &= inside;
    }
    let Some(first) = seeds.iter().position(|&s| s) else {
        // No prose at all: keep whatever is not junk.
        return candidates
            .iter()
            .zip(core)
            .filter(|&(&i, &inside)| inside && !is_junk(&segments[i]))
            .map(|(&i, _)| i)
            .collect();
    };
    let last = seeds.iter().rposition(|&s| s).unwrap_or(first);
    let (first, last) = c.widen(first, last);
    let (first, last) = c.trim_sign_offs(first, last);
    let last = c.cut_appendix(first, last);
    let run = Run { first, last, prose_lists: c.prose_lists(first, last) };
    (first..=last).filter(|&k| c.is_kept(&run, k)).map(|k| candidates[k]).collect()
}

/// How a segment beside the run takes part in it.
enum Edge {
    /// It becomes the run's new end.
    Joins,
    /// It is skipped, and the next one out is looked at.
    PassedOver,
    /// The run ends before it.
    Stops,
}

/// The page and the container's segments in order (`candidates`, indices into `segments`).
struct Candidates<'a> {
    dom: &'a Dom,
    segments: &'a [Segment],
    candidates: &'a [usize],
}

/// The article's run of candidates, `first` to `last`, and the lists in it that hold prose
/// (sorted, for a binary search).
struct Run {
    first: usize,
    last: usize,
    prose_lists: Vec<NodeId>,
}

impl<'a> Candidates<'a> {
    /// The segment of the `k`th candidate.
    fn seg(&self, k: usize) -> &'a Segment {
        &self.segments[self.candidates[k]]
    }

    /// Which candidates seed the run: the prose, or on a page with next to no prose the lines that
    /// repeat the feed's summary.
    fn seeds(&self, hint: &dyn Fn(&Segment) -> f32) -> Vec<bool> {
        let mut good: Vec<bool> = self.candidates.iter().map(|&i| is_good(&self.segments[i])).collect();
        // A page with next to no prose (a calendar, a list of codes): the lines that repeat the
        // feed's summary are the article, and the stray sentence elsewhere (a notice to
        // commenters) is not. With prose, the hint has already done its work in the weights; a
        // standfirst that repeats the summary stays out.
        let prose: u32 = (0..self.candidates.len()).filter(|&k| good[k]).map(|k| self.seg(k).chars).sum();
        if prose < 200 {
            let hinted: Vec<bool> =
                self.candidates.iter().map(|&i| !self.segments[i].boiler && hint(&self.segments[i]) > 0.0).collect();
            if hinted.contains(&true) {
                good = hinted;
            }
        }
        good
    }

    /// Whether two segments stand under the same parent element (a list item where its list
    /// stands).
    fn same_parent(&self, seg: &Segment, near: &Segment) -> bool {
        let place = |seg: &Segment| self.dom.node(outermost_list(self.dom, unit(seg))).parent;
        place(seg) == place(near)
    }

    /// Whether `seg` is a cell of a table (with next to no links) that stands among the run's
    /// paragraphs, or in the table the run's end is in: a table of facts or ingredients after
    /// the text belongs to it.
    fn table_beside(&self, seg: &Segment, near: &Segment) -> bool {
        if seg.kind != Kind::Cell || seg.link_density() >= 0.3 {
            return false;
        }
        let Some(table) = self.table_of(seg) else { return false };
        match self.table_of(near) {
            Some(other) if near.kind == Kind::Cell => other == table,
            _ => self.dom.node(table).parent == self.dom.node(unit(near)).parent,
        }
    }

    /// The table a cell is in.
    fn table_of(&self, seg: &Segment) -> Option<NodeId> {
        let mut id = seg.row?;
        while self.dom.tag(id).is_none_or(|t| &**t != "table") {
            id = self.dom.node(id).parent;
            if id == NONE {
                return None;
            }
        }
        Some(id)
    }

    /// How `seg`, beside the run, takes part in it, `near` being the run's segment at that end:
    /// sentences join, and so does a line among the article's own paragraphs (tour dates, a
    /// closing one-liner); junk is passed over; anything else stops the run.
    fn edge(&self, seg: &Segment, near: &Segment) -> Edge {
        if (is_bare_url(seg) || is_linked_sentence(seg) && seg.kind == near.kind) && self.same_parent(seg, near) {
            Edge::Joins
        } else if is_junk(seg) {
            Edge::PassedOver
        } else if matches!(seg.kind, Kind::Caption | Kind::Image) {
            Edge::Stops
        } else if is_sentence(seg)
            || (seg.link_density() < 0.3
                && matches!(seg.kind, Kind::Text | Kind::ListItem)
                && self.same_parent(seg, near))
            || (seg.quote.is_some() && seg.quote == near.quote && seg.link_density() < 0.5)
            || self.table_beside(seg, near)
        {
            Edge::Joins
        } else {
            Edge::Stops
        }
    }

    /// The run from `first` to `last` widened at both ends over the neighbours that join it.
    fn widen(&self, mut first: usize, mut last: usize) -> (usize, usize) {
        let mut k = first;
        while k > 0 {
            let (seg, near) = (self.seg(k - 1), self.seg(first));
            // The heading the run starts under, among its paragraphs: what stands above it in
            // the same block is the article's opening (an intro before its first subheading).
            // (Not the page's title: an h1 is the headline, which the article's body leaves out.)
            if is_heading(seg)
                && seg.kind != Kind::Heading(1)
                && seg.link_density() < 0.3
                && self.same_parent(seg, near)
            {
                first = k - 1;
                k -= 1;
                continue;
            }
            match self.edge(seg, near) {
                Edge::Joins => first = k - 1,
                Edge::PassedOver => {}
                Edge::Stops => break,
            }
            k -= 1;
        }
        let mut k = last;
        while k + 1 < self.candidates.len() {
            match self.edge(self.seg(k + 1), self.seg(last)) {
                Edge::Joins => last = k + 1,
                Edge::PassedOver => {}
                Edge::Stops => break,
            }
            k += 1;
        }
        (first, last)
    }

    /// The run without the site's sign-offs at its ends ("Sign up for our newsletter").
    fn trim_sign_offs(&self, mut first: usize, mut last: usize) -> (usize, usize) {
        while first < last && is_sign_off(self.seg(first)) {
            first += 1;
        }
        while last > first && is_sign_off(self.seg(last)) {
            last -= 1;
        }
        (first, last)
    }

    /// The run's last candidate once an appendix is cut: a rule near the end sets one off ("About
    /// the company", a note on the author) when what follows it is under a quarter of the text.
    fn cut_appendix(&self, first: usize, last: usize) -> usize {
        let total: u32 = (first..=last).map(|k| self.seg(k).chars).sum();
        let mut tail = 0;
        for k in (first + 1..=last).rev() {
            let seg = self.seg(k);
            tail += seg.chars;
            if tail * 4 > total {
                break;
            }
            if seg.after_rule {
                return k - 1;
            }
        }
        last
    }

    /// The lists with an item in the run that is not junk: their link-heavy items are the same
    /// enumeration, not a menu.
    fn prose_lists(&self, first: usize, last: usize) -> Vec<NodeId> {
        let mut lists: Vec<NodeId> = (first..=last)
            .map(|k| self.seg(k))
            .filter(|seg| seg.kind == Kind::ListItem && !is_junk(seg))
            .filter_map(|seg| seg.list.map(|(l, _)| l))
            .collect();
        lists.sort_unstable();
        lists.dedup();
        lists
    }

    /// Whether the run's `k`th candidate is kept: neither junk, nor a caption, nor the label of
    /// links that are gone; or one of the exceptions for what authors write as links.
    fn is_kept(&self, run: &Run, k: usize) -> bool {
        let seg = self.seg(k);
        !is_junk(seg) && !is_caption(seg) && !self.labels_links(k)
            || is_bare_url(seg)
            || item_of_prose_list(seg, &run.prose_lists)
            // A data table's cell is its content, a name linked or not.
            || seg.kind == Kind::Cell && !seg.boiler && seg.text.chars().any(char::is_alphanumeric)
            || self.linked_sentence_in_prose(run, k)
            || is_heading(seg) && self.heads_prose(k)
    }

    /// Whether the `k`th candidate is a label such as "More:" over junk other than bare URLs: it
    /// introduces links, which are gone.
    fn labels_links(&self, k: usize) -> bool {
        let seg = self.seg(k);
        seg.text.split_whitespace().count() <= 3
            && seg.text.ends_with(':')
            && self
                .candidates
                .get(k + 1)
                .is_some_and(|&next| is_junk(&self.segments[next]) && !is_bare_url(&self.segments[next]))
    }

    /// Whether the `k`th candidate heads prose: what follows is neither junk nor a heading, and
    /// what comes before is no linked heading (a run of those is a list of other stories).
    fn heads_prose(&self, k: usize) -> bool {
        let linked = |seg: &Segment| is_heading(seg) && seg.link_density() > 0.5;
        let after = self.candidates.get(k + 1).map(|&next| &self.segments[next]);
        let before = k.checked_sub(1).map(|prev| self.seg(prev));
        after.is_some_and(|next| !is_junk(next) && !matches!(next.kind, Kind::Heading(_)))
            && !before.is_some_and(linked)
    }

    /// Whether the run's `k`th candidate is a linked sentence between paragraphs of one block: the
    /// author's prose. (Links between them, such as a box of related links, are passed over; at the
    /// run's edge it joined as a neighbour of prose already.)
    fn linked_sentence_in_prose(&self, run: &Run, k: usize) -> bool {
        let seg = self.seg(k);
        let prose = |other: Option<&Segment>| {
            other.is_some_and(|o| matches!(o.kind, Kind::Text | Kind::ListItem) && self.same_parent(o, seg))
        };
        is_linked_sentence(seg)
            && (k == run.first || prose(self.nearest_not_junk((0..k).rev())))
            && (k == run.last || prose(self.nearest_not_junk(k + 1..self.candidates.len())))
    }

    /// The first of the next three candidates (in `order`) that is not junk.
    fn nearest_not_junk(&self, order: impl Iterator<Item = usize>) -> Option<&'a Segment> {
        order.take(3).map(|j| self.seg(j)).find(|o| !is_junk(o))
    }
}

/// The element that places a segment among the paragraphs: a list item's list, else its own.
fn unit(seg: &Segment) -> NodeId {
    match (seg.kind, seg.list) {
        (Kind::ListItem, Some((list, _))) => list,
        _ => seg.node,
    }
}

/// A list nested in an item of another list stands where the outer list stands (an agenda's
/// sub-items beside its items); anything else stands where it is.
fn outermost_list(dom: &Dom, mut node: NodeId) -> NodeId {
    let is = |id: NodeId, tags: &[&str]| dom.tag(id).is_some_and(|t| tags.contains(&&**t));
    while is(node, &["ol", "ul"]) {
        let item = dom.node(node).parent;
        if item == NONE || !is(item, &["li"]) {
            break;
        }
        let outer = dom.node(item).parent;
        if outer == NONE || !is(outer, &["ol", "ul"]) {
            break;
        }
        node = outer;
    }
    node
}

/// Whether a segment is an item of a list that holds prose, with some plain text of its own (any,
/// in a numbered list): kept though links are most of it.
fn item_of_prose_list(seg: &Segment, prose_lists: &[NodeId]) -> bool {
    // A numbered list counts its items: each is one of the author's steps, linked or not.
    let numbered = seg.list.is_some_and(|(_, ordered)| ordered);
    seg.kind == Kind::ListItem
        && !seg.boiler
        && (numbered || seg.link_density() < 0.8 && seg.chars - seg.link_chars >= 20)
        && seg.list.is_some_and(|(l, _)| prose_lists.binary_search(&l).is_ok())
}
