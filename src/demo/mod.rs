//! The offline demo: feeds and article pages written for tidings, embedded in the binary and
//! served from a loopback HTTP server, so the demo exercises the real poller path.

mod server;
mod template;

pub use server::{DemoError, DemoServer};
pub use template::fill_placeholders;

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// The demo's config text, with `{{BASE}}` still in it.
pub fn config_template() -> Option<&'static str> {
    demo_file("config.toml").and_then(|b| std::str::from_utf8(b).ok())
}

pub fn demo_file(path: &str) -> Option<&'static [u8]> {
    DEMO_FILES.iter().find(|(p, _)| *p == path).map(|(_, bytes)| *bytes)
}
