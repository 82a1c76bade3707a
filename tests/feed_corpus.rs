//! Every real and test-suite feed document of `../shared/data/feeds/corpus` through the parser:
//! none may panic; at least as many must parse, giving at least as many items (and items with a
//! text), as do today; every item has a title; and no text the parser gives out holds a control
//! character, an escape sequence or a bidirectional override. Skipped (with a message) where
//! `../shared` is absent, a failure then under `TIDINGS_REQUIRE_SHARED=1`.
//! `TIDINGS_CORPUS_VERBOSE=1` lists each file that does not parse.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use tidings::feed::{ParseError, parse_feed};
use tidings::model::ParsedFeed;

/// How many corpus files parse today. Raise it when the parser gets better; a lower count is a
/// regression. Of the 3,225 files, 3,074 parsed before the repairs in `feed::parse` and
/// `feed::charset` (RSS without a channel, bare `&`, Atom and Media RSS text types, JSON Feed
/// variants, UTF-32); the 46 left are not feeds (CDF, HTML pages, plain XML, empty or gzip files)
/// or are broken on purpose (the test suites' ill-formed cases, truncated end tags).
const MIN_PARSED: usize = 3179;
/// Items in the files that parse, and those of them with a text (summary or content), today
/// (the same rule: lower is a regression). Every item has a title (one is made when missing).
const MIN_ITEMS: usize = 5275;
const MIN_WITH_TEXT: usize = 4338;

/// What the parser's output must never hold: C0 and C1 controls but the line feed and the tab
/// (ESC starts every escape sequence), and the bidirectional controls that reorder text.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Every text field of a parsed feed, named for a failure message.
fn texts(feed: &ParsedFeed) -> Vec<(&'static str, &str)> {
    let meta = [("feed title", &feed.meta.title), ("feed description", &feed.meta.description)];
    let mut out: Vec<(&'static str, &str)> = meta.iter().filter_map(|(n, t)| Some((*n, t.as_deref()?))).collect();
    for item in &feed.items {
        out.push(("title", &item.title));
        let optional = [("author", &item.author), ("summary", &item.summary_html), ("content", &item.content_html)];
        out.extend(optional.iter().filter_map(|(n, t)| Some((*n, t.as_deref()?))));
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_file_parses_without_panicking_into_clean_items() {
    let Some(corpus) = tidings::shared_data::shared("data/feeds/corpus") else {
        return;
    };
    let verbose = std::env::var_os("TIDINGS_CORPUS_VERBOSE").is_some();
    let mut files = Vec::new();
    collect(&corpus, &mut files);
    let now = 1_767_000_000;
    let (mut parsed, mut not_feed, mut malformed) = (0, 0, 0);
    let (mut items, mut with_text) = (0, 0);
    let mut panicked = Vec::new();
    let mut untitled = 0;
    let mut dirty = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let name = path.strip_prefix(&corpus).unwrap_or(path).display().to_string();
        let result = catch_unwind(AssertUnwindSafe(|| parse_feed(&bytes, None, "http://example.com/feed", now)));
        match result {
            Ok(Ok(feed)) => {
                parsed += 1;
                items += feed.items.len();
                untitled += feed.items.iter().filter(|i| i.title.trim().is_empty()).count();
                with_text += feed.items.iter().filter(|i| i.summary_html.is_some() || i.content_html.is_some()).count();
                for (field, text) in texts(&feed) {
                    if let Some(c) = text.chars().find(|&c| is_forbidden(c)) {
                        dirty.push(format!("{name}: a {field} holds U+{:04X}: {text:?}", c as u32));
                    }
                }
            }
            Ok(Err(ParseError::NotAFeed(why))) => {
                not_feed += 1;
                if verbose {
                    println!("not a feed: {name}: {why}");
                }
            }
            Ok(Err(ParseError::Malformed(why))) => {
                malformed += 1;
                if verbose {
                    println!("malformed: {name}: {why}");
                }
            }
            Ok(Err(ParseError::Panicked)) => panicked.push(format!("{name} (feed-rs panicked, caught)")),
            Err(_) => panicked.push(format!("{name} (panic escaped parse_feed)")),
        }
    }
    println!(
        "{} corpus files: parsed OK {parsed}, not a feed {not_feed}, malformed {malformed}, panicked {}; \
         {items} items, {with_text} with a text, {untitled} without a title",
        files.len(),
        panicked.len()
    );
    assert!(panicked.is_empty(), "the parser panicked on:\n{}", panicked.join("\n"));
    assert!(parsed >= MIN_PARSED, "only {parsed} files parsed, fewer than the {MIN_PARSED} recorded");
    assert!(items >= MIN_ITEMS, "the parsed files gave {items} items, fewer than the {MIN_ITEMS} recorded");
    assert!(with_text >= MIN_WITH_TEXT, "{with_text} items have a text, fewer than the {MIN_WITH_TEXT} recorded");
    assert_eq!(untitled, 0, "every item gets a title");
    let shown: Vec<&str> = dirty.iter().take(20).map(String::as_str).collect();
    assert!(dirty.is_empty(), "control characters left in {} texts, among them:\n{}", dirty.len(), shown.join("\n"));
}
