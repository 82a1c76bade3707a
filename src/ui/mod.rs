//! The reading interface: state and update (pure), views (pure), and the terminal loop (IO).

pub mod action;
pub mod app;
pub mod document;
pub mod headline_order;
pub mod keymap;
pub mod layout;
pub mod library;
mod poll_events;
pub mod run;
pub mod theme;
pub mod update;
pub mod view;
