//! Heroku Postgres and Key-Value Store add-ons and where they go on AWS: the default RDS class
//! or ElastiCache node sized from each plan, what it costs there, and controls to choose
//! another class, deployment, storage, engine or node count, or to keep the add-on as it is.

use super::fields::edit;
use crate::human::per_month;
use crate::MaybeReport;
use leptos::prelude::*;
use tco_engine::managed::{priced_cache_nodes, priced_rds_classes};
use tco_engine::report::AddonMove;
use tco_engine::scenario::{AddonTarget, CacheEngine};
use tco_engine::Scenario;

/// One row per add-on plan the report moves; hidden when the workloads have none.
#[component]
pub fn AddonTargets(scenario: RwSignal<Option<Scenario>>, report: MaybeReport) -> impl IntoView {
    // Targets are chosen per plan: the first region's moves (each region lists its own).
    let moves = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    let first = r.regions.first().map(|x| x.region.as_str()).unwrap_or_default();
                    r.addon_moves.iter().filter(|m| m.region == first).cloned().collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=move || !moves().is_empty()>
            <fieldset data-testid="addon-targets">
                <legend>"Databases and caches"</legend>
                <p class="hint">
                    "Heroku Postgres moves to RDS for PostgreSQL, Key-Value Store to ElastiCache, sized from the plan's memory; premium, private and shield plans keep their standby or replica. Choose another target, or keep an add-on at today's price."
                </p>
                <For each=moves key=|m| format!("{m:?}") let:m>
                    <AddonRow scenario=scenario m=m />
                </For>
            </fieldset>
        </Show>
    }
}

/// The controls of one plan's target, and its cost on AWS or why it stays at today's price.
#[component]
fn AddonRow(scenario: RwSignal<Option<Scenario>>, m: AddonMove) -> impl IntoView {
    let plan = m.plan.clone();
    let testid = format!("addon-{}", m.plan.replace(':', "-"));
    let target = m.target.clone();
    let set = {
        let plan = plan.clone();
        move |t: AddonTarget| {
            let plan = plan.clone();
            edit(scenario, move |a| {
                a.addon_targets.insert(plan, t);
            })
        }
    };
    let reset = {
        let plan = plan.clone();
        move |_| {
            let plan = plan.clone();
            edit(scenario, move |a| {
                a.addon_targets.remove(&plan);
            })
        }
    };
    let outcome = match (m.aws_monthly_usd, &m.formula) {
        (Some(usd), formula) => view! {
            <span class="hint" data-testid=format!("{testid}-aws")>
                <strong>{per_month(usd)}</strong> " on AWS · " {formula.clone().unwrap_or_default()}
            </span>
        }
        .into_any(),
        (None, _) => view! {
            <span class="hint warning" data-testid=format!("{testid}-aws")>
                "kept at today's price: " {m.note.clone().unwrap_or_default()}
            </span>
        }
        .into_any(),
    };
    let controls = match target.clone() {
        Some(AddonTarget::RdsPostgresql { class, multi_az, storage_gb }) => {
            rds_controls(&testid, set.clone(), class, multi_az, storage_gb).into_any()
        }
        Some(AddonTarget::Elasticache { engine, node_type, nodes }) => {
            cache_controls(&testid, set.clone(), engine, node_type, nodes).into_any()
        }
        _ => ().into_any(),
    };
    let is_postgres = plan.starts_with("heroku-postgresql:");
    let moved_default = default_target(is_postgres);
    let keep = target == Some(AddonTarget::Keep);
    let toggle = {
        let set = set.clone();
        move |ev: leptos::ev::Event| {
            if event_target_checked(&ev) {
                set(AddonTarget::Keep)
            } else {
                set(moved_default.clone())
            }
        }
    };
    view! {
        <div class="field addon" data-testid=testid.clone()>
            <span class="name">
                {m.plan.clone()} " · " {m.addons.join(", ")} " · today " {per_month(m.current_monthly_usd)}
            </span>
            <span class="control">
                <label class="check">
                    <input type="checkbox" data-testid=format!("{testid}-keep") prop:checked=keep on:change=toggle />
                    " keep at today's price"
                </label>
                {controls}
            </span>
            {outcome}
            <span class="hint">
                {if m.default { "default: ".to_string() } else { "your choice: ".to_string() }}
                {m.target_label.clone()}
                {(!m.default).then(|| view! {
                    " " <button type="button" class="link" data-testid=format!("{testid}-reset") on:click=reset.clone()>
                        "use the default"
                    </button>
                })}
            </span>
        </div>
    }
}

/// What unticking "keep" moves a plan to before the user picks a class: the smallest priced one.
fn default_target(is_postgres: bool) -> AddonTarget {
    let catalog = tco_pricing_data::embedded();
    if is_postgres {
        AddonTarget::RdsPostgresql {
            class: priced_rds_classes(catalog).into_iter().next().unwrap_or_else(|| "db.t4g.micro".into()),
            multi_az: false,
            storage_gb: 20,
        }
    } else {
        AddonTarget::Elasticache {
            engine: CacheEngine::Redis,
            node_type: priced_cache_nodes(catalog, CacheEngine::Redis)
                .into_iter()
                .next()
                .unwrap_or_else(|| "cache.t4g.micro".into()),
            nodes: 1,
        }
    }
}

/// `chosen` first if the catalog does not price it, then every priced one.
fn options(priced: Vec<String>, chosen: &str) -> Vec<String> {
    let mut all = priced;
    if !all.iter().any(|c| c == chosen) {
        all.insert(0, chosen.to_string());
    }
    all
}

fn rds_controls(
    testid: &str,
    set: impl Fn(AddonTarget) + Clone + Send + Sync + 'static,
    class: String,
    multi_az: bool,
    storage_gb: u32,
) -> impl IntoView {
    let classes = options(priced_rds_classes(tco_pricing_data::embedded()), &class);
    let (set_class, set_az, set_storage) = (set.clone(), set.clone(), set);
    let (c1, c2) = (class.clone(), class.clone());
    view! {
        <select data-testid=format!("{testid}-class") aria-label="RDS class"
            on:change=move |ev| set_class(AddonTarget::RdsPostgresql { class: event_target_value(&ev), multi_az, storage_gb })>
            {classes.into_iter().map(|c| {
                let selected = c == class;
                view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
            }).collect_view()}
        </select>
        <label class="check">
            <input type="checkbox" data-testid=format!("{testid}-multi-az") prop:checked=multi_az
                on:change=move |ev| set_az(AddonTarget::RdsPostgresql { class: c1.clone(), multi_az: event_target_checked(&ev), storage_gb }) />
            " Multi-AZ"
        </label>
        <input type="number" min="20" max="65536" step="1" data-testid=format!("{testid}-storage") aria-label="Storage, GB"
            prop:value=storage_gb.to_string()
            on:change=move |ev| {
                if let Ok(gb) = event_target_value(&ev).trim().parse::<u32>() {
                    if (20..=65_536).contains(&gb) {
                        set_storage(AddonTarget::RdsPostgresql { class: c2.clone(), multi_az, storage_gb: gb });
                    }
                }
            } />
        <span class="unit">"GB gp3"</span>
    }
}

fn cache_controls(
    testid: &str,
    set: impl Fn(AddonTarget) + Clone + Send + Sync + 'static,
    engine: CacheEngine,
    node_type: String,
    nodes: u32,
) -> impl IntoView {
    let types = options(priced_cache_nodes(tco_pricing_data::embedded(), engine), &node_type);
    let (set_engine, set_type, set_nodes) = (set.clone(), set.clone(), set);
    let (n1, n2) = (node_type.clone(), node_type.clone());
    view! {
        <select data-testid=format!("{testid}-engine") aria-label="ElastiCache engine"
            on:change=move |ev| {
                let engine = if event_target_value(&ev) == "valkey" { CacheEngine::Valkey } else { CacheEngine::Redis };
                set_engine(AddonTarget::Elasticache { engine, node_type: n1.clone(), nodes });
            }>
            <option value="redis" selected=engine == CacheEngine::Redis>"Redis OSS"</option>
            <option value="valkey" selected=engine == CacheEngine::Valkey>"Valkey"</option>
        </select>
        <select data-testid=format!("{testid}-node-type") aria-label="Node type"
            on:change=move |ev| set_type(AddonTarget::Elasticache { engine, node_type: event_target_value(&ev), nodes })>
            {types.into_iter().map(|t| {
                let selected = t == node_type;
                view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
            }).collect_view()}
        </select>
        <input type="number" min="1" max="6" step="1" data-testid=format!("{testid}-nodes") aria-label="Nodes"
            prop:value=nodes.to_string()
            on:change=move |ev| {
                if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                    if (1..=6).contains(&n) {
                        set_nodes(AddonTarget::Elasticache { engine, node_type: n2.clone(), nodes: n });
                    }
                }
            } />
        <span class="unit">"nodes"</span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unpriced_choice_stays_selectable_ahead_of_the_priced_ones() {
        let priced = vec!["db.t4g.micro".to_string(), "db.t4g.medium".to_string()];
        assert_eq!(options(priced.clone(), "db.m6g.large"), ["db.m6g.large", "db.t4g.micro", "db.t4g.medium"]);
        assert_eq!(options(priced, "db.t4g.medium"), ["db.t4g.micro", "db.t4g.medium"]);
    }
}
