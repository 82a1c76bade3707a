//! Query feeds (`[[query]]`): listed after Starred with their unread counts, opened like a feed,
//! counted again when a marking reaches the cache.

mod ui_support;

use tidings::config::QueryFeed;
use tidings::query::parse;
use tidings::ui::update::reload_entries;
use ui_support::{Fixture, fixture};

fn with_query_feeds(width: u16, height: u16, queries: &[(&str, &str)]) -> Fixture {
    let mut f = fixture(width, height);
    f.db().index_for_search(usize::MAX).expect("search index");
    f.reader.app.query_feeds = queries
        .iter()
        .map(|(name, text)| QueryFeed {
            name: name.to_string(),
            text: text.to_string(),
            query: parse(text).expect("query"),
        })
        .collect();
    let reader = &mut f.reader;
    reload_entries(&mut reader.app, &reader.library).expect("reload");
    f
}

#[test]
fn query_feeds_list_what_they_match_with_their_unread_counts() {
    let mut f = with_query_feeds(80, 24, &[("Local news", "tag:local"), ("Comets", "comet or astronom")]);
    let labels: Vec<(&str, i64)> = f.app.entries.iter().map(|e| (e.label.as_str(), e.unread)).collect();
    assert_eq!(labels[..5], [("All", 6), ("Unread", 6), ("Starred", 0), ("Local news", 3), ("Comets", 1)]);
    insta::assert_snapshot!("narrow_query_feeds", f.render().backend());

    f.keys(&["j", "j", "j", "j", "enter"]);
    assert_eq!(f.app.headlines.title, "Comets");
    assert_eq!(f.selected_title().as_deref(), Some("Comet spotted by amateur astronomer"));

    // Read, it leaves the count once the cache has the change.
    f.keys(&["enter"]);
    let comets = f.app.entries.iter().find(|e| e.label == "Comets").expect("entry");
    assert_eq!(comets.unread, 0, "{:?}", f.app.status);
}

#[test]
fn a_query_feed_that_matches_nothing_is_listed_empty() {
    let f = with_query_feeds(80, 24, &[("Nothing", "feed:nowhere")]);
    let entry = f.app.entries.iter().find(|e| e.label == "Nothing").expect("entry");
    assert_eq!(entry.unread, 0);
}
