//! The imported processes, with replicas editable in place.

use leptos::prelude::*;
use tco_engine::format::usd;
use tco_engine::Scenario;

/// A row per process; changing replicas recomputes every figure at once.
#[component]
pub fn ProcessTable(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    let rows = move || {
        scenario.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.workloads
                        .apps
                        .iter()
                        .flat_map(|a| a.processes.iter().map(move |p| (a.name.clone(), p.clone())))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <table class="processes" data-testid="processes">
            <thead>
                <tr>
                    <th>"app"</th><th>"process"</th><th>"dyno size"</th><th>"replicas"</th>
                    <th>"CPU request"</th><th>"memory request"</th><th>"today, USD/month"</th>
                </tr>
            </thead>
            <tbody>
                {move || rows().into_iter().map(|(app, p)| {
                    let (app_key, process_key) = (app.clone(), p.name.clone());
                    let testid = format!("replicas-{app}-{}", p.name);
                    view! {
                        <tr>
                            <td>{app.clone()}</td>
                            <td>{p.name.clone()}</td>
                            <td>{p.size.clone().unwrap_or_else(|| "-".into())}</td>
                            <td>
                                <input type="number" min="0" max="10000" data-testid=testid
                                    aria-label=format!("Replicas of {app}/{}", p.name)
                                    prop:value=p.replicas.to_string()
                                    on:change=move |ev| {
                                        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                                            scenario.update(|s| {
                                                if let Some(s) = s {
                                                    s.workloads.set_replicas(&app_key, &process_key, n);
                                                }
                                            });
                                        }
                                    } />
                            </td>
                            <td>{format!("{} m", p.cpu_millicores)}</td>
                            <td>{format!("{} MiB", p.memory_mib)}</td>
                            <td>{usd(p.monthly_usd)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
