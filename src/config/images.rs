//! `[images]` validated: whether and how pictures are drawn in the article, the largest image
//! fetched and the size of the image cache. Pure: the terminal is asked what it can draw only
//! when the reader starts.

pub use super::file::ImageProtocol;
use super::file::ImagesTable;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSettings {
    /// Drawn at the start: `None` (the default) where the terminal has a graphics protocol.
    pub enabled: Option<bool>,
    pub protocol: ImageProtocol,
    /// The largest image file fetched, in bytes.
    pub max_size: u64,
    /// The most the cache on disk holds, in bytes.
    pub cache_size: u64,
}

impl Default for ImageSettings {
    fn default() -> Self {
        image_settings(&ImagesTable::default())
    }
}

impl ImageSettings {
    /// Whether pictures are drawn at the start, given whether the terminal answered with a
    /// graphics protocol (kitty, sixel, iTerm2) rather than half-blocks only.
    pub fn shown_at_start(&self, graphics: bool) -> bool {
        self.protocol != ImageProtocol::Off && self.enabled.unwrap_or(graphics)
    }
}

pub fn image_settings(table: &ImagesTable) -> ImageSettings {
    ImageSettings {
        enabled: table.enabled,
        protocol: table.protocol,
        max_size: table.max_size.0,
        cache_size: table.cache_size.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_means_where_the_terminal_has_graphics() {
        let mut settings = ImageSettings::default();
        assert_eq!((settings.max_size, settings.cache_size), (5 << 20, 100 << 20));
        assert!(settings.shown_at_start(true) && !settings.shown_at_start(false));
        settings.enabled = Some(true);
        assert!(settings.shown_at_start(false), "half-blocks when asked for");
        settings.protocol = ImageProtocol::Off;
        assert!(!settings.shown_at_start(true), "off is off");
    }
}
