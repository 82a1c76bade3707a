//! The one writer: a thread that carries out writes to the cache for async code, committing
//! whatever has queued up in one transaction. A poll of a thousand feeds then makes tens of commits
//! instead of a thousand (each commit rewrites the pages it touched and flushes the search
//! index), and no async thread ever waits on SQLite's lock or the disk.
//!
//! A write's answer is given only after its transaction committed, so whoever reports it (a
//! `FeedDone` event, a line of `tidings poll`) reports what is on disk. When one write of a
//! batch fails, the batch is rolled back and each of its writes runs again in a transaction of
//! its own, so one bad write never costs the others.

use std::sync::{Arc, Mutex, mpsc};

use tokio::sync::oneshot;

use super::{Store, StoreError};

/// The most writes committed together.
const MAX_BATCH: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the cache writer has stopped")]
    Stopped,
}

/// A queued write. `run` may be called twice (in a batch, then alone after the batch failed);
/// `answer` once, after the transaction it ran in committed or failed.
trait Job: Send {
    fn run(&mut self, store: &mut Store) -> Result<(), StoreError>;
    fn answer(self: Box<Self>, committed: Result<(), StoreError>);
    /// The writer is gone: the job never ran.
    fn stopped(self: Box<Self>);
}

struct Write<T, F> {
    write: F,
    value: Option<T>,
    reply: Reply<T>,
}

/// Who hears of a write's result: an async caller, or a callback on the writer thread.
enum Reply<T> {
    Channel(oneshot::Sender<Result<T, WriteError>>),
    Callback(Box<dyn FnOnce(Result<T, WriteError>) + Send>),
}

impl<T> Reply<T> {
    fn send(self, result: Result<T, WriteError>) {
        match self {
            Reply::Channel(reply) => {
                let _ = reply.send(result);
            }
            Reply::Callback(done) => done(result),
        }
    }
}

impl<T, F> Job for Write<T, F>
where
    T: Send,
    F: Fn(&mut Store) -> Result<T, StoreError> + Send,
{
    fn run(&mut self, store: &mut Store) -> Result<(), StoreError> {
        self.value = Some((self.write)(store)?);
        Ok(())
    }

    fn answer(self: Box<Self>, committed: Result<(), StoreError>) {
        let result = match (committed, self.value) {
            (Ok(()), Some(value)) => Ok(value),
            (Err(e), _) => Err(WriteError::Store(e)),
            (Ok(()), None) => Err(WriteError::Stopped),
        };
        self.reply.send(result);
    }

    fn stopped(self: Box<Self>) {
        self.reply.send(Err(WriteError::Stopped));
    }
}

/// A handle to the writer thread; cheap to clone. The thread ends when every handle is gone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

impl Writer {
    /// Starts the writer on `store` (shared with readers, which lock it briefly).
    pub fn spawn(store: Arc<Mutex<Store>>) -> Writer {
        let (jobs, queue) = mpsc::channel::<Box<dyn Job>>();
        let started =
            std::thread::Builder::new().name("tidings-writer".into()).spawn(move || write_loop(&store, &queue));
        if let Err(e) = started {
            tracing::error!("cannot start the cache writer: {e}");
        }
        Writer { jobs }
    }

    /// Runs `write` on the writer thread and waits until it is committed. `write` may run twice
    /// (see the module's docs), so it must only read what it captured.
    pub async fn run<T, F>(&self, write: F) -> Result<T, WriteError>
    where
        T: Send + 'static,
        F: Fn(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        self.queue(write).await.unwrap_or(Err(WriteError::Stopped))
    }

    /// Queues `write` and returns at once; `done` is called on the writer thread with the result,
    /// after the commit (or at once when the writer has stopped). For callers that are not async.
    pub fn submit<T, F, D>(&self, write: F, done: D)
    where
        T: Send + 'static,
        F: Fn(&mut Store) -> Result<T, StoreError> + Send + 'static,
        D: FnOnce(Result<T, WriteError>) + Send + 'static,
    {
        self.send(Box::new(Write { write, value: None, reply: Reply::Callback(Box::new(done)) }));
    }

    /// Runs `write` on the writer thread and blocks this (non-async) thread until it is committed.
    pub fn run_blocking<T, F>(&self, write: F) -> Result<T, WriteError>
    where
        T: Send + 'static,
        F: Fn(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answered) = std::sync::mpsc::channel();
        self.submit(write, move |result| {
            let _ = reply.send(result);
        });
        answered.recv().unwrap_or(Err(WriteError::Stopped))
    }

    fn queue<T, F>(&self, write: F) -> oneshot::Receiver<Result<T, WriteError>>
    where
        T: Send + 'static,
        F: Fn(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answered) = oneshot::channel();
        self.send(Box::new(Write { write, value: None, reply: Reply::Channel(reply) }));
        answered
    }

    fn send(&self, job: Box<dyn Job>) {
        // When the thread is gone the job comes back, and its caller hears so.
        if let Err(mpsc::SendError(job)) = self.jobs.send(job) {
            job.stopped();
        }
    }
}

fn write_loop(store: &Mutex<Store>, queue: &mpsc::Receiver<Box<dyn Job>>) {
    crate::priority::lower_this_thread();
    while let Ok(first) = queue.recv() {
        let mut jobs = vec![first];
        jobs.extend(queue.try_iter().take(MAX_BATCH - 1));
        let Ok(mut store) = store.lock() else {
            tracing::error!("the cache writer stops: a reader panicked while holding the cache");
            return;
        };
        let together = store.batch(|store| jobs.iter_mut().try_for_each(|job| job.run(store)));
        match together {
            Ok(()) => jobs.into_iter().for_each(|job| job.answer(Ok(()))),
            Err(e) => {
                tracing::warn!("a batch of {} writes failed ({e}); writing them one by one", jobs.len());
                for mut job in jobs {
                    let alone = store.batch(|store| job.run(store));
                    job.answer(alone);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_are_answered_after_their_commit_and_a_failing_one_costs_no_other() {
        let mut store = Store::open_in_memory().unwrap();
        let feed = store.sync_feeds(&["http://a.example/feed"]).unwrap()[0];
        let store = Arc::new(Mutex::new(store));
        let writer = Writer::spawn(store.clone());
        // While a reader holds the cache the writes queue up, so that they share a batch.
        let reader = store.lock().unwrap();
        let good = writer.queue(move |s| s.record_failure(feed, 1, "down", 2));
        let bad = writer.queue(|s| Ok(s.conn.execute("INSERT INTO no_such_table VALUES (1)", [])?));
        let again = writer.queue(move |s| s.record_failure(feed, 3, "down again", 4));
        drop(reader);
        let (good, bad, again) = (good.await.unwrap(), bad.await.unwrap(), again.await.unwrap());
        assert_eq!((good.unwrap(), again.unwrap()), (1, 2), "failures in a row, both committed");
        assert!(matches!(bad, Err(WriteError::Store(_))), "{bad:?}");
        let row = store.lock().unwrap().feed(feed).unwrap().unwrap();
        assert_eq!((row.error.as_deref(), row.error_count), (Some("down again"), 2));
    }
}
