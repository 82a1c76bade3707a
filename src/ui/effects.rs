//! Carrying out what `update` asks for: flag changes to the cache's one writer (told to the
//! library at once), documents to the render thread, searches after the index caught up, reloads
//! to the poller, links to the browser. Answers come back to the loop as messages.

use std::sync::{Arc, mpsc};

use super::browser::{Browser, BrowserCommands, Opened, needs_terminal, open_in_browser};
use super::keep::Keeping;
use super::library::{SharedIndex, StoreLibrary};
use super::update::{Effect, Msg};
use super::worker::{Job, Worker};
use crate::config::NotifyMethod;
use crate::download::DownloadCommand;
use crate::feed::background::PollerCommand;
use crate::images::ImageLoader;
use crate::model::ItemId;
use crate::related::RelatedIndex;
use crate::store::Writer;
use crate::store::flag_journal::FlagJournal;
use crate::timefmt::now_secs;

/// What carrying out an effect leads to.
pub enum Carried {
    /// Done; this message (if any) is to be handled at once.
    Now(Option<Msg>),
    /// Its answer comes later, as a message on the loop's channel.
    Later,
    /// To be run with the terminal handed over (a browser that draws in it); its message is
    /// to be handled once the terminal is taken back.
    InTerminal(Box<dyn FnOnce() -> Msg>),
}

/// Related stories listed beside an article.
const RELATED_COUNT: usize = 10;

/// Writes an escape sequence straight to the terminal.
type TerminalWrite = Box<dyn Fn(&str)>;

pub struct Actions {
    writer: Writer,
    index: SharedIndex,
    renderer: Worker,
    finder: Worker,
    poller: Option<tokio::sync::mpsc::UnboundedSender<PollerCommand>>,
    /// Asks the background sync for a sync now.
    sync: Option<tokio::sync::mpsc::UnboundedSender<()>>,
    browser: BrowserCommands,
    outbox: mpsc::Sender<Msg>,
    /// Writes an escape sequence (a copy, a notification) to the terminal; none in tests, where
    /// copying is only said.
    terminal: Option<TerminalWrite>,
    keeping: Keeping,
    /// What plays enclosures (`[ui] player`), if set.
    player: Option<Browser>,
    /// The download task, when it runs.
    downloads: Option<tokio::sync::mpsc::UnboundedSender<DownloadCommand>>,
    /// How new items are told (`[notify]`).
    notify: NotifyMethod,
    /// Where read/star changes are written down before they are shown, when the reader runs on
    /// a cache file.
    journal: Option<Arc<FlagJournal>>,
    /// What fetches and draws the article's images, when the terminal can draw them.
    images: Option<ImageLoader>,
}

impl Actions {
    /// Answers go to `outbox`; related stories are looked up in `index`; reloads are dropped
    /// until [`Actions::with_poller`].
    pub fn new(writer: Writer, index: SharedIndex, browser: BrowserCommands, outbox: mpsc::Sender<Msg>) -> Actions {
        let renderer = Worker::spawn("tidings-render", outbox.clone());
        let finder = Worker::spawn("tidings-related", outbox.clone());
        Actions {
            writer,
            index,
            renderer,
            finder,
            poller: None,
            browser,
            outbox,
            terminal: None,
            sync: None,
            keeping: Keeping::default(),
            player: None,
            downloads: None,
            notify: NotifyMethod::Off,
            journal: None,
            images: None,
        }
    }

    /// Read/star changes are appended to `journal` before they are shown and saved.
    pub fn with_journal(mut self, journal: FlagJournal) -> Actions {
        self.journal = Some(Arc::new(journal));
        self
    }

    /// Images are loaded by `loader` from now on (without one, they stay their labels).
    pub fn with_images(mut self, loader: Option<ImageLoader>) -> Actions {
        self.set_images(loader);
        self
    }

    /// See [`Actions::with_images`].
    pub fn set_images(&mut self, loader: Option<ImageLoader>) {
        self.images = loader;
    }

    /// New items are told as `method` says from now on (sequences go through the terminal
    /// writer, see [`Actions::set_terminal`]).
    pub fn set_notify(&mut self, method: NotifyMethod) {
        self.notify = method;
    }

    /// Escape sequences (a copy, a notification) are written to the terminal through `write`.
    pub fn set_terminal(&mut self, write: impl Fn(&str) + 'static) {
        self.terminal = Some(Box::new(write));
    }

    /// Enclosures are played with `player` (its words, the URL added; whether it runs in the
    /// terminal) from now on.
    pub fn set_player(&mut self, player: Option<Browser>) {
        self.player = player;
    }

    /// Downloads go to the download task behind `commands`.
    pub fn with_downloads(mut self, commands: tokio::sync::mpsc::UnboundedSender<DownloadCommand>) -> Actions {
        self.downloads = Some(commands);
        self
    }

    /// Articles are saved and piped as `keeping` says from now on.
    pub fn set_keeping(&mut self, keeping: Keeping) {
        self.keeping = keeping;
    }

    /// Links are opened with `browser` from now on.
    pub fn set_browser(&mut self, browser: BrowserCommands) {
        self.browser = browser;
    }

    /// Escape sequences go to the terminal through `write`: copies (OSC 52) and notifications
    /// (OSC 9, OSC 777), each written as it is.
    pub fn with_terminal(mut self, write: impl Fn(&str) + 'static) -> Actions {
        self.set_terminal(write);
        self
    }

    /// A reload of everything also asks the background sync (if there is one) for a sync now.
    pub fn with_sync(mut self, sync: Option<tokio::sync::mpsc::UnboundedSender<()>>) -> Actions {
        self.sync = sync;
        self
    }

    pub fn with_poller(mut self, commands: tokio::sync::mpsc::UnboundedSender<PollerCommand>) -> Actions {
        self.poller = Some(commands);
        self
    }

    pub fn stop_poller(&self) {
        if let Some(poller) = &self.poller {
            let _ = poller.send(PollerCommand::Shutdown);
        }
        if let Some(downloads) = &self.downloads {
            let _ = downloads.send(DownloadCommand::Shutdown);
        }
    }

    pub fn carry_out(&self, effect: Effect, library: &mut StoreLibrary) -> Carried {
        match effect {
            Effect::OpenUrl(url) => {
                if needs_terminal(&self.browser) {
                    let browser = self.browser.clone();
                    return Carried::InTerminal(Box::new(move || Msg::Notice(opened(&browser, &url))));
                }
                Carried::Now(Some(Msg::Notice(opened(&self.browser, &url))))
            }
            Effect::Copy(text) => {
                if let Some(copy) = &self.terminal {
                    copy(&osc52(&text));
                }
                Carried::Now(None)
            }
            Effect::SaveArticle { file_name, text } => {
                Carried::Now(Some(Msg::Notice(match super::keep::save(&self.keeping.save_dir, &file_name, &text) {
                    Ok(path) => format!("Saved to {}", path.display()),
                    Err(e) => format!("Not saved: {e}"),
                })))
            }
            Effect::Pipe(text) => match self.keeping.pipe.clone() {
                None => Carried::Now(Some(Msg::Notice("No pipe command: set [ui] pipe in the config".into()))),
                Some(Err(e)) => Carried::Now(Some(Msg::Notice(format!("The [ui] pipe command cannot run: {e}")))),
                // The command may draw in the terminal (a pager): the reader steps aside.
                Some(Ok(words)) => Carried::InTerminal(Box::new(move || Msg::Notice(super::keep::pipe(&words, &text)))),
            },
            Effect::Play(url) => self.play(url),
            Effect::Notify(notification) => {
                match super::notifier::notify(&self.notify, &notification, self.terminal.as_deref()) {
                    Ok(()) => Carried::Now(None),
                    Err(e) => {
                        tracing::warn!("notifying: {e}");
                        Carried::Now(Some(Msg::Notice(format!("Cannot notify: {e}"))))
                    }
                }
            }
            Effect::LoadImage { url, cols, rows } => {
                // Nothing waits for the answer (not even quitting): it comes when it comes.
                if let Some(loader) = &self.images {
                    let outbox = self.outbox.clone();
                    let key = url.clone();
                    loader.load(url, cols, rows, move |result| {
                        let result = result.map_err(|e| {
                            tracing::debug!("image {key}: {e}");
                            e.to_string()
                        });
                        let _ = outbox.send(Msg::Image { url: key, result });
                    });
                }
                Carried::Now(None)
            }
            Effect::Download(request) => self.to_downloads(DownloadCommand::Queue(request)),
            Effect::RetryDownload(id) => self.to_downloads(DownloadCommand::Retry(id)),
            Effect::RemoveDownload(id) => self.to_downloads(DownloadCommand::Remove(id)),
            Effect::Reload(ids) => self.to_poller(PollerCommand::Refresh(ids)),
            Effect::ReloadAll => {
                if let Some(sync) = &self.sync {
                    let _ = sync.send(());
                }
                self.to_poller(PollerCommand::RefreshAll)
            }
            Effect::Save(change) => {
                let id = library.note(&change);
                let outbox = self.outbox.clone();
                // Written down before the frame that shows it is drawn: a kill from here on
                // loses nothing (see store::flag_journal).
                let journal = self.journal.clone().filter(|j| match j.record(&change) {
                    Ok(()) => true,
                    Err(e) => {
                        tracing::warn!("cannot write the flag journal: {e}");
                        false
                    }
                });
                self.writer.submit(
                    move |store| store.apply_flags(&change, now_secs()),
                    move |result| {
                        let error = result.err().map(|e| e.to_string());
                        if let Some(e) = &error {
                            tracing::error!("saving the reader's flags: {e}");
                        }
                        if let Some(journal) = journal {
                            journal.saved();
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

    /// Starts the player on `url` (in the terminal, handed over, when it draws there).
    fn play(&self, url: String) -> Carried {
        let Some(player) = self.player.clone() else {
            let hint = "No player: set [ui] player in the config, like player = [\"mpv\", \"--no-video\"]";
            return Carried::Now(Some(Msg::Notice(hint.into())));
        };
        if !url::Url::parse(&url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            return Carried::Now(Some(Msg::Notice("Not playing: not a web address".into())));
        }
        if player.in_terminal {
            return Carried::InTerminal(Box::new(move || Msg::Notice(played(&player, &url))));
        }
        Carried::Now(Some(Msg::Notice(played(&player, &url))))
    }

    fn to_downloads(&self, command: DownloadCommand) -> Carried {
        match &self.downloads {
            Some(downloads) if downloads.send(command).is_err() => {
                Carried::Now(Some(Msg::Notice("Downloads have stopped (the log says why)".into())))
            }
            _ => Carried::Now(None),
        }
    }

    fn to_poller(&self, command: PollerCommand) -> Carried {
        if let Some(poller) = &self.poller {
            let _ = poller.send(command);
        }
        Carried::Now(None)
    }
}

/// The cached articles closest to `item`, best first; `None` while the index is being built and
/// does not hold the item yet.
fn related_in(index: &RelatedIndex, ready: bool, item: ItemId) -> Option<Vec<ItemId>> {
    if !ready && !index.contains(item.0) {
        return None;
    }
    Some(index.related(item.0, RELATED_COUNT).into_iter().map(|(id, _)| ItemId(id)).collect())
}

/// [`related_in`], waiting for the index's lock (on the related thread).
fn related(index: &SharedIndex, item: ItemId) -> Option<Vec<ItemId>> {
    let ready = index.is_ready();
    index.with(|i| related_in(i, ready, item)).flatten()
}

/// [`related_in`], unless the indexer holds the index right now (`None` then).
fn related_if_free(index: &SharedIndex, item: ItemId) -> Option<Option<Vec<ItemId>>> {
    let ready = index.is_ready();
    index.try_with(|i| related_in(i, ready, item))
}

/// The browser commands to try in turn, each split into its program and arguments (or why it
/// could not be split): the config's, else each entry of the colon-separated `$BROWSER`, else the
/// platform's opener.
/// What the status bar says once the browser took `url` (or could not).
fn opened(browser: &BrowserCommands, url: &str) -> String {
    match open_in_browser(browser, url) {
        Ok(Opened::Started { .. }) => format!("Opened {url}"),
        Ok(Opened::Exited { success: true, .. }) => format!("Back from {url}"),
        Ok(Opened::Exited { program, success: false }) => format!("{program} failed on {url}"),
        Err(e) => format!("Cannot open the browser: {e}"),
    }
}

/// What the status bar says once the player took `url` (or could not).
fn played(player: &Browser, url: &str) -> String {
    match open_in_browser(&[Ok(player.clone())], url) {
        Ok(Opened::Started { .. }) => format!("Playing with {}", player.words.first().map_or("", String::as_str)),
        Ok(Opened::Exited { program, success: true }) => format!("Back from {program}"),
        Ok(Opened::Exited { program, success: false }) => format!("{program} failed on {url}"),
        Err(e) => format!("Cannot start the player: {e}"),
    }
}

/// The escape sequence that asks the terminal to put `text` on the system clipboard (OSC 52:
/// `ESC ] 52 ; c ; base64 BEL`), which terminals honour over ssh too.
pub fn osc52(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::from("\x1b]52;c;");
    for chunk in text.as_bytes().chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out.push('\x07');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_asks_the_terminal_to_copy_the_text_in_base64() {
        assert_eq!(osc52("https://a.example/x"), "\x1b]52;c;aHR0cHM6Ly9hLmV4YW1wbGUveA==\x07");
        assert_eq!(osc52("ab"), "\x1b]52;c;YWI=\x07");
        assert_eq!(osc52("abc"), "\x1b]52;c;YWJj\x07");
        assert_eq!(osc52(""), "\x1b]52;c;\x07");
    }
}
