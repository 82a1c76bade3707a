//! A query written back as text that parses to the same query (for labels, messages and the
//! round-trip property).

use std::fmt;

use super::ast::{AgeBound, Query, Term, Text};
use super::parse::{format_age, needs_quotes};

/// Writes the query back as text that parses to the same query.
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::Term(term) => write!(f, "{term}"),
            Query::Not(q) => match **q {
                Query::Term(_) | Query::Not(_) => write!(f, "not {q}"),
                _ => write!(f, "not ({q})"),
            },
            // `and` binds tighter than `or`: an `or` inside an `and` needs its parentheses.
            Query::And(parts) => join(f, parts, " and ", |q| matches!(q, Query::And(_) | Query::Or(_))),
            Query::Or(parts) => join(f, parts, " or ", |q| matches!(q, Query::Or(_))),
        }
    }
}

fn join(f: &mut fmt::Formatter<'_>, parts: &[Query], sep: &str, bracket: impl Fn(&Query) -> bool) -> fmt::Result {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        if bracket(part) {
            write!(f, "({part})")?;
        } else {
            write!(f, "{part}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Text(text) => write!(f, "{text}"),
            Term::Title(text) => write!(f, "title:{text}"),
            Term::Author(text) => write!(f, "author:{text}"),
            Term::Feed(name) => write!(f, "feed:{}", quoted_if_needed(name)),
            Term::Tag(tag) => write!(f, "tag:{}", quoted_if_needed(tag)),
            Term::Feeds { label, .. } => f.write_str(label),
            Term::Unread => f.write_str("unread"),
            Term::Read => f.write_str("read"),
            Term::Starred => f.write_str("starred"),
            Term::Age(bound, secs) => {
                let op = if *bound == AgeBound::Newer { '<' } else { '>' };
                write!(f, "age{op}{}", format_age(*secs))
            }
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Word(w) if !needs_quotes(w) => f.write_str(w),
            Text::Word(w) | Text::Phrase(w) => write!(f, "\"{w}\""),
        }
    }
}

fn quoted_if_needed(s: &str) -> String {
    if needs_quotes(s) { format!("\"{s}\"") } else { s.to_string() }
}
