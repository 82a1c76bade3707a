//! Issue 14: story lines follow time. Two outlets' articles of one wildfire, a day apart, fold into
//! one line; a fire in the same hills a month later, in much the same words, is a line of its own: the first story has closed, and the month between the articles counts against them.
//! Through the real indexer (SharedIndex::index_from) on the fixture's cache.

mod ui_support;

use tidings::model::{ItemId, NewItem, ParsedFeed};
use tidings::store::FeedFetchState;
use tidings::ui::update::Msg;
use ui_support::{NOW, unindexed_fixture};

const DAY: i64 = 86_400;

fn item(guid: &str, title: &str, at: i64, text: &str) -> NewItem {
    NewItem {
        guid: guid.into(),
        url: Some(format!("https://news.example/{guid}")),
        title: title.into(),
        author: None,
        published_at: Some(at),
        updated_at: None,
        summary_html: None,
        content_html: Some(format!("<p>{text}</p>")),
        summary_only: None,
        enclosures: Vec::new(),
    }
}

#[test]
fn one_story_a_day_apart_is_one_line_and_the_same_kind_a_month_later_another() {
    let mut f = unindexed_fixture(160, 48);
    let (gazette, techwire) = (f.feeds[0], f.feeds[1]);
    let state = FeedFetchState::default();
    let old = NOW - 31 * DAY;
    let first = ParsedFeed {
        items: vec![item(
            "fire-1",
            "Wildfire near Marseille forces thousands to evacuate",
            old,
            "A wildfire fanned by the mistral swept through pine forest north of Marseille on Monday, forcing \
             4,000 residents of Allauch and Plan-de-Cuques to leave their homes. Six Canadair water bombers \
             and 900 firefighters fought the blaze, the Bouches-du-Rhône prefecture said.",
        )],
        ..Default::default()
    };
    let second = ParsedFeed {
        items: vec![item(
            "fire-2",
            "Marseille blaze: 4,000 evacuated as firefighters battle the mistral",
            old + DAY,
            "Some 900 firefighters and six Canadair planes were still fighting the fire above Allauch on \
             Tuesday; the prefecture of Bouches-du-Rhône said 4,000 people had been evacuated as the mistral \
             pushed the flames through the pine forest north of Marseille.",
        )],
        ..Default::default()
    };
    f.db().record_success(gazette, old, &state, &first).expect("store");
    f.db().record_success(techwire, old + DAY, &state, &second).expect("store");
    // The reader a month ago: it indexes what it has and places it in stories.
    let then = f.index.index_from(f.library.store(), ItemId(0), old + DAY).expect("index");
    f.db().set_stories(&then.stories).expect("save stories");

    // Today the hills burn again; the Gazette writes it up in much the same words.
    let again = ParsedFeed {
        items: vec![item(
            "fire-3",
            "Wildfire near Marseille forces residents to evacuate again",
            NOW - 3600,
            "A wildfire fanned by the mistral swept through pine forest north of Marseille again, forcing \
             residents of Allauch and Plan-de-Cuques to leave their homes. Canadair water bombers and \
             firefighters fought the blaze, the Bouches-du-Rhône prefecture said.",
        )],
        ..Default::default()
    };
    f.db().record_success(gazette, NOW - 3600, &state, &again).expect("store");
    let now = f.index.index_from(f.library.store(), then.last, NOW).expect("index");
    f.db().set_stories(&now.stories).expect("save stories");
    f.send(Msg::StoriesChanged);

    let story = |guid: &str| {
        let id = f.library.store().item_ids(&tidings::store::ItemFilter::All, false).expect("ids");
        let rows = f.library.store().item_summaries(&id).expect("rows");
        let item =
            rows.iter().find(|r| r.url.as_deref() == Some(&format!("https://news.example/{guid}"))).map(|r| r.id);
        let item = item.unwrap_or_else(|| panic!("no item {guid}"));
        f.library.store().item(item).expect("read").and_then(|i| i.story_id)
    };
    let (a, b, c) = (story("fire-1"), story("fire-2"), story("fire-3"));
    assert!(a.is_some() && a == b, "one story a day apart: {a:?} {b:?}");
    assert_ne!(c, a, "a month later is another story");

    // On screen, in All: the old strike is one line for two sources, the new one a line alone.
    let screen = format!("{:?}", f.render().backend().buffer());
    let line_of =
        |title: &str| screen.lines().find(|l| l.contains(title)).unwrap_or_else(|| panic!("{title}: {screen}"));
    let old_lines: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("Wildfire near Marseille forces thousands") || l.contains("Marseille blaze"))
        .collect();
    assert_eq!(old_lines.len(), 1, "one line for the old fire: {screen}");
    assert!(old_lines[0].contains("▸ 2 sources"), "{old_lines:?}");
    assert!(!line_of("Wildfire near Marseille forces resid").contains("sources"), "{screen}");
}
