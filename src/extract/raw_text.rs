//! A byte scan before parsing that drops what the extractor never reads: the bodies of scripts
//! (JSON-LD excepted) and styles, and comments. On real pages those are about half of the bytes,
//! and html5ever's tokenizer walks them a character at a time; skipping them here with `memchr`
//! roughly halves the time to parse. The elements themselves stay (empty), so the tree is the one
//! the parser would have built, less the comment nodes and the text the tree sink throws away
//! anyway.
//!
//! The scan follows the tokenizer where it matters: a tag runs to the first `>` outside a quoted
//! attribute value, a raw-text body to the first `</script` or `</style` (any case), a comment to
//! `-->` or `--!>` (or `<!-->` and `<!--->` for empty ones), and anything unterminated to the end.
//!
//! The extractor runs no scripts, so it reads a page as a browser without JavaScript would where
//! that matters: a `<noscript>` holding the article itself (Blogger, for one, serves the post
//! only in a script template and a `<noscript>` copy) becomes a plain `<div>`, parsed as markup.
//! Short fallbacks (tracking pixels, "please enable JavaScript") stay raw text, dropped later.

use std::borrow::Cow;

use memchr::memchr;

/// The page without script and style bodies or comments. Unchanged pages are borrowed.
pub fn drop_raw_text(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Bytes before `copied` are in `out` (or need no copy while `out` is None).
    let mut copied = 0;
    let mut at = 0;
    // Where the `</noscript` of a `<noscript>` turned into a `<div>` starts.
    let mut open_fallback: Option<usize> = None;
    while let Some(found) = memchr(b'<', &bytes[at..]) {
        let lt = at + found;
        let rest = &bytes[lt + 1..];
        if open_fallback.is_some_and(|close| close < lt) {
            // A comment or raw-text body ran past the close: the div stays open, as unclosed
            // markup does.
            open_fallback = None;
        }
        if open_fallback == Some(lt) {
            push(&mut out, html, copied, lt);
            out.get_or_insert_default().push_str("</div>");
            copied = tag_end(bytes, lt + 2);
            at = copied;
            open_fallback = None;
        } else if open_fallback.is_none() && starts_tag(rest, "noscript") {
            let open_end = tag_end(bytes, lt + 1 + "noscript".len());
            let close = find_close(bytes, open_end, "noscript");
            if holds_prose(&bytes[open_end..close]) {
                push(&mut out, html, copied, lt);
                out.get_or_insert_default().push_str("<div>");
                copied = open_end;
                open_fallback = Some(close);
            }
            at = open_end;
        } else if rest.starts_with(b"!--") {
            let end = comment_end(bytes, lt + 4);
            push(&mut out, html, copied, lt);
            copied = end;
            at = end;
        } else if let Some(kind) = raw_text_kind(rest) {
            let open_end = tag_end(bytes, lt + 1 + kind.len());
            if kind == "script" && is_json_ld(&html[lt..open_end]) {
                at = open_end;
                continue;
            }
            let close = find_close(bytes, open_end, kind);
            push(&mut out, html, copied, open_end);
            copied = close;
            at = close;
        } else if rest.first().is_some_and(u8::is_ascii_alphabetic) {
            at = tag_end(bytes, lt + 1);
        } else {
            at = lt + 1;
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut s) => {
            s.push_str(&html[copied..]);
            Cow::Owned(s)
        }
    }
}

fn push(out: &mut Option<String>, html: &str, from: usize, to: usize) {
    out.get_or_insert_with(|| String::with_capacity(html.len() / 2)).push_str(&html[from..to]);
}

/// `script` or `style` when `rest` (after a `<`) starts that tag.
fn raw_text_kind(rest: &[u8]) -> Option<&'static str> {
    ["script", "style"].into_iter().find(|name| starts_tag(rest, name))
}

/// Whether `rest` (after a `<`) starts the start tag `name`, in any case.
fn starts_tag(rest: &[u8], name: &str) -> bool {
    rest.len() > name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        && matches!(rest[name.len()], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Paragraphs a `<noscript>` body needs to be read as the page's text, and the characters of
/// text (outside tags) they need between them: a post, not a notice or a tracking pixel.
const FALLBACK_PARAGRAPHS: usize = 3;
const FALLBACK_TEXT: usize = 500;

/// Whether a `<noscript>` body is prose: enough paragraphs and text.
fn holds_prose(body: &[u8]) -> bool {
    let mut paragraphs = 0;
    let mut text = 0;
    let mut in_tag = false;
    for (i, &b) in body.iter().enumerate() {
        match b {
            b'<' => {
                in_tag = true;
                if body.get(i + 1).is_some_and(|c| c.eq_ignore_ascii_case(&b'p'))
                    && body.get(i + 2).is_some_and(|c| matches!(c, b'>' | b' ' | b'\t' | b'\n' | b'\r'))
                {
                    paragraphs += 1;
                }
            }
            b'>' => in_tag = false,
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ if !in_tag => text += 1,
            _ => {}
        }
    }
    paragraphs >= FALLBACK_PARAGRAPHS && text >= FALLBACK_TEXT
}

fn is_json_ld(open_tag: &str) -> bool {
    open_tag.to_ascii_lowercase().contains("ld+json")
}

/// The index after the `>` that ends the tag whose name starts at `from`; quoted attribute values
/// may hold `>`.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut after_equals = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return i + 1,
            b'=' => after_equals = true,
            quote @ (b'"' | b'\'') if after_equals => match memchr(quote, &bytes[i + 1..]) {
                Some(n) => {
                    i += n + 1;
                    after_equals = false;
                }
                None => return bytes.len(),
            },
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    bytes.len()
}

/// The index of the `</name` that closes a raw-text body starting at `from`, or the end.
fn find_close(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(found) = memchr(b'<', &bytes[at..]) {
        let lt = at + found;
        let rest = &bytes[lt + 1..];
        if rest.len() > name.len()
            && rest[0] == b'/'
            && rest[1..=name.len()].eq_ignore_ascii_case(name.as_bytes())
            && matches!(rest.get(name.len() + 1), None | Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
        {
            return lt;
        }
        at = lt + 1;
    }
    bytes.len()
}

/// The index after the comment whose text starts at `from` (just after `<!--`).
fn comment_end(bytes: &[u8], from: usize) -> usize {
    let rest = &bytes[from.min(bytes.len())..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let mut at = from;
    while let Some(found) = memchr(b'>', &bytes[at..]) {
        let gt = at + found;
        let before = &bytes[from..gt];
        if before.ends_with(b"--") || before.ends_with(b"--!") {
            return gt + 1;
        }
        at = gt + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_script_and_style_bodies_and_comments() {
        let html = "<p>a<script src=x.js>var s = '</div>'; if (a<b) {}</script>b<!-- c -->d\
                    <STYLE type=\"text/css\">p { color: red }</STYLE>e</p>";
        assert_eq!(
            drop_raw_text(html),
            "<p>a<script src=x.js></script>b\
                    d<STYLE type=\"text/css\"></STYLE>e</p>"
        );
    }

    #[test]
    fn keeps_json_ld_and_pages_without_raw_text() {
        let ld = "<script type=\"application/ld+json\">{\"headline\":\"<b>\"}</script><p>x</p>";
        assert_eq!(drop_raw_text(ld), ld);
        assert!(matches!(drop_raw_text("<p>plain</p>"), Cow::Borrowed(_)));
    }

    #[test]
    fn quoted_attributes_and_lookalike_tags_do_not_confuse_the_scan() {
        let html = "<div title=\"a > <script>\"><scripts>kept</scripts><p>x</p></div>";
        assert_eq!(drop_raw_text(html), html);
        let html = "<p>1 < 2</p><!---->x<!-->y<!--->z";
        assert_eq!(drop_raw_text(html), "<p>1 < 2</p>xyz");
    }

    #[test]
    fn unterminated_bodies_run_to_the_end() {
        assert_eq!(drop_raw_text("<p>a</p><script>never closed"), "<p>a</p><script>");
        assert_eq!(drop_raw_text("<p>a</p><!-- never closed <p>b</p>"), "<p>a</p>");
        assert_eq!(drop_raw_text("<p>a</p><scr"), "<p>a</p><scr");
        assert_eq!(drop_raw_text("<script"), "<script");
    }

    #[test]
    fn a_noscript_holding_the_post_is_read_as_markup() {
        let para = format!("<p>{}</p>", "word ".repeat(60));
        let post = format!("<noscript class=\"n\">{para}{para}<!-- c -->{para}</noscript><p>after</p>");
        assert_eq!(drop_raw_text(&post), format!("<div>{para}{para}{para}</div><p>after</p>"));
        let notice = "<noscript><p>Please enable JavaScript.</p></noscript><p>x</p>";
        assert_eq!(drop_raw_text(notice), notice);
        let pixel = "<noscript><img src=\"https://t.example/p.gif\"></noscript>";
        assert_eq!(drop_raw_text(pixel), pixel);
        // Unterminated: the div stays open, as unclosed markup does.
        let open = format!("<noscript>{para}{para}{para}");
        assert_eq!(drop_raw_text(&open), format!("<div>{para}{para}{para}"));
    }

    #[test]
    fn multibyte_text_around_raw_text_survives() {
        let html = "<p>é—ü<style>ü{}</style>ñ</p><!-- ✓ -->日本";
        assert_eq!(drop_raw_text(html), "<p>é—ü<style></style>ñ</p>日本");
    }
}
