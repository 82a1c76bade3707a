use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use super::{fit, inner};
use crate::keys::Action;
use crate::keys::action::ACTIONS;
use crate::ui::app::App;

/// The help's rows: the keys bound to each action and what it does.
fn rows(app: &App) -> Vec<(String, &'static str)> {
    ACTIONS
        .iter()
        .filter(|info| info.action.link_number().is_none_or(|n| n == 1))
        .filter_map(|info| {
            let (keys, description) = match info.action.link_number() {
                // One line for the nine "open link N" actions.
                Some(_) => (
                    ACTIONS
                        .iter()
                        .filter(|i| i.action.link_number().is_some())
                        .flat_map(|i| app.keymap.keys_for(i.action))
                        .collect::<Vec<_>>(),
                    "Open link 1-9 of the article",
                ),
                None => (app.keymap.keys_for(info.action), info.description),
            };
            if keys.is_empty() {
                return None;
            }
            let keys = keys
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(if description.starts_with("Open link 1-9") { "" } else { ", " });
            Some((keys, description))
        })
        .collect()
}

/// The help's box on a `width` x `height` screen with `rows` rows of keys.
fn help_area(width: u16, height: u16, rows: usize) -> Rect {
    let w = width.saturating_sub(4).min(72);
    let h = height.saturating_sub(2).min(u16::try_from(rows + 2).unwrap_or(u16::MAX));
    Rect::new((width - w) / 2, (height.saturating_sub(h)) / 2, w, h)
}

/// How far the help scrolls at the app's size: until its last row is on the bottom line.
pub fn max_scroll(app: &App) -> usize {
    let rows = rows(app).len();
    let area = help_area(app.size.0, app.size.1, rows);
    rows.saturating_sub(usize::from(inner(area).height))
}

/// The first key bound to `action`, for the help's title.
fn first_key(app: &App, action: Action) -> String {
    app.keymap.keys_for(action).first().map_or_else(|| "?".into(), ToString::to_string)
}

/// The help screen, generated from the keymap (so rebinding a key changes it too). Down and up
/// scroll it, quit quits, any other key closes it; the bottom line says which rows are shown.
pub fn draw(frame: &mut Frame, app: &App, scroll: usize) {
    let screen = frame.area();
    let rows = rows(app);
    let area = help_area(screen.width, screen.height, rows.len());
    let inner = inner(area);
    let visible = usize::from(inner.height);
    let scroll = scroll.min(rows.len().saturating_sub(visible));
    frame.render_widget(Clear, area);
    let title =
        format!(" Keys: {}/{} scroll, any other key closes ", first_key(app, Action::Down), first_key(app, Action::Up));
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(app.theme.border(true))
        .title(Span::styled(fit(&title, usize::from(area.width.saturating_sub(2))), app.theme.title()));
    if rows.len() > visible {
        let shown = format!(" {}-{} of {} ", scroll + 1, scroll + visible, rows.len());
        let more = if scroll + visible < rows.len() { "↓ more" } else { "end" };
        block = block.title_bottom(Span::styled(format!("{shown}· {more} "), app.theme.dim()));
    }
    frame.render_widget(block, area);
    let key_width = 18;
    let lines: Vec<Line> = rows
        .iter()
        .skip(scroll)
        .take(visible)
        .map(|(keys, description)| {
            let keys = fit(keys, key_width);
            let desc = fit(description, usize::from(inner.width).saturating_sub(key_width + 2));
            Line::from(vec![Span::styled(format!(" {keys:<key_width$} "), app.theme.title()), Span::raw(desc)])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
