//! Hand-written pages (not copies of real sites): an article surrounded by each kind of
//! boilerplate, with the exact text the extractor must give.

use std::path::Path;

use tidings::extract::{Block, FeedHint, extract};

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

/// A page with next to no prose (a calendar) above a notice to commenters: the notice is the
/// only prose, so without the hint it is taken for the article; the feed's summary names the
/// calendar, and then the calendar alone is the article.
#[test]
fn a_feed_hint_finds_the_article_on_a_page_without_prose() {
    let html = "<html><body><div class=post><h1>Race calendar 2026</h1>\
        <p>Round 1: 8 March – Northfield<br>Round 2: 5 April – Eastvale<br>Round 3: 3 May – Kingsport<br>\
        Round 4: 7 June – Lowmoor<br>Round 5: 2 August – Highcliff</p>\
        <p><a href=/share>Share this</a></p><img src=/banner.png alt=\"Season banner\">\
        <div class=notice><p>Please note: comments with offensive language or personal attacks will not be \
        approved by the moderators of this site, and repeated offenders will be blocked from commenting.</p>\
        </div></div></body></html>";
    let hint = FeedHint {
        title: Some("Race calendar 2026".into()),
        summary: Some("Round 1: 8 March – Northfield Round 2: 5 April – Eastvale".into()),
    };
    let with_hint = extract(html, None, Some(&hint)).plain_text();
    assert!(with_hint.starts_with("Round 1: 8 March – Northfield"), "{with_hint}");
    assert!(with_hint.contains("Round 5: 2 August – Highcliff"), "{with_hint}");
    assert!(!with_hint.contains("Please note"), "{with_hint}");
    let without = extract(html, None, None).plain_text();
    assert!(without.starts_with("Please note") && !without.contains("Round"), "{without}");
}

/// One spelling of each word whichever the page used: soft hyphens (`&shy;`, set for the browser
/// to break long German words) are dropped, and decomposed letters (e and a combining acute; a
/// Bengali letter written with its nukta apart or precomposed) come out composed (NFC), as search,
/// related stories and the terminal need them.
#[test]
fn article_text_has_no_soft_hyphens_and_is_composed() {
    let html = "<html><body><article><h1>Wein</h1>\
        <p>Schon im Mit&shy;tel&shy;al&shy;ter war der St. Mag&shy;da&shy;le&shy;ner das Aus\u{ad}hän\u{ad}ge\u{ad}schild \
        der Süd\u{ad}ti\u{ad}ro\u{ad}ler Weinwirtschaft, sagt der Cafe\u{301}-Besitzer.</p>\
        <p>কুষ্টি\u{9df}া জেলার খবর, আজ সকালে প্রকাশিত হয়েছে এবং বিস্তারিত পরে জানানো হবে।</p>\
        </article></body></html>";
    let text = extract(html, None, None).plain_text();
    assert_eq!(
        text,
        "Schon im Mittelalter war der St. Magdalener das Aushängeschild der Südtiroler Weinwirtschaft, \
         sagt der Café-Besitzer.\n\nকুষ্টি\u{9af}\u{9bc}া জেলার খবর, আজ সকালে প্রকাশিত হয়েছে এবং বিস্তারিত পরে জানানো হবে।"
    );
}

/// A numbered list of the author's steps keeps every step, a linked one too ("the worked
/// solution"), where a bulleted list of links would be a menu.
#[test]
fn a_numbered_list_keeps_its_linked_steps() {
    let html = "<html><body><nav><ul><li><a href=/a>Start</a></li><li><a href=/b>Aufgaben</a></li></ul></nav>\
        <article><h1>Masse von Prismen</h1>\
        <p>Die Masse eines Körpers ist das Produkt aus seinem Volumen und seiner Dichte. Die Aufgaben üben das an Quadern.</p>\
        <ol><li>Berechne die Masse eines Glasquaders mit a = 4 cm, b = 3 cm und h = 7 cm bei einer Dichte von 2,5 g/cm³.</li>\
        <li>Lösung: m = 210 g</li>\
        <li><a href=/loesung-1>Vollständig durchgerechnete Lösung</a></li>\
        <li>Welche Masse hat ein Kubikmeter Bausand, wenn seine Dichte 1,7 g/cm³ beträgt?</li>\
        <li>Lösung: m = 1 700 kg</li></ol>\
        <p>Weitere Aufgaben folgen in der nächsten Woche, zusammen mit den Lösungen für Zylinder und Pyramiden.</p>\
        </article></body></html>";
    let text = extract(html, None, None).plain_text();
    assert!(text.contains("Vollständig durchgerechnete Lösung"), "{text}");
    assert!(text.contains("Lösung: m = 1 700 kg"), "{text}");
    assert!(!text.lines().any(|l| l.trim() == "Aufgaben" || l.trim() == "Start"), "the menu stays out: {text}");
}

/// A data table in the article keeps every cell, the linked names in its first column too.
#[test]
fn a_data_table_keeps_its_linked_cells() {
    let html = "<html><body><main><h1>Install the engine</h1>\
        <p>The engine runs on the desktop and on servers. Pick the package for your platform from the table below, then follow its page.</p>\
        <table><tr><th>Platform</th><th>x86_64</th><th>arm64</th></tr>\
        <tr><td><a href=/desktop/windows>Desktop for Windows</a></td><td>yes</td><td>no</td></tr>\
        <tr><td><a href=/desktop/mac>Desktop for Mac</a></td><td>yes</td><td>yes</td></tr></table>\
        <p>Servers are installed from the distribution's packages, which the next section describes for each of them.</p>\
        </main></body></html>";
    let text = extract(html, None, None).plain_text();
    assert!(text.contains("Desktop for Windows") && text.contains("Desktop for Mac"), "{text}");
}

/// The pitches at an article's end are trimmed, an app's as well as a subscription's, in English
/// and in German.
#[test]
fn pitches_at_the_end_are_trimmed() {
    let body = "<h1>Schools reopen</h1>\
        <p>All public schools reopen on Monday after the storm, the ministry said, with buses running on the usual routes.</p>\
        <p>Two schools in the north stay closed until their roofs are repaired, which the ministry expects to take a week.</p>";
    for tail in [
        "<p>Subscribe now to our e-edition for the full story.</p>\
         <p>For the latest stories and breaking news updates, download the News app from the store.</p>",
        "<p>Laden Sie jetzt unsere App herunter und bleiben Sie informiert.</p>",
    ] {
        let html = format!("<html><body><article>{body}{tail}</article></body></html>");
        let text = extract(&html, None, None).plain_text();
        assert!(text.ends_with("which the ministry expects to take a week."), "{text}");
    }
}
