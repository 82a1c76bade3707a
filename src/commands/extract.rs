//! `tidings extract`: the article of one page (a file or an http(s) URL) as plain text, or a whole
//! directory of pages timed for pages per second.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use url::Url;

use crate::charset::{charset_from_content_type, decode_html_from};
use crate::extract::extract;
use crate::feed::fetch::{FetchOutcome, Fetcher, PAGE_ACCEPT, Validators};
use crate::session::{Options, SessionError, load_settings};

/// Prints the article of `source` (a path or an http(s) URL). `url` is the page's address when
/// `source` is a file.
pub async fn extract_page(options: &Options, source: &str, url: Option<&str>) -> Result<ExitCode, SessionError> {
    let is_remote = source.starts_with("http://") || source.starts_with("https://");
    // The page's address, given or (below) where the fetch ended, hints the charset detector.
    let given_url = url.and_then(|u| Url::parse(u).ok());
    let (html, page_url) = if is_remote {
        let (settings, _demo) = load_settings(options).await?;
        let fetched = Fetcher::new(&settings.poll)
            .map(|f| async move { f.fetch(source, &Validators::default(), PAGE_ACCEPT).await });
        let outcome = match fetched {
            Ok(fut) => fut.await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(FetchOutcome::Fetched(page)) => {
                let charset = page.content_type.as_deref().and_then(charset_from_content_type);
                let page_url = given_url.or_else(|| Url::parse(&page.final_url).ok());
                (decode_html_from(&page.body, charset, page_url.as_ref()), page_url)
            }
            Ok(FetchOutcome::NotModified { .. }) => {
                eprintln!("tidings: {source}: the server sent no page (not modified)");
                return Ok(ExitCode::FAILURE);
            }
            Err(e) => {
                eprintln!("tidings: {source}: {e}");
                return Ok(ExitCode::FAILURE);
            }
        }
    } else {
        match std::fs::read(source) {
            Ok(bytes) => (decode_html_from(&bytes, None, given_url.as_ref()), given_url),
            Err(e) => {
                eprintln!("tidings: cannot read {source}: {e}");
                return Ok(ExitCode::FAILURE);
            }
        }
    };
    let article = extract(&html, page_url.as_ref(), None);
    println!("{}", article.plain_text());
    Ok(ExitCode::SUCCESS)
}

/// Extracts every `input/<id>.html` into `output/<id>.txt`. The pages are read first; only the
/// extraction is timed, on this one thread.
pub fn extract_batch(input: &Path, output: &Path) -> ExitCode {
    match run_batch(input, output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tidings: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_batch(input: &Path, output: &Path) -> Result<(), String> {
    let urls = known_urls(input);
    let entries = std::fs::read_dir(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html" || x == "htm"))
        .collect();
    paths.sort();
    let mut pages = Vec::with_capacity(paths.len());
    for path in &paths {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let url = urls.get(&id).and_then(|u| Url::parse(u).ok());
        pages.push((id, decode_html_from(&bytes, None, url.as_ref()), url));
    }
    let started = Instant::now();
    let texts: Vec<String> =
        pages.iter().map(|(_, html, url)| extract(html, url.as_ref(), None).plain_text()).collect();
    let seconds = started.elapsed().as_secs_f64();
    std::fs::create_dir_all(output).map_err(|e| format!("cannot create {}: {e}", output.display()))?;
    for ((id, _, _), text) in pages.iter().zip(&texts) {
        let path = output.join(format!("{id}.txt"));
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let rate = if seconds > 0.0 { pages.len() as f64 / seconds } else { 0.0 };
    println!("{} pages in {seconds:.3} s: {rate:.1} pages/s", pages.len());
    let mut timing = output.as_os_str().to_owned();
    timing.push(".timing.json");
    let json = serde_json::json!({ "pages_per_s": rate, "total_s": seconds });
    std::fs::write(&timing, json.to_string()).map_err(|e| format!("cannot write {}: {e}", timing.display()))?;
    Ok(())
}

/// `IN_DIR/../ground-truth.json` gives the pages' URLs when it is there.
fn known_urls(input: &Path) -> HashMap<String, String> {
    let path = input.join("..").join("ground-truth.json");
    let Ok(text) = std::fs::read_to_string(path) else { return HashMap::new() };
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&text) else { return HashMap::new() };
    map.into_iter().filter_map(|(id, v)| v.get("url").and_then(|u| u.as_str()).map(|u| (id, u.to_string()))).collect()
}
