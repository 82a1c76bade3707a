//! Article HTML to styled lines for the reader pane.

mod article;
pub mod export;
pub mod media;
mod spans;

pub use article::{Anchor, RenderedArticle, refused_link, render_html};
