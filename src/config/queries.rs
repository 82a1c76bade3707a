//! `[[query]]` (query feeds) and `[[ignore]]` (ignore rules): their filters parsed with the
//! query language, an error pointing at the line and column of the query's own mistake.

use toml::Spanned;

use super::error::ConfigError;
use super::file::{IgnoreEntry, QueryEntry};
use crate::query::{Query, parse};

/// A saved search, listed in the feeds pane under its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryFeed {
    pub name: String,
    /// The filter as written.
    pub text: String,
    /// Parsed; its `feed:` and `tag:` terms are resolved when it is used.
    pub query: Query,
}

/// An ignore rule: items that match it are not stored when they arrive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreRule {
    pub text: String,
    pub query: Query,
}

pub(super) fn query_feeds(
    entries: &[QueryEntry],
    text: &str,
    origin: &str,
    errors: &mut Vec<ConfigError>,
) -> Vec<QueryFeed> {
    let mut feeds: Vec<QueryFeed> = Vec::new();
    for entry in entries {
        let name = crate::sanitize::clean_line(entry.name.get_ref());
        if name.is_empty() {
            errors.push(ConfigError::at(origin, text, entry.name.span().start, "a query feed needs a name"));
            continue;
        }
        if feeds.iter().any(|f| f.name.eq_ignore_ascii_case(&name)) {
            let message = format!("two query feeds are called \"{name}\"");
            errors.push(ConfigError::at(origin, text, entry.name.span().start, message));
            continue;
        }
        if let Some(query) = filter(&entry.filter, text, origin, errors) {
            feeds.push(QueryFeed { name, text: entry.filter.get_ref().clone(), query });
        }
    }
    feeds
}

pub(super) fn ignore_rules(
    entries: &[IgnoreEntry],
    text: &str,
    origin: &str,
    errors: &mut Vec<ConfigError>,
) -> Vec<IgnoreRule> {
    entries
        .iter()
        .filter_map(|e| {
            filter(&e.filter, text, origin, errors).map(|query| IgnoreRule { text: e.filter.get_ref().clone(), query })
        })
        .collect()
}

/// The parsed filter, or an error at the place in the file where the query goes wrong.
fn filter(value: &Spanned<String>, text: &str, origin: &str, errors: &mut Vec<ConfigError>) -> Option<Query> {
    match parse(value.get_ref()) {
        Ok(query) => Some(query),
        Err(e) => {
            // The span covers the quoted string: its text starts after the quotes (exact unless
            // escapes come before the mistake).
            let start = value.span().start;
            let quotes =
                if text.get(start..).is_some_and(|t| t.starts_with("\"\"\"") || t.starts_with("'''")) { 3 } else { 1 };
            let inside: usize = value.get_ref().chars().take(e.column - 1).map(char::len_utf8).sum();
            errors.push(ConfigError::at(origin, text, start + quotes + inside, format!("filter: {}", e.message)));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::parse_settings;

    #[test]
    fn query_feeds_and_ignore_rules_are_read_in_order() {
        let text = "[[query]]\nname = \"Unread tech\"\nfilter = \"tag:tech unread\"\n\n\
                    [[query]]\nname = \"Elections\"\nfilter = 'title:election or \"vote count\"'\n\n\
                    [[ignore]]\nfilter = \"title:sponsored\"\n";
        let settings = parse_settings(text, "c.toml", Path::new("/")).expect("valid");
        let names: Vec<&str> = settings.queries.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(names, ["Unread tech", "Elections"]);
        assert_eq!(settings.queries[1].query.to_string(), "title:election or \"vote count\"");
        assert_eq!(settings.ignore.len(), 1);
        assert_eq!(settings.ignore[0].text, "title:sponsored");
    }

    #[test]
    fn a_bad_filter_is_reported_where_the_query_goes_wrong() {
        let text = "[[query]]\nname = \"x\"\nfilter = \"ferry and\"\n\n[[ignore]]\nfilter = \"colour:red\"\n";
        let err = parse_settings(text, "c.toml", Path::new("/")).expect_err("invalid").to_string();
        // `filter = "ferry and"`: the value's text starts at column 11, the query is missing a
        // term after "and", at its column 10.
        assert!(err.contains("c.toml:3:20: filter: a word or a term is missing here"), "{err}");
        assert!(err.contains("c.toml:6:11: filter: unknown field 'colour:'"), "{err}");
    }

    #[test]
    fn query_feeds_need_a_name_of_their_own() {
        let text = "[[query]]\nname = \"A\"\nfilter = \"x\"\n\n[[query]]\nname = \"a\"\nfilter = \"y\"\n";
        let err = parse_settings(text, "c.toml", Path::new("/")).expect_err("invalid").to_string();
        assert!(err.contains("c.toml:6:8: two query feeds are called \"a\""), "{err}");
        let unknown = parse_settings("[[query]]\nname = \"A\"\nquery = \"x\"\n", "c.toml", Path::new("/"));
        assert!(unknown.is_err(), "unknown keys are refused");
    }
}
