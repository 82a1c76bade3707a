//! Human units in the config file: durations such as `"30m"` and sizes such as `"10 MiB"`.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// A duration written as a number and a unit: `"90s"`, `"30m"`, `"2h"`, `"1d"`, `"1w"`, or a sum
/// such as `"1h30m"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanDuration(pub Duration);

/// A size in bytes written with a unit: `"512 KiB"`, `"10 MiB"`, `"2MB"`, `"4096 B"`. A number
/// without a unit is refused (`"10"` is more likely meant as 10 MB than as 10 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

const DURATION_EXPECTED: &str = "a duration such as \"90s\", \"30m\", \"2h\" or \"1d\"";
const SIZE_EXPECTED: &str = "a size such as \"512 KiB\" or \"10 MiB\"";
const SIZE_UNIT_EXPECTED: &str =
    "a size with a unit such as \"10 MB\", \"512 KiB\" or \"10 MiB\" (B, KB, KiB, MB, MiB, GB, GiB)";

pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let value: u64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        let seconds = match &rest[..unit_len] {
            "s" | "sec" | "secs" => 1,
            "m" | "min" | "mins" => 60,
            "h" | "hour" | "hours" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 604_800,
            _ => return None,
        };
        total = total.checked_add(value.checked_mul(seconds)?)?;
        rest = rest[unit_len..].trim_start();
    }
    Some(Duration::from_secs(total))
}

/// Why a size could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeError {
    /// A number other than 0 with no unit.
    NoUnit,
    Invalid,
}

/// Parses a size with its unit; a bare number is accepted only when it is 0.
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    let trimmed = text.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return if trimmed.bytes().all(|b| b == b'0') { Ok(0) } else { Err(SizeError::NoUnit) };
    }
    parse_size_with_unit(trimmed).ok_or(SizeError::Invalid)
}

fn parse_size_with_unit(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    if digits == 0 {
        return None;
    }
    let value: u64 = text[..digits].parse().ok()?;
    let factor: u64 = match text[digits..].trim().to_ascii_lowercase().as_str() {
        "b" => 1,
        "kb" => 1_000,
        "kib" | "k" => 1 << 10,
        "mb" => 1_000_000,
        "mib" | "m" => 1 << 20,
        "gb" => 1_000_000_000,
        "gib" | "g" => 1 << 30,
        _ => return None,
    };
    value.checked_mul(factor)
}

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurationVisitor;
        impl Visitor<'_> for DurationVisitor {
            type Value = HumanDuration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "{DURATION_EXPECTED}, like \"30s\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                match parse_duration(v) {
                    Some(d) if !d.is_zero() => Ok(HumanDuration(d)),
                    _ => Err(E::custom(format!("invalid duration \"{v}\", expected {DURATION_EXPECTED}"))),
                }
            }
        }
        deserializer.deserialize_str(DurationVisitor)
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SizeVisitor;
        impl Visitor<'_> for SizeVisitor {
            type Value = ByteSize;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(SIZE_EXPECTED)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                if v > 0 {
                    return Err(E::custom(format!("size {v} has no unit, expected {SIZE_UNIT_EXPECTED}")));
                }
                Err(E::custom(format!("invalid size {v}, expected {SIZE_EXPECTED}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                match parse_size(v) {
                    Ok(n) if n > 0 => Ok(ByteSize(n)),
                    Err(SizeError::NoUnit) => {
                        Err(E::custom(format!("size \"{v}\" has no unit, expected {SIZE_UNIT_EXPECTED}")))
                    }
                    _ => Err(E::custom(format!("invalid size \"{v}\", expected {SIZE_EXPECTED}"))),
                }
            }
        }
        deserializer.deserialize_any(SizeVisitor)
    }
}

/// Formats a duration the way the config file writes it (`"1h30m"`).
pub fn format_duration(d: Duration) -> String {
    let mut secs = d.as_secs();
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Some(Duration::from_secs(1800)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("2 days"), Some(Duration::from_secs(172_800)));
        assert_eq!(parse_duration("30"), None);
        assert_eq!(parse_duration("m"), None);
        assert_eq!(parse_duration("5 fortnights"), None);
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10 MiB"), Ok(10 << 20));
        assert_eq!(parse_size("2MB"), Ok(2_000_000));
        assert_eq!(parse_size("512 B"), Ok(512));
        assert_eq!(parse_size("ten"), Err(SizeError::Invalid));
        assert_eq!(parse_size("MB"), Err(SizeError::Invalid));
    }

    #[test]
    fn sizes_need_a_unit_unless_zero() {
        assert_eq!(parse_size("512"), Err(SizeError::NoUnit));
        assert_eq!(parse_size(" 10 "), Err(SizeError::NoUnit));
        assert_eq!(parse_size("0"), Ok(0));
    }
}
