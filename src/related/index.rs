//! The incremental index behind [`RelatedIndex`].
//!
//! ## Weights
//! A document's term frequency is `tf = title_weight × title count + body count`, a body term among
//! the first `lead_terms` (80) counting `lead_weight` (1.5) and later ones 1 (title weight 3; only
//! the first `max_body_terms` body terms, 500, are read: the lead carries the story). Each
//! multi-word name ([`super::entities`]) adds a name term with tf `name_weight` (0.5, times the title
//! weight in the title). The weight for term t is `w = (1 + ln tf) × idf(t)` (sublinear tf), with the
//! smoothed `idf(t) = ln((N + 1) / (df(t) + 1)) + 1`, N the number of indexed documents. Similarity
//! is the cosine of the two weight vectors (L2-normalised).
//!
//! ## The score
//! `score(q, d) = cos(q, d) − hub_weight × (r(q) + r(d)) / 2 + shared_weight × shared(q, d) −
//! time(q, d)`, at most 1, where `r(x)` is the mean cosine of x to its `hub_k` (4) nearest
//! documents (CSLS hubness reduction, weight 1), `time(q, d)` the penalty for the time between
//! them ([`super::time`]) and `shared(q, d)` the sum over the documents among
//! both their 4 nearest of the geometric mean of their cosines to it, over 4 (weight 0.5). The
//! nearest documents of each document (the best [`HUB_K`] cosines and ids) are kept per document:
//! an insertion searches once for its own and offers itself to each document it found (cosine is
//! symmetric), so they stay current without a rebuild; removals leave the removed id in others'
//! lists until displaced (a small, harmless staleness), and they depend on the order of arrival.
//!
//! ## Incremental, with idf that moves
//! idf changes whenever a document arrives, so documents store only their raw tf per term (sorted
//! by term id), and postings (term → documents) store the same; weights are made with the current
//! df when a query runs (`ln(df + 1)` is kept per term so that this needs no logarithm). A tf and a
//! key share one `u32` (see `Packed`): 4 bytes per posting and per document term. Inserting a
//! document costs its length: tokenise, intern terms, push one posting per distinct term. Removing
//! one costs a scan of its terms' postings.
//!
//! ## A query: candidates, then exact rescoring
//! 1. The query document's weights are computed with the current idf, and only its
//!    `max_query_terms` heaviest terms (40) are looked up in the postings, heaviest first, until
//!    `max_postings` (20,000) postings have been read; so a query touches only documents sharing a
//!    distinctive term, never the long postings of the commonest words, and its cost is bounded
//!    whatever the index size. Partial dot products, divided by each document's *cached* norm,
//!    rank the candidates.
//! 2. The best `rerank_pool` candidates (100, at least 2k) are rescored exactly: full cosine over
//!    all terms with the current idf, each candidate's norm recomputed on the spot; then the
//!    neighbourhood corrections and the time penalty are applied. Only the choice of the pool
//!    uses the cached norms and the truncated query. (On the labelled sets, reading every posting of every
//!    query term gives the same figures; with 94,000 distractors added, the 20,000 budget changes
//!    MAP by 0.0002.)
//!
//! The cached norms are computed with the df of the moment a document is inserted and are kept
//! fresh by a rolling refresh: every insert also recomputes the norms of the next
//! [`NORMS_REFRESHED_PER_INSERT`] documents, round robin. Each norm is thus at most about N/2
//! inserts old, the cost per insert stays proportional to a document length, and no insert ever
//! pays for a whole rebuild (as a refresh-everything-when-N-doubles scheme would).
//!
//! The score accumulator of a query is a thread-local buffer, one `f32` per document slot, reset
//! after use, so a query on a large index neither allocates nor zeroes it; the index itself is
//! plain data (`Send + Sync`) and `related` takes `&self`.

use std::cell::RefCell;
use std::sync::OnceLock;

use super::Document;
use super::entities::for_each_name;
use super::fasthash::FastMap;
use super::feedback;
use super::language::Language;
use super::time::Recency;
use super::tokenize::for_each_term_in;

/// Documents whose cached norm is recomputed on each insert (see the module documentation).
pub const NORMS_REFRESHED_PER_INSERT: usize = 2;

/// Only this many bytes of a body are read (a guard against pathological input; articles are far
/// shorter).
const MAX_BODY_BYTES: usize = 100_000;

/// Tuning of the index. [`Params::default`] is what the reader uses; the evaluation tests check it.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Each title occurrence of a term counts this many times (headlines name the story).
    pub title_weight: f32,
    /// Terms read from a body at most (the lead of an article carries the story).
    pub max_body_terms: usize,
    /// The first `lead_terms` terms of a body (its lead: who, what, where, when) count
    /// `lead_weight` times each; later ones (background) once.
    pub lead_terms: usize,
    pub lead_weight: f32,
    /// Heaviest query terms looked up in the postings.
    pub max_query_terms: usize,
    /// Postings read per query at most: terms whose postings would exceed it are skipped (the
    /// heaviest term is always read). Bounds the latency on a large index.
    pub max_postings: usize,
    /// Candidates rescored exactly (at least twice the `k` asked for).
    pub rerank_pool: usize,
    /// [`RelatedIndex::related`] returns nothing scoring below this (0: closer than each one's
    /// usual neighbours, see the module documentation)...
    pub min_score: f32,
    /// ... nor anything whose plain cosine is below this: in a small or unrelated cache "closer
    /// than usual" can still be a chance overlap of a word or two.
    pub min_cosine: f32,
    /// What the time between two articles costs their score.
    pub recency: Recency,
    /// Each occurrence of a multi-word name ([`super::entities`]) adds a name term with this tf
    /// (times `title_weight` in the title); 0 spots no names.
    pub name_weight: f32,
    /// Pseudo-relevance feedback: the best this many documents of a first search expand the query
    /// ([`super::feedback`]); 0: one search, no feedback.
    pub feedback_docs: usize,
    /// Share of the feedback centroid in the expanded query.
    pub feedback_weight: f32,
    /// New terms the feedback may add to the query at most.
    pub feedback_terms: usize,
    /// Hubness reduction: a candidate's score loses `hub_weight` × the mean of the query's and the
    /// candidate's own mean similarity to their `hub_k` nearest neighbours (CSLS); 0: off.
    pub hub_weight: f32,
    /// Neighbours in the hubness estimate (at most [`HUB_K`]).
    pub hub_k: usize,
    /// Candidates rescored exactly by the search an insertion makes to update the neighbour
    /// statistics (bounds the cost of an insertion).
    pub neighbour_pool: usize,
    /// Postings read at most by that search (as `max_postings` for a query).
    pub neighbour_postings: usize,
    /// Weight of the shared-neighbour agreement added to a score; 0: off.
    pub shared_weight: f32,
    /// Neighbours compared in the shared-neighbour agreement (at most [`HUB_K`]).
    pub shared_k: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            title_weight: 3.0,
            max_body_terms: 500,
            lead_terms: 80,
            lead_weight: 1.5,
            max_query_terms: 40,
            max_postings: 20_000,
            rerank_pool: 100,
            min_score: 0.0,
            min_cosine: 0.15,
            recency: Recency::default(),
            name_weight: 0.5,
            feedback_docs: 0,
            feedback_weight: 0.1,
            feedback_terms: 20,
            hub_weight: 1.0,
            hub_k: 4,
            neighbour_pool: 32,
            neighbour_postings: 5_000,
            shared_weight: 0.5,
            shared_k: 4,
        }
    }
}

/// Nearest neighbours kept per document for the hubness reduction.
pub const HUB_K: usize = 8;

/// A nearest neighbour: its id (`i64::MIN` for none) and first-search cosine.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Neighbour {
    id: i64,
    sim: f32,
}

impl Neighbour {
    const NONE: Neighbour = Neighbour { id: i64::MIN, sim: 0.0 };
}

#[derive(Debug)]
struct Term {
    text: Box<str>,
    df: u32,
    /// (document slot, quantised tf).
    postings: Vec<Packed>,
}

/// A key (a document slot or a term id, below 2^24) and a quantised term frequency in one `u32`:
/// key in the high 24 bits, so sorting packed values sorts by key, and `round(2 tf)` (1 to 255)
/// in the low 8. Four bytes per posting and per document term keep 100,000 articles compact and
/// the postings scan cache friendly; half-unit resolution is exact for the counts with the default
/// title weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Packed(u32);

/// Keys (slots, term ids) must be below this.
const MAX_KEY: u32 = 1 << 24;
const TF_SCALE: f32 = 2.0;

impl Packed {
    fn new(key: u32, tf: f32) -> Self {
        let q = (tf * TF_SCALE).round().clamp(1.0, 255.0) as u32;
        Packed(key << 8 | q)
    }

    fn key(self) -> u32 {
        self.0 >> 8
    }

    /// The sublinear tf, `1 + ln tf` (tf itself below 1), from a table.
    fn ltf(self) -> f32 {
        static TABLE: OnceLock<[f32; 256]> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            let mut table = [0.0f32; 256];
            for (q, entry) in table.iter_mut().enumerate() {
                let tf = q as f32 / TF_SCALE;
                *entry = if tf >= 1.0 { 1.0 + tf.ln() } else { tf };
            }
            table
        });
        table[(self.0 & 0xFF) as usize]
    }
}

#[derive(Debug)]
struct Doc {
    id: i64,
    published_at: Option<i64>,
    /// (term id, quantised tf), sorted by term id.
    terms: Box<[Packed]>,
}

/// Related-stories index: add and remove documents one at a time, ask for the documents most
/// similar to an indexed one. See the module documentation for the scoring.
#[derive(Debug, Default)]
pub struct RelatedIndex {
    params: Params,
    vocab: FastMap<Box<str>, u32>,
    terms: Vec<Term>,
    /// ln(df + 1) per term id, kept beside `terms` so weights need no logarithm and stay in cache.
    ln_df1: Vec<f32>,
    free_terms: Vec<u32>,
    docs: Vec<Option<Doc>>,
    /// Cached L2 norm per slot (0 for a free slot); see the module documentation.
    norms: Vec<f32>,
    free_slots: Vec<u32>,
    slot_of: FastMap<i64, u32>,
    refresh_cursor: usize,
    /// Per slot, the best first-search similarities to other documents, descending (hubness).
    top_sims: Vec<[Neighbour; HUB_K]>,
}

/// A document tokenised for [`RelatedIndex::insert_prepared`]: its distinct terms and their
/// weighted counts, made without the index (so on any thread).
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    id: i64,
    published_at: Option<i64>,
    /// The distinct terms, one after the other.
    text: String,
    /// Per term, where it ends in `text` and its weighted count.
    terms: Vec<(u32, f32)>,
}

impl Prepared {
    /// Tokenises `doc` with the weights of `params` (see the module documentation).
    pub fn new(params: &Params, doc: &Document) -> Prepared {
        let mut text = String::new();
        let mut counts: Vec<(u32, u32, f32)> = Vec::new();
        let mut push = |t: &str, weight: f32| {
            let start = text.len() as u32;
            text.push_str(t);
            counts.push((start, text.len() as u32, weight));
        };
        let title_weight = params.title_weight;
        let body = truncate_at_char(doc.body, MAX_BODY_BYTES);
        let language = Language::detect(doc.title, body);
        for_each_term_in(doc.title, language, |t| push(t, title_weight));
        let mut body_terms = 0;
        let (lead_terms, lead_weight) = (params.lead_terms, params.lead_weight);
        for_each_term_in(body, language, |t| {
            if body_terms < params.max_body_terms {
                let weight = if body_terms < lead_terms { lead_weight } else { 1.0 };
                body_terms += 1;
                push(t, weight);
            }
        });
        let name_weight = params.name_weight;
        if name_weight > 0.0 {
            for_each_name(doc.title, |n| push(n, name_weight * title_weight));
            // Names of the body's first `max_body_terms` words or so (a byte budget of ~8 per term).
            let lead = truncate_at_char(body, params.max_body_terms.saturating_mul(8));
            for_each_name(lead, |n| push(n, name_weight));
        }
        let word = |&(start, end, _): &(u32, u32, f32)| &text[start as usize..end as usize];
        counts.sort_unstable_by(|a, b| word(a).cmp(word(b)));
        let mut distinct = String::with_capacity(text.len());
        let mut terms: Vec<(u32, f32)> = Vec::with_capacity(counts.len());
        let mut last: Option<&str> = None;
        for c in &counts {
            let w = word(c);
            match terms.last_mut() {
                Some(t) if last == Some(w) => t.1 += c.2,
                _ => {
                    distinct.push_str(w);
                    terms.push((distinct.len() as u32, c.2));
                    last = Some(w);
                }
            }
        }
        Prepared { id: doc.id, published_at: doc.published_at, text: distinct, terms }
    }

    /// The document's id.
    pub fn id(&self) -> i64 {
        self.id
    }
}

thread_local! {
    /// Score accumulator of `related_above`, one slot per document slot, all zero between queries
    /// (reused so that a query on a large index does not allocate and zero a large buffer).
    static ACCUMULATOR: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

impl RelatedIndex {
    /// An empty index with the default [`Params`].
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty index with these parameters.
    pub fn with_params(params: Params) -> Self {
        RelatedIndex { params, ..Self::default() }
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Number of indexed documents.
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    pub fn contains(&self, id: i64) -> bool {
        self.slot_of.contains_key(&id)
    }

    /// Adds `doc`, or replaces the document with its id. Costs about the document's length.
    pub fn insert(&mut self, doc: &Document) {
        let prepared = Prepared::new(&self.params, doc);
        self.insert_prepared(&prepared);
    }

    /// [`insert`](Self::insert) of a document tokenised beforehand ([`Prepared::new`], on any
    /// thread), its nearest documents found at once.
    pub fn insert_prepared(&mut self, doc: &Prepared) {
        if let Some(slot) = self.add(doc) {
            self.top_sims[slot as usize] = [Neighbour::NONE; HUB_K];
            if self.params.hub_weight > 0.0 || self.params.shared_weight > 0.0 {
                let hits = self.neighbour_hits(slot);
                self.add_neighbour_hits(slot, &hits);
            }
        }
    }

    /// Adds the document's terms and postings (replacing a document with its id); its slot, or
    /// `None` when the index is full.
    fn add(&mut self, doc: &Prepared) -> Option<u32> {
        self.remove(doc.id);
        let mut merged: Vec<(u32, f32)> = Vec::with_capacity(doc.terms.len());
        let mut start = 0;
        for &(end, tf) in &doc.terms {
            let t = self.intern(&doc.text[start..end as usize]);
            merged.push((t, tf));
            start = end as usize;
        }
        merged.sort_unstable_by_key(|&(t, _)| t);
        // Term ids past MAX_KEY (a vocabulary of 16 million live words) are not indexed.
        let terms: Vec<Packed> =
            merged.into_iter().filter(|&(t, _)| t < MAX_KEY).map(|(t, tf)| Packed::new(t, tf)).collect();

        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None if (self.docs.len() as u32) < MAX_KEY => {
                self.docs.push(None);
                self.norms.push(0.0);
                self.top_sims.push([Neighbour::NONE; HUB_K]);
                (self.docs.len() - 1) as u32
            }
            // 16 million documents: no room left, the document is not indexed.
            None => return None,
        };
        for &p in &terms {
            let t = p.key() as usize;
            let term = &mut self.terms[t];
            term.df += 1;
            term.postings.push(Packed(slot << 8 | (p.0 & 0xFF)));
            self.ln_df1[t] = (term.df as f32 + 1.0).ln();
        }
        self.slot_of.insert(doc.id, slot);
        self.norms[slot as usize] = self.norm(&terms);
        self.docs[slot as usize] =
            Some(Doc { id: doc.id, published_at: doc.published_at, terms: terms.into_boxed_slice() });
        for _ in 0..NORMS_REFRESHED_PER_INSERT {
            self.refresh_next_norm();
        }
        Some(slot)
    }

    /// The documents nearest to the one in `slot`, with their cosines, best first.
    fn neighbour_hits(&self, slot: u32) -> Vec<(u32, f32)> {
        let Some(doc) = self.docs[slot as usize].as_ref() else {
            return Vec::new();
        };
        let base = self.idf_base();
        let query = self.unit_weights(base, &doc.terms);
        let budget = self.params.neighbour_postings;
        self.search(base, &query, slot, self.params.neighbour_pool.max(HUB_K), budget)
    }

    /// Hubness bookkeeping for the document in `slot` with its nearest `hits`: its own nearest
    /// similarities, and its similarity offered to each document it found (similarity is
    /// symmetric).
    fn add_neighbour_hits(&mut self, slot: u32, hits: &[(u32, f32)]) {
        let Some(id) = self.docs[slot as usize].as_ref().map(|d| d.id) else {
            return;
        };
        let mut own = [Neighbour::NONE; HUB_K];
        for (o, &(s, c)) in own.iter_mut().zip(hits) {
            *o = Neighbour { id: self.docs[s as usize].as_ref().map_or(i64::MIN, |d| d.id), sim: c };
        }
        self.top_sims[slot as usize] = own;
        for &(s, c) in hits {
            let list = &mut self.top_sims[s as usize];
            // A replaced document: its old entry goes.
            if let Some(old) = list.iter().position(|n| n.id == id) {
                list.copy_within(old + 1.., old);
                list[HUB_K - 1] = Neighbour::NONE;
            }
            if c > list[HUB_K - 1].sim {
                let at = list.iter().position(|x| c > x.sim).unwrap_or(HUB_K - 1);
                list.copy_within(at..HUB_K - 1, at + 1);
                list[at] = Neighbour { id, sim: c };
            }
        }
    }

    /// Shared-neighbour agreement of two documents: the sum over the neighbours they share of the
    /// geometric mean of their similarities to it, over `hub_k`.
    fn shared_neighbours(&self, a: u32, b: u32) -> f32 {
        let k = self.params.shared_k.clamp(1, HUB_K);
        let (la, lb) = (&self.top_sims[a as usize][..k], &self.top_sims[b as usize][..k]);
        let mut sum = 0.0;
        for x in la.iter().filter(|x| x.id != i64::MIN) {
            if let Some(y) = lb.iter().find(|y| y.id == x.id) {
                sum += (x.sim * y.sim).sqrt();
            }
        }
        sum / k as f32
    }

    /// The publication time document `id` was indexed with, if it has one.
    pub fn published_at(&self, id: i64) -> Option<i64> {
        let slot = *self.slot_of.get(&id)?;
        self.docs.get(slot as usize)?.as_ref()?.published_at
    }

    /// The nearest documents of `id` kept for the hubness reduction, best first, with their
    /// first-search cosines (at most [`HUB_K`]; empty when hubness and shared neighbours are off
    /// or `id` is unknown).
    pub fn neighbours(&self, id: i64) -> impl Iterator<Item = (i64, f32)> + '_ {
        let list = self.slot_of.get(&id).map_or(&[][..], |&s| &self.top_sims[s as usize][..]);
        list.iter().filter(|n| n.id != i64::MIN).map(|n| (n.id, n.sim))
    }

    /// Mean similarity of `slot` to its `hub_k` nearest neighbours.
    fn hubness(&self, slot: u32) -> f32 {
        let k = self.params.hub_k.clamp(1, HUB_K);
        self.top_sims[slot as usize][..k].iter().map(|n| n.sim).sum::<f32>() / k as f32
    }

    /// Removes the document `id` (no-op when absent).
    pub fn remove(&mut self, id: i64) {
        let Some(slot) = self.slot_of.remove(&id) else {
            return;
        };
        let Some(doc) = self.docs[slot as usize].take() else {
            return;
        };
        self.norms[slot as usize] = 0.0;
        // Its nearest documents most likely list it too (similarity is symmetric): drop it there.
        let own = std::mem::replace(&mut self.top_sims[slot as usize], [Neighbour::NONE; HUB_K]);
        for n in own.iter().filter(|n| n.id != i64::MIN) {
            if let Some(&s) = self.slot_of.get(&n.id) {
                let list = &mut self.top_sims[s as usize];
                if let Some(at) = list.iter().position(|x| x.id == id) {
                    list.copy_within(at + 1.., at);
                    list[HUB_K - 1] = Neighbour::NONE;
                }
            }
        }
        for p in doc.terms.iter() {
            let t = p.key();
            let term = &mut self.terms[t as usize];
            term.df -= 1;
            self.ln_df1[t as usize] = (term.df as f32 + 1.0).ln();
            if let Some(i) = term.postings.iter().position(|p| p.key() == slot) {
                term.postings.swap_remove(i);
            }
            if term.df == 0 {
                // Recycle the term id so a long-running index does not keep every word it saw.
                self.vocab.remove(&term.text);
                term.text = Box::from("");
                term.postings = Vec::new();
                self.free_terms.push(t);
            }
        }
        self.free_slots.push(slot);
    }

    /// The `k` indexed documents most similar to document `id`, best first, scores in (0, 1],
    /// without `id` itself, and only those scoring at least [`Params::min_score`] with a cosine of
    /// at least [`Params::min_cosine`]: an unrelated cache gives an empty list. Unknown `id`: empty.
    pub fn related(&self, id: i64, k: usize) -> Vec<(i64, f32)> {
        self.related_above(id, k, self.params.min_score)
    }

    /// [`related`](Self::related) without the minimum score: every document sharing a term can be
    /// listed (for evaluation, where ranking quality is measured over a long list).
    pub fn related_unfiltered(&self, id: i64, k: usize) -> Vec<(i64, f32)> {
        self.related_above(id, k, f32::NEG_INFINITY)
    }

    /// [`related`](Self::related) with an explicit minimum score.
    pub fn related_above(&self, id: i64, k: usize, min_score: f32) -> Vec<(i64, f32)> {
        let Some(&slot) = self.slot_of.get(&id) else {
            return Vec::new();
        };
        let Some(doc) = self.docs[slot as usize].as_ref() else {
            return Vec::new();
        };
        if k == 0 || doc.terms.is_empty() {
            return Vec::new();
        }
        let base = self.idf_base();
        let query = self.unit_weights(base, &doc.terms);
        if query.is_empty() {
            return Vec::new();
        }
        let pool = self.params.rerank_pool.max(k.saturating_mul(2));
        let budget = self.params.max_postings;
        let mut hits = self.search(base, &query, slot, pool, budget);
        let p = &self.params;
        if p.feedback_docs > 0 && p.feedback_weight > 0.0 && !hits.is_empty() {
            let feedback: Vec<(Vec<(u32, f32)>, f32)> = hits
                .iter()
                .take(p.feedback_docs)
                .filter_map(|&(s, c)| Some((self.unit_weights(base, &self.docs[s as usize].as_ref()?.terms), c)))
                .collect();
            let expanded = feedback::expand(&query, &feedback, p.feedback_weight, p.feedback_terms);
            hits = self.search(base, &expanded, slot, pool, budget);
        }
        let mut scored: Vec<(i64, f32)> = hits
            .into_iter()
            .filter_map(|(s, cosine)| {
                let d = self.docs[s as usize].as_ref()?;
                let score = self.score_of(slot, doc, s, d, cosine);
                let listed = if min_score == f32::NEG_INFINITY {
                    true
                } else {
                    score >= min_score && score > 0.0 && cosine >= p.min_cosine
                };
                listed.then_some((d.id, score))
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(k);
        scored
    }

    /// The score of documents `a` and `b` (as [`related`](Self::related) ranks them) and their
    /// plain cosine; `None` when either is unknown or they are the same.
    pub fn pair(&self, a: i64, b: i64) -> Option<(f32, f32)> {
        let (&sa, &sb) = (self.slot_of.get(&a)?, self.slot_of.get(&b)?);
        if sa == sb {
            return None;
        }
        let (da, db) = (self.docs[sa as usize].as_ref()?, self.docs[sb as usize].as_ref()?);
        let base = self.idf_base();
        let query = self.unit_weights(base, &da.terms);
        let cosine = if query.is_empty() { 0.0 } else { self.cosine(base, &query, 1.0, &db.terms) };
        Some((self.score_of(sa, da, sb, db, cosine), cosine))
    }

    /// The score of the query document `q` (in `slot`) and a candidate `d` (in `s`) whose cosine
    /// with it is `cosine`: the neighbourhood corrections and the time penalty applied.
    fn score_of(&self, slot: u32, q: &Doc, s: u32, d: &Doc, cosine: f32) -> f32 {
        let p = &self.params;
        let mut score = cosine;
        if p.hub_weight > 0.0 {
            score -= p.hub_weight * 0.5 * (self.hubness(slot) + self.hubness(s));
        }
        if p.shared_weight > 0.0 {
            score += p.shared_weight * self.shared_neighbours(slot, s);
        }
        p.recency.apply(score, q.published_at, d.published_at).min(1.0)
    }

    /// The unit-length weight vector of a document's terms with the current idf.
    fn unit_weights(&self, base: f32, terms: &[Packed]) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = terms.iter().map(|p| (p.key(), p.ltf() * self.idf(base, p.key()))).collect();
        feedback::normalise(&mut v);
        v
    }

    /// The `pool` documents (slots) of highest exact cosine with the unit `query` (sorted by term),
    /// best first, `exclude` left out: candidates from the postings of the heaviest query terms
    /// within the postings budget, ranked by partial dot products over cached norms, then the best
    /// `pool` rescored exactly with the current idf.
    fn search(&self, base: f32, query: &[(u32, f32)], exclude: u32, pool: usize, budget: usize) -> Vec<(u32, f32)> {
        let mut probe = query.to_vec();
        let max_terms = self.params.max_query_terms.max(1);
        if probe.len() > max_terms {
            probe.select_nth_unstable_by(max_terms - 1, |a, b| b.1.total_cmp(&a.1));
            probe.truncate(max_terms);
        }
        probe.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        let mut candidates: Vec<(u32, f32)> = ACCUMULATOR.with_borrow_mut(|acc| {
            if acc.len() < self.docs.len() {
                acc.resize(self.docs.len(), 0.0);
            }
            let mut touched: Vec<u32> = Vec::new();
            let mut visited = 0usize;
            for &(t, w) in &probe {
                let postings = &self.terms[t as usize].postings;
                if visited > 0 && visited + postings.len() > budget {
                    continue;
                }
                visited += postings.len();
                let factor = w * self.idf(base, t);
                for p in postings {
                    let a = &mut acc[p.key() as usize];
                    if *a == 0.0 {
                        touched.push(p.key());
                    }
                    *a += factor * p.ltf();
                }
            }
            let candidates = touched
                .iter()
                .filter(|&&s| s != exclude && self.norms[s as usize] > 0.0)
                .map(|&s| (s, acc[s as usize] / self.norms[s as usize]))
                .collect();
            for &s in &touched {
                acc[s as usize] = 0.0;
            }
            candidates
        });
        if candidates.len() > pool {
            candidates.select_nth_unstable_by(pool - 1, |a, b| b.1.total_cmp(&a.1));
            candidates.truncate(pool);
        }
        let mut exact: Vec<(u32, f32)> = candidates
            .into_iter()
            .filter_map(|(s, _)| {
                let d = self.docs[s as usize].as_ref()?;
                let cosine = self.cosine(base, query, 1.0, &d.terms);
                (cosine > 0.0).then_some((s, cosine))
            })
            .collect();
        exact.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        exact
    }

    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&t) = self.vocab.get(text) {
            return t;
        }
        let t = match self.free_terms.pop() {
            Some(t) => {
                self.terms[t as usize].text = Box::from(text);
                t
            }
            None => {
                self.terms.push(Term { text: Box::from(text), df: 0, postings: Vec::new() });
                self.ln_df1.push(0.0);
                (self.terms.len() - 1) as u32
            }
        };
        self.vocab.insert(Box::from(text), t);
        t
    }

    /// ln(N + 1) + 1: idf(t) is this minus ln(df(t) + 1).
    fn idf_base(&self) -> f32 {
        (self.slot_of.len() as f32 + 1.0).ln() + 1.0
    }

    fn idf(&self, base: f32, t: u32) -> f32 {
        base - self.ln_df1[t as usize]
    }

    /// L2 norm of a document's weight vector with the current idf.
    fn norm(&self, terms: &[Packed]) -> f32 {
        let base = self.idf_base();
        terms
            .iter()
            .map(|p| {
                let w = p.ltf() * self.idf(base, p.key());
                w * w
            })
            .sum::<f32>()
            .sqrt()
    }

    /// Exact cosine between the query weights (sorted by term) and a document's terms.
    fn cosine(&self, base: f32, query: &[(u32, f32)], query_norm: f32, terms: &[Packed]) -> f32 {
        let mut dot = 0.0f32;
        let mut norm_sq = 0.0f32;
        let mut qi = 0;
        for p in terms {
            let t = p.key();
            let w = p.ltf() * self.idf(base, t);
            norm_sq += w * w;
            while qi < query.len() && query[qi].0 < t {
                qi += 1;
            }
            if qi < query.len() && query[qi].0 == t {
                dot += query[qi].1 * w;
            }
        }
        if norm_sq <= 0.0 {
            return 0.0;
        }
        dot / (query_norm * norm_sq.sqrt())
    }

    fn refresh_next_norm(&mut self) {
        let n = self.docs.len();
        for _ in 0..n {
            self.refresh_cursor = (self.refresh_cursor + 1) % n;
            if let Some(doc) = self.docs[self.refresh_cursor].as_ref() {
                self.norms[self.refresh_cursor] = self.norm(&doc.terms);
                return;
            }
        }
    }
}

/// The longest prefix of `s` of at most `max` bytes ending on a character boundary.
fn truncate_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
