//! Article HTML to styled lines for the reader pane.

mod article;

pub use article::{RenderedArticle, render_html};
