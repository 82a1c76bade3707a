//! What keys do: the actions a key can be bound to and the keymap that binds them. Data that the
//! config validates and the interface reads (the config never imports the interface).

pub mod action;
pub mod keymap;
pub mod preset;
pub mod table;

pub use action::Action;
pub use keymap::{Key, Keymap, parse_key};
pub use preset::Preset;
