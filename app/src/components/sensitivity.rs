//! Which assumptions move the savings most: per option, a tornado of monthly savings with each
//! key assumption 20% lower and 20% higher, widest swing on top, and the same rows as a table.

use super::charts::{Tornado, TornadoRow};
use crate::human::{per_month, to_f64};
use crate::MaybeReport;
use leptos::prelude::*;
use tco_engine::format::usd;
use tco_engine::report::OptionEstimate;

/// A tornado (or table) per option.
#[component]
pub fn SensitivitySection(report: MaybeReport) -> impl IntoView {
    let as_table = RwSignal::new(false);
    view! {
        <section class="panel finance-only sensitivity" data-testid="sensitivity">
            <div class="chart-head">
                <h2>"What moves the savings"</h2>
                <button type="button" class="toggle-table" data-testid="sensitivity-table-toggle"
                    aria-pressed=move || as_table.get().to_string() on:click=move |_| as_table.update(|t| *t = !*t)>
                    {move || if as_table.get() { "Chart" } else { "Table" }}
                </button>
            </div>
            <p class="hint">
                "Monthly savings after operations effort, with each assumption 20% lower (light) and 20% higher (dark); the line is the estimate."
            </p>
            <div class="tornados">
                {move || report.get().map(|r| r.options.into_iter().map(|o| {
                    let table = as_table.get();
                    view! { <OptionSensitivity option=o table=table /> }
                }).collect_view())}
            </div>
        </section>
    }
}

/// One option's tornado, or its table.
#[component]
pub fn OptionSensitivity(option: OptionEstimate, table: bool) -> impl IntoView {
    let o = option;
    let id = crate::human::option_id(&o);
    let base = o.tco.monthly_savings_usd;
    let figures = if table {
        view! {
            <table data-testid=format!("sensitivity-{id}-table")>
                <thead><tr><th>"assumption"</th><th class="num">"20% lower"</th><th class="num">"20% higher"</th><th class="num">"swing"</th></tr></thead>
                <tbody>
                    {o.sensitivity.iter().map(|s| view! {
                        <tr>
                            <td>{s.assumption.clone()}</td>
                            <td class="num">{usd(s.savings_at_low_usd)}</td>
                            <td class="num">{usd(s.savings_at_high_usd)}</td>
                            <td class="num">{usd(s.swing_usd)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    } else {
        let rows: Vec<TornadoRow> = o
            .sensitivity
            .iter()
            .map(|s| TornadoRow {
                label: s.assumption.clone(),
                low: to_f64(s.savings_at_low_usd),
                high: to_f64(s.savings_at_high_usd),
            })
            .collect();
        view! {
            <Tornado rows=rows base=to_f64(base)
                label=format!("{}: monthly savings as each assumption moves 20% either way", o.label) />
        }
        .into_any()
    };
    view! {
        <article class="option-sensitivity" data-testid=format!("sensitivity-{id}")>
            <h3>{o.label.clone()} <small>{format!(" · estimate {}", per_month(base))}</small></h3>
            {figures}
        </article>
    }
}
