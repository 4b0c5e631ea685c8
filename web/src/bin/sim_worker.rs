//! The simulation Web Worker: receives a run request (JSON text), runs the simulator off the page's
//! thread, posts progress (events so far, the state last entered) while it runs and then the answer
//! (JSON text: outcome and history). The page terminates it to stop a run.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let reply = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |msg: MessageEvent| {
        let request = msg.data().as_string().unwrap_or_default();
        let answer = studio::replay::execute_json_observed(&request, &mut |progress| {
            let _ = reply.post_message(&JsValue::from_str(&progress));
        });
        let _ = reply.post_message(&JsValue::from_str(&answer));
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // Messages sent before the wasm module was ready were dropped: the page waits for this one.
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
