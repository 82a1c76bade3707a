//! html5ever parses into a compact arena: nodes in one `Vec`, linked by `u32` indices. No reference
//! counting, no recursion anywhere (a page nested 100,000 levels deep is walked with loops), start
//! tags nested deeper than [`MAX_DEPTH`] are dropped, and the text of scripts (JSON-LD excepted: it
//! carries metadata), styles, `<noscript>` and `<template>` is dropped as it arrives (most of it is
//! gone before parsing, see [`super::raw_text`]).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use html5ever::interface::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use html5ever::tree_builder::TreeBuilder;
use html5ever::{Attribute, LocalName, Namespace, QualName, TokenizerResult, local_name, ns};

/// Elements nested deeper than this are dropped (their text stays, in the deepest element kept).
/// html5ever scans its stack of open elements for many tags, so an unbounded stack would make
/// hostile pages quadratic; browsers cap the depth too (Blink at 512).
const MAX_DEPTH: u32 = 512;

/// A node's index in [`Dom::nodes`].
pub type NodeId = u32;
/// "No node" in the links of a [`Node`].
pub const NONE: NodeId = u32::MAX;
/// The document node is always the first.
pub const DOCUMENT: NodeId = 0;

#[derive(Debug)]
pub struct Node {
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub prev: NodeId,
    pub next: NodeId,
    /// Depth when the parser attached the node (the document is 0).
    pub depth: u32,
    pub data: NodeData,
}

#[derive(Debug)]
pub enum NodeData {
    Document,
    Element(Element),
    Text(StrTendril),
    /// Comments, processing instructions, doctypes: kept only so that handles stay valid.
    Other,
}

#[derive(Debug)]
pub struct Element {
    pub name: QualName,
    pub attrs: Vec<Attribute>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| &*a.name.local == name).map(|a| &*a.value)
    }

    /// The element's local name when it is an HTML element (SVG and MathML children are not).
    pub fn html_name(&self) -> Option<&LocalName> {
        (self.name.ns == ns!(html)).then_some(&self.name.local)
    }
}

/// The parsed page.
#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

impl Dom {
    pub fn parse(html: &str) -> Dom {
        let sink = Sink { nodes: RefCell::new(vec![new_node(NodeData::Document)]), current_depth: Cell::new(0) };
        let builder = TreeBuilder::new(sink, Default::default());
        let tokenizer = Tokenizer::new(DepthLimit { inner: builder }, Default::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(&super::raw_text::drop_raw_text(html)));
        // Scripts are never run and the text is decoded already: pauses for a script or an
        // encoding declaration just resume.
        while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
        tokenizer.end();
        Dom { nodes: tokenizer.sink.inner.sink.nodes.into_inner() }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes[id as usize].data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    /// The HTML local name of an element node.
    pub fn tag(&self, id: NodeId) -> Option<&LocalName> {
        self.element(id).and_then(Element::html_name)
    }

    pub fn is_tag(&self, id: NodeId, name: &LocalName) -> bool {
        self.tag(id) == Some(name)
    }

    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        self.element(id).and_then(|e| e.attr(name))
    }

    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children { dom: self, next: self.node(id).first_child }
    }

    /// The nodes under `root` (itself included) in document order, as an iterator that does not
    /// recurse.
    pub fn descendants(&self, root: NodeId) -> Descendants<'_> {
        Descendants { dom: self, root, next: root }
    }

    /// The first element with this HTML name, in document order.
    pub fn find(&self, root: NodeId, name: &LocalName) -> Option<NodeId> {
        self.descendants(root).find(|&id| self.is_tag(id, name))
    }

    /// All text under `id`, white space collapsed to single spaces and trimmed.
    pub fn text(&self, id: NodeId) -> String {
        let mut out = String::new();
        for n in self.descendants(id) {
            if let NodeData::Text(t) = &self.node(n).data {
                push_collapsed(&mut out, t);
            }
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out
    }
}

/// Appends `text` to `out` with runs of white space collapsed to one space (none at the start of
/// `out`).
pub fn push_collapsed(out: &mut String, text: &str) {
    for (i, word) in text.split(char::is_whitespace).enumerate() {
        if i > 0 && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(word);
    }
}

pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        (self.next != NONE).then(|| {
            let id = self.next;
            self.next = self.dom.node(id).next;
            id
        })
    }
}

pub struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: NodeId,
}

impl Descendants<'_> {
    /// Skips the subtree of the node just returned.
    pub fn skip_subtree(&mut self, current: NodeId) {
        self.next = self.after_subtree(current);
    }

    fn after_subtree(&self, mut id: NodeId) -> NodeId {
        loop {
            if id == self.root {
                return NONE;
            }
            let node = self.dom.node(id);
            if node.next != NONE {
                return node.next;
            }
            id = node.parent;
            if id == NONE {
                return NONE;
            }
        }
    }
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        let node = self.dom.node(id);
        self.next = if node.first_child != NONE { node.first_child } else { self.after_subtree(id) };
        Some(id)
    }
}

fn new_node(data: NodeData) -> Node {
    Node { parent: NONE, first_child: NONE, last_child: NONE, prev: NONE, next: NONE, depth: 0, data }
}

struct Sink {
    nodes: RefCell<Vec<Node>>,
    /// The depth of the element that received the last element.
    current_depth: Cell<u32>,
}

/// Passes tokens to the tree builder, but drops start tags that would nest deeper than
/// [`MAX_DEPTH`].
struct DepthLimit {
    inner: TreeBuilder<NodeId, Sink>,
}

impl TokenSink for DepthLimit {
    type Handle = NodeId;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<NodeId> {
        if let Token::TagToken(tag) = &token
            && tag.kind == TagKind::StartTag
            && self.inner.sink.current_depth.get() >= MAX_DEPTH
        {
            return TokenSinkResult::Continue;
        }
        self.inner.process_token(token, line_number)
    }

    fn end(&self) {
        self.inner.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner.adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// The name html5ever asks for, owned (atoms are cheap to clone) so that no borrow of the arena
/// outlives a call.
#[derive(Debug)]
pub struct Name(QualName);

impl html5ever::interface::ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Sink {
    fn push(&self, data: NodeData) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(new_node(data));
        (nodes.len() - 1) as NodeId
    }

    /// Records the depth of an element attached under `parent`.
    fn attached(&self, nodes: &mut [Node], parent: NodeId, child: NodeId) {
        let d = nodes[parent as usize].depth;
        nodes[child as usize].depth = d + 1;
        self.current_depth.set(d);
    }

    /// Whether text appended to `parent` is thrown away: scripts (but JSON-LD) and styles.
    fn drops_text(nodes: &[Node], parent: NodeId) -> bool {
        let NodeData::Element(e) = &nodes[parent as usize].data else { return false };
        match e.name.local {
            local_name!("style") | local_name!("noscript") | local_name!("template") => true,
            local_name!("script") => !e.attr("type").is_some_and(|t| t.contains("ld+json")),
            _ => false,
        }
    }

    fn detach(nodes: &mut [Node], id: NodeId) {
        let (parent, prev, next) = {
            let n = &nodes[id as usize];
            (n.parent, n.prev, n.next)
        };
        if parent == NONE {
            return;
        }
        if prev != NONE {
            nodes[prev as usize].next = next;
        } else {
            nodes[parent as usize].first_child = next;
        }
        if next != NONE {
            nodes[next as usize].prev = prev;
        } else {
            nodes[parent as usize].last_child = prev;
        }
        let n = &mut nodes[id as usize];
        n.parent = NONE;
        n.prev = NONE;
        n.next = NONE;
    }

    fn append_child(nodes: &mut [Node], parent: NodeId, child: NodeId) {
        Self::detach(nodes, child);
        let last = nodes[parent as usize].last_child;
        {
            let c = &mut nodes[child as usize];
            c.parent = parent;
            c.prev = last;
        }
        if last != NONE {
            nodes[last as usize].next = child;
        } else {
            nodes[parent as usize].first_child = child;
        }
        nodes[parent as usize].last_child = child;
    }

    fn insert_before(nodes: &mut [Node], sibling: NodeId, child: NodeId) {
        Self::detach(nodes, child);
        let (parent, prev) = (nodes[sibling as usize].parent, nodes[sibling as usize].prev);
        if parent == NONE {
            return;
        }
        {
            let c = &mut nodes[child as usize];
            c.parent = parent;
            c.prev = prev;
            c.next = sibling;
        }
        nodes[sibling as usize].prev = child;
        if prev != NONE {
            nodes[prev as usize].next = child;
        } else {
            nodes[parent as usize].first_child = child;
        }
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Vec<Node>;
    type ElemName<'a> = Name;

    fn finish(self) -> Vec<Node> {
        self.nodes.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        DOCUMENT
    }

    fn elem_name(&self, target: &NodeId) -> Name {
        match &self.nodes.borrow()[*target as usize].data {
            NodeData::Element(e) => Name(e.name.clone()),
            // html5ever only asks for the names of elements; answer something harmless anyway.
            _ => Name(QualName::new(None, ns!(html), local_name!("div"))),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _flags: ElementFlags) -> NodeId {
        self.push(NodeData::Element(Element { name, attrs }))
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.push(NodeData::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(NodeData::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let mut nodes = self.nodes.borrow_mut();
        match child {
            NodeOrText::AppendNode(id) => {
                Self::append_child(&mut nodes, *parent, id);
                self.attached(&mut nodes, *parent, id);
            }
            NodeOrText::AppendText(text) => {
                if Self::drops_text(&nodes, *parent) {
                    return;
                }
                let last = nodes[*parent as usize].last_child;
                if last != NONE
                    && let NodeData::Text(t) = &mut nodes[last as usize].data
                {
                    t.push_tendril(&text);
                    return;
                }
                nodes.push(new_node(NodeData::Text(text)));
                let id = (nodes.len() - 1) as NodeId;
                Self::append_child(&mut nodes, *parent, id);
            }
        }
    }

    fn append_based_on_parent_node(&self, element: &NodeId, prev_element: &NodeId, child: NodeOrText<NodeId>) {
        let has_parent = self.nodes.borrow()[*element as usize].parent != NONE;
        if has_parent { self.append_before_sibling(element, child) } else { self.append(prev_element, child) }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // Template contents become the template's children; templates are never shown.
        *target
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node_or_text: NodeOrText<NodeId>) {
        let mut nodes = self.nodes.borrow_mut();
        match new_node_or_text {
            NodeOrText::AppendNode(id) => {
                Self::insert_before(&mut nodes, *sibling, id);
                let parent = nodes[*sibling as usize].parent;
                if parent != NONE {
                    self.attached(&mut nodes, parent, id);
                }
            }
            NodeOrText::AppendText(text) => {
                let prev = nodes[*sibling as usize].prev;
                if prev != NONE
                    && let NodeData::Text(t) = &mut nodes[prev as usize].data
                {
                    t.push_tendril(&text);
                    return;
                }
                nodes.push(new_node(NodeData::Text(text)));
                let id = (nodes.len() - 1) as NodeId;
                Self::insert_before(&mut nodes, *sibling, id);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let NodeData::Element(e) = &mut nodes[*target as usize].data {
            for attr in attrs {
                if !e.attrs.iter().any(|a| a.name == attr.name) {
                    e.attrs.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let mut child = nodes[*node as usize].first_child;
        while child != NONE {
            let next = nodes[child as usize].next;
            Self::append_child(&mut nodes, *new_parent, child);
            child = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_walks() {
        let dom = Dom::parse("<p>Hello <b>big</b>   world<script>var x;</script><style>p{}</style></p>");
        let p = dom.find(DOCUMENT, &local_name!("p")).unwrap();
        assert_eq!(dom.text(p), "Hello big world");
    }

    #[test]
    fn misnested_formatting_is_reparented() {
        let dom = Dom::parse("<p>a<b>b<i>c</b>d</i>e</p><table><tr><td>x</td>y</tr></table>");
        let body = dom.find(DOCUMENT, &local_name!("body")).unwrap();
        assert_eq!(dom.text(body), "abcdeyx");
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let html = "<div>".repeat(100_000) + "deep" + &"</div>".repeat(100_000);
        let dom = Dom::parse(&html);
        assert_eq!(dom.text(DOCUMENT), "deep");
        let html = "<div>a<span>b<table><tr><td><p>c".repeat(30_000);
        let dom = Dom::parse(&html);
        assert!(dom.text(DOCUMENT).starts_with("abcabc"));
    }

    #[test]
    fn meta_charset_does_not_stop_the_parser() {
        let dom = Dom::parse("<head><meta charset=utf-8><script>x</script></head><p>after</p>");
        assert_eq!(dom.text(DOCUMENT), "after");
    }
}
