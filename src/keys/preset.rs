//! Keymap presets: a whole set of default keys to start from, named in the config's
//! `[keys] preset`. A preset lists only the actions whose keys differ from tidings' own defaults
//! (the `default_keys` of [`ACTIONS`]); every other action keeps its default keys.

use super::action::{ACTIONS, Action};

pub struct Preset {
    pub name: &'static str,
    /// Actions whose keys replace their tidings defaults.
    pub changes: &'static [(Action, &'static [&'static str])],
}

/// The known presets, the default first.
pub static PRESETS: &[Preset] = &[
    Preset { name: "tidings", changes: &[] },
    // newsboat's default bindings for the actions tidings has: `p` previous unread, `N` toggle
    // read, `l` show read / unread only (newsboat's toggle-show-read-feeds), so `l` no longer
    // opens. The rest (n, J/K, A, o, r/R, /, ?, q, Q, arrows, Page keys, Home/End, Enter) is
    // already what newsboat binds; actions newsboat has no key for keep tidings' keys.
    Preset {
        name: "newsboat",
        changes: &[
            (Action::Open, &["enter", "right"]),
            (Action::PrevUnread, &["p"]),
            (Action::ToggleRead, &["N"]),
            (Action::ToggleUnreadOnly, &["l"]),
        ],
    },
];

impl Preset {
    pub fn by_name(name: &str) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.name == name)
    }

    /// The names of the known presets, quoted, for messages: `"tidings", "newsboat"`.
    pub fn known_names() -> String {
        PRESETS.iter().map(|p| format!("\"{}\"", p.name)).collect::<Vec<_>>().join(", ")
    }

    /// Every action with the keys this preset gives it, in the order of [`ACTIONS`].
    pub fn bindings(&self) -> Vec<(Action, &'static [&'static str])> {
        ACTIONS
            .iter()
            .map(|info| {
                let keys = self.changes.iter().find(|(a, _)| *a == info.action).map_or(info.default_keys, |(_, k)| k);
                (info.action, keys)
            })
            .collect()
    }
}
