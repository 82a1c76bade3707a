//! The terminal edge: terminal set-up and restore, input on its own thread, the poller and the
//! indexer started beside the loop ([`super::event_loop::EventLoop`]), and the panic message.

use std::io::stdout;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use crossterm::cursor::{Hide, Show};
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};

use super::app::App;
use super::browser::{Browser, browser_command, split_command};
use super::effects::Actions;
use super::event_loop::EventLoop;
use super::feed_list::feed_infos;
use super::indexer::{IndexerWork, spawn_indexer};
use super::input_gate::InputGate;
use super::keep::{Keeping, default_save_dir, expand_home};
use super::library::{SharedIndex, StoreLibrary};
use super::sync_task::spawn_sync;
use super::update::Msg;
use crate::download::{self, DownloadEvent, DownloadSetup};
use crate::feed::background;
use crate::feed::events::PollerEvent;
use crate::session::Session;
use crate::store::Store;
use crate::store::flag_journal::FlagJournal;

pub use super::error::UiError;
use crate::timefmt::TimeDisplay;

/// Runs the interface until the user quits.
pub fn run(session: &Session, runtime: &tokio::runtime::Handle, log_file: Option<PathBuf>) -> Result<(), UiError> {
    // The poller's connection opens (and migrates) the cache; the interface's only reads it.
    let poller = Arc::new(session.poller()?);
    let store = Store::open_for_reading(&session.cache_path)?;
    let feeds_info = feed_infos(&poller, &store)?;
    let index = SharedIndex::default();
    let library = StoreLibrary::new(store);
    let ui = &session.settings.ui;
    let mut theme = ui.theme.clone();
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        theme = theme.without_color();
    }
    let mut app = App::new(feeds_info, ui.keymap.clone(), theme, ui.unread_only);
    app.query_feeds = session.settings.queries.clone();
    app.keep_format = ui.save_format;
    // The zone is read once, here: the pure core gets it as data.
    app.time = TimeDisplay { offset: *chrono::Local::now().offset(), format: ui.time_format.clone() };
    app.hyperlinks = ui.hyperlinks;
    app.notify = session.settings.notify != crate::config::NotifyMethod::Off;
    let channel = mpsc::channel::<Msg>();
    let writer = poller.writer().clone();
    let tx = channel.0.clone();
    let indexer = spawn_indexer(session.cache_path.clone(), index.clone(), writer.clone(), tx.clone());
    let (events_tx, events_rx) = tokio::sync::mpsc::unbounded_channel::<PollerEvent>();
    let sync = spawn_sync(poller.clone(), session.settings.clone(), runtime, tx.clone(), indexer.clone());
    forward_poller_events(runtime, events_rx, tx.clone(), indexer);
    let browser = browser_command(ui.browser.as_deref(), ui.terminal_browser);
    let keeping = Keeping {
        save_dir: ui.save_dir.as_deref().map_or_else(default_save_dir, expand_home),
        pipe: ui.pipe.as_deref().map(split_command),
    };
    let (downloads_tx, downloads_rx) = tokio::sync::mpsc::unbounded_channel::<DownloadEvent>();
    let setup = DownloadSetup::new(&session.settings, poller.store().clone(), writer.clone());
    let downloads = download::spawn(setup, runtime, downloads_tx);
    forward_download_events(runtime, downloads_rx, tx.clone());
    let mut actions = Actions::new(writer, index, browser, tx.clone())
        .with_poller(background::spawn(poller.clone(), runtime, events_tx))
        .with_downloads(downloads)
        .with_sync(sync)
        .with_journal(FlagJournal::beside(&session.cache_path))
        .with_terminal(|sequence| {
            use std::io::Write;
            let mut out = stdout();
            let _ = out.write_all(sequence.as_bytes()).and_then(|()| out.flush());
        });
    actions.set_keeping(keeping);
    actions.set_notify(session.settings.notify.clone());
    actions.set_player(ui.player.clone().map(|words| Browser { words, in_terminal: ui.terminal_player }));
    let mut reader = EventLoop::new(app, library, actions, channel);
    let gate = Arc::new(InputGate::default());
    let paused = gate.clone();
    reader.on_handover(move |run| hand_over(&paused, run));
    quit_on_signals(runtime, tx.clone())?;

    let mut terminal = ratatui::init();
    // After ratatui's hook, so that ours runs first and can leave a caught panic alone.
    install_panic_message(log_file);
    // The terminal is asked what it draws before the input thread reads its answers.
    let images = image_loader(session, runtime, &mut reader.app);
    reader.actions_mut().set_images(images);
    execute!(stdout(), EnableMouseCapture)?;
    let size = terminal.size()?;
    reader.app.size = (size.width, size.height);
    reader.start();
    let stop = Arc::new(AtomicBool::new(false));
    let input = spawn_input(tx, stop.clone(), gate);
    let result = reader.run(&mut terminal);
    stop.store(true, Ordering::Relaxed);
    let _ = input.join();
    restore_terminal();
    result
}

/// What loads the article's images, as `[images]` and the terminal allow (none: labels only).
fn image_loader(
    session: &Session,
    runtime: &tokio::runtime::Handle,
    app: &mut App,
) -> Option<crate::images::ImageLoader> {
    let settings = &session.settings.images;
    let (picker, graphics) = crate::images::terminal::picker_for(settings.protocol)?;
    let Some(dir) = crate::config::paths::image_cache_dir() else {
        tracing::warn!("no cache folder: pictures are not drawn");
        return None;
    };
    match crate::images::ImageLoader::new(&session.settings, dir, picker, runtime.clone()) {
        Ok(loader) => {
            app.images.drawable = true;
            app.images.shown = settings.shown_at_start(graphics);
            Some(loader)
        }
        Err(e) => {
            tracing::warn!("pictures are not drawn: {e}");
            None
        }
    }
}

/// Hands the terminal back as it was: mouse reporting off, the main screen, the cursor shown,
/// cooked mode.
fn restore_terminal() {
    let _ = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
}

/// Hands the terminal to `run` (Ctrl-Z's stop, a terminal browser): the input thread paused so
/// that it reads none of their keys, the terminal restored; then taken again (the loop redraws).
fn hand_over(gate: &InputGate, run: &mut dyn FnMut()) {
    gate.pause();
    restore_terminal();
    run();
    let _ = enable_raw_mode();
    let _ = execute!(stdout(), EnterAlternateScreen, EnableMouseCapture, Hide);
    gate.resume();
}

/// SIGTERM, SIGHUP and SIGINT end the loop as `q` does (every change saved, the terminal
/// restored, the demo's cache removed) instead of killing the process where it stands. The
/// handlers are installed here, before the terminal is taken.
#[cfg(unix)]
fn quit_on_signals(runtime: &tokio::runtime::Handle, tx: mpsc::Sender<Msg>) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let _entered = runtime.enter();
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    let mut int = signal(SignalKind::interrupt())?;
    runtime.spawn(async move {
        loop {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = hup.recv() => "SIGHUP",
                _ = int.recv() => "SIGINT",
            };
            tracing::info!("{name}: quitting");
            if tx.send(Msg::Quit).is_err() {
                break;
            }
        }
    });
    Ok(())
}

#[cfg(not(unix))]
fn quit_on_signals(_runtime: &tokio::runtime::Handle, _tx: mpsc::Sender<Msg>) -> std::io::Result<()> {
    Ok(())
}

/// Passes the poller's events to the loop, and wakes the indexer when there is new text.
fn forward_poller_events(
    runtime: &tokio::runtime::Handle,
    mut events: tokio::sync::mpsc::UnboundedReceiver<PollerEvent>,
    tx: mpsc::Sender<Msg>,
    indexer: mpsc::Sender<IndexerWork>,
) {
    runtime.spawn(async move {
        while let Some(event) = events.recv().await {
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

/// Passes the download task's events to the loop.
fn forward_download_events(
    runtime: &tokio::runtime::Handle,
    mut events: tokio::sync::mpsc::UnboundedReceiver<DownloadEvent>,
    tx: mpsc::Sender<Msg>,
) {
    runtime.spawn(async move {
        while let Some(event) = events.recv().await {
            if tx.send(Msg::Download(event)).is_err() {
                break;
            }
        }
    });
}

/// Reads terminal events on their own thread: only key presses matter (some terminals also
/// report releases), plus mouse wheel and resizes. While `gate` is paused it reads nothing.
fn spawn_input(tx: mpsc::Sender<Msg>, stop: Arc<AtomicBool>, gate: Arc<InputGate>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            gate.wait_while_paused();
            match event::poll(Duration::from_millis(100)) {
                Ok(true) if !gate.is_paused() => {}
                Ok(_) => continue,
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

/// After ratatui's hook restores the terminal, say where the log is.
fn install_panic_message(log_file: Option<PathBuf>) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A parser's panic on hostile input, caught and answered with an error: logged, and
        // the terminal left as it is (ratatui's hook would restore it under the running reader).
        if crate::caught::is_catching() {
            tracing::warn!("caught: {info}");
            return;
        }
        let _ = execute!(stdout(), DisableMouseCapture);
        previous(info);
        tracing::error!("panic: {info}");
        match &log_file {
            Some(path) => eprintln!("tidings crashed; details are in {}", path.display()),
            None => eprintln!("tidings crashed."),
        }
    }));
}
