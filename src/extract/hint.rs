//! The feed's title and summary for the item help to locate the story in the page: a segment that
//! shares two or more runs of three words with them (and is not mostly links) is very likely part
//! of the article. Such a segment weighs more in [`super::select`]; on a page with next to no
//! prose, such segments are what [`super::keep`] starts the article from. Headings get no bonus: one
//! that repeats the summary is a standfirst. Without a hint, none of this happens.

use std::collections::HashSet;

use super::segment::{Kind, Segment};

/// What the feed told us about the item.
#[derive(Debug, Clone, Default)]
pub struct FeedHint {
    pub title: Option<String>,
    pub summary: Option<String>,
}

/// Word triples of the hint's text.
pub struct HintIndex {
    triples: HashSet<[u64; 3]>,
}

fn words(text: &str) -> Vec<u64> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            // FNV-1a of the lower-cased word.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for c in w.chars().flat_map(char::to_lowercase) {
                h ^= c as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            h
        })
        .collect()
}

impl HintIndex {
    pub fn new(hint: &FeedHint) -> Option<HintIndex> {
        let text = [hint.summary.as_deref(), hint.title.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        let w = words(&text);
        let triples: HashSet<[u64; 3]> = w.windows(3).map(|t| [t[0], t[1], t[2]]).collect();
        (!triples.is_empty()).then_some(HintIndex { triples })
    }

    /// Extra weight for a segment that shares at least two word triples with the hint.
    pub fn bonus(&self, seg: &Segment) -> f32 {
        // A heading that repeats the summary is the standfirst, set apart from the story.
        if matches!(seg.kind, Kind::Heading(_)) {
            return 0.0;
        }
        let w = words(&seg.text);
        let shared = w.windows(3).filter(|t| self.triples.contains(&[t[0], t[1], t[2]])).count();
        if shared >= 2 && seg.link_density() < 0.5 { 150.0 + seg.chars as f32 * 0.5 } else { 0.0 }
    }
}
