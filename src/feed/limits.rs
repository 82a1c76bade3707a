//! What a poll allows at once: requests in flight overall and per host, CPU work (parsing and
//! extraction) at most one per core, and the hosts that already failed to answer in this poll.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A global and a per-host limit on requests.
#[derive(Clone)]
pub struct Limits {
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
}

/// Slots held by one request: the host's is given back as soon as the response is read, the
/// global one when the caller is done with the result.
pub struct Slot {
    host: Option<OwnedSemaphorePermit>,
    _global: Option<OwnedSemaphorePermit>,
}

impl Slot {
    /// Gives back the host's slot (the response is read; other requests to it may go).
    pub fn release_host(&mut self) {
        self.host = None;
    }
}

impl Limits {
    pub fn new(global: usize, per_host: usize) -> Limits {
        Limits { global: Arc::new(Semaphore::new(global.max(1))), per_host: per_host.max(1), hosts: Default::default() }
    }

    /// Waits for a slot on `host`, then for a global one (in that order, so a busy host does not
    /// hold global slots while it waits).
    pub async fn acquire(&self, host: &str) -> Slot {
        let semaphore = match self.hosts.lock() {
            Ok(mut hosts) => {
                Some(hosts.entry(host.to_string()).or_insert_with(|| Arc::new(Semaphore::new(self.per_host))).clone())
            }
            Err(_) => None,
        };
        let host = match semaphore {
            Some(s) => s.acquire_owned().await.ok(),
            None => None,
        };
        let global = self.global.clone().acquire_owned().await.ok();
        Slot { host, _global: global }
    }
}

/// One slot per core for parsing feeds and extracting articles: more would only hold more
/// documents in memory at once.
#[derive(Clone)]
pub struct CpuSlots(Arc<Semaphore>);

impl CpuSlots {
    pub fn per_core() -> CpuSlots {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        CpuSlots(Arc::new(Semaphore::new(cores)))
    }

    pub async fn acquire(&self) -> Option<OwnedSemaphorePermit> {
        self.0.clone().acquire_owned().await.ok()
    }
}

/// Hosts that could not be reached in this poll: their other URLs are not tried again until the
/// next poll.
#[derive(Clone, Default)]
pub struct Unreachable(Arc<Mutex<HashSet<String>>>);

impl Unreachable {
    pub fn contains(&self, host: &str) -> bool {
        self.0.lock().is_ok_and(|hosts| hosts.contains(host))
    }

    pub fn insert(&self, host: &str) {
        if let Ok(mut hosts) = self.0.lock() {
            hosts.insert(host.to_string());
        }
    }
}

/// The host part of a URL, lower-cased ("" for file URLs and what does not parse).
pub fn host_key(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_compared_without_case_or_path() {
        assert_eq!(host_key("https://News.Example/a?b"), "news.example");
        assert_eq!(host_key("file:///tmp/feed.xml"), "");
        assert_eq!(host_key("not a url"), "");
    }

    #[tokio::test]
    async fn a_host_slot_given_back_early_lets_the_next_request_to_it_go() {
        let limits = Limits::new(4, 1);
        let mut first = limits.acquire("a.example").await;
        let waiting = tokio::spawn({
            let limits = limits.clone();
            async move { limits.acquire("a.example").await }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        first.release_host();
        let second = waiting.await.unwrap();
        assert!(second.host.is_some() && second._global.is_some());
        assert!(first._global.is_some(), "the global slot stays with the first request");
    }

    #[test]
    fn unreachable_hosts_are_remembered() {
        let hosts = Unreachable::default();
        assert!(!hosts.contains("a.example"));
        hosts.insert("a.example");
        assert!(hosts.clone().contains("a.example"));
    }
}
