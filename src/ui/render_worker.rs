//! The thread that renders article documents (html2text), so that opening a long article or
//! resizing never holds up a keypress. Each document goes back to the loop as a message.

use std::sync::mpsc;

use super::document::RenderRequest;
use super::update::Msg;

pub struct RenderWorker {
    requests: mpsc::Sender<Box<RenderRequest>>,
}

impl RenderWorker {
    /// Starts the thread; documents are sent to `outbox`. The thread ends with the worker.
    pub fn spawn(outbox: mpsc::Sender<Msg>) -> RenderWorker {
        let (requests, queue) = mpsc::channel::<Box<RenderRequest>>();
        let started = std::thread::Builder::new().name("tidings-render".into()).spawn(move || {
            while let Ok(request) = queue.recv() {
                let article = request.render();
                if outbox.send(Msg::Rendered { id: request.id, article }).is_err() {
                    break;
                }
            }
        });
        if let Err(e) = started {
            tracing::error!("cannot start the render thread: {e}");
        }
        RenderWorker { requests }
    }

    /// Queues `request`; gives it back when the thread is gone (the caller renders it itself).
    pub fn render(&self, request: Box<RenderRequest>) -> Result<(), Box<RenderRequest>> {
        self.requests.send(request).map_err(|e| e.0)
    }
}
