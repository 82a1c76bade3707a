//! The terminal loop (IO edge): terminal set-up and restore, input on its own thread, the poller
//! and the related-stories indexer beside it, and the effects `update` asks for.

use std::io::stdout;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crate::feed::poller::now_secs;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use ratatui::Terminal;
use ratatui::backend::Backend;

use super::app::{App, FeedInfo};
use super::library::{SharedIndex, StoreLibrary};
use super::update::{Effect, Msg, start, update};
use crate::feed::background::{self, PollerCommand};
use crate::feed::poller::{Poller, PollerEvent};
use crate::model::ItemId;
use crate::session::Session;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum UiError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("terminal error: {0}")]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    Session(#[from] crate::session::SessionError),
}

/// How often, at most, the panes show what a running poll changed.
const REFRESH_EVERY: Duration = Duration::from_millis(250);
/// Handling a message for longer than this is logged (at debug level): a frame at 60 Hz.
const SLOW_UPDATE: Duration = Duration::from_millis(16);

/// Runs the interface until the user quits.
pub fn run(session: &Session, runtime: &tokio::runtime::Handle, log_file: Option<PathBuf>) -> Result<(), UiError> {
    let poller = Arc::new(session.poller()?);
    let store = Store::open(&session.cache_path)?;
    let feeds_info = feed_infos(&poller, &store)?;
    let index = SharedIndex::default();
    let mut library = StoreLibrary::new(store, index.clone());
    let ui = &session.settings.ui;
    let mut theme = ui.theme.clone();
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        theme = theme.without_color();
    }
    let mut app = App::new(feeds_info, ui.keymap.clone(), theme, ui.unread_only);
    let browser = browser_command(ui.browser.as_deref());

    install_panic_message(log_file);
    let mut terminal = ratatui::init();
    execute!(stdout(), EnableMouseCapture)?;
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    start(&mut app, &mut library);
    let result = event_loop(&mut terminal, &mut app, &mut library, &poller, runtime, &index, session, &browser);
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

#[allow(clippy::too_many_arguments)]
fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    library: &mut StoreLibrary,
    poller: &Arc<Poller>,
    runtime: &tokio::runtime::Handle,
    index: &SharedIndex,
    session: &Session,
    browser: &[String],
) -> Result<(), UiError>
where
    UiError: From<B::Error>,
{
    // The cache is on screen before the first request goes out.
    terminal.draw(|frame| super::view::draw(frame, app))?;
    let (tx, rx) = mpsc::channel::<Msg>();
    let stop = Arc::new(AtomicBool::new(false));
    let input = spawn_input(tx.clone(), stop.clone());
    let indexer = spawn_indexer(session.cache_path.clone(), index.clone(), tx.clone());
    let (events_tx, mut events_rx) = tokio::sync::mpsc::unbounded_channel::<PollerEvent>();
    let commands = background::spawn(poller.clone(), runtime, events_tx);
    {
        let tx = tx.clone();
        let indexer = indexer.clone();
        runtime.spawn(async move {
            while let Some(event) = events_rx.recv().await {
                match &event {
                    PollerEvent::FeedsFinished(_) | PollerEvent::Finished { .. } => {
                        _ = indexer.send(IndexerWork::NewItems);
                    }
                    PollerEvent::ArticleStored { item, error: None, .. } => {
                        _ = indexer.send(IndexerWork::Reindex(*item));
                    }
                    _ => {}
                }
                if tx.send(Msg::Poller(event)).is_err() {
                    break;
                }
            }
        });
    }
    let mut last_refresh = Instant::now();
    loop {
        // While the poller's changes wait to be shown, wake up in time to show them.
        let wait = if app.stale.is_empty() {
            Duration::from_secs(1)
        } else {
            REFRESH_EVERY.saturating_sub(last_refresh.elapsed())
        };
        let first = match rx.recv_timeout(wait) {
            Ok(msg) => msg,
            Err(mpsc::RecvTimeoutError::Timeout) => Msg::Tick,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut pending = vec![first];
        pending.extend(rx.try_iter());
        if !app.stale.is_empty() && last_refresh.elapsed() >= REFRESH_EVERY {
            pending.push(Msg::Refresh);
        }
        for msg in pending {
            if msg == Msg::Refresh {
                last_refresh = Instant::now();
            }
            let started = Instant::now();
            let kind = std::mem::discriminant(&msg);
            for effect in update(app, msg, library) {
                carry_out(effect, app, library, &commands, browser);
            }
            if started.elapsed() > SLOW_UPDATE {
                tracing::debug!("a message ({kind:?}) took {:?} to handle", started.elapsed());
            }
        }
        if app.should_quit {
            break;
        }
        terminal.draw(|frame| super::view::draw(frame, app))?;
    }
    stop.store(true, Ordering::Relaxed);
    let _ = commands.send(PollerCommand::Shutdown);
    let _ = input.join();
    Ok(())
}

fn carry_out(
    effect: Effect,
    app: &mut App,
    library: &mut StoreLibrary,
    commands: &tokio::sync::mpsc::UnboundedSender<PollerCommand>,
    browser: &[String],
) {
    match effect {
        Effect::OpenUrl(url) => {
            let notice = match open_in_browser(browser, &url) {
                Ok(()) => format!("Opened {url}"),
                Err(e) => format!("Cannot open the browser: {e}"),
            };
            update(app, Msg::Notice(notice), library);
        }
        Effect::Reload(ids) => {
            let _ = commands.send(PollerCommand::Refresh(ids));
        }
        Effect::ReloadAll => {
            let _ = commands.send(PollerCommand::RefreshAll);
        }
    }
}

fn feed_infos(poller: &Poller, store: &Store) -> Result<Vec<FeedInfo>, StoreError> {
    poller
        .feeds()
        .iter()
        .map(|f| {
            let row = store.feed(f.id)?;
            Ok(FeedInfo {
                id: f.id,
                name: f.settings.display_name(row.as_ref().and_then(|r| r.title.as_deref())),
                tags: f.settings.tags.clone(),
            })
        })
        .collect()
}

/// Reads terminal events on their own thread: only key presses matter (some terminals also
/// report releases), plus mouse wheel and resizes.
fn spawn_input(tx: mpsc::Sender<Msg>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match event::poll(Duration::from_millis(100)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => break,
            }
            let msg = match event::read() {
                Ok(Event::Key(key)) if key.kind == event::KeyEventKind::Press => Msg::Key(key),
                Ok(Event::Mouse(mouse)) => Msg::Mouse(mouse),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(_) => break,
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    })
}

/// What the indexer thread is woken for.
enum IndexerWork {
    /// Index the items stored since it last looked.
    NewItems,
    /// Index this item again: its article was extracted.
    Reindex(ItemId),
}

/// Fills the search index and the related-stories index on its own thread and connection, then
/// tops them up after every poll. The interface reads the related index between batches.
fn spawn_indexer(cache: PathBuf, index: SharedIndex, tx: mpsc::Sender<Msg>) -> mpsc::Sender<IndexerWork> {
    let (wake, woken) = mpsc::channel::<IndexerWork>();
    std::thread::spawn(move || {
        crate::priority::lower_this_thread();
        let mut store = match Store::open(&cache) {
            Ok(store) => store,
            Err(e) => {
                tracing::error!("related index: cannot open the cache: {e}");
                return;
            }
        };
        if let Err(e) = index.seed_stories(&store) {
            tracing::error!("story groups: {e}");
        }
        let mut last = ItemId(0);
        let mut work = IndexerWork::NewItems;
        loop {
            // The search index first: it is quick, and a search would otherwise wait for it.
            if let Err(e) = store.index_for_search(usize::MAX) {
                tracing::error!("search index: {e}");
            }
            let result = match work {
                IndexerWork::NewItems => index.index_from(&store, last, now_secs()).and_then(|batch| {
                    last = batch.last;
                    if !batch.stories.is_empty() && store.set_stories(&batch.stories)? > 0 {
                        let _ = tx.send(Msg::StoriesChanged);
                    }
                    Ok(())
                }),
                // An item above `last` is indexed with its article when new items are.
                IndexerWork::Reindex(id) if id.0 <= last.0 => index.reindex(&store, id),
                IndexerWork::Reindex(_) => Ok(()),
            };
            if let Err(e) = result {
                tracing::error!("related index: {e}");
            }
            if !index.is_ready() {
                index.set_ready();
                let _ = tx.send(Msg::Tick);
            }
            match woken.recv() {
                Ok(next) => work = next,
                Err(_) => break,
            }
        }
    });
    wake
}

/// The browser command: the config's, else `$BROWSER`, else the platform's opener.
fn browser_command(configured: Option<&str>) -> Vec<String> {
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

/// After ratatui's hook restores the terminal, say where the log is.
fn install_panic_message(log_file: Option<PathBuf>) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture);
        previous(info);
        tracing::error!("panic: {info}");
        match &log_file {
            Some(path) => eprintln!("tidings crashed; details are in {}", path.display()),
            None => eprintln!("tidings crashed."),
        }
    }));
}
