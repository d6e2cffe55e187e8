//! The side-by-side totals: today on Heroku, and each AWS option with its savings, pricing
//! model, low/likely/high band and breakdown. Bars share one scale, so lengths compare.

use super::breakdown::Breakdown;
use super::crosscheck::CrosscheckAction;
use crate::human::{per_month, savings_pct, to_f64};
use crate::MaybeReport;
use leptos::prelude::*;
use tco_engine::format::{node_plan, ratio_pct, usd};
use tco_engine::report::{Current, OptionEstimate, SourceLine};
use tco_engine::{Scenario, Usd};

/// One card per platform, today first. With `scenario` (not on a read-only share link), each
/// option can be checked against AWS's Pricing Calculator.
#[component]
pub fn Summary(report: MaybeReport, scenario: Option<RwSignal<Option<Scenario>>>) -> impl IntoView {
    view! {
        <section class="summary" aria-label="Monthly totals">
            {move || report.get().map(|r| {
                let max = r.options.iter().map(|o| to_f64(o.monthly_usd)).fold(to_f64(r.current.monthly_usd), f64::max);
                let sources = r.sources.clone();
                // A fleet estimated without measurements is said to be one, where the totals are.
                let unmeasured = r.warnings.iter().find(|w| w.starts_with("no utilization imported")).cloned();
                view! {
                    {unmeasured.map(|w| view! { <p class="banner warning" data-testid="unmeasured-banner">{w}</p> })}
                    <CurrentCard current=r.current max=max sources=sources.clone() />
                    {r.options.into_iter().map(|o| view! { <OptionCard option=o max=max sources=sources.clone() scenario=scenario /> }).collect_view()}
                }
            })}
        </section>
    }
}

/// Today's bill: list prices, or an imported bill on the scenario's basis, with its credits,
/// refunds and tax apart.
#[component]
fn CurrentCard(current: Current, max: f64, sources: Vec<SourceLine>) -> impl IntoView {
    let title = match current.platform.as_str() {
        "heroku" => "Today on Heroku",
        "ec2" => "Today on AWS",
        _ => "Today",
    };
    let unit = match current.basis {
        Some(b) => format!("USD, as billed: {}", b.label()),
        None => "USD, list prices".to_string(),
    };
    let other = current.other_charges;
    view! {
        <article class="card current" data-testid="card-current">
            <h2>{title}</h2>
            <p class="total"><span data-testid="heroku-total">{usd(current.monthly_usd)}</span><span class="per">"/month"</span></p>
            <p class="unit" data-testid="current-basis">{unit}</p>
            {current.utilization_measured.map(|u| view! {
                <p class="util">"Measured use of what is paid: CPU " {ratio_pct(u.cpu)} " · memory " {ratio_pct(u.memory)}</p>
            })}
            <Breakdown lines=current.breakdown max=max testid="current".to_string() sources=sources />
            {(!other.is_empty()).then(|| view! {
                <p class="other-charges" data-testid="other-charges"
                    title="Billed besides usage; not in the compared total, since no option estimates them">
                    "Also billed, not compared: "
                    {other.iter().map(|l| format!("{} {}", l.category, usd(l.monthly_usd))).collect::<Vec<_>>().join(" · ")}
                </p>
            })}
        </article>
    }
}

/// One AWS option.
#[component]
fn OptionCard(
    option: OptionEstimate,
    max: f64,
    sources: Vec<SourceLine>,
    scenario: Option<RwSignal<Option<Scenario>>>,
) -> impl IntoView {
    let o = option;
    let id = crate::human::option_id(&o);
    let platform = o.platform;
    let plan = if o.platform.is_fargate() {
        let tasks: u32 = o.fargate_tasks.iter().map(|t| t.tasks).sum();
        format!("{tasks} Fargate tasks over {} AZs", o.availability_zones)
    } else {
        format!("{} over {} AZs", node_plan(&o.nodes), o.availability_zones)
    };
    let saving = savings_usd(o.savings_vs_current_usd);
    let better = !o.savings_vs_current_usd.amount().is_sign_negative();
    view! {
        <article class="card option" data-testid=format!("option-{id}")>
            <h2>{o.label.clone()} {(id == o.platform.as_str()).then(|| view! { <small>{format!(" · {}", o.region)}</small> })}</h2>
            <p class="total"><span data-testid=format!("option-{id}-total")>{usd(o.monthly_usd)}</span><span class="per">"/month"</span></p>
            <p class="unit" data-testid=format!("option-{id}-pricing")>"USD, " {o.pricing_model.label()}</p>
            <p class="savings" class:worse=!better data-testid=format!("option-{id}-savings")>
                {saving} " (" {savings_pct(o.savings_vs_current_pct)} ")"
            </p>
            <p class="band" data-testid=format!("option-{id}-band")
                title=format!("Varied: {}", if o.band.basis.is_empty() { "nothing uncertain".to_string() } else { o.band.basis.join("; ") })>
                "Low " <span class="num">{usd(o.band.low_usd)}</span>
                " · likely " <span class="num">{usd(o.band.likely_usd)}</span>
                " · high " <span class="num">{usd(o.band.high_usd)}</span>
            </p>
            {band_drivers(&o).map(|d| view! { <p class="band-drivers" data-testid=format!("option-{id}-band-drivers")>{d}</p> })}
            <p class="nodes" data-testid=format!("option-{id}-nodes")>{plan}</p>
            {o.right_sizing.map(|r| view! {
                <p class="rightsizing" data-testid=format!("option-{id}-right-sizing")
                    title=format!("On-demand compute: {} sized by dyno, {} sized from measured use",
                        per_month(r.dyno_sized_compute_usd), per_month(r.measured_compute_usd))>
                    {right_sizing(r.savings_usd)}
                </p>
            })}
            <p class="util">
                "CPU " {ratio_pct(o.utilization.cpu)} " · memory " {ratio_pct(o.utilization.memory)} " requested of allocatable"
            </p>
            {(o.upfront_usd > Usd::ZERO).then(|| view! {
                <p class="upfront">"Plus " {usd(o.upfront_usd)} " paid upfront (amortized in the monthly total)"</p>
            })}
            <Breakdown lines=o.breakdown max=max testid=format!("option-{id}") sources=sources />
            // The cross-check takes one region: not offered while regions are compared.
            {scenario.filter(|_| id == platform.as_str()).map(|s| view! { <CrosscheckAction scenario=s target=platform /> })}
        </article>
    }
}

/// What dominates the option's band, e.g. `Band mostly from: CPU per Heroku compute unit; One
/// spare node per zone`.
fn band_drivers(o: &OptionEstimate) -> Option<String> {
    let names: Vec<&str> = o.band_drivers().take(2).map(|s| s.assumption.as_str()).collect();
    (!names.is_empty()).then(|| format!("Band mostly from: {}", names.join("; ")))
}

/// `Saves $2,926.87/month`, or `Costs $120.00/month more`, from the engine's savings against
/// today (negative when the option costs more).
pub fn savings_usd(savings: Usd) -> String {
    if savings.amount().is_sign_negative() {
        format!("Costs {} more", per_month(Usd::ZERO - savings))
    } else {
        format!("Saves {}", per_month(savings))
    }
}

/// What sizing from measured use does to on-demand compute, from the engine's figure.
pub fn right_sizing(savings: Usd) -> String {
    if savings.amount().is_sign_negative() {
        format!("Sizing from measured use costs {} more on compute", per_month(Usd::ZERO - savings))
    } else {
        format!("Sizing from measured use saves {} on compute", per_month(savings))
    }
}
