//! Embeds the offline demo (assets/demo) into the binary, so `tidings --demo` works from any
//! directory with nothing installed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let demo = root.join("assets").join("demo");
    println!("cargo:rerun-if-changed={}", demo.display());
    let mut files = Vec::new();
    collect(&demo, &demo, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Files of assets/demo: (path relative to it, contents).\npub static DEMO_FILES: &[(&str, &[u8])] = &[\n",
    );
    for (relative, absolute) in &files {
        println!("cargo:rerun-if-changed={}", absolute.display());
        writeln!(out, "    ({relative:?}, include_bytes!({:?})),", absolute.display().to_string())
            .expect("write to string");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("demo_files.rs");
    std::fs::write(dest, out).expect("write demo_files.rs");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let relative = relative.to_string_lossy().replace('\\', "/");
            if relative != "README.md" {
                files.push((relative, path));
            }
        }
    }
}
