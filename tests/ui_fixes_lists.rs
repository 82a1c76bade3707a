//! Issue 12 (lists): the selection across the first poll, ages that fit their column, story
//! folding in a feed's own list, search queries and results, `N` at the top, the help's scroll.

mod ui_support;

use tidings::feed::poller::{FeedOutcome, FeedTotals, PageTotals, PollerEvent};
use tidings::model::{FeedId, NewItem, ParsedFeed};
use tidings::store::FeedFetchState;
use tidings::ui::app::Mode;
use tidings::ui::update::Msg;
use ui_support::{Fixture, NOW, fixture};

/// Writes `items` into `feed` as the poller would and tells the interface, as a poll does.
fn poll(f: &mut Fixture, feed: FeedId, items: Vec<NewItem>) {
    let new_items = items.len();
    let parsed = ParsedFeed { items, ..Default::default() };
    let state = FeedFetchState { next_poll_at: NOW + 3600, ..Default::default() };
    f.lib_store_success(feed, &state, &parsed);
    f.send(Msg::Poller(PollerEvent::PollStarted { feeds: vec![feed] }));
    f.send(Msg::Poller(PollerEvent::FeedDone { feed, outcome: FeedOutcome::Updated { new_items, updated_items: 0 } }));
    f.send(Msg::Poller(PollerEvent::Finished {
        feeds: FeedTotals { updated: 1, new_items, ..Default::default() },
        pages: PageTotals::default(),
    }));
}

fn news(guid: &str, title: &str, published_at: i64) -> NewItem {
    NewItem {
        guid: guid.into(),
        title: title.into(),
        published_at: Some(published_at),
        content_html: Some("<p>News.</p>".into()),
        ..Default::default()
    }
}

/// The text of row `y` of the frame.
fn row(terminal: &ratatui::Terminal<ratatui::backend::TestBackend>, y: u16) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect()
}

// Bug 2: ages of old and future items fit the age column; rows line up.
#[test]
fn old_and_future_dates_fit_the_age_column_and_rows_line_up() {
    let mut f = fixture(160, 48);
    let oct_2019 = 1_569_888_000; // 2019-10-01
    let wire = f.feeds[1];
    poll(
        &mut f,
        wire,
        vec![
            news("old", "An old story from the archive of the wire", oct_2019),
            news("future", "A story from a feed whose clock runs ahead", NOW + 3 * 3600),
        ],
    );
    let terminal = f.render();
    let rows: Vec<String> = (0..48).map(|y| row(&terminal, y)).collect();
    let old = rows.iter().find(|r| r.contains("An old story")).expect("the old row");
    let future = rows.iter().find(|r| r.contains("A story from a feed")).expect("the future row");
    let other = rows.iter().find(|r| r.contains("Comet spotted")).expect("another row");
    assert!(old.contains("Oct19"), "{old}");
    assert!(future.contains("+3h") && !future.contains(" now "), "{future}");
    let title_at = |r: &str, t: &str| r.find(t).map(|b| r[..b].chars().count());
    let comet = title_at(other, "Comet spotted");
    assert_eq!(title_at(old, "An old story"), comet, "titles start in one column:\n{old}\n{other}");
    assert_eq!(title_at(future, "A story from"), comet, "titles start in one column:\n{future}\n{other}");
}

// Bug 1: new items arriving above a selection on the top row stay in sight, and the selection
// stays on the newest item (as on a fresh cache, where polls fill the list feed by feed).
#[test]
fn polls_arriving_above_the_top_row_keep_the_selection_on_the_newest() {
    let mut f = fixture(60, 20);
    f.keys(&["enter"]); // All
    let (gazette, wire) = (f.feeds[0], f.feeds[1]);
    poll(&mut f, gazette, vec![news("a1", "First poll news", NOW - 30)]);
    f.send(Msg::Refresh);
    poll(&mut f, wire, vec![news("b1", "Second poll news", NOW - 20), news("b2", "Newest poll news", NOW - 10)]);
    assert_eq!(f.app.headlines.state.selected, 0);
    assert_eq!(f.app.headlines.state.offset, 0, "nothing hidden above the top");
    assert_eq!(f.selected_title().as_deref(), Some("Newest poll news"));
    let terminal = f.render();
    assert!((0..20).any(|y| row(&terminal, y).contains("Newest poll news")), "the newest item is on screen");
    f.keys(&["enter"]);
    assert_eq!(f.article_title().as_deref(), Some("Newest poll news"), "Enter opens the item on the top row");
}

// Bug 1: the article being read stays selected, and the new items above it are in sight.
#[test]
fn new_items_above_the_article_being_read_are_in_sight() {
    let mut f = fixture(160, 10); // room for 7 headlines: 6 + 2 new do not fit
    f.keys(&["enter"]);
    let reading = f.article_title();
    let wire = f.feeds[1];
    poll(&mut f, wire, vec![news("b1", "Fresh news", NOW - 20), news("b2", "Fresher news", NOW - 10)]);
    assert_eq!(f.selected_title(), reading, "the article being read stays selected");
    assert_eq!(f.app.headlines.state.selected, 2);
    assert_eq!(f.app.headlines.state.offset, 0, "the new items above it are in sight");
}

fn search(f: &mut Fixture, query: &str) {
    f.keys(&["/"]);
    f.type_text(query);
    f.keys(&["enter"]);
}

// Bug 8: "3.9%" is the phrase "3.9", not "3" and "9" anywhere.
#[test]
fn a_number_with_a_point_is_searched_as_one_phrase() {
    let mut f = fixture(160, 48);
    let wire = f.feeds[1];
    poll(
        &mut f,
        wire,
        vec![
            news("cpi", "Inflation rises to 3.9% in March", NOW - 60),
            news("mps", "3 ministers and 9 MPs resign", NOW - 120),
            news("v39", "Version 3.95 is out", NOW - 180),
        ],
    );
    search(&mut f, "3.9%");
    assert_eq!(f.app.headlines.ids.len(), 1, "{:?}", f.app.status.message);
    assert_eq!(f.selected_title().as_deref(), Some("Inflation rises to 3.9% in March"));
}

// Bug 8: a search that finds nothing says so.
#[test]
fn a_search_with_no_results_says_so() {
    let mut f = fixture(160, 48);
    search(&mut f, "zebra");
    assert!(f.app.headlines.ids.is_empty());
    let terminal = f.render();
    let rows: Vec<String> = (0..48).map(|y| row(&terminal, y)).collect();
    assert!(rows.iter().any(|r| r.contains("No results for \"zebra\"")), "{}", rows.join("\n"));
    assert!(!rows.iter().any(|r| r.contains("Nothing here yet")));
}

// Bug 8: after Esc, choosing a feed in the feeds pane lists that feed, not the search results.
#[test]
fn choosing_a_feed_after_a_search_lists_the_feed() {
    let mut f = fixture(80, 24);
    f.keys(&["enter"]); // All
    search(&mut f, "ferry");
    assert!(f.app.headlines.title.starts_with("Search"));
    f.keys(&["esc", "enter"]); // back to the feeds pane, All chosen again
    assert_eq!(f.app.headlines.title, "All");
    assert_eq!(f.app.headlines.ids.len(), 6);
}

// Bug 13: `N` at the top of All, with nothing unread above, does not wrap to the last feed.
#[test]
fn previous_unread_at_the_top_of_all_does_not_wrap_around() {
    let mut f = fixture(160, 48);
    let top = f.selected_title();
    f.keys(&["N"]);
    assert_eq!(f.app.status.message.as_deref(), Some("No more unread items"));
    assert_eq!(f.app.headlines.title, "All");
    assert_eq!(f.selected_title(), top);
    assert!(f.app.article.is_none());
}

// Bug 13: `N` at the top of a feed goes to the previous feed's last unread item.
#[test]
fn previous_unread_from_the_top_of_a_feed_is_the_previous_feeds_last_unread() {
    let mut f = fixture(160, 48);
    f.keys(&["shift-tab", "G", "k", "tab"]); // Tech Wire, its top row
    assert_eq!(f.app.headlines.title, "Tech Wire");
    f.keys(&["N"]);
    assert_eq!(f.app.headlines.title, "Harbour Gazette");
    assert_eq!(f.article_title().as_deref(), Some("Harbour works report"), "its last (oldest) unread item");
    assert_eq!(f.selected_title().as_deref(), Some("Harbour works report"));
}

// Bug 15: the help says which keys scroll and close it, scrolls no further than its end, and
// its end is reachable at 60x20.
#[test]
fn help_scrolls_to_its_end_and_no_further_at_60x20() {
    let mut f = fixture(60, 20);
    f.keys(&["?"]);
    let terminal = f.render();
    let top = row(&terminal, 1);
    assert!(top.contains("j/k scroll") && !top.contains("any key closes"), "{top}");
    assert!((0..20).any(|y| row(&terminal, y).contains("↓ more")), "says there is more below");
    for _ in 0..100 {
        f.keys(&["j"]);
    }
    let Mode::Help { scroll } = f.app.mode else { panic!("j does not close the help") };
    // At its end (the last row on the bottom line), not past it.
    assert_eq!(scroll, tidings::ui::view::help_max_scroll(&f.app), "scrolling stops at the end");
    let terminal = f.render();
    let rows: Vec<String> = (0..20).map(|y| row(&terminal, y)).collect();
    assert!(rows.iter().any(|r| r.contains("Show this help")), "the last row is in sight:\n{}", rows.join("\n"));
    assert!(rows.iter().any(|r| r.contains("end")));
    f.keys(&["k"]);
    assert_eq!(f.app.mode, Mode::Help { scroll: scroll - 1 }, "k scrolls back at once");
    f.keys(&["x"]);
    assert_eq!(f.app.mode, Mode::Normal, "another key closes it");
}

// Bug 7: a feed's own items are not folded in its own list; a line's count is what `e` shows.
#[test]
fn a_feeds_own_items_stay_in_sight_in_its_list() {
    let mut f = fixture(160, 48);
    f.group(
        &[
            "Ferry crews walk out at Port Ellery over pay",
            "Council approves harbour budget",
            "Harbour works report",
            "Port Ellery ferry strike strands thousands of commuters",
        ],
        1,
    );
    f.keys(&["shift-tab", "j", "j", "j", "j"]); // All, Unread, Starred, local, Harbour Gazette
    assert_eq!(f.app.headlines.title, "Harbour Gazette");
    assert_eq!(f.app.headlines.ids.len(), 3, "the feed's three items, none folded");
    assert!(f.app.headlines.stories.is_empty());
    let terminal = f.render();
    assert!(!(0..48).any(|y| row(&terminal, y).contains("sources")));

    // In All the story is one line of two feeds, and expanding shows its four items.
    f.keys(&["g", "tab"]);
    assert_eq!(f.app.headlines.title, "All");
    let line = f.app.headlines.stories[&f.app.headlines.ids[0]];
    assert_eq!((line.sources, line.others), (2, 3));
    f.keys(&["e"]);
    assert_eq!(f.app.headlines.ids.len(), 6);
}
