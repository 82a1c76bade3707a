//! Every real and test-suite feed document of `../shared/data/feeds/corpus` through the parser:
//! none may panic, and at least as many must parse as do today. Skipped (with a message) where
//! `../shared` is absent, a failure then under `TIDINGS_REQUIRE_SHARED=1`.
//! `TIDINGS_CORPUS_VERBOSE=1` lists each file that does not parse.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use tidings::feed::{ParseError, parse_feed};

/// How many corpus files parse today. Raise it when the parser gets better; a lower count is a
/// regression. Of the 3,225 files, 3,074 parsed before the repairs in `feed::parse` and
/// `feed::charset` (RSS without a channel, bare `&`, Atom and Media RSS text types, JSON Feed
/// variants, UTF-32); the 46 left are not feeds (CDF, HTML pages, plain XML, empty or gzip files)
/// or are broken on purpose (the test suites' ill-formed cases, truncated end tags).
const MIN_PARSED: usize = 3179;

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
fn every_corpus_file_parses_without_panicking() {
    let Some(corpus) = tidings::shared_data::shared("data/feeds/corpus") else {
        return;
    };
    let verbose = std::env::var_os("TIDINGS_CORPUS_VERBOSE").is_some();
    let mut files = Vec::new();
    collect(&corpus, &mut files);
    let now = 1_767_000_000;
    let (mut parsed, mut not_feed, mut malformed) = (0, 0, 0);
    let mut panicked = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let name = path.strip_prefix(&corpus).unwrap_or(path).display().to_string();
        let result = catch_unwind(AssertUnwindSafe(|| parse_feed(&bytes, None, "http://example.com/feed", now)));
        match result {
            Ok(Ok(_)) => parsed += 1,
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
        "{} corpus files: parsed OK {parsed}, not a feed {not_feed}, malformed {malformed}, panicked {}",
        files.len(),
        panicked.len()
    );
    assert!(panicked.is_empty(), "the parser panicked on:\n{}", panicked.join("\n"));
    assert!(parsed >= MIN_PARSED, "only {parsed} files parsed, fewer than the {MIN_PARSED} recorded");
}
