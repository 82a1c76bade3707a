//! The headless commands. Each prints to stdout and returns the process exit code.

mod add;
mod check_config;
mod extract;
mod feeds;
mod keys;
mod list;
mod opml;
mod poll;
pub mod related;
mod sync;

pub use add::{AddRequest, add};
pub use check_config::check_config;
pub use extract::{extract_batch, extract_page};
pub use feeds::list_feeds;
pub use keys::print_keys;
pub use list::list;
pub use opml::{export_opml, import_opml};
pub use poll::poll;
pub use related::related;
pub use sync::sync;
