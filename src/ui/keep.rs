//! Keeping and passing on an article, at the edge: writing it to a new file in the save folder
//! (never over another file, never outside the folder) and handing its text to the pipe
//! command on standard input (run as words, never through a shell).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where articles go and what they are piped to.
#[derive(Debug, Clone)]
pub struct Keeping {
    pub save_dir: PathBuf,
    /// The pipe command's words, or why the configured one cannot be used; `None`: not set.
    pub pipe: Option<Result<Vec<String>, String>>,
}

impl Default for Keeping {
    fn default() -> Keeping {
        Keeping { save_dir: default_save_dir(), pipe: None }
    }
}

/// The XDG download folder, else home, else the current folder.
pub fn default_save_dir() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| d.download_dir().map_or_else(|| d.home_dir().to_path_buf(), Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `~/x` as the home's x; other paths as written.
pub fn expand_home(path: &str) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => directories::BaseDirs::new().map_or_else(|| PathBuf::from(path), |b| b.home_dir().join(rest)),
        None => PathBuf::from(path),
    }
}

/// Writes `text` to `dir/file_name`, or `stem-2.ext`, `stem-3.ext`… when that exists; the folder
/// is made when missing. `file_name` is a plain name ([`crate::render::export::file_name`]):
/// anything else is refused.
pub fn save(dir: &Path, file_name: &str, text: &str) -> Result<PathBuf, String> {
    if file_name.is_empty() || file_name.starts_with('.') || file_name.contains(['/', '\\']) {
        return Err(format!("refusing the file name {file_name:?}"));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    let (stem, ext) = file_name.rsplit_once('.').unwrap_or((file_name, ""));
    for n in 1..1000 {
        let name = match n {
            1 => file_name.to_string(),
            n if ext.is_empty() => format!("{stem}-{n}"),
            n => format!("{stem}-{n}.{ext}"),
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                return file.write_all(text.as_bytes()).map(|()| path.clone()).map_err(|e| {
                    let _ = std::fs::remove_file(&path);
                    format!("cannot write {}: {e}", path.display())
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot write {}: {e}", path.display())),
        }
    }
    Err(format!("{} has a thousand files called {stem}", dir.display()))
}

/// Runs `words` with `text` on its standard input and waits for it; says how it ended.
pub fn pipe(words: &[String], text: &str) -> String {
    let Some((program, args)) = words.split_first() else { return "The pipe command is empty".into() };
    let child = Command::new(program).args(args).stdin(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return format!("Cannot run {program}: {e}"),
    };
    // A command that stops reading early (`head`) closes the pipe: not an error of ours.
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
    }
    match child.wait() {
        Ok(status) if status.success() => format!("Piped the article to {program}"),
        Ok(status) => format!("{program} ended with {status}"),
        Err(e) => format!("{program}: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_never_overwrites_and_never_leaves_the_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().join("saved");
        let first = save(&folder, "ferry.md", "one").expect("save");
        let second = save(&folder, "ferry.md", "two").expect("save");
        assert_eq!(first, folder.join("ferry.md"));
        assert_eq!(second, folder.join("ferry-2.md"));
        assert_eq!(std::fs::read_to_string(&first).expect("read"), "one");
        for bad in ["../x.md", "/etc/passwd", ".bashrc", "a/b.md", ""] {
            assert!(save(&folder, bad, "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn the_pipe_gets_the_text_on_standard_input() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out.txt");
        let words = ["dd".to_string(), format!("of={}", out.display()), "status=none".into()];
        assert_eq!(pipe(&words, "the article; $(rm -rf /) `x`"), "Piped the article to dd");
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "the article; $(rm -rf /) `x`");
        assert!(pipe(&["/nonexistent/cmd".to_string()], "x").starts_with("Cannot run /nonexistent/cmd"));
        assert_eq!(pipe(&["false".to_string()], "x"), "false ended with exit status: 1");
    }
}
