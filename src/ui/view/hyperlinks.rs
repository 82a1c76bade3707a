//! Links as terminal hyperlinks (OSC 8): after the text is drawn, each cell of a link's text is
//! wrapped in `ESC ] 8 ; id=… ; URL ESC \` … `ESC ] 8 ; ; ESC \`, with its width forced to what
//! the terminal shows, so that a link wrapped over lines (or cut by the pane) stays one
//! clickable link. Terminals without OSC 8 ignore the sequences.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use crate::render::Anchor;

/// Makes the anchors on lines `first..first + area.height` hyperlinks, the text being drawn in
/// `area` from line `first` of the document.
pub fn mark(buffer: &mut Buffer, area: Rect, first: usize, anchors: &[Anchor]) {
    for anchor in anchors {
        let Some(row) = anchor.line.checked_sub(first).and_then(|r| u16::try_from(r).ok()) else { continue };
        if row >= area.height {
            continue;
        }
        let Some(open) = opening(&anchor.target) else { continue };
        let y = area.y + row;
        let end =
            area.x.saturating_add(area.width).min(area.x.saturating_add(anchor.start).saturating_add(anchor.width));
        let mut x = area.x.saturating_add(anchor.start);
        while x < end {
            let Some(cell) = buffer.cell_mut((x, y)) else { break };
            let symbol = cell.symbol().to_string();
            let width = u16::try_from(symbol.width()).unwrap_or(1);
            let Some(forced) = NonZeroU16::new(width) else {
                // The trailing half of a wide character: the terminal draws it with the first.
                x += 1;
                continue;
            };
            cell.set_symbol(&format!("{open}{symbol}{CLOSE}"));
            cell.set_diff_option(CellDiffOption::ForcedWidth(forced));
            x = x.saturating_add(width);
        }
    }
}

/// Ends a hyperlink.
const CLOSE: &str = "\x1b]8;;\x1b\\";

/// The sequence that starts a hyperlink to `url`, with an id made from it (the terminal joins
/// the cells of one id into one link). `None` for a target that is not plain printable ASCII:
/// nothing from a page may put its own bytes into an escape sequence.
fn opening(url: &str) -> Option<String> {
    if url.is_empty() || url.len() > 2048 || !url.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    // FNV-1a: stable across runs and frames, so a link keeps its id.
    let id = url.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    Some(format!("\x1b]8;id=t{id:x};{url}\x1b\\"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;

    fn anchor(line: usize, start: u16, width: u16, target: &str) -> Anchor {
        Anchor { line, start, width, target: target.to_string() }
    }

    #[test]
    fn each_cell_of_the_link_text_carries_the_link_and_keeps_its_width() {
        let area = Rect::new(2, 1, 12, 3);
        let mut buffer = Buffer::empty(Rect::new(0, 0, 16, 5));
        buffer.set_string(2, 2, "see the x", ratatui::style::Style::new());
        // Document line 7 is drawn on the area's second row (the first shown is line 6).
        mark(&mut buffer, area, 6, &[anchor(7, 4, 3, "https://x.test/a"), anchor(2, 0, 3, "https://x.test/off")]);
        let open = opening("https://x.test/a").expect("a plain URL");
        assert!(open.starts_with("\x1b]8;id=t") && open.ends_with(";https://x.test/a\x1b\\"));
        for (x, ch) in [(6, "t"), (7, "h"), (8, "e")] {
            let cell = &buffer[(x, 2)];
            assert_eq!(cell.symbol(), format!("{open}{ch}{CLOSE}"));
            assert_eq!(cell.diff_option, CellDiffOption::ForcedWidth(NonZeroU16::MIN));
        }
        assert_eq!(buffer[(5, 2)].symbol(), " ");
        assert_eq!(buffer[(9, 2)].symbol(), " ");
        assert!(buffer.content.iter().all(|c| !c.symbol().contains("off")), "a line not shown is left alone");
    }

    #[test]
    fn a_link_is_cut_at_the_edge_of_the_area() {
        let area = Rect::new(0, 0, 5, 1);
        let mut buffer = Buffer::empty(Rect::new(0, 0, 8, 1));
        buffer.set_string(0, 0, "abcdefgh", ratatui::style::Style::new());
        mark(&mut buffer, area, 0, &[anchor(0, 3, 5, "https://x.test/")]);
        assert!(buffer[(4, 0)].symbol().contains("https://x.test/"));
        assert_eq!(buffer[(5, 0)].symbol(), "f");
    }

    #[test]
    fn wide_characters_take_their_two_columns_once() {
        let area = Rect::new(0, 0, 6, 1);
        let mut buffer = Buffer::empty(area);
        buffer.set_string(0, 0, "新闻", ratatui::style::Style::new());
        mark(&mut buffer, area, 0, &[anchor(0, 0, 4, "https://x.test/")]);
        assert!(buffer[(0, 0)].symbol().ends_with(&format!("新{CLOSE}")));
        assert_eq!(buffer[(0, 0)].diff_option, CellDiffOption::ForcedWidth(NonZeroU16::new(2).expect("2")));
        assert!(buffer[(2, 0)].symbol().ends_with(&format!("闻{CLOSE}")));
    }

    #[test]
    fn targets_with_control_or_non_ascii_bytes_are_not_linked() {
        assert_eq!(opening("https://x.test/\x1b]0;title\x07"), None);
        assert_eq!(opening("https://x.test/a b"), None);
        assert_eq!(opening("https://x.test/é"), None);
        assert!(opening("https://x.test/%C3%A9?q=1&r=2#top").is_some());
    }
}
