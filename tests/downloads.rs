//! Downloads against a local HTTP server started by each test: a whole file, a resume after the
//! connection was cut (with Range and If-Range), a server that ignores Range or whose file
//! changed (the file comes again from the start), the size cap, hostile file names (never
//! outside the folder, never over a file), and the download task running the list, across a
//! restart.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::http_server::{Reply, TestServer, guard};
use tidings::download::events::{DownloadEvent, DownloadRequest};
use tidings::download::task::{DownloadCommand, DownloadSetup};
use tidings::download::{DownloadError, Report, Saved, Transfer, TransferLimits};
use tidings::file_names::part_name;
use tidings::model::DownloadState;
use tidings::store::{Store, Writer};
use tokio::sync::mpsc::UnboundedReceiver;

/// Bytes that differ from one offset to the next, so a misplaced piece shows.
fn body(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add((i / 251) as u8).wrapping_add(seed)).collect()
}

fn limits(max_size: u64) -> TransferLimits {
    TransferLimits {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        max_size,
        user_agent: "tidings-test".into(),
    }
}

fn transfer(max_size: u64) -> Transfer {
    Transfer::new(limits(max_size)).expect("the HTTP client")
}

/// Runs a download; returns its outcome and what it reported.
async fn download(
    transfer: &Transfer,
    url: &str,
    dir: &Path,
    validator: Option<&str>,
) -> (Result<Saved, DownloadError>, Vec<Report>) {
    let mut reports = Vec::new();
    let result = guard(transfer.run(url, dir, validator, &mut |r| reports.push(r))).await;
    (result, reports)
}

fn validator_of(reports: &[Report]) -> Option<String> {
    reports.iter().find_map(|r| match r {
        Report::Started { validator, .. } => validator.clone(),
        Report::Received { .. } => None,
    })
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

fn audio(body: Vec<u8>, etag: &str) -> Reply {
    Reply::status(200).header("Content-Type", "audio/mpeg").header("ETag", etag).body(body)
}

#[tokio::test]
async fn a_whole_file_is_saved_under_its_name_with_progress() {
    let server = TestServer::start().await;
    let file = body(300_000, 1);
    server.route("/show/ep12.mp3", audio(file.clone(), "\"v1\""));
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("downloads");
    let (result, reports) = download(&transfer(1 << 20), &server.url("/show/ep12.mp3"), &folder, None).await;
    let saved = result.expect("downloaded");
    assert_eq!(saved, Saved { file_name: "ep12.mp3".into(), size: 300_000 });
    assert!(std::fs::read(folder.join("ep12.mp3")).expect("the file") == file, "the bytes as sent");
    assert_eq!(names(&folder), ["ep12.mp3"], "no .part file left");
    assert_eq!(
        reports.first(),
        Some(&Report::Started { validator: Some("\"v1\"".into()), total: Some(300_000), received: 0 })
    );
    assert_eq!(reports.last(), Some(&Report::Received { received: 300_000, total: Some(300_000) }));
    let request = server.last_request_to("/show/ep12.mp3");
    assert_eq!(request.header("range"), None);
    assert_eq!(request.header("accept-encoding"), Some("identity"));
}

#[tokio::test]
async fn a_cut_download_goes_on_from_its_part_file_with_range() {
    let server = TestServer::start().await;
    let file = body(300_000, 2);
    let url = server.url("/ep.mp3");
    server.route("/ep.mp3", audio(file.clone(), "\"v1\"").ranges().cut_after(100_000));
    let dir = tempfile::tempdir().expect("temp dir");
    let t = transfer(1 << 20);
    let (first, reports) = download(&t, &url, dir.path(), None).await;
    assert!(matches!(first, Err(DownloadError::Network(_) | DownloadError::Incomplete { .. })), "{first:?}");
    let part = dir.path().join(part_name(&url));
    assert_eq!(std::fs::metadata(&part).expect("the .part file").len(), 100_000);
    // The server is whole again: only the rest is asked for, if the file is still the same.
    server.route("/ep.mp3", audio(file.clone(), "\"v1\"").ranges());
    let validator = validator_of(&reports);
    let (second, reports) = download(&t, &url, dir.path(), validator.as_deref()).await;
    assert_eq!(second.expect("resumed"), Saved { file_name: "ep.mp3".into(), size: 300_000 });
    let request = server.last_request_to("/ep.mp3");
    assert_eq!(request.header("range"), Some("bytes=100000-"));
    assert_eq!(request.header("if-range"), Some("\"v1\""));
    assert_eq!(
        reports.first(),
        Some(&Report::Started { validator: Some("\"v1\"".into()), total: Some(300_000), received: 100_000 })
    );
    assert!(std::fs::read(dir.path().join("ep.mp3")).expect("the file") == file, "the pieces in their places");
    assert_eq!(names(dir.path()), ["ep.mp3"]);
}

#[tokio::test]
async fn a_server_that_ignores_range_sends_the_file_again_from_the_start() {
    let server = TestServer::start().await;
    let file = body(200_000, 3);
    let url = server.url("/ep.mp3");
    server.route("/ep.mp3", audio(file.clone(), "\"v1\"").cut_after(50_000));
    let dir = tempfile::tempdir().expect("temp dir");
    let t = transfer(1 << 20);
    assert!(download(&t, &url, dir.path(), Some("\"v1\"")).await.0.is_err());
    server.route("/ep.mp3", audio(file.clone(), "\"v1\""));
    let (result, reports) = download(&t, &url, dir.path(), Some("\"v1\"")).await;
    assert_eq!(result.expect("downloaded").size, 200_000);
    assert_eq!(server.last_request_to("/ep.mp3").header("range"), Some("bytes=50000-"), "the rest was asked for");
    assert_eq!(
        reports.first(),
        Some(&Report::Started { validator: Some("\"v1\"".into()), total: Some(200_000), received: 0 })
    );
    assert!(std::fs::read(dir.path().join("ep.mp3")).expect("the file") == file, "not the start twice");
}

#[tokio::test]
async fn a_file_changed_since_the_cut_comes_whole() {
    let server = TestServer::start().await;
    let url = server.url("/ep.mp3");
    server.route("/ep.mp3", audio(body(200_000, 4), "\"v1\"").ranges().cut_after(80_000));
    let dir = tempfile::tempdir().expect("temp dir");
    let t = transfer(1 << 20);
    let (first, reports) = download(&t, &url, dir.path(), None).await;
    assert!(first.is_err());
    let changed = body(150_000, 5);
    server.route("/ep.mp3", audio(changed.clone(), "\"v2\"").ranges());
    let (result, _) = download(&t, &url, dir.path(), validator_of(&reports).as_deref()).await;
    assert_eq!(result.expect("downloaded").size, 150_000);
    assert!(std::fs::read(dir.path().join("ep.mp3")).expect("the file") == changed, "the new file, whole");
}

#[tokio::test]
async fn a_part_file_that_holds_the_whole_file_is_finished() {
    let server = TestServer::start().await;
    let file = body(10_000, 6);
    let url = server.url("/whole.mp3");
    server.route("/whole.mp3", audio(file.clone(), "\"v1\"").ranges());
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(part_name(&url)), &file).expect("the part file");
    let (result, _) = download(&transfer(1 << 20), &url, dir.path(), Some("\"v1\"")).await;
    assert_eq!(result.expect("finished"), Saved { file_name: "whole.mp3".into(), size: 10_000 });
    assert_eq!(server.last_request_to("/whole.mp3").header("range"), Some("bytes=10000-"));
    assert_eq!(names(dir.path()), ["whole.mp3"]);
}

#[tokio::test]
async fn files_over_the_size_cap_are_refused_and_leave_nothing() {
    let server = TestServer::start().await;
    server.route("/announced.mp3", audio(body(300_000, 7), "\"a\""));
    server.route("/unannounced.mp3", audio(body(300_000, 8), "\"b\"").no_length());
    let dir = tempfile::tempdir().expect("temp dir");
    let t = transfer(100_000);
    for path in ["/announced.mp3", "/unannounced.mp3"] {
        let (result, _) = download(&t, &server.url(path), dir.path(), None).await;
        assert!(matches!(result, Err(DownloadError::TooLarge { limit: 100_000 })), "{path}: {result:?}");
    }
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

#[tokio::test]
async fn hostile_names_stay_inside_the_folder_and_never_replace_a_file() {
    let server = TestServer::start().await;
    let disposition = |value: &str| audio(body(1000, 9), "\"x\"").header("Content-Disposition", value);
    server.route("/a", disposition("attachment; filename=\"../../etc/passwd\""));
    server.route("/b", disposition("attachment; filename=\"/etc/passwd\""));
    server.route("/c", disposition("attachment; filename*=UTF-8''..%2F..%2F.bashrc; filename=\"x\""));
    server.route("/d", disposition("attachment; filename=\"..\""));
    server.route("/%1B%5D0%3Bpwned%07ep.mp3", audio(body(1000, 10), "\"y\""));
    server.route("/song.mp3", audio(body(1000, 11), "\"z\""));
    let root = tempfile::tempdir().expect("temp dir");
    let folder = root.path().join("downloads");
    std::fs::create_dir(&folder).expect("the folder");
    // A link in the folder to a file outside it: never written through.
    let outside = root.path().join("outside.txt");
    std::fs::write(&outside, "mine").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, folder.join("song.mp3")).expect("symlink");
    let t = transfer(1 << 20);
    let mut saved = Vec::new();
    for path in ["/a", "/b", "/c", "/d", "/%1B%5D0%3Bpwned%07ep.mp3", "/song.mp3"] {
        let (result, _) = download(&t, &server.url(path), &folder, None).await;
        saved.push(result.unwrap_or_else(|e| panic!("{path}: {e}")).file_name);
    }
    let song = if cfg!(unix) { "song-2.mp3" } else { "song.mp3" };
    // (The type adds the extension the names lack.)
    assert_eq!(saved, ["passwd.mp3", "passwd-2.mp3", "bashrc.mp3", "d.mp3", "ep.mp3", song]);
    assert_eq!(std::fs::read_to_string(&outside).expect("read"), "mine", "the link's target is untouched");
    assert_eq!(names(root.path()), ["downloads", "outside.txt"], "nothing beside the folder");
    assert!(names(&folder).iter().all(|n| !n.ends_with(".part")), "{:?}", names(&folder));
}

#[tokio::test]
async fn a_server_that_does_not_answer_is_given_up_on_in_time() {
    let server = TestServer::start().await;
    server.route("/slow.mp3", audio(body(1000, 13), "\"s\"").held());
    let dir = tempfile::tempdir().expect("temp dir");
    let quick =
        Transfer::new(TransferLimits { timeout: Duration::from_millis(300), ..limits(1 << 20) }).expect("client");
    let started = std::time::Instant::now();
    let (result, _) = download(&quick, &server.url("/slow.mp3"), dir.path(), None).await;
    assert!(matches!(result, Err(DownloadError::Timeout(_))), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    server.release();
}

/// A download task over a cache in `dir`, as the reader starts it.
fn start_task(
    dir: &Path,
    store: &Arc<Mutex<Store>>,
) -> (tokio::sync::mpsc::UnboundedSender<DownloadCommand>, UnboundedReceiver<DownloadEvent>) {
    let setup = DownloadSetup {
        dir: dir.join("downloads"),
        concurrency: 1,
        limits: limits(1 << 20),
        store: store.clone(),
        writer: Writer::spawn(store.clone()),
    };
    let (events, inbox) = tokio::sync::mpsc::unbounded_channel();
    (tidings::download::spawn(setup, &tokio::runtime::Handle::current(), events), inbox)
}

/// The next event that `wanted` picks out (the ones before it are dropped).
async fn next(inbox: &mut UnboundedReceiver<DownloadEvent>, wanted: impl Fn(&DownloadEvent) -> bool) -> DownloadEvent {
    guard(async {
        loop {
            let event = inbox.recv().await.expect("the task is running");
            if wanted(&event) {
                return event;
            }
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_task_runs_the_list_and_resumes_after_a_restart() {
    let server = TestServer::start().await;
    let file = body(250_000, 12);
    let url = server.url("/ep1.mp3");
    server.route("/ep1.mp3", audio(file.clone(), "\"v1\"").ranges().cut_after(90_000));
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("cache.db")).expect("cache")));

    let (commands, mut events) = start_task(dir.path(), &store);
    assert_eq!(next(&mut events, |_| true).await, DownloadEvent::Listed(Vec::new()));
    let request = DownloadRequest { url: url.clone(), item: None, title: "Episode 1".into() };
    commands.send(DownloadCommand::Queue(request.clone())).expect("queue");
    let DownloadEvent::Queued(row) = next(&mut events, |_| true).await else { panic!("queued first") };
    let failed = next(&mut events, |e| matches!(e, DownloadEvent::Failed { .. } | DownloadEvent::Done { .. })).await;
    assert!(matches!(&failed, DownloadEvent::Failed { id, received: 90_000, .. } if *id == row.id), "{failed:?}");
    commands.send(DownloadCommand::Shutdown).expect("stop");

    // The reader starts again: the list is as it was; a retry goes on from the .part file.
    server.route("/ep1.mp3", audio(file.clone(), "\"v1\"").ranges());
    let (commands, mut events) = start_task(dir.path(), &store);
    let DownloadEvent::Listed(rows) = next(&mut events, |_| true).await else { panic!("listed first") };
    assert_eq!(
        rows.iter().map(|r| (r.id, r.state, r.received)).collect::<Vec<_>>(),
        [(row.id, DownloadState::Failed, 90_000)]
    );
    commands.send(DownloadCommand::Retry(row.id)).expect("retry");
    let done = next(&mut events, |e| matches!(e, DownloadEvent::Done { .. } | DownloadEvent::Failed { .. })).await;
    assert_eq!(done, DownloadEvent::Done { id: row.id, file_name: "ep1.mp3".into(), size: 250_000 });
    assert_eq!(server.last_request_to("/ep1.mp3").header("range"), Some("bytes=90000-"));
    assert!(std::fs::read(dir.path().join("downloads/ep1.mp3")).expect("file") == file);
    // Asked for again: it is done already.
    commands.send(DownloadCommand::Queue(request)).expect("queue");
    assert!(
        matches!(next(&mut events, |_| true).await, DownloadEvent::AlreadyListed(r) if r.state == DownloadState::Done)
    );
    // Taken off the list: the file stays.
    commands.send(DownloadCommand::Remove(row.id)).expect("remove");
    assert_eq!(next(&mut events, |_| true).await, DownloadEvent::Removed(row.id));
    assert!(store.lock().expect("store").downloads().expect("list").is_empty());
    assert!(dir.path().join("downloads/ep1.mp3").exists());
    commands.send(DownloadCommand::Shutdown).expect("stop");

    // A download still queued when the reader stopped starts by itself, from its .part file.
    let second = server.url("/ep2.mp3");
    server.route("/ep2.mp3", audio(file.clone(), "\"v2\"").ranges());
    store.lock().expect("store").queue_download(&second, None, "Episode 2", 0).expect("queued");
    std::fs::write(dir.path().join("downloads").join(part_name(&second)), &file[..1000]).expect("part");
    let (commands, mut events) = start_task(dir.path(), &store);
    let done = next(&mut events, |e| matches!(e, DownloadEvent::Done { .. } | DownloadEvent::Failed { .. })).await;
    assert!(
        matches!(&done, DownloadEvent::Done { file_name, size: 250_000, .. } if file_name == "ep2.mp3"),
        "{done:?}"
    );
    assert_eq!(server.last_request_to("/ep2.mp3").header("range"), Some("bytes=1000-"));
    assert!(std::fs::read(dir.path().join("downloads/ep2.mp3")).expect("file") == file);
    commands.send(DownloadCommand::Shutdown).expect("stop");
}
