//! The query language of search, query feeds, ignore rules and `tidings list --filter`: words
//! and "phrases", `title:`, `author:`, `feed:`, `tag:`, `unread`, `read`, `starred`, `age<2d`,
//! `and`/`or`/`not` and parentheses. Pure: text in, [`Query`] out ([`parse`]); the store turns a
//! query into SQL, [`Query::matches`] judges one item in memory.

mod ast;
mod display;
mod matcher;
mod parse;

pub use ast::{AgeBound, FeedLabel, Query, Term, Text};
pub use matcher::{Candidate, fold_words};
pub use parse::{FIELDS, QueryError, parse};
