//! A thread of the interface's own for work that would otherwise hold up a keypress: rendering an
//! article's document (html2text) on one, looking up its related stories on another, so the two
//! run side by side. Each job's answer goes back to the loop as a message.

use std::sync::mpsc;

use super::update::Msg;

/// A job: the work, whose result is the message for the loop.
pub type Job = Box<dyn FnOnce() -> Msg + Send>;

pub struct Worker {
    jobs: mpsc::Sender<Job>,
}

impl Worker {
    /// Starts the thread `name`; answers are sent to `outbox`. The thread ends with the worker.
    pub fn spawn(name: &str, outbox: mpsc::Sender<Msg>) -> Worker {
        let (jobs, queue) = mpsc::channel::<Job>();
        let started = std::thread::Builder::new().name(name.into()).spawn(move || {
            while let Ok(job) = queue.recv() {
                if outbox.send(job()).is_err() {
                    break;
                }
            }
        });
        if let Err(e) = started {
            tracing::error!("cannot start the {name} thread: {e}");
        }
        Worker { jobs }
    }

    /// Queues `job`; gives it back when the thread is gone (the caller runs it itself).
    pub fn run(&self, job: Job) -> Result<(), Job> {
        self.jobs.send(job).map_err(|e| e.0)
    }
}
