//! Offline: registers the service worker (`sw.js`, see web/assets/sw.js) and shows "Reload to update"
//! when a new version is installed and waiting. The page never reloads by itself: only the person's
//! click activates the new worker (then the page reloads once the new worker controls it).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The service worker waiting to take over, when there is one.
#[derive(Clone, Copy)]
pub struct Offline {
    pub waiting: RwSignal<Option<web_sys::ServiceWorker>, LocalStorage>,
}

fn watch_installing(reg: &web_sys::ServiceWorkerRegistration, offline: Offline) {
    let Some(sw) = reg.installing() else { return };
    let sw2 = sw.clone();
    let on_state = Closure::<dyn FnMut()>::new(move || {
        let has_controller = window().navigator().service_worker().controller().is_some();
        if sw2.state() == web_sys::ServiceWorkerState::Installed && has_controller {
            offline.waiting.set(Some(sw2.clone()));
        }
    });
    sw.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
    on_state.forget();
}

/// Registers `sw.js` (where service workers exist) and watches for updates.
pub fn register() -> Offline {
    let offline = Offline {
        waiting: RwSignal::new_local(None),
    };
    provide_context(offline);
    let nav = window().navigator();
    if !js_sys::Reflect::has(&nav, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return offline;
    }
    let container = nav.service_worker();
    // A new worker took over after "Reload to update": reload once to run the new version.
    let reloading = StoredValue::new(false);
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if offline.waiting.with_untracked(Option::is_some) && !reloading.get_value() {
            reloading.set_value(true);
            let _ = window().location().reload();
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    let promise = container.register("./sw.js");
    leptos::task::spawn_local(async move {
        let Ok(reg) = wasm_bindgen_futures::JsFuture::from(promise).await else {
            return;
        };
        let reg: web_sys::ServiceWorkerRegistration = reg.unchecked_into();
        if let Some(w) = reg.waiting()
            && window().navigator().service_worker().controller().is_some()
        {
            offline.waiting.set(Some(w));
        }
        watch_installing(&reg, offline);
        let reg2 = reg.clone();
        let on_found = Closure::<dyn FnMut()>::new(move || watch_installing(&reg2, offline));
        reg.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
    });
    offline
}

/// "A new version is ready" with a "Reload to update" button.
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let offline = expect_context::<Offline>();
    view! {
        <Show when=move || offline.waiting.with(Option::is_some)>
            <div class="banner update" role="status" aria-label="Update">
                <span>"A new version of Statewright is ready. Your work is saved."</span>
                <button class="btn small primary" on:click=move |_| {
                    offline.waiting.with_untracked(|w| {
                        if let Some(w) = w {
                            let _ = w.post_message(&JsValue::from_str("skip-waiting"));
                        }
                    });
                }>"Reload to update"</button>
            </div>
        </Show>
    }
}
