//! The image cache on disk: one file per address (named by its hash) in the XDG cache folder,
//! written whole (to a temporary name, then renamed), and kept under a total size: after each
//! write the files least recently used (by modification time, which a read renews) go first.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use md5::{Digest, Md5};

use super::error::ImageError;

pub struct DiskCache {
    dir: PathBuf,
    cap: u64,
    /// One eviction at a time.
    evicting: Mutex<()>,
}

impl DiskCache {
    /// A cache in `dir` (made on the first write) holding at most `cap` bytes.
    pub fn new(dir: PathBuf, cap: u64) -> DiskCache {
        DiskCache { dir, cap, evicting: Mutex::new(()) }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, url: &str) -> PathBuf {
        let digest = Md5::digest(url.as_bytes());
        let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(name)
    }

    /// The bytes kept for `url`, if any (they are then the most recently used).
    pub fn get(&self, url: &str) -> Result<Option<Vec<u8>>, ImageError> {
        let path = self.path(url);
        match std::fs::read(&path) {
            Ok(bytes) => {
                if let Ok(file) = std::fs::File::options().write(true).open(&path) {
                    let _ = file.set_modified(SystemTime::now());
                }
                Ok(Some(bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Keeps `bytes` for `url`, then makes room: the oldest files go until the cache is
    /// within its size (a file larger than the whole cache is not kept).
    pub fn put(&self, url: &str, bytes: &[u8]) -> Result<(), ImageError> {
        if bytes.len() as u64 > self.cap {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(url);
        let part = path.with_extension("part");
        std::fs::write(&part, bytes)?;
        std::fs::rename(&part, &path)?;
        self.evict()
    }

    /// The bytes the cache holds now.
    pub fn size(&self) -> Result<u64, ImageError> {
        Ok(self.entries()?.iter().map(|(_, len, _)| len).sum())
    }

    fn entries(&self) -> Result<Vec<(PathBuf, u64, SystemTime)>, ImageError> {
        let mut out = Vec::new();
        let dir = match std::fs::read_dir(&self.dir) {
            Ok(dir) => dir,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e.into()),
        };
        for entry in dir {
            let entry = entry?;
            let Ok(meta) = entry.metadata() else { continue };
            let path = entry.path();
            if meta.is_file() && path.extension().is_none() {
                out.push((path, meta.len(), meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)));
            }
        }
        Ok(out)
    }

    fn evict(&self) -> Result<(), ImageError> {
        let _one = self.evicting.lock().map_err(|_| ImageError::Worker)?;
        let mut entries = self.entries()?;
        let mut total: u64 = entries.iter().map(|(_, len, _)| len).sum();
        entries.sort_by_key(|(_, _, modified)| *modified);
        for (path, len, _) in entries {
            if total <= self.cap {
                break;
            }
            match std::fs::remove_file(&path) {
                Ok(()) => total -= len,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => total -= len,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}
