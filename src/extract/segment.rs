//! Linearises the page into segments: runs of inline text between block boundaries, each with
//! what the content selection needs (length, link text, boilerplate marks) and what the block
//! builder needs (heading level, list, table cell, quote, code). One walk (after a pass that tells
//! data tables from layout tables), no recursion.

use html5ever::{LocalName, local_name};

use super::dom::{DOCUMENT, Dom, NONE, NodeData, NodeId, push_collapsed};
use super::marks::{BOILER, HIDDEN, Marks};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Heading(u8),
    ListItem,
    Code,
    Cell,
    Caption,
    Image,
}

#[derive(Debug, Clone)]
pub struct Segment {
    pub text: String,
    pub kind: Kind,
    /// The innermost block element around the text.
    pub node: NodeId,
    /// Non-white-space characters, and those inside links.
    pub chars: u32,
    pub link_chars: u32,
    pub boiler: bool,
    /// The innermost list (and whether it is ordered), table row and cell, quote.
    pub list: Option<(NodeId, bool)>,
    pub row: Option<NodeId>,
    pub cell: Option<NodeId>,
    pub quote: Option<NodeId>,
    /// A horizontal rule (`<hr>`) came between the previous segment and this one.
    pub after_rule: bool,
    /// An image's address, as the page gives it (images only; see [`image_source`]).
    pub src: Option<String>,
}

/// The address of an `<img>`: `src`, or the lazy-loading attribute a page puts the real address
/// in while `src` holds a placeholder (`data-src`, `data-lazy-src`, `data-original`). Inline
/// `data:` images are left out (they can be megabytes long, and are not fetched).
pub fn image_source(attr: impl Fn(&str) -> Option<String>) -> Option<String> {
    ["data-src", "data-lazy-src", "data-original", "src"]
        .iter()
        .filter_map(|name| attr(name))
        .map(|v| crate::sanitize::clean_line(&v))
        .find(|v| !v.is_empty() && !v.starts_with("data:"))
}

impl Segment {
    pub fn link_density(&self) -> f32 {
        if self.chars == 0 { 0.0 } else { self.link_chars as f32 / self.chars as f32 }
    }
}

#[derive(Clone, Copy)]
struct Context {
    node: NodeId,
    kind: Kind,
    list: Option<(NodeId, bool)>,
    row: Option<NodeId>,
    cell: Option<NodeId>,
    quote: Option<NodeId>,
    pre: bool,
}

struct Builder<'a> {
    dom: &'a Dom,
    marks: &'a Marks,
    data_tables: &'a [bool],
    out: Vec<Segment>,
    text: String,
    chars: u32,
    link_chars: u32,
    links_open: u32,
    /// Characters of the pending text inside boilerplate inline markup (`<span class="caption">`).
    boiler_chars: u32,
    contexts: Vec<Context>,
    rule_pending: bool,
}

pub fn linearise(dom: &Dom, marks: &Marks) -> Vec<Segment> {
    let data_tables = find_data_tables(dom, marks);
    let mut b = Builder {
        dom,
        marks,
        data_tables: &data_tables,
        out: Vec::new(),
        text: String::new(),
        chars: 0,
        link_chars: 0,
        links_open: 0,
        boiler_chars: 0,
        rule_pending: false,
        contexts: vec![Context {
            node: DOCUMENT,
            kind: Kind::Text,
            list: None,
            row: None,
            cell: None,
            quote: None,
            pre: false,
        }],
    };
    // Iterative walk with enter and leave events.
    let mut stack: Vec<NodeId> = Vec::new();
    let mut cur = dom.node(DOCUMENT).first_child;
    loop {
        if cur != NONE {
            let descend = b.enter(cur);
            let first = dom.node(cur).first_child;
            if descend && first != NONE {
                stack.push(cur);
                cur = first;
            } else {
                if descend {
                    b.leave(cur);
                }
                cur = dom.node(cur).next;
            }
        } else {
            let Some(done) = stack.pop() else { break };
            b.leave(done);
            cur = dom.node(done).next;
        }
    }
    b.flush();
    b.out
}

fn is_block(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("div")
            | local_name!("section")
            | local_name!("article")
            | local_name!("main")
            | local_name!("header")
            | local_name!("footer")
            | local_name!("nav")
            | local_name!("aside")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("ul")
            | local_name!("ol")
            | local_name!("li")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("blockquote")
            | local_name!("pre")
            | local_name!("table")
            | local_name!("tbody")
            | local_name!("thead")
            | local_name!("tfoot")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("caption")
            | local_name!("figure")
            | local_name!("figcaption")
            | local_name!("form")
            | local_name!("fieldset")
            | local_name!("address")
            | local_name!("hr")
            | local_name!("br")
            | local_name!("body")
            | local_name!("html")
            | local_name!("center")
            | local_name!("details")
            | local_name!("summary")
            | local_name!("menu")
            | local_name!("img")
    )
}

impl Builder<'_> {
    fn ctx(&self) -> Context {
        self.contexts[self.contexts.len() - 1]
    }

    /// Returns whether to walk the node's children.
    fn enter(&mut self, id: NodeId) -> bool {
        let flags = self.marks.flags[id as usize];
        if flags & HIDDEN != 0 {
            return false;
        }
        match &self.dom.node(id).data {
            NodeData::Text(t) => {
                if self.ctx().pre {
                    self.text.push_str(t);
                } else {
                    push_collapsed(&mut self.text, t);
                }
                let n = self.marks.stats[id as usize].chars;
                self.chars += n;
                if self.links_open > 0 {
                    self.link_chars += n;
                }
                if flags & BOILER != 0 {
                    self.boiler_chars += n;
                }
                false
            }
            NodeData::Element(e) => {
                let Some(name) = e.html_name() else { return false };
                if *name == local_name!("a") {
                    self.links_open += 1;
                    return true;
                }
                if !is_block(name) {
                    return true;
                }
                self.flush();
                match *name {
                    local_name!("br") => return false,
                    local_name!("hr") => {
                        self.rule_pending = true;
                        return false;
                    }
                    local_name!("img") => {
                        let src = image_source(|name| e.attr(name).map(str::to_string));
                        self.image(id, e.attr("alt").unwrap_or(""), src);
                        return false;
                    }
                    _ => {}
                }
                let mut ctx = self.ctx();
                ctx.node = id;
                match *name {
                    local_name!("h1") => ctx.kind = Kind::Heading(1),
                    local_name!("h2") => ctx.kind = Kind::Heading(2),
                    local_name!("h3") => ctx.kind = Kind::Heading(3),
                    local_name!("h4") => ctx.kind = Kind::Heading(4),
                    local_name!("h5") => ctx.kind = Kind::Heading(5),
                    local_name!("h6") => ctx.kind = Kind::Heading(6),
                    local_name!("ul") | local_name!("menu") => ctx.list = Some((id, false)),
                    local_name!("ol") => ctx.list = Some((id, true)),
                    local_name!("li") if ctx.list.is_some() && !matches!(ctx.kind, Kind::Cell) => {
                        ctx.kind = Kind::ListItem
                    }
                    local_name!("pre") => {
                        ctx.kind = Kind::Code;
                        ctx.pre = true;
                    }
                    local_name!("blockquote") => ctx.quote = Some(id),
                    local_name!("figcaption") | local_name!("caption") => ctx.kind = Kind::Caption,
                    local_name!("table") => {
                        // Layout tables are plain containers.
                        if !self.data_tables[id as usize] {
                            ctx.row = None;
                            ctx.cell = None;
                            if ctx.kind == Kind::Cell {
                                ctx.kind = Kind::Text;
                            }
                        }
                    }
                    local_name!("tr") if self.in_data_table(id) => ctx.row = Some(id),
                    local_name!("td") | local_name!("th") if ctx.row.is_some() => {
                        ctx.cell = Some(id);
                        ctx.kind = Kind::Cell;
                    }
                    _ => {}
                }
                self.contexts.push(ctx);
                true
            }
            _ => false,
        }
    }

    fn in_data_table(&self, tr: NodeId) -> bool {
        let mut p = self.dom.node(tr).parent;
        // tr sits in tbody/thead/tfoot or directly in the table.
        for _ in 0..2 {
            if p == NONE {
                return false;
            }
            if self.dom.is_tag(p, &local_name!("table")) {
                return self.data_tables[p as usize];
            }
            p = self.dom.node(p).parent;
        }
        false
    }

    fn leave(&mut self, id: NodeId) {
        let Some(name) = self.dom.tag(id) else { return };
        if *name == local_name!("a") {
            self.links_open = self.links_open.saturating_sub(1);
            return;
        }
        if !is_block(name) || matches!(*name, local_name!("br") | local_name!("hr") | local_name!("img")) {
            return;
        }
        self.flush();
        if self.contexts.len() > 1 {
            self.contexts.pop();
        }
    }

    fn image(&mut self, id: NodeId, alt: &str, src: Option<String>) {
        let mut text = String::new();
        push_collapsed(&mut text, alt);
        let text = text.trim().to_string();
        if text.is_empty() {
            return;
        }
        let ctx = self.ctx();
        let chars = text.chars().filter(|c| !c.is_whitespace()).count() as u32;
        self.out.push(Segment {
            text,
            kind: Kind::Image,
            node: id,
            chars,
            link_chars: 0,
            boiler: self.marks.flags[id as usize] & BOILER != 0,
            list: ctx.list,
            row: ctx.row,
            cell: ctx.cell,
            quote: ctx.quote,
            after_rule: std::mem::take(&mut self.rule_pending),
            src,
        });
    }

    fn flush(&mut self) {
        let ctx = self.ctx();
        let text = if ctx.pre { self.text.trim_matches('\n').trim_end() } else { self.text.trim() };
        if !text.is_empty() && self.chars > 0 {
            self.out.push(Segment {
                text: text.to_string(),
                kind: ctx.kind,
                node: ctx.node,
                chars: self.chars,
                link_chars: self.link_chars.min(self.chars),
                boiler: self.marks.flags[ctx.node as usize] & BOILER != 0 || self.boiler_chars * 2 > self.chars,
                list: ctx.list,
                row: ctx.row,
                cell: ctx.cell,
                quote: ctx.quote,
                after_rule: std::mem::take(&mut self.rule_pending),
                src: None,
            });
        }
        self.text.clear();
        self.chars = 0;
        self.link_chars = 0;
        self.boiler_chars = 0;
    }
}

/// Tables of data (shown as rows) rather than layout: no table inside, no long cell.
fn find_data_tables(dom: &Dom, marks: &Marks) -> Vec<bool> {
    let mut data = vec![false; dom.nodes.len()];
    for &id in &marks.order {
        if !dom.is_tag(id, &local_name!("table")) || marks.flags[id as usize] & HIDDEN != 0 {
            continue;
        }
        // Stops at the first nested table: each node is looked at for one table only.
        let layout = dom.descendants(id).skip(1).any(|n| {
            let chars = marks.stats[n as usize].chars;
            match dom.tag(n) {
                Some(t) if *t == local_name!("table") => true,
                Some(t) if matches!(*t, local_name!("td") | local_name!("th")) => chars > 300,
                // Cells holding paragraphs are layout, unless short.
                Some(t) if matches!(*t, local_name!("p") | local_name!("div") | local_name!("ul")) => chars > 150,
                _ => false,
            }
        });
        let ok = !layout;
        data[id as usize] = ok;
    }
    data
}
