//! The layers point one way (see the README's "Architecture"): this reads `src/` and fails when a
//! forbidden import comes back.
//!
//! - The pure core (model, text, keys, theme, config validation, parse, schedule, OPML, extract,
//!   related, render, file names, download events, notifications, and the interface's state,
//!   `update`, views and document) imports no IO module: not the store, the poller or fetching,
//!   the session, the commands, the terminal loop, and none of tokio, reqwest, rusqlite,
//!   `std::fs`, `std::net`, `std::process`, `std::thread`.
//! - Nothing outside `src/ui/` and `src/main.rs` imports `ui`.
//! - extract, related and render import no feed, store or ui.
//! - The top-level modules import each other without a cycle, and so do the files of each folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Files (or folders, ending in `/`) of the pure core, relative to `src/`.
const PURE: &[&str] = &[
    "model/",
    "text.rs",
    "keys/",
    "theme.rs",
    "charset.rs",
    "caught.rs",
    "sanitize.rs",
    "timefmt.rs",
    "config/settings.rs",
    "config/units.rs",
    "config/error.rs",
    "config/file.rs",
    "config/queries.rs",
    "config/sync.rs",
    "config/password.rs",
    "config/feed_http.rs",
    "config/downloads.rs",
    "config/notify.rs",
    "config/images.rs",
    "notify.rs",
    "file_names.rs",
    "download/events.rs",
    "feed/parse.rs",
    "feed/enclosures.rs",
    "feed/media_scan.rs",
    "feed/normalise.rs",
    "feed/events.rs",
    "feed/schedule.rs",
    "feed/ignore.rs",
    "feed/discover.rs",
    "opml.rs",
    "query/",
    "extract/",
    "related/",
    "render/",
    "ui/app.rs",
    "ui/layout.rs",
    "ui/headline_order.rs",
    "ui/document.rs",
    "ui/library/mod.rs",
    "ui/update/",
    "ui/view/",
];

/// Modules of this crate the pure core may use: itself, and the pure parts of `feed`, `config`
/// and `ui`.
const PURE_MODULES: &[&str] = &[
    "model",
    "text",
    "keys",
    "theme",
    "charset",
    "caught",
    "sanitize",
    "timefmt",
    "config::settings",
    "config::units",
    "config::error",
    "config::file",
    "config::queries",
    "config::sync",
    "config::password",
    "config::feed_http",
    "config::downloads",
    "config::notify",
    "config::images",
    "notify",
    "file_names",
    "download::events",
    "feed::parse",
    "feed::enclosures",
    "feed::media_scan",
    "feed::normalise",
    "feed::events",
    "feed::schedule",
    "feed::ignore",
    "feed::discover",
    "opml",
    "query",
    "extract",
    "related",
    "render",
    "ui::app",
    "ui::layout",
    "ui::headline_order",
    "ui::document",
    "ui::library::Library",
    "ui::library::LibraryError",
    "ui::update",
    "ui::view",
];

/// Outside crates and std modules that are IO.
const IO_PATHS: &[&str] = &["tokio::", "reqwest::", "rusqlite::", "std::fs", "std::net", "std::process", "std::thread"];

struct Source {
    /// Relative to `src/`, with `/`.
    file: String,
    /// The module path, e.g. `["ui", "update", "marks"]`.
    module: Vec<String>,
    /// The code without comments and test modules.
    code: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    // Modules declared under `#[cfg(test)]` (`#[cfg(test)] mod eval_tests;`) are tests as a whole.
    let mut test_only: BTreeSet<PathBuf> = BTreeSet::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read a source file");
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for pair in lines.windows(2) {
            if pair[0] == "#[cfg(test)]"
                && let Some(name) = pair[1].strip_prefix("mod ").and_then(|m| m.strip_suffix(';'))
            {
                let dir = if path.ends_with("mod.rs") || path.ends_with("lib.rs") {
                    path.parent().map(Path::to_path_buf)
                } else {
                    path.to_str().map(|p| PathBuf::from(p.trim_end_matches(".rs")))
                };
                if let Some(dir) = dir {
                    test_only.insert(dir.join(format!("{name}.rs")));
                    test_only.insert(dir.join(name).join("mod.rs"));
                }
            }
        }
    }
    files
        .into_iter()
        .filter(|path| !test_only.contains(path))
        .map(|path| {
            let file = path.strip_prefix(&root).expect("under src").to_string_lossy().replace('\\', "/");
            let mut module: Vec<String> = file.trim_end_matches(".rs").split('/').map(str::to_string).collect();
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).expect("read a source file");
            Source { file, module, code: code_of(&text) }
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments and without its `#[cfg(test)]` modules (or files that
/// are tests as a whole).
fn code_of(text: &str) -> String {
    if text.trim_start().starts_with("#![cfg(test)]") {
        return String::new();
    }
    let mut code = String::new();
    let mut skip_depth: Option<i32> = None;
    let mut depth = 0i32;
    let mut test_attr = false;
    for line in text.lines() {
        let line = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        let trimmed = line.trim();
        if trimmed.starts_with("#[cfg(test)]") {
            test_attr = true;
            continue;
        }
        let opens = line.matches('{').count() as i32;
        let closes = line.matches('}').count() as i32;
        if test_attr && skip_depth.is_none() && (trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ")) {
            skip_depth = Some(depth);
        }
        test_attr = false;
        depth += opens - closes;
        if let Some(at) = skip_depth {
            if depth <= at {
                skip_depth = None;
            }
            continue;
        }
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// Every path this code names in this crate, made absolute (`ui::update::Msg`), and every
/// outside path (`tokio::sync`).
fn paths(source: &Source) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut own = BTreeSet::new();
    let mut outside = BTreeSet::new();
    let code = &source.code;
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let starts_word =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
        if !starts_word {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        if let Some(after) = rest.strip_prefix("crate::") {
            for p in expand(after) {
                own.insert(p);
            }
        } else if rest.starts_with("super::") {
            let mut base: Vec<String> = source.module.clone();
            let mut after = rest;
            // A file's `super` is its parent module (`mod.rs` files are their module).
            while let Some(next) = after.strip_prefix("super::") {
                base.pop();
                after = next;
            }
            for p in expand(after) {
                let mut full = base.clone();
                full.push(p);
                own.insert(full.join("::"));
            }
        } else {
            for io in IO_PATHS {
                if rest.starts_with(io) {
                    outside.insert(io.to_string());
                }
            }
        }
        i += 1;
    }
    (own, outside)
}

/// `a::b::{c, d::e}` → `a::b::c`, `a::b::d::e` (one level of braces, enough for this code).
fn expand(after: &str) -> Vec<String> {
    let path: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
    let path = path.trim_end_matches(':').to_string();
    let rest = &after[path.len()..];
    let rest = rest.trim_start_matches(':');
    if let Some(group) = rest.strip_prefix('{') {
        let inner: String = group.chars().take_while(|c| *c != '}').collect();
        return inner
            .split(',')
            .map(|part| part.split_whitespace().next().unwrap_or("").trim_start_matches("self").to_string())
            .filter(|part| !part.is_empty())
            .map(|part| if path.is_empty() { part } else { format!("{path}::{part}") })
            .collect();
    }
    vec![path]
}

fn is_pure(file: &str) -> bool {
    PURE.iter().any(|p| if p.ends_with('/') { file.starts_with(p) } else { file == *p })
}

fn allowed_in_pure(path: &str) -> bool {
    PURE_MODULES.iter().any(|m| path == *m || path.starts_with(&format!("{m}::")))
}

#[test]
fn the_pure_core_imports_no_io() {
    let mut wrong = Vec::new();
    for source in sources().iter().filter(|s| is_pure(&s.file)) {
        let (own, outside) = paths(source);
        for path in own.iter().filter(|p| !allowed_in_pure(p)) {
            wrong.push(format!("{}: crate::{path}", source.file));
        }
        for path in outside {
            wrong.push(format!("{}: {path}", source.file));
        }
    }
    assert!(wrong.is_empty(), "the pure core imports IO:\n{}", wrong.join("\n"));
}

#[test]
fn only_the_interface_and_main_import_ui() {
    let wrong: Vec<String> = sources()
        .iter()
        .filter(|s| !s.file.starts_with("ui/") && s.file != "main.rs" && s.file != "lib.rs")
        .filter(|s| paths(s).0.iter().any(|p| p == "ui" || p.starts_with("ui::")))
        .map(|s| s.file.clone())
        .collect();
    assert!(wrong.is_empty(), "these import ui: {wrong:?}");
}

#[test]
fn extract_related_and_render_import_no_feed_store_or_ui() {
    let mut wrong = Vec::new();
    for source in sources() {
        let top = source.module.first().map(String::as_str).unwrap_or_default();
        if !matches!(top, "extract" | "related" | "render") {
            continue;
        }
        for path in paths(&source).0 {
            let head = path.split("::").next().unwrap_or_default();
            if matches!(head, "feed" | "store" | "ui") {
                wrong.push(format!("{}: crate::{path}", source.file));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn top_level_modules_have_no_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in sources() {
        let Some(top) = source.module.first().cloned() else { continue };
        if top == "main" || top == "lib" {
            continue;
        }
        for path in paths(&source).0 {
            let head = path.split("::").next().unwrap_or_default().to_string();
            if !head.is_empty() && head != top {
                edges.entry(top.clone()).or_default().insert(head);
            }
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        panic!("an import cycle among the top-level modules: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_files_of_each_folder_have_no_cycle() {
    let sources = sources();
    let modules: BTreeSet<Vec<String>> = sources.iter().map(|s| s.module.clone()).collect();
    // Edges between siblings (`super::segment` from `extract/keep.rs`), per folder.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in &sources {
        let Some((_, parent)) = source.module.split_last() else { continue };
        for path in paths(source).0 {
            let parts: Vec<String> = path.split("::").map(str::to_string).collect();
            if parts.len() > parent.len() && parts[..parent.len()] == *parent {
                let sibling: Vec<String> = parts[..=parent.len()].to_vec();
                if sibling != source.module && modules.contains(&sibling) {
                    edges.entry(source.module.join("::")).or_default().insert(sibling.join("::"));
                }
            }
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        panic!("an import cycle among the files of a folder: {}", cycle.join(" -> "));
    }
}

/// A cycle in `edges`, if there is one (depth-first search for a back edge).
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(cycle) = visit(next, edges, state, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in edges.keys() {
        if !state.contains_key(node.as_str())
            && let Some(cycle) = visit(node, edges, &mut state, &mut Vec::new())
        {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn the_checker_sees_a_forbidden_import() {
    // A pure file that imports the store, through `super` and through `crate`, in braces.
    let source = Source {
        file: "ui/update/marks.rs".into(),
        module: vec!["ui".into(), "update".into(), "marks".into()],
        code: code_of(
            "use super::super::run::UiError;\nuse crate::{model::ItemId, store::Store};\n// use crate::session;\n\
             fn f() { std::fs::read(\"x\"); }\n#[cfg(test)]\nmod tests {\n    use crate::demo;\n}\n",
        ),
    };
    let (own, outside) = paths(&source);
    let wrong: Vec<&String> = own.iter().filter(|p| !allowed_in_pure(p)).collect();
    assert_eq!(wrong, ["store::Store", "ui::run::UiError"]);
    assert_eq!(outside.into_iter().collect::<Vec<_>>(), ["std::fs"]);
}
