//! Generations side by side: the same replicas planned on each generation family group for
//! every node target (on-demand nodes of the plan shown, the target's cheapest marked), beside
//! the option's own plan, with a switch for images built for arm64 (Graviton groups). Every
//! figure is the report's.

use super::fields::edit;
use crate::MaybeReport;
use leptos::prelude::*;
use tco_engine::catalog::Arch;
use tco_engine::format::usd;
use tco_engine::Scenario;

/// The Generations view.
#[component]
pub fn GenerationsView(scenario: RwSignal<Option<Scenario>>, report: MaybeReport, read_only: bool) -> impl IntoView {
    let has =
        move |f: fn(&tco_engine::Assumptions) -> bool| scenario.with(|s| s.as_ref().is_some_and(|s| f(&s.assumptions)));
    view! {
        <section class="panel generations-view" data-testid="generations-view">
            <h2>"Generations side by side"</h2>
            <p class="hint">
                "The plan's replicas (the peak hour's with a profile) on each family group, sizes large to 8xlarge, in the \
                 first region: nodes on-demand, USD per month, without supporting lines; the first row is your candidate list."
            </p>
            <Show when=move || !read_only>
                <label class="check">
                    <input type="checkbox" data-testid="compare-generations" prop:checked=move || has(|a| a.compare_generations)
                        on:change=move |ev| { let on = event_target_checked(&ev); edit(scenario, |a| a.compare_generations = on) } />
                    <span>"Compare generations"</span>
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="generations-arm64" prop:checked=move || has(|a| a.architectures.contains(&Arch::Arm64))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            edit(scenario, |a| {
                                a.architectures.retain(|x| *x != Arch::Arm64);
                                if on {
                                    a.architectures.push(Arch::Arm64);
                                }
                            })
                        } />
                    <span>"Images built for arm64 too (Graviton)"</span>
                </label>
            </Show>
            {move || report.get().map(|r| {
                let targets: Vec<_> = r.generations.first().map(|g| g.targets.iter().map(|c| c.platform).collect()).unwrap_or_default();
                view! {
                    <table class="matrix" data-testid="generations-matrix">
                        <thead>
                            <tr>
                                <th>"generation"</th>
                                {targets.iter().map(|p| view! { <th class="num">{p.label()}</th> }).collect_view()}
                                <th>"note"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {r.generations.into_iter().map(|g| {
                                let key = g.group.replace(['/', ' '], "-");
                                let note = g.skipped.clone().unwrap_or_else(|| {
                                    if g.lacking_families.is_empty() { String::new() } else { format!("no {} price here", g.lacking_families.join(", ")) }
                                });
                                view! {
                                    <tr data-testid=format!("generations-{key}") class:skipped=g.skipped.is_some()>
                                        <th scope="row">{g.group.clone()}</th>
                                        {targets.iter().map(|p| {
                                            let cell = g.targets.iter().find(|c| c.platform == *p);
                                            let cheapest = cell.is_some_and(|c| c.cheapest);
                                            let plan = cell.map(|c| c.plan.clone()).unwrap_or_default();
                                            let text = cell.map_or_else(|| "–".into(), |c| {
                                                format!("{} · {} nodes{}", usd(c.compute_monthly_usd), c.nodes, if c.cheapest { " ★" } else { "" })
                                            });
                                            view! {
                                                <td class="num" class:cheapest=cheapest
                                                    data-testid=format!("generations-{key}-{}", p.as_str()) title=plan>
                                                    {text}
                                                </td>
                                            }
                                        }).collect_view()}
                                        <td class="note">{note}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </section>
    }
}
