//! `update` against a fake library held in memory (no SQLite, no threads): it only reads, and
//! every write, render and search comes out as an effect for the loop to carry out.

use std::collections::{HashMap, HashSet};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tidings::keys::keymap::Keymap;
use tidings::model::{FeedId, FeedRow, FlagChange, ItemFilter, ItemId, ItemRow, ItemSummary, StoryId};
use tidings::theme::Theme;
use tidings::ui::app::{App, FeedInfo, Pane};
use tidings::ui::headline_order::HeadlineList;
use tidings::ui::library::{Library, LibraryError};
use tidings::ui::update::{Effect, Msg, start, update};

/// Items in memory, newest first; it cannot write, so `update` cannot either.
struct FakeLibrary {
    items: Vec<ItemRow>,
}

fn row(id: i64, feed: i64, title: &str, read: bool) -> ItemRow {
    ItemRow {
        id: ItemId(id),
        feed_id: FeedId(feed),
        guid: format!("g{id}"),
        url: Some(format!("https://news.example/{id}")),
        title: title.into(),
        author: None,
        published_at: 1_000 - id,
        first_seen_at: 0,
        summary_html: None,
        content_html: Some(format!("<p>The text of {title}.</p>")),
        article_html: None,
        article_error: None,
        read,
        starred: false,
        story_id: None,
        enclosures: Vec::new(),
    }
}

impl FakeLibrary {
    fn matching(&self, filter: &ItemFilter, unread_only: bool) -> Vec<&ItemRow> {
        self.items
            .iter()
            .filter(|i| !unread_only || !i.read)
            .filter(|i| match filter {
                ItemFilter::All => true,
                ItemFilter::Unread => !i.read,
                ItemFilter::Starred => i.starred,
                ItemFilter::Feeds(feeds) => feeds.contains(&i.feed_id),
                ItemFilter::Search(q) => i.title.to_lowercase().contains(&q.text.to_lowercase()),
            })
            .collect()
    }
}

impl Library for FakeLibrary {
    fn feed_rows(&self) -> Result<Vec<FeedRow>, LibraryError> {
        Ok(Vec::new())
    }
    fn feed_counts(&self) -> Result<HashMap<FeedId, (i64, i64)>, LibraryError> {
        let mut counts: HashMap<FeedId, (i64, i64)> = HashMap::new();
        for item in &self.items {
            let c = counts.entry(item.feed_id).or_default();
            c.0 += i64::from(!item.read);
            c.1 += 1;
        }
        Ok(counts)
    }
    fn item_ids(&self, filter: &ItemFilter, unread_only: bool) -> Result<Vec<ItemId>, LibraryError> {
        Ok(self.matching(filter, unread_only).iter().map(|i| i.id).collect())
    }
    fn headline_list(
        &self,
        filter: &ItemFilter,
        unread_only: bool,
        _expanded: &HashSet<StoryId>,
    ) -> Result<HeadlineList, LibraryError> {
        Ok(HeadlineList { ids: self.item_ids(filter, unread_only)?, stories: Default::default() })
    }
    fn story_members(&self, _story: StoryId) -> Result<Vec<(ItemId, FeedId)>, LibraryError> {
        Ok(Vec::new())
    }
    fn read_afresh(&self, _feeds: Option<&[FeedId]>) {}
    fn summaries(&self, ids: &[ItemId]) -> Result<Vec<ItemSummary>, LibraryError> {
        Ok(self
            .items
            .iter()
            .filter(|i| ids.contains(&i.id))
            .map(|i| ItemSummary {
                id: i.id,
                feed_id: i.feed_id,
                title: i.title.clone(),
                url: i.url.clone(),
                published_at: i.published_at,
                read: i.read,
                starred: i.starred,
            })
            .collect())
    }
    fn item(&self, id: ItemId) -> Result<Option<ItemRow>, LibraryError> {
        Ok(self.items.iter().find(|i| i.id == id).cloned())
    }
    fn first_unread(&self, filter: &ItemFilter) -> Result<Option<ItemId>, LibraryError> {
        Ok(self.matching(filter, true).first().map(|i| i.id))
    }
    fn now(&self) -> i64 {
        1_000
    }
}

fn press(app: &mut App, lib: &FakeLibrary, c: char) -> Vec<Effect> {
    update(app, Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)), lib)
}

fn started(lib: &FakeLibrary) -> App {
    let feeds = vec![
        FeedInfo { id: FeedId(1), name: "Gazette".into(), tags: vec![], configured_name: true },
        FeedInfo { id: FeedId(2), name: "Wire".into(), tags: vec![], configured_name: true },
    ];
    let mut app = App::new(feeds, Keymap::default(), Theme::default(), false);
    app.size = (160, 48);
    start(&mut app, lib);
    app
}

fn library() -> FakeLibrary {
    FakeLibrary {
        items: vec![row(1, 1, "Harbour reopens", false), row(2, 2, "Ferry strike", false), row(3, 1, "Budget", true)],
    }
}

#[test]
fn opening_asks_to_save_the_read_flag_and_to_render_and_shows_both_at_once() {
    let lib = library();
    let mut app = started(&lib);
    assert_eq!(app.entries[0].unread, 2);
    let effects = update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)), &lib);
    assert_eq!(app.focus, Pane::Article);
    assert_eq!(effects[0], Effect::Save(FlagChange::Read { ids: vec![ItemId(1)], read: true }));
    let Effect::Render(request) = &effects[1] else { panic!("a render request: {effects:?}") };
    assert_eq!(effects[2], Effect::FindRelated(ItemId(1)));
    assert_eq!(effects.len(), 3);
    assert_eq!(request.item.id, ItemId(1));
    assert_eq!(app.entries[0].unread, 1, "the count shows the change before it is saved");
    // The document is shown when it answers the latest request, not before, not a stale one.
    let article = app.article.as_ref().expect("open");
    assert!(article.rendered.lines.is_empty());
    let document = request.render();
    update(&mut app, Msg::Rendered { id: request.id + 1, article: document.clone() }, &lib);
    assert!(app.article.as_ref().expect("open").rendered.lines.is_empty(), "an answer to another request");
    update(&mut app, Msg::Rendered { id: request.id, article: document }, &lib);
    let text: String =
        app.article.as_ref().expect("open").rendered.lines.iter().map(|l| l.to_string()).collect::<Vec<_>>().join("\n");
    assert!(text.contains("The text of Harbour reopens."), "{text}");
    // Related stories are looked up off the interface's thread too; another item's are ignored.
    assert_eq!(app.article.as_ref().expect("open").related, None);
    update(&mut app, Msg::Related { item: ItemId(3), ids: Some(vec![ItemId(2)]) }, &lib);
    assert_eq!(app.article.as_ref().expect("open").related, None);
    update(&mut app, Msg::Related { item: ItemId(1), ids: Some(vec![ItemId(2)]) }, &lib);
    let related = app.article.as_ref().and_then(|a| a.related.clone()).expect("listed");
    assert_eq!(
        related.iter().map(|r| (r.title.as_str(), r.source.as_str())).collect::<Vec<_>>(),
        [("Ferry strike", "Wire")]
    );
}

#[test]
fn marks_and_stars_are_effects_and_a_failed_save_is_said() {
    let lib = library();
    let mut app = started(&lib);
    assert_eq!(press(&mut app, &lib, 's'), [Effect::Save(FlagChange::Starred { id: ItemId(1), starred: true })]);
    assert_eq!(press(&mut app, &lib, 'm'), [Effect::Save(FlagChange::Read { ids: vec![ItemId(1)], read: true })]);
    assert_eq!(
        press(&mut app, &lib, 'A'),
        [Effect::Save(FlagChange::Read { ids: vec![ItemId(1), ItemId(2)], read: true })]
    );
    assert_eq!(app.status.message.as_deref(), Some("Marked 2 items read (U undoes)"));
    assert_eq!(app.entries[0].unread, 0);
    update(&mut app, Msg::Saved { change: 3, error: Some("disk full".into()) }, &lib);
    assert_eq!(app.status.last_error.as_deref(), Some("could not save the read or star flag: disk full"));
    assert_eq!(app.entries[0].unread, 2, "the panes show what the cache holds again");
}

#[test]
fn a_search_waits_for_the_index_then_lists_the_matches() {
    let lib = library();
    let mut app = started(&lib);
    press(&mut app, &lib, '/');
    for c in "ferry".chars() {
        press(&mut app, &lib, c);
    }
    let effects = update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)), &lib);
    assert_eq!(effects, [Effect::Search("ferry".into())]);
    assert_eq!(app.headlines.ids.len(), 3, "nothing listed before the index caught up");
    update(&mut app, Msg::SearchReady("ferry".into()), &lib);
    assert_eq!(app.headlines.ids, [ItemId(2)]);
    assert_eq!(app.headlines.title, "Search: ferry");
}

#[test]
fn a_search_that_does_not_parse_says_where_and_asks_for_nothing() {
    let lib = library();
    let mut app = started(&lib);
    press(&mut app, &lib, '/');
    for c in "ferry or".chars() {
        press(&mut app, &lib, c);
    }
    let effects = update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)), &lib);
    assert_eq!(effects, []);
    assert_eq!(app.status.message.as_deref(), Some("Search \"ferry or\": column 9: a word or a term is missing here"));
    assert_eq!(app.headlines.ids.len(), 3, "the list stays as it was");
}

#[test]
fn the_background_sync_is_shown_and_its_feeds_join_the_feeds_pane_under_their_category() {
    use tidings::ui::app::{EntryKind, SyncNotice};
    let mut lib = library();
    let mut app = started(&lib);
    assert!(update(&mut app, Msg::Sync(SyncNotice::Started), &lib).is_empty());
    assert!(app.status.syncing);

    // The sync brought a feed of the server's (feed 3, in its "Tech" category) and an item.
    lib.items.push(row(4, 3, "Kernel release", false));
    let mut feeds = app.feeds_info.clone();
    feeds.push(FeedInfo {
        id: FeedId(3),
        name: "Server feed".into(),
        tags: vec!["Tech".into()],
        configured_name: false,
    });
    let done = SyncNotice::Done { feeds, summary: "1 new".into() };
    update(&mut app, Msg::Sync(done), &lib);
    assert!(!app.status.syncing);
    assert_eq!((app.status.last_sync_at, app.status.sync_summary.as_deref()), (Some(1_000), Some("1 new")));
    assert!(app.entries.iter().any(|e| e.kind == EntryKind::Tag("Tech".into())), "{:?}", app.entries);
    assert!(app.entries.iter().any(|e| e.kind == EntryKind::Feed(FeedId(3))));
    assert_eq!(app.entries[0].unread, 3, "All counts the new item");

    // A failed sync is said, and a good one clears it.
    update(&mut app, Msg::Sync(SyncNotice::Failed("cannot reach the server: timed out after 30s".into())), &lib);
    assert_eq!(app.status.last_error.as_deref(), Some("sync: cannot reach the server: timed out after 30s"));
    let again = SyncNotice::Done { feeds: app.feeds_info.clone(), summary: "0 new".into() };
    update(&mut app, Msg::Sync(again), &lib);
    assert_eq!(app.status.last_error, None);
}
