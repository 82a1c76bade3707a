//! Turns plain text into index terms.
//!
//! - **Words** are runs of Unicode letters and digits (`char::is_alphanumeric`), lowercased, with
//!   the common Latin diacritics folded ("Zürich" → "zurich", "São" → "sao") and combining marks
//!   dropped, so differently encoded copies of one name meet. Everything else separates words,
//!   hyphens included ("covid-19" → "covid", "19").
//! - **Apostrophes** (', ’, ʼ) inside a word are dropped ("don't" → "dont", "O'Brien" → "obrien"),
//!   and a possessive "'s" is removed ("Biden's" → "biden").
//! - **Numbers** are kept: thousands separators are removed ("10,000" → "10000") and a decimal point
//!   between digits is kept ("3.5"). Numbers, like names, are strong evidence of one event.
//! - **Acronyms**: dotted ones are joined ("U.S." → "us", "D.C." → "dc"); a short all-capitals word
//!   ("US", "WHO", "CBS") is an acronym unless the whole text is in capitals. Acronyms skip the stop
//!   list and the stemmer, so "U.S." and "US" both give the term "us" while the pronoun is dropped.
//! - **Chinese and Japanese** script (no spaces between words) gives overlapping character pairs.
//! - Terms shorter than 2 or longer than 32 characters are dropped; stop words are dropped and
//!   the rest stemmed by the rules of the article's [`Language`] (English: [`super::stopwords`]
//!   and [`super::stem`]).

use super::language::Language;

const MIN_CHARS: usize = 2;
const MAX_CHARS: usize = 32;
/// Acronyms recognised by capitals alone are this long at most ("NASA", "UNHCR").
const MAX_CAPS_ACRONYM: usize = 5;

/// Calls `emit` with each index term of `text`, in text order (repeats included), by the English
/// rules.
pub fn for_each_term(text: &str, emit: impl FnMut(&str)) {
    for_each_term_in(text, Language::English, emit);
}

/// [`for_each_term`] with the stop words and stemmer of `language`.
pub fn for_each_term_in(text: &str, language: Language, mut emit: impl FnMut(&str)) {
    let chars: Vec<char> = text.chars().collect();
    let (letters, capitals) = chars
        .iter()
        .filter(|c| c.is_alphabetic())
        .fold((0usize, 0usize), |(l, u), c| (l + 1, u + usize::from(c.is_uppercase())));
    // In shouting text capitals say nothing, so no word is taken for an acronym because of them.
    let capitals_meaningful = capitals * 2 < letters;

    let mut word = Word { language, ..Word::default() };
    let mut cjk: Vec<char> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            word.finish(capitals_meaningful, &mut emit);
            cjk.push(c);
            i += 1;
            continue;
        }
        finish_cjk(&mut cjk, &mut emit);
        if c.is_alphanumeric() {
            word.push(c);
            i += 1;
            continue;
        }
        if is_combining_mark(c) {
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).copied();
        let after = chars.get(i + 2).copied();
        if !word.text.is_empty() {
            match c {
                '\'' | '\u{2019}' | '\u{02BC}' if next.is_some_and(char::is_alphabetic) => {
                    if matches!(next, Some('s' | 'S')) && !after.is_some_and(char::is_alphanumeric) {
                        // Possessive (or "it's", "he's"): drop the "'s".
                        word.finish(capitals_meaningful, &mut emit);
                        i += 2;
                    } else {
                        // Inner apostrophe: "don't" -> "dont".
                        i += 1;
                    }
                    continue;
                }
                ',' if word.all_digits && next.is_some_and(|n| n.is_ascii_digit()) => {
                    // Thousands separator: "10,000" -> "10000".
                    i += 1;
                    continue;
                }
                '.' if word.number_like && next.is_some_and(|n| n.is_ascii_digit()) => {
                    // Decimal point: "3.5".
                    word.text.push('.');
                    word.all_digits = false;
                    i += 1;
                    continue;
                }
                '.' if word.segment == 1
                    && word.letters_only
                    && next.is_some_and(char::is_alphabetic)
                    && !after.is_some_and(char::is_alphanumeric) =>
                {
                    // Dotted acronym: "U.S." -> "us".
                    word.dotted = true;
                    word.segment = 0;
                    i += 1;
                    continue;
                }
                _ => {}
            }
        }
        word.finish(capitals_meaningful, &mut emit);
        i += 1;
    }
    word.finish(capitals_meaningful, &mut emit);
    finish_cjk(&mut cjk, &mut emit);
}

/// The terms of `text` as a vector (for tests and diagnostics; indexing uses [`for_each_term`]).
pub fn terms(text: &str) -> Vec<String> {
    terms_in(text, Language::English)
}

/// [`terms`] by the rules of `language`.
pub fn terms_in(text: &str, language: Language) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term_in(text, language, |t| out.push(t.to_string()));
    out
}

/// `word` lowercased with the common Latin diacritics folded and apostrophes dropped, unstemmed
/// (names are compared as written: [`super::entities`]).
pub fn fold_lower(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '\'' | '\u{2019}' | '\u{02BC}') || is_combining_mark(c) {
            continue;
        }
        for lower in c.to_lowercase() {
            push_folded(&mut out, lower);
        }
    }
    out
}

/// The word being read.
struct Word {
    /// Lowercased, folded.
    text: String,
    chars: usize,
    /// Characters since the word start or the last joined acronym dot.
    segment: usize,
    all_capitals: bool,
    letters_only: bool,
    all_digits: bool,
    /// Digits with possibly a decimal point.
    number_like: bool,
    dotted: bool,
    language: Language,
}

impl Default for Word {
    fn default() -> Self {
        Word {
            text: String::new(),
            chars: 0,
            segment: 0,
            all_capitals: true,
            letters_only: true,
            all_digits: true,
            number_like: true,
            dotted: false,
            language: Language::English,
        }
    }
}

impl Word {
    fn push(&mut self, c: char) {
        self.chars += 1;
        self.segment += 1;
        if c.is_alphabetic() {
            self.all_digits = false;
            self.number_like = false;
            if !c.is_uppercase() {
                self.all_capitals = false;
            }
        } else {
            self.letters_only = false;
            if !c.is_ascii_digit() {
                self.all_digits = false;
                self.number_like = false;
            }
        }
        if c.is_ascii() {
            self.text.push(c.to_ascii_lowercase());
        } else {
            for lower in c.to_lowercase() {
                push_folded(&mut self.text, lower);
            }
        }
    }

    fn finish(&mut self, capitals_meaningful: bool, emit: &mut impl FnMut(&str)) {
        if self.text.is_empty() {
            return;
        }
        let length = self.text.chars().count();
        if (MIN_CHARS..=MAX_CHARS).contains(&length) {
            let acronym = self.dotted
                || (capitals_meaningful
                    && self.letters_only
                    && self.all_capitals
                    && self.chars >= MIN_CHARS
                    && self.chars <= MAX_CAPS_ACRONYM);
            if acronym {
                emit(&self.text);
            } else if !self.language.is_stop_word(&self.text) {
                self.language.stem(&mut self.text);
                emit(&self.text);
            }
        }
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        *self = Word { text, language: self.language, ..Word::default() };
    }
}

fn finish_cjk(run: &mut Vec<char>, emit: &mut impl FnMut(&str)) {
    let mut buf = String::new();
    match run.len() {
        0 => return,
        1 => {
            buf.push(run[0]);
            emit(&buf);
        }
        _ => {
            for pair in run.windows(2) {
                buf.clear();
                buf.push(pair[0]);
                buf.push(pair[1]);
                emit(&buf);
            }
        }
    }
    run.clear();
}

/// Han ideographs, Hiragana and Katakana: scripts written without spaces.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF       // Hiragana, Katakana
        | 0x3400..=0x4DBF     // CJK Extension A
        | 0x4E00..=0x9FFF     // CJK Unified Ideographs
        | 0xF900..=0xFAFF     // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B-F, supplement
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Pushes lowercase `c` with its Latin diacritic removed (Latin-1 Supplement and Latin Extended-A,
/// plus Romanian ș/ț); other characters unchanged.
fn push_folded(out: &mut String, c: char) {
    let folded: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(folded);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_stemmed_and_stop_words_dropped() {
        assert_eq!(terms("The ferries were cancelled as workers strike"), ["ferri", "cancel", "worker", "strike"]);
        assert_eq!(terms("Reporting: he said it's been killed"), ["report", "kill"]);
    }

    #[test]
    fn apostrophes_and_possessives() {
        assert_eq!(terms("Biden's plan"), ["biden", "plan"]);
        assert_eq!(terms("Biden’s plan"), ["biden", "plan"]);
        assert_eq!(terms("O'Brien won't"), ["obrien"]);
        assert_eq!(terms("the players' union"), ["player", "union"]);
    }

    #[test]
    fn numbers() {
        assert_eq!(terms("10,000 people in 2024"), ["10000", "people", "2024"]);
        assert_eq!(terms("a 3.5% rise, 7 dead"), ["3.5", "rise", "dead"]);
        assert_eq!(terms("covid-19 and G20"), ["covid", "19", "g20"]);
        assert_eq!(terms("in 2019.Next"), ["2019", "next"]);
    }

    #[test]
    fn acronyms() {
        assert_eq!(terms("U.S. troops"), ["us", "troop"]);
        assert_eq!(terms("US troops"), ["us", "troop"]);
        assert_eq!(terms("let us go"), ["let", "go"]);
        assert_eq!(terms("Washington, D.C., said CBS"), ["washington", "dc", "cbs"]);
        // Shouting text: capitals are no evidence of an acronym.
        assert_eq!(terms("LET US GO"), ["let", "go"]);
    }

    #[test]
    fn unicode() {
        assert_eq!(terms("Zürich São Paulo"), ["zurich", "sao", "paulo"]);
        // Decomposed accent (e + combining acute).
        assert_eq!(terms("Cafe\u{301} crème"), ["cafe", "creme"]);
        assert_eq!(terms("Москва объявила"), ["москва", "объявила"]);
        assert_eq!(terms("東京都"), ["東京", "京都"]);
        assert_eq!(terms("x 東 y"), ["東"]);
    }

    #[test]
    fn other_languages_use_their_stop_words_and_stemmer() {
        use rust_stemmers::Algorithm;
        let de = Language::Snowball(Algorithm::German);
        // Inflected forms meet; articles and prepositions go; numbers and acronyms stay as they are.
        assert_eq!(terms_in("der Streik der Lokführer", de), ["streik", "lokfuhr"]);
        assert_eq!(terms_in("die Streiks von Lokführern", de), ["streik", "lokfuhr"]);
        assert_eq!(terms_in("Streik bei der DB: 10.000 Pendler", de), ["streik", "db", "10.000", "pendl"]);
        let fr = Language::Snowball(Algorithm::French);
        assert_eq!(terms_in("les grèves des contrôleurs", fr), terms_in("la grève du contrôleur", fr));
    }
}
