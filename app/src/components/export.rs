//! Exports: the JSON report straight from the page, and spreadsheets (XLSX, CSV) rendered by
//! the API from the same scenario, saved as files.

use crate::{api, download, today_iso, MaybeReport};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tco_engine::Scenario;

/// Three download buttons and what happened.
#[component]
pub fn ExportButtons(scenario: RwSignal<Option<Scenario>>, report: MaybeReport) -> impl IntoView {
    let busy = RwSignal::new(false);
    let status: RwSignal<Option<Result<String, String>>> = RwSignal::new(None);
    let name = move || scenario.with_untracked(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    let server_file = move |format: &'static str| {
        let Some(s) = scenario.get_untracked() else { return };
        busy.set(true);
        status.set(None);
        spawn_local(async move {
            let outcome = api::export(&s, format).await.and_then(|file| {
                let file_name =
                    file.file_name.clone().unwrap_or_else(|| download::file_name(&s.name, &today_iso(), format));
                download::save(&file.bytes, &file_name, &file.content_type).map(|_| file_name)
            });
            status.set(Some(outcome.map(|f| format!("Saved {f}"))));
            busy.set(false);
        });
    };
    let json = move |_| {
        let Some(r) = report.get_untracked() else { return };
        let file_name = download::file_name(&name(), &today_iso(), "json");
        let outcome = serde_json::to_vec_pretty(&r)
            .map_err(|e| e.to_string())
            .and_then(|bytes| download::save(&bytes, &file_name, "application/json"))
            .map(|_| format!("Saved {file_name}"));
        status.set(Some(outcome));
    };
    view! {
        <div class="exports" role="group" aria-label="Download the report">
            <button type="button" data-testid="export-xlsx" prop:disabled=move || busy.get() on:click=move |_| server_file("xlsx")>
                "Download XLSX"
            </button>
            <button type="button" data-testid="export-csv" prop:disabled=move || busy.get() on:click=move |_| server_file("csv")>
                "Download CSV"
            </button>
            <button type="button" data-testid="export-json" on:click=json>"Download JSON"</button>
            <span class="export-status" role="status" aria-live="polite">
                {move || status.get().map(|s| match s {
                    Ok(m) => view! { <span class="status" data-testid="export-status">{m}</span> }.into_any(),
                    Err(e) => view! { <span class="error" data-testid="export-error">{e}</span> }.into_any(),
                })}
            </span>
        </div>
    }
}
