//! Issue 12, bug 11: only web (http, https) and mailto: links go to the browser; javascript: and
//! other schemes are refused with a message, for the numbered links and the item's own URL.

mod ui_support;

use tidings::ui::update::Effect;
use ui_support::fixture;

#[test]
fn javascript_links_in_the_article_are_not_opened() {
    let mut f = fixture(160, 48);
    f.keys(&["j", "enter"]); // Ferry crews walk out (link 1: the union statement)
    let article = f.app.article.as_mut().expect("article open");
    article.rendered.links.push("javascript:alert(document.cookie)".into());
    article.rendered.links.push("mailto:desk@gazette.example".into());
    article.rendered.links.push("file:///etc/passwd".into());
    assert_eq!(f.keys(&["1"]), vec![Effect::OpenUrl("https://union.example/statement".into())]);
    assert!(f.keys(&["2"]).is_empty());
    assert_eq!(f.app.status.message.as_deref(), Some("Not opening javascript: links"));
    assert!(f.keys(&["f", "2", "enter"]).is_empty());
    assert_eq!(f.app.status.message.as_deref(), Some("Not opening javascript: links"));
    // mailto: is for the mail program the browser hands it to.
    assert_eq!(f.keys(&["3"]), vec![Effect::OpenUrl("mailto:desk@gazette.example".into())]);
    assert!(f.keys(&["4"]).is_empty());
    assert_eq!(f.app.status.message.as_deref(), Some("Not opening file: links"));
}

#[test]
fn an_item_whose_own_url_is_javascript_is_not_opened() {
    let mut f = fixture(160, 48);
    f.keys(&["j", "enter"]);
    f.app.article.as_mut().expect("article open").item.url = Some("JavaScript:alert(1)".into());
    assert!(f.keys(&["o"]).is_empty());
    assert_eq!(f.app.status.message.as_deref(), Some("Not opening javascript: links"));
    f.app.article.as_mut().expect("article open").item.url = Some("not a url".into());
    assert!(f.keys(&["o"]).is_empty());
    assert_eq!(f.app.status.message.as_deref(), Some("Not opening \"not a url\": not a web address"));
}
