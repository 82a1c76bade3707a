//! The extractor on the real pages of `../shared/data/extraction`, with the benchmark's own metric
//! (reimplemented from `../shared/tools/score_extraction.py`): no page panics, F1 meets the issue's
//! target of 0.975 and does not fall below the level reached (0.988 when this was written).
//! Skipped, saying so, when `../shared` is absent (a failure under `TIDINGS_REQUIRE_SHARED=1`).

use std::collections::HashMap;

use regex::Regex;
use tidings::extract::{FeedHint, decode_page, extract};

/// The issue's target.
const TARGET_F1: f64 = 0.975;
/// What the extractor reaches today, rounded down: a drop below it is a regression.
const REACHED_F1: f64 = 0.985;

/// 4-gram shingles of `\w+` tokens, as a multiset; 1 to 3 tokens make one shorter shingle.
fn shingles<'a>(re: &Regex, text: &'a str) -> HashMap<Vec<&'a str>, u32> {
    let tokens: Vec<&str> = re.find_iter(text).map(|m| m.as_str()).collect();
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    if tokens.len() < 4 {
        *out.entry(tokens).or_insert(0) += 1;
        return out;
    }
    for w in tokens.windows(4) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// (tp, fp, fn) normalised by their sum, as the scorer does.
fn tp_fp_fn(re: &Regex, truth: &str, pred: &str) -> (f64, f64, f64) {
    let (t, p) = (shingles(re, truth), shingles(re, pred));
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (k, &a) in &t {
        let b = p.get(k).copied().unwrap_or(0);
        tp += a.min(b) as f64;
        fn_ += a.saturating_sub(b) as f64;
    }
    for (k, &b) in &p {
        let a = t.get(k).copied().unwrap_or(0);
        fp += b.saturating_sub(a) as f64;
    }
    let s = tp + fp + fn_;
    if s > 0.0 { (tp / s, fp / s, fn_ / s) } else { (tp, fp, fn_) }
}

#[test]
fn f1_meets_the_target_and_no_page_panics() {
    if let Some(f1) = shared_f1(false) {
        assert!(f1 >= TARGET_F1, "F1 {f1:.4} is below the target {TARGET_F1}");
        assert!(f1 >= REACHED_F1, "F1 {f1:.4} fell below the level reached, {REACHED_F1}");
    }
}

/// The poller passes the feed's title and summary. Feeds' summaries are usually the page's own
/// `og:description`, so that stands in for them here: the hint must not cost F1.
#[test]
fn a_feed_hint_keeps_the_target() {
    if let Some(f1) = shared_f1(true) {
        assert!(f1 >= REACHED_F1, "with hints, F1 {f1:.4} fell below {REACHED_F1}");
    }
}

/// The `content` of `<meta property="og:…">` (either attribute order), entities left as they are.
fn og(html: &str, name: &str) -> Option<String> {
    let pattern = format!(
        r#"(?is)<meta[^>]*property=["']og:{name}["'][^>]*content=["']([^"']*)["']|<meta[^>]*content=["']([^"']*)["'][^>]*property=["']og:{name}["']"#
    );
    let caps = Regex::new(&pattern).expect("meta pattern").captures(html)?;
    caps.get(1).or(caps.get(2)).map(|m| m.as_str().to_string())
}

/// F1 over the shared pages, or None (the skip said) when they are absent.
fn shared_f1(with_hint: bool) -> Option<f64> {
    let root = tidings::shared_data::shared("data/extraction")?;
    let truth_path = root.join("ground-truth.json");
    let truth_text = std::fs::read_to_string(&truth_path).unwrap_or_else(|e| panic!("{}: {e}", truth_path.display()));
    let truth: serde_json::Value = serde_json::from_str(&truth_text).expect("ground truth parses");
    let truth = truth.as_object().expect("ground truth is an object");
    let re = Regex::new(r"\w+").expect("token pattern");
    let (mut precisions, mut recalls) = (Vec::new(), Vec::new());
    let mut scores = Vec::new();
    for (id, entry) in truth {
        let body = entry.get("articleBody").and_then(|b| b.as_str()).unwrap_or("");
        let url = entry.get("url").and_then(|u| u.as_str()).and_then(|u| url::Url::parse(u).ok());
        let bytes = std::fs::read(root.join("html").join(format!("{id}.html"))).expect("page");
        let html = decode_page(&bytes, None);
        let hint = with_hint.then(|| FeedHint { title: og(&html, "title"), summary: og(&html, "description") });
        let pred = std::panic::catch_unwind(|| extract(&html, url.as_ref(), hint.as_ref()).plain_text())
            .unwrap_or_else(|_| panic!("page {id} panicked"));
        let (tp, fp, fn_) = tp_fp_fn(&re, body, &pred);
        let precision = if fp == 0.0 && fn_ == 0.0 {
            1.0
        } else if tp == 0.0 && fp == 0.0 {
            0.0
        } else {
            tp / (tp + fp)
        };
        let recall = if fp == 0.0 && fn_ == 0.0 {
            1.0
        } else if tp == 0.0 && fn_ == 0.0 {
            0.0
        } else {
            tp / (tp + fn_)
        };
        if tp + fp > 0.0 {
            precisions.push(precision);
        }
        if tp + fn_ > 0.0 {
            recalls.push(recall);
        }
        scores.push((recall.min(precision), id.clone()));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (p, r) = (mean(&precisions), mean(&recalls));
    let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    scores.sort_by(|a, b| a.0.total_cmp(&b.0));
    let how = if with_hint { "with feed hints from og:title and og:description" } else { "without a feed hint" };
    eprintln!("{} pages {how}: F1 {f1:.4}, precision {p:.4}, recall {r:.4}", truth.len());
    for (score, id) in scores.iter().take(5) {
        eprintln!("  worst: {id} min(P, R) {score:.3}");
    }
    Some(f1)
}
