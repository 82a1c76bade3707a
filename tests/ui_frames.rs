//! Frames drawn on ratatui's TestBackend at 80x24 and 160x48, checked with insta snapshots.

mod ui_support;

use tidings::ui::update::Msg;
use ui_support::{empty, fixture};

macro_rules! frame {
    ($name:expr, $fixture:expr) => {
        insta::assert_snapshot!($name, $fixture.render().backend())
    };
}

#[test]
fn wide_three_panes_with_article_and_related() {
    let mut f = fixture(160, 48);
    frame!("wide_start", f);
    f.keys(&["enter"]);
    frame!("wide_article_related", f);
}

#[test]
fn narrow_one_pane_at_a_time() {
    let mut f = fixture(80, 24);
    frame!("narrow_feeds", f);
    f.keys(&["enter"]);
    frame!("narrow_headlines", f);
    f.keys(&["enter"]);
    frame!("narrow_article", f);
    f.keys(&["tab"]);
    frame!("narrow_related_focused", f);
}

#[test]
fn help_is_generated_from_the_keymap() {
    let mut f = fixture(80, 24);
    f.keys(&["?"]);
    frame!("narrow_help", f);
    let mut f = fixture(160, 48);
    f.keys(&["?"]);
    frame!("wide_help", f);
}

#[test]
fn search_prompt_and_results() {
    let mut f = fixture(80, 24);
    f.keys(&["enter", "/"]);
    f.type_text("ferry");
    frame!("narrow_search_prompt", f);
    f.keys(&["enter"]);
    frame!("narrow_search_results", f);
}

#[test]
fn failing_feed_shows_its_error() {
    let mut f = fixture(80, 24);
    f.keys(&["G"]); // Broken Feed, the last entry
    frame!("narrow_feed_error", f);
    let mut f = fixture(160, 48);
    f.keys(&["shift-tab", "G"]);
    frame!("wide_feed_error", f);
}

#[test]
fn empty_cache() {
    let f = empty(80, 24);
    frame!("narrow_empty", f);
    let f = empty(160, 48);
    frame!("wide_empty", f);
}

#[test]
fn long_article_scrolled() {
    let mut f = fixture(80, 24);
    f.keys(&["j", "j", "j", "j", "enter", "G", "enter"]);
    frame!("narrow_long_article_top", f);
    f.keys(&["space"]);
    frame!("narrow_long_article_page_two", f);
    f.keys(&["G"]);
    frame!("narrow_long_article_end_with_links", f);
}

#[test]
fn tiny_terminal_still_draws() {
    let mut f = fixture(160, 48);
    f.keys(&["enter"]);
    f.send(Msg::Resize(40, 10));
    frame!("tiny_article", f);
}

#[test]
fn stories_from_several_feeds_take_one_line() {
    let mut f = fixture(160, 48);
    f.group(
        &["Ferry crews walk out at Port Ellery over pay", "Port Ellery ferry strike strands thousands of commuters"],
        1,
    );
    frame!("wide_story_folded", f);
    f.keys(&["e", "j", "enter"]);
    frame!("wide_story_expanded_article", f);
}
