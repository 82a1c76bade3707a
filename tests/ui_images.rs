//! Images in the article on TestBackend: with pictures off each image is its label line
//! (`[image: alt]`, caption or file name, cleaned); the toggle key turns pictures on (when the
//! terminal can draw them), which keeps rows under each label and asks for the images near the
//! view; a half-block picture arriving is drawn in its rows, a failure says why.

mod ui_support;

use ratatui::layout::Rect;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use tidings::model::{FeedMeta, NewItem, ParsedFeed};
use tidings::render::picture::Picture;
use tidings::ui::app::ImageStatus;
use tidings::ui::update::{Effect, Msg};
use ui_support::{Fixture, NOW, over_feeds};

const PIER: &str = "https://photos.example/img/pier.png";
const GULLS: &str = "https://cdn.example/gulls.webp";
/// The character ratatui-image's half-blocks are drawn with (colours above and below).
const HALF_BLOCKS: char = '▄';

fn photo_fixture() -> Fixture {
    let html = "<p>The storm passed in the night.</p>\
        <figure><img src=\"/img/pier.png\" alt=\"The pier at dawn\"><figcaption>Photo: A. Reporter</figcaption></figure>\
        <p>Boats came back by noon.</p>\
        <figure><img src=\"https://cdn.example/gulls.webp\"><figcaption>Gulls over the \u{1b}]0;pwned\u{7}harbour</figcaption></figure>\
        <p>The ferry runs again tomorrow.</p>";
    let item = NewItem {
        guid: "storm".into(),
        url: Some("https://photos.example/2026/storm".into()),
        title: "After the storm".into(),
        author: None,
        published_at: Some(NOW - 3600),
        updated_at: None,
        summary_html: None,
        content_html: Some(html.into()),
        summary_only: None,
        enclosures: Vec::new(),
    };
    let parsed =
        ParsedFeed { meta: FeedMeta { title: Some("Harbour Photos".into()), ..Default::default() }, items: vec![item] };
    let mut f = over_feeds(&[("https://photos.example/feed.xml", parsed)], 80, 36);
    f.keys(&["enter", "enter"]);
    assert_eq!(f.article_title().as_deref(), Some("After the storm"));
    f
}

/// A 200 × 120 gradient as half-blocks for a box of `cols` by `rows` cells.
fn halfblock_picture(cols: u16, rows: u16) -> Picture {
    let image = image::RgbImage::from_fn(200, 120, |x, y| image::Rgb([x as u8, y as u8 * 2, 90]));
    let protocol = Picker::halfblocks()
        .new_protocol(image.into(), Rect::new(0, 0, cols, rows), Resize::Fit(None))
        .expect("half-blocks");
    Picture::new(protocol, cols, rows)
}

fn loads(effects: &[Effect]) -> Vec<(String, u16, u16)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadImage { url, cols, rows } => Some((url.clone(), *cols, *rows)),
            _ => None,
        })
        .collect()
}

#[test]
fn with_pictures_off_each_image_is_its_alt_text() {
    let f = photo_fixture();
    let terminal = f.render();
    let screen = terminal.backend().to_string();
    assert!(screen.contains("[image: The pier at dawn]"), "{screen}");
    assert!(screen.contains("[image: Gulls over the"), "the caption, cleaned: {screen}");
    assert!(!screen.contains('\u{1b}') && !screen.contains("pwned\u{7}"), "{screen}");
    insta::assert_snapshot!("images_off_alt_text", terminal.backend());
}

#[test]
fn the_toggle_says_so_where_pictures_cannot_be_drawn() {
    let mut f = photo_fixture();
    let effects = f.keys(&["I"]);
    assert!(!f.app.images.shown);
    assert!(loads(&effects).is_empty(), "{effects:?}");
    assert!(f.app.status.message.as_deref().is_some_and(|m| m.contains("protocol is \"off\"")));
}

#[test]
fn pictures_on_keep_rows_load_near_the_view_and_draw_half_blocks() {
    let mut f = photo_fixture();
    f.app.images.drawable = true;
    let effects = f.keys(&["I"]);
    assert!(f.app.images.shown);
    assert!(effects.iter().any(|e| matches!(e, Effect::Render(_))), "laid out again: {effects:?}");
    // The document kept rows under both labels; both are within a page of the view.
    let slots = &f.app.article.as_ref().expect("article").rendered.images;
    assert_eq!(slots.len(), 2);
    assert!(slots.iter().all(|s| s.rows == 12), "{slots:?}");
    let asked = loads(&f.reader.handle(Msg::Tick));
    assert!(asked.is_empty(), "each image is asked for once: {asked:?}");
    assert_eq!(f.app.images.loaded.get(PIER), Some(&ImageStatus::Loading));
    assert_eq!(f.app.images.loaded.get(GULLS), Some(&ImageStatus::Loading));
    insta::assert_snapshot!("images_loading", f.render().backend());

    let width = f.app.article.as_ref().expect("article").width;
    f.send(Msg::Image { url: PIER.into(), result: Ok(halfblock_picture(width, 12)) });
    f.send(Msg::Image { url: GULLS.into(), result: Err("HTTP 404".into()) });
    let terminal = f.render();
    let screen = terminal.backend().to_string();
    assert!(screen.contains(HALF_BLOCKS), "half-blocks drawn: {screen}");
    // In colour: the row under the label, where the picture starts.
    let buffer = terminal.backend().buffer();
    let label_y = (0..buffer.area.height)
        .find(|&y| {
            (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>().contains("[image: The pier")
        })
        .expect("the label");
    let cell = &buffer[(2, label_y + 1)];
    assert!(cell.fg != ratatui::style::Color::Reset && cell.bg != ratatui::style::Color::Reset, "{cell:?}");
    assert_eq!(f.app.images.loaded.get(GULLS), Some(&ImageStatus::Failed("HTTP 404".into())));
    insta::assert_snapshot!("images_halfblocks_drawn", terminal.backend());
    // Scrolled to the end, the second box is whole on screen: it says why it is empty.
    f.keys(&["G"]);
    let screen = f.render().backend().to_string();
    assert!(screen.contains("not shown: HTTP 404"), "{screen}");

    // An answer for an image that is no longer asked for (another article) is dropped.
    f.send(Msg::Image { url: "https://elsewhere.example/x.png".into(), result: Err("late".into()) });
    assert!(!f.app.images.loaded.contains_key("https://elsewhere.example/x.png"));

    // Off again: labels only, no rows, nothing asked for.
    let effects = f.keys(&["I"]);
    assert!(!f.app.images.shown && loads(&effects).is_empty());
    let slots = &f.app.article.as_ref().expect("article").rendered.images;
    assert!(slots.iter().all(|s| s.rows == 0), "{slots:?}");
    assert!(!f.render().backend().to_string().contains(HALF_BLOCKS));
}

#[test]
fn opening_another_article_forgets_the_images_of_the_last() {
    let mut f = photo_fixture();
    f.app.images.drawable = true;
    f.keys(&["I"]);
    assert!(!f.app.images.loaded.is_empty());
    f.keys(&["esc", "enter"]);
    let effects_again = f.app.images.loaded.len();
    assert_eq!(effects_again, 2, "the same article opened again asks again");
}
