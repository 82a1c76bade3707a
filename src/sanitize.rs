//! Text from the network is never trusted: control characters, terminal escape sequences, bidi
//! controls and the invisible zero-width characters that hide or spoof text are removed before
//! anything is stored, drawn or printed.

/// Removes escape sequences, C0/C1 control characters (keeping `\n` and `\t`), bidi controls
/// (overrides, embeddings, isolates, direction marks), invisible characters (zero-width space,
/// word joiner, invisible operators, the byte order mark) and soft hyphens from `input`. The
/// zero-width joiner and non-joiner stay: emoji sequences and several scripts need them. A soft hyphen (U+00AD, `&shy;`) is a hint for where
/// a word may break; we wrap on words, and terminals draw it as a hyphen, a blank or nothing,
/// each splitting the word for search and for the eye.
pub fn clean_text(input: &str) -> String {
    // Most text is clean: clean runs are copied whole, and only the characters the quick scan
    // points at are looked at one by one.
    let Some(mut at) = first_suspect(input.as_bytes()) else { return input.to_string() };
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    loop {
        out.push_str(&rest[..at]);
        let mut chars = rest[at..].chars();
        match chars.next() {
            Some('\u{1b}') => skip_escape_sequence(&mut chars),
            // CSI introduced by its 8-bit form.
            Some('\u{9b}') => skip_csi_body(&mut chars),
            // OSC, DCS, SOS, PM, APC in their 8-bit forms: skip up to the string terminator.
            Some('\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}') => skip_string_body(&mut chars),
            // Other controls and bidi overrides are dropped.
            Some(_) | None => {}
        }
        rest = chars.as_str();
        match first_suspect(rest.as_bytes()) {
            Some(next) => at = next,
            None => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// Like [`clean_text`], for one-line fields (titles, names): runs of white space, new lines
/// included, become one space, and the ends are trimmed.
pub fn clean_line(input: &str) -> String {
    fold_white_space(&clean_text(input))
}

/// An error and its causes on one clean line (a network library's own message alone says
/// little), for the log.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    clean_line(&text)
}

/// The innermost cause of `error` on one clean line: what a reader is told ("Connection
/// refused", "end of file before message length reached").
pub fn root_cause(error: &dyn std::error::Error) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    clean_line(&cause.to_string())
}

/// Words of `text` joined by single spaces (white space as `char::is_whitespace` has it).
fn fold_white_space(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut word_start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let space = white_space_len(bytes, i);
        if space == 0 {
            word_start.get_or_insert(i);
            i += 1;
            continue;
        }
        if let Some(start) = word_start.take() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&text[start..i]);
        }
        i += space;
    }
    if let Some(start) = word_start {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..]);
    }
    out
}

/// The length in bytes of the white-space character starting at `i`, or 0. Only lead bytes
/// (ASCII, C2, E1, E2, E3) can start one, so stepping byte by byte never matches mid-character.
fn white_space_len(bytes: &[u8], i: usize) -> usize {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => 1,
        // U+0085, U+00A0
        0xc2 if matches!(at(1), 0x85 | 0xa0) => 2,
        // U+1680
        0xe1 if at(1) == 0x9a && at(2) == 0x80 => 3,
        // U+2000..U+200A, U+2028, U+2029, U+202F
        0xe2 if at(1) == 0x80 && matches!(at(2), 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf) => 3,
        // U+205F
        0xe2 if at(1) == 0x81 && at(2) == 0x9f => 3,
        // U+3000
        0xe3 if at(1) == 0x80 && at(2) == 0x80 => 3,
        _ => 0,
    }
}

/// The index of the first byte that starts a character `clean_text` may remove or change: a C0
/// control other than new line and tab, DEL, a C1 control (U+0080..U+009F), a soft hyphen, a
/// bidi control or an invisible character.
/// Always at a character boundary.
fn first_suspect(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    // Eight bytes at a time; a chunk that may hold one is looked at byte by byte.
    while let Some(chunk) = bytes.get(i..i + 8) {
        if may_hold_suspect(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])))
            && let Some(found) = (i..i + 8).find(|&k| is_suspect_at(bytes, k))
        {
            return Some(found);
        }
        i += 8;
    }
    (i..bytes.len()).find(|&k| is_suspect_at(bytes, k))
}

fn is_suspect_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' | b'\t' => false,
        0x00..=0x1f | 0x7f => true,
        // U+0080..U+009F: C2 80..9F; U+00AD: C2 AD.
        0xc2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n) || *n == 0xad),
        // U+061C: D8 9C.
        0xd8 => bytes.get(i + 1) == Some(&0x9c),
        // U+200B (zero-width space), U+200E, U+200F (direction marks): E2 80 8B, 8E, 8F;
        // U+202A..U+202E: E2 80 AA..AE; U+2060..U+2064 (word joiner, invisible operators):
        // E2 81 A0..A4; U+2066..U+2069: E2 81 A6..A9.
        0xe2 => match (bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(0x80), Some(n)) => matches!(n, 0x8b | 0x8e | 0x8f | 0xaa..=0xae),
            (Some(0x81), Some(n)) => matches!(n, 0xa0..=0xa4 | 0xa6..=0xa9),
            _ => false,
        },
        // U+FEFF (byte order mark, zero-width no-break space): EF BB BF.
        0xef => bytes.get(i + 1) == Some(&0xbb) && bytes.get(i + 2) == Some(&0xbf),
        _ => false,
    }
}

/// Whether any byte of `word` is below 0x20, or is 0x7F, 0xC2, 0xD8, 0xE2 or 0xEF (false positives are
/// allowed: the caller then looks at each byte).
fn may_hold_suspect(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |n: u64| word.wrapping_sub(ONES * n) & !word & HIGH;
    let equal = |b: u64| {
        let v = word ^ (ONES * b);
        v.wrapping_sub(ONES) & !v & HIGH
    };
    below(0x20) | equal(0x7f) | equal(0xc2) | equal(0xd8) | equal(0xe2) | equal(0xef) != 0
}

fn skip_escape_sequence(chars: &mut std::str::Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi_body(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string_body(chars),
        // Two-character sequences (ESC c, ESC 7, ...) and charset selections (ESC ( B).
        Some('(' | ')' | '*' | '+' | '#' | '%') => {
            chars.next();
        }
        _ => {}
    }
}

fn skip_csi_body(chars: &mut std::str::Chars<'_>) {
    // Parameter and intermediate bytes, then one final byte in @..~.
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) || !(' '..='~').contains(&c) {
            break;
        }
    }
}

fn skip_string_body(chars: &mut std::str::Chars<'_>) {
    // Up to BEL, ST (ESC \) or the 8-bit ST.
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.clone().next() == Some('\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_csi_colour_and_cursor_sequences() {
        assert_eq!(clean_text("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(clean_text("x\u{1b}[2J\u{1b}[Hy"), "xy");
        assert_eq!(clean_text("x\u{9b}31my"), "xy");
    }

    #[test]
    fn strips_osc_title_and_hyperlink_sequences() {
        assert_eq!(clean_text("a\u{1b}]0;pwned\u{7}b"), "ab");
        assert_eq!(clean_text("a\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\b"), "alinkb");
    }

    #[test]
    fn removes_invisible_characters_but_keeps_joiners() {
        assert_eq!(
            clean_text("pay\u{200b}pal \u{feff}bom \u{2060}wj \u{200f}rlm \u{200e}lrm \u{2062}x"),
            "paypal bom wj rlm lrm x"
        );
        // ZWJ and ZWNJ shape emoji and scripts: kept.
        assert_eq!(clean_text("👩\u{200d}💻 می\u{200c}خواهم"), "👩\u{200d}💻 می\u{200c}خواهم");
        // Fullwidth forms share the byte order mark's lead byte and stay.
        assert_eq!(clean_text("你好，世界！ｱ"), "你好，世界！ｱ");
    }

    #[test]
    fn removes_controls_and_bidi_overrides_but_keeps_text() {
        assert_eq!(clean_text("a\u{0}b\u{7}c\u{8}d\re"), "abcde");
        assert_eq!(clean_text("tab\tand\nline"), "tab\tand\nline");
        assert_eq!(clean_text("evil\u{202e}txt.exe"), "eviltxt.exe");
        assert_eq!(clean_text("Zoë – “quoted” 東京"), "Zoë – “quoted” 東京");
        assert_eq!(clean_text("Mit\u{ad}tel\u{ad}al\u{ad}ter"), "Mittelalter");
    }

    #[test]
    fn every_character_removed_is_found_by_the_quick_scan() {
        // Each character clean_text drops or changes must be flagged, wherever it sits.
        let removed = (0u32..0x3000).filter_map(char::from_u32).filter(|c| {
            let text = format!("ab{c}cd");
            clean_text_slowly(&text) != text
        });
        for c in removed {
            let text = format!("ab{c}cd");
            assert_eq!(first_suspect(text.as_bytes()), Some(2), "{:?} (U+{:04X})", c, c as u32);
            let long = format!("0123456789ab{c}cdefghijklmnop");
            assert_eq!(first_suspect(long.as_bytes()), Some(12), "{:?} (U+{:04X})", c, c as u32);
        }
        assert_eq!(first_suspect("“Zoë” – 東京 \n\t".as_bytes()), None);
    }

    fn is_bidi_control(c: char) -> bool {
        matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
    }

    /// clean_text without the quick scan: the rules alone, for the test above.
    fn clean_text_slowly(input: &str) -> String {
        input
            .chars()
            .filter(|c| matches!(c, '\n' | '\t') || !(c.is_control() || is_bidi_control(*c) || *c == '\u{ad}'))
            .collect()
    }

    #[test]
    fn clean_line_folds_white_space() {
        assert_eq!(clean_line("  Two\n  lines\t here "), "Two lines here");
        assert_eq!(clean_line("a\u{a0}b\u{2003}c\u{3000}d\u{202f}e “f” 東京"), "a b c d e “f” 東京");
        for text in ["", " ", "x", " x ", "a\u{2009}\u{2009}b", "\u{1680}é\u{205f}"] {
            let expected: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(clean_line(text), expected.join(" "), "{text:?}");
        }
    }

    #[test]
    fn white_space_is_what_rust_calls_white_space() {
        for c in (0u32..0x3100).filter_map(char::from_u32) {
            let text = format!("a{c}b{c}{c}c");
            let expected: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(fold_white_space(&text), expected.join(" "), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_quick_scan_finds_suspects_at_any_offset() {
        for offset in 0..20 {
            let text = format!("{}\u{1b}[31m{}", "a".repeat(offset), "b".repeat(20));
            assert_eq!(first_suspect(text.as_bytes()), Some(offset));
            assert_eq!(clean_text(&text), format!("{}{}", "a".repeat(offset), "b".repeat(20)));
        }
        assert_eq!(first_suspect("plain ascii text, long enough for several words".as_bytes()), None);
    }
}
