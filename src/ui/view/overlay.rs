//! A box over the panes that scrolls (the help, the feed-info view): centred, as tall as its
//! lines or the screen, a title that says how its keys work, and a bottom line that says which
//! lines are shown when they do not all fit. `update` clamps its scrolling with [`max_scroll`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use super::{fit, inner};
use crate::keys::Action;
use crate::ui::app::App;

/// The box on a `width` x `height` screen, at most `max_width` wide, for `lines` lines.
pub fn area(width: u16, height: u16, max_width: u16, lines: usize) -> Rect {
    let w = width.saturating_sub(4).min(max_width);
    let h = height.saturating_sub(2).min(u16::try_from(lines + 2).unwrap_or(u16::MAX));
    Rect::new((width - w) / 2, (height.saturating_sub(h)) / 2, w, h)
}

/// The text width inside a box at most `max_width` wide on a screen `width` wide.
pub fn inner_width(width: u16, max_width: u16) -> usize {
    usize::from(width.saturating_sub(4).min(max_width).saturating_sub(2))
}

/// How far `lines` lines scroll in the box at the app's size: until the last is on the bottom.
pub fn max_scroll(app: &App, max_width: u16, lines: usize) -> usize {
    lines.saturating_sub(usize::from(inner(area(app.size.0, app.size.1, max_width, lines)).height))
}

/// Draws the box titled "`name`: j/k scroll, any other key closes" (with the keys as bound) and
/// the lines from `scroll` on.
pub fn draw(frame: &mut Frame, app: &App, name: &str, max_width: u16, lines: Vec<Line<'_>>, scroll: usize) {
    let title = format!(
        " {name}: {}/{} scroll, any other key closes ",
        first_key(app, Action::Down),
        first_key(app, Action::Up)
    );
    draw_titled(frame, app, &title, max_width, lines, scroll);
}

/// Draws the box with `title` and the lines from `scroll` on.
pub fn draw_titled(frame: &mut Frame, app: &App, title: &str, max_width: u16, lines: Vec<Line<'_>>, scroll: usize) {
    let screen = frame.area();
    let area = area(screen.width, screen.height, max_width, lines.len());
    let inner = inner(area);
    let visible = usize::from(inner.height);
    let scroll = scroll.min(lines.len().saturating_sub(visible));
    frame.render_widget(Clear, area);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(app.theme.border(true))
        .title(Span::styled(fit(title, usize::from(area.width.saturating_sub(2))), app.theme.title()));
    if lines.len() > visible {
        let shown = format!(" {}-{} of {} ", scroll + 1, scroll + visible, lines.len());
        let more = if scroll + visible < lines.len() { "↓ more" } else { "end" };
        block = block.title_bottom(Span::styled(format!("{shown}· {more} "), app.theme.dim()));
    }
    frame.render_widget(block, area);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(visible).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// The first key bound to `action`, for the title.
pub fn first_key(app: &App, action: Action) -> String {
    app.keymap.keys_for(action).first().map_or_else(|| "?".into(), ToString::to_string)
}
