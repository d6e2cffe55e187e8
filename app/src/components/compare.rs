//! Two saved scenarios side by side: each option's monthly total and savings, from the reports
//! the API pinned when they were saved.

use crate::api;
use crate::saved::{pinned_totals, SavedSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tco_engine::format::usd;
use tco_engine::totals::{Compared, Figures};

/// Pick A and B from the saved list, then compare.
#[component]
pub fn Compare(list: RwSignal<Vec<SavedSummary>>) -> impl IntoView {
    let a = RwSignal::new(String::new());
    let b = RwSignal::new(String::new());
    let rows: RwSignal<Option<(String, String, Vec<Compared>)>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let options = move || {
        list.get()
            .into_iter()
            .map(|s| view! { <option value=s.id.clone()>{format!("{} (rev. {})", s.name, s.revision)}</option> })
            .collect_view()
    };
    let run = move |_| {
        let (ia, ib) = (a.get_untracked(), b.get_untracked());
        if ia.is_empty() || ib.is_empty() {
            error.set(Some("Pick two saved scenarios to compare.".into()));
            return;
        }
        spawn_local(async move {
            match (api::get_scenario(&ia).await, api::get_scenario(&ib).await) {
                (Ok(x), Ok(y)) => match (pinned_totals(&x.report), pinned_totals(&y.report)) {
                    (Some(ta), Some(tb)) => {
                        error.set(None);
                        rows.set(Some((x.document.name, y.document.name, ta.compare(&tb))));
                    }
                    _ => error.set(Some("A saved report could not be read.".into())),
                },
                (Err(e), _) | (_, Err(e)) => error.set(Some(e)),
            }
        })
    };
    let cell = |v: Option<Figures>, pick: fn(Figures) -> tco_engine::Usd| {
        v.map(|v| usd(pick(v))).unwrap_or_else(|| "—".into())
    };
    view! {
        <Show when=move || { list.with(|l| l.len() >= 2) }>
            <div class="compare" data-testid="compare">
                <h3>"Compare two"</h3>
                <select data-testid="compare-a" aria-label="Scenario A" on:change=move |e| a.set(event_target_value(&e))>
                    <option value="">"A…"</option>{options}
                </select>
                <select data-testid="compare-b" aria-label="Scenario B" on:change=move |e| b.set(event_target_value(&e))>
                    <option value="">"B…"</option>{options}
                </select>
                <button type="button" data-testid="compare-run" on:click=run>"Compare"</button>
                {move || error.get().map(|e| view! { <p class="error" data-testid="compare-error">{e}</p> })}
                {move || rows.get().map(|(na, nb, rows)| view! {
                    <table class="compare-table" data-testid="compare-table">
                        <thead>
                            <tr><th scope="col">"Saved scenario"</th><th colspan="2">{format!("A: {na}")}</th><th colspan="2">{format!("B: {nb}")}</th></tr>
                            <tr><th>"Platform"</th><th>"Monthly"</th><th>"Saves"</th><th>"Monthly"</th><th>"Saves"</th></tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr data-testid=format!("compare-{}", r.option)>
                                    <th scope="row">{if r.option == "current" { "Today".to_string() } else { r.label.clone() }}</th>
                                    <td data-testid=format!("compare-{}-a", r.option)>{cell(r.before, |v| v.monthly_usd)}</td>
                                    <td>{cell(r.before, |v| v.savings_usd)}</td>
                                    <td data-testid=format!("compare-{}-b", r.option)>{cell(r.after, |v| v.monthly_usd)}</td>
                                    <td>{cell(r.after, |v| v.savings_usd)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
            </div>
        </Show>
    }
}
