//! Where container requests come from: the Heroku dyno size, or measured use where logs or
//! metrics were imported. The three figures that shape a measured request appear only when
//! they apply, so the panel never offers a knob that changes nothing.

use super::fields::{edit, NumberField};
use crate::human::trim;
use crate::url_state::{sizing_name, sizing_policy};
use leptos::prelude::*;
use tco_engine::{Scenario, SizingPolicy};

/// The policy select and, for `measured`, memory headroom and the two floors.
#[component]
pub fn SizingPolicyInputs(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    let measured =
        move || scenario.with(|s| s.as_ref().is_some_and(|s| s.assumptions.sizing == SizingPolicy::Measured));
    view! {
        <label class="field wide">
            <span class="name">"Container requests from"</span>
            <select data-testid="sizing"
                prop:value=move || scenario.with(|s| s.as_ref().map(|s| sizing_name(s.assumptions.sizing)).unwrap_or_default())
                on:change=move |ev| {
                    if let Some(p) = sizing_policy(&event_target_value(&ev)) { edit(scenario, |a| a.sizing = p) }
                }>
                <option value="dyno">"The dyno size (memory and CPU share)"</option>
                <option value="measured">"Measured use (p95), where imported"</option>
            </select>
            <span class="hint">
                "Measured: p95 RSS × headroom and p95 load for processes whose logs or metrics were imported; the dyno size elsewhere."
            </span>
        </label>
        <Show when=measured>
            <div class="sub-fields" data-testid="sizing-measured">
                <NumberField scenario=scenario label="Memory request: p95 RSS ×" testid="sizing-memory-headroom"
                    min="1" max="4" step="0.05" unit="×" hint="Default 1.25 (25% above the p95); at least 1.".to_string()
                    get=|a| trim(a.sizing_memory_headroom, 3)
                    set={|a, v| v.trim().parse::<f64>().ok().filter(|h| (1.0..=4.0).contains(h)).map(|h| a.sizing_memory_headroom = h).is_some()} />
                <NumberField scenario=scenario label="Smallest CPU request" testid="sizing-min-cpu"
                    min="0" max="64000" step="10" unit="m" hint="Default 100 m.".to_string()
                    get=|a| a.sizing_min_cpu_millicores.to_string()
                    set=|a, v| v.trim().parse().ok().filter(|n| *n <= 64_000).map(|n| a.sizing_min_cpu_millicores = n).is_some() />
                <NumberField scenario=scenario label="Smallest memory request" testid="sizing-min-memory"
                    min="0" max="262144" step="64" unit="MiB" hint="Default 256 MiB.".to_string()
                    get=|a| a.sizing_min_memory_mib.to_string()
                    set=|a, v| v.trim().parse().ok().filter(|n| *n <= 262_144).map(|n| a.sizing_min_memory_mib = n).is_some() />
            </div>
        </Show>
    }
}
