use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{inner, pane_block};
use crate::ui::app::{App, Pane};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(article) = &app.article else {
        frame.render_widget(pane_block(app, Pane::Article, "Article".into()), area);
        let hint =
            Paragraph::new(Line::from(Span::styled("Select a headline and press Enter to read it.", app.theme.dim())))
                .wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(hint, padded(inner(area)));
        return;
    };
    let height = usize::from(area.height.saturating_sub(2));
    let total = article.rendered.lines.len();
    let mut title = String::from("Article");
    if article.item.starred {
        title.push_str(" ★");
    }
    if total > height {
        let percent = ((article.scroll + height).min(total) * 100) / total.max(1);
        title.push_str(&format!(" · {percent}%"));
    }
    frame.render_widget(pane_block(app, Pane::Article, title), area);
    let visible: Vec<Line> = article.rendered.lines.iter().skip(article.scroll).take(height).cloned().collect();
    let text_area = padded(inner(area));
    frame.render_widget(Paragraph::new(visible), text_area);
    super::pictures::draw(frame, app, article, text_area);
    if app.hyperlinks {
        super::hyperlinks::mark(frame.buffer_mut(), text_area, article.scroll, &article.rendered.anchors);
    }
}

fn padded(area: Rect) -> Rect {
    Rect::new(area.x + 1, area.y, area.width.saturating_sub(2), area.height)
}
