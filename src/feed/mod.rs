//! Feeds: fetching, parsing and polling.

pub mod background;
pub mod charset;
pub mod fetch;
pub mod full_text;
pub mod normalise;
pub mod parse;
pub mod poller;
pub mod schedule;

pub use parse::{ParseError, parse_feed};
