//! Issue 12: the feeds pane follows what is stored by a poll of ours and by other processes.

mod ui_support;

use tidings::feed::events::{FeedOutcome, FeedTotals, PageTotals, PollerEvent};
use tidings::model::{FeedId, NewItem, ParsedFeed};
use tidings::store::FeedFetchState;
use tidings::ui::app::EntryKind;
use tidings::ui::update::Msg;
use ui_support::{Fixture, NOW, fixture};

fn unread_of(f: &Fixture, feed: FeedId) -> i64 {
    f.app.entries.iter().find(|e| e.kind == EntryKind::Feed(feed)).expect("feed entry").unread
}

fn label_of(f: &Fixture, feed: FeedId) -> String {
    f.app.entries.iter().find(|e| e.kind == EntryKind::Feed(feed)).expect("feed entry").label.clone()
}

fn new_items(guids: &[&str]) -> ParsedFeed {
    let items = guids
        .iter()
        .map(|g| NewItem {
            guid: g.to_string(),
            title: format!("Story {g}"),
            published_at: Some(NOW - 60),
            content_html: Some("<p>Text.</p>".into()),
            ..Default::default()
        })
        .collect();
    ParsedFeed { items, ..Default::default() }
}

#[test]
fn unread_counts_follow_another_process_on_tick() {
    let mut f = fixture(120, 40);
    let gazette = f.feeds[0];
    assert_eq!(unread_of(&f, gazette), 3);
    let state = FeedFetchState { next_poll_at: NOW + 3600, ..Default::default() };
    // A cron `tidings poll` stores two new items (another connection).
    f.db().record_success(gazette, NOW, &state, &new_items(&["g4", "g5"])).expect("cron poll");
    f.send(Msg::Tick);
    assert_eq!(unread_of(&f, gazette), 5, "the counts follow another process's commit");
}

#[test]
fn unread_counts_follow_another_process_after_r() {
    let mut f = fixture(120, 40);
    let (gazette, wire) = (f.feeds[0], f.feeds[1]);
    assert_eq!(unread_of(&f, gazette), 3);
    let state = FeedFetchState { next_poll_at: NOW + 3600, ..Default::default() };
    // A cron `tidings poll` stores two new Gazette items (another connection) ...
    f.db().record_success(gazette, NOW, &state, &new_items(&["g4", "g5"])).expect("cron poll");
    // ... then `R`: our poll finds the Gazette unchanged and one new Tech Wire item.
    f.send(Msg::Poller(PollerEvent::PollStarted { feeds: f.feeds.clone() }));
    f.send(Msg::Poller(PollerEvent::FeedDone { feed: gazette, outcome: FeedOutcome::NotModified }));
    f.keys(&["j"]);
    f.db().record_success(wire, NOW, &state, &new_items(&["t9"])).expect("our poll");
    f.send(Msg::Poller(PollerEvent::FeedDone {
        feed: wire,
        outcome: FeedOutcome::Updated { new_items: 1, updated_items: 0 },
    }));
    f.send(Msg::Refresh);
    f.keys(&["k"]);
    let totals = FeedTotals { updated: 1, not_modified: 1, new_items: 1, ..Default::default() };
    f.send(Msg::Poller(PollerEvent::FeedsFinished(totals)));
    assert_eq!(unread_of(&f, wire), 4);
    assert_eq!(unread_of(&f, gazette), 5, "R shows the counts another process changed");
    f.send(Msg::Poller(PollerEvent::Finished { feeds: totals, pages: PageTotals::default() }));
    assert_eq!(unread_of(&f, gazette), 5);
}

#[test]
fn a_feed_without_a_configured_name_takes_its_title_once_polled() {
    let mut f = fixture(120, 40);
    let wire = f.feeds[1];
    // Tech Wire has no name in the config: it shows as its URL until a poll stores its title.
    {
        let info = f.reader.app.feeds_info.iter_mut().find(|i| i.id == wire).expect("info");
        info.name = "https://techwire.example/atom".into();
        info.configured_name = false;
    }
    f.send(Msg::Refresh);
    let state = FeedFetchState { next_poll_at: NOW + 3600, ..Default::default() };
    let mut parsed = new_items(&["t9"]);
    parsed.meta.title = Some("The Tech Wire".into());
    f.send(Msg::Poller(PollerEvent::PollStarted { feeds: vec![wire] }));
    f.db().record_success(wire, NOW, &state, &parsed).expect("poll stores the title");
    f.send(Msg::Poller(PollerEvent::FeedDone {
        feed: wire,
        outcome: FeedOutcome::Updated { new_items: 1, updated_items: 0 },
    }));
    let totals = FeedTotals { updated: 1, new_items: 1, ..Default::default() };
    f.send(Msg::Poller(PollerEvent::FeedsFinished(totals)));
    assert_eq!(label_of(&f, wire), "The Tech Wire");
    assert_eq!(f.app.feed_name(wire), "The Tech Wire");
    // A configured name stays.
    assert_eq!(label_of(&f, f.feeds[0]), "Harbour Gazette");
}
