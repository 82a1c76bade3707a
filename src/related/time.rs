//! Time as evidence. The articles of one story come out within a day or two of each other; the
//! same words weeks apart are more often another event of the same kind (another strike, another
//! storm). So the further apart two articles are, beyond a grace period, the more their score
//! loses, up to `max_penalty`:
//!
//! `penalty(Δ) = max_penalty × (1 − exp(−max(0, Δ − grace_days) / decay_days))`
//!
//! The penalty is subtracted. Scores are relative (hubness-reduced, see [`super::index`]) and
//! can be below zero; a factor multiplied in would shrink a negative score towards zero and so
//! lift the older candidate, which a subtraction never does: it lowers every score by the same
//! amount for the same gap, whatever its sign. A strong match weeks apart (a trial, a war) is
//! still found, below the same match from the same week. With no date on either side, nothing
//! is subtracted.
//!
//! Which time counts is the caller's choice, by [`evidence_time`]: the publication time, unless
//! it is later than when the reader first saw the item (a feed that dates everything "now", or
//! in the future): then the first-seen time.

/// How publication time weighs on a score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recency {
    /// Articles this many days apart or less lose nothing.
    pub grace_days: f32,
    /// How fast the penalty approaches its maximum past the grace period (e-folding, days).
    pub decay_days: f32,
    /// What the furthest apart lose, at most.
    pub max_penalty: f32,
}

impl Default for Recency {
    fn default() -> Self {
        Recency { grace_days: 2.0, decay_days: 10.0, max_penalty: 0.3 }
    }
}

const DAY: f64 = 86_400.0;

impl Recency {
    /// What two articles published at `a` and `b` (unix seconds) lose, in `[0, max_penalty]`;
    /// 0 when either time is unknown.
    pub fn penalty(&self, a: Option<i64>, b: Option<i64>) -> f32 {
        let (Some(a), Some(b)) = (a, b) else { return 0.0 };
        let days = a.abs_diff(b) as f64 / DAY;
        let over = (days - f64::from(self.grace_days)).max(0.0);
        let decay = (-over / f64::from(self.decay_days.max(1e-3))).exp();
        (f64::from(self.max_penalty) * (1.0 - decay)) as f32
    }

    /// `score` with the time between the two articles taken into account.
    pub fn apply(&self, score: f32, a: Option<i64>, b: Option<i64>) -> f32 {
        score - self.penalty(a, b)
    }
}

/// The time an item counts as published for relatedness: `published`, unless it is unknown or
/// later than `first_seen` (the feed dates its items "now" on every fetch, or in the future):
/// then `first_seen`. An item seen long after it was published keeps its publication time.
pub fn evidence_time(published: Option<i64>, first_seen: i64) -> i64 {
    match published {
        Some(p) if p <= first_seen => p,
        _ => first_seen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_700_000_000;
    const D: i64 = 86_400;

    #[test]
    fn no_penalty_within_the_grace_period_or_without_dates() {
        let r = Recency::default();
        assert_eq!(r.penalty(None, Some(T)), 0.0);
        assert_eq!(r.penalty(Some(T), None), 0.0);
        assert_eq!(r.penalty(Some(T), Some(T + D / 2)), 0.0);
        assert_eq!(r.penalty(Some(T + 2 * D), Some(T)), 0.0, "symmetric, and two days are one story");
    }

    #[test]
    fn the_penalty_grows_with_the_gap_up_to_its_maximum() {
        let r = Recency::default();
        let week = r.penalty(Some(T), Some(T + 7 * D));
        let month = r.penalty(Some(T + 30 * D), Some(T));
        let decade = r.penalty(Some(T), Some(T + 3650 * D));
        assert!(0.0 < week && week < month && month < decade, "{week} {month} {decade}");
        assert!(decade <= r.max_penalty && decade > r.max_penalty - 1e-3);
    }

    #[test]
    fn negative_scores_fall_as_positive_ones_do() {
        // A factor would have moved -0.1 up to -0.03 for the older candidate: ranked above a
        // same-week candidate at -0.05. Subtracting keeps the order time implies.
        let r = Recency::default();
        let old = r.apply(-0.1, Some(T), Some(T + 30 * D));
        let recent = r.apply(-0.05, Some(T), Some(T + D));
        assert!(old < recent && old < -0.1, "{old} {recent}");
        assert!(r.apply(0.4, Some(T), Some(T + 30 * D)) < r.apply(0.4, Some(T), Some(T)));
        assert_eq!(r.apply(-0.2, None, Some(T)), -0.2);
    }

    #[test]
    fn dates_later_than_first_seen_give_way_to_it() {
        assert_eq!(evidence_time(Some(T - D), T), T - D, "published before it was seen");
        assert_eq!(evidence_time(Some(T + 365 * D), T), T, "a date in the future");
        assert_eq!(evidence_time(None, T), T, "no date");
        // A feed that dates every item "now": each fetch's now is after the first sight.
        assert_eq!(evidence_time(Some(T + 3 * D), T), T);
    }
}
