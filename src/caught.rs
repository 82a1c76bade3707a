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

/// Whether this thread is inside [`catching`] (for panic hooks).
pub fn is_catching() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_is_caught_and_flagged_for_the_hook() {
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let previous = std::panic::take_hook();
        let log = seen.clone();
        std::panic::set_hook(Box::new(move |_| log.lock().expect("log").push(is_catching())));
        let result = catching(|| -> u8 { panic!("hostile input") });
        std::panic::set_hook(previous);
        assert!(result.is_err());
        assert_eq!(*seen.lock().expect("log"), [true], "the hook ran once, knowing the panic is caught");
        assert!(!is_catching(), "not catching once it returned");
        assert_eq!(catching(|| 7).ok(), Some(7));
    }
}
