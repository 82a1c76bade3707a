//! A `[[feed]]`'s own HTTP settings as users write them: headers, user and password (or
//! `password_env`, `password_command`), proxy, and `[poll] proxy`; each mistake refused with
//! the message the user sees, at its line and column.

use std::path::Path;

use tidings::config::{self, PasswordSource, Secret, Settings};

fn parse(text: &str) -> Settings {
    config::parse_settings(text, "t.toml", Path::new("/")).unwrap_or_else(|e| panic!("valid: {e}"))
}

fn error(text: &str) -> String {
    config::parse_settings(text, "t.toml", Path::new("/")).expect_err("refused").to_string()
}

fn feed(lines: &str) -> String {
    format!("[[feed]]\nurl = \"https://feeds.example/rss\"\n{lines}")
}

#[test]
fn headers_user_password_and_proxy_are_read() {
    let settings = parse(&feed(
        "headers = { \"X-Api-Key\" = \"k-123\", Cookie = \"s=1\" }\nuser = \"ann\"\npassword = \"hunter2\"\n\
         proxy = \"socks5h://127.0.0.1:9050\"\n",
    ));
    let http = &settings.feeds[0].http;
    let mut headers: Vec<(&str, &str)> = http.headers.iter().map(|(n, v)| (n.as_str(), v.expose())).collect();
    headers.sort();
    assert_eq!(headers, [("Cookie", "s=1"), ("X-Api-Key", "k-123")]);
    let auth = http.auth.as_ref().expect("basic auth");
    assert_eq!(auth.user, "ann");
    assert_eq!(auth.password, PasswordSource::Literal(Secret::new("hunter2")));
    assert_eq!(auth.password_at, "t.toml:5:12");
    assert_eq!(http.proxy.as_ref().map(|p| p.as_str()), Some("socks5h://127.0.0.1:9050"));
    assert_eq!(settings.poll.proxy, None);
}

#[test]
fn the_password_can_come_from_a_command_or_the_environment() {
    let settings = parse(&feed("user = \"ann\"\npassword_command = [\"pass\", \"show\", \"feeds/x\"]\n"));
    let auth = settings.feeds[0].http.auth.clone().expect("auth");
    assert_eq!(auth.password, PasswordSource::Command(vec!["pass".into(), "show".into(), "feeds/x".into()]));
    assert_eq!(auth.password_at, "t.toml:4:20");
    let settings = parse(&feed("user = \"ann\"\npassword_env = \"FEED_PW\"\n"));
    assert_eq!(settings.feeds[0].http.auth.clone().expect("auth").password, PasswordSource::Env("FEED_PW".into()));
}

#[test]
fn secrets_never_show_in_debug_output() {
    let settings = parse(&format!(
        "[poll]\nproxy = \"http://pu:proxypw@proxy.example:3128\"\n\n{}",
        feed("headers = { \"X-Api-Key\" = \"key-abc\" }\nuser = \"ann\"\npassword = \"hunter2\"\n")
    ));
    let shown = format!("{settings:?}");
    for secret in ["hunter2", "key-abc", "proxypw"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("Secret(***)") && shown.contains("http://pu:***@proxy.example:3128"), "{shown}");
}

#[test]
fn poll_proxy_is_every_feeds_default_and_none_opts_out() {
    let text = format!(
        "[poll]\nproxy = \"http://proxy.example:3128\"\n\n{}\n[[feed]]\nurl = \"https://b.example/\"\nproxy = \"none\"\n\n\
         [[feed]]\nurl = \"https://c.example/\"\nproxy = \"socks5://127.0.0.1:1080\"\n",
        feed("")
    );
    let settings = parse(&text);
    let proxies: Vec<Option<&str>> = settings.feeds.iter().map(|f| f.http.proxy.as_ref().map(|p| p.as_str())).collect();
    assert_eq!(proxies, [Some("http://proxy.example:3128"), None, Some("socks5://127.0.0.1:1080")]);
    assert_eq!(settings.poll.proxy.as_ref().map(|p| p.as_str()), Some("http://proxy.example:3128"));
    assert_eq!(parse("[poll]\nproxy = \"none\"\n").poll.proxy, None);
}

#[test]
fn connection_and_framing_headers_are_refused() {
    for (name, why) in [
        ("Host", "it names the server of each request"),
        ("Content-Length", "it frames the message"),
        ("transfer-encoding", "it frames the message"),
        ("Connection", "it belongs to the connection, not the request"),
        ("If-None-Match", "tidings sends the feed's ETag itself (conditional GET)"),
        ("Accept-Encoding", "tidings sets it to the compressions it decodes"),
    ] {
        assert_eq!(
            error(&feed(&format!("headers = {{ \"{name}\" = \"x\" }}\n"))),
            format!("t.toml:3:13: the header \"{name}\" cannot be set in the config: {why}")
        );
    }
    assert_eq!(
        error(&feed("headers = { \"Proxy-Authorization\" = \"Basic x\" }\n")),
        "t.toml:3:13: the header \"Proxy-Authorization\" cannot be set in the config: proxy credentials go in the \
         proxy's address, like proxy = \"http://user:pw@host:3128\""
    );
}

#[test]
fn header_names_and_values_are_checked() {
    assert_eq!(
        error(&feed("headers = { \"X Key\" = \"v\" }\n")),
        "t.toml:3:13: \"X Key\" is not a header name: use letters, digits and !#$%&'*+-.^_`|~"
    );
    assert_eq!(
        error(&feed("headers = { \"\" = \"v\" }\n")),
        "t.toml:3:13: \"\" is not a header name: use letters, digits and !#$%&'*+-.^_`|~"
    );
    // The value is not repeated in the message: it may be a key.
    assert_eq!(
        error(&feed("headers = { \"X-Key\" = \"a\\r\\nHost: evil\" }\n")),
        "t.toml:3:23: the value of header \"X-Key\" has a control character (a line break, tab or the like)"
    );
    assert_eq!(
        error(&feed("headers = { \"X-Key\" = \"a\", \"x-key\" = \"b\" }\n")),
        "t.toml:3:28: the header \"x-key\" is given twice (names ignore case)"
    );
    assert_eq!(
        error(&feed("headers = { Authorization = \"Bearer t\" }\nuser = \"ann\"\npassword = \"p\"\n")),
        "t.toml:3:13: give either `user` or an Authorization header, not both"
    );
    assert_eq!(
        error(&feed("headers = \"X-Key: v\"\n")),
        "t.toml:3:11: `headers` must be a table (found the string \"X-Key: v\")"
    );
    // An Authorization header alone is a header like any other.
    let settings = parse(&feed("headers = { Authorization = \"Bearer t\" }\n"));
    assert_eq!(settings.feeds[0].http.headers[0].0, "Authorization");
}

#[test]
fn user_and_password_go_together() {
    assert_eq!(
        error(&feed("user = \"ann\"\n")),
        "t.toml:3:8: `user` needs one of `password`, `password_env` or `password_command` beside it"
    );
    assert_eq!(error(&feed("password = \"p\"\n")), "t.toml:3:12: a password needs a `user` beside it in the [[feed]]");
    assert_eq!(
        error(&feed("password_command = [\"pass\", \"x\"]\n")),
        "t.toml:3:20: a password needs a `user` beside it in the [[feed]]"
    );
    assert_eq!(
        error(&feed("user = \"ann\"\npassword = \"p\"\npassword_command = [\"pass\"]\n")),
        "t.toml:5:20: give only one of `password`, `password_env` and `password_command` in [[feed]]"
    );
    assert_eq!(
        error(&feed("user = \"ann\"\npassword_command = []\n")),
        "t.toml:4:20: `password_command` must name a program, like password_command = [\"pass\", \"show\", \"feeds\"]"
    );
    assert_eq!(
        error(&feed("user = \"ann\"\npassword_command = \"pass show x\"\n")),
        "t.toml:4:20: `password_command` must be a list (found the string \"pass show x\")"
    );
    assert_eq!(error(&feed("user = \"\"\npassword = \"p\"\n")), "t.toml:3:8: the feed's `user` is empty");
    assert_eq!(
        error(&feed("user = \"a:b\"\npassword = \"p\"\n")),
        "t.toml:3:8: the feed's `user` cannot hold \":\" or control characters (Basic auth puts a \":\" after it)"
    );
    assert_eq!(
        error(&feed("user = \"ann\"\npassword = \"p\\nq\"\n")),
        "t.toml:4:12: the feed's `password` has a control character"
    );
    assert_eq!(
        error(&feed("user = \"ann\"\npassword_env = \"A=B\"\n")),
        "t.toml:4:16: `password_env` must name an environment variable, not \"A=B\""
    );
}

#[test]
fn proxy_mistakes_are_refused_at_their_place() {
    assert_eq!(
        error(&feed("proxy = \"ftp://proxy.example\"\n")),
        "t.toml:3:9: unsupported proxy scheme \"ftp\", expected http, https, socks5 or socks5h"
    );
    assert_eq!(
        error(&feed("proxy = \"proxy.example:3128\"\n")),
        "t.toml:3:9: unsupported proxy scheme \"proxy.example\", expected http, https, socks5 or socks5h"
    );
    assert_eq!(
        error(&feed("proxy = \"http://u:secret@\"\n")),
        "t.toml:3:9: invalid proxy \"***@\": empty host; expected an address like \"http://proxy.example:3128\" or \
         \"socks5://127.0.0.1:1080\", or \"none\""
    );
    assert_eq!(
        error("[poll]\nproxy = \"socks4://127.0.0.1:1080\"\n"),
        "t.toml:2:9: unsupported proxy scheme \"socks4\", expected http, https, socks5 or socks5h"
    );
}

#[test]
fn file_feeds_take_no_http_settings_and_errors_come_together() {
    assert_eq!(
        error("[[feed]]\nurl = \"/srv/feed.xml\"\nproxy = \"http://p.example:3128\"\n"),
        "t.toml:3:9: `headers`, `user` and `proxy` are for http(s) feeds, not files"
    );
    assert_eq!(
        error(&feed("headers = { Host = \"x\" }\nuser = \"ann\"\nproxy = \"gopher://x\"\n")),
        "3 errors:\nt.toml:3:13: the header \"Host\" cannot be set in the config: it names the server of each request\n\
         t.toml:4:8: `user` needs one of `password`, `password_env` or `password_command` beside it\n\
         t.toml:5:9: unsupported proxy scheme \"gopher\", expected http, https, socks5 or socks5h"
    );
}
