//! The browser: which command opens links (the config's, else each entry of `$BROWSER`, else
//! the platform's opener), split into words as a shell would but never run through one, the URL
//! put in place of `%s`; and whether it runs in this terminal (w3m, lynx: the interface steps
//! aside until it exits) or beside it (a graphical browser: started, and waited for on a thread
//! of its own so that it leaves no zombie).

use std::path::Path;
use std::process::{Command, Stdio};

/// One way of opening a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser {
    /// The program and its arguments (`%s` marks where the URL goes).
    pub words: Vec<String>,
    /// It draws in this terminal: it gets the terminal, and is waited for.
    pub in_terminal: bool,
}

/// The browser entries in the order they are tried; an entry that could not be split is an
/// error said when it would have been tried.
pub type BrowserCommands = Vec<Result<Browser, String>>;

/// Text-mode browsers, which need the terminal; Debian's `www-browser` is by its policy one.
const TERMINAL_BROWSERS: &[&str] =
    &["w3m", "lynx", "links", "links2", "elinks", "browsh", "carbonyl", "www-browser", "chawan", "cha"];

/// The browser commands: the config's, else `$BROWSER`'s entries, else the platform's opener.
/// `in_terminal` is the config's `terminal_browser`: unset, it is told by the program's name.
pub fn browser_command(configured: Option<&str>, in_terminal: Option<bool>) -> BrowserCommands {
    browser_commands(configured, std::env::var("BROWSER").ok().as_deref(), in_terminal)
}

fn browser_commands(configured: Option<&str>, from_env: Option<&str>, in_terminal: Option<bool>) -> BrowserCommands {
    let entries: Vec<&str> = match configured.filter(|c| !c.trim().is_empty()) {
        Some(command) => vec![command],
        None => from_env.map(|b| b.split(':').filter(|e| !e.trim().is_empty()).collect()).unwrap_or_default(),
    };
    let browser = |words: Vec<String>| {
        let in_terminal = in_terminal.unwrap_or_else(|| words.first().is_some_and(|p| is_terminal_browser(p)));
        Browser { words, in_terminal }
    };
    if entries.is_empty() {
        let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
        return vec![Ok(Browser { words: vec![opener.to_string()], in_terminal: false })];
    }
    entries.into_iter().map(|entry| split_command(entry).map(browser)).collect()
}

fn is_terminal_browser(program: &str) -> bool {
    Path::new(program).file_name().and_then(|n| n.to_str()).is_some_and(|name| TERMINAL_BROWSERS.contains(&name))
}

/// Whether opening a link hands the terminal over: the first entry that can be tried decides.
pub fn needs_terminal(commands: &[Result<Browser, String>]) -> bool {
    commands.iter().find_map(|c| c.as_ref().ok()).is_some_and(|b| b.in_terminal)
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

/// Opens `url` with the first browser entry that starts. One in the terminal gets the terminal
/// (the caller has handed it over) and is waited for here; `Ok` then says how it ended. One
/// beside it is waited for on a thread of its own, so that it leaves no zombie. Never through a
/// shell; the URL is one argument.
pub fn open_in_browser(commands: &[Result<Browser, String>], url: &str) -> Result<Opened, String> {
    let mut errors = Vec::new();
    for command in commands {
        let browser = match command {
            Ok(browser) => browser,
            Err(e) => {
                errors.push(e.clone());
                continue;
            }
        };
        let Some((program, args)) = browser.words.split_first() else { continue };
        let mut command = Command::new(program);
        command.args(with_url(args, url));
        if browser.in_terminal {
            match command.status() {
                Ok(status) => return Ok(Opened::Exited { program: program.clone(), success: status.success() }),
                Err(e) => {
                    errors.push(format!("{program}: {e}"));
                    continue;
                }
            }
        }
        let spawned = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
        match spawned {
            Ok(mut child) => {
                let pid = child.id();
                let reaper = std::thread::Builder::new().name("tidings-browser".into()).spawn(move || {
                    let _ = child.wait();
                });
                if let Err(e) = reaper {
                    tracing::warn!("cannot wait for the browser (pid {pid}): {e}");
                }
                return Ok(Opened::Started { pid });
            }
            Err(e) => errors.push(format!("{program}: {e}")),
        }
    }
    Err(if errors.is_empty() { "no browser configured".into() } else { errors.join("; ") })
}

/// How a browser took the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Started beside the reader, with this process id.
    Started { pid: u32 },
    /// Ran in the terminal and exited.
    Exited { program: String, success: bool },
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let ok = |w: &[&str], in_terminal: bool| {
            Ok(Browser { words: w.iter().map(|s| s.to_string()).collect::<Vec<_>>(), in_terminal })
        };
        assert_eq!(browser_commands(Some("'my browser' -a"), Some("lynx"), None), [ok(&["my browser", "-a"], false)]);
        assert_eq!(
            browser_commands(None, Some("no-such-browser %s:/usr/bin/w3m:lynx -dump"), None),
            [ok(&["no-such-browser", "%s"], false), ok(&["/usr/bin/w3m"], true), ok(&["lynx", "-dump"], true)]
        );
        assert_eq!(browser_commands(Some("  "), Some("::"), None).len(), 1, "the platform's opener");
        assert!(browser_commands(Some("'open"), None, None)[0].is_err());
    }

    #[test]
    fn text_mode_browsers_get_the_terminal_unless_the_config_says_otherwise() {
        let first = |c: Option<&str>, env: Option<&str>, t: Option<bool>| browser_commands(c, env, t);
        assert!(needs_terminal(&first(Some("w3m -N"), None, None)));
        assert!(needs_terminal(&first(None, Some("www-browser"), None)));
        assert!(!needs_terminal(&first(Some("firefox"), None, None)));
        assert!(!needs_terminal(&first(Some("w3m"), None, Some(false))), "the config wins");
        assert!(needs_terminal(&first(Some("my-reader"), None, Some(true))));
        assert!(needs_terminal(&first(None, Some("'open:lynx"), None)), "the first entry that can be tried");
        assert!(!needs_terminal(&first(None, None, None)), "xdg-open");
    }

    #[test]
    fn each_browser_entry_is_tried_until_one_starts() {
        let commands = browser_commands(None, Some("/no/such/browser:'/no/such/other' %s:true"), None);
        assert!(open_in_browser(&commands, "https://news.example/").is_ok());
        let none = browser_commands(None, Some("/no/such/browser"), None);
        let error = open_in_browser(&none, "https://news.example/").expect_err("none starts");
        assert!(error.contains("/no/such/browser"), "{error}");
    }

    #[test]
    fn a_browser_that_exits_is_reaped() {
        let beside = Browser { words: vec!["true".into()], in_terminal: false };
        let Ok(Opened::Started { pid }) = open_in_browser(&[Ok(beside)], "https://news.example/") else {
            panic!("true starts")
        };
        let stat = format!("/proc/{pid}/stat");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        // Gone from the process table once waited for; a zombie ('Z') stays until then.
        while std::path::Path::new(&stat).exists() {
            assert!(std::time::Instant::now() < deadline, "pid {pid} is left: {:?}", std::fs::read_to_string(&stat));
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    #[test]
    fn a_browser_in_the_terminal_is_waited_for_and_gets_the_url() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("url");
        // (No `%s` in it: that is where the URL would go.)
        let script = format!("echo \"$1\" > '{}'", out.display());
        let browser = Browser { words: vec!["sh".into(), "-c".into(), script, "sh".into()], in_terminal: true };
        let opened = open_in_browser(&[Ok(browser)], "https://news.example/a?b=1&c=2").expect("sh starts");
        assert_eq!(opened, Opened::Exited { program: "sh".into(), success: true });
        // Waited for: the file is there when it returns.
        assert_eq!(std::fs::read_to_string(&out).expect("written"), "https://news.example/a?b=1&c=2\n");
    }
}
