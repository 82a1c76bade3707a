//! The reading interface. Pure: the state (`app`), `update` (decides, returns effects), the views
//! and the document they show. At the edge: the library over the cache (read-only), the loop and
//! what carries out the effects (the writer, the render and related-stories threads, the browser), the indexer, the
//! terminal.

pub mod app;
pub mod browser;
pub mod document;
pub mod effects;
mod error;
pub mod event_loop;
mod feed_list;
pub mod headline_order;
pub mod indexer;
mod input_gate;
pub mod keep;
pub mod layout;
pub mod library;
pub mod notifier;
pub mod run;
mod sync_task;
pub mod update;
pub mod view;
pub mod worker;
