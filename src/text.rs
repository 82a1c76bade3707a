//! Small text helpers: HTML entities (the feed parser); a tag stripper for plain text (the search
//! index, the related-stories index, the page fetcher's checks, the renderer's); telling a summary
//! from an article (the parser, the store, the page fetcher); word wrap (the renderer and the
//! article header; [`wrap_breaking`] also breaks a word too long for a line, for the article
//! header, its links and the feed-info view); a stable hash (ids the parser makes up, the demo's
//! pages). The reader pane renders HTML properly with html2text.

/// Decodes HTML character references (`&amp;`, `&#8217;`, `&#x2019;`, `&nbsp;`, ...). Unknown
/// names are left as they are.
pub fn decode_entities(input: &str) -> String {
    if !input.contains('&') {
        return input.to_string();
    }
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(|c: char| c == ';' || c == '&' || c.is_whitespace()).map(|i| i + 1);
        match end.filter(|&e| e <= 32 && rest.as_bytes().get(e) == Some(&b';')) {
            Some(e) => match decode_reference(&rest[1..e]) {
                Some(c) => {
                    out.push(c);
                    rest = &rest[e + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            },
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "times" => '×',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "szlig" => 'ß',
        "ccedil" => 'ç',
        "ntilde" => 'ñ',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        _ => return None,
    })
}

/// Plain text of an HTML fragment, for indexing: tags dropped, scripts and styles dropped,
/// entities decoded, white space folded.
pub fn html_to_index_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        text.push_str(&rest[..lt]);
        text.push(' ');
        rest = &rest[lt..];
        let closing = if starts_with_ignore_case(rest, "<script") {
            Some("</script")
        } else if starts_with_ignore_case(rest, "<style") {
            Some("</style")
        } else {
            None
        };
        if let Some(closing) = closing {
            let end = find_ascii_case_insensitive(rest, closing).unwrap_or(rest.len());
            rest = &rest[end..];
        }
        match memchr::memchr(b'>', rest.as_bytes()) {
            Some(gt) => rest = &rest[gt + 1..],
            None => rest = "",
        }
    }
    text.push_str(rest);
    crate::sanitize::clean_line(&decode_entities(&text))
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes().get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// A feed text with fewer words than this is a summary, not the article.
pub const SUMMARY_WORDS: usize = 150;

/// Whether an item's plain text (see [`html_to_index_text`]) is only a summary of the article:
/// short, or ending by pointing at the rest ("…", "Continue reading", "Read more").
pub fn is_summary_text(text: &str) -> bool {
    text.split_whitespace().take(SUMMARY_WORDS).count() < SUMMARY_WORDS || ends_like_a_summary(text)
}

/// Whether a text ends by pointing at the rest of the article.
fn ends_like_a_summary(text: &str) -> bool {
    let text = text.trim_end().trim_end_matches(['»', '→', '›', '>', ')', ']', ' ']);
    let tail_start = text.char_indices().rev().nth(39).map_or(0, |(i, _)| i);
    let tail = text[tail_start..].to_lowercase();
    text.ends_with('…')
        || text.ends_with("...")
        || ["read more", "continue reading", "read the full"].iter().any(|phrase| tail.contains(phrase))
}

/// Whether an HTML fragment's text is only a summary ([`is_summary_text`] of its plain text),
/// without turning all of a long article into text: the first words and the last are enough.
pub fn is_summary_html(html: &str) -> bool {
    // The opening: enough of the start to hold the words that make an article, cut at a tag.
    let mut cut = 4096;
    loop {
        let end = tag_boundary_after(html, cut);
        let text = html_to_index_text(&html[..end]);
        if end == html.len() {
            return is_summary_text(&text);
        }
        if text.split_whitespace().take(SUMMARY_WORDS).count() >= SUMMARY_WORDS {
            break;
        }
        cut *= 2;
    }
    // The ending: enough of the end to hold its last words, started at a tag.
    let mut span = 1024;
    loop {
        let start = tag_boundary_before(html, html.len().saturating_sub(span));
        let text = html_to_index_text(&html[start..]);
        if start == 0 || text.chars().count() >= 80 {
            return ends_like_a_summary(&text);
        }
        span *= 2;
    }
}

/// The first `<` at or after `at` (a place where a tag starts), or the end.
fn tag_boundary_after(html: &str, at: usize) -> usize {
    if at >= html.len() {
        return html.len();
    }
    memchr::memchr(b'<', &html.as_bytes()[at..]).map_or(html.len(), |i| at + i)
}

/// The last `<` at or before `at`, or the start.
fn tag_boundary_before(html: &str, at: usize) -> usize {
    memchr::memrchr(b'<', &html.as_bytes()[..=at.min(html.len().saturating_sub(1))]).unwrap_or(0)
}

/// FNV-1a, 64 bits: stable across runs and builds (std's hasher is not).
pub fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Greedy word wrap to `width` characters (a word longer than the width gets a line of its own).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Wraps `text` to `width` columns (at least `indent` + 1), the lines after the first indented
/// by `indent` spaces. A word too long for a line of its own (a URL) is broken where the line
/// ends, so no line is longer than the width and no text is lost.
pub fn wrap_breaking(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(indent + 1);
    let mut lines: Vec<String> = Vec::new();
    let mut current: Vec<char> = Vec::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let room = if lines.is_empty() { width } else { width - indent };
            let gap = usize::from(!current.is_empty());
            if current.len() + gap + word.len() <= room {
                if gap == 1 {
                    current.push(' ');
                }
                current.append(&mut word);
                break;
            }
            let free = room.saturating_sub(current.len() + gap);
            if word.len() > width - indent && free > 0 {
                // Too long for any line: fill this one and go on with the rest.
                if gap == 1 {
                    current.push(' ');
                }
                current.extend(word.drain(..free));
            }
            lines.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        lines.push(current.into_iter().collect());
    }
    let pad = " ".repeat(indent);
    lines.into_iter().enumerate().map(|(i, line)| if i == 0 { line } else { format!("{pad}{line}") }).collect()
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `text` cut to `width` columns, ending with … when it was longer.
pub fn fit_width(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_named_and_numeric_references() {
        assert_eq!(decode_entities("Tom &amp; Jerry&#8217;s &#x201C;day&#x201D;"), "Tom & Jerry’s “day”");
        assert_eq!(decode_entities("a&nbsp;b"), "a\u{a0}b");
        assert_eq!(decode_entities("AT&T & co &bogus; &#0;"), "AT&T & co &bogus; &#0;");
    }

    #[test]
    fn short_or_truncated_texts_are_summaries() {
        assert!(is_summary_text("The council met on Tuesday."));
        assert!(is_summary_text(""));
        let long = "word ".repeat(400);
        assert!(!is_summary_text(&long));
        assert!(is_summary_text(&format!("{long} and then […]")));
        assert!(is_summary_text(&format!("{long} Continue reading »")));
        assert!(is_summary_text(&format!("{long} and so on...")));
        assert!(!is_summary_text(&format!("{long} the end (see also)")));
    }

    #[test]
    fn summaries_are_told_from_the_start_and_end_of_long_html_alone() {
        let paragraph = "<p>The harbour council met on <b>Tuesday</b> to talk about the breakwater &amp; more.</p>\n";
        let long = paragraph.repeat(200);
        let cases = [
            String::new(),
            paragraph.to_string(),
            long.clone(),
            format!("{long}<p>And so on…</p>"),
            format!("{long}<p><a href=\"/x\">Continue reading</a></p><img src=\"{}\">", "p".repeat(3000)),
            format!("<div>{}</div>", "word ".repeat(149)),
            format!("<div>{}</div>", "word ".repeat(150)),
            format!("{long}<script>{}</script>", "x".repeat(9000)),
        ];
        for html in &cases {
            let whole = is_summary_text(&html_to_index_text(html));
            assert_eq!(is_summary_html(html), whole, "{}", &html[html.len().saturating_sub(80)..]);
        }
    }

    #[test]
    fn index_text_drops_tags_scripts_and_styles() {
        let html = "<p>Hello <b>world</b></p><script>var x = '<p>';</script><style>p{}</style>&amp; more";
        assert_eq!(html_to_index_text(html), "Hello world & more");
    }
}
