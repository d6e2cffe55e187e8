//! How an option's compute follows the imported week: on-demand cost of each of the 168 hours
//! as bars and the nodes running as a line, the peak hour (whose plan the page shows) marked.
//! A table of the same hours is the chart's text equivalent.

use crate::geometry::{nice_ticks, polyline, Scale};
use crate::human::{hour_of_week, trim};
use leptos::prelude::*;
use tco_engine::report::ProfileSummary;

const W: f64 = 720.0;
const H: f64 = 170.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 40.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 24.0;

/// The week's chart or table, with the peak and the mean-over-peak ratio in words.
#[component]
pub fn ProfileChart(id: &'static str, profile: ProfileSummary) -> impl IntoView {
    let as_table = RwSignal::new(false);
    let peak = profile.peak_hour;
    let peak_usd = profile.hourly_on_demand_usd.get(peak as usize).copied().unwrap_or(0.0);
    let peak_nodes = profile.hourly_nodes.get(peak as usize).copied().unwrap_or(0);
    let has_nodes = profile.hourly_nodes.iter().any(|n| *n > 0);
    let summary = format!(
        "Peak {}: ${peak_usd:.2}/h on demand{}. The week's mean is {:.0}% of the peak hour's cost.",
        hour_of_week(peak),
        if has_nodes { format!(", {peak_nodes} nodes") } else { String::new() },
        profile.mean_over_peak * 100.0
    );
    let profile = StoredValue::new(profile);
    view! {
        <div class="profile" data-testid=format!("profile-{id}")>
            <div class="chart-head">
                <h4>"Over the week"</h4>
                <button type="button" class="toggle-table" data-testid=format!("profile-{id}-table-toggle")
                    aria-pressed=move || as_table.get().to_string() on:click=move |_| as_table.update(|t| *t = !*t)>
                    {move || if as_table.get() { "Chart" } else { "Table" }}
                </button>
            </div>
            <p class="hint" data-testid=format!("profile-{id}-peak")>{summary}</p>
            {move || profile.with_value(|p| if as_table.get() { table(id, p).into_any() } else { chart(p, has_nodes).into_any() })}
        </div>
    }
}

/// Cost bars on the left axis, nodes as a line on the right one, a day grid and the peak.
fn chart(p: &ProfileSummary, has_nodes: bool) -> impl IntoView {
    let hours = p.hourly_on_demand_usd.len().max(1) as f64;
    let max_usd = p.hourly_on_demand_usd.iter().copied().fold(0.0, f64::max);
    let ticks = nice_ticks(0.0, max_usd, 3);
    let top_usd = ticks.last().copied().unwrap_or(max_usd).max(max_usd);
    let max_nodes = f64::from(p.hourly_nodes.iter().copied().max().unwrap_or(0)).max(1.0);
    let x = Scale::new(0.0, hours, LEFT, W - RIGHT);
    let y = Scale::new(0.0, top_usd, H - BOTTOM, TOP);
    let yn = Scale::new(0.0, max_nodes, H - BOTTOM, TOP);
    let bar_w = (x.map(1.0) - x.map(0.0)).max(0.5);
    let nodes: Vec<(f64, f64)> =
        p.hourly_nodes.iter().enumerate().map(|(h, n)| (h as f64 + 0.5, f64::from(*n))).collect();
    let peak = f64::from(p.peak_hour);
    let label = format!("On-demand compute cost per hour over the week; peak {}", hour_of_week(p.peak_hour));
    view! {
        <svg class="profile-chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label>
            <g class="grid">
                {ticks.iter().map(|t| {
                    let py = y.map(*t);
                    view! {
                        <line x1=LEFT.to_string() x2=(W - RIGHT).to_string() y1=format!("{py:.1}") y2=format!("{py:.1}") />
                        <text class="tick" x=(LEFT - 6.0).to_string() y=format!("{:.1}", py + 4.0) text-anchor="end">{format!("${}/h", trim(*t, 3))}</text>
                    }
                }).collect_view()}
                {(0..7).map(|d| {
                    let px = x.map(f64::from(d * 24));
                    view! {
                        <line x1=format!("{px:.1}") x2=format!("{px:.1}") y1=TOP.to_string() y2=(H - BOTTOM).to_string() />
                        <text class="tick" x=format!("{:.1}", px + 3.0) y=(H - BOTTOM + 14.0).to_string()>{hour_of_week(d * 24)[..3].to_string()}</text>
                    }
                }).collect_view()}
                {has_nodes.then(|| view! {
                    <text class="tick" x=(W - RIGHT + 4.0).to_string() y=format!("{:.1}", yn.map(max_nodes) + 4.0)>{max_nodes.to_string()}</text>
                    <text class="tick" x=(W - RIGHT + 4.0).to_string() y=format!("{:.1}", yn.map(0.0) + 4.0)>"0"</text>
                })}
            </g>
            {p.hourly_on_demand_usd.iter().enumerate().map(|(h, usd)| {
                let top = y.map(*usd);
                view! {
                    <rect class="hour" class:peak=h as u32 == p.peak_hour x=format!("{:.2}", x.map(h as f64)) y=format!("{top:.1}")
                        width=format!("{:.2}", bar_w * 0.85) height=format!("{:.1}", (H - BOTTOM - top).max(0.0))>
                        <title>{format!("{}: ${usd:.2}/h", hour_of_week(h as u32))}</title>
                    </rect>
                }
            }).collect_view()}
            {has_nodes.then(|| view! {
                <polyline class="nodes-line" fill="none" points=polyline(&nodes, x, yn)><title>"Nodes"</title></polyline>
            })}
            <g class="marker peak">
                <line x1=format!("{:.1}", x.map(peak + 0.5)) x2=format!("{:.1}", x.map(peak + 0.5)) y1=TOP.to_string() y2=(H - BOTTOM).to_string() />
                <text x=format!("{:.1}", (x.map(peak + 0.5) + 4.0).min(W - RIGHT - 90.0)) y=(TOP - 5.0).to_string()>
                    {format!("peak {}", hour_of_week(p.peak_hour))}
                </text>
            </g>
        </svg>
        <ul class="legend">
            <li><span class="swatch profile-cost"></span>"on-demand cost per hour"</li>
            {has_nodes.then(|| view! { <li><span class="swatch line profile-nodes"></span>"nodes (right axis)"</li> })}
        </ul>
    }
}

/// The 168 hours as rows.
fn table(id: &'static str, p: &ProfileSummary) -> impl IntoView {
    view! {
        <div class="scroll">
            <table data-testid=format!("profile-{id}-table")>
                <thead><tr><th>"hour"</th><th class="num">"on-demand cost"</th><th class="num">"nodes"</th></tr></thead>
                <tbody>
                    {p.hourly_on_demand_usd.iter().enumerate().map(|(h, usd)| view! {
                        <tr class:chosen=h as u32 == p.peak_hour>
                            <td>{hour_of_week(h as u32)}{(h as u32 == p.peak_hour).then_some(" (peak)")}</td>
                            <td class="num">{format!("${usd:.2}/h")}</td>
                            <td class="num">{p.hourly_nodes.get(h).copied().unwrap_or(0)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
