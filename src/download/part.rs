//! The files of a download: the `.part` file it is received into (found again by a retry or a
//! restart, which ask for the rest), and the finished file, made from it under a name that is
//! taken by nothing in the folder. A finished download never replaces a file: the name gets a
//! number instead. Only plain names (see [`crate::file_names`]) are joined to the folder.

use std::path::{Component, Path, PathBuf};

use crate::file_names::numbered;

/// The most numbered variants of a name tried before giving up.
const MAX_VARIANTS: u32 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum PartError {
    #[error("refusing the file name {0:?}")]
    BadName(String),
    #[error("{} holds {MAX_VARIANTS} files called {name}", dir.display())]
    NoFreeName { dir: PathBuf, name: String },
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// Whether `name` is one plain file name (nothing that climbs out of, or past, the folder).
fn is_plain(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!((parts.next(), parts.next()), (Some(Component::Normal(n)), None) if n == name)
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
}

/// `dir/name`, for a plain `name`.
pub fn inside(dir: &Path, name: &str) -> Result<PathBuf, PartError> {
    if is_plain(name) { Ok(dir.join(name)) } else { Err(PartError::BadName(name.to_string())) }
}

/// Opens (creating it) the `.part` file `path` for appending; with `fresh`, emptied first. A
/// symbolic link in its place is refused rather than followed.
pub async fn open(path: &Path, fresh: bool) -> Result<tokio::fs::File, PartError> {
    let io = |source| PartError::Io { path: path.to_path_buf(), source };
    let mut options = tokio::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    options.custom_flags(libc::O_NOFOLLOW);
    let file = options.open(path).await.map_err(io)?;
    if fresh {
        file.set_len(0).await.map_err(io)?;
    }
    Ok(file)
}

/// How many bytes the `.part` file holds (0 when there is none).
pub async fn received(path: &Path) -> u64 {
    match tokio::fs::symlink_metadata(path).await {
        Ok(meta) if meta.is_file() => meta.len(),
        _ => 0,
    }
}

/// Makes the finished file from the `.part` file: `dir/name`, or `name-2`, `name-3`… when that
/// is taken. Never over an existing file (a hard link to a new name fails when the name exists;
/// where the file system has no hard links, the bytes are copied into a file created new).
/// Returns the name used; the `.part` file is gone.
pub async fn finish(dir: PathBuf, part: PathBuf, name: String) -> Result<String, PartError> {
    tokio::task::spawn_blocking(move || finish_blocking(&dir, &part, &name))
        .await
        .unwrap_or_else(|e| Err(PartError::Io { path: PathBuf::new(), source: std::io::Error::other(e) }))
}

fn finish_blocking(dir: &Path, part: &Path, name: &str) -> Result<String, PartError> {
    for n in 1..=MAX_VARIANTS {
        let candidate = numbered(name, n);
        let target = inside(dir, &candidate)?;
        let io = |source| PartError::Io { path: target.clone(), source };
        match std::fs::hard_link(part, &target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => match copy_new(part, &target) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io(e)),
            },
        }
        std::fs::remove_file(part).map_err(|source| PartError::Io { path: part.to_path_buf(), source })?;
        return Ok(candidate);
    }
    Err(PartError::NoFreeName { dir: dir.to_path_buf(), name: name.to_string() })
}

/// Copies `from` into `to`, which must not exist yet.
fn copy_new(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut target = std::fs::OpenOptions::new().write(true).create_new(true).open(to)?;
    let copied = std::fs::File::open(from).and_then(|mut source| std::io::copy(&mut source, &mut target));
    match copied.and_then(|_| target.sync_all()) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(to);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_joined() {
        let dir = Path::new("/downloads");
        assert_eq!(inside(dir, "ep.mp3").expect("plain"), dir.join("ep.mp3"));
        for bad in ["../x", "/etc/passwd", "a/b", "..", ".", "", ".hidden", "a\\b"] {
            assert!(inside(dir, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn finishing_never_replaces_a_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let existing = dir.path().join("ep.mp3");
        std::fs::write(&existing, "mine").expect("write");
        let part = dir.path().join("ep.mp3.1234.part");
        std::fs::write(&part, "episode").expect("write");
        let name = finish_blocking(dir.path(), &part, "ep.mp3").expect("finished");
        assert_eq!(name, "ep-2.mp3");
        assert_eq!(std::fs::read_to_string(&existing).expect("read"), "mine");
        assert_eq!(std::fs::read_to_string(dir.path().join("ep-2.mp3")).expect("read"), "episode");
        assert!(!part.exists());
        assert!(finish_blocking(dir.path(), &part, "../escape.mp3").is_err());
    }
}
