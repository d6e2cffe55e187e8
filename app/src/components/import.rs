//! Paste or drop files; the server's importers normalize them; the page shows what each file
//! was recognised as, and uses the result only when the user says so.

use crate::api::{self, Imported};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;
use tco_engine::{Scenario, Workloads};
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
    // Apps (`app`) and processes (`app/process`) the user left out of the review.
    let excluded: RwSignal<BTreeSet<String>> = RwSignal::new(BTreeSet::new());

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
        excluded.set(BTreeSet::new());
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
        let workloads = without(imported.workloads, &excluded.get_untracked());
        let apps = workloads.apps.len();
        let replicas = workloads.total_replicas();
        scenario.update(|s| {
            let assumptions = s.as_ref().map(|s| s.assumptions.clone()).unwrap_or_default();
            *s = Some(Scenario { name: format!("Imported from {}", names.join(", ")), workloads, assumptions });
        });
        preview.set(None);
        status.set(Some(format!("Using {apps} app(s), {replicas} replica(s) from {}", names.join(", "))));
    };

    let start_empty = move |_| {
        scenario.update(|s| {
            let assumptions = s.as_ref().map(|s| s.assumptions.clone()).unwrap_or_default();
            *s = Some(Scenario { name: "Empty scenario".into(), workloads: Workloads::default(), assumptions });
        });
        preview.set(None);
        status.set(Some("Started from an empty scenario: import files to fill it".into()));
    };
    let toggle = move |key: String| {
        excluded.update(|set| {
            if !set.remove(&key) {
                set.insert(key);
            }
        })
    };

    view! {
        <div class="import">
            <button class="secondary" data-testid="start-empty" on:click=start_empty>
                "Start from an empty scenario"
            </button>
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
                <input type="file" multiple aria-label="Files to import" data-testid="import-files" on:change=on_pick />
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
                    <fieldset class="review" data-testid="import-review">
                        <legend>"Include in the estimate"</legend>
                        {imported.workloads.apps.iter().map(|app| {
                            let app_key = app.name.clone();
                            let app_off = {
                                let k = app_key.clone();
                                move || excluded.get().contains(&k)
                            };
                            let app_toggle = {
                                let k = app_key.clone();
                                move |_| toggle(k.clone())
                            };
                            view! {
                                <div class="review-app">
                                    <label>
                                        <input type="checkbox" data-testid=format!("include-{}", app.name)
                                            prop:checked={
                                                let f = app_off.clone();
                                                move || !f()
                                            } on:change=app_toggle />
                                        <strong>{app.name.clone()}</strong>
                                        <span class="hint">{format!(" from {}", app.source)}</span>
                                    </label>
                                    <ul>
                                        {app.processes.iter().map(|p| {
                                            let key = format!("{}/{}", app.name, p.name);
                                            let off = {
                                                let k = key.clone();
                                                move || excluded.get().contains(&k)
                                            };
                                            let flip = {
                                                let k = key.clone();
                                                move |_| toggle(k.clone())
                                            };
                                            let app_off = app_off.clone();
                                            let metrics = if p.measured.is_some() { ", metrics found" } else { "" };
                                            view! {
                                                <li>
                                                    <label>
                                                        <input type="checkbox" data-testid=format!("include-{key}")
                                                            prop:checked=move || !off() prop:disabled=app_off on:change=flip />
                                                        {format!("{}: {} × {}{metrics}", p.name, p.replicas, p.size.clone().unwrap_or_else(|| format!("{} m / {} MiB", p.cpu_millicores, p.memory_mib)))}
                                                    </label>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    {
                        let all = imported.workloads.clone();
                        move || {
                            let kept = without(all.clone(), &excluded.get());
                            view! {
                                <p data-testid="import-today">{format!(
                                    "Today, as imported: {} per month ({} app(s), {} replica(s) included)",
                                    tco_engine::format::usd(kept.current_monthly_usd),
                                    kept.apps.len(),
                                    kept.total_replicas()
                                )}</p>
                            }
                        }
                    }
                    <button data-testid="import-use" on:click=use_it>"Use these workloads"</button>
                    <button class="secondary" on:click=move |_| preview.set(None)>"Discard"</button>
                </div>
            })}
            {move || status.get().map(|s| view! { <p class="status" data-testid="import-status">{s}</p> })}
        </div>
    }
}

/// The workloads without the apps and processes the user left out, with today's cost
/// recomputed from what remains.
fn without(mut w: Workloads, excluded: &BTreeSet<String>) -> Workloads {
    w.apps.retain(|a| !excluded.contains(&a.name));
    for app in &mut w.apps {
        let name = app.name.clone();
        app.processes.retain(|p| !excluded.contains(&format!("{name}/{}", p.name)));
    }
    w.current_monthly_usd = tco_engine::current::imported_monthly(&w);
    w
}

fn file_list(list: web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
