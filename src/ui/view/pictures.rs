//! The article's pictures, drawn over the rows the document keeps under each image's label:
//! only a picture whose whole box is on screen (a graphics protocol cannot draw half of one),
//! and a word where it is still loading or failed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::app::{App, Article, ImageStatus};

pub fn draw(frame: &mut Frame, app: &App, article: &Article, area: Rect) {
    if !(app.images.shown && app.images.drawable) {
        return;
    }
    let (scroll, height) = (article.scroll, usize::from(area.height));
    for slot in article.rendered.images.iter().filter(|s| s.rows > 0) {
        let Some(url) = &slot.url else { continue };
        let top = slot.line + 1;
        let rows = usize::from(slot.rows);
        if top < scroll || top + rows > scroll + height {
            continue;
        }
        let Ok(y) = u16::try_from(top - scroll) else { continue };
        let cell = Rect::new(area.x, area.y + y, area.width, slot.rows);
        let note = match app.images.loaded.get(url) {
            Some(ImageStatus::Ready(picture)) => {
                frame.render_widget(ratatui_image::Image::new(picture.protocol()), cell);
                continue;
            }
            Some(ImageStatus::Loading) | None => "loading…".to_string(),
            Some(ImageStatus::Failed(reason)) => format!("not shown: {reason}"),
        };
        let line = Line::from(Span::styled(crate::text::fit_width(&note, usize::from(area.width)), app.theme.dim()));
        frame.render_widget(Paragraph::new(line), Rect { height: 1, ..cell });
    }
}
