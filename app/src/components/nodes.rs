//! The node plan of each option as an engineer reads it: pools by instance type (spot or per
//! process where the plan splits them), nodes per availability zone, every node's packing, how
//! compute follows the week where the import has a profile, what one node offers, the gap to
//! the lower bound; and Fargate task sizes where there are no nodes.

use super::packing_picture::PackingPicture;
use super::profile::ProfileChart;
use super::utilization::UtilizationBars;
use crate::human::{gib, per_hour, vcpu, zone};
use crate::packing::requests;
use crate::MaybeReport;
use leptos::prelude::*;
use std::collections::BTreeMap;
use tco_engine::format::usd;
use tco_engine::report::{NodeCount, OptionEstimate};
use tco_engine::sizing::Request;

/// One block per option.
#[component]
pub fn NodePlans(report: MaybeReport) -> impl IntoView {
    view! {
        <section class="panel engineering-only node-plans" data-testid="node-plans">
            <h2>"Node plans and utilization"</h2>
            <div class="plans">
                {move || report.get().map(|r| {
                    let measured_today = r.current.utilization_measured;
                    let requests = requests(&r.requests);
                    r.options.into_iter().map(|o| view! {
                        <Plan option=o measured_today=measured_today requests=requests.clone() />
                    }).collect_view()
                })}
            </div>
        </section>
    }
}

#[component]
fn Plan(
    option: OptionEstimate,
    measured_today: Option<tco_engine::report::Utilization>,
    requests: BTreeMap<String, Request>,
) -> impl IntoView {
    let o = option;
    let id = crate::human::option_id(&o);
    let zones = o.availability_zones as usize;
    let gap = match (o.lower_bound_monthly_usd, o.gap_to_lower_bound_pct) {
        (Some(bound), Some(gap)) => {
            format!(
                "Lower bound for these nodes: {}/month on demand; this plan is {gap:.1}% above it. No plan can \
                 cost less: fractional nodes of the cheapest types holding the CPU and memory asked, counting \
                 how many whole replicas (and pods) a node holds and what each zone must hold on its own.",
                usd(bound)
            )
        }
        _ => "No lower bound for this option (no node plan to bound).".into(),
    };
    view! {
        <article class="plan" data-testid=format!("plan-{id}")>
            <h3>{o.label.clone()}</h3>
            {(!o.nodes.is_empty()).then(|| view! {
                <table class="pools" data-testid=format!("plan-{id}-pools")>
                    <thead>
                        <tr>
                            <th>"pool"</th><th class="num">"price"</th>
                            {(0..zones).map(|z| view! { <th class="num">{zone(z)}</th> }).collect_view()}
                            <th class="num">"nodes"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {o.nodes.iter().map(|n| pool_row(n, zones)).collect_view()}
                    </tbody>
                </table>
            })}
            {o.node_allocatable.map(|s| view! {
                <p class="allocatable">
                    "Each node offers " {vcpu(s.cpu_millicores)} " and " {gib(s.memory_mib)} " to containers"
                    {s.max_pods.map(|p| format!(", at most {p} pods"))} "."
                </p>
            })}
            {(!o.placements.is_empty()).then(|| view! { <PackingPicture id=id placements=o.placements.clone() requests=requests /> })}
            {o.profile.clone().map(|p| view! { <ProfileChart id=id profile=p /> })}
            <p class="gap" data-testid=format!("plan-{id}-gap")>{gap}</p>
            {(o.alternatives.len() > 1).then(|| view! {
                <table class="alternatives" data-testid=format!("plan-{id}-alternatives")>
                    <caption>"One instance type for everything, on demand: what else would do"</caption>
                    <thead><tr><th>"instance type"</th><th class="num">"nodes"</th><th class="num">"USD per month"</th></tr></thead>
                    <tbody>
                        {o.alternatives.iter().map(|x| view! {
                            <tr>
                                <td>{x.instance_type.clone()}</td>
                                <td class="num">{x.nodes}</td>
                                <td class="num">{usd(x.monthly_usd)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="hint">"Every type's shape and price: the Instance explorer tab."</p>
            })}
            {(!o.fargate_tasks.is_empty()).then(|| view! {
                <table class="tasks" data-testid=format!("plan-{id}-tasks")>
                    <thead><tr><th>"process"</th><th class="num">"task size"</th><th class="num">"tasks"</th><th class="num">"per task"</th></tr></thead>
                    <tbody>
                        {o.fargate_tasks.iter().map(|t| view! {
                            <tr>
                                <td>{t.process.clone()}</td>
                                <td class="num">{format!("{} · {}", vcpu(t.cpu_millicores), gib(t.memory_mib))}</td>
                                <td class="num">{t.tasks}</td>
                                <td class="num">{per_hour(t.usd_per_task_hour)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <UtilizationBars requested=o.utilization measured=o.utilization_measured measured_today=measured_today
                fargate=o.platform.is_fargate() />
        </article>
    }
}

/// A pool: its type, whether it is spot, whom it serves, and nodes per zone.
fn pool_row(n: &NodeCount, zones: usize) -> impl IntoView {
    view! {
        <tr>
            <td>
                {n.instance_type.clone()}
                {n.spot.then(|| view! { " " <span class="badge spot">"spot"</span> })}
                {n.serves.clone().map(|p| view! { <span class="serves">{format!(" for {p}")}</span> })}
            </td>
            <td class="num">{per_hour(n.usd_per_hour)}</td>
            {(0..zones).map(|z| view! { <td class="num">{n.per_zone.get(z).copied().unwrap_or(0)}</td> }).collect_view()}
            <td class="num">{n.count}</td>
        </tr>
    }
}
