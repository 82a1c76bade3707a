//! Feed files for the sync tests' servers to fetch: generated RSS, written into the directory a
//! start script serves on loopback.

use std::path::PathBuf;
use std::time::Duration;

/// A directory of feed files and the address it is served at (`http://127.0.0.1:PORT/`).
#[derive(Debug, Clone)]
pub struct FeedFiles {
    pub dir: PathBuf,
    pub url: String,
}

impl FeedFiles {
    /// Writes a feed file; returns its URL as the server fetches it.
    /// A rewrite gets a later modification time than the last (the file server sends it as
    /// Last-Modified, in whole seconds, and a server may ask with If-Modified-Since).
    pub fn write(&self, name: &str, xml: &str) -> String {
        let path = self.dir.join(name);
        let before = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        std::fs::write(&path, xml).expect("write feed");
        if let Some(before) = before {
            let later = before + Duration::from_secs(2);
            let file = std::fs::File::options().write(true).open(&path).expect("open feed");
            if file.metadata().and_then(|m| m.modified()).is_ok_and(|now| now < later) {
                file.set_modified(later).expect("set the modification time");
            }
        }
        format!("{}{name}", self.url)
    }
}

/// RSS with `count` items numbered from `first`, guids `<prefix>-<n>`.
pub fn numbered_feed(title: &str, prefix: &str, first: usize, count: usize) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>http://127.0.0.1/{prefix}/</link><description>generated</description>\n"
    );
    for n in first..first + count {
        out.push_str(&format!(
            "<item><title>{title} item {n}</title><link>http://127.0.0.1/{prefix}/{n}</link>\
             <guid isPermaLink=\"false\">{prefix}-{n}</guid><description>&lt;p&gt;Text of {prefix} item {n}, \
             about the harbour ferry.&lt;/p&gt;</description><pubDate>{}</pubDate></item>\n",
            date_of(n)
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

/// Distinct dates, newer for higher numbers.
fn date_of(n: usize) -> String {
    let t = chrono::DateTime::from_timestamp(1_767_000_000 + n as i64 * 60, 0).expect("date");
    t.to_rfc2822()
}
