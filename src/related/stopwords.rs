//! English stop words: the common function words of the classic IR lists (articles, pronouns,
//! auxiliaries, prepositions, conjunctions, a few adverbs) plus the handful of reporting words that
//! every news story uses ("said", "told", "according"). They carry no evidence of *which* story an
//! article covers, so they are dropped before stemming.
//!
//! Entries are lowercase, apostrophes removed (the tokenizer turns "don't" into "dont" and strips a
//! possessive "'s", so "it's" arrives as "it"), and sorted (a unit test keeps them so) so that
//! [`is_stop_word`] finds a word's first letter's entries in a table built once.

use std::sync::OnceLock;

/// The list, sorted (byte order).
#[rustfmt::skip]
pub const STOP_WORDS: &[&str] = &[
    "about", "above", "according", "across", "after", "again", "against", "ago", "all", "almost", "also",
    "although", "am", "among", "an", "and", "another", "any", "are", "arent", "around", "as", "at", "be", "because",
    "been", "before", "being", "below", "between", "both", "but", "by", "can", "cannot", "cant", "could", "couldnt",
    "did", "didnt", "do", "does", "doesnt", "doing", "dont", "down", "during", "each", "either", "else", "even",
    "ever", "every", "few", "for", "from", "further", "get", "gets", "got", "had", "hadnt", "has", "hasnt", "have",
    "havent", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "if",
    "im", "in", "into", "is", "isnt", "it", "its", "itself", "ive", "just", "least", "less", "like", "many", "may",
    "me", "might", "more", "most", "mr", "mrs", "ms", "much", "must", "my", "myself", "neither", "no", "nor", "not",
    "now", "of", "off", "often", "on", "once", "only", "or", "other", "others", "our", "ours", "ourselves", "out",
    "over", "own", "per", "quite", "rather", "really", "said", "same", "say", "says", "shall", "she", "should",
    "shouldnt", "since", "so", "some", "still", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "theyre", "this", "those", "though", "through", "thus", "to",
    "told", "too", "toward", "towards", "under", "until", "up", "upon", "us", "very", "via", "was", "wasnt", "we",
    "were", "werent", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will",
    "with", "within", "without", "wont", "would", "wouldnt", "yet", "you", "your", "youre", "yours", "yourself",
    "yourselves",
];

/// Whether `word` (lowercase, apostrophes removed, not yet stemmed) is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    // Called for every word of every article: look only among the entries with the same first
    // letter (a handful), found through a table built once.
    static BY_FIRST_BYTE: OnceLock<[(u16, u16); 26]> = OnceLock::new();
    let Some(&first) = word.as_bytes().first() else {
        return false;
    };
    if !first.is_ascii_lowercase() || word.len() > 10 {
        return false;
    }
    let table = BY_FIRST_BYTE.get_or_init(|| {
        let mut table = [(0u16, 0u16); 26];
        for (letter, range) in table.iter_mut().enumerate() {
            let byte = b'a' + letter as u8;
            let start = STOP_WORDS.partition_point(|w| w.as_bytes()[0] < byte);
            let end = STOP_WORDS.partition_point(|w| w.as_bytes()[0] <= byte);
            *range = (start as u16, end as u16);
        }
        table
    });
    let (start, end) = table[usize::from(first - b'a')];
    STOP_WORDS[usize::from(start)..usize::from(end)].contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_unique_and_lowercase() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "STOP_WORDS must be sorted and unique");
        assert!(STOP_WORDS.iter().all(|w| w.chars().all(|c| c.is_ascii_lowercase())));
        assert!((160..=220).contains(&STOP_WORDS.len()), "{} stop words", STOP_WORDS.len());
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 10), "is_stop_word skips words longer than 10");
    }

    #[test]
    fn lookup() {
        assert!(is_stop_word("the"));
        assert!(is_stop_word("dont"));
        assert!(is_stop_word("said"));
        assert!(!is_stop_word("ferry"));
        assert!(!is_stop_word("strike"));
        assert!(!is_stop_word(""));
        assert!(!is_stop_word("ünder"));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
    }
}
