//! The assumptions an estimate rests on, grouped the way people think about them, each with
//! its default and an editable control. Every change recomputes the report in the page.

use super::addons::AddonTargets;
use super::architectures::Architectures;
use super::autoscaling::Autoscaling;
use super::discounts::Discounts;
use super::fields::{edit, NumberField, Toggle};
use super::people::PeopleInputs;
use super::services::SupportingServices;
use super::sizing_policy::SizingPolicyInputs;
use crate::human::trim;
use crate::MaybeReport;
use leptos::prelude::*;
use tco_engine::bill::CostBasis;
use tco_engine::scenario::{Headroom, DEFAULT_INSTANCE_TYPES};
use tco_engine::{HoursSizing, Platform, PricingModel, Scenario};

/// Every editable assumption, in fieldsets: targets, region, sizing, scaling, pricing,
/// discounts, supporting services, people.
#[component]
pub fn AssumptionsPanel(scenario: RwSignal<Option<Scenario>>, report: MaybeReport) -> impl IntoView {
    view! {
        <form class="assumptions" data-testid="assumptions" on:submit=|ev| ev.prevent_default()>
            <Targets scenario=scenario />
            <RegionAndZones scenario=scenario />
            <Sizing scenario=scenario />
            <Autoscaling scenario=scenario />
            <Pricing scenario=scenario />
            <Discounts scenario=scenario report=report />
            <SupportingServices scenario=scenario />
            <AddonTargets scenario=scenario report=report />
            <PeopleInputs scenario=scenario />
        </form>
    }
}

/// A checkbox per AWS target the engine can estimate.
#[component]
fn Targets(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Target platforms"</legend>
            <div class="checks">
                {Platform::ALL.into_iter().map(|p| view! {
                    <label class="toggle">
                        <input type="checkbox" data-testid=format!("target-{}", p.as_str())
                            prop:checked=move || scenario.with(|s| s.as_ref().is_some_and(|s| s.assumptions.targets.contains(&p)))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                edit(scenario, |a| {
                                    a.targets.retain(|t| *t != p);
                                    if on { a.targets.push(p) }
                                    a.targets.sort_by_key(|t| Platform::ALL.iter().position(|x| x == t));
                                });
                            } />
                        <span>{p.label()}</span>
                    </label>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// Region, zones and the billing month.
#[component]
fn RegionAndZones(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    // Every region of the server's catalog; the embedded (home) region until the list arrives.
    let embedded: Vec<(String, String)> =
        tco_pricing_data::embedded().regions().into_iter().map(|r| (r.to_string(), r.to_string())).collect();
    let regions = RwSignal::new(embedded);
    leptos::task::spawn_local(async move {
        if let Ok(list) = crate::regions::list().await {
            regions.set(list.iter().map(|r| (r.region.clone(), crate::regions::label(r))).collect());
        }
    });
    view! {
        <fieldset>
            <legend>"Region and availability"</legend>
            <label class="field">
                <span class="name">"Region"</span>
                <span class="control">
                    <select data-testid="region"
                        prop:value=move || scenario.with(|s| s.as_ref().map(|s| s.assumptions.region.clone()).unwrap_or_default())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            edit(scenario, |a| crate::regions::set_home(a, v));
                        }>
                        {move || regions.get().into_iter().map(|(r, label)| {
                            let chosen = scenario.with(|s| s.as_ref().is_some_and(|s| s.assumptions.region == r));
                            view! { <option value=r selected=chosen>{label}</option> }
                        }).collect_view()}
                    </select>
                </span>
            </label>
            <NumberField scenario=scenario label="Availability zones" testid="azs" min="1" max="6" step="1"
                unit="zones" hint="Replicas and nodes are spread round-robin over them. Default 3.".to_string()
                get=|a| a.availability_zones.to_string()
                set=|a, v| v.trim().parse().ok().filter(|n| (1..=6).contains(n)).map(|n| a.availability_zones = n).is_some() />
            <NumberField scenario=scenario label="Hours per month" testid="hours" min="1" max="744" step="1"
                unit="h" hint="730 = 365 × 24 / 12, always on.".to_string()
                get=|a| a.hours_per_month.to_string()
                set=|a, v| v.trim().parse().ok().filter(|n| (1..=744).contains(n)).map(|n| a.hours_per_month = n).is_some() />
        </fieldset>
    }
}

/// How the node plan sizes and packs: instance candidates and architectures, type mixing,
/// headroom, spares, container requests, reservations.
#[component]
fn Sizing(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    let types_invalid = RwSignal::new(false);
    view! {
        <fieldset>
            <legend>"Instances and sizing"</legend>
            <label class="field wide">
                <span class="name">"Instance types or families"</span>
                <input type="text" data-testid="instance-types" spellcheck="false" aria-invalid=move || types_invalid.get().to_string()
                    prop:value=move || scenario.with(|s| s.as_ref().map(|s| s.assumptions.instance_types.join(", ")).unwrap_or_default())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let list: Vec<String> = v.split([',', ' ']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect();
                        types_invalid.set(list.is_empty());
                        if !list.is_empty() { edit(scenario, |a| a.instance_types = list) }
                    } />
                <span class="hint">"Exact types (c5.2xlarge) or whole families (c5, m6i, m7g), comma-separated."</span>
            </label>
            <button type="button" class="link" data-testid="instance-types-reset"
                on:click=move |_| edit(scenario, |a| a.instance_types = DEFAULT_INSTANCE_TYPES.iter().map(|t| t.to_string()).collect())>
                "Use the default list (c5, m5, r5, c6i, m6i, r6i; large to 4xlarge)"
            </button>
            <Architectures scenario=scenario />
            <Toggle scenario=scenario label="A node pool may mix instance types" testid="mixed-instance-types"
                hint="Karpenter, EKS Auto Mode, ECS capacity providers over several groups. Off: one type per pool, like a managed node group."
                get=|a| a.mixed_instance_types set=|a, on| a.mixed_instance_types = on />
            <NumberField scenario=scenario label="Headroom: fill nodes up to" testid="headroom" min="5" max="100" step="5"
                unit="%" hint="Share of a node's allocatable CPU and memory the plan fills. Default 80%; 100% turns headroom off.".to_string()
                get=|a| trim(a.headroom.get() * 100.0, 2)
                set={|a, v| v.trim().parse::<f64>().ok().and_then(|p| Headroom::new(p / 100.0).ok()).map(|h| a.headroom = h).is_some()} />
            <Toggle scenario=scenario label="One spare node per zone" testid="spare-node"
                hint="For failover and rolling deploys."
                get=|a| a.spare_node_per_zone set=|a, on| a.spare_node_per_zone = on />
            <SizingPolicyInputs scenario=scenario />
            <NumberField scenario=scenario label="CPU per Heroku compute unit (assumption)" testid="millicores-per-unit"
                min="10" max="2000" step="10" unit="m"
                hint="Heroku publishes a compute multiplier, not vCPUs. Default 160 m: Standard-1X 160 m, Performance-L 8 vCPU.".to_string()
                get=|a| a.millicores_per_compute_unit.to_string()
                set=|a, v| v.trim().parse().ok().filter(|n| (10..=2000).contains(n)).map(|n| a.millicores_per_compute_unit = n).is_some() />
            <NumberField scenario=scenario label="ECS reserved memory per node" testid="ecs-reserved-memory" step="1" unit="MiB"
                hint="ECS_RESERVED_MEMORY, kept for the OS and agent. Default 256 MiB (the ECS docs' example).".to_string()
                get=|a| a.ecs_reserved_memory_mib.to_string()
                set=|a, v| v.trim().parse().ok().map(|n| a.ecs_reserved_memory_mib = n).is_some() />
            <NumberField scenario=scenario label="EKS DaemonSet CPU per node" testid="eks-daemonset-cpu" step="5" unit="m"
                hint="aws-node 25 m + kube-proxy 100 m by their manifests; add your log agent. Default 125 m.".to_string()
                get=|a| a.eks_daemonset_cpu_millicores.to_string()
                set=|a, v| v.trim().parse().ok().map(|n| a.eks_daemonset_cpu_millicores = n).is_some() />
            <NumberField scenario=scenario label="EKS DaemonSet memory per node" testid="eks-daemonset-memory" step="16" unit="MiB"
                hint="Default 0 MiB.".to_string()
                get=|a| a.eks_daemonset_memory_mib.to_string()
                set=|a, v| v.trim().parse().ok().map(|n| a.eks_daemonset_memory_mib = n).is_some() />
            <NumberField scenario=scenario label="OS memory on plain EC2" testid="os-reserved-memory" step="16" unit="MiB"
                hint="For the EC2 auto-scaling group target. Default 256 MiB.".to_string()
                get=|a| a.os_reserved_memory_mib.to_string()
                set=|a, v| v.trim().parse().ok().map(|n| a.os_reserved_memory_mib = n).is_some() />
        </fieldset>
    }
}

/// How compute is paid for in the headline totals; every model is still listed per option.
#[component]
fn Pricing(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Pricing model and commitments"</legend>
            <label class="field wide">
                <span class="name">"Compute paid as"</span>
                <select data-testid="pricing"
                    prop:value=move || scenario.with(|s| s.as_ref().map(|s| s.assumptions.pricing.as_str()).unwrap_or_default())
                    on:change=move |ev| {
                        if let Some(p) = PricingModel::parse(&event_target_value(&ev)) { edit(scenario, |a| a.pricing = p) }
                    }>
                    {PricingModel::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{p.label()}</option> }).collect_view()}
                </select>
                <span class="hint">"The totals use this model; each option also lists every model side by side."</span>
            </label>
            <BillBasis scenario=scenario />
            <NumberField scenario=scenario label="Cost of ownership over" testid="tco-months" min="1" max="120" step="1"
                unit="months" hint="12 and 36 months are always reported. Default 36.".to_string()
                get=|a| a.tco_months.to_string()
                set=|a, v| v.trim().parse().ok().filter(|n| (1..=120).contains(n)).map(|n| a.tco_months = n).is_some() />
        </fieldset>
    }
}

/// With an imported bill: the basis today's cost reads it on, and what processes that ran part
/// of the month are sized for.
#[component]
fn BillBasis(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    let has_bill = move || scenario.with(|s| s.as_ref().is_some_and(|s| s.workloads.bill.is_some()));
    view! {
        <Show when=has_bill>
            <label class="field wide">
                <span class="name">"Today's bill read as"</span>
                <select data-testid="bill-basis"
                    prop:value=move || scenario.with(|s| s.as_ref().map(|s| s.assumptions.bill_basis.as_str()).unwrap_or_default())
                    on:change=move |ev| {
                        if let Some(b) = CostBasis::parse(&event_target_value(&ev)) { edit(scenario, |a| a.bill_basis = b) }
                    }>
                    {CostBasis::ALL.into_iter().map(|b| view! { <option value=b.as_str()>{b.label()}</option> }).collect_view()}
                </select>
                <span class="hint">"Net amortized is what the usage costs after commitments and discounts. Credits, refunds and tax show apart."</span>
            </label>
            <label class="field wide">
                <span class="name">"Instances that ran part of the month"</span>
                <select data-testid="hours-sizing"
                    prop:value=move || scenario.with(|s| s.as_ref().map(|s| match s.assumptions.hours_sizing {
                        HoursSizing::Billed => "billed",
                        HoursSizing::AlwaysOn => "always-on",
                    }).unwrap_or_default())
                    on:change=move |ev| {
                        let v = match event_target_value(&ev).as_str() {
                            "always-on" => HoursSizing::AlwaysOn,
                            _ => HoursSizing::Billed,
                        };
                        edit(scenario, |a| a.hours_sizing = v)
                    }>
                    <option value="billed">"Sized for their billed hours"</option>
                    <option value="always-on">"Sized to run always"</option>
                </select>
            </label>
        </Show>
    }
}
