//! Regions side by side: the regions to compare (ticked here, the scenario's `regions`), each
//! target's monthly total in each (the target's cheapest region marked), the date of each
//! region's EC2 prices, how many of the candidate types each lacks, and which of its prices
//! are us-east-1's standing in. Every figure is the report's.

use super::fields::edit;
use crate::MaybeReport;
use leptos::prelude::*;
use tco_engine::format::usd;
use tco_engine::Scenario;

/// The Regions view.
#[component]
pub fn RegionsView(
    scenario: RwSignal<Option<Scenario>>,
    report: MaybeReport,
    /// Why there is no report: a region's prices still loading, or an estimate error.
    status: Signal<Option<String>>,
    read_only: bool,
) -> impl IntoView {
    // Every region of the server's catalog (the home region until the list arrives).
    let all = RwSignal::new(vec![(tco_engine::catalog::HOME_REGION.to_string(), String::new())]);
    leptos::task::spawn_local(async move {
        if let Ok(list) = crate::regions::list().await {
            all.set(list.iter().map(|r| (r.region.clone(), crate::regions::label(r))).collect());
        }
    });
    let compared = move || scenario.with(|s| s.as_ref().map(|s| s.assumptions.estimated_regions()).unwrap_or_default());
    view! {
        <section class="panel regions-view" data-testid="regions-view">
            <h2>"Regions side by side"</h2>
            <p class="hint">
                "Each target estimated in each region on that region's own prices (USD per month, the scenario's pricing \
                 model). A type without a price in a region is not a candidate there: "
                <code>"tco pricing refresh --region R"</code>" fills it. Where a region's sources lack a supporting, \
                 Fargate or database price, us-east-1's stands in, labelled, and the band spans the region's range."
            </p>
            {move || status.get().map(|s| view! { <p class="hint" data-testid="regions-status">{s}</p> })}
            {move || report.get().map(|r| {
                let targets: Vec<_> = r.regions.first().map(|x| x.targets.iter().map(|c| c.platform).collect()).unwrap_or_default();
                view! {
                    <table class="matrix" data-testid="regions-matrix">
                        <thead>
                            <tr>
                                <th>"region"</th><th>"EC2 prices of"</th>
                                {targets.iter().map(|p| view! { <th class="num">{p.label()}</th> }).collect_view()}
                                <th>"candidate types it lacks"</th><th>"us-east-1 stand-ins"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {r.regions.into_iter().map(|x| {
                                let region = x.region.clone();
                                view! {
                                    <tr data-testid=format!("regions-{region}")>
                                        <th scope="row">{x.region.clone()}</th>
                                        <td>{x.prices_as_of.clone()}</td>
                                        {x.targets.iter().map(|c| view! {
                                            <td class="num" class:cheapest=c.cheapest
                                                data-testid=format!("regions-{region}-{}", c.platform.as_str())>
                                                {usd(c.monthly_usd)} {c.cheapest.then_some(" ★ cheapest")}
                                            </td>
                                        }).collect_view()}
                                        <td data-testid=format!("regions-{region}-lacking") title=x.note.clone().unwrap_or_default()>
                                            {if x.candidate_types_lacking == 0 {
                                                format!("none of {}", x.candidate_types)
                                            } else {
                                                format!("{} of {} ({})", x.candidate_types_lacking, x.candidate_types, x.lacking_families.join(", "))
                                            }}
                                        </td>
                                        <td data-testid=format!("regions-{region}-stand-ins") title=x.stand_ins.join("; ")>
                                            {x.stand_ins.len()}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
            <Show when=move || !read_only>
                <details class="region-picks" open=true>
                    <summary>"Regions to compare"</summary>
                    <div class="checks">
                        {move || all.get().into_iter().map(|(r, label)| {
                            let id = r.clone();
                            let on = {
                                let r = r.clone();
                                move || compared().contains(&r)
                            };
                            view! {
                                <label class="check" title=label>
                                    <input type="checkbox" data-testid=format!("compare-{r}") prop:checked=on
                                        on:change=move |_| edit(scenario, |a| a.regions = crate::regions::toggle(a, &id)) />
                                    <span>{r.clone()}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </details>
            </Show>
        </section>
    }
}
