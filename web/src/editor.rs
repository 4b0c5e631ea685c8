//! The code view: a transparent textarea over a syntax-highlighted layer (tokens, problem underlines,
//! the selected state's range) with a line-number gutter marking problem lines; Format and a JSON/YAML
//! switch. Typing becomes `Edit::ReplaceText` steps that coalesce into one undo step per burst; the
//! canvas selection and the caret follow each other through the states' text ranges.

use crate::app;
use crate::state::AppState;
use asl::syntax::Format;
use leptos::html;
use leptos::prelude::*;
use studio::code;

/// Replaces the whole text as its own undo step (Format, JSON ⇄ YAML).
fn replace_all(state: AppState, result: Result<String, String>, what: &str) {
    match result {
        Ok(text) => {
            if state.doc.with_untracked(|d| d.text() == text) {
                return;
            }
            state.seal();
            state.edit(studio::Edit::ReplaceText { text }, None);
            state.seal();
        }
        Err(e) => state.notice.set(Some(format!("Cannot {what}: {e}."))),
    }
}

/// The code font's line box: 12.5px × 1.55 (style.css `.code`, `.code-layer`).
const LINE_HEIGHT: f64 = 19.375;

#[component]
pub fn CodeEditor() -> impl IntoView {
    let state = app();
    let area = NodeRef::<html::Textarea>::new();
    let gutter = NodeRef::<html::Div>::new();
    let layer = NodeRef::<html::Pre>::new();
    let format = Memo::new(move |_| {
        if state.doc.with(|d| d.is_yaml()) {
            Format::Yaml
        } else {
            Format::Json
        }
    });
    let selected_range = Memo::new(move |_| {
        let name = state.selected.get()?;
        state
            .doc
            .with(|d| code::state_range(d.text(), &name))
            .map(|r| (r.start, r.end))
    });
    // Only the lines in view (in blocks, with a margin) are highlighted and numbered: a long
    // definition costs what its visible part costs.
    let starts = Memo::new(move |_| state.doc.with(|d| code::line_starts(d.text())));
    let scroll = RwSignal::new((0.0f64, 900.0f64));
    let lines = Memo::new(move |_| {
        let (top, height) = scroll.get();
        let n = starts.with(Vec::len);
        code::visible_lines(top, height, LINE_HEIGHT, n)
    });
    let marks = Memo::new(move |_| {
        state.doc.with(|d| {
            state
                .analysis
                .with(|a| code::marks(d.text(), &a.diagnostics))
        })
    });
    let highlighted = move || {
        let fmt = format.get();
        let (first, end) = lines.get();
        state.doc.with(|d| {
            starts.with(|s| marks.with(|m| code::highlight_lines(d.text(), s, fmt, m, first, end)))
        })
    };
    // The lines above and below the drawn ones keep their height, so the layer scrolls with the text.
    let padding = move || {
        let (first, end) = lines.get();
        let n = starts.with(Vec::len);
        format!(
            "padding-top: {}px; padding-bottom: {}px",
            first as f64 * LINE_HEIGHT,
            n.saturating_sub(end) as f64 * LINE_HEIGHT
        )
    };
    // The gutter's width: the digits and room for a problem mark (`●` and its margin), fixed so that
    // the gutter is a layout boundary (style.css).
    let gutter_width = move || {
        let digits = starts.with(Vec::len).to_string().len();
        format!("width: calc({digits}ch + 30px)")
    };
    let band = move || {
        let (start, end) = selected_range.get()?;
        state.doc.with(|d| {
            let t = d.text();
            let first = t.get(..start)?.matches('\n').count();
            let last = t.get(..end)?.matches('\n').count();
            Some((first, last))
        })
    };
    let problem_lines = Memo::new(move |_| {
        state.doc.with(|d| {
            state
                .analysis
                .with(|a| code::problem_lines(d.text(), &a.diagnostics))
        })
    });
    let gutter_html = move || {
        let (first, end) = lines.get();
        problem_lines.with(|p| code::gutter_html(first, end, p))
    };
    let sync_scroll = move || {
        if let Some(a) = area.get_untracked() {
            let (top, left) = (a.scroll_top(), a.scroll_left());
            let height = f64::from(a.client_height());
            scroll.set((f64::from(top), height));
            if let Some(g) = gutter.get_untracked() {
                g.set_scroll_top(top);
            }
            if let Some(l) = layer.get_untracked() {
                l.set_scroll_top(top);
                l.set_scroll_left(left);
            }
        }
    };
    let line_height = move || -> f64 { LINE_HEIGHT };
    // The document → the textarea, unless the text is what was just typed there (setting a long
    // value again costs a full re-layout of the textarea).
    let typed = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        let Some(a) = area.get() else { return };
        let same = state
            .doc
            .with(|d| typed.with_value(|t| t.as_deref() == Some(d.text())));
        typed.set_value(None);
        if !same {
            state.doc.with_untracked(|d| a.set_value(d.text()));
            sync_scroll();
        }
    });
    // Canvas selection → select and scroll to the state's text (not while the user types here).
    Effect::new(move |_| {
        let Some((start, end)) = selected_range.get() else {
            return;
        };
        let Some(a) = area.get() else {
            return;
        };
        let focused = document()
            .active_element()
            .is_some_and(|e| e.id() == "asl-code");
        if focused {
            return;
        }
        let (s16, e16, line) = state.doc.with_untracked(|d| {
            let t = d.text();
            (
                code::utf16_offset(t, start),
                code::utf16_offset(t, end),
                t.get(..start).map_or(0, |p| p.matches('\n').count()),
            )
        });
        let _ = a.set_selection_range(s16 as u32, e16 as u32);
        let top = (line as f64 * line_height() - 40.0).max(0.0);
        a.set_scroll_top(top as i32);
        sync_scroll();
    });
    // A text-level problem asks for the caret at its place.
    Effect::new(move |_| {
        let Some(offset) = state.caret_request.get() else {
            return;
        };
        let Some(a) = area.get() else {
            return;
        };
        let (o16, line) = state.doc.with_untracked(|d| {
            let t = d.text();
            (
                code::utf16_offset(t, offset),
                t.get(..offset.min(t.len()))
                    .map_or(0, |p| p.matches('\n').count()),
            )
        });
        let _ = a.focus();
        let _ = a.set_selection_range(o16 as u32, o16 as u32);
        let top = (line as f64 * line_height() - 40.0).max(0.0);
        a.set_scroll_top(top as i32);
        sync_scroll();
        state.caret_request.set(None);
    });
    // Caret → select the state whose text holds it.
    let caret_moved = move || {
        let Some(a) = area.get_untracked() else {
            return;
        };
        let Some(pos) = a.selection_start().ok().flatten() else {
            return;
        };
        let hit = state.doc.with_untracked(|d| {
            let t = d.text();
            code::state_at(t, code::byte_offset(t, pos as usize))
        });
        if let Some(r) = hit
            && state.selected.get_untracked().as_deref() != Some(r.name.as_str())
        {
            state.selected.set(Some(r.name));
        }
    };
    view! {
        <section class="code-pane">
            <div class="code-head">
                <label class="pane-title" for="asl-code">"Definition"</label>
                <div class="spacer"></div>
                <div class="seg" role="group" aria-label="Code format">
                    <button class="btn small" aria-pressed=move || (format.get() == Format::Json).to_string()
                        on:click=move |_| {
                            let text = state.doc.with_untracked(|d| d.text().to_string());
                            replace_all(state, code::convert(&text, Format::Json), "convert to JSON");
                        }>"JSON"</button>
                    <button class="btn small" aria-pressed=move || (format.get() == Format::Yaml).to_string()
                        on:click=move |_| {
                            let text = state.doc.with_untracked(|d| d.text().to_string());
                            replace_all(state, code::convert(&text, Format::Yaml), "convert to YAML");
                        }>"YAML"</button>
                </div>
                <button class="btn small" title="Pretty-print, keeping key order" on:click=move |_| {
                    let text = state.doc.with_untracked(|d| d.text().to_string());
                    replace_all(state, code::format(&text), "format");
                }>"Format"</button>
            </div>
            <div class="code-wrap">
                <div class="gutter" aria-hidden="true" node_ref=gutter style=gutter_width>
                    <pre style=padding inner_html=gutter_html></pre>
                </div>
                <div class="code-stack">
                    <pre class="code-layer" aria-hidden="true" node_ref=layer>
                        {move || band().map(|(first, last)| {
                            let lh = line_height();
                            let style = format!("top: {}px; height: {}px", 12.0 + first as f64 * lh, (last - first + 1) as f64 * lh);
                            view! { <div class="sel-band" style=style></div> }
                        })}
                        <code class="code-lines" style=padding inner_html=highlighted></code>
                    </pre>
                    <textarea
                        id="asl-code"
                        class="code code-input"
                        aria-label="ASL code"
                        spellcheck="false"
                        wrap="off"
                        autocomplete="off"
                        node_ref=area
                        data-format=move || if format.get() == Format::Yaml { "yaml" } else { "json" }
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            typed.set_value(Some(text.clone()));
                            state.type_text(text);
                        }
                        on:scroll=move |_| sync_scroll()
                        on:click=move |_| caret_moved()
                        on:keyup=move |_| caret_moved()
                        on:blur=move |_| state.seal()
                    ></textarea>
                </div>
            </div>
        </section>
    }
}
