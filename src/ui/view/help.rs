use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use super::{fit, inner};
use crate::keys::action::ACTIONS;
use crate::ui::app::App;

/// The help screen, generated from the keymap (so rebinding a key changes it too).
pub fn draw(frame: &mut Frame, app: &App, scroll: usize) {
    let screen = frame.area();
    let width = screen.width.saturating_sub(4).min(72);
    let height = screen.height.saturating_sub(2).min(ACTIONS.len() as u16 + 4);
    let area = Rect::new((screen.width - width) / 2, (screen.height.saturating_sub(height)) / 2, width, height);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(app.theme.border(true))
        .title(Span::styled(" Keys (any key closes) ", app.theme.title()));
    frame.render_widget(block, area);
    let inner = inner(area);
    let key_width = 18;
    let lines: Vec<Line> = ACTIONS
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
            let keys = fit(&keys, key_width);
            let desc = fit(description, usize::from(inner.width).saturating_sub(key_width + 2));
            Some(Line::from(vec![Span::styled(format!(" {keys:<key_width$} "), app.theme.title()), Span::raw(desc)]))
        })
        .skip(scroll)
        .take(usize::from(inner.height))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
