//! Story groups: each article joins the story of the articles it is most related to, or starts a new
//! one, so the headline list can show one line per story ("5 sources") and expand it.
//!
//! Incremental and deterministic: [`Stories::assign`] places one (indexed) article, using the
//! [`RelatedIndex`] scores of its nearest articles. Its *link* to an existing story is the
//! average-link agreement: the sum of its scores to the story's members divided by the story's size
//! (members not among its `neighbours` best count 0). It joins the story of the strongest link when
//! that link reaches `join_threshold`, else it starts a story of its own. A story therefore grows
//! only with articles close to most of its members, which is what tells two events of the same kind
//! apart: a second ferry strike elsewhere is close to the first strike's articles on "ferry" and
//! "strike", but not on the places, names and numbers that most members share.
//!
//! When the article links to two or more stories above the threshold, the stories are merged when
//! the average link *between* them (over the article's scores, a cheap estimate, and the member
//! pairs the index returns) reaches the threshold too; the merged story keeps the smaller id.
//!
//! Story ids are `i64`, handed out increasing from 1 (or past the largest seeded id), and never
//! reused, so the caller can store them with the articles and [`Stories::seed`] them back on the
//! next start: the groups then stay the same across restarts, and only new articles are placed.

use std::collections::{BTreeMap, HashMap};

use super::RelatedIndex;

/// A story's id: storable, stable once handed out.
pub type StoryId = i64;

/// Tuning of the grouping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryParams {
    /// The score to one of a story's members an article needs to join it.
    pub join_threshold: f32,
    /// The score to a member of another story at which that story is merged in too.
    pub merge_threshold: f32,
    /// Nearest articles consulted per assignment.
    pub neighbours: usize,
    /// Merge stories that an article links strongly enough (see the module documentation).
    pub merge: bool,
}

impl Default for StoryParams {
    fn default() -> Self {
        StoryParams { join_threshold: 0.0, merge_threshold: 0.05, neighbours: 10, merge: true }
    }
}

/// The story of each grouped article, and the members of each story (in the order they joined).
#[derive(Debug, Default, Clone)]
pub struct Stories {
    params: StoryParams,
    story_of: HashMap<i64, StoryId>,
    members: BTreeMap<StoryId, Vec<i64>>,
    next_id: StoryId,
}

impl Stories {
    /// No stories, default parameters.
    pub fn new() -> Self {
        Self::with_params(StoryParams::default())
    }

    pub fn with_params(params: StoryParams) -> Self {
        Stories { params, story_of: HashMap::new(), members: BTreeMap::new(), next_id: 1 }
    }

    pub fn params(&self) -> &StoryParams {
        &self.params
    }

    /// Restores known `(article, story)` pairs (as stored by the caller), replacing any assignment
    /// of those articles. New stories get ids past the largest seen.
    pub fn seed(&mut self, pairs: impl IntoIterator<Item = (i64, StoryId)>) {
        for (id, story) in pairs {
            self.remove(id);
            self.story_of.insert(id, story);
            self.members.entry(story).or_default().push(id);
            self.next_id = self.next_id.max(story.saturating_add(1));
        }
    }

    /// The story of article `id`, placing it first if it has none (see the module documentation).
    /// The article should be in `index`; if it is not, it starts a story of its own.
    pub fn assign(&mut self, index: &RelatedIndex, id: i64) -> StoryId {
        if let Some(&story) = self.story_of.get(&id) {
            return story;
        }
        let p = self.params;
        let near = index.related_unfiltered(id, p.neighbours);
        // Per story among the neighbours: the summed positive scores and the best score.
        let mut votes: HashMap<StoryId, (f32, f32)> = HashMap::new();
        for &(other, score) in &near {
            if let Some(&story) = self.story_of.get(&other) {
                let v = votes.entry(story).or_insert((0.0, f32::NEG_INFINITY));
                v.0 += score.max(0.0);
                v.1 = v.1.max(score);
            }
        }
        // Candidate stories, most votes first (ties: the older story).
        let mut links: Vec<(StoryId, f32, f32)> =
            votes.into_iter().filter(|v| v.1.1 >= p.join_threshold).map(|(s, (sum, best))| (s, sum, best)).collect();
        links.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let story = match links.first() {
            Some(&(story, _, _)) => story,
            None => {
                let story = self.next_id;
                self.next_id += 1;
                story
            }
        };
        self.story_of.insert(id, story);
        self.members.entry(story).or_default().push(id);
        if p.merge {
            let mut story = story;
            for &(other, _, best) in links.iter().skip(1) {
                if best >= p.merge_threshold {
                    story = self.merge(story, other);
                }
            }
        }
        self.story_of[&id]
    }

    /// Moves the members of the younger story into the older one.
    fn merge(&mut self, a: StoryId, b: StoryId) -> StoryId {
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        let moved = self.members.remove(&gone).unwrap_or_default();
        for &id in &moved {
            self.story_of.insert(id, keep);
        }
        self.members.entry(keep).or_default().extend(moved);
        keep
    }

    /// Forgets article `id` (its story ends when it was the last member).
    pub fn remove(&mut self, id: i64) {
        let Some(story) = self.story_of.remove(&id) else {
            return;
        };
        if let Some(members) = self.members.get_mut(&story) {
            members.retain(|&m| m != id);
            if members.is_empty() {
                self.members.remove(&story);
            }
        }
    }

    /// The story of article `id`, if grouped.
    pub fn story_of(&self, id: i64) -> Option<StoryId> {
        self.story_of.get(&id).copied()
    }

    /// The articles of `story`, in the order they joined (empty for an unknown story).
    pub fn members(&self, story: StoryId) -> &[i64] {
        self.members.get(&story).map_or(&[], Vec::as_slice)
    }

    /// Every story with its members, by id.
    pub fn iter(&self) -> impl Iterator<Item = (StoryId, &[i64])> {
        self.members.iter().map(|(&s, m)| (s, m.as_slice()))
    }

    /// Number of stories.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}
