//! The language of an article, for the tokenizer: which stop words to drop and which stemmer to
//! use. English keeps tidings' own light stemmer and stop list ([`super::stem`],
//! [`super::stopwords`]); the other languages Snowball has a stemmer for use it (through
//! `rust-stemmers`), with the commonest function words of the languages feeds are most often
//! written in as stop words. The language is detected from the article's text (`whatlang`,
//! trigrams, on the title and the body's first 600 bytes); fewer than 20 words, a guess the
//! detector does not call reliable, or a language we have no rules for keep the English rules
//! (numbers, names and acronyms are read the same in every language and script).

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use whatlang::Lang as Detected;

/// How the words of an article are reduced to terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// tidings' English rules (also the rules when nothing better is known).
    #[default]
    English,
    /// Snowball's stemmer for the language, and its stop words where we have them.
    Snowball(Algorithm),
    /// Stop words only (a language Snowball has no stemmer for, such as Polish).
    Unstemmed(&'static [&'static str]),
}

/// Text read for detection, at most (the title and the start of the body say enough).
const DETECT_BYTES: usize = 600;
/// Fewer words than this are not enough to tell a language by.
const MIN_WORDS: usize = 20;

impl Language {
    /// The language of an article with this title and body.
    pub fn detect(title: &str, body: &str) -> Language {
        let mut sample = String::with_capacity(DETECT_BYTES + title.len() + 1);
        sample.push_str(title);
        sample.push('\n');
        let mut end = body.len().min(DETECT_BYTES);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        sample.push_str(&body[..end]);
        // A headline and a line of lead can fool trigrams (a title-case English headline comes out
        // French): too little text keeps the default rules.
        let words = sample.split_whitespace().count();
        if words < MIN_WORDS || looks_english(&sample, words) {
            return Language::English;
        }
        match whatlang::detect(&sample) {
            Some(info) if info.is_reliable() => Language::of(info.lang()),
            _ => Language::English,
        }
    }

    fn of(lang: Detected) -> Language {
        match lang {
            Detected::Deu => Language::Snowball(Algorithm::German),
            Detected::Fra => Language::Snowball(Algorithm::French),
            Detected::Spa => Language::Snowball(Algorithm::Spanish),
            Detected::Ita => Language::Snowball(Algorithm::Italian),
            Detected::Por => Language::Snowball(Algorithm::Portuguese),
            Detected::Nld => Language::Snowball(Algorithm::Dutch),
            Detected::Swe => Language::Snowball(Algorithm::Swedish),
            Detected::Dan => Language::Snowball(Algorithm::Danish),
            Detected::Nob => Language::Snowball(Algorithm::Norwegian),
            Detected::Fin => Language::Snowball(Algorithm::Finnish),
            Detected::Hun => Language::Snowball(Algorithm::Hungarian),
            Detected::Ron => Language::Snowball(Algorithm::Romanian),
            Detected::Rus => Language::Snowball(Algorithm::Russian),
            Detected::Tur => Language::Snowball(Algorithm::Turkish),
            Detected::Ell => Language::Snowball(Algorithm::Greek),
            Detected::Ara => Language::Snowball(Algorithm::Arabic),
            Detected::Pol => Language::Unstemmed(POLISH),
            _ => Language::English,
        }
    }

    /// Whether `word` (lowercased, diacritics folded) is a stop word of this language.
    pub fn is_stop_word(self, word: &str) -> bool {
        let list = match self {
            Language::English => return super::stopwords::is_stop_word(word),
            Language::Snowball(algorithm) => stop_words(algorithm),
            Language::Unstemmed(list) => list,
        };
        list.binary_search(&word).is_ok()
    }

    /// Stems `word` in place.
    pub fn stem(self, word: &mut String) {
        match self {
            Language::English => super::stem::stem(word),
            Language::Snowball(algorithm) => {
                let stemmed = stemmer(algorithm).stem(word);
                if stemmed.len() != word.len() || stemmed != word.as_str() {
                    *word = stemmed.into_owned();
                }
            }
            Language::Unstemmed(_) => {}
        }
    }
}

/// English function words, the strongest sign of English: text where one word in eight is one
/// of them is English, and needs no trigram detection (it runs on every article indexed, the
/// reader's start-up included).
fn looks_english(sample: &str, words: usize) -> bool {
    const MARKS: &[&str] = &["a", "and", "for", "in", "is", "of", "on", "that", "the", "to", "was", "with"];
    let marks =
        sample.split_whitespace().filter(|w| w.len() <= 4 && MARKS.iter().any(|m| w.eq_ignore_ascii_case(m))).count();
    marks * 8 >= words
}

/// One stemmer per language, made the first time it is needed.
fn stemmer(algorithm: Algorithm) -> &'static Stemmer {
    static STEMMERS: [OnceLock<Stemmer>; 18] = [const { OnceLock::new() }; 18];
    let slot = match algorithm {
        Algorithm::Arabic => 0,
        Algorithm::Danish => 1,
        Algorithm::Dutch => 2,
        Algorithm::English => 3,
        Algorithm::Finnish => 4,
        Algorithm::French => 5,
        Algorithm::German => 6,
        Algorithm::Greek => 7,
        Algorithm::Hungarian => 8,
        Algorithm::Italian => 9,
        Algorithm::Norwegian => 10,
        Algorithm::Portuguese => 11,
        Algorithm::Romanian => 12,
        Algorithm::Russian => 13,
        Algorithm::Spanish => 14,
        Algorithm::Swedish => 15,
        Algorithm::Tamil => 16,
        Algorithm::Turkish => 17,
    };
    STEMMERS[slot].get_or_init(|| Stemmer::create(algorithm))
}

fn stop_words(algorithm: Algorithm) -> &'static [&'static str] {
    match algorithm {
        Algorithm::German => GERMAN,
        Algorithm::French => FRENCH,
        Algorithm::Spanish => SPANISH,
        Algorithm::Italian => ITALIAN,
        Algorithm::Portuguese => PORTUGUESE,
        Algorithm::Dutch => DUTCH,
        _ => &[],
    }
}

// The commonest function words (articles, pronouns, auxiliaries, prepositions, conjunctions)
// and reporting verbs, lowercased with diacritics folded as the tokenizer folds them, sorted (a
// test keeps them so).
#[rustfmt::skip]
const GERMAN: &[&str] = &[
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "bist", "da", "damit", "dann", "das",
    "dass", "dem", "den", "denn", "der", "des", "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses",
    "doch", "dort", "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "etwa", "euch",
    "fur", "gegen", "habe", "haben", "hat", "hatte", "hatten", "hier", "ich", "ihm", "ihn", "ihnen", "ihr", "ihre",
    "im", "in", "ist", "ja", "jedoch", "kann", "kein", "keine", "man", "mehr", "mit", "muss", "nach", "nicht",
    "noch", "nun", "nur", "ob", "oder", "ohne", "sagt", "sagte", "sei", "sein", "seine", "sich", "sie", "sind",
    "so", "soll", "sowie", "uber", "um", "und", "uns", "unter", "vom", "von", "vor", "war", "waren", "was", "wegen",
    "weil", "wenn", "wer", "werden", "wie", "wieder", "wir", "wird", "wurde", "wurden", "zu", "zum", "zur",
    "zwischen",
];
#[rustfmt::skip]
const FRENCH: &[&str] = &[
    "a", "afin", "ai", "apres", "au", "aussi", "aux", "avait", "avec", "avoir", "ce", "cela", "ces", "cette",
    "comme", "dans", "de", "des", "deux", "dit", "donc", "du", "elle", "elles", "en", "encore", "entre", "est",
    "et", "etait", "ete", "etre", "eu", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "mais", "me",
    "meme", "ne", "nous", "on", "ont", "ou", "par", "pas", "plus", "pour", "qu", "que", "qui", "sa", "sans", "se",
    "selon", "ses", "si", "son", "sont", "sous", "sur", "tout", "tres", "un", "une", "vous",
];
#[rustfmt::skip]
const SPANISH: &[&str] = &[
    "a", "al", "ante", "aunque", "como", "con", "contra", "cuando", "de", "del", "desde", "dijo", "donde",
    "durante", "el", "ella", "ellos", "en", "entre", "era", "es", "esta", "estan", "este", "esto", "fue", "ha",
    "han", "hasta", "hay", "la", "las", "le", "les", "lo", "los", "mas", "me", "muy", "ni", "no", "nos", "o",
    "para", "pero", "por", "porque", "que", "se", "segun", "ser", "si", "sin", "sobre", "su", "sus", "tambien",
    "un", "una", "uno", "y", "ya",
];
#[rustfmt::skip]
const ITALIAN: &[&str] = &[
    "a", "ai", "al", "alla", "anche", "che", "come", "con", "da", "dal", "dei", "del", "della", "delle", "di", "e",
    "era", "essere", "gli", "ha", "hanno", "ho", "i", "il", "in", "la", "le", "lo", "ma", "ne", "nel", "nella",
    "non", "o", "per", "piu", "quando", "questo", "se", "si", "sono", "su", "sua", "suo", "tra", "un", "una", "uno",
];
#[rustfmt::skip]
const PORTUGUESE: &[&str] = &[
    "a", "ao", "aos", "as", "com", "como", "da", "das", "de", "do", "dos", "e", "ela", "ele", "em", "entre", "era",
    "esta", "este", "foi", "ha", "mais", "mas", "na", "nao", "nas", "no", "nos", "o", "os", "ou", "para", "pela",
    "pelo", "por", "que", "se", "segundo", "sem", "ser", "seu", "sua", "tambem", "um", "uma",
];
#[rustfmt::skip]
const DUTCH: &[&str] = &[
    "aan", "al", "als", "bij", "dan", "dat", "de", "die", "dit", "door", "een", "en", "er", "had", "heb", "hebben",
    "heeft", "het", "hij", "hun", "is", "je", "maar", "met", "na", "naar", "niet", "nog", "of", "om", "ook", "op",
    "over", "te", "tegen", "tot", "uit", "van", "voor", "was", "wat", "werd", "wij", "wordt", "ze", "zei", "zich",
    "zijn", "zo", "zou",
];
#[rustfmt::skip]
const POLISH: &[&str] = &[
    "a", "aby", "ale", "bo", "byl", "byla", "byly", "co", "dla", "do", "i", "ich", "jak", "jako", "jednak", "jego",
    "jej", "jest", "juz", "ma", "na", "nie", "o", "od", "oraz", "po", "pod", "przez", "przy", "sa", "sie", "tak",
    "tez", "to", "w", "we", "z", "za", "ze", "zostal",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_lists_are_sorted_and_folded() {
        for list in [GERMAN, FRENCH, SPANISH, ITALIAN, PORTUGUESE, DUTCH, POLISH] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list.windows(2).find(|w| w[0] >= w[1]));
            assert!(list.iter().all(|w| w.is_ascii() && *w == w.to_lowercase()), "{list:?}");
        }
    }

    #[test]
    fn languages_are_detected_from_the_text() {
        let german = Language::detect(
            "Streik der Lokführer legt den Bahnverkehr lahm",
            "Die Gewerkschaft der Lokführer hat ihre Mitglieder zu einem bundesweiten Streik aufgerufen. \
             Millionen Pendler müssen sich auf Ausfälle einstellen, teilte die Bahn am Montag mit.",
        );
        assert_eq!(german, Language::Snowball(Algorithm::German));
        let french = Language::detect(
            "Grève des contrôleurs aériens",
            "Les contrôleurs aériens ont cessé le travail mardi, et des centaines de vols ont été annulés \
             dans les aéroports de Paris, selon la direction générale de l'aviation civile.",
        );
        assert_eq!(french, Language::Snowball(Algorithm::French));
        let english = Language::detect(
            "Ferry crews walk out",
            "Ferry crews at Port Ellery walked out on Monday in a dispute over pay, stranding commuters.",
        );
        assert_eq!(english, Language::English);
        assert_eq!(Language::detect("", ""), Language::English, "nothing to go on: the default rules");
        assert!(looks_english("the strike at the port of Calais was called off on Monday", 12));
        assert!(!looks_english("Die Gewerkschaft der Lokführer hat zum Streik aufgerufen", 8));
        assert_eq!(
            Language::detect(
                "Mike Dubke Quits as White House Communications Director",
                "Departure comes as President Trump seeks reset amid probes"
            ),
            Language::English,
            "too short to tell (trigrams say French)"
        );
    }

    #[test]
    fn snowball_stems_inflections_together() {
        let stem = |lang: Language, w: &str| {
            let mut w = w.to_string();
            lang.stem(&mut w);
            w
        };
        let de = Language::Snowball(Algorithm::German);
        assert_eq!(stem(de, "lokfuhrern"), stem(de, "lokfuhrer"));
        assert_eq!(stem(de, "streiks"), stem(de, "streik"));
        let es = Language::Snowball(Algorithm::Spanish);
        assert_eq!(stem(es, "huelgas"), stem(es, "huelga"));
        assert!(de.is_stop_word("und") && !de.is_stop_word("streik"));
        assert!(Language::English.is_stop_word("the"));
    }
}
