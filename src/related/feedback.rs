//! Pseudo-relevance feedback (Rocchio / RM3-like): the first search's best documents lend the query
//! their strongest terms, so a short lead meets the other reports of its story in their own words.
//!
//! Vectors are sparse `(term id, weight)` lists sorted by term id and L2-normalised.

/// `(1 - beta) × query + beta × centroid`, renormalised, where the centroid is the score-weighted
/// mean of the feedback documents' vectors. Every query term is kept; of the terms the query lacks,
/// only the `max_new_terms` heaviest are added. Empty feedback or `beta = 0`: the query unchanged.
pub fn expand(
    query: &[(u32, f32)],
    feedback: &[(Vec<(u32, f32)>, f32)],
    beta: f32,
    max_new_terms: usize,
) -> Vec<(u32, f32)> {
    let total: f32 = feedback.iter().map(|(_, s)| s.max(0.0)).sum();
    if beta <= 0.0 || total <= 0.0 {
        return query.to_vec();
    }
    let mut centroid: Vec<(u32, f32)> = Vec::new();
    for (vector, score) in feedback {
        let share = score.max(0.0) / total;
        centroid.extend(vector.iter().map(|&(t, w)| (t, w * share)));
    }
    let centroid = merge_sorted(centroid);
    let norm = centroid.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm <= 0.0 {
        return query.to_vec();
    }
    // Mix, splitting the centroid's terms into those of the query and new ones.
    let mut mixed: Vec<(u32, f32)> = query.iter().map(|&(t, w)| (t, (1.0 - beta) * w)).collect();
    let mut new_terms: Vec<(u32, f32)> = Vec::new();
    for &(t, w) in &centroid {
        let w = beta * w / norm;
        match mixed.binary_search_by_key(&t, |&(q, _)| q) {
            Ok(i) => mixed[i].1 += w,
            Err(_) => new_terms.push((t, w)),
        }
    }
    if new_terms.len() > max_new_terms {
        new_terms.select_nth_unstable_by(max_new_terms.saturating_sub(1), |a, b| b.1.total_cmp(&a.1));
        new_terms.truncate(max_new_terms);
    }
    mixed.extend(new_terms);
    mixed.sort_unstable_by_key(|&(t, _)| t);
    normalise(&mut mixed);
    mixed
}

/// Scales `vector` to unit length (unchanged when zero).
pub fn normalise(vector: &mut [(u32, f32)]) {
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in vector.iter_mut() {
            *w /= norm;
        }
    }
}

/// Sorts by term and adds the weights of repeated terms.
fn merge_sorted(mut entries: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
    entries.sort_unstable_by_key(|&(t, _)| t);
    let mut merged: Vec<(u32, f32)> = Vec::with_capacity(entries.len());
    for (t, w) in entries {
        match merged.last_mut() {
            Some(last) if last.0 == t => last.1 += w,
            _ => merged.push((t, w)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(v: &[(u32, f32)]) -> f32 {
        v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt()
    }

    #[test]
    fn no_feedback_leaves_the_query() {
        let q = vec![(1, 0.6), (4, 0.8)];
        assert_eq!(expand(&q, &[], 0.3, 10), q);
        assert_eq!(expand(&q, &[(vec![(2, 1.0)], 0.5)], 0.0, 10), q);
    }

    #[test]
    fn adds_the_strongest_new_terms_and_keeps_unit_length() {
        let q = vec![(1, 0.6), (4, 0.8)];
        let d1 = vec![(1, 0.5), (2, 0.7), (3, 0.1), (9, 0.5)];
        let d2 = vec![(2, 0.9), (5, 0.1), (9, 0.42)];
        let e = expand(&q, &[(d1, 0.6), (d2, 0.4)], 0.4, 2);
        let terms: Vec<u32> = e.iter().map(|&(t, _)| t).collect();
        assert_eq!(terms, [1, 2, 4, 9], "{e:?}");
        assert!((norm(&e) - 1.0).abs() < 1e-5);
        // The shared term 1 gained on 4, which the feedback lacks.
        let w = |t: u32| e.iter().find(|x| x.0 == t).unwrap().1;
        assert!(w(1) / w(4) > 0.6 / 0.8);
    }
}
