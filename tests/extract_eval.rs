//! The extractor on the real pages of `../shared/data/extraction`, with the benchmark's own metric
//! (reimplemented from `../shared/tools/score_extraction.py`): no page panics, F1 meets the issue's
//! target of 0.975 and does not fall below the level reached (0.988 when this was written).
//! Also the 492 pages of `../shared/data/extraction-web` with trafilatura's metric (reimplemented
//! from its `score.py`), on the very text `tidings extract --batch` writes.
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

/// extraction-web: what the extractor reaches today (P 0.9300, R 0.9357, F 0.9329 on 2026-12-04;
/// 0.9240 / 0.9228 / 0.9234 earlier that day; 0.9233 / 0.9139 / 0.9186 on 2026-12-03, 0.9226 /
/// 0.9050 / 0.9137 earlier that day; 0.9233 / 0.8804 / 0.9013 on 2026-12-02; 0.9239 / 0.8298 /
/// 0.8743 on 2026-12-01), rounded down: a drop below either is a regression.
const WEB_REACHED_F: f64 = 0.932;
const WEB_REACHED_P: f64 = 0.929;
/// Issue 13's targets for extraction-web (trafilatura's standard mode has F 0.920, P 0.902).
/// Not asserted yet: set [`ASSERT_WEB_TARGET`] when the extractor gets there.
const WEB_TARGET_F: f64 = 0.94;
const WEB_TARGET_P: f64 = 0.92;
const ASSERT_WEB_TARGET: bool = false;

/// `score.py`'s `norm`: runs of whitespace (Python's `\s` on `str`: Unicode white space and the
/// separators U+001C to U+001F) become one space, none at either end.
fn norm(text: &str) -> String {
    let space = |c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
    text.split(space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// One page's counts as `score.py`'s `count_item`: (tp, fp, fn).
fn count_page(with: &[String], without: &[String], output: &str) -> (usize, usize, usize) {
    let output = norm(output);
    let tp = with.iter().filter(|w| output.contains(&norm(w))).count();
    let fp = without.iter().filter(|w| output.contains(&norm(w))).count();
    (tp, fp, with.len() - tp)
}

fn segments(entry: &serde_json::Value, side: &str) -> Vec<String> {
    let list = entry.get(side).and_then(|v| v.as_array()).map(Vec::as_slice).unwrap_or_default();
    list.iter().filter_map(|s| s.as_str()).map(str::to_string).collect()
}

/// Micro-averaged P, R, F over extraction-web, scored as `score.py` scores the output of
/// `tidings extract --batch pages OUT` (the same decoding, without an address, and the same
/// `plain_text`). No page may panic.
#[test]
fn extraction_web_keeps_its_level_and_no_page_panics() {
    let Some(root) = tidings::shared_data::shared("data/extraction-web") else { return };
    let path = root.join("evaldata.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let evaldata: serde_json::Value = serde_json::from_str(&text).expect("evaldata parses");
    let evaldata = evaldata.as_object().expect("evaldata is an object");
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut worst = Vec::new();
    for entry in evaldata.values() {
        let file = entry.get("file").and_then(|f| f.as_str()).expect("every entry names its file");
        let page = root.join("pages").join(file);
        let bytes = std::fs::read(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let html = decode_page(&bytes, None);
        let output = std::panic::catch_unwind(|| extract(&html, None, None).plain_text())
            .unwrap_or_else(|_| panic!("page {file} panicked"));
        let (with, without) = (segments(entry, "with"), segments(entry, "without"));
        let (t, f, n) = count_page(&with, &without, &output);
        (tp, fp, fn_) = (tp + t, fp + f, fn_ + n);
        worst.push((n + f, n, f, file.trim_end_matches(".html").to_string()));
    }
    let ratio = |a: usize, b: usize| if b > 0 { a as f64 / b as f64 } else { 0.0 };
    let (p, r, f) = (ratio(tp, tp + fp), ratio(tp, tp + fn_), ratio(2 * tp, 2 * tp + fp + fn_));
    eprintln!("extraction-web, {} pages: P {p:.4}, R {r:.4}, F {f:.4} (tp {tp}, fp {fp}, fn {fn_})", evaldata.len());
    worst.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.3.cmp(&b.3)));
    for (_, missed, leaked, key) in worst.iter().take(10) {
        eprintln!("  worst: {key}: {missed} missed, {leaked} leaked");
    }
    assert!(f >= WEB_REACHED_F, "F {f:.4} fell below the level reached, {WEB_REACHED_F}");
    assert!(p >= WEB_REACHED_P, "P {p:.4} fell below the level reached, {WEB_REACHED_P}");
    if ASSERT_WEB_TARGET {
        assert!(
            f >= WEB_TARGET_F && p >= WEB_TARGET_P,
            "F {f:.4}, P {p:.4}: the targets are {WEB_TARGET_F}, {WEB_TARGET_P}"
        );
    }
}

#[test]
fn norm_matches_pythons_whitespace() {
    assert_eq!(norm("  a\u{a0}\u{3000}b\n\tc\u{1f}d \u{202f}"), "a b c d");
    let with = vec!["Der  Rat\ntagte".to_string(), "fehlt".to_string()];
    let without = vec!["Impressum".to_string()];
    assert_eq!(count_page(&with, &without, "Der Rat tagte. Impressum"), (1, 1, 1));
}
