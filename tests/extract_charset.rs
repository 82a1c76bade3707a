//! Pages in legacy charsets, as `decode_page` meets them on the web: a `<meta charset>` pushed past
//! the first 1024 bytes by the head's scripts and styles, and pages that declare nothing (issue
//! 13). The bytes are made here with encoding_rs, so the fixtures are text; each test checks the
//! exact decoded page and, for some, the article that `extract` then finds.

use encoding_rs::{Encoding, GBK, WINDOWS_1250, WINDOWS_1252};
use tidings::charset::decode_html_from;
use tidings::extract::{decode_page, extract};

/// A head padded past `len` bytes with an inline style sheet and script, as big sites have.
fn padded_head(title: &str, len: usize) -> String {
    let mut head = format!("<!DOCTYPE html><html><head><title>{title}</title><style>");
    while head.len() < len {
        head.push_str(".article-body p { margin: 0 0 1.2em 0; line-height: 1.5; }\n");
    }
    head.push_str("</style><script>window.dataLayer = window.dataLayer || [];</script>");
    head
}

/// A page of `paragraphs` in an `<article>`, with a menu and a footer around it.
fn page(head: &str, heading: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "{head}</head><body><nav><a href=/>Start</a> <a href=/kontakt>Kontakt</a></nav>\
         <article><h1>{heading}</h1>{body}</article><footer>Copyright 2024</footer></body></html>"
    )
}

fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "the fixture text fits {}", encoding.name());
    bytes.into_owned()
}

const POLISH: [&str; 3] = [
    "Zażółć gęślą jaźń: to zdanie zawiera wszystkie polskie litery i służy do sprawdzania czcionek.",
    "Mieszkańcy Łodzi i Poznania mówią, że jesienią ulice są pełne liści, a wieczorem robi się chłodno.",
    "Żółty żuraw przeleciał nad źródłem, gdy ćma siadła na świeżo skoszonej łące pod Częstochową.",
];

#[test]
fn a_windows_1250_page_whose_meta_comes_after_1024_bytes() {
    let head = format!("{}<meta charset=\"windows-1250\">", padded_head("Wiadomości", 1500));
    let html = page(&head, "Zażółć gęślą jaźń", &POLISH);
    let bytes = encode(WINDOWS_1250, &html);
    assert!(bytes.len() > 1500 && std::str::from_utf8(&bytes).is_err());
    let decoded = decode_page(&bytes, None);
    assert_eq!(decoded, html);
    let article = extract(&decoded, None, None);
    assert_eq!(article.plain_text(), POLISH.join("\n\n"));
}

const CHINESE: [&str; 3] = [
    "新华社北京电 国务院总理今天在人民大会堂会见了来访的代表团，双方就经济合作、文化交流和地区安全等共同关心的问题深入交换了意见。",
    "总理表示，中方愿同各方一道，加强在贸易、投资、科技和教育等领域的务实合作，推动双边关系不断向前发展。",
    "会谈结束后，两国领导人共同出席了合作文件签字仪式，并会见了记者。有关部门负责人参加了会见。",
];

#[test]
fn an_undeclared_gbk_page_is_detected() {
    let html = page("<html><head><title>新闻中心</title>", "总理会见代表团", &CHINESE);
    let bytes = encode(GBK, &html);
    assert!(std::str::from_utf8(&bytes).is_err());
    let decoded = decode_page(&bytes, None);
    assert_eq!(decoded, html);
    assert_eq!(extract(&decoded, None, None).plain_text(), CHINESE.join("\n\n"));
    // With the page's address: the .cn hint agrees.
    let url = url::Url::parse("http://news.example.cn/2024/0312/a.html").ok();
    assert_eq!(decode_html_from(&bytes, None, url.as_ref()), html);
}

#[test]
fn an_undeclared_windows_1252_page_stays_windows_1252() {
    let text = "Die Bürgerinitiative für die Straße am Fluss trifft sich am Dienstag – „öffentlich“, \
                sagt die Sprecherin. Grüße, Ärger und Übermut: alles dabei, für 5 € Eintritt.";
    let html = page("<html><head><title>Köln</title>", "Straßenfest", &[text]);
    let bytes = encode(WINDOWS_1252, &html);
    assert!(std::str::from_utf8(&bytes).is_err());
    assert_eq!(decode_page(&bytes, None), html);
    let url = url::Url::parse("https://www.example.de/koeln").ok();
    assert_eq!(decode_html_from(&bytes, None, url.as_ref()), html);
}

#[test]
fn a_valid_utf8_page_is_untouched() {
    let text = format!("{} {} {}", POLISH[0], CHINESE[0], "Grüße – „öffentlich“ für 5 €.");
    // Even a late declaration of another charset does not turn valid UTF-8 into mojibake.
    let head = format!("{}<meta charset=\"windows-1250\">", padded_head("Mix", 1500));
    let html = page(&head, "Mix", &[&text]);
    assert_eq!(decode_page(html.as_bytes(), None), html);
    let html = page("<html><head><title>Mix</title>", "Mix", &[&text]);
    assert_eq!(decode_page(html.as_bytes(), None), html);
}
