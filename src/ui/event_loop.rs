//! The loop: messages in (keys, the poller, the indexer, answers to effects), `update`, effects
//! carried out, frames drawn. It runs on any ratatui backend, so a test drives the real loop on
//! `TestBackend` with scripted messages.

use std::collections::VecDeque;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;

use super::app::App;
use super::effects::{Actions, Carried};
use super::error::UiError;
use super::library::StoreLibrary;
use super::update::{Effect, Msg, start, update};
use crate::feed::events::PollerEvent;

/// How often, at most, the panes show what a running poll changed.
const REFRESH_EVERY: Duration = Duration::from_millis(250);
/// Handling a message for longer than this is logged (at debug level): a frame at 60 Hz.
const SLOW_UPDATE: Duration = Duration::from_millis(16);
/// The longest [`EventLoop::settle`] waits for an answer (the writer's busy time-out is 5 s).
const SETTLE_AT_MOST: Duration = Duration::from_secs(10);
/// How long a frame waits for an article's document and related stories before it is drawn
/// without them (the loop still handles every message meanwhile): they usually take a
/// millisecond or two, and a frame with the article's header alone would flash before them.
const ARTICLE_WAIT: Duration = Duration::from_millis(20);

pub struct EventLoop {
    pub app: App,
    pub library: StoreLibrary,
    actions: Actions,
    inbox: mpsc::Receiver<Msg>,
    outbox: mpsc::Sender<Msg>,
    /// Answers still to come for effects carried out (saves, documents, searches).
    awaited: usize,
    /// Of those, the ones the article pane shows (documents, related stories).
    awaited_for_article: usize,
    last_refresh: Instant,
    /// Hands the terminal over to what it is given (input paused, the screen and modes as the
    /// shell had them), runs it, and takes the terminal back: for Ctrl-Z and for a browser that
    /// draws in the terminal. `None` on a test backend, where Ctrl-Z is a key like any other and
    /// a browser simply runs.
    handover: Option<Box<Handover>>,
    /// The terminal was handed over since the last frame: the next one is drawn whole.
    screen_lost: bool,
}

/// See [`EventLoop::on_handover`].
pub type Handover = dyn FnMut(&mut dyn FnMut());

impl EventLoop {
    /// A loop over `app` and `library`; `actions` must send its answers to `channel`'s sender.
    pub fn new(
        app: App,
        library: StoreLibrary,
        actions: Actions,
        channel: (mpsc::Sender<Msg>, mpsc::Receiver<Msg>),
    ) -> EventLoop {
        let (outbox, inbox) = channel;
        EventLoop {
            app,
            library,
            actions,
            inbox,
            outbox,
            awaited: 0,
            awaited_for_article: 0,
            last_refresh: Instant::now(),
            handover: None,
            screen_lost: false,
        }
    }

    /// How the terminal is handed to something else and taken back: `handover(run)` releases
    /// the terminal, calls `run`, and takes the terminal again. Ctrl-Z then suspends the reader
    /// (`run` stops the process until `fg`), and a terminal browser runs in its place. The screen
    /// is drawn afresh afterwards.
    pub fn on_handover(&mut self, handover: impl FnMut(&mut dyn FnMut()) + 'static) {
        self.handover = Some(Box::new(handover));
    }

    /// Runs `job` with the terminal handed over (just runs it where there is no terminal).
    fn in_terminal<T>(&mut self, job: impl FnOnce() -> T) -> T {
        let mut job = Some(job);
        let mut out = None;
        let mut run = || {
            if let Some(job) = job.take() {
                out = Some(job());
            }
        };
        if let Some(handover) = self.handover.as_mut() {
            handover(&mut run);
            self.screen_lost = true;
        }
        // Where there is no terminal, or a hand-over that did not call it: here.
        run();
        out.unwrap_or_else(|| unreachable!("the job has run"))
    }

    /// What carries out the effects (to change how links are opened, say).
    pub fn actions_mut(&mut self) -> &mut Actions {
        &mut self.actions
    }

    /// Where the input thread, the poller and the indexer send their messages.
    pub fn sender(&self) -> mpsc::Sender<Msg> {
        self.outbox.clone()
    }

    /// Fills the panes from the cache (before the first frame).
    pub fn start(&mut self) {
        start(&mut self.app, &self.library);
    }

    /// Handles `msg` and every message its effects lead to at once; returns the effects asked for.
    pub fn handle(&mut self, msg: Msg) -> Vec<Effect> {
        // Beside each message: whether it came from outside (then it may answer an effect that
        // was carried out later) or from an effect carried out at once (it answers nothing).
        let mut queue = VecDeque::from([(msg, true)]);
        let mut asked = Vec::new();
        while let Some((msg, from_outside)) = queue.pop_front() {
            self.observe(&msg, from_outside);
            for effect in update(&mut self.app, msg, &self.library) {
                asked.push(effect.clone());
                let for_article = matches!(effect, Effect::Render(_) | Effect::FindRelated(_));
                match self.actions.carry_out(effect, &mut self.library) {
                    Carried::Now(Some(next)) => queue.push_back((next, false)),
                    Carried::Now(None) => {}
                    Carried::InTerminal(job) => {
                        let next = self.in_terminal(job);
                        queue.push_back((next, false));
                    }
                    Carried::Later => {
                        self.awaited += 1;
                        self.awaited_for_article += usize::from(for_article);
                    }
                }
            }
        }
        asked
    }

    /// What the library must know before `update` reads it: a poll of ours starting or ending,
    /// the writer's answer to a change. Answers that came later are counted off.
    fn observe(&mut self, msg: &Msg, from_outside: bool) {
        let (answer, for_article) = match msg {
            Msg::Poller(PollerEvent::PollStarted { .. }) => {
                self.library.poll_running(true);
                (false, false)
            }
            Msg::Poller(PollerEvent::Finished { .. }) => {
                self.library.poll_running(false);
                (false, false)
            }
            Msg::Saved { change, error } => {
                self.library.saved(*change, error.is_none());
                (true, false)
            }
            Msg::Rendered { .. } | Msg::Related { .. } => (true, true),
            Msg::SearchReady(_) => (true, false),
            _ => (false, false),
        };
        if answer && from_outside {
            self.awaited = self.awaited.saturating_sub(1);
            if for_article {
                self.awaited_for_article = self.awaited_for_article.saturating_sub(1);
            }
        }
    }

    /// Handles messages until the article pane's documents and related stories asked for have
    /// come (or `at_most` passed): what the loop does before it draws a frame.
    pub fn wait_for_article(&mut self, at_most: Duration) {
        self.handle_while(at_most, |reader| reader.awaited_for_article > 0);
    }

    /// Handles messages until every effect carried out has answered (each save is on disk, each
    /// document shown): before quitting, and in tests after each step.
    pub fn settle(&mut self) {
        self.handle_while(SETTLE_AT_MOST, |reader| reader.awaited > 0);
    }

    /// Handles the messages that come while `waiting` holds, for `at_most` at the longest.
    fn handle_while(&mut self, at_most: Duration, waiting: impl Fn(&EventLoop) -> bool) {
        let deadline = Instant::now() + at_most;
        while waiting(self) {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else { break };
            match self.inbox.recv_timeout(left) {
                Ok(msg) => {
                    self.handle(msg);
                }
                Err(_) => break,
            }
        }
    }

    /// Runs until the user quits: waits for messages, handles all that are waiting, draws.
    pub fn run<B: Backend>(&mut self, terminal: &mut Terminal<B>) -> Result<(), UiError>
    where
        UiError: From<B::Error>,
    {
        // The cache is on screen before the first request goes out.
        terminal.draw(|frame| super::view::draw(frame, &self.app))?;
        loop {
            // While the poller's changes wait to be shown, wake up in time to show them.
            let wait = if self.app.stale.is_empty() {
                Duration::from_secs(1)
            } else {
                REFRESH_EVERY.saturating_sub(self.last_refresh.elapsed())
            };
            let first = match self.inbox.recv_timeout(wait) {
                Ok(msg) => msg,
                Err(mpsc::RecvTimeoutError::Timeout) => Msg::Tick,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let mut pending = vec![first];
            pending.extend(self.inbox.try_iter());
            if !self.app.stale.is_empty() && self.last_refresh.elapsed() >= REFRESH_EVERY {
                pending.push(Msg::Refresh);
            }
            for msg in pending {
                if let Msg::Key(key) = &msg
                    && self.handover.is_some()
                    && is_suspend_key(key)
                {
                    self.in_terminal(suspend_process);
                    continue;
                }
                if msg == Msg::Refresh {
                    self.last_refresh = Instant::now();
                }
                let started = Instant::now();
                let kind = std::mem::discriminant(&msg);
                self.handle(msg);
                if started.elapsed() > SLOW_UPDATE {
                    tracing::debug!("a message ({kind:?}) took {:?} to handle", started.elapsed());
                }
            }
            self.wait_for_article(ARTICLE_WAIT);
            if std::mem::take(&mut self.screen_lost) {
                // The terminal may have changed meanwhile, and its screen holds what the shell
                // or the browser drew: everything is drawn again.
                if let Ok(size) = terminal.size() {
                    self.handle(Msg::Resize(size.width, size.height));
                }
                // (Not `Terminal::clear`, which asks the terminal where its cursor is.)
                terminal.backend_mut().clear_region(ratatui::backend::ClearType::All)?;
                terminal.swap_buffers();
            }
            if self.app.should_quit {
                // Every change is saved before the process ends.
                self.settle();
                terminal.draw(|frame| super::view::draw(frame, &self.app))?;
                break;
            }
            terminal.draw(|frame| super::view::draw(frame, &self.app))?;
        }
        self.actions.stop_poller();
        Ok(())
    }
}

/// Stops this process group as the terminal's ^Z would, until it is continued (`fg`).
#[cfg(unix)]
fn suspend_process() {
    // SAFETY: kill only sends a signal; 0 is this process's group, as the terminal's ^Z does.
    unsafe {
        libc::kill(0, libc::SIGTSTP);
    }
}

#[cfg(not(unix))]
fn suspend_process() {}

/// Ctrl-Z, as it arrives in raw mode.
fn is_suspend_key(key: &crossterm::event::KeyEvent) -> bool {
    key.kind == crossterm::event::KeyEventKind::Press
        && key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL)
        && matches!(key.code, crossterm::event::KeyCode::Char('z' | 'Z'))
}
