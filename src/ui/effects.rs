//! Carrying out what `update` asks for: flag changes to the cache's one writer (told to the
//! library at once), documents to the render thread, searches after the index caught up, reloads
//! to the poller, links to the browser. Answers come back to the loop as messages.

use std::process::{Command, Stdio};
use std::sync::mpsc;

use super::library::{SharedIndex, StoreLibrary};
use super::update::{Effect, Msg};
use super::worker::{Job, Worker};
use crate::feed::background::PollerCommand;
use crate::model::ItemId;
use crate::store::Writer;
use crate::timefmt::now_secs;

/// What carrying out an effect leads to.
pub enum Carried {
    /// Done; this message (if any) is to be handled at once.
    Now(Option<Msg>),
    /// Its answer comes later, as a message on the loop's channel.
    Later,
}

/// Related stories listed beside an article.
const RELATED_COUNT: usize = 10;

pub struct Actions {
    writer: Writer,
    index: SharedIndex,
    renderer: Worker,
    finder: Worker,
    poller: Option<tokio::sync::mpsc::UnboundedSender<PollerCommand>>,
    browser: Vec<String>,
    outbox: mpsc::Sender<Msg>,
}

impl Actions {
    /// Answers go to `outbox`; related stories are looked up in `index`; reloads are dropped
    /// until [`Actions::with_poller`].
    pub fn new(writer: Writer, index: SharedIndex, browser: Vec<String>, outbox: mpsc::Sender<Msg>) -> Actions {
        let renderer = Worker::spawn("tidings-render", outbox.clone());
        let finder = Worker::spawn("tidings-related", outbox.clone());
        Actions { writer, index, renderer, finder, poller: None, browser, outbox }
    }

    pub fn with_poller(mut self, commands: tokio::sync::mpsc::UnboundedSender<PollerCommand>) -> Actions {
        self.poller = Some(commands);
        self
    }

    pub fn stop_poller(&self) {
        if let Some(poller) = &self.poller {
            let _ = poller.send(PollerCommand::Shutdown);
        }
    }

    pub fn carry_out(&self, effect: Effect, library: &mut StoreLibrary) -> Carried {
        match effect {
            Effect::OpenUrl(url) => {
                let notice = match open_in_browser(&self.browser, &url) {
                    Ok(()) => format!("Opened {url}"),
                    Err(e) => format!("Cannot open the browser: {e}"),
                };
                Carried::Now(Some(Msg::Notice(notice)))
            }
            Effect::Reload(ids) => self.to_poller(PollerCommand::Refresh(ids)),
            Effect::ReloadAll => self.to_poller(PollerCommand::RefreshAll),
            Effect::Save(change) => {
                let id = library.note(&change);
                let outbox = self.outbox.clone();
                self.writer.submit(
                    move |store| store.apply_flags(&change, now_secs()),
                    move |result| {
                        let error = result.err().map(|e| e.to_string());
                        if let Some(e) = &error {
                            tracing::error!("saving the reader's flags: {e}");
                        }
                        let _ = outbox.send(Msg::Saved { change: id, error });
                    },
                );
                Carried::Later
            }
            Effect::Render(request) => {
                let id = request.id;
                Self::on(&self.renderer, Box::new(move || Msg::Rendered { id, article: request.render() }))
            }
            Effect::FindRelated(item) => {
                // Here, while the render thread works, when the index is free (a look-up takes
                // well under a millisecond); on a thread of its own when the indexer holds it.
                if let Some(ids) = related_if_free(&self.index, item) {
                    return Carried::Now(Some(Msg::Related { item, ids }));
                }
                let index = self.index.clone();
                Self::on(&self.finder, Box::new(move || Msg::Related { item, ids: related(&index, item) }))
            }
            Effect::Search(query) => {
                let outbox = self.outbox.clone();
                self.writer.submit(
                    |store| store.index_for_search(usize::MAX),
                    move |result| {
                        if let Err(e) = result {
                            tracing::error!("search index: {e}");
                        }
                        let _ = outbox.send(Msg::SearchReady(query));
                    },
                );
                Carried::Later
            }
        }
    }

    /// Runs `job` on `worker`, or here when its thread is gone.
    fn on(worker: &Worker, job: Job) -> Carried {
        match worker.run(job) {
            Ok(()) => Carried::Later,
            Err(job) => Carried::Now(Some(job())),
        }
    }

    fn to_poller(&self, command: PollerCommand) -> Carried {
        if let Some(poller) = &self.poller {
            let _ = poller.send(command);
        }
        Carried::Now(None)
    }
}

/// The cached articles closest to `item`, best first; `None` while the index is being built (and
/// does not hold the item yet).
fn related(index: &SharedIndex, item: ItemId) -> Option<Vec<ItemId>> {
    if !index.is_ready() && !index.with(|i| i.contains(item.0)).unwrap_or(false) {
        return None;
    }
    index.with(|i| i.related(item.0, RELATED_COUNT).into_iter().map(|(id, _)| ItemId(id)).collect())
}

/// [`related`], unless the indexer holds the index right now (`None` then).
fn related_if_free(index: &SharedIndex, item: ItemId) -> Option<Option<Vec<ItemId>>> {
    if !index.is_ready() {
        return None;
    }
    index.try_with(|i| Some(i.related(item.0, RELATED_COUNT).into_iter().map(|(id, _)| ItemId(id)).collect()))
}

/// The browser command: the config's, else `$BROWSER`, else the platform's opener.
pub fn browser_command(configured: Option<&str>) -> Vec<String> {
    let from_env = std::env::var("BROWSER").ok().and_then(|b| b.split(':').next().map(str::to_string));
    let command = configured
        .map(str::to_string)
        .or(from_env)
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| if cfg!(target_os = "macos") { "open".into() } else { "xdg-open".into() });
    command.split_whitespace().map(str::to_string).collect()
}

/// Starts the browser with the URL as one argument, never through a shell.
pub fn open_in_browser(command: &[String], url: &str) -> Result<(), String> {
    let (program, args) = command.split_first().ok_or("no browser configured")?;
    Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|e| format!("{program}: {e}"))
}
