//! A monthly cost broken down: a stacked bar by group with its legend, a table of the same
//! groups as the chart's text equivalent, and every line with the formula that made it.

use super::charts::{Segment, StackedBar};
use crate::geometry::by_group;
use crate::human::{per_month, to_f64, usd_compact};
use leptos::prelude::*;
use tco_engine::format::usd;
use tco_engine::report::{CostGroup, CostLine, SourceLine};
use tco_engine::Usd;

/// The bar (or its table) and the lines. `max` is the full-width value shared by every card.
#[component]
pub fn Breakdown(lines: Vec<CostLine>, max: f64, testid: String, sources: Vec<SourceLine>) -> impl IntoView {
    let as_table = RwSignal::new(false);
    let groups = by_group(lines.iter().map(|l| (l.group, to_f64(l.monthly_usd))));
    let group_totals: Vec<(CostGroup, Usd)> =
        groups.iter().map(|(g, _)| (*g, lines.iter().filter(|l| l.group == *g).map(|l| l.monthly_usd).sum())).collect();
    let segments: Vec<Segment> = group_totals
        .iter()
        .map(|(g, total)| Segment {
            group: *g,
            title: format!("{}: {}", g.label(), per_month(*total)),
            value: to_f64(*total),
        })
        .collect();
    let aria = group_totals
        .iter()
        .map(|(g, t)| format!("{} {}", g.label(), usd_compact(to_f64(*t))))
        .collect::<Vec<_>>()
        .join(", ");
    let table_rows = group_totals.clone();
    let (chart_id, toggle_id, groups_id, lines_id) = (
        format!("{testid}-breakdown"),
        format!("{testid}-table-toggle"),
        format!("{testid}-groups"),
        format!("{testid}-lines"),
    );
    view! {
        <div class="breakdown-chart" data-testid=chart_id>
            <div class="chart-head">
                <span class="chart-title">"By group, USD/month"</span>
                <button type="button" class="toggle-table" aria-pressed=move || as_table.get().to_string()
                    data-testid=toggle_id
                    on:click=move |_| as_table.update(|t| *t = !*t)>
                    {move || if as_table.get() { "Chart" } else { "Table" }}
                </button>
            </div>
            <Show when=move || !as_table.get()>
                <StackedBar segments=segments.clone() max=max label=format!("Monthly cost by group: {aria}") />
                <ul class="legend">
                    {group_totals.iter().map(|(g, _)| view! {
                        <li><span class=format!("swatch g-{g}")></span>{g.label()}</li>
                    }).collect_view()}
                </ul>
            </Show>
            <Show when=move || as_table.get()>
                <table class="groups" data-testid=groups_id.clone()>
                    <thead><tr><th>"group"</th><th class="num">"USD/month"</th></tr></thead>
                    <tbody>
                        {table_rows.iter().map(|(g, t)| view! {
                            <tr><td>{g.label()}</td><td class="num">{usd(*t)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
        </div>
        <ul class="breakdown" data-testid=lines_id>
            {lines.into_iter().map(|l| line(l, &sources)).collect_view()}
        </ul>
    }
}

/// One line; with a formula or prices it opens (click, Enter or Space) to show how it was
/// computed and the catalog rows it rests on, each with its source and date; hovering shows
/// the formula too.
fn line(l: CostLine, sources: &[SourceLine]) -> AnyView {
    let group = l.group;
    let rows: Vec<SourceLine> =
        l.sources.iter().filter_map(|item| sources.iter().find(|s| &s.item == item)).cloned().collect();
    if l.formula.is_none() && rows.is_empty() {
        return view! {
            <li>
                <span class="plain">
                    <span class=format!("swatch g-{group}")></span>
                    <span class="category">{l.category}</span>
                    <span class="amount">{usd(l.monthly_usd)}</span>
                </span>
            </li>
        }
        .into_any();
    }
    let hover = l.formula.clone().unwrap_or_else(|| l.category.clone());
    view! {
        <li title=hover>
            <details>
                <summary>
                    <span class=format!("swatch g-{group}")></span>
                    <span class="category">{l.category}</span>
                    <span class="amount">{usd(l.monthly_usd)}</span>
                </summary>
                {l.formula.map(|f| view! { <p class="formula">{f}</p> })}
                {(!rows.is_empty()).then(|| view! {
                    <ul class="line-sources">
                        {rows.into_iter().map(|s| view! {
                            <li class="line-source">
                                {format!("{}: ${} {}", s.item, s.usd.normalize(), s.unit)}
                                <span class="hint">{format!(" · {} · as of {}", s.source, s.as_of)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </details>
        </li>
    }
    .into_any()
}
