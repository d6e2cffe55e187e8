//! The same plan under every pricing model that applies: compute and total per month, with the
//! upfront payment in its own column (it is amortized in the monthly figures, not added again),
//! and which rates rest on an assumption rather than a catalog price.

use crate::MaybeReport;
use leptos::prelude::*;
use tco_engine::format::usd;
use tco_engine::report::OptionEstimate;

/// A table per option.
#[component]
pub fn PricingModels(report: MaybeReport) -> impl IntoView {
    view! {
        <section class="panel finance-only pricing-models-panel" data-testid="pricing-models">
            <h2>"Pricing models"</h2>
            <p class="hint">"Pick the model the totals use under Assumptions → Pricing model."</p>
            <div class="model-tables">
                {move || report.get().map(|r| r.options.into_iter().map(|o| view! { <ModelTable option=o /> }).collect_view())}
            </div>
        </section>
    }
}

#[component]
fn ModelTable(option: OptionEstimate) -> impl IntoView {
    let o = option;
    let id = crate::human::option_id(&o);
    let chosen = o.pricing_model;
    view! {
        <article data-testid=format!("models-{id}")>
            <h3>{o.label.clone()}</h3>
            <table class="models">
                <thead>
                    <tr><th>"model"</th><th class="num">"compute, USD/month"</th><th class="num">"total, USD/month"</th><th class="num">"upfront, USD"</th><th>"basis"</th></tr>
                </thead>
                <tbody>
                    {o.by_pricing_model.into_iter().map(|m| view! {
                        <tr class:chosen=m.model == chosen data-testid=format!("models-{id}-{}", m.model.as_str())>
                            <td>{m.label.clone()} {(m.model == chosen).then_some(" (in totals)")}</td>
                            <td class="num">{usd(m.compute_monthly_usd)}</td>
                            <td class="num">{usd(m.monthly_usd)}</td>
                            <td class="num">{usd(m.upfront_usd)}</td>
                            <td class="basis">
                                {m.assumed.then(|| view! { <span class="badge assumption">"assumption"</span> " " })}
                                {m.basis.clone()}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </article>
    }
}
