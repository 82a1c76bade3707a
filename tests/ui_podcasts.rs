//! Podcasts in the reader (issue 16): the article shows an item's enclosures, P plays one with
//! the configured player (the address as one argument, no shell), d queues its download (the
//! number asked for when there are several), and the download list shows what the download
//! task tells, its keys retrying and removing. Through the real loop, with frames on
//! TestBackend.

mod ui_support;

use tidings::download::events::{DownloadEvent, DownloadRequest};
use tidings::model::{DownloadId, DownloadRow, DownloadState};
use tidings::ui::app::{DownloadStatus, Mode};
use tidings::ui::browser::Browser;
use tidings::ui::update::{Effect, Msg};
use ui_support::podcast_fixture;

const EP12: &str = "https://cdn.harbour.example/episode-12.mp3";
const EP11_MP3: &str = "https://cdn.harbour.example/episode-11.mp3";
const EP11_OGG: &str = "https://cdn.harbour.example/$(touch%20pwned)%1B%5D0%3Bpwned%07episode-11.ogg";

macro_rules! frame {
    ($name:expr, $fixture:expr) => {
        insta::assert_snapshot!($name, $fixture.render().backend())
    };
}

fn plays(effects: &[Effect]) -> Vec<&str> {
    effects.iter().filter_map(|e| if let Effect::Play(url) = e { Some(url.as_str()) } else { None }).collect()
}

fn downloads(effects: &[Effect]) -> Vec<&DownloadRequest> {
    effects.iter().filter_map(|e| if let Effect::Download(r) = e { Some(r) } else { None }).collect()
}

fn row(id: i64, url: &str, title: &str, state: DownloadState) -> DownloadRow {
    DownloadRow {
        id: DownloadId(id),
        url: url.into(),
        item: None,
        title: title.into(),
        state,
        file_name: None,
        received: 0,
        total: None,
        error: None,
        validator: None,
    }
}

#[test]
fn p_plays_the_enclosure_and_d_queues_its_download() {
    let mut f = podcast_fixture(160, 48);
    assert_eq!(f.selected_title().as_deref(), Some("Episode 12: the ferry strike"));
    let id = f.app.headlines.selected_id().expect("selected");
    // From the headline list, without opening the item.
    let effects = f.keys(&["P"]);
    assert_eq!(plays(&effects), [EP12]);
    // The fixture's loop has no player: it says how to set one.
    assert!(f.app.status.message.as_deref().is_some_and(|m| m.starts_with("No player: set [ui] player")));
    let effects = f.keys(&["d"]);
    assert_eq!(
        downloads(&effects),
        [&DownloadRequest { url: EP12.into(), item: Some(id), title: "Episode 12: the ferry strike".into() }]
    );
    assert_eq!(f.app.status.message.as_deref(), Some("Queueing episode-12.mp3…"));
    // And from the open article.
    f.keys(&["enter"]);
    assert_eq!(plays(&f.keys(&["P"])), [EP12]);
}

#[test]
fn with_several_enclosures_the_number_picks_one() {
    let mut f = podcast_fixture(160, 48);
    f.keys(&["j"]);
    assert_eq!(f.selected_title().as_deref(), Some("Episode 11: two formats"));
    assert!(plays(&f.keys(&["P"])).is_empty());
    assert!(matches!(f.app.mode, Mode::PickEnclosure { play: true, .. }), "{:?}", f.app.mode);
    assert_eq!(f.app.status.message.as_deref(), Some("Play which enclosure? 1-2"));
    assert_eq!(plays(&f.keys(&["2"])), [EP11_OGG]);
    assert_eq!(f.app.mode, Mode::Normal);
    assert_eq!(downloads(&f.keys(&["d", "1"]))[0].url, EP11_MP3);
    assert!(downloads(&f.keys(&["d", "3"])).is_empty());
    assert_eq!(f.app.status.message.as_deref(), Some("No enclosure 3"));
    assert!(f.keys(&["d", "esc"]).is_empty(), "any other key cancels");
    assert_eq!(f.app.mode, Mode::Normal);
}

#[test]
fn an_item_without_an_enclosure_says_so() {
    let mut f = podcast_fixture(160, 48);
    f.keys(&["j", "j"]);
    assert_eq!(f.selected_title().as_deref(), Some("Port Ellery ferry strike strands thousands of commuters"));
    assert!(f.keys(&["P", "d"]).is_empty());
    assert_eq!(f.app.status.message.as_deref(), Some("This item has no enclosure"));
}

#[test]
fn the_player_gets_the_address_as_one_argument_without_a_shell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("argv");
    let mut f = podcast_fixture(160, 48);
    // A player that writes down how many arguments it got and each of them.
    let script = format!("echo \"$#\" > '{0}'; for a; do echo \"$a\" >> '{0}'; done", out.display());
    let words = vec!["sh".to_string(), "-c".to_string(), script, "sh".to_string()];
    f.reader.actions_mut().set_player(Some(Browser { words, in_terminal: true }));
    f.keys(&["j", "P", "2"]);
    assert_eq!(f.app.status.message.as_deref(), Some("Back from sh"));
    assert_eq!(std::fs::read_to_string(&out).expect("the player ran"), format!("1\n{EP11_OGG}\n"));
    assert!(!std::path::Path::new("pwned").exists() && !dir.path().join("pwned").exists(), "nothing ran the $(…)");
}

#[test]
fn the_download_list_follows_the_task_and_its_keys_retry_and_remove() {
    let mut f = podcast_fixture(160, 48);
    let failed = DownloadRow {
        error: Some("HTTP 503".into()),
        received: 1000,
        ..row(2, EP11_MP3, "Episode 11: two formats", DownloadState::Failed)
    };
    let done = DownloadRow {
        file_name: Some("episode-10.mp3".into()),
        ..row(3, "https://cdn.harbour.example/episode-10.mp3", "Episode 10", DownloadState::Done)
    };
    f.send(Msg::Download(DownloadEvent::Listed(vec![
        row(1, EP12, "Episode 12: the ferry strike", DownloadState::Queued),
        failed,
        done,
    ])));
    assert_eq!(f.app.downloads.len(), 3);
    f.send(Msg::Download(DownloadEvent::Progress { id: DownloadId(1), received: 24_106_500, total: Some(48_213_000) }));
    assert_eq!(f.app.downloads[0].status, DownloadStatus::Running);
    let status: String = format!("{}", f.render().backend());
    assert!(status.contains("Downloading 1 · 50%"), "{status}");
    f.keys(&["D"]);
    assert_eq!(f.app.mode, Mode::Downloads { selected: 0 });
    frame!("wide_download_list", f);
    assert!(f.keys(&["enter"]).is_empty(), "a running download is not retried");
    let effects = f.keys(&["j", "enter"]);
    assert_eq!(effects, [Effect::RetryDownload(DownloadId(2))]);
    assert_eq!(f.keys(&["x"]), [Effect::RemoveDownload(DownloadId(2))]);
    f.send(Msg::Download(DownloadEvent::Removed(DownloadId(2))));
    assert_eq!(f.app.downloads.iter().map(|d| d.id.0).collect::<Vec<_>>(), [1, 3]);
    f.keys(&["G"]);
    assert_eq!(f.app.mode, Mode::Downloads { selected: 1 });
    f.keys(&["esc"]);
    assert_eq!(f.app.mode, Mode::Normal);
    // What the task tells next shows in the status bar.
    f.send(Msg::Download(DownloadEvent::Done {
        id: DownloadId(1),
        file_name: "episode-12.mp3".into(),
        size: 48_213_000,
    }));
    assert_eq!(f.app.status.message.as_deref(), Some("Downloaded episode-12.mp3"));
    assert_eq!(f.app.downloads[0].status, DownloadStatus::Done("episode-12.mp3".into()));
    f.send(Msg::Download(DownloadEvent::Queued(row(4, EP11_OGG, "Episode 11: two formats", DownloadState::Queued))));
    assert_eq!(
        f.app.status.message.as_deref(),
        Some("Queued $(touch pwned)episode-11.ogg for download · D shows the list")
    );
    f.send(Msg::Download(DownloadEvent::Failed { id: DownloadId(4), error: "HTTP 404".into(), received: 0 }));
    assert_eq!(f.app.status.message.as_deref(), Some("Download of $(touch pwned)episode-11.ogg failed: HTTP 404"));
    f.send(Msg::Download(DownloadEvent::AlreadyListed(DownloadRow {
        file_name: Some("episode-12.mp3".into()),
        ..row(1, EP12, "x", DownloadState::Done)
    })));
    assert_eq!(f.app.status.message.as_deref(), Some("Already downloaded, as episode-12.mp3"));
}

#[test]
fn the_article_lists_its_enclosures() {
    let mut f = podcast_fixture(80, 24);
    f.keys(&["enter", "enter"]);
    assert_eq!(f.article_title().as_deref(), Some("Episode 12: the ferry strike"));
    frame!("narrow_episode_article", f);
    let mut f = podcast_fixture(160, 48);
    f.keys(&["j", "enter"]);
    assert_eq!(f.article_title().as_deref(), Some("Episode 11: two formats"));
    frame!("wide_episode_with_two_enclosures", f);
}
