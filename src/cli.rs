//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "tidings", version, about = "A calm, fast terminal news reader", long_about = None)]
pub struct Cli {
    /// Config file [default: $XDG_CONFIG_HOME/tidings/config.toml, else the built-in default]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Cache database [default: the config's cache.path, else $XDG_DATA_HOME/tidings/cache.db]
    #[arg(long, global = true, value_name = "PATH")]
    pub cache: Option<PathBuf>,
    /// Use the offline demo: bundled feeds served locally, in a throw-away cache
    #[arg(long, global = true)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Poll every due feed once, then fetch the pages of summary-only items; print a line per
    /// feed as it finishes and the totals. Exits 1 when every polled feed failed (for cron)
    Poll {
        /// Ignore the schedule: poll every enabled feed
        #[arg(long)]
        all: bool,
        /// Poll just this feed (its name or URL), whatever its schedule
        #[arg(long, value_name = "NAME")]
        feed: Option<String>,
        /// Print only the feeds that failed (for cron)
        #[arg(long, short)]
        quiet: bool,
    },
    /// Sync once with the [sync] server: send the read/star changes made here, fetch new items
    /// and the server's read/star state. Exits 1, with one line saying why, when it failed
    Sync {
        /// Print nothing unless it failed (for cron)
        #[arg(long, short)]
        quiet: bool,
    },
    /// List feeds with item and unread counts, last success and last error
    Feeds,
    /// Print the cached headlines, newest first: date, flags (N unread, * starred), feed, title
    /// and link, tab-separated; nothing is fetched. Exits 0 when nothing matches, 2 when the
    /// query does not parse
    List {
        /// Only the items that match this query (the search's language: words, "phrases",
        /// title:, author:, feed:, tag:, unread, read, starred, age<2d, and, or, not, parentheses)
        #[arg(long, short, value_name = "QUERY")]
        filter: Option<String>,
        /// One JSON object per line: id, feed, title, url, author, published (unix seconds),
        /// read, starred
        #[arg(long)]
        json: bool,
        /// At most this many items
        #[arg(long, short = 'n', value_name = "N")]
        limit: Option<usize>,
    },
    /// Validate the config file; exits non-zero when it is invalid
    CheckConfig,
    /// Print the keys the reader uses (the config's preset and [keys] applied)
    Keys {
        /// As a Markdown table (the README's is this, for the default keys)
        #[arg(long)]
        markdown: bool,
    },
    /// Subscribe to a feed by its address or its site's: a page's feeds are found from its
    /// <link rel="alternate"> tags, else at the usual paths (/feed, /rss.xml, ...); with several,
    /// you pick one. The feed goes into the config file, its comments kept
    Add {
        /// The feed's or the site's address (http or https)
        url: String,
        /// The name to show (default: the feed's own title)
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// A tag to file it under (repeat for several)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// With several feeds found, take the Nth (as listed) instead of asking
        #[arg(long, value_name = "N")]
        pick: Option<usize>,
    },
    /// Add the feeds of an OPML file (or an http(s) address serving one) to the config file
    /// (folders become tags)
    ImportOpml {
        /// The OPML file or its address
        file: PathBuf,
    },
    /// Print the configured feeds as OPML
    ExportOpml,
    /// Rank related stories (and group them) for a file of articles, as the reader would
    Related {
        /// Articles, JSON lines {id, title, body, date, source}
        #[arg(long, value_name = "ARTICLES.jsonl")]
        input: PathBuf,
        /// Where to write {"query": id, "ranked": [ids, best first]} lines
        #[arg(long, value_name = "RANKED.jsonl")]
        output: PathBuf,
        /// Related articles listed per article at most
        #[arg(long, default_value_t = 100)]
        k: usize,
        /// Also group the articles into stories and write {"id", "cluster"} lines here
        #[arg(long, value_name = "GROUPS.jsonl")]
        clusters: Option<PathBuf>,
    },
    /// Print the article of a page (a file or an http(s) URL) as plain text
    Extract {
        /// The page: a file or an http(s) URL
        #[arg(required_unless_present = "batch", value_name = "FILE_OR_URL")]
        source: Option<String>,
        /// The page's address, when FILE_OR_URL is a file
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// Extract every IN_DIR/<id>.html to OUT_DIR/<id>.txt and print pages per second
        #[arg(long, num_args = 2, value_names = ["IN_DIR", "OUT_DIR"], conflicts_with_all = ["source", "url"])]
        batch: Option<Vec<PathBuf>>,
    },
    /// Print shell completions
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
}
