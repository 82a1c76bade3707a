//! Story groups as stored: the related-stories engine assigns them, the store keeps them so that
//! groups survive restarts and the headline lists can show one line per story.

use rusqlite::params;

use super::{Store, StoreError};
use crate::model::{FeedId, ItemId, StoryId};

impl Store {
    /// Every item's story, to seed the grouping on start-up.
    pub fn story_assignments(&self) -> Result<Vec<(ItemId, StoryId)>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached("SELECT id, story_id FROM items WHERE story_id IS NOT NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((ItemId(r.get(0)?), StoryId(r.get(1)?))))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Saves story assignments in one transaction; returns how many items changed story.
    pub fn set_stories(&mut self, assignments: &[(ItemId, StoryId)]) -> Result<usize, StoreError> {
        let tx = self.write()?;
        let mut changed = 0;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE items SET story_id = ?2 WHERE id = ?1 AND (story_id IS NULL OR story_id != ?2)",
            )?;
            for (id, story) in assignments {
                changed += stmt.execute(params![id.0, story.0])?;
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// The items of a story with their feeds, newest first.
    pub fn story_members(&self, story: StoryId) -> Result<Vec<(ItemId, FeedId)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, feed_id FROM items WHERE story_id = ?1 ORDER BY published_at DESC, id DESC")?;
        let rows =
            stmt.query_map([story.0], |r| Ok((ItemId(r.get(0)?), FeedId(r.get(1)?))))?.collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
