//! A [`Query`] as an SQL condition over `items i`. Words and phrases go to the search index
//! (FTS5, which keeps columns, not positions: a phrase's words must each be there, and a LIKE
//! checks they come together as written); fields, flags and ages to the items' columns. Every
//! value is a bound parameter, so nothing the user types is read as SQL or as FTS syntax.

use rusqlite::types::Value;

use crate::query::{AgeBound, Query, Term, Text};

/// The condition, in parentheses (callers add to it with AND), and its parameters in order.
pub(super) fn condition(query: &Query) -> (String, Vec<Value>) {
    let mut params = Vec::new();
    let sql = write(query, &mut params);
    (format!("({sql})"), params)
}

fn write(query: &Query, params: &mut Vec<Value>) -> String {
    match query {
        Query::Term(term) => term_sql(term, params),
        Query::Not(q) => format!("NOT ({})", write(q, params)),
        Query::And(parts) => join(parts, " AND ", params),
        Query::Or(parts) => join(parts, " OR ", params),
    }
}

fn join(parts: &[Query], sep: &str, params: &mut Vec<Value>) -> String {
    let parts: Vec<String> = parts.iter().map(|q| format!("({})", write(q, params))).collect();
    parts.join(sep)
}

const BODY: &str = "unpacked(coalesce(i.article_html, i.content_html, i.summary_html, ''))";

fn term_sql(term: &Term, params: &mut Vec<Value>) -> String {
    match term {
        Term::Text(text) => indexed(None, text, params),
        Term::Title(text) => indexed(Some("title"), text, params),
        Term::Author(text) => {
            params.push(Value::Text(like_pattern(text.as_str())));
            "coalesce(i.author, '') LIKE ? ESCAPE '\\'".into()
        }
        // Unresolved names match nothing (see `Query::resolve`).
        Term::Feed(_) | Term::Tag(_) => "0".into(),
        Term::Feeds { ids, .. } => {
            if ids.is_empty() {
                return "0".into();
            }
            params.extend(ids.iter().map(|id| Value::Integer(*id)));
            format!("i.feed_id IN ({})", vec!["?"; ids.len()].join(","))
        }
        Term::Unread => "i.read = 0".into(),
        Term::Read => "i.read = 1".into(),
        Term::Starred => "i.starred = 1".into(),
        Term::Age(bound, secs) => {
            params.push(Value::Integer(*secs));
            let op = if *bound == AgeBound::Newer { ">" } else { "<" };
            format!("i.published_at {op} CAST(strftime('%s', 'now') AS INTEGER) - ?")
        }
    }
}

/// Words through the index, in `column` or in title and body; what must come together as
/// written is checked with LIKE in the same place.
fn indexed(column: Option<&str>, text: &Text, params: &mut Vec<Value>) -> String {
    let (fts, together) = match text {
        Text::Word(w) => (fts_query(w), search_phrases(w)),
        Text::Phrase(p) => (fts_phrase(p), vec![p.clone()]),
    };
    let Some(fts) = fts else { return "0".into() };
    let fts = match column {
        Some(c) => format!("{c} : ({fts})"),
        None => fts,
    };
    params.push(Value::Text(fts));
    let mut sql = "i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)".to_string();
    for phrase in together {
        let pattern = like_pattern(&phrase);
        if column.is_some() {
            sql.push_str(" AND i.title LIKE ? ESCAPE '\\'");
            params.push(Value::Text(pattern));
        } else {
            sql.push_str(&format!(" AND (i.title LIKE ? ESCAPE '\\' OR {BODY} LIKE ? ESCAPE '\\')"));
            params.extend([Value::Text(pattern.clone()), Value::Text(pattern)]);
        }
    }
    sql
}

fn like_pattern(s: &str) -> String {
    format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

fn quote(w: &str) -> String {
    format!("\"{}\"", w.replace('"', "\"\""))
}

/// The words of a search: runs of letters and digits with the punctuation around them dropped.
/// A word with punctuation inside ("3.9", "e-mail"), apostrophes aside ("keeper's" is two words
/// as before: feeds write it with a curly or an encoded apostrophe), must match as written.
fn search_words(input: &str) -> impl Iterator<Item = (&str, bool)> {
    input
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| (w, w.chars().any(|c| !c.is_alphanumeric() && !matches!(c, '\'' | '\u{2019}'))))
}

/// Turns words into an FTS5 query: every word quoted (so no FTS syntax can be injected) and
/// matched as a prefix. A word with punctuation inside ("3.9%") is a phrase: the index keeps no
/// positions, so its parts must each be there exactly ("3" and "9", not "30"), and
/// [`search_phrases`] checks they come together as written.
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = search_words(input)
        .flat_map(|(w, phrase)| {
            let parts: Vec<String> = if phrase {
                w.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()).map(quote).collect()
            } else {
                w.split(|c: char| !c.is_alphanumeric())
                    .filter(|p| !p.is_empty())
                    .map(|p| format!("{}*", quote(p)))
                    .collect()
            };
            parts
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// A quoted phrase's words, each exactly.
fn fts_phrase(phrase: &str) -> Option<String> {
    let terms: Vec<String> =
        phrase.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()).map(quote).collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// The words of a search with punctuation inside ("3.9" of "3.9%"): each must appear as
/// written (any case) in the item's title or text.
fn search_phrases(input: &str) -> Vec<String> {
    search_words(input).filter(|(_, phrase)| *phrase).map(|(w, _)| w.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::{fts_query, search_phrases};

    #[test]
    fn words_are_prefixes_and_words_with_punctuation_inside_are_phrases() {
        assert_eq!(fts_query("ferry strike").as_deref(), Some("\"ferry\"* \"strike\"*"));
        assert_eq!(fts_query("3.9%").as_deref(), Some("\"3\" \"9\""));
        assert_eq!(search_phrases("3.9% rise"), ["3.9"]);
        assert_eq!(fts_query("  (e-mail)  ").as_deref(), Some("\"e\" \"mail\""));
        assert_eq!(search_phrases("(e-mail)"), ["e-mail"]);
        assert_eq!(fts_query("keeper's").as_deref(), Some("\"keeper\"* \"s\"*"));
        assert!(search_phrases("keeper's cottage").is_empty());
        assert_eq!(fts_query("say \"hi\"").as_deref(), Some("\"say\"* \"hi\"*"));
        assert_eq!(fts_query(" %% - ").as_deref(), None);
    }
}
