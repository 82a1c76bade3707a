//! Cleans the HTML that feeds carry (placeholder).

pub fn clean_feed_html(html: &str) -> String {
    html.to_string()
}
