//! A picture ready to be drawn: an image encoded for the terminal's graphics protocol (or as
//! half-blocks) at a size in cells. Made at the edge, off the interface's thread; the view only
//! draws it.

use std::sync::Arc;

use ratatui_image::protocol::Protocol;

#[derive(Clone)]
pub struct Picture {
    protocol: Arc<Protocol>,
    /// The box it was made for, in cells (it is drawn inside it, keeping its proportions).
    pub cols: u16,
    pub rows: u16,
}

impl Picture {
    pub fn new(protocol: Protocol, cols: u16, rows: u16) -> Picture {
        Picture { protocol: Arc::new(protocol), cols, rows }
    }

    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Picture({}x{})", self.cols, self.rows)
    }
}

/// Two pictures are the same when they are one (their pixels are not compared).
impl PartialEq for Picture {
    fn eq(&self, other: &Picture) -> bool {
        Arc::ptr_eq(&self.protocol, &other.protocol) && self.cols == other.cols && self.rows == other.rows
    }
}
