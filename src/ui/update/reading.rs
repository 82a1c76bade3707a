//! The open article: opening it (marked read), its document (rendered off the interface's
//! thread: asked for with [`Effect::Render`], shown when [`super::Msg::Rendered`] answers the
//! latest request), the page's article arriving, the feed's text on request, its links, and the
//! related stories beside it (looked up off the interface's thread too: [`Effect::FindRelated`]).

use super::Effect;
use super::counts::show_read;
use crate::model::{FlagChange, ItemId, ItemRow};
use crate::render::RenderedArticle;
use crate::ui::app::{App, Article, Pane, RelatedEntry};
use crate::ui::document::RenderRequest;
use crate::ui::layout::{layout, text_width};
use crate::ui::library::Library;

/// Shows an article, marks it read and finds its related stories.
pub fn open_article(app: &mut App, id: ItemId, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let mut item = match lib.item(id) {
        Ok(Some(item)) => item,
        Ok(None) => {
            app.status.message = Some("That item is no longer in the cache".into());
            return;
        }
        Err(e) => {
            app.status.last_error = Some(e.to_string());
            return;
        }
    };
    if !item.read {
        effects.push(Effect::Save(FlagChange::Read { ids: vec![id], read: true }));
        show_read(app, id, item.feed_id, true);
        item.read = true;
    }
    let source = app.feed_name(item.feed_id);
    app.focus = Pane::Article;
    let width = text_width(layout(app.size.0, app.size.1, Pane::Article, true, None).article).max(20);
    let also_covered_by = other_sources(app, &item, lib);
    // Only the open article's images are loaded and kept.
    app.images.loaded.clear();
    app.article = Some(Article {
        item,
        source,
        rendered: Default::default(),
        width,
        scroll: 0,
        also_covered_by,
        feed_text: false,
        related: None,
        related_state: Default::default(),
        render_id: 0,
    });
    request_render(app, effects);
    effects.push(Effect::FindRelated(id));
}

/// Asks for the open article's document as it is now.
pub(super) fn request_render(app: &mut App, effects: &mut Vec<Effect>) {
    let hint = super::enclosures::hint(app);
    let rows = app.article.as_ref().map_or(0, |a| app.images.rows_for(a.width));
    let Some(article) = app.article.as_mut() else { return };
    app.renders += 1;
    article.render_id = app.renders;
    let request = RenderRequest::for_article(app.renders, article, &app.theme, &app.time, hint, rows);
    effects.push(Effect::Render(Box::new(request)));
}

/// A document arrived: shown when it answers the latest request for the article on screen.
pub(super) fn rendered(app: &mut App, id: u64, document: RenderedArticle) {
    let Some(article) = app.article.as_mut().filter(|a| a.render_id == id) else { return };
    article.rendered = document;
    article.scroll = article.scroll.min(article.rendered.lines.len().saturating_sub(1));
}

/// Renders the open article again when its pane changed width.
pub(super) fn rerender_if_resized(app: &mut App, effects: &mut Vec<Effect>) {
    let width = text_width(app.areas.article);
    let Some(article) = app.article.as_mut().filter(|a| width > 0 && a.width != width) else { return };
    article.width = width;
    request_render(app, effects);
}

/// The names of the other feeds that cover the item's story.
fn other_sources(app: &App, item: &ItemRow, lib: &dyn Library) -> Vec<String> {
    let Some(story) = item.story_id else { return Vec::new() };
    let mut names: Vec<String> = Vec::new();
    for (_, feed) in lib.story_members(story).unwrap_or_default() {
        let name = app.feed_name(feed);
        if feed != item.feed_id && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The story groups changed: the open article names its other sources anew.
pub(super) fn story_changed(app: &mut App, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let Some(id) = app.article.as_ref().map(|a| a.item.id) else { return };
    let Ok(Some(item)) = lib.item(id) else { return };
    let also_covered_by = other_sources(app, &item, lib);
    if let Some(article) = app.article.as_mut() {
        article.item.story_id = item.story_id;
        article.also_covered_by = also_covered_by;
    }
    request_render(app, effects);
}

/// Switches the open article between the text extracted from its page and the feed's own.
pub(super) fn toggle_feed_text(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(article) = app.article.as_mut() else { return };
    if article.item.article_html.is_none() {
        app.status.message = Some(match &article.item.article_error {
            Some(error) => format!("No article from the page: {error}"),
            None => "This item has only the feed's text".into(),
        });
        return;
    }
    article.feed_text = !article.feed_text;
    article.scroll = 0;
    request_render(app, effects);
}

/// Shows the article extracted from its page when it arrives for the item on screen, keeping the
/// reading position.
pub(super) fn article_arrived(app: &mut App, id: ItemId, lib: &dyn Library, effects: &mut Vec<Effect>) {
    if app.article.as_ref().is_none_or(|a| a.item.id != id) {
        return;
    }
    let Ok(Some(mut item)) = lib.item(id) else { return };
    if let Some(article) = app.article.as_mut() {
        item.read = article.item.read;
        article.item = item;
    }
    request_render(app, effects);
}

/// Related stories arrived: listed when they are the open article's.
pub(super) fn related_found(app: &mut App, item: ItemId, ids: Option<Vec<ItemId>>, lib: &dyn Library) {
    if app.article.as_ref().is_none_or(|a| a.item.id != item) {
        return;
    }
    // In the index's order, best first (the rows come in the order asked for).
    let entries = ids.map(|ids| {
        let rows = lib.summaries(&ids).unwrap_or_default();
        rows.into_iter()
            .map(|r| RelatedEntry {
                id: r.id,
                source: app.feed_name(r.feed_id),
                published_at: r.published_at,
                title: r.title,
                read: r.read,
            })
            .collect()
    });
    if let Some(article) = app.article.as_mut() {
        article.related = entries;
    }
}

/// Asks again for the related stories of the open article when they waited for the index.
pub(super) fn fill_pending_related(app: &mut App, effects: &mut Vec<Effect>) {
    if let Some(article) = app.article.as_ref().filter(|a| a.related.is_none()) {
        effects.push(Effect::FindRelated(article.item.id));
    }
}

pub(super) fn open_link(app: &mut App, n: usize, effects: &mut Vec<Effect>) {
    let link = app.article.as_ref().and_then(|a| a.rendered.links.get(n.wrapping_sub(1)).cloned());
    match link {
        Some(url) => open_url(app, url, effects),
        None => app.status.message = Some(format!("No link {n} in this article")),
    }
}

/// Hands `url` to the browser unless it is not a web (or mailto:) address: then says why not.
pub(super) fn open_url(app: &mut App, url: String, effects: &mut Vec<Effect>) {
    match crate::render::refused_link(&url) {
        None => effects.push(Effect::OpenUrl(url)),
        Some(reason) => app.status.message = Some(reason),
    }
}
