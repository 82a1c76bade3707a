//! `tidings related`: the related-stories engine fed from a file, for scoring.
//!
//! Reads articles as JSON lines `{id, title, body, date, source}` (`id` a string or a number; `date`
//! `YYYY-MM-DD…` or null; `body` and `source` may be missing), indexes them with the reader's
//! [`RelatedIndex`] (default parameters, the same tokenising and weighting), and writes for each
//! article `{"query": id, "ranked": [ids, best first]}` with up to `k` others (no minimum score:
//! every article sharing evidence can be listed, as ranking metrics want). With `--clusters`, it
//! also groups them with the reader's [`Stories`], in input order, and writes `{"id", "cluster"}`
//! lines. Timings go to stderr.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::Value;

use crate::related::{Document, RelatedIndex, Stories, StoryId};

/// One input article.
#[derive(Debug, Clone, PartialEq)]
pub struct InputArticle {
    /// The id as given (a JSON string or number), written back unchanged.
    pub id: Value,
    pub title: String,
    pub body: String,
    /// Unix seconds (noon UTC of the date), when the date is known.
    pub published_at: Option<i64>,
}

/// What ranking a file produced: per article (input order), the positions of its related articles,
/// best first; and with grouping, each article's story.
#[derive(Debug, Clone, Default)]
pub struct Ranked {
    pub ranked: Vec<Vec<usize>>,
    pub stories: Option<Vec<StoryId>>,
}

/// `tidings related`: see the module documentation.
pub fn related(input: &Path, output: &Path, k: usize, clusters: Option<&Path>) -> ExitCode {
    match run(input, output, k, clusters) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tidings: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(input: &Path, output: &Path, k: usize, clusters: Option<&Path>) -> Result<(), String> {
    let started = Instant::now();
    let text = std::fs::read_to_string(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let articles = parse_articles(&text).map_err(|e| format!("{}: {e}", input.display()))?;
    let read = started.elapsed();
    let result = rank(&articles, k, clusters.is_some(), |stage, seconds| {
        eprintln!("{stage} in {:.0} ms", seconds * 1e3);
    });
    let mut out = String::new();
    for (article, ranked) in articles.iter().zip(&result.ranked) {
        let ids: Vec<&Value> = ranked.iter().map(|&i| &articles[i].id).collect();
        let _ = writeln!(out, "{}", serde_json::json!({"query": article.id, "ranked": ids}));
    }
    std::fs::write(output, out).map_err(|e| format!("{}: {e}", output.display()))?;
    if let (Some(path), Some(stories)) = (clusters, &result.stories) {
        let mut out = String::new();
        for (article, story) in articles.iter().zip(stories) {
            let _ = writeln!(out, "{}", serde_json::json!({"id": article.id, "cluster": story}));
        }
        std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))?;
        let distinct: HashSet<&StoryId> = stories.iter().collect();
        eprintln!("{} articles in {} stories", articles.len(), distinct.len());
    }
    eprintln!(
        "read {} articles in {:.0} ms; done in {:.2} s",
        articles.len(),
        read.as_secs_f64() * 1e3,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Parses JSON lines of articles (blank lines skipped). Errors name the line.
pub fn parse_articles(text: &str) -> Result<Vec<InputArticle>, String> {
    let mut articles = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if line.is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| format!("line {n}: bad JSON: {e}"))?;
        let Value::Object(map) = value else {
            return Err(format!("line {n}: expected a JSON object"));
        };
        let id = match map.get("id") {
            Some(id @ (Value::String(_) | Value::Number(_))) => id.clone(),
            Some(_) => return Err(format!("line {n}: \"id\" must be a string or a number")),
            None => return Err(format!("line {n}: no \"id\"")),
        };
        if !seen.insert(id.to_string()) {
            return Err(format!("line {n}: duplicate id {id}"));
        }
        let text_field = |key: &str| -> Result<String, String> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.clone()),
                Some(_) => Err(format!("line {n}: \"{key}\" must be a string")),
            }
        };
        let title = text_field("title")?;
        let body = text_field("body")?;
        let published_at = match map.get("date") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => {
                Some(parse_date(s).ok_or_else(|| format!("line {n}: \"date\" {s:?} is not YYYY-MM-DD"))?)
            }
            Some(_) => return Err(format!("line {n}: \"date\" must be a string or null")),
        };
        articles.push(InputArticle { id, title, body, published_at });
    }
    Ok(articles)
}

/// `YYYY-MM-DD`, optionally followed by a time (ignored unless RFC 3339): unix seconds, noon UTC
/// for a bare date.
fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    let day = chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(12, 0, 0)?.and_utc().timestamp())
}

/// Indexes the articles as the reader does (ids = input positions), ranks each (up to `k` others,
/// no minimum score) and, when asked, groups them in input order. `timing(stage, seconds)` is told
/// how long each stage took.
pub fn rank(articles: &[InputArticle], k: usize, group: bool, mut timing: impl FnMut(&str, f64)) -> Ranked {
    let started = Instant::now();
    let mut index = RelatedIndex::new();
    for (i, a) in articles.iter().enumerate() {
        index.insert(&Document { id: i as i64, title: &a.title, body: &a.body, published_at: a.published_at });
    }
    timing(&format!("indexed {} articles", articles.len()), started.elapsed().as_secs_f64());

    let started = Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = articles.len().div_ceil(threads).max(1);
    let index_ref = &index;
    let mut ranked: Vec<Vec<usize>> = Vec::with_capacity(articles.len());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..articles.len())
            .step_by(chunk)
            .map(|start| {
                let end = (start + chunk).min(articles.len());
                scope.spawn(move || {
                    (start..end)
                        .map(|q| {
                            index_ref.related_unfiltered(q as i64, k).into_iter().map(|(id, _)| id as usize).collect()
                        })
                        .collect::<Vec<Vec<usize>>>()
                })
            })
            .collect();
        for worker in workers {
            ranked.extend(worker.join().expect("ranking thread"));
        }
    });
    timing(&format!("ranked (k = {k}, {threads} threads)"), started.elapsed().as_secs_f64());

    let stories = group.then(|| {
        let started = Instant::now();
        let mut stories = Stories::new();
        for i in 0..articles.len() {
            stories.assign(&index, i as i64);
        }
        timing("grouped", started.elapsed().as_secs_f64());
        // Merges move earlier articles: read the final assignment.
        (0..articles.len()).map(|i| stories.story_of(i as i64).unwrap_or(StoryId(0))).collect()
    });
    Ranked { ranked, stories }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_with_string_and_number_ids() {
        let text = "{\"id\": \"a\", \"title\": \"Ferry strike\", \"body\": \"Calais\", \"date\": null, \"source\": null}\n\n\
                    {\"id\": 7, \"title\": \"Storm\", \"date\": \"2024-03-01\"}\n";
        let articles = parse_articles(text).unwrap();
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].id, Value::from("a"));
        assert_eq!(articles[1].id, Value::from(7));
        assert_eq!(articles[1].body, "");
        assert_eq!(articles[1].published_at, Some(1_709_294_400));
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse_articles("{\"id\": 1}\n{oops\n").unwrap_err().split(':').next(), Some("line 2"));
        assert_eq!(parse_articles("[1]").unwrap_err(), "line 1: expected a JSON object");
        assert_eq!(parse_articles("{\"title\": \"x\"}").unwrap_err(), "line 1: no \"id\"");
        assert_eq!(parse_articles("{\"id\": 1}\n{\"id\": 1}").unwrap_err(), "line 2: duplicate id 1");
        assert_eq!(
            parse_articles("{\"id\": 1, \"date\": \"March\"}").unwrap_err(),
            "line 1: \"date\" \"March\" is not YYYY-MM-DD"
        );
    }

    #[test]
    fn ranks_and_groups_like_the_reader() {
        let article = |id: i64, title: &str, body: &str| InputArticle {
            id: Value::from(id),
            title: title.into(),
            body: body.into(),
            published_at: None,
        };
        let articles = vec![
            article(10, "Ferry crews strike in Calais", "Crossings from Calais to Dover cancelled; P&O crews want 6%."),
            article(
                11,
                "Calais ferry strike cancels Dover crossings",
                "P&O crews at Calais walked out over a 6% rise.",
            ),
            article(12, "Lemon tart recipe", "Pastry, lemons, eggs, sugar and cream."),
        ];
        let result = rank(&articles, 5, true, |_, _| {});
        assert_eq!(result.ranked[0].first(), Some(&1));
        assert_eq!(result.ranked[1].first(), Some(&0));
        assert!(!result.ranked[2].contains(&0));
        let stories = result.stories.unwrap();
        assert_eq!(stories[0], stories[1]);
        assert_ne!(stories[0], stories[2]);
    }
}
