use crate::feed::fetch::FetchError;

/// Why an image is not drawn.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("not a web address")]
    NotWeb,
    #[error("{0}")]
    Fetch(#[from] FetchError),
    #[error("not an image the reader decodes (PNG, JPEG, GIF, WebP)")]
    UnknownFormat,
    #[error("{width}×{height} pixels is more than the {limit}-pixel limit")]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("cannot decode: {0}")]
    Decode(String),
    #[error("cannot draw: {0}")]
    Encode(String),
    #[error("image cache: {0}")]
    Cache(#[from] std::io::Error),
    #[error("the image worker stopped")]
    Worker,
}
