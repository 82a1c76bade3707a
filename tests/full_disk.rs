//! Issue 17, a full disk: the cache on a small file system (a 4 MiB tmpfs, mounted by the test;
//! that needs root, so the test skips saying why without it, and fails instead under
//! `TIDINGS_REQUIRE_SERVERS=1`, as `.ci/run` sets). With the disk filled, a poll that brings new
//! items says so in one line and stores nothing, the cache stays whole and can still be read;
//! once space is back, the next poll stores them.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::home::{Home, path_str};
use common::http_server::{Reply, TestServer};
use common::{integrity_check, rss};

/// A tmpfs of `size` mounted at `dir`, unmounted when dropped.
struct SmallDisk {
    dir: PathBuf,
}

impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> Result<SmallDisk, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs", path_str(dir)])
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!("cannot mount a tmpfs: {}", String::from_utf8_lossy(&out.stderr).trim()));
        }
        Ok(SmallDisk { dir: dir.to_path_buf() })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

/// Fills the file system of `dir` with `filler` until it has no room left.
fn fill(filler: &Path) {
    let mut file = std::fs::File::create(filler).expect("the filler file");
    let block = vec![0x5a; 64 * 1024];
    while file.write_all(&block).is_ok() {}
    let small = [0x5a; 512];
    while file.write_all(&small).is_ok() {}
    let _ = file.sync_all();
}

fn items(prefix: &str, n: usize) -> Vec<(String, String, String)> {
    (0..n)
        .map(|i| {
            let body =
                format!("&lt;p&gt;{} {i}.&lt;/p&gt;", "A paragraph of the story that takes some room. ".repeat(40));
            (format!("{prefix}{i}"), format!("{prefix} story {i}"), body)
        })
        .collect()
}

fn feed_of(items: &[(String, String, String)]) -> String {
    let refs: Vec<(Option<&str>, &str, &str)> =
        items.iter().map(|(g, t, b)| (Some(g.as_str()), t.as_str(), b.as_str())).collect();
    rss("Disk Feed", &refs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_stops_writes_with_one_message_and_loses_nothing() {
    let home = Home::new();
    let Some(disk) =
        tidings::shared_data::started("a small file system (tmpfs)", SmallDisk::mount(&home.path("disk"), "4m"))
    else {
        return;
    };
    let server = TestServer::start().await;
    let old = items("old", 20);
    server.route("/feed", Reply::ok(feed_of(&old)));
    let config = home.path("tidings.toml");
    std::fs::write(&config, format!("[[feed]]\nurl = \"{}\"\nname = \"Disk\"\n", server.url("/feed"))).expect("config");
    let cache = disk.dir.join("cache.db");
    let run = |extra: &'static [&'static str]| {
        let mut args: Vec<String> =
            vec!["--config".into(), path_str(&config).into(), "--cache".into(), path_str(&cache).into()];
        args.extend(extra.iter().map(|s| s.to_string()));
        let home = &home;
        async move {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            home.run_async(&refs).await
        }
    };
    run(&["poll", "--all"]).await.assert_ok();
    assert_eq!(run(&["list"]).await.stdout.lines().count(), 20);

    // The reader is open (its connection keeps the cache's -wal and -shm files) when the disk
    // fills up; the feed brings 400 new items.
    let reader = tidings::store::Store::open_for_reading(&cache).expect("the reader's connection");
    let filler = disk.dir.join("filler");
    fill(&filler);
    let mut all = old.clone();
    all.extend(items("new", 400));
    server.route("/feed", Reply::ok(feed_of(&all)));
    let full = run(&["poll", "--all"]).await;
    let said = format!("{}{}", full.stdout, full.stderr);
    assert!(said.to_lowercase().contains("full"), "the disk being full is said: {full:#?}");
    assert!(said.lines().count() <= 3, "in a line or two, not a trace: {full:#?}");
    assert_eq!(integrity_check(&cache), "ok", "no corruption");
    let listed = run(&["list"]).await;
    listed.assert_ok();
    assert_eq!(listed.stdout.lines().count(), 20, "reading goes on, with the old items: {listed:#?}");
    let ids = reader.item_ids(&tidings::store::ItemFilter::All, false).expect("the reader reads");
    assert_eq!(ids.len(), 20, "the open reader too");
    drop(reader);
    // With no connection open, the cache's -wal and -shm files cannot even be made: a new start
    // says so by name.
    let fresh = run(&["list"]).await;
    if fresh.code != Some(0) {
        assert!(
            fresh.stderr.contains("cannot write the cache") && fresh.stderr.contains(path_str(&cache)),
            "{fresh:#?}"
        );
    }

    // Space is back: the next poll stores the new items.
    std::fs::remove_file(&filler).expect("free the space");
    run(&["poll", "--all"]).await.assert_ok();
    assert_eq!(run(&["list"]).await.stdout.lines().count(), 420, "writes resume");
    assert_eq!(integrity_check(&cache), "ok");
    println!("full disk: {}", said.trim());
}
