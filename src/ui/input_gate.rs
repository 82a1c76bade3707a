//! Pausing the input thread while another program has the terminal (a browser such as w3m, or
//! the shell after Ctrl-Z): a key typed for that program must not be read by the reader.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How long [`InputGate::pause`] waits for the input thread to stop between two reads; it looks
/// at the gate at least every 100 ms (its poll time-out).
const PARK_AT_MOST: Duration = Duration::from_millis(500);

#[derive(Debug, Default)]
pub struct InputGate {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    paused: bool,
    /// The input thread is waiting in [`InputGate::wait_while_paused`].
    parked: bool,
}

impl InputGate {
    /// Asks the input thread to stop reading, and returns once it has (or after half a second,
    /// when there is no such thread any more).
    pub fn pause(&self) {
        let mut state = self.lock();
        state.paused = true;
        self.changed.notify_all();
        let _ = self.changed.wait_timeout_while(state, PARK_AT_MOST, |s| !s.parked);
    }

    /// Lets the input thread read again.
    pub fn resume(&self) {
        self.lock().paused = false;
        self.changed.notify_all();
    }

    pub fn is_paused(&self) -> bool {
        self.lock().paused
    }

    /// For the input thread, before each read: waits while the gate is paused.
    pub fn wait_while_paused(&self) {
        let mut state = self.lock();
        while state.paused {
            state.parked = true;
            self.changed.notify_all();
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        state.parked = false;
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    #[test]
    fn pause_returns_once_the_reader_is_parked_and_it_reads_nothing_until_resumed() {
        let gate = Arc::new(InputGate::default());
        let reads = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (gate, reads, stop) = (gate.clone(), reads.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    gate.wait_while_paused();
                    // A "read" that takes a while, as a poll with a time-out does.
                    std::thread::sleep(Duration::from_millis(5));
                    if !gate.is_paused() {
                        reads.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        };
        while reads.load(Ordering::Relaxed) == 0 {
            std::thread::yield_now();
        }
        gate.pause();
        assert!(gate.lock().parked, "parked when pause returns");
        let during = reads.load(Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(reads.load(Ordering::Relaxed), during, "nothing read while paused");
        gate.resume();
        while reads.load(Ordering::Relaxed) == during {
            std::thread::yield_now();
        }
        stop.store(true, Ordering::Relaxed);
        thread.join().expect("the reader ends");
    }

    #[test]
    fn pause_does_not_hang_without_a_reader() {
        let gate = InputGate::default();
        gate.pause();
        assert!(gate.is_paused());
        gate.resume();
        assert!(!gate.is_paused());
    }
}
