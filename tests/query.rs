//! The query language end to end: parsed, resolved against feeds, run as SQL on a real cache,
//! and, for random queries, the SQL and the in-memory matcher (the ignore rules') agree.

mod common;

use std::collections::BTreeSet;

use common::now;
use proptest::prelude::*;
use tidings::model::{FeedId, ItemId, NewItem, ParsedFeed, Search};
use tidings::query::{Candidate, FeedLabel, Query, parse};
use tidings::store::{FeedFetchState, ItemFilter, Store};

const DAY: i64 = 86_400;

struct Fixture {
    store: Store,
    labels: Vec<FeedLabel>,
    items: Vec<Stored>,
}

/// An item as the fixture stored it.
struct Stored {
    id: ItemId,
    feed: FeedId,
    title: String,
    author: Option<String>,
    text: String,
    published: i64,
    read: bool,
    starred: bool,
}

const WORDS: &[&str] = &["harbour", "flood", "budget", "council", "ferry", "strike", "café", "vote"];

/// Two feeds, one tagged; items whose titles, texts and authors are drawn from `WORDS`.
fn fixture() -> Fixture {
    let mut store = Store::open_in_memory().expect("cache");
    let feeds = store.sync_feeds(&["http://a.example/feed", "http://b.example/feed"]).expect("feeds");
    let labels = vec![
        FeedLabel { id: feeds[0].0, name: "Harbour News".into(), tags: vec!["local".into()] },
        FeedLabel { id: feeds[1].0, name: "World Wire".into(), tags: vec!["world".into(), "Wire".into()] },
    ];
    let t = now();
    let mut made = Vec::new();
    for n in 0..24usize {
        let w = |k: usize| WORDS[(n * 7 + k * 3) % WORDS.len()];
        let title = format!("{} {}", w(0), w(1));
        let text = format!("{} {} {}", w(2), w(3), w(4));
        let author = (n % 3 != 0).then(|| ["Ana Kim", "Bo Lund"][n % 2].to_string());
        let published = t - (n as i64) * DAY / 2 - 600;
        made.push((
            n % 2,
            NewItem {
                guid: format!("g{n}"),
                title: title.clone(),
                author: author.clone(),
                summary_html: Some(format!("<p>{text}</p>")),
                published_at: Some(published),
                ..NewItem::default()
            },
            text,
        ));
    }
    for (n, feed) in feeds.iter().enumerate() {
        let items: Vec<NewItem> = made.iter().filter(|(f, _, _)| *f == n).map(|(_, i, _)| i.clone()).collect();
        let parsed = ParsedFeed { items, ..ParsedFeed::default() };
        let state = FeedFetchState { next_poll_at: t + 1800, ..FeedFetchState::default() };
        store.record_success(*feed, t, &state, &parsed).expect("store");
    }
    let mut items = Vec::new();
    for (n, (feed, item, text)) in made.iter().enumerate() {
        let id = store
            .item_ids(&ItemFilter::Feeds(vec![feeds[*feed]]), false)
            .expect("ids")
            .into_iter()
            .find(|id| store.item(*id).expect("item").expect("row").guid == item.guid)
            .expect("stored");
        let read = n % 4 == 1;
        let starred = n % 5 == 2;
        if read {
            store.set_read(&[id], true, t).expect("read");
        }
        if starred {
            store.set_starred(id, true, t).expect("star");
        }
        items.push(Stored {
            id,
            feed: feeds[*feed],
            title: item.title.clone(),
            author: item.author.clone(),
            text: text.clone(),
            published: item.published_at.unwrap_or(t),
            read,
            starred,
        });
    }
    Fixture { store, labels, items }
}

impl Fixture {
    fn sql(&self, text: &str) -> BTreeSet<ItemId> {
        let search = Search::new(text, &self.labels).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        self.store.item_ids(&ItemFilter::Search(search), false).expect("query runs").into_iter().collect()
    }

    fn memory(&self, query: &Query) -> BTreeSet<ItemId> {
        let now = now();
        self.items
            .iter()
            .filter(|i| {
                let c = Candidate {
                    feed: i.feed.0,
                    title: &i.title,
                    author: i.author.as_deref(),
                    text: &i.text,
                    published_at: i.published,
                    read: i.read,
                    starred: i.starred,
                };
                query.matches(&c, now)
            })
            .map(|i| i.id)
            .collect()
    }

    fn titles(&self, text: &str) -> usize {
        self.sql(text).len()
    }
}

#[test]
fn every_construct_selects_what_it_says() {
    let f = fixture();
    let all = f.items.len();
    let with = |pick: &dyn Fn(&Stored) -> bool| f.items.iter().filter(|i| pick(i)).count();
    assert_eq!(f.titles("unread"), with(&|i| !i.read));
    assert_eq!(f.titles("read"), with(&|i| i.read));
    assert_eq!(f.titles("starred"), with(&|i| i.starred));
    assert_eq!(f.titles("unread or read"), all);
    assert_eq!(f.titles("feed:harbour"), with(&|i| i.feed.0 == f.labels[0].id));
    assert_eq!(f.titles("tag:WIRE"), with(&|i| i.feed.0 == f.labels[1].id), "tags in any case");
    assert_eq!(f.titles("tag:nothing"), 0);
    assert_eq!(f.titles("author:kim"), with(&|i| i.author.as_deref() == Some("Ana Kim")));
    assert_eq!(f.titles("not author:kim"), all - with(&|i| i.author.as_deref() == Some("Ana Kim")));
    assert_eq!(f.titles("age<1d"), with(&|i| i.published > now() - DAY));
    assert_eq!(f.titles("age>1d"), with(&|i| i.published < now() - DAY));
    assert_eq!(f.titles("title:flood"), with(&|i| i.title.contains("flood")));
    assert_eq!(f.titles("flood"), with(&|i| i.title.contains("flood") || i.text.contains("flood")));
    assert_eq!(f.titles("cafe"), with(&|i| i.title.contains("café") || i.text.contains("café")), "accents folded");
    assert_eq!(
        f.titles("\"ferry strike\""),
        with(&|i| i.title.contains("ferry strike") || i.text.contains("ferry strike"))
    );
    assert_eq!(
        f.titles("(flood or vote) and not starred"),
        with(&|i| (i.title.contains("flood")
            || i.text.contains("flood")
            || i.title.contains("vote")
            || i.text.contains("vote"))
            && !i.starred)
    );
}

#[test]
fn a_query_feed_filter_counts_and_marks_read() {
    let f = fixture();
    let filter = ItemFilter::Search(Search::new("feed:wire unread", &f.labels).expect("query"));
    let n = f.store.count_items(&filter, false).expect("count");
    assert_eq!(n, f.items.iter().filter(|i| i.feed.0 == f.labels[1].id && !i.read).count());
    // An `or` stays whole when the list is cut to unread items.
    let either = ItemFilter::Search(Search::new("feed:wire or feed:harbour", &f.labels).expect("query"));
    let unread = f.items.iter().filter(|i| !i.read).count();
    assert_eq!(f.store.count_items(&either, true).expect("count"), unread);
    assert_eq!(f.store.item_ids(&either, true).expect("ids").len(), unread);
    let mut store = f.store;
    assert_eq!(store.mark_all_read(&filter, now()).expect("mark"), n);
    assert_eq!(store.count_items(&filter, false).expect("count"), 0);
}

/// Random queries over the fixture's words, fields and flags.
fn query_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        proptest::sample::select(WORDS).prop_map(|w| w[..3.min(w.len())].to_string()),
        proptest::sample::select(WORDS).prop_map(|w| format!("title:{w}")),
        proptest::sample::select(&["unread", "read", "starred", "age<1d", "age>2d", "author:kim", "author:lund"][..])
            .prop_map(str::to_string),
        proptest::sample::select(&["feed:harbour", "feed:wire", "tag:local", "tag:world", "feed:none"][..])
            .prop_map(str::to_string),
        (proptest::sample::select(WORDS), proptest::sample::select(WORDS)).prop_map(|(a, b)| format!("\"{a} {b}\"")),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
            inner.prop_map(|a| format!("not {a}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_cache_and_the_matcher_agree(text in query_text()) {
        thread_local! { static FIXTURE: Fixture = fixture(); }
        FIXTURE.with(|f| {
            let query = parse(&text).expect("generated queries parse").resolve(&f.labels);
            prop_assert_eq!(f.sql(&text), f.memory(&query), "{}", text);
            Ok(())
        })?;
    }

    #[test]
    fn parsing_never_panics_and_errors_point_inside_the_query(text in ".{0,40}") {
        if let Err(e) = parse(&text) {
            prop_assert!(e.column >= 1 && e.column <= text.chars().count() + 1, "{:?}: {}", text, e);
        }
    }

    #[test]
    fn a_query_written_back_parses_to_itself(text in query_text()) {
        let query = parse(&text).expect("parses");
        prop_assert_eq!(parse(&query.to_string()).expect("written back, it parses"), query);
    }
}
