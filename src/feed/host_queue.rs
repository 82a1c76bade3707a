//! A queue of requests that hands each worker the first one whose host has a free slot, so that
//! a host with many requests never holds up the others (the requests of a busy host wait in the
//! queue, not in a worker). Both phases of a poll take their requests from one.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use tokio::sync::Notify;

pub struct HostQueue<T> {
    state: Mutex<State<T>>,
    freed: Notify,
    per_host: usize,
}

struct State<T> {
    /// Each request with its host, in the order they are to go.
    waiting: VecDeque<(String, T)>,
    /// How many requests of each host are being worked on now.
    busy: HashMap<String, usize>,
}

impl<T> HostQueue<T> {
    pub fn new(requests: impl IntoIterator<Item = (String, T)>, per_host: usize) -> HostQueue<T> {
        HostQueue {
            state: Mutex::new(State { waiting: requests.into_iter().collect(), busy: HashMap::new() }),
            freed: Notify::new(),
            per_host: per_host.max(1),
        }
    }

    /// The first request whose host has a free slot, with its host; waits while every host
    /// left is busy. `None` once the queue is empty. Call [`HostQueue::done`] when finished.
    pub async fn next(&self) -> Option<(String, T)> {
        loop {
            // Registered before looking, so a slot freed meanwhile is not missed.
            let freed = self.freed.notified();
            {
                let mut state = self.state.lock().ok()?;
                let State { waiting, busy } = &mut *state;
                if waiting.is_empty() {
                    return None;
                }
                let free = waiting.iter().position(|(host, _)| busy.get(host).copied().unwrap_or(0) < self.per_host);
                if let Some(index) = free {
                    let (host, request) = waiting.remove(index)?;
                    *busy.entry(host.clone()).or_default() += 1;
                    return Some((host, request));
                }
            }
            freed.await;
        }
    }

    /// A request of `host` is finished.
    pub fn done(&self, host: &str) {
        if let Ok(mut state) = self.state.lock()
            && let Some(n) = state.busy.get_mut(host)
        {
            *n = n.saturating_sub(1);
        }
        self.freed.notify_waiters();
    }

    /// Requests not yet handed out.
    pub fn waiting(&self) -> usize {
        self.state.lock().map_or(0, |s| s.waiting.len())
    }

    /// Requests handed out and not yet done.
    pub fn in_flight(&self) -> usize {
        self.state.lock().map_or(0, |s| s.busy.values().sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_busy_host_waits_in_the_queue_while_other_hosts_go_first() {
        let queue =
            HostQueue::new([("a", 1), ("a", 2), ("a", 3), ("b", 4), ("c", 5)].map(|(h, n)| (h.to_string(), n)), 2);
        let mut handed = Vec::new();
        for _ in 0..4 {
            handed.push(queue.next().await.unwrap().1);
        }
        assert_eq!(handed, [1, 2, 4, 5], "the third of a's waits: a has two in flight");
        assert_eq!((queue.waiting(), queue.in_flight()), (1, 4));
        queue.done("a");
        assert_eq!(queue.next().await, Some(("a".to_string(), 3)));
        for host in ["a", "a", "b", "c"] {
            queue.done(host);
        }
        assert_eq!(queue.next().await, None);
        assert_eq!(queue.in_flight(), 0);
    }

    #[tokio::test]
    async fn a_worker_waiting_for_a_host_is_woken_when_it_frees() {
        let queue = std::sync::Arc::new(HostQueue::new([("a".to_string(), 1), ("a".to_string(), 2)], 1));
        assert_eq!(queue.next().await.map(|r| r.1), Some(1));
        let waiting = tokio::spawn({
            let queue = queue.clone();
            async move { queue.next().await.map(|r| r.1) }
        });
        tokio::task::yield_now().await;
        queue.done("a");
        assert_eq!(waiting.await.unwrap(), Some(2));
    }
}
