//! The table of keys, from a keymap: what the `?` help shows, what `tidings keys` prints and the
//! README's key table (a test keeps that one equal to the default keymap's).

use super::action::ACTIONS;
use super::keymap::Keymap;

/// One row: the keys bound to an action (the nine "open link N" actions make one row), its
/// name in the config's `[keys]` table and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    /// The keys, each as the config writes it.
    pub keys: Vec<String>,
    pub name: &'static str,
    pub description: &'static str,
}

/// The rows for `keymap`, in the order of [`ACTIONS`]; actions with no key are left out.
pub fn rows(keymap: &Keymap) -> Vec<KeyRow> {
    let link_keys =
        || ACTIONS.iter().filter(|i| i.action.link_number().is_some()).flat_map(|i| keymap.keys_for(i.action));
    ACTIONS
        .iter()
        .filter(|info| info.action.link_number().is_none_or(|n| n == 1))
        .filter_map(|info| {
            let (keys, name, description) = match info.action.link_number() {
                Some(_) => (
                    link_keys().map(|k| k.to_string()).collect::<Vec<_>>(),
                    "open_link_1 ... open_link_9",
                    "Open link 1-9 of the article",
                ),
                None => (
                    keymap.keys_for(info.action).iter().map(ToString::to_string).collect::<Vec<_>>(),
                    info.name,
                    info.description,
                ),
            };
            (!keys.is_empty()).then_some(KeyRow { keys, name, description })
        })
        .collect()
}

impl KeyRow {
    /// The keys for a narrow column: `j, down`; the link keys run together (`123456789`).
    pub fn joined(&self) -> String {
        self.keys.join(if self.name.starts_with("open_link") { "" } else { ", " })
    }
}

/// The rows as a Markdown table (keys in code spans; `|` escaped).
pub fn markdown(keymap: &Keymap) -> String {
    let mut out = String::from("| keys | action (`[keys]` name) | what it does |\n| --- | --- | --- |\n");
    for row in rows(keymap) {
        let keys = row.keys.iter().map(|k| format!("`{}`", k.replace('|', "\\|"))).collect::<Vec<_>>();
        out.push_str(&format!("| {} | {} | {} |\n", keys.join(", "), row.name, row.description));
    }
    out
}

/// The rows as plain text, aligned, for a terminal.
pub fn plain(keymap: &Keymap) -> String {
    let rows = rows(keymap);
    let width = rows.iter().map(|r| r.joined().chars().count()).max().unwrap_or(0);
    let name_width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    rows.iter().map(|r| format!("{:<width$}  {:<name_width$}  {}\n", r.joined(), r.name, r.description)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Action;
    use crate::keys::parse_key;

    #[test]
    fn every_action_with_a_key_has_a_row_and_the_links_share_one() {
        let rows = rows(&Keymap::default());
        let down = rows.iter().find(|r| r.name == "down").expect("down");
        assert_eq!(down.joined(), "j, down");
        let links = rows.iter().filter(|r| r.name.starts_with("open_link")).collect::<Vec<_>>();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].joined(), "123456789");
        assert_eq!(rows.len(), ACTIONS.len() - 8);
    }

    #[test]
    fn rebinding_changes_the_table_and_an_unbound_action_leaves_it() {
        let keymap = Keymap::with_overrides(&[
            (Action::Down, vec![parse_key("ctrl-n").expect("key")]),
            (Action::Help, Vec::new()),
        ]);
        let rows = rows(&keymap);
        assert_eq!(rows.iter().find(|r| r.name == "down").map(KeyRow::joined).as_deref(), Some("ctrl-n"));
        assert!(rows.iter().all(|r| r.name != "help"));
        assert!(markdown(&keymap).contains("| `ctrl-n` | down | Move down / scroll the article |"));
        assert!(
            plain(&keymap).lines().any(|l| l.starts_with("ctrl-n") && l.ends_with("Move down / scroll the article"))
        );
    }
}
