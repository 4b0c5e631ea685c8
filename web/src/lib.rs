//! The Statewright studio app: thin Leptos components over `asl` (analysis, simulation) and `studio`
//! (document, edits, layout, share links).

mod canvas;
mod details;
mod editor;
mod embed;
mod fields;
mod files;
mod geom;
mod history_view;
mod inspector;
mod jobs;
mod library;
mod offline;
mod palette;
mod per_name;
mod problems;
mod run;
mod run_ctl;
mod run_json;
mod run_overlay;
mod sample;
mod state;
mod storage;
mod testcases;
mod worker;

use leptos::prelude::*;
use state::AppState;
use wasm_bindgen::JsCast;

/// The app state from context.
pub(crate) fn app() -> AppState {
    expect_context::<AppState>()
}

/// The page address without its fragment (the base of share links).
fn page_base() -> String {
    let loc = window().location();
    format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    )
}

/// True when a key event comes from a text field other than the code editor (native undo applies there).
fn in_other_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    (tag == "input" || tag == "textarea" || tag == "select") && el.id() != "asl-code"
}

fn in_any_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().to_ascii_lowercase().as_str(),
                "input" | "textarea" | "select"
            )
        })
}

/// The whole page: palette, code editor, canvas, inspector, run panel and problems list.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new(sample::SAMPLE);
    state.theme.set(storage::initial_theme());
    if let Some(Ok(cases)) =
        storage::load(storage::TEST_CASES).map(|t| studio::testcase::from_text(&t))
    {
        state.test_cases.set(cases);
    }
    provide_context(state);
    offline::register();
    // `?embed`: the linked workflow read-only, without the editing chrome or the library.
    if embed::is_embed() {
        return view! { <embed::Embed /> }.into_any();
    }
    // The library (web/src/library.rs) opens this tab's workflow and autosaves every edit.
    let libr = library::init(state, sample::SAMPLE);
    Effect::new(move |_| storage::save(storage::THEME, state.theme.get()));
    Effect::new(move |_| {
        state.test_cases.with(|c| {
            storage::save(
                storage::TEST_CASES,
                &serde_json::to_string(c).unwrap_or_default(),
            )
        })
    });

    // A `#v1:` fragment opens that workflow as a new library entry, on load and whenever a link is
    // pasted into the address bar.
    let open_hash = move || {
        let hash = window().location().hash().unwrap_or_default();
        if let Some(id) = hash.strip_prefix("#template:") {
            state.open_template_id(id);
        } else if hash.len() > 1 {
            libr.open_link(state, &hash);
        }
    };
    open_hash();
    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| open_hash());
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let key = ev.key();
        let cmd = ev.ctrl_key() || ev.meta_key();
        if cmd && (key == "z" || key == "Z") && !in_other_text_field(&ev) {
            ev.prevent_default();
            if ev.shift_key() {
                state.redo();
            } else {
                state.undo();
            }
        } else if cmd && (key == "y" || key == "Y") && !in_other_text_field(&ev) {
            ev.prevent_default();
            state.redo();
        } else if (key == "Delete" || key == "Backspace") && !in_any_text_field(&ev) {
            if state.selected.get_untracked().is_some() {
                ev.prevent_default();
                state.remove_selected();
            }
        } else if key == "Escape" && !in_any_text_field(&ev) {
            state.selected.set(None);
        }
    });
    on_cleanup(move || {
        hash_listener.remove();
        keys.remove();
    });

    let can_undo = move || state.history.with(|h| h.can_undo());
    let can_redo = move || state.history.with(|h| h.can_redo());

    view! {
        <div class="app" data-theme=move || state.theme.get()>
            <header class="topbar">
                <h1 class="brand">"Statewright"</h1>
                <span class="subtitle">"Step Functions studio"</span>
                <div class="toolbar" role="toolbar" aria-label="Edit">
                    <button class="btn" aria-label="Undo" title="Undo (Ctrl+Z)"
                        prop:disabled=move || !can_undo() on:click=move |_| state.undo()>"↶ Undo"</button>
                    <button class="btn" aria-label="Redo" title="Redo (Ctrl+Shift+Z)"
                        prop:disabled=move || !can_redo() on:click=move |_| state.redo()>"↷ Redo"</button>
                </div>
                <div class="toolbar" role="toolbar" aria-label="Workflow">
                    <library::LibraryButton />
                </div>
                <div class="spacer"></div>
                <files::FileMenu />
                <div class="share">
                    <button class="btn" aria-label="Share" on:click=move |_| library::share(state, libr, &page_base())>"Share"</button>
                    <Show when=move || state.share_link.with(|l| !l.is_empty())>
                        <input class="share-link" aria-label="Share link" readonly
                            prop:value=move || state.share_link.get()
                            on:focus=move |ev| {
                                if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    el.select();
                                }
                            } />
                    </Show>
                </div>
                <button
                    class="btn"
                    aria-label="Theme"
                    on:click=move |_| state.theme.update(|t| *t = if *t == "light" { "dark" } else { "light" })
                >
                    {move || if state.theme.get() == "light" { "☾ Dark" } else { "☀ Light" }}
                </button>
            </header>
            <Show when=move || state.notice.with(Option::is_some)>
                <div class="notice" role="alert">
                    <span>{move || state.notice.get().unwrap_or_default()}</span>
                    <button class="btn small" aria-label="Dismiss" on:click=move |_| state.notice.set(None)>"✕"</button>
                </div>
            </Show>
            <div class="banner-stack">
                <library::LibraryBanners />
                <offline::UpdatePrompt />
            </div>
            <library::LibraryPanel />
            <main class="workspace">
                <palette::Palette />
                <editor::CodeEditor />
                <section class="canvas-pane">
                    <canvas::Canvas />
                </section>
                <aside class="side">
                    <inspector::Inspector />
                    <run::RunPanel />
                    <testcases::TestCasesPanel />
                </aside>
            </main>
            <problems::Problems />
        </div>
    }
    .into_any()
}
