//! Telling of new items, at the edge: the terminal's own notification, asked for with an escape
//! sequence written to the terminal (OSC 9, or OSC 777 with the title and text apart), or a
//! command run as words (never through a shell) with the title and the text as two more
//! arguments. The text comes made safe ([`crate::notify`]); the sequences are framed here, and
//! only here.

use std::process::{Command, Stdio};

use crate::config::NotifyMethod;
use crate::notify::Notification;

/// `ESC ] 9 ; title · text BEL`: kitty, iTerm2, WezTerm, foot, Windows Terminal and others show it.
pub fn osc9(notification: &Notification) -> String {
    format!("\x1b]9;{}\x07", framed(&format!("{} · {}", notification.title, notification.body)))
}

/// `ESC ] 777 ; notify ; title ; text BEL`: urxvt's, which foot, Ghostty, WezTerm and others
/// took up. A `;` would start another field: it is written `,`.
pub fn osc777(notification: &Notification) -> String {
    let field = |text: &str| framed(text).replace(';', ",");
    format!("\x1b]777;notify;{};{}\x07", field(&notification.title), field(&notification.body))
}

/// Text inside a sequence: nothing that could end it or start another (the caller's text is
/// clean already; this holds whatever it is given).
fn framed(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// Runs `words` with the title and the text added, beside the reader (its output goes nowhere);
/// waited for on a thread of its own so that it leaves no zombie.
pub fn run_command(words: &[String], notification: &Notification) -> Result<(), String> {
    let Some((program, args)) = words.split_first() else { return Err("the notify command is empty".into()) };
    let child = Command::new(program)
        .args(args)
        .arg(&notification.title)
        .arg(&notification.body)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut child = child.map_err(|e| format!("cannot run {program}: {e}"))?;
    let name = program.clone();
    let waiter = std::thread::Builder::new().name("tidings-notify".into()).spawn(move || match child.wait() {
        Ok(status) if !status.success() => tracing::warn!("the notify command {name} ended with {status}"),
        Ok(_) => {}
        Err(e) => tracing::warn!("the notify command {name}: {e}"),
    });
    waiter.map(|_| ()).map_err(|e| format!("cannot wait for {program}: {e}"))
}

/// Tells `notification` as `method` says: a sequence through `terminal`, or the command.
pub fn notify(
    method: &NotifyMethod,
    notification: &Notification,
    terminal: Option<&dyn Fn(&str)>,
) -> Result<(), String> {
    match method {
        NotifyMethod::Off => Ok(()),
        NotifyMethod::Osc9 | NotifyMethod::Osc777 => {
            let sequence = if *method == NotifyMethod::Osc9 { osc9(notification) } else { osc777(notification) };
            if let Some(write) = terminal {
                write(&sequence);
            }
            Ok(())
        }
        NotifyMethod::Command(words) => run_command(words, notification),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile() -> Notification {
        Notification { title: "tidings: 2 new items".into(), body: "A;B \u{1b}]0;x\u{7} 2\u{9c}".into() }
    }

    #[test]
    fn the_sequences_are_framed_once_and_hold_nothing_that_ends_them() {
        let n = Notification { title: "tidings: 2 new items".into(), body: "Tech Wire 2".into() };
        assert_eq!(osc9(&n), "\x1b]9;tidings: 2 new items · Tech Wire 2\x07");
        assert_eq!(osc777(&n), "\x1b]777;notify;tidings: 2 new items;Tech Wire 2\x07");
        for sequence in [osc9(&hostile()), osc777(&hostile())] {
            let inner = &sequence[2..sequence.len() - 1];
            assert!(!inner.chars().any(char::is_control), "{sequence:?}");
            assert_eq!(sequence.matches('\x1b').count(), 1, "{sequence:?}");
        }
        assert_eq!(osc777(&hostile()), "\x1b]777;notify;tidings: 2 new items;A,B ]0,x 2\x07");
    }

    #[test]
    fn the_command_gets_the_title_and_the_text_as_two_arguments() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("argv");
        let script = format!(
            "echo \"$#\" > '{0}.tmp'; for a; do echo \"$a\" >> '{0}.tmp'; done; mv '{0}.tmp' '{0}'",
            out.display()
        );
        let words = vec!["sh".to_string(), "-c".to_string(), script, "sh".to_string()];
        let n = Notification { title: "tidings: 1 new item".into(), body: "$(touch pwned); `x` 1".into() };
        run_command(&words, &n).expect("runs");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !out.exists() {
            assert!(std::time::Instant::now() < deadline, "the command did not run");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "2\ntidings: 1 new item\n$(touch pwned); `x` 1\n");
        assert!(!dir.path().join("pwned").exists());
        assert!(run_command(&["/no/such/notifier".to_string()], &n).is_err());
    }

    #[test]
    fn sequences_go_to_the_terminal_only_when_asked() {
        let written = std::cell::RefCell::new(Vec::new());
        let write = |s: &str| written.borrow_mut().push(s.to_string());
        let n = Notification { title: "t".into(), body: "b".into() };
        notify(&NotifyMethod::Off, &n, Some(&write)).expect("off");
        assert!(written.borrow().is_empty());
        notify(&NotifyMethod::Osc777, &n, Some(&write)).expect("osc777");
        assert_eq!(*written.borrow(), ["\x1b]777;notify;t;b\x07"]);
    }
}
