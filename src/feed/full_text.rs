//! Full articles for feeds that only summarise: which items need their web page, and fetching
//! and extracting it (the same fetcher, limits and charset handling as feeds; extraction on a
//! blocking thread, inside `catch_unwind`).

use crate::config::FullText;
use crate::extract::{FeedHint, extract};
use crate::store::ArticleCandidate;
use crate::text::html_to_index_text;

use super::charset::{charset_from_content_type, decode_html};
use super::fetch::{FetchOutcome, Fetcher, PAGE_ACCEPT, Validators};

/// A feed text shorter than this many words is a summary, not the article.
pub const SUMMARY_WORDS: usize = 150;

/// How many of a feed's newest items get their page fetched in one poll.
pub const PAGES_PER_FEED: usize = 20;

/// Whether an item of a feed with this `full_text` setting should have its page fetched.
pub fn wants_page(mode: FullText, feed_html: Option<&str>) -> bool {
    match mode {
        FullText::Never => false,
        FullText::Always => true,
        FullText::Auto => is_summary(feed_html.unwrap_or("")),
    }
}

/// A feed text that is short, or that ends by pointing at the rest of the article.
pub fn is_summary(feed_html: &str) -> bool {
    let text = html_to_index_text(feed_html);
    let words = text.split_whitespace().count();
    let text = text.trim_end().trim_end_matches(['»', '→', '›', '>', ')', ']', ' ']);
    let tail: String = text.chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
    let tail = tail.to_lowercase();
    let truncated = text.ends_with('…')
        || text.ends_with("...")
        || ["read more", "continue reading", "read the full"].iter().any(|phrase| tail.contains(phrase));
    words < SUMMARY_WORDS || truncated
}

/// Why an item has no extracted article.
#[derive(Debug, thiserror::Error)]
pub enum FullTextError {
    #[error("fetching the page failed: {0}")]
    Fetch(#[from] super::fetch::FetchError),
    #[error("the link is not a web page ({0})")]
    NotHtml(String),
    #[error("no article text was found on the page")]
    Empty,
    #[error("the page could not be processed")]
    Crashed,
}

/// Fetches an item's page and extracts its article; returns it as clean HTML.
pub async fn fetch_article(fetcher: &Fetcher, item: &ArticleCandidate) -> Result<String, FullTextError> {
    let fetched = match fetcher.fetch(&item.url, &Validators::default(), PAGE_ACCEPT).await? {
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
    let hint = FeedHint { title: Some(item.title.clone()), summary: item.feed_html.as_deref().map(html_to_index_text) };
    let page_url = url::Url::parse(&fetched.final_url).ok();
    let extracted = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(|| {
            let charset = fetched.content_type.as_deref().and_then(charset_from_content_type);
            let html = decode_html(&fetched.body, charset);
            extract(&html, page_url.as_ref(), Some(&hint))
        })
    })
    .await;
    let article = match extracted {
        Ok(Ok(article)) => article,
        _ => return Err(FullTextError::Crashed),
    };
    if article.plain_text().split_whitespace().count() < 10 {
        return Err(FullTextError::Empty);
    }
    Ok(article.to_html())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_truncated_feed_texts_are_summaries() {
        assert!(is_summary("<p>The council met on Tuesday.</p>"));
        assert!(is_summary(""));
        let long = "word ".repeat(400);
        assert!(!is_summary(&format!("<p>{long}</p>")));
        assert!(is_summary(&format!("<p>{long} and then […]</p>")));
        assert!(is_summary(&format!("<p>{long}</p><p><a href=x>Continue reading »</a></p>")));
        assert!(wants_page(FullText::Always, Some(&long)));
        assert!(!wants_page(FullText::Never, None));
        assert!(!wants_page(FullText::Auto, Some(&long)));
        assert!(wants_page(FullText::Auto, None));
    }
}
