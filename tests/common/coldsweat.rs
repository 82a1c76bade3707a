//! A real Fever API server for the sync tests: coldsweat 0.10.2 from PyPI (Flask, SQLite), started
//! by `tests/servers/start-coldsweat.sh` (which installs it into a cached virtual environment on
//! first use), with a directory of feed files served beside it. coldsweat fetches feeds only when
//! told (`import -f`, `refresh`), so nothing changes behind a test's back.
//!
//! One instance serves every test of a binary ([`shared`]); each test makes a user of its own
//! ([`Coldsweat::new_user`]) with feeds of its own (coldsweat keeps one copy of a feed for all
//! its users, and one of each guid), so their subscriptions and flags never meet. It is stopped
//! when the test binary exits. A test that stops its server starts one of its own
//! ([`Coldsweat::start`]). When none can be started the tests skip saying why (see
//! `tidings::shared_data::started`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

use super::feed_files::FeedFiles;
use super::servers::{self, free_port};

pub const WHAT: &str = "a coldsweat (Fever API) server";

pub struct Coldsweat {
    pub data: PathBuf,
    pub port: u16,
    /// The Fever API's address, `http://127.0.0.1:PORT/fever/`.
    pub url: String,
    /// The feed files the server fetches.
    pub feeds: FeedFiles,
}

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers")
}

/// The instance every test of this binary shares, or `None` (after the skip line) when it
/// cannot be started.
pub fn shared() -> Option<&'static Coldsweat> {
    static SHARED: OnceLock<Result<Coldsweat, String>> = OnceLock::new();
    let outcome = SHARED.get_or_init(Coldsweat::start);
    tidings::shared_data::started(WHAT, outcome.as_ref().map_err(String::clone))
}

impl Coldsweat {
    /// Starts a private instance in a new directory under the temp dir.
    pub fn start() -> Result<Coldsweat, String> {
        let (port, feeds_port) = (free_port(), free_port());
        let data = std::env::temp_dir().join(format!("tidings-coldsweat-{}-{port}", std::process::id()));
        Self::start_in(&data, port, feeds_port)
    }

    /// Starts a stopped instance again, on its ports and with its database.
    pub fn restart(stopped: &Coldsweat) -> Result<Coldsweat, String> {
        let feeds_port = stopped.feeds.url.trim_end_matches('/').rsplit(':').next().and_then(|p| p.parse().ok());
        Self::start_in(&stopped.data, stopped.port, feeds_port.unwrap_or(0))
    }

    fn start_in(data: &Path, port: u16, feeds_port: u16) -> Result<Coldsweat, String> {
        let feeds_dir = data.join("feeds");
        std::fs::create_dir_all(&feeds_dir).map_err(|e| format!("cannot make {}: {e}", feeds_dir.display()))?;
        let feeds_port_text = PathBuf::from(feeds_port.to_string());
        let env = [("COLDSWEAT_FEEDS_DIR", feeds_dir.as_path()), ("COLDSWEAT_FEEDS_PORT", feeds_port_text.as_path())];
        let (start, stop) = (scripts().join("start-coldsweat.sh"), scripts().join("stop-coldsweat.sh"));
        servers::run_start(&start, &stop, port, data, &env)?;
        Ok(Coldsweat {
            data: data.to_path_buf(),
            port,
            url: format!("http://127.0.0.1:{port}/fever/"),
            feeds: FeedFiles { dir: feeds_dir, url: format!("http://127.0.0.1:{feeds_port}/") },
        })
    }

    /// Stops this instance (its data stays until exit).
    pub fn stop(&self) {
        servers::run_stop(&scripts().join("stop-coldsweat.sh"), &self.data);
    }

    /// One of coldsweat's commands on this instance's database; panics when it fails.
    fn flask(&self, args: &[&str]) -> String {
        let output = Command::new(scripts().join("coldsweat-flask.sh"))
            .arg(&self.data)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run coldsweat-flask.sh");
        let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "flask {args:?} failed: {stderr}{stdout}");
        format!("{stdout}{stderr}")
    }

    /// A new user; returns (email, password).
    pub fn new_user(&self, name: &str) -> (String, String) {
        let email = format!("{name}-{}@example.org", free_port());
        let password = format!("pw-{email}");
        let said = self.flask(&["setup", &email, "-p", &password]);
        assert!(said.contains("Setup completed"), "{said}");
        (email, password)
    }

    /// Subscribes `email` to the feeds at these addresses, each in a group if given (an OPML
    /// import), and fetches them now.
    pub fn subscribe(&self, email: &str, feeds: &[(&str, Option<&str>)]) {
        let mut outlines = String::new();
        for (url, group) in feeds {
            let feed = format!("<outline type=\"rss\" xmlUrl=\"{url}\"/>");
            match group {
                Some(group) => {
                    outlines.push_str(&format!("<outline text=\"{group}\" title=\"{group}\">{feed}</outline>\n"))
                }
                None => outlines.push_str(&format!("{feed}\n")),
            }
        }
        let opml = format!(
            "<?xml version=\"1.0\"?>\n<opml version=\"1.0\"><head><title>t</title></head><body>\n{outlines}</body></opml>\n"
        );
        let file = self.data.join(format!("{email}.opml"));
        std::fs::write(&file, opml).expect("write the OPML");
        self.flask(&["import", file.to_str().expect("path"), email, "-f"]);
    }

    /// Fetches these feeds now.
    pub fn refresh(&self, urls: &[&str]) {
        let mut args = vec!["refresh"];
        args.extend(urls);
        self.flask(&args);
    }

    /// Writes a feed file; returns its URL as the server fetches it.
    pub fn write_feed(&self, name: &str, xml: &str) -> String {
        self.feeds.write(name, xml)
    }
}

/// A session of the Fever API, as another device would have: to check what tidings sent and to
/// make changes "elsewhere".
pub struct Fever {
    addr: String,
    api_key: String,
}

impl Fever {
    pub fn new(url: &str, email: &str, password: &str) -> Fever {
        let addr = url.trim_start_matches("http://").split('/').next().expect("host:port").to_string();
        let api_key = tidings::sync::fever::api_key(email, password);
        let fever = Fever { addr, api_key };
        fever.call("", &[]);
        fever
    }

    /// `POST /fever/?api&{what}` with the key and `form`; panics unless `auth` is 1.
    pub fn call(&self, what: &str, form: &[(&str, &str)]) -> Value {
        let mut body = format!("api_key={}", self.api_key);
        for (name, value) in form {
            body.push_str(&format!("&{name}={value}"));
        }
        let target = if what.is_empty() { "/fever/?api".to_string() } else { format!("/fever/?api&{what}") };
        let (status, text) =
            super::loopback_post::post(&self.addr, &target, "application/x-www-form-urlencoded", body.as_bytes());
        assert_eq!(status, 200, "{what} {form:?}: {text}");
        let answer: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
        assert_eq!(answer["auth"], 1, "{what}: {answer}");
        answer
    }

    /// The ids of `unread_item_ids` or `saved_item_ids`.
    pub fn ids(&self, name: &str) -> HashSet<i64> {
        let answer = self.call(name, &[]);
        answer[name]
            .as_str()
            .expect("a list")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().expect("id"))
            .collect()
    }

    /// (read, saved) of each of `ids`, from the unread and saved lists.
    pub fn flags(&self, ids: impl IntoIterator<Item = i64>) -> HashMap<i64, (bool, bool)> {
        let (unread, saved) = (self.ids("unread_item_ids"), self.ids("saved_item_ids"));
        ids.into_iter().map(|id| (id, (!unread.contains(&id), saved.contains(&id)))).collect()
    }

    /// How many items the server has for this user.
    pub fn total_items(&self) -> i64 {
        self.call("items&since_id=0", &[])["total_items"].as_i64().expect("total_items")
    }

    /// Marks an item `as` read, unread, saved or unsaved.
    pub fn mark(&self, id: i64, status: &str) {
        self.call("", &[("mark", "item"), ("as", status), ("id", &id.to_string())]);
    }

    /// Marks every item of the feed at `url` read.
    pub fn mark_feed_read(&self, url: &str) {
        let feeds = self.call("feeds", &[]);
        let feed = feeds["feeds"].as_array().expect("feeds").iter().find(|f| f["url"] == url).expect("the feed");
        let (id, now) = (feed["id"].to_string(), tidings::feed::poller::now_secs().to_string());
        self.call("", &[("mark", "feed"), ("as", "read"), ("id", &id), ("before", &now)]);
    }
}
