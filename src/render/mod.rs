//! Article HTML to styled lines for the reader pane.

mod article;
pub mod export;
pub mod images;
pub mod media;
pub mod picture;
mod spans;

pub use article::{Anchor, ImageSlot, RenderedArticle, refused_link, render_html, render_html_with_images};
