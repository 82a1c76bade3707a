//! Issue 12, friction: a browser that draws in the terminal (w3m, lynx) gets the terminal: the
//! loop hands it over (input paused, screen restored), runs the browser until it exits, takes the
//! terminal back and says so. A graphical browser is started beside the reader, as before.

mod ui_support;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use tidings::ui::browser::Browser;
use ui_support::{Fixture, fixture};

/// A "browser" that writes the URL it was given to `out` and exits.
fn writing_browser(out: &Path, in_terminal: bool) -> Browser {
    let script = format!("echo \"$1\" > '{}'", out.display());
    Browser { words: vec!["sh".into(), "-c".into(), script, "sh".into()], in_terminal }
}

/// Records what the hand-over saw: whether the browser had run before and after `run`.
fn recording_handover(f: &mut Fixture, out: &Path) -> Rc<RefCell<Vec<String>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let (log, out) = (seen.clone(), out.to_path_buf());
    f.on_handover(move |run| {
        log.borrow_mut().push(format!("released; browser ran: {}", out.exists()));
        run();
        log.borrow_mut().push(format!("taken back; browser ran: {}", out.exists()));
    });
    seen
}

/// The fixture with a writing browser (in the terminal or beside it) and a recording hand-over;
/// the temp dir holds the file the browser writes.
fn with_browser(in_terminal: bool) -> (Fixture, Rc<RefCell<Vec<String>>>, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("opened");
    let mut f = fixture(160, 48);
    f.actions_mut().set_browser(vec![Ok(writing_browser(&out, in_terminal))]);
    let seen = recording_handover(&mut f, &out);
    (f, seen, dir, out)
}

#[test]
fn a_terminal_browser_runs_with_the_terminal_handed_over_and_is_waited_for() {
    let (mut f, seen, _dir, out) = with_browser(true);
    f.keys(&["j", "enter"]);
    let url = f.app.article.as_ref().and_then(|a| a.item.url.clone()).expect("the item's address");
    f.keys(&["o"]);
    assert_eq!(*seen.borrow(), ["released; browser ran: false", "taken back; browser ran: true"]);
    assert_eq!(std::fs::read_to_string(&out).expect("the browser ran"), format!("{url}\n"));
    assert_eq!(f.app.status.message.as_deref(), Some(format!("Back from {url}").as_str()));
    // A link of the article, too.
    std::fs::remove_file(&out).expect("remove");
    f.keys(&["1"]);
    assert_eq!(seen.borrow().len(), 4);
    assert_eq!(std::fs::read_to_string(&out).expect("the browser ran"), "https://union.example/statement\n");
}

#[test]
fn a_failing_terminal_browser_is_said_to_have_failed() {
    let mut f = fixture(160, 48);
    f.actions_mut().set_browser(vec![Ok(Browser { words: vec!["false".into()], in_terminal: true })]);
    f.keys(&["j", "enter", "1"]);
    assert_eq!(f.app.status.message.as_deref(), Some("false failed on https://union.example/statement"));
}

#[test]
fn a_graphical_browser_is_started_without_handing_the_terminal_over() {
    let (mut f, seen, _dir, out) = with_browser(false);
    f.keys(&["j", "enter", "1"]);
    assert!(seen.borrow().is_empty(), "{seen:?}");
    assert_eq!(f.app.status.message.as_deref(), Some("Opened https://union.example/statement"));
    // It runs beside the reader: wait for its file.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::fs::read_to_string(&out).map_or(true, |s| s.is_empty()) {
        assert!(std::time::Instant::now() < deadline, "the browser did not run");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
