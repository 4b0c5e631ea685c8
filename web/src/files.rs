//! Files: "Open file…" (picker) and drag-and-drop onto the canvas (ASL JSON/YAML, or a CloudFormation/SAM
//! template whose state machine the person picks), "Save" (.asl.json / .asl.yaml) and the "Export" menu
//! (SAM, CloudFormation, CLI command, SVG, PNG). What a file is and what is written is decided in
//! `studio::files`, `studio::import` and `studio::export`; this is the browser glue. A bad file is a
//! notice; the current workflow is never replaced (an opened file becomes a new library entry).

use crate::library::{Library, library};
use crate::state::AppState;
use leptos::prelude::*;
use studio::export::{self, ExportOptions, TemplateKind};
use studio::files::{self, Opened};
use studio::import::ImportedMachine;
use studio::library::Content;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Machines of an imported template waiting for the person's pick.
#[derive(Clone, Copy)]
pub struct Files {
    pub choices: RwSignal<Option<(String, Vec<ImportedMachine>)>>,
    pub menu_open: RwSignal<bool>,
    pub cli: RwSignal<Option<String>>,
    /// Taken from context when the component is made (contexts are not reachable from event handlers
    /// or async tasks).
    pub libr: Library,
}

fn workflow_name(ctx: Files) -> String {
    ctx.libr
        .current
        .with_untracked(|c| c.as_ref().map(|c| c.name.clone()))
        .unwrap_or_else(|| "workflow".into())
}

/// Offers `bytes` as a download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    download_url(name, &url)?;
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

fn download_url(name: &str, url: &str) -> Result<(), String> {
    let doc = document();
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    a.set_href(url);
    a.set_download(name);
    a.set_attribute("hidden", "").ok();
    let body = doc.body().ok_or("no body")?;
    body.append_child(&a).map_err(|e| format!("{e:?}"))?;
    a.click();
    a.remove();
    Ok(())
}

/// The file chosen in a file `<input>`'s change event; the input is cleared so the same file can be
/// picked again.
pub fn picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let el = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = el.files().and_then(|l| l.get(0));
    el.set_value("");
    file
}

/// Reads a dropped or picked file, then hands its bytes to [`open_bytes`].
fn open_file(state: AppState, ctx: Files, file: web_sys::File) {
    let name = file.name();
    if file.size() > files::MAX_FILE_BYTES as f64 {
        state.notice.set(Some(format!(
            "Could not open {name}: {}. Your current workflow is unchanged.",
            files::FileError::TooLarge {
                bytes: file.size() as usize
            }
        )));
        return;
    }
    let promise = file.array_buffer();
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(buf) => {
                let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                open_bytes(state, ctx, &name, &bytes);
            }
            Err(e) => state.notice.set(Some(format!(
                "Could not read {name}: {e:?}. Your current workflow is unchanged."
            ))),
        }
    });
}

/// Opens a file's content as a new library entry (a template with several machines asks first).
pub fn open_bytes(state: AppState, ctx: Files, name: &str, bytes: &[u8]) {
    let libr = ctx.libr;
    match files::open(bytes) {
        Err(e) => state.notice.set(Some(format!(
            "Could not open {name}: {e}. Your current workflow is unchanged."
        ))),
        Ok(Opened::Definition { text, from_yaml }) => {
            let wf = libr.new_record(
                &files::name_from_file(name),
                Content {
                    definition: text,
                    input: "{}\n".into(),
                    ..Content::default()
                },
            );
            let msg = if from_yaml {
                format!(
                    "Opened {name} (converted from YAML to JSON) as “{}”.",
                    wf.name
                )
            } else {
                format!("Opened {name} as “{}”.", wf.name)
            };
            state.notice.set(None);
            libr.add_and_open(state, wf);
            libr.show_toast(msg, None);
        }
        Ok(Opened::Template(machines)) => {
            let usable = machines.iter().filter(|m| m.definition.is_ok()).count();
            if machines.len() == 1 && usable == 1 {
                if let Some(m) = machines.into_iter().next() {
                    import_machine(state, ctx, name, m);
                }
            } else {
                ctx.choices.set(Some((name.to_string(), machines)));
            }
        }
    }
}

/// Opens one machine of a template as a new library entry; placeholders are named in the message.
fn import_machine(state: AppState, ctx: Files, file: &str, m: ImportedMachine) {
    let libr = ctx.libr;
    let text = match &m.definition {
        Ok(t) => t.clone(),
        Err(e) => {
            state.notice.set(Some(format!(
                "Could not import {} from {file}: {e}. Your current workflow is unchanged.",
                m.logical_id
            )));
            return;
        }
    };
    let wf = libr.new_record(
        &m.logical_id,
        Content {
            definition: text,
            input: "{}\n".into(),
            ..Content::default()
        },
    );
    let mut msg = format!("Imported {} from {file} as “{}”.", m.logical_id, wf.name);
    if !m.placeholders.is_empty() {
        msg.push_str(" Placeholders kept: ");
        msg.push_str(
            &m.placeholders
                .iter()
                .map(|p| format!("${{{p}}}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        msg.push('.');
    }
    if !m.substitutions.is_empty() {
        msg.push_str(" DefinitionSubstitutions: ");
        msg.push_str(
            &m.substitutions
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        msg.push('.');
    }
    state.notice.set(None);
    ctx.choices.set(None);
    libr.add_and_open(state, wf);
    libr.show_toast(msg, None);
}

/// The definition value for exports, or a notice when the text does not parse.
fn definition(state: AppState) -> Option<serde_json::Value> {
    let d = state.analysis.with_untracked(|a| a.definition.clone());
    if d.is_none() {
        state.notice.set(Some(
            "Cannot export: the definition does not parse; fix the text first.".into(),
        ));
    }
    d
}

fn report(state: AppState, r: Result<(), String>) {
    if let Err(e) = r {
        state
            .notice
            .set(Some(format!("The download could not start: {e}.")));
    }
}

fn save_json(state: AppState, ctx: Files) {
    let text = state.doc.with_untracked(|d| files::to_json_text(d.text()));
    report(
        state,
        download(
            &files::file_name(&workflow_name(ctx), ".asl.json"),
            "application/json",
            &text,
        ),
    );
}

fn save_yaml(state: AppState, ctx: Files) {
    if let Some(def) = definition(state) {
        report(
            state,
            download(
                &files::file_name(&workflow_name(ctx), ".asl.yaml"),
                "application/yaml",
                &files::to_yaml(&def),
            ),
        );
    }
}

fn options(ctx: Files) -> ExportOptions {
    ExportOptions {
        logical_id: export::logical_id(&workflow_name(ctx)),
        ..ExportOptions::default()
    }
}

fn export_template(state: AppState, ctx: Files, kind: TemplateKind) {
    if let Some(def) = definition(state) {
        let t = export::template(&def, kind, &options(ctx));
        let (suffix, ext) = match kind {
            TemplateKind::Sam => ("-sam", ".template.json"),
            TemplateKind::CloudFormation => ("-cloudformation", ".template.json"),
        };
        let text = serde_json::to_string_pretty(&t).unwrap_or_default() + "\n";
        let name = files::file_name(&format!("{}{suffix}", workflow_name(ctx)), ext);
        report(state, download(&name, "application/json", &text));
    }
}

fn export_cli(state: AppState, ctx: Files) {
    if let Some(def) = definition(state) {
        ctx.cli.set(Some(export::create_state_machine_command(
            &def,
            &options(ctx),
            "arn:aws:iam::123456789012:role/StepFunctionsExecutionRole",
        )));
    }
}

/// Style properties copied inline so the exported SVG looks the same without the page's CSS.
const STYLE_PROPS: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "paint-order",
    "visibility",
    "display",
];

/// The canvas as a stand-alone SVG document: the whole drawing (not just the visible part), every
/// style inline, the theme's background.
pub fn svg_document(state: AppState) -> Result<(String, f64, f64), String> {
    let doc = document();
    let svg = doc
        .query_selector("svg.canvas")
        .ok()
        .flatten()
        .ok_or("the canvas is not on the page")?;
    let clone: web_sys::Element = svg
        .clone_node_with_deep(true)
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    let win = window();
    let originals = svg.query_selector_all("*").map_err(|e| format!("{e:?}"))?;
    let copies = clone
        .query_selector_all("*")
        .map_err(|e| format!("{e:?}"))?;
    for i in 0..originals.length().min(copies.length()) {
        let (Some(o), Some(c)) = (originals.item(i), copies.item(i)) else {
            continue;
        };
        let (Ok(o), Ok(c)) = (
            o.dyn_into::<web_sys::Element>(),
            c.dyn_into::<web_sys::Element>(),
        ) else {
            continue;
        };
        let Ok(Some(cs)) = win.get_computed_style(&o) else {
            continue;
        };
        let style: String = STYLE_PROPS
            .iter()
            .filter_map(|p| {
                let v = cs.get_property_value(p).ok()?;
                (!v.is_empty()).then(|| format!("{p}:{v};"))
            })
            .collect();
        let _ = c.set_attribute("style", &style);
        for a in ["tabindex", "aria-selected"] {
            let _ = c.remove_attribute(a);
        }
    }
    let b = state.layout.with_untracked(|l| l.bounds());
    let pad = 24.0;
    let (w, h) = ((b.w + 2.0 * pad).max(1.0), (b.h + 2.0 * pad).max(1.0));
    if let Ok(Some(g)) = clone.query_selector("g.viewport") {
        let _ = g.set_attribute(
            "transform",
            &format!("translate({} {})", pad - b.x, pad - b.y),
        );
    }
    for a in ["class", "role", "data-zoom", "style"] {
        let _ = clone.remove_attribute(a);
    }
    // The theme's background: the first of the svg, the canvas pane and the app that has one.
    let bg = [
        Some(svg.clone()),
        svg.closest(".canvas-pane").ok().flatten(),
        svg.closest(".app").ok().flatten(),
    ]
    .into_iter()
    .flatten()
    .filter_map(|e| win.get_computed_style(&e).ok().flatten())
    .filter_map(|cs| cs.get_property_value("background-color").ok())
    .find(|c| !c.is_empty() && c != "rgba(0, 0, 0, 0)" && c != "transparent")
    .unwrap_or_else(|| "#ffffff".into());
    let _ = clone.set_attribute("width", &format!("{w}"));
    let _ = clone.set_attribute("height", &format!("{h}"));
    let _ = clone.set_attribute("viewBox", &format!("0 0 {w} {h}"));
    let _ = clone.set_attribute("style", &format!("background:{bg}"));
    let ns = "http://www.w3.org/2000/svg";
    if let Ok(rect) = doc.create_element_ns(Some(ns), "rect") {
        for (k, v) in [
            ("width", "100%".to_string()),
            ("height", "100%".to_string()),
            ("fill", bg.clone()),
        ] {
            let _ = rect.set_attribute(k, &v);
        }
        let _ = clone.insert_before(&rect, clone.first_child().as_ref());
    }
    let text = web_sys::XmlSerializer::new()
        .and_then(|s| s.serialize_to_string(&clone))
        .map_err(|e| format!("{e:?}"))?;
    Ok((
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}\n"),
        w,
        h,
    ))
}

/// Runs `then` once the canvas draws the whole workflow in full detail (it culls what is out of view
/// and drops text when zoomed far out), then lets it cull again.
fn with_everything_drawn(state: AppState, then: impl FnOnce() + 'static) {
    state.draw_all.set(true);
    // The animation frame comes after the reactive updates have drawn it.
    request_animation_frame(move || {
        then();
        state.draw_all.set(false);
    });
}

fn export_svg(state: AppState, ctx: Files) {
    with_everything_drawn(state, move || export_svg_now(state, ctx));
}

fn export_svg_now(state: AppState, ctx: Files) {
    match svg_document(state) {
        Ok((svg, _, _)) => report(
            state,
            download(
                &files::file_name(&workflow_name(ctx), ".svg"),
                "image/svg+xml",
                &svg,
            ),
        ),
        Err(e) => report(state, Err(e)),
    }
}

/// Draws the SVG export on a canvas (twice the size, for sharpness) and downloads it as PNG.
fn export_png(state: AppState, ctx: Files) {
    with_everything_drawn(state, move || export_png_now(state, ctx));
}

fn export_png_now(state: AppState, ctx: Files) {
    let (svg, w, h) = match svg_document(state) {
        Ok(x) => x,
        Err(e) => return report(state, Err(e)),
    };
    let name = files::file_name(&workflow_name(ctx), ".png");
    let run = move || -> Result<(), String> {
        let img = web_sys::HtmlImageElement::new().map_err(|e| format!("{e:?}"))?;
        let parts = js_sys::Array::of1(&JsValue::from_str(&svg));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type("image/svg+xml");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
            .map_err(|e| format!("{e:?}"))?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
        let img2 = img.clone();
        let url2 = url.clone();
        let onload = Closure::once(move || {
            let draw = || -> Result<(), String> {
                let scale = 2.0;
                let canvas: web_sys::HtmlCanvasElement = document()
                    .create_element("canvas")
                    .map_err(|e| format!("{e:?}"))?
                    .unchecked_into();
                canvas.set_width((w * scale).ceil() as u32);
                canvas.set_height((h * scale).ceil() as u32);
                let ctx: web_sys::CanvasRenderingContext2d = canvas
                    .get_context("2d")
                    .ok()
                    .flatten()
                    .ok_or("no 2d canvas")?
                    .unchecked_into();
                ctx.scale(scale, scale).map_err(|e| format!("{e:?}"))?;
                ctx.draw_image_with_html_image_element_and_dw_and_dh(&img2, 0.0, 0.0, w, h)
                    .map_err(|e| format!("{e:?}"))?;
                let data = canvas
                    .to_data_url_with_type("image/png")
                    .map_err(|e| format!("{e:?}"))?;
                download_url(&name, &data)
            };
            report(state, draw());
            let _ = web_sys::Url::revoke_object_url(&url2);
        });
        img.set_onload(Some(onload.as_ref().unchecked_ref()));
        onload.forget();
        img.set_src(&url);
        Ok(())
    };
    report(state, run());
}

/// The file buttons of the top bar: Open file…, Save, Export (menu), plus the import picker and the
/// CLI command dialog. Also accepts files dropped on the canvas.
#[component]
pub fn FileMenu() -> impl IntoView {
    let state = crate::app();
    let ctx = Files {
        choices: RwSignal::new(None),
        menu_open: RwSignal::new(false),
        cli: RwSignal::new(None),
        libr: library(),
    };
    provide_context(ctx);
    let input = NodeRef::<leptos::html::Input>::new();
    let on_pick = move |ev: leptos::ev::Event| {
        if let Some(f) = picked_file(&ev) {
            open_file(state, ctx, f);
        }
    };
    // Files dropped on the canvas (other drags, e.g. palette entries, are left alone).
    let has_files = |ev: &web_sys::DragEvent| {
        ev.data_transfer()
            .map(|dt| dt.types().includes(&JsValue::from_str("Files"), 0))
            .unwrap_or(false)
    };
    let on_canvas = |ev: &web_sys::DragEvent| {
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest(".canvas-pane").ok().flatten())
            .is_some()
    };
    let over = window_event_listener(leptos::ev::dragover, move |ev| {
        if has_files(&ev) && on_canvas(&ev) {
            ev.prevent_default();
            if let Some(dt) = ev.data_transfer() {
                dt.set_drop_effect("copy");
            }
        }
    });
    let drop = window_event_listener(leptos::ev::drop, move |ev| {
        if has_files(&ev) && on_canvas(&ev) {
            ev.prevent_default();
            if let Some(f) = ev
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|l| l.get(0))
            {
                open_file(state, ctx, f);
            }
        }
    });
    on_cleanup(move || {
        over.remove();
        drop.remove();
    });
    let item = move |label: &'static str, f: fn(AppState, Files)| {
        view! {
            <button class="menu-item" role="menuitem" on:click=move |_| { ctx.menu_open.set(false); f(state, ctx); }>{label}</button>
        }
    };
    view! {
        <div class="files">
            <input type="file" class="visually-hidden" aria-label="Workflow file" node_ref=input
                accept=".json,.yaml,.yml,.template,application/json,application/yaml,text/yaml"
                on:change=on_pick />
            <button class="btn" aria-label="Open file" title="Open an ASL (JSON/YAML) file or a CloudFormation/SAM template"
                on:click=move |_| { if let Some(i) = input.get_untracked() { i.click(); } }>"Open file…"</button>
            <button class="btn" aria-label="Save" title="Download the definition as .asl.json"
                on:click=move |_| save_json(state, ctx)>"Save"</button>
            <div class="menu-wrap">
                <button class="btn" aria-label="Export" aria-haspopup="menu" aria-expanded=move || ctx.menu_open.get().to_string()
                    on:click=move |_| ctx.menu_open.update(|o| *o = !*o)>"Export ▾"</button>
                <Show when=move || ctx.menu_open.get()>
                    <div class="menu" role="menu" aria-label="Export">
                        {item("ASL JSON (.asl.json)", save_json)}
                        {item("ASL YAML (.asl.yaml)", save_yaml)}
                        {item("SAM template", |s, c| export_template(s, c, TemplateKind::Sam))}
                        {item("CloudFormation template", |s, c| export_template(s, c, TemplateKind::CloudFormation))}
                        {item("CLI command", export_cli)}
                        {item("SVG image", export_svg)}
                        {item("PNG image", export_png)}
                    </div>
                </Show>
            </div>
        </div>
        <Show when=move || ctx.choices.with(Option::is_some)>
            <div class="modal-backdrop">
                <div class="modal" role="dialog" aria-label="Choose a state machine">
                    <div class="pane-title">{move || ctx.choices.with(|c| c.as_ref().map(|(f, m)| format!("{f}: {} state machines", m.len())).unwrap_or_default())}</div>
                    <ul class="choices">
                        {move || ctx.choices.get().map(|(file, machines)| machines.into_iter().map(|m| {
                            let file = file.clone();
                            let label = m.logical_id.clone();
                            let detail = match &m.definition {
                                Ok(_) => format!("{} · {} placeholder(s)", m.resource_type, m.placeholders.len()),
                                Err(e) => format!("cannot import: {e}"),
                            };
                            let ok = m.definition.is_ok();
                            view! {
                                <li>
                                    <button class="btn" prop:disabled=!ok aria-label=format!("Import {label}")
                                        on:click=move |_| import_machine(state, ctx, &file, m.clone())>{label.clone()}</button>
                                    <span class="muted">{detail}</span>
                                </li>
                            }
                        }).collect::<Vec<_>>())}
                    </ul>
                    <button class="btn" on:click=move |_| ctx.choices.set(None)>"Cancel"</button>
                </div>
            </div>
        </Show>
        <Show when=move || ctx.cli.with(Option::is_some)>
            <div class="modal-backdrop">
                <div class="modal" role="dialog" aria-label="CLI command">
                    <div class="pane-title">"aws stepfunctions create-state-machine"</div>
                    <p class="muted">"Replace the role ARN with an execution role of your account."</p>
                    <textarea class="code small-code" aria-label="CLI command" readonly rows="8"
                        prop:value=move || ctx.cli.get().unwrap_or_default()></textarea>
                    <div class="row">
                        <button class="btn primary" on:click=move |_| {
                            if let Some(t) = ctx.cli.get_untracked() {
                                let _ = window().navigator().clipboard().write_text(&t);
                            }
                        }>"Copy"</button>
                        <button class="btn" on:click=move |_| ctx.cli.set(None)>"Close"</button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
