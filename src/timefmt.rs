//! Human times for lists: "5m", "3h", "2d", or a date for older things.

use chrono::{DateTime, Utc};

/// The clock: now, in unix seconds (0 if the system clock is before 1970).
pub fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// A compact age of `then` at `now` (unix seconds): "now", "5m", "3h", "6d", else "2026-01-31".
pub fn age(then: i64, now: i64) -> String {
    let secs = (now - then).max(0);
    match secs {
        0..60 => "now".into(),
        60..3600 => format!("{}m", secs / 60),
        3600..86_400 => format!("{}h", secs / 3600),
        86_400..2_592_000 => format!("{}d", secs / 86_400),
        _ => date(then),
    }
}

/// `YYYY-MM-DD` in UTC.
pub fn date(then: i64) -> String {
    DateTime::<Utc>::from_timestamp(then, 0).map_or_else(|| "?".into(), |d| d.format("%Y-%m-%d").to_string())
}

/// `YYYY-MM-DD HH:MM` in UTC.
pub fn date_time(then: i64) -> String {
    DateTime::<Utc>::from_timestamp(then, 0).map_or_else(|| "?".into(), |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(age(100, 130), "now");
        assert_eq!(age(0, 300), "5m");
        assert_eq!(age(0, 3 * 3600 + 5), "3h");
        assert_eq!(age(0, 6 * 86_400), "6d");
        assert_eq!(age(0, 90 * 86_400), "1970-01-01");
    }
}
