//! The reading interface: state and update (pure), views (pure), and the terminal loop (IO).

pub mod app;
pub mod document;
pub mod headline_order;
pub mod layout;
pub mod library;
mod poll_events;
pub mod run;
pub mod update;
pub mod view;
