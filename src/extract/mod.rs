//! Boilerplate stripping: from a page's HTML (and the feed's title and summary for the item, when
//! we have them) to the article: title, byline, date and the body as blocks.
//!
//! Pure: no IO, no panics on any input, and about linear in the page's size (two sorts of small
//! lists aside). The steps, each in its own module: skip script, style and comment bodies
//! ([`raw_text`]), parse into an arena ([`dom`]), read the metadata ([`metadata`]), mark hidden and
//! boilerplate markup ([`prune`], with teaser [`cards`] and the [`class_words`] of class names,
//! into [`marks`]), cut the page into text segments ([`segment`]), choose the article's container
//! ([`select`], helped by the feed [`hint`]) and its segments ([`keep`], which reads each with
//! [`classify`]; the other posts of a thread, [`peers`], and the [`lead`] before the body join
//! them), and build the blocks ([`blocks`]), their text cleaned of escape sequences, control
//! characters and bidi overrides. [`feed_clean`] cleans the HTML that feeds themselves
//! carry.
//!
//! Input is `&str`: for bytes, [`decode_page`] picks the charset from a byte-order mark, the HTTP
//! header or the page's `<meta charset>`, else UTF-8 when the bytes are valid, else windows-1252.

pub mod blocks;
pub mod cards;
pub mod class_words;
pub mod classify;
pub mod dom;
pub mod feed_clean;
pub mod hint;
pub mod keep;
pub mod lead;
pub mod marks;
pub mod metadata;
pub mod peers;
pub mod prune;
pub mod raw_text;
pub mod segment;
pub mod select;

pub use blocks::Block;
pub use feed_clean::clean_feed_html;
pub use hint::FeedHint;

use chrono::{DateTime, Utc};
use url::Url;

/// What [`extract`] finds in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub blocks: Vec<Block>,
}

impl Article {
    /// The body as plain text: blocks separated by blank lines, list items and table rows on
    /// lines of their own, no decoration. Images are left out.
    pub fn plain_text(&self) -> String {
        blocks::plain_text(&self.blocks)
    }

    /// The body as clean HTML (headings, paragraphs, lists, quotes, code, tables), for html2text.
    pub fn to_html(&self) -> String {
        blocks::to_html(&self.blocks)
    }
}

/// Extracts the article from a page. `url`, the page's address, is not used: the article is read
/// from `html` alone, wherever the page came from. `hint` is what the feed said about the item
/// (see [`hint`] for what it changes).
pub fn extract(html: &str, url: Option<&Url>, hint: Option<&FeedHint>) -> Article {
    let _ = url;
    let dom = dom::Dom::parse(html);
    let meta = metadata::read(&dom);
    let marks = prune::mark(&dom);
    let segments = segment::linearise(&dom, &marks);
    let index = hint.and_then(hint::HintIndex::new);
    let bonus = |seg: &segment::Segment| index.as_ref().map_or(0.0, |i| i.bonus(seg));
    let selection = select::select(&dom, &marks, &segments, &bonus);
    let kept = lead::with_lead(&dom, &marks, &segments, selection.kept, meta.title.as_deref(), &bonus);
    let mut blocks = blocks::build(&segments, &kept, meta.title.as_deref());
    for block in &mut blocks {
        clean_block(block);
    }
    Article { title: meta.title, byline: meta.byline, published: meta.published, blocks }
}

/// Control characters, bidi overrides and soft hyphens never leave the extractor, and its text is
/// in Unicode's composed form (NFC): one spelling of a word, whichever the page used, for the
/// terminal to draw, for search and for related stories to match.
fn clean_block(block: &mut Block) {
    const NFC: icu_normalizer::ComposingNormalizerBorrowed<'static> =
        icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
    let clean = |s: &mut String| {
        let clean = crate::sanitize::clean_text(s);
        *s = match NFC.normalize(&clean) {
            std::borrow::Cow::Borrowed(_) => clean,
            std::borrow::Cow::Owned(composed) => composed,
        };
    };
    match block {
        Block::Heading { text, .. } | Block::Paragraph(text) | Block::Quote(text) | Block::Code(text) => clean(text),
        Block::Image { alt, .. } => clean(alt),
        Block::List { items, .. } => items.iter_mut().for_each(clean),
        Block::Table { rows } => rows.iter_mut().flatten().for_each(clean),
    }
}

/// Decodes a page's bytes: byte-order mark, else the HTTP header's charset, else a `<meta
/// charset>` (or `http-equiv` Content-Type) in the first 1,024 bytes, else UTF-8 when valid,
/// else windows-1252 (the poller decodes pages the same way).
pub use crate::charset::decode_html as decode_page;
