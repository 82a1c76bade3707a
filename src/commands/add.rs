//! `tidings add URL [--name NAME] [--tag TAG]... [--pick N]`: subscribes to a feed given its
//! address or its site's. A feed is added as it is; a page is searched for the feeds it names
//! (`<link rel="alternate">`), else the site's usual feed paths are tried. Several found: the
//! user picks one (asked on the terminal, or `--pick N`). The chosen feed is fetched and parsed
//! before anything is written; it goes into the config file with its comments kept.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use url::Url;

use super::opml::add_to_config;
use crate::charset::{charset_from_content_type, decode_html_from};
use crate::feed::discover::{FeedLink, common_paths, feed_links};
use crate::feed::fetch::{FEED_ACCEPT, FetchOutcome, Fetcher, Validators};
use crate::feed::parse::parse_feed;
use crate::opml::OpmlFeed;
use crate::session::{Options, SessionError, settings_for_adding};
use crate::timefmt::now_secs;

pub struct AddRequest<'a> {
    pub url: &'a str,
    pub name: Option<&'a str>,
    pub tags: &'a [String],
    /// Which of several feeds found (1-based), instead of asking.
    pub pick: Option<usize>,
}

/// What an address turned out to be.
enum Found {
    /// The address is a feed; its own title.
    Feed(Option<String>),
    /// A page, and the feeds found for it.
    Page(Vec<FeedLink>),
}

pub async fn add(options: &Options, request: &AddRequest<'_>) -> Result<ExitCode, SessionError> {
    let fail = |message: String| {
        eprintln!("tidings: {message}");
        Ok(ExitCode::FAILURE)
    };
    let Ok(start) = Url::parse(request.url) else { return fail(format!("{}: not an address", request.url)) };
    if !matches!(start.scheme(), "http" | "https") {
        return fail(format!("{}: only http and https addresses can be added", request.url));
    }
    let settings = settings_for_adding(options).await?;
    let fetcher = match Fetcher::new(&settings.poll) {
        Ok(f) => f,
        Err(e) => return fail(e.to_string()),
    };
    let (url, title) = match look_at(&fetcher, request.url).await {
        Err(e) => return fail(format!("{}: {e}", request.url)),
        Ok((url, Found::Feed(title))) => (url, title),
        Ok((page, Found::Page(mut links))) => {
            if links.is_empty() {
                links = probe_common_paths(&fetcher, &page).await;
            }
            let chosen = match links.len() {
                0 => {
                    return fail(format!(
                        "{}: no feed found (the page links none, and none at the usual paths)",
                        request.url
                    ));
                }
                1 => links.remove(0),
                _ => match choose(&links, request.pick) {
                    Ok(i) => links.remove(i),
                    Err(message) => return fail(message),
                },
            };
            match look_at(&fetcher, &chosen.url).await {
                Ok((url, Found::Feed(title))) => (url, title.or(chosen.title)),
                Ok((_, Found::Page(_))) => {
                    return fail(format!("{}: the page names it as a feed, but it is not one", chosen.url));
                }
                Err(e) => return fail(format!("{}: {e}", chosen.url)),
            }
        }
    };
    let name = request.name.map(str::to_string).or(title);
    let feed = OpmlFeed { url: url.clone(), title: name.clone(), tags: request.tags.to_vec() };
    let Some((target, import)) = add_to_config(options, &[feed])? else { return Ok(ExitCode::FAILURE) };
    let shown = name.as_deref().unwrap_or(&url);
    if import.added == 0 {
        println!("{shown} ({url}) is in {} already", target.display());
    } else {
        println!("Added {shown} ({url}) to {}", target.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Fetches `url`: a feed (with its title) or a page (with the feeds it links); the address is
/// where the fetch ended (after redirects).
async fn look_at(fetcher: &Fetcher, url: &str) -> Result<(String, Found), String> {
    let accept = "application/rss+xml, application/atom+xml, application/feed+json, text/html;q=0.9, */*;q=0.5";
    let body = match fetcher.fetch(url, &Validators::default(), accept).await {
        Ok(FetchOutcome::Fetched(body)) => body,
        Ok(FetchOutcome::NotModified { .. }) => return Err("the server sent nothing (not modified)".into()),
        Err(e) => return Err(e.to_string()),
    };
    let charset = body.content_type.as_deref().and_then(charset_from_content_type);
    // A feed moved for good is added at its new address; one moved for now at the address given.
    let at = body.moved_to.clone().unwrap_or_else(|| url.to_string());
    if let Ok(parsed) = parse_feed(&body.body, charset, &body.final_url, now_secs()) {
        return Ok((at, Found::Feed(parsed.meta.title.filter(|t| !t.trim().is_empty()))));
    }
    let base = Url::parse(&body.final_url).map_err(|e| e.to_string())?;
    let html = decode_html_from(&body.body, charset, Some(&base));
    Ok((at, Found::Page(feed_links(&html, &base))))
}

/// The usual feed paths of the page's site that answer with a feed, in order.
async fn probe_common_paths(fetcher: &Fetcher, page: &str) -> Vec<FeedLink> {
    let Ok(base) = Url::parse(page) else { return Vec::new() };
    let mut found = Vec::new();
    for url in common_paths(&base) {
        if let Ok(FetchOutcome::Fetched(body)) = fetcher.fetch(&url, &Validators::default(), FEED_ACCEPT).await {
            let charset = body.content_type.as_deref().and_then(charset_from_content_type);
            if let Ok(parsed) = parse_feed(&body.body, charset, &body.final_url, now_secs()) {
                let url = body.moved_to.unwrap_or(url);
                if !found.iter().any(|l: &FeedLink| l.url == url) {
                    found.push(FeedLink { url, title: parsed.meta.title });
                }
            }
        }
    }
    found
}

/// Which of several feeds: `--pick N`, else asked on the terminal (a number on standard input).
fn choose(links: &[FeedLink], pick: Option<usize>) -> Result<usize, String> {
    let list = || {
        links
            .iter()
            .enumerate()
            .map(|(i, l)| format!("  {}. {} {}", i + 1, l.title.as_deref().unwrap_or("(untitled)"), l.url))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if let Some(n) = pick {
        return (1..=links.len())
            .contains(&n)
            .then(|| n - 1)
            .ok_or_else(|| format!("--pick {n}: there are {} feeds:\n{}", links.len(), list()));
    }
    let mut out = std::io::stdout();
    let _ = write!(out, "{} feeds found:\n{}\nWhich one? [1-{}] ", links.len(), list(), links.len());
    let _ = out.flush();
    let mut answer = String::new();
    let read = std::io::stdin().lock().read_line(&mut answer).map_err(|e| e.to_string())?;
    match answer.trim().parse::<usize>() {
        Ok(n) if (1..=links.len()).contains(&n) => Ok(n - 1),
        _ if read == 0 => Err(format!("{} feeds found; say which with --pick N:\n{}", links.len(), list())),
        _ => Err(format!("\"{}\" is none of 1 to {}", answer.trim(), links.len())),
    }
}
