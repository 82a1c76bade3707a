//! The real binary in a pseudo-terminal on the offline demo: it waits for headlines, searches,
//! opens an article, checks its text and the related pane, and quits with the terminal restored.

mod common;

use std::time::Duration;

use common::pty_demo::Demo;

#[test]
fn demo_reads_searches_shows_related_and_quits_cleanly() {
    let mut demo = Demo::start();
    // Headlines appear once the demo feeds are polled (the poller runs in the background).
    demo.wait_for("headlines", |s| s.contains("All (48)") && s.contains("Updated"));

    // Search for one story and open it.
    type_keys(&mut demo, "/");
    demo.wait_for("the search prompt", |s| s.contains("Search:"));
    type_keys(&mut demo, "walk out\r");
    demo.wait_for("search results", |s| s.contains("Search: walk out"));
    type_keys(&mut demo, "\r");
    let article = demo.wait_for("the article", |s| s.contains("Harbour Gazette ·") && s.contains("Related stories ("));
    assert!(article.contains("Ferry crews walk out"), "article title on screen:\n{article}");
    assert!(article.contains("Ellery"), "article body on screen:\n{article}");
    // The article's address is a terminal hyperlink (OSC 8), closed again.
    let output = demo.output();
    assert!(output.contains("\x1b]8;id=t") && output.contains(";http://127.0.0.1:"), "no OSC 8 hyperlink");
    assert!(output.contains("\x1b]8;;\x1b\\"), "the hyperlink is closed");
    // The related pane lists the same strike from the other outlets.
    let related = article.split("Related stories (").nth(1).unwrap_or_default().to_lowercase();
    assert!(related.contains("ferry") || related.contains("strike"), "related pane:\n{related}");
    assert!(related.contains("valley courier") || related.contains("meridian wire"), "related pane:\n{related}");

    // The story groups arrive from the background indexer: the article names the other outlets.
    let grouped = demo.wait_for("the story's other sources", |s| s.contains("Also covered by"));
    assert!(grouped.contains("Meridian Wire") || grouped.contains("Valley Courier"), "{grouped}");

    // A summary-only feed's item shows the article fetched from its page; v shows the feed's text.
    type_keys(&mut demo, "\x1b");
    type_keys(&mut demo, "/");
    type_keys(&mut demo, "commuters stranded\r");
    demo.wait_for("search results", |s| s.contains("Search: commuters stranded"));
    type_keys(&mut demo, "\r");
    demo.wait_for("the extracted article", |s| s.contains("Article from the page · v shows the feed's text"));
    type_keys(&mut demo, "v");
    demo.wait_for("the feed's text", |s| s.contains("The feed's text · v shows the article from the page"));

    // Help, then quit.
    type_keys(&mut demo, "?");
    demo.wait_for("help", |s| s.contains("Keys: j/k scroll, any other key closes"));
    type_keys(&mut demo, "x");
    type_keys(&mut demo, "Q");
    let status = demo.wait_for_exit();
    assert!(status.success(), "exit status {status:?}");
    demo.assert_terminal_restored();
}

/// `o` with a text-mode browser (here a script named w3m): the reader leaves the screen to it,
/// every key typed goes to the browser and none to the reader, and once it exits the reader is
/// back, drawn whole, and quits cleanly.
#[test]
fn a_terminal_browser_gets_the_terminal_and_the_keys_until_it_exits() {
    let bin = tempfile::tempdir().expect("temp dir");
    let w3m = bin.path().join("w3m");
    let typed = bin.path().join("typed");
    let script = format!(
        "#!/bin/sh\nprintf 'FAKE-W3M %s\\n' \"$1\"\nsleep 1\nIFS= read -r line\nprintf '%s' \"$line\" > '{}'\n",
        typed.display()
    );
    std::fs::write(&w3m, script).expect("write the script");
    let mode = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&w3m, mode).expect("chmod");
    let mut demo = Demo::start_with(&[("BROWSER", w3m.to_str().expect("utf-8 path"))]);
    demo.wait_for_headlines();
    type_keys(&mut demo, "o");
    demo.wait_until("the browser on the main screen", |d| {
        d.text().contains("FAKE-W3M http://127.0.0.1:") && !d.parser.lock().expect("parser").screen().alternate_screen()
    });
    let unread_before = demo.text();
    // Typed while the browser is not reading yet (it sleeps a second first): the reader must
    // not take them. j, q and u would move, quit or filter in the reader.
    type_keys(&mut demo, "jqu typed\r");
    demo.wait_until("the browser's line", |_| std::fs::read_to_string(&typed).is_ok_and(|t| t == "jqu typed"));
    let back = demo.wait_for("the reader again", |s| s.contains("Back from http://127.0.0.1:"));
    assert!(demo.parser.lock().expect("parser").screen().alternate_screen(), "the reader took the screen back");
    assert!(back.contains("All (48)") && !back.contains("FAKE-W3M"), "drawn whole:\n{back}");
    assert!(!unread_before.is_empty());
    type_keys(&mut demo, "Q");
    let status = demo.wait_for_exit();
    assert!(status.success(), "exit status {status:?}");
    demo.assert_terminal_restored();
}

/// Types `keys` and gives the reader a moment to draw what they did.
fn type_keys(demo: &mut Demo, keys: &str) {
    demo.press(keys);
    std::thread::sleep(Duration::from_millis(150));
}
