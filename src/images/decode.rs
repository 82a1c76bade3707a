//! Decoding with bounded dimensions: the header is read first, and an image whose width×height
//! is above [`MAX_PIXELS`] (a decompression bomb: a tiny file that claims 100,000 × 100,000
//! pixels) is refused before a pixel is decoded. The decoder's own limits bound what it may
//! allocate as well. What is kept is downscaled to [`KEEP_SIDE`]: no terminal shows more.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};

use super::error::ImageError;

/// The most pixels an image may have (a 6,000 × 6,000 photo has 36 million).
pub const MAX_PIXELS: u64 = 40_000_000;
/// The longest side kept after decoding.
pub const KEEP_SIDE: u32 = 1600;

/// The image in `bytes` (PNG, JPEG, GIF's first frame, WebP), at most [`KEEP_SIDE`] a side.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, ImageError> {
    let format = image::guess_format(bytes).map_err(|_| ImageError::UnknownFormat)?;
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) {
        return Err(ImageError::UnknownFormat);
    }
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooManyPixels { width, height, limit: MAX_PIXELS });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    // Four bytes a pixel (RGBA8), and room for the decoder's own buffers.
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let decoded = crate::caught::catching(|| reader.decode())
        .map_err(|_| ImageError::Decode("the decoder failed".into()))?
        .map_err(|e| ImageError::Decode(crate::sanitize::clean_line(&e.to_string())))?;
    Ok(if decoded.width() > KEEP_SIDE || decoded.height() > KEEP_SIDE {
        decoded.thumbnail(KEEP_SIDE, KEEP_SIDE)
    } else {
        decoded
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 128]));
        let mut out = Vec::new();
        image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn a_small_png_decodes_and_a_large_one_is_scaled_down() {
        let small = decode(&png(40, 20)).unwrap();
        assert_eq!((small.width(), small.height()), (40, 20));
        let large = decode(&png(3200, 100)).unwrap();
        assert_eq!((large.width(), large.height()), (1600, 50));
    }

    #[test]
    fn what_is_not_an_image_is_refused() {
        assert!(matches!(decode(b"<html>not a picture</html>"), Err(ImageError::UnknownFormat)));
        let mut cut = png(40, 20);
        cut.truncate(cut.len() / 2);
        assert!(matches!(decode(&cut), Err(ImageError::Decode(_))));
    }
}
