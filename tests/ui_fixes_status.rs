//! Issue 12 (friction): dates in the local time zone with a configurable format; a status bar
//! that says one thing once.

mod ui_support;

use std::path::Path;

use chrono::FixedOffset;
use tidings::config::{self, ConfigError};
use tidings::feed::poller::{FeedOutcome, FeedTotals, PageTotals, PollerEvent};
use tidings::timefmt::TimeDisplay;
use tidings::ui::update::Msg;
use ui_support::{Fixture, fixture};

/// The text of the whole frame, row by row.
fn screen(terminal: &ratatui::Terminal<ratatui::backend::TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

// Friction 1: the article's date is in the zone the loop gave, in the configured format.
#[test]
fn the_article_date_is_local_time_in_the_configured_format() {
    let mut f = fixture(80, 24);
    // As the run does at start: the local zone (here UTC+09:30) and `[ui] time_format`.
    f.app.time =
        TimeDisplay { offset: FixedOffset::east_opt(9 * 3600 + 1800).unwrap(), format: "%d/%m/%Y %H:%M %z".into() };
    f.keys(&["enter", "enter"]);
    let text = screen(&f.render());
    // The first article of the fixture was published at 11:00 UTC: 20:30 at +09:30.
    assert!(text.contains("Tech Wire · Ada Reporter · 01/03/2026 20:30 +0930"), "{text}");
    assert!(!text.contains("UTC"), "{text}");
}

#[test]
fn time_format_is_read_from_the_config_and_checked() {
    let settings = config::parse_settings("", "test", Path::new("/")).expect("the empty config");
    assert_eq!(settings.ui.time_format, "%Y-%m-%d %H:%M");
    let text = "[ui]\ntime_format = \"%a %d %b %H:%M\"\n";
    let settings = config::parse_settings(text, "test", Path::new("/")).expect("valid");
    assert_eq!(settings.ui.time_format, "%a %d %b %H:%M");

    let text = "[ui]\nunread_only = true\ntime_format = \"%Y-%m-%d %Q\"\n";
    let error = config::parse_settings(text, "my config", Path::new("/")).expect_err("%Q is no specifier");
    let ConfigError::Invalid { line, column, message, .. } = &error else { panic!("{error:?}") };
    // Line 3, at the `%Q`: `time_format = "` is 15 characters, `%Y-%m-%d ` 9 more.
    assert_eq!((*line, *column), (3, 25), "{error}");
    assert!(message.contains("%Q") && message.contains("time_format"), "{error}");
}

/// The status bar: the frame's last row.
fn status_row(f: &Fixture) -> String {
    let terminal = f.render();
    let buffer = terminal.backend().buffer();
    let y = buffer.area.height - 1;
    (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect()
}

/// A poll of the fixture's feeds with these outcomes, start to end.
fn poll(f: &mut Fixture, outcomes: Vec<(usize, FeedOutcome)>) {
    let feeds = outcomes.iter().map(|(i, _)| f.feeds[*i]).collect();
    f.send(Msg::Poller(PollerEvent::PollStarted { feeds }));
    let mut totals = FeedTotals::default();
    for (feed, outcome) in outcomes {
        match &outcome {
            FeedOutcome::Updated { new_items, .. } => {
                totals.updated += 1;
                totals.new_items += new_items;
            }
            FeedOutcome::Failed(_) => totals.failed += 1,
            _ => {}
        }
        f.send(Msg::Poller(PollerEvent::FeedDone { feed: f.feeds[feed], outcome }));
    }
    f.send(Msg::Poller(PollerEvent::Finished { feeds: totals, pages: PageTotals::default() }));
}

/// reqwest's chain as `FetchError::Connect` stores it: every cause, joined.
const CONNECT_CHAIN: &str = "cannot connect: error sending request for url (https://broken.example/feed): \
                             client error (Connect): tcp connect error: Connection refused (os error 111)";

// Friction 2: "Updated just now  Updated: 48 new" said it twice.
#[test]
fn the_status_says_updated_once_with_the_poll_result() {
    let mut f = fixture(120, 30);
    poll(&mut f, vec![(0, FeedOutcome::Updated { new_items: 48, updated_items: 0 }), (1, FeedOutcome::NotModified)]);
    let status = status_row(&f);
    assert_eq!(status.matches("Updated").count(), 1, "{status}");
    assert!(status.contains("Updated just now · 48 new"), "{status}");
    // A message of the reader's own replaces neither.
    f.keys(&["m"]);
    let status = status_row(&f);
    assert!(status.contains("Updated just now · 48 new") && status.contains("Marked"), "{status}");
    assert_eq!(status.matches("Updated").count(), 1, "{status}");
}

// Friction 2: a failed feed's error is named and short in the bar; the full text is kept.
#[test]
fn a_failed_feed_is_named_with_its_reason_on_one_short_line() {
    let mut f = fixture(120, 30);
    poll(
        &mut f,
        vec![
            (0, FeedOutcome::Updated { new_items: 2, updated_items: 0 }),
            (2, FeedOutcome::Failed(CONNECT_CHAIN.into())),
        ],
    );
    let status = status_row(&f);
    assert!(status.contains("! Broken Feed: cannot connect: Connection refused (os error 111)"), "{status}");
    assert!(!status.contains("error sending request") && !status.contains("client error"), "{status}");
    assert_eq!(status.matches("Broken Feed").count(), 1, "{status}");
    assert!(status.contains("Updated just now · 2 new"), "{status}");
    let stored = f.app.status.last_error.clone().unwrap_or_default();
    assert!(stored.contains(CONNECT_CHAIN), "the full text is kept: {stored}");
}

// Friction 2: when several feeds failed, the count is there once, and one error is named.
#[test]
fn several_failed_feeds_are_counted_once() {
    let mut f = fixture(160, 30);
    poll(
        &mut f,
        vec![(1, FeedOutcome::Failed("HTTP 500".into())), (2, FeedOutcome::Failed("timed out after 30s".into()))],
    );
    let status = status_row(&f);
    assert!(status.contains("Updated just now · 0 new, 2 feeds failed"), "{status}");
    assert!(status.contains("! Broken Feed: timed out after 30s"), "{status}");
}

// Friction 3: near the end of a poll, the bar names the feeds it still waits for.
#[test]
fn the_status_names_the_feeds_a_poll_still_waits_for() {
    let mut f = fixture(160, 30);
    // Two feeds more than the fixture's three: five in all.
    let extra = f.db().sync_feeds(&["https://four.example/rss", "https://five.example/rss"]).expect("sync");
    let mut feeds = f.feeds.clone();
    feeds.extend(extra.iter().copied());
    for (id, name) in extra.iter().zip(["Fourth Feed", "Fifth Feed"]) {
        f.app.feeds_info.push(tidings::ui::app::FeedInfo {
            id: *id,
            name: name.into(),
            tags: vec![],
            configured_name: true,
        });
    }
    f.send(Msg::Poller(PollerEvent::PollStarted { feeds: feeds.clone() }));
    let done =
        |f: &mut Fixture, feed| f.send(Msg::Poller(PollerEvent::FeedDone { feed, outcome: FeedOutcome::NotModified }));
    done(&mut f, feeds[3]);
    let status = status_row(&f);
    assert!(status.contains("Polling 1/5 · 0 new") && !status.contains("waiting"), "four left are not named: {status}");
    done(&mut f, feeds[0]);
    done(&mut f, feeds[4]);
    let status = status_row(&f);
    assert!(status.contains("Polling 3/5 · 0 new · waiting for Tech Wire, Broken Feed"), "{status}");
    done(&mut f, feeds[2]);
    assert!(status_row(&f).contains("Polling 4/5 · 0 new · waiting for Tech Wire"), "{}", status_row(&f));
    done(&mut f, feeds[1]);
    f.send(Msg::Poller(PollerEvent::FeedsFinished(FeedTotals::default())));
    let status = status_row(&f);
    assert!(!status.contains("waiting") && status.contains("Updated just now"), "{status}");
}
