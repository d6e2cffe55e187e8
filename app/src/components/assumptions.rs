//! The assumptions an estimate rests on, editable.

use leptos::prelude::*;
use tco_engine::Scenario;

/// Region, availability zones and hours per month.
#[component]
pub fn AssumptionsPanel(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    let catalog = tco_pricing_data::embedded();
    let regions: Vec<String> = catalog.regions().into_iter().map(str::to_string).collect();
    let get = move |f: fn(&Scenario) -> String| move || scenario.with(|s| s.as_ref().map(f).unwrap_or_default());
    view! {
        <form class="assumptions" on:submit=|ev| ev.prevent_default()>
            <label>"Region "
                <select data-testid="region"
                    prop:value=get(|s| s.assumptions.region.clone())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        scenario.update(|s| if let Some(s) = s { s.assumptions.region = v });
                    }>
                    {regions.into_iter().map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Availability zones "
                <input type="number" min="1" max="6" data-testid="azs"
                    prop:value=get(|s| s.assumptions.availability_zones.to_string())
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                            scenario.update(|s| if let Some(s) = s { s.assumptions.availability_zones = n });
                        }
                    } />
            </label>
            <label>"Hours per month "
                <input type="number" min="1" max="744" data-testid="hours"
                    prop:value=get(|s| s.assumptions.hours_per_month.to_string())
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                            scenario.update(|s| if let Some(s) = s { s.assumptions.hours_per_month = n });
                        }
                    } />
            </label>
            <label title="Heroku publishes a compute multiplier, not vCPUs: an assumption, edit it when you know better">
                "CPU per Heroku compute unit (m, assumption) "
                <input type="number" min="10" max="2000" data-testid="millicores-per-unit"
                    prop:value=get(|s| s.assumptions.millicores_per_compute_unit.to_string())
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                            scenario.update(|s| if let Some(s) = s {
                                s.assumptions.millicores_per_compute_unit = n;
                                resize_dynos(s);
                            });
                        }
                    } />
            </label>
        </form>
    }
}

/// Re-derives CPU requests of dyno-sized processes after the per-unit assumption changed.
fn resize_dynos(s: &mut Scenario) {
    let catalog = tco_pricing_data::embedded();
    for p in s.workloads.apps.iter_mut().flat_map(|a| a.processes.iter_mut()) {
        if let Some(size) = p.size.as_deref().and_then(|n| catalog.dyno_size(n)) {
            p.cpu_millicores = tco_engine::sizing::request_for_dyno(size, &s.assumptions).cpu_millicores;
        }
    }
}
