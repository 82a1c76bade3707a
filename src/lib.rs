//! tidings: a terminal news reader. The library holds every piece; `main.rs` wires them to the
//! command line.

#![deny(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod caught;
pub mod charset;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod download;
pub mod extract;
pub mod feed;
pub mod file_names;
pub mod images;
pub mod keys;
pub mod logging;
pub mod model;
pub mod notify;
pub mod opml;
pub mod password;
pub mod priority;
pub mod query;
pub mod related;
pub mod render;
pub mod sanitize;
pub mod session;
#[doc(hidden)]
pub mod shared_data;
pub mod store;
pub mod sync;
pub mod text;
pub mod theme;
pub mod timefmt;
pub mod ui;
