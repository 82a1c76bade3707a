//! OPML: reading other readers' subscription lists (folders become tags), writing ours, the
//! round trip through both, and adding the feeds to a hand-written config without touching it.

mod common;

use std::path::Path;

use common::{fixture, fixture_text};
use tidings::config::{
    self,
    edit::{add_feeds, import_feeds},
};
use tidings::opml::{OpmlError, OpmlFeed, parse_opml, write_opml};

fn feed(url: &str, title: Option<&str>, tags: &[&str]) -> OpmlFeed {
    OpmlFeed { url: url.into(), title: title.map(str::to_string), tags: tags.iter().map(|t| t.to_string()).collect() }
}

fn nested_feeds() -> Vec<OpmlFeed> {
    vec![
        feed("https://top.example.com/rss", Some("Top Level Feed"), &[]),
        feed("https://news.example.com/world.xml", Some("World & Nation"), &["News"]),
        feed("http://local.example.org/feed?format=rss&lang=en", Some("Local text only"), &["News"]),
        feed("https://blog.example.dev/feed.xml", Some("Rust Blog"), &["News", "Tech"]),
        feed("https://lower.example.net/atom", Some("Title wins"), &["News", "Tech"]),
        feed("https://pod.example.com/feed.rss", Some("Podcast"), &["Links"]),
        feed("https://untitled.example.com/feed", None, &[]),
    ]
}

#[test]
fn nested_folders_become_tags_outermost_first() {
    let feeds = parse_opml(&fixture_text("opml/nested.opml")).expect("the fixture parses");
    assert_eq!(feeds, nested_feeds());
}

#[test]
fn documents_that_are_not_opml_are_refused() {
    assert_eq!(parse_opml("<rss version=\"2.0\"><channel/></rss>"), Err(OpmlError::NotOpml));
    assert_eq!(parse_opml(""), Err(OpmlError::NotOpml));
    let broken = parse_opml("<opml><body><outline text=\"a\" xmlUrl=\"http://a/\"></body></opml>");
    assert!(matches!(broken, Err(OpmlError::Malformed { .. })), "{broken:?}");
    // An OPML without subscriptions is valid and empty.
    assert_eq!(parse_opml("<opml version=\"1.0\"><head/><body/></opml>"), Ok(vec![]));
}

#[test]
fn export_then_import_gives_the_same_feeds() {
    let feeds = nested_feeds();
    let written = write_opml(&feeds);
    assert!(written.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"), "{written}");
    assert!(written.contains("World &amp; Nation"), "{written}");
    let back = parse_opml(&written).expect("our own OPML parses");
    // Feeds without tags come first, then folder by folder; each keeps its URL, name and tags.
    let mut expected = feeds.clone();
    let mut back_sorted = back.clone();
    expected.sort_by(|a, b| a.url.cmp(&b.url));
    back_sorted.sort_by(|a, b| a.url.cmp(&b.url));
    assert_eq!(back_sorted, expected, "{written}");
    // A second round trip is stable to the byte.
    assert_eq!(write_opml(&back), write_opml(&parse_opml(&write_opml(&back)).expect("parses")));
}

#[test]
fn tags_that_are_not_nested_in_the_source_round_trip_too() {
    // A config feed tagged ["world", "us"] and another tagged ["us"]: both orders survive.
    let feeds = vec![
        feed("https://a.example/rss", Some("A"), &["world", "us"]),
        feed("https://b.example/rss", Some("B"), &["us"]),
        feed("https://c.example/rss", Some("C \"quoted\" <name>"), &["world"]),
    ];
    let back = parse_opml(&write_opml(&feeds)).expect("parses");
    let find = |url: &str| back.iter().find(|f| f.url == url).cloned().expect("feed exported");
    assert_eq!(find("https://a.example/rss"), feeds[0]);
    assert_eq!(find("https://b.example/rss"), feeds[1]);
    assert_eq!(find("https://c.example/rss"), feeds[2]);
    assert_eq!(back.len(), 3);
}

#[test]
fn import_into_a_commented_config_keeps_every_line_and_is_idempotent() {
    let path = fixture("opml/commented_config.toml");
    let original = fixture_text("opml/commented_config.toml");
    let base = path.parent().expect("fixture dir");
    let origin = path.display().to_string();
    let feeds = parse_opml(&fixture_text("opml/nested.opml")).expect("parses");

    let (updated, added) = add_feeds(&original, &origin, base, &feeds).expect("import");
    // "World & Nation" is already in the config (under another name): 6 of 7 are new.
    assert_eq!(added, 6);
    // Every original line is still there, unchanged and in the same order; the new tables
    // follow the last feed (the closing comment stays last).
    let mut new_lines = updated.lines();
    for line in original.lines() {
        assert!(
            new_lines.any(|l| l == line),
            "line {line:?} was lost or moved:\n--- before\n{original}\n--- after\n{updated}"
        );
    }
    let last_feed = original.find("enabled = false\n").expect("fixture line") + "enabled = false\n".len();
    assert_eq!(updated[..last_feed], original[..last_feed]);
    assert!(updated.ends_with("\n# The end of my notes.\n"), "{updated}");
    let settings = config::parse_settings(&updated, &origin, base).expect("the result is a valid config");
    assert_eq!(settings.feeds.len(), 8);
    let world = settings.feed_by_name("World").expect("the existing entry");
    assert_eq!(
        (world.url.as_str(), world.tags.as_slice()),
        ("https://news.example.com/world.xml", &["mine".to_string()][..])
    );
    let rust = settings.feed_by_name("Rust Blog").expect("imported");
    assert_eq!(rust.tags, ["News", "Tech"]);
    assert_eq!(settings.feed_by_name("https://untitled.example.com/feed").map(|f| f.name.clone()), Some(None));
    assert_eq!(
        settings.feed_by_name("Local text only").map(|f| f.url.as_str()),
        Some("http://local.example.org/feed?format=rss&lang=en")
    );
    assert_eq!(settings.poll.per_host, 1, "the [poll] table is untouched");

    // Importing the same list again adds nothing and changes nothing.
    let (again, added_again) = add_feeds(&updated, &origin, base, &feeds).expect("re-import");
    assert_eq!(added_again, 0);
    assert_eq!(again, updated);
}

#[test]
fn import_compares_urls_in_canonical_form_and_skips_unusable_ones() {
    let text = "[[feed]]\nurl = \"https://Example.com/feed\"\n";
    let feeds = vec![
        feed("https://example.com/feed", Some("Same, other case"), &[]),
        feed("not a url", Some("Broken"), &[]),
        feed("./local.xml", Some("Local"), &["files"]),
        feed("https://example.com/feed", Some("Listed twice"), &[]),
    ];
    let base = Path::new("/srv/conf");
    let (updated, added) = add_feeds(text, "test", base, &feeds).expect("import");
    assert_eq!(added, 1);
    let settings = config::parse_settings(&updated, "test", base).expect("valid");
    let urls: Vec<&str> = settings.feeds.iter().map(|f| f.url.as_str()).collect();
    assert_eq!(urls, ["https://example.com/feed", "file:///srv/conf/local.xml"]);
    // Issue 12, bug 5: the broken entry is invalid, not "already there".
    let import = import_feeds(text, "test", base, &feeds).expect("import");
    assert_eq!((import.added, import.already_there), (1, 2));
    assert_eq!(import.invalid.len(), 1);
    assert_eq!(import.invalid[0].feed.url, "not a url");
    assert!(import.invalid[0].reason.starts_with("invalid feed url \"not a url\""), "{:?}", import.invalid);
}

#[test]
fn import_into_an_empty_or_missing_config_creates_feed_tables() {
    let feeds = vec![feed("https://a.example/rss", Some("A"), &["x"])];
    let (text, added) = add_feeds("", "new", Path::new("/"), &feeds).expect("import");
    assert_eq!(added, 1);
    let settings = config::parse_settings(&text, "new", Path::new("/")).expect("valid");
    assert_eq!(settings.feeds.len(), 1);
    assert_eq!(settings.feeds[0].tags, ["x"]);
}

#[test]
fn import_refuses_a_config_with_a_syntax_error() {
    let error = add_feeds("[poll\n", "broken.toml", Path::new("/"), &[]).expect_err("broken TOML");
    assert!(error.to_string().starts_with("broken.toml:1:"), "{error}");
}

#[test]
fn import_into_a_file_of_comments_keeps_them_on_top() {
    let text = "# My feeds.\n# More notes.\n";
    let feeds = vec![feed("https://a.example/rss", Some("A"), &[]), feed("https://b.example/rss", None, &[])];
    let (updated, added) = add_feeds(text, "notes", Path::new("/"), &feeds).expect("import");
    assert_eq!(added, 2);
    assert_eq!(
        updated,
        "# My feeds.\n# More notes.\n\n[[feed]]\nurl = \"https://a.example/rss\"\nname = \"A\"\n\n\
         [[feed]]\nurl = \"https://b.example/rss\"\n"
    );
}

/// Issue 12, bug 4: other readers (newsboat, feedly) have one level of folders and put a feed
/// in each folder it belongs to; our export does the same and our import merges the copies.
#[test]
fn tags_are_flat_folders_and_a_config_round_trips_through_export_and_import() {
    let base = Path::new("/srv/conf");
    let config_text = "[[feed]]\nurl = \"https://harbour.example/rss\"\nname = \"Harbour Gazette\"\n\
                       tags = [\"local\", \"news\"]\n\n\
                       [[feed]]\nurl = \"https://wire.example/rss\"\nname = \"Wire\"\ntags = [\"news\"]\n\n\
                       [[feed]]\nurl = \"https://plain.example/rss\"\n";
    let settings = config::parse_settings(config_text, "before", base).expect("valid");
    let exported: Vec<OpmlFeed> = settings
        .feeds
        .iter()
        .map(|f| OpmlFeed { url: f.url.clone(), title: f.name.clone(), tags: f.tags.clone() })
        .collect();
    let written = write_opml(&exported);
    // The Harbour Gazette sits in the top-level folders "local" and "news", not in "local › news".
    let folder = |name: &str| {
        let start = written.find(&format!("    <outline text=\"{name}\" title=\"{name}\">\n")).expect(name);
        let end = start + written[start..].find("\n    </outline>").expect("closed");
        written[start..end].to_string()
    };
    assert!(folder("local").contains("Harbour Gazette") && !folder("local").contains("<outline text=\"news\""));
    assert!(folder("news").contains("Harbour Gazette") && folder("news").contains("Wire"), "{written}");
    assert_eq!(written.matches("xmlUrl=\"https://harbour.example/rss\"").count(), 2, "{written}");

    // Import gives one feed per URL with all its folders as tags.
    let back = parse_opml(&written).expect("parses");
    assert_eq!(back.len(), 3, "{back:?}");
    let (imported, added) = add_feeds("", "after", base, &back).expect("import");
    assert_eq!(added, 3);
    let after = config::parse_settings(&imported, "after", base).expect("valid");
    let summary = |s: &config::Settings| {
        let mut feeds: Vec<_> = s.feeds.iter().map(|f| (f.url.clone(), f.name.clone(), f.tags.clone())).collect();
        feeds.sort();
        feeds
    };
    assert_eq!(summary(&after), summary(&settings));
    // Exporting the import again gives the same document.
    assert_eq!(write_opml(&back), written);
}

#[test]
fn a_feed_in_several_folders_is_imported_once_with_each_folder_as_a_tag() {
    let text = "<opml version=\"2.0\"><body>\
                <outline text=\"local\"><outline text=\"Harbour Gazette\" xmlUrl=\"https://harbour.example/rss\"/></outline>\
                <outline text=\"news\"><outline text=\"Harbour Gazette\" xmlUrl=\"https://harbour.example/rss\"/>\
                <outline text=\"Wire\" xmlUrl=\"https://wire.example/rss\"/></outline>\
                </body></opml>";
    assert_eq!(
        parse_opml(text).expect("parses"),
        vec![
            feed("https://harbour.example/rss", Some("Harbour Gazette"), &["local", "news"]),
            feed("https://wire.example/rss", Some("Wire"), &["news"]),
        ]
    );
}

/// Issue 12, bug 5: an entry whose URL cannot be used is reported as invalid, with the reason,
/// and counted apart from the feeds already in the config.
#[test]
fn import_opml_reports_invalid_urls_apart_from_feeds_already_there() {
    let home = tempfile::tempdir().expect("temp dir");
    let config = home.path().join("tidings.toml");
    std::fs::write(&config, "[[feed]]\nurl = \"https://known.example/rss\"\n").expect("config");
    let opml = home.path().join("list.opml");
    std::fs::write(
        &opml,
        "<opml version=\"2.0\"><body>\
         <outline text=\"Known\" xmlUrl=\"https://known.example/rss\"/>\
         <outline text=\"New\" xmlUrl=\"https://new.example/rss\"/>\
         <outline text=\"Broken\" xmlUrl=\"not a url\"/>\
         <outline text=\"Gopher\" xmlUrl=\"gopher://old.example/feed\"/>\
         </body></opml>",
    )
    .expect("opml");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(["import-opml", opml.to_str().expect("utf-8"), "--config", config.to_str().expect("utf-8")])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env_remove("TIDINGS_LOG")
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout, format!("1 feeds added to {} (1 already there, 2 invalid and skipped)\n", config.display()));
    let skipped: Vec<&str> = stderr.lines().collect();
    assert_eq!(skipped.len(), 2, "{stderr}");
    assert!(skipped[0].starts_with("tidings: skipping \"Broken\" (not a url): invalid feed url"), "{stderr}");
    assert!(
        skipped[1].starts_with("tidings: skipping \"Gopher\" (gopher://old.example/feed): unsupported scheme"),
        "{stderr}"
    );
    let settings =
        config::parse_settings(&std::fs::read_to_string(&config).expect("config"), "t", home.path()).expect("valid");
    assert_eq!(settings.feeds.len(), 2);
}
