//! Every node of a plan and what is packed on it: per zone, one small bar per node whose
//! coloured segments are its processes' requests (CPU or memory, the user's pick), with the
//! type and fill beside it. A table lists the same nodes, as the picture's text equivalent.
//! Large plans draw the first nodes and count the rest, so the page stays responsive.

use crate::human::{gib, vcpu, zone};
use crate::packing::{drawn_by_zone, parts, process_order, Dimension, MAX_DRAWN};
use leptos::prelude::*;
use std::collections::BTreeMap;
use tco_engine::format::ratio_pct;
use tco_engine::report::NodePlacement;
use tco_engine::sizing::Request;

/// Colours the palette cycles through (`p-0`…`p-9` in the stylesheet).
const COLOURS: usize = 10;

/// The picture (or table) of one option's placements.
#[component]
pub fn PackingPicture(
    id: &'static str,
    placements: Vec<NodePlacement>,
    requests: BTreeMap<String, Request>,
) -> impl IntoView {
    let dim = RwSignal::new(Dimension::default());
    let as_table = RwSignal::new(false);
    let order = process_order(&placements);
    let (zones, hidden) = drawn_by_zone(&placements, MAX_DRAWN);
    let total = placements.len();
    let placements = StoredValue::new(placements);
    let requests = StoredValue::new(requests);
    let order_sv = StoredValue::new(order.clone());
    let zones = StoredValue::new(zones);
    view! {
        <div class="packing" data-testid=format!("packing-{id}")>
            <div class="chart-head">
                <h4>{format!("Packing: {total} node{}", if total == 1 { "" } else { "s" })}</h4>
                <span class="switch" role="group" aria-label="Bar lengths show">
                    {[Dimension::Cpu, Dimension::Memory].into_iter().map(|d| view! {
                        <button type="button" class="toggle-table" data-testid=format!("packing-{id}-{}", d.label().to_lowercase())
                            aria-pressed=move || (dim.get() == d).to_string() on:click=move |_| dim.set(d)>{d.label()}</button>
                    }).collect_view()}
                    <button type="button" class="toggle-table" data-testid=format!("packing-{id}-table-toggle")
                        aria-pressed=move || as_table.get().to_string() on:click=move |_| as_table.update(|t| *t = !*t)>
                        {move || if as_table.get() { "Picture" } else { "Table" }}
                    </button>
                </span>
            </div>
            <ul class="legend">
                {order.into_iter().enumerate().map(|(i, p)| view! {
                    <li><span class=format!("swatch p-{}", i % COLOURS)></span>{p}</li>
                }).collect_view()}
            </ul>
            {move || {
                let d = dim.get();
                if as_table.get() {
                    placements.with_value(|ps| zones.with_value(|zs| table(id, ps, zs))).into_any()
                } else {
                    placements.with_value(|ps| requests.with_value(|rs| order_sv.with_value(|order| zones.with_value(|zs| {
                        picture(id, ps, zs, d, rs, order)
                    })))).into_any()
                }
            }}
            {(hidden > 0).then(|| view! {
                <p class="hint" data-testid=format!("packing-{id}-more")>{format!("and {hidden} more nodes, not drawn")}</p>
            })}
        </div>
    }
}

/// Zone rows of node bars.
fn picture(
    id: &'static str,
    placements: &[NodePlacement],
    zones: &[(u32, Vec<usize>)],
    dim: Dimension,
    requests: &BTreeMap<String, Request>,
    order: &[String],
) -> impl IntoView {
    zones
        .iter()
        .map(|(z, nodes)| {
            let bars = nodes
                .iter()
                .map(|i| {
                    let n = &placements[*i];
                    let (fill, parts) = parts(n, dim, requests, order);
                    let on_it: Vec<String> =
                        n.replicas.iter().map(|r| format!("{} × {}", r.count, r.process)).collect();
                    let title = format!(
                        "{}{}, {}: {}. {} {} of allocatable",
                        n.instance_type,
                        if n.spot { " (spot)" } else { "" },
                        zone(*z as usize),
                        on_it.join(", "),
                        dim.label(),
                        ratio_pct(fill)
                    );
                    let label = title.clone();
                    view! {
                        <div class="pack-node" class:spot=n.spot data-testid=format!("packing-{id}-node") title=title>
                            <span class="pack-bar" role="img" aria-label=label>
                                {parts.into_iter().map(|p| view! {
                                    <span class=format!("pack-seg p-{}", p.colour % COLOURS)
                                        style:width=format!("{:.2}%", p.share * 100.0)></span>
                                }).collect_view()}
                            </span>
                            <span class="pack-type">{n.instance_type.clone()}</span>
                            <span class="pack-fill">{ratio_pct(fill)}</span>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <div class="zone">
                    <span class="zone-name">{zone(*z as usize)}</span>
                    <div class="pack-nodes">{bars}</div>
                </div>
            }
        })
        .collect_view()
}

/// The drawn nodes as rows: zone, type, requested and allocatable, replicas.
fn table(id: &'static str, placements: &[NodePlacement], zones: &[(u32, Vec<usize>)]) -> impl IntoView {
    view! {
        <div class="scroll">
            <table class="packing-table" data-testid=format!("packing-{id}-table")>
                <thead>
                    <tr><th>"zone"</th><th>"type"</th><th class="num">"CPU requested / allocatable"</th>
                        <th class="num">"memory requested / allocatable"</th><th>"replicas"</th></tr>
                </thead>
                <tbody>
                    {zones.iter().flat_map(|(z, nodes)| nodes.iter().map(move |i| (*z, *i))).map(|(z, i)| {
                        let n = &placements[i];
                        let on_it: Vec<String> = n.replicas.iter().map(|r| format!("{} × {}", r.count, r.process)).collect();
                        view! {
                            <tr>
                                <td>{zone(z as usize)}</td>
                                <td>{n.instance_type.clone()}{n.spot.then_some(" (spot)")}</td>
                                <td class="num">{format!("{} / {}", vcpu(n.cpu_requested_millicores), vcpu(n.cpu_allocatable_millicores))}</td>
                                <td class="num">{format!("{} / {}", gib(n.memory_requested_mib), gib(n.memory_allocatable_mib))}</td>
                                <td>{on_it.join(", ")}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
