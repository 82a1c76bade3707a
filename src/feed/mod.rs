//! Feeds: fetching, parsing and polling.

pub mod access;
pub mod background;
pub mod discover;
mod enclosures;
pub mod events;
mod feed_phase;
pub mod fetch;
pub mod full_text;
mod host_queue;
pub mod ignore;
pub mod limits;
mod media_scan;
pub mod normalise;
mod page_phase;
pub mod parse;
pub mod poll_access;
pub mod poller;
pub mod resolve;
pub mod schedule;

pub use parse::{ParseError, parse_feed};
