//! A light English stemmer: step 1 of Porter's algorithm (plurals, -ed, -ing, final -y) with two
//! guards, preceded by a conservative -ly rule. It conflates the inflections a headline and a lead
//! paragraph use for the same thing ("strikes"/"striking"/"struck" aside, "ferries"/"ferry",
//! "killed"/"killing"/"kills", "reportedly"/"reported") without the derivational cuts of Porter's
//! later steps, which merge words of different meaning ("general"/"generate") and are not needed to
//! match two reports of one event.
//!
//! Only plain ASCII lowercase words of three letters or more are stemmed; anything with a digit or a
//! non-ASCII letter is left as it is (names, "covid19", "g20", accented words).
//!
//! The steps, in order:
//! 1. **-ly** (not in Porter step 1): drop "ly" only after a suffix that marks an adverb formed from
//!    an adjective or participle: -ally, -fully, -ously, -ently, -antly, -ively, -edly, -ingly, -ctly,
//!    -tely, -lessly ("finally"→"final", "reportedly"→"reported", "completely"→"complete"), and only
//!    when a reasonable stem is left, so "rally", "gently", "lately", "family", "supply" and "Italy"
//!    are kept.
//! 2. **1a, plurals**: "sses"→"ss", "ies"→"i", "ss" kept, final "s" dropped, except after "u" or
//!    "i" ("virus", "census", "crisis", "Paris": almost never plurals in English), in "news" (not the
//!    plural of "new") and when fewer than three letters would remain ("gas", "bus").
//! 3. **1b, -ed/-ing**: "eed"→"ee" when the stem has measure > 0 ("agreed"→"agree", but "need" is
//!    kept); "ed" and "ing" dropped when the stem holds a vowel ("killed"→"kill", "sing", "king" and
//!    "bred" kept), then the stem is tidied as Porter does: "at"/"bl"/"iz" get their "e" back, a
//!    doubled final consonant other than l, s, z is undoubled ("stopped"→"stop"), and a short
//!    consonant-vowel-consonant stem gets an "e" ("hoping"→"hope"); a final "ll" left by the cut is
//!    undoubled when the stem has measure > 1 (Porter's step 5b, so "cancelled" and "canceled" meet).
//! 4. **1c, final y**: "y"→"i" when the stem holds a vowel, so "story" and "stories" meet at "stori".
//!
//! The output is an index key, not a word: "stori" is fine as long as both spellings map to it.

/// Stems `word` in place (see the module documentation for the rules).
pub fn stem(word: &mut String) {
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    let mut w: Vec<u8> = std::mem::take(word).into_bytes();
    strip_ly(&mut w);
    step_1a(&mut w);
    step_1b(&mut w);
    step_1c(&mut w);
    // Only ASCII lowercase bytes were removed or added, so this is valid UTF-8.
    *word = String::from_utf8(w).unwrap_or_default();
}

/// Is `w[i]` a consonant in Porter's sense (a letter other than a, e, i, o, u, and other than a "y"
/// that follows a consonant)?
fn is_consonant(w: &[u8], i: usize) -> bool {
    match w[i] {
        b'a' | b'e' | b'i' | b'o' | b'u' => false,
        b'y' => i == 0 || !is_consonant(w, i - 1),
        _ => true,
    }
}

/// Porter's measure m of a stem: the number of vowel-consonant sequences in [C](VC)^m[V].
fn measure(w: &[u8]) -> usize {
    let n = w.len();
    let mut i = 0;
    while i < n && is_consonant(w, i) {
        i += 1;
    }
    let mut m = 0;
    loop {
        while i < n && !is_consonant(w, i) {
            i += 1;
        }
        if i >= n {
            return m;
        }
        while i < n && is_consonant(w, i) {
            i += 1;
        }
        m += 1;
    }
}

fn has_vowel(w: &[u8]) -> bool {
    (0..w.len()).any(|i| !is_consonant(w, i))
}

fn ends_double_consonant(w: &[u8]) -> bool {
    let n = w.len();
    n >= 2 && w[n - 1] == w[n - 2] && is_consonant(w, n - 1)
}

/// Ends consonant-vowel-consonant, the last not w, x or y ("hop", "fil"; not "snow", "box").
fn ends_cvc(w: &[u8]) -> bool {
    let n = w.len();
    n >= 3
        && is_consonant(w, n - 3)
        && !is_consonant(w, n - 2)
        && is_consonant(w, n - 1)
        && !matches!(w[n - 1], b'w' | b'x' | b'y')
}

fn strip_ly(w: &mut Vec<u8>) {
    if !w.ends_with(b"ly") {
        return;
    }
    let stem_len = w.len() - 2;
    let stem = &w[..stem_len];
    // (adverb-forming ending before "ly", shortest stem allowed)
    const RULES: &[(&[u8], usize)] = &[
        (b"al", 4),
        (b"ful", 5),
        (b"ous", 5),
        (b"ent", 5),
        (b"ant", 5),
        (b"ive", 5),
        (b"ed", 4),
        (b"ing", 5),
        (b"ct", 4),
        (b"te", 5),
        (b"less", 6),
    ];
    if RULES.iter().any(|(end, min)| stem.len() >= *min && stem.ends_with(end)) {
        w.truncate(stem_len);
    }
}

fn step_1a(w: &mut Vec<u8>) {
    if w.ends_with(b"sses") || w.ends_with(b"ies") {
        w.truncate(w.len() - 2);
    } else if w.ends_with(b"s")
        && !w.ends_with(b"ss")
        && !w.ends_with(b"us")
        && !w.ends_with(b"is")
        && w.len() > 3
        && w.as_slice() != b"news"
    {
        w.pop();
    }
}

fn step_1b(w: &mut Vec<u8>) {
    if w.ends_with(b"eed") {
        if measure(&w[..w.len() - 3]) > 0 {
            w.pop();
        }
        return;
    }
    let cut = if w.ends_with(b"ed") && has_vowel(&w[..w.len() - 2]) {
        2
    } else if w.ends_with(b"ing") && has_vowel(&w[..w.len() - 3]) {
        3
    } else {
        return;
    };
    w.truncate(w.len() - cut);
    if w.ends_with(b"at") || w.ends_with(b"bl") || w.ends_with(b"iz") {
        w.push(b'e');
    } else if ends_double_consonant(w) && !matches!(w[w.len() - 1], b'l' | b's' | b'z') {
        w.pop();
    } else if w.ends_with(b"ll") && measure(w) > 1 {
        // Porter's step 5b, brought forward so British and American spellings meet:
        // "cancelled"/"canceled" -> "cancel" (but "falling" -> "fall").
        w.pop();
    } else if measure(w) == 1 && ends_cvc(w) {
        w.push(b'e');
    }
}

fn step_1c(w: &mut [u8]) {
    let n = w.len();
    if n >= 2 && w[n - 1] == b'y' && has_vowel(&w[..n - 1]) {
        w[n - 1] = b'i';
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(word: &str) -> String {
        let mut w = word.to_string();
        stem(&mut w);
        w
    }

    #[test]
    fn porter_step_1_examples() {
        // Examples from Porter (1980), step 1.
        for (word, want) in [
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("caress", "caress"),
            ("cats", "cat"),
            ("feed", "feed"),
            ("agreed", "agree"),
            ("plastered", "plaster"),
            ("bled", "bled"),
            ("motoring", "motor"),
            ("sing", "sing"),
            ("conflated", "conflate"),
            ("troubled", "trouble"),
            ("sized", "size"),
            ("hopping", "hop"),
            ("tanned", "tan"),
            ("falling", "fall"),
            ("hissing", "hiss"),
            ("fizzed", "fizz"),
            ("failing", "fail"),
            ("filing", "file"),
            ("happy", "happi"),
            ("sky", "sky"),
        ] {
            assert_eq!(s(word), want, "{word}");
        }
    }

    #[test]
    fn inflections_meet() {
        for group in [
            &["strike", "strikes"][..],
            &["ferry", "ferries"],
            &["kill", "killed", "killing", "kills"],
            &["story", "stories"],
            &["report", "reported", "reportedly", "reports", "reporting"],
            &["complete", "completely"],
            &["final", "finally"],
            &["recent", "recently"],
            &["hope", "hoping", "hoped", "hopes"],
            &["stop", "stopped", "stopping", "stops"],
            &["cancel", "cancelled", "canceled", "cancelling"],
        ] {
            let stems: Vec<String> = group.iter().map(|w| s(w)).collect();
            assert!(stems.windows(2).all(|p| p[0] == p[1]), "{group:?} -> {stems:?}");
        }
    }

    #[test]
    fn guards() {
        for word in ["news", "virus", "crisis", "paris", "census", "gas", "bus", "king", "sky"] {
            assert_eq!(s(word), word, "{word} must be kept");
        }
        // "-ly" is not cut from these (only Porter's final y -> i applies).
        for (word, want) in [("rally", "ralli"), ("gently", "gentli"), ("lately", "lateli"), ("supply", "suppli")] {
            assert_eq!(s(word), want, "{word}");
        }
        assert_ne!(s("news"), s("new"));
        assert_eq!(s("family"), "famili");
        assert_eq!(s("families"), "famili");
        // Non-ASCII and alphanumeric words are left alone.
        assert_eq!(s("zürichs"), "zürichs");
        assert_eq!(s("covid19s"), "covid19s");
    }
}
