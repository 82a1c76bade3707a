//! Issue 12, friction: left clicks focus a pane, select a row, open the selected row (as Enter)
//! and open the link on an article line (as `f n Enter`); borders and the space below the last
//! row do nothing.

mod ui_support;

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use tidings::ui::app::Pane;
use tidings::ui::update::{Effect, Msg};
use ui_support::{Fixture, fixture};

fn click(column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column, row, modifiers: KeyModifiers::NONE })
}

/// Clicks the `n`th row on screen inside a bordered pane.
fn click_row(f: &mut Fixture, area: Rect, n: u16) -> Vec<Effect> {
    f.send(click(area.x + 3, area.y + 1 + n))
}

#[test]
fn a_click_on_a_feed_row_selects_it_and_lists_it() {
    let mut f = fixture(160, 48);
    assert_eq!(f.app.focus, Pane::Headlines);
    let feeds = f.app.areas.feeds.expect("feeds pane");
    let label = f.app.entries[3].label.clone();
    click_row(&mut f, feeds, 3);
    assert_eq!(f.app.focus, Pane::Feeds, "the click focuses the pane");
    assert_eq!(f.app.feeds_state.selected, 3);
    assert_eq!(f.app.headlines.title, label, "the entry's list is loaded");
}

#[test]
fn a_second_click_on_the_selected_feed_goes_into_its_list_when_narrow() {
    let mut f = fixture(80, 24);
    assert_eq!(f.app.focus, Pane::Feeds);
    let feeds = f.app.areas.feeds.expect("feeds pane");
    click_row(&mut f, feeds, 1);
    assert_eq!(f.app.feeds_state.selected, 1);
    assert_eq!(f.app.focus, Pane::Feeds);
    click_row(&mut f, feeds, 1);
    assert_eq!(f.app.focus, Pane::Headlines, "as Enter does");
}

#[test]
fn a_click_selects_a_headline_and_a_second_click_opens_it() {
    let mut f = fixture(160, 48);
    let headlines = f.app.areas.headlines.expect("headlines pane");
    let effects = click_row(&mut f, headlines, 2);
    assert_eq!(f.app.headlines.state.selected, 2);
    assert!(f.app.article.is_none(), "one click only selects");
    assert!(effects.is_empty());
    let title = f.selected_title();
    click_row(&mut f, headlines, 2);
    assert_eq!(f.article_title(), title, "the second click opens it");
}

#[test]
fn a_click_on_an_unfocused_pane_only_focuses_and_selects() {
    let mut f = fixture(160, 48);
    let feeds = f.app.areas.feeds.expect("feeds pane");
    click_row(&mut f, feeds, 0);
    assert_eq!(f.app.focus, Pane::Feeds);
    let headlines = f.app.areas.headlines.expect("headlines pane");
    let selected = f.app.headlines.state.selected;
    click_row(&mut f, headlines, selected as u16);
    assert_eq!(f.app.focus, Pane::Headlines);
    assert!(f.app.article.is_none(), "the row was selected, but its pane had no focus");
}

#[test]
fn clicks_on_borders_and_below_the_last_row_do_nothing() {
    let mut f = fixture(160, 48);
    let headlines = f.app.areas.headlines.expect("headlines pane");
    let feeds = f.app.areas.feeds.expect("feeds pane");
    let rows = f.app.headlines.ids.len() as u16;
    let before = (f.app.focus, f.app.feeds_state.clone(), f.app.headlines.state.clone());
    for (column, row) in [
        (feeds.x, feeds.y + 2),                    // left border
        (feeds.x + feeds.width - 1, feeds.y + 2),  // right border
        (feeds.x + 3, feeds.y),                    // top border
        (feeds.x + 3, feeds.y + feeds.height - 1), // bottom border
        (headlines.x + 3, headlines.y + 1 + rows), // below the last headline
        (headlines.x + 3, headlines.y + headlines.height - 2),
        (feeds.x + 3, feeds.y + 1 + f.app.entries.len() as u16), // below the last feed
    ] {
        let effects = f.send(click(column, row));
        assert!(effects.is_empty());
        assert_eq!((f.app.focus, f.app.feeds_state.clone(), f.app.headlines.state.clone()), before, "{column},{row}");
        assert!(f.app.article.is_none());
    }
}

#[test]
fn a_click_selects_a_related_story_and_a_second_click_opens_it() {
    let mut f = fixture(160, 48);
    f.keys(&["enter"]); // the Tech Wire ferry strike story: the Gazette covers it too
    let related = f.app.areas.related.expect("related pane");
    let first = f.app.article.as_ref().and_then(|a| a.related.as_ref()).and_then(|r| r.first()).cloned();
    let first = first.expect("a related story");
    click_row(&mut f, related, 0);
    assert_eq!(f.app.focus, Pane::Related);
    assert_eq!(f.app.article.as_ref().map(|a| a.related_state.selected), Some(0));
    assert_ne!(f.article_title().as_deref(), Some(first.title.as_str()), "one click only selects");
    click_row(&mut f, related, 0);
    assert_eq!(f.article_title().as_deref(), Some(first.title.as_str()), "the second click opens it");
}

#[test]
fn a_click_on_an_article_line_with_a_link_number_opens_the_link() {
    let mut f = fixture(160, 48);
    f.keys(&["j", "enter"]); // Ferry crews walk out: links the union statement as [1]
    assert_eq!(f.article_title().as_deref(), Some("Ferry crews walk out at Port Ellery over pay"));
    f.keys(&["shift-tab"]);
    let article = f.app.areas.article.expect("article pane");
    let lines: Vec<String> = f
        .app
        .article
        .as_ref()
        .expect("article")
        .rendered
        .lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    let with_link = lines.iter().position(|l| l.contains("[1]")).expect("a line with link 1") as u16;
    let plain = lines.iter().position(|l| !l.is_empty() && !l.contains('[')).expect("a line without links") as u16;
    let effects = f.send(click(article.x + 4, article.y + 1 + plain));
    assert_eq!(f.app.focus, Pane::Article, "the click focuses the article");
    assert!(effects.is_empty(), "no link on that line: {effects:?}");
    let effects = f.send(click(article.x + 4, article.y + 1 + with_link));
    assert_eq!(effects, vec![Effect::OpenUrl("https://union.example/statement".into())]);
}
