//! Issue 17, fuzzing where cargo-fuzz cannot run (this toolchain is stable only): property tests
//! that mutate real inputs (byte flips, insertions of markup and controls, cuts, splices) and feed
//! them to each parser of text from outside: feed bytes to parsed and normalised items, HTML to
//! the cleaned feed text and the rendered article, config text to settings, OPML to
//! subscriptions. None may panic, and what comes out holds no control or invisible character.
//! `PROPTEST_CASES` sets how many inputs each tries (256 by default here).

mod common;

use common::hostile::first_forbidden;
use common::{fixture_bytes, fixture_text};
use proptest::prelude::*;
use tidings::extract::clean_feed_html;
use tidings::render::render_html;
use tidings::theme::Theme;

/// Pieces worth splicing in: markup, entities, encodings, controls and escapes.
const PIECES: &[&str] = &[
    "<",
    ">",
    "&",
    "&#27;[31m",
    "&#0;",
    "<![CDATA[",
    "]]>",
    "<item>",
    "</item>",
    "<entry>",
    "<title>",
    "</channel>",
    "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    "&a;",
    "\u{1b}]52;c;eA==\u{7}",
    "\u{9b}2J",
    "\u{202e}",
    "\u{200b}",
    "\"",
    "{",
    "}",
    "[",
    "]",
    "\\u001b",
    "<table><tr><td rowspan=99999 colspan=99999>",
    "<div><div><div><div>",
    "encoding=\"UTF-16\"",
    "\u{0}",
    "\u{ffff}",
    "=",
    "[[feed]]",
    "url = \"|rm -rf ~\"",
];

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, usize),
    Cut(usize, usize),
    Repeat(usize, usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Flip(at, b)),
        (any::<usize>(), 0..PIECES.len()).prop_map(|(at, p)| Edit::Insert(at, p)),
        (any::<usize>(), 0usize..400).prop_map(|(at, n)| Edit::Cut(at, n)),
        (any::<usize>(), 1usize..64, 2u8..50).prop_map(|(at, n, times)| Edit::Repeat(at, n, times)),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match *e {
            Edit::Flip(at, b) => {
                if !bytes.is_empty() {
                    let i = at % bytes.len();
                    bytes[i] = b;
                }
            }
            Edit::Insert(at, p) => {
                let i = at % len.min(bytes.len() + 1);
                bytes.splice(i..i, PIECES[p].bytes());
            }
            Edit::Cut(at, n) => {
                if !bytes.is_empty() {
                    let i = at % bytes.len();
                    let end = (i + n).min(bytes.len());
                    bytes.drain(i..end);
                }
            }
            Edit::Repeat(at, n, times) => {
                if !bytes.is_empty() {
                    let i = at % bytes.len();
                    let end = (i + n).min(bytes.len());
                    let piece = bytes[i..end].to_vec();
                    for _ in 0..times {
                        bytes.splice(i..i, piece.iter().copied());
                    }
                }
            }
        }
    }
    bytes
}

fn seeds(kind: &str) -> Vec<Vec<u8>> {
    match kind {
        "feed" => ["feeds/small.xml", "feeds/podcast.xml", "feeds/podcast_atom.xml", "feeds/podcast.json"]
            .iter()
            .map(|f| fixture_bytes(f))
            .collect(),
        "config" => ["config/valid_full.toml", "config/sync_valid.toml", "config/keys_newsboat.toml"]
            .iter()
            .map(|f| fixture_bytes(f))
            .collect(),
        "opml" => std::fs::read_dir(common::fixture("opml"))
            .expect("the OPML fixtures")
            .filter_map(Result::ok)
            .map(|e| std::fs::read(e.path()).expect("read"))
            .collect(),
        _ => unreachable!(),
    }
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

#[track_caller]
fn clean(what: &str, text: &str) -> Result<(), TestCaseError> {
    match first_forbidden(text) {
        Some(context) => Err(TestCaseError::fail(format!("{what} holds a control character: {context}"))),
        None => Ok(()),
    }
}

proptest! {
    #![proptest_config(config())]

    /// Feed bytes to items, then each item's HTML as the reader pane renders it.
    #[test]
    fn mutated_feeds_parse_or_fail_cleanly(seed in 0usize..4, edits in prop::collection::vec(edit(), 1..12)) {
        let bytes = apply(seeds("feed")[seed].clone(), &edits);
        if let Ok(feed) = tidings::feed::parse_feed(&bytes, None, "https://fuzz.example/feed", 1_772_366_400) {
            for item in &feed.items {
                clean("a title", &item.title)?;
                clean("an author", item.author.as_deref().unwrap_or(""))?;
                let html = item.content_html.as_deref().or(item.summary_html.as_deref()).unwrap_or("");
                let cleaned = clean_feed_html(html);
                let rendered = render_html(&cleaned, 80, item.url.as_deref(), &Theme::default());
                for line in &rendered.lines {
                    for span in &line.spans {
                        clean("a rendered line", &span.content)?;
                    }
                }
            }
            clean("the feed's title", feed.meta.title.as_deref().unwrap_or(""))?;
        }
    }

    /// Config text to settings, or to an error that says where.
    #[test]
    fn mutated_configs_parse_or_fail_with_a_message(seed in 0usize..3, edits in prop::collection::vec(edit(), 1..8)) {
        let text = String::from_utf8_lossy(&apply(seeds("config")[seed].clone(), &edits)).into_owned();
        if let Err(e) = tidings::config::parse_settings(&text, "fuzz.toml", std::path::Path::new("/nonexistent")) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    /// OPML to subscriptions: names come out clean.
    #[test]
    fn mutated_opml_parses_or_fails(seed in 0usize..64, edits in prop::collection::vec(edit(), 1..10)) {
        let all = seeds("opml");
        let bytes = apply(all[seed % all.len()].clone(), &edits);
        if let Ok(feeds) = tidings::opml::parse_opml(&String::from_utf8_lossy(&bytes)) {
            for feed in feeds {
                clean("an OPML title", feed.title.as_deref().unwrap_or(""))?;
            }
        }
    }
}

/// The seeds themselves parse (else the mutations above would fuzz nothing of interest).
#[test]
fn the_seeds_are_valid() {
    for seed in seeds("feed") {
        tidings::feed::parse_feed(&seed, None, "https://fuzz.example/feed", 0).expect("a seed feed parses");
    }
    for name in ["config/valid_full.toml", "config/sync_valid.toml", "config/keys_newsboat.toml"] {
        let text = fixture_text(name);
        assert!(!text.is_empty());
    }
    assert!(!seeds("opml").is_empty());
}
