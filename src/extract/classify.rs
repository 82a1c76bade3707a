//! What one segment reads as, on its own: prose, a sentence, junk (link lists, ad labels,
//! boilerplate phrases), a sign-off at the article's edge, a linked sentence, a heading, a bare
//! address, a caption. [`super::keep`] decides with these which segments are the article.

use super::segment::{Kind, Segment};

/// Whether a segment reads as prose: long enough, or a sentence; few links.
pub(super) fn is_good(seg: &Segment) -> bool {
    let plain = seg.chars.saturating_sub(seg.link_chars);
    !seg.boiler
        && seg.link_density() < 0.4
        && matches!(seg.kind, Kind::Text | Kind::ListItem | Kind::Code | Kind::Cell)
        && (plain >= 80 || (plain >= 30 && is_sentence(seg)))
}

/// A short segment that still reads as a sentence.
pub fn is_sentence(seg: &Segment) -> bool {
    let words = seg.text.split_whitespace().count();
    // Scripts written without spaces between words (Chinese, Japanese) count by characters.
    let wordy = words >= 4 || (seg.chars >= 12 && seg.text.chars().any(|c| c as u32 >= 0x3000));
    wordy && matches!(last_mark(&seg.text), Some('.' | '!' | '?' | '…' | ':' | '。')) && seg.link_density() < 0.5
}

/// The text's last character once closing quotes and brackets are set aside.
fn last_mark(text: &str) -> Option<char> {
    text.trim_end_matches(['"', '\'', '”', '’', ')', ' ']).chars().next_back()
}

/// Not the article's words wherever it stands: boilerplate-marked, mostly links, escaped markup,
/// a bare count, or a short line that starts with a boilerplate phrase or is an ad label.
pub(super) fn is_junk(seg: &Segment) -> bool {
    seg.boiler || is_junk_text(seg)
}

/// [`is_junk`] by the segment's words and links alone, whatever its markup says.
pub(super) fn is_junk_text(seg: &Segment) -> bool {
    if seg.link_density() > 0.5 {
        return true;
    }
    // Markup that a page escaped into text ("&lt;img src=...&gt;").
    if seg.text.starts_with('<') && seg.text.ends_with('>') {
        return true;
    }
    // A bare count on a line of its own (votes, likes, comments, shares): not in a list or a
    // table, where numbers are the content.
    if seg.kind == Kind::Text && seg.chars <= 6 && seg.text.chars().all(|c| c.is_ascii_digit() || ".,+-kK ".contains(c))
    {
        return true;
    }
    // Every phrase and line below is shorter than this.
    if seg.chars >= 60 {
        return false;
    }
    let lower = seg.text.to_lowercase();
    BOILER_PHRASES.iter().chain(SUBSCRIBE_PITCHES).any(|p| lower.starts_with(p))
        || BOILER_LINES.contains(&lower.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// A short paragraph at the article's edge that is not its story: a pitch to sign up, subscribe,
/// follow or send a tip (in English and the languages of [`BOILER_PHRASES`]); the wire credits
/// ("Reporting by …; Editing by …", "… contributed reporting"); an update stamp.
pub(super) fn is_sign_off(seg: &Segment) -> bool {
    if seg.chars >= 300 {
        return false;
    }
    let lower = seg.text.to_lowercase();
    [
        "sign up for",
        "subscribe to our",
        "subscribe to the",
        "subscribe now",
        "our newsletter",
        "newsletters",
        "in your inbox",
        "to your inbox",
        "have a tip",
        "got a tip",
    ]
    .iter()
    .chain(SUBSCRIBE_PITCHES)
    .any(|p| lower.contains(p))
        || names_social_networks(seg)
        || pitches_an_app(&lower)
        || ["reporting by", "(reporting by", "additional reporting", "updated at", "updated on", "last updated"]
            .iter()
            .any(|p| lower.starts_with(p))
        || ["contributed reporting", "contributed to this report", "editing by"].iter().any(|p| lower.contains(p))
}

/// "Download our app for the latest news": a line that asks for the site's app, in English and
/// the languages of [`BOILER_PHRASES`].
fn pitches_an_app(lower: &str) -> bool {
    let app = lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(w, "app" | "apps" | "aplicación" | "application" | "applicazione" | "aplicativo" | "aplikację")
    });
    app && ["download", "herunter", "descarga", "télécharge", "scarica", "baixe", "pobierz"]
        .iter()
        .any(|verb| lower.contains(verb))
}

/// "Follow us on Instagram, Facebook and Twitter": a line that lists social networks.
fn names_social_networks(seg: &Segment) -> bool {
    let lower = seg.text.to_lowercase();
    ["facebook", "twitter", "instagram", "youtube", "tiktok", "linkedin"].iter().filter(|n| lower.contains(*n)).count()
        >= 2
}

/// "Subscribe" in German, French, Spanish, Italian, Portuguese, Dutch and Polish: a pitch when a
/// short line begins with it ([`BOILER_PHRASES`]) or an edge paragraph holds it ([`is_sign_off`]).
const SUBSCRIBE_PITCHES: &[&str] = &[
    "abonnieren",
    "abonnez-vous",
    "inscrivez-vous",
    "suscríbete",
    "suscribirse",
    "iscriviti",
    "abbonati",
    "assine",
    "inscreva-se",
    "abonneer",
    "subskrybuj",
    "zapisz się",
];

/// Whole lines that label an ad slot or a widget, never the article's words.
const BOILER_LINES: &[&str] = &[
    "ad",
    "advert",
    "ads",
    "sponsored",
    "sponsored content",
    "promoted",
    // The same in the other languages feeds are most often written in (de, fr, es, it, pt, nl, pl).
    "anzeige",
    "werbung",
    "publicité",
    "publicidad",
    "anuncio",
    "pubblicità",
    "publicidade",
    "advertentie",
    "reklama",
];

/// How short lines that are never the article's words begin: ad labels, share and follow prompts,
/// "read more" links, picture credits, copyright lines, titles of boxes of other stories.
const BOILER_PHRASES: &[&str] = &[
    "advertisement",
    "share this",
    "share on",
    "share:",
    "read more",
    "continue reading",
    "sign up",
    "subscribe",
    "follow us",
    "related:",
    "see also",
    "click here",
    "image:",
    "photo:",
    "image source",
    "getty images",
    "©",
    "copyright",
    "all rights reserved",
    "story continues below",
    "don't miss",
    "most read",
    "most popular",
    "more from",
    "related articles",
    "related stories",
    "recommended",
    "you may also like",
    "you might also like",
    "about the author",
    // The same cues in the other languages feeds are most often written in: German, French,
    // Spanish, Italian, Portuguese, Dutch, Polish. One list of equivalents per cue above, not
    // phrases of particular sites.
    // read more, continue reading
    "weiterlesen",
    "mehr lesen",
    "lire la suite",
    "lire plus",
    "leer más",
    "seguir leyendo",
    "continua a leggere",
    "leggi tutto",
    "leia mais",
    "continue lendo",
    "lees meer",
    "verder lezen",
    "czytaj więcej",
    "czytaj dalej",
    // see also, related, more from, more on this
    "lesen sie auch",
    "lies auch",
    "siehe auch",
    "mehr zum thema",
    "ähnliche beiträge",
    "ähnliche artikel",
    "verwandte artikel",
    "weitere artikel",
    "weitere beiträge",
    "lire aussi",
    "à lire aussi",
    "voir aussi",
    "articles similaires",
    "articles liés",
    "lee también",
    "lea también",
    "ver también",
    "artículos relacionados",
    "noticias relacionadas",
    "leggi anche",
    "vedi anche",
    "articoli correlati",
    "leia também",
    "veja também",
    "artigos relacionados",
    "lees ook",
    "zie ook",
    "gerelateerde artikelen",
    "czytaj także",
    "czytaj też",
    "zobacz też",
    "zobacz także",
    "podobne artykuły",
    // recommended, you may also like, most read
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "auch interessant",
    "meistgelesen",
    "meist gelesen",
    "vous aimerez aussi",
    "les plus lus",
    "te puede interesar",
    "también te puede interesar",
    "lo más leído",
    "potrebbe interessarti",
    "i più letti",
    "você também pode gostar",
    "mais lidas",
    "meest gelezen",
    "najczęściej czytane",
    "polecamy",
    // share, follow us
    "teilen",
    "jetzt teilen",
    "folgen sie uns",
    "folge uns",
    "partager",
    "suivez-nous",
    "compartir en",
    "síguenos",
    "condividi",
    "seguici",
    "compartilhe",
    "siga-nos",
    "volg ons",
    "udostępnij",
    "obserwuj nas",
    // sign up, subscribe: SUBSCRIBE_PITCHES, and
    "jetzt abonnieren",
    // picture credits
    "foto:",
    "fotos:",
    "bild:",
    "bilder:",
    "bildquelle",
    "crédit photo",
    "crédits photo",
    "crédits photos",
    "crédito:",
    "fotografía:",
    "zdjęcie:",
    "fot.",
    // about the author
    "über den autor",
    "über die autorin",
    "à propos de l'auteur",
    "sobre el autor",
    "sull'autore",
    "sobre o autor",
    "over de auteur",
    "o autorze",
];

/// A sentence of the author's with links in it: "X has been eliminated from [the show]."
pub(super) fn is_linked_sentence(seg: &Segment) -> bool {
    seg.kind == Kind::Text
        && !seg.boiler
        && seg.link_density() < 0.7
        && !names_social_networks(seg)
        && seg.text.split_whitespace().count() >= 6
        && matches!(last_mark(&seg.text), Some('.' | '!' | '?'))
}

/// A heading that may be the article's own: not boilerplate, not a stub. [`super::keep`] keeps it,
/// even when it is a link, if prose follows it (a run of linked headings is a list of other
/// stories).
pub(super) fn is_heading(seg: &Segment) -> bool {
    matches!(seg.kind, Kind::Heading(_)) && !seg.boiler && seg.chars >= 4
}

/// A paragraph that is one address, shown as itself ("http://example.com/x"): the author's
/// reference, not a menu (menus name their links).
pub(super) fn is_bare_url(seg: &Segment) -> bool {
    let text = seg.text.as_str();
    seg.kind == Kind::Text
        && !seg.boiler
        && !text.contains(char::is_whitespace)
        && (text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www."))
}

/// A figure's or a table's caption.
pub(super) fn is_caption(seg: &Segment) -> bool {
    matches!(seg.kind, Kind::Caption)
}
