//! When to poll a feed next. Pure arithmetic on unix seconds.
//!
//! After a success: the feed's interval, but never sooner than the server asks (RSS `<ttl>`,
//! `sy:updatePeriod`, `Cache-Control: max-age`), with server requests capped at a day so a feed
//! cannot silence itself for weeks. After a failure: the interval doubled per failure in a row,
//! up to a day, and never sooner than `Retry-After` (capped at a week).

pub const MAX_SERVER_INTERVAL: i64 = 86_400;
pub const MAX_BACKOFF: i64 = 86_400;
pub const MAX_RETRY_AFTER: i64 = 7 * 86_400;

/// What the server said about how often to ask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerHints {
    /// From the document: `<ttl>`, `sy:updatePeriod`.
    pub min_interval: Option<i64>,
    /// From `Cache-Control: max-age`.
    pub max_age: Option<i64>,
}

pub fn next_after_success(now: i64, interval: i64, hints: ServerHints) -> i64 {
    let asked = hints.min_interval.into_iter().chain(hints.max_age).max().unwrap_or(0).min(MAX_SERVER_INTERVAL);
    now + interval.max(asked).max(1)
}

/// `failures` counts this one (1 after the first failure).
pub fn next_after_failure(now: i64, interval: i64, failures: i64, retry_after: Option<i64>) -> i64 {
    let doublings = (failures.max(1) - 1).min(20) as u32;
    let backoff = interval.max(1).saturating_mul(1_i64 << doublings).min(MAX_BACKOFF.max(interval));
    let asked = retry_after.unwrap_or(0).clamp(0, MAX_RETRY_AFTER);
    now + backoff.max(asked)
}

/// The first wait before a failed page is tried again; it doubles with each failure.
pub const PAGE_RETRY_BASE: i64 = 30 * 60;
/// A page that failed this many times in a row is given up on.
pub const MAX_PAGE_ATTEMPTS: i64 = 5;

/// When to try a page again after its `failures`-th transient failure in a row (1 after the
/// first), or `None` when it is time to give up. Never sooner than `Retry-After` (capped at a day).
pub fn next_page_retry(now: i64, failures: i64, retry_after: Option<i64>) -> Option<i64> {
    if failures >= MAX_PAGE_ATTEMPTS {
        return None;
    }
    let wait = PAGE_RETRY_BASE << (failures.max(1) - 1).min(10);
    let asked = retry_after.unwrap_or(0).clamp(0, MAX_SERVER_INTERVAL);
    Some(now + wait.min(MAX_BACKOFF).max(asked))
}

pub fn is_due(next_poll_at: Option<i64>, now: i64) -> bool {
    next_poll_at.is_none_or(|t| t <= now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_respects_the_longer_of_interval_and_server_hints() {
        assert_eq!(next_after_success(0, 1800, ServerHints::default()), 1800);
        let ttl = ServerHints { min_interval: Some(3600), max_age: None };
        assert_eq!(next_after_success(0, 1800, ttl), 3600);
        let max_age = ServerHints { min_interval: None, max_age: Some(7200) };
        assert_eq!(next_after_success(0, 1800, max_age), 7200);
        let huge = ServerHints { min_interval: Some(10 * 86_400), max_age: None };
        assert_eq!(next_after_success(0, 1800, huge), MAX_SERVER_INTERVAL);
    }

    #[test]
    fn failures_back_off_exponentially_up_to_a_day() {
        assert_eq!(next_after_failure(0, 1800, 1, None), 1800);
        assert_eq!(next_after_failure(0, 1800, 2, None), 3600);
        assert_eq!(next_after_failure(0, 1800, 3, None), 7200);
        assert_eq!(next_after_failure(0, 1800, 30, None), MAX_BACKOFF);
        assert_eq!(next_after_failure(0, 1800, 1, Some(5000)), 5000);
    }

    #[test]
    fn page_retries_wait_longer_each_time_then_give_up() {
        assert_eq!(next_page_retry(0, 1, None), Some(1800));
        assert_eq!(next_page_retry(0, 2, None), Some(3600));
        assert_eq!(next_page_retry(0, 4, None), Some(4 * 3600));
        assert_eq!(next_page_retry(0, MAX_PAGE_ATTEMPTS, None), None);
        assert_eq!(next_page_retry(0, 1, Some(7200)), Some(7200));
        assert_eq!(next_page_retry(0, 1, Some(30 * 86_400)), Some(MAX_SERVER_INTERVAL));
    }

    #[test]
    fn due() {
        assert!(is_due(None, 5));
        assert!(is_due(Some(5), 5));
        assert!(!is_due(Some(6), 5));
    }
}
