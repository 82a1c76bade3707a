//! Issue 12 (friction): dates in the local time zone with a configurable format; a status bar
//! that says one thing once.

mod ui_support;

use std::path::Path;

use chrono::FixedOffset;
use tidings::config::{self, ConfigError};
use tidings::timefmt::TimeDisplay;
use ui_support::fixture;

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
