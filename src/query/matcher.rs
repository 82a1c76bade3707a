//! A query evaluated on one item in memory: for the ignore rules, which judge items as they
//! arrive, before they are stored. Words match as the search index matches them: by their
//! letters and digits, in any case, accents aside, a word as a prefix of a word of the text.

use icu_normalizer::DecomposingNormalizerBorrowed;

use super::ast::{AgeBound, Query, Term, Text};

/// What a query can ask of an item.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The feed's id in the cache.
    pub feed: i64,
    pub title: &'a str,
    pub author: Option<&'a str>,
    /// The item's text without markup.
    pub text: &'a str,
    /// Unix seconds.
    pub published_at: i64,
    pub read: bool,
    pub starred: bool,
}

impl Query {
    /// Whether the item matches, `now` in unix seconds. `feed:` and `tag:` terms must be
    /// resolved first ([`Query::resolve`]); unresolved, they match nothing.
    pub fn matches(&self, item: &Candidate<'_>, now: i64) -> bool {
        match self {
            Query::Term(term) => term.matches(item, now),
            Query::Not(q) => !q.matches(item, now),
            Query::And(parts) => parts.iter().all(|q| q.matches(item, now)),
            Query::Or(parts) => parts.iter().any(|q| q.matches(item, now)),
        }
    }
}

impl Term {
    fn matches(&self, item: &Candidate<'_>, now: i64) -> bool {
        match self {
            Term::Text(text) => text.found_in(item.title) || text.found_in(item.text),
            Term::Title(text) => text.found_in(item.title),
            // A name as written is a part of the author's name ("kim" finds "Ana Kim").
            Term::Author(text) => item.author.is_some_and(|a| a.to_lowercase().contains(&text.as_str().to_lowercase())),
            Term::Feed(_) | Term::Tag(_) => false,
            Term::Feeds { ids, .. } => ids.contains(&item.feed),
            Term::Unread => !item.read,
            Term::Read => item.read,
            Term::Starred => item.starred,
            Term::Age(AgeBound::Newer, secs) => item.published_at > now.saturating_sub(*secs),
            Term::Age(AgeBound::Older, secs) => item.published_at < now.saturating_sub(*secs),
        }
    }
}

impl Text {
    pub fn as_str(&self) -> &str {
        match self {
            Text::Word(s) | Text::Phrase(s) => s,
        }
    }

    fn found_in(&self, haystack: &str) -> bool {
        let words = fold_words(haystack);
        match self {
            Text::Word(w) => {
                let parts = fold_words(w);
                if parts.len() == 1 {
                    words.iter().any(|h| h.starts_with(&parts[0]))
                } else {
                    // "3.9%", "e-mail": each part whole, together as written.
                    !parts.is_empty() && contains_run(&words, &parts)
                }
            }
            Text::Phrase(p) => {
                let parts = fold_words(p);
                !parts.is_empty() && contains_run(&words, &parts)
            }
        }
    }
}

fn contains_run(words: &[String], run: &[String]) -> bool {
    words.windows(run.len()).any(|w| w == run)
}

/// The words of `s` (runs of letters and digits), lower case, accents removed.
pub fn fold_words(s: &str) -> Vec<String> {
    let nfd = DecomposingNormalizerBorrowed::new_nfd();
    let folded: String =
        nfd.normalize(s).chars().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect();
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// The combining marks that decomposed accented letters leave (the search index drops them too).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse;
    use super::*;

    fn item<'a>(title: &'a str, text: &'a str) -> Candidate<'a> {
        Candidate { feed: 1, title, author: Some("Ana Kim"), text, published_at: 1_000_000, read: false, starred: true }
    }

    #[test]
    fn words_match_as_prefixes_in_any_case_and_accents_aside() {
        let it = item("Élections in Zürich", "The vote count goes on.");
        let yes = |q: &str| parse(q).unwrap().matches(&it, 1_000_000);
        assert!(yes("elect"));
        assert!(yes("zurich vote"));
        assert!(!yes("otes"));
        assert!(yes("\"vote count\""));
        assert!(!yes("\"count vote\""));
        assert!(yes("title:zur and not title:vote"));
        assert!(yes("author:kim starred unread"));
        assert!(!yes("read"));
    }

    #[test]
    fn ages_compare_with_now() {
        let it = item("x", "");
        let at = |q: &str, now: i64| parse(q).unwrap().matches(&it, now);
        assert!(at("age<2d", 1_000_000 + 86_400));
        assert!(!at("age<2d", 1_000_000 + 3 * 86_400));
        assert!(at("age>2d", 1_000_000 + 3 * 86_400));
    }
}
