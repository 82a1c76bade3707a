//! Issue 12's key friction, at the update layer with the real loop.

mod ui_support;

use tidings::ui::app::Pane;
use tidings::ui::library::Library;
use ui_support::fixture;

#[test]
fn page_keys_move_the_list_when_it_has_the_focus_and_scroll_the_article_when_it_has() {
    let mut f = fixture(160, 20);
    f.keys(&["shift-tab", "j", "j", "j", "j", "tab", "G", "enter"]); // the long report, read
    assert_eq!(f.app.focus, Pane::Article);
    f.keys(&["pagedown"]);
    let scrolled = f.app.article.as_ref().map(|a| a.scroll).expect("open");
    assert!(scrolled > 0, "the article scrolls while it has the focus");
    // Back to the headlines of All (six items): a page moves the selection, not the article.
    f.keys(&["shift-tab", "shift-tab", "k", "k", "k", "tab"]);
    assert_eq!(f.app.focus, Pane::Headlines);
    f.keys(&["g"]);
    let top = f.app.headlines.state.selected;
    f.keys(&["pagedown"]);
    assert!(f.app.headlines.state.selected > top, "the list moves by a page");
    assert_eq!(f.app.article.as_ref().map(|a| a.scroll), Some(scrolled), "the article stays where it was");
    f.keys(&["pageup"]);
    assert_eq!(f.app.headlines.state.selected, top);
}

#[test]
fn j_and_k_in_capitals_read_on_to_the_next_and_previous_article() {
    let mut f = fixture(80, 24);
    f.keys(&["enter", "enter"]); // All, its newest article
    assert_eq!(f.app.focus, Pane::Article);
    let first = f.article_title();
    f.keys(&["J"]);
    assert_eq!(f.article_title().as_deref(), Some("Ferry crews walk out at Port Ellery over pay"));
    assert_eq!(f.app.focus, Pane::Article, "still reading");
    assert_eq!(f.app.headlines.state.selected, 1, "the list follows");
    f.keys(&["K"]);
    assert_eq!(f.article_title(), first);
    f.keys(&["K"]);
    assert_eq!(f.app.status.message.as_deref(), Some("This is the first article"));
    f.keys(&["G", "esc", "G", "enter", "J"]);
    assert_eq!(f.app.status.message.as_deref(), Some("This is the last article"));
}

#[test]
fn u_in_capitals_undoes_marking_all_read_and_it_is_saved() {
    let mut f = fixture(160, 48);
    let before = f.app.entries[0].unread;
    assert!(before > 0);
    f.keys(&["A"]);
    assert_eq!(f.app.entries[0].unread, 0);
    f.keys(&["U"]);
    assert_eq!(f.app.status.message.as_deref(), Some(&*format!("Undone: marked {before} items read")));
    assert_eq!(f.app.entries[0].unread, before, "the counts come back");
    assert!(f.app.headlines.rows.values().all(|r| !r.read), "so do the rows");
    let ids = f.app.headlines.ids.clone();
    let saved = f.library.summaries(&ids).expect("rows");
    assert!(saved.iter().all(|r| !r.read), "and the cache holds it");
    f.keys(&["U"]);
    assert_eq!(f.app.status.message.as_deref(), Some("Nothing to undo"));
}

#[test]
fn u_in_capitals_undoes_a_star_and_a_toggled_read_flag() {
    let mut f = fixture(160, 48);
    let id = f.app.headlines.selected_id().expect("selection");
    f.keys(&["s", "U"]);
    assert!(!f.library.item(id).expect("read").expect("item").starred);
    f.keys(&["m", "U"]);
    assert!(!f.library.item(id).expect("read").expect("item").read);
    assert_eq!(f.app.status.message.as_deref(), Some("Undone: marked read"));
}

#[test]
fn at_100_columns_the_list_and_the_article_share_the_screen() {
    let mut f = ui_support::fixture(100, 30);
    f.keys(&["enter"]); // All
    assert_eq!(f.app.focus, Pane::Headlines);
    f.keys(&["enter"]);
    let areas = f.app.areas;
    assert!(areas.headlines.is_some() && areas.article.is_some(), "two panes: {areas:?}");
    insta::assert_snapshot!("two_panes_article", f.render().backend());
    f.keys(&["shift-tab", "shift-tab"]);
    assert_eq!(f.app.focus, Pane::Feeds);
    assert!(f.app.areas.feeds.is_some() && f.app.areas.headlines.is_none() && f.app.areas.article.is_some());
}

#[test]
fn y_copies_the_articles_link_through_the_terminal() {
    let mut f = fixture(160, 48);
    assert_eq!(f.keys(&["y"]), vec![tidings::ui::update::Effect::Copy("https://news.example/t1".into())]);
    assert_eq!(f.app.status.message.as_deref(), Some("Copied https://news.example/t1"));
}
