//! Enclosures: playing one and queueing its download (asking for its number when the item has
//! several), the download list's keys, and what the download task tells. Playing and
//! downloading are effects: the loop starts the player, the download task fetches.

use crossterm::event::{KeyCode, KeyEvent};

use super::Effect;
use crate::download::events::{DownloadEvent, DownloadRequest};
use crate::file_names as name;
use crate::keys::{Action, Key};
use crate::model::{DownloadRow, DownloadState, Enclosure, ItemId, ItemRow};
use crate::render::media;
use crate::ui::app::{App, DownloadLine, DownloadStatus, Mode};
use crate::ui::library::Library;

/// What the keys do with enclosures, for the article ("P plays · d downloads"), with the keys
/// as bound.
pub(super) fn hint(app: &App) -> String {
    let key = |action| app.keymap.keys_for(action).first().map(ToString::to_string);
    let mut parts = Vec::new();
    if let Some(k) = key(Action::PlayEnclosure) {
        parts.push(format!("{k} plays"));
    }
    if let Some(k) = key(Action::DownloadEnclosure) {
        parts.push(format!("{k} downloads"));
    }
    parts.join(" · ")
}

/// The item the keys act on, whole (the open article's, else the selected headline's).
fn current(app: &App, lib: &dyn Library) -> Option<ItemRow> {
    let id = super::current_item(app)?;
    match &app.article {
        Some(article) if article.item.id == id => Some(article.item.clone()),
        _ => lib.item(id).ok().flatten(),
    }
}

/// `play_enclosure` (`play`) or `download_enclosure`: the item's one enclosure, or the number
/// of one asked for when it has several.
pub(super) fn act(app: &mut App, play: bool, lib: &dyn Library, effects: &mut Vec<Effect>) {
    let Some(item) = current(app, lib) else {
        app.status.message = Some("Select an item with an enclosure".into());
        return;
    };
    match item.enclosures.as_slice() {
        [] => app.status.message = Some("This item has no enclosure".into()),
        [one] => carry(app, &item, one, play, effects),
        several => {
            app.mode = Mode::PickEnclosure { item: item.id, play };
            let verb = if play { "Play" } else { "Download" };
            app.status.message = Some(format!("{verb} which enclosure? 1-{}", several.len().min(9)));
        }
    }
}

/// A key while the enclosure's number is asked for: 1-9 picks it, any other key cancels.
pub(super) fn pick_key(
    app: &mut App,
    key: KeyEvent,
    item: ItemId,
    play: bool,
    lib: &dyn Library,
    effects: &mut Vec<Effect>,
) {
    app.mode = Mode::Normal;
    app.status.message = None;
    let KeyCode::Char(c) = key.code else { return };
    let Some(n) = c.to_digit(10).filter(|n| *n >= 1) else { return };
    let row = match &app.article {
        Some(article) if article.item.id == item => Some(article.item.clone()),
        _ => lib.item(item).ok().flatten(),
    };
    let Some(row) = row else { return };
    match row.enclosures.get(n as usize - 1) {
        Some(enclosure) => carry(app, &row, enclosure, play, effects),
        None => app.status.message = Some(format!("No enclosure {n}")),
    }
}

fn carry(app: &mut App, item: &ItemRow, enclosure: &Enclosure, play: bool, effects: &mut Vec<Effect>) {
    if !is_web_address(&enclosure.url) {
        app.status.message = Some("Not a web address: only http and https enclosures are fetched".into());
        return;
    }
    let name = media::file_name(enclosure);
    if play {
        app.status.message = Some(format!("Playing {name}"));
        effects.push(Effect::Play(enclosure.url.clone()));
    } else {
        app.status.message = Some(format!("Queueing {name}…"));
        effects.push(Effect::Download(DownloadRequest {
            url: enclosure.url.clone(),
            item: Some(item.id),
            title: item.title.clone(),
        }));
    }
}

fn is_web_address(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// `downloads`: opens the download list.
pub(super) fn open_list(app: &mut App) {
    app.mode = Mode::Downloads { selected: 0 };
}

/// A key in the download list: up and down move, Enter retries a failed download, x (or
/// Delete) takes one off the list, quit quits, any other key closes it.
pub(super) fn list_key(app: &mut App, key: KeyEvent, selected: usize, effects: &mut Vec<Effect>) {
    let last = app.downloads.len().saturating_sub(1);
    let selected = selected.min(last);
    let line = app.downloads.get(selected);
    let stay = |selected| Mode::Downloads { selected };
    app.mode = match (key.code, app.keymap.action(&Key::from_event(&key))) {
        (KeyCode::Enter, _) => {
            match line {
                Some(DownloadLine { id, status: DownloadStatus::Failed(_), .. }) => {
                    effects.push(Effect::RetryDownload(*id));
                }
                Some(line) => app.status.message = Some(format!("{} is not a failed download", line.name)),
                None => {}
            }
            stay(selected)
        }
        (KeyCode::Char('x') | KeyCode::Delete, _) => {
            if let Some(line) = line {
                effects.push(Effect::RemoveDownload(line.id));
            }
            stay(selected)
        }
        (_, Some(Action::Down)) => stay((selected + 1).min(last)),
        (_, Some(Action::Up)) => stay(selected.saturating_sub(1)),
        (_, Some(Action::Top)) => stay(0),
        (_, Some(Action::Bottom)) => stay(last),
        (_, Some(Action::Quit)) => {
            app.should_quit = true;
            Mode::Normal
        }
        _ => Mode::Normal,
    };
}

fn line_of(row: &DownloadRow) -> DownloadLine {
    let status = match row.state {
        DownloadState::Queued => DownloadStatus::Queued,
        DownloadState::Done => DownloadStatus::Done(row.file_name.clone().unwrap_or_else(|| name_of(&row.url))),
        DownloadState::Failed => DownloadStatus::Failed(row.error.clone().unwrap_or_else(|| "failed".into())),
    };
    DownloadLine {
        id: row.id,
        title: crate::sanitize::clean_line(&row.title),
        name: name_of(&row.url),
        status,
        received: row.received,
        total: row.total,
    }
}

fn name_of(url: &str) -> String {
    name::from_url(url).unwrap_or_else(|| name::FALLBACK.to_string())
}

/// What the download task told.
pub(super) fn on_event(app: &mut App, event: DownloadEvent) {
    match event {
        DownloadEvent::Listed(rows) => app.downloads = rows.iter().map(line_of).collect(),
        DownloadEvent::Queued(row) => {
            let line = line_of(&row);
            app.status.message = Some(format!("Queued {} for download{}", line.name, list_hint(app)));
            match app.downloads.iter_mut().find(|l| l.id == row.id) {
                Some(existing) => *existing = line,
                None => app.downloads.push(line),
            }
        }
        DownloadEvent::AlreadyListed(row) => {
            app.status.message = Some(match (&row.state, &row.file_name) {
                (DownloadState::Done, Some(file)) => {
                    format!("Already downloaded, as {}", crate::sanitize::clean_line(file))
                }
                _ => format!("{} is in the download list already", name_of(&row.url)),
            });
        }
        DownloadEvent::Progress { id, received, total } => {
            if let Some(line) = app.downloads.iter_mut().find(|l| l.id == id) {
                line.status = DownloadStatus::Running;
                line.received = received;
                line.total = total.or(line.total);
            }
        }
        DownloadEvent::Done { id, file_name, size } => {
            app.status.message = Some(format!("Downloaded {file_name}"));
            if let Some(line) = app.downloads.iter_mut().find(|l| l.id == id) {
                line.status = DownloadStatus::Done(file_name);
                line.received = size;
                line.total = Some(size);
            }
        }
        DownloadEvent::Failed { id, error, received } => {
            if let Some(line) = app.downloads.iter_mut().find(|l| l.id == id) {
                app.status.message = Some(format!("Download of {} failed: {error}", line.name));
                line.status = DownloadStatus::Failed(error);
                line.received = received;
            }
        }
        DownloadEvent::Removed(id) => {
            app.downloads.retain(|l| l.id != id);
            if let Mode::Downloads { selected } = &mut app.mode {
                *selected = (*selected).min(app.downloads.len().saturating_sub(1));
            }
        }
        DownloadEvent::Error(error) => app.status.message = Some(error),
    }
}

/// " · D shows the list", with the key as bound, when the list is not open.
fn list_hint(app: &App) -> String {
    if matches!(app.mode, Mode::Downloads { .. }) {
        return String::new();
    }
    app.keymap.keys_for(Action::Downloads).first().map_or_else(String::new, |k| format!(" · {k} shows the list"))
}
