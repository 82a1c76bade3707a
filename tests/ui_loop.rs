//! The real event loop (`EventLoop::run`) on ratatui's `TestBackend`, driven by scripted
//! messages as the input thread would send them: it draws, carries out the effects (the save
//! through the cache's writer, the document from the render thread) and, on quit, saves
//! everything before it returns.

mod ui_support;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tidings::model::ItemFilter;
use tidings::store::Store;
use tidings::ui::update::Msg;
use ui_support::{fixture, key};

fn screen(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    let cells: Vec<&str> = buffer.content().iter().map(|c| c.symbol()).collect();
    cells.chunks(width).map(|row| row.concat()).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_loop_opens_an_article_saves_it_read_and_quits_with_everything_saved() {
    let mut f = fixture(160, 48);
    let id = f.app.headlines.selected_id().expect("a selection");
    let tx = f.reader.sender();
    for k in ["enter", "j", "s", "Q"] {
        tx.send(Msg::Key(key(k))).expect("send");
    }
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    f.reader.run(&mut terminal).expect("the loop runs");
    let text = screen(&terminal);
    assert!(text.contains("Port Ellery ferry strike strands thousands of commuters"), "{text}");
    assert!(text.contains("A strike by ferry crews at Port Ellery over pay"), "the article's body is drawn:\n{text}");
    // On disk, through another connection: the loop waited for the writer before it returned.
    let cache = Store::open_for_reading(&f.path).expect("open");
    let item = cache.item(id).expect("read").expect("item");
    assert!(item.read, "opening saved the read state");
    assert!(item.starred, "s saved the star");
    assert_eq!(cache.item_ids(&ItemFilter::Starred, false).expect("starred"), vec![id]);
}

#[test]
fn the_loop_wakes_for_the_pollers_events_and_refreshes_the_panes() {
    let mut f = fixture(160, 48);
    let feed = f.feeds[1];
    let fresh = tidings::model::ParsedFeed {
        items: vec![tidings::model::NewItem {
            guid: "late".into(),
            title: "Late edition: harbour reopens".into(),
            published_at: Some(ui_support::NOW - 10),
            content_html: Some("<p>The harbour reopened.</p>".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    f.lib_store_success(feed, &Default::default(), &fresh);
    let tx = f.reader.sender();
    use tidings::feed::events::{FeedOutcome, FeedTotals, PageTotals, PollerEvent};
    tx.send(Msg::Poller(PollerEvent::PollStarted { feeds: vec![feed] })).expect("send");
    tx.send(Msg::Poller(PollerEvent::FeedDone {
        feed,
        outcome: FeedOutcome::Updated { new_items: 1, updated_items: 0 },
    }))
    .expect("send");
    tx.send(Msg::Poller(PollerEvent::Finished {
        feeds: FeedTotals { updated: 1, new_items: 1, ..Default::default() },
        pages: PageTotals::default(),
    }))
    .expect("send");
    tx.send(Msg::Key(key("Q"))).expect("send");
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    f.reader.run(&mut terminal).expect("the loop runs");
    let text = screen(&terminal);
    assert!(text.contains("Late edition: harbour reopens"), "the new item is listed:\n{text}");
    assert!(text.contains("All                  7"), "the counts follow:\n{text}");
}
