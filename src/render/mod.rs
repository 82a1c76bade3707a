//! Article HTML to styled lines for the reader pane.

mod article;

pub use article::{RenderedArticle, refused_link, render_html};
