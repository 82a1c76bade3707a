//! Enclosures in words, for the article and the download list: the file name they would be
//! saved as, their type, size and playing time ("episode-12.mp3 · audio/mpeg · 48.2 MB ·
//! 45:12"). Every part is made from cleaned or sanitised text.

use crate::file_names as name;
use crate::model::Enclosure;

/// A size as people read it, in powers of ten: "512 B", "820 kB", "48.2 MB", "1.4 GB".
pub fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 || value >= 100.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A playing time: "0:45", "45:12", "1:02:03".
pub fn duration_text(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

/// The name an enclosure would be saved as (before the server says otherwise).
pub fn file_name(enclosure: &Enclosure) -> String {
    name::from_url(&enclosure.url).unwrap_or_else(|| name::FALLBACK.to_string())
}

/// "episode-12.mp3 · audio/mpeg · 48.2 MB · 45:12", with what is known.
pub fn describe(enclosure: &Enclosure) -> String {
    let mut parts = vec![file_name(enclosure)];
    parts.extend(enclosure.mime_type.clone());
    parts.extend(enclosure.size.map(size_text));
    parts.extend(enclosure.duration_secs.map(duration_text));
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_times_read_as_people_write_them() {
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(820_000), "820 kB");
        assert_eq!(size_text(48_213_000), "48.2 MB");
        assert_eq!(size_text(999_999_999), "1.0 GB");
        assert_eq!(size_text(1_400_000_000), "1.4 GB");
        assert_eq!(duration_text(45), "0:45");
        assert_eq!(duration_text(2712), "45:12");
        assert_eq!(duration_text(3723), "1:02:03");
    }

    #[test]
    fn an_enclosure_is_described_with_what_is_known() {
        let mut enclosure = Enclosure {
            url: "https://cdn.example/show/Episode%2012.mp3?token=x".into(),
            mime_type: Some("audio/mpeg".into()),
            size: Some(48_213_000),
            duration_secs: Some(2712),
        };
        assert_eq!(describe(&enclosure), "Episode 12.mp3 · audio/mpeg · 48.2 MB · 45:12");
        enclosure = Enclosure { url: "https://cdn.example/%1B%5D0%3Bpwn%07.mp3".into(), ..enclosure };
        enclosure.mime_type = None;
        enclosure.size = None;
        enclosure.duration_secs = None;
        assert_eq!(describe(&enclosure), "mp3");
    }
}
