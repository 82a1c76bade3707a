//! Full articles for feeds that only summarise: which items need their web page, fetching it
//! (the same fetcher, limits and charset handling as feeds) and extracting its article (on a
//! blocking thread, inside [`crate::caught::catching`]), and which failures are worth trying again.

use crate::config::FullText;
use crate::extract::{FeedHint, extract};
use crate::text::{html_to_index_text, is_summary_html};

use super::access::Access;
use super::fetch::{FetchError, FetchOutcome, Fetched, Fetcher, PAGE_ACCEPT, Validators};
use crate::charset::{charset_from_content_type, decode_html_from};

/// Whether an item of a feed with this `full_text` setting should have its page fetched.
/// `summary_only` is what the store knows; when it does not know, the feed's text decides.
pub fn wants_page(mode: FullText, summary_only: Option<bool>, feed_html: Option<&str>) -> bool {
    match mode {
        FullText::Never => false,
        FullText::Always => true,
        FullText::Auto => summary_only.unwrap_or_else(|| is_summary(feed_html.unwrap_or(""))),
    }
}

/// A feed text that is short, or that ends by pointing at the rest of the article.
pub fn is_summary(feed_html: &str) -> bool {
    is_summary_html(feed_html)
}

/// Why an item has no extracted article.
#[derive(Debug, thiserror::Error)]
pub enum FullTextError {
    #[error("fetching the page failed: {0}")]
    Fetch(#[from] FetchError),
    #[error("the link is not a web page ({0})")]
    NotHtml(String),
    #[error("no article text was found on the page")]
    Empty,
    #[error("the page could not be processed")]
    Crashed,
}

impl FullTextError {
    /// Whether trying again later may well work (the host did not answer, a 5xx, a 429); the
    /// other failures stay as they are however often the page is fetched.
    pub fn is_transient(&self) -> bool {
        matches!(self, FullTextError::Fetch(e) if e.is_transient())
    }

    pub fn retry_after(&self) -> Option<i64> {
        match self {
            FullTextError::Fetch(e) => e.retry_after(),
            _ => None,
        }
    }
}

/// Fetches an item's page.
pub async fn fetch_page(fetcher: &Fetcher, url: &str) -> Result<Fetched, FullTextError> {
    fetch_page_as(fetcher, url, &Access::none()).await
}

/// Fetches an item's page; `access` adds its feed's headers and credentials when the page is on
/// the feed's own site.
pub async fn fetch_page_as(fetcher: &Fetcher, url: &str, access: &Access) -> Result<Fetched, FullTextError> {
    let fetched = match fetcher.fetch_as(url, &Validators::default(), PAGE_ACCEPT, access).await? {
        FetchOutcome::Fetched(fetched) => fetched,
        // Without validators a server has no reason to answer 304; treat it as nothing found.
        FetchOutcome::NotModified { .. } => return Err(FullTextError::Empty),
    };
    if let Some(kind) = fetched.content_type.as_deref() {
        let mime = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if !(mime.is_empty() || mime == "text/html" || mime == "application/xhtml+xml" || mime == "text/plain") {
            return Err(FullTextError::NotHtml(mime));
        }
    }
    Ok(fetched)
}

/// Extracts the article from a fetched page; returns it as clean HTML. CPU work: call it on a
/// blocking thread. `title` and `feed_html` are the feed's, as hints of where the story is.
pub fn extract_article(fetched: Fetched, title: &str, feed_html: Option<&str>) -> Result<String, FullTextError> {
    let hint = FeedHint { title: Some(title.to_string()), summary: feed_html.map(html_to_index_text) };
    let page_url = url::Url::parse(&fetched.final_url).ok();
    let extracted = crate::caught::catching(|| {
        let charset = fetched.content_type.as_deref().and_then(charset_from_content_type);
        let html = decode_html_from(&fetched.body, charset, page_url.as_ref());
        extract(&html, page_url.as_ref(), Some(&hint))
    });
    let Ok(article) = extracted else { return Err(FullTextError::Crashed) };
    if article.plain_text().split_whitespace().count() < 10 {
        return Err(FullTextError::Empty);
    }
    Ok(article.to_html())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    #[test]
    fn short_or_truncated_feed_texts_are_summaries() {
        assert!(is_summary("<p>The council met on Tuesday.</p>"));
        assert!(is_summary(""));
        let long = "word ".repeat(400);
        assert!(!is_summary(&format!("<p>{long}</p>")));
        assert!(is_summary(&format!("<p>{long} and then […]</p>")));
        assert!(is_summary(&format!("<p>{long}</p><p><a href=x>Continue reading »</a></p>")));
        assert!(wants_page(FullText::Always, Some(false), Some(&long)));
        assert!(!wants_page(FullText::Never, None, None));
        assert!(!wants_page(FullText::Auto, None, Some(&long)));
        assert!(wants_page(FullText::Auto, None, None));
        assert!(wants_page(FullText::Auto, Some(true), Some(&long)), "the store's answer wins");
    }

    #[test]
    fn passing_failures_are_retried_and_lasting_ones_are_not() {
        let status = |code: u16| {
            FullTextError::Fetch(FetchError::Status { status: StatusCode::from_u16(code).unwrap(), retry_after: None })
        };
        for transient in [500, 502, 503, 429, 408] {
            assert!(status(transient).is_transient(), "{transient}");
        }
        for lasting in [404, 403, 401, 400] {
            assert!(!status(lasting).is_transient(), "{lasting}");
        }
        assert!(FullTextError::Fetch(FetchError::Timeout(std::time::Duration::from_secs(1))).is_transient());
        assert!(FullTextError::Fetch(FetchError::Connect("refused".into())).is_transient());
        assert!(!FullTextError::Fetch(FetchError::Gone).is_transient());
        assert!(!FullTextError::NotHtml("application/pdf".into()).is_transient());
        assert!(!FullTextError::Empty.is_transient());
    }
}
