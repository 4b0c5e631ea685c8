//! The local library in the browser: every workflow autosaved in `localStorage` (one key each, see
//! `studio::library`), the "Library" panel (New, Open, Rename, Duplicate, Delete with Undo), the conflict
//! banner when another tab wrote the open workflow, storage errors shown (never swallowed), and share
//! links opened as new library entries. The rules live in `studio::library`; this is the glue.

use crate::state::AppState;
use leptos::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use studio::library::{self as lib, Content, External, SaveDecision, Summary, Workflow};
use studio::{Document, Edit, History};
use wasm_bindgen::{JsCast, JsValue};

/// `sessionStorage`: the workflow this tab has open (survives a reload of the tab).
const TAB_OPEN: &str = "statewright.tab.open";
/// `localStorage`: the workflow opened last in any tab (a new tab starts there).
const LAST_OPEN: &str = "statewright.library.open";

/// A short message at the bottom of the page, optionally with an Undo.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub id: u32,
    pub message: String,
    /// A deleted workflow that Undo puts back (and reopens when `was_open`).
    pub undo: Option<(Workflow, bool)>,
}

/// The library's signals, shared through context.
#[derive(Clone, Copy)]
pub struct Library {
    /// The open workflow as this tab last read or wrote it (its revision is the conflict check's base).
    pub current: RwSignal<Option<Workflow>>,
    pub entries: RwSignal<Vec<Summary>>,
    pub damaged: RwSignal<Vec<String>>,
    /// Another tab's version of the open workflow, while the person has not chosen; autosave waits.
    pub conflict: RwSignal<Option<Workflow>>,
    /// The last storage failure (quota, private mode), shown until a save succeeds.
    pub save_error: RwSignal<Option<String>>,
    pub toast: RwSignal<Option<Toast>>,
    /// The open workflow's test cases (kept as given; carried by share links).
    pub test_cases: RwSignal<Option<Value>>,
    pub panel_open: RwSignal<bool>,
}

pub fn library() -> Library {
    expect_context::<Library>()
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn salt() -> u64 {
    (js_sys::Math::random() * 1.0e12) as u64
}

fn local() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn session() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// Every `(key, value)` in `localStorage`.
fn all_pairs() -> Vec<(String, String)> {
    let Some(s) = local() else { return Vec::new() };
    let n = s.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter_map(|k| s.get_item(&k).ok().flatten().map(|v| (k, v)))
        .collect()
}

fn read(id: &str) -> Option<Workflow> {
    let key = lib::key(id);
    let text = local()?.get_item(&key).ok().flatten()?;
    lib::parse(&key, &text).ok()
}

fn all_workflows() -> Vec<Workflow> {
    all_pairs()
        .iter()
        .filter(|(k, _)| lib::id_of_key(k).is_some())
        .filter_map(|(k, v)| lib::parse(k, v).ok())
        .collect()
}

/// A storage failure in words for the person (a full quota says what to do about it).
pub fn storage_error(err: &JsValue) -> String {
    let name = err
        .dyn_ref::<web_sys::DomException>()
        .map(|e| e.name())
        .unwrap_or_default();
    if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
        "Your browser's storage for this site is full, so the latest changes are NOT saved. Delete or export workflows in the Library, then edit again.".into()
    } else {
        let msg = err
            .dyn_ref::<web_sys::DomException>()
            .map(|e| e.message())
            .or_else(|| err.as_string())
            .unwrap_or_else(|| format!("{err:?}"));
        format!("Saving failed ({name} {msg}); the latest changes are NOT saved.")
    }
}

fn write(wf: &Workflow) -> Result<(), String> {
    let s = local().ok_or_else(|| {
        "This browser gives the page no local storage (private mode?); workflows are NOT saved."
            .to_string()
    })?;
    s.set_item(&wf.key(), &wf.to_json())
        .map_err(|e| storage_error(&e))
}

fn remember_open(id: &str) {
    if let Some(s) = session() {
        let _ = s.set_item(TAB_OPEN, id);
    }
    if let Some(s) = local() {
        let _ = s.set_item(LAST_OPEN, id);
    }
}

fn taken_ids() -> BTreeSet<String> {
    all_pairs()
        .into_iter()
        .filter_map(|(k, _)| lib::id_of_key(&k).map(str::to_string))
        .collect()
}

fn taken_names(libr: Library) -> BTreeSet<String> {
    libr.entries
        .with_untracked(|e| e.iter().map(|s| s.name.clone()).collect())
}

impl Library {
    /// Re-reads the list from storage.
    pub fn refresh(self) {
        let pairs = all_pairs();
        let (rows, damaged) = lib::list(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        self.entries.set(rows);
        self.damaged.set(damaged);
    }

    pub fn show_toast(self, message: String, undo: Option<(Workflow, bool)>) {
        let id = self
            .toast
            .with_untracked(|t| t.as_ref().map_or(1, |t| t.id + 1));
        self.toast.set(Some(Toast { id, message, undo }));
        let toast = self.toast;
        set_timeout(
            move || {
                if toast.with_untracked(|t| t.as_ref().is_some_and(|t| t.id == id)) {
                    toast.set(None);
                }
            },
            std::time::Duration::from_secs(12),
        );
    }

    /// Writes a workflow; a failure is shown. Returns whether it was stored.
    fn store(self, wf: &Workflow) -> bool {
        match write(wf) {
            Ok(()) => {
                self.save_error.set(None);
                true
            }
            Err(m) => {
                self.save_error.set(Some(m));
                false
            }
        }
    }

    /// Shows `wf` in the editor (document, input, mocks, test cases) as the open workflow.
    pub fn load(self, state: AppState, wf: Workflow, fit: bool) {
        remember_open(&wf.id);
        self.conflict.set(None);
        self.test_cases.set(wf.test_cases.clone());
        state.doc.set(Document::new(wf.definition.clone()));
        state.history.set(History::default());
        state.input.set(wf.input.clone());
        state.mocks.set(wf.mocks.clone());
        state.execution.set(None);
        state.selected.set(None);
        state.share_link.set(String::new());
        self.current.set(Some(wf));
        if fit {
            state.fit_request.update(|n| *n += 1);
        }
    }

    /// The autosave: writes the open workflow when its content changed, unless another tab's write
    /// is waiting for the person's choice.
    fn save(self, content: Content) {
        let Some(mut mine) = self.current.get_untracked() else {
            return;
        };
        mine.set_content(content);
        if self.conflict.with_untracked(Option::is_some) {
            // Kept in memory for "Keep mine", not written until the person chooses.
            self.current.set(Some(mine));
            return;
        }
        let stored = read(&mine.id);
        match lib::plan_save(&mine, stored.as_ref(), now()) {
            SaveDecision::Unchanged => {}
            SaveDecision::Write(w) => {
                if self.store(&w) {
                    self.current.set(Some(w));
                    if self.panel_open.get_untracked() {
                        self.refresh();
                    }
                } else {
                    self.current.set(Some(mine));
                }
            }
            SaveDecision::Adopt(w) => self.current.set(Some(w)),
            SaveDecision::Conflict(theirs) => {
                self.current.set(Some(mine));
                self.conflict.set(Some(theirs));
            }
        }
    }

    /// A new workflow (one Pass state), opened.
    pub fn new_workflow(self, state: AppState) {
        let id = lib::new_id(now(), salt(), &taken_ids());
        let name = lib::unique_name("Untitled workflow", &taken_names(self));
        let definition = studio::document::render(&serde_json::json!({
            "Comment": "",
            "StartAt": "Start",
            "States": {"Start": {"Type": "Pass", "End": true}}
        }));
        let mut wf = Workflow::new(
            &id,
            &name,
            Content {
                definition,
                input: "{}\n".into(),
                ..Content::default()
            },
            now(),
        );
        wf.revision = 1;
        self.store(&wf);
        self.load(state, wf, true);
        self.refresh();
    }

    /// A new workflow from a starter template (its definition, and the input and mocks of its first
    /// test case), opened.
    pub fn new_from_template(self, state: AppState, template_id: &str) {
        let Some(t) = studio::templates::templates()
            .into_iter()
            .find(|t| t.id == template_id)
        else {
            return;
        };
        let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default() + "\n";
        let case = t.test_cases.first();
        let content = Content {
            definition: t.definition.to_string(),
            input: case.map_or_else(|| "{}\n".to_string(), |c| pretty(&c.input)),
            mocks: case.map(|c| pretty(&c.mocks)).unwrap_or_default(),
            test_cases: None,
        };
        let wf = self.new_record(t.title, content);
        self.add_and_open(state, wf);
        self.panel_open.set(false);
    }

    /// Adds a workflow made elsewhere (a file, an import, a link) and opens it.
    pub fn add_and_open(self, state: AppState, mut wf: Workflow) {
        wf.revision = wf.revision.max(1);
        self.store(&wf);
        self.load(state, wf, true);
        self.refresh();
    }

    /// A fresh workflow record for `content` named after `name`.
    pub fn new_record(self, name: &str, content: Content) -> Workflow {
        let id = lib::new_id(now(), salt(), &taken_ids());
        self.refresh();
        Workflow::new(
            &id,
            &lib::unique_name(name, &taken_names(self)),
            content,
            now(),
        )
    }

    pub fn open(self, state: AppState, id: &str) {
        if self
            .current
            .with_untracked(|c| c.as_ref().is_some_and(|c| c.id == id))
        {
            self.panel_open.set(false);
            return;
        }
        match read(id) {
            Some(wf) => {
                self.load(state, wf, true);
                self.panel_open.set(false);
            }
            None => state.notice.set(Some(
                "That workflow is no longer in the library (deleted in another tab?).".into(),
            )),
        }
        self.refresh();
    }

    pub fn rename(self, id: &str, name: &str) {
        let name = lib::clean_name(name);
        let open = self.current.get_untracked().filter(|c| c.id == id);
        let Some(mut wf) = open.or_else(|| read(id)) else {
            return;
        };
        if wf.name == name {
            return;
        }
        wf.name = name;
        let stored = read(id);
        let is_open = self
            .current
            .with_untracked(|c| c.as_ref().is_some_and(|c| c.id == id));
        match lib::plan_save(&wf, stored.as_ref(), now()) {
            SaveDecision::Write(w) if self.store(&w) && is_open => self.current.set(Some(w)),
            SaveDecision::Conflict(theirs) if is_open => {
                self.current.set(Some(wf));
                self.conflict.set(Some(theirs));
            }
            _ => {}
        }
        self.refresh();
    }

    pub fn duplicate(self, id: &str) {
        let source = self
            .current
            .get_untracked()
            .filter(|c| c.id == id)
            .or_else(|| read(id));
        let Some(source) = source else { return };
        let new_id = lib::new_id(now(), salt(), &taken_ids());
        let mut copy = lib::duplicate(&source, &new_id, &taken_names(self), now());
        copy.revision = 1;
        if self.store(&copy) {
            self.show_toast(format!("Duplicated as “{}”.", copy.name), None);
        }
        self.refresh();
    }

    pub fn delete(self, state: AppState, id: &str) {
        let was_open = self
            .current
            .with_untracked(|c| c.as_ref().is_some_and(|c| c.id == id));
        let Some(wf) = (if was_open {
            self.current.get_untracked()
        } else {
            read(id)
        }) else {
            return;
        };
        if let Some(s) = local() {
            let _ = s.remove_item(&lib::key(id));
        }
        self.refresh();
        if was_open {
            let next = self
                .entries
                .with_untracked(|e| e.first().map(|s| s.id.clone()));
            match next.and_then(|n| read(&n)) {
                Some(next) => self.load(state, next, true),
                None => self.new_workflow(state),
            }
        }
        self.show_toast(format!("Deleted “{}”.", wf.name), Some((wf, was_open)));
    }

    /// Undo of a delete: the workflow comes back as it was (and is reopened if it was open).
    pub fn undo_delete(self, state: AppState) {
        let Some(Toast {
            undo: Some((wf, was_open)),
            ..
        }) = self.toast.get_untracked()
        else {
            return;
        };
        self.toast.set(None);
        if self.store(&wf) {
            if was_open {
                self.load(state, wf, true);
            }
            self.refresh();
        }
    }

    /// "Reload theirs": the other tab's version replaces this tab's (one undo step brings this tab's
    /// text back).
    pub fn reload_theirs(self, state: AppState) {
        let Some(theirs) = self.conflict.get_untracked() else {
            return;
        };
        self.conflict.set(None);
        self.current.set(Some(theirs.clone()));
        self.test_cases.set(theirs.test_cases.clone());
        if state.doc.with_untracked(|d| d.text() != theirs.definition) {
            state.seal();
            state.edit(
                Edit::ReplaceText {
                    text: theirs.definition.clone(),
                },
                None,
            );
            state.seal();
        }
        state.input.set(theirs.input.clone());
        state.mocks.set(theirs.mocks.clone());
    }

    /// "Keep mine": this tab's version is written over the other tab's (which then sees a conflict).
    pub fn keep_mine(self) {
        let (Some(mine), Some(theirs)) =
            (self.current.get_untracked(), self.conflict.get_untracked())
        else {
            return;
        };
        let w = lib::keep_mine(&mine, &theirs, now());
        if self.store(&w) {
            self.current.set(Some(w));
            self.conflict.set(None);
        }
    }

    /// Opens a share link as a new library entry (an unchanged entry from the same link is reused); a bad
    /// link is a notice and nothing changes.
    pub fn open_link(self, state: AppState, fragment: &str) {
        match studio::share::decode(fragment) {
            Err(e) => state.notice.set(Some(format!(
                "This link could not be opened: {e}. Your current workflow is unchanged."
            ))),
            Ok(env) => {
                let origin = lib::origin_of(fragment);
                let fresh = lib::from_envelope(
                    &env,
                    fragment,
                    &lib::new_id(now(), salt(), &taken_ids()),
                    &taken_names(self),
                    now(),
                );
                let existing = all_workflows().into_iter().find(|w| {
                    w.origin.as_deref() == Some(origin.as_str()) && w.content() == fresh.content()
                });
                let view = env.view.clone().unwrap_or_default();
                match existing {
                    Some(w) => self.load(state, w, view.viewport.is_none()),
                    None => {
                        let mut w = fresh;
                        w.revision = 1;
                        self.store(&w);
                        self.load(state, w, view.viewport.is_none());
                    }
                }
                if let Some(v) = view.viewport {
                    state.viewport.set(v);
                }
                state.selected.set(view.selected);
                state.notice.set(None);
                let name = self
                    .current
                    .with_untracked(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default());
                self.show_toast(
                    format!("Opened “{name}” from the link; it is saved in your Library."),
                    None,
                );
                self.refresh();
                clear_fragment();
            }
        }
    }
}

/// Drops the `#v1:...` fragment from the address bar (the workflow is in the library now), keeping
/// the path and query.
fn clear_fragment() {
    let loc = window().location();
    let url = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    if let Ok(h) = window().history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Sets up the library: migrates the old single-document autosave, opens this tab's workflow (or the
/// last one, or a new one from `sample` unless the page was opened with a share link, which then
/// becomes the first entry), autosaves every edit and watches other tabs.
pub fn init(state: AppState, sample: &str) -> Library {
    let libr = Library {
        current: RwSignal::new(None),
        entries: RwSignal::new(Vec::new()),
        damaged: RwSignal::new(Vec::new()),
        conflict: RwSignal::new(None),
        save_error: RwSignal::new(None),
        toast: RwSignal::new(None),
        test_cases: RwSignal::new(None),
        panel_open: RwSignal::new(false),
    };
    provide_context(libr);
    libr.refresh();
    // The old autosave (one document) becomes the first library entry.
    if let Some(s) = local() {
        let legacy_def = s.get_item(lib::LEGACY_DEFINITION_KEY).ok().flatten();
        let legacy_input = s.get_item(lib::LEGACY_INPUT_KEY).ok().flatten();
        let empty = libr.entries.with_untracked(Vec::is_empty);
        if let Some(mut wf) = lib::migrate_legacy(
            legacy_def.as_deref(),
            legacy_input.as_deref(),
            empty,
            &lib::new_id(now(), salt(), &BTreeSet::new()),
            now(),
        ) {
            wf.revision = 1;
            if libr.store(&wf) {
                remember_open(&wf.id);
            }
        }
        if legacy_def.is_some() && libr.save_error.with_untracked(Option::is_none) {
            let _ = s.remove_item(lib::LEGACY_DEFINITION_KEY);
            let _ = s.remove_item(lib::LEGACY_INPUT_KEY);
        }
        libr.refresh();
    }
    let tab = session().and_then(|s| s.get_item(TAB_OPEN).ok().flatten());
    let last = local().and_then(|s| s.get_item(LAST_OPEN).ok().flatten());
    let first = libr
        .entries
        .with_untracked(|e| e.first().map(|s| s.id.clone()));
    match [tab, last, first]
        .into_iter()
        .flatten()
        .find_map(|id| read(&id))
    {
        Some(wf) => libr.load(state, wf, true),
        // A first visit through a share link: the link becomes the first entry (the page opens it
        // next), not the sample beside it.
        None if studio::share::decode(&window().location().hash().unwrap_or_default()).is_ok() => {}
        None => {
            let mut wf = Workflow::new(
                &lib::new_id(now(), salt(), &taken_ids()),
                &lib::name_for(sample),
                Content {
                    definition: sample.to_string(),
                    input: state.input.get_untracked(),
                    ..Content::default()
                },
                now(),
            );
            wf.revision = 1;
            libr.store(&wf);
            libr.load(state, wf, true);
            libr.refresh();
        }
    }

    // Effects only sync with the outside: every edit of the document, input, mocks or test cases is saved.
    Effect::new(move |_| {
        let content = Content {
            definition: state.doc.with(|d| d.text().to_string()),
            input: state.input.get(),
            mocks: state.mocks.get(),
            test_cases: libr.test_cases.get(),
        };
        libr.save(content);
    });
    // Another tab wrote (or deleted) a workflow.
    let listener = window_event_listener(leptos::ev::storage, move |ev| {
        let Some(key) = ev.key() else {
            libr.refresh();
            return;
        };
        if lib::id_of_key(&key).is_none() {
            return;
        }
        libr.refresh();
        let Some(mine) = libr.current.get_untracked() else {
            return;
        };
        if key != mine.key() {
            return;
        }
        let stored = ev.new_value().and_then(|t| lib::parse(&key, &t).ok());
        match lib::external_change(&mine, stored.as_ref()) {
            External::Ignore => {}
            External::Adopt(w) => libr.current.set(Some(w)),
            External::Conflict(theirs) => libr.conflict.set(Some(theirs)),
            External::Deleted => libr.show_toast(
                "This workflow was deleted in another tab. It stays open here and your next edit saves it again.".into(),
                None,
            ),
        }
    });
    on_cleanup(move || listener.remove());
    libr
}

fn fmt_age(updated_ms: f64) -> String {
    let secs = ((now() - updated_ms) / 1000.0).max(0.0);
    if secs < 60.0 {
        "just now".into()
    } else if secs < 3600.0 {
        format!("{} min ago", (secs / 60.0) as u64)
    } else if secs < 86_400.0 {
        format!("{} h ago", (secs / 3600.0) as u64)
    } else {
        format!("{} days ago", (secs / 86_400.0) as u64)
    }
}

/// The topbar's "Library" button and the name of the open workflow (click to rename).
#[component]
pub fn LibraryButton() -> impl IntoView {
    let libr = library();
    let name = move || {
        libr.current
            .with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default())
    };
    view! {
        <button class="btn" aria-label="Library" aria-expanded=move || libr.panel_open.get().to_string()
            on:click=move |_| { libr.refresh(); libr.panel_open.update(|o| *o = !*o); }>"☰ Library"</button>
        <span class="workflow-name" aria-label="Workflow name" title="The open workflow">{name}</span>
    }
}

/// The "Library" panel: the list of workflows with New, Open, Rename, Duplicate, Delete.
#[component]
pub fn LibraryPanel() -> impl IntoView {
    let state = crate::app();
    let libr = library();
    let editing = RwSignal::new(None::<String>);
    view! {
        <Show when=move || libr.panel_open.get()>
            <aside class="library-panel" role="region" aria-label="Library">
                <div class="pane-title library-head">
                    <span>"Library"</span>
                    <div class="spacer"></div>
                    <button class="btn small primary" aria-label="New workflow" on:click=move |_| libr.new_workflow(state)>"+ New"</button>
                    <select class="btn small" aria-label="New from template"
                        on:change=move |ev| {
                            let id = event_target_value(&ev);
                            if !id.is_empty() {
                                libr.new_from_template(state, &id);
                            }
                        }>
                        <option value="" selected>"From template…"</option>
                        {studio::templates::templates().into_iter().map(|t| view! { <option value=t.id>{t.title}</option> }).collect::<Vec<_>>()}
                    </select>
                    <button class="btn small" aria-label="Close library" on:click=move |_| libr.panel_open.set(false)>"✕"</button>
                </div>
                <Show when=move || libr.damaged.with(|d| !d.is_empty())>
                    <p class="library-damaged">{move || libr.damaged.get().join("; ")}</p>
                </Show>
                <ul class="library-list" aria-label="Workflows">
                    <For each=move || libr.entries.get() key=|s| (s.id.clone(), s.name.clone(), s.updated_ms.to_bits(), s.states)
                        children=move |s| {
                            let id = s.id.clone();
                            let is_open = {
                                let id = id.clone();
                                move || libr.current.with(|c| c.as_ref().is_some_and(|c| c.id == id))
                            };
                            let (id1, id2, id3, id4, id5) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
                            let renaming = {
                                let id = id.clone();
                                move || editing.with(|e| e.as_deref() == Some(id.as_str()))
                            };
                            let name = s.name.clone();
                            let name2 = s.name.clone();
                            let meta = format!(
                                "{} · {}",
                                s.states.map(|n| format!("{n} state{}", if n == 1 { "" } else { "s" })).unwrap_or_else(|| "does not parse".into()),
                                fmt_age(s.updated_ms)
                            );
                            view! {
                                <li class="library-item" class:open=is_open.clone() data-workflow=s.name.clone()
                                    aria-current=move || if is_open() { "true" } else { "false" }>
                                    <Show when=renaming.clone() fallback=move || {
                                        let id = id1.clone();
                                        view! {
                                            <button class="library-open" aria-label=format!("Open {}", name) on:click=move |_| libr.open(state, &id)>
                                                <span class="library-name">{name.clone()}</span>
                                            </button>
                                        }
                                    }>
                                        {
                                            let id = id2.clone();
                                            let id_k = id2.clone();
                                            view! {
                                                <input class="library-rename" aria-label="New name" prop:value=name2.clone()
                                                    on:change=move |ev| { libr.rename(&id, &event_target_value(&ev)); editing.set(None); }
                                                    on:keydown=move |ev| {
                                                        if ev.key() == "Enter" {
                                                            libr.rename(&id_k, &event_target_value(&ev));
                                                            editing.set(None);
                                                        } else if ev.key() == "Escape" {
                                                            editing.set(None);
                                                        }
                                                    } />
                                            }
                                        }
                                    </Show>
                                    <span class="library-meta muted">{meta}</span>
                                    <div class="library-actions">
                                        <button class="btn small" aria-label=format!("Rename {}", s.name) on:click=move |_| editing.set(Some(id3.clone()))>"Rename"</button>
                                        <button class="btn small" aria-label=format!("Duplicate {}", s.name) on:click=move |_| libr.duplicate(&id4)>"Duplicate"</button>
                                        <button class="btn small danger" aria-label=format!("Delete {}", s.name) on:click=move |_| libr.delete(state, &id5)>"Delete"</button>
                                    </div>
                                </li>
                            }
                        } />
                </ul>
                <p class="muted hint pad">"Every edit is saved in this browser. Share or export to keep a copy elsewhere."</p>
            </aside>
        </Show>
    }
}

/// The conflict banner, the storage error and the toast.
#[component]
pub fn LibraryBanners() -> impl IntoView {
    let state = crate::app();
    let libr = library();
    view! {
        <Show when=move || libr.conflict.with(Option::is_some)>
            <div class="banner conflict" role="alert" aria-label="Conflict">
                <span>"This workflow was changed in another tab. Your edits here are not saved until you choose."</span>
                <button class="btn small" on:click=move |_| libr.reload_theirs(state)>"Reload theirs"</button>
                <button class="btn small primary" on:click=move |_| libr.keep_mine()>"Keep mine"</button>
            </div>
        </Show>
        <Show when=move || libr.save_error.with(Option::is_some)>
            <div class="banner storage-error" role="alert" aria-label="Storage error">
                <span>{move || libr.save_error.get().unwrap_or_default()}</span>
                <button class="btn small" aria-label="Dismiss storage error" on:click=move |_| libr.save_error.set(None)>"✕"</button>
            </div>
        </Show>
        <Show when=move || libr.toast.with(Option::is_some)>
            <div class="toast" role="status">
                <span>{move || libr.toast.with(|t| t.as_ref().map(|t| t.message.clone()).unwrap_or_default())}</span>
                <Show when=move || libr.toast.with(|t| t.as_ref().is_some_and(|t| t.undo.is_some()))>
                    <button class="btn small primary" on:click=move |_| libr.undo_delete(state)>"Undo"</button>
                </Show>
                <button class="btn small" aria-label="Close message" on:click=move |_| libr.toast.set(None)>"✕"</button>
            </div>
        </Show>
    }
}

/// The share link of the open workflow with its input, mocks and test cases.
pub fn share(state: AppState, libr: Library, base: &str) {
    if libr.test_cases.with_untracked(Option::is_none) {
        state.share(base);
        return;
    }
    let env = studio::ShareEnvelope {
        definition: state.doc.with_untracked(|d| d.text().to_string()),
        input: Some(state.input.get_untracked()),
        mocks: state
            .mocks
            .with_untracked(|m| serde_json::from_str::<Value>(m).ok()),
        test_cases: libr.test_cases.get_untracked(),
        ..Default::default()
    };
    state.share_link.set(studio::share::link(base, &env));
}
