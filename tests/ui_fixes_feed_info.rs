//! Issue 12 (friction): the full text of a feed's error, and the feed's other details, in a
//! feed-info view (the status bar shows the error shortened to one line).

mod ui_support;

use tidings::ui::app::Mode;
use tidings::ui::library::Library;
use ui_support::{Fixture, NOW, fixture};

/// The text of the whole frame, row by row.
fn screen(f: &Fixture) -> String {
    let terminal = f.render();
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text inside the feed-info box, row by row.
fn box_rows(f: &Fixture) -> Vec<String> {
    let terminal = f.render();
    let buffer = terminal.backend().buffer();
    let cell = |x: u16, y: u16| buffer[(x, y)].symbol().to_string();
    let row = |y: u16| (0..buffer.area.width).map(|x| cell(x, y)).collect::<String>();
    let top = (0..buffer.area.height).find(|y| row(*y).contains("╭ Feed:")).expect("the box");
    let left = (0..buffer.area.width).find(|x| cell(*x, top) == "╭" && cell(x + 1, top) == " ").expect("its corner");
    let right = (left + 1..buffer.area.width).find(|x| cell(*x, top) == "╮").expect("its other corner");
    (top + 1..buffer.area.height)
        .take_while(|y| cell(left, *y) != "╰")
        .map(|y| (left + 1..right).map(|x| cell(x, y)).collect())
        .collect()
}

/// `text` without its whitespace.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

const LONG_ERROR: &str = "TLS handshake with broken.example:443 failed: certificate verify failed\n\
    caused by: the certificate chain presented by the server ends in an authority that is not trusted \
    by this system, issued for a different host name (expected broken.example, got \
    cdn-edge-0042.hosting-provider-with-a-long-name.example)\n\
    caused by: last tried https://broken.example/feed?format=rss&utm_source=a-very-long-query-string-that-goes-on-and-on-and-on";

/// The fixture with the broken feed's last poll failed with [`LONG_ERROR`], read afresh.
fn with_long_error(width: u16, height: u16) -> Fixture {
    let f = fixture(width, height);
    f.db().record_failure(f.feeds[2], NOW - 600, LONG_ERROR, NOW + 1800).expect("failure");
    f.library.read_afresh(None);
    f
}

#[test]
fn the_feed_info_shows_all_of_a_long_error() {
    for (width, height) in [(80, 40), (160, 48)] {
        let mut f = with_long_error(width, height);
        // The broken feed is the last of the feeds pane (the wide layout starts in the headlines).
        if width >= 120 {
            f.keys(&["shift-tab"]);
        }
        f.keys(&["G", "i"]);
        assert!(matches!(f.app.mode, Mode::FeedInfo { .. }), "{:?}", f.app.mode);
        let text = screen(&f);
        assert!(text.contains("Broken Feed"), "{text}");
        assert!(text.contains("https://broken.example/feed"), "{text}");
        assert!(text.contains("2026-03-01 11:50 UTC"), "last polled: {text}");
        assert!(text.contains("2026-03-01 12:30 UTC"), "next poll: {text}");
        assert!(text.contains("2 in a row"), "{text}");
        // All of the error is in the box, in order, nothing cut (long words are broken across
        // lines, so whitespace is left out of the comparison).
        let inside = box_rows(&f);
        assert!(squeezed(&inside.concat()).contains(&squeezed(LONG_ERROR)), "{width}x{height}: cut:\n{text}");
    }
}

#[test]
fn the_feed_info_scrolls_to_the_end_of_the_error_on_a_small_screen() {
    let mut f = with_long_error(60, 16);
    f.keys(&["G", "i"]);
    let top = screen(&f);
    assert!(top.contains("↓ more"), "{top}");
    let mut seen = box_rows(&f);
    for _ in 0..40 {
        f.keys(&["j"]);
        let rows = box_rows(&f);
        seen.push(rows.last().cloned().unwrap_or_default());
    }
    let end = screen(&f);
    assert!(end.contains("end"), "{end}");
    assert!(end.contains("on-and-on"), "the error's last line: {end}");
    // Each j showed one more line at the bottom: together, all of the error.
    seen.dedup();
    assert!(squeezed(&seen.concat()).contains(&squeezed(LONG_ERROR)), "{seen:#?}");
    // Clamped like the help: one k from the end moves up at once.
    let Mode::FeedInfo { scroll, .. } = f.app.mode.clone() else { panic!("closed") };
    f.keys(&["k"]);
    let Mode::FeedInfo { scroll: up, .. } = f.app.mode.clone() else { panic!("closed") };
    assert_eq!(up + 1, scroll.min(tidings::ui::view::feed_info_max_scroll(&f.app, &feed_of(&f))));
}

fn feed_of(f: &Fixture) -> tidings::model::FeedRow {
    let Mode::FeedInfo { feed, .. } = &f.app.mode else { panic!("closed") };
    (**feed).clone()
}

#[test]
fn esc_q_and_i_close_the_feed_info() {
    let mut f = with_long_error(80, 24);
    for close in ["esc", "q", "i"] {
        f.keys(&["G", "i"]);
        assert!(matches!(f.app.mode, Mode::FeedInfo { .. }), "{close}");
        f.keys(&[close]);
        assert_eq!(f.app.mode, Mode::Normal, "{close}");
        assert!(!f.app.should_quit, "{close}");
        assert!(!screen(&f).contains("Last error"), "{close}");
    }
}

#[test]
fn a_headline_or_article_opens_the_info_of_its_feed() {
    let mut f = fixture(80, 24);
    // "All", then the newest headline (Tech Wire's).
    f.keys(&["enter", "i"]);
    let text = screen(&f);
    assert!(text.contains("Tech Wire") && text.contains("https://techwire.example/atom"), "{text}");
    assert!(text.contains("tech"), "{text}");
    f.keys(&["i", "enter", "i"]);
    assert!(f.app.article.is_some());
    assert!(screen(&f).contains("https://techwire.example/atom"));
    // A tag or "All" is no feed: a message says what to select.
    let mut f = fixture(80, 24);
    f.keys(&["i"]);
    assert_eq!(f.app.mode, Mode::Normal);
    assert!(f.app.status.message.as_deref().is_some_and(|m| m.contains("Select a feed")));
}

#[test]
fn the_help_lists_the_feed_info_key() {
    let mut f = fixture(160, 48);
    f.keys(&["?"]);
    let text = screen(&f);
    assert!(text.lines().any(|l| l.contains(" i ") && l.contains("full error")), "{text}");
}
