use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fit;
use crate::timefmt::age;
use crate::ui::app::{App, Mode, PollProgress};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let width = usize::from(area.width);
    let line = match &app.mode {
        Mode::Search { input } => Line::from(vec![
            Span::styled("Search: ", app.theme.title()),
            Span::raw(format!("{input}▏")),
            Span::styled("  (Enter runs, Esc cancels)", app.theme.dim()),
        ]),
        Mode::FollowLink { digits } => Line::from(vec![
            Span::styled("Open link number: ", app.theme.title()),
            Span::raw(format!("{digits}▏")),
            Span::styled("  (Enter opens, Esc cancels)", app.theme.dim()),
        ]),
        _ => {
            let status = &app.status;
            let progress = match status.polling {
                Some(PollProgress::Feeds { done, total }) => {
                    format!("Polling {done}/{total} · {} new", status.new_items)
                }
                Some(PollProgress::Pages { done, total }) => format!("Full text {done}/{total}"),
                None => match status.last_poll_at {
                    Some(at) if app.now - at < 60 => "Updated just now".to_string(),
                    Some(at) => format!("Updated {} ago", age(at, app.now)),
                    None => String::new(),
                },
            };
            let hint = "? help";
            let middle_width = width.saturating_sub(progress.chars().count() + hint.len() + 4);
            let (middle, style) = match (&status.message, &status.last_error) {
                (Some(message), _) => (message.clone(), app.theme.read()),
                (None, Some(error)) => (format!("! {error}"), app.theme.error()),
                (None, None) => (String::new(), app.theme.read()),
            };
            let middle = fit(&middle, middle_width);
            let pad = middle_width.saturating_sub(unicode_width::UnicodeWidthStr::width(middle.as_str()));
            Line::from(vec![
                Span::styled(format!(" {progress}"), app.theme.dim()),
                Span::raw(if progress.is_empty() { "" } else { "  " }),
                Span::styled(middle, style),
                Span::raw(" ".repeat(pad)),
                Span::styled(format!(" {hint} "), app.theme.dim()),
            ])
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}
