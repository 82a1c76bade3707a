//! Human times for lists: "5m", "3h", "2d", or a short date for older things, never wider than
//! [`AGE_WIDTH`] columns.

use chrono::{DateTime, Utc};

/// The clock: now, in unix seconds (0 if the system clock is before 1970).
pub fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The widest [`age`] there is, in columns: the lists' age column.
pub const AGE_WIDTH: usize = 5;

/// A compact age of `then` at `now` (unix seconds), at most [`AGE_WIDTH`] columns wide: "now",
/// "5m", "3h", "6d"; older than 30 days, the month and the two-digit year ("Oct19"); in the
/// future (a feed's clock ahead of ours), "soon" within a minute, else "+5m", "+3h", "+6d", or
/// "+99d" for anything further.
pub fn age(then: i64, now: i64) -> String {
    let secs = now.saturating_sub(then);
    if secs < 0 {
        let ahead = secs.saturating_neg();
        return match ahead {
            0..60 => "soon".into(),
            60..3600 => format!("+{}m", ahead / 60),
            3600..86_400 => format!("+{}h", ahead / 3600),
            86_400..8_640_000 => format!("+{}d", ahead / 86_400),
            _ => "+99d".into(),
        };
    }
    match secs {
        0..60 => "now".into(),
        60..3600 => format!("{}m", secs / 60),
        3600..86_400 => format!("{}h", secs / 3600),
        86_400..2_592_000 => format!("{}d", secs / 86_400),
        _ => DateTime::<Utc>::from_timestamp(then, 0).map_or_else(|| "old".into(), |d| d.format("%b%y").to_string()),
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
        assert_eq!(age(0, 90 * 86_400), "Jan70");
    }

    #[test]
    fn old_and_future_ages_fit_the_column() {
        let now = 1_764_633_600; // 2025-12-02
        let oct_2019 = 1_569_888_000; // 2019-10-01
        assert_eq!(age(oct_2019, now), "Oct19");
        assert_eq!(age(now + 30, now), "soon");
        assert_eq!(age(now + 3 * 3600, now), "+3h");
        assert_eq!(age(now + 400 * 86_400, now), "+99d");
        for then in [i64::MIN, -1, 0, oct_2019, now - 31 * 86_400, now - 1, now, now + 59, now + 5000, i64::MAX] {
            let text = age(then, now);
            assert!(text.chars().count() <= AGE_WIDTH, "{then}: {text:?}");
            assert_ne!(age(then, now), "", "{then}");
        }
        assert_ne!(age(now + 3600, now), "now");
    }
}
