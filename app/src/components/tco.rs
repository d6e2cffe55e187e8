//! Cost of ownership over time for finance: cumulative cost of staying vs. each option month by
//! month, the break-even month marked, 12- and 36-month totals, one-time and operations costs.

use super::charts::{LineChart, Marker, Series};
use crate::human::{break_even, per_month, to_f64};
use crate::MaybeReport;
use leptos::prelude::*;
use tco_engine::format::usd;
use tco_engine::Report;

/// The chart (or its month-by-month table) and the totals per option.
#[component]
pub fn CostOfOwnership(report: MaybeReport) -> impl IntoView {
    let as_table = RwSignal::new(false);
    view! {
        <section class="panel finance-only tco" data-testid="tco">
            <div class="chart-head">
                <h2>"Cost of ownership over time"</h2>
                <button type="button" class="toggle-table" data-testid="tco-table-toggle"
                    aria-pressed=move || as_table.get().to_string() on:click=move |_| as_table.update(|t| *t = !*t)>
                    {move || if as_table.get() { "Chart" } else { "Table" }}
                </button>
            </div>
            <p class="hint">
                "Cumulative USD: staying on today's platform against moving, with migration, parallel running and operations effort included."
            </p>
            {move || report.get().map(|r| {
                let figures = if as_table.get() { month_table(&r).into_any() } else { tco_chart(&r).into_any() };
                view! { {figures} {totals(&r)} }
            })}
        </section>
    }
}

/// Lines: today, then one per option; a marker at each break-even month. Presentation mode
/// shows the same chart.
pub fn tco_chart(r: &Report) -> impl IntoView {
    let horizon = r.options.first().map(|o| o.tco.months.len()).unwrap_or(0);
    let mut series = Vec::new();
    if let Some(first) = r.options.first() {
        series.push(Series {
            name: "Stay on today's platform".into(),
            class: "s-current".into(),
            points: first.tco.months.iter().map(|m| (f64::from(m.month), to_f64(m.current_usd))).collect(),
        });
    }
    let mut markers = Vec::new();
    for (i, o) in r.options.iter().enumerate() {
        series.push(Series {
            name: o.label.clone(),
            class: format!("s-{i}"),
            points: o.tco.months.iter().map(|m| (f64::from(m.month), to_f64(m.option_usd))).collect(),
        });
        if let Some(m) = o.tco.break_even_month {
            markers.push(Marker {
                x: f64::from(m),
                label: format!("{}: break-even, month {m}", o.label),
                class: format!("s-{i}"),
            });
        }
    }
    let legend: Vec<(String, String)> = series.iter().map(|s| (s.class.clone(), s.name.clone())).collect();
    let never: Vec<String> = r
        .options
        .iter()
        .filter(|o| o.tco.break_even_month.is_none())
        .map(|o| format!("{}: {}", o.label, break_even(None, horizon)))
        .collect();
    view! {
        <div data-testid="tco-chart">
            <LineChart series=series markers=markers x_unit="month"
                label=format!("Cumulative cost over {horizon} months, staying against each option") />
            <ul class="legend lines">
                {legend.into_iter().map(|(class, name)| view! { <li><span class=format!("swatch line {class}")></span>{name}</li> }).collect_view()}
            </ul>
            {(!never.is_empty()).then(|| view! { <p class="never">"No break-even: " {never.join("; ")}</p> })}
        </div>
    }
}

/// The chart's figures, month by month.
fn month_table(r: &Report) -> impl IntoView {
    let months = r.options.first().map(|o| o.tco.months.len()).unwrap_or(0);
    view! {
        <div class="scroll">
            <table data-testid="tco-months">
                <thead>
                    <tr>
                        <th>"month"</th><th class="num">"stay, cumulative USD"</th>
                        {r.options.iter().map(|o| view! { <th class="num">{format!("{}, cumulative USD", o.label)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {(0..months).map(|i| view! {
                        <tr>
                            <td>{i + 1}</td>
                            <td class="num">{r.options.first().map(|o| usd(o.tco.months[i].current_usd))}</td>
                            {r.options.iter().map(|o| view! {
                                <td class="num">{o.tco.months.get(i).map(|m| usd(m.option_usd))}</td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One-time, recurring and horizon totals per option.
fn totals(r: &Report) -> impl IntoView {
    let horizon = r.options.first().map(|o| o.tco.months.len()).unwrap_or(0);
    view! {
        <table class="tco-totals" data-testid="tco-totals">
            <thead>
                <tr>
                    <th scope="col">"Per option"</th>
                    {r.options.iter().map(|o| view! { <th scope="col" class="num">{o.label.clone()}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                <tr><th>"One-time migration"</th>{r.options.iter().map(|o| view! {
                    <td class="num" title=format!("engineering {} + outside services", usd(o.tco.migration_engineering_usd))>{usd(o.tco.one_time_usd)}</td>
                }).collect_view()}</tr>
                <tr><th>"Parallel run (today's bill meanwhile)"</th>{r.options.iter().map(|o| view! { <td class="num">{usd(o.tco.parallel_run_usd)}</td> }).collect_view()}</tr>
                <tr><th>"Commitments paid upfront"</th>{r.options.iter().map(|o| view! { <td class="num">{usd(o.upfront_usd)}</td> }).collect_view()}</tr>
                <tr><th>"Extra operations effort"</th>{r.options.iter().map(|o| view! { <td class="num">{per_month(o.tco.ops_monthly_usd)}</td> }).collect_view()}</tr>
                <tr><th>"Savings after operations effort"</th>{r.options.iter().map(|o| view! {
                    <td class="num" class:negative=o.tco.monthly_savings_usd.amount().is_sign_negative()>{per_month(o.tco.monthly_savings_usd)}</td>
                }).collect_view()}</tr>
                <tr><th>"12 months: stay / move"</th>{r.options.iter().map(|o| view! {
                    <td class="num">{usd(o.tco.months_12.current_usd)} " / " {usd(o.tco.months_12.option_usd)}</td>
                }).collect_view()}</tr>
                <tr><th>"12 months: saved"</th>{r.options.iter().map(|o| view! {
                    <td class="num" class:negative=o.tco.months_12.savings_usd.amount().is_sign_negative()
                        data-testid=format!("tco12-{}", crate::human::option_id(o))>{usd(o.tco.months_12.savings_usd)}</td>
                }).collect_view()}</tr>
                <tr><th>"36 months: stay / move"</th>{r.options.iter().map(|o| view! {
                    <td class="num">{usd(o.tco.months_36.current_usd)} " / " {usd(o.tco.months_36.option_usd)}</td>
                }).collect_view()}</tr>
                <tr><th>"36 months: saved"</th>{r.options.iter().map(|o| view! {
                    <td class="num" class:negative=o.tco.months_36.savings_usd.amount().is_sign_negative()
                        data-testid=format!("tco36-{}", crate::human::option_id(o))>{usd(o.tco.months_36.savings_usd)}</td>
                }).collect_view()}</tr>
                <tr><th>"Break-even"</th>{r.options.iter().map(|o| view! {
                    <td class="num" data-testid=format!("breakeven-{}", crate::human::option_id(o))>{break_even(o.tco.break_even_month, horizon)}</td>
                }).collect_view()}</tr>
            </tbody>
        </table>
    }
}
