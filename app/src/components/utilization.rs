//! Utilization as bars: what the plan requests of what the nodes (or tasks) allocate, and, where
//! logs gave measurements, what is actually used — today on Heroku and on the option. The
//! percentage is printed beside each bar, which is the bar's text equivalent.

use leptos::prelude::*;
use tco_engine::format::ratio_pct;
use tco_engine::report::Utilization;

/// CPU and memory bars for requested, measured on the option and measured today.
#[component]
pub fn UtilizationBars(
    requested: Utilization,
    measured: Option<Utilization>,
    measured_today: Option<Utilization>,
    fargate: bool,
) -> impl IntoView {
    let of = if fargate { "of task size" } else { "of allocatable" };
    view! {
        <div class="utilization">
            <h4>"Utilization"</h4>
            <Bar label=format!("CPU requested {of}") value=requested.cpu class="requested" />
            <Bar label=format!("Memory requested {of}") value=requested.memory class="requested" />
            {measured.map(|m| view! {
                <Bar label=format!("CPU measured {of}") value=m.cpu class="measured" />
                <Bar label=format!("Memory measured {of}") value=m.memory class="measured" />
            })}
            {measured_today.map(|m| view! {
                <div class="today" data-testid="utilization-today">
                    <Bar label="CPU used of paid, on Heroku today".to_string() value=m.cpu class="today" />
                    <Bar label="Memory used of paid, on Heroku today".to_string() value=m.memory class="today" />
                </div>
            })}
            {(measured.is_none() && measured_today.is_none()).then(|| view! {
                <p class="hint">"No measurements: import logs with runtime metrics to compare use with requests."</p>
            })}
        </div>
    }
}

/// One 0..1 bar with its label and percentage.
#[component]
fn Bar(label: String, value: f64, class: &'static str) -> impl IntoView {
    let width = (value.clamp(0.0, 1.0) * 100.0).to_string();
    view! {
        <div class="meter">
            <span class="meter-label">{label}</span>
            <span class="meter-track"><span class=format!("meter-fill {class}") style:width=format!("{width}%")></span></span>
            <span class="meter-value">{ratio_pct(value)}</span>
        </div>
    }
}
