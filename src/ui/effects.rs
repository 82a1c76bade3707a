//! Carrying out what `update` asks for: flag changes to the cache's one writer (told to the
//! library at once), documents to the render thread, searches after the index caught up, reloads
//! to the poller, links to the browser. Answers come back to the loop as messages.

use std::process::{Command, Stdio};
use std::sync::mpsc;

use super::library::StoreLibrary;
use super::render_worker::RenderWorker;
use super::update::{Effect, Msg};
use crate::feed::background::PollerCommand;
use crate::store::Writer;
use crate::timefmt::now_secs;

/// What carrying out an effect leads to.
pub enum Carried {
    /// Done; this message (if any) is to be handled at once.
    Now(Option<Msg>),
    /// Its answer comes later, as a message on the loop's channel.
    Later,
}

pub struct Actions {
    writer: Writer,
    renderer: RenderWorker,
    poller: Option<tokio::sync::mpsc::UnboundedSender<PollerCommand>>,
    browser: Vec<String>,
    outbox: mpsc::Sender<Msg>,
}

impl Actions {
    /// Answers go to `outbox`; reloads are dropped until [`Actions::with_poller`].
    pub fn new(writer: Writer, browser: Vec<String>, outbox: mpsc::Sender<Msg>) -> Actions {
        let renderer = RenderWorker::spawn(outbox.clone());
        Actions { writer, renderer, poller: None, browser, outbox }
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
            Effect::Render(request) => match self.renderer.render(request) {
                Ok(()) => Carried::Later,
                Err(request) => Carried::Now(Some(Msg::Rendered { id: request.id, article: request.render() })),
            },
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

    fn to_poller(&self, command: PollerCommand) -> Carried {
        if let Some(poller) = &self.poller {
            let _ = poller.send(command);
        }
        Carried::Now(None)
    }
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
