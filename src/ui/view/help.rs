use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::{fit, overlay};
use crate::keys::table;
use crate::ui::app::App;

/// The help's rows: the keys bound to each action and what it does.
fn rows(app: &App) -> Vec<(String, &'static str)> {
    table::rows(&app.keymap).into_iter().map(|row| (row.joined(), row.description)).collect()
}

/// The help's box is at most this wide.
const MAX_WIDTH: u16 = 72;

/// The width of the keys' column.
const KEY_WIDTH: usize = 18;

/// How far the help scrolls at the app's size: until its last row is on the bottom line.
pub fn max_scroll(app: &App) -> usize {
    overlay::max_scroll(app, MAX_WIDTH, rows(app).len())
}

/// The help screen, generated from the keymap (so rebinding a key changes it too). Down and up
/// scroll it, quit quits, any other key closes it; the bottom line says which rows are shown.
pub fn draw(frame: &mut Frame, app: &App, scroll: usize) {
    let width = overlay::inner_width(frame.area().width, MAX_WIDTH);
    let lines: Vec<Line> = rows(app)
        .iter()
        .map(|(keys, description)| {
            let keys = fit(keys, KEY_WIDTH);
            let desc = fit(description, width.saturating_sub(KEY_WIDTH + 2));
            Line::from(vec![Span::styled(format!(" {keys:<KEY_WIDTH$} "), app.theme.title()), Span::raw(desc)])
        })
        .collect();
    overlay::draw(frame, app, "Keys", MAX_WIDTH, lines, scroll);
}
