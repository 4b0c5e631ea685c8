//! The inspector: the selected state's name (rename updates every reference through
//! `Edit::RenameState`), type, breakpoint and delete, then every field of its type and query language
//! in sections (Configuration, Input/output, Variables, Error handling) with the Retry/Catch editors
//! and the Choice rule builder, and its raw JSON. With no state selected, the workflow's own fields
//! (Comment, StartAt, QueryLanguage, TimeoutSeconds, Version). Problems focus the offending field here.

use crate::app;
use crate::fields::{self as ui, Ctx, Sel};
use leptos::prelude::*;
use serde_json::Value;
use studio::fields::{self, Ql, Section};
use wasm_bindgen::JsCast;

/// Focuses the control best matching a field path (the longest `data-field` prefix); true when found.
fn focus_control(pid: &str) -> bool {
    let Some(doc) = document().query_selector(".inspector").ok().flatten() else {
        return false;
    };
    let Ok(list) = doc.query_selector_all("[data-field]") else {
        return false;
    };
    let want: Vec<&str> = pid.split('/').filter(|s| !s.is_empty()).collect();
    let mut best: Option<(usize, web_sys::HtmlElement)> = None;
    for i in 0..list.length() {
        let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let f = el.get_attribute("data-field").unwrap_or_default();
        let have: Vec<&str> = f.split('/').filter(|s| !s.is_empty()).collect();
        if !have.is_empty()
            && want.starts_with(&have)
            && best.as_ref().is_none_or(|(n, _)| have.len() > *n)
        {
            best = Some((have.len(), el));
        }
    }
    match best {
        Some((_, el)) => {
            // A group (list editor) is focused through its first control.
            let target = if matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
                Some(el)
            } else {
                el.query_selector("input, textarea, select")
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            };
            if let Some(t) = target {
                t.scroll_into_view();
                let _ = t.focus();
                return true;
            }
            false
        }
        None => false,
    }
}

#[component]
pub fn Inspector() -> impl IntoView {
    let state = app();
    let current = Memo::new(move |_| {
        let Some(name) = state.selected.get() else {
            // No state selected: the workflow's own fields.
            let value = state.doc.with(|d| d.value().map(fields::machine_value))?;
            let ql = Ql::of(Some(&value), &Value::Null);
            return Some(Sel {
                scope: Vec::new(),
                name: String::new(),
                value,
                ql,
                kind: ui::MACHINE_KIND.to_string(),
            });
        };
        let scope = state.graph.with(|g| {
            g.nodes
                .iter()
                .position(|n| n.name == name)
                .map(|i| g.scope_of(i))
        })?;
        // Only the machine's QueryLanguage is needed from the definition.
        let top_ql = |d: Option<&Value>| serde_json::json!({"QueryLanguage": d.and_then(|d| d.get("QueryLanguage")).cloned()});
        let from_doc = state.doc.with(|d| {
            d.state(&scope, &name)
                .cloned()
                .map(|v| (v, top_ql(d.value())))
        });
        let (value, top) = from_doc.or_else(|| {
            state.definition.with(|d| {
                let doc = studio::Document::from_value(d.clone()?);
                doc.state(&scope, &name)
                    .cloned()
                    .map(|v| (v, top_ql(d.as_ref())))
            })
        })?;
        let ql = Ql::of(Some(&top), &value);
        let kind = value
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        Some(Sel {
            scope,
            name,
            value,
            ql,
            kind,
        })
    });
    let diags = Memo::new(move |_| {
        let Some(name) = current.with(|c| c.as_ref().map(|c| c.name.clone())) else {
            return Vec::new();
        };
        if name.is_empty() {
            return state
                .analysis
                .with(|a| fields::machine_diagnostics(&a.diagnostics));
        }
        state.analysis.with(|a| match &a.definition {
            Some(def) => fields::state_diagnostics(def, &a.diagnostics, &name),
            None => Vec::new(),
        })
    });
    let targets = Memo::new(move |_| {
        let Some(scope) = current.with(|c| c.as_ref().map(|c| c.scope.clone())) else {
            return Vec::new();
        };
        state.doc.with(|d| {
            d.scope_value(&scope)
                .and_then(|m| m.get("States"))
                .and_then(Value::as_object)
                .map(|s| s.keys().cloned().collect())
                .unwrap_or_default()
        })
    });
    let preview = Memo::new(move |_| {
        let (name, definition) =
            current.with(|c| c.as_ref().map(|c| (c.name.clone(), c.value.clone())))?;
        let input = state
            .input
            .with(|t| serde_json::from_str::<Value>(t).unwrap_or(Value::Null));
        Some(state.execution.with(|e| {
            let history = e.as_ref().map(|e| e.history()).unwrap_or(&[]);
            studio::preview::scope_for(&name, &definition, history, &input)
        }))
    });
    let ctx = Ctx {
        app: state,
        current,
        diags,
        targets,
        preview,
    };
    // What the editors are built from; values typed into controls do not rebuild them.
    let shape = Memo::new(move |_| {
        let targets = targets.get();
        current.with(|c| {
            c.as_ref().map(|c| {
                let skel = |k: &str| c.value.get(k).map(fields::skeleton);
                (
                    c.name.clone(),
                    c.kind.clone(),
                    c.ql,
                    skel("Retry"),
                    skel("Catch"),
                    skel("Choices"),
                    targets,
                )
            })
        })
    });
    // A problem asked for a field: focus it once the inspector shows the state.
    Effect::new(move |_| {
        let Some(pid) = state.focus_field.get() else {
            return;
        };
        shape.track();
        request_animation_frame(move || {
            if focus_control(&pid) {
                state.focus_field.set(None);
            } else {
                set_timeout(
                    move || {
                        focus_control(&pid);
                        state.focus_field.set(None);
                    },
                    std::time::Duration::from_millis(60),
                );
            }
        });
    });
    let json = move || {
        current.with(|c| {
            c.as_ref()
                .map(|c| serde_json::to_string_pretty(&c.value).unwrap_or_default())
                .unwrap_or_default()
        })
    };
    view! {
        <section class="inspector" aria-label="Inspector">
            <div class="pane-title">"Inspector"</div>
            {move || match shape.get() {
                None => view! {
                    <p class="muted pad">"Select a state on the canvas to see and edit it."</p>
                }.into_any(),
                Some((_, kind, ..)) if kind == ui::MACHINE_KIND => {
                    let controls = fields::MACHINE
                        .iter()
                        .map(|f| {
                            let path = f.path.iter().map(|k| fields::Seg::key(k)).collect();
                            ui::control(ctx, path, f.label, None, f.kind, false)
                        })
                        .collect_view();
                    view! {
                        <div class="pad inspector-body">
                            <p class="muted">"Workflow settings. Select a state on the canvas to edit it."</p>
                            <fieldset class="insp-section" aria-label="Workflow">
                                <legend>"Workflow"</legend>
                                {controls}
                            </fieldset>
                        </div>
                    }.into_any()
                }
                Some((name, kind, ql, _, _, _, _)) => {
                    let chip = format!("type-chip kind-{}", kind.to_lowercase());
                    let from = name.clone();
                    let bp_name = name.clone();
                    let bp_name2 = name.clone();
                    let sections = Section::ALL.iter().map(|section| {
                        let mut controls: Vec<AnyView> = fields::fields_for(&kind, ql)
                            .into_iter()
                            .filter(|f| f.section == *section)
                            .map(|f| {
                                let path = f.path.iter().map(|k| fields::Seg::key(k)).collect();
                                ui::control(ctx, path, f.label, None, f.kind, f.preview && ql == Ql::Jsonata)
                            })
                            .collect();
                        if *section == Section::Configuration && kind == "Choice" {
                            controls.push(ui::choice::choice_editor(ctx));
                        }
                        if *section == Section::ErrorHandling && fields::has_error_handling(&kind) {
                            controls.push(ui::lists::retry_editor(ctx));
                            controls.push(ui::lists::catch_editor(ctx));
                        }
                        (!controls.is_empty()).then(|| view! {
                            <fieldset class="insp-section" aria-label=section.title()>
                                <legend>{section.title()}</legend>
                                {controls}
                            </fieldset>
                        })
                    }).collect_view();
                    view! {
                        <div class="pad inspector-body">
                            <label class="field">
                                <span>"Name"</span>
                                <input aria-label="State name" prop:value=name.clone()
                                    on:change=move |ev| state.rename(&from, &event_target_value(&ev))
                                    on:keydown=move |ev| {
                                        if ev.key() == "Enter"
                                            && let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                                        {
                                            let _ = el.blur();
                                        }
                                    } />
                            </label>
                            <div class="row">
                                <span class=chip>{kind.clone()}</span>
                                <span class="muted ql-chip">{if ql == Ql::Jsonata { "JSONata" } else { "JSONPath" }}</span>
                                <div class="spacer"></div>
                                <button class="btn small" aria-label="Toggle breakpoint"
                                    aria-pressed=move || state.breakpoints.with(|b| b.contains(&bp_name)).to_string()
                                    on:click=move |_| state.toggle_breakpoint(&bp_name2)>"● Breakpoint"</button>
                                <button class="btn small danger" aria-label="Delete state"
                                    on:click=move |_| state.remove_selected()>"Delete"</button>
                            </div>
                            {sections}
                            <details class="raw-json">
                                <summary>"JSON"</summary>
                                <pre class="json" aria-label="State JSON">{json}</pre>
                            </details>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
