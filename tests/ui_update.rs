//! `update` driven by messages, with no terminal: navigation, marking, unread jumps, reloads
//! that keep the selection, search, links and the browser effect.

mod ui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};
use tidings::feed::poller::{FeedOutcome, FeedTotals, PageTotals, PollerEvent};
use tidings::model::{ItemId, NewItem, ParsedFeed};
use tidings::store::FeedFetchState;
use tidings::ui::app::PollProgress;
use tidings::ui::app::{Mode, Pane};
use tidings::ui::library::Library;
use tidings::ui::update::{Effect, Msg};
use ui_support::{NOW, fixture, unindexed_fixture};

#[test]
fn starts_on_all_with_newest_first() {
    let f = fixture(160, 48);
    assert_eq!(f.app.focus, Pane::Headlines);
    assert_eq!(f.app.headlines.title, "All");
    assert_eq!(f.app.headlines.ids.len(), 6);
    assert_eq!(f.selected_title().as_deref(), Some("Port Ellery ferry strike strands thousands of commuters"));
}

#[test]
fn narrow_layout_goes_in_with_enter_and_back_with_esc() {
    let mut f = fixture(80, 24);
    assert_eq!(f.app.focus, Pane::Feeds);
    f.keys(&["j", "j", "j"]); // All, Unread, Starred, local
    assert_eq!(f.app.headlines.title, "local");
    f.keys(&["enter"]);
    assert_eq!(f.app.focus, Pane::Headlines);
    f.keys(&["enter"]);
    assert_eq!(f.app.focus, Pane::Article);
    assert!(f.app.areas.headlines.is_none(), "one pane at a time when narrow");
    f.keys(&["esc"]);
    assert_eq!(f.app.focus, Pane::Headlines);
    f.keys(&["q"]);
    assert_eq!(f.app.focus, Pane::Feeds);
    assert!(!f.app.should_quit, "q goes back, it does not quit");
    // In the feeds pane there is nothing to go back to: it says how to quit.
    f.keys(&["q"]);
    assert!(!f.app.should_quit);
    assert_eq!(f.app.status.message.as_deref(), Some("This is the first pane: press Q to quit"));
    f.keys(&["Q"]);
    assert!(f.app.should_quit);
}

#[test]
fn opening_marks_read_and_saves_at_once() {
    let mut f = fixture(160, 48);
    let id = f.app.headlines.selected_id().expect("a selection");
    let unread_before = f.app.entries[0].unread;
    f.keys(&["enter"]);
    assert_eq!(f.app.focus, Pane::Article);
    assert!(f.library.item(id).expect("read").expect("item").read, "read state saved in the store");
    assert_eq!(f.app.entries[0].unread, unread_before - 1, "All's unread count follows");
    f.keys(&["m"]);
    assert!(!f.library.item(id).expect("read").expect("item").read, "m toggles back to unread");
}

#[test]
fn stars_and_marks_all_read() {
    let mut f = fixture(160, 48);
    let id = f.app.headlines.selected_id().expect("a selection");
    f.keys(&["s"]);
    assert!(f.library.item(id).expect("read").expect("item").starred);
    f.keys(&["A"]);
    assert_eq!(f.app.entries[0].unread, 0);
    assert!(f.app.headlines.rows.values().all(|r| r.read));
}

#[test]
fn next_unread_walks_the_list_then_other_feeds() {
    let mut f = fixture(160, 48);
    f.keys(&["shift-tab", "j", "j", "j", "j"]); // feeds pane: local, Harbour Gazette
    assert_eq!(f.app.headlines.title, "Harbour Gazette");
    f.keys(&["n"]);
    assert_eq!(f.article_title().as_deref(), Some("Ferry crews walk out at Port Ellery over pay"));
    f.keys(&["n", "n"]);
    assert_eq!(f.article_title().as_deref(), Some("Harbour works report"));
    f.keys(&["n"]);
    // Harbour Gazette has nothing unread left: the next feed with unread items is Tech Wire.
    assert_eq!(f.app.headlines.title, "Tech Wire");
    assert_eq!(f.article_title().as_deref(), Some("Port Ellery ferry strike strands thousands of commuters"));
    f.keys(&["m", "n"]);
    assert_eq!(f.article_title().as_deref(), Some("Quillmate 4 released with faster sync"));
    f.keys(&["N"]);
    assert_eq!(
        f.article_title().as_deref(),
        Some("Port Ellery ferry strike strands thousands of commuters"),
        "N goes back to the unread item before"
    );
    f.keys(&["N"]);
    assert_eq!(f.app.status.message.as_deref(), Some("No more unread items"));
}

#[test]
fn article_scrolls_by_line_page_and_to_the_end() {
    let mut f = fixture(80, 24);
    f.keys(&["j", "j", "j", "j", "enter"]); // Harbour Gazette
    f.keys(&["G"]); // last item: the long report
    assert_eq!(f.selected_title().as_deref(), Some("Harbour works report"));
    f.keys(&["enter", "j", "j"]);
    assert_eq!(f.app.article.as_ref().map(|a| a.scroll), Some(2));
    f.keys(&["space"]);
    let after_page = f.app.article.as_ref().map_or(0, |a| a.scroll);
    assert!(after_page > 10, "a page is most of the pane: {after_page}");
    f.keys(&["b"]);
    assert_eq!(f.app.article.as_ref().map(|a| a.scroll), Some(2));
    f.keys(&["G"]);
    let article = f.app.article.as_ref().expect("article");
    let page = usize::from(f.app.areas.article.expect("area").height - 2);
    assert_eq!(article.scroll + page, article.rendered.lines.len(), "G shows the last page");
    f.keys(&["g"]);
    assert_eq!(f.app.article.as_ref().map(|a| a.scroll), Some(0));
}

#[test]
fn links_open_by_number_and_browser_gets_the_article() {
    let mut f = fixture(160, 48);
    f.keys(&["j", "enter"]); // Ferry crews walk out (has a link)
    assert_eq!(f.article_title().as_deref(), Some("Ferry crews walk out at Port Ellery over pay"));
    assert_eq!(f.keys(&["1"]), vec![Effect::OpenUrl("https://union.example/statement".into())]);
    assert_eq!(f.keys(&["f", "1", "enter"]), vec![Effect::OpenUrl("https://union.example/statement".into())]);
    assert!(f.keys(&["7"]).is_empty());
    assert_eq!(f.app.status.message.as_deref(), Some("No link 7 in this article"));
    assert_eq!(f.keys(&["o"]), vec![Effect::OpenUrl("https://news.example/g1".into())]);
}

#[test]
fn reload_keys_ask_the_poller() {
    let mut f = fixture(160, 48);
    assert_eq!(f.keys(&["R"]), vec![Effect::ReloadAll]);
    f.keys(&["shift-tab", "j", "j", "j", "j"]); // Harbour Gazette
    assert_eq!(f.keys(&["r"]), vec![Effect::Reload(vec![f.feeds[0]])]);
}

#[test]
fn a_poll_keeps_the_selection_and_the_reading_position() {
    let mut f = fixture(160, 48);
    f.keys(&["j", "j", "j", "j", "j"]);
    let selected = f.app.headlines.selected_id();
    let title = f.selected_title();
    f.keys(&["enter", "j", "j"]);
    let scroll = f.app.article.as_ref().map(|a| a.scroll);
    // New items arrive at the top of the list.
    let fresh = ParsedFeed {
        items: (0..3)
            .map(|i| NewItem {
                guid: format!("new{i}"),
                title: format!("Breaking {i}"),
                published_at: Some(NOW - 60),
                content_html: Some("<p>News.</p>".into()),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let state = FeedFetchState { next_poll_at: NOW + 3600, ..Default::default() };
    f.lib_store_success(f.feeds[1], &state, &fresh);
    f.send(Msg::Poller(PollerEvent::PollStarted { feeds: vec![f.feeds[1]] }));
    f.send(Msg::Poller(PollerEvent::FeedDone {
        feed: f.feeds[1],
        outcome: FeedOutcome::Updated { new_items: 3, updated_items: 0 },
    }));
    f.send(Msg::Poller(PollerEvent::Finished {
        feeds: FeedTotals { updated: 1, new_items: 3, ..Default::default() },
        pages: PageTotals::default(),
    }));
    assert_eq!(f.app.headlines.ids.len(), 9);
    assert_eq!(f.app.headlines.selected_id(), selected, "the same item stays selected");
    assert_eq!(f.selected_title(), title);
    assert_eq!(f.app.article.as_ref().map(|a| a.scroll), scroll, "the article keeps its scroll position");
    assert_eq!(f.app.status.poll_summary.as_deref(), Some("3 new"));
}

#[test]
fn a_running_poll_shows_its_changes_on_refresh_not_on_every_feed() {
    let mut f = fixture(160, 48);
    let before = f.app.headlines.ids.len();
    let fresh = ParsedFeed {
        items: vec![NewItem { guid: "late".into(), title: "Late news".into(), ..Default::default() }],
        ..Default::default()
    };
    f.lib_store_success(f.feeds[1], &FeedFetchState { next_poll_at: NOW + 3600, ..Default::default() }, &fresh);
    f.send(Msg::Poller(PollerEvent::PollStarted { feeds: vec![f.feeds[1], f.feeds[2]] }));
    f.send(Msg::Poller(PollerEvent::FeedDone {
        feed: f.feeds[1],
        outcome: FeedOutcome::Updated { new_items: 1, updated_items: 0 },
    }));
    assert_eq!(f.app.status.polling, Some(PollProgress::Feeds { done: 1, total: 2 }), "progress shows at once");
    assert_eq!(f.app.headlines.ids.len(), before, "the list waits for the next refresh");
    assert!(!f.app.stale.is_empty());
    f.send(Msg::Refresh);
    assert_eq!(f.app.headlines.ids.len(), before + 1);
    assert!(f.app.stale.is_empty());
    // The feeds phase ends: shown at once; then the pages phase reports its progress.
    f.send(Msg::Poller(PollerEvent::FeedsFinished(FeedTotals { updated: 1, new_items: 1, ..Default::default() })));
    assert_eq!(f.app.status.poll_summary.as_deref(), Some("1 new"));
    f.send(Msg::Poller(PollerEvent::PagesStarted { pages: 4 }));
    assert_eq!(f.app.status.polling, Some(PollProgress::Pages { done: 0, total: 4 }));
}

#[test]
fn search_lists_matching_items() {
    let mut f = fixture(160, 48);
    f.keys(&["/"]);
    assert!(matches!(f.app.mode, Mode::Search { .. }));
    f.type_text("ferry");
    f.keys(&["enter"]);
    assert_eq!(f.app.headlines.title, "Search: ferry");
    assert_eq!(f.app.headlines.ids.len(), 2);
    f.keys(&["/"]);
    f.type_text("\"quill");
    f.keys(&["enter"]);
    assert_eq!(f.app.headlines.ids.len(), 2, "an open quote is a query error: the list stays");
    assert_eq!(f.app.status.message.as_deref(), Some("Search \"\"quill\": column 1: this quote is never closed"));
    f.keys(&["/"]);
    f.type_text("quill");
    f.keys(&["enter"]);
    assert_eq!(f.app.headlines.ids.len(), 1, "unquoted, a word's beginning");
    f.keys(&["/"]);
    f.type_text("nothing-like-this");
    f.keys(&["esc"]);
    assert_eq!(f.app.mode, Mode::Normal);
    assert_eq!(f.app.headlines.title, "Search: quill", "Esc cancels without searching");
}

#[test]
fn unread_only_hides_read_items_but_not_the_one_being_read() {
    let mut f = fixture(160, 48);
    f.keys(&["enter", "esc", "u"]);
    assert!(f.app.unread_only);
    assert_eq!(f.app.headlines.ids.len(), 6, "the open article stays in the list");
    f.keys(&["u"]);
    assert!(!f.app.unread_only);
}

#[test]
fn related_pane_lists_other_coverage_and_opens_it() {
    let mut f = fixture(160, 48);
    f.keys(&["enter"]); // Port Ellery ferry strike (Tech Wire)
    let related = f.app.article.as_ref().and_then(|a| a.related.clone()).expect("related computed");
    assert_eq!(related.first().map(|r| r.title.as_str()), Some("Ferry crews walk out at Port Ellery over pay"));
    assert!(related.iter().all(|r| !r.title.contains("Comet")));
    f.keys(&["tab"]);
    assert_eq!(f.app.focus, Pane::Related);
    f.keys(&["enter"]);
    assert_eq!(f.article_title().as_deref(), Some("Ferry crews walk out at Port Ellery over pay"));
}

#[test]
fn key_releases_are_ignored_and_help_toggles() {
    let mut f = fixture(160, 48);
    let mut release = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    f.send(Msg::Key(release));
    assert_eq!(f.app.headlines.state.selected, 0);
    f.keys(&["?"]);
    assert!(matches!(f.app.mode, Mode::Help { .. }));
    f.keys(&["x"]);
    assert_eq!(f.app.mode, Mode::Normal);
    f.send(Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(f.app.should_quit, "ctrl-c quits");
}

#[test]
fn mouse_wheel_scrolls_the_pane_under_the_pointer() {
    let mut f = fixture(160, 48);
    f.keys(&["shift-tab", "j", "j", "j", "j", "tab", "G", "enter"]); // the long report
    let article = f.app.areas.article.expect("article area");
    let wheel = |column, row| {
        Msg::Mouse(MouseEvent { kind: MouseEventKind::ScrollDown, column, row, modifiers: KeyModifiers::NONE })
    };
    f.send(wheel(article.x + 2, article.y + 2));
    assert_eq!(f.app.article.as_ref().map(|a| a.scroll), Some(3));
    let feeds = f.app.areas.feeds.expect("feeds area");
    let before = f.app.feeds_state.selected;
    f.send(wheel(feeds.x + 2, feeds.y + 2));
    assert_eq!(f.app.feeds_state.selected, before + 1);
}

#[test]
fn resizing_rerenders_the_article_to_the_new_width() {
    let mut f = fixture(160, 48);
    f.keys(&["enter"]);
    let wide_width = f.app.article.as_ref().map(|a| a.width);
    f.send(Msg::Resize(60, 20));
    let narrow = f.app.article.as_ref().expect("article");
    assert_ne!(Some(narrow.width), wide_width);
    assert!(narrow.rendered.lines.iter().all(|l| l.width() <= usize::from(narrow.width)));
    f.send(Msg::Resize(40, 10));
    f.render();
    assert_eq!(f.app.headlines.selected_id().map(|ItemId(i)| i > 0), Some(true));
}

#[test]
fn related_pane_fills_in_once_the_index_is_ready() {
    let mut f = unindexed_fixture(160, 48);
    f.keys(&["enter"]);
    assert_eq!(f.app.article.as_ref().map(|a| a.related.is_none()), Some(true), "still indexing");
    f.index.index_from(f.library.store(), ItemId(0), NOW).expect("index");
    f.index.set_ready();
    f.send(Msg::IndexReady);
    let related = f
        .app
        .article
        .as_ref()
        .and_then(|a| a.related.clone())
        .expect("filled once the indexer says the index is ready");
    assert_eq!(related.first().map(|r| r.title.as_str()), Some("Ferry crews walk out at Port Ellery over pay"));
}

fn article_lines(f: &ui_support::Fixture) -> String {
    let article = f.app.article.as_ref().expect("an open article");
    article.rendered.lines.iter().map(|l| l.to_string()).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_article_from_the_page_arrives_and_v_switches_to_the_feed_text() {
    let mut f = fixture(160, 48);
    f.keys(&["enter", "j", "j"]);
    let id = f.app.headlines.selected_id().expect("a selection");
    let feed = f.library.item(id).expect("item").expect("exists").feed_id;
    let feed_text = article_lines(&f);
    assert!(!feed_text.contains("Article from the page"), "no choice yet: {feed_text}");
    let scroll = f.app.article.as_ref().map(|a| a.scroll);

    let page = "<p>The whole article, fetched from the page.</p><h2>What happens next</h2><p>More of it.</p>";
    f.db().store_article(id, page).expect("store the article");
    f.send(Msg::Poller(PollerEvent::ArticleStored { feed, item: id, error: None }));
    let text = article_lines(&f);
    assert!(text.contains("Article from the page · v shows the feed's text"), "{text}");
    assert!(text.contains("The whole article, fetched from the page.") && text.contains("What happens next"));
    assert_eq!(f.app.article.as_ref().map(|a| a.scroll), scroll, "the reading position is kept");

    f.keys(&["v"]);
    let text = article_lines(&f);
    assert!(text.contains("The feed's text · v shows the article from the page"), "{text}");
    assert!(!text.contains("fetched from the page."));
    f.keys(&["v"]);
    assert!(article_lines(&f).contains("fetched from the page."));
}

#[test]
fn a_failed_extraction_says_why_and_keeps_the_feed_text() {
    let mut f = fixture(160, 48);
    let id = f.app.headlines.selected_id().expect("a selection");
    f.db().store_article_error(id, "fetching the page failed: HTTP 404", None).expect("store the error");
    f.keys(&["enter"]);
    let text = article_lines(&f);
    let joined = text.replace('\n', " ");
    assert!(
        joined.contains("No article from the page (fetching the page failed: HTTP 404): showing the feed's text"),
        "{text}"
    );
    f.keys(&["v"]);
    assert_eq!(f.app.status.message.as_deref(), Some("No article from the page: fetching the page failed: HTTP 404"));
}

#[test]
fn a_story_covered_by_two_feeds_is_one_line_that_expands() {
    let mut f = fixture(160, 48);
    let strike =
        ["Ferry crews walk out at Port Ellery over pay", "Port Ellery ferry strike strands thousands of commuters"];
    f.group(&strike, 1);
    assert_eq!(f.app.headlines.ids.len(), 5, "six items, one story line for two of them");
    assert_eq!(f.selected_title().as_deref(), Some(strike[1]), "the newest item carries the line");
    let line = f.app.headlines.stories[&f.app.headlines.ids[0]];
    assert_eq!((line.sources, line.others, line.expanded), (2, 1, false));

    f.keys(&["e"]);
    assert_eq!(f.app.headlines.ids.len(), 6);
    f.keys(&["j"]);
    assert_eq!(f.selected_title().as_deref(), Some(strike[0]), "the other source is listed under the line");
    f.keys(&["enter"]);
    let article = f.app.article.as_ref().expect("open");
    assert_eq!(article.also_covered_by, ["Tech Wire"]);
    f.keys(&["esc", "e"]);
    assert_eq!(f.app.headlines.ids.len(), 5, "folded again from one of its items");
    assert_eq!(f.selected_title().as_deref(), Some(strike[1]), "the story's line is selected");

    // Expanded again: it stays expanded when the engine saves its groups again.
    f.keys(&["e"]);
    f.send(Msg::StoriesChanged);
    assert_eq!(f.app.headlines.ids.len(), 6, "expanded stories stay expanded when groups are saved again");
}

#[test]
fn e_on_a_story_of_one_feed_says_so() {
    let mut f = fixture(160, 48);
    f.keys(&["e"]);
    assert_eq!(f.app.status.message.as_deref(), Some("No other feed in this list covers this story"));
}

#[test]
fn the_engine_groups_the_same_story_from_two_feeds_and_saves_it() {
    let mut f = unindexed_fixture(160, 48);
    let indexed = f.index.index_from(f.library.store(), ItemId(0), NOW).expect("index");
    let rows = f.library.summaries(&indexed.stories.iter().map(|(id, _)| *id).collect::<Vec<_>>()).expect("rows");
    let story_of = |title: &str| {
        let id = rows.iter().find(|r| r.title == title).map(|r| r.id);
        indexed.stories.iter().find(|(i, _)| Some(*i) == id).map(|(_, s)| *s)
    };
    let strike = story_of("Ferry crews walk out at Port Ellery over pay");
    assert!(strike.is_some());
    assert_eq!(story_of("Port Ellery ferry strike strands thousands of commuters"), strike, "one story, two feeds");
    for other in ["Council approves harbour budget", "Quillmate 4 released with faster sync"] {
        assert_ne!(story_of(other), strike, "{other} is another story");
    }
    f.db().set_stories(&indexed.stories).expect("save");
    f.send(Msg::StoriesChanged);
    assert_eq!(f.app.headlines.ids.len(), 5, "the strike is one line");
    assert_eq!(f.app.headlines.stories.values().filter(|l| l.sources == 2).count(), 1);
}
