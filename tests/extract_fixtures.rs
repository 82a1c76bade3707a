//! Hand-written pages (not copies of real sites): an article surrounded by each kind of
//! boilerplate, with the exact text the extractor must give.

use std::path::Path;

use tidings::extract::{Block, extract};

fn fixture(name: &str) -> (String, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract");
    let html = std::fs::read_to_string(dir.join(format!("{name}.html"))).expect("fixture page");
    let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).expect("fixture text");
    (html, text.trim_end().to_string())
}

#[test]
fn every_fixture_gives_its_exact_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extract");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture directory")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".html")).map(str::to_string))
        .collect();
    names.sort();
    assert!(names.len() >= 3, "fixtures: {names:?}");
    for name in names {
        let (html, expected) = fixture(&name);
        let article = extract(&html, None, None);
        assert_eq!(article.plain_text(), expected, "fixture {name}");
    }
}

#[test]
fn seed_layout_drops_latest_news_and_multimedia() {
    let (html, _) = fixture("seed_layout");
    let article = extract(&html, None, None);
    assert_eq!(article.title.as_deref(), Some("Harbour bridge reopens after two years of repairs"));
    assert_eq!(article.byline.as_deref(), Some("Mara Quill"));
    assert_eq!(article.published.map(|d| d.to_rfc3339()).as_deref(), Some("2026-03-14T09:30:00+00:00"));
    let text = article.plain_text();
    for boilerplate in ["Latest News", "Council approves", "Multi Media", "Watch:", "About us", "Copyright"] {
        assert!(!text.contains(boilerplate), "{boilerplate} leaked");
    }
}

#[test]
fn blog_blocks_keep_their_kinds() {
    let (html, _) = fixture("blog_everything");
    let article = extract(&html, None, None);
    assert_eq!(article.title.as_deref(), Some("How we cut our build times in half"));
    assert_eq!(article.byline.as_deref(), Some("Jun Okafor"));
    assert_eq!(article.published.map(|d| d.to_rfc3339()).as_deref(), Some("2026-02-01T07:00:00+00:00"));
    let kinds: Vec<&str> = article
        .blocks
        .iter()
        .map(|b| match b {
            Block::Heading { .. } => "heading",
            Block::Paragraph(_) => "paragraph",
            Block::List { .. } => "list",
            Block::Quote(_) => "quote",
            Block::Code(_) => "code",
            Block::Table { .. } => "table",
            Block::Image { .. } => "image",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "paragraph",
            "heading",
            "paragraph",
            "list",
            "quote",
            "heading",
            "paragraph",
            "code",
            "paragraph",
            "table",
            "paragraph"
        ]
    );
    let html = article.to_html();
    assert!(html.contains("<pre><code>[profile.test]\ndebug = &quot;line-tables-only&quot;</code></pre>"));
    assert!(html.contains("<tr><td>Linking</td><td>7</td><td>3</td></tr>"));
}

#[test]
fn the_feed_hint_is_optional_and_harmless() {
    let (html, expected) = fixture("seed_layout");
    let hint = tidings::extract::FeedHint {
        title: Some("Harbour bridge reopens".into()),
        summary: Some("The old harbour bridge reopened to traffic on Saturday after two years of repairs".into()),
    };
    assert_eq!(extract(&html, None, Some(&hint)).plain_text(), expected);
}
