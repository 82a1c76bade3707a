//! Issue 12, friction: links in the article are terminal hyperlinks (OSC 8), so a link wrapped
//! over lines stays clickable in the terminal; a mouse click on a link's text opens that link.

mod ui_support;

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use tidings::ui::update::{Effect, Msg};
use ui_support::{Fixture, fixture};

const STATEMENT: &str = "https://union.example/statement";

fn click(column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column, row, modifiers: KeyModifiers::NONE })
}

/// The ferry strike story, whose body links the union statement.
fn ferry(width: u16, height: u16) -> Fixture {
    let mut f = fixture(width, height);
    if width < 96 {
        f.keys(&["enter"]); // one pane at a time: into the headline list first
    }
    f.keys(&["j", "enter"]);
    assert_eq!(f.article_title().as_deref(), Some("Ferry crews walk out at Port Ellery over pay"));
    f
}

/// The text of the cells that link to `url`, row by row, with the sequences taken off.
fn linked_text(f: &Fixture, url: &str) -> Vec<String> {
    let terminal = f.render();
    let buffer = terminal.backend().buffer();
    let open_tail = format!(";{url}\x1b\\");
    let mut rows = Vec::new();
    for y in 0..buffer.area.height {
        let mut row = String::new();
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            if let Some((_, rest)) = symbol.split_once(&open_tail) {
                row.push_str(rest.strip_suffix("\x1b]8;;\x1b\\").expect("each cell closes its link"));
            }
        }
        if !row.is_empty() {
            rows.push(row);
        }
    }
    rows
}

#[test]
fn the_links_text_and_the_link_list_are_hyperlinks() {
    let mut f = ferry(160, 48);
    f.app.hyperlinks = true;
    let rows = linked_text(&f, STATEMENT);
    assert_eq!(
        rows,
        vec!["the union statement".to_string(), STATEMENT.to_string()],
        "the body's link, then the list's"
    );
    let url = f.app.article.as_ref().and_then(|a| a.item.url.clone()).expect("the item's address");
    assert_eq!(linked_text(&f, &url), vec![url.clone()], "the article's own address in the header");
}

#[test]
fn a_link_wrapped_over_lines_stays_one_link() {
    // At 30 columns the list's URL wraps over two lines: each piece links the whole address.
    let mut f = ferry(30, 20);
    f.app.hyperlinks = true;
    f.keys(&["G"]); // to the end of the article: the link list
    let rows = linked_text(&f, STATEMENT);
    assert!(rows.len() >= 2, "{rows:?}");
    assert!(rows.concat().ends_with(STATEMENT), "{rows:?}");
}

#[test]
fn without_hyperlinks_no_escape_reaches_the_screen() {
    let f = ferry(160, 48);
    assert!(!f.app.hyperlinks, "off unless asked for (the config's default is on)");
    let terminal = f.render();
    assert!(terminal.backend().buffer().content.iter().all(|c| !c.symbol().contains('\x1b')));
}

#[test]
fn a_click_on_a_links_text_opens_it_and_on_the_header_address_the_article() {
    let mut f = ferry(160, 48);
    f.keys(&["shift-tab"]);
    let area = f.app.areas.article.expect("article pane");
    let article = f.app.article.as_ref().expect("article");
    let text =
        |line: usize| -> String { article.rendered.lines[line].spans.iter().map(|s| s.content.as_ref()).collect() };
    let body = (0..article.rendered.lines.len()).find(|&l| text(l).contains("the union statement")).expect("link line");
    let column = text(body).find("union").expect("link text") as u16;
    let url = article.item.url.clone().expect("address");
    let header = (0..article.rendered.lines.len()).find(|&l| text(l) == url).expect("header line");
    // Inside the border and the padding column.
    let effects = f.send(click(area.x + 2 + column, area.y + 1 + body as u16));
    assert_eq!(effects, vec![Effect::OpenUrl(STATEMENT.into())]);
    let effects = f.send(click(area.x + 4, area.y + 1 + header as u16));
    assert_eq!(effects, vec![Effect::OpenUrl(url)]);
}
