//! The notification of new items after a background poll: its title ("tidings: 12 new items")
//! and text (the feeds with the most), made safe to hand to a terminal or a command. Text from
//! feeds (a feed's own title, when the config names it not) never goes out as it came: control characters, escape sequences and bidi overrides are stripped, white space is
//! folded to single spaces, and each part is cut to a bound. Pure: the terminal edge
//! (`ui/notifier.rs`) writes it.

use crate::sanitize::clean_line;

/// The title is cut to this many characters.
pub const MAX_TITLE: usize = 60;
/// The text is cut to this many characters.
pub const MAX_BODY: usize = 200;
/// At most this many feeds are named.
const FEEDS_NAMED: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub title: String,
    pub body: String,
}

/// `text` on one line, without controls, escapes or bidi overrides, at most `max` characters
/// (ending with … when it was longer).
pub fn safe(text: &str, max: usize) -> String {
    let line = clean_line(text);
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// The notification of `total` new items; `feeds` are the feeds' names with their new items.
pub fn new_items(total: usize, feeds: &[(String, usize)]) -> Notification {
    let title = if total == 1 { "tidings: 1 new item".to_string() } else { format!("tidings: {total} new items") };
    let mut named: Vec<&(String, usize)> = feeds.iter().filter(|(_, n)| *n > 0).collect();
    named.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut parts: Vec<String> =
        named.iter().take(FEEDS_NAMED).map(|(name, n)| format!("{} {n}", safe(name, 40))).collect();
    match named.len().saturating_sub(FEEDS_NAMED) {
        0 => {}
        1 => parts.push("and 1 more feed".into()),
        more => parts.push(format!("and {more} more feeds")),
    }
    Notification { title: safe(&title, MAX_TITLE), body: safe(&parts.join(", "), MAX_BODY) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_text_is_made_safe_and_bounded() {
        // Sequences that would end an OSC early, or start one of their own, in every form.
        let hostile =
            "a\u{1b}]9;owned\u{7}b\u{1b}]777;notify;x;y\u{1b}\\c\u{9d}9;z\u{9c}d\u{7}e\u{1b}[31mf\u{202e}g\nh";
        let out = safe(hostile, 100);
        assert_eq!(out, "abcdefg h");
        assert!(out.chars().all(|c| !c.is_control()), "{out:?}");
        let long = "word ".repeat(100);
        let cut = safe(&long, 20);
        assert!(cut.chars().count() <= 20 && cut.ends_with("word…"), "{cut}");
        assert_eq!(safe("short", 20), "short");
    }

    #[test]
    fn the_feeds_with_the_most_new_items_are_named() {
        let feeds = vec![
            ("Tech Wire".to_string(), 7),
            ("Harbour Gazette".to_string(), 5),
            ("Quiet".to_string(), 0),
            ("Broken \u{1b}]0;x\u{7}Feed".to_string(), 2),
            ("Valley Courier".to_string(), 1),
            ("Meridian".to_string(), 1),
        ];
        let n = new_items(16, &feeds);
        assert_eq!(n.title, "tidings: 16 new items");
        assert_eq!(n.body, "Tech Wire 7, Harbour Gazette 5, Broken Feed 2, and 2 more feeds");
        let one = new_items(1, &[("Tech \u{7}Wire\n\u{1b}[2J".to_string(), 1)]);
        assert_eq!(one, Notification { title: "tidings: 1 new item".into(), body: "Tech Wire 1".into() });
        let long_name = "x".repeat(500);
        let many: Vec<(String, usize)> = (0..3).map(|i| (format!("{long_name}{i}"), 1)).collect();
        assert!(new_items(3, &many).body.chars().count() <= MAX_BODY);
    }
}
