//! Notifications of new items (issue 16): off by default; with `[notify]` on, a background poll
//! that brought new items asks for one, a reload the user asked for does not, and what reaches
//! the terminal is the escape sequence framed once around text made safe.

mod ui_support;

use std::cell::RefCell;
use std::rc::Rc;

use tidings::config::NotifyMethod;
use tidings::feed::poller::{FeedOutcome, FeedTotals, PollerEvent};
use tidings::notify::Notification;
use tidings::ui::update::{Effect, Msg};
use ui_support::{Fixture, fixture};

/// A poll of the fixture's three feeds: `new` items for the first two, the third failing.
fn poll(f: &mut Fixture, new: [usize; 2]) -> Vec<Effect> {
    let feeds = f.feeds.clone();
    let mut effects = f.send(Msg::Poller(PollerEvent::PollStarted { feeds: feeds.clone() }));
    for (feed, n) in feeds.iter().zip(new) {
        let outcome = FeedOutcome::Updated { new_items: n, updated_items: 0 };
        effects.extend(f.send(Msg::Poller(PollerEvent::FeedDone { feed: *feed, outcome })));
    }
    let failed = FeedOutcome::Failed("HTTP 404".into());
    effects.extend(f.send(Msg::Poller(PollerEvent::FeedDone { feed: feeds[2], outcome: failed })));
    let totals = FeedTotals { updated: 2, failed: 1, new_items: new[0] + new[1], ..FeedTotals::default() };
    effects.extend(f.send(Msg::Poller(PollerEvent::FeedsFinished(totals))));
    effects
}

fn notifications(effects: &[Effect]) -> Vec<&Notification> {
    effects.iter().filter_map(|e| if let Effect::Notify(n) = e { Some(n) } else { None }).collect()
}

#[test]
fn off_by_default() {
    let mut f = fixture(160, 48);
    assert!(notifications(&poll(&mut f, [2, 1])).is_empty());
}

#[test]
fn a_background_poll_with_new_items_is_notified_and_a_reload_is_not() {
    let mut f = fixture(160, 48);
    f.reader.app.notify = true;
    let effects = poll(&mut f, [2, 1]);
    assert_eq!(
        notifications(&effects),
        [&Notification { title: "tidings: 3 new items".into(), body: "Harbour Gazette 2, Tech Wire 1".into() }]
    );
    assert!(notifications(&poll(&mut f, [0, 0])).is_empty(), "nothing new, nothing said");
    f.keys(&["R"]);
    assert!(notifications(&poll(&mut f, [1, 0])).is_empty(), "the user is looking");
    assert_eq!(notifications(&poll(&mut f, [0, 1])).len(), 1, "the next background poll is told again");
}

#[test]
fn the_terminal_gets_one_framed_sequence_of_safe_text() {
    let mut f = fixture(160, 48);
    f.reader.app.notify = true;
    // A feed's own title, as a hostile feed would give it.
    f.reader.app.feeds_info[0].name = "Harbour\u{1b}]9;pwned\u{7} Gazette;\u{1b}[2J\u{202e}".into();
    let written = Rc::new(RefCell::new(Vec::<String>::new()));
    let sink = written.clone();
    f.reader.actions_mut().set_terminal(move |s| sink.borrow_mut().push(s.to_string()));
    f.reader.actions_mut().set_notify(NotifyMethod::Osc9);
    poll(&mut f, [2, 0]);
    assert_eq!(*written.borrow(), ["\x1b]9;tidings: 2 new items · Harbour Gazette; 2\x07"]);
    written.borrow_mut().clear();
    f.reader.actions_mut().set_notify(NotifyMethod::Osc777);
    poll(&mut f, [1, 3]);
    assert_eq!(*written.borrow(), ["\x1b]777;notify;tidings: 4 new items;Tech Wire 3, Harbour Gazette, 1\x07"]);
}
