//! The page's side of the simulation Web Worker (`src/bin/sim_worker.rs`): starts it on demand, queues
//! requests until it says "ready", hands progress messages to the progress callback and each answer to
//! the callback of its request id, and terminates it on Stop (the only way to end a run that is under
//! way). A crashed worker fails its pending runs.

use leptos::prelude::window;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use studio::replay::{RunProgress, RunRequest, RunResponse, WorkerMessage};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, ErrorEvent, MessageEvent, Url, Worker};

type Callback = Box<dyn FnOnce(Result<RunResponse, String>)>;
type OnProgress = Box<dyn Fn(RunProgress)>;

struct Handle {
    worker: Worker,
    ready: bool,
    queue: Vec<String>,
    callbacks: BTreeMap<u64, Callback>,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(ErrorEvent)>,
}

thread_local! {
    static WORKER: RefCell<Option<Handle>> = const { RefCell::new(None) };
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
    static ON_PROGRESS: RefCell<Option<OnProgress>> = const { RefCell::new(None) };
}

/// Where progress messages of every run go (the app state sets it once).
pub fn on_progress(f: impl Fn(RunProgress) + 'static) {
    ON_PROGRESS.with_borrow_mut(|p| *p = Some(Box::new(f)));
}

/// The folder the page was loaded from (the worker's files sit next to index.html).
fn base_url() -> String {
    let href = window().location().href().unwrap_or_default();
    let href = href.split(['#', '?']).next().unwrap_or_default();
    match href.rfind('/') {
        Some(i) => href[..=i].to_string(),
        None => href.to_string(),
    }
}

fn spawn() -> Result<Handle, String> {
    let base = base_url();
    let script = format!(
        "importScripts({js:?}); wasm_bindgen({{ module_or_path: {wasm:?} }});",
        js = format!("{base}sim_worker.js"),
        wasm = format!("{base}sim_worker_bg.wasm")
    );
    let parts = js_sys::Array::of1(&JsValue::from_str(&script));
    let opts = BlobPropertyBag::new();
    opts.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "cannot create the worker script".to_string())?;
    let url = Url::create_object_url_with_blob(&blob)
        .map_err(|_| "cannot create the worker address".to_string())?;
    let worker = Worker::new(&url).map_err(|_| "cannot start the worker".to_string())?;
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|msg: MessageEvent| {
        let text = msg.data().as_string().unwrap_or_default();
        let answer = match studio::replay::parse_message(&text) {
            WorkerMessage::Ready => {
                WORKER.with_borrow_mut(|w| {
                    if let Some(h) = w.as_mut() {
                        h.ready = true;
                        for m in std::mem::take(&mut h.queue) {
                            let _ = h.worker.post_message(&JsValue::from_str(&m));
                        }
                    }
                });
                return;
            }
            WorkerMessage::Progress(p) => {
                ON_PROGRESS.with_borrow(|f| {
                    if let Some(f) = f {
                        f(p);
                    }
                });
                return;
            }
            WorkerMessage::Response(answer) => *answer,
        };
        let id = match &answer {
            Ok(a) => a.id,
            Err(_) => 0,
        };
        let cb = WORKER.with_borrow_mut(|w| w.as_mut().and_then(|h| h.callbacks.remove(&id)));
        if let Some(cb) = cb {
            cb(answer);
        }
    });
    let onerror = Closure::<dyn FnMut(ErrorEvent)>::new(|ev: ErrorEvent| {
        ev.prevent_default();
        let message = format!("the simulation worker stopped: {}", ev.message());
        // Fail everything pending and drop the broken worker.
        let pending = WORKER.with_borrow_mut(|w| {
            w.take()
                .map(|h| {
                    h.worker.terminate();
                    h.callbacks
                })
                .unwrap_or_default()
        });
        for (_, cb) in pending {
            cb(Err(message.clone()));
        }
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    Ok(Handle {
        worker,
        ready: false,
        queue: Vec::new(),
        callbacks: BTreeMap::new(),
        _onmessage: onmessage,
        _onerror: onerror,
    })
}

/// Send a run to the worker (started if needed); `done` gets its answer, or why there is none. Returns
/// the request id.
pub fn submit(
    mut request: RunRequest,
    done: impl FnOnce(Result<RunResponse, String>) + 'static,
) -> u64 {
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    request.id = id;
    let text = serde_json::to_string(&request).unwrap_or_default();
    let spawned = WORKER.with_borrow_mut(|w| {
        if w.is_none() {
            *w = Some(spawn()?);
        }
        Ok::<(), String>(())
    });
    if let Err(e) = spawned {
        done(Err(e));
        return id;
    }
    WORKER.with_borrow_mut(|w| {
        if let Some(h) = w.as_mut() {
            h.callbacks.insert(id, Box::new(done));
            if h.ready {
                let _ = h.worker.post_message(&JsValue::from_str(&text));
            } else {
                h.queue.push(text);
            }
        }
    });
    id
}

/// Terminate the worker and forget every pending run (their callbacks are not called).
pub fn stop() {
    WORKER.with_borrow_mut(|w| {
        if let Some(h) = w.take() {
            h.worker.terminate();
        }
    });
}

/// Milliseconds since the page loaded (for elapsed times).
pub fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}
