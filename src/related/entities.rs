//! Names in running text: runs of capitalised words ("Tara Reid", "Bank of America", "Promises
//! Treatment Center") spotted from capitals alone, no gazetteer.
//!
//! A name of two or more words becomes one extra index term (its words lowercased, folded, joined by
//! `_`, not stemmed: "tara_reid"), which the words alone cannot express: two stories about two
//! different people called Reid, or two earthquakes in two different "San" places, share words but
//! not the name. Numbers are index terms already ([`super::tokenize`]).
//!
//! Rules:
//! - a word is capitalised when it starts with an upper-case letter; all-capital short words
//!   ("US", "NATO") count;
//! - punctuation other than an apostrophe or a hyphen inside a word ends a run (so does a line
//!   break), and a run never crosses a sentence end;
//! - the connectors "of", "de", "del", "da", "van", "von", "der", "al", "bin", "la", "le", "du", "y"
//!   may stand between capitalised words ("Bank of America");
//! - a stop word at the start of a run is dropped ("The White House" → "white_house"; "But Obama"
//!   → "obama", a single word, so no name term);
//! - in headline case or shouting text (more than half the words capitalised) capitals are no
//!   evidence, and nothing is spotted;
//! - runs longer than [`MAX_WORDS`] words are not names (a list of headline fragments).

use super::stopwords::is_stop_word;
use super::tokenize::fold_lower;

/// Longest name kept, in words.
pub const MAX_WORDS: usize = 5;

const CONNECTORS: &[&str] = &["al", "bin", "da", "de", "del", "der", "du", "la", "le", "of", "van", "von", "y"];

/// Calls `emit` with each multi-word name of `text` (words folded, joined by `_`), in text order.
pub fn for_each_name(text: &str, mut emit: impl FnMut(&str)) {
    let words = split_words(text);
    let alphabetic: Vec<&RawWord> = words.iter().filter(|w| w.text.chars().any(char::is_alphabetic)).collect();
    let capitalised = alphabetic.iter().filter(|w| w.capitalised).count();
    if alphabetic.len() >= 4 && capitalised * 2 > alphabetic.len() {
        return;
    }
    let mut run: Vec<&RawWord> = Vec::new();
    let mut buf = String::new();
    let flush = |run: &mut Vec<&RawWord>, buf: &mut String, emit: &mut dyn FnMut(&str)| {
        // Trailing connectors are not part of the name; a leading stop word is not either.
        while run.last().is_some_and(|w| !w.capitalised) {
            run.pop();
        }
        let start = usize::from(run.first().is_some_and(|w| is_stop_word(&fold_lower(w.text))));
        let name = &run[start.min(run.len())..];
        if (2..=MAX_WORDS).contains(&name.len()) {
            buf.clear();
            for (i, w) in name.iter().enumerate() {
                if i > 0 {
                    buf.push('_');
                }
                buf.push_str(&fold_lower(w.text));
            }
            emit(buf);
        }
        run.clear();
    };
    for w in &words {
        if w.breaks_before && !run.is_empty() {
            flush(&mut run, &mut buf, &mut emit);
        }
        if w.capitalised || (!run.is_empty() && CONNECTORS.contains(&w.text)) {
            run.push(w);
        } else if !run.is_empty() {
            flush(&mut run, &mut buf, &mut emit);
        }
    }
    flush(&mut run, &mut buf, &mut emit);
}

/// The names of `text` as a vector (tests and diagnostics).
pub fn names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_name(text, |n| out.push(n.to_string()));
    out
}

struct RawWord<'a> {
    /// The word as written, without a possessive "'s".
    text: &'a str,
    capitalised: bool,
    /// Punctuation (not just spaces) stands between this word and the previous one.
    breaks_before: bool,
}

/// Words (runs of letters and digits, with inner apostrophes and hyphens) and whether punctuation
/// precedes each.
fn split_words(text: &str) -> Vec<RawWord<'_>> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut breaks = true;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next_alnum = iter.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
        let inner = matches!(c, '\'' | '\u{2019}' | '-') && start.is_some() && next_alnum;
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            words.push(raw_word(&text[s..i], breaks));
            breaks = false;
        }
        if !c.is_whitespace() || c == '\n' {
            breaks = true;
        }
    }
    if let Some(s) = start {
        words.push(raw_word(&text[s..], breaks));
    }
    words
}

fn raw_word(word: &str, breaks_before: bool) -> RawWord<'_> {
    let text = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))
        .or_else(|| word.strip_suffix("'S"))
        .unwrap_or(word);
    let mut chars = text.chars();
    let capitalised = chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_alphabetic);
    RawWord { text, capitalised, breaks_before }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_word_names() {
        assert_eq!(
            names("Perennial party girl Tara Reid checked into Promises Treatment Center, her rep told People."),
            ["tara_reid", "promises_treatment_center"]
        );
        assert_eq!(names("shares of Bank of America fell"), ["bank_of_america"]);
        assert_eq!(names("The White House said on Monday that it would wait. But Obama disagreed"), ["white_house"]);
        assert_eq!(
            names("On Monday an aide to Biden met the team of José Luis Rodríguez Zapatero's successor in the capital"),
            ["jose_luis_rodriguez_zapatero"]
        );
    }

    #[test]
    fn punctuation_and_sentences_break_names() {
        assert_eq!(names("in Paris, France on Monday"), Vec::<String>::new());
        assert_eq!(names("He met Smith. Jones arrived later"), Vec::<String>::new());
        assert_eq!(names("a quake hit Los Angeles (California) today"), ["los_angeles"]);
    }

    #[test]
    fn headline_case_and_shouting_spot_nothing() {
        assert_eq!(names("Ferry Workers Strike In Calais, Stranding Thousands"), Vec::<String>::new());
        assert_eq!(names("FERRY WORKERS STRIKE IN CALAIS"), Vec::<String>::new());
        // A sentence-case headline still gives its names.
        assert_eq!(names("Ferry workers strike in Calais as Le Havre port closes"), ["le_havre"]);
    }
}
