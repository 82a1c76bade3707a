//! Article images at the edge: fetched through the same [`Fetcher`] as feeds and pages (its
//! time-outs, with `[images] max_size` as the size cap) a few at a time ([`Limits`]), kept in
//! the [`cache::DiskCache`] under `[images] cache_size`, decoded with bounded dimensions
//! ([`decode`]) and made into a [`Picture`] for the terminal's protocol, all off the interface's
//! thread; the answer goes to a callback (the loop turns it into a message).

pub mod cache;
pub mod decode;
mod error;
pub mod terminal;

use std::path::PathBuf;
use std::sync::Arc;

use ratatui::layout::Rect;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;

pub use error::ImageError;

use crate::config::Settings;
use crate::feed::fetch::{FetchOutcome, Fetcher, Validators};
use crate::feed::limits::{Limits, host_key};
use crate::render::picture::Picture;
use cache::DiskCache;

pub const IMAGE_ACCEPT: &str = "image/webp, image/png, image/jpeg, image/gif;q=0.9, */*;q=0.5";

/// Images fetched at once, and from one host.
const AT_ONCE: usize = 4;
const PER_HOST: usize = 2;

#[derive(Clone)]
pub struct ImageLoader {
    runtime: tokio::runtime::Handle,
    fetcher: Fetcher,
    limits: Limits,
    cache: Arc<DiskCache>,
    picker: Picker,
}

impl ImageLoader {
    /// A loader with the `[poll]` time-outs and the `[images]` caps, its cache in `cache_dir`,
    /// making pictures with `picker`.
    pub fn new(
        settings: &Settings,
        cache_dir: PathBuf,
        picker: Picker,
        runtime: tokio::runtime::Handle,
    ) -> Result<ImageLoader, ImageError> {
        let mut poll = settings.poll.clone();
        poll.max_size = settings.images.max_size;
        Ok(ImageLoader {
            runtime,
            fetcher: Fetcher::new(&poll)?,
            limits: Limits::new(AT_ONCE, PER_HOST),
            cache: Arc::new(DiskCache::new(cache_dir, settings.images.cache_size)),
            picker,
        })
    }

    /// Loads `url` for a box of `cols` by `rows` cells on the runtime; `done` gets the answer.
    pub fn load(
        &self,
        url: String,
        cols: u16,
        rows: u16,
        done: impl FnOnce(Result<Picture, ImageError>) + Send + 'static,
    ) {
        let loader = self.clone();
        self.runtime.spawn(async move { done(loader.picture(&url, cols, rows).await) });
    }

    /// The picture of `url` for a box of `cols` by `rows` cells.
    pub async fn picture(&self, url: &str, cols: u16, rows: u16) -> Result<Picture, ImageError> {
        let bytes = self.bytes(url).await?;
        let picker = self.picker.clone();
        tokio::task::spawn_blocking(move || {
            let image = decode::decode(&bytes)?;
            let protocol = picker
                .new_protocol(image, Rect::new(0, 0, cols, rows), Resize::Fit(None))
                .map_err(|e| ImageError::Encode(e.to_string()))?;
            Ok(Picture::new(protocol, cols, rows))
        })
        .await
        .map_err(|_| ImageError::Worker)?
    }

    /// The image file at `url`: from the cache, else fetched (and then kept).
    pub async fn bytes(&self, url: &str) -> Result<Vec<u8>, ImageError> {
        if !url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            return Err(ImageError::NotWeb);
        }
        let cache = self.cache.clone();
        let key = url.to_string();
        match tokio::task::spawn_blocking(move || cache.get(&key)).await.map_err(|_| ImageError::Worker)? {
            Ok(Some(bytes)) => return Ok(bytes),
            Ok(None) => {}
            Err(e) => tracing::warn!("reading the image cache: {e}"),
        }
        let _slot = self.limits.acquire(&host_key(url)).await;
        let body = match self.fetcher.fetch(url, &Validators::default(), IMAGE_ACCEPT).await? {
            FetchOutcome::Fetched(fetched) => fetched.body,
            FetchOutcome::NotModified { .. } => {
                return Err(ImageError::Decode("the server sent no image (304 unasked)".into()));
            }
        };
        let cache = self.cache.clone();
        let key = url.to_string();
        let kept = body.clone();
        match tokio::task::spawn_blocking(move || cache.put(&key, &kept)).await {
            Ok(Err(e)) => tracing::warn!("writing the image cache: {e}"),
            Err(_) => tracing::warn!("writing the image cache: the task stopped"),
            Ok(Ok(())) => {}
        }
        Ok(body)
    }

    pub fn cache(&self) -> &DiskCache {
        &self.cache
    }
}
