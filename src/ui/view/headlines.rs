use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, inner, pane_block};
use crate::model::ItemFilter;
use crate::timefmt::{AGE_WIDTH, age_in};
use crate::ui::app::{App, Pane};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let list = &app.headlines;
    // Items, not lines: a folded story line stands for its other items too.
    let folded: usize = list.stories.values().filter(|l| !l.member && !l.expanded).map(|l| l.others).sum();
    let mut title = format!("{} ({})", list.title, list.ids.len() + folded);
    if app.unread_only {
        title.push_str(" · unread");
    }
    frame.render_widget(pane_block(app, Pane::Headlines, title), area);
    let inner = inner(area);
    let width = usize::from(inner.width);
    let focused = app.focus == Pane::Headlines;
    let mut lines = Vec::new();
    if list.ids.is_empty() {
        let hint = if let Some(ItemFilter::Search(search)) = &list.filter {
            format!("No results for \"{}\".", search.text)
        } else if app.entries.len() <= 3 && list.filter.is_some() {
            "No feeds yet: add [[feed]] entries to the config.".into()
        } else if app.unread_only {
            "Nothing unread here (u shows everything).".into()
        } else {
            "Nothing here yet.".into()
        };
        lines.push(Line::from(Span::styled(fit(&hint, width), app.theme.dim())));
    }
    // The source column grows with the pane, up to a quarter of it, and takes no more than the
    // longest name on screen needs.
    let source_width = if list.mixed {
        let longest = list
            .ids
            .iter()
            .skip(list.state.offset)
            .take(usize::from(inner.height))
            .filter_map(|id| list.rows.get(id))
            .map(|row| unicode_width::UnicodeWidthStr::width(app.feed_name(row.feed_id).as_str()))
            .max()
            .unwrap_or(0);
        longest.clamp(6, (width / 4).max(6))
    } else {
        0
    };
    for (index, id) in list.ids.iter().enumerate().skip(list.state.offset).take(usize::from(inner.height)) {
        let Some(row) = list.rows.get(id) else {
            lines.push(Line::from(Span::styled("…", app.theme.dim())));
            continue;
        };
        let selected = index == list.state.selected;
        let base = if row.read { app.theme.read() } else { app.theme.unread() };
        let style = if selected { app.theme.selected(focused) } else { base };
        let mut spans = vec![
            Span::styled(if row.read { " " } else { "●" }, if selected { style } else { app.theme.unread() }),
            Span::styled(if row.starred { "★" } else { " " }, if selected { style } else { app.theme.star() }),
            Span::styled(
                format!("{:>AGE_WIDTH$} ", age_in(row.published_at, app.now, app.time.offset)),
                if selected { style } else { app.theme.dim() },
            ),
        ];
        let mut used = AGE_WIDTH + 3;
        if source_width > 0 {
            let source = fit(&app.feed_name(row.feed_id), source_width);
            let pad = source_width.saturating_sub(unicode_width::UnicodeWidthStr::width(source.as_str()));
            spans.push(Span::styled(
                format!("{source}{} ", " ".repeat(pad)),
                if selected { style } else { app.theme.dim() },
            ));
            used += source_width + 1;
        }
        let story = list.stories.get(id);
        let (indent, badge) = match story {
            Some(line) if line.member => ("  ↳ ", String::new()),
            Some(line) if line.expanded => ("", format!(" ▾ {} sources", line.sources)),
            // Folded: whether the hidden items hold unread ones.
            Some(line) if line.unread_others > 0 => {
                ("", format!(" ▸ {} sources, {} unread", line.sources, line.unread_others))
            }
            Some(line) => ("", format!(" ▸ {} sources", line.sources)),
            None => ("", String::new()),
        };
        let badge_width = unicode_width::UnicodeWidthStr::width(badge.as_str());
        let title_width = width.saturating_sub(used + badge_width + indent.chars().count());
        let title = fit(&row.title, title_width);
        let pad = title_width.saturating_sub(unicode_width::UnicodeWidthStr::width(title.as_str()));
        spans.push(Span::styled(format!("{indent}{title}{}", " ".repeat(pad)), style));
        if !badge.is_empty() {
            spans.push(Span::styled(badge, if selected { style } else { app.theme.dim() }));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
