//! Panics caught on purpose. The third-party parsers we run on hostile input (feed-rs,
//! html2text, html5ever) may panic; we run them inside [`catching`]. A panic hook sees that
//! ([`is_catching`]) and only logs it: the interface's hook must not restore the terminal or say
//! "tidings crashed" for a panic that is caught and answered with an error.

use std::any::Any;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` and catches its panic; while it runs, [`is_catching`] is true on this thread.
pub fn catching<R>(f: impl FnOnce() -> R) -> Result<R, Box<dyn Any + Send>> {
    DEPTH.with(|d| d.set(d.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get() - 1));
    result
}

/// Makes the process's panic hook leave caught panics to the log: without this, Rust's default
/// hook prints each one to stderr even though it was caught (`tidings poll` on a hostile feed).
pub fn quiet_when_caught() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_catching() {
            tracing::warn!("caught: {info}");
        } else {
            previous(info);
        }
    }));
}

/// Whether this thread is inside [`catching`] (for panic hooks).
pub fn is_catching() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// The message of a panic, for hooks that only look at the test's own panics (other tests of
    /// this binary may panic meanwhile: hooks are global).
    fn message(info: &std::panic::PanicHookInfo<'_>) -> String {
        info.payload().downcast_ref::<&str>().map(|s| s.to_string()).unwrap_or_default()
    }

    #[test]
    fn caught_panics_are_flagged_for_the_hook_and_kept_from_the_hook_before_it() {
        let seen: Arc<Mutex<Vec<(String, bool)>>> = Arc::default();
        let original = std::panic::take_hook();
        let log = seen.clone();
        // Stands for the hook that would print the panic or restore the terminal.
        std::panic::set_hook(Box::new(move |info| {
            if message(info).starts_with("caught-test") {
                log.lock().expect("log").push((message(info), is_catching()));
            }
        }));
        quiet_when_caught();
        let caught = catching(|| -> u8 { panic!("caught-test: hostile input") });
        let uncaught = std::thread::spawn(|| panic!("caught-test: a real crash")).join();
        std::panic::set_hook(original);
        assert!(caught.is_err() && uncaught.is_err());
        assert_eq!(
            *seen.lock().expect("log"),
            [("caught-test: a real crash".to_string(), false)],
            "only the panic nobody caught reaches the hook before"
        );
        assert!(!is_catching(), "not catching once it returned");
        assert_eq!(catching(|| 7).ok(), Some(7));
    }
}
