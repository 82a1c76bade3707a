//! Table spans held to sane sizes before rendering. A cell's `rowspan` makes the renderer carry
//! a cell into each row below, and its `colspan` adds columns: a hostile page with thousands of
//! rows each spanning 65,535 grows the table quadratically (millions of cells, hundreds of
//! thousands of lines). Real tables span a few rows or columns; more than [`MAX_SPAN`] is cut to
//! it.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// The largest `rowspan` or `colspan` kept.
pub const MAX_SPAN: u32 = 32;

static SPAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)\b((?:row|col)span\s*=\s*["']?\s*)(\d+)"#).expect("the span pattern is valid"));

/// `html` with every `rowspan`/`colspan` above [`MAX_SPAN`] set to it (borrowed when none is).
pub fn clamp_spans(html: &str) -> Cow<'_, str> {
    if !html.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"span")) {
        return Cow::Borrowed(html);
    }
    SPAN.replace_all(html, |caps: &regex::Captures<'_>| {
        let digits = &caps[2];
        let too_big = digits.len() > 9 || digits.parse::<u32>().map_or(true, |n| n > MAX_SPAN);
        if too_big { format!("{}{MAX_SPAN}", &caps[1]) } else { caps[0].to_string() }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_spans_are_cut_and_small_ones_kept() {
        assert_eq!(
            clamp_spans(
                r#"<td rowspan="65535" COLSPAN=1000000>a</td><td colspan='3'>b</td><td rowspan = " 99999999999">"#
            ),
            r#"<td rowspan="32" COLSPAN=32>a</td><td colspan='3'>b</td><td rowspan = " 32">"#
        );
        assert_eq!(clamp_spans("<TD ROWSPAN=70000>"), "<TD ROWSPAN=32>");
        assert!(matches!(clamp_spans("<p>no tables</p>"), Cow::Borrowed(_)));
        assert_eq!(clamp_spans("<p>a span of rowspan=5 words</p>"), "<p>a span of rowspan=5 words</p>");
    }
}
