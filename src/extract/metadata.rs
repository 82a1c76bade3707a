//! Title, byline and publication date: JSON-LD first, then meta tags, then the page itself (for
//! the title the first `<h1>`, else `<title>`; for the date the first `<time datetime>`; the byline
//! has no fallback). Also the JSON-LD `articleBody`, when there is one.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use html5ever::local_name;
use serde_json::Value;

use super::dom::{DOCUMENT, Dom, NodeData};

#[derive(Debug, Default, Clone)]
pub struct Metadata {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// JSON-LD `articleBody`, when the page gives one.
    pub ld_body: Option<String>,
}

#[derive(Default)]
struct Found {
    ld_title: Option<String>,
    ld_author: Option<String>,
    ld_date: Option<String>,
    ld_body: Option<String>,
    meta_title: Option<String>,
    meta_author: Option<String>,
    meta_date: Option<String>,
    time_date: Option<String>,
    title_tag: Option<String>,
    h1: Option<String>,
}

pub fn read(dom: &Dom) -> Metadata {
    let mut f = Found::default();
    for id in dom.descendants(DOCUMENT) {
        let Some(e) = dom.element(id) else { continue };
        let Some(name) = e.html_name() else { continue };
        match *name {
            local_name!("script") if e.attr("type").is_some_and(|t| t.contains("ld+json")) => {
                let text: String = dom
                    .children(id)
                    .filter_map(|c| match &dom.node(c).data {
                        NodeData::Text(t) => Some(t.to_string()),
                        _ => None,
                    })
                    .collect();
                if let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
                    json_ld(&value, &mut f);
                }
            }
            local_name!("meta") => {
                let key = e.attr("property").or(e.attr("name")).or(e.attr("itemprop")).unwrap_or("");
                let Some(content) = e.attr("content").or(e.attr("datetime")).filter(|c| !c.trim().is_empty()) else {
                    continue;
                };
                let key = key.to_ascii_lowercase();
                let slot = match key.as_str() {
                    "og:title" | "twitter:title" => &mut f.meta_title,
                    "author" | "article:author" | "byl" | "dc.creator" | "parsely-author" | "sailthru.author" => {
                        &mut f.meta_author
                    }
                    "article:published_time"
                    | "datepublished"
                    | "pubdate"
                    | "publishdate"
                    | "date"
                    | "dc.date.issued"
                    | "dc.date"
                    | "parsely-pub-date"
                    | "sailthru.date"
                    | "og:published_time"
                    | "article.published"
                    | "publish-date" => &mut f.meta_date,
                    _ => continue,
                };
                if slot.is_none() {
                    *slot = Some(content.trim().to_string());
                }
            }
            local_name!("time") if f.time_date.is_none() => {
                f.time_date = e.attr("datetime").map(str::to_string);
            }
            local_name!("title") if f.title_tag.is_none() => f.title_tag = Some(dom.text(id)),
            local_name!("h1") if f.h1.is_none() => f.h1 = Some(dom.text(id)).filter(|t| !t.is_empty()),
            _ => {}
        }
    }
    let title = f.ld_title.or(f.meta_title).or(f.h1).or(f.title_tag).map(|t| crate::sanitize::clean_line(&t));
    let byline =
        f.ld_author.or(f.meta_author).filter(|a| !a.starts_with("http")).map(|a| crate::sanitize::clean_line(&a));
    let published = [f.ld_date, f.meta_date, f.time_date].into_iter().flatten().find_map(|d| parse_date(&d));
    Metadata { title, byline, published, ld_body: f.ld_body }
}

const ARTICLE_TYPES: &[&str] =
    &["Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle"];

fn is_article(v: &Value) -> bool {
    let matches = |t: &Value| t.as_str().is_some_and(|s| ARTICLE_TYPES.contains(&s) || s.ends_with("Article"));
    match v.get("@type") {
        Some(Value::Array(types)) => types.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

/// Walks the JSON-LD values (arrays and `@graph`s) without recursion.
fn json_ld(root: &Value, f: &mut Found) {
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter()),
            Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    stack.push(graph);
                }
                if !is_article(v) {
                    continue;
                }
                let string = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
                f.ld_title = f.ld_title.take().or_else(|| string("headline"));
                f.ld_date = f.ld_date.take().or_else(|| string("datePublished"));
                f.ld_body = f.ld_body.take().or_else(|| string("articleBody"));
                if f.ld_author.is_none() {
                    f.ld_author = map.get("author").and_then(author_names);
                }
            }
            _ => {}
        }
    }
}

fn author_names(v: &Value) -> Option<String> {
    let name = |a: &Value| match a {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let names: Vec<String> = match v {
        Value::Array(items) => items.iter().filter_map(name).collect(),
        other => name(other).into_iter().collect(),
    };
    let names: Vec<String> = names.into_iter().filter(|n| !n.trim().is_empty()).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// RFC 3339, RFC 2822, or a date and time without zone (taken as UTC), or a bare date.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(t) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M:%S%z"] {
        if let Ok(d) = DateTime::parse_from_str(t, fmt) {
            return Some(d.with_timezone(&Utc));
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, fmt) {
            return Some(d.and_utc());
        }
    }
    let day = t.get(..10).unwrap_or(t);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_before_meta() {
        let html = r#"<html><head><meta property="og:title" content="Meta title">
            <meta name="author" content="Meta Author"><meta property="article:published_time" content="2020-01-02">
            <script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","headline":"LD title",
            "author":[{"@type":"Person","name":"A. Writer"}],"datePublished":"2019-11-20T10:00:00-05:00"}]}</script>
            </head><body><h1>H1</h1></body></html>"#;
        let m = read(&Dom::parse(html));
        assert_eq!(m.title.as_deref(), Some("LD title"));
        assert_eq!(m.byline.as_deref(), Some("A. Writer"));
        assert_eq!(m.published.map(|d| d.to_rfc3339()).as_deref(), Some("2019-11-20T15:00:00+00:00"));
    }

    #[test]
    fn meta_and_time_fallbacks() {
        let html = r#"<title>Tab</title><meta name="author" content="Meta Author"><h1>Head</h1>
            <time datetime="2021-03-04T05:06:07Z">yesterday</time>"#;
        let m = read(&Dom::parse(html));
        assert_eq!(m.title.as_deref(), Some("Head"));
        assert_eq!(m.byline.as_deref(), Some("Meta Author"));
        assert_eq!(m.published.map(|d| d.to_rfc3339()).as_deref(), Some("2021-03-04T05:06:07+00:00"));
    }
}
