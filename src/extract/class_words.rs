//! Class and id values read as words, for the rules that look for words in them (boilerplate
//! tokens in [`super::prune`], headline classes in [`super::cards`]).

/// A class or id value in lower case, camelCase words set apart ("newsCaption" → "news-caption").
pub(super) fn camel_spaced_lowercase(value: &str) -> String {
    let mut spaced = String::with_capacity(value.len() + 8);
    let mut prev_lower = false;
    for c in value.chars() {
        if prev_lower && c.is_ascii_uppercase() {
            spaced.push('-');
        }
        prev_lower = c.is_ascii_lowercase();
        spaced.push(c.to_ascii_lowercase());
    }
    spaced
}
