use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::{fit, inner};
use crate::ui::action::ACTIONS;
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
        .filter_map(|info| {
            let keys = app.keymap.keys_for(info.action);
            if keys.is_empty() {
                return None;
            }
            let keys = keys.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            let keys = fit(&keys, key_width);
            let desc = fit(info.description, usize::from(inner.width).saturating_sub(key_width + 2));
            Some(Line::from(vec![
                Span::styled(format!(" {keys:<key_width$} "), app.theme.title()),
                Span::raw(desc),
            ]))
        })
        .skip(scroll)
        .take(usize::from(inner.height))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
