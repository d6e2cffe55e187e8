//! The side-by-side totals: today on Heroku, and each AWS option.

use crate::MaybeReport;
use leptos::prelude::*;
use tco_engine::format::{node_plan, ratio_pct, usd};

/// One card per platform, today first.
#[component]
pub fn Summary(report: MaybeReport) -> impl IntoView {
    view! {
        <section class="summary">
            {move || report.get().map(|r| {
                let current = r.current.clone();
                let options = r.options.clone();
                view! {
                    <article class="card current">
                        <h2>"Today on Heroku"</h2>
                        <p class="total" data-testid="heroku-total">{usd(current.monthly_usd)}</p>
                        <p class="unit">"USD per month"</p>
                        <ul class="breakdown">
                            {current.breakdown.iter().map(|l| view! {
                                <li><span>{l.category.clone()}</span><span>{usd(l.monthly_usd)}</span></li>
                            }).collect_view()}
                        </ul>
                    </article>
                    {options.into_iter().map(|o| {
                        let id = o.platform.as_str();
                        view! {
                            <article class="card option" data-testid=format!("option-{id}")>
                                <h2>{o.label.clone()} <small>{format!(" · {}", o.region)}</small></h2>
                                <p class="total" data-testid=format!("option-{id}-total")>{usd(o.monthly_usd)}</p>
                                <p class="unit">"USD per month"</p>
                                <p class="nodes" data-testid=format!("option-{id}-nodes")>
                                    {node_plan(&o.nodes)} {format!(" over {} AZs", o.availability_zones)}
                                </p>
                                <p class="util">
                                    "CPU " {ratio_pct(o.utilization.cpu)} " · memory " {ratio_pct(o.utilization.memory)}
                                    " requested of allocatable"
                                </p>
                                <p class="savings">
                                    {o.savings_vs_current_pct
                                        .map(|p| if p >= 0.0 { format!("{p:.1}% less than today") } else { format!("{:.1}% more than today", -p) })
                                        .unwrap_or_default()}
                                </p>
                                <ul class="breakdown">
                                    {o.breakdown.iter().map(|l| view! {
                                        <li><span>{l.category.clone()}</span><span>{usd(l.monthly_usd)}</span></li>
                                    }).collect_view()}
                                </ul>
                            </article>
                        }
                    }).collect_view()}
                }
            })}
        </section>
    }
}
