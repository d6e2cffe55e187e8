//! Paste or drop files; the server's importers normalize them; the page shows what each file
//! was recognised as, and uses the result only when the user says so.

use crate::api::{self, Imported};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tco_engine::Scenario;
use wasm_bindgen::JsCast;

/// Paste box, drop zone, file picker, upload progress and a preview of what was recognised.
#[component]
pub fn ImportPanel(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let app = RwSignal::new(String::new());
    let progress: RwSignal<Option<f64>> = RwSignal::new(None);
    let preview: RwSignal<Option<Imported>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let status: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);

    let finish = move |result: Result<Imported, String>| {
        busy.set(false);
        progress.set(None);
        match result {
            Ok(imported) => preview.set(Some(imported)),
            Err(e) => error.set(Some(e)),
        }
    };
    let start = move || {
        busy.set(true);
        error.set(None);
        status.set(None);
        preview.set(None);
    };

    let import_pasted = move |_| {
        start();
        let body = text.get_untracked();
        let app_name = Some(app.get_untracked());
        spawn_local(async move { finish(api::import_text("pasted", body, app_name).await) });
    };

    let upload = move |files: Vec<web_sys::File>| {
        if files.is_empty() {
            return;
        }
        start();
        progress.set(Some(0.0));
        let app_name = Some(app.get_untracked());
        spawn_local(async move {
            let result = api::upload(files, app_name, move |f| progress.set(Some(f))).await;
            finish(result);
        });
    };

    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        let files = ev.data_transfer().and_then(|d| d.files()).map(file_list).unwrap_or_default();
        upload(files);
    };
    let on_pick = move |ev: web_sys::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let files = input.as_ref().and_then(|i| i.files()).map(file_list).unwrap_or_default();
        upload(files);
        if let Some(i) = input {
            i.set_value("");
        }
    };

    let use_it = move |_| {
        let Some(imported) = preview.get_untracked() else { return };
        let names: Vec<String> = imported.detected.iter().map(|d| d.file.clone()).collect();
        let apps = imported.workloads.apps.len();
        let replicas = imported.workloads.total_replicas();
        scenario.update(|s| {
            let assumptions = s.as_ref().map(|s| s.assumptions.clone()).unwrap_or_default();
            *s = Some(Scenario {
                name: format!("Imported from {}", names.join(", ")),
                workloads: imported.workloads,
                assumptions,
            });
        });
        preview.set(None);
        status.set(Some(format!("Using {apps} app(s), {replicas} replica(s) from {}", names.join(", "))));
    };

    view! {
        <div class="import">
            <p class="hint">
                "Paste or drop what Heroku or AWS gave you: a formation (" <code>"heroku api GET /apps/APP/formation"</code>
                "), " <code>"heroku ps"</code> " output, " <code>"heroku logs"</code> ", add-ons, usage, "
                <code>"aws ec2 describe-instances"</code> ", CloudWatch metrics, a Cost and Usage Report, or the CSV template. "
                "Several files at once are merged."
            </p>
            <label>"App for files without app names (logs, ps text) "
                <input type="text" data-testid="import-app" placeholder="file name" prop:value=move || app.get()
                    on:input=move |ev| app.set(event_target_value(&ev)) />
            </label>
            <div class="dropzone" data-testid="dropzone" on:dragover=|ev: web_sys::DragEvent| ev.prevent_default() on:drop=on_drop>
                "Drop files here or "
                <input type="file" multiple data-testid="import-files" on:change=on_pick />
            </div>
            <textarea data-testid="import-text" rows="7" placeholder="[{\"type\":\"web\",\"quantity\":2,\"size\":\"Standard-2X\",…}]"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <button data-testid="import-button" prop:disabled=move || busy.get() on:click=import_pasted>
                "Import pasted text"
            </button>
            {move || progress.get().map(|p| view! {
                <p class="status" data-testid="import-progress">
                    <progress max="1" value=p.to_string()></progress>
                    {format!(" uploading {:.0}%", p * 100.0)}
                </p>
            })}
            {move || error.get().map(|e| view! { <p class="error" data-testid="import-error">{e}</p> })}
            {move || preview.get().map(|imported| view! {
                <div class="preview" data-testid="import-preview">
                    <table>
                        <thead><tr><th>"file"</th><th>"recognised as"</th><th>"apps"</th><th>"processes"</th><th>"instances"</th><th>"skipped"</th></tr></thead>
                        <tbody>
                            {imported.detected.iter().map(|d| view! {
                                <tr>
                                    <td>{d.file.clone()}</td>
                                    <td data-testid="import-format">{d.format.clone()}</td>
                                    <td class="num">{d.apps}</td>
                                    <td class="num">{d.processes}</td>
                                    <td class="num">{d.instances}</td>
                                    <td class="num">{d.skipped}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <ul class="warnings">
                        {imported.workloads.warnings.iter().map(|w| view! {
                            <li class="warning">
                                {w.file.clone()} {w.line.map(|l| format!(": line {l}")).unwrap_or_default()} ": " {w.message.clone()}
                            </li>
                        }).collect_view()}
                    </ul>
                    <p>{format!("Today, as imported: {} per month", tco_engine::format::usd(imported.workloads.current_monthly_usd))}</p>
                    <button data-testid="import-use" on:click=use_it>"Use these workloads"</button>
                    <button class="secondary" on:click=move |_| preview.set(None)>"Discard"</button>
                </div>
            })}
            {move || status.get().map(|s| view! { <p class="status" data-testid="import-status">{s}</p> })}
        </div>
    }
}

fn file_list(list: web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
