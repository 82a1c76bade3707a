//! Placeholders in the demo files: `{{BASE}}` (the server's address) and dates relative to the
//! moment the demo started, `{{RFC2822_HOURS_AGO:N}}` and `{{RFC3339_HOURS_AGO:N}}`.

use chrono::{DateTime, Duration, Utc};

pub fn fill_placeholders(text: &str, base: &str, now: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        match expand(name, base, now) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn expand(name: &str, base: &str, now: DateTime<Utc>) -> Option<String> {
    if name == "BASE" {
        return Some(base.to_string());
    }
    let (kind, hours) = name.split_once(':')?;
    let hours: i64 = hours.trim().parse().ok()?;
    let when = now - Duration::hours(hours);
    match kind {
        "RFC2822_HOURS_AGO" => Some(when.to_rfc2822()),
        "RFC3339_HOURS_AGO" => Some(when.to_rfc3339()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_base_and_dates() {
        let now = DateTime::parse_from_rfc3339("2026-01-02T12:00:00Z").map(|d| d.with_timezone(&Utc));
        let Ok(now) = now else { panic!("bad test date") };
        let text = "{{BASE}}/a {{RFC3339_HOURS_AGO:2}} {{RFC2822_HOURS_AGO:24}} {{OTHER}}";
        assert_eq!(
            fill_placeholders(text, "http://127.0.0.1:9", now),
            "http://127.0.0.1:9/a 2026-01-02T10:00:00+00:00 Thu, 1 Jan 2026 12:00:00 +0000 {{OTHER}}"
        );
    }
}
