//! What a query is once parsed: terms joined by `and`, `or` and `not`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Term(Term),
    Not(Box<Query>),
    /// Every part matches (two or more parts).
    And(Vec<Query>),
    /// One part matches at least (two or more parts).
    Or(Vec<Query>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Words of the title or the text.
    Text(Text),
    Title(Text),
    Author(Text),
    /// `feed:NAME`: feeds whose name holds NAME (any case). [`Query::resolve`] turns it into
    /// [`Term::Feeds`].
    Feed(String),
    /// `tag:TAG`: feeds filed under TAG (any case), resolved as [`Term::Feed`].
    Tag(String),
    /// The feeds a `feed:` or `tag:` term named, once resolved; `label` is what was written.
    Feeds {
        label: String,
        ids: Vec<i64>,
    },
    Unread,
    Read,
    Starred,
    /// `age<2d` (`Newer`) or `age>2d` (`Older`), in seconds.
    Age(AgeBound, i64),
}

/// A word matches as a prefix ("elect" finds "election"); a phrase, written in quotes, matches
/// its words together as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Word(String),
    Phrase(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeBound {
    /// Published less than the age ago.
    Newer,
    /// Published more than the age ago.
    Older,
}

/// The names of a feed that `feed:` and `tag:` terms look at. Ids are the cache's feed ids
/// (`FeedId`'s number: the query language stands below the model).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLabel {
    pub id: i64,
    pub name: String,
    pub tags: Vec<String>,
}

impl FeedLabel {
    /// Whether `feed:needle` names this feed: its name holds the needle, in any case.
    pub fn is_named(&self, needle: &str) -> bool {
        self.name.to_lowercase().contains(&needle.to_lowercase())
    }

    /// Whether `tag:tag` files this feed: one of its tags is the tag, in any case.
    pub fn is_tagged(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase())
    }
}

impl Query {
    /// The query with its `feed:` and `tag:` terms turned into the feeds they name now.
    pub fn resolve(self, feeds: &[FeedLabel]) -> Query {
        let ids = |pick: &dyn Fn(&FeedLabel) -> bool| feeds.iter().filter(|f| pick(f)).map(|f| f.id).collect();
        match self {
            Query::Term(Term::Feed(name)) => {
                let ids = ids(&|f: &FeedLabel| f.is_named(&name));
                Query::Term(Term::Feeds { label: Term::Feed(name).to_string(), ids })
            }
            Query::Term(Term::Tag(tag)) => {
                let ids = ids(&|f: &FeedLabel| f.is_tagged(&tag));
                Query::Term(Term::Feeds { label: Term::Tag(tag).to_string(), ids })
            }
            Query::Term(term) => Query::Term(term),
            Query::Not(q) => Query::Not(Box::new(q.resolve(feeds))),
            Query::And(parts) => Query::And(parts.into_iter().map(|q| q.resolve(feeds)).collect()),
            Query::Or(parts) => Query::Or(parts.into_iter().map(|q| q.resolve(feeds)).collect()),
        }
    }
}
