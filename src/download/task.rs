//! The download list in the background: a task on the runtime that takes the list from the
//! cache when it starts (what was queued, or running when the reader stopped, goes on from its
//! `.part` file), runs `[downloads] concurrency` transfers at once, oldest first, and tells the
//! interface of every change. Its writes go through the cache's one writer; progress is only
//! told, at most a few times a second, not written.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinSet;

use super::events::{DownloadEvent, DownloadRequest};
use super::part;
use super::transfer::{Report, Transfer, TransferLimits};
use crate::config::Settings;
use crate::file_names::part_name;
use crate::model::{DownloadId, DownloadRow, DownloadState};
use crate::store::{Queued, Store, Writer};
use crate::timefmt::now_secs;

/// What the interface asks of the download task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadCommand {
    Queue(DownloadRequest),
    /// Queue a failed download again (it goes on from its `.part` file).
    Retry(DownloadId),
    /// Take a download off the list, stopping it and deleting its `.part` file; a finished
    /// download's file stays.
    Remove(DownloadId),
    Shutdown,
}

/// Progress is told at most this often per download.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// What the task needs: the folder, the limits, the cache.
pub struct DownloadSetup {
    pub dir: PathBuf,
    pub concurrency: usize,
    pub limits: TransferLimits,
    pub store: Arc<Mutex<Store>>,
    pub writer: Writer,
}

impl DownloadSetup {
    /// The `[downloads]` settings (the folder, the size cap, how many at once) with `[poll]`'s
    /// time-outs and user agent.
    pub fn new(settings: &Settings, store: Arc<Mutex<Store>>, writer: Writer) -> DownloadSetup {
        let downloads = &settings.downloads;
        DownloadSetup {
            dir: downloads.dir.clone().unwrap_or_else(crate::config::paths::default_download_dir),
            concurrency: downloads.concurrency.max(1),
            limits: TransferLimits {
                connect_timeout: settings.poll.connect_timeout,
                timeout: settings.poll.timeout,
                max_size: downloads.max_size,
                user_agent: settings.poll.user_agent.clone(),
            },
            store,
            writer,
        }
    }
}

/// Starts the task; returns where its commands go. It stops on [`DownloadCommand::Shutdown`] or
/// when every sender is gone (running transfers are dropped; their `.part` files stay).
pub fn spawn(
    setup: DownloadSetup,
    runtime: &tokio::runtime::Handle,
    events: UnboundedSender<DownloadEvent>,
) -> UnboundedSender<DownloadCommand> {
    let (commands, inbox) = unbounded_channel();
    runtime.spawn(run(setup, inbox, events));
    commands
}

/// The list as the task runs it.
struct Queue {
    setup: DownloadSetup,
    transfer: Transfer,
    events: UnboundedSender<DownloadEvent>,
    waiting: VecDeque<DownloadRow>,
    /// Running transfers: the task of each, and each task's download.
    running: HashMap<DownloadId, tokio::task::AbortHandle>,
    tasks: HashMap<tokio::task::Id, DownloadId>,
    /// The address of every download the task knows, to find its `.part` file.
    urls: HashMap<DownloadId, String>,
}

async fn run(
    setup: DownloadSetup,
    mut inbox: UnboundedReceiver<DownloadCommand>,
    events: UnboundedSender<DownloadEvent>,
) {
    let transfer = match Transfer::new(setup.limits.clone()) {
        Ok(transfer) => transfer,
        Err(e) => {
            let _ = events.send(DownloadEvent::Error(format!("downloads cannot start: {e}")));
            return;
        }
    };
    let listed = setup
        .store
        .lock()
        .map_err(|_| "the cache is not readable".to_string())
        .and_then(|store| store.downloads().map_err(|e| e.to_string()));
    let rows = match listed {
        Ok(rows) => rows,
        Err(e) => {
            let _ = events.send(DownloadEvent::Error(format!("cannot read the download list: {e}")));
            Vec::new()
        }
    };
    let mut queue = Queue {
        setup,
        transfer,
        events,
        waiting: rows.iter().filter(|r| r.state == DownloadState::Queued).cloned().collect(),
        running: HashMap::new(),
        tasks: HashMap::new(),
        urls: rows.iter().map(|r| (r.id, r.url.clone())).collect(),
    };
    let _ = queue.events.send(DownloadEvent::Listed(rows));
    let mut transfers: JoinSet<()> = JoinSet::new();
    loop {
        queue.start_waiting(&mut transfers);
        tokio::select! {
            command = inbox.recv() => match command {
                Some(DownloadCommand::Queue(request)) => queue.add(request).await,
                Some(DownloadCommand::Retry(id)) => queue.retry(id).await,
                Some(DownloadCommand::Remove(id)) => queue.remove(id).await,
                Some(DownloadCommand::Shutdown) | None => break,
            },
            Some(ended) = transfers.join_next_with_id(), if !transfers.is_empty() => queue.ended(ended),
        }
    }
    transfers.abort_all();
}

impl Queue {
    fn send(&self, event: DownloadEvent) {
        let _ = self.events.send(event);
    }

    fn start_waiting(&mut self, transfers: &mut JoinSet<()>) {
        while self.running.len() < self.setup.concurrency {
            let Some(row) = self.waiting.pop_front() else { return };
            let id = row.id;
            let job = fetch(
                self.transfer.clone(),
                self.setup.dir.clone(),
                row,
                self.setup.writer.clone(),
                self.events.clone(),
            );
            let handle = transfers.spawn(job);
            self.tasks.insert(handle.id(), id);
            self.running.insert(id, handle);
        }
    }

    /// A transfer's task ended: it told its outcome itself, unless it panicked.
    fn ended(&mut self, ended: Result<(tokio::task::Id, ()), tokio::task::JoinError>) {
        let task = match &ended {
            Ok((task, ())) => *task,
            Err(e) => e.id(),
        };
        let Some(id) = self.tasks.remove(&task) else { return };
        self.running.remove(&id);
        if let Err(e) = ended
            && e.is_panic()
        {
            tracing::error!("a download crashed: {e}");
            let error = "the download crashed (see the log)".to_string();
            let writer = self.setup.writer.clone();
            let message = error.clone();
            writer.submit(move |s| s.download_failed(id, &message, 0, now_secs()), |_| {});
            self.send(DownloadEvent::Failed { id, error, received: 0 });
        }
    }

    async fn add(&mut self, request: DownloadRequest) {
        let DownloadRequest { url, item, title } = request;
        let queued = self.setup.writer.run(move |s| s.queue_download(&url, item, &title, now_secs())).await;
        match queued {
            Ok(Queued::Fetch(row)) => self.enqueue(row),
            Ok(Queued::Already(row)) => self.send(DownloadEvent::AlreadyListed(row)),
            Err(e) => self.send(DownloadEvent::Error(format!("cannot queue the download: {e}"))),
        }
    }

    async fn retry(&mut self, id: DownloadId) {
        if self.running.contains_key(&id) || self.waiting.iter().any(|r| r.id == id) {
            return;
        }
        match self.setup.writer.run(move |s| s.retry_download(id)).await {
            Ok(Some(row)) => self.enqueue(row),
            Ok(None) => {}
            Err(e) => self.send(DownloadEvent::Error(format!("cannot retry the download: {e}"))),
        }
    }

    fn enqueue(&mut self, row: DownloadRow) {
        self.urls.insert(row.id, row.url.clone());
        self.send(DownloadEvent::Queued(row.clone()));
        self.waiting.push_back(row);
    }

    async fn remove(&mut self, id: DownloadId) {
        if let Some(handle) = self.running.remove(&id) {
            handle.abort();
        }
        self.waiting.retain(|r| r.id != id);
        if let Some(url) = self.urls.remove(&id)
            && let Ok(path) = part::inside(&self.setup.dir, &part_name(&url))
        {
            let _ = tokio::fs::remove_file(path).await;
        }
        match self.setup.writer.run(move |s| s.remove_download(id)).await {
            Ok(_) => self.send(DownloadEvent::Removed(id)),
            Err(e) => self.send(DownloadEvent::Error(format!("cannot remove the download: {e}"))),
        }
    }
}

/// One download, start to end: its outcome written to the cache, then told.
async fn fetch(
    transfer: Transfer,
    dir: PathBuf,
    row: DownloadRow,
    writer: Writer,
    events: UnboundedSender<DownloadEvent>,
) {
    let id = row.id;
    let mut last_told: Option<Instant> = None;
    let told = events.clone();
    let keeper = writer.clone();
    let mut report = move |report: Report| match report {
        Report::Started { validator, total, received } => {
            keeper.submit(move |s| s.download_started(id, validator.as_deref(), total), |_| {});
            last_told = Some(Instant::now());
            let _ = told.send(DownloadEvent::Progress { id, received, total });
        }
        Report::Received { received, total } => {
            if last_told.is_none_or(|at| at.elapsed() >= PROGRESS_EVERY) {
                last_told = Some(Instant::now());
                let _ = told.send(DownloadEvent::Progress { id, received, total });
            }
        }
    };
    let result = transfer.run(&row.url, &dir, row.validator.as_deref(), &mut report).await;
    let event = match result {
        Ok(saved) => {
            let (name, size) = (saved.file_name.clone(), saved.size);
            match writer.run(move |s| s.download_done(id, &name, size, now_secs())).await {
                Ok(()) => DownloadEvent::Done { id, file_name: saved.file_name, size: saved.size },
                Err(e) => {
                    DownloadEvent::Error(format!("saved {}, but the list could not be updated: {e}", saved.file_name))
                }
            }
        }
        Err(e) => {
            let error = crate::sanitize::clean_line(&e.to_string());
            tracing::info!("download {} failed: {error}", row.url);
            let received = match part::inside(&dir, &part_name(&row.url)) {
                Ok(path) => part::received(&path).await,
                Err(_) => 0,
            };
            let message = error.clone();
            if let Err(e) = writer.run(move |s| s.download_failed(id, &message, received, now_secs())).await {
                tracing::error!("recording a failed download: {e}");
            }
            DownloadEvent::Failed { id, error, received }
        }
    };
    let _ = events.send(event);
}
