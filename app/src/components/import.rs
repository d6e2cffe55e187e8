//! Paste or drop a file; the server's importer normalizes it and the page recomputes.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tco_engine::Scenario;
use wasm_bindgen_futures::JsFuture;

/// A textarea for pasted JSON and a drop zone for files.
#[component]
pub fn ImportPanel(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let status: RwSignal<Option<String>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);

    let run = move |name: String, body: String| {
        busy.set(true);
        error.set(None);
        status.set(Some(format!("Importing {name}…")));
        spawn_local(async move {
            match api::import(&name, body).await {
                Ok(workloads) => {
                    let apps = workloads.apps.len();
                    let replicas = workloads.total_replicas();
                    scenario.update(|s| {
                        let assumptions = s.as_ref().map(|s| s.assumptions.clone()).unwrap_or_default();
                        *s = Some(Scenario { name: format!("Imported from {name}"), workloads, assumptions });
                    });
                    status.set(Some(format!("Imported {name}: {apps} apps, {replicas} replicas")));
                }
                Err(e) => {
                    status.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };

    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) else { return };
        let name = file.name();
        spawn_local(async move {
            match JsFuture::from(file.text()).await {
                Ok(v) => run(name, v.as_string().unwrap_or_default()),
                Err(_) => error.set(Some(format!("{name}: the browser could not read the file"))),
            }
        });
    };

    view! {
        <div class="import">
            <p class="hint">
                "Paste a Heroku formation (" <code>"heroku api GET /apps/APP/formation"</code>
                ", one app or several concatenated) or drop the file here."
            </p>
            <textarea data-testid="import-text" rows="8" placeholder="[{\"type\":\"web\",\"quantity\":2,\"size\":\"Standard-2X\",…}]"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
                on:dragover=|ev: web_sys::DragEvent| ev.prevent_default()
                on:drop=on_drop></textarea>
            <button data-testid="import-button" prop:disabled=move || busy.get()
                on:click=move |_| run("pasted.json".into(), text.get_untracked())>
                "Import and recompute"
            </button>
            {move || status.get().map(|s| view! { <p class="status" data-testid="import-status">{s}</p> })}
            {move || error.get().map(|e| view! { <p class="error" data-testid="import-error">{e}</p> })}
        </div>
    }
}
