//! Turns a response body into UTF-8 text. The charset comes from a byte-order mark, else the
//! HTTP header, else the XML declaration (UTF-16 without a BOM is recognised too); the XML
//! declaration is then rewritten to say UTF-8 so that the XML parser does not decode twice.
//! HTML pages have their own order ([`decode_html_from`]): their `<meta>` declarations, and a
//! detector's guess for pages that are not UTF-8 and do not say what they are.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use url::Url;

/// The `charset` parameter of a Content-Type header value, if any.
pub fn charset_from_content_type(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|v| !v.is_empty())
    })
}

/// Decodes `bytes` to UTF-8 following the order described in the module documentation.
pub fn decode_document<'a>(bytes: &'a [u8], header_charset: Option<&str>) -> Cow<'a, str> {
    if let Some(text) = decode_utf32(bytes) {
        return Cow::Owned(rewrite_declaration(&text));
    }
    let (encoding, skip) = choose_encoding(bytes, header_charset);
    let (text, _had_errors) = encoding.decode_without_bom_handling(&bytes[skip..]);
    // Valid UTF-8 that says so (or says nothing) is used as it is, without a copy.
    if encoding == UTF_8 && matches!(text, Cow::Borrowed(_)) && !declares_other_encoding(&text) {
        return text;
    }
    Cow::Owned(rewrite_declaration(&text))
}

fn choose_encoding(bytes: &[u8], header_charset: Option<&str>) -> (&'static Encoding, usize) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return (encoding, bom);
    }
    // UTF-16 without a BOM: "<?" or "<r" with zero bytes between.
    if bytes.len() >= 4 {
        if bytes[0] == b'<' && bytes[1] == 0 && bytes[3] == 0 {
            return (UTF_16LE, 0);
        }
        if bytes[0] == 0 && bytes[1] == b'<' && bytes[2] == 0 {
            return (UTF_16BE, 0);
        }
    }
    let declared = xml_declared_encoding(bytes).and_then(|l| Encoding::for_label(l.as_bytes()));
    let from_header = header_charset.and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    // A UTF-16 label without UTF-16 bytes (the checks above failed) cannot be right.
    let usable = |e: &&'static Encoding| *e != UTF_16LE && *e != UTF_16BE;
    match (from_header.filter(usable), declared.filter(usable)) {
        // Servers often claim UTF-8 by default; when the bytes disagree and the document
        // declares its own charset, believe the document.
        (Some(h), Some(d)) if h == UTF_8 && d != UTF_8 && std::str::from_utf8(bytes).is_err() => (d, 0),
        (Some(h), _) => (h, 0),
        (None, Some(d)) => (d, 0),
        (None, None) if std::str::from_utf8(bytes).is_ok() => (UTF_8, 0),
        (None, None) => (WINDOWS_1252, 0),
    }
}

/// How far into a page the late look for a `<meta>` charset goes at most: pages whose head is
/// longer than this (scripts and styles inline) are rare, and the detector is there for them.
const HEAD_SCAN_LIMIT: usize = 64 * 1024;

/// Decodes an HTML page without knowing where it came from: [`decode_html_from`] with no address.
pub fn decode_html(bytes: &[u8], header_charset: Option<&str>) -> String {
    decode_html_from(bytes, header_charset, None)
}

/// Decodes an HTML page, in this order:
///
/// 1. a byte-order mark;
/// 2. the HTTP header's charset;
/// 3. a `<meta charset>` or `<meta http-equiv="Content-Type">` in the first 1024 bytes (the HTML
///    standard's prescan, simplified);
/// 4. UTF-8 when the bytes are valid UTF-8 (so valid UTF-8 never reaches the steps below);
/// 5. a `<meta>` declaration later in the head: up to `</head>` or `<body`, at most the first
///    64 KiB (pages whose scripts and styles push it past the prescan's 1024 bytes);
/// 6. else a guess by `chardetng` (Firefox's detector) over the whole page, with the top-level
///    domain of `page_url` as its hint when known (a `.pl` page leans to Central European
///    encodings, a `.cn` one to GBK, and so on).
///
/// A declaration (header or early `<meta>`) is honoured even when the bytes are valid UTF-8 that
/// contradicts it, as browsers do.
pub fn decode_html_from(bytes: &[u8], header_charset: Option<&str>, page_url: Option<&Url>) -> String {
    let encoding = Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or_else(|| header_charset.and_then(|l| Encoding::for_label(l.trim().as_bytes())))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(1024)]))
        .unwrap_or_else(|| undeclared_encoding(bytes, page_url));
    // A page that says UTF-16 in ASCII bytes is not UTF-16 (the standard maps it to UTF-8).
    let encoding = if encoding == UTF_16LE || encoding == UTF_16BE { UTF_8 } else { encoding };
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// Steps 4 to 6 of [`decode_html_from`]: the encoding of a page with no BOM, header or early
/// `<meta>` declaration.
fn undeclared_encoding(bytes: &[u8], page_url: Option<&Url>) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    if let Some(encoding) = meta_charset(&bytes[..head_len(bytes)]) {
        return encoding;
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let tld = page_url.and_then(top_level_domain);
    detector.guess(tld.as_deref().map(str::as_bytes), Utf8Detection::Deny)
}

/// Where the head ends: at the first `</head` or `<body`, at most [`HEAD_SCAN_LIMIT`] bytes in.
fn head_len(bytes: &[u8]) -> usize {
    let window = &bytes[..bytes.len().min(HEAD_SCAN_LIMIT)];
    let starts = |at: usize, tag: &[u8]| window.get(at..at + tag.len()).is_some_and(|w| w.eq_ignore_ascii_case(tag));
    memchr::memchr_iter(b'<', window).find(|&at| starts(at, b"</head") || starts(at, b"<body")).unwrap_or(window.len())
}

/// The rightmost label of the address's host name, lower-case ASCII (punycode for an
/// internationalised one), as the detector wants it; `None` for an IP address or anything else.
fn top_level_domain(url: &Url) -> Option<String> {
    let Some(url::Host::Domain(host)) = url.host() else { return None };
    let label = host.trim_end_matches('.').rsplit('.').next()?.to_ascii_lowercase();
    let fits = !label.is_empty() && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    fits.then_some(label)
}

/// The charset a page's `<meta>` tags declare.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(at) = tag.find("charset") {
            let value = tag[at + "charset".len()..].trim_start();
            if let Some(value) = value.strip_prefix('=') {
                let value = value.trim_start().trim_start_matches(['"', '\'']);
                let end = value.find(|c: char| c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace());
                if let Some(encoding) = Encoding::for_label(&value.as_bytes()[..end.unwrap_or(value.len())]) {
                    return Some(encoding);
                }
            }
        }
    }
    None
}

/// UTF-32 (which encoding_rs, following the web's encoding standard, does not know), recognised
/// by its byte-order mark or by a first `<` padded with three zero bytes. Must be tried before
/// the UTF-16 checks: `FF FE 00 00` also starts with the UTF-16LE mark.
fn decode_utf32(bytes: &[u8]) -> Option<String> {
    let (big_endian, skip) = match bytes {
        [0, 0, 0xfe, 0xff, ..] => (true, 4),
        [0xff, 0xfe, 0, 0, ..] => (false, 4),
        [0, 0, 0, b'<', ..] => (true, 0),
        [b'<', 0, 0, 0, ..] => (false, 0),
        _ => return None,
    };
    let text = bytes[skip..]
        .chunks_exact(4)
        .map(|c| {
            let unit = [c[0], c[1], c[2], c[3]];
            let code = if big_endian { u32::from_be_bytes(unit) } else { u32::from_le_bytes(unit) };
            char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect();
    Some(text)
}

/// The `encoding` of an ASCII-compatible XML declaration at the start of `bytes`.
fn xml_declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head);
    let decl_start = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl_start[..decl_start.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].trim().to_string())
}

fn declares_other_encoding(text: &str) -> bool {
    xml_declared_encoding(text.as_bytes()).is_some_and(|e| !e.eq_ignore_ascii_case("utf-8"))
}

/// Replaces the declaration's encoding with UTF-8 (the text is UTF-8 now).
fn rewrite_declaration(text: &str) -> String {
    let trimmed = text.trim_start();
    let offset = text.len() - trimmed.len();
    if trimmed.starts_with("<?xml")
        && let Some(end) = trimmed.find("?>")
    {
        let decl = &trimmed[..end];
        if let Some(at) = decl.find("encoding") {
            let after = &decl[at..];
            if let Some(q1) = after.find(['"', '\'']) {
                let quote = &after[q1..=q1];
                if let Some(len) = after[q1 + 1..].find(quote) {
                    let start = offset + at + q1 + 1;
                    let mut out = String::with_capacity(text.len());
                    out.push_str(&text[..start]);
                    out.push_str("UTF-8");
                    out.push_str(&text[start + len..]);
                    return out;
                }
            }
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_pages_declare_their_charset_in_meta_tags() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("<html><head><meta charset=\"windows-1251\"><p>Новости");
        assert!(decode_html(&bytes, None).ends_with("Новости"));
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"><p>ニュース");
        assert!(decode_html(&bytes, None).ends_with("ニュース"));
        // The header wins over the page; valid UTF-8 needs no declaration; else windows-1252.
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("<meta charset=utf-8><p>Новости");
        assert!(decode_html(&bytes, Some("windows-1251")).ends_with("Новости"));
        assert_eq!(decode_html("<p>café".as_bytes(), None), "<p>café");
        assert_eq!(decode_html(b"<p>caf\xe9", None), "<p>café");
    }

    /// A head of `len` bytes of ASCII filler (a style sheet), then the rest.
    fn long_head(len: usize) -> String {
        let mut head = String::from("<html><head><title>t</title><style>");
        while head.len() < len {
            head.push_str(".story p { margin: 0 0 1em 0; }\n");
        }
        head.push_str("</style>");
        head
    }

    #[test]
    fn a_meta_charset_after_the_first_1024_bytes_is_found_in_the_head() {
        let page = format!("{}<meta charset=\"windows-1250\"></head><body><p>Zażółć gęślą jaźń", long_head(2000));
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(&page);
        assert_eq!(decode_html(&bytes, None), page);
        // The same with http-equiv, and the label ISO-8859-2 (a different table from windows-1250).
        let page = format!(
            "{}<meta http-equiv=Content-Type content=\"text/html; charset=iso-8859-2\"></head><p>Zażółć gęślą jaźń",
            long_head(3000)
        );
        let (bytes, _, _) = encoding_rs::ISO_8859_2.encode(&page);
        assert_eq!(decode_html(&bytes, None), page);
    }

    #[test]
    fn a_meta_charset_in_the_body_or_past_the_limit_is_not_a_declaration() {
        // In the body past the prescan's 1024 bytes: not read; the detector's guess for German is
        // windows-1252.
        let page =
            format!("{}</head><body><p>Grüße aus Köln, schöne Straße.<meta charset=windows-1251>", long_head(1100));
        let (bytes, _, _) = WINDOWS_1252.encode(&page);
        assert_eq!(decode_html(&bytes, None), page);
        // Past 64 KiB in a head that goes on: not read either.
        let page = format!("{}<meta charset=windows-1251></head><p>Grüße aus Köln", long_head(HEAD_SCAN_LIMIT));
        let (bytes, _, _) = WINDOWS_1252.encode(&page);
        assert_eq!(decode_html(&bytes, None), page);
    }

    #[test]
    fn valid_utf8_is_taken_as_it_is_whatever_a_late_meta_says() {
        let page = format!("{}<meta charset=windows-1250></head><p>Zażółć gęślą jaźń", long_head(2000));
        assert_eq!(decode_html(page.as_bytes(), None), page);
    }

    #[test]
    fn undeclared_pages_are_guessed_with_the_domain_as_hint() {
        let text = "新华社北京电 国务院总理今天在人民大会堂会见了来访的外国代表团，双方就经济合作、\
                    文化交流和地区安全等共同关心的问题深入交换了意见。会谈结束后，两国签署了多项合作文件。";
        let page = format!("<html><head><title>新闻</title></head><body><p>{text}</p></body></html>");
        let (bytes, _, _) = encoding_rs::GBK.encode(&page);
        assert_eq!(decode_html(&bytes, None), page);
        let cn = Url::parse("http://news.example.cn/a.html").ok();
        assert_eq!(decode_html_from(&bytes, None, cn.as_ref()), page);
        // Short Polish text: windows-1250 on a .pl page.
        let page = "<p>Zażółć gęślą jaźń, mówią w Łodzi.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(page);
        let pl = Url::parse("https://www.example.pl/").ok();
        assert_eq!(decode_html_from(&bytes, None, pl.as_ref()), page);
    }

    #[test]
    fn the_top_level_domain_is_what_the_detector_accepts() {
        let tld = |u: &str| Url::parse(u).ok().as_ref().and_then(top_level_domain);
        assert_eq!(tld("https://News.Example.PL./x").as_deref(), Some("pl"));
        assert_eq!(tld("https://例子.中国/").as_deref(), Some("xn--fiqs8s"));
        assert_eq!(tld("http://192.168.1.1/"), None);
        assert_eq!(tld("http://[::1]/"), None);
        assert_eq!(tld("file:///tmp/page.html"), None);
    }

    #[test]
    fn charset_parameter() {
        assert_eq!(charset_from_content_type("text/xml; charset=\"windows-1251\""), Some("windows-1251"));
        assert_eq!(charset_from_content_type("application/rss+xml"), None);
    }

    #[test]
    fn header_charset_decodes_cyrillic() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("<rss><title>Новости</title></rss>");
        assert_eq!(decode_document(&bytes, Some("windows-1251")), "<rss><title>Новости</title></rss>");
    }

    #[test]
    fn declaration_charset_is_used_and_rewritten() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>caf".to_vec();
        bytes.push(0xe9);
        bytes.extend_from_slice(b"</t>");
        assert_eq!(decode_document(&bytes, None), "<?xml version=\"1.0\" encoding=\"UTF-8\"?><t>café</t>");
        // A server that claims UTF-8 for Latin-1 bytes is overruled by the document.
        assert!(decode_document(&bytes, Some("utf-8")).contains("café"));
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><t>ü</t>";
        let be: Vec<u8> = doc.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let le: Vec<u8> = doc.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let mut be_bom = vec![0xfe, 0xff];
        be_bom.extend_from_slice(&be);
        let expected = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><t>ü</t>";
        assert_eq!(decode_document(&be_bom, None), expected);
        assert_eq!(decode_document(&be, None), expected);
        assert_eq!(decode_document(&le, None), expected);
    }

    #[test]
    fn utf32_with_and_without_bom() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-32\"?><t>ü€</t>";
        let be: Vec<u8> = doc.chars().flat_map(|c| u32::from(c).to_be_bytes()).collect();
        let le: Vec<u8> = doc.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect();
        let expected = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><t>ü€</t>";
        assert_eq!(decode_document(&be, None), expected);
        assert_eq!(decode_document(&le, None), expected);
        let mut le_bom = vec![0xff, 0xfe, 0, 0];
        le_bom.extend_from_slice(&le);
        assert_eq!(decode_document(&le_bom, None), expected);
        let mut be_bom = vec![0, 0, 0xfe, 0xff];
        be_bom.extend_from_slice(&be);
        assert_eq!(decode_document(&be_bom, Some("utf-8")), expected);
    }

    #[test]
    fn undeclared_invalid_utf8_falls_back_to_windows_1252() {
        assert_eq!(decode_document(b"<t>\x93hi\x94</t>", None), "<t>“hi”</t>");
    }
}
