//! Keys as the config writes them ("j", "G", "ctrl-c", "shift-tab", "pagedown") and the map from
//! key presses to actions.

use std::collections::HashMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::preset::{PRESETS, Preset};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    /// The key of a terminal event, normalised: Shift is folded into characters ("G", not
    /// shift-g) and Back-Tab is shift-tab.
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut modifiers = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            KeyCode::BackTab => {
                modifiers.insert(KeyModifiers::SHIFT);
                KeyCode::Tab
            }
            other => other,
        };
        Key { code, modifiers }
    }
}

/// Parses a key as written in the config.
pub fn parse_key(text: &str) -> Result<Key, String> {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        if rest.chars().count() > 1 && (lower.starts_with("ctrl-") || lower.starts_with("ctrl+")) {
            modifiers |= KeyModifiers::CONTROL;
            rest = &rest[5..];
        } else if rest.chars().count() > 1 && (lower.starts_with("alt-") || lower.starts_with("alt+")) {
            modifiers |= KeyModifiers::ALT;
            rest = &rest[4..];
        } else if rest.chars().count() > 1 && (lower.starts_with("shift-") || lower.starts_with("shift+")) {
            modifiers |= KeyModifiers::SHIFT;
            rest = &rest[6..];
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) => {
            if modifiers.contains(KeyModifiers::SHIFT) && c.is_ascii_alphabetic() {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_uppercase())
            } else if modifiers.contains(KeyModifiers::CONTROL) {
                KeyCode::Char(c.to_ascii_lowercase())
            } else {
                KeyCode::Char(c)
            }
        }
        _ => match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => {
                modifiers |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "insert" => KeyCode::Insert,
            f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                return Err(format!(
                    "unknown key \"{text}\", expected a character, a name such as enter, esc, tab, space, up, \
                     pagedown, f1, or one with ctrl-, alt- or shift-"
                ));
            }
        },
    };
    Ok(Key { code, modifiers })
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pageup"),
            KeyCode::PageDown => f.write_str("pagedown"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Key presses to actions.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: HashMap<Key, Action>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::from_preset(&PRESETS[0])
    }
}

impl Keymap {
    /// The keys of `preset` (tidings' own defaults for the actions it leaves alone).
    pub fn from_preset(preset: &Preset) -> Keymap {
        let mut bindings = HashMap::new();
        for (action, keys) in preset.bindings() {
            for key in keys {
                if let Ok(key) = parse_key(key) {
                    bindings.insert(key, action);
                }
            }
        }
        Keymap { bindings }
    }

    /// The defaults with `overrides` applied: see [`Keymap::overridden`].
    pub fn with_overrides(overrides: &[(Action, Vec<Key>)]) -> Keymap {
        Keymap::default().overridden(overrides)
    }

    /// This keymap with `overrides` applied: each overridden action gets exactly the keys given
    /// (its keys here are dropped), and a key given to an action is taken from any other owner.
    pub fn overridden(mut self, overrides: &[(Action, Vec<Key>)]) -> Keymap {
        for (action, _) in overrides {
            self.bindings.retain(|_, a| a != action);
        }
        for (action, keys) in overrides {
            for key in keys {
                self.bindings.insert(*key, *action);
            }
        }
        self
    }

    pub fn action(&self, key: &Key) -> Option<Action> {
        self.bindings.get(key).copied()
    }

    /// The keys bound to `action`, for the help screen, in a stable order.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        let mut keys: Vec<Key> = self.bindings.iter().filter(|(_, a)| **a == action).map(|(k, _)| *k).collect();
        keys.sort_by_key(|k| (k.modifiers.bits(), k.to_string().len() > 1, k.to_string()));
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_key_names_users_write() {
        assert_eq!(parse_key("j"), Ok(Key { code: KeyCode::Char('j'), modifiers: KeyModifiers::NONE }));
        assert_eq!(parse_key("G"), Ok(Key { code: KeyCode::Char('G'), modifiers: KeyModifiers::NONE }));
        assert_eq!(parse_key("shift-g"), parse_key("G"));
        assert_eq!(parse_key("ctrl-c"), Ok(Key { code: KeyCode::Char('c'), modifiers: KeyModifiers::CONTROL }));
        assert_eq!(parse_key("shift-tab"), parse_key("backtab"));
        assert_eq!(parse_key("PageDown"), Ok(Key { code: KeyCode::PageDown, modifiers: KeyModifiers::NONE }));
        assert_eq!(parse_key("f5"), Ok(Key { code: KeyCode::F(5), modifiers: KeyModifiers::NONE }));
        assert!(parse_key("hyper-x").is_err());
    }

    #[test]
    fn events_are_normalised() {
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shifted), parse_key("G").expect("valid key"));
        let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&backtab), parse_key("shift-tab").expect("valid key"));
    }

    #[test]
    fn overrides_replace_an_actions_keys_and_steal_keys() {
        let x = parse_key("x").expect("valid key");
        let j = parse_key("j").expect("valid key");
        let map = Keymap::with_overrides(&[(Action::Quit, vec![x, j])]);
        assert_eq!(map.action(&x), Some(Action::Quit));
        assert_eq!(map.action(&j), Some(Action::Quit));
        assert_eq!(map.action(&parse_key("Q").expect("valid key")), None);
        assert_eq!(map.action(&parse_key("down").expect("valid key")), Some(Action::Down));
    }

    #[test]
    fn no_key_is_bound_twice_within_a_preset() {
        for preset in PRESETS {
            let mut owner: HashMap<Key, Action> = HashMap::new();
            for (action, keys) in preset.bindings() {
                assert!(!keys.is_empty(), "{}: {action:?} has no key", preset.name);
                for text in keys {
                    let key = parse_key(text).unwrap_or_else(|e| panic!("{}: {e}", preset.name));
                    if let Some(other) = owner.insert(key, action) {
                        panic!("{}: key \"{text}\" is bound to both {other:?} and {action:?}", preset.name);
                    }
                }
            }
        }
    }

    #[test]
    fn the_newsboat_preset_has_newsboats_keys_and_keeps_ours_elsewhere() {
        let map = Keymap::from_preset(Preset::by_name("newsboat").expect("known preset"));
        let key = |text: &str| parse_key(text).expect("valid key");
        assert_eq!(map.action(&key("n")), Some(Action::NextUnread));
        assert_eq!(map.action(&key("p")), Some(Action::PrevUnread));
        assert_eq!(map.action(&key("N")), Some(Action::ToggleRead));
        assert_eq!(map.action(&key("l")), Some(Action::ToggleUnreadOnly));
        assert_eq!(map.action(&key("J")), Some(Action::NextArticle));
        assert_eq!(map.action(&key("q")), Some(Action::Back));
        assert_eq!(map.action(&key("m")), None);
        assert_eq!(map.action(&key("u")), None);
        assert_eq!(map.action(&key("s")), Some(Action::ToggleStar));
        assert_eq!(Keymap::from_preset(&PRESETS[0]), Keymap::default());
    }
}
