//! Carrying out what `update` asks for: flag changes to the cache's one writer (told to the
//! library at once), documents to the render thread, searches after the index caught up, reloads
//! to the poller, links to the browser. Answers come back to the loop as messages.

use std::process::{Command, Stdio};
use std::sync::mpsc;

use super::library::{SharedIndex, StoreLibrary};
use super::update::{Effect, Msg};
use super::worker::{Job, Worker};
use crate::feed::background::PollerCommand;
use crate::model::ItemId;
use crate::related::RelatedIndex;
use crate::store::Writer;
use crate::timefmt::now_secs;

/// What carrying out an effect leads to.
pub enum Carried {
    /// Done; this message (if any) is to be handled at once.
    Now(Option<Msg>),
    /// Its answer comes later, as a message on the loop's channel.
    Later,
}

/// Related stories listed beside an article.
const RELATED_COUNT: usize = 10;

/// Writes an escape sequence straight to the terminal.
type TerminalWrite = Box<dyn Fn(&str)>;

pub struct Actions {
    writer: Writer,
    index: SharedIndex,
    renderer: Worker,
    finder: Worker,
    poller: Option<tokio::sync::mpsc::UnboundedSender<PollerCommand>>,
    browser: BrowserCommands,
    outbox: mpsc::Sender<Msg>,
    /// Writes an escape sequence to the terminal (none in tests: copying is only said).
    clipboard: Option<TerminalWrite>,
}

impl Actions {
    /// Answers go to `outbox`; related stories are looked up in `index`; reloads are dropped
    /// until [`Actions::with_poller`].
    pub fn new(writer: Writer, index: SharedIndex, browser: BrowserCommands, outbox: mpsc::Sender<Msg>) -> Actions {
        let renderer = Worker::spawn("tidings-render", outbox.clone());
        let finder = Worker::spawn("tidings-related", outbox.clone());
        Actions { writer, index, renderer, finder, poller: None, browser, outbox, clipboard: None }
    }

    /// Copies go to the terminal through `write` (the OSC 52 sequence is written as it is).
    pub fn with_clipboard(mut self, write: impl Fn(&str) + 'static) -> Actions {
        self.clipboard = Some(Box::new(write));
        self
    }

    pub fn with_poller(mut self, commands: tokio::sync::mpsc::UnboundedSender<PollerCommand>) -> Actions {
        self.poller = Some(commands);
        self
    }

    pub fn stop_poller(&self) {
        if let Some(poller) = &self.poller {
            let _ = poller.send(PollerCommand::Shutdown);
        }
    }

    pub fn carry_out(&self, effect: Effect, library: &mut StoreLibrary) -> Carried {
        match effect {
            Effect::OpenUrl(url) => {
                let notice = match open_in_browser(&self.browser, &url) {
                    Ok(_) => format!("Opened {url}"),
                    Err(e) => format!("Cannot open the browser: {e}"),
                };
                Carried::Now(Some(Msg::Notice(notice)))
            }
            Effect::Copy(text) => {
                if let Some(copy) = &self.clipboard {
                    copy(&osc52(&text));
                }
                Carried::Now(None)
            }
            Effect::Reload(ids) => self.to_poller(PollerCommand::Refresh(ids)),
            Effect::ReloadAll => self.to_poller(PollerCommand::RefreshAll),
            Effect::Save(change) => {
                let id = library.note(&change);
                let outbox = self.outbox.clone();
                self.writer.submit(
                    move |store| store.apply_flags(&change, now_secs()),
                    move |result| {
                        let error = result.err().map(|e| e.to_string());
                        if let Some(e) = &error {
                            tracing::error!("saving the reader's flags: {e}");
                        }
                        let _ = outbox.send(Msg::Saved { change: id, error });
                    },
                );
                Carried::Later
            }
            Effect::Render(request) => {
                let id = request.id;
                Self::on(&self.renderer, Box::new(move || Msg::Rendered { id, article: request.render() }))
            }
            Effect::FindRelated(item) => {
                // Here, while the render thread works, when the index is free (a look-up takes
                // well under a millisecond); on a thread of its own when the indexer holds it.
                if let Some(ids) = related_if_free(&self.index, item) {
                    return Carried::Now(Some(Msg::Related { item, ids }));
                }
                let index = self.index.clone();
                Self::on(&self.finder, Box::new(move || Msg::Related { item, ids: related(&index, item) }))
            }
            Effect::Search(query) => {
                let outbox = self.outbox.clone();
                self.writer.submit(
                    |store| store.index_for_search(usize::MAX),
                    move |result| {
                        if let Err(e) = result {
                            tracing::error!("search index: {e}");
                        }
                        let _ = outbox.send(Msg::SearchReady(query));
                    },
                );
                Carried::Later
            }
        }
    }

    /// Runs `job` on `worker`, or here when its thread is gone.
    fn on(worker: &Worker, job: Job) -> Carried {
        match worker.run(job) {
            Ok(()) => Carried::Later,
            Err(job) => Carried::Now(Some(job())),
        }
    }

    fn to_poller(&self, command: PollerCommand) -> Carried {
        if let Some(poller) = &self.poller {
            let _ = poller.send(command);
        }
        Carried::Now(None)
    }
}

/// The cached articles closest to `item`, best first; `None` while the index is being built and
/// does not hold the item yet.
fn related_in(index: &RelatedIndex, ready: bool, item: ItemId) -> Option<Vec<ItemId>> {
    if !ready && !index.contains(item.0) {
        return None;
    }
    Some(index.related(item.0, RELATED_COUNT).into_iter().map(|(id, _)| ItemId(id)).collect())
}

/// [`related_in`], waiting for the index's lock (on the related thread).
fn related(index: &SharedIndex, item: ItemId) -> Option<Vec<ItemId>> {
    let ready = index.is_ready();
    index.with(|i| related_in(i, ready, item)).flatten()
}

/// [`related_in`], unless the indexer holds the index right now (`None` then).
fn related_if_free(index: &SharedIndex, item: ItemId) -> Option<Option<Vec<ItemId>>> {
    let ready = index.is_ready();
    index.try_with(|i| related_in(i, ready, item))
}

/// The browser commands to try in turn, each split into its program and arguments (or why it
/// could not be split): the config's, else each entry of the colon-separated `$BROWSER`, else the
/// platform's opener.
pub type BrowserCommands = Vec<Result<Vec<String>, String>>;

/// The browser commands: the config's, else `$BROWSER`'s entries, else the platform's opener.
pub fn browser_command(configured: Option<&str>) -> BrowserCommands {
    browser_commands(configured, std::env::var("BROWSER").ok().as_deref())
}

fn browser_commands(configured: Option<&str>, from_env: Option<&str>) -> BrowserCommands {
    let entries: Vec<&str> = match configured.filter(|c| !c.trim().is_empty()) {
        Some(command) => vec![command],
        None => from_env.map(|b| b.split(':').filter(|e| !e.trim().is_empty()).collect()).unwrap_or_default(),
    };
    if entries.is_empty() {
        let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
        return vec![Ok(vec![opener.to_string()])];
    }
    entries.into_iter().map(split_command).collect()
}

/// Splits a command line into words as a POSIX shell would, without expanding anything:
/// blanks separate words, 'single quotes' keep everything, "double quotes" keep everything but
/// `\"`, `\\`, `\$` and `` \` ``, and a backslash outside quotes keeps the next character.
pub fn split_command(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(format!("unterminated ' in {line:?}")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(format!("unterminated \" in {line:?}")),
                        },
                        Some(c) => word.push(c),
                        None => return Err(format!("unterminated \" in {line:?}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(c) => word.push(c),
                    None => word.push('\\'),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// The arguments with the URL put in: in place of each `%s` (`%%` is a `%`), else at the end.
fn with_url(args: &[String], url: &str) -> Vec<String> {
    let mut placed = false;
    let mut out: Vec<String> = args
        .iter()
        .map(|arg| {
            if !arg.contains('%') {
                return arg.clone();
            }
            let mut done = String::with_capacity(arg.len() + url.len());
            let mut chars = arg.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, chars.peek()) {
                    ('%', Some('s')) => {
                        chars.next();
                        done.push_str(url);
                        placed = true;
                    }
                    ('%', Some('%')) => {
                        chars.next();
                        done.push('%');
                    }
                    (c, _) => done.push(c),
                }
            }
            done
        })
        .collect();
    if !placed {
        out.push(url.to_string());
    }
    out
}

/// Starts the first browser command that starts, with the URL as one argument, never through a
/// shell; a thread waits for it, so that it leaves no zombie behind. Returns its process id.
pub fn open_in_browser(commands: &[Result<Vec<String>, String>], url: &str) -> Result<u32, String> {
    let mut errors = Vec::new();
    for command in commands {
        let command = match command {
            Ok(command) => command,
            Err(e) => {
                errors.push(e.clone());
                continue;
            }
        };
        let Some((program, args)) = command.split_first() else { continue };
        let spawned = Command::new(program)
            .args(with_url(args, url))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match spawned {
            Ok(mut child) => {
                let pid = child.id();
                let reaper = std::thread::Builder::new().name("tidings-browser".into()).spawn(move || {
                    let _ = child.wait();
                });
                if let Err(e) = reaper {
                    tracing::warn!("cannot wait for the browser (pid {pid}): {e}");
                }
                return Ok(pid);
            }
            Err(e) => errors.push(format!("{program}: {e}")),
        }
    }
    Err(if errors.is_empty() { "no browser configured".into() } else { errors.join("; ") })
}

/// The escape sequence that asks the terminal to put `text` on the system clipboard (OSC 52:
/// `ESC ] 52 ; c ; base64 BEL`), which terminals honour over ssh too.
pub fn osc52(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::from("\x1b]52;c;");
    for chunk in text.as_bytes().chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out.push('\x07');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_asks_the_terminal_to_copy_the_text_in_base64() {
        assert_eq!(osc52("https://a.example/x"), "\x1b]52;c;aHR0cHM6Ly9hLmV4YW1wbGUveA==\x07");
        assert_eq!(osc52("ab"), "\x1b]52;c;YWI=\x07");
        assert_eq!(osc52("abc"), "\x1b]52;c;YWJj\x07");
        assert_eq!(osc52(""), "\x1b]52;c;\x07");
    }

    fn words(line: &str) -> Vec<String> {
        split_command(line).expect("splits")
    }

    #[test]
    fn commands_split_like_a_shell_without_one() {
        assert_eq!(words("firefox --new-tab"), ["firefox", "--new-tab"]);
        assert_eq!(words("  firefox\t--new-tab  "), ["firefox", "--new-tab"]);
        assert_eq!(words("'/opt/My Browser/run' --x"), ["/opt/My Browser/run", "--x"]);
        assert_eq!(words(r#""/opt/My Browser/run" "a \"b\" \\ \$c \d""#), ["/opt/My Browser/run", r#"a "b" \ $c \d"#]);
        assert_eq!(words(r"/opt/My\ Browser/run"), ["/opt/My Browser/run"]);
        assert_eq!(words(r#"pre'fix'"ed" ''"#), ["prefixed", ""]);
        assert_eq!(words("echo $HOME; rm -rf ~"), ["echo", "$HOME;", "rm", "-rf", "~"]);
        assert!(split_command("'open").is_err());
        assert!(split_command("\"open").is_err());
        assert!(words("").is_empty());
    }

    #[test]
    fn the_url_goes_in_place_of_percent_s_else_last() {
        let url = "https://news.example/a?b=1&c=2";
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(with_url(&args(&["--new-tab"]), url), ["--new-tab", url]);
        assert_eq!(with_url(&args(&["--url=%s", "-x"]), url), [format!("--url={url}"), "-x".into()]);
        assert_eq!(with_url(&args(&["100%%", "%s"]), url), ["100%", url]);
        assert_eq!(with_url(&args(&["100%%"]), url), ["100%", url]);
    }

    #[test]
    fn browser_entries_come_from_the_config_else_each_of_browser() {
        let ok = |w: &[&str]| Ok(w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(browser_commands(Some("'my browser' -a"), Some("lynx")), [ok(&["my browser", "-a"])]);
        assert_eq!(
            browser_commands(None, Some("no-such-browser %s:w3m:lynx -dump")),
            [ok(&["no-such-browser", "%s"]), ok(&["w3m"]), ok(&["lynx", "-dump"])]
        );
        assert_eq!(browser_commands(Some("  "), Some("::")).len(), 1, "the platform's opener");
        assert!(browser_commands(Some("'open"), None)[0].is_err());
    }

    #[test]
    fn each_browser_entry_is_tried_until_one_starts() {
        let commands = browser_commands(None, Some("/no/such/browser:'/no/such/other' %s:true"));
        assert!(open_in_browser(&commands, "https://news.example/").is_ok());
        let none = browser_commands(None, Some("/no/such/browser"));
        let error = open_in_browser(&none, "https://news.example/").expect_err("none starts");
        assert!(error.contains("/no/such/browser"), "{error}");
    }

    #[test]
    fn a_browser_that_exits_is_reaped() {
        let pid = open_in_browser(&[Ok(vec!["true".into()])], "https://news.example/").expect("true starts");
        let stat = format!("/proc/{pid}/stat");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        // Gone from the process table once waited for; a zombie ('Z') stays until then.
        while std::path::Path::new(&stat).exists() {
            assert!(std::time::Instant::now() < deadline, "pid {pid} is left: {:?}", std::fs::read_to_string(&stat));
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}
