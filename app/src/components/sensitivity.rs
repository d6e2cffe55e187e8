//! Which assumptions move the savings most: per option, a tornado of monthly savings with each
//! key assumption at either end of its range (the band's; 20% either way where none is
//! stated), widest swing on top, and the same rows as a table.

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
                "Monthly savings after operations effort with each assumption at the low (light) and the high (dark) end of its range — the band's range, or 20% either way where none is stated; the line is the estimate."
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

/// The tornado's rows: each assumption's savings at its two ends, labelled with the values.
pub fn tornado_rows(o: &OptionEstimate) -> Vec<TornadoRow> {
    o.sensitivity
        .iter()
        .map(|s| TornadoRow {
            label: s.assumption.clone(),
            low: to_f64(s.savings_at_low_usd),
            high: to_f64(s.savings_at_high_usd),
            at_low: s.at_low.clone(),
            at_high: s.at_high.clone(),
        })
        .collect()
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
                <thead><tr><th>"assumption"</th><th class="num">"at its low end"</th><th class="num">"at its high end"</th><th class="num">"swing"</th></tr></thead>
                <tbody>
                    {o.sensitivity.iter().map(|s| view! {
                        <tr>
                            <td>{s.assumption.clone()}{s.in_band.then_some(" (in the band)")}</td>
                            <td class="num">{format!("{} at {}", usd(s.savings_at_low_usd), s.at_low)}</td>
                            <td class="num">{format!("{} at {}", usd(s.savings_at_high_usd), s.at_high)}</td>
                            <td class="num">{usd(s.swing_usd)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    } else {
        view! {
            <Tornado rows=tornado_rows(&o) base=to_f64(base)
                label=format!("{}: monthly savings as each assumption moves over its range", o.label) />
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
