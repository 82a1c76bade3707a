//! What can stop the interface.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum UiError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("terminal error: {0}")]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    Session(#[from] crate::session::SessionError),
}

/// Backends that cannot fail (ratatui's `TestBackend`).
impl From<std::convert::Infallible> for UiError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}
