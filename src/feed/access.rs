//! A feed's own headers and Basic auth, ready to go on its requests: only on those to the feed's
//! origin (the scheme, host and port of its configured URL). A redirect to another site, a page on
//! another site, or a feed that moved to another site gets none of them.

use reqwest::RequestBuilder;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use url::{Origin, Url};

use crate::config::{FeedHttp, Secret};

/// Why a feed's headers cannot go on its requests (the config refuses what this refuses).
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("the feed URL \"{0}\" does not parse")]
    BadUrl(String),
    #[error("\"{0}\" is not a header name")]
    HeaderName(String),
    /// The value is never repeated: it may be a key.
    #[error("the value of header \"{0}\" cannot be sent")]
    HeaderValue(String),
}

/// What a feed adds to the requests to its origin.
#[derive(Clone, Default)]
pub struct Access {
    origin: Option<Origin>,
    headers: HeaderMap,
    basic: Option<(String, Secret)>,
}

impl Access {
    /// Nothing added to any request.
    pub fn none() -> Access {
        Access::default()
    }

    /// The headers and credentials of `http` (its password already looked up) for the origin of
    /// `feed_url`, the URL as configured.
    pub fn new(feed_url: &str, http: &FeedHttp, password: Option<Secret>) -> Result<Access, AccessError> {
        let origin = Url::parse(feed_url).map_err(|_| AccessError::BadUrl(feed_url.to_string()))?.origin();
        let mut headers = HeaderMap::with_capacity(http.headers.len());
        for (name, value) in &http.headers {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| AccessError::HeaderName(name.clone()))?;
            let mut value =
                HeaderValue::from_str(value.expose()).map_err(|_| AccessError::HeaderValue(name.clone()))?;
            value.set_sensitive(true);
            headers.insert(header, value);
        }
        let basic = match (&http.auth, password) {
            (Some(auth), Some(password)) => Some((auth.user.clone(), password)),
            _ => None,
        };
        Ok(Access { origin: Some(origin), headers, basic })
    }

    /// Whether there is anything to add.
    pub fn has_credentials(&self) -> bool {
        self.basic.is_some() || !self.headers.is_empty()
    }

    /// Whether a request to `url` gets the headers and credentials.
    pub fn applies_to(&self, url: &Url) -> bool {
        self.origin.as_ref().is_some_and(|origin| *origin == url.origin())
    }

    /// `request` (to `url`) with the headers and credentials when `url` is on the feed's origin;
    /// and whether they were added.
    pub fn apply(&self, mut request: RequestBuilder, url: &Url) -> (RequestBuilder, bool) {
        if !self.has_credentials() || !self.applies_to(url) {
            return (request, false);
        }
        request = request.headers(self.headers.clone());
        if let Some((user, password)) = &self.basic {
            // reqwest marks the Authorization header sensitive.
            request = request.basic_auth(user, Some(password.expose()));
        }
        (request, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{BasicAuth, PasswordSource};

    fn http() -> FeedHttp {
        FeedHttp {
            headers: vec![("X-Api-Key".into(), Secret::new("k1"))],
            auth: Some(BasicAuth {
                user: "ann".into(),
                password: PasswordSource::Literal(Secret::new("pw")),
                password_at: "t:1:1".into(),
            }),
            proxy: None,
        }
    }

    #[test]
    fn only_the_feeds_origin_gets_them() {
        let access = Access::new("https://feeds.example/a/rss", &http(), Some(Secret::new("pw"))).expect("access");
        assert!(access.applies_to(&Url::parse("https://feeds.example/other?x").expect("url")));
        assert!(access.applies_to(&Url::parse("https://FEEDS.example:443/").expect("url")));
        for other in ["http://feeds.example/a/rss", "https://feeds.example:8443/", "https://cdn.feeds.example/"] {
            assert!(!access.applies_to(&Url::parse(other).expect("url")), "{other}");
        }
        assert!(!Access::none().applies_to(&Url::parse("https://feeds.example/").expect("url")));
    }

    #[test]
    fn the_request_carries_the_header_and_basic_auth() {
        let access = Access::new("http://h.example/f", &http(), Some(Secret::new("pw"))).expect("access");
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::new();
        let url = Url::parse("http://h.example/f").expect("url");
        let (request, sent) = access.apply(client.get(url.clone()), &url);
        let request = request.build().expect("request");
        assert!(sent);
        assert_eq!(request.headers()["x-api-key"], "k1");
        // base64("ann:pw")
        assert_eq!(request.headers()["authorization"], "Basic YW5uOnB3");
        assert!(request.headers()["authorization"].is_sensitive() && request.headers()["x-api-key"].is_sensitive());
    }
}
