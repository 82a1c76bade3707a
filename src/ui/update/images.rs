//! Pictures in the open article: the toggle key, which images to load (those of the open
//! article within a page or two of what is on screen, each once), and their answers. The
//! fetching, decoding and encoding happen at the edge ([`Effect::LoadImage`]); the answer comes
//! back as [`super::Msg::Image`], and nothing here waits for it.

use super::Effect;
use super::reading::request_render;
use crate::render::picture::Picture;
use crate::ui::app::{App, ImageStatus};
use crate::ui::layout::inner_height;

/// `toggle_images`: pictures on or off (then each image is its label); the document is laid out
/// again for the change.
pub(super) fn toggle(app: &mut App, effects: &mut Vec<Effect>) {
    if !app.images.drawable {
        app.status.message = Some("Pictures are not drawn here: [images] protocol is \"off\"".into());
        return;
    }
    app.images.shown = !app.images.shown;
    app.status.message =
        Some(if app.images.shown { "Showing pictures" } else { "Pictures off: their alt text is shown" }.into());
    request_render(app, effects);
}

/// An image's answer: kept when the open article still waits for it.
pub(super) fn arrived(app: &mut App, url: String, result: Result<Picture, String>) {
    let Some(status) = app.images.loaded.get_mut(&url) else { return };
    *status = match result {
        Ok(picture) => ImageStatus::Ready(picture),
        Err(reason) => ImageStatus::Failed(crate::sanitize::clean_line(&reason)),
    };
}

/// Asks for the pictures of the open article that are on screen or within a page of it and
/// not asked for yet (or asked for at another size, before the pane was resized).
pub(super) fn load_near_view(app: &mut App, effects: &mut Vec<Effect>) {
    if !(app.images.shown && app.images.drawable) {
        return;
    }
    let Some(article) = &app.article else { return };
    let page = inner_height(app.areas.article).max(1);
    let (from, to) = (article.scroll.saturating_sub(page), article.scroll + 2 * page);
    let cols = article.width;
    for slot in article.rendered.images.iter().filter(|s| s.rows > 0 && (from..to).contains(&s.line)) {
        let Some(url) = &slot.url else { continue };
        let current = match app.images.loaded.get(url) {
            None => false,
            Some(ImageStatus::Ready(p)) => (p.cols, p.rows) == (cols, slot.rows),
            Some(_) => true,
        };
        if !current {
            app.images.loaded.insert(url.clone(), ImageStatus::Loading);
            effects.push(Effect::LoadImage { url: url.clone(), cols, rows: slot.rows });
        }
    }
}
