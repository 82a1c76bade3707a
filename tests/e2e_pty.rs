//! The real binary in a pseudo-terminal on the offline demo: it waits for headlines, searches,
//! opens an article, checks its text and the related pane, and quits with the terminal restored.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 150;

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().expect("parser lock").screen().contents()
    }

    fn wait_for(&self, what: &str, needle: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = self.text();
            if needle(&text) {
                return text;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{text}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn demo_reads_searches_shows_related_and_quits_cleanly() {
    let home = tempfile::tempdir().expect("temp dir");
    let pair = native_pty_system()
        .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tidings"));
    cmd.arg("--demo");
    cmd.env("TERM", "xterm-256color");
    for var in ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "HOME"] {
        cmd.env(var, home.path());
    }
    cmd.env("BROWSER", "true");
    let mut child = pair.slave.spawn_command(cmd).expect("start tidings");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(ROWS).expect("rows"),
        std::num::NonZeroU16::new(COLS).expect("cols"),
        0,
    )));
    let feed = parser.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            feed.lock().expect("parser lock").process(&buf[..n]);
        }
    });
    let screen = Screen { parser };
    let mut press = |keys: &str| {
        writer.write_all(keys.as_bytes()).expect("type");
        writer.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(150));
    };

    // Headlines appear once the demo feeds are polled (the poller runs in the background).
    screen.wait_for("headlines", |s| s.contains("All (48)") && s.contains("Updated"));

    // Search for one story and open it.
    press("/");
    screen.wait_for("the search prompt", |s| s.contains("Search:"));
    press("walk out\r");
    screen.wait_for("search results", |s| s.contains("Search: walk out"));
    press("\r");
    let article =
        screen.wait_for("the article", |s| s.contains("Harbour Gazette ·") && s.contains("Related stories ("));
    assert!(article.contains("Ferry crews walk out"), "article title on screen:\n{article}");
    assert!(article.contains("Ellery"), "article body on screen:\n{article}");
    // The related pane lists the same strike from the other outlets.
    let related = article.split("Related stories (").nth(1).unwrap_or_default().to_lowercase();
    assert!(related.contains("ferry") || related.contains("strike"), "related pane:\n{related}");
    assert!(related.contains("valley courier") || related.contains("meridian wire"), "related pane:\n{related}");

    // The story groups arrive from the background indexer: the article names the other outlets.
    let grouped = screen.wait_for("the story's other sources", |s| s.contains("Also covered by"));
    assert!(grouped.contains("Meridian Wire") || grouped.contains("Valley Courier"), "{grouped}");

    // A summary-only feed's item shows the article fetched from its page; v shows the feed's text.
    press("\x1b");
    press("/");
    press("commuters stranded\r");
    screen.wait_for("search results", |s| s.contains("Search: commuters stranded"));
    press("\r");
    screen.wait_for("the extracted article", |s| s.contains("Article from the page · v shows the feed's text"));
    press("v");
    screen.wait_for("the feed's text", |s| s.contains("The feed's text · v shows the article from the page"));

    // Help, then quit.
    press("?");
    screen.wait_for("help", |s| s.contains("Keys: j/k scroll, any other key closes"));
    press("x");
    press("Q");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break status;
        }
        assert!(Instant::now() < deadline, "tidings did not quit; screen:\n{}", screen.text());
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");
    std::thread::sleep(Duration::from_millis(200));
    let parser = screen.parser.lock().expect("parser lock");
    assert!(!parser.screen().alternate_screen(), "the alternate screen was left");
    assert!(!parser.screen().hide_cursor(), "the cursor is visible again");
}
