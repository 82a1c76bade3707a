//! Config files as users write them: the valid ones give the settings they say, and each invalid
//! one is refused with the exact message the user sees (`PATH:LINE:COL: message`).

mod common;

use std::path::Path;
use std::time::Duration;

use common::fixture;
use tidings::config::{self, ConfigError, FullText};
use url::Url;

/// Loads `tests/fixtures/config/<name>` and returns the error's Display; panics if it loads.
fn error_of(name: &str) -> String {
    let path = fixture(&format!("config/{name}"));
    match config::load_file(&path) {
        Ok(settings) => panic!("{name} should be refused, but loaded {} feeds", settings.feeds.len()),
        Err(e @ ConfigError::Invalid { .. }) => e.to_string(),
        Err(other) => panic!("{name}: expected an Invalid error, got {other:?}"),
    }
}

/// The expected message for the fixture `name`: its path as shown, then `rest`.
fn expected(name: &str, rest: &str) -> String {
    format!("{}:{rest}", fixture(&format!("config/{name}")).display())
}

/// The file URL of `tests/fixtures/config/<relative>`.
fn file_url_in_fixture_dir(relative: &str) -> String {
    Url::from_file_path(fixture(&format!("config/{relative}"))).expect("absolute fixture path").to_string()
}

#[test]
fn full_config_gives_every_value_it_sets() {
    let settings = config::load_file(&fixture("config/valid_full.toml")).expect("valid_full.toml is valid");
    assert_eq!(settings.origin, fixture("config/valid_full.toml").display().to_string());

    let poll = &settings.poll;
    assert_eq!(poll.interval, Duration::from_secs(45 * 60));
    assert_eq!(poll.concurrency, 4);
    assert_eq!(poll.per_host, 1);
    assert_eq!(poll.connect_timeout, Duration::from_secs(5));
    assert_eq!(poll.timeout, Duration::from_secs(90));
    assert_eq!(poll.max_size, 2 * 1024 * 1024);
    assert_eq!(poll.user_agent, "tidings-test/1.0");

    assert_eq!(settings.cache.path.as_deref(), Some(Path::new("/tmp/tidings-test-cache.db")));
    assert_eq!(settings.cache.keep_read, Duration::from_secs(14 * 86_400));

    let urls: Vec<&str> = settings.feeds.iter().map(|f| f.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://example.com/news.xml",
            "http://example.org/atom",
            file_url_in_fixture_dir("feeds/x.xml").as_str(),
            "file:///var/lib/feeds/generated.xml",
        ]
    );
    let first = &settings.feeds[0];
    assert_eq!(first.name.as_deref(), Some("Example News"));
    assert_eq!(first.tags, ["world", "daily"]);
    assert_eq!(first.interval, Some(Duration::from_secs(7200)));
    assert_eq!(first.full_text, FullText::Always);
    assert!(first.enabled);

    let second = &settings.feeds[1];
    assert_eq!(second.name, None);
    assert!(second.tags.is_empty());
    assert_eq!(second.interval, None);
    assert_eq!(second.full_text, FullText::Never);
    assert!(!second.enabled);

    assert_eq!(settings.feeds[2].name.as_deref(), Some("Local"));
    assert_eq!(settings.feeds[3].full_text, FullText::Auto);

    // Names are found case-insensitively, URLs exactly.
    assert_eq!(settings.feed_by_name("example news").map(|f| f.url.as_str()), Some("https://example.com/news.xml"));
    assert_eq!(settings.feed_by_name("http://example.org/atom").map(|f| f.enabled), Some(false));
    assert!(settings.feed_by_name("nothing").is_none());
}

#[test]
fn minimal_config_gets_the_documented_defaults() {
    let settings = config::load_file(&fixture("config/valid_minimal.toml")).expect("valid_minimal.toml is valid");
    assert_eq!(settings.poll.interval, Duration::from_secs(30 * 60));
    assert_eq!(settings.poll.concurrency, 8);
    assert_eq!(settings.poll.per_host, 2);
    assert_eq!(settings.poll.connect_timeout, Duration::from_secs(10));
    assert_eq!(settings.poll.timeout, Duration::from_secs(30));
    assert_eq!(settings.poll.max_size, 10 * 1024 * 1024);
    assert!(settings.poll.user_agent.starts_with("tidings/"), "{}", settings.poll.user_agent);
    assert_eq!(settings.cache.path, None);
    assert_eq!(settings.cache.keep_read, Duration::from_secs(30 * 86_400));
    assert_eq!(settings.feeds.len(), 1);
    let feed = &settings.feeds[0];
    assert_eq!(feed.url, "https://example.com/feed");
    assert_eq!((feed.name.as_deref(), feed.interval, feed.full_text, feed.enabled), (None, None, FullText::Auto, true));
}

#[test]
fn unknown_key_names_the_key_and_the_known_ones() {
    assert_eq!(
        error_of("unknown_key.toml"),
        expected(
            "unknown_key.toml",
            "3:1: unknown field `concurency`, expected one of `interval`, `concurrency`, `per_host`, \
             `connect_timeout`, `timeout`, `max_size`, `user_agent`, `proxy`"
        )
    );
}

#[test]
fn unknown_feed_key_is_refused() {
    assert_eq!(
        error_of("unknown_feed_key.toml"),
        expected(
            "unknown_feed_key.toml",
            "3:1: unknown field `title`, expected one of `url`, `name`, `tags`, `interval`, `full_text`, `enabled`, \
             `headers`, `user`, `password`, `password_env`, `password_command`, `proxy`"
        )
    );
}

#[test]
fn unknown_table_is_refused() {
    // The list of known tables grows as features land (the interface adds its own): check the
    // location, the key and the tables this file relies on.
    let message = error_of("unknown_table.toml");
    let prefix =
        expected("unknown_table.toml", "1:2: unknown field `pol`, expected one of `poll`, `full_text`, `cache`, ");
    assert!(message.starts_with(&prefix), "{message}");
    for table in ["`feed`", "`query`", "`ignore`"] {
        assert!(message.contains(table), "{message}");
    }
}

#[test]
fn wrong_type_says_what_was_expected() {
    assert_eq!(
        error_of("wrong_type.toml"),
        expected(
            "wrong_type.toml",
            "3:8: `tags` must be a list of strings, like tags = [\"news\"] (found the string \"world\")"
        )
    );
    assert_eq!(
        error_of("wrong_type_bool.toml"),
        expected(
            "wrong_type_bool.toml",
            "3:11: `enabled` must be true or false, like enabled = true (found the string \"yes\")"
        )
    );
}

#[test]
fn feed_written_as_a_single_table_is_refused() {
    assert_eq!(
        error_of("feed_not_array.toml"),
        expected("feed_not_array.toml", "1:1: `feed` must be a list (found a table; write each one as [[feed]])")
    );
}

#[test]
fn missing_url_points_at_the_feed_table() {
    assert_eq!(error_of("missing_url.toml"), expected("missing_url.toml", "4:1: missing field `url`"));
}

#[test]
fn bad_url_points_at_the_url_value() {
    assert_eq!(
        error_of("bad_url.toml"),
        expected(
            "bad_url.toml",
            "5:7: invalid feed url \"example.com/feed.xml\": relative URL without a base; expected an http(s) or \
             file URL, or a path starting with /, ./, ../ or ~/"
        )
    );
}

#[test]
fn empty_url_is_refused() {
    assert_eq!(
        error_of("empty_url.toml"),
        expected("empty_url.toml", "2:7: empty feed url, expected an http(s) or file URL, or a path")
    );
}

#[test]
fn unsupported_scheme_is_refused() {
    assert_eq!(
        error_of("bad_scheme.toml"),
        expected(
            "bad_scheme.toml",
            "2:7: unsupported scheme \"ftp\" in feed url \"ftp://example.com/feed.xml\", expected http, https or file"
        )
    );
}

#[test]
fn duplicate_feed_is_found_in_canonical_form() {
    // The host differs in case only: the same feed.
    assert_eq!(
        error_of("duplicate_feed.toml"),
        expected("duplicate_feed.toml", "6:7: duplicate feed \"https://example.com/feed\", already listed on line 2")
    );
}

#[test]
fn duplicate_path_is_found_after_resolving_it() {
    // "./feeds/a.xml" and "./feeds/../feeds/a.xml" are the same file; the second entry (an
    // absolute file URL elsewhere) is not a duplicate.
    let url = file_url_in_fixture_dir("feeds/a.xml");
    assert_eq!(
        error_of("duplicate_path.toml"),
        expected("duplicate_path.toml", &format!("8:7: duplicate feed \"{url}\", already listed on line 2"))
    );
}

#[test]
fn bad_duration_names_the_value_and_the_format() {
    assert_eq!(
        error_of("bad_duration.toml"),
        expected(
            "bad_duration.toml",
            "2:12: invalid duration \"5 fortnights\", expected a duration such as \"90s\", \"30m\", \"2h\" or \"1d\""
        )
    );
}

#[test]
fn zero_duration_is_refused() {
    assert_eq!(
        error_of("zero_duration.toml"),
        expected(
            "zero_duration.toml",
            "3:12: invalid duration \"0s\", expected a duration such as \"90s\", \"30m\", \"2h\" or \"1d\""
        )
    );
}

#[test]
fn bad_size_is_refused() {
    assert_eq!(
        error_of("bad_size.toml"),
        expected(
            "bad_size.toml",
            "2:12: invalid size \"ten megabytes\", expected a size such as \"512 KiB\" or \"10 MiB\""
        )
    );
}

#[test]
fn bad_full_text_lists_the_choices() {
    assert_eq!(
        error_of("bad_full_text.toml"),
        expected("bad_full_text.toml", "3:13: unknown variant `sometimes`, expected one of `auto`, `always`, `never`")
    );
}

#[test]
fn zero_and_negative_counts_are_refused() {
    assert_eq!(
        error_of("zero_concurrency.toml"),
        expected("zero_concurrency.toml", "2:15: invalid value 0, expected a whole number of at least 1")
    );
    assert_eq!(
        error_of("negative_per_host.toml"),
        expected("negative_per_host.toml", "2:12: invalid value -2, expected a whole number of at least 1")
    );
}

#[test]
fn syntax_error_points_at_the_broken_string() {
    assert_eq!(
        error_of("syntax_error.toml"),
        expected("syntax_error.toml", "2:16: invalid basic string, expected `\"`")
    );
}

#[test]
fn missing_file_names_the_path() {
    let path = fixture("config/does_not_exist.toml");
    let error = config::load_file(&path).expect_err("a missing file is an error");
    assert!(matches!(error, ConfigError::Read { .. }), "{error:?}");
    assert_eq!(error.to_string(), format!("cannot read {}: No such file or directory (os error 2)", path.display()));
}

#[test]
fn embedded_default_is_the_example_file_and_valid() {
    let example = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml"))
        .expect("config.example.toml exists");
    assert_eq!(config::DEFAULT_CONFIG, example);
    let settings = config::parse_default().expect("the embedded default is valid");
    assert_eq!(settings.origin, config::DEFAULT_ORIGIN);
    assert!(settings.feeds.len() >= 4, "the default should list a handful of feeds");
    for feed in &settings.feeds {
        assert!(feed.url.starts_with("https://"), "default feed {} should be https", feed.url);
        assert!(feed.name.is_some(), "default feed {} should be named", feed.url);
        assert!(feed.enabled);
    }
}

#[test]
fn relative_paths_resolve_against_the_config_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path().join("conf");
    let text = "[[feed]]\nurl = \"./feeds/x.xml\"\n\n[[feed]]\nurl = \"../shared/y.xml\"\n\n\
                [[feed]]\nurl = \"/srv/z.xml\"\n";
    let settings = config::parse_settings(text, "test", &base).expect("valid");
    let urls: Vec<&str> = settings.feeds.iter().map(|f| f.url.as_str()).collect();
    let x = Url::from_file_path(base.join("feeds").join("x.xml")).expect("absolute");
    let y = Url::from_file_path(dir.path().join("shared").join("y.xml")).expect("absolute");
    assert_eq!(urls, [x.as_str(), y.as_str(), "file:///srv/z.xml"]);
    // A relative path found in a file resolves against that file's directory.
    let settings = config::load_file(&fixture("config/valid_full.toml")).expect("valid");
    assert_eq!(settings.feeds[2].url, file_url_in_fixture_dir("feeds/x.xml"));
}

#[test]
fn errors_in_inline_text_name_the_origin() {
    let text = "[poll]\ntimeout = 30\n";
    let error = config::parse_settings(text, "my config", Path::new("/")).expect_err("an integer is not a duration");
    assert_eq!(
        error.to_string(),
        "my config:2:11: `timeout` must be a duration such as \"90s\", \"30m\", \"2h\" or \"1d\", like \
         timeout = \"30s\" (found the number 30)"
    );
}

#[test]
fn size_without_unit_is_refused() {
    assert_eq!(
        error_of("size_without_unit.toml"),
        expected(
            "size_without_unit.toml",
            "2:12: size \"10\" has no unit, expected a size with a unit such as \"10 MB\", \"512 KiB\" or \
             \"10 MiB\" (B, KB, KiB, MB, MiB, GB, GiB)"
        )
    );
    let error = config::parse_settings("[poll]\nmax_size = 4096\n", "inline", Path::new("/"))
        .expect_err("a bare integer size has no unit");
    assert_eq!(
        error.to_string(),
        "inline:2:12: size 4096 has no unit, expected a size with a unit such as \"10 MB\", \"512 KiB\" or \
         \"10 MiB\" (B, KB, KiB, MB, MiB, GB, GiB)"
    );
    let settings = config::parse_settings("[poll]\nmax_size = \"4096 B\"\n", "inline", Path::new("/"))
        .expect("bytes written with their unit");
    assert_eq!(settings.poll.max_size, 4096);
}

#[test]
fn wrong_types_of_common_fields_get_the_expected_shape() {
    let cases = [
        (
            "[keys]\ndown = 3\n",
            "inline:2:8: `down` must be a key or a list of keys, like down = [\"j\", \"down\"] (found the number 3)",
        ),
        (
            "[full_text]\nconcurrency = \"4\"\n",
            "inline:2:15: `concurrency` must be a whole number of at least 1 (found the string \"4\")",
        ),
        (
            "[ui]\nunread_only = 1\n",
            "inline:2:15: `unread_only` must be true or false, like unread_only = true (found the number 1)",
        ),
        ("[ui]\nbrowser = false\n", "inline:2:11: `browser` must be a string in quotes (found false)"),
    ];
    for (text, message) in cases {
        let error = config::parse_settings(text, "inline", Path::new("/")).expect_err(text);
        assert_eq!(error.to_string(), message, "{text}");
    }
}

#[test]
fn colours_are_names_hex_strings_or_numbers() {
    use ratatui::style::Color;
    let text = "[theme]\naccent = 33\nunread = \"200\"\nread = \"#102030\"\nstar = \"yellow\"\nlink = 0\n";
    let theme = config::parse_settings(text, "inline", Path::new("/")).expect("valid colours").ui.theme;
    assert_eq!(
        (theme.accent, theme.unread, theme.read, theme.star, theme.link),
        (Color::Indexed(33), Color::Indexed(200), Color::Rgb(0x10, 0x20, 0x30), Color::Yellow, Color::Indexed(0))
    );
    let error = config::parse_settings("[theme]\naccent = 256\n", "inline", Path::new("/")).expect_err("out of range");
    assert_eq!(error.to_string(), "inline:2:10: colour number 256 is out of range, expected 0-255");
    let error = config::parse_settings("[theme]\ndim = true\n", "inline", Path::new("/")).expect_err("a boolean");
    assert_eq!(
        error.to_string(),
        "inline:2:7: `dim` must be a colour: a name, \"#rrggbb\" or a number 0-255, like dim = \"cyan\" (found true)"
    );
}

#[test]
fn duplicate_feed_name_is_a_warning_with_both_places() {
    let settings = config::load_file(&fixture("config/duplicate_name.toml")).expect("a repeated name is no error");
    assert_eq!(settings.feeds.len(), 3);
    assert_eq!(
        settings.warnings,
        [expected(
            "duplicate_name.toml",
            "7:8: warning: feed name \"news\" is also the name of the feed on line 3, column 8; --feed news picks \
             that one"
        )]
    );
    let settings = config::load_file(&fixture("config/valid_full.toml")).expect("valid");
    assert!(settings.warnings.is_empty(), "{:?}", settings.warnings);
}

#[test]
fn every_validation_error_is_reported_in_one_run() {
    let path = fixture("config/several_errors.toml");
    let error = config::load_file(&path).expect_err("four errors");
    let ConfigError::Several(errors) = &error else { panic!("expected Several, got {error:?}") };
    assert_eq!(errors.len(), 4);
    let shown = path.display();
    assert_eq!(
        error.to_string(),
        format!(
            "4 errors:\n\
             {shown}:2:10: unknown colour \"chartreuse\", expected a name (red, lightblue, darkgray, ...), \
             \"#rrggbb\" or 0-255\n\
             {shown}:5:1: unknown action \"jump\" in [keys]\n\
             {shown}:8:7: unsupported scheme \"ftp\" in feed url \"ftp://example.com/feed.xml\", expected http, \
             https or file\n\
             {shown}:14:7: duplicate feed \"https://example.com/a\", already listed on line 11"
        )
    );
}

/// The action `text` (a key as the config writes it) is bound to in `settings`.
fn bound(settings: &config::Settings, text: &str) -> Option<tidings::keys::Action> {
    settings.ui.keymap.action(&tidings::keys::parse_key(text).expect("valid key"))
}

#[test]
fn keys_preset_newsboat_gives_newsboats_keys_with_the_users_on_top() {
    use tidings::keys::Action;
    let settings = config::load_file(&fixture("config/keys_newsboat.toml")).expect("keys_newsboat.toml is valid");
    // From the preset: newsboat's keys where they differ from tidings'.
    assert_eq!(bound(&settings, "p"), Some(Action::PrevUnread));
    assert_eq!(bound(&settings, "l"), Some(Action::ToggleUnreadOnly));
    assert_eq!(bound(&settings, "u"), None);
    assert_eq!(bound(&settings, "n"), Some(Action::NextUnread));
    assert_eq!(bound(&settings, "J"), Some(Action::NextArticle));
    assert_eq!(bound(&settings, "enter"), Some(Action::Open));
    // The user's entries override the preset: toggle_star has only ctrl-e, toggle_read N and m.
    assert_eq!(bound(&settings, "ctrl-e"), Some(Action::ToggleStar));
    assert_eq!(bound(&settings, "s"), None);
    assert_eq!(bound(&settings, "N"), Some(Action::ToggleRead));
    assert_eq!(bound(&settings, "m"), Some(Action::ToggleRead));
}

#[test]
fn keys_preset_defaults_to_tidings() {
    use tidings::keys::Action;
    let settings =
        config::parse_settings("[keys]\npreset = \"tidings\"\n", "inline", Path::new("/")).expect("a known preset");
    assert_eq!(settings.ui.keymap, tidings::keys::Keymap::default());
    let settings = config::parse_settings("", "inline", Path::new("/")).expect("empty config");
    assert_eq!(bound(&settings, "N"), Some(Action::PrevUnread));
    assert_eq!(bound(&settings, "m"), Some(Action::ToggleRead));
}

#[test]
fn unknown_keys_preset_is_refused_at_its_value_with_the_known_ones() {
    assert_eq!(
        error_of("bad_preset.toml"),
        expected(
            "bad_preset.toml",
            "3:10: unknown keymap preset \"vim\" in [keys], expected one of \"tidings\", \"newsboat\""
        )
    );
    let error = config::parse_settings("[keys]\npreset = [\"newsboat\"]\n", "inline", Path::new("/"))
        .expect_err("a list is not a preset");
    assert_eq!(
        error.to_string(),
        "inline:2:10: `preset` must be one name, like preset = \"newsboat\" (known: \"tidings\", \"newsboat\")"
    );
}

#[test]
fn sync_is_read_with_its_password_source() {
    use tidings::config::{PasswordSource, SyncBackendKind};
    let settings = config::load_file(&fixture("config/sync_valid.toml")).expect("sync_valid.toml is valid");
    let sync = settings.sync.expect("[sync] is read");
    assert_eq!(sync.backend, SyncBackendKind::TtRss);
    assert_eq!((sync.url.as_str(), sync.user.as_str()), ("https://rss.example.org/tt-rss/", "ann"));
    assert_eq!(sync.password, PasswordSource::Command(vec!["pass".into(), "show".into(), "feeds/tt-rss".into()]));
    assert_eq!(sync.password_at, expected("sync_valid.toml", "5:20"));
    assert!(config::load_file(&fixture("config/valid_full.toml")).expect("valid").sync.is_none());
}

#[test]
fn a_fever_server_is_a_sync_backend() {
    use tidings::config::{PasswordSource, SyncBackendKind};
    let text = "[sync]\nbackend = \"fever\"\nurl = \"https://rss.example.org/fever/\"\nuser = \"ann@example.org\"\n\
                password_env = \"FEVER_PASSWORD\"\n";
    let settings = config::parse_settings(text, "t.toml", Path::new("/")).expect("valid");
    let sync = settings.sync.expect("[sync] is read");
    assert_eq!((sync.backend, sync.backend.title()), (SyncBackendKind::Fever, "the Fever API"));
    assert_eq!(sync.password, PasswordSource::Env("FEVER_PASSWORD".into()));
    assert_eq!(sync.account(), "fever https://rss.example.org/fever ann@example.org");
    let wrong = text.replace("\"fever\"", "\"Fever API\"");
    let error = config::parse_settings(&wrong, "t.toml", Path::new("/")).expect_err("refused").to_string();
    assert_eq!(error, "t.toml:2:11: unknown sync backend \"Fever API\", expected \"ttrss\" or \"fever\"");
}

#[test]
fn sync_mistakes_are_refused_at_their_place() {
    assert_eq!(
        error_of("sync_bad_backend.toml"),
        expected("sync_bad_backend.toml", "2:11: unknown sync backend \"miniflux\", expected \"ttrss\" or \"fever\"")
    );
    assert_eq!(
        error_of("sync_two_passwords.toml"),
        expected(
            "sync_two_passwords.toml",
            "6:16: give only one of `password`, `password_env` and `password_command` in [sync]"
        )
    );
    assert_eq!(
        error_of("sync_no_password.toml"),
        expected("sync_no_password.toml", "1:1: [sync] needs one of `password`, `password_env` or `password_command`")
    );
}

#[test]
fn several_sync_mistakes_are_reported_together() {
    let path = fixture("config/sync_bad_url_and_command.toml");
    let error = config::load_file(&path).expect_err("refused").to_string();
    let file = path.display();
    assert_eq!(
        error,
        format!(
            "2 errors:\n{file}:3:7: the sync url must be an http(s) address, not \"ftp:\"\n{file}:5:20: \
             `password_command` must name a program, like password_command = [\"pass\", \"show\", \"feeds\"]"
        )
    );
}

#[test]
fn the_password_never_shows_in_debug_output() {
    let text = "[sync]\nbackend = \"ttrss\"\nurl = \"https://h.example/\"\nuser = \"u\"\npassword = \"hunter2\"\n";
    let settings = config::parse_settings(text, "t.toml", Path::new("/")).expect("valid");
    let shown = format!("{settings:?}");
    assert!(!shown.contains("hunter2") && shown.contains("Secret(***)"), "{shown}");
}

#[test]
fn the_sync_interval_has_a_default_and_a_floor() {
    let base = "[sync]\nbackend = \"ttrss\"\nurl = \"https://h.example/\"\nuser = \"u\"\npassword_env = \"P\"\n";
    let settings = config::parse_settings(base, "t.toml", Path::new("/")).expect("valid");
    assert_eq!(settings.sync.expect("sync").interval, Duration::from_secs(15 * 60));
    let fast = format!("{base}interval = \"10s\"\n");
    let error = config::parse_settings(&fast, "t.toml", Path::new("/")).expect_err("too often").to_string();
    assert_eq!(error, "t.toml:6:12: the sync interval must be at least \"1m\"");
}

#[test]
fn downloads_and_the_player_have_defaults_and_take_what_is_written() {
    let settings = config::parse_settings("", "inline", Path::new("/etc/tidings")).expect("empty config");
    assert_eq!(settings.downloads, config::DownloadSettings { dir: None, max_size: 2 << 30, concurrency: 2 });
    assert_eq!((settings.ui.player.clone(), settings.ui.terminal_player), (None, true));
    let text = "[ui]\nplayer = [\"mpv\", \"--no-video\"]\nterminal_player = false\n\n\
                [downloads]\ndir = \"podcasts\"\nmax_size = \"500 MiB\"\nconcurrency = 3\n";
    let settings = config::parse_settings(text, "inline", Path::new("/etc/tidings")).expect("valid");
    assert_eq!(settings.ui.player, Some(vec!["mpv".to_string(), "--no-video".to_string()]));
    assert!(!settings.ui.terminal_player);
    assert_eq!(
        settings.downloads,
        config::DownloadSettings {
            dir: Some(Path::new("/etc/tidings/podcasts").to_path_buf()),
            max_size: 500 << 20,
            concurrency: 3
        }
    );
    let absolute =
        config::parse_settings("[downloads]\ndir = \"/srv/pods\"\n", "inline", Path::new("/etc")).expect("valid");
    assert_eq!(absolute.downloads.dir, Some(Path::new("/srv/pods").to_path_buf()));
}

#[test]
fn player_mistakes_are_refused_at_their_place() {
    let error = |text: &str| config::parse_settings(text, "inline", Path::new("/")).expect_err("refused").to_string();
    assert_eq!(
        error("[ui]\nplayer = \"mpv --no-video\"\n"),
        "inline:2:10: `player` must be a list (found the string \"mpv --no-video\")"
    );
    assert_eq!(
        error("[ui]\nplayer = []\n"),
        "inline:2:10: `player` needs the program first, like player = [\"mpv\", \"--no-video\"]"
    );
    assert_eq!(
        error("[downloads]\nconcurrency = 0\n"),
        "inline:2:15: invalid value 0, expected a whole number of at least 1"
    );
    assert!(error("[downloads]\nfolder = \"x\"\n").contains("unknown field `folder`"));
}

#[test]
fn notify_is_off_unless_asked_and_its_mistakes_are_refused_at_their_place() {
    let parse = |text: &str| config::parse_settings(text, "inline", Path::new("/"));
    assert_eq!(parse("").expect("empty").notify, config::NotifyMethod::Off);
    assert_eq!(parse("[notify]\nmethod = \"osc9\"\n").expect("valid").notify, config::NotifyMethod::Osc9);
    assert_eq!(parse("[notify]\nmethod = \"osc777\"\n").expect("valid").notify, config::NotifyMethod::Osc777);
    let command = parse("[notify]\nmethod = \"command\"\ncommand = [\"notify-send\", \"-a\", \"tidings\"]\n");
    assert_eq!(
        command.expect("valid").notify,
        config::NotifyMethod::Command(vec!["notify-send".into(), "-a".into(), "tidings".into()])
    );
    let error = |text: &str| parse(text).expect_err("refused").to_string();
    assert_eq!(
        error("[notify]\nmethod = \"command\"\n"),
        "inline:2:10: method = \"command\" needs `command`, like command = [\"notify-send\", \"-a\", \"tidings\"]"
    );
    assert_eq!(
        error("[notify]\nmethod = \"osc9\"\ncommand = [\"x\"]\n"),
        "inline:3:11: `command` is only used with method = \"command\""
    );
    assert_eq!(
        error("[notify]\nmethod = \"command\"\ncommand = [\"\"]\n"),
        "inline:3:11: `command` needs the program first, like command = [\"notify-send\", \"-a\", \"tidings\"]"
    );
    assert!(
        error("[notify]\nmethod = \"popup\"\n").contains("unknown variant `popup`"),
        "{}",
        error("[notify]\nmethod = \"popup\"\n")
    );
}
