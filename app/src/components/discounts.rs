//! The catalog's uncertain figures (spot, Savings Plan and RI discounts, the EKS Auto Mode fee):
//! each shown with its default, plausible range and source, labelled as an assumption, and
//! replaceable through `assumptions.overrides`.

use super::fields::{edit, parse_decimal};
use crate::human::{decimal, fraction_as_pct};
use crate::MaybeReport;
use leptos::prelude::*;
use rust_decimal::Decimal;
use tco_engine::catalog::AssumptionDefault;
use tco_engine::Scenario;

/// One row per catalog assumption.
#[component]
pub fn Discounts(scenario: RwSignal<Option<Scenario>>, report: MaybeReport) -> impl IntoView {
    let rows = tco_pricing_data::embedded().assumptions.clone();
    view! {
        <fieldset data-testid="discounts">
            <legend>"Discounts and fees "<span class="badge assumption">"assumptions"</span></legend>
            <p class="hint">
                "Rates the price list does not state exactly. The default is the catalog's; type your own (for example from your AWS bill) to replace it."
            </p>
            {rows.into_iter().map(|d| view! { <Discount scenario=scenario report=report default=d /> }).collect_view()}
        </fieldset>
    }
}

/// One uncertain figure: a percentage input when it is a fraction, its range and source.
#[component]
fn Discount(scenario: RwSignal<Option<Scenario>>, report: MaybeReport, default: AssumptionDefault) -> impl IntoView {
    let id = default.id.clone();
    let is_fraction = default.unit == "fraction";
    let show = move |v: Decimal| if is_fraction { fraction_as_pct(v) } else { decimal(v) };
    let range = format!("range {}–{}{}", show(default.low), show(default.high), if is_fraction { "%" } else { "" });
    let source = format!("{} (as of {})", default.provenance.source, default.provenance.as_of);
    let default_text = format!("default {}{}", show(default.value), if is_fraction { "%" } else { "" });
    let invalid = RwSignal::new(false);
    let (id_get, id_set, id_reset, id_used) = (id.clone(), id.clone(), id.clone(), id.clone());
    let overridden = Signal::derive(move || {
        scenario.with(|s| s.as_ref().is_some_and(|s| s.assumptions.overrides.contains_key(&id_get)))
    });
    let value = default.value;
    let used = move || report.with(|r| r.as_ref().is_some_and(|r| r.uncertain.iter().any(|u| u.id == id_used)));
    view! {
        <div class="field discount" class:invalid=move || invalid.get() class:overridden=move || overridden.get()>
            <label class="name" for=format!("override-{id}")>{default.description.clone()}</label>
            <span class="control">
                <input type="number" id=format!("override-{id}") data-testid=format!("override-{id}") min="0"
                    max=if is_fraction { "100" } else { "" } step="any"
                    aria-invalid=move || invalid.get().to_string()
                    prop:value={
                        let id = id.clone();
                        move || scenario.with(|s| {
                            let v = s.as_ref().and_then(|s| s.assumptions.overrides.get(&id).copied()).unwrap_or(value);
                            show(v)
                        })
                    }
                    on:change=move |ev| {
                        let typed = parse_decimal(&event_target_value(&ev));
                        let v = typed.map(|v| if is_fraction { v / Decimal::ONE_HUNDRED } else { v });
                        let ok = v.is_some_and(|v| !is_fraction || v <= Decimal::ONE);
                        invalid.set(!ok);
                        if let (true, Some(v)) = (ok, v) {
                            let id = id_set.clone();
                            edit(scenario, |a| { a.overrides.insert(id, v); });
                        }
                    } />
                <span class="unit">{if is_fraction { "%".to_string() } else { default.unit.clone() }}</span>
            </span>
            <span class="hint">
                <span class="badge assumption">"assumption"</span>
                " " {default_text} " · " {range}
                {move || used().then_some(" · used in this estimate")}
                {move || overridden.get().then(|| {
                    let id = id_reset.clone();
                    view! {
                        " · " <strong>"your value"</strong> " "
                        <button type="button" class="link" on:click=move |_| {
                            let id = id.clone();
                            edit(scenario, move |a| { a.overrides.remove(&id); });
                        }>"use the default"</button>
                    }
                })}
            </span>
            <details class="source"><summary>"Source"</summary><p>{source}</p></details>
        </div>
    }
}
