//! Text from the network is never trusted: control characters, terminal escape sequences and bidi
//! overrides are removed before anything is stored, drawn or printed.

/// Removes escape sequences, C0/C1 control characters (keeping `\n` and `\t`) and bidi override
/// characters from `input`.
pub fn clean_text(input: &str) -> String {
    // Most text is clean: find the first character that may need removing, copy what comes
    // before it as it is, and look at the rest character by character.
    let Some(first) = first_suspect(input.as_bytes()) else { return input.to_string() };
    let mut out = String::with_capacity(input.len());
    out.push_str(&input[..first]);
    let mut chars = input[first..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape_sequence(&mut chars),
            // CSI introduced by its 8-bit form.
            '\u{9b}' => skip_csi_body(&mut chars),
            // OSC, DCS, SOS, PM, APC in their 8-bit forms: skip up to the string terminator.
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string_body(&mut chars),
            '\n' | '\t' => out.push(c),
            '\r' => {}
            c if c.is_control() => {}
            c if is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Like [`clean_text`], for one-line fields (titles, names): runs of white space, new lines
/// included, become one space, and the ends are trimmed.
pub fn clean_line(input: &str) -> String {
    let cleaned = clean_text(input);
    let mut out = String::with_capacity(cleaned.len());
    for word in cleaned.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The index of the first byte that starts a character `clean_text` may remove or change: a C0
/// control other than new line and tab, DEL, a C1 control (U+0080..U+009F) or a bidi control.
/// Always at a character boundary.
fn first_suspect(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let suspect = match b {
            b'\n' | b'\t' => false,
            0x00..=0x1f | 0x7f => true,
            // U+0080..U+009F: C2 80..9F.
            0xc2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
            // U+061C: D8 9C.
            0xd8 => bytes.get(i + 1) == Some(&0x9c),
            // U+202A..U+202E: E2 80 AA..AE; U+2066..U+2069: E2 81 A6..A9.
            0xe2 => match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(0x80), Some(n)) => (0xaa..=0xae).contains(n),
                (Some(0x81), Some(n)) => (0xa6..=0xa9).contains(n),
                _ => false,
            },
            _ => false,
        };
        if suspect {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

fn skip_escape_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
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

fn skip_csi_body(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    // Parameter and intermediate bytes, then one final byte in @..~.
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) || !(' '..='~').contains(&c) {
            break;
        }
    }
}

fn skip_string_body(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    // Up to BEL, ST (ESC \) or the 8-bit ST.
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
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
    fn removes_controls_and_bidi_overrides_but_keeps_text() {
        assert_eq!(clean_text("a\u{0}b\u{7}c\u{8}d\re"), "abcde");
        assert_eq!(clean_text("tab\tand\nline"), "tab\tand\nline");
        assert_eq!(clean_text("evil\u{202e}txt.exe"), "eviltxt.exe");
        assert_eq!(clean_text("Zoë – “quoted” 東京"), "Zoë – “quoted” 東京");
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
        }
        assert_eq!(first_suspect("“Zoë” – 東京 \n\t".as_bytes()), None);
    }

    /// clean_text without the quick scan: the rules alone, for the test above.
    fn clean_text_slowly(input: &str) -> String {
        input.chars().filter(|c| matches!(c, '\n' | '\t') || !(c.is_control() || is_bidi_control(*c))).collect()
    }

    #[test]
    fn clean_line_folds_white_space() {
        assert_eq!(clean_line("  Two\n  lines\t here "), "Two lines here");
    }
}
