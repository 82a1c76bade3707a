//! Text to [`Query`]: words and "phrases", `title:`, `author:`, `feed:`, `tag:`, `unread`,
//! `read`, `starred`, `age<2d`, joined by `and` (or nothing), `or` and `not`, with parentheses.
//! `not` binds tightest, then `and`, then `or`. Errors name the column (counted in characters,
//! from 1) where the query goes wrong.

use super::ast::{AgeBound, Query, Term, Text};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct QueryError {
    /// Where the query goes wrong, in characters from 1.
    pub column: usize,
    pub message: String,
}

/// The fields a `name:value` term may name.
pub const FIELDS: &[&str] = &["title", "author", "feed", "tag"];

pub fn parse(input: &str) -> Result<Query, QueryError> {
    let tokens = tokenize(input)?;
    let mut parser = Parser { tokens, at: 0, end: input.chars().count() + 1 };
    if parser.tokens.is_empty() {
        return Err(QueryError { column: 1, message: "the query is empty".into() });
    }
    let query = parser.or()?;
    match parser.tokens.get(parser.at) {
        None => Ok(query),
        Some(t) => Err(t.error(match t.kind {
            Kind::Close => "a ')' without its '('".into(),
            _ => format!("unexpected {}", t.describe()),
        })),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Open,
    Close,
    And,
    Or,
    Not,
    Term(Term),
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    column: usize,
    text: String,
}

impl Token {
    fn error(&self, message: String) -> QueryError {
        QueryError { column: self.column, message }
    }

    fn describe(&self) -> String {
        format!("'{}'", self.text)
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// The column just past the query, for "missing ..." at its end.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Kind> {
        self.tokens.get(self.at).map(|t| &t.kind)
    }

    fn missing(&self, what: &str) -> QueryError {
        let column = self.tokens.get(self.at).map_or(self.end, |t| t.column);
        QueryError { column, message: format!("{what} is missing here") }
    }

    fn or(&mut self) -> Result<Query, QueryError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Kind::Or) {
            self.at += 1;
            parts.push(self.and()?);
        }
        Ok(flatten(parts, false))
    }

    fn and(&mut self) -> Result<Query, QueryError> {
        let mut parts = vec![self.not()?];
        loop {
            match self.peek() {
                Some(Kind::And) => {
                    self.at += 1;
                    parts.push(self.not()?);
                }
                Some(Kind::Open | Kind::Not | Kind::Term(_)) => parts.push(self.not()?),
                _ => break,
            }
        }
        Ok(flatten(parts, true))
    }

    fn not(&mut self) -> Result<Query, QueryError> {
        if self.peek() == Some(&Kind::Not) {
            self.at += 1;
            return Ok(Query::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Query, QueryError> {
        let Some(token) = self.tokens.get(self.at).cloned() else {
            return Err(self.missing("a word or a term"));
        };
        match token.kind {
            Kind::Term(term) => {
                self.at += 1;
                Ok(Query::Term(term))
            }
            Kind::Open => {
                self.at += 1;
                if self.peek() == Some(&Kind::Close) {
                    return Err(self.missing("a word or a term inside '()'"));
                }
                let inner = self.or()?;
                if self.peek() != Some(&Kind::Close) {
                    return Err(QueryError { column: token.column, message: "this '(' is never closed".into() });
                }
                self.at += 1;
                Ok(inner)
            }
            Kind::Close | Kind::And | Kind::Or => {
                Err(token.error(format!("a word or a term is missing before {}", token.describe())))
            }
            Kind::Not => unreachable!("not() takes 'not'"),
        }
    }
}

/// One part stays itself; parts of the same kind as the join are merged into it.
fn flatten(parts: Vec<Query>, and: bool) -> Query {
    if parts.len() == 1 {
        return parts.into_iter().next().expect("one part");
    }
    let mut flat = Vec::with_capacity(parts.len());
    for part in parts {
        match (part, and) {
            (Query::And(inner), true) | (Query::Or(inner), false) => flat.extend(inner),
            (part, _) => flat.push(part),
        }
    }
    if and { Query::And(flat) } else { Query::Or(flat) }
}

fn tokenize(input: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '(' || c == ')' {
            let kind = if c == '(' { Kind::Open } else { Kind::Close };
            tokens.push(Token { kind, column, text: c.to_string() });
            i += 1;
            continue;
        }
        if c == '"' {
            let (phrase, next) = quoted(&chars, i)?;
            i = next;
            let text = format!("\"{phrase}\"");
            if phrase.trim().is_empty() {
                return Err(QueryError { column, message: "the quotes hold no words".into() });
            }
            tokens.push(Token { kind: Kind::Term(Term::Text(Text::Phrase(phrase))), column, text });
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')' | '"') {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        // `field:"a phrase"`: the quotes follow the colon.
        if let Some(field) = word.strip_suffix(':').filter(|f| is_field_name(f))
            && chars.get(i) == Some(&'"')
        {
            let (phrase, next) = quoted(&chars, i)?;
            i = next;
            let text: String = chars[start..i].iter().collect();
            let term = field_term(field, Text::Phrase(phrase), column)?;
            tokens.push(Token { kind: Kind::Term(term), column, text });
            continue;
        }
        let kind = bare(&word, column)?;
        tokens.push(Token { kind, column, text: word });
    }
    Ok(tokens)
}

/// The phrase in the quotes that open at `open`, and the index past the closing quote.
fn quoted(chars: &[char], open: usize) -> Result<(String, usize), QueryError> {
    let close = chars[open + 1..].iter().position(|&c| c == '"').map(|p| open + 1 + p);
    let Some(close) = close else {
        return Err(QueryError { column: open + 1, message: "this quote is never closed".into() });
    };
    let phrase: String = chars[open + 1..close].iter().collect();
    Ok((phrase.split_whitespace().collect::<Vec<_>>().join(" "), close + 1))
}

fn is_field_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic())
}

/// A bare word: a keyword, a field term, an age bound or a word to look for.
fn bare(word: &str, column: usize) -> Result<Kind, QueryError> {
    let lower = word.to_ascii_lowercase();
    match lower.as_str() {
        "and" | "&&" => return Ok(Kind::And),
        "or" | "||" => return Ok(Kind::Or),
        "not" => return Ok(Kind::Not),
        "unread" => return Ok(Kind::Term(Term::Unread)),
        "read" => return Ok(Kind::Term(Term::Read)),
        "starred" => return Ok(Kind::Term(Term::Starred)),
        _ => {}
    }
    if let Some(rest) = lower.strip_prefix("age")
        && let Some(op) = rest.chars().next().filter(|c| matches!(c, '<' | '>'))
    {
        let bound = if op == '<' { AgeBound::Newer } else { AgeBound::Older };
        let value = rest[1..].strip_prefix('=').unwrap_or(&rest[1..]);
        let secs = parse_age(value).ok_or_else(|| QueryError {
            column,
            message: format!("'{word}': an age is a number and a unit: 30m, 12h, 2d, 1w"),
        })?;
        return Ok(Kind::Term(Term::Age(bound, secs)));
    }
    if let Some((field, value)) = word.split_once(':')
        && is_field_name(field)
    {
        if value.is_empty() {
            return Err(QueryError { column, message: format!("'{field}:' needs a value after the colon") });
        }
        return field_term(field, Text::Word(value.to_string()), column).map(Kind::Term);
    }
    if !word.chars().any(char::is_alphanumeric) {
        return Err(QueryError { column, message: format!("'{word}' holds no letters or digits to look for") });
    }
    Ok(Kind::Term(Term::Text(Text::Word(word.to_string()))))
}

fn field_term(field: &str, value: Text, column: usize) -> Result<Term, QueryError> {
    let plain = |v: Text| match v {
        Text::Word(s) | Text::Phrase(s) => s,
    };
    match field.to_ascii_lowercase().as_str() {
        "title" => Ok(Term::Title(value)),
        "author" => Ok(Term::Author(value)),
        "feed" => Ok(Term::Feed(plain(value))),
        "tag" => Ok(Term::Tag(plain(value))),
        _ => Err(QueryError {
            column,
            message: format!("unknown field '{field}:' (fields: {}; quote the word to look for it)", FIELDS.join(", ")),
        }),
    }
}

const UNITS: &[(char, i64)] = &[('w', 7 * 86_400), ('d', 86_400), ('h', 3_600), ('m', 60)];

fn parse_age(value: &str) -> Option<i64> {
    let unit = value.chars().last()?;
    let (_, per) = UNITS.iter().find(|(u, _)| *u == unit)?;
    let n: i64 = value[..value.len() - 1].parse().ok()?;
    n.checked_mul(*per).filter(|s| *s >= 0)
}

/// Seconds as the largest unit that divides them ("2d", "90m").
pub(super) fn format_age(secs: i64) -> String {
    UNITS
        .iter()
        .find(|(_, per)| secs % per == 0 && secs > 0)
        .map_or_else(|| format!("{}m", secs / 60), |(u, per)| format!("{}{u}", secs / per))
}

/// Whether a word must be quoted to be read back as that word: it would be read as a keyword,
/// a field or an age, or it holds a space, a quote or a parenthesis.
pub(super) fn needs_quotes(word: &str) -> bool {
    word.is_empty()
        || word.chars().any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '"'))
        || bare(word, 1).map_or(true, |k| k != Kind::Term(Term::Text(Text::Word(word.to_string()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Query {
        Query::Term(Term::Text(Text::Word(w.into())))
    }

    #[test]
    fn words_side_by_side_all_match() {
        assert_eq!(parse("rust tokio").unwrap(), Query::And(vec![word("rust"), word("tokio")]));
        assert_eq!(parse("rust").unwrap(), word("rust"));
    }

    #[test]
    fn not_binds_tighter_than_and_and_and_tighter_than_or() {
        let q = parse("a or b c and not d").unwrap();
        assert_eq!(
            q,
            Query::Or(vec![word("a"), Query::And(vec![word("b"), word("c"), Query::Not(Box::new(word("d")))])])
        );
        assert_eq!(parse("(a or b) c").unwrap(), Query::And(vec![Query::Or(vec![word("a"), word("b")]), word("c")]));
    }

    #[test]
    fn fields_flags_and_ages() {
        let q = parse(r#"title:"climate deal" author:kim feed:BBC tag:tech unread starred age<2d age>=3h"#).unwrap();
        assert_eq!(
            q,
            Query::And(vec![
                Query::Term(Term::Title(Text::Phrase("climate deal".into()))),
                Query::Term(Term::Author(Text::Word("kim".into()))),
                Query::Term(Term::Feed("BBC".into())),
                Query::Term(Term::Tag("tech".into())),
                Query::Term(Term::Unread),
                Query::Term(Term::Starred),
                Query::Term(Term::Age(AgeBound::Newer, 2 * 86_400)),
                Query::Term(Term::Age(AgeBound::Older, 3 * 3_600)),
            ])
        );
    }

    #[test]
    fn errors_point_at_the_column() {
        let err = |q: &str| parse(q).unwrap_err();
        assert_eq!(err("rust and").column, 9);
        assert_eq!(err("(rust or go").column, 1);
        assert_eq!(err("rust )").column, 6);
        assert_eq!(err("a \"open phrase").column, 3);
        assert_eq!(err("colour:red").column, 1);
        assert!(err("colour:red").message.contains("unknown field"));
        assert_eq!(err("x age<2y").column, 3);
        assert_eq!(err("or x").column, 1);
        assert_eq!(err("").column, 1);
        assert_eq!(err("title:").column, 1);
        assert_eq!(err("()").column, 2);
        // Columns count characters, not bytes.
        assert_eq!(err("é ü )").column, 5);
    }

    #[test]
    fn a_word_with_punctuation_inside_stays_one_word() {
        assert_eq!(parse("3.9% e-mail").unwrap(), Query::And(vec![word("3.9%"), word("e-mail")]));
        assert_eq!(parse("\"or\"").unwrap(), Query::Term(Term::Text(Text::Phrase("or".into()))));
    }

    #[test]
    fn written_back_it_reads_the_same() {
        for text in ["a or b c", "not (a or b)", "title:\"x y\" or feed:\"Le Monde\" age<90m", "not not a"] {
            let q = parse(text).unwrap();
            assert_eq!(parse(&q.to_string()).unwrap(), q, "{text} -> {q}");
        }
    }
}
