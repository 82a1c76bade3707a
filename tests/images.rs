//! Article images fetched and cached against a local server: a picture made and then served
//! from the disk cache (one request), the `[images] max_size` cap, a decompression bomb (a tiny
//! PNG claiming 100,000 × 100,000 pixels) refused before decoding, something that is not an
//! image, and the disk cache's size cap evicting the least recently used files. No internet.

mod common;

use std::io::Cursor;
use std::time::Duration;

use common::http_server::{Reply, TestServer};
use ratatui_image::picker::Picker;
use tidings::images::cache::DiskCache;
use tidings::images::{ImageError, ImageLoader};

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 200]));
    let mut out = Vec::new();
    image.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).expect("encode");
    out
}

/// CRC-32 (ISO-HDLC), as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A valid PNG head that claims `width` × `height` grey pixels, with almost no data.
fn bomb(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn loader(dir: &std::path::Path, max_size: &str, cache_size: &str) -> ImageLoader {
    let config = format!(
        "[poll]\ntimeout = \"5s\"\nconnect_timeout = \"2s\"\n[images]\nmax_size = \"{max_size}\"\ncache_size = \"{cache_size}\"\n"
    );
    let settings = tidings::config::parse_settings(&config, "test", dir).expect("settings");
    ImageLoader::new(&settings, dir.join("images"), Picker::halfblocks(), tokio::runtime::Handle::current())
        .expect("loader")
}

#[tokio::test]
async fn a_picture_is_made_and_then_comes_from_the_cache() {
    let server = TestServer::start().await;
    server.route("/pier.png", Reply::status(200).header("Content-Type", "image/png").body(png(200, 120)));
    let dir = tempfile::tempdir().expect("temp dir");
    let loader = loader(dir.path(), "1 MiB", "10 MiB");
    let url = server.url("/pier.png");
    let picture = loader.picture(&url, 40, 12).await.expect("a picture");
    assert_eq!((picture.cols, picture.rows), (40, 12));
    loader.picture(&url, 60, 12).await.expect("again, at another size");
    assert_eq!(server.requests_to("/pier.png").len(), 1, "the second came from the disk cache");
    assert!(loader.cache().size().expect("cache size") > 0);
}

#[tokio::test]
async fn an_image_over_max_size_is_not_fetched_whole() {
    let server = TestServer::start().await;
    server.route("/huge.png", Reply::status(200).header("Content-Type", "image/png").body(vec![0u8; 200_000]));
    let dir = tempfile::tempdir().expect("temp dir");
    let loader = loader(dir.path(), "64 KiB", "10 MiB");
    let result = loader.picture(&server.url("/huge.png"), 40, 12).await;
    assert!(result.as_ref().is_err_and(|e| e.to_string().contains("65536-byte limit")), "{result:?}");
    assert_eq!(loader.cache().size().expect("cache size"), 0, "nothing kept");
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_before_decoding() {
    let server = TestServer::start().await;
    let body = bomb(100_000, 100_000);
    assert!(body.len() < 100, "a tiny file: {} bytes", body.len());
    server.route("/bomb.png", Reply::status(200).header("Content-Type", "image/png").body(body));
    let dir = tempfile::tempdir().expect("temp dir");
    let loader = loader(dir.path(), "1 MiB", "10 MiB");
    let started = std::time::Instant::now();
    let result = loader.picture(&server.url("/bomb.png"), 40, 12).await;
    assert!(matches!(result, Err(ImageError::TooManyPixels { width: 100_000, height: 100_000, .. })), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "refused at once");
}

#[tokio::test]
async fn a_page_is_not_an_image() {
    let server = TestServer::start().await;
    server.route("/page", Reply::status(200).header("Content-Type", "text/html").body("<html>hello</html>"));
    server.route("/gone.png", Reply::status(404));
    let dir = tempfile::tempdir().expect("temp dir");
    let loader = loader(dir.path(), "1 MiB", "10 MiB");
    assert!(matches!(loader.picture(&server.url("/page"), 40, 12).await, Err(ImageError::UnknownFormat)));
    let missing = loader.picture(&server.url("/gone.png"), 40, 12).await;
    assert!(missing.is_err_and(|e| e.to_string() == "HTTP 404 Not Found"));
    let file = loader.picture("file:///etc/passwd", 40, 12).await;
    assert!(matches!(file, Err(ImageError::NotWeb)));
}

#[test]
fn the_disk_cache_keeps_under_its_cap_dropping_the_least_recently_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = DiskCache::new(dir.path().join("images"), 1000);
    let pause = || std::thread::sleep(Duration::from_millis(30));
    cache.put("https://a.example/1.png", &[1u8; 400]).expect("put 1");
    pause();
    cache.put("https://a.example/2.png", &[2u8; 400]).expect("put 2");
    pause();
    // Reading 1 makes it the most recently used: 2 is the oldest now.
    assert_eq!(cache.get("https://a.example/1.png").expect("get 1").map(|b| b.len()), Some(400));
    pause();
    cache.put("https://a.example/3.png", &[3u8; 400]).expect("put 3");
    assert!(cache.size().expect("size") <= 1000);
    assert!(cache.get("https://a.example/2.png").expect("get 2").is_none(), "the oldest went");
    assert!(cache.get("https://a.example/1.png").expect("get 1").is_some());
    assert_eq!(cache.get("https://a.example/3.png").expect("get 3"), Some(vec![3u8; 400]));
    // A file larger than the whole cache is not kept (and pushes nothing out).
    cache.put("https://a.example/big.png", &[9u8; 2000]).expect("put big");
    assert!(cache.get("https://a.example/big.png").expect("get big").is_none());
    assert!(cache.get("https://a.example/3.png").expect("get 3").is_some());
}
