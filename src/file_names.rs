//! Names for the files we make from what the network says (downloads of enclosures): a Content-Disposition header, the
//! address's last path segment, the MIME type. Whatever comes in, what comes out is one plain
//! name to create inside the download folder: no path separators, no `..`, no control
//! characters or escape sequences, no leading dot (a hidden file) or dash (an option to the
//! next command), no name Windows reserves, and not too long. Pure.

use percent_encoding::percent_decode_str;

use crate::sanitize::clean_line;

/// The name of a download that gives nothing better.
pub const FALLBACK: &str = "download";

/// A name is cut to this many bytes (file systems allow 255).
const MAX_NAME_BYTES: usize = 180;

/// An extension longer than this is taken as part of the name when a long name is cut.
const MAX_EXTENSION_BYTES: usize = 16;

/// Names Windows keeps for devices, with any extension (`CON.mp3` too).
const RESERVED: &[&str] = &["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// Extensions for MIME types podcasts and feeds use, for names that have none.
const EXTENSIONS: &[(&str, &str)] = &[
    ("audio/mpeg", "mp3"),
    ("audio/mp3", "mp3"),
    ("audio/mp4", "m4a"),
    ("audio/x-m4a", "m4a"),
    ("audio/aac", "aac"),
    ("audio/ogg", "ogg"),
    ("audio/opus", "opus"),
    ("audio/flac", "flac"),
    ("audio/wav", "wav"),
    ("audio/x-wav", "wav"),
    ("video/mp4", "mp4"),
    ("video/x-m4v", "m4v"),
    ("video/webm", "webm"),
    ("video/quicktime", "mov"),
    ("application/pdf", "pdf"),
    ("application/epub+zip", "epub"),
];

/// `raw` made a plain file name, or `None` when nothing usable is left of it.
pub fn sanitise(raw: &str) -> Option<String> {
    // Escape sequences and controls go first (an escape sequence may hold a slash).
    let clean = clean_line(raw);
    // Only the last part of a path: `../../etc/passwd` is `passwd`, `C:\x\y.mp3` is `y.mp3`.
    let last = clean.rsplit(['/', '\\']).next().unwrap_or_default();
    let replaced: String =
        last.chars().map(|c| if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c }).collect();
    let trimmed = replaced
        .trim_start_matches(|c: char| c == '.' || c == '-' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        return None;
    }
    let stem = trimmed.split('.').next().unwrap_or_default().trim_end();
    let reserved = RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem))
        || (stem.len() == 4
            && (stem[..3].eq_ignore_ascii_case("COM") || stem[..3].eq_ignore_ascii_case("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    let name = if reserved { format!("_{trimmed}") } else { trimmed.to_string() };
    Some(cut(&name))
}

/// `name` cut to [`MAX_NAME_BYTES`] at a character boundary, its extension kept.
fn cut(name: &str) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= MAX_EXTENSION_BYTES => (stem, Some(ext)),
        _ => (name, None),
    };
    let room = MAX_NAME_BYTES - ext.map_or(0, |e| e.len() + 1);
    let end = (0..=room.min(stem.len())).rev().find(|i| stem.is_char_boundary(*i)).unwrap_or(0);
    let stem = stem[..end].trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    match ext {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem.to_string(),
    }
}

/// The name an address suggests: its last path segment, decoded, as [`sanitise`] makes it.
pub fn from_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let segment = parsed.path_segments()?.rev().find(|s| !s.is_empty())?.to_string();
    sanitise(&percent_decode_str(&segment).decode_utf8_lossy())
}

/// The name a Content-Disposition header gives (RFC 6266: `filename*`, else `filename`), as
/// [`sanitise`] makes it.
pub fn from_content_disposition(value: &str) -> Option<String> {
    let params = parameters(value);
    let extended = params.iter().find(|(k, _)| k == "filename*").and_then(|(_, v)| decode_extended(v));
    let plain = params.iter().find(|(k, _)| k == "filename").map(|(_, v)| v.clone());
    extended.and_then(|n| sanitise(&n)).or_else(|| plain.and_then(|n| sanitise(&n)))
}

/// The parameters of a header value (`attachment; filename="a;b.mp3"`), names in lower case,
/// quoted values unquoted.
fn parameters(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    // The disposition type comes first.
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        let name: String = chars.by_ref().take_while(|c| *c != '=').collect();
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() {
            return out;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => value.extend(chars.next()),
                    c => value.push(c),
                }
            }
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
            }
        } else {
            value = chars.by_ref().take_while(|c| *c != ';').collect::<String>().trim().to_string();
        }
        out.push((name, value));
    }
}

/// An RFC 5987 value, `UTF-8''na%C3%AFve.mp3` (or ISO-8859-1), decoded.
fn decode_extended(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let (charset, _language, encoded) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes: Vec<u8> = percent_decode_str(encoded).collect();
    if charset.eq_ignore_ascii_case("utf-8") {
        Some(String::from_utf8_lossy(&bytes).into_owned())
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        Some(bytes.iter().map(|b| char::from(*b)).collect())
    } else {
        None
    }
}

/// The name a finished download is saved as: the Content-Disposition's, else the final
/// address's (after redirects), else the first address's, else [`FALLBACK`]; with the MIME
/// type's extension when it has none.
pub fn choose(disposition: Option<&str>, final_url: &str, url: &str, mime: Option<&str>) -> String {
    let name = disposition
        .and_then(from_content_disposition)
        .or_else(|| from_url(final_url))
        .or_else(|| from_url(url))
        .unwrap_or_else(|| FALLBACK.to_string());
    let essence = mime.map(|m| m.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    let extension = essence.and_then(|m| EXTENSIONS.iter().find(|(t, _)| *t == m).map(|(_, e)| *e));
    match extension {
        Some(ext) if !name.contains('.') => cut(&format!("{name}.{ext}")),
        _ => name,
    }
}

/// The `n`th name for `name` when the ones before are taken: `a.mp3`, `a-2.mp3`, `a-3.mp3`…
pub fn numbered(name: &str, n: u32) -> String {
    if n <= 1 {
        return name.to_string();
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}-{n}.{ext}"),
        _ => format!("{name}-{n}"),
    }
}

/// The name of the file a download of `url` is received into until it is whole: the address's
/// name and a hash of the address (two episodes called `episode.mp3` do not share one), so a
/// retry or a restart finds it and asks for the rest.
pub fn part_name(url: &str) -> String {
    let base = from_url(url).unwrap_or_else(|| FALLBACK.to_string());
    let end = (0..=base.len().min(100)).rev().find(|i| base.is_char_boundary(*i)).unwrap_or(0);
    format!("{}.{:08x}.part", &base[..end], crate::text::stable_hash(url) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_plain_names() {
        let cases = [
            ("../../etc/passwd", Some("passwd")),
            ("/etc/passwd", Some("passwd")),
            ("..", None),
            ("...", None),
            ("/", None),
            ("C:\\Windows\\evil.mp3", Some("evil.mp3")),
            (".bashrc", Some("bashrc")),
            ("-rf.mp3", Some("rf.mp3")),
            ("\u{1b}]0;pwned\u{7}episode.mp3", Some("episode.mp3")),
            ("\u{1b}[31mred\u{1b}[0m.mp3", Some("red.mp3")),
            ("evil\u{202e}3pm.exe", Some("evil3pm.exe")),
            ("a\nb\tc.mp3", Some("a b c.mp3")),
            ("what?*<>|:\".mp3", Some("what_______.mp3")),
            ("CON", Some("_CON")),
            ("con.mp3", Some("_con.mp3")),
            ("COM1.txt", Some("_COM1.txt")),
            ("console.mp3", Some("console.mp3")),
            ("trailing. . ", Some("trailing")),
            ("Épisode 12 – Ça va.mp3", Some("Épisode 12 – Ça va.mp3")),
        ];
        for (raw, expected) in cases {
            assert_eq!(sanitise(raw).as_deref(), expected, "{raw:?}");
        }
    }

    #[test]
    fn long_names_are_cut_keeping_the_extension() {
        let long = format!("{}.mp3", "é".repeat(200));
        let cut = sanitise(&long).expect("a name");
        assert!(cut.len() <= MAX_NAME_BYTES && cut.ends_with("é.mp3"), "{cut}");
    }

    #[test]
    fn names_from_addresses() {
        assert_eq!(from_url("https://cdn.example/show/Episode%2012.mp3?x=1").as_deref(), Some("Episode 12.mp3"));
        assert_eq!(from_url("https://cdn.example/a/..%2F..%2Fetc%2Fpasswd").as_deref(), Some("passwd"));
        assert_eq!(from_url("https://cdn.example/dir/").as_deref(), Some("dir"));
        assert_eq!(from_url("https://cdn.example/"), None);
        assert_eq!(from_url("https://cdn.example/%2e%2e"), None);
    }

    #[test]
    fn content_disposition_tricks() {
        let cases = [
            ("attachment; filename=\"ep12.mp3\"", Some("ep12.mp3")),
            ("attachment; filename=ep12.mp3", Some("ep12.mp3")),
            ("attachment; filename=\"../../etc/passwd\"", Some("passwd")),
            ("attachment; filename=\"/etc/passwd\"", Some("passwd")),
            ("attachment; filename*=UTF-8''..%2F..%2F.ssh%2Fauthorized_keys", Some("authorized_keys")),
            ("attachment; filename*=UTF-8''%C3%A9t%C3%A9.mp3; filename=\"ete.mp3\"", Some("été.mp3")),
            ("attachment; filename=\"ete.mp3\"; filename*=iso-8859-1'en'%E9t%E9.mp3", Some("été.mp3")),
            ("attachment; filename*=x-unknown''abc; filename=\"plain.mp3\"", Some("plain.mp3")),
            ("attachment; filename=\"a;b \\\"q\\\".mp3\"", Some("a;b _q_.mp3")),
            ("attachment; filename=\"\u{1b}]52;c;cm0gLXJmIH4=\u{7}.mp3\"", Some("mp3")),
            ("attachment; filename=\"..\"", None),
            ("attachment", None),
            ("inline; name=\"x\"", None),
        ];
        for (header, expected) in cases {
            assert_eq!(from_content_disposition(header).as_deref(), expected, "{header:?}");
        }
    }

    #[test]
    fn the_chosen_name_and_its_numbered_variants() {
        let url = "https://track.example/r/cdn.example/ep12.mp3";
        assert_eq!(choose(Some("attachment; filename=\"x.mp3\""), url, url, None), "x.mp3");
        assert_eq!(choose(None, "https://cdn.example/final.mp3", url, None), "final.mp3");
        assert_eq!(choose(None, "https://cdn.example/", "https://x.example/", Some("audio/mpeg")), "download.mp3");
        assert_eq!(choose(None, "https://cdn.example/stream", url, Some("Audio/MP4; x=y")), "stream.m4a");
        assert_eq!(numbered("ep.mp3", 1), "ep.mp3");
        assert_eq!(numbered("ep.mp3", 2), "ep-2.mp3");
        assert_eq!(numbered("show.ep1.mp3", 3), "show.ep1-3.mp3");
        assert_eq!(numbered("README", 2), "README-2");
    }

    #[test]
    fn part_files_are_named_after_the_address_and_its_hash() {
        let a = part_name("https://a.example/episode.mp3");
        let b = part_name("https://b.example/episode.mp3");
        assert!(a.starts_with("episode.mp3.") && a.ends_with(".part"), "{a}");
        assert_ne!(a, b);
        assert_eq!(a, part_name("https://a.example/episode.mp3"));
        assert!(part_name("https://a.example/").starts_with("download."));
    }
}
