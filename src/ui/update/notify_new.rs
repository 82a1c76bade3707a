//! The notification of new items: asked for when a poll's feeds are done, if `[notify]` is on,
//! the poll brought new items, and the user did not ask for it (a reload is looked at). What
//! it says is made safe in [`crate::notify`]; the terminal edge tells it.

use super::Effect;
use crate::ui::app::App;

pub(super) fn after_feeds(app: &mut App, effects: &mut Vec<Effect>) {
    let asked = std::mem::take(&mut app.status.reload_asked);
    let by_feed = std::mem::take(&mut app.status.new_by_feed);
    let total: usize = by_feed.iter().map(|(_, n)| n).sum();
    if !app.notify || asked || total == 0 {
        return;
    }
    let feeds: Vec<(String, usize)> = by_feed.iter().map(|(feed, n)| (app.feed_name(*feed), *n)).collect();
    effects.push(Effect::Notify(crate::notify::new_items(total, &feeds)));
}
