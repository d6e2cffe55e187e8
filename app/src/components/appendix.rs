//! The end of the printed report: every assumption as used, the uncertain figures with their
//! ranges and sources, and every price with its source and date. Hidden on screen (the panels
//! show the same), shown by the print stylesheet, so "Save as PDF" carries its evidence.

use crate::human::{decimal, fraction_as_pct, trim, usd_whole};
use crate::MaybeReport;
use leptos::prelude::*;
use rust_decimal::Decimal;
use tco_engine::Report;
use tco_engine::Usd;

/// Assumptions, uncertain figures and sources, as plain tables.
#[component]
pub fn PrintAppendix(report: MaybeReport) -> impl IntoView {
    view! {
        <section class="print-only appendix" data-testid="print-appendix" aria-hidden="true">
            {move || report.get().map(|r| view! {
                <h2>"Assumptions"</h2>
                {assumptions(&r)}
                <h2>"Uncertain figures"</h2>
                {uncertain(&r)}
                <h2>"Sources"</h2>
                <table data-testid="print-sources">
                    <thead><tr><th>"price"</th><th class="num">"USD"</th><th>"unit"</th><th>"source"</th><th>"as of"</th></tr></thead>
                    <tbody>
                        {r.sources.iter().map(|s| view! {
                            <tr>
                                <td>{s.item.clone()}</td>
                                <td class="num">{decimal(s.usd)}</td>
                                <td>{s.unit.clone()}</td>
                                <td class="source">{s.source.clone()}</td>
                                <td>{s.as_of.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="source">{format!("Price catalog of {}; oldest price {}.", r.catalog_as_of, r.oldest_price_as_of)}</p>
            })}
        </section>
    }
}

/// The assumptions the report was made under, one row each.
fn assumptions(r: &Report) -> impl IntoView {
    let a = &r.assumptions;
    let s = &a.supporting;
    let p = &a.people;
    let on = |b: bool| if b { "yes" } else { "no" }.to_string();
    let rows: Vec<(&str, String)> = vec![
        ("Targets", a.targets.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")),
        ("Region", a.estimated_regions().join(", ")),
        ("Availability zones", a.availability_zones.to_string()),
        ("Hours per month", format!("{} h", a.hours_per_month)),
        ("Instance types or families", a.instance_types.join(", ")),
        ("Headroom", format!("{}%", trim(a.headroom.get() * 100.0, 2))),
        ("Spare node per zone", on(a.spare_node_per_zone)),
        ("Pricing model", a.pricing.label().to_string()),
        ("CPU per Heroku compute unit", format!("{} m", a.millicores_per_compute_unit)),
        ("ECS reserved memory", format!("{} MiB", a.ecs_reserved_memory_mib)),
        (
            "EKS DaemonSets per node",
            format!("{} m CPU, {} MiB", a.eks_daemonset_cpu_millicores, a.eks_daemonset_memory_mib),
        ),
        ("OS memory on plain EC2", format!("{} MiB", a.os_reserved_memory_mib)),
        ("Load balancers", format!("{} ({} LCU per ALB-hour)", on(s.load_balancers), decimal(s.alb_lcu_per_hour))),
        ("NAT gateways", format!("{} ({} GB/month)", on(s.nat_gateways), decimal(s.nat_gb_per_month))),
        ("Public IPv4", on(s.public_ipv4)),
        ("Root volume", format!("{} GB gp3 per node", s.root_volume_gb)),
        ("Cross-zone traffic", format!("{} GB/month", decimal(s.cross_az_gb_per_month))),
        ("Data out", format!("{} GB/month", decimal(s.data_transfer_out_gb_per_month))),
        ("CloudWatch Logs", format!("{} GB/month", decimal(s.log_gb_per_month))),
        ("KMS keys / secrets", format!("{} / {}", s.kms_keys, s.secrets)),
        (
            "Transit Gateway",
            format!(
                "{} attachments, {} GB/month",
                s.transit_gateway_attachments,
                decimal(s.transit_gateway_gb_per_month)
            ),
        ),
        (
            "Business Support / EKS extended support",
            format!("{} / {}", on(s.business_support), on(s.eks_extended_support)),
        ),
        (
            "Migration effort",
            format!("{} engineer-weeks at {} each", decimal(p.migration_engineer_weeks), money(p.engineer_week_usd)),
        ),
        ("Outside services", money(p.outside_services_usd)),
        ("Parallel run", format!("{} month(s)", p.parallel_run_months)),
        (
            "Operations effort",
            format!(
                "{}% of an engineer at {} a year",
                fraction_as_pct(p.ops_engineer_fraction),
                money(p.engineer_year_usd)
            ),
        ),
        ("Cost of ownership horizon", format!("{} months", a.tco_months)),
    ];
    view! {
        <table data-testid="print-assumptions">
            <tbody>
                {rows.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> }).collect_view()}
            </tbody>
        </table>
    }
}

/// The catalog assumptions the estimate used, or the catalog's defaults when none applied.
fn uncertain(r: &Report) -> impl IntoView {
    let catalog = tco_pricing_data::embedded();
    let rows: Vec<(String, String, String, String, String)> = if r.uncertain.is_empty() {
        catalog
            .assumptions
            .iter()
            .map(|d| {
                let value = r.assumptions.overrides.get(&d.id).copied().unwrap_or(d.value);
                (
                    d.description.clone(),
                    figure(value, &d.unit),
                    range(d.low, d.high, &d.unit),
                    format!("{} ({})", d.provenance.source, d.provenance.as_of),
                    if r.assumptions.overrides.contains_key(&d.id) { "user".into() } else { "catalog".into() },
                )
            })
            .collect()
    } else {
        r.uncertain
            .iter()
            .map(|u| {
                (
                    u.description.clone(),
                    figure(u.value, &u.unit),
                    range(u.low, u.high, &u.unit),
                    format!("{} ({})", u.source, u.as_of),
                    if u.overridden { "user".into() } else { "catalog".into() },
                )
            })
            .collect()
    };
    view! {
        <table data-testid="print-uncertain">
            <thead><tr><th>"assumption"</th><th class="num">"value"</th><th class="num">"range"</th><th>"source"</th><th>"set by"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(d, v, range, src, by)| view! {
                    <tr><td>{d}</td><td class="num">{v}</td><td class="num">{range}</td><td class="source">{src}</td><td>{by}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Whole dollars with separators, e.g. `$200,000`.
fn money(amount: Decimal) -> String {
    usd_whole(Usd::new(amount))
}

/// A catalog figure in its unit: fractions as percentages.
fn figure(value: Decimal, unit: &str) -> String {
    if unit == "fraction" {
        format!("{}%", fraction_as_pct(value))
    } else {
        format!("{} {unit}", decimal(value))
    }
}

/// A plausible range in the figure's unit.
fn range(low: Decimal, high: Decimal, unit: &str) -> String {
    if unit == "fraction" {
        format!("{}–{}%", fraction_as_pct(low), fraction_as_pct(high))
    } else {
        format!("{}–{} {unit}", decimal(low), decimal(high))
    }
}
