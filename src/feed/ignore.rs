//! Ignore rules (`[[ignore]]`, newsboat's killfile) on one feed's parsed items: an item that
//! matches a rule is dropped before it is stored, so it never shows and never counts. Items
//! arrive unread and unstarred; their text is the feed's content, else its summary.

use crate::model::{FeedId, NewItem};
use crate::query::{Candidate, FeedLabel, Query};
use crate::text::html_to_index_text;

/// The rules as they apply to one feed: `feed:` and `tag:` resolved against it alone.
pub fn rules_for_feed<'a>(
    rules: impl IntoIterator<Item = &'a Query>,
    id: FeedId,
    name: &str,
    tags: &[String],
) -> Vec<Query> {
    let label = [FeedLabel { id: id.0, name: name.to_string(), tags: tags.to_vec() }];
    rules.into_iter().map(|r| r.clone().resolve(&label)).collect()
}

/// Drops the items a rule matches; returns how many.
pub fn drop_ignored(items: &mut Vec<NewItem>, feed: FeedId, rules: &[Query], now: i64) -> usize {
    if rules.is_empty() {
        return 0;
    }
    let before = items.len();
    items.retain(|item| {
        let html = item.content_html.as_deref().or(item.summary_html.as_deref()).unwrap_or("");
        let text = html_to_index_text(html);
        let candidate = Candidate {
            feed: feed.0,
            title: &item.title,
            author: item.author.as_deref(),
            text: &text,
            published_at: item.published_at.unwrap_or(now),
            read: false,
            starred: false,
        };
        !rules.iter().any(|rule| rule.matches(&candidate, now))
    });
    before - items.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn item(title: &str, author: Option<&str>, summary: &str) -> NewItem {
        NewItem {
            guid: title.into(),
            title: title.into(),
            author: author.map(str::to_string),
            summary_html: Some(summary.into()),
            published_at: Some(1_000),
            ..NewItem::default()
        }
    }

    fn rule(text: &str) -> Query {
        parse(text).expect("rule")
    }

    #[test]
    fn matching_items_are_dropped_the_rest_kept_in_order() {
        let rules = [rule("title:sponsored or author:\"PR Wire\""), rule("tag:sport and \"transfer rumour\"")];
        let mut items = vec![
            item("Sponsored: a phone", None, "<p>Buy it</p>"),
            item("Council meets", Some("Ana"), "<p>Budget</p>"),
            item("New product", Some("PR Wire desk"), "<p>Launch</p>"),
            item("Striker joins", None, "<p>The <b>transfer rumour</b> mill</p>"),
        ];
        let news = rules_for_feed(&rules, FeedId(1), "Daily", &["news".into()]);
        let mut kept = items.clone();
        assert_eq!(drop_ignored(&mut kept, FeedId(1), &news, 2_000), 2);
        assert_eq!(kept.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(), ["Council meets", "Striker joins"]);
        // The tag rule applies to feeds with that tag only.
        let sport = rules_for_feed(&rules, FeedId(2), "Sport Daily", &["Sport".into()]);
        assert_eq!(drop_ignored(&mut items, FeedId(2), &sport, 2_000), 3);
        assert_eq!(items.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(), ["Council meets"]);
    }

    #[test]
    fn no_rules_keep_everything() {
        let mut items = vec![item("a", None, "")];
        assert_eq!(drop_ignored(&mut items, FeedId(1), &[], 0), 0);
        assert_eq!(items.len(), 1);
    }
}
