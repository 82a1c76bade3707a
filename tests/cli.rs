//! The real binary, as a user runs it: every path it touches is inside a temp dir (`--config`,
//! `--cache`, and the XDG directories), and the only server it talks to is started by the test.

mod common;

use std::path::Path;

use common::home::{Home, path_str};
use common::http_server::{Reply, TestServer};
use common::{fixture, rss};

#[test]
fn check_config_accepts_a_valid_file() {
    let home = Home::new();
    let config = fixture("config/valid_full.toml");
    let run = home.run(&["check-config", "--config", path_str(&config)]);
    run.assert_ok();
    assert_eq!(run.stdout, format!("{}: valid, 4 feeds (3 enabled)\n", config.display()));
    assert_eq!(run.stderr, "");
}

#[test]
fn check_config_rejects_an_invalid_file_with_the_located_message() {
    let home = Home::new();
    let config = fixture("config/bad_scheme.toml");
    let run = home.run(&["--config", path_str(&config), "check-config"]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "tidings: {}:2:7: unsupported scheme \"ftp\" in feed url \"ftp://example.com/feed.xml\", expected \
             http, https or file\n",
            config.display()
        )
    );
}

#[test]
fn check_config_prints_warnings_and_still_accepts_the_file() {
    let home = Home::new();
    let config = fixture("config/duplicate_name.toml");
    let run = home.run(&["check-config", "--config", path_str(&config)]);
    run.assert_ok();
    assert_eq!(run.stdout, format!("{}: valid, 3 feeds (3 enabled)\n", config.display()));
    assert_eq!(
        run.stderr,
        format!(
            "tidings: {}:7:8: warning: feed name \"news\" is also the name of the feed on line 3, column 8; \
             --feed news picks that one\n",
            config.display()
        )
    );
}

#[test]
fn check_config_reports_a_missing_file() {
    let home = Home::new();
    let missing = home.path("nowhere.toml");
    let run = home.run(&["check-config", "--config", path_str(&missing)]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(
        run.stderr,
        format!("tidings: cannot read {}: No such file or directory (os error 2)\n", missing.display())
    );
}

#[test]
fn without_a_config_file_the_built_in_default_is_used() {
    let home = Home::new();
    let run = home.run(&["check-config"]);
    run.assert_ok();
    assert!(run.stdout.starts_with("built-in default config: valid, "), "{run:#?}");
    // The user's config file, when there is one, wins.
    let config_dir = home.path("config/tidings");
    std::fs::create_dir_all(&config_dir).expect("mkdir");
    std::fs::write(config_dir.join("config.toml"), "[[feed]]\nurl = \"https://example.com/a\"\n").expect("write");
    let run = home.run(&["check-config"]);
    run.assert_ok();
    assert_eq!(run.stdout, format!("{}: valid, 1 feeds (1 enabled)\n", config_dir.join("config.toml").display()));
    // Nothing else was written to the home.
    assert!(!home.path("data").exists(), "check-config must not create the cache");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_prints_a_line_per_feed_and_a_total_and_feeds_shows_counts() {
    let server = TestServer::start().await;
    let good = rss("Good Feed", &[(Some("1"), "First story", "one"), (Some("2"), "Second story", "two")]);
    server.route("/good", Reply::ok(good).header("ETag", "\"g1\""));
    server.route("/broken", Reply::status(404));
    let home = Home::new();
    let config = home.path("tidings.toml");
    let cache = home.path("db/cache.db");
    std::fs::write(
        &config,
        format!(
            "[[feed]]\nurl = \"{}\"\nname = \"Good\"\n\n[[feed]]\nurl = \"{}\"\nname = \"Broken\"\n",
            server.url("/good"),
            server.url("/broken")
        ),
    )
    .expect("write config");
    let args = |extra: &[&'static str]| {
        let mut args = vec!["--config", path_str(&config), "--cache", path_str(&cache)];
        args.extend_from_slice(extra);
        args.into_iter().map(str::to_string).collect::<Vec<String>>()
    };
    let run_with = |extra: &[&'static str]| {
        let owned = args(extra);
        let home = &home;
        async move {
            let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
            home.run_async(&refs).await
        }
    };

    let run = run_with(&["poll"]).await;
    run.assert_ok();
    // A line per feed as it finishes (in whatever order they finish), then the total.
    let mut lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.pop(), Some("2 feeds polled: 2 new items, 0 updated, 0 not modified, 1 failed"), "{run:#?}");
    lines.sort_unstable();
    assert_eq!(lines, ["Broken: failed: HTTP 404 Not Found", "Good: 2 new"], "{run:#?}");
    assert_eq!(run.stderr, "", "logs go to the log file, not the terminal");
    assert!(cache.exists(), "the cache is where --cache says");
    let log = home.path("state/tidings/tidings.log");
    assert!(log.exists(), "the log file is under $XDG_STATE_HOME/tidings");

    // Nothing is due again so soon.
    let run = run_with(&["poll"]).await;
    run.assert_ok();
    assert!(run.stdout.starts_with("No feed is due (next in "), "{run:#?}");
    assert_eq!(run.stdout.lines().count(), 1, "{run:#?}");

    // --feed polls one feed whatever its schedule; the ETag comes back.
    server.route("/good", Reply::status(304));
    let run = run_with(&["poll", "--feed", "good"]).await;
    run.assert_ok();
    assert_eq!(run.stdout, "Good: not modified\n1 feeds polled: 0 new items, 0 updated, 1 not modified, 0 failed\n");
    assert_eq!(server.last_request_to("/good").header("if-none-match"), Some("\"g1\""));
    let run = run_with(&["poll", "--feed", "nothing"]).await;
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stderr, format!("tidings: no feed named \"nothing\" in {}\n", config.display()));

    // --all ignores the schedule.
    let run = run_with(&["poll", "--all"]).await;
    run.assert_ok();
    assert!(run.stdout.ends_with("2 feeds polled: 0 new items, 0 updated, 1 not modified, 1 failed\n"), "{run:#?}");

    let run = run_with(&["feeds"]).await;
    run.assert_ok();
    let lines: Vec<Vec<&str>> = run.stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(lines.len(), 3, "{run:#?}");
    assert_eq!(lines[0], ["FEED", "ITEMS", "UNREAD", "LAST", "OK", "STATUS"]);
    assert_eq!(lines[1][..4], ["Good", "2", "2", "now"], "{run:#?}");
    assert_eq!(lines[1][4..], ["ok"]);
    assert_eq!(lines[2][..4], ["Broken", "0", "0", "never"], "{run:#?}");
    assert_eq!(lines[2][4..].join(" "), "error: HTTP 404 Not Found");

    // For cron: --quiet prints only the failures; the exit status says when every feed failed.
    let run = run_with(&["poll", "--all", "--quiet"]).await;
    run.assert_ok();
    assert_eq!(run.stdout, "Broken: failed: HTTP 404 Not Found\n", "{run:#?}");
    server.route("/good", Reply::status(503));
    let run = run_with(&["poll", "--all", "-q"]).await;
    assert_eq!(run.code, Some(1), "{run:#?}");
    let mut lines: Vec<&str> = run.stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(lines, ["Broken: failed: HTTP 404 Not Found", "Good: failed: HTTP 503 Service Unavailable"]);
    assert_eq!(run.stderr, "tidings: every feed polled failed (2)\n");
}

#[test]
fn import_opml_twice_then_export() {
    let home = Home::new();
    let config = home.path("conf/tidings.toml");
    let opml = fixture("opml/nested.opml");
    let import = || home.run(&["import-opml", path_str(&opml), "--config", path_str(&config)]);

    let run = import();
    run.assert_ok();
    assert_eq!(run.stdout, format!("7 feeds added to {} (0 already there)\n", config.display()));
    let first = std::fs::read_to_string(&config).expect("the config file was created");
    assert!(first.starts_with("# tidings configuration"), "{first}");

    let run = import();
    run.assert_ok();
    assert_eq!(run.stdout, format!("0 feeds added to {} (7 already there)\n", config.display()));
    assert_eq!(std::fs::read_to_string(&config).expect("config"), first, "a second import changes nothing");

    let run = home.run(&["check-config", "--config", path_str(&config)]);
    assert_eq!(run.stdout, format!("{}: valid, 7 feeds (7 enabled)\n", config.display()));

    let run = home.run(&["export-opml", "--config", path_str(&config)]);
    run.assert_ok();
    let exported = tidings::opml::parse_opml(&run.stdout).expect("the export is OPML");
    let mut imported = tidings::opml::parse_opml(&std::fs::read_to_string(&opml).expect("fixture")).expect("parses");
    let mut exported_sorted = exported.clone();
    imported.sort_by(|a, b| a.url.cmp(&b.url));
    exported_sorted.sort_by(|a, b| a.url.cmp(&b.url));
    assert_eq!(exported_sorted, imported);
}

#[test]
fn import_opml_refuses_a_file_that_is_not_opml() {
    let home = Home::new();
    let config = home.path("tidings.toml");
    let not_opml = fixture("feeds/small.xml");
    let run = home.run(&["import-opml", path_str(&not_opml), "--config", path_str(&config)]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(run.stderr, format!("tidings: {}: not an OPML document (no <opml> root)\n", not_opml.display()));
    assert!(!config.exists());
}

#[test]
fn completions_are_printed() {
    let home = Home::new();
    let run = home.run(&["completions", "bash"]);
    run.assert_ok();
    assert!(run.stdout.contains("tidings"), "{run:#?}");
    assert!(run.stdout.contains("import-opml") && run.stdout.contains("--cache"), "{run:#?}");
    let run = home.run(&["completions", "nushell-9000"]);
    assert_eq!(run.code, Some(2), "clap refuses an unknown shell");
}

#[test]
fn the_offline_demo_polls_through_the_real_poller() {
    let demo_config = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/config.toml");
    if !demo_config.exists() {
        println!("skipped: assets/demo/config.toml not found");
        return;
    }
    let home = Home::new();
    let run = home.run(&["--demo", "poll", "--all"]);
    run.assert_ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    let full_text = lines.last().copied().expect("a full-text line");
    // Two demo feeds carry summaries: their pages are fetched from the demo server and extracted,
    // after every feed is stored.
    assert_eq!(full_text, "Full text: 18 articles from their pages, 0 without one", "{run:#?}");
    assert_eq!(lines[lines.len() - 2], "Full text: fetching 18 pages (for at most 1m)", "{run:#?}");
    let total = lines[lines.len() - 3];
    let words: Vec<&str> = total.split_whitespace().collect();
    assert_eq!(words.get(1..3), Some(&["feeds", "polled:"][..]), "{run:#?}");
    let feeds: usize = words[0].parse().expect("feed count");
    let new_items: usize = words[3].parse().expect("item count");
    assert!(feeds >= 4, "{run:#?}");
    assert!(new_items >= 40, "{run:#?}");
    assert!(total.ends_with(", 0 failed"), "{run:#?}");
    assert_eq!(lines.len(), feeds + 3, "a line per feed, the total and the full text: {run:#?}");
    assert!(!home.path("data").exists(), "the demo uses a throw-away cache");
}

#[test]
fn related_ranks_and_groups_a_file_of_articles() {
    let home = Home::new();
    let input = home.path("articles.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "a1", "title": "Ferry crews strike in Calais", "body": "P&O crossings from Calais to Dover cancelled; crews want 6%.", "date": null, "source": "one"}"#,
            "\n",
            r#"{"id": 2, "title": "Calais ferry strike cancels Dover crossings", "body": "P&O crews at Calais walked out over a 6% rise.", "date": "2024-03-01", "source": null}"#,
            "\n\n",
            r#"{"id": "c3", "title": "Lemon tart recipe", "body": "Pastry, lemons, eggs, sugar and cream."}"#,
            "\n",
        ),
    )
    .unwrap();
    let run = home.run(&[
        "related",
        "--input",
        "articles.jsonl",
        "--output",
        "ranked.jsonl",
        "--k",
        "5",
        "--clusters",
        "groups.jsonl",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("indexed 3 articles"), "{}", run.stderr);
    let lines = |name: &str| -> Vec<serde_json::Value> {
        std::fs::read_to_string(home.path(name)).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let ranked = lines("ranked.jsonl");
    assert_eq!(ranked.len(), 3);
    // Ids come back as given: strings stay strings, numbers numbers.
    assert_eq!(ranked[0]["query"], "a1");
    assert_eq!(ranked[0]["ranked"][0], 2);
    assert_eq!(ranked[1]["ranked"][0], "a1");
    let groups = lines("groups.jsonl");
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[0]["cluster"], groups[1]["cluster"]);
    assert_ne!(groups[0]["cluster"], groups[2]["cluster"]);

    std::fs::write(&input, "{\"id\": 1, \"title\": \"ok\"}\n{\"id\": 2, \"title\": \n").unwrap();
    let run = home.run(&["related", "--input", "articles.jsonl", "--output", "ranked.jsonl"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("articles.jsonl: line 2: bad JSON"), "{}", run.stderr);
    let run = home.run(&["related", "--input", "missing.jsonl", "--output", "ranked.jsonl"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("missing.jsonl"), "{}", run.stderr);
}

/// `tidings keys` prints the keys after the config's preset and `[keys]`; with `--markdown` the
/// table the README holds; without a config file, the default keys (the README's table).
#[test]
fn keys_prints_the_keymap_the_config_makes() {
    let home = Home::new();
    let config = home.path("keys.toml");
    std::fs::write(&config, "[keys]\npreset = \"newsboat\"\ndown = [\"ctrl-n\", \"j\"]\n").expect("write");
    let run = home.run(&["--config", path_str(&config), "keys"]);
    run.assert_ok();
    let line = |name: &str| run.stdout.lines().find(|l| l.split_whitespace().any(|w| w == name)).map(str::to_string);
    assert!(line("down").is_some_and(|l| l.starts_with("j, ctrl-n") || l.starts_with("ctrl-n, j")), "{run:#?}");
    assert!(line("prev_unread").is_some_and(|l| l.starts_with("p ")), "the preset's key: {run:#?}");
    let run = home.run(&["keys", "--markdown"]);
    run.assert_ok();
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let start = readme.find("-->\n| keys |").map(|at| at + 4).expect("the README's generated key table");
    let end = readme[start..].find("<!-- end of keys -->").expect("its end") + start;
    assert_eq!(&readme[start..end], run.stdout, "the README's key table is not `tidings keys --markdown`'s: update it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_prints_the_cached_headlines_for_scripts_with_the_query_language() {
    let server = TestServer::start().await;
    let harbour = rss(
        "Harbour",
        &[(Some("1"), "Ferry strike called", "Unions walk out"), (Some("2"), "Flood warning", "Sandbags")],
    );
    let world = rss("World", &[(Some("3"), "Election \u{1b}[31mresults\tin", "Votes counted")]);
    server.route("/harbour", Reply::ok(harbour));
    server.route("/world", Reply::ok(world));
    let home = Home::new();
    let config = home.path("tidings.toml");
    let cache = home.path("cache.db");
    std::fs::write(
        &config,
        format!(
            "[[feed]]\nurl = \"{}\"\nname = \"Harbour News\"\ntags = [\"local\"]\n\n[[feed]]\nurl = \"{}\"\nname = \"World Wire\"\n",
            server.url("/harbour"),
            server.url("/world")
        ),
    )
    .expect("write config");
    let run = |extra: &[&str]| {
        let mut args: Vec<String> =
            ["--config", path_str(&config), "--cache", path_str(&cache)].map(String::from).to_vec();
        args.extend(extra.iter().map(|s| s.to_string()));
        let home = &home;
        async move {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            home.run_async(&refs).await
        }
    };
    run(&["poll"]).await.assert_ok();

    let all = run(&["list"]).await;
    all.assert_ok();
    let lines: Vec<Vec<&str>> = all.stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 3, "{all:#?}");
    assert!(lines.iter().all(|l| l.len() == 5 && l[1] == "N-"), "date, flags, feed, title, link: {all:#?}");
    let election = lines.iter().find(|l| l[2] == "World Wire").expect("the world item");
    assert_eq!(election[3], "Election results in", "escapes are gone, a tab is a space");

    let local = run(&["list", "--filter", "tag:local ferry"]).await;
    local.assert_ok();
    assert_eq!(local.stdout.lines().count(), 1, "{local:#?}");
    assert!(local.stdout.contains("\tHarbour News\tFerry strike called\t"), "{local:#?}");

    let json = run(&["list", "--json", "-f", "feed:wire or title:flood"]).await;
    json.assert_ok();
    let objects: Vec<serde_json::Value> =
        json.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON object per line")).collect();
    let mut titles: Vec<&str> = objects.iter().map(|o| o["title"].as_str().expect("title")).collect();
    titles.sort_unstable();
    assert_eq!(titles, ["Election results in", "Flood warning"]);
    assert!(objects.iter().all(|o| o["read"] == false && o["starred"] == false && o["published"].is_i64()));

    let none = run(&["list", "--filter", "nothing"]).await;
    assert_eq!((none.code, none.stdout.as_str()), (Some(0), ""), "nothing found is no error");

    let bad = run(&["list", "--filter", "ferry and"]).await;
    assert_eq!(bad.code, Some(2), "{bad:#?}");
    assert!(bad.stderr.contains("column 10"), "{bad:#?}");

    let one = run(&["list", "-n", "1"]).await;
    assert_eq!(one.stdout.lines().count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_finds_a_sites_feeds_and_subscribes_to_the_one_picked() {
    let server = TestServer::start().await;
    server.route("/news.xml", Reply::ok(rss("Harbour News", &[(Some("1"), "Ferry", "x")])));
    server.route("/notes.atom", Reply::ok(rss("Harbour Notes", &[(Some("2"), "Tide", "y")])));
    let page = "<html><head><title>Harbour</title>\
        <link rel=\"alternate\" type=\"application/rss+xml\" title=\"News\" href=\"/news.xml\">\
        <link rel=\"alternate\" type=\"application/atom+xml\" title=\"Notes\" href=\"notes.atom\">\
        </head><body>Hello</body></html>";
    server.route("/", Reply::ok(page).header("Content-Type", "text/html; charset=utf-8"));
    server.route("/plain/", Reply::ok("<html><body>No links here</body></html>").header("Content-Type", "text/html"));
    server.route("/feed.xml", Reply::ok(rss("Found At The Usual Place", &[(Some("3"), "Z", "z")])));
    server.route("/empty/", Reply::ok("<p>nothing</p>"));
    let home = Home::new();
    let config = home.path("conf/tidings.toml");
    std::fs::create_dir_all(home.path("conf")).expect("conf dir");
    std::fs::write(&config, "# my feeds, by hand\n[ui]\nunread_only = true\n").expect("config");
    let run = |extra: Vec<String>, input: Option<&'static str>| {
        let mut args: Vec<String> = vec!["--config".into(), path_str(&config).into()];
        args.extend(extra);
        let home = &home;
        async move {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            home.run_async_typing(&refs, input).await
        }
    };
    let add = |url: String, more: &[&str]| {
        let mut args = vec!["add".to_string(), url];
        args.extend(more.iter().map(|s| s.to_string()));
        args
    };

    // A page with two feeds: asked which, on the terminal.
    let asked = run(add(server.url("/"), &["--tag", "local"]), Some("2\n")).await;
    asked.assert_ok();
    assert!(asked.stdout.contains("2 feeds found:\n  1. News "), "{asked:#?}");
    assert!(asked.stdout.contains("Added Harbour Notes ("), "the feed's own title: {asked:#?}");
    let text = std::fs::read_to_string(&config).expect("config");
    assert!(text.starts_with("# my feeds, by hand\n[ui]\nunread_only = true\n"), "comments kept: {text}");
    assert!(text.contains(&format!("url = \"{}\"", server.url("/notes.atom"))), "{text}");
    assert!(text.contains("name = \"Harbour Notes\"\ntags = [\"local\"]"), "{text}");

    // Nothing typed: the list, and a way to say which.
    let unanswered = run(add(server.url("/"), &[]), None).await;
    assert_eq!(unanswered.code, Some(1), "{unanswered:#?}");
    assert!(unanswered.stderr.contains("say which with --pick N"), "{unanswered:#?}");
    let picked = run(add(server.url("/"), &["--pick", "1", "--name", "Harbour"]), None).await;
    picked.assert_ok();
    assert!(picked.stdout.starts_with("Added Harbour ("), "{picked:#?}");
    let again = run(add(server.url("/news.xml"), &[]), None).await;
    again.assert_ok();
    assert!(again.stdout.contains("already"), "{again:#?}");

    // No links: the usual paths; nothing anywhere: said so, nothing written.
    let usual = run(add(server.url("/plain/"), &[]), None).await;
    usual.assert_ok();
    assert!(usual.stdout.contains("Added Found At The Usual Place"), "{usual:#?}");
    server.route("/feed.xml", Reply::status(404));
    let before = std::fs::read_to_string(&config).expect("config");
    let none = run(add(server.url("/empty/"), &[]), None).await;
    assert_eq!(none.code, Some(1));
    assert!(none.stderr.contains("no feed found"), "{none:#?}");
    assert_eq!(std::fs::read_to_string(&config).expect("config"), before);
    let scheme = run(add("file:///etc/passwd".into(), &[]), None).await;
    assert_eq!(scheme.code, Some(1));
    assert!(scheme.stderr.contains("only http and https"), "{scheme:#?}");

    // import-opml takes an address too.
    let opml =
        "<opml version=\"2.0\"><body><outline text=\"Remote\" xmlUrl=\"http://remote.example/rss\"/></body></opml>";
    server.route("/list.opml", Reply::ok(opml));
    let imported = run(vec!["import-opml".into(), server.url("/list.opml")], None).await;
    imported.assert_ok();
    assert!(imported.stdout.starts_with("1 feeds added"), "{imported:#?}");
}
