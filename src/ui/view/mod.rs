//! Drawing: a pure function of the state onto a ratatui frame.

mod article;
mod downloads;
mod feed_info;
mod feeds;
mod headlines;
mod help;
mod hyperlinks;
mod overlay;
mod pictures;
mod related;
mod status;

// Cuts text to a width in columns, ending with … (one rule for every pane and the renderer).
use crate::text::fit_width as fit;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, BorderType, Borders};

pub use feed_info::max_scroll as feed_info_max_scroll;
pub use help::max_scroll as help_max_scroll;

use super::app::{App, Mode, Pane};

pub fn draw(frame: &mut Frame, app: &App) {
    let areas = app.areas;
    if let Some(area) = areas.feeds {
        feeds::draw(frame, app, area);
    }
    if let Some(area) = areas.headlines {
        headlines::draw(frame, app, area);
    }
    if let Some(area) = areas.article {
        article::draw(frame, app, area);
    }
    if let Some(area) = areas.related {
        related::draw(frame, app, area);
    }
    status::draw(frame, app, areas.status);
    if let Mode::Help { scroll } = app.mode {
        help::draw(frame, app, scroll);
    }
    if matches!(app.mode, Mode::FeedInfo { .. }) {
        feed_info::draw(frame, app);
    }
    if let Mode::Downloads { selected } = app.mode {
        downloads::draw(frame, app, selected);
    }
}

/// A pane's frame: rounded borders, the title on top, accented when focused.
fn pane_block<'a>(app: &App, pane: Pane, title: String) -> Block<'a> {
    let focused = app.focus == pane;
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(app.theme.border(focused))
        .title(Span::styled(format!(" {title} "), if focused { app.theme.title() } else { app.theme.dim() }))
}

fn inner(area: Rect) -> Rect {
    Rect::new(area.x + 1, area.y + 1, area.width.saturating_sub(2), area.height.saturating_sub(2))
}
