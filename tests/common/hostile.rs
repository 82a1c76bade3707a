//! Hostile text for the tests of issue 17: every kind of sequence a stranger's feed can carry to
//! a terminal, wrapped around words that must still read after cleaning.

/// A readable `label` with, between its words, a colour change and a screen clear (CSI), a
/// clipboard write (OSC 52), a hyperlink (OSC 8), a window title (OSC 0), their 8-bit C1 forms,
/// BEL, NUL, backspace and carriage return, bidi overrides and isolates, and zero-width and
/// byte-order marks. After cleaning, `label`'s words and "red", "link" and "txt.exe" remain.
pub fn nasty(label: &str) -> String {
    format!(
        "{label} \u{1b}[31mred\u{1b}[0m \u{1b}[2J\u{1b}[H\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}]8;;https://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\ \
         \u{1b}]0;pwned\u{7}\u{9b}2J\u{9d}0;title\u{9c}\u{7}\u{0}\u{8}\r\u{202e}txt.exe\u{2066}\u{2069}\u{200b}\u{feff}\u{200f}\u{2060}"
    )
}

/// The same attacks as character references, for markup that declares them that way.
pub fn nasty_refs(label: &str) -> String {
    format!("{label} &#27;[31mred&#27;[0m &#x1b;]52;c;cHduZWQ=&#7; &#x9b;2J&#8238;txt.exe&#x200B;&#xFEFF;&#x2066;")
}

/// What must never reach a terminal, a log or a script's output: C0 and C1 controls but the line
/// feed and the tab (ESC starts every escape sequence), bidi embeddings, overrides, isolates and
/// marks, and the invisible zero-width characters that hide text (ZWJ and ZWNJ stay: emoji and
/// several scripts need them).
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{200b}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
        )
}

/// The first forbidden character of `text` with some context, or `None` when it is clean.
pub fn first_forbidden(text: &str) -> Option<String> {
    let at = text.char_indices().find(|&(_, c)| is_forbidden(c))?.0;
    let from = text[..at].char_indices().rev().nth(30).map_or(0, |(i, _)| i);
    let to = text[at..].char_indices().nth(30).map_or(text.len(), |(i, _)| at + i);
    Some(format!("{:?}", &text[from..to]))
}

/// Fails, naming `what`, when `text` holds a forbidden character; also when it holds a JSON or
/// Rust escape of ESC (a control written out as `\u001b` is still one once decoded).
#[track_caller]
pub fn assert_clean(what: &str, text: &str) {
    if let Some(context) = first_forbidden(text) {
        panic!("{what} holds a control or invisible character: {context}");
    }
    for escaped in ["\\u001b", "\\u001B", "\\u009b", "\\u0007", "\\u0000"] {
        assert!(!text.contains(escaped), "{what} holds an escaped control ({escaped}): {text}");
    }
}
