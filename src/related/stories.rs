//! Story groups: each article joins the story of the articles it is most related to, or starts a new
//! one, so the headline list can show one line per story ("5 sources") and expand it.
//!
//! Incremental and deterministic: [`Stories::assign`] places one (indexed) article using the
//! [`RelatedIndex`] scores of its `neighbours` (10) nearest articles. Those scores are already
//! relative (hubness-reduced: above 0 means "closer than each one's usual neighbours"), so the
//! rules can be simple:
//! - a story is a *candidate* when one of its members scores at least `join_threshold` (0) with the
//!   article, and the article's mean score over the story's members (over at most `neighbours` of
//!   them, members not among its nearest counting 0) reaches `min_link` (0.01): a story grows only
//!   with articles close to most of what it holds;
//! - the article joins the candidate with the highest summed (positive) score, the older story on
//!   a tie, else it starts a story of its own;
//! - any other candidate with a member scoring at least `merge_threshold` (0.05) is merged in: an
//!   article that arrives between two halves of a story joins them. The merged story keeps the
//!   smaller id;
//! - a story is a stream of articles over days: it is closed to an article published more than
//!   `close_after_days` (7) from every one of its members, so an old story does not swallow a new
//!   one of the same kind (the scores already count time, see [`super::time`]).
//!
//! A second ferry strike elsewhere is close to the first strike's articles on "ferry" and "strike",
//! but less than they are to each other (the places, names and numbers), so it starts its own story
//! (see the tests).
//!
//! Story ids ([`StoryId`]) are handed out increasing from 1 (or past the largest seeded id) and never
//! reused, so the caller can store them with the articles and [`Stories::seed`] them back on the
//! next start: the groups then stay the same across restarts, and only new articles are placed.
//! Grouping depends on the order of arrival (as a reader's does).

use std::collections::{BTreeMap, HashMap};

use super::RelatedIndex;

/// A story's id: storable, stable once handed out.
pub use crate::model::StoryId;

/// Tuning of the grouping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryParams {
    /// The score to one of a story's members an article needs to join it.
    pub join_threshold: f32,
    /// The score to a member of another story at which that story is merged in too.
    pub merge_threshold: f32,
    /// The least mean score to a story's members (over at most `neighbours` of them, absent ones
    /// counting 0) to join it: a story grows only with articles close to most of its members.
    pub min_link: f32,
    /// Nearest articles consulted per assignment.
    pub neighbours: usize,
    /// Merge stories that an article links strongly enough (see the module documentation).
    pub merge: bool,
    /// A story is closed to an article published more than this many days from every one of
    /// its members: news moves on, and the same words a month later are another event.
    pub close_after_days: f32,
}

impl Default for StoryParams {
    fn default() -> Self {
        StoryParams {
            join_threshold: 0.0,
            merge_threshold: 0.05,
            neighbours: 10,
            merge: true,
            min_link: 0.01,
            close_after_days: 7.0,
        }
    }
}

/// The story of each grouped article, and the members of each story (in the order they joined).
#[derive(Debug, Clone)]
pub struct Stories {
    params: StoryParams,
    story_of: HashMap<i64, StoryId>,
    members: BTreeMap<StoryId, Vec<i64>>,
    next_id: i64,
    /// Articles moved by merges since the last [`Stories::take_moved`].
    moved: Vec<(i64, StoryId)>,
}

impl Default for Stories {
    /// No stories, default parameters; ids from 1 (as [`Stories::new`]).
    fn default() -> Self {
        Self::new()
    }
}

impl Stories {
    /// No stories, default parameters.
    pub fn new() -> Self {
        Self::with_params(StoryParams::default())
    }

    pub fn with_params(params: StoryParams) -> Self {
        Stories { params, story_of: HashMap::new(), members: BTreeMap::new(), next_id: 1, moved: Vec::new() }
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
            self.next_id = self.next_id.max(story.0.saturating_add(1));
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
        let reach = p.neighbours.max(1);
        let at = index.published_at(id);
        let mut links: Vec<(StoryId, f32, f32)> = votes
            .into_iter()
            .filter(|&(s, (sum, best))| {
                best >= p.join_threshold
                    && sum / self.members[&s].len().min(reach) as f32 >= p.min_link
                    && self.is_open(index, s, at)
            })
            .map(|(s, (sum, best))| (s, sum, best))
            .collect();
        links.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let story = match links.first() {
            Some(&(story, _, _)) => story,
            None => {
                let story = StoryId(self.next_id);
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
            // The new article's story is the one returned, not a move.
            self.moved.retain(|&(m, _)| m != id);
        }
        self.story_of[&id]
    }

    /// Whether `story` can take an article published at `at`: some member is within
    /// `close_after_days` of it (or the times are not known).
    fn is_open(&self, index: &RelatedIndex, story: StoryId, at: Option<i64>) -> bool {
        let Some(at) = at else { return true };
        let limit = (f64::from(self.params.close_after_days) * 86_400.0) as u64;
        let mut dated = self.members[&story].iter().filter_map(|&m| index.published_at(m)).peekable();
        dated.peek().is_none() || dated.any(|t| t.abs_diff(at) <= limit)
    }

    /// Moves the members of the younger story into the older one.
    fn merge(&mut self, a: StoryId, b: StoryId) -> StoryId {
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        let moved = self.members.remove(&gone).unwrap_or_default();
        for &id in &moved {
            self.story_of.insert(id, keep);
            self.moved.push((id, keep));
        }
        self.members.entry(keep).or_default().extend(moved);
        keep
    }

    /// The articles whose story changed because two stories merged, with their new story, since
    /// the last call (oldest first; an article may appear more than once, the last entry wins):
    /// what the caller must store again besides the story [`assign`](Self::assign) returns.
    pub fn take_moved(&mut self) -> Vec<(i64, StoryId)> {
        std::mem::take(&mut self.moved)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::related::Document;

    /// Two ferry strikes (Calais, Piraeus): each covered by three outlets, in words of their own;
    /// an earthquake covered twice; a recipe.
    const ARTICLES: &[(i64, &str, &str)] = &[
        (
            1,
            "Ferry workers strike in Calais, stranding thousands of travellers",
            "Ferry crews walked out on Monday at the port of Calais over pay, cancelling all P&O and DFDS \
             crossings to Dover. Thousands of lorries queued on the A16 as the union said the 48-hour strike \
             would go ahead unless the operators raised wages by 6%.",
        ),
        (
            2,
            "Piraeus ferry strike halts Greek island crossings",
            "Greek seamen went on strike on Wednesday at Piraeus, halting ferries to the Aegean islands. The \
             seamen's union PNO called the 24-hour walkout over pensions and staffing; thousands of \
             travellers were stranded at the port.",
        ),
        (
            3,
            "Calais port paralysed as ferry crews walk out over pay",
            "Crossings between Calais and Dover were cancelled on Monday after ferry crews began a 48-hour \
             strike over wages. The union wants a 6% pay rise; P&O and DFDS told travellers to expect long \
             queues, and lorries backed up along the A16.",
        ),
        (
            4,
            "Earthquake of magnitude 6.1 shakes central Chile",
            "A magnitude 6.1 earthquake struck near Talca in central Chile on Sunday, cutting power to 20,000 \
             homes. No deaths were reported, Chile's emergency office ONEMI said.",
        ),
        (
            5,
            "Greek islands cut off as PNO seamen strike at Piraeus",
            "No ferries left Piraeus on Wednesday: the PNO seamen's union held a 24-hour strike over pension \
             cuts and crew numbers, stranding travellers bound for the Aegean islands.",
        ),
        (
            6,
            "Lemon tart recipe",
            "Blind-bake the pastry, whisk eggs, sugar, lemon juice and cream, pour into the case and bake \
             until just set.",
        ),
        (
            7,
            "Dover crossings cancelled by Calais ferry walkout",
            "P&O and DFDS cancelled every crossing from Calais to Dover on Monday as ferry crews started a \
             48-hour strike for a 6% rise; lorries queued for miles on the A16.",
        ),
        (
            8,
            "Chile earthquake: 6.1 tremor near Talca leaves 20,000 without power",
            "The magnitude 6.1 quake hit the Maule region near Talca on Sunday; ONEMI said 20,000 homes lost \
             power and no deaths were reported.",
        ),
        (
            9,
            "Aegean ferries idle as Piraeus seamen walk out",
            "Ferries to the Aegean islands stayed in Piraeus on Wednesday during a 24-hour PNO strike over \
             pensions and staffing.",
        ),
    ];

    fn index() -> RelatedIndex {
        let mut index = RelatedIndex::new();
        for &(id, title, body) in ARTICLES {
            index.insert(&Document { id, title, body, published_at: None });
        }
        index
    }

    fn grouped(index: &RelatedIndex) -> Stories {
        let mut stories = Stories::new();
        for &(id, _, _) in ARTICLES {
            stories.assign(index, id);
        }
        stories
    }

    #[test]
    fn same_event_grouped_same_kind_of_event_apart() {
        let index = index();
        let stories = grouped(&index);
        let story = |id| stories.story_of(id).expect("grouped");
        // The Calais strike.
        assert_eq!(story(1), story(3));
        assert_eq!(story(1), story(7));
        // The Piraeus strike: a ferry strike too, but another event.
        assert_eq!(story(2), story(5));
        assert_eq!(story(2), story(9));
        assert_ne!(story(1), story(2));
        // The earthquake, and the recipe alone.
        assert_eq!(story(4), story(8));
        assert_ne!(story(4), story(1));
        assert_ne!(story(4), story(2));
        assert_eq!(stories.members(story(6)), [6]);
        assert_eq!(stories.len(), 4);
        let mut calais = stories.members(story(1)).to_vec();
        calais.sort_unstable();
        assert_eq!(calais, [1, 3, 7]);
    }

    #[test]
    fn deterministic_and_ids_increase() {
        let index = index();
        let (a, b) = (grouped(&index), grouped(&index));
        for &(id, _, _) in ARTICLES {
            assert_eq!(a.story_of(id), b.story_of(id));
        }
        let ids: Vec<StoryId> = a.iter().map(|(s, _)| s).collect();
        assert!(ids.iter().all(|&s| s >= StoryId(1)), "{ids:?}");
        assert_eq!(a.story_of(1), Some(StoryId(1)), "the first article starts story 1");
    }

    #[test]
    fn seeded_stories_are_kept_and_new_ids_follow() {
        let index = index();
        let mut stories = Stories::new();
        // As restored from the cache: the Calais articles under story 40, the recipe under 7.
        stories.seed([(1, StoryId(40)), (3, StoryId(40)), (6, StoryId(7))]);
        assert_eq!(stories.story_of(3), Some(StoryId(40)));
        assert_eq!(stories.assign(&index, 7), StoryId(40), "a new Calais article joins the stored story");
        let piraeus = stories.assign(&index, 2);
        assert_eq!(piraeus, StoryId(41), "new stories get ids past the largest stored one");
        assert_eq!(stories.assign(&index, 2), StoryId(41), "assigning again changes nothing");
        assert_eq!(stories.members(StoryId(40)), [1, 3, 7]);
        assert_eq!(stories.members(StoryId(7)), [6]);
        // Re-seeding an article moves it.
        stories.seed([(7, StoryId(7))]);
        assert_eq!(stories.members(StoryId(40)), [1, 3]);
        assert_eq!(stories.members(StoryId(7)), [6, 7]);
    }

    #[test]
    fn merges_are_reported_for_storing() {
        let index = index();
        let mut stories = Stories::new();
        // Two halves of the Calais story stored apart (say, by an older engine).
        stories.seed([(1, StoryId(1)), (3, StoryId(2))]);
        assert!(stories.take_moved().is_empty());
        // An article close to both joins one and merges the other into it.
        let story = stories.assign(&index, 7);
        assert_eq!(story, StoryId(1));
        assert_eq!(stories.story_of(3), Some(StoryId(1)));
        assert_eq!(stories.take_moved(), [(3, StoryId(1))]);
        assert!(stories.take_moved().is_empty());
        assert!(stories.members(StoryId(2)).is_empty());
    }

    #[test]
    fn remove_and_unknown() {
        let index = index();
        let mut stories = grouped(&index);
        let s = stories.story_of(6).unwrap();
        stories.remove(6);
        stories.remove(6);
        assert_eq!(stories.story_of(6), None);
        assert!(stories.members(s).is_empty());
        assert_eq!(stories.len(), 3);
        // An article the index does not know starts a story of its own.
        let alone = stories.assign(&index, 99);
        assert_eq!(stories.members(alone), [99]);
        assert!(Stories::new().is_empty());
    }

    /// The Calais strike's articles a day apart form one story; the same strike's words a month
    /// later (the union strikes again) are a story of their own: the first has closed.
    #[test]
    fn story_ids_start_at_one_however_made() {
        let index = index();
        assert_eq!(Stories::default().assign(&index, 1), StoryId(1));
        assert_eq!(Stories::new().assign(&index, 1), StoryId(1));
    }

    #[test]
    fn a_story_closes_and_the_same_kind_of_event_a_month_later_starts_another() {
        const DAY: i64 = 86_400;
        let t = 1_700_000_000;
        let mut index = RelatedIndex::new();
        for (id, day) in [(1, 0), (3, 1), (7, 1)] {
            let (_, title, body) = ARTICLES.iter().find(|a| a.0 == id).copied().expect("article");
            index.insert(&Document { id, title, body, published_at: Some(t + day * DAY) });
        }
        let (_, title, body) = ARTICLES[0];
        index.insert(&Document { id: 21, title, body, published_at: Some(t + 31 * DAY) });
        // Unrelated articles, so that "usual neighbours" mean something.
        for &(id, title, body) in ARTICLES.iter().filter(|a| [2, 4, 5, 6, 8, 9].contains(&a.0)) {
            index.insert(&Document { id, title, body, published_at: Some(t) });
        }
        let mut stories = Stories::new();
        for id in [1, 3, 7, 21] {
            stories.assign(&index, id);
        }
        let story = |id| stories.story_of(id).expect("grouped");
        assert_eq!(story(1), story(3));
        assert_eq!(story(1), story(7));
        assert_ne!(story(21), story(1), "a month later: another story");
        // Without closing, the same words would have joined it.
        let mut open = Stories::with_params(StoryParams { close_after_days: f32::INFINITY, ..StoryParams::default() });
        for id in [1, 3, 7, 21] {
            open.assign(&index, id);
        }
        assert_eq!(open.story_of(21), open.story_of(1));
    }
}
