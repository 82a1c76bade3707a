//! Where the panes go for a terminal size: three columns when wide; two from 96 columns (the
//! feeds or the headlines, whichever has the focus, beside the article); one pane at a time when
//! narrow. Pure; `update` and the views share it.

use ratatui::layout::Rect;

use super::app::{Areas, Pane, WIDE_MIN_WIDTH};

/// Terminals at least this wide (and narrower than [`WIDE_MIN_WIDTH`]) show two panes.
pub const TWO_PANES_MIN_WIDTH: u16 = 96;

/// `related`: how many related stories the open article lists, when known (the pane under the
/// article shrinks to fit a short list, or the one line that says there are none).
pub fn layout(width: u16, height: u16, focus: Pane, has_article: bool, related: Option<usize>) -> Areas {
    let status = Rect::new(0, height.saturating_sub(1), width, height.min(1));
    let main = Rect::new(0, 0, width, height.saturating_sub(1));
    if width >= WIDE_MIN_WIDTH {
        let feeds_w = (width / 6).clamp(20, 32);
        let rest = width - feeds_w;
        let headlines_w = rest / 2;
        let article_w = rest - headlines_w;
        let feeds = Rect::new(0, 0, feeds_w, main.height);
        let headlines = Rect::new(feeds_w, 0, headlines_w, main.height);
        let (article, related) = split_article(Rect::new(feeds_w + headlines_w, 0, article_w, main.height), related);
        return Areas { feeds: Some(feeds), headlines: Some(headlines), article: Some(article), related, status };
    }
    if width >= TWO_PANES_MIN_WIDTH {
        let list_w = width * 2 / 5;
        let list = Rect::new(0, 0, list_w, main.height);
        let (article, related) = split_article(Rect::new(list_w, 0, width - list_w, main.height), related);
        let (feeds, headlines) = if focus == Pane::Feeds { (Some(list), None) } else { (None, Some(list)) };
        return Areas { feeds, headlines, article: Some(article), related, status };
    }
    match focus {
        Pane::Feeds => Areas { feeds: Some(main), status, ..Areas::default() },
        Pane::Headlines => Areas { headlines: Some(main), status, ..Areas::default() },
        Pane::Article | Pane::Related if has_article => {
            let (article, related) = split_article(main, related);
            match (focus, related) {
                (Pane::Related, None) => Areas { related: Some(main), status, ..Areas::default() },
                _ => Areas { article: Some(article), related, status, ..Areas::default() },
            }
        }
        _ => Areas { headlines: Some(main), status, ..Areas::default() },
    }
}

/// The article with the related-stories pane under it, when there is room for both.
fn split_article(area: Rect, related: Option<usize>) -> (Rect, Option<Rect>) {
    if area.height < 16 {
        return (area, None);
    }
    let most = (area.height / 4).clamp(5, 12);
    // A list shorter than the pane gets only its rows (an empty one its line saying so).
    let related_h = related.map_or(most, |n| (n.max(1) as u16).saturating_add(2).min(most));
    let article = Rect::new(area.x, area.y, area.width, area.height - related_h);
    let related = Rect::new(area.x, area.y + article.height, area.width, related_h);
    (article, Some(related))
}

/// Rows inside a bordered pane.
pub fn inner_height(area: Option<Rect>) -> usize {
    area.map_or(0, |a| usize::from(a.height.saturating_sub(2)))
}

/// Columns of text inside a bordered pane with one column of padding each side.
pub fn text_width(area: Option<Rect>) -> u16 {
    area.map_or(0, |a| a.width.saturating_sub(4))
}
