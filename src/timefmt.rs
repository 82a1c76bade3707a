//! Human times: for lists, "5m", "3h", "2d", or a short date for older things, never wider than
//! [`AGE_WIDTH`] columns; absolute dates in a given zone and format ([`TimeDisplay`]).

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, FixedOffset, Utc};

/// The `[ui] time_format` when none is configured.
pub const DEFAULT_TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

/// How absolute times are shown: in which zone (an offset from UTC, given as data: the pure code
/// never asks the system for its zone) and with which strftime format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeDisplay {
    pub offset: FixedOffset,
    pub format: String,
}

impl TimeDisplay {
    /// UTC, labelled as such: what is shown when no local zone was given (tests, pure code).
    pub fn utc() -> TimeDisplay {
        TimeDisplay { offset: FixedOffset::east_opt(0).expect("zero offset"), format: "%Y-%m-%d %H:%M UTC".into() }
    }

    /// `then` (unix seconds) in this zone and format; "?" for a time chrono cannot represent.
    pub fn date_time(&self, then: i64) -> String {
        let Some(d) = DateTime::<Utc>::from_timestamp(then, 0) else { return "?".into() };
        let items: Vec<Item> = StrftimeItems::new(&self.format).collect();
        if items.contains(&Item::Error) {
            return "?".into();
        }
        d.with_timezone(&self.offset).format_with_items(items.into_iter()).to_string()
    }
}

impl Default for TimeDisplay {
    fn default() -> TimeDisplay {
        TimeDisplay::utc()
    }
}

/// Checks a strftime format: `Err` holds the byte offset of the first bad specifier and a message.
pub fn check_time_format(format: &str) -> Result<(), (usize, String)> {
    let mut rest = format;
    while let Some(i) = rest.find('%') {
        let start = format.len() - rest.len() + i;
        // One specifier: `%`, optional padding flag, optional width... chrono's own parse decides.
        let tail = &format[start..];
        let end = (1..=tail.len()).filter(|&n| tail.is_char_boundary(n)).find(|&n| {
            let piece = &tail[..n];
            !StrftimeItems::new(piece).any(|item| item == Item::Error)
        });
        match end {
            Some(n) => rest = &format[start + n..],
            None => {
                let spec: String = tail.chars().take(3).collect();
                return Err((
                    start,
                    format!("invalid time_format specifier \"{spec}\" (strftime, e.g. \"%Y-%m-%d %H:%M\")"),
                ));
            }
        }
    }
    Ok(())
}

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
    age_in(then, now, FixedOffset::east_opt(0).expect("zero offset"))
}

/// [`age`], with the month of an old `then` taken in the zone `offset`.
pub fn age_in(then: i64, now: i64, offset: FixedOffset) -> String {
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
        _ => DateTime::<Utc>::from_timestamp(then, 0)
            .map_or_else(|| "old".into(), |d| d.with_timezone(&offset).format("%b%y").to_string()),
    }
}

/// How long after (`+`) or before (`−`) the article published at `from` another was published at
/// `to`, at most [`AGE_WIDTH`] columns: "same" within an hour, else "+3h", "−2d", "+5w", "−4mo",
/// "+2y" (the unit that gives the shortest figure).
pub fn gap(from: i64, to: i64) -> String {
    let secs = to.saturating_sub(from);
    let sign = if secs < 0 { '−' } else { '+' };
    let n = secs.unsigned_abs();
    const HOUR: u64 = 3600;
    const DAY: u64 = 86_400;
    match n {
        0..HOUR => "same".into(),
        HOUR..DAY => format!("{sign}{}h", n / HOUR),
        DAY..1_209_600 => format!("{sign}{}d", n / DAY),
        1_209_600..5_184_000 => format!("{sign}{}w", n / (7 * DAY)),
        5_184_000..31_536_000 => format!("{sign}{}mo", n / (30 * DAY)),
        _ => format!("{sign}{}y", (n / (365 * DAY)).min(99)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_between_articles_fit_the_age_column() {
        let t = 1_700_000_000;
        assert_eq!(gap(t, t + 1800), "same");
        assert_eq!(gap(t, t - 1800), "same");
        assert_eq!(gap(t, t + 5 * 3600), "+5h");
        assert_eq!(gap(t, t - 26 * 3600), "−1d");
        assert_eq!(gap(t, t + 13 * 86_400), "+13d");
        assert_eq!(gap(t, t - 20 * 86_400), "−2w");
        assert_eq!(gap(t, t + 100 * 86_400), "+3mo");
        assert_eq!(gap(t, t - 800 * 86_400), "−2y");
        assert_eq!(gap(0, i64::MAX), "+99y");
        for (a, b) in [(t, t + 59 * 86_400), (t, t - 364 * 86_400), (0, i64::MIN)] {
            assert!(gap(a, b).chars().count() <= AGE_WIDTH, "{}", gap(a, b));
        }
    }

    #[test]
    fn date_times_are_shown_in_the_given_zone_and_format() {
        let noon_utc = 1_772_366_400; // 2026-03-01 12:00 UTC
        assert_eq!(TimeDisplay::utc().date_time(noon_utc), "2026-03-01 12:00 UTC");
        let tokyo =
            TimeDisplay { offset: FixedOffset::east_opt(9 * 3600).unwrap(), format: DEFAULT_TIME_FORMAT.into() };
        assert_eq!(tokyo.date_time(noon_utc), "2026-03-01 21:00");
        let ny = TimeDisplay { offset: FixedOffset::west_opt(5 * 3600).unwrap(), format: "%d.%m.%Y %H:%M %z".into() };
        assert_eq!(ny.date_time(noon_utc), "01.03.2026 07:00 -0500");
        // The old items' month is the zone's: 23:30 UTC on Oct 31 is November in Tokyo.
        let oct_31 = 1_572_564_600; // 2019-10-31 23:30 UTC
        assert_eq!(age_in(oct_31, noon_utc, tokyo.offset), "Nov19");
        assert_eq!(age(oct_31, noon_utc), "Oct19");
    }

    #[test]
    fn bad_time_formats_are_found_where_they_are() {
        assert_eq!(check_time_format(DEFAULT_TIME_FORMAT), Ok(()));
        assert_eq!(check_time_format("%-d %b %Y, %H:%M:%S%.3f %:z %%"), Ok(()));
        assert_eq!(check_time_format("").map_err(|e| e.0), Ok(()));
        assert_eq!(check_time_format("%Y-%m-%d %Q").map_err(|e| e.0), Err(9));
        assert_eq!(check_time_format("%H:%M %").map_err(|e| e.0), Err(6));
        let (_, message) = check_time_format("at %Q").unwrap_err();
        assert!(message.contains("%Q"), "{message}");
        // Never a panic, nor a "?" from a valid format.
        assert_ne!(TimeDisplay { format: "%Q".into(), ..TimeDisplay::utc() }.date_time(0), "");
    }

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
