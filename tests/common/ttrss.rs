//! A real Tiny Tiny RSS for the sync tests, through `../shared/tools/sync-servers/start-ttrss.sh`
//! (which installs it from Debian's packages on first use): PostgreSQL, PHP's built-in server and
//! a directory of feed files served beside it. Its update daemon is off: a test updates the
//! feeds it subscribed to itself (`updateFeed`), so nothing changes behind its back.
//!
//! One instance serves every test of a binary ([`shared`]); each test makes a user of its own
//! ([`TtRss::new_user`]), so their subscriptions and flags never meet. It is stopped when the
//! test binary exits. A test that stops its server starts one of its own ([`TtRss::start`]).
//! When none can be started the tests skip saying why (see `tidings::shared_data::started`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::{Value, json};

use super::feed_files::FeedFiles;
use super::servers::{self, fact, free_port};

pub const WHAT: &str = "a Tiny Tiny RSS server";

pub struct TtRss {
    pub data: PathBuf,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    pub port: u16,
    /// The feed files the server fetches.
    pub feeds: FeedFiles,
    pg_socket: String,
    pg_port: String,
}

/// Where the start and stop scripts are.
fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/sync-servers")
}

/// The instance every test of this binary shares, or `None` (after the skip line) when it
/// cannot be started.
pub fn shared() -> Option<&'static TtRss> {
    static SHARED: OnceLock<Result<TtRss, String>> = OnceLock::new();
    let outcome = SHARED.get_or_init(TtRss::start);
    tidings::shared_data::started(WHAT, outcome.as_ref().map_err(String::clone))
}

impl TtRss {
    /// Starts a private instance in a new directory under the temp dir.
    pub fn start() -> Result<TtRss, String> {
        let (port, feeds_port) = (free_port(), free_port());
        let data = std::env::temp_dir().join(format!("tidings-ttrss-{}-{port}", std::process::id()));
        Self::start_in(&data, port, feeds_port)
    }

    /// Starts a stopped instance again, on its ports and with its database.
    pub fn restart(stopped: &TtRss) -> Result<TtRss, String> {
        let feeds_port = stopped.feeds.url.trim_end_matches('/').rsplit(':').next().and_then(|p| p.parse().ok());
        Self::start_in(&stopped.data, stopped.port, feeds_port.unwrap_or(0))
    }

    fn start_in(data: &Path, port: u16, feeds_port: u16) -> Result<TtRss, String> {
        let feeds_dir = data.join("feeds");
        std::fs::create_dir_all(&feeds_dir).map_err(|e| format!("cannot make {}: {e}", feeds_dir.display()))?;
        let feeds_port_text = PathBuf::from(feeds_port.to_string());
        let env = [
            ("TTRSS_UPDATER", Path::new("none")),
            ("TTRSS_FEEDS_DIR", feeds_dir.as_path()),
            ("TTRSS_FEEDS_PORT", feeds_port_text.as_path()),
        ];
        let (start, stop) = (scripts().join("start-ttrss.sh"), scripts().join("stop-ttrss.sh"));
        servers::run_start(&start, &stop, port, data, &env)?;
        let env = std::fs::read_to_string(data.join("ttrss.env")).map_err(|e| format!("no ttrss.env: {e}"))?;
        Ok(TtRss {
            url: format!("http://127.0.0.1:{port}/"),
            port,
            feeds: FeedFiles { dir: feeds_dir, url: format!("http://127.0.0.1:{feeds_port}/") },
            pg_socket: fact(&env, "TTRSS_PG_SOCKET_DIR"),
            pg_port: fact(&env, "TTRSS_PG_PORT"),
            data: data.to_path_buf(),
        })
    }

    /// Stops this instance (its data stays until exit).
    pub fn stop(&self) {
        servers::run_stop(&scripts().join("stop-ttrss.sh"), &self.data);
    }

    /// A new user with API access; returns (user, password).
    pub fn new_user(&self, name: &str) -> (String, String) {
        let user = format!("{name}-{}", free_port());
        let password = format!("pw-{user}");
        let salt = format!("{:x}", free_port() as u64 * 7919 + 17);
        let sql = "INSERT INTO ttrss_users (login, pwd_hash, salt, access_level, created, last_login) \
             VALUES (:'login', 'MODE2:' || encode(sha256(convert_to(:'salt' || :'pw', 'UTF8')), 'hex'), :'salt', 0, \
             NOW(), NOW());\n\
             INSERT INTO ttrss_user_prefs (owner_uid, pref_name, profile, value) \
             SELECT id, 'ENABLE_API_ACCESS', NULL, 'true' FROM ttrss_users WHERE login = :'login';\n";
        self.psql(sql, &[("login", &user), ("pw", &password), ("salt", &salt)]);
        (user, password)
    }

    /// A category of `user`'s (the API cannot make one); returns its id.
    pub fn new_category(&self, user: &str, title: &str) -> i64 {
        let sql = "INSERT INTO ttrss_feed_categories (owner_uid, title) \
                   SELECT id, :'title' FROM ttrss_users WHERE login = :'login' RETURNING id;\n";
        let output = self.psql(sql, &[("login", user), ("title", title)]);
        output.trim().parse().unwrap_or_else(|_| panic!("no category id from psql: {output}"))
    }

    /// Runs `sql` with psql on the server's database, with `vars` set; returns what it printed.
    fn psql(&self, sql: &str, vars: &[(&str, &str)]) -> String {
        use std::io::Write;
        let mut command = Command::new("/usr/lib/postgresql/15/bin/psql");
        command.args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", &self.pg_socket, "-p", &self.pg_port]);
        command.args(["-U", "ttrss", "-d", "ttrss"]);
        for (name, value) in vars {
            command.arg("-v").arg(format!("{name}={value}"));
        }
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("run psql");
        child.stdin.take().expect("stdin").write_all(sql.as_bytes()).expect("write sql");
        let output = child.wait_with_output().expect("psql");
        assert!(output.status.success(), "psql failed on {sql}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Writes a feed file; returns its URL as the server fetches it.
    pub fn write_feed(&self, name: &str, xml: &str) -> String {
        self.feeds.write(name, xml)
    }
}

/// A session of the JSON API, as another device would have: to check what tidings sent and to
/// make changes "elsewhere".
pub struct Api {
    addr: String,
    sid: String,
}

impl Api {
    pub fn login(url: &str, user: &str, password: &str) -> Api {
        let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        let mut api = Api { addr, sid: String::new() };
        let answer = api.raw(&json!({"op": "login", "user": user, "password": password}));
        api.sid = answer["content"]["session_id"].as_str().expect("login gives a session").to_string();
        api
    }

    /// One call; panics unless the server says status 0.
    pub fn call(&self, op: &str, mut body: Value) -> Value {
        body["op"] = json!(op);
        body["sid"] = json!(self.sid);
        let answer = self.raw(&body);
        assert_eq!(answer["status"], json!(0), "{op} failed: {answer}");
        answer["content"].clone()
    }

    fn raw(&self, body: &Value) -> Value {
        let body = serde_json::to_vec(body).expect("json");
        let (_, json_text) = super::loopback_post::post(&self.addr, "/api/", "application/json", &body);
        serde_json::from_str(&json_text).unwrap_or_else(|e| panic!("not JSON ({e}): {json_text}"))
    }

    /// Subscribes to `url` and fetches it now; returns the feed id.
    pub fn subscribe(&self, url: &str) -> i64 {
        self.subscribe_in(url, 0)
    }

    /// Subscribes to `url` in category `category` (0: none) and fetches it now.
    pub fn subscribe_in(&self, url: &str, category: i64) -> i64 {
        let answer = self.call("subscribeToFeed", json!({"feed_url": url, "category_id": category}));
        let id = answer["status"]["feed_id"].as_i64().unwrap_or_else(|| panic!("subscribing failed: {answer}"));
        self.update(id);
        id
    }

    /// Fetches feed `id` now.
    pub fn update(&self, id: i64) {
        self.call("updateFeed", json!({"feed_id": id}));
    }

    /// Every headline of feed `feed_id` (-4: all) as (id, unread, starred), paged.
    pub fn headlines(&self, feed_id: i64) -> Vec<(i64, bool, bool)> {
        let mut out = Vec::new();
        loop {
            let page = self.call("getHeadlines", json!({"feed_id": feed_id, "limit": 200, "skip": out.len()}));
            let page = page.as_array().expect("a list").clone();
            out.extend(page.iter().map(|h| {
                (h["id"].as_i64().expect("id"), h["unread"].as_bool().expect("unread"), h["marked"] == json!(true))
            }));
            if page.len() < 200 {
                return out;
            }
        }
    }

    /// Sets a flag on the server: field 2 unread, 0 starred.
    pub fn update_article(&self, ids: &[i64], field: i64, mode: i64) {
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        self.call("updateArticle", json!({"article_ids": list, "field": field, "mode": mode}));
    }
}
